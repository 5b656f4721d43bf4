package scenario

import (
	"fmt"
	"reflect"
	"slices"
	"strings"

	"github.com/clustersim/clustersim/sim/assertion"
	"github.com/clustersim/clustersim/sim/dist"
	"github.com/clustersim/clustersim/sim/models"
	"github.com/clustersim/clustersim/sim/tomlpos"
)

// checker validates a decoded Config, reporting through the decoder that
// filled it so that problems carry the position of their key.
type checker struct {
	*tomlpos.Decoder
	servicePaths map[string]tomlpos.Path // where each service is, by name
}

// validate checks cfg after decoding and overrides, recording every problem
// found. Keys that failed to decode are not checked again.
func (d *checker) validate(cfg *Config) {
	root := tomlpos.Path{}
	d.validateSim(&cfg.Sim, root.Child("sim"))

	services := map[string]*Service{}
	var serviceNames []string
	sp := root.Child("service")
	if len(cfg.Services) == 0 {
		d.Errorf(ErrMissing, sp, "add a [[service]] table", "at least one service is required")
	}
	firstAt := map[string]tomlpos.Path{}
	for i := range cfg.Services {
		s := &cfg.Services[i]
		p := sp.Elem(i, s.Name)
		if d.checkName(s.Name, p, firstAt) {
			services[s.Name] = s
			d.servicePaths[s.Name] = p
			serviceNames = append(serviceNames, s.Name)
		}
		d.validateService(s, p)
		d.validateVersions(s, p)
		d.validateFlags(cfg, s, p)
		d.validateMonkey(s, p)
	}

	d.validateCalls(cfg, sp)
	for i := range cfg.Services {
		d.validateCache(&cfg.Services[i], sp.Elem(i, cfg.Services[i].Name))
		d.validateDatabase(cfg, &cfg.Services[i], sp.Elem(i, cfg.Services[i].Name)) // database.go
		d.validateRetryAfter(&cfg.Services[i], sp.Elem(i, cfg.Services[i].Name))    // resilience.go
		d.validateSidecar(&cfg.Services[i], sp.Elem(i, cfg.Services[i].Name))
	}

	wp := root.Child("workload")
	if len(cfg.Workloads) == 0 {
		d.Errorf(ErrMissing, wp, "add a [[workload]] table", "at least one workload is required")
	}
	firstAt = map[string]tomlpos.Path{}
	for i := range cfg.Workloads {
		w := &cfg.Workloads[i]
		p := wp.Elem(i, w.Name)
		d.checkName(w.Name, p, firstAt)
		d.validateWorkload(w, p, cfg.Sim.Duration, services, serviceNames)
		d.validateKeys(w, p)
		d.validateWrites(w, p, services) // database.go
		d.validateIdentity(cfg, w, p)    // identity.go
	}
	for i := range cfg.Services {
		d.validateSessionStore(cfg, &cfg.Services[i], sp.Elem(i, cfg.Services[i].Name))
	}
	d.validateKeyed(cfg, sp)

	pp := root.Child("node_pool")
	pools := map[string]bool{}
	var poolNames []string
	firstAt = map[string]tomlpos.Path{}
	for i := range cfg.NodePools {
		np := &cfg.NodePools[i]
		p := pp.Elem(i, np.Name)
		if d.checkName(np.Name, p, firstAt) {
			if services[np.Name] != nil {
				d.Errorf(ErrInvalid, p.Child("name"), "pool and service names share the timeseries column namespace", "%q is also a service's name", np.Name)
			}
			pools[np.Name] = true
			poolNames = append(poolNames, np.Name)
		}
		d.validateNodePool(np, p, cfg.Sim.Duration)
	}
	d.validateClusterAutoscaler(&cfg.ClusterAutoscaler, root.Child("cluster_autoscaler"))
	d.validateFaults(cfg, serviceNames)
	d.validatePoolRegions(cfg)
	d.validateNeighbours(cfg, poolNames) // neighbour.go
	for i := range cfg.Services {
		s := &cfg.Services[i]
		p := sp.Elem(i, s.Name).Child("node_pool")
		switch {
		case s.NodePool != "" && !pools[s.NodePool]:
			hint := tomlpos.DidYouMean(s.NodePool, poolNames)
			if hint == "" {
				hint = "define it in a [[node_pool]] table"
			}
			d.Errorf(ErrReference, p, hint, "no node pool named %q", s.NodePool)
		}
	}

	var workloadNames []string
	for _, w := range cfg.Workloads {
		workloadNames = append(workloadNames, w.Name)
	}
	metricPaths := append(assertion.Paths(serviceNames, workloadNames, poolNames), versionPaths(cfg)...)
	metricPaths = append(metricPaths, identityPaths(cfg)...)
	var columns []string // timeseries.csv columns, as models.Cluster names them
	for _, s := range serviceNames {
		for _, m := range models.ServiceColumns {
			columns = append(columns, s+"."+m)
		}
		for _, m := range models.BalancerColumns {
			columns = append(columns, s+"."+m)
		}
	}
	for _, np := range poolNames {
		for _, m := range models.NodePoolColumns {
			columns = append(columns, np+"."+m)
		}
	}
	columns = append(columns, versionColumns(cfg)...)
	columns = append(columns, identityColumns(cfg)...)
	d.validateDeploys(cfg, services, serviceNames)
	ap := root.Child("assert")
	for i := range cfg.Asserts {
		a := &cfg.Asserts[i]
		p := ap.Elem(i, a.Name)
		if d.IsSet(p) {
			a.Line = d.Line(p)
		}
		if !d.IsSet(p.Child("name")) || strings.TrimSpace(a.Name) == "" {
			d.Errorf(ErrMissing, p.Child("name"), "describe what is checked", "required")
		}
		d.noControl(a.Name, p.Child("name"))
		switch {
		case d.IsSet(p.Child("series")) && d.IsSet(p.Child("metric")):
			d.Errorf(ErrInvalid, p.Child("series"), "metric reads summary.json, series a timeseries.csv column: keep one", "series and metric are mutually exclusive")
		case d.IsSet(p.Child("series")):
			d.validateSeries(a, p, columns, cfg.Sim)
		default:
			for _, k := range []string{"from", "to", "agg"} {
				if d.IsSet(p.Child(k)) {
					d.Errorf(ErrInvalid, p.Child(k), `give series = "SERVICE.METRIC" to read a timeseries column`, "%s applies to a windowed assertion only", k)
				}
			}
			d.validateMetric(a.Metric, p.Child("metric"), metricPaths)
		}
		switch {
		case a.Min == nil && a.Max == nil && !d.Failed(p.Child("min")) && !d.Failed(p.Child("max")):
			d.Errorf(ErrMissing, p, "", "give min, max or both")
		case a.Min != nil && a.Max != nil && *a.Min > *a.Max:
			d.Errorf(ErrInvalid, d.Blame(p.Child("min"), p.Child("max")), "", "min %v is above max %v", *a.Min, *a.Max)
		}
	}
}

