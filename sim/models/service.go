package models

import (
	"github.com/clustersim/clustersim/sim/dist"
	"github.com/clustersim/clustersim/sim/engine"
	"github.com/clustersim/clustersim/sim/policies"
	"github.com/clustersim/clustersim/sim/policies/cost"
	"github.com/clustersim/clustersim/sim/policies/health"
)

// ServiceSpec describes a service: a fleet of identical instances behind
// one L7 balancer.
type ServiceSpec struct {
	Name        string
	Replicas    int             // instances at time 0, ready and warm
	Concurrency int             // requests an instance serves at once
	Queue       int             // waiting room per instance; -1 for unbounded
	Algorithm   string          // balancing algorithm, see policies.Algorithms
	Balance     policies.Config // the algorithm's settings; Balance.Algorithm "" means Algorithm
	Weights     []float64       // balancing weight of the k-th instance created; later ones 1
	ImagePull   dist.Spec       // time to pull the image once on a node (none if Kind is "")
	Startup     dist.Spec       // process start time after the pull, for instances added during the run
	CPU         float64         // cores an instance requests from its node
	CPULimit    float64         // cores an instance may use when saturated (Kubernetes limit); 0: CPU
	Memory      float64         // GiB an instance requests from its node
	Pool        int             // index of the node pool it runs on, -1 for any (when the cluster has pools)
	Spread      bool            // place across zones (Kubernetes' default spreading) rather than bin-pack
	Warmup      engine.Duration // after becoming ready, service times are slowed ...
	Slowdown    float64         // ... by this factor, decaying linearly to 1 over Warmup
	CostPerHour float64         // US dollars per instance-hour
	SlowCount   int             // the first SlowCount instances created are slow ...
	SlowFactor  float64         // ... by this service-time factor (a noisy neighbour, a bad disk)
	Readiness   Probe           // readiness probe deciding when a started instance joins the balancer
	Grace       engine.Duration // draining instances finish in-flight work for at most this long
	Autoscaler  *AutoscalerSpec // nil for a fixed fleet
	// L4 balances connections rather than requests: a connection's
	// backend is picked once and all its requests go there.
	L4 bool
	// MaxConnectionAge closes connections this old (jittered ±10%, gRPC's
	// MaxConnectionAge); the client reconnects through the balancer. 0: never.
	MaxConnectionAge engine.Duration
	// MaxConnectionAgeGrace is gRPC's MaxConnectionAgeGrace: how long
	// requests in flight at GOAWAY may take to finish; 0: no bound.
	MaxConnectionAgeGrace engine.Duration
	// Rebalance: when an instance becomes ready, instances above the new
	// mean of pinned connections send GOAWAY on just enough of them to come
	// down to ⌈mean⌉ (rebalance.go).
	Rebalance bool
	// HealthCheck is the balancer's active health checking (Envoy's), nil without.
	HealthCheck *health.Checker
	// Outlier is the balancer's passive outlier detection (Envoy's), nil without.
	Outlier *health.Outlier

	keys        int             // largest key space of the workloads targeting it (set by New)
	Versions    []VersionSpec   // the versions of its code, the first running at the start; nil for one unnamed version
	ChaosMonkey ChaosMonkeySpec // random kills of its ready instances (chaos.go)
	Spot        SpotSpec        // spot interruptions with their two-minute notice (spot.go)
	// PriceFactor multiplies its instance or container price: 1 minus the
	// reserved or spot discount (cost.Pricing); 0 means 1.
	PriceFactor float64
	Platform    Platform      // how it runs and is billed
	Arch        cost.Arch     // processor architecture (container and function prices)
	Function    *FunctionSpec // set iff Platform is PlatformFunction
	ServiceTime dist.Spec     // work of a call to this service (calls.go); unset if it is never called
	Calls       []CallSpec    // calls an instance makes after its own work (calls.go)
	Cache       *CacheSpec    // a cache in front of the instances (cache.go); nil for none
	Flags       []FlagSpec    // feature flags (featureflag.go); nil for none
	LB          *LBSpec       // the balancer as a component (lb.go); nil when not modelled
	Database    *DatabaseSpec // makes it a database of primaries and replicas (database.go); nil for none
	// Sessions is where it keeps its users' sessions (sessionstore.go);
	// nil for a stateless service.
	Sessions *SessionStoreSpec
	// RetryAfter is the Retry-After its rejections and fault error answers
	// carry; a client's retry waits at least this long (callpolicy.go). 0: none.
	RetryAfter engine.Duration
	// Sidecar is its sidecar proxy (sidecar.go); nil for none.
	Sidecar *SidecarSpec
}

