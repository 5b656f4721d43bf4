package models

import (
	"fmt"
	"math/rand/v2"

	"github.com/clustersim/clustersim/sim/dist"
	"github.com/clustersim/clustersim/sim/engine"
	"github.com/clustersim/clustersim/sim/policies/network"
)

// NetworkSpec is a workload's network path: the round trip between its
// clients and what they connect to (the service's balancer), the protocol
// whose handshake a new connection pays, and the clients' keep-alive
// pools.
type NetworkSpec struct {
	RTT         engine.Duration  // round trip between a client and the balancer
	Protocol    network.Protocol // handshake of a new connection
	Resumption  bool             // after its first connection a client resumes its session (TLS 1.2 abbreviated, TLS 1.3 / QUIC 0-RTT)
	KeepAlive   bool             // connections are reused; false: one request per connection
	Pool        int              // connections one client may hold open, 0 for no limit
	IdleTimeout engine.Duration  // an idle pooled connection is closed after this long, 0 never
	Clients     int              // clients the workload's arrivals are spread over, round robin; >= 1
	Streams     int              // requests one connection carries at once: 1 for HTTP/1.1, more for HTTP/2
	// EdgeRTT, when > 0, is the round trip between a client and a point
	// of presence on its path that terminates TCP and TLS (edge.go): the
	// handshakes pay EdgeRTT per round trip, and a request still travels
	// the whole RTT, the edge relaying it to the origin on a warm
	// connection. 0: no edge. At most RTT.
	EdgeRTT engine.Duration
}

// DefaultNetwork returns a network table's defaults: no delay, TCP, keep-
// alive with Go's http.Transport idle timeout (90 s) and no pool limit
// (MaxConnsPerHost 0), one client.
func DefaultNetwork() NetworkSpec {
	return NetworkSpec{Protocol: network.TCP, KeepAlive: true, IdleTimeout: 90 * engine.Second, Clients: 1, Streams: 1}
}

// netClient is one client's keep-alive pool. Requests that find every
// allowed connection busy wait in its FIFO, linked through request.next.
type netClient struct {
	idleHead, idleTail int32 // idle connections, most recently used at the head
	open               int32 // connections open (idle, busy, connecting)
	waitHead, waitTail RequestID
	waiting            int32
	resumed            bool // holds a session to resume
}

// workloadNet is a workload's network state.
type workloadNet struct {
	spec            NetworkSpec
	clients         []netClient
	next            int
	fresh, resumed  *engine.DelayQueue // a new connection's first request: setup round trips; nil when 0
	again           *engine.DelayQueue // a waiting request sent on a freed connection: one round trip
	idleTimeout     engine.Duration    // 0: idle connections stay open
	freshD, resumeD engine.Duration
	leg             engine.Duration // round trip of the client's own connection: RTT, or EdgeRTT behind an edge
}

// longLived is a workload of long-lived connections.
type longLived struct {
	life dist.Sampler // stream "workload.NAME.lifetime"
	msgs *rand.Rand   // stream "workload.NAME.messages"
	rate float64      // messages per second per connection
}

