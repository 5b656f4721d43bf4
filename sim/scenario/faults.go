package scenario

import (
	"fmt"
	"slices"

	"github.com/clustersim/clustersim/sim/engine"
	"github.com/clustersim/clustersim/sim/models"
	"github.com/clustersim/clustersim/sim/policies/health"
	"github.com/clustersim/clustersim/sim/tomlpos"
)

// maxThreshold bounds health-check thresholds and consecutive_5xx.
const maxThreshold = 1 << 20

// validateFaults checks the [[fault]] entries.
func (d *checker) validateFaults(cfg *Config, serviceNames []string) {
	fp := tomlpos.Path{}.Child("fault")
	for i := range cfg.Faults {
		f := &cfg.Faults[i]
		p := fp.Elem(i, f.Name)
		if f.Name != "" {
			d.noControl(f.Name, p.Child("name"))
		}
		outage := f.Kind == "node" || f.Kind == "zone" || f.Kind == "region"
		if outage {
			d.validateOutage(cfg, f, p)
		} else {
			for _, k := range []string{"pool", "zone"} {
				if d.IsSet(p.Child(k)) {
					d.Errorf(ErrInvalid, p.Child(k), `use kind = "node" or "zone"`, "%s applies to node and zone faults only", k)
				}
			}
		}
		switch {
		case outage && d.IsSet(p.Child("service")):
			d.Errorf(ErrInvalid, p.Child("service"), "omit it: every instance on the nodes is hit", "a %s fault hits nodes, not a service", f.Kind)
		case outage:
		case f.Service == "":
			d.Errorf(ErrMissing, p.Child("service"), "the name of a [[service]]", "required")
		case !slices.Contains(serviceNames, f.Service):
			d.Errorf(ErrReference, p.Child("service"), tomlpos.DidYouMean(f.Service, serviceNames), "no service named %q", f.Service)
		}
		if !d.IsSet(p.Child("at")) {
			d.Errorf(ErrMissing, p.Child("at"), `when it starts, for example at = "5m"`, "required")
		} else if f.At < 0 || (cfg.Sim.Duration > 0 && f.At >= cfg.Sim.Duration) {
			d.Errorf(ErrInvalid, p.Child("at"), "", "at %s is not within the run (%s)", f.At, cfg.Sim.Duration)
		}
		if f.Kind == "" {
			d.Errorf(ErrMissing, p.Child("kind"), "one of "+tomlpos.QuoteList(models.FaultKinds), "required")
		}
		if f.Instances < 1 || f.Instances > DefaultMaxInstances {
			d.Errorf(ErrInvalid, p.Child("instances"), "", "must be between 1 and %d, got %d", DefaultMaxInstances, f.Instances)
		}
		if f.Component == ComponentBalancer {
			d.validateLBFault(f, p)
		} else if f.Duration < 0 || ((f.Kind == "crash" || f.Kind == "node" || f.Kind == "cache_flush") && d.IsSet(p.Child("duration"))) {
			d.Errorf(ErrInvalid, p.Child("duration"), "a crash is instantaneous; omit duration for until the end", "must be > 0, and not for crash or node")
		}
		if f.Kind == "errors" {
			if f.ErrorRate <= 0 || f.ErrorRate > 1 {
				d.Errorf(ErrInvalid, p.Child("error_rate"), "the share of requests answered 5xx", "required for errors, in (0, 1], got %v", f.ErrorRate)
			}
		} else if d.IsSet(p.Child("error_rate")) {
			d.Errorf(ErrInvalid, p.Child("error_rate"), `use kind = "errors"`, "error_rate applies to errors faults only")
		}
		d.validateFaultExtras(cfg, f, p)
		if f.Kind == "slow" && f.Call == "" {
			if f.Factor <= 0 {
				d.Errorf(ErrInvalid, p.Child("factor"), "the service-time multiplier", "required for slow, > 0, got %v", f.Factor)
			}
		} else if d.IsSet(p.Child("factor")) {
			d.Errorf(ErrInvalid, p.Child("factor"), `use kind = "slow"`, "factor applies to slow faults only")
		}
	}
}

// validateOutage checks a node or zone fault's pool, zone and instances
// against the [[node_pool]] entries.
func (d *checker) validateOutage(cfg *Config, f *Fault, p tomlpos.Path) {
	var pools, zones []string
	for _, np := range cfg.NodePools {
		pools = append(pools, np.Name)
		for _, z := range np.Zones {
			if !slices.Contains(zones, z) {
				zones = append(zones, z)
			}
		}
	}
	if len(pools) == 0 {
		d.Errorf(ErrInvalid, p.Child("kind"), "declare a [[node_pool]] for the instances to run on", "a %s fault needs node pools", f.Kind)
		return
	}
	if f.Kind == "node" {
		switch {
		case f.Pool == "":
			d.Errorf(ErrMissing, p.Child("pool"), "the name of a [[node_pool]]", "required for a node fault")
		case !slices.Contains(pools, f.Pool):
			d.Errorf(ErrReference, p.Child("pool"), tomlpos.DidYouMean(f.Pool, pools), "no node pool named %q", f.Pool)
		}
	} else if d.IsSet(p.Child("pool")) {
		d.Errorf(ErrInvalid, p.Child("pool"), `use kind = "node"`, "pool applies to node faults only")
	}
	if f.Kind == "region" {
		d.validateRegion(cfg, f, p)
	}
	if f.Kind == "zone" {
		switch {
		case f.Zone == "":
			d.Errorf(ErrMissing, p.Child("zone"), "one of the node pools' zones", "required for a zone fault")
		case !slices.Contains(zones, f.Zone):
			d.Errorf(ErrReference, p.Child("zone"), tomlpos.DidYouMean(f.Zone, zones), "no node pool has zone %q", f.Zone)
		}
		if f.Instances != 1 {
			d.Errorf(ErrInvalid, p.Child("instances"), "a zone fault takes every node in the zone", "instances does not apply to zone faults")
		}
	} else if d.IsSet(p.Child("zone")) {
		d.Errorf(ErrInvalid, p.Child("zone"), `use kind = "zone"`, "zone applies to zone faults only")
	}
}

