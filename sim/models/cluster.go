package models

import (
	"errors"
	"fmt"

	"github.com/clustersim/clustersim/sim/dist"
	"github.com/clustersim/clustersim/sim/engine"
	"github.com/clustersim/clustersim/sim/policies"
	"github.com/clustersim/clustersim/sim/policies/cost"
	"github.com/clustersim/clustersim/sim/results"
)

// Config is everything a cluster run needs, already validated by the
// scenario package.
type Config struct {
	Name      string
	Seed      uint64
	Duration  engine.Duration // simulated time to run
	Warmup    engine.Duration // excluded from summary figures; a multiple of Window
	Window    engine.Duration // metrics window
	Services  []ServiceSpec
	Workloads []WorkloadSpec
	NodePools []NodePoolSpec // optional: without pools instances start at once
	// ClusterAutoscaler grows and shrinks the node pools.
	ClusterAutoscaler ClusterAutoscalerSpec
	// Faults are the [[fault]] entries, in order (fault.go).
	Faults []FaultSpec
	// Deploys move services between their versions (deploy.go).
	Deploys []DeploySpec
	// Neighbours are noisy neighbours on node pools (neighbour.go).
	Neighbours []NeighbourSpec
	// Prices is the price table of containers and functions; nil for
	// cost.Default.
	Prices *cost.Table
}

// RowSink receives the time series one metrics window at a time, so a run
// never holds its whole series in memory.
type RowSink interface {
	// Header is called once, before any row, with the column names
	// (without the leading time column).
	Header(columns []string) error
	// Row is called once per window with the window's end time in
	// seconds and one value per column. values is reused after Row returns.
	Row(timeS float64, values []float64) error
}

// Cluster is the simulated world: workloads sending requests to services
// of instances, on one engine. Build it with New, then call Run once.
type Cluster struct {
	cfg       Config
	sim       *engine.Sim
	services  []*Service
	workloads []*workload
	pool      requestPool
	conns     connPool  // connection records, when a workload uses connections
	kConn     connKinds // connection event kinds (connection.go)
	faults    []*fault
	kFault    faultKinds
	nbr       *neighbours // noisy neighbours, nil without (neighbour.go)
	kLB       lbKinds     // balancer node events (lb.go)
	kHealth   healthKinds

	kArrival, kComplete, kTimeout, kWindow engine.Kind
	kRetry                                 engine.Kind // clients.go
	edges                                  []*edge     // call graph edges (calls.go)
	kHit                                   engine.Kind // cache.go
	kPoolTimeout, kDBWarm                  engine.Kind // database.go
	kEdge                                  engine.Kind // edgefault.go
	kDeath                                 engine.Kind // versiondeath.go
	kUsers                                 engine.Kind // clients.go
	kLife                                  lifecycleKinds
	kScrape, kSync                         engine.Kind
	kFn                                    functionKinds
	prices                                 cost.Table
	kNode                                  nodeKinds
	pools                                  []*nodePool
	nodes                                  []*node
	schedulerAwake                         bool
	ns                                     nodeSet
	decisions                              []results.Decision
	deploys                                []*deployment
	kDeploy                                engine.Kind
	kChaos                                 engine.Kind
	kSpot                                  spotKinds
	spotRegistered                         bool
	onDecision                             func(results.Decision) error

	warmup  engine.Time
	horizon engine.Time
	warmed  int64 // sink for warmComplete's reads, so the compiler keeps them

	sink    RowSink
	row     []float64
	sinkErr error
	runErr  error // a component failure that stopped the run
	windows int   // windows closed after warm-up

	stopReason string      // why StopEarly stopped the run, "" if it did not
	closedAt   engine.Time // end of the last metrics window closed

	kFailFast engine.Kind // a fast-failing instance's error answer

	// Identities (identity.go, sessionstore.go).
	routes    []*route        // every workload's endpoints
	endpoints []*endpointStat // by service and name, in declaration order
	userSpace uint64          // user ids in all
	stores    []*Service      // services keeping sessions in memory

	resil // call policies, Retry-After, hedging, sidecars (callpolicy.go, hedge.go, sidecar.go)
}

