package breaker_test

import (
	"math"
	"testing"

	"github.com/clustersim/clustersim/sim/engine"
	"github.com/clustersim/clustersim/sim/policies/breaker"
)

// TestSequence walks a breaker (3 failures, open 10 s, 2 probes) through
// a hand-made sequence of requests and outcomes, checking each step
// against the three-state machine (Nygard, "Release It!", 2007, ch. 5;
// resilience4j's CircuitBreaker: permittedNumberOfCallsInHalfOpenState).
func TestSequence(t *testing.T) {
	const s = engine.Time(engine.Second)
	b, err := breaker.New(breaker.Config{Failures: 3, OpenFor: 10 * engine.Second, Probes: 2})
	if err != nil {
		t.Fatal(err)
	}
	type step struct {
		at        engine.Time
		op        string // "allow", "ok", "fail"
		wantAllow bool   // for "allow"
		want      breaker.State
		why       string
	}
	steps := []step{
		{0, "fail", false, breaker.Closed, "1 failure"},
		{1, "fail", false, breaker.Closed, "2 failures"},
		{2, "ok", false, breaker.Closed, "a success resets the count"},
		{3, "fail", false, breaker.Closed, "1"},
		{4, "fail", false, breaker.Closed, "2"},
		{5, "allow", true, breaker.Closed, "closed lets requests through"},
		{5 * s, "fail", false, breaker.Open, "3 consecutive: opens until 15 s"},
		{6 * s, "allow", false, breaker.Open, "open fails fast"},
		{6 * s, "ok", false, breaker.Open, "a late success while open is ignored"},
		{15*s - 1, "allow", false, breaker.Open, "still open 1 ns before the end"},
		{15 * s, "allow", true, breaker.HalfOpen, "first probe"},
		{15 * s, "allow", true, breaker.HalfOpen, "second probe"},
		{15 * s, "allow", false, breaker.HalfOpen, "only 2 probes"},
		{16 * s, "ok", false, breaker.HalfOpen, "1 of 2 probes passed"},
		{17 * s, "fail", false, breaker.Open, "a failed probe reopens, until 27 s"},
		{26 * s, "allow", false, breaker.Open, ""},
		{27 * s, "allow", true, breaker.HalfOpen, ""},
		{27 * s, "allow", true, breaker.HalfOpen, ""},
		{28 * s, "ok", false, breaker.HalfOpen, ""},
		{28 * s, "ok", false, breaker.Closed, "2 probes passed: closed"},
		{29 * s, "allow", true, breaker.Closed, ""},
		{29 * s, "fail", false, breaker.Closed, "the count started again at 0"},
	}
	for i, st := range steps {
		switch st.op {
		case "allow":
			if got := b.Allow(st.at); got != st.wantAllow {
				t.Fatalf("step %d at %v (%s): Allow = %v, want %v", i, st.at, st.why, got, st.wantAllow)
			}
		case "ok":
			b.Success(st.at)
		case "fail":
			b.Failure(st.at)
		}
		if got := b.State(st.at); got != st.want {
			t.Fatalf("step %d at %v (%s): state %v, want %v", i, st.at, st.why, got, st.want)
		}
	}
	if b.Opened() != 2 {
		t.Errorf("opened %d times, want 2", b.Opened())
	}
}

func TestNewRefusesBadConfig(t *testing.T) {
	for _, c := range []breaker.Config{
		{Failures: 0, OpenFor: engine.Second, Probes: 1}, {Failures: 1, OpenFor: 0, Probes: 1}, {Failures: 1, OpenFor: engine.Second, Probes: 0},
		{ErrorRate: 1.5, Window: 10, MinRequests: 5, OpenFor: engine.Second, Probes: 1},
		{ErrorRate: 0.5, Window: 10, MinRequests: 11, OpenFor: engine.Second, Probes: 1},
		{ErrorRate: 0.5, Window: 0, MinRequests: 0, OpenFor: engine.Second, Probes: 1},
		{ErrorRate: 0.5, Window: 10, MinRequests: 5, OpenFor: 0, Probes: 1},
		{ErrorRate: 0.5, Window: 10, MinRequests: 5, OpenFor: engine.Second, Probes: 0},
		{ErrorRate: -1, Failures: 1, OpenFor: engine.Second, Probes: 1},
	} {
		if _, err := breaker.New(c); err == nil {
			t.Errorf("New(%+v) accepted", c)
		}
	}
	for _, s := range []breaker.State{breaker.Closed, breaker.Open, breaker.HalfOpen} {
		if s.String() == "" {
			t.Error("empty state name")
		}
	}
}