func (d *checker) validateSim(s *Sim, p tomlpos.Path) {
	if d.IsSet(p.Child("name")) && s.Name == "" {
		d.Errorf(ErrInvalid, p.Child("name"), "omit it to use the file name", "must not be empty")
	}
	d.noControl(s.Name, p.Child("name"))
	if !d.IsSet(p.Child("duration")) {
		d.Errorf(ErrMissing, p.Child("duration"), `for example duration = "10m"`, "required")
		return
	}
	if s.Duration <= 0 {
		d.Errorf(ErrInvalid, p.Child("duration"), "", "must be > 0")
		return
	}
	if s.Warmup >= s.Duration {
		d.Errorf(ErrInvalid, d.Blame(p.Child("warmup"), p.Child("duration")), "", "warmup %s must be shorter than duration %s", s.Warmup, s.Duration)
	}
	switch {
	case s.Window <= 0:
		d.Errorf(ErrInvalid, p.Child("window"), "", "must be > 0")
	case s.Window > s.Duration:
		d.Errorf(ErrInvalid, d.Blame(p.Child("window"), p.Child("duration")), "", "window %s is longer than duration %s", s.Window, s.Duration)
	case s.Warmup%s.Window != 0:
		// Summary figures are folded from whole windows, so warm-up must
		// end on a window boundary.
		lo := s.Warmup - s.Warmup%s.Window
		d.Errorf(ErrInvalid, d.Blame(p.Child("warmup"), p.Child("window")), fmt.Sprintf("use %s or %s", lo, lo+s.Window), "warmup %s is not a multiple of window %s", s.Warmup, s.Window)
	}
}

