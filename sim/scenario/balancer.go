package scenario

import (
	"slices"
	"strings"

	"github.com/clustersim/clustersim/sim/engine"
	"github.com/clustersim/clustersim/sim/policies"
	"github.com/clustersim/clustersim/sim/tomlpos"
)

// balancerKeyUsers lists, for each algorithm-specific balancer key, the
// algorithms that read it; giving it with another is an error.
var balancerKeyUsers = []struct {
	key   string
	algos []Algorithm
}{
	{"choice_count", []Algorithm{AlgorithmP2C}},
	{"active_request_bias", []Algorithm{AlgorithmP2C}},
	{"weights", []Algorithm{AlgorithmWeightedRoundRobin, AlgorithmP2C}},
	{"slow_start_window", []Algorithm{AlgorithmWeightedRoundRobin, AlgorithmP2C}},
	{"aggression", []Algorithm{AlgorithmWeightedRoundRobin, AlgorithmP2C}},
	{"min_weight_percent", []Algorithm{AlgorithmWeightedRoundRobin, AlgorithmP2C}},
	{"ring_size", []Algorithm{AlgorithmRingHash}},
	{"table_size", []Algorithm{AlgorithmMaglev}},
	{"bounded_load", []Algorithm{AlgorithmRingHash, AlgorithmMaglev}},
	{"ttl", []Algorithm{AlgorithmDNS}},
	{"subset_size", []Algorithm{AlgorithmSubset}},
	{"aperture", []Algorithm{AlgorithmSubset}},
}

// Limits of the balancer settings.
const (
	maxChoiceCount = 100
	maxRingSize    = 1 << 23 // Envoy's 8M entries
	maxTableSize   = 5000011 // Envoy's limit
	maxSubsetSize  = 10000
	maxWeight      = 1e6
	maxWeights     = 100000
	maxKeys        = 1000000
	maxZipf        = 10.0
	maxExponent    = 100.0 // active_request_bias, aggression, bounded_load
)

// validateBalancer checks a service's balancer settings: ranges, and
// that each algorithm-specific key goes with an algorithm that reads it.
func (d *checker) validateBalancer(b *Balancer, p tomlpos.Path) {
	for _, u := range balancerKeyUsers {
		if d.IsSet(p.Child(u.key)) && !slices.Contains(u.algos, b.Algorithm) {
			names := make([]string, len(u.algos))
			for i, a := range u.algos {
				names[i] = string(a)
			}
			d.Errorf(ErrInvalid, p.Child(u.key), "it applies to algorithm "+strings.Join(names, " or "),
				"%s does not apply to algorithm %q", u.key, b.Algorithm)
		}
	}
	if d.IsSet(p.Child("choice_count")) && (b.ChoiceCount < 2 || b.ChoiceCount > maxChoiceCount) {
		d.Errorf(ErrInvalid, p.Child("choice_count"), "Envoy's default is 2", "must be in 2..%d, got %d", maxChoiceCount, b.ChoiceCount)
	}
	if v := b.ActiveRequestBias; v != nil && !(*v >= 0 && *v <= maxExponent) {
		d.Errorf(ErrInvalid, p.Child("active_request_bias"), "Envoy's default is 1.0", "must be in 0..%v, got %v", maxExponent, *v)
	}
	if len(b.Weights) > maxWeights {
		d.Errorf(ErrInvalid, p.Child("weights"), "", "at most %d weights, got %d", maxWeights, len(b.Weights))
	}
	for i, w := range b.Weights {
		if !(w > 0 && w <= maxWeight) {
			d.Errorf(ErrInvalid, p.Child("weights"), "weights are relative: 1 is a normal instance", "weight %d must be in (0, %v], got %v", i, maxWeight, w)
			break
		}
	}
	if d.IsSet(p.Child("slow_start_window")) && b.SlowStartWindow <= 0 {
		d.Errorf(ErrInvalid, p.Child("slow_start_window"), "omit it for no slow start", "must be > 0, got %v", b.SlowStartWindow)
	}
	for _, k := range []string{"aggression", "min_weight_percent"} {
		if d.IsSet(p.Child(k)) && b.SlowStartWindow <= 0 {
			d.Errorf(ErrInvalid, p.Child(k), "give slow_start_window", "%s shapes slow start, which is off", k)
		}
	}
	if d.IsSet(p.Child("aggression")) && !(b.Aggression > 0 && b.Aggression <= maxExponent) {
		d.Errorf(ErrInvalid, p.Child("aggression"), "Envoy's default is 1.0", "must be in (0, %v], got %v", maxExponent, b.Aggression)
	}
	if d.IsSet(p.Child("min_weight_percent")) && !(b.MinWeightPercent > 0 && b.MinWeightPercent <= 100) {
		d.Errorf(ErrInvalid, p.Child("min_weight_percent"), "Envoy's default is 10", "must be in (0, 100], got %v", b.MinWeightPercent)
	}
	if d.IsSet(p.Child("ring_size")) && (b.RingSize < 1 || b.RingSize > maxRingSize) {
		d.Errorf(ErrInvalid, p.Child("ring_size"), "Envoy's default is 1024", "must be in 1..%d, got %d", maxRingSize, b.RingSize)
	}
	if d.IsSet(p.Child("table_size")) && (b.TableSize < 2 || b.TableSize > maxTableSize || !isPrime(b.TableSize)) {
		d.Errorf(ErrInvalid, p.Child("table_size"), "Envoy's default is 65537", "must be a prime up to %d, got %d", maxTableSize, b.TableSize)
	}
	if d.IsSet(p.Child("bounded_load")) && !(b.BoundedLoad > 1 && b.BoundedLoad <= maxExponent) {
		d.Errorf(ErrInvalid, p.Child("bounded_load"), "1.25 is the paper's example", "must be in (1, %v], got %v", maxExponent, b.BoundedLoad)
	}
	if d.IsSet(p.Child("ttl")) && b.TTL <= 0 {
		d.Errorf(ErrInvalid, p.Child("ttl"), "", "must be > 0, got %v", b.TTL)
	}
	if d.IsSet(p.Child("subset_size")) && (b.SubsetSize < 1 || b.SubsetSize > maxSubsetSize) {
		d.Errorf(ErrInvalid, p.Child("subset_size"), "", "must be in 1..%d, got %d", maxSubsetSize, b.SubsetSize)
	}
	d.validateLB(b, p)
}

