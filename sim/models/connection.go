package models

import (
	"math"

	"github.com/clustersim/clustersim/sim/engine"
	"github.com/clustersim/clustersim/sim/policies"
	"github.com/clustersim/clustersim/sim/results"
)

// Connections. A workload with a network table or long-lived connections
// reaches its service over connections, which the models track one record
// each, recycled through a free list so that 100,000 open connections cost
// a few megabytes and none is allocated per request or message.
//
// Binding: an L4 service's balancer picks a backend once per connection
// and every request on it goes there; an L7 service's connections end at
// its balancer, which picks a backend per request. A long-lived connection
// (a websocket, a gRPC stream) is pinned to one backend at either layer:
// an L7 proxy forwards an upgraded connection or a stream as one unit.
// Connection picks use a second balancer of the service's algorithm that
// sees open connections per backend (so least_outstanding balances
// connections there), on stream "service.NAME.connections".

// connState is where a connection is in its life.
type connState uint8

const (
	connFree    connState = iota // in the free list
	connIdle                     // keep-alive, open, with a free stream: in its client's available list
	connBusy                     // keep-alive, every stream carrying a request
	connLong                     // long-lived: carries its session's messages
	connDefunct                  // reset while its request was on the wire; freed when the request lands
)

// conn is one client connection.
type conn struct {
	end       engine.Time // long-lived: when the session ends
	freeAt    engine.Time // keep-alive: when its last response left the server
	instance  int32       // backend it is bound to, -1 when it ends at an L7 balancer
	gen       uint32      // the backend's generation when bound
	prev      int32       // client's idle list, -1 at the ends
	next      int32
	client    int32  // keep-alive: the client holding it
	seq       uint32 // bumped when the record is freed, to ignore stale events
	bind      uint32 // bumped at each (re)bind, to ignore stale age events
	workload  uint16
	state     connState
	active    int32 // keep-alive: requests on it (at most the workload's streams)
	transit   int32 // keep-alive: of which on the wire, not yet at the server
	closing   bool  // close when its response is sent (max_connection_age reached while busy)
	idleArmed bool  // keep-alive: an idle-timeout check is pending
}

// connPool recycles connection records.
type connPool struct {
	conns []conn
	free  []int32
}

func (p *connPool) alloc() int32 {
	if n := len(p.free); n > 0 {
		cn := p.free[n-1]
		p.free = p.free[:n-1]
		return cn
	}
	p.conns = append(p.conns, conn{})
	return int32(len(p.conns) - 1)
}

func (p *connPool) release(cn int32) {
	seq := p.conns[cn].seq + 1
	p.conns[cn] = conn{seq: seq, instance: -1, prev: -1, next: -1}
	p.free = append(p.free, cn)
}

// serviceConns is a service's connection state; nil when no connection
// reaches it.
type serviceConns struct {
	bal    policies.Balancer // picks a backend for a new pinned connection
	notify policies.Notifier
	load   []int32 // open pinned connections of rotation[i]
	per    []int32 // open pinned connections by instance index
	open   int64   // open connections, pinned or ending at the L7 balancer
	pinned bool    // some connection is pinned to a backend (L4 or long-lived)
	// busyMark is each instance's busy integral at the last window end
	// (L7 imbalance), by instance index.
	busyMark []int64

	// Window-end figures after warm-up, for the summary.
	samples             int
	maxOpen, sumOpen    float64
	imbalanceMax        float64
	ageRand             ageJitter
	maxAge, maxAgeGrace engine.Duration
	// rebalanced counts connections sent GOAWAY by rebalancing (rebalance.go).
	rebalanced       int64
	rebalancePending bool
}

// newServiceConns returns a service's connection state.
func (c *Cluster) newServiceConns(s *Service) (*serviceConns, error) {
	bal, err := policies.NewBalancer(s.spec.Algorithm, c.sim.Stream("service."+s.spec.Name+".connections"))
	if err != nil {
		return nil, err
	}
	sc := &serviceConns{bal: bal, notify: policies.NewNotifier(bal), imbalanceMax: results.Missing(),
		maxAge: s.spec.MaxConnectionAge, maxAgeGrace: s.spec.MaxConnectionAgeGrace}
	sc.ageRand.r = c.sim.Stream("service." + s.spec.Name + ".connection_age")
	for _, idx := range s.rotation {
		sc.load = append(sc.load, sc.count(idx))
	}
	sc.notify.Reset(sc.load)
	return sc, nil
}

