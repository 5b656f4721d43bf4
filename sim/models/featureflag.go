package models

import (
	"fmt"
	"math/rand/v2"

	"github.com/clustersim/clustersim/sim/dist"
	"github.com/clustersim/clustersim/sim/engine"
	"github.com/clustersim/clustersim/sim/results"
)

// Feature flags: a share of the requests a service serves takes a new
// code path with its own costs — a service time of its own, added
// latency, an error rate — from From until the flag's kill switch at
// KillAt. Each request an instance starts draws, for each flag on at that
// instant, whether it is in the flag's cohort (stream
// "service.NAME.flag.FLAG"; flags are independent, and a request in
// several pays each one's costs). A flagged error is answered at once
// (no service time), failed like an errors fault's, and is a 5xx for
// outlier detection; it is the flag's, not the version's: a deploy's blast
// radius does not count it. The flagged requests and their errors are
// counted per flag, so the blast radius of a bad flag killed at T is its
// errors: Binomial(n, share × error_rate) of the n requests served before
// T.

// FlagSpec is one feature flag of a service.
type FlagSpec struct {
	Name         string
	Share        float64         // probability that a request takes the flag's path, in (0, 1]
	ServiceTime  dist.Spec       // replaces the request's service time on the path; Kind "" keeps it
	AddedLatency engine.Duration // added to the service time on the path
	ErrorRate    float64         // probability that a request on the path is answered with an error
	From         engine.Time     // when the flag turns on
	KillAt       engine.Time     // its kill switch: off from then on; 0 for never
}

// maxFlags bounds a service's flags: a request's cohorts are a byte.
const maxFlags = 8

// flagFeature marks a request answered with an error by a feature flag
// (requestPool.flags, beside the version flags).
const flagFeature uint8 = 1 << 2

// flag is one feature flag at run time.
type flag struct {
	spec          FlagSpec
	draws, errs   *rand.Rand
	work          dist.Sampler // nil to keep the request's service time
	win           int64        // flagged requests in the current window
	winErrors     int64
	total, errors int64 // flagged requests and errors after warm-up
	lat           *latencies
}

// newFlags builds a service's feature flags, nil without any.
func (c *Cluster) newFlags(spec ServiceSpec) ([]flag, error) {
	if len(spec.Flags) == 0 {
		return nil, nil
	}
	if len(spec.Flags) > maxFlags {
		return nil, fmt.Errorf("models: service %q: at most %d flags", spec.Name, maxFlags)
	}
	c.pool.flags.on, c.pool.cohorts.on = true, true
	fs := make([]flag, len(spec.Flags))
	for i, fspec := range spec.Flags {
		if !(fspec.Share > 0 && fspec.Share <= 1) || fspec.ErrorRate < 0 || fspec.ErrorRate > 1 {
			return nil, fmt.Errorf("models: service %q flag %q: bad share or error rate", spec.Name, fspec.Name)
		}
		prefix := "service." + spec.Name + ".flag." + fspec.Name
		f := &fs[i]
		f.spec, f.lat = fspec, newLatencies()
		f.draws = c.sim.Stream(prefix)
		f.errs = c.sim.Stream(prefix + ".errors")
		var err error
		if f.work, err = c.sampler(fspec.ServiceTime, prefix+".service_time"); err != nil {
			return nil, err
		}
	}
	return fs, nil
}

// on reports whether the flag applies at now.
func (f *flag) on(now engine.Time) bool {
	return now >= f.spec.From && (f.spec.KillAt == 0 || now < f.spec.KillAt)
}

// flagWork draws request id's cohorts at s and returns its service time
// on their paths.
func (c *Cluster) flagWork(s *Service, id RequestID, work engine.Duration) engine.Duration {
	now := c.sim.Now()
	var m uint8
	for i := range s.feat {
		f := &s.feat[i]
		if !f.on(now) || f.draws.Float64() >= f.spec.Share {
			continue
		}
		m |= 1 << i
		if f.work != nil {
			work = engine.FromSeconds(f.work.Sample())
		}
		work = engine.Time(work).Add(f.spec.AddedLatency).Sub(0) // saturating
		if f.spec.ErrorRate > 0 && f.errs.Float64() < f.spec.ErrorRate {
			c.pool.flags.v[id] |= flagFeature
		}
	}
	c.pool.cohorts.v[id] = m
	if c.pool.flags.v[id]&flagFeature != 0 {
		return 0 // answered with an error at once
	}
	return work
}

// flagDone counts a finished request in its flags' cohorts, and fails it
// when a flag answered it with an error, reporting true then.
func (c *Cluster) flagDone(s *Service, id RequestID, now engine.Time) bool {
	m := c.pool.cohorts.v[id]
	if m == 0 {
		return false
	}
	r := &c.pool.reqs[id]
	bad := c.pool.flags.v[id]&flagFeature != 0
	for i := range s.feat {
		if m&(1<<i) == 0 {
			continue
		}
		f := &s.feat[i]
		f.win++
		if bad {
			f.winErrors++
		}
		if !r.counted {
			continue
		}
		f.total++
		if bad {
			f.errors++
		} else if !r.timedOut {
			f.lat.add(now.Sub(r.sent).Milliseconds())
		}
	}
	if bad {
		c.fail(s, id)
	}
	return bad
}

// FlagColumns lists the time-series columns of a service with flags.
var FlagColumns = []string{
	"flagged_rps",    // requests answered on some flag's path per second (counted when answered)
	"flagged_errors", // errors answered by flags per second
}

// flagRow appends a service's flag columns for the window closing now.
func (s *Service) flagRow(row []float64, span float64) []float64 {
	var n, e int64
	for i := range s.feat {
		n += s.feat[i].win
		e += s.feat[i].winErrors
		s.feat[i].win, s.feat[i].winErrors = 0, 0
	}
	return append(row, float64(n)/span, float64(e)/span)
}

// flagSummaries returns a service's per-flag figures, nil without flags.
func (s *Service) flagSummaries() map[string]results.FlagSummary {
	if s.feat == nil {
		return nil
	}
	out := map[string]results.FlagSummary{}
	for i := range s.feat {
		f := &s.feat[i]
		kill := results.Missing()
		if f.spec.KillAt > 0 {
			kill = engine.Duration(f.spec.KillAt).Seconds()
		}
		out[f.spec.Name] = results.FlagSummary{
			Requests: f.total, Errors: f.errors, ErrorRatio: results.Ratio(f.errors, f.total),
			LatencyMs: f.lat.summary(), KilledAtS: kill,
		}
	}
	return out
}
