package models

import (
	"fmt"
	"math"
	"slices"

	"github.com/clustersim/clustersim/sim/dist"
	"github.com/clustersim/clustersim/sim/engine"
	"github.com/clustersim/clustersim/sim/policies/cost"
	"github.com/clustersim/clustersim/sim/results"
)

// A function service runs as AWS Lambda runs a function: each request
// (invocation) runs in an execution environment that serves Concurrency
// requests at once (1, as on Lambda). A request that finds no environment
// with a free slot starts a new one: a cold start, whose init duration is
// drawn from FunctionSpec.ColdStart on the stream
// "service.NAME.cold_start"; the request runs once the environment is
// initialised, and its latency includes the init. A request that finds one
// reuses it (a warm start). Among free environments the one released last
// is reused (last in, first out). Lambda does not document its choice;
// most recently used is an assumption of this model, chosen because it is
// the pick under which the environment count falls with the traffic (a
// least-recently-used pick would cycle through every environment and keep
// them all alive) and under which KeepAlive means "idle that long, then
// gone". An environment idle for KeepAlive is reclaimed.
//
// Limits, as https://docs.aws.amazon.com/lambda/latest/dg/scaling-behavior.html
// documents them:
//   - each function creates at most ScaleBurst (1,000) new environments
//     per ScalePeriod (10 s), refilled continuously ("Lambda makes a best
//     attempt to refill your concurrency scaling rate continuously") and
//     never accumulated beyond ScaleBurst;
//   - environments in existence never exceed ConcurrencyLimit (the
//     account's concurrency, 1,000 by default, or the function's reserved
//     concurrency);
//   - a request over either limit is throttled (HTTP 429). A throttled
//     request is resent after ThrottleBackoff up to ThrottleRetries times,
//     as the AWS SDKs retry throttling errors; after the last attempt, or
//     with no retries, it is rejected (requests.rejected);
//   - an invocation running longer than Timeout (at most 15 minutes) is
//     stopped and fails (requests.failed), billed for Timeout.
//
// Provisioned concurrency keeps Provisioned environments initialised from
// the start; they are never reclaimed, take requests first, and requests
// beyond them spill over to on-demand environments. ProvisionedSchedule
// changes their number over time (Application Auto Scaling's scheduled
// actions on provisioned concurrency): more are ready at the step's time
// (schedule them ahead by the minutes AWS takes to allocate), and surplus
// ones are removed at once when idle, when their invocation ends if busy.
//
// Billing (package cost): each invocation is billed its duration rounded
// up to the millisecond, including the init phase of a cold start (Lambda
// bills INIT for every configuration since 2025-08-01), times Memory GB,
// plus a price per request; provisioned environments are billed per
// GB-second configured plus a reduced duration price.

// Lambda's documented limits and defaults.
const (
	// DefaultConcurrencyLimit is the default account concurrency per Region.
	DefaultConcurrencyLimit = 1000
	// DefaultScaleBurst environments may be created per DefaultScalePeriod.
	DefaultScaleBurst  = 1000
	DefaultScalePeriod = 10 * engine.Second
	// MaxFunctionTimeout is Lambda's maximum function timeout.
	MaxFunctionTimeout = 15 * engine.Minute
	// DefaultFunctionTimeout is Lambda's default timeout.
	DefaultFunctionTimeout = 3 * engine.Second
	// DefaultKeepAlive is how long an idle environment lives. AWS does not
	// document it; measurements found a fixed 10 minutes (M. Shilkov,
	// "AWS Lambda Cold Starts After 10 Minutes", mikhail.io, 2019-08),
	// later 5 to 7 minutes (mikhail.io/serverless/coldstarts/aws/).
	DefaultKeepAlive = 10 * engine.Minute
)