// validateKeys checks a workload's request keys.
func (d *checker) validateKeys(w *Workload, p tomlpos.Path) {
	if d.IsSet(p.Child("keys")) && (w.Keys < 1 || w.Keys > maxKeys) {
		d.Errorf(ErrInvalid, p.Child("keys"), "omit it for requests without keys", "must be in 1..%d, got %d", maxKeys, w.Keys)
	}
	if d.IsSet(p.Child("zipf")) {
		switch {
		case w.Keys <= 0:
			d.Errorf(ErrInvalid, p.Child("zipf"), "give keys", "zipf shapes the keys' popularity, and there are none")
		case !(w.Zipf >= 0 && w.Zipf <= maxZipf):
			d.Errorf(ErrInvalid, p.Child("zipf"), "0 is uniform, about 1 is typical of caches", "must be in 0..%v, got %v", maxZipf, w.Zipf)
		}
	}
}

// validateKeyed checks that every service balanced by key is sent keys.
func (d *checker) validateKeyed(cfg *Config, sp tomlpos.Path) {
	for i, s := range cfg.Services {
		if !policies.KeyedAlgorithm(string(s.Balancer.Algorithm)) {
			continue
		}
		keyed := s.Sessions != nil && s.Sessions.Store == StoreMemory // keyed by user
		for _, w := range cfg.Workloads {
			keyed = keyed || (w.Target == s.Name && (w.Keys > 0 || w.Arrival == ArrivalTrace && w.TraceInfo.Keys > 0))
		}
		if !keyed {
			d.Errorf(ErrMissing, sp.Elem(i, s.Name).Child("balancer").Child("algorithm"),
				"give the workloads that target it keys = N", "%s picks by request key, and no workload sends %q keys", s.Balancer.Algorithm, s.Name)
		}
	}
}

// buildBalancer converts a balancer table to the policies' settings.
func buildBalancer(b Balancer) policies.Config {
	c := policies.Config{
		Algorithm:        string(b.Algorithm),
		ChoiceCount:      b.ChoiceCount,
		SlowStartWindow:  engine.Duration(b.SlowStartWindow),
		Aggression:       b.Aggression,
		MinWeightPercent: b.MinWeightPercent,
		RingSize:         b.RingSize,
		TableSize:        b.TableSize,
		BoundedLoad:      b.BoundedLoad,
		TTL:              engine.Duration(b.TTL),
		SubsetSize:       b.SubsetSize,
		Aperture:         string(b.Aperture),
	}
	if v := b.ActiveRequestBias; v != nil {
		c.ActiveRequestBias = *v
		if *v == 0 {
			c.ActiveRequestBias = -1 // policies: negative is 0, zero the default
		}
	}
	return c
}

// isPrime reports whether n is a prime, by trial division.
func isPrime(n int) bool {
	if n < 2 {
		return false
	}
	for k := 2; k*k <= n; k++ {
		if n%k == 0 {
			return false
		}
	}
	return true
}
