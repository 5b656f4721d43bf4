package shard_test

import (
	"testing"

	"github.com/clustersim/clustersim/sim/policies/shard"
)

// TestRange: shard j holds keys ⌊j·keys/n⌋ .. ⌊(j+1)·keys/n⌋−1, by hand:
// 100 keys over 4 shards are 0–24, 25–49, 50–74, 75–99; 10 keys over 3
// are 0–3, 4–6, 7–9.
func TestRange(t *testing.T) {
	tests := []struct {
		key        int32
		keys, n, w int
	}{
		{0, 100, 4, 0}, {24, 100, 4, 0}, {25, 100, 4, 1}, {49, 100, 4, 1},
		{50, 100, 4, 2}, {74, 100, 4, 2}, {75, 100, 4, 3}, {99, 100, 4, 3},
		{3, 10, 3, 0}, {4, 10, 3, 1}, {6, 10, 3, 1}, {7, 10, 3, 2}, {9, 10, 3, 2},
		{5, 10, 1, 0}, {1<<20 - 1, 1 << 20, 7, 6},
	}
	for _, tc := range tests {
		if got := shard.Range(tc.key, tc.keys, tc.n); got != tc.w {
			t.Errorf("Range(%d, %d, %d) = %d, want %d", tc.key, tc.keys, tc.n, got, tc.w)
		}
	}
}

// TestHash: hash sharding is stable, in range, and spreads consecutive
// keys evenly: 100,000 keys over 4 shards put 25,000 ± 4σ (σ =
// √(100000·¼·¾) ≈ 137, the binomial spread of a random assignment) on
// each; one shard takes everything.
func TestHash(t *testing.T) {
	count := make([]int, 4)
	for k := range int32(100000) {
		s := shard.Hash(k, 4)
		if s < 0 || s >= 4 || s != shard.Hash(k, 4) {
			t.Fatalf("Hash(%d, 4) = %d", k, s)
		}
		count[s]++
	}
	for s, n := range count {
		if n < 25000-548 || n > 25000+548 {
			t.Errorf("shard %d holds %d of 100000 keys, want 25000 ± 548", s, n)
		}
	}
	if shard.Hash(12345, 1) != 0 {
		t.Error("one shard must hold every key")
	}
}
