package scenario

import (
	"github.com/clustersim/clustersim/sim/dist"
	"github.com/clustersim/clustersim/sim/models"
	"github.com/clustersim/clustersim/sim/policies"
	"github.com/clustersim/clustersim/sim/policies/nodescale"
)

// Config is one parsed, defaulted and validated scenario file. See the
// package documentation for the file format. After Parse or Load succeeds:
//   - every default has been filled in;
//   - every Workload has a non-nil ServiceTime (inherited from its target
//     service when the workload gives none);
//   - every trace workload's trace was read through, its figures in
//     Workload.TraceInfo.
type Config struct {
	// Sim is the [sim] table: run length, warm-up, metrics window, seed.
	Sim Sim `toml:"sim"`
	// Workloads are the [[workload]] entries: streams of client requests.
	Workloads []Workload `toml:"workload"`
	// Services are the [[service]] entries: fleets of instances behind a
	// balancer.
	Services []Service `toml:"service"`
	// NodePools are the optional [[node_pool]] entries: nodes instances
	// are scheduled onto, grown and shrunk by the cluster autoscaler.
	NodePools []NodePool `toml:"node_pool,omitempty"`
	// ClusterAutoscaler holds the cluster autoscaler's cluster-wide
	// settings; it acts only when there are node pools.
	ClusterAutoscaler ClusterAutoscaler `toml:"cluster_autoscaler"`
	// Faults are the [[fault]] entries: instances of a service that crash,
	// hang, answer errors or slow down at a given time.
	Faults []Fault `toml:"fault,omitempty"`
	// Deploys are the [[deploy]] entries: moves of a service to another
	// of its versions at a given time, by a deployment strategy.
	Deploys []Deploy `toml:"deploy,omitempty"`
	// Neighbours are the [[neighbour]] entries: noisy neighbours, heavy
	// workloads on every node of a pool for a while (see neighbour.go).
	Neighbours []Neighbour `toml:"neighbour,omitempty"`
	// Asserts are the [[assert]] entries: bounds on summary figures that
	// `clustersim check` evaluates.
	Asserts []Assert `toml:"assert,omitempty"`
	// Variants are the [[variant]] entries: named sets of overrides run
	// side by side on the same seed and random streams (see variant.go).
	Variants []Variant `toml:"variant,omitempty"`
	// Variant is the name of the variant this Config is, "" for a scenario
	// as written.
	Variant string `toml:"-"`

	// File is the path the scenario was read from ("" when unknown). Trace
	// paths are relative to its directory.
	File string `toml:"-"`
	// Source is the scenario file as read, before overrides.
	Source []byte `toml:"-"`
	// Overrides are the --set arguments applied after decoding, in order.
	Overrides []string `toml:"-"`
}

// Sim holds the run-wide settings of the [sim] table.
type Sim struct {
	// Name labels the run in outputs; default: the file's base name
	// without ".toml".
	Name string `toml:"name"`
	// Duration is the simulated run length, nanoseconds; required, > 0.
	Duration Duration `toml:"duration"`
	// Warmup is the initial span excluded from summary figures,
	// nanoseconds; default 0, must be < Duration.
	Warmup Duration `toml:"warmup"`
	// Window is the metrics window (one timeseries row each), nanoseconds;
	// default 10s, > 0 and <= Duration.
	Window Duration `toml:"window"`
	// Seed seeds every random stream of the run; default 1.
	Seed uint64 `toml:"seed"`
}

// Arrival is how a workload spaces its requests.
type Arrival string

// Arrival processes.
const (
	ArrivalPoisson  Arrival = "poisson"  // exponential gaps at the current rate
	ArrivalConstant Arrival = "constant" // evenly spaced at the current rate
	ArrivalTrace    Arrival = "trace"    // replayed from a trace file
	ArrivalMMPP     Arrival = "mmpp"     // Markov-modulated Poisson: on/off bursts
)

// MMPP is a workload's two-state Markov-modulated Poisson process: rate
// RateOn for exponential spells of mean MeanOn, then RateOff for spells of
// mean MeanOff.
type MMPP struct {
	// RateOn is the rate while on, requests per second; >= 0.
	RateOn float64 `toml:"rate_on"`
	// RateOff is the rate while off, requests per second; >= 0.
	RateOff float64 `toml:"rate_off"`
	// MeanOn is the mean on spell, nanoseconds; >= 1ms.
	MeanOn Duration `toml:"mean_on"`
	// MeanOff is the mean off spell, nanoseconds; >= 1ms.
	MeanOff Duration `toml:"mean_off"`
}

