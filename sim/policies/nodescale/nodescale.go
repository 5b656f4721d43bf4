package nodescale

import (
	"errors"
	"fmt"
	"slices"

	"github.com/clustersim/clustersim/sim/engine"
)

// Epsilon absorbs floating-point error when requests are compared with a
// node's capacity (cores or GiB).
const Epsilon = 1e-9

// AnyPool as a Pod's Pool lets the pod run on a node of any pool.
const AnyPool int32 = -1

// ErrConfig is wrapped by every configuration error New returns.
var ErrConfig = errors.New("nodescale: invalid config")

// Expander picks the pool to grow when several could host pending pods
// (cluster-autoscaler --expander).
type Expander uint8

// Expanders.
const (
	// LeastWaste picks the pool whose new nodes would have the smallest
	// idle fraction of CPU after the pending pods are placed on them; ties
	// (within Epsilon) go to the smallest idle fraction of memory, then to
	// the first pool.
	LeastWaste Expander = iota
	// Random picks one of the options uniformly, on the stream given to
	// New.
	Random
)

// expanderNames lists the scenario spelling of each Expander, by value.
var expanderNames = [...]string{LeastWaste: "least-waste", Random: "random"}

// Expanders returns the expander names a scenario may use, default first.
func Expanders() []string { return slices.Clone(expanderNames[:]) }

// String returns the scenario spelling of e.
func (e Expander) String() string {
	if int(e) < len(expanderNames) {
		return expanderNames[e]
	}
	panic(fmt.Sprintf("nodescale: unknown expander %d", e))
}

// ParseExpander returns the Expander named s.
func ParseExpander(s string) (Expander, error) {
	for i, n := range expanderNames {
		if n == s {
			return Expander(i), nil
		}
	}
	return 0, fmt.Errorf("%w: unknown expander %q", ErrConfig, s)
}

// NodeState is where a node is in its life, as the autoscaler sees it.
type NodeState uint8

// Node states.
const (
	Provisioning NodeState = iota // requested, not ready yet (an upcoming node)
	Ready                         // accepts pods
	Deleting                      // cordoned and draining
	Removed                       // gone; kept so that node indices stay stable
)

// String returns the state's name.
func (s NodeState) String() string {
	switch s {
	case Provisioning:
		return "provisioning"
	case Ready:
		return "ready"
	case Deleting:
		return "deleting"
	case Removed:
		return "removed"
	}
	panic(fmt.Sprintf("nodescale: unknown node state %d", s))
}

// Pool is one node pool (a cluster-autoscaler node group).
type Pool struct {
	CPU                  float64         // allocatable cores of one node, > 0
	Memory               float64         // allocatable GiB of one node, > 0
	Min, Max             int             // node count bounds
	ScaleDownUnneeded    engine.Duration // how long a node must be unneeded before deletion
	ScaleDownUtilization float64         // a node under this requested fraction of CPU and memory may be unneeded
	Dedicated            bool            // only pods restricted to this pool may run on it (a taint)
}

// Hosts reports whether a node of pool p (index pi) may run a pod
// restricted to pool (AnyPool: none).
func (p *Pool) Hosts(pi, pool int32) bool {
	if pool == AnyPool {
		return !p.Dedicated
	}
	return pool == pi
}

// Pod is the requests of one pod (a service instance).
type Pod struct {
	CPU    float64 // requested cores
	Memory float64 // requested GiB
	Pool   int32   // the only pool it may run on, or AnyPool
}

// Node is one node as the autoscaler observes it.
type Node struct {
	Pool  int32     // index of its pool
	State NodeState // where it is in its life
	Pods  []Pod     // the pods placed on it (their requests)
}

// Observation is the cluster at one scan. Node i keeps index i from one
// scan to the next (nodes are only appended); the slices are read, never
// kept.
type Observation struct {
	Now     engine.Time // simulated time of the scan; never decreasing
	Nodes   []Node      // every node ever created, in creation order
	Pending []Pod       // pods waiting for a node, oldest first
}

// Reasons a Decision gives.
const (
	ReasonScaleUp        = "ScaleUp"        // the expander's pool grows for pending pods
	ReasonMinSize        = "MinSize"        // pools under their minimum are topped up
	ReasonInCooldown     = "InCooldown"     // within ScaleDownDelayAfterAdd of a scale-up: no deletion
	ReasonNoCandidate    = "NoCandidate"    // no node has been unneeded long enough (or pools are at min)
	ReasonDeleteEmpty    = "DeleteEmpty"    // empty unneeded nodes are deleted in bulk
	ReasonDeleteNonEmpty = "DeleteNonEmpty" // one unneeded node is drained and deleted
)

// Decision is what one scan asks for.
type Decision struct {
	// Add is the number of nodes to provision, per pool index. It aliases
	// the autoscaler's buffer: valid until the next Scan.
	Add []int
	// Remove lists the indices of nodes to cordon, drain and delete. It
	// aliases the autoscaler's buffer: valid until the next Scan.
	Remove []int32
	// Reason says why, one of the Reason constants.
	Reason string
}

// Config is the cluster-wide cluster-autoscaler settings.
type Config struct {
	// Expander picks among pools that could host pending pods.
	Expander Expander
	// MaxEmptyBulkDelete is the most empty nodes deleted in one scan,
	// >= 1 (--max-empty-bulk-delete, default 10).
	MaxEmptyBulkDelete int
	// ScaleDownDelayAfterAdd is how long after a scale-up in any pool no
	// node is deleted (--scale-down-delay-after-add, default 10m).
	ScaleDownDelayAfterAdd engine.Duration
}

// DefaultMaxEmptyBulkDelete is cluster-autoscaler's --max-empty-bulk-delete
// default.
const DefaultMaxEmptyBulkDelete = 10

// Rand is the random source of the Random expander.
type Rand interface {
	// IntN returns a uniform integer in [0, n).
	IntN(n int) int
}
