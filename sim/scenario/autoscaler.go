package scenario

import (
	"fmt"
	"io"
	"math"
	"path/filepath"
	"strings"
	"time"

	"github.com/clustersim/clustersim/sim/engine"
	"github.com/clustersim/clustersim/sim/models"
	"github.com/clustersim/clustersim/sim/policies/autoscale"
	"github.com/clustersim/clustersim/sim/policies/external"
	"github.com/clustersim/clustersim/sim/tomlpos"
)

// Metrics-pipeline defaults: Kubernetes' metrics-server collects every 15 s
// (--metric-resolution) and the HPA controller syncs every 15 s
// (--horizontal-pod-autoscaler-sync-period).
const (
	defaultResolution = 15 * engine.Second
	defaultSyncPeriod = 15 * engine.Second
)

// buildAutoscaler turns a service's [service.autoscaler] table into the
// models' autoscaler: a policy from sim/policies/autoscale and the metrics
// pipeline that feeds it.
func buildAutoscaler(c *Config, s Service) (*models.AutoscalerSpec, error) {
	a := s.Autoscaler
	metric := autoscale.MetricKind(a.Metric)
	if metric == "" {
		metric = autoscale.MetricCPU
	}
	minR, maxR := s.Replicas, s.Replicas
	if a.Min != nil {
		minR = *a.Min
	}
	if a.Max != nil {
		maxR = *a.Max
	}
	sync := engine.Duration(a.SyncPeriod)
	if sync <= 0 {
		sync = defaultSyncPeriod
	}
	var (
		policy autoscale.Policy
		err    error
	)
	switch a.Kind {
	case AutoscalerHPA:
		policy, err = buildHPA(a, metric, minR, maxR, sync)
	case AutoscalerTargetTracking:
		cfg := autoscale.DefaultTargetTrackingConfig()
		cfg.Metric, cfg.Target, cfg.Min, cfg.Max = metric, a.Target, minR, maxR
		if a.Cooldown > 0 {
			cfg.ScaleOutCooldown, cfg.ScaleInCooldown = engine.Duration(a.Cooldown), engine.Duration(a.Cooldown)
		}
		cfg.Warmup = engine.Duration(s.Warmup.Duration)
		if a.AlarmPeriod > 0 {
			cfg.AlarmPeriod = engine.Duration(a.AlarmPeriod)
		}
		policy, err = autoscale.NewTargetTracking(cfg)
	case AutoscalerStep:
		policy, err = buildStep(a, metric, minR, maxR)
	case AutoscalerScheduled:
		policy, err = nil, nil // the schedule alone, below
	case AutoscalerPredictive:
		var inner autoscale.Policy
		if inner, err = buildHPA(a, metric, minR, maxR, sync); err != nil {
			break
		}
		cfg := autoscale.DefaultPredictiveConfig()
		cfg.Metric, cfg.Target, cfg.Min, cfg.Max = metric, a.Target, minR, maxR
		if a.Headroom > 0 {
			cfg.Headroom = a.Headroom
		}
		if a.Period > 0 {
			cfg.Period = engine.Duration(a.Period)
		}
		if a.Lead > 0 {
			cfg.Lead = engine.Duration(a.Lead)
		}
		cfg.Step = sync
		policy, err = autoscale.NewPredictive(cfg, inner)
	case AutoscalerExternal:
		policy, err = external.New(external.Config{
			Name:    "external",
			Command: a.Command,
			Dir:     filepath.Dir(c.File),
			Timeout: time.Duration(a.Timeout),
			Min:     minR, Max: maxR,
			Metric:  string(metric),
			Target:  a.Target,
			Service: s.Name,
		})
	default:
		return nil, fmt.Errorf("unknown autoscaler kind %q", a.Kind)
	}
	if err != nil {
		return nil, err
	}
	if len(a.Schedule) > 0 || a.Kind == AutoscalerScheduled {
		var actions []autoscale.ScheduledAction
		lo, hi := minR, maxR
		for _, e := range a.Schedule {
			if e.Min != nil {
				lo = *e.Min
			}
			if e.Max != nil {
				hi = *e.Max
			}
			act := autoscale.ScheduledAction{At: engine.Time(e.At), Min: lo, Max: hi}
			if e.Desired != nil {
				act.Desired, act.HasDesired = *e.Desired, true
			}
			actions = append(actions, act)
		}
		if len(actions) == 0 || actions[0].At > 0 {
			actions = append([]autoscale.ScheduledAction{{At: 0, Min: minR, Max: maxR}}, actions...)
		}
		if policy, err = autoscale.NewScheduled(actions, policy); err != nil {
			return nil, err
		}
	}
	res := engine.Duration(a.MetricsResolution)
	if res <= 0 {
		res = defaultResolution
	}
	return &models.AutoscalerSpec{
		Policy:      policy,
		Metric:      metric,
		SyncPeriod:  sync,
		Resolution:  res,
		MetricDelay: engine.Duration(a.MetricDelay),
	}, nil
}

