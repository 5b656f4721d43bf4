package scenario

import (
	"fmt"
	"reflect"
	"slices"
	"strings"

	"github.com/clustersim/clustersim/sim/assertion"
	"github.com/clustersim/clustersim/sim/dist"
)

// validate checks cfg after decoding and overrides, recording every problem
// found. Keys that failed to decode are not checked again.
func (d *decoder) validate(cfg *Config) {
	root := keyPath{}
	d.validateSim(&cfg.Sim, root.child("sim"))

	services := map[string]*Service{}
	var serviceNames []string
	sp := root.child("service")
	if len(cfg.Services) == 0 {
		d.errorf(ErrMissing, sp, "add a [[service]] table", "at least one service is required")
	}
	firstAt := map[string]keyPath{}
	for i := range cfg.Services {
		s := &cfg.Services[i]
		p := sp.elem(i, s.Name)
		if d.checkName(s.Name, p, firstAt) {
			services[s.Name] = s
			serviceNames = append(serviceNames, s.Name)
		}
		d.validateService(s, p)
	}

	wp := root.child("workload")
	if len(cfg.Workloads) == 0 {
		d.errorf(ErrMissing, wp, "add a [[workload]] table", "at least one workload is required")
	}
	firstAt = map[string]keyPath{}
	for i := range cfg.Workloads {
		w := &cfg.Workloads[i]
		p := wp.elem(i, w.Name)
		d.checkName(w.Name, p, firstAt)
		d.validateWorkload(w, p, cfg.Sim.Duration, services, serviceNames)
	}

	pp := root.child("node_pool")
	pools := map[string]bool{}
	var poolNames []string
	firstAt = map[string]keyPath{}
	for i := range cfg.NodePools {
		np := &cfg.NodePools[i]
		p := pp.elem(i, np.Name)
		if d.checkName(np.Name, p, firstAt) {
			if services[np.Name] != nil {
				d.errorf(ErrInvalid, p.child("name"), "pool and service names share the timeseries column namespace", "%q is also a service's name", np.Name)
			}
			pools[np.Name] = true
			poolNames = append(poolNames, np.Name)
		}
		d.validateNodePool(np, p, cfg.Sim.Duration)
	}
	d.validateClusterAutoscaler(&cfg.ClusterAutoscaler, root.child("cluster_autoscaler"))
	for i := range cfg.Services {
		s := &cfg.Services[i]
		p := sp.elem(i, s.Name).child("node_pool")
		switch {
		case s.NodePool != "" && !pools[s.NodePool]:
			hint := didYouMean(s.NodePool, poolNames)
			if hint == "" {
				hint = "define it in a [[node_pool]] table"
			}
			d.errorf(ErrReference, p, hint, "no node pool named %q", s.NodePool)
		}
	}

	var workloadNames []string
	for _, w := range cfg.Workloads {
		workloadNames = append(workloadNames, w.Name)
	}
	metricPaths := assertion.Paths(serviceNames, workloadNames, poolNames)
	ap := root.child("assert")
	for i := range cfg.Asserts {
		a := &cfg.Asserts[i]
		p := ap.elem(i, a.Name)
		if !d.isSet(p.child("name").loc) || strings.TrimSpace(a.Name) == "" {
			d.errorf(ErrMissing, p.child("name"), "describe what is checked", "required")
		}
		d.validateMetric(a.Metric, p.child("metric"), metricPaths)
		switch {
		case a.Min == nil && a.Max == nil:
			d.errorf(ErrMissing, p, "", "give min, max or both")
		case a.Min != nil && a.Max != nil && *a.Min > *a.Max:
			d.errorf(ErrInvalid, p.child("min"), "", "min %v is above max %v", *a.Min, *a.Max)
		}
	}
}