// validateHealth checks a service's health_check and outlier_detection.
func (d *checker) validateHealth(s *Service, p tomlpos.Path) {
	if h := s.HealthCheck; h != nil {
		hp := p.Child("health_check")
		for _, k := range []string{"interval", "timeout", "unhealthy_threshold", "healthy_threshold"} {
			if !d.IsSet(hp.Child(k)) {
				d.Errorf(ErrMissing, hp.Child(k), "Envoy requires it too", "required")
			}
		}
		if d.IsSet(hp.Child("interval")) && h.Interval <= 0 {
			d.Errorf(ErrInvalid, hp.Child("interval"), "", "must be > 0")
		}
		if d.IsSet(hp.Child("timeout")) && h.Timeout <= 0 {
			d.Errorf(ErrInvalid, hp.Child("timeout"), "", "must be > 0")
		}
		for _, t := range []struct {
			key string
			v   int
		}{{"unhealthy_threshold", h.UnhealthyThreshold}, {"healthy_threshold", h.HealthyThreshold}} {
			if d.IsSet(hp.Child(t.key)) && (t.v < 1 || t.v > maxThreshold) {
				d.Errorf(ErrInvalid, hp.Child(t.key), "", "must be between 1 and %d, got %d", maxThreshold, t.v)
			}
		}
	}
	if o := s.OutlierDetection; o != nil {
		op := p.Child("outlier_detection")
		if o.Consecutive5xx < 1 || o.Consecutive5xx > maxThreshold {
			d.Errorf(ErrInvalid, op.Child("consecutive_5xx"), "", "must be between 1 and %d, got %d", maxThreshold, o.Consecutive5xx)
		}
		if o.Interval <= 0 {
			d.Errorf(ErrInvalid, op.Child("interval"), "", "must be > 0")
		}
		if o.BaseEjectionTime <= 0 {
			d.Errorf(ErrInvalid, op.Child("base_ejection_time"), "", "must be > 0")
		}
		if o.MaxEjectionTime < 0 {
			d.Errorf(ErrInvalid, op.Child("max_ejection_time"), "", "must be >= 0")
		}
		if o.MaxEjectionPercent < 0 || o.MaxEjectionPercent > 100 {
			d.Errorf(ErrInvalid, op.Child("max_ejection_percent"), "a percentage", "must be between 0 and 100, got %d", o.MaxEjectionPercent)
		}
	}
}

// buildHealth copies a service's health keys to the models' spec.
func buildHealth(s Service, spec *models.ServiceSpec) {
	if h := s.HealthCheck; h != nil {
		spec.HealthCheck = &health.Checker{Interval: engine.Duration(h.Interval), Timeout: engine.Duration(h.Timeout),
			UnhealthyThreshold: h.UnhealthyThreshold, HealthyThreshold: h.HealthyThreshold}
	}
	if o := s.OutlierDetection; o != nil {
		spec.Outlier = &health.Outlier{Consecutive5xx: o.Consecutive5xx, Interval: engine.Duration(o.Interval),
			BaseEjection: engine.Duration(o.BaseEjectionTime), MaxEjection: engine.Duration(o.MaxEjectionTime),
			MaxEjectionPercent: o.MaxEjectionPercent}
	}
}

// buildFaults turns the [[fault]] entries into the models' specs.
func buildFaults(c *Config, index map[string]int) ([]models.FaultSpec, error) {
	var out []models.FaultSpec
	for i, f := range c.Faults {
		kind := slices.Index(models.FaultKinds, string(f.Kind))
		if kind < 0 {
			return nil, fmt.Errorf("%s: fault %d: unknown kind %q", c.File, i+1, f.Kind)
		}
		svc, pool := -1, -1
		switch models.FaultKind(kind) {
		case models.FaultNode:
			pool = slices.IndexFunc(c.NodePools, func(np NodePool) bool { return np.Name == f.Pool })
			if pool < 0 {
				return nil, fmt.Errorf("%s: fault %d targets unknown node pool %q", c.File, i+1, f.Pool)
			}
		case models.FaultZone, models.FaultRegion:
		default:
			var ok bool
			if svc, ok = index[f.Service]; !ok {
				return nil, fmt.Errorf("%s: fault %d targets unknown service %q", c.File, i+1, f.Service)
			}
		}
		name := f.Name
		if name == "" {
			name = fmt.Sprintf("fault-%d", i+1)
		}
		spec := models.FaultSpec{Name: name, Service: svc, Pool: pool, Zone: f.Zone, At: engine.Time(f.At), Kind: models.FaultKind(kind),
			Instances: f.Instances, Duration: engine.Duration(f.Duration), ErrorRate: f.ErrorRate, Factor: f.Factor,
			Balancer: f.Component == ComponentBalancer}
		if err := buildFaultExtras(c, f, index, &spec); err != nil {
			return nil, fmt.Errorf("%s: fault %d: %w", c.File, i+1, err)
		}
		out = append(out, spec)
	}
	return out, nil
}