// checkName checks an entry's name: given, well-formed and unique among
// the entries seen (first). It reports whether the name is usable.
func (d *checker) checkName(name string, p tomlpos.Path, first map[string]tomlpos.Path) bool {
	np := p.Child("name")
	switch {
	case !d.IsSet(np):
		d.Errorf(ErrMissing, np, "", "required")
		return false
	case !tomlpos.ValidName(name):
		d.Errorf(ErrInvalid, np, "use letters, digits, '_' and '-'", "invalid name %q", name)
		return false
	}
	if q, dup := first[name]; dup {
		d.Errorf(ErrInvalid, np, fmt.Sprintf("first used at line %d", d.Line(q)), "duplicate name %q", name)
		return false
	}
	first[name] = np
	return true
}

func (d *checker) validateWorkload(w *Workload, p tomlpos.Path, simDuration Duration, services map[string]*Service, names []string) {
	tp := p.Child("target")
	var target *Service
	switch {
	case !d.IsSet(tp):
		d.Errorf(ErrMissing, tp, "name a [[service]]", "required")
	case services[w.Target] == nil:
		hint := tomlpos.DidYouMean(w.Target, names)
		if hint == "" && len(names) > 0 {
			hint = "services: " + tomlpos.QuoteList(names)
		}
		d.Errorf(ErrReference, tp, hint, "no service named %q", w.Target)
	default:
		target = services[w.Target]
	}

	rp := p.Child("rate")
	if w.Rate < 0 {
		d.Errorf(ErrInvalid, rp, "", "must be >= 0, got %v", w.Rate)
	}
	closed := d.validateClients(w, p, simDuration) // a closed loop has no rate, schedule or trace (clients.go)
	d.validateHedge(w, p, target)                  // resilience.go
	if d.validateMMPP(w, p, closed) {
		// rate, schedule and trace checked there
	} else if !closed && w.Arrival == ArrivalTrace {
		if d.IsSet(rp) || len(w.Schedule) > 0 {
			what := "rate"
			if !d.IsSet(rp) {
				what, rp = "schedule", p.Child("schedule")
			}
			d.Errorf(ErrInvalid, rp, "remove it, or use another arrival", "%s does not apply to arrival = \"trace\"", what)
		}
		if w.Trace == "" {
			d.Errorf(ErrMissing, p.Child("trace"), "the path of a file of arrival times, in seconds", "required with arrival = \"trace\"")
		}
	} else if !closed {
		if w.Trace != "" || d.IsSet(p.Child("trace")) {
			d.Errorf(ErrInvalid, p.Child("trace"), `set arrival = "trace"`, "trace needs arrival = \"trace\", not %q", w.Arrival)
		}
		if w.Rate == 0 && len(w.Schedule) == 0 {
			if d.IsSet(rp) {
				d.Errorf(ErrInvalid, rp, "give a rate > 0 or a schedule", "must be > 0")
			} else {
				d.Errorf(ErrMissing, rp, "requests per second, for example rate = 100", "required")
			}
		}
	}
	d.validateSchedule(w.Schedule, p.Child("schedule"), simDuration)
	d.validateProfile(w, p, closed) // shapes.go
	d.validateReplay(w, p)          // trace.go
	d.validateConnections(w, p)

	if w.ServiceTime != nil {
		d.validateDist(w.ServiceTime, p.Child("service_time"))
	} else if target != nil && target.ServiceTime == nil && !d.Failed(p.Child("service_time")) && !d.Failed(d.servicePaths[target.Name].Child("service_time")) {
		d.Errorf(ErrMissing, p.Child("service_time"), "give one here or on the service", "neither the workload nor service %q gives a service time", target.Name)
	}
	if d.IsSet(p.Child("timeout")) && w.Timeout <= 0 {
		d.Errorf(ErrInvalid, p.Child("timeout"), "omit it for no timeout", "must be > 0")
	}
}

