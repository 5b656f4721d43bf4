package models

import (
	"slices"

	"github.com/clustersim/clustersim/sim/dist"
	"github.com/clustersim/clustersim/sim/engine"
)

// Nodes and the cluster autoscaler. With node pools configured, a new
// instance is Pending until the scheduler finds a node with room for its
// CPU and memory requests. The cluster autoscaler (modelled on Kubernetes'
// cluster-autoscaler) scans every ScanInterval: pending instances make it
// provision nodes, which become ready after a provisioning delay; nodes
// whose requested utilisation stays under a threshold for ScaleDownUnneeded
// are drained and removed. Scheduled node failures kill every instance on
// the node; their services replace them.

// NodePoolSpec describes a group of identical nodes.
type NodePoolSpec struct {
	Name                   string
	CPU, Memory            float64         // capacity of one node: cores, GiB
	Initial, Min, Max      int             // node counts
	Zones                  []string        // nodes are spread over these zones in turn
	Provision              dist.Spec       // time from request to a ready node
	ScanInterval           engine.Duration // cluster-autoscaler loop period (default 10s)
	ScaleDownUnneeded      engine.Duration // how long a node must be unneeded before removal (default 10m)
	ScaleDownDelayAfterAdd engine.Duration // no scale-down this soon after a scale-up (default 10m)
	ScaleDownUtilization   float64         // a node under this requested utilisation is unneeded (default 0.5)
	CostPerHour            float64         // USD per node-hour
	Failures               []NodeFailure   // scheduled node crashes
}

// NodeFailure crashes Count ready nodes of a pool at At.
type NodeFailure struct {
	At    engine.Time
	Count int
}

// NodeState is where a node is in its life.
type NodeState uint8

// Node states.
const (
	Provisioning NodeState = iota // requested, not yet ready
	NodeReady                     // accepts instances
	Removing                      // cordoned: its instances are draining
	Gone                          // removed or crashed
)

type node struct {
	pool      int32
	zone      int
	state     NodeState
	gen       uint32
	cpu, mem  float64 // requested by the instances placed on it
	instances int
	unneeded  engine.Time // since when it has been unneeded, -1 if it is needed
}

type nodePool struct {
	spec      NodePoolSpec
	id        int32
	provision dist.Sampler
	nodes     []int32 // indices into Cluster.nodes, in creation order
	lastUp    engine.Time
	nextZone  int
	// Counts and integrals for metrics.
	ready, provisioning int
	gone                int
	lastT               engine.Time
	readyInt, billInt   int64 // node·ns after warm-up
	readyMin, readyMax  int
	seen                bool
}

// nodeKinds are the engine kinds of node events.
type nodeKinds struct {
	ready, scan, fail, schedule engine.Kind
}

func (c *Cluster) registerNodes() {
	c.kNode.ready = c.sim.Register("node-ready", c.onNodeReady)
	c.kNode.scan = c.sim.Register("cluster-autoscaler", c.onScan)
	c.kNode.fail = c.sim.Register("node-failure", c.onNodeFailure)
	c.kNode.schedule = c.sim.Register("scheduler", c.onSchedule)
}

// newPool creates a pool with its initial nodes ready.
func (c *Cluster) newPool(id int32, spec NodePoolSpec) error {
	p := &nodePool{spec: spec, id: id}
	var err error
	if p.provision, err = c.sampler(spec.Provision, "nodepool."+spec.Name+".provision"); err != nil {
		return err
	}
	p.lastUp = -1 << 62
	c.pools = append(c.pools, p)
	for range spec.Initial {
		n := c.addNode(p)
		c.nodes[n].state = NodeReady
		p.provisioning--
		p.ready++
	}
	return nil
}

// addNode creates a provisioning node in pool p and returns its index.
func (c *Cluster) addNode(p *nodePool) int32 {
	c.integratePool(p)
	nd := &node{pool: p.id, unneeded: -1}
	if len(p.spec.Zones) > 0 {
		nd.zone = p.nextZone % len(p.spec.Zones)
		p.nextZone++
	}
	c.nodes = append(c.nodes, nd)
	idx := int32(len(c.nodes) - 1)
	p.nodes = append(p.nodes, idx)
	p.provisioning++
	return idx
}

// integratePool advances a pool's node-count integrals to now.
func (c *Cluster) integratePool(p *nodePool) {
	now := c.sim.Now()
	if now > c.warmup {
		from := max(p.lastT, c.warmup)
		p.readyInt += int64(p.ready) * int64(now-from)
		p.billInt += int64(p.ready+p.provisioning+p.removing()) * int64(now-from)
	}
	p.lastT = now
	if now >= c.warmup {
		if !p.seen {
			p.readyMin, p.readyMax, p.seen = p.ready, p.ready, true
		}
		p.readyMin = min(p.readyMin, p.ready)
		p.readyMax = max(p.readyMax, p.ready)
	}
}

func (p *nodePool) removing() int {
	return len(p.nodes) - p.ready - p.provisioning - p.gone
}

