package models

import (
	"fmt"

	"github.com/clustersim/clustersim/sim/engine"
)

// This file holds sidecar proxies (Envoy in an Istio or Linkerd mesh):
// every request entering a service with a sidecar crosses its proxy twice
// (the request and its response), and so does every call leaving it. A
// request's path to its instance is delayed by 2 × latency for the
// callee's sidecar, plus 2 × latency for the caller's when it is a call
// from a service with one, so a hop between two meshed services costs
// 4 × latency. The delay comes before the instance (it holds no slot of
// the callee; a caller waiting on a call holds its own slot throughout).
// The proxy's CPU, CPU vCPU per 1,000 requests per second through it
// (the unit of Istio's published figures), adds rate × CPU / 1000 / the
// instance's CPU request to the instance's CPU metric.

// SidecarSpec is a service's sidecar proxy.
type SidecarSpec struct {
	Latency engine.Duration // each crossing of the proxy, each way
	CPU     float64         // vCPU per 1,000 requests per second through it
}

// setupSidecars registers the proxy hop event when some service has a
// sidecar; without one nothing is allocated and dispatch never looks.
func (c *Cluster) setupSidecars() error {
	for _, s := range c.services {
		sc := s.spec.Sidecar
		if sc == nil {
			continue
		}
		if sc.Latency < 0 || !(sc.CPU >= 0) {
			return fmt.Errorf("models: service %q: bad sidecar %+v", s.spec.Name, *sc)
		}
		if c.kProxy == 0 {
			c.kProxy = c.sim.Register("sidecar", c.onProxied)
		}
		c.sidecars = true
		c.pool.proxied.on = true
	}
	return nil
}

// proxyDelay returns the sidecar latency request id crosses on its way to
// an instance of s, or 0: its callee's sidecar, and its caller's if it is
// a call.
func (c *Cluster) proxyDelay(s *Service, id RequestID) engine.Duration {
	var d engine.Duration
	if sc := s.spec.Sidecar; sc != nil {
		d = sc.Latency.Mul(2)
	}
	if c.pool.links.on {
		if p := c.pool.links.v[id].parent; p != 0 {
			if sc := c.services[c.pool.reqs[p-1].service].spec.Sidecar; sc != nil {
				d = engine.Duration(engine.Time(d).Add(sc.Latency.Mul(2))) // saturates
			}
		}
	}
	return d
}

// throughProxy holds request id in the sidecars it crosses, if any, and
// reports whether it did: dispatch resumes when it comes out.
func (c *Cluster) throughProxy(s *Service, id RequestID) bool {
	if c.pool.proxied.v[id] {
		return false
	}
	c.pool.proxied.v[id] = true
	d := c.proxyDelay(s, id)
	if d <= 0 {
		return false
	}
	c.sim.Schedule(c.sim.Now().Add(d), c.kProxy, int32(id), 0)
	return true
}

// onProxied dispatches a request out of its sidecars.
func (c *Cluster) onProxied(ev engine.Event) {
	c.dispatch(RequestID(ev.Target))
}

// sidecarCPU returns the CPU utilisation a service's sidecar adds to an
// instance receiving rps requests per second: rate × vCPU per 1,000 rps
// over its CPU request (1 core when it requests none).
func sidecarCPU(spec *ServiceSpec, rps float64) float64 {
	sc := spec.Sidecar
	if sc == nil || sc.CPU == 0 {
		return 0
	}
	cores := spec.CPU
	if cores <= 0 {
		cores = 1
	}
	return rps * sc.CPU / 1000 / cores
}