func (d *checker) validateSchedule(sched []RatePoint, p tomlpos.Path, simDuration Duration) {
	for i, r := range sched {
		ep := p.Elem(i, "")
		for _, k := range []string{"at", "rate"} {
			if !d.IsSet(ep.Child(k)) {
				d.Errorf(ErrMissing, ep.Child(k), "", "required")
			}
		}
		if r.Rate < 0 {
			d.Errorf(ErrInvalid, ep.Child("rate"), "", "must be >= 0, got %v", r.Rate)
		}
		if simDuration > 0 && r.At >= simDuration {
			d.Errorf(ErrInvalid, ep.Child("at"), "", "at %s is not before the end of the run (%s)", r.At, simDuration)
		}
		if i > 0 && d.IsSet(ep.Child("at")) {
			prev := sched[i-1]
			if r.At <= prev.At {
				d.Errorf(ErrInvalid, ep.Child("at"), "", "at %s must be after the previous entry's %s", r.At, prev.At)
			} else if prev.At+prev.Ramp > r.At {
				d.Errorf(ErrInvalid, p.Elem(i-1, "").Child("ramp"), "", "ramp ends at %s, after the next entry starts (%s)", prev.At+prev.Ramp, r.At)
			}
		}
	}
}

func (d *checker) validateService(s *Service, p tomlpos.Path) {
	if s.Replicas < 0 {
		d.Errorf(ErrInvalid, p.Child("replicas"), "", "must be >= 0, got %d", s.Replicas)
	}
	if s.Concurrency < 1 {
		d.Errorf(ErrInvalid, p.Child("concurrency"), "requests served at once per instance", "must be >= 1, got %d", s.Concurrency)
	}
	if s.Queue != nil && *s.Queue < 0 {
		d.Errorf(ErrInvalid, p.Child("queue"), "omit it for an unbounded queue", "must be >= 0, got %d", *s.Queue)
	}
	if s.ServiceTime != nil {
		d.validateDist(s.ServiceTime, p.Child("service_time"))
	}
	wp := p.Child("warmup")
	if s.Warmup.Slowdown < 1 {
		d.Errorf(ErrInvalid, wp.Child("slowdown"), "1 means no slowdown", "must be >= 1, got %v", s.Warmup.Slowdown)
	} else if s.Warmup.Slowdown > 1 && s.Warmup.Duration == 0 {
		d.Errorf(ErrMissing, wp.Child("duration"), "how long the slowdown lasts", "required with slowdown > 1")
	}
	slp := p.Child("slow")
	if s.Slow.Instances < 0 {
		d.Errorf(ErrInvalid, slp.Child("instances"), "", "must be >= 0, got %d", s.Slow.Instances)
	}
	if s.Slow.Factor < 1 {
		d.Errorf(ErrInvalid, slp.Child("factor"), "1 means not slow", "must be >= 1, got %v", s.Slow.Factor)
	}
	d.validateServiceConns(s, p)
	d.validateHealth(s, p)
	d.validateBalancer(&s.Balancer, p.Child("balancer"))
	if s.Autoscaler != nil {
		n := d.Count()
		d.validateAutoscaler(s.Autoscaler, p.Child("autoscaler"))
		d.validateCPUTarget(s, p.Child("autoscaler").Child("target"))
		if d.Count() == n {
			d.checkAutoscalerBuild(s, p.Child("autoscaler"))
		}
	}
	if s.CostPerHour < 0 {
		d.Errorf(ErrInvalid, p.Child("cost_per_hour"), "USD per instance-hour", "must be >= 0, got %v", s.CostPerHour)
	}
	if s.ImagePull != nil {
		d.validateDist(s.ImagePull, p.Child("image_pull"))
	}
	if s.ProcessStart != nil {
		d.validateDist(s.ProcessStart, p.Child("process_start"))
		if s.Startup > 0 {
			d.Errorf(ErrInvalid, p.Child("process_start"), "startup is a constant shorthand for process_start", "give startup or process_start, not both")
		}
	}
	rp := p.Child("readiness")
	if s.Readiness.Period < 0 {
		d.Errorf(ErrInvalid, rp.Child("period"), "", "must be >= 0")
	}
	if s.Readiness.SuccessThreshold < 1 {
		d.Errorf(ErrInvalid, rp.Child("success_threshold"), "", "must be >= 1, got %d", s.Readiness.SuccessThreshold)
	}
	if s.Readiness.FailureThreshold < 1 {
		d.Errorf(ErrInvalid, rp.Child("failure_threshold"), "", "must be >= 1, got %d", s.Readiness.FailureThreshold)
	}
	if s.CPU < 0 {
		d.Errorf(ErrInvalid, p.Child("cpu"), "cores requested per instance", "must be >= 0, got %v", s.CPU)
	}
	if s.CPULimit < 0 || (s.CPULimit > 0 && s.CPULimit < s.CPU) {
		d.Errorf(ErrInvalid, d.Blame(p.Child("cpu_limit"), p.Child("cpu")), "cores an instance may use", "must be >= cpu (%v), as Kubernetes requires of a limit; got %v", s.CPU, s.CPULimit)
	}
	if s.Memory < 0 {
		d.Errorf(ErrInvalid, p.Child("memory"), "GiB requested per instance", "must be >= 0, got %v", s.Memory)
	}
	d.validatePlatform(s, p)
	d.validatePricing(s, p)
}

