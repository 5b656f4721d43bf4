package models

import (
	"fmt"

	"github.com/clustersim/clustersim/sim/engine"
	"github.com/clustersim/clustersim/sim/results"
)

// PodMetrics is one instance as a metrics pipeline saw it at a scrape.
type PodMetrics struct {
	Ready     bool        // in the balancer's rotation
	HasMetric bool        // the scrape window covered the instance while ready
	CPU       float64     // busy slots / slots over the scrape window, 0..1
	RPS       float64     // requests routed to it per second over the window
	InFlight  float64     // requests queued or in service at the scrape
	Created   engine.Time // when the instance was created
	ReadyAt   engine.Time // when it became ready (valid if Ready)
}

// Scrape is one collection of a service's metrics: what an autoscaler
// reads, possibly some time after it was taken.
type Scrape struct {
	At     engine.Time  // when the metrics were collected
	Pods   []PodMetrics // instances that are pending, starting or ready, in slot order
	Queued float64      // requests waiting in the service's queues at the scrape
}

// Autoscaler decides a service's desired replica count from observed
// metrics. It is called every sync period with the newest scrape the
// metrics pipeline has delivered; current is the desired count in force.
// An error (an external policy that crashed, say) stops the run.
type Autoscaler interface {
	Sync(now engine.Time, current int, scrape *Scrape) (desired int, metric float64, reason string, err error)
	Name() string
}

// AutoscalerSpec attaches an autoscaler to a service.
type AutoscalerSpec struct {
	Policy         Autoscaler
	SyncPeriod     engine.Duration // how often the policy runs (Kubernetes HPA: 15s)
	ScrapeInterval engine.Duration // how often instance metrics are collected (metrics-server: 15s)
	MetricDelay    engine.Duration // extra delay before a scrape is visible to the policy
	FirstSync      engine.Duration // offset of the first sync (default: one period)
}

// autoscaling is a service's autoscaler with its metrics pipeline state.
type autoscaling struct {
	spec    AutoscalerSpec
	scrapes []Scrape // ring of recent scrapes, newest last
	lastAt  engine.Time
}

// maxSummaryDecisions caps the scaling changes kept for summary.json, so
// memory stays flat in run length; decisions.csv has every tick.
const maxSummaryDecisions = 10000

// scrape collects a service's per-instance metrics over the last scrape
// interval.
func (c *Cluster) scrape(s *Service) {
	now := c.sim.Now()
	a := s.auto
	keep := int(a.spec.MetricDelay/a.spec.ScrapeInterval) + 2
	var sc Scrape
	if len(a.scrapes) >= keep { // recycle the oldest scrape's buffer
		sc = a.scrapes[0]
		copy(a.scrapes, a.scrapes[1:])
		a.scrapes = a.scrapes[:len(a.scrapes)-1]
	}
	sc.At, sc.Pods, sc.Queued = now, sc.Pods[:0], float64(s.queued)
	from := a.lastAt
	conc := float64(s.spec.Concurrency)
	for _, in := range s.instances {
		if in.state > Ready {
			continue
		}
		in.integrate(now)
		p := PodMetrics{Ready: in.state == Ready, Created: in.created, ReadyAt: in.readyAt,
			InFlight: float64(in.busy + in.qlen)}
		if p.Ready {
			start := max(from, in.readyAt)
			if span := now - start; span > 0 && in.readyAt <= from {
				p.HasMetric = true
				p.CPU = float64(in.busyInt-in.scrapeBusy) / (conc * float64(span))
				p.RPS = float64(in.arrivals-in.scrapeArrivals) / span.Seconds()
			}
		}
		in.scrapeBusy, in.scrapeArrivals = in.busyInt, in.arrivals
		sc.Pods = append(sc.Pods, p)
	}
	a.lastAt = now
	a.scrapes = append(a.scrapes, sc)
}

// visible returns the newest scrape the policy can see at now, or nil.
func (a *autoscaling) visible(now engine.Time) *Scrape {
	for i := len(a.scrapes) - 1; i >= 0; i-- {
		if a.scrapes[i].At.Add(a.spec.MetricDelay) <= now {
			return &a.scrapes[i]
		}
	}
	return nil
}

// sync runs the service's autoscaler once and applies its decision.
func (c *Cluster) sync(s *Service) {
	now := c.sim.Now()
	a := s.auto
	sc := a.visible(now)
	if sc == nil {
		sc = &Scrape{At: now}
	}
	current := s.desired
	desired, metric, reason, err := a.spec.Policy.Sync(now, current, sc)
	if err != nil {
		if c.runErr == nil {
			c.runErr = fmt.Errorf("service %s: autoscaler %s at t=%v: %w", s.spec.Name, a.spec.Policy.Name(), now, err)
		}
		c.sim.Stop()
		return
	}
	desired = max(desired, 0)
	d := results.Decision{
		TimeS: now.Seconds(), Service: s.spec.Name, Policy: a.spec.Policy.Name(),
		Metric: metric, Current: current, Desired: desired, Reason: reason,
	}
	if c.onDecision != nil {
		if err := c.onDecision(d); err != nil && c.runErr == nil {
			c.runErr = err
			c.sim.Stop()
		}
	}
	if desired != current && len(c.decisions) < maxSummaryDecisions {
		c.decisions = append(c.decisions, d)
	}
	if desired != current {
		c.SetDesired(int(s.id), desired)
	}
}

// onScrape and onSync are the periodic metrics-collection and autoscaler
// events of one service (Target = service index).
func (c *Cluster) onScrape(ev engine.Event) {
	s := c.services[ev.Target]
	c.scrape(s)
	c.sim.After(s.auto.spec.ScrapeInterval, c.kScrape, ev.Target, 0)
}

func (c *Cluster) onSync(ev engine.Event) {
	s := c.services[ev.Target]
	c.sync(s)
	c.sim.After(s.auto.spec.SyncPeriod, c.kSync, ev.Target, 0)
}

// startAutoscalers schedules every autoscaled service's first scrape and
// sync.
func (c *Cluster) startAutoscalers() {
	for _, s := range c.services {
		if s.auto == nil {
			continue
		}
		c.sim.Schedule(engine.Time(s.auto.spec.ScrapeInterval), c.kScrape, s.id, 0)
		first := s.auto.spec.FirstSync
		if first <= 0 {
			first = s.auto.spec.SyncPeriod
		}
		c.sim.Schedule(engine.Time(first), c.kSync, s.id, 0)
	}
}
