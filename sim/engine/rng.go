package engine

import "math/rand/v2"

// NewStream returns the random stream for one named component of a run:
// a PCG generator seeded from (seed, name). Streams of different names are
// independent, and a stream depends only on its own name, so adding a
// component never shifts another component's draws, and two runs that
// differ only in policy see the same arrivals and service times (common
// random numbers).
func NewStream(seed uint64, name string) *rand.Rand {
	h := fnv64(name)
	return rand.New(rand.NewPCG(splitmix(seed^splitmix(h)), splitmix(h+0x9e3779b97f4a7c15)))
}

// fnv64 is the 64-bit FNV-1a hash of s.
func fnv64(s string) uint64 {
	h := uint64(14695981039346656037)
	for i := 0; i < len(s); i++ {
		h ^= uint64(s[i])
		h *= 1099511628211
	}
	return h
}

// splitmix is the SplitMix64 finaliser, used to spread seed bits.
func splitmix(x uint64) uint64 {
	x += 0x9e3779b97f4a7c15
	x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9
	x = (x ^ (x >> 27)) * 0x94d049bb133111eb
	return x ^ (x >> 31)
}
