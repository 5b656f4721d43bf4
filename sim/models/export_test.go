package models

// Rebalanced returns the connections service name sent GOAWAY by
// rebalancing (rebalance.go), for tests.
func (c *Cluster) Rebalanced(name string) int64 {
	for _, s := range c.services {
		if s.spec.Name == name && s.conn != nil {
			return s.conn.rebalanced
		}
	}
	return -1
}

// InstanceArrivals returns the requests routed to each instance of
// service name, by instance index, for tests.
func (c *Cluster) InstanceArrivals(name string) []int64 {
	for _, s := range c.services {
		if s.spec.Name == name {
			out := make([]int64, len(s.instances))
			for i, in := range s.instances {
				out[i] = in.arrivals
			}
			return out
		}
	}
	return nil
}
