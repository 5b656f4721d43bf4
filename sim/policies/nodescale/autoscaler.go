package nodescale

import (
	"fmt"
	"slices"

	"github.com/clustersim/clustersim/sim/engine"
)

// never is a time long before any scan: no scale-up has happened yet.
const never engine.Time = -1 << 62

// Autoscaler is a cluster autoscaler over a fixed set of pools. Its state
// is when each node became unneeded and when the cluster last scaled up.
type Autoscaler struct {
	cfg         Config
	pools       []Pool
	rng         Rand
	unneeded    []engine.Time // per node: since when it has been unneeded, -1 when needed
	lastScaleUp engine.Time

	// Buffers reused from scan to scan.
	add          []int
	remove       []int32
	live, ready  []int        // per pool: ready+provisioning nodes, ready nodes
	room         [][2]float64 // per node: free cores and GiB; cpu < 0 when not a destination
	help         []Pod        // pending pods no existing node can take
	opt          []Pod        // one option's pods, sorted
	bins         [][2]float64 // one option's new nodes: used cores and GiB
	options      []option
	moved        []move  // simulated pod moves of this scan's unneeded nodes
	cands        []int32 // unneeded nodes of this scan
	spareOfPools []int   // per pool: nodes that may still go before it reaches min
}

// option is one pool the expander may grow.
type option struct {
	pool               int32
	nodes              int
	wasteCPU, wasteMem float64 // idle fraction of the new nodes' capacity
}

// move is one pod booked on node by the scale-down simulation.
type move struct {
	node int32
	pod  Pod
}

// New returns an autoscaler for pools. rng is used only by the Random
// expander and may be nil otherwise.
func New(cfg Config, pools []Pool, rng Rand) (*Autoscaler, error) {
	if cfg.MaxEmptyBulkDelete < 1 {
		return nil, fmt.Errorf("%w: max empty bulk delete %d < 1", ErrConfig, cfg.MaxEmptyBulkDelete)
	}
	if cfg.ScaleDownDelayAfterAdd < 0 {
		return nil, fmt.Errorf("%w: negative scale-down delay after add", ErrConfig)
	}
	if cfg.Expander > Random {
		return nil, fmt.Errorf("%w: unknown expander %d", ErrConfig, cfg.Expander)
	}
	if cfg.Expander == Random && rng == nil {
		return nil, fmt.Errorf("%w: the random expander needs a random source", ErrConfig)
	}
	for i, p := range pools {
		if p.CPU <= 0 || p.Memory <= 0 || p.Min < 0 || p.Max < p.Min {
			return nil, fmt.Errorf("%w: pool %d: %+v", ErrConfig, i, p)
		}
	}
	n := len(pools)
	return &Autoscaler{
		cfg: cfg, pools: slices.Clone(pools), rng: rng, lastScaleUp: never,
		add: make([]int, n), live: make([]int, n), ready: make([]int, n), spareOfPools: make([]int, n),
	}, nil
}

// UnneededSince returns since when node i has been unneeded, as of the last
// scan, and false when it is needed (or was never seen).
func (a *Autoscaler) UnneededSince(i int) (engine.Time, bool) {
	if i >= len(a.unneeded) || a.unneeded[i] < 0 {
		return 0, false
	}
	return a.unneeded[i], true
}

// LastScaleUp returns when the cluster last scaled up, and false if never.
func (a *Autoscaler) LastScaleUp() (engine.Time, bool) { return a.lastScaleUp, a.lastScaleUp != never }

// Scan is one cluster-autoscaler loop at obs.Now.
func (a *Autoscaler) Scan(obs Observation) Decision {
	for len(a.unneeded) < len(obs.Nodes) {
		a.unneeded = append(a.unneeded, -1)
	}
	clear(a.add)
	clear(a.live)
	clear(a.ready)
	for i := range obs.Nodes {
		n := &obs.Nodes[i]
		switch n.State {
		case Ready:
			a.ready[n.Pool]++
			a.live[n.Pool]++
		case Provisioning:
			a.live[n.Pool]++
		}
	}
	d := Decision{Add: a.add, Remove: a.remove[:0]}
	if reason := a.scaleUp(obs); reason != "" {
		a.lastScaleUp = obs.Now
		d.Reason = reason
		return d // cluster-autoscaler: no scale-down in a loop that scaled up
	}
	d.Remove, d.Reason = a.scaleDown(obs)
	a.remove = d.Remove
	return d
}

// used returns the cores and GiB requested by a node's pods, summed in
// order.
func used(n *Node) (cpu, mem float64) {
	for _, p := range n.Pods {
		cpu += p.CPU
		mem += p.Memory
	}
	return cpu, mem
}