func buildHPA(a *Autoscaler, metric autoscale.MetricKind, minR, maxR int, sync engine.Duration) (autoscale.Policy, error) {
	cfg := autoscale.DefaultHPAConfig()
	cfg.Metric, cfg.Min, cfg.Max, cfg.SyncPeriod = metric, minR, maxR, sync
	if a.Target > 0 {
		cfg.Target = a.Target
	}
	if a.Tolerance != nil {
		cfg.Tolerance = *a.Tolerance
	}
	// Kubernetes takes its legacy normalisation path when spec.behavior is
	// absent (horizontal.go: normalizeDesiredReplicas), the behaviour path
	// when it is given, with unset fields defaulted.
	if a.Behavior == nil {
		cfg.Legacy = true
	} else {
		cfg.Behavior.ScaleUp = rules(a.Behavior.ScaleUp)
		cfg.Behavior.ScaleDown = rules(a.Behavior.ScaleDown)
	}
	return autoscale.NewHPA(cfg)
}

func rules(r *ScalingRules) *autoscale.ScalingRules {
	if r == nil {
		return nil
	}
	out := &autoscale.ScalingRules{SelectPolicy: autoscale.SelectPolicy(r.SelectPolicy)}
	if r.StabilizationWindow != nil {
		w := engine.Duration(*r.StabilizationWindow)
		out.StabilizationWindow = &w
	}
	for _, p := range r.Policies {
		out.Policies = append(out.Policies, autoscale.ScalingPolicy{
			Type: autoscale.PolicyType(p.Type), Value: p.Value, Period: engine.Duration(p.Period),
		})
	}
	return out
}

// buildStep makes AWS-style step scaling: steps with a positive
// adjustment form the scale-out alarm (metric >= target), the others the
// scale-in alarm (metric < target); bounds are relative to the target.
// Both alarms share alarm_period, evaluation_periods and
// datapoints_to_alarm.
func buildStep(a *Autoscaler, metric autoscale.MetricKind, minR, maxR int) (autoscale.Policy, error) {
	var out, in []autoscale.StepAdjustment
	for _, st := range a.Steps {
		adj := autoscale.StepAdjustment{Lower: math.Inf(-1), Upper: math.Inf(1), Adjustment: st.Adjust}
		if st.Lower != nil {
			adj.Lower = *st.Lower
		}
		if st.Upper != nil {
			adj.Upper = *st.Upper
		}
		if st.Adjust > 0 {
			out = append(out, adj)
		} else {
			in = append(in, adj)
		}
	}
	cfg := autoscale.StepScalingConfig{Metric: metric, Min: minR, Max: maxR}
	policy := func(c autoscale.Comparison, steps []autoscale.StepAdjustment) *autoscale.StepPolicy {
		p := autoscale.DefaultStepPolicy(a.Target, c, steps...)
		if a.Cooldown > 0 {
			p.Cooldown = engine.Duration(a.Cooldown)
		}
		if a.AlarmPeriod > 0 {
			p.AlarmPeriod = engine.Duration(a.AlarmPeriod)
		}
		if a.EvaluationPeriods > 0 {
			p.EvaluationPeriods = a.EvaluationPeriods
		}
		p.DatapointsToAlarm = a.DatapointsToAlarm // 0: all of EvaluationPeriods
		return &p
	}
	if len(out) > 0 {
		cfg.ScaleOut = policy(autoscale.GreaterThanOrEqual, out)
	}
	if len(in) > 0 {
		cfg.ScaleIn = policy(autoscale.LessThan, in)
	}
	return autoscale.NewStepScaling(cfg)
}

// Close releases every autoscaler of a built scenario that holds outside
// resources, such as an external policy's process. Call it when the run
// is over, whether it succeeded or not.
func Close(mc models.Config) error {
	var first error
	for _, s := range mc.Services {
		if s.Autoscaler == nil {
			continue
		}
		if c, ok := s.Autoscaler.Policy.(io.Closer); ok {
			if err := c.Close(); err != nil && first == nil {
				first = fmt.Errorf("service %s: %w", s.Name, err)
			}
		}
	}
	return first
}

// UsePolicy makes a Go policy of your own autoscale the named service of
// a built scenario, observing metric, with the HPA's 15 s sync and
// metrics resolution. It is how a program embedding clustersim plugs in a
// policy without forking the simulator; the policy sees exactly what
// built-in ones see.
func UsePolicy(mc *models.Config, service string, p autoscale.Policy, metric autoscale.MetricKind) error {
	for i := range mc.Services {
		if mc.Services[i].Name == service {
			mc.Services[i].Autoscaler = &models.AutoscalerSpec{
				Policy:     p,
				Metric:     metric,
				SyncPeriod: defaultSyncPeriod,
				Resolution: defaultResolution,
			}
			return nil
		}
	}
	return fmt.Errorf("scenario: no service named %q", service)
}

// checkAutoscalerBuild builds the policy of service s's autoscaler, at p,
// as Build will, and records the policy package's objection, if any, at
// p's file:line:col: with the other validation errors, for every service,
// rather than from Build once everything else is fixed and for the first
// service only (issue 11). An external policy is left to Build: building
// it looks its command up on this machine's PATH, which is not a property
// of the file.
func (d *checker) checkAutoscalerBuild(s *Service, p tomlpos.Path) {
	a := s.Autoscaler
	if a.Kind == AutoscalerNone || a.Kind == AutoscalerExternal || d.Failed(p) {
		return
	}
	if _, err := buildAutoscaler(&Config{}, *s); err != nil {
		msg := strings.TrimPrefix(err.Error(), autoscale.ErrConfig.Error()+": ")
		d.Errorf(ErrInvalid, p, "", "%s", msg)
	}
}
