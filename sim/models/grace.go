package models

import "github.com/clustersim/clustersim/sim/engine"

// max_connection_age_grace: gRPC's MaxConnectionAgeGrace, "an additive
// period after MaxConnectionAge after which the connection will be
// forcibly closed". A keep-alive connection that reaches its age while
// busy gets GOAWAY and closes when its last response is sent (connDone);
// with a grace, the server closes it at GOAWAY + grace if requests are
// still in flight on it, and those fail: the ones in service or queued at
// the instance (the instance, not told, finishes their work), and the
// ones still on the wire (they land on a closed connection, onDeliver).
// Long-lived sessions reconnect at GOAWAY at once and their messages are
// not bound to the connection, so the grace does not apply to them.

// startGrace schedules the forced close of keep-alive connection cn,
// which just got GOAWAY while busy, when its service has a grace.
func (c *Cluster) startGrace(s *Service, cn int32) {
	g := s.conn.maxAgeGrace
	if g <= 0 {
		return
	}
	k := &c.conns.conns[cn]
	if at := c.sim.Now().Add(g); at <= c.horizon {
		c.sim.Schedule(at, c.kConn.grace, cn, int64(k.seq)<<32|int64(k.bind))
	}
}

// onConnGrace closes a connection whose grace after GOAWAY ran out with
// requests still in flight on it, failing them.
func (c *Cluster) onConnGrace(ev engine.Event) {
	cn := ev.Target
	k := &c.conns.conns[cn]
	if k.seq != uint32(ev.Arg>>32) || k.bind != uint32(ev.Arg) || k.state != connBusy || !k.closing {
		return // closed already: every response was sent in time
	}
	s := c.services[c.workloads[k.workload].spec.Service]
	cut := func(id RequestID) {
		if c.pool.conn.v[id] != cn {
			return
		}
		c.pool.conn.v[id] = -1 // detached: its completion does not touch the closed connection
		k.active--
		if r := &c.pool.reqs[id]; !r.timedOut {
			c.fail(s, id)
			r.timedOut = true // the client has its answer: the reset
		}
	}
	for _, in := range s.instances {
		for id, n := in.qhead, int32(0); n < in.qlen; id, n = c.pool.reqs[id].next, n+1 {
			cut(id)
		}
	}
	for id := range c.pool.reqs {
		if c.pool.reqs[id].serving {
			cut(RequestID(id))
		}
	}
	c.closeConn(cn) // requests on the wire fail when they land
}
