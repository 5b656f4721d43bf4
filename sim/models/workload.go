package models

import (
	"math"
	"math/rand/v2"

	"github.com/clustersim/clustersim/sim/dist"
	"github.com/clustersim/clustersim/sim/engine"
	"github.com/clustersim/clustersim/sim/policies/breaker"
)

// Arrival is how a workload spaces its requests.
type Arrival int

// Arrival processes.
const (
	Poisson  Arrival = iota // exponential gaps; a non-homogeneous Poisson process when the rate varies
	Constant                // evenly spaced at 1/rate
	Trace                   // replayed from a list of times
	MMPP                    // Markov-modulated Poisson: on/off bursts (mmpp.go)
)

// RatePoint is one vertex of a piecewise-linear rate curve.
type RatePoint struct {
	At   engine.Time // when
	Rate float64     // requests per second at At
}

// RateCurve is a piecewise-linear arrival rate: linear between consecutive
// points, constant after the last. Two points at the same time make a step.
// Points must be in non-decreasing time order and start at time 0.
type RateCurve []RatePoint

// At returns the rate at t, in requests per second.
func (c RateCurve) At(t engine.Time) float64 {
	i := c.segment(t)
	if i == len(c)-1 {
		return c[i].Rate
	}
	return c.interp(i, t)
}

// segment returns the index i of the segment [c[i].At, c[i+1].At) holding t,
// or len(c)-1 past the last point.
func (c RateCurve) segment(t engine.Time) int {
	i := 0
	for i+1 < len(c) && c[i+1].At <= t {
		i++
	}
	return i
}

func (c RateCurve) interp(i int, t engine.Time) float64 {
	a, b := c[i], c[i+1]
	if b.At == a.At {
		return b.Rate
	}
	f := float64(t-a.At) / float64(b.At-a.At)
	return a.Rate + f*(b.Rate-a.Rate)
}

// Integral returns the expected number of arrivals in [from, to).
func (c RateCurve) Integral(from, to engine.Time) float64 {
	total := 0.0
	for i := range c {
		segStart := c[i].At
		segEnd := engine.Time(math.MaxInt64)
		if i+1 < len(c) {
			segEnd = c[i+1].At
		}
		lo, hi := max(from, segStart), min(to, segEnd)
		if hi <= lo {
			continue
		}
		var r0, r1 float64
		if i+1 < len(c) {
			r0, r1 = c.interp(i, lo), c.interp(i, hi)
		} else {
			r0, r1 = c[i].Rate, c[i].Rate
		}
		total += (r0 + r1) / 2 * float64(hi-lo) / 1e9
	}
	return total
}

// WorkloadSpec describes one client population.
type WorkloadSpec struct {
	Name        string
	Service     int             // index of the target service
	Arrival     Arrival         // arrival process
	Rate        RateCurve       // Poisson and Constant
	Replay      *ReplaySpec     // Trace: the trace streamed and how (replay.go)
	MMPP        MMPPSpec        // MMPP: the two states' rates and mean sojourns
	ServiceTime dist.Spec       // work each request needs, on a warm instance
	Timeout     engine.Duration // client timeout, 0 for none
	Network     *NetworkSpec    // connections and round trips; nil: requests reach the service directly
	Lifetime    dist.Spec       // long-lived connections: each arrival opens one living this long (seconds) ...
	MessageRate float64         // ... sending this many requests per second (Poisson); 0 without
	Keys        KeySpec         // request keys, for hashing and sticky balancers
	Users       int             // closed loop: users who wait for each answer, then think; 0 for open loop
	Think       dist.Spec       // closed loop: think time between an answer and the next request
	// UserSchedule changes the closed loop's user count over time, in
	// time order.
	UserSchedule []UserStep
	Retry        *RetrySpec      // client retries; nil for none
	Breaker      *breaker.Config // client-side circuit breaker; nil for none
	Hedge        *HedgeSpec      // hedged requests; nil for none (hedge.go)
	// Writes is the share of its requests that are writes when it targets
	// a database (database.go); nil for the database's own share.
	Writes *float64
	// Endpoints is the mix of endpoints its requests ask for; nil for
	// requests without one (identity.go).
	Endpoints []EndpointSpec
	// Sessions makes arrivals (open loop) or users' turns (closed loop)
	// start sessions of these kinds, sequences of Endpoints; nil for none.
	Sessions []SessionSpec
	// UserIDs gives an open loop's requests (or sessions) a user drawn
	// uniformly from this many; 0 for none. A closed loop's users are
	// its users.
	UserIDs int
}

