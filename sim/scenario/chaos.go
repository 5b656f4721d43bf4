package scenario

import (
	"fmt"
	"slices"

	"github.com/clustersim/clustersim/sim/engine"
	"github.com/clustersim/clustersim/sim/models"
	"github.com/clustersim/clustersim/sim/results"
	"github.com/clustersim/clustersim/sim/tomlpos"
)

// The chaos keys of [[fault]] beyond the connection work's: errors that
// take time (latency), a share of the fleet, faults on a call edge, cache
// flushes and region failures.

// defaultRegionFailover is a region fault's failover when not given: Route 53
// health checks (3 failures 30 s apart: about 90 s to fail over, or 30 s
// at the fast interval) are the model; a 60 s record TTL adds up to as
// much again for clients that cached the answer just before.
const defaultRegionFailover = 90 * Second

// validateFaultExtras checks a fault's latency, share and call keys.
func (d *checker) validateFaultExtras(cfg *Config, f *Fault, p tomlpos.Path) {
	edge := f.Call != ""
	if edge {
		d.validateEdgeFault(cfg, f, p)
	}
	if d.IsSet(p.Child("latency")) {
		switch {
		case f.Kind != "errors" && !(edge && f.Kind == "slow"):
			d.Errorf(ErrInvalid, p.Child("latency"), `for kind = "errors", or "slow" on a call`, "latency does not apply to %s faults", f.Kind)
		case f.Latency < 0:
			d.Errorf(ErrInvalid, p.Child("latency"), "", "must be >= 0")
		}
	}
	if d.IsSet(p.Child("share")) {
		switch {
		case !slices.Contains([]FaultKind{"crash", "hang", "errors", "slow"}, f.Kind) || edge || f.Component == ComponentBalancer:
			d.Errorf(ErrInvalid, p.Child("share"), "a share of a service's instances", "share does not apply to this fault")
		case f.Instances != 1:
			d.Errorf(ErrInvalid, p.Child("share"), "give one of them", "share and instances exclude each other")
		case !(f.Share > 0 && f.Share <= 1):
			d.Errorf(ErrInvalid, p.Child("share"), "a share of the ready instances", "must be in (0, 1], got %v", f.Share)
		}
	}
	if f.Kind == "cache_flush" {
		if f.Instances != 1 {
			d.Errorf(ErrInvalid, p.Child("instances"), "a flush empties the service's cache", "instances does not apply to cache_flush")
		}
		if i := slices.IndexFunc(cfg.Services, func(s Service) bool { return s.Name == f.Service }); i >= 0 && cfg.Services[i].Cache == nil {
			d.Errorf(ErrInvalid, p.Child("service"), "give the service a cache table", "service %q has no cache to flush", f.Service)
		}
	}
	if f.Kind != "region" {
		for _, k := range []string{"region", "failover"} {
			if d.IsSet(p.Child(k)) {
				d.Errorf(ErrInvalid, p.Child(k), `use kind = "region"`, "%s applies to region faults only", k)
			}
		}
	}
}

// validateEdgeFault checks a fault on the calls from service to call.
func (d *checker) validateEdgeFault(cfg *Config, f *Fault, p tomlpos.Path) {
	cp := p.Child("call")
	if f.Kind != "errors" && f.Kind != "slow" {
		d.Errorf(ErrInvalid, cp, `kind = "errors" or "slow"`, "a %s fault does not hit a call edge", f.Kind)
		return
	}
	if f.Component == ComponentBalancer {
		d.Errorf(ErrInvalid, cp, "", "a balancer fault does not hit a call edge")
	}
	if f.Instances != 1 {
		d.Errorf(ErrInvalid, p.Child("instances"), "an edge fault hits the calls, not instances", "instances does not apply with call")
	}
	i := slices.IndexFunc(cfg.Services, func(s Service) bool { return s.Name == f.Service })
	if i >= 0 {
		var callees []string
		for _, c := range cfg.Services[i].Calls {
			callees = append(callees, c.Service)
		}
		if !slices.Contains(callees, f.Call) {
			d.Errorf(ErrReference, cp, tomlpos.DidYouMean(f.Call, callees), "service %q makes no calls to %q", f.Service, f.Call)
		}
	}
	if f.Kind == "slow" {
		if f.Latency <= 0 {
			d.Errorf(ErrInvalid, p.Child("latency"), "the delay added to each call", "required for slow on a call, > 0")
		}
		if d.IsSet(p.Child("factor")) {
			d.Errorf(ErrInvalid, p.Child("factor"), "give latency: the delay added to each call", "factor does not apply with call")
		}
	}
}