// FunctionSpec is the part of a ServiceSpec that makes it a function. The
// service's Concurrency is the requests one environment serves at once and
// its Memory the function's memory in GiB.
type FunctionSpec struct {
	ColdStart dist.Spec       // init duration of a new environment
	KeepAlive engine.Duration // idle environments are reclaimed after it
	// KeepAliveDist, when set, replaces KeepAlive by a draw per idle
	// period (stream "service.NAME.keep_alive"): an environment falling
	// idle is reclaimed after its own draw unless reused first.
	KeepAliveDist    dist.Spec
	Arch             cost.Arch
	ConcurrencyLimit int // environments at most (account or reserved concurrency)
	Provisioned      int // pre-initialised environments, never reclaimed
	// ProvisionedSchedule changes Provisioned at given times, in order.
	ProvisionedSchedule []ProvisionedStep
	Timeout             engine.Duration // invocations longer than it fail
	ScaleBurst          int             // new environments per ScalePeriod at most
	ScalePeriod         engine.Duration
	ThrottleRetries     int             // times a throttled request is resent
	ThrottleBackoff     engine.Duration // delay before each resend
}

// ProvisionedStep sets a function's provisioned concurrency to Count at At.
type ProvisionedStep struct {
	At    engine.Time
	Count int
}

// DefaultFunctionSpec returns Lambda's defaults, with an instant cold start.
func DefaultFunctionSpec() FunctionSpec {
	return FunctionSpec{
		ColdStart:        dist.Spec{Kind: "constant"},
		KeepAlive:        DefaultKeepAlive,
		ConcurrencyLimit: DefaultConcurrencyLimit,
		Timeout:          DefaultFunctionTimeout,
		ScaleBurst:       DefaultScaleBurst,
		ScalePeriod:      DefaultScalePeriod,
	}
}

// fnEnv is one execution environment.
type fnEnv struct {
	busy        int32       // requests running or waiting for init on it
	readyAt     engine.Time // when its init ends
	idleSince   engine.Time // when busy last fell to 0
	reclaimBy   engine.Time // with a keep_alive distribution: idleSince + its draw
	gen         uint32      // bumped when the slot is reused
	alive       bool
	free        bool // in the function's free list (a slot is free)
	provisioned bool
}

// fnReq is a request's function state, kept beside the request record
// (requestPool.fn) only when the cluster has a function.
type fnReq struct {
	billedMs int32 // billed duration of the running attempt
	attempts uint16
	cold     bool // its attempt started a new environment
}

// fnCounts are a function's counters over a window or the run.
type fnCounts struct {
	throttles, retries, invocations int64
	billedMs, provBilledMs          int64 // on-demand and provisioned duration billed
	provEnvNs                       int64 // provisioned environments × ns configured
	coldOK                          int64 // cold invocations answered
}

func (a *fnCounts) add(b *fnCounts) {
	a.throttles += b.throttles
	a.retries += b.retries
	a.invocations += b.invocations
	a.billedMs += b.billedMs
	a.provBilledMs += b.provBilledMs
	a.coldOK += b.coldOK
	a.provEnvNs += b.provEnvNs
}

// function is a function service's environments and counters.
type function struct {
	spec     FunctionSpec
	memory   float64
	conc     int32
	init     dist.Sampler
	alive    dist.Sampler // keep-alive draws; nil for the fixed KeepAlive
	envs     []fnEnv
	recycled []int32 // indices of reclaimed environments
	free     envDeque
	provFree []int32 // provisioned environments with a free slot (a stack)
	live     int     // environments in existence
	maxLive  int

	// The scaling bucket, in environment·ns: each new environment costs
	// ScalePeriod, and it refills at ScaleBurst per ns, up to
	// ScaleBurst·ScalePeriod.
	bucket   int64
	bucketAt engine.Time

	reclaimAt engine.Time // a reclaim check is scheduled then; -1 for none

	win, total           fnCounts
	winWarm, warmLat     *latencies // latencies of warm invocations
	coldLat              *latencies // latencies of cold invocations, after warm-up
	winCold              *latencies
	provLive, provTarget int         // provisioned environments alive, and wanted
	provMax              int         // most provisioned environments at once
	provAt               engine.Time // provEnvNs is integrated up to here
}

// functionKinds are the engine kinds of function events.
type functionKinds struct {
	done, killed, init, retry, reclaim, provision engine.Kind
}

func (c *Cluster) registerFunctions() {
	c.kFn.done = c.sim.Register("function-complete", c.onFnComplete)
	c.kFn.killed = c.sim.Register("function-timeout", c.onFnComplete)
	c.kFn.init = c.sim.Register("function-init", c.onFnInit)
	c.kFn.retry = c.sim.Register("function-retry", c.onFnRetry)
	c.kFn.reclaim = c.sim.Register("function-reclaim", c.onFnReclaim)
	c.kFn.provision = c.sim.Register("function-provision", c.onFnProvision)
}

