package models

import (
	"fmt"

	"github.com/clustersim/clustersim/sim/engine"
	"github.com/clustersim/clustersim/sim/policies/autoscale"
	"github.com/clustersim/clustersim/sim/results"
)

// The observation boundary between a service and its autoscaler. Every
// sync the cluster builds an autoscale.Observation itself, the way the
// Kubernetes HPA controller sees a workload: each instance's phase and
// readiness as they are now (the API server's view), and its newest
// metric sample as the metrics pipeline delivered it (metrics-server's
// view, one resolution old at most plus any delay). An instance the
// pipeline has not sampled yet has no sample, which is not a sample of
// zero; before the first scrape is visible there is no external metric
// either.

// AutoscalerSpec attaches an autoscaler to a service.
type AutoscalerSpec struct {
	Policy autoscale.Policy // decides the desired replica count
	// Metric is what each instance's sample holds: cpu (utilisation of
	// its CPU request), rps, in_flight (queued + in service); for queue
	// the pods carry cpu and the service's queued requests are the
	// external metric.
	Metric autoscale.MetricKind
	// SyncPeriod is how often the policy runs (Kubernetes HPA: 15s).
	SyncPeriod engine.Duration
	// Resolution is how often instance metrics are collected and the
	// window each sample covers (metrics-server --metric-resolution,
	// 15s). Collections run half a resolution out of step with the syncs,
	// so a synced sample is about half a resolution old, as it is on
	// average with metrics-server.
	Resolution engine.Duration
	// MetricDelay is an extra delay before a collection is visible to the
	// policy (a slow metrics adapter, a monitoring system's lag).
	MetricDelay engine.Duration
	// FirstSync is the offset of the first sync (default: one period).
	FirstSync engine.Duration
}

// podSample is one instance's metrics in one collection.
type podSample struct {
	idx             int32
	gen             uint32
	cpu, rps, inFly float64
	conns           float64 // connections pinned to it
}

// scrape is one collection of a service's metrics.
type scrape struct {
	at     engine.Time
	pods   []podSample // instances with a sample, in slot order
	queued float64     // requests waiting in the service's queues
}

// autoscaling is a service's autoscaler with its metrics pipeline state.
type autoscaling struct {
	spec    AutoscalerSpec
	scrapes []scrape // ring of recent collections, newest last
	lastAt  engine.Time
	pods    []autoscale.PodSample // the observation's buffer, reused
}

// maxSummaryDecisions caps the scaling changes kept for summary.json, so
// memory stays flat in run length; decisions.csv has every tick.
const maxSummaryDecisions = 10000

// longAgo is the start time of the initial fleet: instances that were
// running long before the simulation began (Kubernetes' test fixtures use
// the zero time for the same purpose).
const longAgo = -engine.Time(1_000_000_000 * engine.Second)

// collect takes one collection of a service's per-instance metrics over
// the last resolution. An instance has a sample if its process was
// running for the whole window (metrics-server needs two readings of a
// container to report its CPU rate); serving or not, ready or not.
func (c *Cluster) collect(s *Service) {
	now := c.sim.Now()
	a := s.auto
	keep := int(a.spec.MetricDelay/a.spec.Resolution) + 2
	var sc scrape
	if len(a.scrapes) >= keep { // recycle the oldest collection's buffer
		sc = a.scrapes[0]
		copy(a.scrapes, a.scrapes[1:])
		a.scrapes = a.scrapes[:len(a.scrapes)-1]
	}
	sc.at, sc.pods, sc.queued = now, sc.pods[:0], float64(s.queued)
	from := a.lastAt
	span := now - from
	// CPU: busy slots over slots, scaled by how far the instance may
	// burst above its request (its limit over its request).
	cpuScale := 1 / float64(s.spec.Concurrency)
	if s.spec.CPU > 0 && s.spec.CPULimit > 0 {
		cpuScale *= s.spec.CPULimit / s.spec.CPU
	}
	for i, in := range s.instances {
		if in.state == Pending || in.state == Terminated {
			continue // no process on a node yet, or none any more
		}
		in.integrate(now)
		if in.state == Starting && in.started > now {
			continue // still pulling its image
		}
		if in.started <= from && span > 0 {
			sc.pods = append(sc.pods, podSample{
				idx: int32(i), gen: in.gen,
				cpu:   float64(in.busyInt-in.scrapeBusy) / float64(span) * cpuScale,
				rps:   float64(in.arrivals-in.scrapeArrivals) / span.Seconds(),
				inFly: float64(in.busy + in.qlen),
			})
			if s.spec.Sidecar != nil { // its proxy's CPU (sidecar.go)
				last := &sc.pods[len(sc.pods)-1]
				last.cpu += sidecarCPU(&s.spec, last.rps)
			}
			if s.conn != nil {
				sc.pods[len(sc.pods)-1].conns = float64(s.conn.count(int32(i)))
			}
		}
		in.scrapeBusy, in.scrapeArrivals = in.busyInt, in.arrivals
	}
	a.lastAt = now
	a.scrapes = append(a.scrapes, sc)
}

