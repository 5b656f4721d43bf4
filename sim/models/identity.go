package models

import (
	"fmt"
	"math/rand/v2"
	"sort"

	"github.com/clustersim/clustersim/sim/dist"
	"github.com/clustersim/clustersim/sim/engine"
	"github.com/clustersim/clustersim/sim/results"
)

// Identities: who sends a request and what it asks for. A workload may
// send a mix of endpoints (each with its own service time and calls),
// sessions (a user's sequence of endpoint requests with think times
// between them), and requests that carry a user id: a closed loop's users
// are users; an open loop draws its requests' (or sessions') users from
// UserIDs. A replayed trace's record gives its request's user and
// endpoint, when it has them (replay.go); the fields it leaves unset are
// drawn as above. The identity of a request is kept beside its record
// (requestPool.ids) only when some workload has one, so the 32-byte
// request is unchanged and runs without identities pay nothing for them.
//
// User ids are global: each workload owns a contiguous range of them, so
// a deployment's blast radius counts distinct users exactly in a bitset,
// an A/B split hashes them, and a service keeping sessions in memory
// routes by them (sessionstore.go).

// EndpointSpec is one endpoint of a workload's mix.
type EndpointSpec struct {
	Name   string
	Weight float64 // relative share of the mix, > 0
	// ServiceTime is the work of its requests; Kind "" keeps the
	// workload's service time.
	ServiceTime dist.Spec
	// Calls replace the target service's calls for its requests, when
	// OwnCalls is set (an empty Calls then makes none).
	Calls    []CallSpec
	OwnCalls bool
}

// SessionSpec is one kind of session: a user's sequence of endpoint
// requests. A step is sent when the previous one is answered, one think
// time later; a failed step ends the session (abandoned).
type SessionSpec struct {
	Name   string
	Weight float64   // relative share of sessions, > 0
	Steps  []int     // indices into the workload's Endpoints, in order; 1 to maxSteps
	Think  dist.Spec // between a step's answer and the next step; Kind "" for none
}

// maxSteps bounds a session's steps (15 bits of an arrival's argument).
const maxSteps = 1 << 15

// countedStep marks, in ident.step, a session started after warm-up.
const countedStep uint16 = 1 << 15

// ident is a request's identity, kept beside its record when some
// workload has users, endpoints or sessions (requestPool.ids).
type ident struct {
	user uint32 // global user id + 1; 0 for none
	ep   uint16 // endpoint route + 1 (Cluster.routes); 0 for none
	sess uint16 // session kind + 1 in its workload; 0 for none
	step uint16 // the session step it is, | countedStep
}

// pack encodes an identity's user and session step in an arrival event's
// argument; 0 is a fresh arrival.
func (who ident) pack() int64 {
	return int64(who.user) | int64(who.sess)<<32 | int64(who.step)<<48
}

// route is one endpoint of one workload.
type route struct {
	service int32
	stat    *endpointStat
	work    dist.Sampler // its service time, nil for the workload's
	calls   []CallSpec
	own     bool     // its calls replace the service's
	stages  [][]call // when own: the calls it makes at the service (calls.go)
}

// endpointStat is an endpoint's figures at a service, shared by the
// workloads that declare an endpoint of that name against the service.
type endpointStat struct {
	service    int32
	name       string
	win, total epCounts
}

// epCounts are an endpoint's counts over a window or the run.
type epCounts struct {
	sent, ok, timeouts, rejected, failed int64
	lat                                  *latencies
}

func (e *epCounts) fold(w *epCounts) {
	e.sent += w.sent
	e.ok += w.ok
	e.timeouts += w.timeouts
	e.rejected += w.rejected
	e.failed += w.failed
	e.lat.merge(w.lat)
}

func (e *epCounts) reset() {
	lat := e.lat
	lat.reset()
	*e = epCounts{lat: lat}
}

// sessionKind is a session kind at run time.
type sessionKind struct {
	steps []int32      // route of each step
	think dist.Sampler // nil for none
}

// identity is a workload's users, endpoints and sessions at run time;
// nil for a workload with none of them.
type identity struct {
	base, span uint32     // its users' global ids are base .. base+span-1
	users      *rand.Rand // open loop: user draws, "workload.NAME.users"; nil otherwise ...
	drawn      uint32     // ... among the first drawn ids (UserIDs; a trace's users may span more)
	next       uint32     // closed loop: ids given out so far ...
	free       []uint32   // ... and those of users who left (global + 1)

	routes []int32    // the route of each of its endpoints
	epCDF  []float64  // cumulative endpoint weights
	epPick *rand.Rand // "workload.NAME.endpoints"
	kinds  []sessionKind
	ssCDF  []float64  // cumulative session weights
	ssPick *rand.Rand // "workload.NAME.sessions"

	sess results.SessionCounts // sessions started after warm-up
}