// newFunction sets a function service up, with its provisioned
// environments initialised.
func (c *Cluster) newFunction(s *Service) error {
	spec := *s.spec.Function
	if spec.ConcurrencyLimit < 1 || spec.ScaleBurst < 1 || spec.ScalePeriod <= 0 || spec.KeepAlive <= 0 ||
		spec.Timeout <= 0 || spec.Provisioned < 0 || spec.Provisioned > spec.ConcurrencyLimit || spec.ThrottleRetries < 0 || spec.ThrottleRetries > 1<<15 {
		return fmt.Errorf("models: function %q: invalid limits", s.spec.Name)
	}
	f := &function{spec: spec, memory: s.spec.Memory, conc: int32(s.spec.Concurrency), reclaimAt: -1,
		winWarm: newLatencies(), warmLat: newLatencies(), coldLat: newLatencies(), winCold: newLatencies()}
	var err error
	if f.init, err = dist.New(spec.ColdStart, c.sim.Stream("service."+s.spec.Name+".cold_start")); err != nil {
		return fmt.Errorf("models: function %q cold start: %w", s.spec.Name, err)
	}
	if spec.KeepAliveDist.Kind != "" {
		if f.alive, err = dist.New(spec.KeepAliveDist, c.sim.Stream("service."+s.spec.Name+".keep_alive")); err != nil {
			return fmt.Errorf("models: function %q keep-alive: %w", s.spec.Name, err)
		}
	}
	f.bucket = int64(spec.ScaleBurst) * int64(spec.ScalePeriod)
	for i, st := range spec.ProvisionedSchedule {
		if st.Count < 0 || st.Count > spec.ConcurrencyLimit || st.At < 0 || (i > 0 && st.At <= spec.ProvisionedSchedule[i-1].At) {
			return fmt.Errorf("models: function %q: invalid provisioned schedule", s.spec.Name)
		}
		c.sim.Schedule(st.At, c.kFn.provision, s.id, int64(i))
	}
	s.fn = f
	f.provision(s, 0, spec.Provisioned)
	c.pool.fn.on = true
	return nil
}

// provision sets the provisioned concurrency to n at now: new
// environments are ready at once; surplus idle ones are removed now and
// busy ones when their invocation ends.
func (f *function) provision(s *Service, now engine.Time, n int) {
	f.integrateProvisioned(now)
	f.provTarget = n
	for f.provLive < n {
		e := f.newEnv(-1)
		f.envs[e].provisioned = true
		f.pushFree(e)
		f.provLive++
		s.ready++
		s.slots += int64(f.conc)
	}
	f.provMax = max(f.provMax, f.provLive)
	for f.provLive > n && len(f.provFree) > 0 {
		last := len(f.provFree) - 1
		e := f.provFree[last]
		if f.envs[e].busy > 0 {
			break // a busy one (concurrency > 1) leaves when it ends
		}
		f.provFree = f.provFree[:last]
		f.retire(s, e)
	}
	s.desired = f.live
}

// retire removes an idle initialised environment.
func (f *function) retire(s *Service, e int32) {
	env := &f.envs[e]
	if env.provisioned {
		f.provLive--
	}
	env.alive, env.free = false, false
	f.recycled = append(f.recycled, e)
	f.live--
	s.ready--
	s.slots -= int64(f.conc)
	s.desired = f.live
}

// integrateProvisioned advances the provisioned environment-time to now.
func (f *function) integrateProvisioned(now engine.Time) {
	f.win.provEnvNs += int64(f.provLive) * int64(now-f.provAt)
	f.provAt = now
}

// onFnProvision applies a step of a function's provisioned schedule.
func (c *Cluster) onFnProvision(ev engine.Event) {
	s := c.services[ev.Target]
	now := c.sim.Now()
	s.integrate(now)
	s.fn.provision(s, now, s.fn.spec.ProvisionedSchedule[ev.Arg].Count)
}

// newEnv creates an environment whose init ends at readyAt.
func (f *function) newEnv(readyAt engine.Time) int32 {
	env := fnEnv{alive: true, readyAt: readyAt}
	f.live++
	f.maxLive = max(f.maxLive, f.live)
	if n := len(f.recycled); n > 0 {
		e := f.recycled[n-1]
		f.recycled = f.recycled[:n-1]
		env.gen = f.envs[e].gen + 1
		f.envs[e] = env
		return e
	}
	f.envs = append(f.envs, env)
	return int32(len(f.envs) - 1)
}