// Workload is one [[workload]] entry: a stream of client requests.
type Workload struct {
	// Name identifies the workload; required, unique, [A-Za-z0-9_-]+.
	Name string `toml:"name"`
	// Target names the [[service]] the requests go to; required.
	Target string `toml:"target"`
	// Arrival is the arrival process; default "poisson".
	Arrival Arrival `toml:"arrival"`
	// Rate is the initial arrival rate, requests per second; >= 0.
	// Required (> 0) unless Schedule gives the rates or Arrival is "trace".
	Rate float64 `toml:"rate,omitzero"`
	// Schedule changes the rate over time; At strictly increasing and
	// < Sim.Duration.
	Schedule []RatePoint `toml:"schedule,omitempty"`
	// Trace is the path, relative to the scenario file, of a trace file:
	// arrival times in seconds (one per line, '#' comments), or with
	// per-request fields as CSV (".csv") or JSON lines (".jsonl",
	// ".ndjson"); required iff Arrival is "trace". See package trace.
	Trace string `toml:"trace,omitempty"`
	// MMPP gives the on/off process; required iff Arrival is "mmpp".
	MMPP *MMPP `toml:"mmpp,omitempty"`
	// Profile shapes the rate over the day (shapes.go): 24 multipliers of
	// Rate, one per hour of the day from 00:00, each finite and >= 0, not
	// all 0. The rate is piecewise constant: Rate × Profile[h] for the
	// whole of hour h, so the expected arrivals of hour h are
	// Rate × Profile[h] × 3600; it repeats every 24 h. With arrival
	// "poisson" or "constant"; not with schedule.
	Profile []float64 `toml:"profile,omitempty"`
	// ProfileStart is the hour of the day at the start of the run, for
	// Profile: 6.5 starts the run at 06:30; default 0, 0 <= x < 24.
	ProfileStart float64 `toml:"profile_start,omitzero"`
	// Speed replays a trace this many times faster (2 halves every gap:
	// an arrival at t seconds in the trace comes at t/2 in the run);
	// default 1, > 0 and at most 1e6; with arrival "trace" (trace.go).
	Speed float64 `toml:"speed,omitzero"`
	// Loop replays a trace again and again: pass k (from 0) is shifted by
	// k × the trace's last arrival time, so a trace of one day from
	// 00:00:00 to 23:59:59.9 repeats daily; default false; with arrival
	// "trace".
	Loop bool `toml:"loop,omitempty"`
	// TraceInfo is what reading Trace through at parse time found; the run
	// streams the file again.
	TraceInfo TraceInfo `toml:"-"`
	// ServiceTime is the work one request needs; after parsing never nil
	// (inherited from the target service when omitted).
	ServiceTime *Dist `toml:"service_time,omitempty"`
	// Timeout is how long the client waits before giving up, nanoseconds;
	// 0 (omitted) means no timeout; > 0 when given.
	Timeout Duration `toml:"timeout,omitzero"`
	// Keys gives every request a key drawn from this many values (a user,
	// session, client or object id, on the stream "workload.NAME.keys"),
	// read by the balancers that hash or stick: ring_hash and maglev hash
	// it, sticky takes it for the session cookie, dns and subset for the
	// client. 0 (omitted) means no key; 1..1000000 when given.
	Keys int `toml:"keys,omitzero"`
	// Zipf draws keys by Zipf's law with this exponent s (key k, from 0,
	// has weight 1/(k+1)^s: a few hot keys); 0 (omitted) draws them
	// uniformly; 0..10, with keys.
	Zipf float64 `toml:"zipf,omitzero"`
	// Network is the path between the clients and the service's balancer:
	// round trip, handshake protocol and keep-alive pools; nil (omitted)
	// means requests reach the service directly, with no connection.
	Network *Network `toml:"network,omitempty"`
	// Lifetime makes each arrival open one long-lived connection (a
	// websocket, a gRPC stream) that lives this long, seconds as a
	// distribution, pinned to one instance; requires message_rate.
	Lifetime *Dist `toml:"lifetime,omitempty"`
	// MessageRate is the requests per second each long-lived connection
	// sends (a Poisson stream, each with the workload's service_time);
	// required with lifetime, > 0.
	MessageRate float64 `toml:"message_rate,omitzero"`
	// Users makes the workload a closed loop of this many users, instead
	// of a rate: each sends a request, waits for its answer (or its
	// timeout), thinks, and sends the next; 0 (omitted) for an open loop;
	// 1 to 10,000,000. See clients.go.
	Users int `toml:"users,omitzero"`
	// Think is a closed-loop user's think time between an answer and the
	// next request (a distribution); required with Users, not allowed
	// without.
	Think *Dist `toml:"think,omitempty"`
	// UserSchedule changes a closed loop's user count over time; optional,
	// with Users only. See clients.go.
	UserSchedule []UserStep `toml:"users_schedule,omitempty"`
	// Retry resends failed attempts with backoff and jitter; nil (omitted)
	// means no retries.
	Retry *Retry `toml:"retry,omitempty"`
	// Breaker is a client-side circuit breaker; nil (omitted) means none.
	Breaker *Breaker `toml:"breaker,omitempty"`
	// Writes is the share of its requests that are writes, when its target
	// is a database (drawn on "workload.NAME.writes"), 0 to 1; default the
	// database's writes.
	Writes *float64 `toml:"writes,omitempty"`
	// Endpoints is the mix of endpoints the requests ask for, each
	// { name, weight, service_time, calls }; default none. See
	// identity.go.
	Endpoints []Endpoint `toml:"endpoints,omitempty"`
	// Sessions makes each arrival (open loop) or each user's turn (closed
	// loop) start a session, { name, weight, steps, think }: a sequence
	// of the endpoints, one step after another's answer; for an open
	// loop rate is then sessions per second. Default none; requires
	// endpoints, and user_ids on an open loop.
	Sessions []Session `toml:"sessions,omitempty"`
	// UserIDs gives an open loop's requests (or sessions) a user drawn
	// uniformly from this many (stream "workload.NAME.users"), for
	// sticky sessions, A/B splits and blast radii in users; 0 (omitted)
	// for none; 1 to 10,000,000; not with users (a closed loop's users
	// are its users).
	UserIDs int `toml:"user_ids,omitzero"`
	// Hedge sends a copy of a request that has no answer after a delay;
	// nil (omitted) means none. See resilience.go.
	Hedge *Hedge `toml:"hedge,omitempty"`
}

// Protocol is a connection's transport and security stack.
type Protocol string

// Network is a workload's network table. rtt is the round trip between
// the client and what it connects to (the target service's balancer). A
// new connection costs the protocol's handshake round trips before its
// first request (tcp 1, tls1.2 3, tls1.3 2, quic 1; resumed: tls1.2 2,
// tls1.3 1, quic 0), then every request and its response one round trip.
type Network struct {
	// RTT is the round trip between a client and the service's balancer,
	// nanoseconds; default 0, >= 0.
	RTT Duration `toml:"rtt"`
	// Protocol is "tcp" (default), "tls1.2", "tls1.3" or "quic".
	Protocol Protocol `toml:"protocol"`
	// Resumption lets a client resume its session on every connection
	// after its first (TLS 1.2 abbreviated handshake, TLS 1.3 and QUIC
	// 0-RTT); default false.
	Resumption bool `toml:"resumption"`
	// KeepAlive reuses connections for later requests; default true.
	// false: each request opens and closes its own connection.
	KeepAlive bool `toml:"keep_alive"`
	// Pool is the most connections one client holds open (each carries one
	// request at a time, as HTTP/1.1); further requests wait for one.
	// Default 0: no limit.
	Pool int `toml:"pool"`
	// IdleTimeout closes a pooled connection idle this long, nanoseconds;
	// default 90s (Go's http.Transport IdleConnTimeout); 0: never.
	IdleTimeout Duration `toml:"idle_timeout"`
	// Clients is the number of clients the workload's arrivals are spread
	// over in turn, each with its own pool; default 1, >= 1.
	Clients int `toml:"clients"`
	// Streams is how many requests one connection carries at once: 1
	// (default) is HTTP/1.1, more is HTTP/2 or gRPC multiplexing (gRPC
	// servers default to 100); a client opens another connection only when
	// every stream of its open ones is busy.
	Streams int `toml:"streams"`
	// EdgeRTT is the round trip between a client and a point of presence
	// on its way to the service that terminates TCP and TLS and keeps warm
	// connections to the origin (edge termination), nanoseconds; default
	// 0 (no edge), at most rtt. The handshakes pay edge_rtt per round
	// trip; each request still travels rtt in all (edge_rtt to the edge,
	// rtt - edge_rtt on to the origin), with no handshake on the origin leg.
	EdgeRTT Duration `toml:"edge_rtt,omitzero"`
}

// RatePoint is one entry of a workload's rate schedule: starting at At the
// rate moves linearly from the previous rate to Rate over Ramp (a step when
// Ramp is 0).
type RatePoint struct {
	// At is when the change starts, nanoseconds from the start; required.
	At Duration `toml:"at"`
	// Rate is the new rate, requests per second; required, >= 0.
	Rate float64 `toml:"rate"`
	// Ramp is how long the linear change takes, nanoseconds; default 0.
	Ramp Duration `toml:"ramp,omitzero"`
}