func (sc *serviceConns) count(idx int32) int32 {
	if int(idx) < len(sc.per) {
		return sc.per[idx]
	}
	return 0
}

// added and removed keep load parallel to the service's rotation.
func (sc *serviceConns) added(idx int32) {
	sc.load = append(sc.load, sc.count(idx))
	sc.notify.Added(sc.load)
}

func (sc *serviceConns) removed(p int32) {
	last := int32(len(sc.load) - 1)
	sc.load[p] = sc.load[last]
	sc.load = sc.load[:last]
	sc.notify.Removed(int(p), sc.load)
}

// pin binds connection cn to a backend picked by the connection balancer
// and reports false when no backend is in rotation.
func (c *Cluster) pin(s *Service, cn int32) bool {
	if len(s.rotation) == 0 {
		return false
	}
	sc := s.conn
	pos := 0
	if len(s.rotation) > 1 {
		pos = sc.bal.Pick(sc.load)
	}
	idx := s.rotation[pos]
	for int(idx) >= len(sc.per) {
		sc.per = append(sc.per, 0)
	}
	sc.per[idx]++
	sc.load[pos]++
	sc.notify.Changed(pos, sc.load)
	k := &c.conns.conns[cn]
	k.instance, k.gen = idx, s.instances[idx].gen
	k.bind++
	if sc.maxAge > 0 {
		at := c.sim.Now().Add(sc.ageRand.age(sc.maxAge))
		if at <= c.horizon {
			c.sim.Schedule(at, c.kConn.age, cn, int64(k.seq)<<32|int64(k.bind))
		}
	}
	return true
}

// unpin releases connection cn's backend, if it has one.
func (c *Cluster) unpin(s *Service, cn int32) {
	k := &c.conns.conns[cn]
	if k.instance < 0 {
		return
	}
	sc := s.conn
	sc.per[k.instance]--
	if p := s.instances[k.instance].pos; p >= 0 && s.instances[k.instance].gen == k.gen {
		sc.load[p]--
		sc.notify.Changed(int(p), sc.load)
	}
	k.instance = -1
}

// ageJitter draws connection ages: gRPC's MaxConnectionAge with its ±10%
// jitter (grpc-go internal/transport: "a random jitter of +/-10% will be
// added to MaxConnectionAge to spread out connection storms").
type ageJitter struct {
	r interface{ Float64() float64 }
}

func (a ageJitter) age(d engine.Duration) engine.Duration {
	return d.Scale(0.9 + 0.2*a.r.Float64())
}

// connKinds are the engine kinds of connection events.
type connKinds struct {
	deliver, idle, message, end, age, grace, rebalance engine.Kind
}

func (c *Cluster) registerConns() {
	c.kConn.deliver = c.sim.Register("request-delivered", c.onDeliver)
	c.kConn.idle = c.sim.Register("connection-idle-timeout", c.onIdleTimeout)
	c.kConn.message = c.sim.Register("connection-message", c.onMessage)
	c.kConn.end = c.sim.Register("connection-end", c.onConnEnd)
	c.kConn.age = c.sim.Register("connection-max-age", c.onConnAge)
	c.kConn.grace = c.sim.Register("connection-age-grace", c.onConnGrace)
	c.kConn.rebalance = c.sim.Register("connection-rebalance", c.onRebalance)
}