// pushFree records that an environment has a free slot.
func (f *function) pushFree(e int32) {
	env := &f.envs[e]
	env.free = true
	if env.provisioned {
		f.provFree = append(f.provFree, e)
		return
	}
	f.free.pushBack(e)
}

// takeFree returns an environment with a free slot, provisioned ones
// first and then the most recently released, and takes a slot on it; -1
// when none has one.
func (f *function) takeFree() int32 {
	var e int32
	if n := len(f.provFree); n > 0 {
		e = f.provFree[n-1]
		if f.envs[e].busy+1 >= f.conc {
			f.provFree = f.provFree[:n-1]
			f.envs[e].free = false
		}
	} else if f.free.n > 0 {
		e = f.free.back()
		if f.envs[e].busy+1 >= f.conc {
			f.free.popBack()
			f.envs[e].free = false
		}
	} else {
		return -1
	}
	f.envs[e].busy++
	return e
}

// admit reports whether a new environment may be created at now, taking
// it from the scaling bucket if so.
func (f *function) admit(now engine.Time) bool {
	if f.live >= f.spec.ConcurrencyLimit {
		return false
	}
	period := int64(f.spec.ScalePeriod)
	capacity := int64(f.spec.ScaleBurst) * period
	if dt := int64(now - f.bucketAt); dt >= period {
		f.bucket = capacity
	} else {
		f.bucket = min(capacity, f.bucket+dt*int64(f.spec.ScaleBurst))
	}
	f.bucketAt = now
	if f.bucket < period {
		return false
	}
	f.bucket -= period
	return true
}

// fnDispatch runs a request on a function service: on a free environment,
// on a new one (a cold start), or not at all (throttled). It reports false
// if the request was rejected (and released).
func (c *Cluster) fnDispatch(s *Service, id RequestID) bool {
	now := c.sim.Now()
	f := s.fn
	r := &c.pool.reqs[id]
	fr := &c.pool.fn.v[id]
	e := f.takeFree()
	fr.cold = e < 0
	var initDur engine.Duration
	if e < 0 {
		if !f.admit(now) {
			return c.fnThrottle(s, id)
		}
		initDur = engine.FromSeconds(f.init.Sample())
		e = f.newEnv(now.Add(initDur))
		f.envs[e].busy = 1
		if f.conc > 1 {
			f.pushFree(e)
		}
		s.win.coldStarts++
		s.starting++
		s.slots += int64(f.conc) // busy counts requests awaiting the init too
		s.created++
		s.desired = f.live
		c.sim.Schedule(f.envs[e].readyAt, c.kFn.init, int32(s.id), instanceRef(e, f.envs[e].gen))
	}
	env := &f.envs[e]
	start := max(now, env.readyAt)
	run, kind := r.work, c.kFn.done
	if run > f.spec.Timeout {
		run, kind = f.spec.Timeout, c.kFn.killed
	}
	// Billed: init and run, rounded up to the ms; saturated, since an
	// init drawn from a heavy tail may be any length.
	fr.billedMs = int32(min(cost.BilledMillis(int64(engine.Time(initDur).Add(run))), math.MaxInt32))
	s.busy++
	s.win.started++
	s.win.waitSum += int64(start - r.sent)
	r.serving = true
	r.instance = e
	c.sim.Schedule(start.Add(run), kind, int32(id), int64(s.id)<<32|int64(e))
	return true
}

// fnThrottle handles a request refused with HTTP 429: it is resent after
// the backoff while retries remain, and rejected after. It reports whether
// the request is still alive.
func (c *Cluster) fnThrottle(s *Service, id RequestID) bool {
	f := s.fn
	f.win.throttles++
	fr := &c.pool.fn.v[id]
	if int(fr.attempts) < f.spec.ThrottleRetries {
		fr.attempts++
		f.win.retries++
		c.sim.Schedule(c.sim.Now().Add(f.spec.ThrottleBackoff), c.kFn.retry, int32(id), 0)
		return true
	}
	if fr.attempts > 0 { // resent: its client timer runs
		c.stopTimeout(id)
	}
	c.reject(s, id)
	return false
}

