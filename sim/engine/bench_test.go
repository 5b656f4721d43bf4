package engine_test

import (
	"fmt"
	"math/rand/v2"
	"testing"

	"github.com/clustersim/clustersim/sim/engine"
)

// BenchmarkHold is the classic "hold" model: the queue holds n pending
// events; each handled event schedules one more at an exponential
// increment, so the queue size stays n. Reports events/s.
func BenchmarkHold(b *testing.B) {
	for _, n := range []int{10, 1000, 30_000, 100_000} {
		b.Run(fmt.Sprintf("pending=%d", n), func(b *testing.B) {
			sim := engine.New(1)
			r := rand.New(rand.NewPCG(1, 2))
			var k engine.Kind
			k = sim.Register("hold", func(ev engine.Event) {
				sim.After(engine.Duration(r.ExpFloat64()*1e6)+1, k, ev.Target, ev.Arg)
			})
			for i := range n {
				sim.Schedule(engine.Time(r.ExpFloat64()*1e6), k, int32(i), 0)
			}
			for range n { // warm up: let the heap reach its working size
				sim.Step()
			}
			b.ReportAllocs()
			b.ResetTimer()
			for range b.N {
				sim.Step()
			}
			b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "events/s")
		})
	}
}

// BenchmarkHoldWithCancelledTimeouts adds, per handled event, a far-future
// timeout that is cancelled by the next event: the client-timeout pattern.
func BenchmarkHoldWithCancelledTimeouts(b *testing.B) {
	for _, n := range []int{10, 1000, 30_000, 100_000} {
		b.Run(fmt.Sprintf("pending=%d", n), func(b *testing.B) {
			sim := engine.New(1)
			r := rand.New(rand.NewPCG(1, 2))
			handles := make([]engine.Handle, n)
			var k, timeout engine.Kind
			timeout = sim.Register("timeout", func(engine.Event) {})
			k = sim.Register("hold", func(ev engine.Event) {
				sim.Cancel(handles[ev.Target])
				handles[ev.Target] = sim.ScheduleCancellable(sim.Now().Add(engine.Hour), timeout, 0, 0)
				sim.After(engine.Duration(r.ExpFloat64()*1e6)+1, k, ev.Target, ev.Arg)
			})
			for i := range n {
				sim.Schedule(engine.Time(r.ExpFloat64()*1e6), k, int32(i), 0)
			}
			for range 2 * n {
				sim.Step()
			}
			b.ReportAllocs()
			b.ResetTimer()
			for range b.N {
				sim.Step()
			}
			b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "events/s")
		})
	}
}

// BenchmarkHoldWithDelayQueue is the hold model with client timeouts kept
// in a DelayQueue: each handled event starts a timer 2 ms out and stops
// the previous one of its target half of the time, so about half the
// timers fire, often at the same instant as other events.
func BenchmarkHoldWithDelayQueue(b *testing.B) {
	for _, n := range []int{10, 1000, 30_000} {
		b.Run(fmt.Sprintf("pending=%d", n), func(b *testing.B) {
			sim := engine.New(1)
			r := rand.New(rand.NewPCG(1, 2))
			handles := make([]engine.Handle, n)
			var k engine.Kind
			timeout := sim.Register("timeout", func(engine.Event) {})
			dq := sim.NewDelayQueue("timeout", 2*engine.Millisecond, timeout)
			k = sim.Register("hold", func(ev engine.Event) {
				if ev.Arg&1 == 0 {
					dq.Stop(handles[ev.Target])
				}
				handles[ev.Target] = dq.Start(ev.Target, 0)
				sim.After(engine.Duration(r.ExpFloat64()*1e6)+1, k, ev.Target, ev.Arg+1)
			})
			for i := range n {
				sim.Schedule(engine.Time(r.ExpFloat64()*1e6), k, int32(i), 0)
			}
			for range 2 * n {
				sim.Step()
			}
			b.ReportAllocs()
			b.ResetTimer()
			for range b.N {
				sim.Step()
			}
			b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "events/s")
		})
	}
}
