package models

import (
	"math/rand/v2"

	"github.com/clustersim/clustersim/sim/dist"
	"github.com/clustersim/clustersim/sim/engine"
	"github.com/clustersim/clustersim/sim/results"
)

// VersionSpec is one version of a service's code. The first of a
// service's versions is what runs at the start.
type VersionSpec struct {
	Name string
	// ServiceTime replaces the workload's service time on instances of
	// this version (Kind "" keeps the workload's draw).
	ServiceTime dist.Spec
	// AddedLatency is added to every service time on this version (a
	// slower code path), saturating.
	AddedLatency engine.Duration
	// ErrorRate is the probability that a request it serves is answered
	// with an error at once (counted failed, no service time).
	ErrorRate float64
	// NeverReady instances start but never pass their readiness probe.
	NeverReady bool
	// CrashAfter crashes its instances after they have been ready this
	// long (0: never), and the replacements again: a crash loop
	// (versiondeath.go).
	CrashAfter engine.Duration
	// Leak slows its instances with uptime until an OOM kill.
	Leak LeakSpec
}

// Request flags, kept beside the request records (requestPool.flags) only
// when some service has versions, so the 32-byte request is unchanged.
const (
	flagError  uint8 = 1 << iota // answered with an error by its version
	flagShadow                   // a mirrored copy: its response is discarded
)

// version is the run state of one version of a service.
type version struct {
	spec  VersionSpec
	work  dist.Sampler // its service time, nil to keep the workload's
	errs  *rand.Rand   // error draws, nil when ErrorRate is 0
	win   versionCounts
	total versionCounts // windows after warm-up
	// an accumulates the current deploy analysis interval, when one runs.
	an versionCounts
	// crashes and ooms count its instances' deaths (versiondeath.go).
	crashes, ooms int64
	// users are the users it answered after warm-up (identity.go).
	users userSet
}

// versionCounts are a version's counts over some span.
type versionCounts struct {
	arrivals, ok, errors, shadow int64
	lat                          *latencies
}

func newVersionCounts() versionCounts { return versionCounts{lat: newLatencies()} }

func (v *versionCounts) reset() {
	lat := v.lat
	lat.reset()
	*v = versionCounts{lat: lat}
}

func (v *versionCounts) fold(w *versionCounts) {
	v.arrivals += w.arrivals
	v.ok += w.ok
	v.errors += w.errors
	v.shadow += w.shadow
	v.lat.merge(w.lat)
}

// VersionColumns lists the time-series columns each version of a service
// with versions contributes, named SERVICE@VERSION.METRIC.
var VersionColumns = []string{
	"replicas_ready", // instances of the version in the ready state (in or out of the balancer) at the window's end
	"rps",            // requests routed to the version per second (mirrored copies included)
	"errors",         // error responses of the version per second
	"p99_ms",         // 99th percentile latency of its successful requests; empty when none succeeded
}

// newVersions builds a service's version states, nil without versions.
func (c *Cluster) newVersions(spec ServiceSpec) ([]version, error) {
	if len(spec.Versions) == 0 {
		return nil, nil
	}
	if len(spec.Versions) > 256 {
		return nil, errTooManyVersions
	}
	c.pool.flags.on = true
	vs := make([]version, len(spec.Versions))
	for i, vspec := range spec.Versions {
		v := &vs[i]
		v.spec = vspec
		prefix := "service." + spec.Name + ".version." + vspec.Name
		var err error
		if v.work, err = c.sampler(vspec.ServiceTime, prefix+".service_time"); err != nil {
			return nil, err
		}
		if vspec.ErrorRate > 0 {
			v.errs = c.sim.Stream(prefix + ".errors")
		}
		v.win, v.total, v.an = newVersionCounts(), newVersionCounts(), newVersionCounts()
		if vspec.dies() && c.kDeath == c.kArrival { // not registered yet (kinds are numbered from the first, arrival)
			c.kDeath = c.sim.Register("version-death", c.onDeath)
		}
	}
	return vs, nil
}

