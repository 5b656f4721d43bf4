package engine_test

import (
	"fmt"

	"github.com/clustersim/clustersim/sim/engine"
)

// Example schedules a ticking timer and a timeout that is cancelled before
// it fires, then runs to a horizon.
func Example() {
	sim := engine.New(42)
	var tick engine.Kind
	tick = sim.Register("tick", func(ev engine.Event) {
		fmt.Printf("%v tick %d\n", sim.Now(), ev.Arg)
		sim.After(engine.Second, tick, 0, ev.Arg+1)
	})
	timeout := sim.Register("timeout", func(engine.Event) { fmt.Println("timed out") })
	sim.Schedule(0, tick, 0, 1)
	h := sim.ScheduleCancellable(engine.Time(5*engine.Second), timeout, 0, 0)
	cancel := sim.Register("cancel", func(engine.Event) { fmt.Println("cancelled:", sim.Cancel(h)) })
	sim.Schedule(engine.Time(1500*engine.Millisecond), cancel, 0, 0)
	sim.RunUntil(engine.Time(2 * engine.Second))
	fmt.Println("events:", sim.Executed(), "now:", sim.Now())
	// Output:
	// 0s tick 1
	// 1s tick 2
	// cancelled: true
	// 2s tick 3
	// events: 4 now: 2s
}

// ExampleNewStream: each named component gets its own reproducible stream.
func ExampleNewStream() {
	a := engine.NewStream(7, "workload.shoppers.arrivals")
	b := engine.NewStream(7, "workload.shoppers.arrivals")
	fmt.Println(a.Uint64() == b.Uint64())
	// Output: true
}