// newWorkloadConns sets up a workload's network and long-lived state.
func (c *Cluster) newWorkloadConns(w *workload) error {
	spec := w.spec
	s := c.services[spec.Service]
	if spec.MessageRate > 0 || spec.Lifetime.Kind != "" {
		if spec.MessageRate <= 0 || spec.Lifetime.Kind == "" {
			return fmt.Errorf("models: workload %q: lifetime and message_rate go together", spec.Name)
		}
		life, err := dist.New(spec.Lifetime, c.sim.Stream("workload."+spec.Name+".lifetime"))
		if err != nil {
			return fmt.Errorf("models: workload %q lifetime: %w", spec.Name, err)
		}
		w.long = &longLived{life: life, msgs: c.sim.Stream("workload." + spec.Name + ".messages"), rate: spec.MessageRate}
	}
	net := spec.Network
	if net == nil && w.long == nil && s.spec.L4 {
		d := DefaultNetwork()
		d.KeepAlive = false // no network table: one connection per request
		net = &d
	}
	if net != nil {
		if net.Clients < 1 || net.Streams < 1 || net.Pool < 0 || net.RTT < 0 || net.IdleTimeout < 0 || net.EdgeRTT < 0 || net.EdgeRTT > net.RTT {
			return fmt.Errorf("models: workload %q: bad network table", spec.Name)
		}
		w.rtt = net.RTT
		if w.long == nil {
			n := &workloadNet{spec: *net, clients: make([]netClient, net.Clients)}
			for i := range n.clients {
				n.clients[i].idleHead, n.clients[i].idleTail = -1, -1
			}
			n.leg = clientLeg(net)
			n.freshD = network.Page(network.SetupRoundTrips(net.Protocol, false), n.leg)
			n.resumeD = network.Page(network.SetupRoundTrips(net.Protocol, true), n.leg)
			if n.freshD > 0 {
				n.fresh = c.sim.NewDelayQueue("connect."+spec.Name, n.freshD, c.kConn.deliver)
			}
			if n.resumeD > 0 && net.Resumption {
				n.resumed = c.sim.NewDelayQueue("reconnect."+spec.Name, n.resumeD, c.kConn.deliver)
			}
			if n.leg > 0 {
				n.again = c.sim.NewDelayQueue("resend."+spec.Name, n.leg, c.kConn.deliver)
			}
			if net.KeepAlive {
				n.idleTimeout = net.IdleTimeout
			}
			w.net = n
		}
	}
	if w.net == nil && w.long == nil {
		return nil
	}
	if s.conn == nil {
		sc, err := c.newServiceConns(s)
		if err != nil {
			return err
		}
		s.conn = sc
	}
	if s.spec.L4 || w.long != nil {
		s.conn.pinned = true
	}
	c.pool.conn.on, c.pool.conn.blank = true, -1
	return nil
}

// newRequest allocates a request of workload w arriving at its service
// now, its work drawn from work.
func (c *Cluster) newRequest(w *workload, now engine.Time, work dist.Sampler) RequestID {
	id := c.pool.alloc()
	r := &c.pool.reqs[id]
	r.sent = now
	r.workload = uint16(w.id)
	r.service = uint16(w.spec.Service)
	r.work = engine.FromSeconds(work.Sample())
	r.counted = now >= c.warmup
	if r.counted {
		w.sent++
	}
	if w.replay != nil {
		c.replayRequest(w, id)
	}
	return id
}

// startTimeout starts a request's client timeout, if its workload has one.
func (c *Cluster) startTimeout(w *workload, id RequestID) {
	if w.timer != nil {
		c.pool.timeouts.v[id] = w.timer.Start(int32(id), 0)
	}
}

// connArrival handles an arrival of a workload that uses connections. The
// arrival's time is when the request (or a long-lived connection's first
// packet) reaches the balancer: the client sent it half a round trip
// earlier, so a request on a reused connection needs no event of its own.
func (c *Cluster) connArrival(w *workload, now engine.Time) {
	if w.long != nil {
		c.openSession(w, now)
		return
	}
	n := w.net
	k := int32(n.next)
	if n.next++; n.next == len(n.clients) {
		n.next = 0
	}
	cl := &n.clients[k]
	id := c.newRequest(w, now, w.work)
	c.startTimeout(w, id)
	if cn := c.takeIdle(n, cl, now); cn >= 0 {
		c.pool.conn.v[id] = cn
		c.arrive(id)
		return
	}
	if n.spec.Pool == 0 || int(cl.open) < n.spec.Pool {
		c.connect(w, k, id)
		return
	}
	// Every connection the pool allows is busy: wait for one.
	c.pool.reqs[id].next = -1
	if cl.waiting == 0 {
		cl.waitHead = id
	} else {
		c.pool.reqs[cl.waitTail].next = id
	}
	cl.waitTail = id
	cl.waiting++
}

// takeIdle takes a stream on client cl's most recently used connection
// with one free, or returns -1. An idle connection is taken only once the
// client knows it is free: its last response has had half a round trip
// back, and the request half a round trip out.
func (c *Cluster) takeIdle(n *workloadNet, cl *netClient, now engine.Time) int32 {
	for cn := cl.idleHead; cn >= 0; cn = c.conns.conns[cn].next {
		k := &c.conns.conns[cn]
		if k.active == 0 && k.freeAt.Add(n.leg) > now {
			continue
		}
		k.active++
		if int(k.active) >= n.spec.Streams {
			c.unlinkIdle(cl, cn)
			k.state = connBusy
		}
		return cn
	}
	return -1
}

