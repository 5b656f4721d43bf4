package scenario

import (
	"github.com/clustersim/clustersim/sim/engine"
	"github.com/clustersim/clustersim/sim/models"
	"github.com/clustersim/clustersim/sim/tomlpos"
)

// This file holds the resilience keys beyond retries and breakers
// (clients.go): a workload's hedge table and a service's retry_after.
// config.go declares the fields.

// Hedge is a workload's hedging table (Dean & Barroso, "The Tail at
// Scale"): a request with no answer Delay after it was sent is sent
// again, through the balancer, up to Max more times, Delay apart; the
// first answer wins and the other copies are left to finish.
type Hedge struct {
	// Delay is how long without an answer before the next copy,
	// nanoseconds (often the service's p95); required, > 0.
	Delay Duration `toml:"delay"`
	// Max is the copies sent at most besides the original; default 1, 1
	// to 10.
	Max int `toml:"max"`
}

const maxHedges = 10

// DefaultHedge returns a hedge table's defaults.
func DefaultHedge() Hedge { return Hedge{Max: 1} }

// validateHedge checks a workload's hedge table against its target.
func (d *checker) validateHedge(w *Workload, p tomlpos.Path, target *Service) {
	h := w.Hedge
	if h == nil {
		return
	}
	hp := p.Child("hedge")
	if !d.IsSet(hp.Child("max")) {
		h.Max = DefaultHedge().Max
	}
	switch {
	case !d.IsSet(hp.Child("delay")):
		d.Errorf(ErrMissing, hp.Child("delay"), `how long without an answer before a copy, for example delay = "50ms"`, "required")
	case h.Delay <= 0:
		d.Errorf(ErrInvalid, hp.Child("delay"), "", "must be > 0")
	}
	if h.Max < 1 || h.Max > maxHedges {
		d.Errorf(ErrInvalid, hp.Child("max"), "copies besides the original", "must be 1 to %d, got %d", maxHedges, h.Max)
	}
	if w.Retry != nil {
		d.Errorf(ErrInvalid, hp, "gRPC's service config allows a retry policy or a hedging policy, not both", "hedge does not combine with retry")
	}
	if w.Network != nil || w.Lifetime != nil {
		d.Errorf(ErrInvalid, hp, "hedge requests sent without a connection model", "hedge does not combine with network or lifetime")
	}
	if target != nil && (target.Platform == "function" || len(target.Versions) > 0) {
		d.Errorf(ErrInvalid, hp, "hedge a service that is neither a function nor versioned", "hedging is not modelled for service %q", target.Name)
	}
}

// validateRetryAfter checks a service's retry_after.
func (d *checker) validateRetryAfter(s *Service, p tomlpos.Path) {
	if d.IsSet(p.Child("retry_after")) && s.RetryAfter <= 0 {
		d.Errorf(ErrInvalid, p.Child("retry_after"), "omit it for answers without Retry-After", "must be > 0")
	}
}

// buildHedge fills a workload's hedging.
func buildHedge(w Workload, spec *models.WorkloadSpec) {
	if h := w.Hedge; h != nil {
		spec.Hedge = &models.HedgeSpec{Delay: engine.Duration(h.Delay), Max: h.Max}
	}
}

// buildRetryAfter fills a service's Retry-After.
func buildRetryAfter(s Service, spec *models.ServiceSpec) {
	spec.RetryAfter = engine.Duration(s.RetryAfter)
}