func (d *checker) validateAutoscaler(a *Autoscaler, p tomlpos.Path) {
	if a.Kind == "" {
		d.Errorf(ErrMissing, p.Child("kind"), "one of "+tomlpos.QuoteList(enums[reflect.TypeFor[AutoscalerKind]()]), "required")
	}
	if d.IsSet(p.Child("target")) && a.Target <= 0 {
		d.Errorf(ErrInvalid, p.Child("target"), "", "must be > 0, got %v", a.Target)
	}
	d.nonNegative(a.Min, p.Child("min"))
	d.nonNegative(a.Max, p.Child("max"))
	if a.Min != nil && a.Max != nil && *a.Min > *a.Max {
		d.Errorf(ErrInvalid, d.Blame(p.Child("min"), p.Child("max")), "", "min %d is above max %d", *a.Min, *a.Max)
	}
	if a.Tolerance != nil && *a.Tolerance < 0 {
		d.Errorf(ErrInvalid, p.Child("tolerance"), "", "must be >= 0, got %v", *a.Tolerance)
	}
	if a.Headroom < 0 {
		d.Errorf(ErrInvalid, p.Child("headroom"), "", "must be >= 0, got %v", a.Headroom)
	}
	if a.Behavior != nil {
		bp := p.Child("behavior")
		d.validateRules(a.Behavior.ScaleUp, bp.Child("scale_up"))
		d.validateRules(a.Behavior.ScaleDown, bp.Child("scale_down"))
	}
	d.validateAlarm(a, p)
	for i, st := range a.Steps {
		if st.Lower != nil && st.Upper != nil && *st.Lower >= *st.Upper {
			d.Errorf(ErrInvalid, d.Blame(p.Child("steps").Elem(i, "").Child("lower"), p.Child("steps").Elem(i, "").Child("upper")), "", "lower %v must be below upper %v", *st.Lower, *st.Upper)
		}
	}
	for i, sc := range a.Schedule {
		ep := p.Child("schedule").Elem(i, "")
		if !d.IsSet(ep.Child("at")) {
			d.Errorf(ErrMissing, ep.Child("at"), "", "required")
		}
		if i > 0 && sc.At <= a.Schedule[i-1].At {
			d.Errorf(ErrInvalid, ep.Child("at"), "", "at %s must be after the previous entry's %s", sc.At, a.Schedule[i-1].At)
		}
		d.nonNegative(sc.Min, ep.Child("min"))
		d.nonNegative(sc.Max, ep.Child("max"))
		d.nonNegative(sc.Desired, ep.Child("desired"))
		if sc.Min != nil && sc.Max != nil && *sc.Min > *sc.Max {
			d.Errorf(ErrInvalid, d.Blame(ep.Child("min"), ep.Child("max")), "", "min %d is above max %d", *sc.Min, *sc.Max)
		}
	}
	if a.Kind == AutoscalerPredictive && a.Period > 0 {
		if slots := int64(a.Period)/int64(predictiveStep) + 1; slots > maxPredictiveSlots {
			d.Errorf(ErrInvalid, p.Child("period"), "a seasonality such as \"24h\" or \"7d\"",
				"period %s needs %d history slots of %s, more than %d (%s)", a.Period, slots, predictiveStep,
				maxPredictiveSlots, Duration(maxPredictiveSlots-1)*predictiveStep)
		}
	}
	if a.Kind == AutoscalerExternal && len(a.Command) == 0 {
		d.Errorf(ErrMissing, p.Child("command"), `for example command = ["./my-policy", "--flag"]`, "required with kind = \"external\"")
	}
	for i, c := range a.Command {
		if c == "" {
			d.Errorf(ErrInvalid, p.Child("command").Elem(i, ""), "", "must not be empty")
		}
	}
}