// New builds a cluster from cfg: services with their initial, warm
// instances, and workloads with their random streams.
func New(cfg Config) (*Cluster, error) {
	c := &Cluster{
		cfg:     cfg,
		sim:     engine.New(cfg.Seed),
		warmup:  engine.Time(cfg.Warmup),
		horizon: engine.Time(cfg.Duration),
	}
	if cfg.Window <= 0 || cfg.Duration <= 0 {
		return nil, fmt.Errorf("models: duration and window must be positive")
	}
	if len(cfg.Services) > maxEntities || len(cfg.Workloads) > maxEntities {
		return nil, fmt.Errorf("models: at most %d services and %d workloads", maxEntities, maxEntities)
	}
	c.kArrival = c.sim.Register("arrival", c.onArrival)
	c.kComplete = c.sim.Register("complete", c.onComplete)
	c.sim.SetWarmer(c.kComplete, c.warmComplete)
	c.kTimeout = c.sim.Register("timeout", c.onTimeout)
	c.kFailFast = c.sim.Register("fail-fast", c.onFailFast)
	c.kWindow = c.sim.Register("window", c.onWindow)
	c.registerLifecycle()
	c.registerNodes()
	c.registerFunctions()
	c.prices = cost.Default()
	if cfg.Prices != nil {
		c.prices = *cfg.Prices
	}
	c.kScrape = c.sim.Register("metrics-collection", c.onCollect)
	c.kSync = c.sim.Register("autoscale", c.onSync)
	c.registerConns()
	c.registerFaults()
	c.registerHealth()
	for i, spec := range cfg.NodePools {
		if err := c.newPool(int32(i), spec); err != nil {
			return nil, fmt.Errorf("models: node pool %q: %w", spec.Name, err)
		}
	}
	if err := c.newClusterAutoscaler(cfg.ClusterAutoscaler); err != nil {
		return nil, fmt.Errorf("models: cluster autoscaler: %w", err)
	}
	keys := make([]int, len(cfg.Services)) // largest key space per service
	for _, w := range cfg.Workloads {
		if w.Keys.Keys > 0 && w.Service >= 0 && w.Service < len(keys) {
			keys[w.Service] = max(keys[w.Service], w.Keys.Keys)
			c.pool.keys.on = true
		}
		if w.Replay != nil && w.Replay.Keys > 0 && w.Service >= 0 && w.Service < len(keys) {
			keys[w.Service] = max(keys[w.Service], w.Replay.Keys) // replay.go
			c.pool.keys.on = true
		}
	}
	space := 0
	for _, w := range cfg.Workloads {
		space += userSpan(w)
	}
	for i, spec := range cfg.Services {
		spec.keys = keys[i]
		if ss := spec.Sessions; ss != nil && !ss.External {
			spec.keys = max(spec.keys, space) // the sticky balancer's key is the user
		}
		if len(c.pools) > 0 && (spec.Pool < -1 || spec.Pool >= len(c.pools)) {
			return nil, fmt.Errorf("models: service %q: no node pool %d", spec.Name, spec.Pool)
		}
		s, err := c.newService(int32(i), spec)
		if err != nil {
			return nil, err
		}
		c.services = append(c.services, s)
		c.newHealth(s)
	}
	if err := c.newFaults(cfg.Faults); err != nil {
		return nil, err
	}
	if err := c.newDeploys(cfg.Deploys); err != nil {
		return nil, err
	}
	if err := c.newNeighbours(cfg.Neighbours); err != nil {
		return nil, err
	}
	for i, spec := range cfg.Workloads {
		if spec.Service < 0 || spec.Service >= len(c.services) {
			return nil, fmt.Errorf("models: workload %q targets service %d of %d", spec.Name, spec.Service, len(c.services))
		}
		w := &workload{
			spec:     spec,
			id:       int32(i),
			arrivals: c.sim.Stream("workload." + spec.Name + ".arrivals"),
			lat:      newLatencies(),
			winLat:   newLatencies(),
		}
		w.keys = newKeySampler(spec.Keys, c.sim.Stream("workload."+spec.Name+".keys"))
		if spec.Arrival == MMPP {
			w.mmpp = newMMPP(spec.MMPP, c.sim.Stream("workload."+spec.Name+".mmpp"))
		}
		var err error
		if spec.Arrival == Trace {
			if w.replay, err = newReplay(spec.Replay, len(spec.Endpoints)); err != nil {
				return nil, fmt.Errorf("models: workload %q: %w", spec.Name, err)
			}
		}
		if w.work, err = dist.New(spec.ServiceTime, c.sim.Stream("workload."+spec.Name+".service_time")); err != nil {
			return nil, fmt.Errorf("models: workload %q service time: %w", spec.Name, err)
		}
		c.workloads = append(c.workloads, w)
		if err := c.newWorkloadConns(w); err != nil {
			return nil, err
		}
	}
	if err := c.setupLBs(); err != nil {
		return nil, err
	}
	c.setupTimeouts()
	if err := c.setupClients(); err != nil {
		return nil, err
	}
	if err := c.setupIdentities(); err != nil {
		return nil, err
	}
	c.setupSessionStores()
	if err := c.setupSidecars(); err != nil {
		return nil, err
	}
	if err := c.setupHedges(); err != nil {
		return nil, err
	}
	if err := c.setupCalls(); err != nil {
		return nil, err
	}
	if err := c.setupCaches(); err != nil {
		return nil, err
	}
	if err := c.setupDatabases(); err != nil {
		return nil, err
	}
	return c, nil
}

