package models

import (
	"fmt"

	"github.com/clustersim/clustersim/sim/dist"
	"github.com/clustersim/clustersim/sim/engine"
	"github.com/clustersim/clustersim/sim/policies/breaker"
	"github.com/clustersim/clustersim/sim/policies/retry"
)

// RetrySpec is a workload's client retry policy: a failed attempt (timed
// out, rejected or lost with its instance) is resent after a backoff, up
// to Attempts attempts in all, while the budget allows.
type RetrySpec struct {
	Attempts  int             // attempts in all, the first included (gRPC maxAttempts); >= 1
	Backoff   engine.Duration // base of the exponential backoff
	Cap       engine.Duration // largest backoff; 0 for none
	Jitter    retry.Jitter    // how the backoff is randomised
	Budget    float64         // retries allowed per request over the last 10 s ...
	HasBudget bool            // ... when set; otherwise retries are unlimited
}

// outcome is how an attempt failed, from the client's view.
type outcome uint8

const (
	outTimeout outcome = iota
	outRejected
	outFailed
)

// attempt is the client's state of one request attempt, kept beside the
// request record when some workload retries (requestPool.tries).
type attempt struct {
	first engine.Time     // when the client first sent the request
	prev  engine.Duration // the previous backoff (decorrelated jitter)
	n     int32           // attempts before this one
}

// clients is the per-workload state of closed-loop users and retries.
type clients struct {
	think   dist.Sampler     // closed loop: think time, on "workload.NAME.think"
	retries *retryState      // nil without retries
	closed  bool             // closed loop: users wait for answers
	want    int              // closed loop: users the workload should have now
	have    int              // closed loop: users that exist (thinking or waiting)
	breaker *breaker.Breaker // nil without a circuit breaker
	shorted int64            // requests failed fast by the open breaker, after warm-up
	hedge   *hedger          // nil without hedging (hedge.go)
}

// retryState is a workload's retry policy at run time.
type retryState struct {
	spec   RetrySpec
	rng    interface{ Float64() float64 } // "workload.NAME.retry"
	budget *retry.Budget                  // nil without a budget
}

// setupClients registers the client event kinds and builds each
// workload's closed-loop and retry state. Workloads without either cost
// nothing on the request path.
func (c *Cluster) setupClients() error {
	c.kRetry = c.sim.Register("retry", c.onRetry)
	c.kUsers = c.sim.Register("users", c.onUsers)
	for _, w := range c.workloads {
		spec := w.spec
		if spec.Users > 0 {
			s, err := dist.New(spec.Think, c.sim.Stream("workload."+spec.Name+".think"))
			if err != nil {
				return fmt.Errorf("models: workload %q think time: %w", spec.Name, err)
			}
			w.think, w.closed = s, true
		}
		if r := spec.Retry; r != nil && r.Attempts > 1 {
			if r.Backoff < 0 || r.Cap < 0 {
				return fmt.Errorf("models: workload %q: negative backoff", spec.Name)
			}
			w.retries = &retryState{spec: *r, rng: c.sim.Stream("workload." + spec.Name + ".retry")}
			if r.HasBudget {
				w.retries.budget = retry.NewBudget(r.Budget)
			}
			c.pool.tries.on = true
		}
		if b := spec.Breaker; b != nil {
			br, err := breaker.New(*b)
			if err != nil {
				return fmt.Errorf("models: workload %q: %w", spec.Name, err)
			}
			w.breaker = br
		}
	}
	return nil
}

// shortCircuit reports whether the workload's open circuit breaker fails
// a request (with identity who) at once, without sending it; the request
// counts as rejected.
func (c *Cluster) shortCircuit(w *workload, now engine.Time, counted bool, who ident) bool {
	if w.breaker.Allow(now) {
		return false
	}
	if counted {
		w.rejected++
		w.shorted++
	}
	c.ended(w, who, outRejected, 0) // decided at the client: no round trip
	return true
}

