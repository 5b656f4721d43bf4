package models

import (
	"math"
	"math/rand/v2"
	"slices"
)

// KeySpec gives a workload's requests a key: a user, session, client or
// object id drawn from Keys values, uniformly or by Zipf's law. Balancers
// that hash or stick (ring_hash, maglev, sticky, dns, subset) read it.
type KeySpec struct {
	Keys int     // distinct keys, 0 for requests without one
	Zipf float64 // exponent s: key k (from 0) has weight 1/(k+1)^s; 0 for uniform
}

// keySampler draws request keys on the stream "workload.NAME.keys". It is
// the one place a request's key is drawn, so that another source of keys
// (a cache's key space) can be merged into it.
type keySampler struct {
	r   *rand.Rand
	n   uint64
	cdf []float64 // cumulative Zipf weights; nil for uniform
}

// newKeySampler returns the sampler of spec, nil when it gives no keys.
func newKeySampler(spec KeySpec, r *rand.Rand) *keySampler {
	if spec.Keys <= 0 {
		return nil
	}
	k := &keySampler{r: r, n: uint64(spec.Keys)}
	if spec.Zipf > 0 {
		k.cdf = make([]float64, spec.Keys)
		sum := 0.0
		for i := range k.cdf {
			sum += math.Pow(float64(i+1), -spec.Zipf)
			k.cdf[i] = sum
		}
	}
	return k
}

// draw returns the next key.
func (k *keySampler) draw() uint64 {
	if k.cdf == nil {
		return k.r.Uint64N(k.n)
	}
	u := k.r.Float64() * k.cdf[len(k.cdf)-1]
	i, _ := slices.BinarySearch(k.cdf, u)
	return uint64(min(i, len(k.cdf)-1))
}