func (c *Cluster) newService(id int32, spec ServiceSpec) (*Service, error) {
	bc := spec.Balance
	if bc.Algorithm == "" {
		bc.Algorithm = spec.Algorithm
	}
	if bc.Clients == 0 {
		bc.Clients = spec.keys
	}
	bc.Weighted = bc.Weighted || len(spec.Weights) > 0
	bal, err := policies.New(bc, c.sim.Stream("service."+spec.Name+".balancer"))
	if err != nil {
		return nil, err
	}
	if spec.Concurrency < 1 {
		return nil, fmt.Errorf("models: service %q concurrency %d < 1", spec.Name, spec.Concurrency)
	}
	s := &Service{spec: spec, id: id, bal: bal, notify: policies.NewNotifier(bal), desired: spec.Replicas, probing: spec.Readiness.probing(),
		uniform: (spec.SlowCount <= 0 || spec.SlowFactor <= 0 || spec.SlowFactor == 1) && (spec.Warmup <= 0 || spec.Slowdown <= 1)}
	if a := spec.Autoscaler; a != nil {
		if a.Policy == nil || a.SyncPeriod <= 0 || a.Resolution <= 0 || a.MetricDelay < 0 {
			return nil, fmt.Errorf("models: service %q: autoscaler needs a policy and positive periods", spec.Name)
		}
		s.auto = &autoscaling{spec: *a}
	}
	if s.startup, err = c.sampler(spec.Startup, "service."+spec.Name+".startup"); err != nil {
		return nil, fmt.Errorf("models: service %q startup: %w", spec.Name, err)
	}
	if s.pull, err = c.sampler(spec.ImagePull, "service."+spec.Name+".image_pull"); err != nil {
		return nil, fmt.Errorf("models: service %q image pull: %w", spec.Name, err)
	}
	s.bx = newBalancing(spec, bal, s.notify, spec.keys)
	s.win.lat = newLatencies()
	s.total.lat = newLatencies()
	if s.vers, err = c.newVersions(spec); err != nil {
		return nil, fmt.Errorf("models: service %q: %w", spec.Name, err)
	}
	if s.feat, err = c.newFlags(spec); err != nil {
		return nil, err
	}
	s.monkey = c.newMonkey(spec)
	s.spot = c.newSpot(spec)
	if spec.Function != nil {
		return s, c.newFunction(s)
	}
	for range spec.Replicas {
		idx := s.newInstance()
		if len(c.pools) > 0 && !c.reserve(s, idx) {
			s.instances[idx].state = Pending // no room: waits like any new instance
			s.pending++
			continue
		}
		s.instances[idx].state = Ready
		s.instances[idx].readyAt = engine.Time(-spec.Warmup) // the initial fleet is warm
		s.instances[idx].started, s.instances[idx].changed = longAgo, longAgo
		s.ready++
		s.slots += int64(spec.Concurrency)
		s.addToRotation(idx)
		c.scheduleProbe(s, idx, engine.Time(0))
		if s.vers != nil {
			c.scheduleDeath(s, idx, 0)
		}
	}
	return s, nil
}

// newInstance creates a Starting instance, reusing a terminated slot when
// there is one, and returns its index.
func (s *Service) newInstance() int32 {
	in := &instance{state: Starting, pos: -1, factor: 1, node: -1, version: s.spawn}
	if s.created < s.spec.SlowCount && s.spec.SlowFactor > 0 {
		in.factor = s.spec.SlowFactor
	}
	ord := s.created
	s.created++
	var i int32
	if n := len(s.freeSlots); n > 0 {
		i = s.freeSlots[n-1]
		s.freeSlots = s.freeSlots[:n-1]
		in.gen = s.instances[i].gen + 1
		s.instances[i] = in
	} else {
		s.instances = append(s.instances, in)
		i = int32(len(s.instances) - 1)
	}
	if s.bx != nil {
		s.bx.setWeight(i, ord)
	}
	return i
}