// pickWeighted returns the index whose cumulative weight interval
// [cdf[i-1], cdf[i]) holds u·total.
func pickWeighted(cdf []float64, u float64) int {
	x := u * cdf[len(cdf)-1]
	i := sort.Search(len(cdf), func(i int) bool { return cdf[i] > x })
	return min(i, len(cdf)-1)
}

func cumulative(ws []float64) []float64 {
	out := make([]float64, len(ws))
	sum := 0.0
	for i, w := range ws {
		sum += w
		out[i] = sum
	}
	return out
}

// userSpan returns the user ids a workload owns: its most users for a
// closed loop, UserIDs for an open one.
func userSpan(w WorkloadSpec) int {
	if w.Users > 0 {
		n := w.Users
		for _, st := range w.UserSchedule {
			n = max(n, st.Users)
		}
		return n
	}
	if w.Replay != nil { // a trace's users (replay.go)
		return max(w.UserIDs, w.Replay.Users)
	}
	return w.UserIDs
}

// hasIdentity reports whether a workload's requests carry an identity.
func hasIdentity(w WorkloadSpec) bool {
	return userSpan(w) > 0 || len(w.Endpoints) > 0 || len(w.Sessions) > 0
}

// setupIdentities builds the workloads' identities and endpoint routes;
// it runs before the call graph is built (setupCalls reads the routes).
func (c *Cluster) setupIdentities() error {
	base := uint64(0)
	eps := map[string]*endpointStat{}
	for _, w := range c.workloads {
		spec := w.spec
		if !hasIdentity(spec) {
			continue
		}
		c.pool.ids.on = true
		span := uint64(userSpan(spec))
		if base+span >= 1<<32-1 {
			return fmt.Errorf("models: more than %d user ids", uint32(1<<32-2))
		}
		x := &identity{base: uint32(base), span: uint32(span)}
		base += span
		if spec.Users == 0 && spec.UserIDs > 0 {
			x.users = c.sim.Stream("workload." + spec.Name + ".users")
			x.drawn = uint32(spec.UserIDs)
		}
		if len(spec.Endpoints) > 0 {
			ws := make([]float64, len(spec.Endpoints))
			for i, e := range spec.Endpoints {
				if !(e.Weight > 0) {
					return fmt.Errorf("models: workload %q endpoint %q: weight must be > 0", spec.Name, e.Name)
				}
				ws[i] = e.Weight
				key := fmt.Sprintf("%d/%s", spec.Service, e.Name)
				st := eps[key]
				if st == nil {
					st = &endpointStat{service: int32(spec.Service), name: e.Name,
						win: epCounts{lat: newLatencies()}, total: epCounts{lat: newLatencies()}}
					eps[key] = st
					c.endpoints = append(c.endpoints, st)
				}
				rt := &route{service: int32(spec.Service), stat: st, calls: e.Calls, own: e.OwnCalls}
				if e.ServiceTime.Kind != "" {
					var err error
					if rt.work, err = dist.New(e.ServiceTime, c.sim.Stream("workload."+spec.Name+".endpoint."+e.Name+".service_time")); err != nil {
						return fmt.Errorf("models: workload %q endpoint %q service time: %w", spec.Name, e.Name, err)
					}
				}
				if len(c.routes) >= 1<<16-1 {
					return fmt.Errorf("models: at most %d endpoints in all", 1<<16-1)
				}
				x.routes = append(x.routes, int32(len(c.routes)))
				c.routes = append(c.routes, rt)
			}
			x.epCDF = cumulative(ws)
			x.epPick = c.sim.Stream("workload." + spec.Name + ".endpoints")
		}
		if len(spec.Sessions) > 0 {
			if len(spec.Endpoints) == 0 || len(spec.Sessions) >= 1<<16-1 {
				return fmt.Errorf("models: workload %q: sessions need endpoints", spec.Name)
			}
			ws := make([]float64, len(spec.Sessions))
			for i, ss := range spec.Sessions {
				if !(ss.Weight > 0) || len(ss.Steps) == 0 || len(ss.Steps) > maxSteps {
					return fmt.Errorf("models: workload %q session %q: bad weight or steps", spec.Name, ss.Name)
				}
				ws[i] = ss.Weight
				k := sessionKind{}
				for _, st := range ss.Steps {
					if st < 0 || st >= len(x.routes) {
						return fmt.Errorf("models: workload %q session %q: no endpoint %d", spec.Name, ss.Name, st)
					}
					k.steps = append(k.steps, x.routes[st])
				}
				if ss.Think.Kind != "" {
					var err error
					if k.think, err = dist.New(ss.Think, c.sim.Stream("workload."+spec.Name+".session."+ss.Name+".think")); err != nil {
						return fmt.Errorf("models: workload %q session %q think: %w", spec.Name, ss.Name, err)
					}
				}
				x.kinds = append(x.kinds, k)
			}
			x.ssCDF = cumulative(ws)
			x.ssPick = c.sim.Stream("workload." + spec.Name + ".sessions")
		}
		w.ident = x
	}
	c.userSpace = base
	return nil
}