// TestErrorRateSequence walks an error-rate breaker (50% of the last 4
// outcomes, once 3 are recorded; open 10 s; 2 probes) through a
// hand-made sequence, following resilience4j's CircuitBreaker: "if the
// failure rate is equal or greater than the threshold the CircuitBreaker
// transitions to open", the rate counts only once minimumNumberOfCalls
// outcomes are in the COUNT_BASED sliding window of slidingWindowSize,
// and half-open it decides on the failure rate of its
// permittedNumberOfCallsInHalfOpenState calls once they are all in
// (resilience4j.readme.io/docs/circuitbreaker).
func TestErrorRateSequence(t *testing.T) {
	const s = engine.Time(engine.Second)
	b, err := breaker.New(breaker.Config{ErrorRate: 0.5, Window: 4, MinRequests: 3, OpenFor: 10 * engine.Second, Probes: 2})
	if err != nil {
		t.Fatal(err)
	}
	type step struct {
		at        engine.Time
		op        string // "allow", "ok", "fail"
		wantAllow bool
		want      breaker.State
		rate      float64 // the failure rate after the step; -1: not yet computed
		why       string
	}
	steps := []step{
		{0, "fail", false, breaker.Closed, -1, "1 of 1 failed, but fewer than 3 outcomes"},
		{1, "fail", false, breaker.Closed, -1, "2 of 2 failed: still below the minimum"},
		{2, "ok", false, breaker.Open, -1, "3 outcomes, 2 failed: 67% >= 50% opens (and empties the window)"},
		{3 * s, "allow", false, breaker.Open, -1, "open fails fast; the window was emptied"},
		{12 * s, "allow", true, breaker.HalfOpen, -1, "first probe at 2 ns + 10 s"},
		{12 * s, "allow", true, breaker.HalfOpen, -1, "second probe"},
		{12 * s, "allow", false, breaker.HalfOpen, -1, "only 2 probes"},
		{13 * s, "fail", false, breaker.HalfOpen, -1, "1 probe failed: waits for the other"},
		{13 * s, "ok", false, breaker.Open, -1, "1 of 2 probes failed: 50% >= 50% reopens"},
		{23 * s, "allow", true, breaker.HalfOpen, -1, ""},
		{23 * s, "allow", true, breaker.HalfOpen, -1, ""},
		{24 * s, "ok", false, breaker.HalfOpen, -1, ""},
		{24 * s, "ok", false, breaker.Closed, -1, "0 of 2 probes failed: closes, window empty"},
		{25 * s, "ok", false, breaker.Closed, -1, ""},
		{25 * s, "fail", false, breaker.Closed, -1, "1 of 2"},
		{25 * s, "ok", false, breaker.Closed, 1.0 / 3, "1 of 3: 33%"},
		{25 * s, "ok", false, breaker.Closed, 1.0 / 4, "1 of 4: 25%"},
		// The window holds [ok fail ok ok]; a failure pushes out the
		// oldest ok: [fail ok ok fail], 2 of 4 = 50%: it opens.
		{25 * s, "fail", false, breaker.Open, -1, "[fail ok ok fail]: 50% opens"},
	}
	for i, st := range steps {
		switch st.op {
		case "allow":
			if got := b.Allow(st.at); got != st.wantAllow {
				t.Fatalf("step %d at %v (%s): Allow = %v, want %v", i, st.at, st.why, got, st.wantAllow)
			}
		case "ok":
			b.Success(st.at)
		case "fail":
			b.Failure(st.at)
		}
		if got := b.State(st.at); got != st.want {
			t.Fatalf("step %d at %v (%s): state %v, want %v", i, st.at, st.why, got, st.want)
		}
		rate, ok := b.FailureRate()
		if st.rate < 0 && ok && st.want != breaker.Closed {
			t.Fatalf("step %d (%s): rate %v computed, want none", i, st.why, rate)
		}
		if st.rate >= 0 && (!ok || math.Abs(rate-st.rate) > 1e-12) {
			t.Fatalf("step %d (%s): rate %v (%v), want %v", i, st.why, rate, ok, st.rate)
		}
	}
	if b.Opened() != 3 {
		t.Errorf("opened %d times, want 3", b.Opened())
	}
}