// validateCPUTarget rejects a cpu target above 1, almost always a percent
// written for a fraction (60 for 0.6), unless the service may burst past
// its request (cpu_limit > cpu), when utilisation reaches cpu_limit / cpu
// and a target up to that is allowed, as Kubernetes allows
// averageUtilization above 100.
func (d *checker) validateCPUTarget(s *Service, p tomlpos.Path) {
	a := s.Autoscaler
	if (a.Metric != "" && a.Metric != MetricCPU) || a.Kind == AutoscalerExternal || !d.IsSet(p) || a.Target <= 1 {
		return
	}
	ceiling := 1.0
	if s.CPU > 0 && s.CPULimit > s.CPU {
		ceiling = s.CPULimit / s.CPU
	}
	switch {
	case ceiling == 1:
		d.Errorf(ErrInvalid, p, "cpu targets are fractions: 0.6 for 60%", "cpu utilisation is at most 1 without a cpu_limit above cpu; got %v", a.Target)
	case a.Target > ceiling:
		d.Errorf(ErrInvalid, p, "cpu targets are fractions: 0.6 for 60%", "cpu utilisation is at most cpu_limit / cpu = %v; got %v", ceiling, a.Target)
	}
}

// noControl rejects control characters (and bytes that are not UTF-8) in
// a free-text value printed on terminals, such as an escape sequence that
// clears the screen.
func (d *checker) noControl(s string, p tomlpos.Path) {
	if tomlpos.HasControl(s) {
		d.Errorf(ErrInvalid, p, "names are printed on terminals", "must not contain control characters, got %q", s)
	}
}

func (d *checker) validateRules(r *ScalingRules, p tomlpos.Path) {
	if r == nil {
		return
	}
	for i, pol := range r.Policies {
		ep := p.Child("policies").Elem(i, "")
		if pol.Type == "" {
			d.Errorf(ErrMissing, ep.Child("type"), `"Pods" or "Percent"`, "required")
		}
		if pol.Value <= 0 {
			d.Errorf(ErrInvalid, ep.Child("value"), "", "must be > 0, got %d", pol.Value)
		}
		if pol.Period <= 0 {
			d.Errorf(ErrInvalid, ep.Child("period"), `for example period = "15s"`, "must be > 0")
		}
	}
}

func (d *checker) nonNegative(n *int, p tomlpos.Path) {
	if n != nil && *n < 0 {
		d.Errorf(ErrInvalid, p, "", "must be >= 0, got %d", *n)
	}
}

// validateSeries checks a windowed assertion: a known column, an
// aggregate, and a range inside the run.
func (d *checker) validateSeries(a *Assert, p tomlpos.Path, columns []string, sim Sim) {
	if !slices.Contains(columns, a.Series) {
		hint := tomlpos.DidYouMean(a.Series, columns)
		if hint == "" {
			hint = `a timeseries.csv column such as "SERVICE.p99_ms"`
		}
		d.Errorf(ErrReference, p.Child("series"), hint, "timeseries.csv has no column %q", a.Series)
	}
	if !d.IsSet(p.Child("agg")) { // its values are checked as an enum
		d.Errorf(ErrMissing, p.Child("agg"), strings.Join(aggNames(), " | "), "required with series")
	}
	from, to := sim.Warmup, sim.Duration
	if a.From != nil {
		from = *a.From
		if from < 0 || from >= sim.Duration {
			d.Errorf(ErrInvalid, p.Child("from"), "", "from %s is outside the run (duration %s)", from, sim.Duration)
		}
	}
	if a.To != nil {
		to = *a.To
		if to <= 0 || to > sim.Duration {
			d.Errorf(ErrInvalid, p.Child("to"), "", "to %s is outside the run (duration %s)", to, sim.Duration)
		}
	}
	if from >= to {
		d.Errorf(ErrInvalid, d.Blame(p.Child("to"), p.Child("from")), "", "to %s must be after from %s", to, from)
	}
}

