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