func (d *decoder) validateClusterAutoscaler(ca *ClusterAutoscaler, p keyPath) {
	if ca.ScanInterval <= 0 {
		d.errorf(ErrInvalid, p.child("scan_interval"), "", "must be > 0")
	}
	if ca.ScaleDownDelayAfterAdd < 0 {
		d.errorf(ErrInvalid, p.child("scale_down_delay_after_add"), "", "must be >= 0")
	}
	if ca.MaxEmptyBulkDelete < 1 {
		d.errorf(ErrInvalid, p.child("max_empty_bulk_delete"), "empty nodes deleted per scan", "must be >= 1, got %d", ca.MaxEmptyBulkDelete)
	}
}

func (d *decoder) validateSim(s *Sim, p keyPath) {
	if d.isSet(p.child("name").loc) && s.Name == "" {
		d.errorf(ErrInvalid, p.child("name"), "omit it to use the file name", "must not be empty")
	}
	if !d.isSet(p.child("duration").loc) {
		d.errorf(ErrMissing, p.child("duration"), `for example duration = "10m"`, "required")
		return
	}
	if s.Duration <= 0 {
		d.errorf(ErrInvalid, p.child("duration"), "", "must be > 0")
		return
	}
	if s.Warmup >= s.Duration {
		d.errorf(ErrInvalid, p.child("warmup"), "", "warmup %s must be shorter than duration %s", s.Warmup, s.Duration)
	}
	switch {
	case s.Window <= 0:
		d.errorf(ErrInvalid, p.child("window"), "", "must be > 0")
	case s.Window > s.Duration:
		d.errorf(ErrInvalid, p.child("window"), "", "window %s is longer than duration %s", s.Window, s.Duration)
	case s.Warmup%s.Window != 0:
		// Summary figures are folded from whole windows, so warm-up must
		// end on a window boundary.
		lo := s.Warmup - s.Warmup%s.Window
		d.errorf(ErrInvalid, p.child("warmup"), fmt.Sprintf("use %s or %s", lo, lo+s.Window), "warmup %s is not a multiple of window %s", s.Warmup, s.Window)
	}
}

// checkName checks an entry's name: given, well-formed and unique among
// the entries seen (first). It reports whether the name is usable.
func (d *decoder) checkName(name string, p keyPath, first map[string]keyPath) bool {
	np := p.child("name")
	switch {
	case !d.isSet(np.loc):
		d.errorf(ErrMissing, np, "", "required")
		return false
	case !validName(name):
		d.errorf(ErrInvalid, np, "use letters, digits, '_' and '-'", "invalid name %q", name)
		return false
	}
	if q, dup := first[name]; dup {
		d.errorf(ErrInvalid, np, fmt.Sprintf("first used at line %d", d.ix.find(q.loc).line), "duplicate name %q", name)
		return false
	}
	first[name] = np
	return true
}

func (d *decoder) validateWorkload(w *Workload, p keyPath, simDuration Duration, services map[string]*Service, names []string) {
	tp := p.child("target")
	var target *Service
	switch {
	case !d.isSet(tp.loc):
		d.errorf(ErrMissing, tp, "name a [[service]]", "required")
	case services[w.Target] == nil:
		hint := didYouMean(w.Target, names)
		if hint == "" && len(names) > 0 {
			hint = "services: " + quoteList(names)
		}
		d.errorf(ErrReference, tp, hint, "no service named %q", w.Target)
	default:
		target = services[w.Target]
	}

	rp := p.child("rate")
	if w.Rate < 0 {
		d.errorf(ErrInvalid, rp, "", "must be >= 0, got %v", w.Rate)
	}
	if w.Arrival == ArrivalTrace {
		if d.isSet(rp.loc) || len(w.Schedule) > 0 {
			what := "rate"
			if !d.isSet(rp.loc) {
				what, rp = "schedule", p.child("schedule")
			}
			d.errorf(ErrInvalid, rp, "remove it, or use another arrival", "%s does not apply to arrival = \"trace\"", what)
		}
		if w.Trace == "" {
			d.errorf(ErrMissing, p.child("trace"), "the path of a file of arrival times, in seconds", "required with arrival = \"trace\"")
		}
	} else {
		if w.Trace != "" || d.isSet(p.child("trace").loc) {
			d.errorf(ErrInvalid, p.child("trace"), `set arrival = "trace"`, "trace needs arrival = \"trace\", not %q", w.Arrival)
		}
		if w.Rate == 0 && len(w.Schedule) == 0 {
			if d.isSet(rp.loc) {
				d.errorf(ErrInvalid, rp, "give a rate > 0 or a schedule", "must be > 0")
			} else {
				d.errorf(ErrMissing, rp, "requests per second, for example rate = 100", "required")
			}
		}
	}
	d.validateSchedule(w.Schedule, p.child("schedule"), simDuration)

	if w.ServiceTime != nil {
		d.validateDist(w.ServiceTime, p.child("service_time"))
	} else if target != nil && target.ServiceTime == nil {
		d.errorf(ErrMissing, p.child("service_time"), "give one here or on the service", "neither the workload nor service %q gives a service time", target.Name)
	}
	if d.isSet(p.child("timeout").loc) && w.Timeout <= 0 {
		d.errorf(ErrInvalid, p.child("timeout"), "omit it for no timeout", "must be > 0")
	}
}

