package scenario

import (
	"cmp"
	"fmt"
	"strings"

	"github.com/clustersim/clustersim/sim/engine"
	"github.com/clustersim/clustersim/sim/models"
	"github.com/clustersim/clustersim/sim/tomlpos"
)

// Demand is a scenario's estimated demand on the machine, computed before
// the run from the scenario alone. The model is deliberately simple and
// errs high:
//
//	events    = arrivals × EventsPerRequest      (arrivals: ∫ rate dt, or the trace's length)
//	          + long-lived arrivals × message_rate × min(mean lifetime, duration) × EventsPerRequest
//	          + duration / window                (metrics windows)
//	          + Σ autoscaled services: duration / sync_period + duration / metrics_resolution
//	          + Σ services with a probe timeout: max replicas × duration / readiness.period
//	          + duration / cluster_autoscaler.scan_interval (with node pools)
//	instances = Σ services: the largest of replicas, autoscaler max and scheduled min, max, desired
//	nodes     = Σ pools: the largest of nodes, min and max
type Demand struct {
	Events    float64 // estimated engine events
	Instances int     // most instances that can exist at once
	Nodes     int     // most nodes that can exist at once

	parts []costPart // events by source, for messages
}

// EventsPerRequest is the engine events one request costs in the
// estimate: its arrival, its completion and a timeout or retry.
const EventsPerRequest = 3

// costPart is one source of events and the key that controls it.
type costPart struct {
	what   string
	events float64
	key    tomlpos.Path
}

// Estimate returns the estimated cost of running cfg, which must be
// valid.
func Estimate(cfg *Config) Demand {
	var c Demand
	root := tomlpos.Path{}
	dur := engine.Duration(cfg.Sim.Duration)
	per := func(d Duration) float64 {
		if d <= 0 {
			return 0
		}
		return float64(dur) / float64(d)
	}
	c.add("metrics windows", per(cfg.Sim.Window), root.Child("sim").Child("window"))
	for i, w := range cfg.Workloads {
		p := root.Child("workload").Elem(i, w.Name)
		n := traceArrivals(w, cfg.Sim.Duration) // trace.go
		key := p.Child("trace")
		if w.Arrival != ArrivalTrace {
			n = workloadCurve(w, cfg.Sim.Duration).Integral(0, engine.Time(dur))
			key = p.Child("rate")
			if w.Rate == 0 && len(w.Schedule) > 0 {
				key = p.Child("schedule")
			}
		}
		if m := w.MMPP; m != nil && w.Arrival == ArrivalMMPP {
			n, key = max(m.RateOn, m.RateOff)*dur.Seconds(), p.Child("mmpp")
		}
		if w.Users > 0 {
			n, key = clientArrivals(w, dur), p.Child("users")
		}
		if w.Retry != nil {
			n *= float64(w.Retry.Attempts)
		}
		c.add("requests of workload "+w.Name, n*EventsPerRequest, key)
		if m := messagesPerConnection(w, dur); m > 0 {
			c.add("messages of workload "+w.Name, n*m*EventsPerRequest, p.Child("message_rate"))
		}
	}
	for i, s := range cfg.Services {
		p := root.Child("service").Elem(i, s.Name)
		most := s.maxReplicas()
		c.Instances = satAdd(c.Instances, most)
		if s.Readiness.Timeout > 0 {
			c.add("readiness probes of service "+s.Name, float64(most)*per(s.Readiness.Period), p.Child("readiness").Child("period"))
		}
		if a := s.Autoscaler; a != nil && a.Kind != AutoscalerNone {
			ap := p.Child("autoscaler")
			sync, res := a.SyncPeriod, a.MetricsResolution
			if sync <= 0 {
				sync = Duration(defaultSyncPeriod)
			}
			if res <= 0 {
				res = Duration(defaultResolution)
			}
			c.add("autoscaler ticks of service "+s.Name, per(sync), ap.Child("sync_period"))
			c.add("metrics scrapes of service "+s.Name, per(res), ap.Child("metrics_resolution"))
		}
	}
	for _, np := range cfg.NodePools {
		nodes, lo, hi := np.counts()
		c.Nodes = satAdd(c.Nodes, max(nodes, lo, hi))
	}
	if len(cfg.NodePools) > 0 {
		c.add("cluster autoscaler scans", per(cfg.ClusterAutoscaler.ScanInterval), root.Child("cluster_autoscaler").Child("scan_interval"))
	}
	return c
}