// Platform is how a service runs and is billed.
type Platform uint8

// Platforms.
const (
	PlatformInstance  Platform = iota // instances billed CostPerHour per instance-hour
	PlatformContainer                 // instances billed per vCPU-second and GB-second (Fargate), unless CostPerHour is set
	PlatformFunction                  // execution environments of a function (function.go)
)

// Probe is a Kubernetes-style readiness probe. Probes run every Period
// from InitialDelay after the container starts; an instance becomes ready
// after SuccessThreshold consecutive successes. A probe succeeds once the
// process has finished starting.
//
// With a Timeout, probes keep running on ready instances and are answered
// behind the instance's queued requests: a probe whose estimated wait
// exceeds Timeout fails, FailureThreshold consecutive failures take the
// instance out of the balancer (Unready), and SuccessThreshold successes
// bring it back. Without one, the health endpoint is assumed to be served
// outside the request queue and a ready instance stays ready.
type Probe struct {
	InitialDelay     engine.Duration // Kubernetes initialDelaySeconds, default 0
	Period           engine.Duration // periodSeconds, default 10s
	SuccessThreshold int             // successThreshold, default 1
	FailureThreshold int             // failureThreshold, default 3
	Timeout          engine.Duration // timeoutSeconds; 0: probes do not queue behind requests
}

// DefaultProbe returns Kubernetes' readiness-probe defaults
// (https://kubernetes.io/docs/tasks/configure-pod-container/configure-liveness-readiness-startup-probes/).
func DefaultProbe() Probe {
	return Probe{Period: 10 * engine.Second, SuccessThreshold: 1, FailureThreshold: 3}
}

// probing reports whether ready instances keep being probed.
func (p Probe) probing() bool { return p.Timeout > 0 && p.Period > 0 && p.FailureThreshold > 0 }

// readyAfter returns when an instance whose container started at
// containerStart and whose process is up at up passes its probe.
func (p Probe) readyAfter(containerStart, up engine.Time) engine.Time {
	if p.Period <= 0 {
		return up
	}
	first := containerStart.Add(p.InitialDelay)
	if up <= first {
		return first.Add(p.Period.Mul(int64(p.SuccessThreshold - 1)))
	}
	k := (int64(up-first) + int64(p.Period) - 1) / int64(p.Period) // first probe at or after up
	return first.Add(p.Period.Mul(k + int64(p.SuccessThreshold-1)))
}

// InstanceState is where an instance is in its life.
type InstanceState uint8

// Instance states.
const (
	Pending    InstanceState = iota // waiting for a node with room
	Starting                        // on a node: pulling its image, starting, probed
	Unready                         // was ready, failed its readiness probe: out of rotation, still working
	Ready                           // in the balancer's rotation
	Draining                        // out of rotation, finishing its work
	Terminated                      // gone; its slot may be reused
	Dead                            // crashed, still in the balancer until a health check or outlier detection notices (fault.go)
)

