// Package breaker is a client-side circuit breaker as a pure state
// machine: the caller reports each outcome and asks before each request,
// passing the time. It follows the classic three states of Nygard's
// "Release It!" and of Hystrix and resilience4j:
//
//   - Closed: requests flow; Failures consecutive failures open it.
//   - Open: requests fail fast, without being sent, for OpenFor.
//   - HalfOpen: after OpenFor, up to Probes requests are let through;
//     if Probes of them succeed the breaker closes, and any failure opens
//     it again for another OpenFor.
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
}

// New returns a closed breaker.
func New(cfg Config) (*Breaker, error) {
	if cfg.Failures < 1 || cfg.OpenFor <= 0 || cfg.Probes < 1 {
		return nil, fmt.Errorf("breaker: bad config %+v", cfg)
	}
	return &Breaker{cfg: cfg}, nil
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
		b.state, b.admitted, b.passed = HalfOpen, 0, 0
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
	case HalfOpen:
		if b.state != HalfOpen { // the interval passed with no request yet
			return
		}
		b.passed++
		if b.passed >= b.cfg.Probes {
			b.state, b.fails = Closed, 0
		}
	}
}

// Failure records a request that failed at now.
func (b *Breaker) Failure(now engine.Time) {
	switch b.State(now) {
	case Closed:
		b.fails++
		if b.fails >= b.cfg.Failures {
			b.open(now)
		}
	case HalfOpen:
		if b.state == HalfOpen {
			b.open(now)
		}
	}
}

func (b *Breaker) open(now engine.Time) {
	b.state, b.until = Open, now.Add(b.cfg.OpenFor)
	b.opened++
}
