package models

import (
	"testing"

	"github.com/clustersim/clustersim/sim/engine"
)

// TestWorseToKeep pins the scale-in order of Kubernetes' ReplicaSet
// controller (ActivePodsWithRanks.Less in pkg/controller/controller_utils.go,
// LogarithmicScaleDown on), worked by hand at now = 1 h. Buckets are
// floor(log2(ns since)): 10 s → 33, 40 s and 50 s → 35, 60 s → 35,
// 100 s and 120 s → 36.
func TestWorseToKeep(t *testing.T) {
	const now = engine.Time(engine.Hour)
	ago := func(s float64) engine.Time { return now - engine.Time(engine.FromSeconds(s)) }
	ready := func(readyAgo, createdAgo float64, node int32) *instance {
		return &instance{state: Ready, changed: ago(readyAgo), created: ago(createdAgo), started: ago(createdAgo), node: node}
	}
	colocated := []int32{3, 1}
	tests := []struct {
		name string
		a, b *instance
		want bool // a goes before b
	}{
		{"unscheduled before scheduled", &instance{state: Pending, node: -1, created: ago(1)}, &instance{state: Starting, node: 0, started: ago(5), created: ago(300)}, true},
		{"scheduled after unscheduled", &instance{state: Starting, node: 0, started: ago(5)}, &instance{state: Pending, node: -1}, false},
		{"pulling its image (Pending) before running", &instance{state: Starting, node: 0, started: now + 1, created: ago(300)}, &instance{state: Starting, node: 0, started: ago(1), created: ago(2)}, true},
		{"not ready before ready", &instance{state: Unready, node: 0, changed: ago(5), created: ago(3000)}, ready(3000, 3000, 0), true},
		{"doubled up on a node before alone", ready(3000, 3000, 0), ready(10, 10, 1), true},
		{"alone after doubled up", ready(10, 10, 1), ready(3000, 3000, 0), false},
		{"ready more recently first (bucket 33 vs 36)", ready(10, 3000, 0), ready(100, 20, 0), true},
		{"created more recently first (bucket 35 vs 36)", &instance{state: Unready, node: 0, changed: ago(1), created: ago(60)}, &instance{state: Unready, node: 0, changed: ago(1), created: ago(120)}, true},
		{"equal instances: keep the earlier pick", ready(10, 10, 0), ready(10, 10, 0), false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := worseToKeep(tt.a, tt.b, 0, 1, now, colocated); got != tt.want {
				t.Errorf("got %v, want %v", got, tt.want)
			}
		})
	}
	// Same bucket (ready 40 s and 50 s ago, both bucket 35): Kubernetes
	// compares pod UIDs, not ready times, so the order is arbitrary but
	// fixed, and consistent both ways.
	a, b := ready(40, 40, 0), ready(50, 50, 0)
	ab, ba := worseToKeep(a, b, 0, 1, now, colocated), worseToKeep(b, a, 1, 0, now, colocated)
	if ab == ba {
		t.Errorf("same-bucket order not antisymmetric: %v %v", ab, ba)
	}
	if want := podUID(a, 0) < podUID(b, 1); ab != want {
		t.Errorf("same bucket: got %v, want the UID order %v", ab, want)
	}
}