func (c *Cluster) unlinkIdle(cl *netClient, cn int32) {
	k := &c.conns.conns[cn]
	if k.prev >= 0 {
		c.conns.conns[k.prev].next = k.next
	} else {
		cl.idleHead = k.next
	}
	if k.next >= 0 {
		c.conns.conns[k.next].prev = k.prev
	} else {
		cl.idleTail = k.prev
	}
	k.prev, k.next = -1, -1
}

// linkIdle puts a connection at the head of its client's available list.
func (c *Cluster) linkIdle(cl *netClient, cn int32) {
	k := &c.conns.conns[cn]
	k.state = connIdle
	k.prev, k.next = -1, cl.idleHead
	if cl.idleHead >= 0 {
		c.conns.conns[cl.idleHead].prev = cn
	} else {
		cl.idleTail = cn
	}
	cl.idleHead = cn
}

// connect opens a connection for request id of client k; the request
// reaches the server after the handshake.
func (c *Cluster) connect(w *workload, k int32, id RequestID) {
	n := w.net
	s := c.services[w.spec.Service]
	cl := &n.clients[k]
	cn := c.conns.alloc()
	kc := &c.conns.conns[cn]
	*kc = conn{seq: kc.seq, instance: -1, prev: -1, next: -1, client: k, workload: uint16(w.id), state: connBusy, active: 1}
	if s.spec.L4 && !c.pin(s, cn) {
		c.conns.release(cn)
		s.integrate(c.sim.Now())
		s.win.arrivals++
		c.reject(s, id) // no backend: the connection is refused
		return
	}
	cl.open++
	s.conn.open++
	if n.spec.Streams > 1 {
		c.linkIdle(cl, cn) // further requests may share it
	}
	c.pool.conn.v[id] = cn
	q := n.fresh
	if cl.resumed && n.spec.Resumption {
		q = n.resumed
	}
	cl.resumed = true
	if q == nil {
		c.arrive(id) // QUIC 0-RTT, or no round trip
		return
	}
	c.conns.conns[cn].transit++
	q.Start(int32(id), 0)
}

// onDeliver lands a request that was on the wire.
func (c *Cluster) onDeliver(ev engine.Event) {
	id := RequestID(ev.Target)
	cn := c.pool.conn.v[id]
	k := &c.conns.conns[cn]
	k.transit--
	if k.state == connDefunct { // its backend died while the request was on the wire
		s := c.services[c.pool.reqs[id].service]
		s.integrate(c.sim.Now())
		s.win.arrivals++
		c.fail(s, id)
		c.pool.release(id)
		if k.transit == 0 {
			c.conns.release(cn)
		}
		return
	}
	c.arrive(id)
}

// arrive hands a request on a keep-alive connection to its service: to
// the connection's backend at L4, to the balancer's pick at L7.
func (c *Cluster) arrive(id RequestID) {
	cn := c.pool.conn.v[id]
	if c.conns.conns[cn].instance >= 0 {
		if !c.dispatchPinned(id, c.conns.conns[cn].instance) {
			c.connDone(cn, false)
		}
		return
	}
	if !c.dispatch(id) {
		c.connDone(cn, false)
	}
}

// dispatchPinned hands a request to a given instance of its service, as
// dispatch does after the balancer's pick. It reports false if the
// request was rejected (and released).
func (c *Cluster) dispatchPinned(id RequestID, idx int32) bool {
	now := c.sim.Now()
	r := &c.pool.reqs[id]
	s := c.services[r.service]
	s.integrate(now)
	s.win.arrivals++
	if s.lb != nil && !c.lbAdmit(s, id) {
		return false // lost or refused by the service's balancer (lb.go)
	}
	in := s.instances[idx]
	if s.faulty && c.intercept(s, in, idx, id) {
		return false
	}
	if in.state != Ready && in.state != Unready && in.state != Draining {
		c.reject(s, id)
		return false
	}
	in.arrivals++
	r.instance = idx
	if !c.admit(s, in, id, in.busy+in.qlen) {
		return false
	}
	s.loadChanged(in, 1)
	return true
}

