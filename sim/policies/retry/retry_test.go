package retry_test

import (
	"testing"

	"github.com/clustersim/clustersim/sim/engine"
	"github.com/clustersim/clustersim/sim/policies/retry"
)

const ms = engine.Millisecond

// TestBackoff checks each jitter mode against its definition in "Exponential
// Backoff and Jitter" (Marc Brooker, AWS Architecture Blog, 2015):
//
//	no jitter:     sleep = min(cap, base * 2 ** attempt)
//	full:          sleep = random_between(0, min(cap, base * 2 ** attempt))
//	equal:         temp = min(cap, base * 2 ** attempt); sleep = temp/2 + random_between(0, temp/2)
//	decorrelated:  sleep = min(cap, random_between(base, sleep * 3)), sleep starting at base
//
// with hand-computed values for base 100ms, cap 1s.
func TestBackoff(t *testing.T) {
	base, cap := 100*ms, 1000*ms
	tests := []struct {
		name    string
		j       retry.Jitter
		attempt int
		prev    engine.Duration
		u       float64
		want    engine.Duration
	}{
		{"none first retry is base", retry.None, 0, 0, 0.7, 100 * ms},
		{"none doubles", retry.None, 1, 0, 0.7, 200 * ms},
		{"none 2^3", retry.None, 3, 0, 0.7, 800 * ms},
		{"none capped", retry.None, 4, 0, 0.7, 1000 * ms},
		{"none capped far out", retry.None, 80, 0, 0.7, 1000 * ms},
		{"full u=0", retry.Full, 2, 0, 0, 0},
		{"full u=0.5", retry.Full, 2, 0, 0.5, 200 * ms},
		{"full u=0.25 capped", retry.Full, 6, 0, 0.25, 250 * ms},
		{"equal u=0 is half", retry.Equal, 2, 0, 0, 200 * ms},
		{"equal u=0.5", retry.Equal, 2, 0, 0.5, 300 * ms},
		{"equal capped u=0.999", retry.Equal, 9, 0, 0.999, 999500 * engine.Microsecond},
		{"decorrelated first u=0 is base", retry.Decorrelated, 0, 0, 0, 100 * ms},
		{"decorrelated first u=0.5", retry.Decorrelated, 0, 0, 0.5, 200 * ms}, // between 100ms and 300ms
		{"decorrelated from prev 200ms", retry.Decorrelated, 1, 200 * ms, 0.5, 350 * ms},
		{"decorrelated capped", retry.Decorrelated, 3, 900 * ms, 0.9, 1000 * ms},
		{"decorrelated prev below base", retry.Decorrelated, 1, 10 * ms, 0, 100 * ms},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := retry.Backoff(tt.j, base, cap, tt.attempt, tt.prev, tt.u); got != tt.want {
				t.Errorf("Backoff(%v, attempt %d, prev %v, u %v) = %v, want %v", tt.j, tt.attempt, tt.prev, tt.u, got, tt.want)
			}
		})
	}
}

// TestExpNoCapSaturates: without a cap the exponential saturates instead
// of wrapping negative.
func TestExpNoCapSaturates(t *testing.T) {
	if got := retry.Exp(100*ms, 0, 200); got <= 0 {
		t.Errorf("Exp without cap after 200 doublings = %v, want a large positive duration", got)
	}
	if got := retry.Exp(100*ms, 0, 5); got != 3200*ms {
		t.Errorf("Exp(100ms, no cap, 5) = %v, want 3.2s", got)
	}
}

// TestBackoffBounds: over many draws, each mode stays within the range its
// definition gives.
func TestBackoffBounds(t *testing.T) {
	base, cap := 50*ms, 2000*ms
	for _, j := range []retry.Jitter{retry.None, retry.Full, retry.Equal, retry.Decorrelated} {
		prev := base
		for a := range 12 {
			for k := range 100 {
				u := float64(k) / 100
				s := retry.Backoff(j, base, cap, a, prev, u)
				e := retry.Exp(base, cap, a)
				lo, hi := e, e
				switch j {
				case retry.Full:
					lo = 0
				case retry.Equal:
					lo = e / 2
				case retry.Decorrelated:
					lo, hi = base, min(cap, 3*prev)
				}
				if s < lo || s > hi {
					t.Fatalf("%v attempt %d u %v: %v outside [%v, %v]", j, a, u, s, lo, hi)
				}
			}
			prev = retry.Backoff(j, base, cap, a, prev, 0.99)
		}
	}
}

func TestParseJitter(t *testing.T) {
	for i, n := range retry.Jitters {
		j, err := retry.ParseJitter(n)
		if err != nil || int(j) != i || j.String() != n {
			t.Errorf("ParseJitter(%q) = %v, %v", n, j, err)
		}
	}
	if _, err := retry.ParseJitter("half"); err == nil {
		t.Error("ParseJitter accepted an unknown mode")
	}
}

// TestBudget checks the budget arithmetic: retries + 1 <= ratio ×
// requests over the last 10 s (Finagle RetryBudget, ttl 10 s), by hand.
func TestBudget(t *testing.T) {
	sec := engine.Time(engine.Second)
	type step struct {
		at      engine.Time
		reqs    int  // requests recorded at at, before the retry
		wantOK  bool // whether a retry at at is allowed
		comment string
	}
	tests := []struct {
		name  string
		ratio float64
		steps []step
	}{
		{"nothing without requests", 0.2, []step{{0, 0, false, "0 requests"}}},
		{"one in five", 0.2, []step{
			{0, 4, false, "1 > 0.2×4"},
			{0, 1, true, "1 <= 0.2×5"},
			{0, 0, false, "2 > 0.2×5"},
			{sec, 5, true, "2 <= 0.2×10"},
		}},
		{"deposits expire after 10s", 1, []step{
			{0, 3, true, "1 <= 3"},
			{sec * 5, 0, true, "2 <= 3"},
			{sec * 9, 0, true, "3 <= 3, still in the window"},
			{sec * 10, 0, false, "slot 0 expired: no requests left"},
		}},
		{"a long gap clears the window", 0.5, []step{
			{0, 10, true, ""},
			{sec * 100, 1, false, "1 > 0.5×1"},
			{sec * 100, 1, true, "1 <= 0.5×2"},
		}},
		{"ratio above one", 3, []step{
			{0, 1, true, ""}, {0, 0, true, ""}, {0, 0, true, ""}, {0, 0, false, "4 > 3"},
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b := retry.NewBudget(tt.ratio)
			for i, s := range tt.steps {
				for range s.reqs {
					b.Request(s.at)
				}
				if got := b.Allow(s.at); got != s.wantOK {
					t.Errorf("step %d at %v (%s): Allow = %v, want %v", i, s.at, s.comment, got, s.wantOK)
				}
			}
		})
	}
}
