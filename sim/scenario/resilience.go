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

// Sidecar is a service's sidecar proxy (Envoy in an Istio or Linkerd
// mesh): each request entering the service crosses it twice (request and
// response), and so does each call the service makes.
type Sidecar struct {
	// Latency is each crossing of the proxy, each way, nanoseconds: a
	// request reaching an instance waits 2 × latency for its service's
	// sidecar, plus 2 × the caller's latency when it is a call from a
	// service with a sidecar; default 0, >= 0, at most 10s.
	Latency Duration `toml:"latency,omitzero"`
	// CPU is the proxy's CPU in vCPU per 1,000 requests per second
	// through it (Istio's unit: 0.35 in Istio 1.12's load test); it adds
	// rps × cpu / 1000 / the instance's cpu request (1 core when none) to
	// the autoscaler's CPU metric; default 0, 0 to 100.
	CPU float64 `toml:"cpu,omitzero"`
}

const (
	maxSidecarLatency = 10 * Second
	maxSidecarCPU     = 100.0
)

// validateSidecar checks a service's sidecar table.
func (d *checker) validateSidecar(s *Service, p tomlpos.Path) {
	sc := s.Sidecar
	if sc == nil {
		return
	}
	sp := p.Child("sidecar")
	if sc.Latency < 0 || sc.Latency > maxSidecarLatency {
		d.Errorf(ErrInvalid, sp.Child("latency"), "a proxy adds well under a millisecond a crossing", "must be 0 to %s, got %s", maxSidecarLatency, sc.Latency)
	}
	if !(sc.CPU >= 0 && sc.CPU <= maxSidecarCPU) {
		d.Errorf(ErrInvalid, sp.Child("cpu"), "vCPU per 1,000 requests per second, for example 0.35", "must be 0 to %v, got %v", maxSidecarCPU, sc.CPU)
	}
	if s.Platform == "function" {
		d.Errorf(ErrInvalid, sp, "functions run without a mesh proxy", "sidecar does not apply to a function")
	}
}

// buildSidecar fills a service's sidecar.
func buildSidecar(s Service, spec *models.ServiceSpec) {
	if sc := s.Sidecar; sc != nil {
		spec.Sidecar = &models.SidecarSpec{Latency: engine.Duration(sc.Latency), CPU: sc.CPU}
	}
}

// noEndpointCallPolicy refuses a timeout, retry or breaker on an
// endpoint's calls entry at cp: they apply to a service's calls only.
func (d *checker) noEndpointCallPolicy(cp tomlpos.Path) {
	for _, k := range []string{"timeout", "retry", "breaker"} {
		if d.IsSet(cp.Child(k)) {
			d.Errorf(ErrInvalid, cp.Child(k), "give it on the service's calls instead", "%s applies to a service's calls, not an endpoint's", k)
		}
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