// requestDone frees the connection a finished request used.
func (c *Cluster) requestDone(id RequestID, timedOut bool) {
	if cn := c.pool.conn.v[id]; cn >= 0 {
		c.connDone(cn, timedOut)
	}
}

// connDone returns a keep-alive connection's stream whose response has
// left the server: a waiting request takes it, or it goes back to its
// client's available list. An HTTP/1.1 client (one stream) that gave up
// on its request closes the connection, as Go's http.Client does on a
// cancelled request (HTTP/2 resets only the stream); a connection
// without keep-alive, or past max_connection_age, closes once empty.
func (c *Cluster) connDone(cn int32, timedOut bool) {
	k := &c.conns.conns[cn]
	if k.state != connBusy && k.state != connIdle {
		return
	}
	w := c.workloads[k.workload]
	n := w.net
	k.active--
	if (timedOut && n.spec.Streams == 1) || ((k.closing || !n.spec.KeepAlive) && k.active == 0) {
		c.closeConn(cn)
		return
	}
	cl := &n.clients[k.client]
	if !k.closing && n.spec.KeepAlive {
		if id := c.nextWaiting(cl); id >= 0 {
			k.active++
			c.pool.conn.v[id] = cn
			if n.again == nil {
				c.arrive(id)
				return
			}
			k.transit++
			n.again.Start(int32(id), 0)
			return
		}
	}
	if k.closing || !n.spec.KeepAlive {
		return // closes when its last request is done
	}
	if k.state == connBusy {
		c.linkIdle(cl, cn)
	}
	if k.active == 0 {
		k.freeAt = c.sim.Now()
		if n.idleTimeout > 0 && !k.idleArmed {
			k.idleArmed = true
			c.sim.Schedule(k.freeAt.Add(n.idleTimeout), c.kConn.idle, cn, int64(k.seq))
		}
	}
}

// nextWaiting pops the first waiting request of a client whose user has
// not given up, releasing those who have; -1 when none waits.
func (c *Cluster) nextWaiting(cl *netClient) RequestID {
	for cl.waiting > 0 {
		id := cl.waitHead
		cl.waitHead = c.pool.reqs[id].next
		cl.waiting--
		if !c.pool.reqs[id].timedOut {
			return id
		}
		c.pool.release(id)
	}
	return -1
}

// onIdleTimeout checks a connection's idle timeout. The check is lazy: a
// connection reused since it was armed is not disarmed (that would cost a
// cancellation per request); the check finds it busy, or idle since more
// recently, and re-arms for the new deadline. One event per connection
// per idle timeout at most, whatever the request rate.
func (c *Cluster) onIdleTimeout(ev engine.Event) {
	cn := ev.Target
	k := &c.conns.conns[cn]
	if k.seq != uint32(ev.Arg) || (k.state != connIdle && k.state != connBusy) {
		return
	}
	k.idleArmed = false
	now := c.sim.Now()
	if k.active > 0 {
		return // armed again when it next goes idle
	}
	timeout := c.workloads[k.workload].net.idleTimeout
	if deadline := k.freeAt.Add(timeout); deadline > now {
		k.idleArmed = true
		c.sim.Schedule(deadline, c.kConn.idle, cn, int64(k.seq))
		return
	}
	c.closeConn(cn)
}

// closeConn closes a keep-alive connection; requests still on the wire
// on it fail when they land. A request waiting for a connection of its
// client may then open one.
func (c *Cluster) closeConn(cn int32) {
	k := &c.conns.conns[cn]
	if k.state == connFree || k.state == connDefunct {
		return
	}
	w := c.workloads[k.workload]
	s := c.services[w.spec.Service]
	n := w.net
	ki := k.client
	cl := &n.clients[ki]
	if k.state == connIdle {
		c.unlinkIdle(cl, cn)
	}
	c.unpin(s, cn)
	cl.open--
	s.conn.open--
	if k.transit > 0 {
		k.state = connDefunct
	} else {
		c.conns.release(cn)
	}
	if n.spec.Pool == 0 || int(cl.open) < n.spec.Pool {
		if id := c.nextWaiting(cl); id >= 0 {
			c.connect(w, ki, id)
		}
	}
}