func (d *decoder) validateSchedule(sched []RatePoint, p keyPath, simDuration Duration) {
	for i, r := range sched {
		ep := p.elem(i, "")
		for _, k := range []string{"at", "rate"} {
			if !d.isSet(ep.child(k).loc) {
				d.errorf(ErrMissing, ep.child(k), "", "required")
			}
		}
		if r.Rate < 0 {
			d.errorf(ErrInvalid, ep.child("rate"), "", "must be >= 0, got %v", r.Rate)
		}
		if simDuration > 0 && r.At >= simDuration {
			d.errorf(ErrInvalid, ep.child("at"), "", "at %s is not before the end of the run (%s)", r.At, simDuration)
		}
		if i > 0 && d.isSet(ep.child("at").loc) {
			prev := sched[i-1]
			if r.At <= prev.At {
				d.errorf(ErrInvalid, ep.child("at"), "", "at %s must be after the previous entry's %s", r.At, prev.At)
			} else if prev.At+prev.Ramp > r.At {
				d.errorf(ErrInvalid, p.elem(i-1, "").child("ramp"), "", "ramp ends at %s, after the next entry starts (%s)", prev.At+prev.Ramp, r.At)
			}
		}
	}
}

func (d *decoder) validateService(s *Service, p keyPath) {
	if s.Replicas < 0 {
		d.errorf(ErrInvalid, p.child("replicas"), "", "must be >= 0, got %d", s.Replicas)
	}
	if s.Concurrency < 1 {
		d.errorf(ErrInvalid, p.child("concurrency"), "requests served at once per instance", "must be >= 1, got %d", s.Concurrency)
	}
	if s.Queue != nil && *s.Queue < 0 {
		d.errorf(ErrInvalid, p.child("queue"), "omit it for an unbounded queue", "must be >= 0, got %d", *s.Queue)
	}
	if s.ServiceTime != nil {
		d.validateDist(s.ServiceTime, p.child("service_time"))
	}
	wp := p.child("warmup")
	if s.Warmup.Slowdown < 1 {
		d.errorf(ErrInvalid, wp.child("slowdown"), "1 means no slowdown", "must be >= 1, got %v", s.Warmup.Slowdown)
	} else if s.Warmup.Slowdown > 1 && s.Warmup.Duration == 0 {
		d.errorf(ErrMissing, wp.child("duration"), "how long the slowdown lasts", "required with slowdown > 1")
	}
	slp := p.child("slow")
	if s.Slow.Instances < 0 {
		d.errorf(ErrInvalid, slp.child("instances"), "", "must be >= 0, got %d", s.Slow.Instances)
	}
	if s.Slow.Factor < 1 {
		d.errorf(ErrInvalid, slp.child("factor"), "1 means not slow", "must be >= 1, got %v", s.Slow.Factor)
	}
	if s.Balancer.Layer == LayerL4 {
		d.errorf(ErrInvalid, p.child("balancer").child("layer"), `use layer = "L7"`, "L4 balancing is not supported yet")
	}
	if s.Autoscaler != nil {
		d.validateAutoscaler(s.Autoscaler, p.child("autoscaler"))
	}
	if s.CostPerHour < 0 {
		d.errorf(ErrInvalid, p.child("cost_per_hour"), "USD per instance-hour", "must be >= 0, got %v", s.CostPerHour)
	}
	if s.ImagePull != nil {
		d.validateDist(s.ImagePull, p.child("image_pull"))
	}
	if s.ProcessStart != nil {
		d.validateDist(s.ProcessStart, p.child("process_start"))
		if s.Startup > 0 {
			d.errorf(ErrInvalid, p.child("process_start"), "startup is a constant shorthand for process_start", "give startup or process_start, not both")
		}
	}
	rp := p.child("readiness")
	if s.Readiness.Period < 0 {
		d.errorf(ErrInvalid, rp.child("period"), "", "must be >= 0")
	}
	if s.Readiness.SuccessThreshold < 1 {
		d.errorf(ErrInvalid, rp.child("success_threshold"), "", "must be >= 1, got %d", s.Readiness.SuccessThreshold)
	}
	if s.Readiness.FailureThreshold < 1 {
		d.errorf(ErrInvalid, rp.child("failure_threshold"), "", "must be >= 1, got %d", s.Readiness.FailureThreshold)
	}
	if s.CPU < 0 {
		d.errorf(ErrInvalid, p.child("cpu"), "cores requested per instance", "must be >= 0, got %v", s.CPU)
	}
	if s.CPULimit < 0 || (s.CPULimit > 0 && s.CPULimit < s.CPU) {
		d.errorf(ErrInvalid, p.child("cpu_limit"), "cores an instance may use", "must be >= cpu (%v), as Kubernetes requires of a limit; got %v", s.CPU, s.CPULimit)
	}
	if s.Memory < 0 {
		d.errorf(ErrInvalid, p.child("memory"), "GiB requested per instance", "must be >= 0, got %v", s.Memory)
	}
}