// validateRegion checks a region fault against the node pools' regions
// and fills in its failover.
func (d *checker) validateRegion(cfg *Config, f *Fault, p tomlpos.Path) {
	regions := poolRegions(cfg)
	switch {
	case f.Region == "":
		d.Errorf(ErrMissing, p.Child("region"), "one of the node pools' regions", "required for a region fault")
	case !slices.Contains(regions, f.Region):
		d.Errorf(ErrReference, p.Child("region"), tomlpos.DidYouMean(f.Region, regions), "no node pool has region %q", f.Region)
	}
	if f.Instances != 1 {
		d.Errorf(ErrInvalid, p.Child("instances"), "a region fault takes every node in the region", "instances does not apply to region faults")
	}
	if !d.IsSet(p.Child("failover")) {
		f.Failover = defaultRegionFailover
	} else if f.Failover < 0 || f.Failover > maxFailover {
		d.Errorf(ErrInvalid, p.Child("failover"), "", "must be 0 to %s, got %s", maxFailover, f.Failover)
	}
}

const maxFailover = Duration(24 * engine.Hour)

// poolRegions returns the node pools' regions in declaration order.
func poolRegions(cfg *Config) []string {
	var out []string
	for _, np := range cfg.NodePools {
		if np.Region != "" && !slices.Contains(out, np.Region) {
			out = append(out, np.Region)
		}
	}
	return out
}

// validatePoolRegions checks that no zone is in two regions.
func (d *checker) validatePoolRegions(cfg *Config) {
	in := map[string]string{}
	for i, np := range cfg.NodePools {
		if np.Region == "" {
			continue
		}
		p := tomlpos.Path{}.Child("node_pool").Elem(i, np.Name).Child("region")
		d.noControl(np.Region, p)
		if len(np.Zones) == 0 {
			d.Errorf(ErrInvalid, p, "give the pool zones", "a region groups zones, and the pool has none")
		}
		for _, z := range np.Zones {
			if r, ok := in[z]; ok && r != np.Region {
				d.Errorf(ErrInvalid, p, "", "zone %q is in region %q already", z, r)
			}
			in[z] = np.Region
		}
	}
}

// buildFaultExtras fills a fault's latency, share, call edge and region.
func buildFaultExtras(c *Config, f Fault, index map[string]int, spec *models.FaultSpec) error {
	spec.Latency = engine.Duration(f.Latency)
	spec.Share = f.Share
	if f.Call != "" {
		callee, ok := index[f.Call]
		if !ok {
			return fmt.Errorf("unknown service %q", f.Call)
		}
		spec.Callee = callee + 1
	}
	if f.Kind == "region" {
		spec.Region, spec.Failover = f.Region, engine.Duration(f.Failover)
		for _, np := range c.NodePools {
			if np.Region != f.Region {
				continue
			}
			for _, z := range np.Zones {
				if !slices.Contains(spec.Zones, z) {
					spec.Zones = append(spec.Zones, z)
				}
			}
		}
	}
	return nil
}

// maxCrashAfter bounds a version's crash_after; maxLeak its leak's rate
// and limit.
const (
	maxCrashAfter = Duration(1000 * engine.Hour)
	maxLeak       = 1e6
)

// validateVersionDeath checks a version's crash_after and leak.
func (d *checker) validateVersionDeath(v *Version, vp tomlpos.Path) {
	if v.CrashAfter < 0 || v.CrashAfter > maxCrashAfter {
		d.Errorf(ErrInvalid, vp.Child("crash_after"), "omit it for a version that does not crash", "must be 0 (never) to %s, got %s", maxCrashAfter, v.CrashAfter)
	}
	if l := v.Leak; l != nil {
		lp := vp.Child("leak")
		if !(l.Rate > 0 && l.Rate <= maxLeak) {
			d.Errorf(ErrInvalid, lp.Child("rate"), "the service-time factor's growth per hour of uptime", "required, > 0 and at most %g, got %v", maxLeak, l.Rate)
		}
		if l.Limit != 0 && !(l.Limit > 1 && l.Limit <= maxLeak) {
			d.Errorf(ErrInvalid, lp.Child("limit"), "the factor at which it is OOM-killed; omit it for never", "must be > 1 and at most %g, got %v", maxLeak, l.Limit)
		}
	}
}