// openSession opens a long-lived connection: pinned to a backend, living
// a drawn lifetime, sending messages as a Poisson stream.
func (c *Cluster) openSession(w *workload, now engine.Time) {
	s := c.services[w.spec.Service]
	cn := c.conns.alloc()
	k := &c.conns.conns[cn]
	*k = conn{seq: k.seq, instance: -1, prev: -1, next: -1, workload: uint16(w.id), state: connLong}
	if !c.pin(s, cn) {
		c.conns.release(cn)
		s.integrate(now)
		s.win.arrivals++
		s.win.rejected++
		if now >= c.warmup {
			w.sent++
			w.rejected++
		}
		return
	}
	s.conn.open++
	k = &c.conns.conns[cn]
	k.end = now.Add(engine.FromSeconds(w.long.life.Sample()))
	if k.end <= c.horizon {
		c.sim.Schedule(k.end, c.kConn.end, cn, int64(k.seq))
	}
	c.scheduleMessage(w, cn, now)
}

func (c *Cluster) scheduleMessage(w *workload, cn int32, now engine.Time) {
	k := &c.conns.conns[cn]
	at := now.Add(engine.FromSeconds(w.long.msgs.ExpFloat64() / w.long.rate))
	if at < k.end && at <= c.horizon {
		c.sim.Schedule(at, c.kConn.message, cn, int64(k.seq))
	}
}

// onMessage sends one message of a long-lived connection to its backend.
func (c *Cluster) onMessage(ev engine.Event) {
	cn := ev.Target
	k := &c.conns.conns[cn]
	if k.seq != uint32(ev.Arg) || k.state != connLong {
		return
	}
	now := c.sim.Now()
	w := c.workloads[k.workload]
	c.scheduleMessage(w, cn, now)
	id := c.newRequest(w, now, w.work)
	if c.dispatchPinned(id, k.instance) {
		c.startTimeout(w, id)
	}
}

// onConnEnd closes a long-lived connection whose lifetime is over.
func (c *Cluster) onConnEnd(ev engine.Event) {
	cn := ev.Target
	k := &c.conns.conns[cn]
	if k.seq != uint32(ev.Arg) || k.state != connLong {
		return
	}
	c.endSession(c.services[c.workloads[k.workload].spec.Service], cn)
}

func (c *Cluster) endSession(s *Service, cn int32) {
	c.unpin(s, cn)
	s.conn.open--
	c.conns.release(cn)
}

// onConnAge handles a connection reaching the service's
// max_connection_age: the server sends GOAWAY and the client reconnects at
// once through the balancer, which may pick another backend. Requests in
// flight finish where they are (they are bound to their instance, not to
// the connection). A keep-alive connection that is idle closes; a busy one
// closes when its response is sent, or at max_connection_age_grace after
// the GOAWAY, failing what is still in flight on it (grace.go).
func (c *Cluster) onConnAge(ev engine.Event) {
	cn := ev.Target
	k := &c.conns.conns[cn]
	if k.seq != uint32(ev.Arg>>32) || k.bind != uint32(ev.Arg) {
		return
	}
	c.goAway(c.services[c.workloads[k.workload].spec.Service], cn)
}

// goAway tells connection cn to go away, at max_connection_age or when
// rebalancing (rebalance.go): a long-lived session reconnects through the
// balancer at once; a keep-alive connection closes now if idle, else when
// its last response is sent or its grace runs out.
func (c *Cluster) goAway(s *Service, cn int32) {
	k := &c.conns.conns[cn]
	switch k.state {
	case connLong:
		c.unpin(s, cn)
		if !c.pin(s, cn) {
			c.endSession(s, cn)
		}
	case connIdle, connBusy:
		if k.active == 0 {
			c.closeConn(cn)
			return
		}
		k.closing = true // closed by connDone when its last response is sent
		if k.state == connIdle {
			c.unlinkIdle(&c.workloads[k.workload].net.clients[k.client], cn)
			k.state = connBusy // no new request takes it
		}
		c.startGrace(s, cn) // or at GOAWAY + grace, whichever comes first (grace.go)
	}
}