// onFnRetry resends a throttled request, unless its client gave up.
func (c *Cluster) onFnRetry(ev engine.Event) {
	id := RequestID(ev.Target)
	r := &c.pool.reqs[id]
	if r.timedOut {
		c.pool.release(id)
		return
	}
	s := c.services[r.service]
	s.integrate(c.sim.Now())
	c.fnDispatch(s, id)
}

// onFnInit marks an environment initialised.
func (c *Cluster) onFnInit(ev engine.Event) {
	s := c.services[ev.Target]
	e, gen := unpackRef(ev.Arg)
	if env := &s.fn.envs[e]; !env.alive || env.gen != gen {
		return
	}
	s.integrate(c.sim.Now())
	s.starting--
	s.ready++
}

// onFnComplete ends an invocation, normally (kind done) or stopped at the
// function's timeout (kind killed).
func (c *Cluster) onFnComplete(ev engine.Event) {
	now := c.sim.Now()
	id := RequestID(ev.Target)
	s, e := c.services[ev.Arg>>32], int32(ev.Arg)
	f := s.fn
	r := &c.pool.reqs[id]
	fr := &c.pool.fn.v[id]
	env := &f.envs[e]
	s.integrate(now)
	s.busy--
	f.win.invocations++
	if env.provisioned {
		f.win.provBilledMs += int64(fr.billedMs)
	} else {
		f.win.billedMs += int64(fr.billedMs)
	}
	w := c.workloads[r.workload]
	switch {
	case ev.Kind() == c.kFn.killed:
		if !r.timedOut {
			c.stopTimeout(id)
			s.win.failed++
			if r.counted {
				w.failed++
			}
		}
	case !r.timedOut:
		c.stopTimeout(id)
		s.win.ok++
		ms := now.Sub(r.sent).Milliseconds()
		w.winLat.add(ms)
		if fr.cold {
			f.win.coldOK++
			f.winCold.add(ms)
		} else {
			f.winWarm.add(ms)
		}
		if r.counted {
			w.ok++
		}
	}
	c.pool.release(id)
	env.busy--
	if env.provisioned && env.busy == 0 && f.provLive > f.provTarget {
		if env.free { // concurrency > 1: drop it from the free stack
			f.provFree = slices.DeleteFunc(f.provFree, func(x int32) bool { return x == e })
		}
		s.integrate(now)
		f.integrateProvisioned(now)
		f.retire(s, e)
		return
	}
	if !env.free {
		f.pushFree(e)
	}
	if env.busy == 0 && !env.provisioned {
		env.idleSince = now
		if f.alive != nil {
			env.reclaimBy = now.Add(engine.FromSeconds(f.alive.Sample()))
			if f.reclaimAt < 0 || env.reclaimBy < f.reclaimAt {
				f.reclaimAt = env.reclaimBy
				c.sim.Schedule(f.reclaimAt, c.kFn.reclaim, int32(s.id), 0)
			}
			return
		}
		if f.reclaimAt < 0 {
			f.reclaimAt = now.Add(f.spec.KeepAlive)
			c.sim.Schedule(f.reclaimAt, c.kFn.reclaim, int32(s.id), 0)
		}
	}
}

// onFnReclaim removes the environments idle for KeepAlive, oldest first,
// and schedules the next check.
func (c *Cluster) onFnReclaim(ev engine.Event) {
	now := c.sim.Now()
	s := c.services[ev.Target]
	f := s.fn
	if f.alive != nil {
		if now != f.reclaimAt {
			return // superseded by an earlier check
		}
		f.reclaimAt = -1
		s.integrate(now)
		c.reclaimDrawn(s, now)
		return
	}
	f.reclaimAt = -1
	s.integrate(now)
	for f.free.n > 0 {
		e := f.free.front()
		env := &f.envs[e]
		if env.busy > 0 {
			return // checked again when the next environment falls idle
		}
		if at := env.idleSince.Add(f.spec.KeepAlive); at > now {
			f.reclaimAt = at
			c.sim.Schedule(at, c.kFn.reclaim, int32(s.id), 0)
			return
		}
		f.free.popFront()
		c.reclaimEnv(s, e, now)
	}
}