func (d *decoder) validateAutoscaler(a *Autoscaler, p keyPath) {
	if a.Kind == "" {
		d.errorf(ErrMissing, p.child("kind"), "one of "+quoteList(enums[reflect.TypeFor[AutoscalerKind]()]), "required")
	}
	if d.isSet(p.child("target").loc) && a.Target <= 0 {
		d.errorf(ErrInvalid, p.child("target"), "", "must be > 0, got %v", a.Target)
	}
	d.nonNegative(a.Min, p.child("min"))
	d.nonNegative(a.Max, p.child("max"))
	if a.Min != nil && a.Max != nil && *a.Min > *a.Max {
		d.errorf(ErrInvalid, p.child("min"), "", "min %d is above max %d", *a.Min, *a.Max)
	}
	if a.Tolerance != nil && *a.Tolerance < 0 {
		d.errorf(ErrInvalid, p.child("tolerance"), "", "must be >= 0, got %v", *a.Tolerance)
	}
	if a.Headroom < 0 {
		d.errorf(ErrInvalid, p.child("headroom"), "", "must be >= 0, got %v", a.Headroom)
	}
	if a.Behavior != nil {
		bp := p.child("behavior")
		d.validateRules(a.Behavior.ScaleUp, bp.child("scale_up"))
		d.validateRules(a.Behavior.ScaleDown, bp.child("scale_down"))
	}
	d.validateAlarm(a, p)
	for i, st := range a.Steps {
		if st.Lower != nil && st.Upper != nil && *st.Lower >= *st.Upper {
			d.errorf(ErrInvalid, p.child("steps").elem(i, "").child("lower"), "", "lower %v must be below upper %v", *st.Lower, *st.Upper)
		}
	}
	for i, sc := range a.Schedule {
		ep := p.child("schedule").elem(i, "")
		if !d.isSet(ep.child("at").loc) {
			d.errorf(ErrMissing, ep.child("at"), "", "required")
		}
		if i > 0 && sc.At <= a.Schedule[i-1].At {
			d.errorf(ErrInvalid, ep.child("at"), "", "at %s must be after the previous entry's %s", sc.At, a.Schedule[i-1].At)
		}
		d.nonNegative(sc.Min, ep.child("min"))
		d.nonNegative(sc.Max, ep.child("max"))
		d.nonNegative(sc.Desired, ep.child("desired"))
		if sc.Min != nil && sc.Max != nil && *sc.Min > *sc.Max {
			d.errorf(ErrInvalid, ep.child("min"), "", "min %d is above max %d", *sc.Min, *sc.Max)
		}
	}
	if a.Kind == AutoscalerExternal && len(a.Command) == 0 {
		d.errorf(ErrMissing, p.child("command"), `for example command = ["./my-policy", "--flag"]`, "required with kind = \"external\"")
	}
	for i, c := range a.Command {
		if c == "" {
			d.errorf(ErrInvalid, p.child("command").elem(i, ""), "", "must not be empty")
		}
	}
}

