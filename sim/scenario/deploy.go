package scenario

import (
	"fmt"
	"slices"
	"strings"

	"github.com/clustersim/clustersim/sim/assertion"
	"github.com/clustersim/clustersim/sim/results"

	"github.com/clustersim/clustersim/sim/engine"
	"github.com/clustersim/clustersim/sim/models"
	"github.com/clustersim/clustersim/sim/policies/deploy"
	"github.com/clustersim/clustersim/sim/tomlpos"
)

// Version is one entry of a service's versions: a build of its code with
// its own service time and error rate. The first entry is what runs at
// the start; [[deploy]] entries move the service to another.
type Version struct {
	// Name identifies the version within its service; required, unique,
	// [A-Za-z0-9_-]+. Timeseries columns are SERVICE@NAME.METRIC.
	Name string `toml:"name"`
	// ServiceTime replaces the workload's service time for requests this
	// version serves; optional (omitted: the workload's).
	ServiceTime *Dist `toml:"service_time,omitempty"`
	// AddedLatency is added to every service time on this version (a
	// slower code path), nanoseconds; default 0.
	AddedLatency Duration `toml:"added_latency,omitzero"`
	// ErrorRate is the probability, 0 to 1, that a request this version
	// serves is answered with an error at once (counted as failed);
	// default 0.
	ErrorRate float64 `toml:"error_rate,omitzero"`
	// NeverReady makes the version's instances start but never pass
	// their readiness probe (a broken start-up); default false.
	NeverReady bool `toml:"never_ready,omitzero"`
	// CrashAfter crashes each of the version's instances after it has
	// been ready this long, nanoseconds; the fleet replaces it with the
	// same version, which crashes again: a crash loop. Default 0: never;
	// at most 1000h.
	CrashAfter Duration `toml:"crash_after,omitzero"`
	// Leak is a memory leak: { rate, limit }; nil (omitted) for none.
	Leak *Leak `toml:"leak,omitempty"`
}

// Leak is a version's memory leak: an instance's service times are
// multiplied by 1 + rate × its uptime in hours (garbage collection and
// swapping as the heap grows) until the factor reaches limit, when it is
// OOM-killed and replaced like a crashed pod.
type Leak struct {
	// Rate is the growth of the service-time factor per hour of uptime;
	// required, > 0, at most 1,000,000.
	Rate float64 `toml:"rate"`
	// Limit is the factor at which the instance is OOM-killed; default 0:
	// never (it only slows down); else > 1, at most 1,000,000.
	Limit float64 `toml:"limit,omitzero"`
}

// Strategy names a deployment strategy.
type Strategy string

// Deployment strategies.
const (
	StrategyRolling   Strategy = "rolling"
	StrategyBlueGreen Strategy = "blue_green"
	StrategyCanary    Strategy = "canary"
	StrategyAB        Strategy = "ab"
	StrategyShadow    Strategy = "shadow"
)

var strategies = []string{"rolling", "blue_green", "canary", "ab", "shadow"}

// IntOrPercent is an integer (3) or a percentage string ("25%"), like
// Kubernetes' maxSurge and maxUnavailable.
type IntOrPercent = tomlpos.IntOrString