// Run simulates until the configured duration, streaming one row per
// metrics window to sink, and returns the summary. progress, if not nil,
// is called now and then with the simulated time reached.
func (c *Cluster) Run(sink RowSink, progress func(now engine.Time)) (*results.Summary, error) {
	if err := c.begin(sink, progress); err != nil {
		return nil, err
	}
	c.sim.RunUntil(c.horizon)
	if err := c.closeReplays(); err != nil && c.runErr == nil {
		c.runErr = err
	}
	if c.runErr != nil {
		return nil, c.runErr
	}
	if c.stopReason != "" {
		if err := c.truncate(); err != nil {
			return nil, err
		}
	}
	if c.sinkErr != nil {
		return nil, c.sinkErr
	}
	if err := c.closePolicies(); err != nil {
		return nil, err
	}
	sum := c.summary()
	if c.stopReason != "" {
		sum.Incomplete, sum.StopReason = true, c.stopReason
	}
	return sum, nil
}

// begin writes the header and schedules the first events of a run.
func (c *Cluster) begin(sink RowSink, progress func(now engine.Time)) error {
	c.sink = sink
	cols := c.columns()
	c.row = make([]float64, len(cols))
	if sink != nil {
		if err := sink.Header(cols); err != nil {
			return err
		}
	}
	if progress != nil {
		c.sim.SetProgress(progress)
	}
	if err := c.openReplays(); err != nil {
		return errors.Join(err, c.closeReplays())
	}
	for _, w := range c.workloads {
		if w.closed {
			c.startUsers(w)
			continue
		}
		if t := w.next(0); t >= 0 && t <= c.horizon {
			c.sim.Schedule(t, c.kArrival, w.id, 0)
		} else if w.replay != nil {
			c.replayEnded(w)
		}
	}
	c.sim.Schedule(c.nextWindowEnd(0), c.kWindow, 0, 0)
	c.startAutoscalers()
	c.startNodes()
	c.startDeploys()
	c.startMonkeys()
	c.startSpots()
	return nil
}

// OnDecision installs fn, called with every autoscaler decision (one per
// sync tick per autoscaled service) as it is made. An error stops the run.
func (c *Cluster) OnDecision(fn func(results.Decision) error) { c.onDecision = fn }

// ErrInterrupted is returned by Run after Interrupt.
var ErrInterrupted = errors.New("models: run interrupted")

// Interrupt stops a running simulation at the next event boundary; Run
// then returns ErrInterrupted. Call it from the progress callback.
func (c *Cluster) Interrupt() {
	if c.runErr == nil {
		c.runErr = ErrInterrupted
	}
	c.sim.Stop()
}

// Events returns the number of events the engine has handled.
func (c *Cluster) Events() int64 { return c.sim.Executed() }

// onArrival handles a workload's next request: it schedules the one after,
// then sends this one to its service.
func (c *Cluster) onArrival(ev engine.Event) {
	now := c.sim.Now()
	w := c.workloads[ev.Target]
	// A closed-loop user's next request follows this one's answer, and
	// so does a session's next step (an argument).
	if !w.closed && ev.Arg == 0 {
		if t := w.next(now); t >= 0 && t <= c.horizon {
			c.sim.Schedule(t, c.kArrival, w.id, 0)
		} else if w.replay != nil {
			c.replayEnded(w)
		}
	}
	var who ident
	if w.ident != nil {
		who = c.identify(w, ev.Arg, now)
	}
	if w.breaker != nil && c.shortCircuit(w, now, now >= c.warmup, who) {
		if now >= c.warmup {
			w.sent++
		}
		return // failed fast by the client's open circuit breaker (clients.go)
	}
	if w.net != nil || w.long != nil {
		c.connArrival(w, now)
		return
	}
	id := c.newRequest(w, now, c.workFor(w, who))
	if c.pool.ids.on {
		c.pool.ids.v[id] = who
	}
	if w.keys != nil {
		c.drawKey(w, id)
	}
	if w.replay != nil && ev.Arg == 0 { // not a session's later step
		c.replayRequest(w, id)
	}
	if c.pool.tries.on {
		c.sentFirst(w, id, now)
	}
	if w.hedge != nil {
		c.hedgeStart(w, id, now) // hedge.go
	}
	if !c.dispatch(id) {
		return
	}
	c.startTimeout(w, id)
}