func (d *decoder) validateRules(r *ScalingRules, p keyPath) {
	if r == nil {
		return
	}
	for i, pol := range r.Policies {
		ep := p.child("policies").elem(i, "")
		if pol.Type == "" {
			d.errorf(ErrMissing, ep.child("type"), `"Pods" or "Percent"`, "required")
		}
		if pol.Value <= 0 {
			d.errorf(ErrInvalid, ep.child("value"), "", "must be > 0, got %d", pol.Value)
		}
		if pol.Period <= 0 {
			d.errorf(ErrInvalid, ep.child("period"), `for example period = "15s"`, "must be > 0")
		}
	}
}

// validateAlarm checks the CloudWatch alarm keys of the AWS kinds:
// PutMetricAlarm's Period (10, 20, 30 or a multiple of 60 seconds; target
// tracking at most 60), 1 <= DatapointsToAlarm <= EvaluationPeriods, and
// at most one day of evaluation range.
func (d *decoder) validateAlarm(a *Autoscaler, p keyPath) {
	pp, ep, dp := p.child("alarm_period"), p.child("evaluation_periods"), p.child("datapoints_to_alarm")
	if d.isSet(pp.loc) {
		per := a.AlarmPeriod
		switch {
		case a.Kind != AutoscalerTargetTracking && a.Kind != AutoscalerStep:
			d.errorf(ErrInvalid, pp, "", `only with kind = "target_tracking" or "step"`)
		case per != 10*Second && per != 20*Second && per != 30*Second && (per <= 0 || per%Minute != 0):
			d.errorf(ErrInvalid, pp, `for example alarm_period = "1m"`, "must be 10s, 20s, 30s or a multiple of 60s (CloudWatch alarm periods), got %s", a.AlarmPeriod)
		case a.Kind == AutoscalerTargetTracking && per > Minute:
			d.errorf(ErrInvalid, pp, "", "target tracking supports alarm periods up to 60s, got %s", a.AlarmPeriod)
		}
	}
	if a.Kind != AutoscalerStep {
		for _, k := range []keyPath{ep, dp} {
			if d.isSet(k.loc) {
				d.errorf(ErrInvalid, k, "", `only with kind = "step"; target tracking's alarms are AWS's (3 datapoints to scale out, 15 to scale in)`)
			}
		}
		return
	}
	n := 1
	if d.isSet(ep.loc) {
		n = a.EvaluationPeriods
		period := a.AlarmPeriod
		if period <= 0 {
			period = Minute
		}
		if n < 1 || int64(n) > int64(Day/period) {
			d.errorf(ErrInvalid, ep, "", "must be >= 1 with evaluation_periods × alarm_period at most 24h, got %d", n)
			return
		}
	}
	if d.isSet(dp.loc) && (a.DatapointsToAlarm < 1 || a.DatapointsToAlarm > n) {
		d.errorf(ErrInvalid, dp, "", "must be between 1 and evaluation_periods (%d), got %d", n, a.DatapointsToAlarm)
	}
}

func (d *decoder) nonNegative(n *int, p keyPath) {
	if n != nil && *n < 0 {
		d.errorf(ErrInvalid, p, "", "must be >= 0, got %d", *n)
	}
}

