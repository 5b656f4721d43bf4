// Package engine is clustersim's discrete-event core: a simulated clock in
// int64 nanoseconds, a pending-event set ordered by (time, insertion
// sequence), cancellable timers and named random streams. It knows nothing
// of clusters; models register handlers and schedule events that carry two
// payload words.
//
// Events are stored by value in a 4-ary heap and dispatched through a
// handler table indexed by Kind, so scheduling and handling an event
// allocates nothing once the heap has grown to its working size. Cancelled
// events are discarded lazily and the heap is compacted when they
// outnumber the live ones.
//
// Usage:
//
//	sim := engine.New(seed)
//	var tick engine.Kind
//	tick = sim.Register("tick", func(ev engine.Event) {
//		sim.After(engine.Second, tick, ev.Target, ev.Arg+1)
//	})
//	sim.Schedule(0, tick, 0, 0)
//	sim.RunUntil(engine.Time(engine.Minute))
package engine