// dispatch hands a request to an instance of its service chosen by the
// balancer. It reports false if the request was rejected (and released).
func (c *Cluster) dispatch(id RequestID) bool {
	now := c.sim.Now()
	r := &c.pool.reqs[id]
	s := c.services[r.service]
	if c.sidecars && c.throughProxy(s, id) {
		return true // crossing its sidecars first (sidecar.go)
	}
	s.integrate(now)
	s.win.arrivals++
	if s.lb != nil && !c.isCall(id) && !c.lbAdmit(s, id) {
		return false // lost or refused by the service's balancer (lb.go)
	}
	if s.db != nil {
		return c.dbDispatch(s, id) // its own cache, pool and routing (database.go)
	}
	if s.cache != nil && c.lookup(s, id) {
		return true // answered by the cache (cache.go)
	}
	if s.fn != nil {
		return c.fnDispatch(s, id)
	}
	if len(s.rotation) == 0 {
		c.reject(s, id)
		return false
	}
	pos := -1
	if s.route != nil {
		pos = c.dispatchRouted(s, id)
		r = &c.pool.reqs[id] // a mirrored copy may have grown the pool
	}
	if pos < 0 {
		pos = 0
		if s.bx != nil {
			if pos = c.pick(s, id, now); pos < 0 {
				return false // failed and released by pick
			}
		} else if len(s.rotation) > 1 {
			pos = s.bal.Pick(s.load)
		}
	}
	idx := s.rotation[pos]
	in := s.instances[idx]
	if s.faulty && c.intercept(s, in, idx, id) {
		return false
	}
	in.arrivals++
	if s.vers != nil {
		s.vers[in.version].win.arrivals++
	}
	r.instance = idx
	// Decide from the balancer's view of the instance (busy + queued, and
	// requests queue only when every slot is busy), which is in cache:
	// the instance's own line may still be on its way from memory, and
	// nothing below waits for it.
	if !c.admit(s, in, id, s.load[pos]) {
		return false
	}
	s.loadChangedAt(int(pos), 1)
	return true
}

// admit starts request id on instance in, whose outstanding requests
// (busy + queued) number load, or queues it there when every slot is
// busy, or rejects it (and releases it) when the queue is full; it
// reports false when rejected.
func (c *Cluster) admit(s *Service, in *instance, id RequestID, load int32) bool {
	conc := int32(s.spec.Concurrency)
	switch {
	case load < conc:
		c.start(s, in, id)
	case s.spec.Queue < 0 || int(load-conc) < s.spec.Queue:
		c.pool.enqueue(in, id)
		s.queued++
		if c.sim.Now() >= c.warmup && s.queued > s.total.queueMax {
			s.total.queueMax = s.queued
		}
	default:
		c.reject(s, id)
		return false
	}
	return true
}

// start puts a request into service on an instance with a free slot.
func (c *Cluster) start(s *Service, in *instance, id RequestID) {
	now := c.sim.Now()
	in.integrate(now)
	in.busy++
	s.busy++
	r := &c.pool.reqs[id]
	r.serving = true
	s.win.started++
	s.win.waitSum += int64(now - r.sent)
	work := r.work
	if s.vers != nil {
		work = c.versionWork(s, in, id, work)
	}
	if s.feat != nil {
		work = c.flagWork(s, id, work)
	}
	if f := s.slowdown(in, now); f != 1 {
		work = work.Scale(f) // saturates: an absurd slowdown never wraps
	}
	kind := c.kComplete
	if s.faulty {
		work, kind = c.failFastWork(s, r.instance, work)
	}
	if s.probing {
		in.work += 0.1 * (float64(work) - in.work)
	}
	// The completion carries the instance as well as the request, so that
	// onComplete finds both without one waiting on the other's memory.
	at := now.Add(work)
	if s.faulty {
		at = c.hangDelay(s, r.instance, now, work)
	}
	c.sim.Schedule(at, kind, int32(id), int64(s.id)<<32|int64(r.instance))
}