func (c *Demand) add(what string, events float64, key tomlpos.Path) {
	c.Events += events
	c.parts = append(c.parts, costPart{what, events, key})
}

// maxReplicas is the most instances a service can ask for: the largest of
// its replicas and its autoscaler's bounds and scheduled counts.
func (s *Service) maxReplicas() int {
	if s.Platform == PlatformFunction { // as many environments as its concurrency limit
		return cmp.Or(s.ConcurrencyLimit, models.DefaultConcurrencyLimit)
	}
	most := s.Replicas
	a := s.Autoscaler
	if a == nil {
		return most
	}
	for _, n := range []*int{a.Max, a.Min} {
		if n != nil {
			most = max(most, *n)
		}
	}
	for _, e := range a.Schedule {
		for _, n := range []*int{e.Min, e.Max, e.Desired} {
			if n != nil {
				most = max(most, *n)
			}
		}
	}
	return most
}

// satAdd returns a+b for non-negative ints, saturating.
func satAdd(a, b int) int {
	if b > 0 && a > int(^uint(0)>>1)-b {
		return int(^uint(0) >> 1)
	}
	return a + b
}

// checkCost refuses a scenario whose estimate exceeds lim, naming the
// key behind the largest share and the flag that raises the limit.
func (d *checker) checkCost(cfg *Config, lim Limits) {
	c := Estimate(cfg)
	if lim.MaxEvents > 0 && c.Events > lim.MaxEvents {
		top := c.parts[0]
		for _, p := range c.parts[1:] {
			if p.events > top.events {
				top = p
			}
		}
		d.Errorf(ErrInvalid, top.key, "raise the limit with --max-events, or shorten sim.duration",
			"the run would take about %.3g engine events (%.3g from %s), more than the limit of %.3g",
			c.Events, top.events, top.what, lim.MaxEvents)
	}
	if lim.MaxInstances <= 0 {
		return
	}
	root := tomlpos.Path{}
	if c.Instances > lim.MaxInstances {
		i, most := 0, -1
		for j, s := range cfg.Services {
			if n := s.maxReplicas(); n > most {
				i, most = j, n
			}
		}
		s := cfg.Services[i]
		d.Errorf(ErrInvalid, d.replicasKey(root.Child("service").Elem(i, s.Name), &s), "raise the limit with --max-instances",
			"services may run %d instances at once (%d in service %s), more than the limit of %d",
			c.Instances, most, s.Name, lim.MaxInstances)
	}
	if c.Nodes > lim.MaxInstances {
		i, most := 0, -1
		for j, np := range cfg.NodePools {
			nodes, lo, hi := np.counts()
			if n := max(nodes, lo, hi); n > most {
				i, most = j, n
			}
		}
		np := cfg.NodePools[i]
		key := root.Child("node_pool").Elem(i, np.Name)
		for _, k := range []string{"max", "nodes", "min"} {
			if d.IsSet(key.Child(k)) {
				key = key.Child(k)
				break
			}
		}
		d.Errorf(ErrInvalid, key, "raise the limit with --max-instances",
			"node pools may hold %d nodes at once (%d in pool %s), more than the limit of %d",
			c.Nodes, most, np.Name, lim.MaxInstances)
	}
}

// replicasKey is the key that sets a service's largest replica count.
func (d *checker) replicasKey(p tomlpos.Path, s *Service) tomlpos.Path {
	most := s.maxReplicas()
	if s.Platform == PlatformFunction {
		return p.Child("concurrency_limit")
	}
	if s.Replicas == most {
		return p.Child("replicas")
	}
	a := s.Autoscaler
	ap := p.Child("autoscaler")
	if a.Max != nil && *a.Max == most {
		return ap.Child("max")
	}
	if a.Min != nil && *a.Min == most {
		return ap.Child("min")
	}
	for i, e := range a.Schedule {
		ep := ap.Child("schedule").Elem(i, "")
		for _, kn := range []struct {
			k string
			n *int
		}{{"desired", e.Desired}, {"max", e.Max}, {"min", e.Min}} {
			if kn.n != nil && *kn.n == most {
				return ep.Child(kn.k)
			}
		}
	}
	return ap
}

// String renders the estimate: "about 1.2e+07 events, 40 instances, 3 nodes".
func (c Demand) String() string {
	var b strings.Builder
	fmt.Fprintf(&b, "about %.3g events, %d instances", c.Events, c.Instances)
	if c.Nodes > 0 {
		fmt.Fprintf(&b, ", %d nodes", c.Nodes)
	}
	return b.String()
}
