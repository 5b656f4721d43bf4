package engine_test

import (
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/clustersim/clustersim/sim/engine"
)

// TestOrderMatchesSortedSlice is a differential test: events fire in the
// order a stable sort by time gives (ties by insertion), for random
// schedules with many ties.
func TestOrderMatchesSortedSlice(t *testing.T) {
	for _, n := range []int{1, 5, 100, 5000} {
		sim := engine.New(1)
		var got []int64
		k := sim.Register("rec", func(ev engine.Event) { got = append(got, ev.Arg) })
		r := rand.New(rand.NewPCG(uint64(n), 7))
		type item struct {
			at  engine.Time
			arg int64
		}
		var want []item
		for i := range n {
			at := engine.Time(r.IntN(50)) // many ties
			sim.Schedule(at, k, 0, int64(i))
			want = append(want, item{at, int64(i)})
		}
		slices.SortStableFunc(want, func(a, b item) int { return int(a.at - b.at) })
		sim.Run()
		if len(got) != n {
			t.Fatalf("n=%d: fired %d", n, len(got))
		}
		for i := range want {
			if got[i] != want[i].arg {
				t.Fatalf("n=%d: position %d fired %d, want %d", n, i, got[i], want[i].arg)
			}
		}
	}
}

func TestScheduleFromHandlerAndRunUntil(t *testing.T) {
	sim := engine.New(1)
	var ticks []engine.Time
	var tick engine.Kind
	tick = sim.Register("tick", func(ev engine.Event) {
		ticks = append(ticks, sim.Now())
		sim.After(engine.Second, tick, 0, 0)
	})
	sim.Schedule(0, tick, 0, 0)
	sim.RunUntil(engine.Time(3 * engine.Second))
	if len(ticks) != 4 || ticks[3] != engine.Time(3*engine.Second) {
		t.Fatalf("ticks %v, want 0s..3s inclusive", ticks)
	}
	if sim.Now() != engine.Time(3*engine.Second) {
		t.Fatalf("now %v", sim.Now())
	}
	if sim.Executed() != 4 {
		t.Fatalf("executed %d", sim.Executed())
	}
}

func TestCancel(t *testing.T) {
	sim := engine.New(1)
	fired := map[int64]bool{}
	k := sim.Register("t", func(ev engine.Event) { fired[ev.Arg] = true })
	h1 := sim.ScheduleCancellable(10, k, 0, 1)
	h2 := sim.ScheduleCancellable(20, k, 0, 2)
	sim.Schedule(15, k, 0, 3)
	if !sim.Cancel(h1) {
		t.Fatal("cancel of pending event reported false")
	}
	if sim.Cancel(h1) {
		t.Fatal("second cancel reported true")
	}
	sim.Run()
	if fired[1] || !fired[2] || !fired[3] {
		t.Fatalf("fired %v", fired)
	}
	if sim.Cancel(h2) {
		t.Fatal("cancel after firing reported true")
	}
	if sim.Cancel(engine.Handle{}) {
		t.Fatal("zero handle cancelled")
	}
}

// A cancelled event at the head must not let RunUntil run a later event
// past the horizon.
func TestRunUntilSkipsCancelledHead(t *testing.T) {
	sim := engine.New(1)
	fired := 0
	k := sim.Register("t", func(engine.Event) { fired++ })
	h := sim.ScheduleCancellable(5, k, 0, 0)
	sim.Schedule(20, k, 0, 0)
	sim.Cancel(h)
	sim.RunUntil(10)
	if fired != 0 || sim.Now() != 10 {
		t.Fatalf("fired %d now %v", fired, sim.Now())
	}
}

