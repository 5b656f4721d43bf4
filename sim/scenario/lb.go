package scenario

import (
	"slices"

	"github.com/clustersim/clustersim/sim/engine"
	"github.com/clustersim/clustersim/sim/models"
	"github.com/clustersim/clustersim/sim/tomlpos"
)

// Limits and defaults of the balancer as a component.
const (
	maxLBCapacity   = 1_000_000_000
	maxLBDuration   = Duration(engine.Hour)
	defaultFailover = Duration(3 * engine.Second)
)

// validateLB checks the balancer's component keys.
func (d *checker) validateLB(b *Balancer, p tomlpos.Path) {
	if d.IsSet(p.Child("capacity")) && (b.Capacity < 0 || b.Capacity > maxLBCapacity) {
		d.Errorf(ErrInvalid, p.Child("capacity"), "omit it for no limit", "must be in 0..%d, got %d", maxLBCapacity, b.Capacity)
	}
	for _, k := range []struct {
		key string
		v   Duration
	}{{"latency", b.Latency}, {"failover", b.Failover}} {
		if d.IsSet(p.Child(k.key)) && (k.v < 0 || k.v > maxLBDuration) {
			d.Errorf(ErrInvalid, p.Child(k.key), "", "must be between 0 and 1h, got %s", k.v)
		}
	}
	if d.IsSet(p.Child("failover")) && (b.Standby == "" || b.Standby == StandbyNone) {
		d.Errorf(ErrInvalid, p.Child("failover"), `give standby = "active_passive" or "active_active"`, "failover applies to a balancer with a standby")
	}
}

// validateLBFault checks a [[fault]] on a service's balancer.
func (d *checker) validateLBFault(f *Fault, p tomlpos.Path) {
	if f.Kind != "" && f.Kind != "crash" {
		d.Errorf(ErrInvalid, p.Child("kind"), `use kind = "crash"`, "a balancer fault is a crash, got %q", f.Kind)
	}
	if f.Instances > 2 {
		d.Errorf(ErrInvalid, p.Child("instances"), "a balancer has one or two nodes", "must be 1 or 2 for a balancer, got %d", f.Instances)
	}
	if d.IsSet(p.Child("duration")) && f.Duration <= 0 {
		d.Errorf(ErrInvalid, p.Child("duration"), "the time to repair the node; omit it for never", "must be > 0")
	}
}

// buildLB converts a balancer table's component keys to the models'
// spec; nil when none is given (a fault on the balancer then models it
// as one node without limit or latency).
func buildLB(b Balancer) *models.LBSpec {
	if b.Capacity == 0 && b.Latency == 0 && b.Standby == "" && b.Failover == 0 {
		return nil
	}
	spec := &models.LBSpec{Capacity: b.Capacity, Latency: engine.Duration(b.Latency), Failover: engine.Duration(b.Failover)}
	if i := slices.Index(models.LBStandbys, string(b.Standby)); i > 0 {
		spec.Standby = models.LBStandby(i)
	}
	if spec.Standby != models.StandbyNone && b.Failover == 0 {
		spec.Failover = engine.Duration(defaultFailover)
	}
	return spec
}