// Service is one [[service]] entry: a fleet of identical instances behind
// a balancer.
type Service struct {
	// Name identifies the service; required, unique, [A-Za-z0-9_-]+.
	Name string `toml:"name"`
	// Replicas is the initial number of instances; default 1, >= 0.
	Replicas int `toml:"replicas"`
	// Concurrency is the number of requests one instance serves at once;
	// default 1, >= 1.
	Concurrency int `toml:"concurrency"`
	// Queue is the waiting room per instance, requests; nil (omitted)
	// means unbounded, otherwise >= 0. Overflow is rejected.
	Queue *int `toml:"queue,omitempty"`
	// ServiceTime is the default service time of workloads targeting this
	// service that give none; optional.
	ServiceTime *Dist `toml:"service_time,omitempty"`
	// Startup is how long a new instance's process takes to start,
	// nanoseconds, as a constant; default 0. Use ProcessStart for a
	// distribution.
	Startup Duration `toml:"startup"`
	// ImagePull is the time to pull the image onto a node before the
	// process starts (a distribution); optional.
	ImagePull *Dist `toml:"image_pull,omitempty"`
	// ProcessStart is the process start time as a distribution; optional,
	// not together with Startup.
	ProcessStart *Dist `toml:"process_start,omitempty"`
	// Readiness is the readiness probe that decides when a started
	// instance joins the balancer; Kubernetes defaults.
	Readiness Readiness `toml:"readiness"`
	// TerminationGrace is how long a draining instance may finish its
	// in-flight work before it is stopped, nanoseconds; default 30s
	// (Kubernetes terminationGracePeriodSeconds).
	TerminationGrace Duration `toml:"termination_grace"`
	// CPU is the cores one instance requests from its node; default 1.
	CPU float64 `toml:"cpu"`
	// CPULimit is the cores one instance may use when saturated
	// (Kubernetes resources.limits.cpu); 0 (omitted) means CPU. Above CPU,
	// a saturated instance's utilisation exceeds 100% of its request, as
	// the HPA sees it.
	CPULimit float64 `toml:"cpu_limit,omitzero"`
	// Memory is the GiB one instance requests from its node; default 1.
	Memory float64 `toml:"memory"`
	// NodePool names the [[node_pool]] the instances run on; default ""
	// for any pool (the scheduler picks among every pool's nodes and the
	// cluster autoscaler's expander picks which pool grows). Without pools,
	// instances need no node.
	NodePool string `toml:"node_pool,omitempty"`
	// Placement is how the scheduler picks a node: "spread" (default:
	// zones first, then the least allocated node, like Kubernetes'
	// default scheduler) or "binpack" (the most allocated node that fits).
	Placement Placement `toml:"placement"`
	// Warmup slows a freshly ready instance down; default none.
	Warmup Warmup `toml:"warmup"`
	// Slow makes the first instances permanently slower (a noisy
	// neighbour); default none.
	Slow Slow `toml:"slow"`
	// Balancer spreads requests over the instances; default L7 round robin.
	Balancer Balancer `toml:"balancer"`
	// Autoscaler changes Replicas over time; nil (omitted) means none.
	Autoscaler *Autoscaler `toml:"autoscaler,omitempty"`
	// CostPerHour is the price of one instance, USD per instance-hour;
	// default 0, >= 0.
	CostPerHour float64 `toml:"cost_per_hour"`
	// Versions are the builds of the service's code, [{ name,
	// service_time, error_rate, ... }]; the first runs at the start and
	// [[deploy]] entries move to the others. Optional.
	Versions []Version `toml:"versions,omitempty"`
	// ChaosMonkey kills its ready instances at random: { rate (kills per
	// hour), from, to }; optional.
	ChaosMonkey *ChaosMonkey `toml:"chaos_monkey,omitempty"`
	// MaxConnectionAge closes a connection this old, nanoseconds, jittered
	// by ±10% (gRPC's MaxConnectionAge); the client reconnects through the
	// balancer at once. Default 0: connections live as long as their
	// clients keep them.
	MaxConnectionAge Duration `toml:"max_connection_age,omitzero"`
	// MaxConnectionAgeGrace is gRPC's MaxConnectionAgeGrace, nanoseconds:
	// how long requests in flight when a connection reaches
	// max_connection_age may take to finish; those of a keep-alive
	// connection still in flight at GOAWAY + grace fail. Default 0: no
	// bound (gRPC's default, infinite).
	MaxConnectionAgeGrace Duration `toml:"max_connection_age_grace,omitzero"`
	// Rebalance drains and rebalances pinned connections on scale-out:
	// when an instance becomes ready, each instance holding more than
	// ⌈mean⌉ of the pinned connections (long-lived ones, and L4 keep-alive
	// ones) sends GOAWAY on just enough of them to come down to ⌈mean⌉,
	// and their clients reconnect through the balancer at once (pair it
	// with least_outstanding so they land on the emptiest instances).
	// Default false: connections stay where they are.
	Rebalance bool `toml:"rebalance,omitzero"`
	// HealthCheck is the balancer's active health checking (Envoy's
	// health_check); nil (omitted) means none: the balancer learns of a
	// crashed instance only from Kubernetes, at once.
	HealthCheck *HealthCheck `toml:"health_check,omitempty"`
	// OutlierDetection is the balancer's passive outlier detection
	// (Envoy's outlier_detection); nil (omitted) means none.
	OutlierDetection *OutlierDetection `toml:"outlier_detection,omitempty"`
	// Platform is how the service runs and is billed: "instance"
	// (default; cost_per_hour), "container" (per vCPU-second and
	// GB-second of its cpu and memory, Fargate prices) or "function"
	// (execution environments of a serverless function; see function.go).
	Platform Platform `toml:"platform"`
	// Arch is "x86_64" (default) or "arm64"; it sets container and
	// function prices.
	Arch Arch `toml:"arch"`
	// Runtime picks a cold_start preset for a function (function.go);
	// optional, not together with ColdStart.
	Runtime Runtime `toml:"runtime,omitempty"`
	// ColdStart is a function's init duration (a distribution); default
	// the Runtime preset, or none (instant).
	ColdStart *Dist `toml:"cold_start,omitempty"`
	// KeepAlive is how long a function's idle environment lives,
	// nanoseconds; default 10m.
	KeepAlive Duration `toml:"keep_alive,omitzero"`
	// KeepAliveDist draws how long a function's environment lives idle,
	// afresh each time it falls idle (a distribution, such as uniform
	// from 5m to 7m); optional, not together with KeepAlive.
	KeepAliveDist *Dist `toml:"keep_alive_dist,omitempty"`
	// ConcurrencyLimit is a function's account or reserved concurrency:
	// environments at most; above it requests are throttled. Default 1000.
	ConcurrencyLimit int `toml:"concurrency_limit,omitzero"`
	// Provisioned is a function's provisioned concurrency: environments
	// initialised from the start, never reclaimed; default 0.
	Provisioned int `toml:"provisioned,omitzero"`
	// ProvisionedSchedule changes a function's provisioned concurrency at
	// given times (scheduled actions); optional, At strictly increasing.
	ProvisionedSchedule []ProvisionedStep `toml:"provisioned_schedule,omitempty"`
	// Timeout is a function's configured timeout, nanoseconds: longer
	// invocations fail; default 3s, at most 15m.
	Timeout Duration `toml:"timeout,omitzero"`
	// ThrottleRetry resends a function's throttled requests; default none.
	ThrottleRetry *ThrottleRetry `toml:"throttle_retry,omitempty"`
	// Pricing is how its instance-hours are bought: "on_demand"
	// (default), "reserved" or "spot" (pricing.go).
	Pricing Pricing `toml:"pricing,omitempty"`
	// PricingDiscount replaces the example discount of reserved or spot
	// pricing, a share off the on-demand price in [0, 1); optional.
	PricingDiscount *float64 `toml:"pricing_discount,omitempty"`
	// SpotInterruptions interrupts a spot fleet's instances with a
	// two-minute notice: { rate (per hour), warning, from, to }; optional.
	SpotInterruptions *SpotInterruptions `toml:"spot_interruptions,omitempty"`
	// Calls are the calls an instance makes after its own work, each
	// through the callee's balancer, holding its slot until the last
	// returns; default none. See clients.go.
	Calls []Call `toml:"calls,omitempty"`
	// Cache answers requests for popular keys before they reach an
	// instance; nil (omitted) for none. See clients.go.
	Cache *Cache `toml:"cache,omitempty"`
	// Database makes it a database of primaries and read replicas, sharded
	// by key, behind a connection pool; nil (omitted) for none. See
	// database.go.
	Database *Database `toml:"database,omitempty"`
	// Flags are feature flags: a share of requests takes a new code path
	// with its own costs, from a time until a kill switch; default none.
	// See chaos.go.
	Flags []Flag `toml:"flags,omitempty"`
	// Sessions is where the service keeps its users' sessions, { store =
	// "memory" | "external", service }: in its instances' memory (sticky
	// by user; lost when an instance goes away) or in a session-store
	// service called once per request; nil (omitted) for a stateless
	// service. See identity.go.
	Sessions *SessionStore `toml:"sessions,omitempty"`
	// RetryAfter is the Retry-After header its rejections (queue full, no
	// ready instance, a function's throttle) and its [[fault]] error
	// answers carry, nanoseconds: a client's or caller's retry waits at
	// least this long; 0 (omitted) for none; > 0 when given. See
	// resilience.go.
	RetryAfter Duration `toml:"retry_after,omitzero"`
	// Sidecar is its sidecar proxy, adding latency to every request in
	// and call out and CPU to its instances; nil (omitted) for none. See
	// resilience.go.
	Sidecar *Sidecar `toml:"sidecar,omitempty"`
}