// visible returns the newest collection the policy can see at now, or
// nil.
func (a *autoscaling) visible(now engine.Time) *scrape {
	for i := len(a.scrapes) - 1; i >= 0; i-- {
		if a.scrapes[i].at.Add(a.spec.MetricDelay) <= now {
			return &a.scrapes[i]
		}
	}
	return nil
}

// observe builds the policy's view of s at now: every instance not yet
// terminated, with its phase and readiness now and its sample from the
// newest visible collection.
func (c *Cluster) observe(s *Service, now engine.Time) autoscale.Observation {
	a := s.auto
	sc := a.visible(now)
	obs := autoscale.Observation{Now: now, Current: s.desired}
	var samples []podSample
	if sc != nil {
		samples = sc.pods
		obs.External, obs.HasExternal = sc.queued, true
		obs.MetricAt, obs.MetricWindow = sc.at, a.spec.Resolution
	}
	a.pods = a.pods[:0]
	j := 0 // samples are in slot order, like s.instances
	for i, in := range s.instances {
		if in.state == Terminated {
			continue
		}
		p := autoscale.PodSample{Request: s.spec.CPU, StartedAt: in.started, ReadyAt: in.changed}
		switch {
		case in.state == Pending, in.state == Starting && in.started > now:
			p.Phase = autoscale.PodPending
		case in.state == Draining:
			p.Phase = autoscale.PodTerminating
		default:
			p.Ready = in.state == Ready
		}
		for j < len(samples) && samples[j].idx < int32(i) {
			j++
		}
		if j < len(samples) && samples[j].idx == int32(i) && samples[j].gen == in.gen {
			p.HasMetric = true
			switch a.spec.Metric {
			case autoscale.MetricRPS:
				p.Metric = samples[j].rps
			case autoscale.MetricInFlight:
				p.Metric = samples[j].inFly
			case autoscale.MetricConnections:
				p.Metric = samples[j].conns
			default:
				p.Metric = samples[j].cpu
			}
		}
		a.pods = append(a.pods, p)
	}
	obs.Pods = a.pods
	return obs
}

// sync runs the service's autoscaler once and applies its decision.
func (c *Cluster) sync(s *Service) {
	now := c.sim.Now()
	a := s.auto
	current := s.desired
	d, err := a.spec.Policy.Decide(c.observe(s, now))
	if err != nil {
		if c.runErr == nil {
			c.runErr = fmt.Errorf("service %s: autoscaler %s at t=%v: %w", s.spec.Name, a.spec.Policy.Name(), now, err)
		}
		c.sim.Stop()
		return
	}
	desired := max(d.Desired, 0)
	rd := results.Decision{
		TimeS: now.Seconds(), Service: s.spec.Name, Policy: a.spec.Policy.Name(),
		Metric: d.Metric, Current: current, Recommended: d.Recommended, Desired: desired, Reason: d.Reason,
	}
	if c.onDecision != nil {
		if err := c.onDecision(rd); err != nil && c.runErr == nil {
			c.runErr = err
			c.sim.Stop()
		}
	}
	if desired != current && len(c.decisions) < maxSummaryDecisions {
		c.decisions = append(c.decisions, rd)
	}
	if desired != current {
		c.SetDesired(int(s.id), desired)
	}
}

// onCollect and onSync are the periodic metrics-collection and autoscaler
// events of one service (Target = service index).
func (c *Cluster) onCollect(ev engine.Event) {
	s := c.services[ev.Target]
	c.collect(s)
	c.sim.After(s.auto.spec.Resolution, c.kScrape, ev.Target, 0)
}

func (c *Cluster) onSync(ev engine.Event) {
	s := c.services[ev.Target]
	c.sync(s)
	c.sim.After(s.auto.spec.SyncPeriod, c.kSync, ev.Target, 0)
}

// startAutoscalers schedules every autoscaled service's first collection
// (half a resolution in) and first sync.
func (c *Cluster) startAutoscalers() {
	for _, s := range c.services {
		if s.auto == nil {
			continue
		}
		c.sim.Schedule(engine.Time(s.auto.spec.Resolution/2), c.kScrape, s.id, 0)
		first := s.auto.spec.FirstSync
		if first <= 0 {
			first = s.auto.spec.SyncPeriod
		}
		c.sim.Schedule(engine.Time(first), c.kSync, s.id, 0)
	}
}