func (c *Cluster) reject(s *Service, id RequestID) {
	if s.db != nil {
		c.dbRelease(s, id)
	}
	if s.cache != nil && s.cache.co != nil {
		c.unlock(s, id, false) // a coalesced fill that never reaches an instance (coalesce.go)
	}
	r := &c.pool.reqs[id]
	if r.timedOut { // the client already counted it as a timeout
		c.pool.release(id)
		return
	}
	if c.pool.conn.on { // a request on a connection started its timer when sent
		c.stopTimeout(id)
	}
	s.win.rejected++
	c.after = s.spec.RetryAfter // a 429/503's Retry-After (callpolicy.go)
	c.clientFailed(id, outRejected)
	c.after = 0
	c.pool.release(id)
}

// warmComplete reads the request and the instance a completion will use,
// ahead of time (see engine.Sim.SetWarmer).
func (c *Cluster) warmComplete(ev *engine.Event) {
	in := c.services[ev.Arg>>32].instances[int32(ev.Arg)]
	c.warmed += int64(c.pool.reqs[ev.Target].sent) + int64(in.busy)
}

// onComplete handles the end of a request's own work on its instance: it
// makes its calls, if its service makes any, or finishes.
func (c *Cluster) onComplete(ev engine.Event) {
	id := RequestID(ev.Target)
	s, idx := c.services[ev.Arg>>32], int32(ev.Arg)
	in := s.instances[idx]
	r := &c.pool.reqs[id]
	if r.failed { // its instance was lost; the failure is already counted
		c.pool.release(id)
		return
	}
	if s.stages != nil && c.startCalls(s, id) {
		return // its own work is done; it holds its slot while it calls
	}
	c.finish(s, in, idx, id, true)
}

// finish ends a request's service on instance idx of s: the slot is
// freed, the client (or the calling request) gets the answer, ok or an
// error, unless it already timed out, and the instance takes the next
// queued request.
func (c *Cluster) finish(s *Service, in *instance, idx int32, id RequestID, ok bool) {
	now := c.sim.Now()
	r := &c.pool.reqs[id]
	s.integrate(now)
	in.integrate(now)
	in.busy--
	s.busy--
	s.loadChanged(in, -1)
	if s.faulty {
		c.observe5xx(s, idx, c.errorAnswer(id))
	}
	if s.bx != nil {
		s.observe(in, now.Sub(r.sent))
	}
	if s.cache != nil {
		c.fill(s, id, ok)
	}
	switch {
	case s.feat != nil && c.flagDone(s, id, now):
		// answered with an error by a feature flag: failed there
	case c.pool.links.on && (c.pool.links.v[id].parent != 0 || !ok):
		c.answerCall(s, id, ok)
	case s.vers != nil && c.versionDone(s, in, id, now):
		// an error response or a mirrored copy: counted there
	case c.pool.hedges.on && c.pool.hedges.v[id] != 0:
		c.hedgeAnswered(s, id) // a copy of a hedged request (hedge.go)
	case !r.timedOut:
		c.stopTimeout(id)
		s.win.ok++
		w := c.workloads[r.workload]
		ms := (now.Sub(c.firstSent(id)) + w.rtt).Milliseconds()
		w.winLat.add(ms)
		if r.counted {
			w.ok++
		}
		c.answered(w, id, ms)
	}
	if c.pool.conn.on {
		c.requestDone(id, r.timedOut)
	}
	if s.db != nil {
		c.dbFinish(s, id, ok)
	}
	c.pool.release(id) // r is invalid from here on
	if in.qlen > 0 {
		s.queued--
		c.start(s, in, c.pool.dequeue(in))
	} else if in.busy == 0 && in.state == Draining {
		c.terminate(s, idx)
	}
}

// stopTimeout stops a request's client timeout, if it has one.
func (c *Cluster) stopTimeout(id RequestID) {
	if w := c.workloads[c.pool.reqs[id].workload]; w.timer != nil {
		w.timer.Stop(c.pool.timeouts.v[id])
	}
}

// onTimeout handles a client giving up. The server is not told: a queued
// request is still served and a running one runs to completion, wasting
// capacity as real servers do unless they check for cancelled requests.
func (c *Cluster) onTimeout(ev engine.Event) {
	id := RequestID(ev.Target)
	r := &c.pool.reqs[id]
	r.timedOut = true
	c.pool.timeouts.v[id] = engine.Handle{}
	c.services[r.service].win.timeouts++
	c.clientFailed(id, outTimeout)
}
