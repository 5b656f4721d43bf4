package engine_test

import (
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/clustersim/clustersim/sim/engine"
)

func TestDelayQueue(t *testing.T) {
	sim := engine.New(1)
	var fired []int64
	var at []engine.Time
	k := sim.Register("timeout", func(ev engine.Event) {
		fired = append(fired, ev.Arg)
		at = append(at, sim.Now())
	})
	dq := sim.NewDelayQueue("t", 10, k)
	var hs []engine.Handle
	start := sim.Register("start", func(ev engine.Event) { hs = append(hs, dq.Start(0, ev.Arg)) })
	for i := range 6 {
		sim.Schedule(engine.Time(i), start, 0, int64(i))
	}
	stop := sim.Register("stop", func(ev engine.Event) {
		if !dq.Stop(hs[ev.Arg]) {
			t.Errorf("stop %d reported false", ev.Arg)
		}
	})
	sim.Schedule(5, stop, 0, 0) // the front timer
	sim.Schedule(5, stop, 0, 3) // one in the middle
	sim.Run()
	if !slices.Equal(fired, []int64{1, 2, 4, 5}) {
		t.Fatalf("fired %v, want [1 2 4 5]", fired)
	}
	if !slices.Equal(at, []engine.Time{11, 12, 14, 15}) {
		t.Fatalf("fired at %v", at)
	}
	if dq.Stop(hs[1]) {
		t.Fatal("stop after firing reported true")
	}
	if dq.Len() != 0 {
		t.Fatalf("len %d", dq.Len())
	}
}

// A timer takes its place in the (time, insertion sequence) order when it is
// started, as sim/engine/doc.go promises: it fires before an event
// scheduled later for the same instant, and after one scheduled earlier,
// however the queue's wake-ups fall.
func TestDelayQueueKeepsInsertionOrder(t *testing.T) {
	const s = engine.Time(engine.Second)
	tests := []struct {
		name string
		// The queue's delay is 10 s.
		steps []delayStep
		want  string
	}{
		{
			name:  "timer started before an event for its deadline",
			steps: []delayStep{{0, 0, "t"}, {1 * s, 0, "t"}, {2 * s, 11 * s, "e"}},
			want:  "t0@10s t1@11s e2@11s",
		},
		{
			name:  "event scheduled before the timer started",
			steps: []delayStep{{0, 11 * s, "e"}, {1 * s, 0, "t"}},
			want:  "e0@11s t1@11s",
		},
		{
			name:  "event between two timers started at the same instant",
			steps: []delayStep{{0, 0, "t"}, {1 * s, 0, "t"}, {1 * s, 11 * s, "e"}, {1 * s, 0, "t"}, {1 * s, 11 * s, "e"}},
			want:  "t0@10s t1@11s e2@11s t3@11s e4@11s",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			sim := engine.New(1)
			var got []string
			rec := func(ev engine.Event) {
				got = append(got, fmt.Sprintf("%c%d@%v", byte(ev.Target), ev.Arg, sim.Now()))
			}
			k := sim.Register("timeout", rec)
			other := sim.Register("other", rec)
			dq := sim.NewDelayQueue("t", 10*engine.Second, k)
			step := sim.Register("step", func(ev engine.Event) {
				st := tt.steps[ev.Arg]
				if st.op == "t" {
					dq.Start('t', ev.Arg)
				} else {
					sim.Schedule(st.at, other, 'e', ev.Arg)
				}
			})
			for i, st := range tt.steps {
				sim.Schedule(st.now, step, 0, int64(i))
			}
			sim.Run()
			if g := strings.Join(got, " "); g != tt.want {
				t.Errorf("fired %s, want %s", g, tt.want)
			}
		})
	}
}

// delayStep runs at now: op "t" starts a timer, "e" schedules an event
// for at.
type delayStep struct {
	now, at engine.Time
	op      string
}

// Stopped timers cost nothing at the front of the engine queue: a run
// where every timer is stopped keeps at most one engine event for them.
func TestDelayQueueStoppedTimersStayCheap(t *testing.T) {
	sim := engine.New(1)
	k := sim.Register("timeout", func(engine.Event) { t.Fatal("fired") })
	dq := sim.NewDelayQueue("t", engine.Hour, k)
	var work engine.Kind
	var h engine.Handle
	work = sim.Register("work", func(engine.Event) {
		dq.Stop(h)
		h = dq.Start(0, 0)
		sim.After(engine.Millisecond, work, 0, 0)
	})
	sim.Schedule(0, work, 0, 0)
	for range 100_000 {
		sim.Step()
		if sim.Pending() > 2 || dq.Len() > 4100 {
			t.Fatalf("pending %d, timers held %d", sim.Pending(), dq.Len())
		}
	}
}

// TestDelayQueueMatchesHeapTimers is a differential test: random starts
// and stops through a DelayQueue fire the same timers at the same times,
// and in the same order relative to other events due at the same instant,
// as cancellable heap events, through many compactions of a wrapped ring.
func TestDelayQueueMatchesHeapTimers(t *testing.T) {
	type fire struct {
		at   engine.Time
		kind engine.Kind
		arg  int64
	}
	run := func(useQueue bool) []fire {
		sim := engine.New(1)
		r := engine.NewStream(9, "ops")
		var got []fire
		rec := func(ev engine.Event) { got = append(got, fire{sim.Now(), ev.Kind(), ev.Arg}) }
		k := sim.Register("timeout", rec)
		other := sim.Register("other", rec)
		dq := sim.NewDelayQueue("t", 500, k)
		var hs []engine.Handle
		var op engine.Kind
		n := int64(0)
		op = sim.Register("op", func(engine.Event) {
			if r.IntN(4) == 0 {
				// Another event due when a timer started now would fire.
				sim.After(500, other, 0, -n)
			}
			if r.IntN(10) < 6 || len(hs) == 0 {
				n++
				if useQueue {
					hs = append(hs, dq.Start(0, n))
				} else {
					hs = append(hs, sim.ScheduleCancellable(sim.Now().Add(500), k, 0, n))
				}
			} else {
				i := r.IntN(len(hs))
				if useQueue {
					dq.Stop(hs[i])
				} else {
					sim.Cancel(hs[i])
				}
			}
			if n < 20000 {
				// Several ops at one instant start timers due together.
				sim.After(engine.Duration(r.IntN(2)), op, 0, 0)
			}
		})
		sim.Schedule(0, op, 0, 0)
		sim.Run()
		return got
	}
	a, b := run(true), run(false)
	if !slices.Equal(a, b) || len(a) == 0 {
		t.Fatalf("delay queue fired %d timers, heap %d; equal=%v", len(a), len(b), slices.Equal(a, b))
	}
}