// provisionNode requests a new node; it is ready after the pool's
// provisioning delay.
func (c *Cluster) provisionNode(p *nodePool) {
	n := c.addNode(p)
	d := engine.Duration(0)
	if p.provision != nil {
		d = engine.FromSeconds(p.provision.Sample())
	}
	c.sim.After(d, c.kNode.ready, n, int64(c.nodes[n].gen))
}

func (c *Cluster) onNodeReady(ev engine.Event) {
	nd := c.nodes[ev.Target]
	if nd.gen != uint32(ev.Arg) || nd.state != Provisioning {
		return
	}
	p := c.pools[nd.pool]
	c.integratePool(p)
	nd.state = NodeReady
	p.provisioning--
	p.ready++
	c.schedulePending()
}

// fits reports whether an instance of s fits on node n.
func (c *Cluster) fits(s *Service, n *node) bool {
	p := c.pools[n.pool].spec
	return n.state == NodeReady && n.cpu+s.spec.CPU <= p.CPU+1e-9 && n.mem+s.spec.Memory <= p.Memory+1e-9
}

// place tries to put a pending instance on a node: bin-packing picks the
// fullest node it fits on (Kubernetes' MostAllocated scoring); spreading
// picks the zone with the fewest instances of the service, then the
// emptiest node there (the default scheduler's topology spreading and
// LeastAllocated scoring). Ties go to the oldest node.
func (c *Cluster) place(s *Service, idx int32) bool {
	if !c.reserve(s, idx) {
		return false
	}
	s.integrate(c.sim.Now())
	s.pending--
	s.starting++
	s.instances[idx].state = Starting
	c.boot(s, idx)
	return true
}

// reserve picks a node for instance idx of s and books its resources.
func (c *Cluster) reserve(s *Service, idx int32) bool {
	p := c.pools[s.spec.Pool]
	var perZone []int
	if s.spec.Spread && len(p.spec.Zones) > 1 {
		perZone = make([]int, len(p.spec.Zones))
		for _, o := range s.instances {
			if o.node >= 0 && o.state != Terminated {
				perZone[c.nodes[o.node].zone]++
			}
		}
	}
	best := int32(-1)
	for _, ni := range p.nodes {
		n := c.nodes[ni]
		if !c.fits(s, n) {
			continue
		}
		if best < 0 {
			best = ni
			continue
		}
		b := c.nodes[best]
		if perZone != nil && perZone[n.zone] != perZone[b.zone] {
			if perZone[n.zone] < perZone[b.zone] {
				best = ni
			}
			continue
		}
		if s.spec.Spread {
			if n.cpu < b.cpu {
				best = ni
			}
		} else if n.cpu > b.cpu {
			best = ni
		}
	}
	if best < 0 {
		return false
	}
	n := c.nodes[best]
	n.cpu += s.spec.CPU
	n.mem += s.spec.Memory
	n.instances++
	s.instances[idx].node = best
	return true
}

// unplace releases an instance's node resources.
func (c *Cluster) unplace(s *Service, in *instance) {
	if in.node < 0 {
		return
	}
	n := c.nodes[in.node]
	n.cpu -= s.spec.CPU
	n.mem -= s.spec.Memory
	n.instances--
	in.node = -1
	if n.state == Removing && n.instances == 0 {
		c.removeNode(n)
	}
	c.wakeScheduler()
}

// wakeScheduler arranges for pending instances to be placed once the
// current event is done.
func (c *Cluster) wakeScheduler() {
	if !c.schedulerAwake && len(c.pools) > 0 {
		c.schedulerAwake = true
		c.sim.After(0, c.kNode.schedule, 0, 0)
	}
}

func (c *Cluster) onSchedule(engine.Event) {
	c.schedulerAwake = false
	c.schedulePending()
}

// schedulePending places pending instances, oldest first.
func (c *Cluster) schedulePending() {
	type cand struct {
		s   *Service
		idx int32
	}
	var pend []cand
	for _, s := range c.services {
		if s.pending == 0 {
			continue
		}
		for i, in := range s.instances {
			if in.state == Pending {
				pend = append(pend, cand{s, int32(i)})
			}
		}
	}
	slices.SortStableFunc(pend, func(a, b cand) int {
		return int(a.s.instances[a.idx].created - b.s.instances[b.idx].created)
	})
	for _, p := range pend {
		c.place(p.s, p.idx)
	}
}

// onScan is one cluster-autoscaler loop over a pool.
func (c *Cluster) onScan(ev engine.Event) {
	p := c.pools[ev.Target]
	c.scaleUpNodes(p)
	c.scaleDownNodes(p)
	c.sim.After(p.spec.ScanInterval, c.kNode.scan, ev.Target, 0)
}

