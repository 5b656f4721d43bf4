package models

import (
	"slices"

	"github.com/clustersim/clustersim/sim/dist"
	"github.com/clustersim/clustersim/sim/engine"
	"github.com/clustersim/clustersim/sim/policies/nodescale"
	"github.com/clustersim/clustersim/sim/policies/placement"
)

// Nodes: their mechanics. With node pools configured, a new instance is
// Pending until the scheduler (scheduler.go, deciding through
// sim/policies/placement) finds a node with room for its CPU and memory
// requests. The cluster autoscaler (clusterautoscaler.go, deciding through
// sim/policies/nodescale) provisions nodes, which become ready after a
// provisioning delay, and cordons, drains and removes the nodes it finds
// unneeded. Scheduled node failures kill every instance on the node; their
// services replace them.

// NodePoolSpec describes a group of identical nodes.
type NodePoolSpec struct {
	Name                 string
	CPU, Memory          float64         // capacity of one node: cores, GiB
	Initial, Min, Max    int             // node counts
	Zones                []string        // nodes are spread over these zones in turn
	Provision            dist.Spec       // time from request to a ready node
	ScaleDownUnneeded    engine.Duration // how long a node must be unneeded before removal (default 10m)
	ScaleDownUtilization float64         // a node under this requested utilisation is unneeded (default 0.5)
	CostPerHour          float64         // USD per node-hour
	Failures             []NodeFailure   // scheduled node crashes
	Dedicated            bool            // only services that name this pool run on it (a taint)
}

// ClusterAutoscalerSpec holds the cluster autoscaler's cluster-wide
// settings (cluster-autoscaler command-line flags).
type ClusterAutoscalerSpec struct {
	ScanInterval           engine.Duration    // loop period (--scan-interval); 0 turns the autoscaler off
	ScaleDownDelayAfterAdd engine.Duration    // no node deletion this soon after a scale-up in any pool
	Expander               nodescale.Expander // picks the pool to grow when several could
	MaxEmptyBulkDelete     int                // most empty nodes deleted per scan; 0 means the default, 10
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
	zone      int32 // cluster-wide zone index
	state     NodeState
	gen       uint32
	cpu, mem  float64 // requested by the instances placed on it
	instances int
}

type nodePool struct {
	spec      NodePoolSpec
	id        int32
	provision dist.Sampler
	nodes     []int32 // indices into Cluster.nodes, in creation order
	zones     []int32 // cluster-wide index of each of spec.Zones (one shared zone when none)
	nextZone  int
	// Counts and integrals for metrics.
	ready, provisioning int
	gone                int
	lastT               engine.Time
	readyInt, billInt   int64 // node·ns after warm-up
	readyMin, readyMax  int
	seen                bool
}

// nodeSet is the cluster-wide node state besides the pools and nodes
// themselves: zones, the cluster autoscaler, and buffers reused by the
// scheduler and the autoscaler's observations.
type nodeSet struct {
	zones map[string]int32 // zone name -> cluster-wide index (lookup only)
	down  []bool           // per zone index: out in a zone fault (outage.go); nil when none is
	spec  ClusterAutoscalerSpec
	ca    *nodescale.Autoscaler // nil when the autoscaler is off

	pend    []pendingRef     // pending instances, oldest first
	view    []placement.Node // the scheduler's observation
	perZone []int            // instances of one service per zone
	obs     []nodescale.Node // the autoscaler's observation
	pods    []nodescale.Pod  // backing store of obs[i].Pods
	podsOf  []int32          // per node: pods placed, then fill offsets
	pending []nodescale.Pod  // the autoscaler's pending pods
}

// zoneID returns the cluster-wide index of zone name, assigning the next
// one on first sight.
func (c *Cluster) zoneID(name string) int32 {
	if c.ns.zones == nil {
		c.ns.zones = map[string]int32{}
	}
	id, ok := c.ns.zones[name]
	if !ok {
		id = int32(len(c.ns.zones))
		c.ns.zones[name] = id
	}
	return id
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
	for _, z := range spec.Zones {
		p.zones = append(p.zones, c.zoneID(z))
	}
	if len(p.zones) == 0 {
		p.zones = append(p.zones, c.zoneID(""))
	}
	c.pools = append(c.pools, p)
	for range spec.Initial {
		n := c.addNode(p)
		c.nodes[n].state = NodeReady
		p.provisioning--
		p.ready++
	}
	p.seen = false // addNode saw the pool empty: its minimum starts from the initial nodes
	return nil
}

// addNode creates a provisioning node in pool p and returns its index.
func (c *Cluster) addNode(p *nodePool) int32 {
	return c.addNodeIn(p, c.nextZone(p))
}

// addNodeIn creates a provisioning node of pool p in zone and returns its
// index.
func (c *Cluster) addNodeIn(p *nodePool, zone int32) int32 {
	c.integratePool(p)
	nd := &node{pool: p.id, zone: zone}
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
	c.provisionNodeIn(p, c.nextZone(p))
}

// provisionNodeIn requests a new node of pool p in zone.
func (c *Cluster) provisionNodeIn(p *nodePool, zone int32) {
	n := c.addNodeIn(p, zone)
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
	p.provisioning--
	if c.zoneIsDown(nd.zone) { // provisioned into a zone that is out: it never comes up
		nd.state = Gone
		nd.gen++
		p.gone++
		return
	}
	nd.state = NodeReady
	p.ready++
	c.schedulePending()
}

// place tries to put a pending instance on a node and start it.
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
	c.failNodes(c.pools[ev.Target], int(ev.Arg))
}

// failNodes crashes count ready nodes of pool p, the oldest first.
func (c *Cluster) failNodes(p *nodePool, count int) {
	left := count
	for _, ni := range p.nodes {
		if left == 0 {
			break
		}
		n := c.nodes[ni]
		if n.state != NodeReady {
			continue
		}
		left--
		c.failNode(n)
	}
}

// failNode crashes a ready node and every instance on it.
func (c *Cluster) failNode(n *node) {
	p := c.pools[n.pool]
	c.integratePool(p)
	p.ready--
	n.state = Removing
	c.evict(n, true)
	if n.state != Gone {
		c.removeNode(n)
	}
}

// startNodes schedules the cluster autoscaler's loop and the pools'
// failures, and places any initial instance that found no room.
func (c *Cluster) startNodes() {
	c.wakeScheduler()
	if c.ns.ca != nil {
		c.sim.Schedule(engine.Time(c.ns.spec.ScanInterval), c.kNode.scan, 0, 0)
	}
	for _, p := range c.pools {
		for _, f := range p.spec.Failures {
			c.sim.Schedule(f.At, c.kNode.fail, p.id, int64(f.Count))
		}
	}
}
