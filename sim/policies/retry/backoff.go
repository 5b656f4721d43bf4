package retry

import (
	"fmt"
	"math"

	"github.com/clustersim/clustersim/sim/engine"
)

// Jitter is how a backoff is randomised.
type Jitter uint8

// Jitter modes, as defined in "Exponential Backoff and Jitter" (AWS
// Architecture Blog, 2015). With t = min(cap, base·2^attempt) and u a
// uniform draw in [0, 1):
const (
	None         Jitter = iota // sleep = t
	Full                       // sleep = u·t (random_between(0, t))
	Equal                      // sleep = t/2 + u·t/2
	Decorrelated               // sleep = min(cap, random_between(base, prev·3)), prev = base before the first retry
)

// Jitters lists the modes' names, in order, as scenarios spell them.
var Jitters = []string{"none", "full", "equal", "decorrelated"}

// String returns the mode's name.
func (j Jitter) String() string {
	if int(j) < len(Jitters) {
		return Jitters[j]
	}
	panic(fmt.Sprintf("retry: unknown jitter %d", j))
}

// ParseJitter returns the mode named s.
func ParseJitter(s string) (Jitter, error) {
	for i, n := range Jitters {
		if n == s {
			return Jitter(i), nil
		}
	}
	return 0, fmt.Errorf("retry: unknown jitter %q", s)
}

// Exp returns min(cap, base·2^attempt), saturating: the capped
// exponential backoff before retry number attempt (0 for the first
// retry). A cap <= 0 means no cap.
func Exp(base, cap engine.Duration, attempt int) engine.Duration {
	t := base
	for range attempt {
		if cap > 0 && t >= cap {
			break
		}
		t = t.Mul(2) // saturates
	}
	if cap > 0 && t > cap {
		t = cap
	}
	return t
}

// Backoff returns how long a client sleeps before retry number attempt
// (0 for the first retry): base and cap are the backoff's base and cap
// (cap <= 0: none), prev the previous sleep (Decorrelated only; base or
// less for the first retry) and u a uniform draw in [0, 1).
func Backoff(j Jitter, base, cap engine.Duration, attempt int, prev engine.Duration, u float64) engine.Duration {
	switch j {
	case None:
		return Exp(base, cap, attempt)
	case Full:
		return engine.FromNanos(u * float64(Exp(base, cap, attempt)))
	case Equal:
		t := float64(Exp(base, cap, attempt))
		return engine.FromNanos(t/2 + u*t/2)
	case Decorrelated:
		prev = max(prev, base)
		hi := math.Min(3*float64(prev), math.MaxInt64/2)
		s := engine.FromNanos(float64(base) + u*(hi-float64(base)))
		if cap > 0 && s > cap {
			s = cap
		}
		return s
	}
	panic(fmt.Sprintf("retry: unknown jitter %d", j))
}