// scaleUpNodes provisions enough nodes for the pool's pending instances,
// estimated by first-fit-decreasing packing onto empty nodes, minus the
// nodes already provisioning; and restores the pool's minimum.
func (c *Cluster) scaleUpNodes(p *nodePool) {
	var reqs [][2]float64
	for _, s := range c.services {
		if int32(s.spec.Pool) != p.id || s.pending == 0 {
			continue
		}
		for range s.pending {
			reqs = append(reqs, [2]float64{s.spec.CPU, s.spec.Memory})
		}
	}
	slices.SortStableFunc(reqs, func(a, b [2]float64) int {
		switch {
		case a[0] > b[0]:
			return -1
		case a[0] < b[0]:
			return 1
		}
		return 0
	})
	var bins [][2]float64 // used capacity of each hypothetical new node
	for _, r := range reqs {
		if r[0] > p.spec.CPU || r[1] > p.spec.Memory {
			continue // fits on no node of this pool: adding nodes cannot help
		}
		placed := false
		for i := range bins {
			if bins[i][0]+r[0] <= p.spec.CPU+1e-9 && bins[i][1]+r[1] <= p.spec.Memory+1e-9 {
				bins[i][0] += r[0]
				bins[i][1] += r[1]
				placed = true
				break
			}
		}
		if !placed {
			bins = append(bins, r)
		}
	}
	need := len(bins) - p.provisioning
	if short := p.spec.Min - (p.ready + p.provisioning); short > need {
		need = short
	}
	need = min(need, p.spec.Max-(p.ready+p.provisioning))
	for range max(need, 0) {
		c.provisionNode(p)
	}
	if need > 0 {
		p.lastUp = c.sim.Now()
	}
}

// scaleDownNodes removes one node that has been unneeded long enough: its
// requested utilisation is under the threshold and its instances fit on
// the pool's other nodes.
func (c *Cluster) scaleDownNodes(p *nodePool) {
	now := c.sim.Now()
	if now.Sub(p.lastUp) < p.spec.ScaleDownDelayAfterAdd {
		return
	}
	var victim *node
	for _, ni := range p.nodes {
		n := c.nodes[ni]
		if n.state != NodeReady {
			continue
		}
		util := max(n.cpu/p.spec.CPU, n.mem/max(p.spec.Memory, 1e-9))
		if util >= p.spec.ScaleDownUtilization || !c.canMoveOff(p, ni) {
			n.unneeded = -1
			continue
		}
		if n.unneeded < 0 {
			n.unneeded = now
		}
		if victim == nil && now.Sub(n.unneeded) >= p.spec.ScaleDownUnneeded && p.ready > p.spec.Min {
			victim = n
		}
	}
	if victim != nil {
		c.cordon(victim)
	}
}

// canMoveOff reports whether every instance on node ni would fit in the
// free room of the pool's other ready nodes (checked in aggregate).
func (c *Cluster) canMoveOff(p *nodePool, ni int32) bool {
	n := c.nodes[ni]
	if n.instances == 0 {
		return true
	}
	freeCPU, freeMem := 0.0, 0.0
	for _, oi := range p.nodes {
		o := c.nodes[oi]
		if oi != ni && o.state == NodeReady {
			freeCPU += p.spec.CPU - o.cpu
			freeMem += p.spec.Memory - o.mem
		}
	}
	return n.cpu <= freeCPU+1e-9 && n.mem <= freeMem+1e-9
}

// cordon stops scheduling on a node and drains its instances; their
// services start replacements elsewhere. The node goes when it is empty.
func (c *Cluster) cordon(n *node) {
	p := c.pools[n.pool]
	c.integratePool(p)
	n.state = Removing
	p.ready--
	if n.instances == 0 {
		c.removeNode(n)
		return
	}
	c.evict(n, false)
}

// evict drains (or, when crashed, kills) every instance on n and has each
// affected service replace them.
func (c *Cluster) evict(n *node, crash bool) {
	ni := int32(slices.Index(c.nodes, n))
	for _, s := range c.services {
		hit := false
		for i, in := range s.instances {
			if in.node != ni || in.state == Terminated || in.state == Draining {
				continue
			}
			hit = true
			if crash {
				c.terminate(s, int32(i))
			} else {
				c.drain(s, int32(i))
			}
		}
		if hit {
			c.SetDesired(int(s.id), s.desired)
		}
	}
}

func (c *Cluster) removeNode(n *node) {
	p := c.pools[n.pool]
	c.integratePool(p)
	n.state = Gone
	n.gen++
	p.gone++
}

// onNodeFailure crashes Arg ready nodes of pool Target, the oldest first.
func (c *Cluster) onNodeFailure(ev engine.Event) {
	p := c.pools[ev.Target]
	left := int(ev.Arg)
	for _, ni := range p.nodes {
		if left == 0 {
			break
		}
		n := c.nodes[ni]
		if n.state != NodeReady {
			continue
		}
		left--
		c.integratePool(p)
		p.ready--
		n.state = Removing
		c.evict(n, true)
		if n.state != Gone {
			c.removeNode(n)
		}
	}
}

// startNodes schedules each pool's autoscaler loop and failures, and
// places any initial instance that found no room.
func (c *Cluster) startNodes() {
	c.wakeScheduler()
	for _, p := range c.pools {
		if p.spec.ScanInterval > 0 {
			c.sim.Schedule(engine.Time(p.spec.ScanInterval), c.kNode.scan, p.id, 0)
		}
		for _, f := range p.spec.Failures {
			c.sim.Schedule(f.At, c.kNode.fail, p.id, int64(f.Count))
		}
	}
}