// HealthCheck is Envoy's active health checking: a check every interval
// after the previous result; a crashed instance refuses at once, a hung
// one fails when the timeout expires. All four keys are required, as in
// Envoy.
type HealthCheck struct {
	// Interval is the time from one check's result to the next check,
	// nanoseconds; required, > 0.
	Interval Duration `toml:"interval"`
	// Timeout fails a check unanswered this long, nanoseconds; required, > 0.
	Timeout Duration `toml:"timeout"`
	// UnhealthyThreshold is the consecutive failures that take a healthy
	// instance out of the balancer; required, >= 1.
	UnhealthyThreshold int `toml:"unhealthy_threshold"`
	// HealthyThreshold is the consecutive successes that bring an
	// unhealthy instance back; required, >= 1.
	HealthyThreshold int `toml:"healthy_threshold"`
}

// OutlierDetection is Envoy's passive outlier detection on consecutive
// 5xx (a refused connection counts as one): an instance is ejected at its
// consecutive_5xx-th consecutive 5xx, and returns on the first interval
// tick after base_ejection_time × the times it was ejected (capped at
// max_ejection_time).
type OutlierDetection struct {
	// Consecutive5xx is the run of 5xx that ejects; default 5, >= 1.
	Consecutive5xx int `toml:"consecutive_5xx"`
	// Interval is the time between unejection sweeps, nanoseconds;
	// default 10s, > 0.
	Interval Duration `toml:"interval"`
	// BaseEjectionTime is the first ejection's length, nanoseconds;
	// default 30s, > 0.
	BaseEjectionTime Duration `toml:"base_ejection_time"`
	// MaxEjectionPercent caps the share of instances ejected at once,
	// percent; default 10, 0 to 100; one instance may always be ejected.
	MaxEjectionPercent int `toml:"max_ejection_percent"`
	// MaxEjectionTime caps an ejection's length, nanoseconds; default
	// 300s, >= 0.
	MaxEjectionTime Duration `toml:"max_ejection_time"`
}

// FaultKind is what a fault does.
type FaultKind string

// Fault is one [[fault]] entry: instances of a service go wrong at a time.
type Fault struct {
	// Name labels the fault's random stream; default "fault-N", its
	// position from 1.
	Name string `toml:"name,omitempty"`
	// Service names the [[service]] hit (for a call, the caller);
	// required, except for node, zone and region faults, which hit every
	// instance on their nodes.
	Service string `toml:"service,omitempty"`
	// Pool names the [[node_pool]] a node fault hits; required for
	// "node", for no other kind.
	Pool string `toml:"pool,omitempty"`
	// Zone is the zone a zone fault takes out, one of a [[node_pool]]'s
	// zones; required for "zone", for no other kind.
	Zone string `toml:"zone,omitempty"`
	// At is when the fault starts, nanoseconds from the start; required,
	// before sim.duration.
	At Duration `toml:"at"`
	// Kind is "crash" (the process dies: requests on it fail, its
	// connections reset, the fleet replaces it), "hang" (it accepts
	// requests and never answers them), "errors" (it answers a share
	// error_rate of requests with a fast 5xx), "slow" (its service times
	// are multiplied by factor), "node" (instances ready nodes of pool
	// crash with every instance on them), "zone" (every node in zone
	// crashes and none is placed there until the fault ends),
	// "cache_flush" (the service's cache is emptied) or "region" (every
	// zone of region goes down, and its share of the traffic is lost
	// until failover); required.
	Kind FaultKind `toml:"kind"`
	// Instances is how many ready instances are hit, the longest-running
	// first (node: how many ready nodes, the oldest first); default 1,
	// >= 1. Not for zone.
	Instances int `toml:"instances"`
	// Duration is how long a hang, errors, slow, zone or region fault lasts,
	// nanoseconds; default: until the end of the run. Not for an
	// instance crash or a node; for a balancer crash, the time to repair
	// the node.
	Duration Duration `toml:"duration,omitzero"`
	// ErrorRate is the share of requests an errors fault answers 5xx;
	// required for "errors", in (0, 1].
	ErrorRate float64 `toml:"error_rate,omitzero"`
	// Factor multiplies a slow fault's service times; required for
	// "slow", > 0.
	Factor float64 `toml:"factor,omitzero"`
	// Component is what the fault hits: "instances" (default) or
	// "balancer", the service's balancer nodes (see the service's balancer
	// capacity, latency, standby and failover). A balancer fault is a
	// crash of instances nodes (1 or 2), repaired after duration if given
	// (default: never).
	Component FaultComponent `toml:"component,omitempty"`
	// Latency is how long an errors fault takes to answer, nanoseconds:
	// default 0, at once, without the request taking an instance's slot;
	// above 0 the instance serves the request for that long and then
	// fails it, and the balancer sees that response time (a fast-failing
	// instance). On a call edge (call) it delays each call that long
	// (slow, required) or is the time an aborted call takes (errors).
	Latency Duration `toml:"latency,omitzero"`
	// Share hits that share of the service's ready instances, rounded up,
	// instead of instances (a bad push to part of the fleet); in (0, 1].
	// Not with instances; for crash, hang, errors and slow.
	Share float64 `toml:"share,omitzero"`
	// Call names a service that Service calls: an errors or slow fault
	// then hits the calls on that edge (Envoy's fault injection on the
	// caller's route) instead of Service's instances: errors aborts a
	// share error_rate of the calls with a 5xx after latency, slow delays
	// every call by latency before it reaches the callee.
	Call string `toml:"call,omitempty"`
	// Region is the region a region fault takes out, one of the node
	// pools' regions; required for "region", for no other kind.
	Region string `toml:"region,omitempty"`
	// Failover is how long clients keep sending to a failed region after
	// a region fault starts (DNS failover: health checks noticing plus
	// the record's TTL), nanoseconds; default "90s", region faults only.
	Failover Duration `toml:"failover,omitzero"`
}

// ProvisionedStep is one entry of a function's provisioned_schedule.
type ProvisionedStep struct {
	// At is when the new count applies, nanoseconds from the start;
	// required. Environments added are ready at At: schedule them ahead
	// by the minutes AWS takes to allocate them.
	At Duration `toml:"at"`
	// Count is the provisioned concurrency from At on; required, 0 to
	// concurrency_limit. Surplus environments leave when idle.
	Count int `toml:"count"`
}