// versionWork returns the service time of request id on in, which runs a
// version of s, drawing whether it is answered with an error.
func (c *Cluster) versionWork(s *Service, in *instance, id RequestID, work engine.Duration) engine.Duration {
	v := &s.vers[in.version]
	if v.errs != nil && v.errs.Float64() < v.spec.ErrorRate {
		c.pool.flags.v[id] |= flagError
		return 0
	}
	if v.work != nil {
		work = engine.FromSeconds(v.work.Sample())
	}
	if add := v.spec.AddedLatency; add > 0 {
		work = engine.Time(work).Add(add).Sub(0) // saturating
	}
	return leakWork(&v.spec, in, c.sim.Now(), work)
}

// errorAnswer reports whether request id is answered with an error by
// its version (a 5xx for outlier detection).
func (c *Cluster) errorAnswer(id RequestID) bool {
	return c.pool.flags.on && c.pool.flags.v[id]&(flagError|flagFeature) != 0
}

// versionDone counts a completion on a version, and reports whether the
// request is fully handled (an error response or a mirrored copy), so
// that the caller does not count it as a client success.
func (c *Cluster) versionDone(s *Service, in *instance, id RequestID, now engine.Time) bool {
	v := &s.vers[in.version]
	r := &c.pool.reqs[id]
	f := c.pool.flags.v[id]
	d := s.blame // the last deployment: its version is blamed
	an := d != nil && d.analyzing
	bad := d != nil && int(in.version) == d.spec.Version
	if f&flagShadow != 0 {
		v.win.shadow++
	} else if c.userSpace > 0 && r.counted {
		v.users.add(c.userOf(id), c.userSpace)
	}
	if f&flagError != 0 {
		v.win.errors++
		if an {
			v.an.errors++
		}
		if f&flagShadow == 0 {
			if bad {
				d.blast++
				d.newReq++
				d.hurt.add(c.userOf(id), c.userSpace)
			}
			if !r.timedOut {
				c.stopTimeout(id)
				s.win.failed++
				w := c.workloads[r.workload]
				if r.counted {
					w.failed++
				}
				c.ended(w, c.who(id), outFailed, w.rtt)
			}
		}
		return true
	}
	if r.timedOut && f&flagShadow == 0 {
		if bad { // too slow for its client: in the blast radius
			d.blast++
			d.newReq++
			d.hurt.add(c.userOf(id), c.userSpace)
		}
		return false // the client already counted a timeout
	}
	ms := now.Sub(r.sent).Milliseconds()
	v.win.ok++
	v.win.lat.add(ms)
	if an {
		v.an.ok++
		v.an.lat.add(ms)
	}
	if f&flagShadow != 0 {
		return true
	}
	if bad {
		d.newReq++
		if d.spec.SLO > 0 && ms > d.spec.SLO.Milliseconds() {
			d.blast++
			d.hurt.add(c.userOf(id), c.userSpace)
		}
	}
	return false
}

// versionRow appends a service's per-version columns for the window
// closing now, and folds the window into the totals when counted.
func (s *Service) versionRow(row []float64, span float64, counted bool) []float64 {
	for i := range s.vers {
		v := &s.vers[i]
		ready := 0
		for _, in := range s.instances {
			if in.state == Ready && int(in.version) == i {
				ready++
			}
		}
		row = append(row, float64(ready), float64(v.win.arrivals)/span, float64(v.win.errors)/span, v.win.lat.quantile(0.99))
		if counted {
			v.total.fold(&v.win)
		}
		v.win.reset()
	}
	return row
}

// versionSummaries returns a service's per-version figures.
func (c *Cluster) versionSummaries(s *Service, secs float64) map[string]results.VersionSummary {
	if s.vers == nil {
		return nil
	}
	out := map[string]results.VersionSummary{}
	for i := range s.vers {
		v := &s.vers[i]
		req := results.Requests{OK: v.total.ok, Failed: v.total.errors, Errors: v.total.errors}
		req.Total = req.OK + req.Errors
		req.SetErrorRatio()
		out[v.spec.Name] = results.VersionSummary{
			Requests:       req,
			RPS:            float64(v.total.arrivals) / secs,
			LatencyMs:      v.total.lat.summary(),
			ShadowRequests: v.total.shadow,
			Crashes:        deathCount(v.crashes, v.spec.CrashAfter > 0),
			OOMKills:       deathCount(v.ooms, v.spec.Leak.oomAfter() < engine.MaxDuration),
		}
		if c.userSpace > 0 {
			n := v.users.count(c.userSpace)
			vs := out[v.spec.Name]
			vs.Users = &n
			out[v.spec.Name] = vs
		}
	}
	return out
}