// validateMetric checks that m names a number in summary.json.
func (d *decoder) validateMetric(m string, p keyPath, paths []string) {
	if !d.isSet(p.loc) || m == "" {
		d.errorf(ErrMissing, p, `a summary.json path such as "latency_ms.p99"`, "required")
		return
	}
	for _, part := range strings.Split(m, ".") {
		if part == "" || strings.ContainsAny(part, " \t\"'") {
			d.errorf(ErrInvalid, p, `a summary.json path such as "latency_ms.p99"`, "invalid metric path %q", m)
			return
		}
	}
	if !slices.Contains(paths, m) {
		hint := didYouMean(m, paths)
		if hint == "" {
			hint = `a number in summary.json, such as "latency_ms.p99" or "services.NAME.replicas.max"`
		}
		d.errorf(ErrReference, p, hint, "summary.json has no number at %q", m)
	}
}

func (d *decoder) validateNodePool(np *NodePool, p keyPath, simDuration Duration) {
	if np.CPU <= 0 {
		d.errorf(ErrInvalid, p.child("cpu"), "allocatable cores per node", "must be > 0, got %v", np.CPU)
	}
	if np.Memory <= 0 {
		d.errorf(ErrInvalid, p.child("memory"), "allocatable GiB per node", "must be > 0, got %v", np.Memory)
	}
	d.nonNegative(np.Nodes, p.child("nodes"))
	d.nonNegative(np.Min, p.child("min"))
	d.nonNegative(np.Max, p.child("max"))
	nodes, lo, hi := np.counts()
	if lo > hi {
		d.errorf(ErrInvalid, p.child("min"), "", "min %d is above max %d", lo, hi)
	} else if nodes < lo || nodes > hi {
		d.errorf(ErrInvalid, p.child("nodes"), "", "nodes %d is outside [min %d, max %d]", nodes, lo, hi)
	}
	if np.Provision != nil {
		d.validateDist(np.Provision, p.child("provision"))
	}
	if np.ScaleDownUtilization < 0 || np.ScaleDownUtilization > 1 {
		d.errorf(ErrInvalid, p.child("scale_down_utilization"), "a fraction of a node's CPU", "must be in [0, 1], got %v", np.ScaleDownUtilization)
	}
	if np.CostPerHour < 0 {
		d.errorf(ErrInvalid, p.child("cost_per_hour"), "USD per node-hour", "must be >= 0, got %v", np.CostPerHour)
	}
	for i, f := range np.Failures {
		ep := p.child("failures").elem(i, "")
		if !d.isSet(ep.child("at").loc) {
			d.errorf(ErrMissing, ep.child("at"), "", "required")
		} else if simDuration > 0 && f.At >= simDuration {
			d.errorf(ErrInvalid, ep.child("at"), "", "at %s is not before the end of the run (%s)", f.At, simDuration)
		}
		if f.Count < 1 {
			d.errorf(ErrInvalid, ep.child("count"), "", "must be >= 1, got %d", f.Count)
		}
	}
}

// counts returns a pool's initial, minimum and maximum node counts with
// their defaults applied.
func (np *NodePool) counts() (nodes, lo, hi int) {
	nodes = 1
	switch {
	case np.Nodes != nil:
		nodes = *np.Nodes
	case np.Min != nil:
		nodes = *np.Min
	}
	lo, hi = nodes, nodes
	if np.Min != nil {
		lo = *np.Min
	}
	if np.Max != nil {
		hi = *np.Max
	}
	return nodes, lo, hi
}

// distParams lists, per family, the parameter sets that define it.
var distParams = map[DistKind][][]string{
	DistConstant:    {{"value"}, {"mean"}},
	DistExponential: {{"mean"}},
	DistLognormal:   {{"mean", "p99"}, {"mu", "sigma"}},
	DistGamma:       {{"mean", "shape"}},
	DistErlang:      {{"mean", "k"}},
	DistPareto:      {{"alpha", "xm"}, {"alpha", "mean"}},
	DistUniform:     {{"min", "max"}},
}

