// Package engine is clustersim's discrete-event core: a simulated clock in
// int64 nanoseconds, a pending-event set ordered by (time, insertion
// sequence), cancellable timers and named random streams. It knows nothing
// of clusters; models register handlers and schedule events that carry two
// payload words.
//
// Events are stored by value and dispatched through a handler table
// indexed by Kind, so scheduling and handling an event allocates nothing
// once the queue has grown to its working size. The pending-event set is a
// 4-ary heap while it is small; past a few hundred events a calendar of
// time buckets (a one-rung ladder queue) is put in front of it, so the
// cost per event stays flat as the pending set grows to 10^5 and beyond,
// and a model may register a Warmer to read a loaded bucket's payloads
// ahead of their handlers. The layout never changes the order events fire
// in, which is always (time, insertion sequence). Cancelled events are
// discarded lazily and the queue is compacted when they outnumber the
// live ones.
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
