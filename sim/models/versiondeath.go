package models

import "github.com/clustersim/clustersim/sim/engine"

// Version failure behaviours: a version may crash after running for a
// while (CrashAfter) or leak memory (Leak): its service times grow with
// its instances' uptime, service time × (1 + Rate × uptime in hours),
// until the factor reaches Limit, when the instance is OOM-killed. Either
// death is a crash (crash in fault.go: the requests on it fail, and
// health checks or outlier detection must notice it if configured); the
// fleet replaces it with an instance of the same version, which dies the
// same way after the same uptime: a crash loop. Uptime counts from when
// the instance became ready (for the initial fleet, from the start of the
// run). Kubernetes' CrashLoopBackOff — restarting the container in place
// after 10 s, 20 s, 40 s ... up to 5 min — is not modelled: a crashed
// instance is replaced at once, as a crashed pod is by its ReplicaSet,
// and the replacement pays its start-up.

// LeakSpec is a version's memory leak.
type LeakSpec struct {
	Rate  float64 // growth of the service-time factor per hour of uptime, > 0 (0: no leak)
	Limit float64 // factor at which the instance is OOM-killed, > 1; 0 for never
}

// oomAfter returns the uptime at which a leak reaches its limit, or
// engine.MaxDuration when it never does.
func (l LeakSpec) oomAfter() engine.Duration {
	if l.Rate <= 0 || l.Limit <= 1 {
		return engine.MaxDuration
	}
	return engine.FromSeconds((l.Limit - 1) / l.Rate * 3600)
}

// factor returns the leak's service-time factor after uptime.
func (l LeakSpec) factor(uptime engine.Duration) float64 {
	return 1 + l.Rate*uptime.Seconds()/3600
}

// uptime returns how long an instance has run since it became ready
// (the initial fleet: since the start).
func uptime(in *instance, now engine.Time) engine.Duration {
	return now.Sub(max(in.readyAt, 0))
}

// dies reports whether a version's instances die of their own accord.
func (v *VersionSpec) dies() bool {
	return v.CrashAfter > 0 || v.Leak.oomAfter() < engine.MaxDuration
}

// scheduleDeath arranges the crash or OOM kill of instance idx of s,
// ready at from, when its version dies of its own accord.
func (c *Cluster) scheduleDeath(s *Service, idx int32, from engine.Time) {
	in := s.instances[idx]
	v := &s.vers[in.version].spec
	if !v.dies() {
		return
	}
	after, oom := v.Leak.oomAfter(), int64(1)
	if v.CrashAfter > 0 && v.CrashAfter <= after {
		after, oom = v.CrashAfter, 0
	}
	if at := max(from, 0).Add(after); at <= c.horizon {
		c.sim.Schedule(at, c.kDeath, s.id, instanceRef(idx, in.gen)<<1|oom)
	}
}

// onDeath crashes an instance whose version dies after its uptime. The
// requests lost with it count as its version's errors (in the deploy
// judge's figures and the blast radius too): clients see them fail.
func (c *Cluster) onDeath(ev engine.Event) {
	s := c.services[ev.Target]
	idx, gen := unpackRef(ev.Arg >> 1)
	in := s.instances[idx]
	if in.gen != gen || (in.state != Ready && in.state != Unready) {
		return
	}
	v := &s.vers[in.version]
	switch {
	case c.sim.Now() < c.warmup:
	case ev.Arg&1 == 1:
		v.ooms++
	default:
		v.crashes++
	}
	lost := int64(in.busy) + int64(in.qlen)
	v.win.errors += lost
	if d := s.blame; d != nil {
		if d.analyzing {
			v.an.errors += lost
		}
		if int(in.version) == d.spec.Version {
			d.blast += lost
			d.newReq += lost
		}
	}
	if in.state == Ready {
		c.crash(s, idx)
	} else {
		c.terminate(s, idx)
	}
	c.SetDesired(int(s.id), s.desired) // the fleet replaces it
}

// leakWork scales a service time by the leak of the version in runs.
func leakWork(v *VersionSpec, in *instance, now engine.Time, work engine.Duration) engine.Duration {
	if v.Leak.Rate <= 0 {
		return work
	}
	return work.Scale(v.Leak.factor(uptime(in, now)))
}

// deathCount returns a version's deaths of one cause, nil when the
// version cannot die of it.
func deathCount(n int64, possible bool) *int64 {
	if !possible {
		return nil
	}
	return &n
}