// instance is one replica of a service. The fields every request touches
// come first and fill one 64-byte cache line, and an instance is 128 bytes
// (Go's 128-byte size class is 64-byte aligned), so a request costs one
// line of instance state (TestInstanceLayout): at 10,000 instances the
// balancer sends each request to an instance that is not in cache, and
// each line it spans is another miss.
type instance struct {
	busy  int32     // requests in service
	pos   int32     // index in the service's rotation, -1 when out of it
	qlen  int32     // requests waiting
	qhead RequestID // first waiting request; the queue is linked through request.next
	qtail RequestID // last waiting request
	state InstanceState
	// version is the index of the version of the service's code it runs.
	version uint8
	// busyInt is the time-integral of busy (request·ns) since lastT; the
	// autoscaler's CPU metric is read from it.
	busyInt  int64
	lastT    engine.Time
	arrivals int64       // requests routed here, for the metrics pipeline
	factor   float64     // fixed service-time factor of this instance (1 for a normal one)
	readyAt  engine.Time // when it last became ready (warm-up slowdown)

	work    float64 // moving average of the service times it started, ns (probe wait estimate)
	gen     uint32  // bumped when the slot is reused, to ignore stale lifecycle events
	streak  int32   // consecutive probe failures (Ready) or successes (Unready)
	node    int32   // index of its node, -1 when not placed
	created engine.Time
	// Values of busyInt and arrivals at the previous metrics collection.
	scrapeBusy, scrapeArrivals int64
	// started is when its process started, after the image pull
	// (the autoscaler's pod start time); changed is when its readiness
	// last changed (the Ready condition's last transition), started if it
	// never was ready.
	started, changed engine.Time
}

// Service is a fleet of instances behind a balancer, with the metrics it
// records.
type Service struct {
	id        int32
	instances []*instance
	freeSlots []int32 // indices of terminated instances, for reuse
	colocated []int32 // scratch: the service's live instances per node, for scale-in
	rotation  []int32 // instances in the balancer, by index
	load      []int32 // outstanding requests of rotation[i]
	bal       policies.Balancer
	notify    policies.Notifier // bal's optional interfaces, found once
	startup   dist.Sampler      // process start time of new instances, nil for instant
	pull      dist.Sampler      // image pull time of new instances, nil for instant
	auto      *autoscaling      // nil for a fixed fleet
	fn        *function         // nil unless a function
	probing   bool              // ready instances are probed (Readiness.Timeout set)
	uniform   bool              // no slow instances and no warm-up: every service-time factor is 1
	conn      *serviceConns     // connections to the service, nil when none is modelled (connection.go)
	hx        *serviceHealth    // faults, health checks and outlier detection, nil without (health.go)
	lb        *lbState          // the balancer as a component, nil when not modelled (lb.go)
	faulty    bool              // requests must be checked against faults or observed by outlier detection

	vers  []version   // its versions, nil when it declares none
	spawn uint8       // the version new instances run
	dep   *deployment // the deployment in progress, nil when none
	blame *deployment // the last deployment started, whose version's failures are its blast radius
	route *deployment // the A/B or shadow deployment routing its requests, nil when none

	monkey   *monkey      // its Chaos Monkey, nil when none
	spot     *spot        // its spot interruptions, nil when none (spot.go)
	stages   [][]call     // the calls an instance makes after its own work, stage by stage (calls.go)
	callWork dist.Sampler // service time of calls to this service, nil if never called
	cache    *cache       // nil without a cache (cache.go)
	db       *database    // nil unless a database (database.go)
	feat     []flag       // feature flags, nil without (featureflag.go)

	pending, starting, ready, draining int // instance counts by state
	unready                            int // instances out of rotation after failed probes
	created                            int // instances ever created
	desired                            int // what the fleet should have

	// Instantaneous totals over instances.
	busy   int64 // requests in service
	queued int64 // requests waiting
	slots  int64 // ready instances × concurrency

	lastT engine.Time // time the integrals below were last advanced to
	win   serviceWindow
	total serviceTotals

	// Balancing extras, after the fields every request touches so that
	// their layout is what it was without them.
	bx    *balancing    // what bal needs beyond loads, and key affinity; nil for neither
	marks []arrivalMark // by instance: arrivals at the last window's end
	store *sessionStore // its session store, nil when stateless (sessionstore.go)

	// spec comes last: the fields above are the ones requests touch, and
	// their offsets do not move when the spec grows.
	spec ServiceSpec
}