// ThrottleRetry is how a function's clients resend throttled (HTTP 429)
// requests, as the AWS SDKs retry throttling errors.
type ThrottleRetry struct {
	// Retries is how many times a throttled request is resent; required,
	// 1 to 10000 (the AWS SDKs' standard retry mode makes up to 3
	// attempts: 2 resends).
	Retries int `toml:"retries"`
	// Backoff is the delay before each resend, nanoseconds; required, > 0.
	Backoff Duration `toml:"backoff"`
}

// Readiness is a Kubernetes readiness probe: probes run every Period from
// InitialDelay after the container starts, and an instance is ready after
// SuccessThreshold consecutive successes; a probe succeeds once the
// process has started.
type Readiness struct {
	// InitialDelay is initialDelaySeconds, nanoseconds; default 0.
	InitialDelay Duration `toml:"initial_delay"`
	// Period is periodSeconds, nanoseconds; default 10s.
	Period Duration `toml:"period"`
	// SuccessThreshold is successThreshold; default 1, >= 1.
	SuccessThreshold int `toml:"success_threshold"`
	// FailureThreshold is failureThreshold; default 3, >= 1.
	FailureThreshold int `toml:"failure_threshold"`
	// Timeout is timeoutSeconds, nanoseconds. When set, probes keep
	// running on ready instances and wait behind queued requests; a
	// probe that would wait longer fails. Default 0: the health endpoint
	// is served outside the request queue and never fails.
	Timeout Duration `toml:"timeout,omitzero"`
}

// Placement is a scheduling strategy.
type Placement string

// Placements.
const (
	PlacementSpread  Placement = "spread"
	PlacementBinpack Placement = "binpack"
)

// NodePool is one [[node_pool]] entry: identical nodes that instances are
// scheduled onto, grown and shrunk by a cluster autoscaler between Min and
// Max.
type NodePool struct {
	// Name identifies the pool; required, unique, not a service's name.
	Name string `toml:"name"`
	// CPU is one node's allocatable cores; default 4, > 0.
	CPU float64 `toml:"cpu"`
	// Memory is one node's allocatable GiB; default 16, > 0.
	Memory float64 `toml:"memory"`
	// Nodes is the number of ready nodes at the start; default Min, or 1.
	Nodes *int `toml:"nodes,omitempty"`
	// Min is the fewest nodes; default Nodes.
	Min *int `toml:"min,omitempty"`
	// Max is the most nodes; default Nodes (no autoscaling). Max > Min
	// turns the cluster autoscaler on.
	Max *int `toml:"max,omitempty"`
	// Zones spreads the pool's nodes over these zones in turn; optional.
	Zones []string `toml:"zones,omitempty"`
	// Region names the region the pool's zones are in, which a region
	// [[fault]] takes out at once; optional. A zone is in one region.
	Region string `toml:"region,omitempty"`
	// Provision is the time from a node request to a ready node (a
	// distribution); default constant 90s.
	Provision *Dist `toml:"provision,omitempty"`
	// ScaleDownUnneeded is how long a node must be unneeded before it is
	// removed, nanoseconds; default 10m (--scale-down-unneeded-time).
	ScaleDownUnneeded Duration `toml:"scale_down_unneeded"`
	// ScaleDownUtilization is the requested-CPU fraction under which a
	// node is unneeded; default 0.5 (--scale-down-utilization-threshold).
	ScaleDownUtilization float64 `toml:"scale_down_utilization"`
	// CostPerHour is the price of one node, USD per node-hour; default 0.
	CostPerHour float64 `toml:"cost_per_hour"`
	// Dedicated keeps the pool to the services that name it in node_pool
	// (a Kubernetes taint their pods tolerate): services of any pool are
	// neither placed on it nor grow it; default false.
	Dedicated bool `toml:"dedicated,omitempty"`
	// Failures crash nodes at given times.
	Failures []NodeFailure `toml:"failures,omitempty"`
}

// Expander is how the cluster autoscaler picks the pool to grow when
// several could host pending instances.
type Expander string

// Expanders; the list of valid names comes from nodescale.Expanders.
const (
	ExpanderLeastWaste Expander = "least-waste" // least idle CPU (then memory) on the new nodes
	ExpanderRandom     Expander = "random"      // uniformly at random, on the "cluster-autoscaler.expander" stream
)

// ClusterAutoscaler is the [cluster_autoscaler] table: the cluster-wide
// settings of the autoscaler that grows and shrinks the node pools
// (cluster-autoscaler command-line flags; per-pool settings live in
// [[node_pool]]).
type ClusterAutoscaler struct {
	// ScanInterval is the autoscaler's loop period, nanoseconds; default
	// 10s (--scan-interval), > 0.
	ScanInterval Duration `toml:"scan_interval"`
	// ScaleDownDelayAfterAdd is how long after a scale-up of any pool no
	// node of any pool is deleted, nanoseconds; default 10m
	// (--scale-down-delay-after-add), >= 0. Unneeded timers keep running.
	ScaleDownDelayAfterAdd Duration `toml:"scale_down_delay_after_add"`
	// Expander picks the pool to grow when several could host pending
	// instances: "least-waste" (default) or "random" (--expander).
	Expander Expander `toml:"expander"`
	// MaxEmptyBulkDelete is the most empty nodes deleted in one scan;
	// non-empty nodes go one per scan. Default 10
	// (--max-empty-bulk-delete), >= 1.
	MaxEmptyBulkDelete int `toml:"max_empty_bulk_delete"`
}

// NodeFailure crashes Count ready nodes of a pool at At.
type NodeFailure struct {
	// At is when, nanoseconds from the start; required.
	At Duration `toml:"at"`
	// Count is how many nodes crash; default 1, >= 1.
	Count int `toml:"count"`
}

// Warmup is the service-time penalty of a freshly ready instance: service
// times are multiplied by Slowdown, decaying linearly to 1 over Duration.
type Warmup struct {
	// Duration is the length of the warm-up, nanoseconds; default 0 (none).
	Duration Duration `toml:"duration"`
	// Slowdown is the service-time factor at the start of the warm-up;
	// default 1, >= 1.
	Slowdown float64 `toml:"slowdown"`
}

// Slow makes the first Instances instances a service creates slower by
// Factor for their whole life.
type Slow struct {
	// Instances is how many instances are slow; default 0, >= 0.
	Instances int `toml:"instances"`
	// Factor multiplies their service times; default 1, >= 1.
	Factor float64 `toml:"factor"`
}

// Layer is the protocol layer a balancer works at.
type Layer string

// Balancer layers.
const (
	LayerL4 Layer = "L4" // per connection
	LayerL7 Layer = "L7" // per request
)

// Algorithm is a balancing algorithm.
type Algorithm string

// Balancing algorithms; policies.Algorithms lists them all.
const (
	AlgorithmRoundRobin           Algorithm = policies.NameRoundRobin
	AlgorithmWeightedRoundRobin   Algorithm = policies.NameWeightedRoundRobin
	AlgorithmRandom               Algorithm = policies.NameRandom
	AlgorithmLeastOutstanding     Algorithm = policies.NameLeastOutstanding
	AlgorithmLeastConnections     Algorithm = policies.NameLeastConnections
	AlgorithmP2C                  Algorithm = policies.NameP2C // Envoy's least request: power of two random choices
	AlgorithmWeightedResponseTime Algorithm = policies.NameWeightedResponseTime
	AlgorithmRingHash             Algorithm = policies.NameRingHash
	AlgorithmMaglev               Algorithm = policies.NameMaglev
	AlgorithmSticky               Algorithm = policies.NameSticky
	AlgorithmDNS                  Algorithm = policies.NameDNS
	AlgorithmSubset               Algorithm = policies.NameSubset
)