// Deploy is one [[deploy]] entry: at At, move Service to Version by
// Strategy.
type Deploy struct {
	// Service names the [[service]] deployed; required, and it must
	// declare versions.
	Service string `toml:"service"`
	// At is when the deploy starts, nanoseconds from the start; required,
	// < sim.duration. Deploys of one service must be in time order; one
	// still running when the next starts is superseded.
	At Duration `toml:"at"`
	// Version names the version deployed, one of the service's versions;
	// required.
	Version string `toml:"version"`
	// Strategy is how: "rolling" (default), "blue_green", "canary", "ab"
	// or "shadow".
	Strategy Strategy `toml:"strategy"`
	// MaxSurge is Kubernetes' maxSurge (rolling): instances allowed above
	// the replicas, an integer or a percentage rounded up; default "25%".
	MaxSurge IntOrPercent `toml:"max_surge"`
	// MaxUnavailable is Kubernetes' maxUnavailable (rolling): instances
	// allowed below the replicas, an integer or a percentage rounded
	// down; default "25%". Not 0 when max_surge is 0.
	MaxUnavailable IntOrPercent `toml:"max_unavailable"`
	// MinReady is Kubernetes' minReadySeconds: an instance counts as
	// available once ready this long, nanoseconds; default 0.
	MinReady Duration `toml:"min_ready,omitzero"`
	// ProgressDeadline is Kubernetes' progressDeadlineSeconds: without
	// progress (an instance added, removed or newly available) for this
	// long the deploy fails, nanoseconds; default "10m"; "0s" for never.
	ProgressDeadline Duration `toml:"progress_deadline"`
	// Rollback rolls a rolling deploy that failed its progress deadline
	// back to the old version; default false (Kubernetes leaves it).
	Rollback bool `toml:"rollback,omitzero"`
	// Steps are the canary, A/B and shadow steps: { weight, pause }, the
	// percent of traffic on (mirrored to, for shadow) the new version and
	// how long the step runs before the analysis; required for those
	// strategies.
	Steps []DeployStep `toml:"steps,omitempty"`
	// RollbackWindow is how long blue/green keeps the blue fleet after the
	// switch, nanoseconds; default "10m".
	RollbackWindow Duration `toml:"rollback_window"`
	// Analysis configures the judge comparing the new version with the
	// old (canary, A/B, shadow and blue/green).
	Analysis Analysis `toml:"analysis"`
	// SLO is the latency above which a success of the new version counts
	// in the blast radius, nanoseconds; default 0 (errors only).
	SLO Duration `toml:"slo,omitzero"`
}

// DeployStep is one step of a canary, A/B or shadow deploy.
type DeployStep struct {
	// Weight is the percent of traffic on the new version (mirrored to
	// it, for shadow), > 0 and <= 100; required.
	Weight float64 `toml:"weight"`
	// Pause is how long the step runs before the judge's verdict,
	// nanoseconds; required, > 0.
	Pause Duration `toml:"pause"`
}

// Analysis is the canary judge (in the style of Kayenta): error rate and
// p99 latency of the new version against the old, each Pass or High,
// scored 0-100 as the share passing.
type Analysis struct {
	// Threshold is the passing score, 0-100; default 95.
	Threshold float64 `toml:"threshold"`
	// ErrorZ is the one-sided two-proportion z above which the new
	// version's error rate is High; default 2.326 (1% false alarms).
	ErrorZ float64 `toml:"error_z"`
	// LatencyRatio is the p99 ratio (new / old) above which latency is
	// High; default 1.2.
	LatencyRatio float64 `toml:"latency_ratio"`
	// MinRequests is the fewest requests of the new version a metric
	// needs to be judged; default 50.
	MinRequests int `toml:"min_requests"`
	// Interval is how often blue/green judges green during the rollback
	// window, nanoseconds; default "1m"; "0s" judges once, at its end.
	Interval Duration `toml:"interval"`
}

// DefaultDeploy returns a [[deploy]] entry's defaults.
func DefaultDeploy() Deploy {
	j := deploy.DefaultJudge()
	return Deploy{
		Strategy: StrategyRolling, MaxSurge: "25%", MaxUnavailable: "25%",
		ProgressDeadline: 10 * Minute, RollbackWindow: 10 * Minute,
		Analysis: Analysis{Threshold: j.Threshold, ErrorZ: j.ErrorZ, LatencyRatio: j.LatencyRatio, MinRequests: int(j.MinRequests), Interval: Minute},
	}
}