// Flag is one entry of a service's flags: from From until KillAt, a share
// of the requests its instances serve takes the flag's code path.
type Flag struct {
	// Name identifies the flag in the service; required, unique,
	// [A-Za-z0-9_-]+. summary.json has services.NAME.flags.FLAG.
	Name string `toml:"name"`
	// Share is the probability that a request takes the path; required,
	// in (0, 1].
	Share float64 `toml:"share"`
	// ServiceTime replaces a request's service time on the path; optional.
	ServiceTime *Dist `toml:"service_time,omitempty"`
	// AddedLatency is added to the service time on the path, nanoseconds;
	// default 0.
	AddedLatency Duration `toml:"added_latency,omitzero"`
	// ErrorRate is the probability that a request on the path is answered
	// with an error at once, 0 to 1; default 0.
	ErrorRate float64 `toml:"error_rate,omitzero"`
	// From is when the flag turns on, nanoseconds from the start; default
	// 0, before sim.duration.
	From Duration `toml:"from,omitzero"`
	// KillAt is the kill switch: the flag is off from then on; default
	// none, after from.
	KillAt Duration `toml:"kill_at,omitzero"`
}

// maxFlags is the most flags a service may have (a request's cohorts are
// one byte).
const maxFlags = 8

// validateFlags checks a service's feature flags.
func (d *checker) validateFlags(cfg *Config, s *Service, p tomlpos.Path) {
	if len(s.Flags) == 0 {
		return
	}
	if len(s.Flags) > maxFlags {
		d.Errorf(ErrInvalid, p.Child("flags"), "", "at most %d flags, got %d", maxFlags, len(s.Flags))
	}
	if s.Platform == PlatformFunction {
		d.Errorf(ErrInvalid, p.Child("flags"), "", "flags apply to instances, not functions")
	}
	first := map[string]tomlpos.Path{}
	for i := range s.Flags {
		f := &s.Flags[i]
		fp := p.Child("flags").Elem(i, f.Name)
		d.checkName(f.Name, fp, first)
		if !(f.Share > 0 && f.Share <= 1) {
			d.Errorf(ErrInvalid, fp.Child("share"), "the share of requests on the flag's path", "required, in (0, 1], got %v", f.Share)
		}
		if f.ServiceTime != nil {
			d.validateDist(f.ServiceTime, fp.Child("service_time"))
		}
		if f.AddedLatency < 0 {
			d.Errorf(ErrInvalid, fp.Child("added_latency"), "", "must be >= 0")
		}
		if f.ErrorRate < 0 || f.ErrorRate > 1 {
			d.Errorf(ErrInvalid, fp.Child("error_rate"), "a probability", "must be between 0 and 1, got %v", f.ErrorRate)
		}
		if f.From < 0 || (cfg.Sim.Duration > 0 && f.From >= cfg.Sim.Duration) {
			d.Errorf(ErrInvalid, fp.Child("from"), "", "from %s is not within the run (%s)", f.From, cfg.Sim.Duration)
		}
		if d.IsSet(fp.Child("kill_at")) && f.KillAt <= f.From {
			d.Errorf(ErrInvalid, fp.Child("kill_at"), "omit it for a flag never killed", "kill_at %s must come after from (%s)", f.KillAt, f.From)
		}
	}
}

// buildFlags converts a service's feature flags.
func buildFlags(s Service) []models.FlagSpec {
	var out []models.FlagSpec
	for _, f := range s.Flags {
		fs := models.FlagSpec{Name: f.Name, Share: f.Share, AddedLatency: engine.Duration(f.AddedLatency), ErrorRate: f.ErrorRate,
			From: engine.Time(f.From), KillAt: engine.Time(f.KillAt)}
		if f.ServiceTime != nil {
			fs.ServiceTime = f.ServiceTime.Spec()
		}
		out = append(out, fs)
	}
	return out
}

// versionShape is a version's summary block with every figure it may
// have, for the [[assert]] metric paths: a variant may give a version
// crash_after or a leak that the base file does not.
func versionShape(Version) results.VersionSummary {
	return results.VersionSummary{Crashes: new(int64), OOMKills: new(int64)}
}

// flagShapes is a service's flags block, for the [[assert]] metric paths.
func flagShapes(s Service) map[string]results.FlagSummary {
	if len(s.Flags) == 0 {
		return nil
	}
	out := map[string]results.FlagSummary{}
	for _, f := range s.Flags {
		out[f.Name] = results.FlagSummary{}
	}
	return out
}
