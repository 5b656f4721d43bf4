package models

import (
	"github.com/clustersim/clustersim/sim/policies/cost"
	"github.com/clustersim/clustersim/sim/results"
)

// costColumns appends a service's throttles and cost_usd columns for the
// closing window of span seconds, folding function counters into their
// totals if the window is counted.
func (c *Cluster) costColumns(row []float64, s *Service, span float64, counted bool) []float64 {
	if s.fn != nil {
		throttles, usd := c.fnWindow(s, counted)
		return append(row, float64(throttles)/span, usd)
	}
	return append(row, 0, c.instanceUSD(s, float64(s.win.billInt)/1e9))
}

// instanceUSD prices instSec instance-seconds of an instance or container
// service: at its CostPerHour, or for a container without one at the
// price table's per-vCPU and per-GB rates on its CPU and Memory requests.
// Either is multiplied by its PriceFactor (a reserved or spot discount).
func (c *Cluster) instanceUSD(s *Service, instSec float64) float64 {
	f := s.spec.PriceFactor
	if f == 0 {
		f = 1
	}
	if s.spec.Platform == PlatformContainer && s.spec.CostPerHour == 0 {
		return f * c.prices.ContainerUSD(s.spec.Arch, s.spec.CPU, s.spec.Memory, instSec)
	}
	return f * cost.InstanceUSD(s.spec.CostPerHour, instSec)
}

// serviceCost returns a service's whole-run cost after warm-up and fills
// its function figures, if it is one.
func (c *Cluster) serviceCost(s *Service, ss *results.ServiceSummary, instSec float64) float64 {
	if s.fn != nil {
		return c.fnSummary(s, ss)
	}
	return c.instanceUSD(s, instSec)
}