// UserStep sets a closed-loop workload's user count from At on.
type UserStep struct {
	At    engine.Time
	Users int
}

// workload generates a workload's requests.
type workload struct {
	spec     WorkloadSpec
	id       int32
	arrivals *rand.Rand         // stream "workload.NAME.arrivals"
	work     dist.Sampler       // on stream "workload.NAME.service_time"
	timer    *engine.DelayQueue // client timeouts, nil without a timeout
	seg      int                // current rate segment
	replay   *replay            // Trace: position in the trace (replay.go), nil otherwise
	net      *workloadNet       // keep-alive clients, nil without a network table (network.go)
	long     *longLived         // long-lived connections, nil without
	rtt      engine.Duration    // network round trip added to each request's latency
	clients                     // closed-loop users and retries (clients.go)

	// Counters after warm-up.
	sent     int64
	ok       int64
	timeouts int64
	rejected int64
	failed   int64
	resent   int64      // retries sent
	lat      *latencies // latencies of requests completed in windows after warm-up
	winLat   *latencies // latencies of requests completed in the current window

	keys *keySampler // request keys on stream "workload.NAME.keys", nil without
	mmpp *mmpp       // on/off chain, nil unless Arrival is MMPP (mmpp.go)

	ident *identity // users, endpoints and sessions; nil without (identity.go)
}

// next returns the time of the next arrival after t, or -1 when the
// workload sends no more.
func (w *workload) next(t engine.Time) engine.Time {
	switch w.spec.Arrival {
	case Trace:
		return w.replay.next()
	case Constant:
		return w.nextConstant(t)
	case MMPP:
		return w.mmpp.next(t, w.arrivals)
	}
	return w.nextPoisson(t)
}

// nextPoisson draws the next arrival of a non-homogeneous Poisson process
// by thinning (Lewis & Shedler 1979), segment by segment: within a segment
// candidates come at the segment's peak rate and are kept with probability
// rate(t)/peak. Crossing a segment boundary restarts from the boundary,
// which the memorylessness of the exponential makes exact.
func (w *workload) nextPoisson(t engine.Time) engine.Time {
	c := w.spec.Rate
	for {
		for w.seg+1 < len(c) && c[w.seg+1].At <= t {
			w.seg++
		}
		last := w.seg == len(c)-1
		peak := c[w.seg].Rate
		end := engine.Time(math.MaxInt64)
		if !last {
			peak = max(peak, c[w.seg+1].Rate)
			end = c[w.seg+1].At
		}
		if peak <= 0 {
			if last {
				return -1
			}
			t = end
			continue
		}
		gap := engine.FromSeconds(w.arrivals.ExpFloat64() / peak)
		if gap > engine.Duration(end-t) {
			t = end
			continue
		}
		t = t.Add(gap)
		if last || c[w.seg].Rate == c[w.seg+1].Rate {
			return t
		}
		if w.arrivals.Float64()*peak < c.interp(w.seg, t) {
			return t
		}
	}
}

// nextConstant spaces arrivals 1/rate(t) apart.
func (w *workload) nextConstant(t engine.Time) engine.Time {
	c := w.spec.Rate
	for {
		for w.seg+1 < len(c) && c[w.seg+1].At <= t {
			w.seg++
		}
		r := c[w.seg].Rate
		if w.seg+1 < len(c) {
			r = c.interp(w.seg, t)
		}
		if r > 0 {
			return t.Add(engine.FromSeconds(1 / r))
		}
		if w.seg == len(c)-1 {
			return -1
		}
		t = c[w.seg+1].At
	}
}
