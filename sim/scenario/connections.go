package scenario

import (
	"math/rand/v2"

	"github.com/clustersim/clustersim/sim/dist"
	"github.com/clustersim/clustersim/sim/engine"
	"github.com/clustersim/clustersim/sim/models"
	"github.com/clustersim/clustersim/sim/policies/network"
	"github.com/clustersim/clustersim/sim/tomlpos"
)

// Bounds of the connection keys that feed integers: a client is a record
// in memory, so their number is bounded like instances.
const (
	maxClients = 1_000_000
	maxPool    = 1 << 30
)

// validateConnections checks a workload's network table and long-lived
// connection keys.
func (d *checker) validateConnections(w *Workload, p tomlpos.Path) {
	if n := w.Network; n != nil {
		np := p.Child("network")
		if n.RTT < 0 {
			d.Errorf(ErrInvalid, np.Child("rtt"), "the client's round trip to the balancer", "must be >= 0")
		}
		if d.IsSet(np.Child("edge_rtt")) && (n.EdgeRTT < 0 || n.EdgeRTT > n.RTT) {
			d.Errorf(ErrInvalid, np.Child("edge_rtt"), "the round trip to a point of presence on the way to the service, within rtt",
				"must be between 0 and rtt (%s), got %s", n.RTT, n.EdgeRTT)
		}
		if n.Pool < 0 || n.Pool > maxPool {
			d.Errorf(ErrInvalid, np.Child("pool"), "0 for no limit", "must be between 0 and %d, got %d", maxPool, n.Pool)
		}
		if n.Clients < 1 || n.Clients > maxClients {
			d.Errorf(ErrInvalid, np.Child("clients"), "", "must be between 1 and %d, got %d", maxClients, n.Clients)
		}
		if n.Streams < 1 || n.Streams > maxPool {
			d.Errorf(ErrInvalid, np.Child("streams"), "1 for HTTP/1.1, more for HTTP/2", "must be between 1 and %d, got %d", maxPool, n.Streams)
		}
		if n.IdleTimeout < 0 {
			d.Errorf(ErrInvalid, np.Child("idle_timeout"), `"0s" never closes idle connections`, "must be >= 0")
		}
	}
	if w.Lifetime != nil {
		d.validateDist(w.Lifetime, p.Child("lifetime"))
		if w.MessageRate <= 0 {
			d.Errorf(ErrMissing, p.Child("message_rate"), "requests per second on each connection", "required (> 0) with lifetime")
		}
	} else if d.IsSet(p.Child("message_rate")) && !d.Failed(p.Child("lifetime")) {
		d.Errorf(ErrInvalid, p.Child("message_rate"), "give lifetime too", "message_rate needs lifetime")
	}
	if w.MessageRate < 0 {
		d.Errorf(ErrInvalid, p.Child("message_rate"), "", "must be > 0, got %v", w.MessageRate)
	}
	if w.Lifetime != nil && w.Network != nil && w.Network.Pool > 0 {
		d.Errorf(ErrInvalid, p.Child("network").Child("pool"), "omit pool: each arrival is its own connection", "pool does not apply to long-lived connections")
	}
}

// validateServiceConns checks a service's connection keys.
func (d *checker) validateServiceConns(s *Service, p tomlpos.Path) {
	if s.MaxConnectionAge < 0 {
		d.Errorf(ErrInvalid, p.Child("max_connection_age"), "omit it for no limit", "must be > 0")
	}
	if s.MaxConnectionAgeGrace < 0 {
		d.Errorf(ErrInvalid, p.Child("max_connection_age_grace"), "", "must be >= 0")
	}
	if d.IsSet(p.Child("max_connection_age_grace")) && s.MaxConnectionAge == 0 {
		d.Errorf(ErrInvalid, p.Child("max_connection_age_grace"), "set max_connection_age too", "a grace needs max_connection_age")
	}
}

// buildNetwork turns a workload's network table into the models' spec.
func buildNetwork(w Workload, spec *models.WorkloadSpec) {
	if n := w.Network; n != nil {
		proto, _ := network.Parse(string(n.Protocol)) // validated by the schema's enum
		spec.Network = &models.NetworkSpec{
			RTT: engine.Duration(n.RTT), Protocol: proto, Resumption: n.Resumption,
			KeepAlive: n.KeepAlive, Pool: n.Pool, IdleTimeout: engine.Duration(n.IdleTimeout), Clients: n.Clients, Streams: n.Streams,
			EdgeRTT: engine.Duration(n.EdgeRTT),
		}
	}
	if w.Lifetime != nil {
		spec.Lifetime = w.Lifetime.Spec()
		spec.MessageRate = w.MessageRate
	}
}

// buildServiceConns copies a service's connection keys to the models' spec.
func buildServiceConns(s Service, spec *models.ServiceSpec) {
	spec.L4 = s.Balancer.Layer == LayerL4
	spec.MaxConnectionAge = engine.Duration(s.MaxConnectionAge)
	spec.MaxConnectionAgeGrace = engine.Duration(s.MaxConnectionAgeGrace)
	spec.Rebalance = s.Rebalance
}

// messagesPerConnection bounds the messages one long-lived connection of
// w sends in a run of length dur: message_rate × min(mean lifetime, dur),
// which is at least message_rate × E[min(lifetime, dur)] (min is
// concave). 0 for a workload without long-lived connections.
func messagesPerConnection(w Workload, dur engine.Duration) float64 {
	if w.Lifetime == nil || w.MessageRate <= 0 {
		return 0
	}
	s, err := dist.New(w.Lifetime.Spec(), rand.New(rand.NewPCG(0, 0)))
	if err != nil {
		return 0
	}
	return w.MessageRate * min(s.Mean(), dur.Seconds())
}
