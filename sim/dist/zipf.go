package dist

import (
	"fmt"
	"math"
	"math/rand/v2"
	"sort"
)

// Zipf draws keys 0..n-1 with P(k) ∝ 1/(k+1)^s: key 0 the most popular.
// Unlike math/rand/v2's Zipf it takes any exponent s >= 0 (web and CDN
// popularity is often fitted with s between 0.6 and 1), over a finite key
// set, by inverting the cumulative distribution, computed once (8 bytes a
// key), with a binary search per draw.
type Zipf struct {
	cdf []float64
	r   *rand.Rand
}

// MaxZipfKeys bounds the key set (8 MiB of cumulative distribution).
const MaxZipfKeys = 1 << 20

// NewZipf returns a Zipf sampler over n keys with exponent s, drawing from
// r.
func NewZipf(n int, s float64, r *rand.Rand) (*Zipf, error) {
	if n < 1 || n > MaxZipfKeys {
		return nil, fmt.Errorf("dist: zipf needs 1 to %d keys, got %d", MaxZipfKeys, n)
	}
	if !(s >= 0) || math.IsInf(s, 0) {
		return nil, fmt.Errorf("dist: zipf exponent must be >= 0, got %v", s)
	}
	cdf := ZipfProbabilities(n, s)
	sum := 0.0
	for i, p := range cdf {
		sum += p
		cdf[i] = sum
	}
	cdf[n-1] = 1
	return &Zipf{cdf: cdf, r: r}, nil
}

// ZipfProbabilities returns P(k) = (k+1)^-s / H(n, s) for k in 0..n-1,
// summed in a fixed order.
func ZipfProbabilities(n int, s float64) []float64 {
	p := make([]float64, n)
	h := 0.0
	for k := range p {
		p[k] = math.Pow(float64(k+1), -s)
		h += p[k]
	}
	for k := range p {
		p[k] /= h
	}
	return p
}

// Key draws one key.
func (z *Zipf) Key() int32 {
	u := z.r.Float64()
	return int32(sort.SearchFloat64s(z.cdf, u))
}
