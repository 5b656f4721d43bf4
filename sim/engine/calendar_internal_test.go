package engine

import (
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"testing"
)

// refQueue is the obviously correct pending-event set the calendar queue
// is checked against: a slice kept sorted by (At, seq).
type refQueue []Event

func (r *refQueue) push(e Event) {
	i, _ := slices.BinarySearchFunc(*r, e, func(a, b Event) int {
		if before(&a, &b) {
			return -1
		}
		return 1
	})
	*r = slices.Insert(*r, i, e)
}

func (r *refQueue) pop() Event {
	e := (*r)[0]
	*r = (*r)[1:]
	return e
}

// TestQueueMatchesReference drives the calendar queue through random
// pushes, pops, replace-tops, re-tunings and forced rebuilds (heap mode,
// narrow and wide buckets, rings too small for the window) and checks that
// events leave in exactly the (At, seq) order of a sorted reference.
func TestQueueMatchesReference(t *testing.T) {
	type gen struct {
		name string
		next func(r *rand.Rand, now Time) Time
	}
	gens := []gen{
		{"exponential", func(r *rand.Rand, now Time) Time { return now + Time(r.ExpFloat64()*1e6) }},
		{"ties", func(r *rand.Rand, now Time) Time { return now + Time(r.IntN(3)*1000) }},
		{"bimodal", func(r *rand.Rand, now Time) Time {
			if r.IntN(10) == 0 {
				return now + Time(r.ExpFloat64()*1e12) // far future: lands in far
			}
			return now + Time(r.ExpFloat64()*1e4)
		}},
		{"same-instant", func(r *rand.Rand, now Time) Time { return now }},
	}
	for _, g := range gens {
		for _, seed := range []uint64{1, 2, 3} {
			t.Run(fmt.Sprintf("%s/seed=%d", g.name, seed), func(t *testing.T) {
				r := rand.New(rand.NewPCG(seed, 7))
				var q queue
				q.init()
				var ref refQueue
				var seq uint64
				var now Time
				mk := func() Event {
					seq++
					return Event{At: g.next(r, now), key: makeKey(seq, 1), Arg: int64(seq)}
				}
				for range 5000 {
					e := mk()
					q.push(e)
					ref.push(e)
				}
				for step := range 60_000 {
					if q.len() != len(ref) {
						t.Fatalf("step %d: len %d, want %d", step, q.len(), len(ref))
					}
					switch op := r.IntN(100); {
					case op < 40 && len(ref) > 0:
						got, want := q.pop(), ref.pop()
						if got != want {
							t.Fatalf("step %d: pop %+v, want %+v", step, got, want)
						}
						now = got.At
					case op < 60 && len(ref) > 0:
						if got, want := *q.top(), ref[0]; got != want {
							t.Fatalf("step %d: top %+v, want %+v", step, got, want)
						}
						now = ref.pop().At
						e := mk()
						q.replaceTop(e)
						ref.push(e)
					case op < 98:
						e := mk()
						q.push(e)
						ref.push(e)
					case op < 99:
						q.tune(now, Duration(r.Int64N(1e9)), 1+r.IntN(5000))
					default:
						shifts := []uint{heapMode, 0, 4, 10, 20, 40}
						slots := []int{64, 128, 4096}
						s := shifts[r.IntN(len(shifts))]
						n := slots[r.IntN(len(slots))]
						if s == heapMode {
							n = 0
						}
						q.rebuild(now, s, n, nil)
					}
				}
				for len(ref) > 0 {
					if got, want := q.pop(), ref.pop(); got != want {
						t.Fatalf("drain: pop %+v, want %+v", got, want)
					}
				}
				if q.len() != 0 {
					t.Fatalf("drained queue has len %d", q.len())
				}
			})
		}
	}
}