// Aperture is how the clients of a subset balancer choose their backends.
type Aperture string

// Apertures.
const (
	ApertureRandom        Aperture = policies.ApertureRandom
	ApertureDeterministic Aperture = policies.ApertureDeterministic
)

// Balancer configures a service's load balancer. Beyond layer and
// algorithm, each key applies to the algorithms named in its comment and
// is an error with any other.
type Balancer struct {
	// Layer is "L7" (default: the balancer picks an instance per request)
	// or "L4" (it picks once per connection; every request on the
	// connection goes to that instance).
	Layer Layer `toml:"layer"`
	// Algorithm picks an instance per request; default "round_robin".
	// ring_hash, maglev, sticky, dns and subset pick by the request's key
	// (workload keys), required on the workloads that target the service.
	Algorithm Algorithm `toml:"algorithm"`
	// ChoiceCount is how many instances p2c samples, with replacement
	// (Envoy's choice_count); 0 (omitted) means 2; 2..100. p2c only.
	ChoiceCount int `toml:"choice_count,omitzero"`
	// ActiveRequestBias is the exponent of Envoy's dynamic weight
	// weight / (active requests + 1)^bias, used by p2c when weights differ
	// (weights, slow start); nil (omitted) means 1.0; 0..100. p2c only.
	ActiveRequestBias *float64 `toml:"active_request_bias,omitempty"`
	// Weights are the balancing weights of the instances in the order
	// they are created (the rest weigh 1); each in (0, 1000000].
	// weighted_round_robin and p2c.
	Weights []float64 `toml:"weights,omitempty"`
	// SlowStartWindow ramps a newly ready instance's weight up over this
	// long (Envoy's slow_start_window), nanoseconds; 0 (omitted) means no
	// slow start. weighted_round_robin and p2c.
	SlowStartWindow Duration `toml:"slow_start_window,omitzero"`
	// Aggression shapes the slow start ramp (Envoy's aggression: the
	// weight grows as time^(1/aggression)); 0 (omitted) means 1.0
	// (linear); (0, 100]. With slow_start_window.
	Aggression float64 `toml:"aggression,omitzero"`
	// MinWeightPercent is the slow start floor, percent of the weight
	// (Envoy's min_weight_percent); 0 (omitted) means 10; (0, 100]. With
	// slow_start_window.
	MinWeightPercent float64 `toml:"min_weight_percent,omitzero"`
	// RingSize is ring_hash's minimum ring size (Envoy's
	// minimum_ring_size: each instance gets ceil(ring_size / n) points);
	// 0 (omitted) means 1024; 1..8388608. ring_hash only.
	RingSize int `toml:"ring_size,omitzero"`
	// TableSize is maglev's lookup table size, a prime (Envoy's
	// table_size); 0 (omitted) means 65537; at most 5000011. maglev only.
	TableSize int `toml:"table_size,omitzero"`
	// BoundedLoad is c of consistent hashing with bounded loads: no
	// instance takes more than ceil(c × mean outstanding requests); keys
	// of a full instance walk on to the next (Envoy's
	// hash_balance_factor / 100). 0 (omitted) means unbounded; 1 < c <=
	// 100. ring_hash and maglev.
	BoundedLoad float64 `toml:"bounded_load,omitzero"`
	// TTL is how long a dns client keeps its answer, nanoseconds; requests
	// to an answer whose instance left fail until it expires; 0 (omitted)
	// means 30s. dns only.
	TTL Duration `toml:"ttl,omitzero"`
	// SubsetSize is how many instances each subset client connects to;
	// 0 (omitted) means 3; 1..10000. subset only.
	SubsetSize int `toml:"subset_size,omitzero"`
	// Aperture is how subset clients choose their instances: "random"
	// (default) or "deterministic" (Finagle's deterministic aperture,
	// spreading clients evenly). subset only.
	Aperture Aperture `toml:"aperture,omitempty"`
	// Capacity is the requests one balancer node holds at once, in flight
	// to the service's instances (serving or queued); arrivals beyond the
	// capacity of the nodes carrying traffic are refused (counted
	// rejected). 0 (omitted) means no limit; 0..1000000000. Setting
	// capacity, latency, standby or failover models the balancer as a
	// component that a [[fault]] with component = "balancer" can crash.
	Capacity int `toml:"capacity,omitzero"`
	// Latency is the balancer's own time, added to each request's round
	// trip, nanoseconds; 0 (omitted) for none; at most 1h.
	Latency Duration `toml:"latency,omitzero"`
	// Standby is the balancer's redundancy: "none" (default: one node, its
	// failure is an outage until repaired), "active_passive" (a standby
	// takes over the floating address failover after the active fails;
	// requests meanwhile are lost) or "active_active" (two nodes share the
	// traffic, each with capacity; one failing loses its share of the
	// requests until it is withdrawn after failover, then halves capacity).
	Standby Standby `toml:"standby,omitempty"`
	// Failover is how long a standby takes to take over the address
	// (active_passive: keepalived/VRRP's detection plus a gratuitous ARP)
	// or a failed active_active node to be withdrawn, nanoseconds; 0
	// (omitted) means 3s; at most 1h. With a standby only.
	Failover Duration `toml:"failover,omitzero"`
}

// Standby is a balancer's redundancy mode.
type Standby string

// Standby modes.
const (
	StandbyNone          Standby = "none"
	StandbyActivePassive Standby = "active_passive"
	StandbyActiveActive  Standby = "active_active"
)

// FaultComponent is what a fault hits.
type FaultComponent string

// Fault components.
const (
	ComponentInstances FaultComponent = "instances"
	ComponentBalancer  FaultComponent = "balancer"
)

// AutoscalerKind names an autoscaling policy.
type AutoscalerKind string

// Autoscaler kinds.
const (
	AutoscalerHPA            AutoscalerKind = "hpa"
	AutoscalerTargetTracking AutoscalerKind = "target_tracking"
	AutoscalerStep           AutoscalerKind = "step"
	AutoscalerScheduled      AutoscalerKind = "scheduled"
	AutoscalerPredictive     AutoscalerKind = "predictive"
	AutoscalerExternal       AutoscalerKind = "external"
	AutoscalerNone           AutoscalerKind = "none"
)

// Metric is the observed signal an autoscaler acts on.
type Metric string

// Autoscaler metrics.
const (
	MetricCPU      Metric = "cpu"       // utilization, 0..1
	MetricRPS      Metric = "rps"       // requests per second per instance
	MetricInFlight Metric = "in_flight" // requests queued or in service per instance, at the scrape
	MetricQueue    Metric = "queue"     // requests waiting in the whole service, at the scrape
	// MetricConnections is open connections pinned to an instance, at the scrape.
	MetricConnections Metric = "connections"
)