// newUser gives a closed-loop user joining workload w its id + 1 (0 when
// the workload has none left, which a run never reaches).
func (x *identity) newUser() uint32 {
	if n := len(x.free); n > 0 {
		u := x.free[n-1]
		x.free = x.free[:n-1]
		return u
	}
	if x.next >= x.span {
		return 0
	}
	x.next++
	return x.base + x.next
}

// identify gives a request of w sent now the identity its arrival's
// argument carries (a closed-loop user, a session's next step) or draws
// one: a user, a new session, an endpoint. It counts the request on its
// endpoint.
func (c *Cluster) identify(w *workload, arg int64, now engine.Time) ident {
	x := w.ident
	who := ident{user: uint32(arg)}
	ep := int32(-1)
	if arg == 0 && w.replay != nil { // a trace record's user and endpoint (replay.go)
		rec := &w.replay.cur
		if rec.User >= 0 {
			who.user = x.base + uint32(rec.User) + 1
		}
		ep = rec.Endpoint
	}
	if who.user == 0 && x.users != nil {
		who.user = x.base + uint32(x.users.Uint64N(uint64(x.drawn))) + 1
	}
	switch {
	case x.kinds != nil:
		who.sess, who.step = uint16(arg>>32), uint16(arg>>48)
		if who.sess == 0 { // a new session
			who.sess = uint16(pickWeighted(x.ssCDF, x.ssPick.Float64())) + 1
			if now >= c.warmup {
				who.step = countedStep
				x.sess.Started++
				x.sess.InProgress++
			}
		}
		who.ep = uint16(x.kinds[who.sess-1].steps[who.step&^countedStep]) + 1
	case x.routes != nil && ep >= 0:
		who.ep = uint16(x.routes[ep]) + 1
	case x.routes != nil:
		who.ep = uint16(x.routes[pickWeighted(x.epCDF, x.epPick.Float64())]) + 1
	}
	if who.ep != 0 {
		c.routes[who.ep-1].stat.win.sent++
	}
	return who
}

// workFor returns the service-time sampler of a request of w with
// identity who.
func (c *Cluster) workFor(w *workload, who ident) dist.Sampler {
	if who.ep != 0 {
		if s := c.routes[who.ep-1].work; s != nil {
			return s
		}
	}
	return w.work
}

// identEnded ends a client request of w with identity who, answered
// (ok, after ms milliseconds) or failed with outcome o: its endpoint
// counts it; a session sends its next step after a think time, or ends;
// a closed-loop user whose session (or request) ended thinks. lag is the
// round trip before the next request arrives (see ended).
func (c *Cluster) identEnded(w *workload, who ident, ok bool, o outcome, ms float64, lag engine.Duration) {
	if who.ep != 0 {
		e := &c.routes[who.ep-1].stat.win
		switch {
		case ok:
			e.ok++
			e.lat.add(ms)
		case o == outTimeout:
			e.timeouts++
		case o == outRejected:
			e.rejected++
		default:
			e.failed++
		}
	}
	if who.sess != 0 {
		x := w.ident
		k := &x.kinds[who.sess-1]
		if step := who.step &^ countedStep; ok && int(step)+1 < len(k.steps) {
			at := c.sim.Now().Add(lag)
			if k.think != nil {
				at = at.Add(engine.FromSeconds(k.think.Sample()))
			}
			if at <= c.horizon {
				who.step++
				c.sim.Schedule(at, c.kArrival, w.id, who.pack())
			}
			return
		}
		if who.step&countedStep != 0 {
			x.sess.InProgress--
			if ok {
				x.sess.Completed++
			} else {
				x.sess.Abandoned++
			}
		}
		c.sessionOver(who.user)
	}
	if w.closed {
		c.think(w, who.user, lag)
	}
}

// userOf returns request id's user + 1, 0 for none.
func (c *Cluster) userOf(id RequestID) uint32 {
	if !c.pool.ids.on {
		return 0
	}
	return c.pool.ids.v[id].user
}

// stagesOf returns the call stages request id makes at service s: its
// endpoint's when the endpoint has its own calls, else the service's.
func (c *Cluster) stagesOf(s *Service, id RequestID) [][]call {
	if c.pool.ids.on {
		if e := c.pool.ids.v[id].ep; e != 0 {
			if rt := c.routes[e-1]; rt.own && rt.service == s.id {
				return rt.stages
			}
		}
	}
	return s.stages
}

