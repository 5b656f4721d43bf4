package interference_test

import (
	"testing"

	"github.com/clustersim/clustersim/sim/policies/interference"
)

// TestSlowdown checks 1 + k·min(1, cpu/nodeCPU) on hand-computed cases.
func TestSlowdown(t *testing.T) {
	tests := []struct {
		name             string
		k, cpu, node     float64
		want, wantPressr float64
	}{
		{"three of four cores, k 0.8", 0.8, 3, 4, 1.6, 0.75},
		{"half a node, k 1", 1, 2, 4, 1.5, 0.5},
		{"more than the node saturates", 2, 16, 8, 3, 1},
		{"no sensitivity", 0, 3, 4, 1, 0.75},
		{"no neighbour", 1, 0, 4, 1, 0},
		{"no node", 1, 1, 0, 1, 0},
		{"NaN sensitivity", nan(), 1, 4, 1, 0.25},
	}
	for _, tt := range tests {
		if got := interference.Slowdown(tt.k, tt.cpu, tt.node); got != tt.want {
			t.Errorf("%s: Slowdown = %v, want %v", tt.name, got, tt.want)
		}
		if got := interference.Pressure(tt.cpu, tt.node); got != tt.wantPressr {
			t.Errorf("%s: Pressure = %v, want %v", tt.name, got, tt.wantPressr)
		}
	}
}

func nan() float64 { z := 0.0; return z / z }
