package breaker_test

import (
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
	for _, c := range []breaker.Config{{0, engine.Second, 1}, {1, 0, 1}, {1, engine.Second, 0}} {
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