// TestSlidingWindowOnlyCountsLastN: a window of 10 outcomes, threshold
// 30%: after ten successes, two failures make 2 of the last 10 (20%,
// closed), a third 3 of 10 (30%, open).
func TestSlidingWindowOnlyCountsLastN(t *testing.T) {
	b, err := breaker.New(breaker.Config{ErrorRate: 0.3, Window: 10, MinRequests: 10, OpenFor: engine.Second, Probes: 1})
	if err != nil {
		t.Fatal(err)
	}
	for range 10 {
		b.Success(0)
	}
	b.Failure(0)
	b.Failure(0)
	if r, _ := b.FailureRate(); b.State(0) != breaker.Closed || math.Abs(r-0.2) > 1e-12 {
		t.Fatalf("after 2 failures in the last 10: state %v rate %v, want closed at 0.2", b.State(0), r)
	}
	b.Failure(0)
	if b.State(0) != breaker.Open {
		t.Fatalf("3 of the last 10 failed: state %v, want open", b.State(0))
	}
}

// TestNewAcceptsBoundaries: the smallest valid settings are accepted —
// one failure, one probe, a window of one, min_requests equal to the
// window, an error rate of exactly 1 — so a bound checked one off would
// refuse a valid scenario.
func TestNewAcceptsBoundaries(t *testing.T) {
	for _, c := range []breaker.Config{
		{Failures: 1, OpenFor: 1, Probes: 1},
		{ErrorRate: 1, Window: 1, MinRequests: 1, OpenFor: 1, Probes: 1},
		{ErrorRate: 0.5, Window: 10, MinRequests: 10, OpenFor: engine.Second, Probes: 1},
	} {
		if _, err := breaker.New(c); err != nil {
			t.Errorf("New(%+v): %v", c, err)
		}
	}
}

// TestHalfOpenAtTheInstant: an open breaker is half-open from the very
// instant its open interval ends (resilience4j's waitDurationInOpenState:
// it "waits" that long, no more).
func TestHalfOpenAtTheInstant(t *testing.T) {
	b, err := breaker.New(breaker.Config{Failures: 1, OpenFor: 10 * engine.Second, Probes: 1})
	if err != nil {
		t.Fatal(err)
	}
	b.Failure(0)
	if s := b.State(engine.Time(10*engine.Second) - 1); s != breaker.Open {
		t.Errorf("1 ns before the interval ends: %v, want open", s)
	}
	if s := b.State(engine.Time(10 * engine.Second)); s != breaker.HalfOpen {
		t.Errorf("as the interval ends: %v, want half-open", s)
	}
}

// TestHalfOpenRateOfProbes: half-open with 4 probes at a 50% threshold,
// one failed probe of four is a 25% failure rate: below the threshold, so
// the breaker closes; two of four (50%, "equal or greater") reopen it.
func TestHalfOpenRateOfProbes(t *testing.T) {
	for _, tc := range []struct {
		bad  int
		want breaker.State
	}{{1, breaker.Closed}, {2, breaker.Open}} {
		b, err := breaker.New(breaker.Config{ErrorRate: 0.5, Window: 4, MinRequests: 4, OpenFor: engine.Second, Probes: 4})
		if err != nil {
			t.Fatal(err)
		}
		for range 4 {
			b.Failure(0)
		}
		now := engine.Time(engine.Second)
		for i := range 4 {
			if !b.Allow(now) {
				t.Fatalf("probe %d refused", i)
			}
		}
		for i := range 4 {
			if i < tc.bad {
				b.Failure(now)
			} else {
				b.Success(now)
			}
		}
		if s := b.State(now); s != tc.want {
			t.Errorf("%d of 4 probes failed: %v, want %v", tc.bad, s, tc.want)
		}
	}
}