// connsLost handles the connections pinned to an instance that is gone:
// keep-alive ones are reset (a request still on the wire fails when it
// lands), long-lived sessions reconnect through the balancer at once.
func (c *Cluster) connsLost(s *Service, idx int32) {
	if s.conn == nil || !s.conn.pinned || int(idx) >= len(s.conn.per) || s.conn.per[idx] == 0 {
		return
	}
	gen := s.instances[idx].gen
	for cn := range c.conns.conns {
		k := &c.conns.conns[cn]
		if k.state == connFree || k.state == connDefunct || k.instance != idx || k.gen != gen {
			continue
		}
		switch k.state {
		case connLong:
			c.unpin(s, int32(cn))
			if !c.pin(s, int32(cn)) {
				c.endSession(s, int32(cn))
			}
		default:
			// Requests it carried to the server failed with the instance;
			// one still on the wire fails when it lands.
			c.closeConn(int32(cn))
		}
	}
}

// connStats returns a service's open connections and their imbalance
// across ready instances at now, NaN for a service without connections
// (imbalance: also when no ready instance has one). With pinned
// connections an instance's figure is the connections open on it at now;
// when every connection ends at an L7 balancer, it is the balancer's
// upstream connections to the instance, one per request in service,
// time-averaged over the window (an instantaneous count of a few
// requests would be mostly noise).
func (c *Cluster) connStats(s *Service, now engine.Time) (open, imbalance float64) {
	sc := s.conn
	if sc == nil {
		return results.Missing(), results.Missing()
	}
	var sum, peak int64
	n := 0
	for _, idx := range s.rotation {
		var k int64
		if sc.pinned {
			k = int64(sc.count(idx))
		} else {
			in := s.instances[idx]
			in.integrate(now)
			for int(idx) >= len(sc.busyMark) {
				sc.busyMark = append(sc.busyMark, 0)
			}
			if in.busyInt < sc.busyMark[idx] { // a reused slot
				sc.busyMark[idx] = 0
			}
			k = in.busyInt - sc.busyMark[idx]
		}
		sum += k
		peak = max(peak, k)
		n++
	}
	if !sc.pinned {
		for _, idx := range s.rotation { // the next window starts from here
			sc.busyMark[idx] = s.instances[idx].busyInt
		}
	}
	imbalance = results.Missing()
	if n > 0 && sum > 0 {
		imbalance = float64(peak) / (float64(sum) / float64(n))
	}
	return float64(sc.open), imbalance
}

// foldConns adds a window-end sample to the service's connection totals.
func (sc *serviceConns) fold(open, imbalance float64) {
	sc.samples++
	sc.sumOpen += open
	sc.maxOpen = math.Max(sc.maxOpen, open)
	if !results.IsMissing(imbalance) && (results.IsMissing(sc.imbalanceMax) || imbalance > sc.imbalanceMax) {
		sc.imbalanceMax = imbalance
	}
}

// connSummary returns the summary's connections block.
func (s *Service) connSummary() results.ConnectionStats {
	sc := s.conn
	if sc == nil || sc.samples == 0 {
		return results.ConnectionStats{Max: results.Missing(), Mean: results.Missing(), ImbalanceMax: results.Missing()}
	}
	return results.ConnectionStats{Max: sc.maxOpen, Mean: sc.sumOpen / float64(sc.samples), ImbalanceMax: sc.imbalanceMax}
}

// connsDrain handles the connections pinned to an instance that starts
// draining, as a server shutting down gracefully does: idle keep-alive
// connections are closed, busy ones close after their last response
// (Connection: close), and long-lived ones are told to go away (GOAWAY,
// a websocket close frame) and reconnect through the balancer.
func (c *Cluster) connsDrain(s *Service, idx int32) {
	if s.conn == nil || !s.conn.pinned || int(idx) >= len(s.conn.per) || s.conn.per[idx] == 0 {
		return
	}
	gen := s.instances[idx].gen
	for cn := range c.conns.conns {
		k := &c.conns.conns[cn]
		if k.instance != idx || k.gen != gen {
			continue
		}
		switch k.state {
		case connLong:
			c.unpin(s, int32(cn))
			if !c.pin(s, int32(cn)) {
				c.endSession(s, int32(cn))
			}
		case connIdle, connBusy:
			if k.active == 0 {
				c.closeConn(int32(cn))
				continue
			}
			k.closing = true
			if k.state == connIdle {
				c.unlinkIdle(&c.workloads[k.workload].net.clients[k.client], int32(cn))
				k.state = connBusy
			}
		}
	}
}