// reclaimEnv retires idle environment e of function service s: it leaves
// the fleet's counts and its slot is kept for reuse.
func (c *Cluster) reclaimEnv(s *Service, e int32, now engine.Time) {
	f := s.fn
	env := &f.envs[e]
	env.alive, env.free = false, false
	f.recycled = append(f.recycled, e)
	f.live--
	s.desired = f.live
	s.slots -= int64(f.conc)
	if env.readyAt > now {
		s.starting--
	} else {
		s.ready--
	}
}

// reclaimDrawn removes every idle environment whose drawn keep-alive has
// run out, keeping the others in their order, and schedules the next
// check at the earliest deadline left. Deadlines drawn per idle period
// are not in idle order, so the whole free list is scanned: a check costs
// the idle environments, and happens once per distinct deadline.
func (c *Cluster) reclaimDrawn(s *Service, now engine.Time) {
	f := s.fn
	d := &f.free
	kept, next := 0, engine.End
	for i := range d.n {
		e := d.buf[(d.head+i)%len(d.buf)]
		env := &f.envs[e]
		if env.busy == 0 && env.reclaimBy <= now {
			c.reclaimEnv(s, e, now)
			continue
		}
		if env.busy == 0 {
			next = min(next, env.reclaimBy)
		}
		d.buf[(d.head+kept)%len(d.buf)] = e
		kept++
	}
	d.n = kept
	if next < engine.End {
		f.reclaimAt = next
		c.sim.Schedule(next, c.kFn.reclaim, int32(s.id), 0)
	}
}

// fnWindow returns a function's closing window figures and folds them
// into its totals if counted.
func (c *Cluster) fnWindow(s *Service, counted bool) (throttles int64, usd float64) {
	f := s.fn
	f.integrateProvisioned(c.sim.Now())
	usd = c.fnCost(s, &f.win)
	throttles = f.win.throttles
	if counted {
		f.total.add(&f.win)
		f.warmLat.merge(f.winWarm)
		f.coldLat.merge(f.winCold)
	}
	f.win = fnCounts{}
	f.winWarm.reset()
	f.winCold.reset()
	return throttles, usd
}

// fnCost prices a function's counts.
func (c *Cluster) fnCost(s *Service, n *fnCounts) float64 {
	f := s.fn
	t := c.prices
	usd := t.FunctionUSD(f.spec.Arch, f.memory, n.billedMs, n.invocations)
	if n.provEnvNs > 0 || n.provBilledMs > 0 {
		usd += t.ProvisionedUSD(f.spec.Arch, f.memory, float64(n.provEnvNs)/1e9, n.provBilledMs)
	}
	return usd
}

// fnSummary fills a function service's summary figures.
func (c *Cluster) fnSummary(s *Service, ss *results.ServiceSummary) float64 {
	f := s.fn
	t := &f.total
	ss.Throttles = t.throttles
	ss.Requests.Retries = t.retries
	ss.Function = &results.FunctionSummary{
		Invocations:     t.invocations,
		ColdStartRatio:  results.Ratio(s.total.coldStarts, t.invocations),
		BilledGBSeconds: float64(t.billedMs+t.provBilledMs) / 1e3 * f.memory,
		EnvironmentsMax: f.maxLive,
		Provisioned:     f.provMax,
		LatencyMsWarm:   f.warmLat.summary(),
		LatencyMsCold:   f.coldLat.summary(),
	}
	return c.fnCost(s, t)
}

// envDeque is a double-ended queue of environment indices in a ring:
// released environments join at the back, reuse takes from the back, and
// reclaim takes the longest idle from the front.
type envDeque struct {
	buf     []int32
	head, n int
}

func (d *envDeque) pushBack(e int32) {
	if d.n == len(d.buf) {
		nb := make([]int32, max(16, 2*len(d.buf)))
		for i := range d.n {
			nb[i] = d.buf[(d.head+i)%len(d.buf)]
		}
		d.buf, d.head = nb, 0
	}
	d.buf[(d.head+d.n)%len(d.buf)] = e
	d.n++
}

func (d *envDeque) back() int32  { return d.buf[(d.head+d.n-1)%len(d.buf)] }
func (d *envDeque) front() int32 { return d.buf[d.head] }
func (d *envDeque) popBack()     { d.n-- }
func (d *envDeque) popFront() {
	d.head = (d.head + 1) % len(d.buf)
	d.n--
}