// Autoscaler configures a service's autoscaling policy. Only types and
// obvious ranges are checked here; which fields a kind uses, and their
// defaults when zero or nil, are up to the policy.
type Autoscaler struct {
	// Kind is the policy; required.
	Kind AutoscalerKind `toml:"kind"`
	// Metric is the observed signal; optional.
	Metric Metric `toml:"metric,omitempty"`
	// Target is the desired metric value per instance (unit of Metric);
	// 0 (omitted) means unset, > 0 when given. A cpu target is a fraction
	// (0.6 for 60%), at most 1, or at most cpu_limit / cpu when the
	// service's cpu_limit is above its cpu.
	Target float64 `toml:"target,omitzero"`
	// Min is the fewest replicas; nil means unset, >= 0.
	Min *int `toml:"min,omitempty"`
	// Max is the most replicas; nil means unset, >= Min.
	Max *int `toml:"max,omitempty"`
	// SyncPeriod is how often the policy runs, nanoseconds; 0 = default.
	SyncPeriod Duration `toml:"sync_period,omitzero"`
	// Tolerance is the relative metric deviation ignored (HPA 0.1);
	// nil means the policy's default, >= 0.
	Tolerance *float64 `toml:"tolerance,omitempty"`
	// Behavior limits scaling rates (HPA behavior, autoscaling/v2):
	// { scale_up, scale_down }, each { stabilization_window, select_policy,
	// policies = [{ type, value, period }] }; unset fields take the API
	// defaults. Optional: without it the HPA uses Kubernetes' legacy
	// normalisation (scale-down stabilised over 5 minutes, scale-up capped
	// at max(2 × current, 4) per sync).
	Behavior *Behavior `toml:"behavior,omitempty"`
	// MetricDelay is how stale the observed metric is, nanoseconds: a
	// scrape becomes visible to the policy this long after it is taken.
	MetricDelay Duration `toml:"metric_delay,omitzero"`
	// MetricsResolution is how often instance metrics are collected and
	// the window each sample covers, nanoseconds; default 15s
	// (metrics-server --metric-resolution).
	MetricsResolution Duration `toml:"metrics_resolution,omitzero"`
	// Cooldown is the minimum time between scaling actions, nanoseconds.
	Cooldown Duration `toml:"cooldown,omitzero"`
	// Steps are the step-scaling adjustments (kind "step").
	Steps []Step `toml:"steps,omitempty"`
	// AlarmPeriod is the CloudWatch alarm datapoint period of the AWS
	// kinds (target_tracking, step), nanoseconds; 0 = 60s. 10s, 20s, 30s
	// or a multiple of 60s; at most 60s for target_tracking.
	AlarmPeriod Duration `toml:"alarm_period,omitzero"`
	// EvaluationPeriods is how many of the newest datapoints a step
	// scaling alarm evaluates (kind "step"); 0 = 1, else >= 1.
	EvaluationPeriods int `toml:"evaluation_periods,omitzero"`
	// DatapointsToAlarm is how many of those must breach for ALARM (kind
	// "step"); 0 = evaluation_periods, else 1..evaluation_periods.
	DatapointsToAlarm int `toml:"datapoints_to_alarm,omitzero"`
	// Schedule is the scheduled capacity (kind "scheduled").
	Schedule []ScheduledCapacity `toml:"schedule,omitempty"`
	// Period is the seasonality period of a predictive policy, nanoseconds.
	Period Duration `toml:"period,omitzero"`
	// Headroom is the extra capacity a predictive policy keeps, as a
	// fraction (0.2 = 20%); >= 0.
	Headroom float64 `toml:"headroom,omitzero"`
	// Lead is how far ahead a predictive policy scales, nanoseconds.
	Lead Duration `toml:"lead,omitzero"`
	// Command is the external policy's program and arguments (kind
	// "external").
	Command []string `toml:"command,omitempty"`
	// Timeout bounds one external policy call, wall-clock nanoseconds.
	Timeout Duration `toml:"timeout,omitzero"`
}

// Behavior is the HPA scaling behaviour: separate rules for each direction.
type Behavior struct {
	// ScaleUp limits scaling up; nil means the HPA default (no
	// stabilisation; the larger of 100% and 4 pods per 15s).
	ScaleUp *ScalingRules `toml:"scale_up,omitempty"`
	// ScaleDown limits scaling down; nil means the HPA default (5m
	// stabilisation; up to 100% per 15s).
	ScaleDown *ScalingRules `toml:"scale_down,omitempty"`
}

// SelectPolicy chooses among several scaling policies.
type SelectPolicy string

// Select policies.
const (
	SelectMax      SelectPolicy = "Max"
	SelectMin      SelectPolicy = "Min"
	SelectDisabled SelectPolicy = "Disabled"
)

// ScalingRules limit scaling in one direction (HPA HPAScalingRules).
type ScalingRules struct {
	// StabilizationWindow is the look-back over past recommendations,
	// nanoseconds; nil means the HPA default (0 up, 5m down).
	StabilizationWindow *Duration `toml:"stabilization_window,omitempty"`
	// SelectPolicy picks among Policies; "" means "Max".
	SelectPolicy SelectPolicy `toml:"select_policy,omitempty"`
	// Policies limit the change per period.
	Policies []ScalingPolicy `toml:"policies,omitempty"`
}

// PolicyType is the unit of a ScalingPolicy's Value.
type PolicyType string

// Scaling policy types.
const (
	PolicyPods    PolicyType = "Pods"
	PolicyPercent PolicyType = "Percent"
)

// ScalingPolicy allows a change of Value pods (or percent) per Period.
type ScalingPolicy struct {
	// Type is "Pods" or "Percent"; required.
	Type PolicyType `toml:"type"`
	// Value is the allowed change, pods or percent; required, > 0.
	Value int `toml:"value"`
	// Period is the window the change is measured over, nanoseconds;
	// required, > 0.
	Period Duration `toml:"period"`
}

// Step is one step-scaling adjustment: when the metric's breach (metric
// minus target) lies in [Lower, Upper), replicas change by Adjust.
type Step struct {
	// Lower is the inclusive lower bound (metric units); nil = -infinity.
	Lower *float64 `toml:"lower,omitempty"`
	// Upper is the exclusive upper bound (metric units); nil = +infinity.
	Upper *float64 `toml:"upper,omitempty"`
	// Adjust is the replica change, instances (negative scales in).
	Adjust int `toml:"adjust"`
}

// ScheduledCapacity sets capacity bounds from a point in time on.
type ScheduledCapacity struct {
	// At is when the entry takes effect, nanoseconds from the start.
	At Duration `toml:"at"`
	// Min is the new minimum replicas; nil leaves it unchanged.
	Min *int `toml:"min,omitempty"`
	// Max is the new maximum replicas; nil leaves it unchanged.
	Max *int `toml:"max,omitempty"`
	// Desired is the replica count to set; nil leaves it unchanged.
	Desired *int `toml:"desired,omitempty"`
}

// Assert is one [[assert]] entry: a bound on a summary figure, or on an
// aggregate of a timeseries column over a time range.
type Assert struct {
	// Name describes the assertion; required.
	Name string `toml:"name"`
	// Metric is the dotted path of a summary.json figure, such as
	// "latency_ms.p99" or "services.api.replicas.max"; exactly one of
	// Metric and Series is required.
	Metric string `toml:"metric,omitempty"`
	// Series is a timeseries.csv column, SERVICE.METRIC or POOL.METRIC,
	// such as "api.p99_ms"; it makes the assertion windowed.
	Series string `toml:"series,omitempty"`
	// From is where a windowed assertion's range starts, nanoseconds of
	// simulated time; default (nil) the end of warm-up.
	From *Duration `toml:"from,omitempty"`
	// To is where the range ends, nanoseconds; default (nil) the end of
	// the run. A window counts when it lies within [From, To].
	To *Duration `toml:"to,omitempty"`
	// Agg folds the range's windows into one value: max, min, mean or
	// last; required with Series.
	Agg AssertAgg `toml:"agg,omitempty"`
	// Min is the lowest passing value (unit of Metric); optional.
	Min *float64 `toml:"min,omitempty"`
	// Max is the highest passing value (unit of Metric); optional.
	Max *float64 `toml:"max,omitempty"`
	// Variant limits the assertion to the [[variant]] of that name;
	// "" (omitted) applies it to every variant, or to the run when the
	// scenario has none.
	Variant string `toml:"variant,omitempty"`

	// Line is the line of the entry's [[assert]] header (or of its first
	// key) in File; 0 when unknown, as for an --set or --assert entry.
	Line int `toml:"-"`
}

