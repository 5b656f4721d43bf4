package models

import "github.com/clustersim/clustersim/sim/results"

// Session stores: where a service keeps its users' sessions.
//
//   - memory: each instance keeps the sessions of the users it served, and
//     the balancer is sticky by user (policies.Sticky, the cookie of an
//     ALB's or nginx's sticky sessions) so that a user's requests find
//     their session. An instance that goes away — crashed, killed, scaled
//     in, drained — loses the sessions it holds; each is counted.
//   - external: sessions live in a session-store service (Redis,
//     Memcached, DynamoDB); every request makes one extra call to it,
//     before its other calls, and nothing is lost with an instance.
//
// A session is held from a user's first request to the service until the
// user's session ends (a workload's session kind completes or is
// abandoned); users of workloads without session kinds keep theirs for
// the run. A user sent elsewhere (its instance left the balancer) moves
// its session: the old instance no longer holds it.

// SessionStoreSpec is a service's session store.
type SessionStoreSpec struct {
	External bool // false: in the instances' memory, sticky by user
	Service  int  // external: index of the session-store service called per request
}

// SessionColumns lists the time-series columns of a service keeping
// sessions in memory, named SERVICE.METRIC.
var SessionColumns = []string{
	"sessions_held", // sessions held in its instances' memory at the window's end
	"sessions_lost", // sessions lost with instances that went away, in the window (a count)
}

// sessionStore is a service's in-memory sessions at run time (external
// stores need none: they are calls).
type sessionStore struct {
	memory  bool
	holder  []uint32 // by global user id: the instance index + 1 holding its session, 0 for none
	held    []int32  // by instance index: sessions it holds
	heldNow int64
	winLost int64 // lost in the window
	lost    int64 // lost in windows after warm-up
	heldMax int64 // most held at a window's end after warm-up
	seen    bool  // a window after warm-up closed
}

// setupSessionStores builds the services' in-memory session stores.
func (c *Cluster) setupSessionStores() {
	for _, s := range c.services {
		if ss := s.spec.Sessions; ss != nil {
			s.store = &sessionStore{memory: !ss.External}
			if s.store.memory {
				s.store.holder = make([]uint32, c.userSpace)
				c.stores = append(c.stores, s)
			}
		}
	}
}

// hold records that user (id + 1) was sent to instance idx of s, whose
// memory now holds its session. A crashed instance still in the
// balancer holds nothing: the request fails there.
func (c *Cluster) hold(s *Service, user uint32, idx int32) {
	st := s.store
	if s.instances[idx].state == Dead {
		return
	}
	u := user - 1
	old := st.holder[u]
	if old == uint32(idx)+1 {
		return
	}
	if old != 0 {
		st.held[old-1]--
	} else {
		st.heldNow++
	}
	for int(idx) >= len(st.held) {
		st.held = append(st.held, 0)
	}
	st.held[idx]++
	st.holder[u] = uint32(idx) + 1
}

// sessionOver releases user's (id + 1) session from every in-memory
// store: the user's session ended.
func (c *Cluster) sessionOver(user uint32) {
	if user == 0 {
		return
	}
	for _, s := range c.stores {
		st := s.store
		if old := st.holder[user-1]; old != 0 {
			st.held[old-1]--
			st.heldNow--
			st.holder[user-1] = 0
		}
	}
}

// dropSessions loses the sessions instance idx of s holds: it went away.
func (c *Cluster) dropSessions(s *Service, idx int32) {
	st := s.store
	if int(idx) >= len(st.held) || st.held[idx] == 0 {
		return
	}
	n := st.held[idx]
	mark := uint32(idx) + 1
	for u, h := range st.holder {
		if h == mark {
			st.holder[u] = 0
		}
	}
	st.held[idx] = 0
	st.heldNow -= int64(n)
	st.winLost += int64(n)
}

// row appends the window's session columns and folds them when counted.
func (st *sessionStore) row(row []float64, counted bool) []float64 {
	row = append(row, float64(st.heldNow), float64(st.winLost))
	if counted {
		st.lost += st.winLost
		st.heldMax = max(st.heldMax, st.heldNow)
		st.seen = true
	}
	st.winLost = 0
	return row
}

// storeSummary returns the service's session-store figures, nil without
// a store.
func (s *Service) storeSummary() *results.SessionStore {
	st := s.store
	if st == nil {
		return nil
	}
	if !st.memory {
		return &results.SessionStore{Store: "external", HeldMax: results.Missing()}
	}
	out := &results.SessionStore{Store: "memory", Lost: st.lost, HeldMax: results.Missing()}
	if st.seen {
		out.HeldMax = float64(st.heldMax)
	}
	return out
}