// given lists the parameters of x that were written, in field order.
func (x *Dist) given() []string {
	var g []string
	add := func(name string, set bool) {
		if set {
			g = append(g, name)
		}
	}
	add("mean", x.Mean != nil)
	add("value", x.Value != nil)
	add("p99", x.P99 != nil)
	add("mu", x.Mu != nil)
	add("sigma", x.Sigma != nil)
	add("shape", x.Shape != nil)
	add("k", x.K != nil)
	add("alpha", x.Alpha != nil)
	add("xm", x.Xm != nil)
	add("min", x.Min != nil)
	add("max", x.Max != nil)
	return g
}

// describeSets renders parameter sets: "mean and p99, or mu and sigma".
func describeSets(sets [][]string) string {
	alts := make([]string, len(sets))
	for i, s := range sets {
		alts[i] = strings.Join(s, " and ")
	}
	return strings.Join(alts, ", or ")
}

func (d *decoder) validateDist(x *Dist, p keyPath) {
	if x.Dist == "" {
		d.errorf(ErrMissing, p.child("dist"), "one of "+quoteList(enums[reflect.TypeFor[DistKind]()]), "required")
		return
	}
	sets := distParams[x.Dist]
	given := x.given()
	// Pick the parameter set that best matches what was given.
	best, bestHits := sets[0], -1
	for _, s := range sets {
		hits := 0
		for _, k := range s {
			if slices.Contains(given, k) {
				hits++
			}
		}
		if hits > bestHits {
			best, bestHits = s, hits
		}
	}
	want := fmt.Sprintf("%s takes %s", x.Dist, describeSets(sets))
	ok := true
	for _, k := range given {
		if !slices.Contains(best, k) {
			d.errorf(ErrInvalid, p.child(k), want, "%s does not apply here", k)
			ok = false
		}
	}
	var missing []string
	for _, k := range best {
		if !slices.Contains(given, k) {
			missing = append(missing, k)
		}
	}
	if len(missing) > 0 {
		d.errorf(ErrMissing, p, want, "%s needs %s", x.Dist, strings.Join(missing, " and "))
		return
	}
	if !ok {
		return
	}
	// The values.
	pos := func(k string, v float64) {
		if !(v > 0) {
			d.errorf(ErrInvalid, p.child(k), "", "must be > 0, got %v", v)
		}
	}
	switch x.Dist {
	case DistExponential, DistGamma, DistErlang:
		if x.Mean != nil && *x.Mean == 0 {
			d.errorf(ErrInvalid, p.child("mean"), "", "must be > 0")
		}
		if x.Shape != nil {
			pos("shape", *x.Shape)
		}
		if x.K != nil && *x.K < 1 {
			d.errorf(ErrInvalid, p.child("k"), "the number of phases", "must be >= 1, got %d", *x.K)
		}
	case DistLognormal:
		if x.Sigma != nil {
			pos("sigma", *x.Sigma)
			break
		}
		if *x.P99 <= *x.Mean {
			d.errorf(ErrInvalid, p.child("p99"), "", "p99 %s must be above mean %s", *x.P99, *x.Mean)
		} else if _, _, err := dist.LogNormalFromMeanP99(x.Mean.Seconds(), x.P99.Seconds()); err != nil {
			d.errorf(ErrInvalid, p.child("p99"), "for heavier tails use pareto", "%v", err)
		}
	case DistPareto:
		pos("alpha", *x.Alpha)
		if x.Xm != nil && *x.Xm == 0 {
			d.errorf(ErrInvalid, p.child("xm"), "the minimum value", "must be > 0")
		}
		if x.Mean != nil {
			if *x.Mean == 0 {
				d.errorf(ErrInvalid, p.child("mean"), "", "must be > 0")
			}
			if *x.Alpha <= 1 {
				d.errorf(ErrInvalid, p.child("alpha"), "give xm instead of mean for alpha <= 1", "a pareto with alpha %v has no finite mean", *x.Alpha)
			}
		}
	case DistUniform:
		if *x.Min >= *x.Max {
			d.errorf(ErrInvalid, p.child("max"), "", "max %s must be above min %s", *x.Max, *x.Min)
		}
	}
}