// ended ends a client request of w (with identity who) that failed with
// outcome o: its endpoint and session hear of it, and a closed-loop user
// thinks. lag is the round trip for an outcome the server sent (half a
// trip back to the user, half for the next request to arrive), 0 for one
// the client decided itself.
func (c *Cluster) ended(w *workload, who ident, o outcome, lag engine.Duration) {
	switch {
	case w.ident != nil:
		c.identEnded(w, who, false, o, 0, lag)
	case w.closed:
		c.think(w, 0, lag)
	}
}

// startUsers starts a closed-loop workload's users: each sends its first
// request after one think time, so that they do not all arrive at once.
func (c *Cluster) startUsers(w *workload) {
	w.want = w.spec.Users
	c.addUsers(w)
	for _, st := range w.spec.UserSchedule {
		if st.At <= c.horizon {
			c.sim.Schedule(st.At, c.kUsers, w.id, int64(st.Users))
		}
	}
}

// addUsers starts users until the workload has as many as it wants.
func (c *Cluster) addUsers(w *workload) {
	for w.have < w.want {
		w.have++
		var user uint32
		if w.ident != nil {
			user = w.ident.newUser()
		}
		c.nextRequest(w, int64(user), 0)
	}
}

// onUsers changes a closed-loop workload's user count: new users start
// after one think time; surplus users leave as they finish their current
// request.
func (c *Cluster) onUsers(ev engine.Event) {
	w := c.workloads[ev.Target]
	w.want = int(ev.Arg)
	c.addUsers(w)
}

// think is a closed-loop user's turn after an answer: it leaves if the
// workload has more users than it wants (its id, + 1 or 0 for none, is
// free again), else its next request arrives lag plus one think time
// from now (lag: see ended).
func (c *Cluster) think(w *workload, user uint32, lag engine.Duration) {
	if w.have > w.want {
		w.have--
		if user != 0 {
			w.ident.free = append(w.ident.free, user)
		}
		return
	}
	c.nextRequest(w, int64(user), lag)
}

// nextRequest schedules a user's next request to arrive lag plus one
// think time from now; arg identifies the user (identity.go).
func (c *Cluster) nextRequest(w *workload, arg int64, lag engine.Duration) {
	t := c.sim.Now().Add(lag).Add(engine.FromSeconds(w.think.Sample()))
	if t <= c.horizon {
		c.sim.Schedule(t, c.kArrival, w.id, arg)
	}
}

// sentFirst records a request's first attempt for its retries.
func (c *Cluster) sentFirst(w *workload, id RequestID, now engine.Time) {
	c.pool.tries.v[id] = attempt{first: now}
	if w.retries != nil && w.retries.budget != nil {
		w.retries.budget.Request(now)
	}
}

// firstSent returns when the client first sent request id.
func (c *Cluster) firstSent(id RequestID) engine.Time {
	if c.pool.tries.on {
		return c.pool.tries.v[id].first
	}
	return c.pool.reqs[id].sent
}

// answered ends request id, answered successfully after ms
// milliseconds: its endpoint and session hear of it, and a closed-loop
// user thinks, then sends its next one.
func (c *Cluster) answered(w *workload, id RequestID, ms float64) {
	if w.breaker != nil {
		w.breaker.Success(c.sim.Now())
	}
	switch { // the answer crosses back, the next request out: one round trip
	case w.ident != nil:
		c.identEnded(w, c.pool.ids.v[id], true, 0, ms, w.rtt)
	case w.closed:
		c.think(w, 0, w.rtt)
	}
}

// who returns request id's identity (none when no workload has one).
func (c *Cluster) who(id RequestID) ident {
	if !c.pool.ids.on {
		return ident{}
	}
	return c.pool.ids.v[id]
}

