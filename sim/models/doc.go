// Package models holds the things a simulated cluster is made of —
// workloads, services, instances, node pools, the metrics pipeline — and
// the event handlers that move them, on top of the engine.
//
// A Cluster is built from a Config (normally by the scenario package) and
// run once:
//
//	c, err := models.New(cfg)
//	sum, err := c.Run(sink, progress) // sink receives one row per metrics window
//
// The life of a request: a workload's arrival event draws the next arrival
// and this request's work, the service's balancer picks an instance, and
// the request starts in a free slot, waits in the instance's FIFO queue or
// is rejected; its completion event frees the slot and records its
// latency. A client timeout is a timer in the workload's DelayQueue. The
// lifecycle (lifecycle.go), nodes (nodes.go), the scheduler (scheduler.go),
// the cluster autoscaler (clusterautoscaler.go) and the autoscaler's
// metrics pipeline (autoscale.go) are further event
// kinds on the same engine. Metrics are time integrals and sketches folded
// once per window (metrics.go), so memory does not grow with run length.
//
// Every random draw comes from a stream named after its component
// ("workload.NAME.arrivals", "workload.NAME.service_time",
// "service.NAME.balancer", "service.NAME.startup", "nodepool.NAME.provision",
// "cluster-autoscaler.expander"),
// so policy A and policy B see the same traffic.
package models
