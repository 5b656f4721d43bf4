package scenario

import (
	"fmt"
	"slices"

	"github.com/clustersim/clustersim/sim/engine"
	"github.com/clustersim/clustersim/sim/models"
	"github.com/clustersim/clustersim/sim/tomlpos"
)

// This file holds the [[neighbour]] entries: noisy neighbours on node
// pools (models/neighbour.go, policies/interference). config.go declares
// the Config field and the node pool's dedicated key.

// Neighbour is one [[neighbour]] entry: a heavy workload co-located on
// every node of a pool for a while, slowing the instances placed there.
type Neighbour struct {
	// Name identifies it; required, unique, [A-Za-z0-9_-]+.
	Name string `toml:"name"`
	// Pool names the [[node_pool]] on whose every node it runs; required.
	Pool string `toml:"pool"`
	// CPU is the cores it keeps busy on each node, beyond the instances'
	// requests (it requests nothing from the scheduler); > 0, at most
	// 1e6. Its pressure is min(1, cpu / the pool's node cpu).
	CPU float64 `toml:"cpu"`
	// Sensitivity is k: while it runs, the service times of instances on
	// its nodes are multiplied by 1 + k × pressure (Bubble-Up's linear
	// sensitivity curve; see package interference); default 1, 0 to 100.
	Sensitivity float64 `toml:"sensitivity"`
	// At is when it starts, nanoseconds; default 0, before sim.duration.
	At Duration `toml:"at"`
	// Duration is how long it runs, nanoseconds; 0 (omitted) means to the
	// end of the run.
	Duration Duration `toml:"duration,omitzero"`
}

// Limits of a neighbour's numbers.
const (
	defaultSensitivity = 1.0
	maxSensitivity     = 100.0
	maxNeighbourCPU    = 1e6
)

// DefaultNeighbour returns a [[neighbour]] entry's defaults.
func DefaultNeighbour() Neighbour { return Neighbour{Sensitivity: defaultSensitivity} }

// validateNeighbours checks the [[neighbour]] entries against the pools.
func (d *checker) validateNeighbours(cfg *Config, poolNames []string) {
	np := tomlpos.Path{}.Child("neighbour")
	first := map[string]tomlpos.Path{}
	for i := range cfg.Neighbours {
		n := &cfg.Neighbours[i]
		p := np.Elem(i, n.Name)
		d.checkName(n.Name, p, first)
		pp := p.Child("pool")
		switch {
		case !d.IsSet(pp):
			d.Errorf(ErrMissing, pp, "the [[node_pool]] whose nodes it shares", "required")
		case !slices.Contains(poolNames, n.Pool):
			hint := tomlpos.DidYouMean(n.Pool, poolNames)
			if hint == "" {
				hint = "define it in a [[node_pool]] table"
			}
			d.Errorf(ErrReference, pp, hint, "no node pool named %q", n.Pool)
		}
		if cp := p.Child("cpu"); !d.IsSet(cp) {
			d.Errorf(ErrMissing, cp, "the cores it keeps busy on each node", "required")
		} else if !(n.CPU > 0 && n.CPU <= maxNeighbourCPU) {
			d.Errorf(ErrInvalid, cp, "the cores it keeps busy on each node", "must be > 0 and at most %g, got %v", maxNeighbourCPU, n.CPU)
		}
		if !(n.Sensitivity >= 0 && n.Sensitivity <= maxSensitivity) {
			d.Errorf(ErrInvalid, p.Child("sensitivity"), "1 + sensitivity × pressure multiplies service times", "must be 0 to %g, got %v", maxSensitivity, n.Sensitivity)
		}
		if n.At < 0 || cfg.Sim.Duration > 0 && n.At >= cfg.Sim.Duration {
			d.Errorf(ErrInvalid, p.Child("at"), "", "at %s is not in the run [0, %s)", n.At, cfg.Sim.Duration)
		}
		if d.IsSet(p.Child("duration")) && n.Duration <= 0 {
			d.Errorf(ErrInvalid, p.Child("duration"), "omit it to run to the end", "must be > 0")
		}
	}
}

// buildNeighbours turns the [[neighbour]] entries into models specs.
func buildNeighbours(c *Config) ([]models.NeighbourSpec, error) {
	var out []models.NeighbourSpec
	for _, n := range c.Neighbours {
		pool := slices.IndexFunc(c.NodePools, func(np NodePool) bool { return np.Name == n.Pool })
		if pool < 0 {
			return nil, fmt.Errorf("%s: neighbour %q shares unknown node pool %q", c.File, n.Name, n.Pool)
		}
		out = append(out, models.NeighbourSpec{Name: n.Name, Pool: pool, CPU: n.CPU, Sensitivity: n.Sensitivity,
			At: engine.Time(n.At), Duration: engine.Duration(n.Duration)})
	}
	return out, nil
}
