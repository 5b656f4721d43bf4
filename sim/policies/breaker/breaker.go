// Package breaker is a client-side circuit breaker as a pure state
// machine: the caller reports each outcome and asks before each request,
// passing the time. It follows the classic three states of Nygard's
// "Release It!" and of Hystrix and resilience4j:
//
//   - Closed: requests flow; Failures consecutive failures open it
//     (consecutive mode), or, in error-rate mode (ErrorRate > 0), a
//     failure rate of at least ErrorRate over the outcomes of the last
//     Window requests, once at least MinRequests of them are recorded
//     (resilience4j's failureRateThreshold, COUNT_BASED slidingWindowSize
//     and minimumNumberOfCalls).
//   - Open: requests fail fast, without being sent, for OpenFor.
//   - HalfOpen: after OpenFor, up to Probes requests are let through.
//     Consecutive mode: if Probes of them succeed the breaker closes, and
//     any failure opens it again for another OpenFor. Error-rate mode
//     (resilience4j's permittedNumberOfCallsInHalfOpenState): once the
//     Probes outcomes are in, a failure rate of at least ErrorRate among
//     them opens it again, a lower one closes it with an empty window.
//
// Outcomes that arrive while Open (requests sent before it opened) are
// ignored.
package breaker

import (
	"fmt"

	"github.com/clustersim/clustersim/sim/engine"
)

// State is where a breaker is.
type State uint8

// Breaker states.
const (
	Closed State = iota
	Open
	HalfOpen
)

// String returns the state's name.
func (s State) String() string {
	switch s {
	case Closed:
		return "closed"
	case Open:
		return "open"
	case HalfOpen:
		return "half-open"
	}
	panic(fmt.Sprintf("breaker: unknown state %d", s))
}

// Config is a breaker's settings.
type Config struct {
	Failures int             // consecutive failures that open it; >= 1
	OpenFor  engine.Duration // how long it stays open before probing; > 0
	Probes   int             // requests let through half-open, and successes needed to close; >= 1
	// ErrorRate, when > 0, selects error-rate mode: a failure rate in
	// (0, 1] over the last Window outcomes that opens it (Failures is
	// then unused).
	ErrorRate   float64
	Window      int // outcomes the error rate is computed over; >= 1 in error-rate mode
	MinRequests int // outcomes needed before the rate counts; 1..Window in error-rate mode
}

// Breaker is one circuit breaker. The zero value is not usable; use New.
type Breaker struct {
	cfg      Config
	state    State
	fails    int         // consecutive failures while closed
	until    engine.Time // end of the open interval
	admitted int         // probes let through while half-open
	passed   int         // probes that succeeded
	opened   int64       // times it opened
	ring     []bool      // error-rate mode: the last Window outcomes, true for a failure
	head     int         // next slot of ring
	n        int         // outcomes in ring
	bad      int         // failures in ring
	probeBad int         // error-rate mode: failed probes while half-open
}

// New returns a closed breaker.
func New(cfg Config) (*Breaker, error) {
	if cfg.ErrorRate > 0 {
		if !(cfg.ErrorRate <= 1) || cfg.Window < 1 || cfg.MinRequests < 1 || cfg.MinRequests > cfg.Window || cfg.OpenFor <= 0 || cfg.Probes < 1 {
			return nil, fmt.Errorf("breaker: bad config %+v", cfg)
		}
		return &Breaker{cfg: cfg, ring: make([]bool, cfg.Window)}, nil
	}
	if cfg.Failures < 1 || cfg.OpenFor <= 0 || cfg.Probes < 1 || cfg.ErrorRate < 0 {
		return nil, fmt.Errorf("breaker: bad config %+v", cfg)
	}
	return &Breaker{cfg: cfg}, nil
}

// rateMode reports whether the breaker opens on an error rate.
func (b *Breaker) rateMode() bool { return b.ring != nil }

// record adds an outcome to the error-rate window, dropping the oldest
// once it holds Window, and reports whether the failure rate now opens the
// breaker.
func (b *Breaker) record(failed bool) bool {
	if b.n == len(b.ring) {
		if b.ring[b.head] {
			b.bad--
		}
	} else {
		b.n++
	}
	b.ring[b.head] = failed
	if failed {
		b.bad++
	}
	b.head = (b.head + 1) % len(b.ring)
	return b.n >= b.cfg.MinRequests && float64(b.bad) >= b.cfg.ErrorRate*float64(b.n)
}

// reset empties the error-rate window.
func (b *Breaker) reset() {
	clear(b.ring)
	b.head, b.n, b.bad = 0, 0, 0
}

// FailureRate returns the failure rate over the error-rate window, and
// false when fewer than MinRequests outcomes are recorded or the breaker
// counts consecutive failures.
func (b *Breaker) FailureRate() (float64, bool) {
	if !b.rateMode() || b.n < b.cfg.MinRequests {
		return 0, false
	}
	return float64(b.bad) / float64(b.n), true
}

// State returns the breaker's state at now (an open breaker whose
// interval has passed is half-open).
func (b *Breaker) State(now engine.Time) State {
	if b.state == Open && now >= b.until {
		return HalfOpen
	}
	return b.state
}

// Opened returns how many times the breaker has opened.
func (b *Breaker) Opened() int64 { return b.opened }

// Allow reports whether a request may be sent at now; false means it
// fails fast.
func (b *Breaker) Allow(now engine.Time) bool {
	if b.state == Open {
		if now < b.until {
			return false
		}
		b.state, b.admitted, b.passed, b.probeBad = HalfOpen, 0, 0, 0
	}
	if b.state == HalfOpen {
		if b.admitted >= b.cfg.Probes {
			return false
		}
		b.admitted++
	}
	return true
}

// Success records a request that succeeded at now.
func (b *Breaker) Success(now engine.Time) {
	switch b.State(now) {
	case Closed:
		b.fails = 0
		if b.rateMode() && b.record(false) {
			b.open(now) // the window just reached MinRequests with enough failures
		}
	case HalfOpen:
		if b.state != HalfOpen { // the interval passed with no request yet
			return
		}
		b.passed++
		b.probed(now)
	}
}

// probed decides a half-open breaker once its probes are in: consecutive
// mode closes after Probes successes; error-rate mode opens or closes on
// the probes' failure rate.
func (b *Breaker) probed(now engine.Time) {
	if !b.rateMode() {
		if b.passed >= b.cfg.Probes {
			b.state, b.fails = Closed, 0
		}
		return
	}
	if b.passed+b.probeBad < b.cfg.Probes {
		return
	}
	if float64(b.probeBad) >= b.cfg.ErrorRate*float64(b.cfg.Probes) {
		b.open(now)
		return
	}
	b.state = Closed
	b.reset()
}

// Failure records a request that failed at now.
func (b *Breaker) Failure(now engine.Time) {
	switch b.State(now) {
	case Closed:
		if b.rateMode() {
			if b.record(true) {
				b.open(now)
			}
			return
		}
		b.fails++
		if b.fails >= b.cfg.Failures {
			b.open(now)
		}
	case HalfOpen:
		if b.state != HalfOpen {
			return
		}
		if b.rateMode() {
			b.probeBad++
			b.probed(now)
			return
		}
		b.open(now)
	}
}

func (b *Breaker) open(now engine.Time) {
	b.state, b.until = Open, now.Add(b.cfg.OpenFor)
	b.opened++
	if b.rateMode() {
		b.reset()
	}
}