// validateVersions checks a service's versions.
func (d *checker) validateVersions(s *Service, p tomlpos.Path) {
	if len(s.Versions) > 256 {
		d.Errorf(ErrInvalid, p.Child("versions"), "", "at most 256 versions, got %d", len(s.Versions))
	}
	first := map[string]tomlpos.Path{}
	for i := range s.Versions {
		v := &s.Versions[i]
		vp := p.Child("versions").Elem(i, v.Name)
		d.checkName(v.Name, vp, first)
		if v.ServiceTime != nil {
			d.validateDist(v.ServiceTime, vp.Child("service_time"))
		}
		if v.ErrorRate < 0 || v.ErrorRate > 1 {
			d.Errorf(ErrInvalid, vp.Child("error_rate"), "a probability", "must be between 0 and 1, got %v", v.ErrorRate)
		}
		d.validateVersionDeath(v, vp)
	}
}

// validateDeploys checks the [[deploy]] entries.
func (d *checker) validateDeploys(cfg *Config, services map[string]*Service, names []string) {
	dp := tomlpos.Path{}.Child("deploy")
	last := map[string]Duration{}
	for i := range cfg.Deploys {
		x := &cfg.Deploys[i]
		p := dp.Elem(i, "")
		s := services[x.Service]
		switch {
		case !d.IsSet(p.Child("service")):
			d.Errorf(ErrMissing, p.Child("service"), "the [[service]] deployed", "required")
		case s == nil:
			d.Errorf(ErrReference, p.Child("service"), tomlpos.DidYouMean(x.Service, names), "no service named %q", x.Service)
		case len(s.Versions) == 0:
			d.Errorf(ErrReference, p.Child("service"), `declare versions = [{ name = "v1" }, { name = "v2", ... }] on the service`, "service %q has no versions", x.Service)
		}
		if s != nil && len(s.Versions) > 0 {
			var vn []string
			for _, v := range s.Versions {
				vn = append(vn, v.Name)
			}
			if !d.IsSet(p.Child("version")) {
				d.Errorf(ErrMissing, p.Child("version"), "one of "+tomlpos.QuoteList(vn), "required")
			} else if !contains(vn, x.Version) {
				d.Errorf(ErrReference, p.Child("version"), tomlpos.DidYouMean(x.Version, vn), "service %q has no version %q", x.Service, x.Version)
			}
		}
		if !d.IsSet(p.Child("at")) {
			d.Errorf(ErrMissing, p.Child("at"), "when the deploy starts", "required")
		} else if x.At >= cfg.Sim.Duration && cfg.Sim.Duration > 0 {
			d.Errorf(ErrInvalid, p.Child("at"), "", "must be before the end of the run (%s)", cfg.Sim.Duration)
		}
		if prev, ok := last[x.Service]; ok && x.At < prev {
			d.Errorf(ErrInvalid, p.Child("at"), "list a service's deploys in time order", "%s is before the previous deploy of %q (%s)", x.At, x.Service, prev)
		}
		last[x.Service] = x.At
		surge, err1 := deploy.ParseIntOrPercent(string(x.MaxSurge))
		if err1 != nil {
			d.Errorf(ErrInvalid, p.Child("max_surge"), `an integer or a percentage such as "25%"`, "%v", err1)
		}
		unav, err2 := deploy.ParseIntOrPercent(string(x.MaxUnavailable))
		if err2 != nil {
			d.Errorf(ErrInvalid, p.Child("max_unavailable"), `an integer or a percentage such as "25%"`, "%v", err2)
		} else if unav.Percent && unav.Value > 100 {
			d.Errorf(ErrInvalid, p.Child("max_unavailable"), "", "must not be above 100%%, got %q", x.MaxUnavailable)
		}
		if err1 == nil && err2 == nil && surge.Value == 0 && unav.Value == 0 {
			d.Errorf(ErrInvalid, p.Child("max_unavailable"), "Kubernetes rejects a rolling update that may neither add nor remove an instance", "may not be 0 when max_surge is 0")
		}
		needSteps := x.Strategy == StrategyCanary || x.Strategy == StrategyAB || x.Strategy == StrategyShadow
		if needSteps && len(x.Steps) == 0 {
			d.Errorf(ErrMissing, p.Child("steps"), `for example steps = [{ weight = 10, pause = "5m" }, { weight = 50, pause = "5m" }]`, "required for strategy %q", x.Strategy)
		}
		for j, st := range x.Steps {
			sp := p.Child("steps").Elem(j, "")
			if st.Weight <= 0 || st.Weight > 100 {
				d.Errorf(ErrInvalid, sp.Child("weight"), "percent of traffic", "must be > 0 and <= 100, got %v", st.Weight)
			}
			if st.Pause <= 0 {
				d.Errorf(ErrInvalid, sp.Child("pause"), "how long the step runs before its analysis", "must be > 0")
			}
		}
		ap := p.Child("analysis")
		if a := x.Analysis; a.Threshold < 0 || a.Threshold > 100 {
			d.Errorf(ErrInvalid, ap.Child("threshold"), "a score from 0 to 100", "got %v", a.Threshold)
		}
		if x.Analysis.ErrorZ <= 0 {
			d.Errorf(ErrInvalid, ap.Child("error_z"), "", "must be > 0, got %v", x.Analysis.ErrorZ)
		}
		if x.Analysis.LatencyRatio <= 0 {
			d.Errorf(ErrInvalid, ap.Child("latency_ratio"), "", "must be > 0, got %v", x.Analysis.LatencyRatio)
		}
		if x.Analysis.MinRequests < 1 {
			d.Errorf(ErrInvalid, ap.Child("min_requests"), "", "must be >= 1, got %d", x.Analysis.MinRequests)
		}
		if x.Strategy == StrategyBlueGreen && x.RollbackWindow <= 0 {
			d.Errorf(ErrInvalid, p.Child("rollback_window"), "how long blue stays after the switch", "must be > 0")
		}
	}
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// buildVersions converts a service's versions.
func buildVersions(s Service) []models.VersionSpec {
	var out []models.VersionSpec
	for _, v := range s.Versions {
		vs := models.VersionSpec{Name: v.Name, AddedLatency: engine.Duration(v.AddedLatency), ErrorRate: v.ErrorRate, NeverReady: v.NeverReady,
			CrashAfter: engine.Duration(v.CrashAfter)}
		if v.Leak != nil {
			vs.Leak = models.LeakSpec{Rate: v.Leak.Rate, Limit: v.Leak.Limit}
		}
		if v.ServiceTime != nil {
			vs.ServiceTime = v.ServiceTime.Spec()
		}
		out = append(out, vs)
	}
	return out
}

// buildDeploys converts the [[deploy]] entries; index maps service names
// to their indices.
func buildDeploys(c *Config, index map[string]int) ([]models.DeploySpec, error) {
	var out []models.DeploySpec
	for i, x := range c.Deploys {
		svc, ok := index[x.Service]
		if !ok {
			return nil, fmt.Errorf("%s: deploy %d: unknown service %q", c.File, i, x.Service)
		}
		ver := -1
		for j, v := range c.Services[svc].Versions {
			if v.Name == x.Version {
				ver = j
			}
		}
		if ver < 0 {
			return nil, fmt.Errorf("%s: deploy %d: unknown version %q", c.File, i, x.Version)
		}
		surge, err := deploy.ParseIntOrPercent(string(x.MaxSurge))
		if err != nil {
			return nil, err
		}
		unav, err := deploy.ParseIntOrPercent(string(x.MaxUnavailable))
		if err != nil {
			return nil, err
		}
		spec := models.DeploySpec{
			Service: svc, At: engine.Time(x.At), Version: ver,
			MaxSurge: surge, MaxUnavailable: unav,
			MinReady: engine.Duration(x.MinReady), ProgressDeadline: engine.Duration(x.ProgressDeadline),
			Rollback: x.Rollback, RollbackWindow: engine.Duration(x.RollbackWindow),
			Analysis: engine.Duration(x.Analysis.Interval), SLO: engine.Duration(x.SLO),
			Judge: deploy.Judge{Threshold: x.Analysis.Threshold, ErrorZ: x.Analysis.ErrorZ, LatencyRatio: x.Analysis.LatencyRatio, MinRequests: int64(x.Analysis.MinRequests)},
		}
		for j, name := range strategies {
			if string(x.Strategy) == name {
				spec.Strategy = models.Strategy(j)
			}
		}
		for _, st := range x.Steps {
			spec.Steps = append(spec.Steps, models.CanaryStep{Weight: st.Weight, Pause: engine.Duration(st.Pause)})
		}
		out = append(out, spec)
	}
	return out, nil
}

// versionColumns lists the per-version timeseries columns of the services.
func versionColumns(cfg *Config) []string {
	var cols []string
	for _, s := range cfg.Services {
		for _, v := range s.Versions {
			for _, m := range models.VersionColumns {
				cols = append(cols, s.Name+"@"+v.Name+"."+m)
			}
		}
	}
	return cols
}

// versionPaths lists the summary.json paths of the per-version figures
// (services.NAME.versions.VERSION....) and of the Chaos Monkeys
// (services.NAME.chaos_monkey....), for [[assert]] metrics.
func versionPaths(cfg *Config) []string {
	sum := &results.Summary{Services: map[string]results.ServiceSummary{}}
	for _, s := range cfg.Services {
		var ss results.ServiceSummary
		if len(s.Versions) > 0 {
			ss.Versions = map[string]results.VersionSummary{}
			for _, v := range s.Versions {
				ss.Versions[v.Name] = versionShape(v)
			}
		}
		ss.Flags = flagShapes(s)
		if s.ChaosMonkey != nil {
			ss.ChaosMonkey = &results.ChaosMonkey{}
		}
		if s.SpotInterruptions != nil {
			ss.Spot = &results.Spot{}
		}
		sum.Services[s.Name] = ss
	}
	flat, _ := assertion.Flatten(sum)
	var out []string
	for p := range flat { // map order: sorted below
		if strings.Contains(p, ".versions.") || strings.Contains(p, ".chaos_monkey.") || strings.Contains(p, ".spot.") || strings.Contains(p, ".flags.") {
			out = append(out, p)
		}
	}
	slices.Sort(out)
	return out
}

// ChaosMonkey kills a service's ready instances at random times, like
// Netflix's Chaos Monkey: a Poisson process of Rate kills per hour
// between From and To, each killing an instance chosen uniformly among the
// ready ones (streams "service.NAME.chaos_monkey.kills" and ".victims").
// A killed instance is lost at once, its requests failing, and replaced
// like a crashed pod.
type ChaosMonkey struct {
	// Rate is the mean number of kills per hour; required, > 0.
	Rate float64 `toml:"rate"`
	// From is when kills may start, nanoseconds; default 0.
	From Duration `toml:"from,omitzero"`
	// To is when they stop, nanoseconds; default (nil) the end of the run.
	To *Duration `toml:"to,omitempty"`
}

// validateMonkey checks a service's chaos_monkey.
func (d *checker) validateMonkey(s *Service, p tomlpos.Path) {
	m := s.ChaosMonkey
	if m == nil {
		return
	}
	mp := p.Child("chaos_monkey")
	if m.Rate <= 0 || m.Rate > 1e6 {
		d.Errorf(ErrInvalid, mp.Child("rate"), "kills per hour", "must be > 0 and <= 1e6, got %v", m.Rate)
	}
	if m.To != nil && *m.To < m.From {
		d.Errorf(ErrInvalid, mp.Child("to"), "", "must not be before from (%s)", m.From)
	}
}

// buildMonkey converts a service's chaos_monkey.
func buildMonkey(s Service) models.ChaosMonkeySpec {
	m := s.ChaosMonkey
	if m == nil {
		return models.ChaosMonkeySpec{}
	}
	spec := models.ChaosMonkeySpec{Rate: m.Rate / 3600, From: engine.Time(m.From), To: engine.End}
	if m.To != nil {
		spec.To = engine.Time(*m.To)
	}
	return spec
}
