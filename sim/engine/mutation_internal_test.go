package engine

import (
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"
)

// TestSequenceExhausted: the insertion sequence has seqBits bits ("2^48
// events", queue.go); the last one is usable, and the next Schedule
// panics instead of wrapping the key, which would put that event before
// all others at its time and break (time, insertion) order.
func TestSequenceExhausted(t *testing.T) {
	for _, cancellable := range []bool{false, true} {
		t.Run(fmt.Sprintf("cancellable=%v", cancellable), func(t *testing.T) {
			s := New(1)
			k := s.Register("k", func(Event) {})
			schedule := func() {
				if cancellable {
					s.ScheduleCancellable(1, k, 0, 0)
				} else {
					s.Schedule(1, k, 0, 0)
				}
			}
			s.seq = 1<<seqBits - 2
			schedule() // sequence 2^48-1, the last
			defer func() {
				if r := recover(); r == nil || !strings.Contains(fmt.Sprint(r), "sequence exhausted") {
					t.Fatalf("recovered %v, want the exhaustion panic", r)
				}
			}()
			schedule()
		})
	}
}

// TestCalendarCostStaysFlat pins, by counting rather than timing, what
// the calendar is for (doc.go: "the cost per event stays flat as the
// pending set grows to 10^5 and beyond"; calendar.go: "near stays small
// ... whatever the number of pending events"): in the hold model (each
// event schedules one successor an exponential time ahead; Tang, Goh and
// Thng's benchmark for the ladder queue), once the queue has tuned to the
// event rate, the heap sifted per event (near) holds a bucket of a few
// dozen events and the overflow heap (far) a small share of the pending
// set, at 10^3 and at 10^5 pending events alike.
func TestCalendarCostStaysFlat(t *testing.T) {
	for _, n := range []int{2000, 100_000} {
		t.Run(fmt.Sprintf("pending=%d", n), func(t *testing.T) {
			s := New(1)
			r := rand.New(rand.NewPCG(uint64(n), 1))
			var hold Kind
			hold = s.Register("hold", func(Event) { s.After(Duration(r.ExpFloat64()*1e6)+1, hold, 0, 0) })
			for range n {
				s.Schedule(Time(r.ExpFloat64()*1e6), hold, 0, 0)
			}
			for range tuneMask + 1 { // the first tune sees no span; the second the rate
				s.Step()
			}
			var nearSum, farMax int
			const steps = 4 * (tuneMask + 1)
			for range steps {
				s.Step()
				nearSum += s.q.near.len()
				farMax = max(farMax, s.q.far.len())
			}
			nearMean := float64(nearSum) / steps
			t.Logf("near mean %.1f, far max %d, shift %d, ring %d", nearMean, farMax, s.q.shift, len(s.q.heads))
			if s.q.shift == heapMode || nearMean > 2*bucketEvents || nearMean < 2 || farMax > n/8 {
				t.Fatalf("near holds %.1f events on average, far up to %d of %d (shift %d): want a ring, near of a few dozen, far under an eighth",
					nearMean, farMax, n, s.q.shift)
			}
		})
	}
}
