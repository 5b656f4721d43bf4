package health

import (
	"testing"

	"github.com/clustersim/clustersim/sim/engine"
)

const (
	ms = engine.Millisecond
	s  = engine.Second
)

func at(d engine.Duration) engine.Time { return engine.Time(d) }

// TestDetection works Envoy's active-check timing by hand: a check every
// interval after the previous result (Envoy re-arms its interval timer
// when a check completes), unhealthy after unhealthy_threshold failures.
func TestDetection(t *testing.T) {
	c := Checker{Interval: 5 * s, Timeout: 1 * s, UnhealthyThreshold: 3, HealthyThreshold: 2}
	tests := []struct {
		name    string
		c       Checker
		first   engine.Time
		answers bool
		want    engine.Time
	}{
		// A crashed host refuses at once: failures at 12, 17, 22 s.
		{"crash", c, at(12 * s), true, at(22 * s)},
		// A hung host times out: results at 13, 19, 25 s (checks at 12, 18, 24).
		{"hang", c, at(12 * s), false, at(25 * s)},
		{"threshold 1 crash", Checker{Interval: 5 * s, Timeout: s, UnhealthyThreshold: 1}, at(12 * s), true, at(12 * s)},
		{"threshold 1 hang", Checker{Interval: 5 * s, Timeout: s, UnhealthyThreshold: 1}, at(12 * s), false, at(13 * s)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.c.Detection(tt.first, tt.answers); got != tt.want {
				t.Errorf("Detection = %v, want %v", got, tt.want)
			}
			// The same, one check at a time through Observe.
			st, tm := CheckState{}, tt.first
			for {
				res := tt.c.ResultAt(tm, tt.answers)
				var flipped bool
				if st, flipped = tt.c.Observe(st, false); flipped {
					if res != tt.want || !st.Unhealthy {
						t.Errorf("Observe flipped at %v, want %v", res, tt.want)
					}
					break
				}
				tm = tt.c.Next(res)
			}
		})
	}
}

func TestObserve(t *testing.T) {
	c := Checker{UnhealthyThreshold: 2, HealthyThreshold: 3}
	seq := []struct {
		ok        bool
		unhealthy bool
		flipped   bool
	}{
		{false, false, false}, {true, false, false}, // a success resets the run
		{false, false, false}, {false, true, true},
		{true, true, false}, {false, true, false}, // a failure resets the healthy run
		{true, true, false}, {true, true, false}, {true, false, true},
	}
	var st CheckState
	for i, step := range seq {
		var f bool
		st, f = c.Observe(st, step.ok)
		if st.Unhealthy != step.unhealthy || f != step.flipped {
			t.Fatalf("step %d: unhealthy %v flipped %v, want %v %v", i, st.Unhealthy, f, step.unhealthy, step.flipped)
		}
	}
}

// TestOutlierEjectsOnFifthConsecutive5xx: a host failing every request at
// 100 req/s gets its 5th consecutive 5xx at 0.05 s and is ejected then, not
// on the next interval tick (Envoy's consecutive_5xx detector acts on the
// response).
func TestOutlierEjectsOnFifthConsecutive5xx(t *testing.T) {
	o := DefaultOutlier()
	var h HostOutlier
	var ejectedAt engine.Time = -1
	for i := 1; i <= 10 && ejectedAt < 0; i++ {
		now := at(engine.Duration(i) * 10 * ms)
		var e bool
		if h, e = o.Observe(h, true, now, 0, 10); e {
			ejectedAt = now
		}
	}
	if ejectedAt != at(50*ms) {
		t.Errorf("ejected at %v, want 50ms", ejectedAt)
	}
	// A success in the run resets it.
	h = HostOutlier{}
	for i, r := range []bool{true, true, true, true, false, true, true, true, true} {
		var e bool
		if h, e = o.Observe(h, r, 0, 0, 10); e {
			t.Fatalf("ejected at response %d without five consecutive 5xx", i)
		}
	}
}

// TestOutlierUnejection: ejected at 0.05 s for the first time, the host
// stays out base_ejection_time × 1 = 30 s and returns on the first
// interval tick at or after 30.05 s: ticks at 10, 20, 30, 40 s, so 40 s.
// The third ejection lasts 90 s; the 20th is capped at 300 s.
func TestOutlierUnejection(t *testing.T) {
	o := DefaultOutlier()
	h := HostOutlier{Ejected: true, Times: 1, EjectedAt: at(50 * ms)}
	var back engine.Time = -1
	for tick := at(10 * s); tick <= at(100*s) && back < 0; tick = tick.Add(o.Interval) {
		var r bool
		if h, r = o.Sweep(h, tick); r {
			back = tick
		}
	}
	if back != at(40*s) {
		t.Errorf("returned at %v, want 40s", back)
	}
	for _, tt := range []struct {
		times int
		want  engine.Duration
	}{{1, 30 * s}, {3, 90 * s}, {10, 300 * s}, {20, 300 * s}} {
		if got := o.EjectionTime(tt.times); got != tt.want {
			t.Errorf("EjectionTime(%d) = %v, want %v", tt.times, got, tt.want)
		}
	}
}

// TestCanEject: max_ejection_percent 10 of 10 hosts allows one; of 30,
// three; of 3 hosts it still allows the first (Envoy ejects at least one).
func TestCanEject(t *testing.T) {
	o := DefaultOutlier()
	tests := []struct {
		ejected, total int
		want           bool
	}{{0, 10, true}, {1, 10, false}, {0, 3, true}, {1, 3, false}, {2, 30, true}, {3, 30, false}}
	for _, tt := range tests {
		if got := o.CanEject(tt.ejected, tt.total); got != tt.want {
			t.Errorf("CanEject(%d, %d) = %v, want %v", tt.ejected, tt.total, got, tt.want)
		}
	}
}