// TestQueueTuneSwitchesModes: the ring is used for a large pending set and
// given up again when it shrinks.
func TestQueueTuneSwitchesModes(t *testing.T) {
	var q queue
	q.init()
	r := rand.New(rand.NewPCG(1, 1))
	for i := range 2 * ringOn {
		q.push(Event{At: Time(r.ExpFloat64() * 1e9), key: makeKey(uint64(i+1), 0)})
	}
	q.tune(0, Second, 4096)
	if q.shift == heapMode || len(q.heads) == 0 {
		t.Fatalf("with %d pending: still in heap mode", q.len())
	}
	if q.near.len() >= q.len()/2 {
		t.Errorf("ring mode: near holds %d of %d events", q.near.len(), q.len())
	}
	for q.len() >= ringOff {
		q.pop()
	}
	q.tune(0, Second, 4096)
	if q.shift != heapMode || q.near.len() != q.len() {
		t.Fatalf("with %d pending: shift %d, near %d; want heap mode", q.len(), q.shift, q.near.len())
	}
}

// TestCompactAcrossLayouts: cancelled events are dropped from every part
// of the calendar, and the live ones still fire in order.
func TestCompactAcrossLayouts(t *testing.T) {
	s := New(1)
	var fired []int64
	k := s.Register("k", func(ev Event) { fired = append(fired, ev.Arg) })
	r := rand.New(rand.NewPCG(3, 3))
	var handles []Handle
	var want []int64
	type pend struct {
		at  Time
		arg int64
	}
	var live []pend
	for i := range 3 * ringOn {
		at := Time(r.ExpFloat64() * 1e9)
		if i%5 == 0 {
			at += 1e12 // far future
		}
		handles = append(handles, s.ScheduleCancellable(at, k, 0, int64(i)))
		live = append(live, pend{at, int64(i)})
	}
	s.q.tune(0, Second, 4096)
	if s.q.shift == heapMode {
		t.Fatal("expected ring mode")
	}
	for i := range handles {
		if i%3 != 0 {
			s.Cancel(handles[i])
		}
	}
	slices.SortStableFunc(live, func(a, b pend) int {
		switch {
		case a.at < b.at:
			return -1
		case a.at > b.at:
			return 1
		}
		return 0
	})
	for _, p := range live {
		if p.arg%3 == 0 {
			want = append(want, p.arg)
		}
	}
	s.Run()
	if !slices.Equal(fired, want) {
		t.Fatalf("fired %d events, want %d (first difference matters)", len(fired), len(want))
	}
}

// TestWarmerSeesDueEvents: with a large pending set, the warmer of a kind
// is called for its events as their bucket is loaded, before they fire
// (except those scheduled straight into the current bucket, which never
// wait in the ring), and never for other kinds; what fires, and when, is
// unchanged.
func TestWarmerSeesDueEvents(t *testing.T) {
	var ringFired, ringWarmed int
	run := func(warm bool) (fired []int64, warmed map[int64]bool) {
		s := New(1)
		warmed = map[int64]bool{}
		r := rand.New(rand.NewPCG(9, 9))
		var hot, cold Kind
		hot = s.Register("hot", func(ev Event) {
			if warm && s.q.shift != heapMode {
				ringFired++
				if warmed[ev.Arg] {
					ringWarmed++
				}
			}
			fired = append(fired, ev.Arg)
			s.After(Duration(r.ExpFloat64()*1e6)+1, hot, 0, ev.Arg+1_000_000)
		})
		cold = s.Register("cold", func(ev Event) { fired = append(fired, -ev.Arg) })
		if warm {
			s.SetWarmer(hot, func(ev *Event) { warmed[ev.Arg] = true })
			s.SetWarmer(cold, nil)
		}
		for i := range 2 * ringOn {
			s.Schedule(Time(r.ExpFloat64()*1e6), hot, 0, int64(i))
			s.Schedule(Time(r.ExpFloat64()*1e6), cold, 0, int64(i))
		}
		s.RunUntil(Time(20e6))
		return fired, warmed
	}
	plain, _ := run(false)
	warmedRun, warmed := run(true)
	if !slices.Equal(plain, warmedRun) {
		t.Fatal("a warmer changed what fired")
	}
	t.Logf("%d of %d events fired in ring mode were warmed first", ringWarmed, ringFired)
	if ringFired == 0 || ringWarmed < ringFired*9/10 {
		t.Fatalf("%d of %d events fired in ring mode were warmed first, want >= 90%%", ringWarmed, ringFired)
	}
	for arg := range warmed {
		if arg < 0 {
			t.Fatalf("warmer called for a cold event %d", arg)
		}
	}
}