// Name returns the service's name.
func (s *Service) Name() string { return s.spec.Name }

// serviceWindow accumulates one metrics window. Integrals are in
// count·nanoseconds, exact in int64 for any window length a scenario uses.
type serviceWindow struct {
	arrivals, ok, timeouts, rejected, failed int64
	busyInt, slotInt, queueInt, inFlightInt  int64
	readyInt, billInt                        int64
	started, waitSum                         int64 // requests put into service, and their total queueing time in ns
	coldStarts                               int64 // instances created
	lat                                      *latencies
}

func (w *serviceWindow) reset() {
	lat := w.lat
	lat.reset()
	*w = serviceWindow{lat: lat}
}

// integrate advances the service's time integrals to now. It must run
// before any change to busy, queued, slots or instance counts.
func (s *Service) integrate(now engine.Time) {
	dt := int64(now - s.lastT)
	if dt == 0 {
		return
	}
	s.lastT = now
	w := &s.win
	w.busyInt += s.busy * dt
	w.queueInt += s.queued * dt
	w.inFlightInt += (s.busy + s.queued) * dt
	w.slotInt += s.slots * dt
	w.readyInt += int64(s.ready) * dt
	w.billInt += int64(s.starting+s.ready+s.draining) * dt
}

// integrateInstance advances one instance's busy integral to now.
func (in *instance) integrate(now engine.Time) {
	in.busyInt += int64(in.busy) * int64(now-in.lastT)
	in.lastT = now
}

// slowdown returns the service-time multiplier of an instance at now: the
// warm-up slowdown decays linearly from spec.Slowdown to 1 over
// spec.Warmup after the instance became ready.
func (s *Service) slowdown(in *instance, now engine.Time) float64 {
	if s.uniform {
		return 1 // no instance is slow: do not wait on the instance's memory
	}
	if s.spec.Warmup <= 0 || s.spec.Slowdown <= 1 {
		return in.factor
	}
	age := now.Sub(in.readyAt)
	if age >= s.spec.Warmup {
		return in.factor
	}
	left := 1 - float64(age)/float64(s.spec.Warmup)
	return in.factor * (1 + (s.spec.Slowdown-1)*left)
}

// addToRotation puts a ready instance into the balancer.
func (s *Service) addToRotation(idx int32) {
	in := s.instances[idx]
	in.pos = int32(len(s.rotation))
	s.rotation = append(s.rotation, idx)
	s.load = append(s.load, in.busy+in.qlen)
	s.notify.Added(s.load)
	if s.conn != nil {
		s.conn.added(idx)
	}
	if s.bx != nil {
		s.bx.added(s, idx)
	}
}

// removeFromRotation takes an instance out of the balancer, moving the
// last rotation entry into its place.
func (s *Service) removeFromRotation(idx int32) {
	in := s.instances[idx]
	p := in.pos
	if p < 0 {
		return
	}
	last := int32(len(s.rotation) - 1)
	moved := s.rotation[last]
	s.rotation[p] = moved
	s.load[p] = s.load[last]
	s.instances[moved].pos = p
	s.rotation = s.rotation[:last]
	s.load = s.load[:last]
	in.pos = -1
	s.notify.Removed(int(p), s.load)
	if s.conn != nil {
		s.conn.removed(p)
	}
	if s.bx != nil {
		s.bx.removed(p)
	}
}

// loadChanged records a change in an instance's outstanding requests.
func (s *Service) loadChanged(in *instance, delta int32) {
	if in.pos >= 0 {
		s.loadChangedAt(int(in.pos), delta)
	}
}

// loadChangedAt records a change in the outstanding requests of the
// instance at rotation position pos.
func (s *Service) loadChangedAt(pos int, delta int32) {
	s.load[pos] += delta
	s.notify.Changed(pos, s.load)
}