// AssertAgg names how a windowed assertion folds its windows; the values
// are assertion.Aggs.
type AssertAgg string

// DistKind names a distribution family.
type DistKind string

// Distribution families.
const (
	DistConstant    DistKind = "constant"
	DistExponential DistKind = "exponential"
	DistLognormal   DistKind = "lognormal"
	DistGamma       DistKind = "gamma"
	DistErlang      DistKind = "erlang"
	DistPareto      DistKind = "pareto"
	DistUniform     DistKind = "uniform"
)

// Dist is a random duration, written as an inline table. Exactly one
// parameter set per family is valid (nil means not given):
//
//	constant:    value (or mean)
//	exponential: mean
//	lognormal:   mean and p99, or mu and sigma
//	gamma:       mean and shape
//	erlang:      mean and k
//	pareto:      alpha and xm, or alpha and mean
//	uniform:     min and max
type Dist struct {
	// Dist is the family; required.
	Dist DistKind `toml:"dist"`
	// Mean is the mean, nanoseconds.
	Mean *Duration `toml:"mean,omitempty"`
	// Value is the constant's value, nanoseconds.
	Value *Duration `toml:"value,omitempty"`
	// P99 is the lognormal's 99th percentile, nanoseconds (> Mean).
	P99 *Duration `toml:"p99,omitempty"`
	// Mu is the lognormal mean of ln(seconds).
	Mu *float64 `toml:"mu,omitempty"`
	// Sigma is the lognormal standard deviation of ln(seconds); > 0.
	Sigma *float64 `toml:"sigma,omitempty"`
	// Shape is the gamma shape (dimensionless); > 0.
	Shape *float64 `toml:"shape,omitempty"`
	// K is the number of Erlang phases; >= 1.
	K *int `toml:"k,omitempty"`
	// Alpha is the Pareto shape (dimensionless); > 0, > 1 with Mean.
	Alpha *float64 `toml:"alpha,omitempty"`
	// Xm is the Pareto scale (its minimum), nanoseconds; > 0.
	Xm *Duration `toml:"xm,omitempty"`
	// Min is the uniform lower bound, nanoseconds; >= 0.
	Min *Duration `toml:"min,omitempty"`
	// Max is the uniform upper bound, nanoseconds; > Min.
	Max *Duration `toml:"max,omitempty"`
}

// Spec converts d to the sampler specification of package dist, all times
// in seconds. d must be valid (as after Parse).
func (d Dist) Spec() dist.Spec {
	sec := func(p *Duration) float64 {
		if p == nil {
			return 0
		}
		return p.Seconds()
	}
	num := func(p *float64) float64 {
		if p == nil {
			return 0
		}
		return *p
	}
	s := dist.Spec{
		Kind:  string(d.Dist),
		Mean:  sec(d.Mean),
		P99:   sec(d.P99),
		Mu:    num(d.Mu),
		Sigma: num(d.Sigma),
		Shape: num(d.Shape),
		Alpha: num(d.Alpha),
		Xm:    sec(d.Xm),
		Min:   sec(d.Min),
		Max:   sec(d.Max),
	}
	if d.Value != nil {
		s.Mean = d.Value.Seconds()
	}
	if d.K != nil {
		s.K = *d.K
	}
	return s
}

// Defaults of optional settings.
const (
	defaultWindow      = 10 * Second
	defaultSeed        = 1
	defaultReplicas    = 1
	defaultConcurrency = 1
	defaultArrival     = ArrivalPoisson
	defaultLayer       = LayerL7
	defaultAlgorithm   = AlgorithmRoundRobin
)

// DefaultSim returns the [sim] defaults for a scenario called name.
func DefaultSim(name string) Sim {
	return Sim{Name: name, Window: defaultWindow, Seed: defaultSeed}
}

// DefaultWorkload returns a [[workload]] entry's defaults.
func DefaultWorkload() Workload {
	return Workload{Arrival: defaultArrival}
}

// DefaultService returns a [[service]] entry's defaults.
func DefaultService() Service {
	return Service{
		Replicas:         defaultReplicas,
		Concurrency:      defaultConcurrency,
		Warmup:           Warmup{Slowdown: 1},
		Slow:             Slow{Factor: 1},
		Balancer:         DefaultBalancer(),
		Readiness:        DefaultReadiness(),
		TerminationGrace: 30 * Second,
		CPU:              1,
		Memory:           1,
		Placement:        PlacementSpread,
		Platform:         PlatformInstance,
		Arch:             "x86_64",
	}
}

// DefaultReadiness returns Kubernetes' readiness-probe defaults, as
// models.DefaultProbe defines them.
func DefaultReadiness() Readiness {
	p := models.DefaultProbe()
	return Readiness{
		InitialDelay:     Duration(p.InitialDelay),
		Period:           Duration(p.Period),
		SuccessThreshold: p.SuccessThreshold,
		FailureThreshold: p.FailureThreshold,
		Timeout:          Duration(p.Timeout),
	}
}

// DefaultNodePool returns a [[node_pool]] entry's defaults.
func DefaultNodePool() NodePool {
	return NodePool{
		CPU: 4, Memory: 16,
		ScaleDownUnneeded:    10 * Minute,
		ScaleDownUtilization: 0.5,
	}
}

// DefaultClusterAutoscaler returns the [cluster_autoscaler] defaults:
// cluster-autoscaler's own, except the expander (least-waste, not random).
func DefaultClusterAutoscaler() ClusterAutoscaler {
	return ClusterAutoscaler{
		ScanInterval:           10 * Second,
		ScaleDownDelayAfterAdd: 10 * Minute,
		Expander:               ExpanderLeastWaste,
		MaxEmptyBulkDelete:     nodescale.DefaultMaxEmptyBulkDelete,
	}
}

// DefaultFault returns a [[fault]] entry's defaults.
func DefaultFault() Fault { return Fault{Instances: 1} }

// DefaultOutlierDetection returns Envoy's outlier-detection defaults.
func DefaultOutlierDetection() OutlierDetection {
	return OutlierDetection{Consecutive5xx: 5, Interval: 10 * Second, BaseEjectionTime: 30 * Second,
		MaxEjectionPercent: 10, MaxEjectionTime: 300 * Second}
}

// DefaultNetwork returns a network table's defaults.
func DefaultNetwork() Network {
	return Network{Protocol: "tcp", KeepAlive: true, IdleTimeout: 90 * Second, Clients: 1, Streams: 1}
}

// DefaultNodeFailure returns a failures entry's defaults.
func DefaultNodeFailure() NodeFailure { return NodeFailure{Count: 1} }

// DefaultBalancer returns the balancer defaults: L7 round robin.
func DefaultBalancer() Balancer {
	return Balancer{Layer: defaultLayer, Algorithm: defaultAlgorithm}
}