// TestQueueEndOfTime: events at the very end of time leave in order with
// the narrowest buckets, where the ring's window would run past the
// largest Time.
func TestQueueEndOfTime(t *testing.T) {
	var q queue
	q.init()
	var ref refQueue
	for i := range 3000 {
		at := Time(math.MaxInt64 - int64(i%7)*1000)
		if i%3 == 0 {
			at = Time(math.MaxInt64)
		}
		e := Event{At: at, key: makeKey(uint64(i+1), 0)}
		q.push(e)
		ref.push(e)
	}
	q.rebuild(Time(math.MaxInt64-10_000), 0, 1024, nil)
	for len(ref) > 0 {
		if got, want := q.pop(), ref.pop(); got != want {
			t.Fatalf("pop %+v, want %+v", got, want)
		}
	}
}

// TestQueueTuneExtremes: re-tuning after events that spanned nothing or
// centuries keeps the order.
func TestQueueTuneExtremes(t *testing.T) {
	for _, span := range []Duration{0, 1, Duration(math.MaxInt64)} {
		var q queue
		q.init()
		var ref refQueue
		r := rand.New(rand.NewPCG(4, 4))
		for i := range 2 * ringOn {
			e := Event{At: Time(r.Int64N(math.MaxInt64/2) * int64(i%2)), key: makeKey(uint64(i+1), 0)}
			q.push(e)
			ref.push(e)
		}
		q.tune(0, span, 4096)
		for len(ref) > 0 {
			if got, want := q.pop(), ref.pop(); got != want {
				t.Fatalf("span %v: pop %+v, want %+v", span, got, want)
			}
		}
	}
}

// FuzzQueue drives the queue with operations decoded from the input —
// push at a chosen distance, pop, replace-top, re-tune, rebuild — and
// checks every event against the sorted reference.
func FuzzQueue(f *testing.F) {
	f.Add([]byte{0, 10, 0, 200, 1, 2, 3, 4, 5, 250, 0, 0, 1})
	f.Add([]byte{255, 255, 255, 1, 1, 1, 0, 0, 0, 9, 9, 9})
	f.Fuzz(func(t *testing.T, ops []byte) {
		var q queue
		q.init()
		var ref refQueue
		var seq uint64
		var now Time
		push := func(d byte) Event {
			seq++
			at := now + Time(d)*Time(d)*Time(d)*1000 // 0 .. ~16 ms, cubed: dense near, sparse far
			return Event{At: at, key: makeKey(seq, 0)}
		}
		for i := 0; i+1 < len(ops); i += 2 {
			op, arg := ops[i], ops[i+1]
			switch {
			case op < 128:
				for range 1 + int(op)%8 {
					e := push(arg)
					arg = arg*31 + 7
					q.push(e)
					ref.push(e)
				}
			case op < 192 && len(ref) > 0:
				got, want := q.pop(), ref.pop()
				if got != want {
					t.Fatalf("pop %+v, want %+v", got, want)
				}
				now = got.At
			case op < 240 && len(ref) > 0:
				if got, want := *q.top(), ref[0]; got != want {
					t.Fatalf("top %+v, want %+v", got, want)
				}
				now = ref.pop().At
				e := push(arg)
				q.replaceTop(e)
				ref.push(e)
			case op < 250:
				q.tune(now, Duration(arg)*Duration(arg)*1000, 1+int(op))
			default:
				shift := uint(arg % 40)
				q.rebuild(now, shift, 64<<(arg%4), nil)
			}
			if q.len() != len(ref) {
				t.Fatalf("len %d, want %d", q.len(), len(ref))
			}
		}
		for len(ref) > 0 {
			if got, want := q.pop(), ref.pop(); got != want {
				t.Fatalf("drain: pop %+v, want %+v", got, want)
			}
		}
	})
}