// setupRouteCalls builds the endpoints' own call stages, and prepends an
// external session store's call to the stages of the services that use
// one (sessionstore.go).
func (c *Cluster) setupRouteCalls(edges map[[2]int32]int32) error {
	for _, rt := range c.routes {
		if !rt.own {
			continue
		}
		s := c.services[rt.service]
		st, err := c.stagesFor(s, rt.calls, edges)
		if err != nil {
			return err
		}
		rt.stages = st
		if s.stages == nil {
			s.stages = [][]call{} // non-nil: completions look for calls
		}
	}
	for _, s := range c.services {
		ss := s.spec.Sessions
		if ss == nil || !ss.External {
			continue
		}
		st, err := c.stagesFor(s, []CallSpec{{Service: ss.Service, Count: 1}}, edges)
		if err != nil {
			return err
		}
		s.stages = append(st, s.stages...)
		for _, rt := range c.routes {
			if rt.own && rt.service == s.id {
				rt.stages = append(st[:1:1], rt.stages...)
			}
		}
	}
	return nil
}

// EndpointColumns lists the time-series columns each endpoint of a
// service contributes, named SERVICE/ENDPOINT.METRIC.
var EndpointColumns = []string{
	"rps",         // requests of the endpoint sent per second (first attempts)
	"ok",          // answered successfully per second
	"errors",      // failed per second (timeouts + rejected + failed)
	"error_ratio", // errors / (ok + errors) of its requests ending in the window; empty when none ended
	"p50_ms",      // median client-observed latency of its successful requests; empty when none
	"p99_ms",      // 99th percentile; empty when none
}

// identityColumns returns service s's endpoint and session-store columns.
func (c *Cluster) identityColumns(s *Service) []string {
	var cols []string
	for _, e := range c.endpoints {
		if e.service == s.id {
			for _, m := range EndpointColumns {
				cols = append(cols, s.spec.Name+"/"+e.name+"."+m)
			}
		}
	}
	if s.store != nil && s.store.memory {
		for _, m := range SessionColumns {
			cols = append(cols, s.spec.Name+"."+m)
		}
	}
	return cols
}

// identityRow appends service s's endpoint and session-store figures for
// the window closing now, folding them into the run when counted.
func (c *Cluster) identityRow(row []float64, s *Service, span float64, counted bool) []float64 {
	for _, e := range c.endpoints {
		if e.service != s.id {
			continue
		}
		w := &e.win
		errs := w.timeouts + w.rejected + w.failed
		row = append(row, float64(w.sent)/span, float64(w.ok)/span, float64(errs)/span,
			results.Ratio(errs, w.ok+errs), w.lat.quantile(0.5), w.lat.quantile(0.99))
		if counted {
			e.total.fold(w)
		}
		w.reset()
	}
	if s.store != nil && s.store.memory {
		row = s.store.row(row, counted)
	}
	return row
}

// endpointSummaries returns service s's per-endpoint figures, nil when
// it has no endpoints.
func (c *Cluster) endpointSummaries(s *Service, secs float64) map[string]results.EndpointSummary {
	var all int64
	for _, e := range c.endpoints {
		if e.service == s.id {
			all += e.total.sent
		}
	}
	var out map[string]results.EndpointSummary
	for _, e := range c.endpoints {
		if e.service != s.id {
			continue
		}
		if out == nil {
			out = map[string]results.EndpointSummary{}
		}
		t := &e.total
		req := results.Requests{OK: t.ok, Timeouts: t.timeouts, Rejected: t.rejected, Failed: t.failed}
		req.Errors = req.Timeouts + req.Rejected + req.Failed
		req.Total = req.OK + req.Errors
		req.SetErrorRatio()
		out[e.name] = results.EndpointSummary{Requests: req, RPS: float64(t.sent) / secs,
			Share: results.Ratio(t.sent, all), LatencyMs: t.lat.summary()}
	}
	return out
}

// sessionSummary returns w's session counts, nil without sessions.
func (w *workload) sessionSummary() *results.SessionCounts {
	if w.ident == nil || w.ident.kinds == nil {
		return nil
	}
	s := w.ident.sess
	return &s
}

// userSet is a set of user ids, a bitset over the cluster's user space.
type userSet struct {
	bits     []uint64
	distinct int64
	anon     bool // some member had no user id: the count is incomplete
}

// add puts user (id + 1; 0 for none) in the set.
func (u *userSet) add(user uint32, space uint64) {
	if user == 0 {
		u.anon = true
		return
	}
	if u.bits == nil {
		u.bits = make([]uint64, (space+63)/64)
	}
	i, b := (user-1)/64, uint64(1)<<((user-1)%64)
	if u.bits[i]&b == 0 {
		u.bits[i] |= b
		u.distinct++
	}
}

// count returns the distinct users, Missing when some member had none or
// the cluster has no user ids.
func (u *userSet) count(space uint64) float64 {
	if space == 0 || u.anon {
		return results.Missing()
	}
	return float64(u.distinct)
}