// Timeouts that are almost always cancelled must not make the queue grow:
// the heap holds at most about twice the live events.
func TestCancelledTimersDoNotLeak(t *testing.T) {
	sim := engine.New(1)
	var work engine.Kind
	var pendingTimeout engine.Handle
	timeout := sim.Register("timeout", func(engine.Event) { t.Fatal("timeout fired") })
	work = sim.Register("work", func(ev engine.Event) {
		sim.Cancel(pendingTimeout)
		pendingTimeout = sim.ScheduleCancellable(sim.Now().Add(engine.Hour), timeout, 0, 0)
		sim.After(engine.Millisecond, work, 0, 0)
	})
	sim.Schedule(0, work, 0, 0)
	maxPending := 0
	for range 200_000 {
		sim.Step()
		maxPending = max(maxPending, sim.Pending())
	}
	if maxPending > 2100 {
		t.Fatalf("queue grew to %d with 2 live events", maxPending)
	}
	if sim.Live() != 2 {
		t.Fatalf("live %d, want 2", sim.Live())
	}
}

// Compaction must not change the firing order.
func TestCompactionKeepsOrder(t *testing.T) {
	sim := engine.New(1)
	var got []int64
	k := sim.Register("rec", func(ev engine.Event) { got = append(got, ev.Arg) })
	r := rand.New(rand.NewPCG(3, 3))
	var keep []int64
	var hs []engine.Handle
	for i := range 10_000 {
		h := sim.ScheduleCancellable(engine.Time(r.IntN(100)), k, 0, int64(i))
		hs = append(hs, h)
	}
	for i, h := range hs {
		if i%3 != 0 {
			sim.Cancel(h)
		}
	}
	for i := 0; i < len(hs); i += 3 {
		keep = append(keep, int64(i))
	}
	sim.Run()
	if len(got) != len(keep) {
		t.Fatalf("fired %d, want %d", len(got), len(keep))
	}
	// Fired in time order, ties by insertion: check it is sorted by (time, arg).
	r = rand.New(rand.NewPCG(3, 3))
	at := make([]engine.Time, len(hs))
	for i := range at {
		at[i] = engine.Time(r.IntN(100))
	}
	for i := 1; i < len(got); i++ {
		a, b := got[i-1], got[i]
		if at[a] > at[b] || (at[a] == at[b] && a > b) {
			t.Fatalf("out of order at %d: %d then %d", i, a, b)
		}
	}
}

func TestScheduleInPastPanics(t *testing.T) {
	sim := engine.New(1)
	k := sim.Register("k", func(engine.Event) {})
	sim.Schedule(10, k, 0, 0)
	sim.Run()
	defer func() {
		if recover() == nil {
			t.Fatal("no panic")
		}
	}()
	sim.Schedule(5, k, 0, 0)
}

func TestStreamsAreNamedAndIndependent(t *testing.T) {
	a1 := engine.NewStream(42, "workload.a").Uint64()
	a2 := engine.NewStream(42, "workload.a").Uint64()
	b := engine.NewStream(42, "workload.b").Uint64()
	a3 := engine.NewStream(43, "workload.a").Uint64()
	if a1 != a2 {
		t.Fatal("same seed and name differ")
	}
	if a1 == b || a1 == a3 {
		t.Fatal("different name or seed gives the same draw")
	}
}

func TestProgressCallback(t *testing.T) {
	sim := engine.New(1)
	var k engine.Kind
	k = sim.Register("k", func(engine.Event) { sim.After(1, k, 0, 0) })
	calls := 0
	sim.SetProgress(func(engine.Time) { calls++ })
	sim.Schedule(0, k, 0, 0)
	for range 1 << 17 {
		sim.Step()
	}
	if calls != 2 {
		t.Fatalf("progress called %d times, want 2", calls)
	}
}

func TestDurationString(t *testing.T) {
	for _, c := range []struct {
		d    engine.Duration
		want string
	}{
		{0, "0s"}, {150 * engine.Millisecond, "150ms"}, {1500 * engine.Microsecond, "1.5ms"},
		{90 * engine.Second, "1m30s"}, {engine.Hour + 2*engine.Second, "1h2s"}, {12, "12ns"},
		{2500 * engine.Millisecond, "2.5s"},
	} {
		if got := c.d.String(); got != c.want {
			t.Errorf("%d: got %q want %q", c.d, got, c.want)
		}
	}
}