// clientFailed handles an attempt that failed from the client's view: it
// is retried if the policy and the budget allow, otherwise the request
// ends with the outcome o. The attempt's record id is not released here.
func (c *Cluster) clientFailed(id RequestID, o outcome) {
	if c.isCall(id) { // a call rejected by its callee: its caller decides
		c.callEnded(id, false)
		return
	}
	if c.pool.hedges.on && c.pool.hedges.v[id] != 0 && !c.hedgeFailed(id) {
		return // another copy of the hedged request is still out (hedge.go)
	}
	r := &c.pool.reqs[id]
	w := c.workloads[r.workload]
	if w.breaker != nil {
		w.breaker.Failure(c.sim.Now())
	}
	if w.retries != nil && c.retryLater(w, id) {
		return
	}
	if r.counted {
		switch o {
		case outTimeout:
			w.timeouts++
		case outRejected:
			w.rejected++
		case outFailed:
			w.failed++
		}
	}
	c.ended(w, c.who(id), o, w.rtt)
}

// retryLater schedules the resend of a failed attempt after its backoff,
// in a new request record, if attempts remain and the budget allows.
func (c *Cluster) retryLater(w *workload, id RequestID) bool {
	now := c.sim.Now()
	rs := w.retries
	at := c.pool.tries.v[id]
	if int(at.n)+1 >= rs.spec.Attempts {
		return false
	}
	if rs.budget != nil && !rs.budget.Allow(now) {
		return false
	}
	sleep := retry.Backoff(rs.spec.Jitter, rs.spec.Backoff, rs.spec.Cap, int(at.n), at.prev, rs.rng.Float64())
	old := c.pool.reqs[id]
	nid := c.pool.alloc() // may move the pool: old is a copy
	c.pool.reqs[nid] = request{work: old.work, workload: old.workload, service: old.service, counted: old.counted}
	c.pool.tries.v[nid] = attempt{first: at.first, prev: sleep, n: at.n + 1}
	if c.pool.cacheKeys.on {
		c.pool.cacheKeys.v[nid] = c.pool.cacheKeys.v[id] // a retry asks for the same key
	}
	if c.pool.ids.on {
		c.pool.ids.v[nid] = c.pool.ids.v[id] // the same user, endpoint and session step
	}
	// The client learns of the failure half a round trip after it, and
	// the resend arrives half a round trip after the backoff, or after
	// the answer's Retry-After if that is longer.
	c.sim.Schedule(now.Add(w.rtt).Add(max(sleep, c.after)), c.kRetry, int32(nid), 0)
	return true
}

// onRetry resends a request after its backoff.
func (c *Cluster) onRetry(ev engine.Event) {
	now := c.sim.Now()
	id := RequestID(ev.Target)
	r := &c.pool.reqs[id]
	r.sent = now
	w := c.workloads[r.workload]
	if r.counted {
		w.resent++
	}
	if w.breaker != nil && c.shortCircuit(w, now, false, c.who(id)) {
		if r.counted {
			w.rejected++ // the request ends here; shorted counts first attempts
		}
		c.pool.release(id)
		return
	}
	if !c.dispatch(id) {
		return
	}
	c.startTimeout(w, id)
}

// answerOK answers request id successfully from service s: its caller if
// it is a call, else its client unless the client already timed out.
func (c *Cluster) answerOK(s *Service, id RequestID) {
	now := c.sim.Now()
	r := &c.pool.reqs[id]
	if c.isCall(id) {
		s.win.ok++
		s.win.lat.add(now.Sub(r.sent).Milliseconds())
		c.callEnded(id, true)
		return
	}
	if r.timedOut {
		return
	}
	if c.pool.hedges.on && c.pool.hedges.v[id] != 0 {
		c.hedgeAnswered(s, id)
		return
	}
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

// setupTimeouts gives each workload with a timeout its timer queue, once
// the round trips are known. A timer starts when a request reaches its
// service (half a round trip after the client sent it) and its answer
// needs half a round trip back, so the server-side deadline is the
// timeout less one round trip (0 if the trip alone takes longer).
func (c *Cluster) setupTimeouts() {
	for _, w := range c.workloads {
		if w.spec.Timeout <= 0 {
			continue
		}
		d := w.spec.Timeout - w.rtt
		if d < 0 {
			d = 0
		}
		w.timer = c.sim.NewDelayQueue("timeout."+w.spec.Name, d, c.kTimeout)
		c.pool.timeouts.on = true
	}
}
