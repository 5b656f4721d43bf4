// Package shard maps a key to the shard that holds it: by hash (keys
// spread evenly whatever their popularity) or by range (contiguous key
// ranges, so that popular neighbouring keys share a shard: the hot-shard
// case).
package shard

import "github.com/clustersim/clustersim/sim/policies"

// Hash returns the shard of key among n by hash(key) mod n, the hash being
// splitmix64's finalizer (policies.Mix64). n must be >= 1.
func Hash(key int32, n int) int {
	return int(policies.Mix64(uint64(key)) % uint64(n))
}

// Range returns the shard of key (0..keys-1) among n shards holding equal
// contiguous ranges: shard j holds keys j·keys/n up to (j+1)·keys/n,
// rounded down. keys and n must be >= 1.
func Range(key int32, keys, n int) int {
	return int(int64(key) * int64(n) / int64(keys))
}