// validateMetric checks that m names a number in summary.json.
func (d *checker) validateMetric(m string, p tomlpos.Path, paths []string) {
	if !d.IsSet(p) || m == "" {
		d.Errorf(ErrMissing, p, `a summary.json path such as "latency_ms.p99"`, "required")
		return
	}
	for _, part := range strings.Split(m, ".") {
		if part == "" || strings.ContainsAny(part, " \t\"'") {
			d.Errorf(ErrInvalid, p, `a summary.json path such as "latency_ms.p99"`, "invalid metric path %q", m)
			return
		}
	}
	if !slices.Contains(paths, m) {
		hint := tomlpos.DidYouMean(m, paths)
		if hint == "" {
			hint = `a number in summary.json, such as "latency_ms.p99" or "services.NAME.replicas.max"`
		}
		d.Errorf(ErrReference, p, hint, "summary.json has no number at %q", m)
	}
}

func (d *checker) validateNodePool(np *NodePool, p tomlpos.Path, simDuration Duration) {
	if np.CPU <= 0 {
		d.Errorf(ErrInvalid, p.Child("cpu"), "allocatable cores per node", "must be > 0, got %v", np.CPU)
	}
	if np.Memory <= 0 {
		d.Errorf(ErrInvalid, p.Child("memory"), "allocatable GiB per node", "must be > 0, got %v", np.Memory)
	}
	d.nonNegative(np.Nodes, p.Child("nodes"))
	d.nonNegative(np.Min, p.Child("min"))
	d.nonNegative(np.Max, p.Child("max"))
	nodes, lo, hi := np.counts()
	if lo > hi {
		d.Errorf(ErrInvalid, d.Blame(p.Child("min"), p.Child("max")), "", "min %d is above max %d", lo, hi)
	} else if nodes < lo || nodes > hi {
		d.Errorf(ErrInvalid, d.Blame(p.Child("nodes"), p.Child("min"), p.Child("max")), "", "nodes %d is outside [min %d, max %d]", nodes, lo, hi)
	}
	if np.Provision != nil {
		d.validateDist(np.Provision, p.Child("provision"))
	}
	if np.ScaleDownUtilization < 0 || np.ScaleDownUtilization > 1 {
		d.Errorf(ErrInvalid, p.Child("scale_down_utilization"), "a fraction of a node's CPU", "must be in [0, 1], got %v", np.ScaleDownUtilization)
	}
	if np.CostPerHour < 0 {
		d.Errorf(ErrInvalid, p.Child("cost_per_hour"), "USD per node-hour", "must be >= 0, got %v", np.CostPerHour)
	}
	for i, f := range np.Failures {
		ep := p.Child("failures").Elem(i, "")
		if !d.IsSet(ep.Child("at")) {
			d.Errorf(ErrMissing, ep.Child("at"), "", "required")
		} else if simDuration > 0 && f.At >= simDuration {
			d.Errorf(ErrInvalid, ep.Child("at"), "", "at %s is not before the end of the run (%s)", f.At, simDuration)
		}
		if f.Count < 1 {
			d.Errorf(ErrInvalid, ep.Child("count"), "", "must be >= 1, got %d", f.Count)
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

func (d *checker) validateDist(x *Dist, p tomlpos.Path) {
	if x.Dist == "" {
		d.Errorf(ErrMissing, p.Child("dist"), "one of "+tomlpos.QuoteList(enums[reflect.TypeFor[DistKind]()]), "required")
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
			d.Errorf(ErrInvalid, p.Child(k), want, "%s does not apply here", k)
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
		d.Errorf(ErrMissing, p, want, "%s needs %s", x.Dist, strings.Join(missing, " and "))
		return
	}
	if !ok {
		return
	}
	// The values.
	pos := func(k string, v float64) {
		if !(v > 0) {
			d.Errorf(ErrInvalid, p.Child(k), "", "must be > 0, got %v", v)
		}
	}
	switch x.Dist {
	case DistExponential, DistGamma, DistErlang:
		if x.Mean != nil && *x.Mean == 0 {
			d.Errorf(ErrInvalid, p.Child("mean"), "", "must be > 0")
		}
		if x.Shape != nil {
			pos("shape", *x.Shape)
		}
		if x.K != nil && *x.K < 1 {
			d.Errorf(ErrInvalid, p.Child("k"), "the number of phases", "must be >= 1, got %d", *x.K)
		}
	case DistLognormal:
		if x.Sigma != nil {
			pos("sigma", *x.Sigma)
			break
		}
		if *x.P99 <= *x.Mean {
			d.Errorf(ErrInvalid, p.Child("p99"), "", "p99 %s must be above mean %s", *x.P99, *x.Mean)
		} else if _, _, err := dist.LogNormalFromMeanP99(x.Mean.Seconds(), x.P99.Seconds()); err != nil {
			d.Errorf(ErrInvalid, p.Child("p99"), "for heavier tails use pareto", "%v", err)
		}
	case DistPareto:
		pos("alpha", *x.Alpha)
		if x.Xm != nil && *x.Xm == 0 {
			d.Errorf(ErrInvalid, p.Child("xm"), "the minimum value", "must be > 0")
		}
		if x.Mean != nil {
			if *x.Mean == 0 {
				d.Errorf(ErrInvalid, p.Child("mean"), "", "must be > 0")
			}
			if *x.Alpha <= 1 {
				d.Errorf(ErrInvalid, p.Child("alpha"), "give xm instead of mean for alpha <= 1", "a pareto with alpha %v has no finite mean", *x.Alpha)
			}
		}
	case DistUniform:
		if *x.Min >= *x.Max {
			d.Errorf(ErrInvalid, p.Child("max"), "", "max %s must be above min %s", *x.Max, *x.Min)
		}
	}
}

func (d *checker) validateClusterAutoscaler(ca *ClusterAutoscaler, p tomlpos.Path) {
	if ca.ScanInterval <= 0 {
		d.Errorf(ErrInvalid, p.Child("scan_interval"), "", "must be > 0")
	}
	if ca.ScaleDownDelayAfterAdd < 0 {
		d.Errorf(ErrInvalid, p.Child("scale_down_delay_after_add"), "", "must be >= 0")
	}
	if ca.MaxEmptyBulkDelete < 1 {
		d.Errorf(ErrInvalid, p.Child("max_empty_bulk_delete"), "empty nodes deleted per scan", "must be >= 1, got %d", ca.MaxEmptyBulkDelete)
	}
}

// validateAlarm checks the CloudWatch alarm keys of the AWS kinds:
// PutMetricAlarm's Period (10, 20, 30 or a multiple of 60 seconds; target
// tracking at most 60), 1 <= DatapointsToAlarm <= EvaluationPeriods, and
// at most one day of evaluation range.
func (d *checker) validateAlarm(a *Autoscaler, p tomlpos.Path) {
	pp, ep, dp := p.Child("alarm_period"), p.Child("evaluation_periods"), p.Child("datapoints_to_alarm")
	if d.IsSet(pp) {
		per := a.AlarmPeriod
		switch {
		case a.Kind != AutoscalerTargetTracking && a.Kind != AutoscalerStep:
			d.Errorf(ErrInvalid, pp, "", `only with kind = "target_tracking" or "step"`)
		case per != 10*Second && per != 20*Second && per != 30*Second && (per <= 0 || per%Minute != 0):
			d.Errorf(ErrInvalid, pp, `for example alarm_period = "1m"`, "must be 10s, 20s, 30s or a multiple of 60s (CloudWatch alarm periods), got %s", a.AlarmPeriod)
		case a.Kind == AutoscalerTargetTracking && per > Minute:
			d.Errorf(ErrInvalid, pp, "", "target tracking supports alarm periods up to 60s, got %s", a.AlarmPeriod)
		}
	}
	if a.Kind != AutoscalerStep {
		for _, k := range []tomlpos.Path{ep, dp} {
			if d.IsSet(k) {
				d.Errorf(ErrInvalid, k, "", `only with kind = "step"; target tracking's alarms are AWS's (3 datapoints to scale out, 15 to scale in)`)
			}
		}
		return
	}
	n := 1
	if d.IsSet(ep) {
		n = a.EvaluationPeriods
		period := a.AlarmPeriod
		if period <= 0 {
			period = Minute
		}
		if n < 1 || int64(n) > int64(Day/period) {
			d.Errorf(ErrInvalid, ep, "", "must be >= 1 with evaluation_periods × alarm_period at most 24h, got %d", n)
			return
		}
	}
	if d.IsSet(dp) && (a.DatapointsToAlarm < 1 || a.DatapointsToAlarm > n) {
		d.Errorf(ErrInvalid, dp, "", "must be between 1 and evaluation_periods (%d), got %d", n, a.DatapointsToAlarm)
	}
}