// resetRoom sets each node's free room; only nodes in one of the given
// states are destinations.
func (a *Autoscaler) resetRoom(nodes []Node, upcoming bool) {
	a.room = slices.Grow(a.room[:0], len(nodes))[:len(nodes)]
	for i := range nodes {
		n := &nodes[i]
		if n.State != Ready && (!upcoming || n.State != Provisioning) {
			a.room[i] = [2]float64{-1, -1}
			continue
		}
		cpu, mem := used(n)
		p := &a.pools[n.Pool]
		a.room[i] = [2]float64{p.CPU - cpu, p.Memory - mem}
	}
}

// fitFirst books p on the first destination node other than skip with room
// for it and returns that node, or -1.
func (a *Autoscaler) fitFirst(nodes []Node, p Pod, skip int) int {
	for j := range nodes {
		r := &a.room[j]
		if j == skip || r[0] < 0 || !a.pools[nodes[j].Pool].Hosts(nodes[j].Pool, p.Pool) {
			continue
		}
		if p.CPU <= r[0]+Epsilon && p.Memory <= r[1]+Epsilon {
			r[0] -= p.CPU
			r[1] -= p.Memory
			return j
		}
	}
	return -1
}

// scaleUp adds nodes for the pending pods and the pools' minimums; it
// returns the reason, or "" when it added none.
func (a *Autoscaler) scaleUp(obs Observation) string {
	a.resetRoom(obs.Nodes, true)
	a.help = a.help[:0]
	for _, p := range obs.Pending {
		if a.fitFirst(obs.Nodes, p, -1) < 0 {
			a.help = append(a.help, p)
		}
	}
	reason := ""
	if len(a.help) > 0 {
		a.options = a.options[:0]
		for pi := range a.pools {
			if o, ok := a.option(int32(pi)); ok {
				a.options = append(a.options, o)
			}
		}
		if len(a.options) > 0 {
			best := a.expand()
			a.add[best.pool] += best.nodes
			reason = ReasonScaleUp
		}
	}
	for pi := range a.pools {
		if short := a.pools[pi].Min - a.live[pi] - a.add[pi]; short > 0 {
			a.add[pi] += short
			if reason == "" {
				reason = ReasonMinSize
			}
		}
	}
	return reason
}

// option packs the pods pool pi may host onto new nodes of the pool, first
// fit decreasing, as many as its max allows.
func (a *Autoscaler) option(pi int32) (option, bool) {
	p := &a.pools[pi]
	limit := p.Max - a.live[pi]
	if limit <= 0 {
		return option{}, false
	}
	a.opt = a.opt[:0]
	for _, q := range a.help {
		if p.Hosts(pi, q.Pool) && q.CPU <= p.CPU+Epsilon && q.Memory <= p.Memory+Epsilon {
			a.opt = append(a.opt, q)
		}
	}
	slices.SortStableFunc(a.opt, func(x, y Pod) int {
		switch {
		case x.CPU > y.CPU:
			return -1
		case x.CPU < y.CPU:
			return 1
		}
		return 0
	})
	a.bins = a.bins[:0]
	var cpu, mem float64
	for _, q := range a.opt {
		placed := false
		for i := range a.bins {
			b := &a.bins[i]
			if b[0]+q.CPU <= p.CPU+Epsilon && b[1]+q.Memory <= p.Memory+Epsilon {
				b[0] += q.CPU
				b[1] += q.Memory
				placed = true
				break
			}
		}
		if !placed {
			if len(a.bins) == limit {
				continue // the pool's max leaves this pod pending
			}
			a.bins = append(a.bins, [2]float64{q.CPU, q.Memory})
		}
		cpu += q.CPU
		mem += q.Memory
	}
	n := len(a.bins)
	if n == 0 {
		return option{}, false
	}
	return option{
		pool: pi, nodes: n,
		wasteCPU: 1 - cpu/(float64(n)*p.CPU),
		wasteMem: 1 - mem/(float64(n)*p.Memory),
	}, true
}

// expand applies the expander to the options, which are in pool order.
func (a *Autoscaler) expand() option {
	if a.cfg.Expander == Random {
		return a.options[a.rng.IntN(len(a.options))]
	}
	best := a.options[0]
	for _, o := range a.options[1:] {
		switch {
		case o.wasteCPU < best.wasteCPU-Epsilon:
			best = o
		case o.wasteCPU <= best.wasteCPU+Epsilon && o.wasteMem < best.wasteMem-Epsilon:
			best = o
		}
	}
	return best
}
