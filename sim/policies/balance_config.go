package policies

import (
	"fmt"
	"math/rand/v2"

	"github.com/clustersim/clustersim/sim/engine"
)

// Host describes one backend to a balancer that needs more than its load:
// who it is (hashing, stickiness, DNS answers), its weight, and when it
// joined the rotation (slow start).
type Host struct {
	ID     uint64      // stable identity: never reused by another backend
	Weight float64     // load-balancing weight, > 0 (1 for an unweighted backend)
	Joined engine.Time // when it entered the rotation; slow start counts from here
}

// HostWatcher is implemented by a Balancer that must know who its
// backends are. The caller reports the whole set after every membership
// change (after the MemberWatcher call, if any): hosts[i] describes the
// backend of load[i]. Both slices are the caller's and valid only during
// the call.
type HostWatcher interface {
	Hosts(hosts []Host, load []int32)
}

// Clocked is implemented by a Balancer whose decision depends on the time
// (slow start, DNS TTLs); the caller sets the time before each pick.
type Clocked interface {
	SetNow(now engine.Time)
}

// Keyed is implemented by a Balancer that picks by a request key (a hash
// key, a session cookie, the client that sends the request). PickKey
// returns -1 when the request cannot be sent: a client that holds a stale
// answer naming a backend no longer in rotation (DNS).
type Keyed interface {
	PickKey(key uint64, load []int32) int
}

// Feedback is implemented by a Balancer that learns from each answer: rt
// is the response time the balancer observed for a request it sent to
// backend i, successful or not.
type Feedback interface {
	Observe(i int, rt engine.Duration)
}

// Config is an algorithm with its settings, as a scenario gives them.
// Zero fields take the documented defaults (DefaultConfig).
type Config struct {
	Algorithm string // one of Algorithms

	// ChoiceCount is how many backends p2c (Envoy's least request)
	// samples, with replacement; default 2.
	ChoiceCount int
	// Weighted says the backends may have different weights (the caller
	// reports them through HostWatcher); without it, and without slow
	// start, p2c ignores weights and needs no host reports.
	Weighted bool
	// ActiveRequestBias is the exponent of Envoy's dynamic weight
	// weight / (active + 1)^bias, used by p2c when weights differ;
	// default 1.0. Negative means 0 (not given is 1.0, as in Envoy).
	ActiveRequestBias float64

	// SlowStartWindow is Envoy's slow_start_window: a backend that
	// joined less than this long ago has its weight scaled down
	// (weighted_round_robin, p2c); 0 disables slow start.
	SlowStartWindow engine.Duration
	// Aggression is slow start's aggression; default 1.0 (linear ramp).
	Aggression float64
	// MinWeightPercent is slow start's floor, percent; default 10.
	MinWeightPercent float64

	// RingSize is ring_hash's minimum ring size; default 1024 (Envoy's
	// minimum_ring_size).
	RingSize int
	// TableSize is maglev's lookup table size, a prime; default 65537.
	TableSize int
	// BoundedLoad is c of consistent hashing with bounded loads (Mirrokni,
	// Thorup, Zadimoghaddam 2016; Envoy's hash_balance_factor / 100): no
	// backend takes more than ceil(c × mean load); 0 for none, else > 1.
	BoundedLoad float64

	// TTL is how long a dns client keeps an answer; default 30s.
	TTL engine.Duration

	// SubsetSize is how many backends each client of subset connects to;
	// default 3.
	SubsetSize int
	// Aperture is how subset clients choose their backends: "random"
	// (default) or "deterministic" (Finagle's deterministic aperture).
	Aperture string
	// Clients is the number of distinct clients (request keys) subset
	// balances for; deterministic aperture spreads them over the ring.
	Clients int
}

// Defaults of Config.
const (
	DefaultChoiceCount       = 2
	DefaultActiveRequestBias = 1.0
	DefaultAggression        = 1.0
	DefaultMinWeightPercent  = 10.0
	DefaultRingSize          = 1024
	DefaultTableSize         = 65537
	DefaultTTL               = 30 * engine.Second
	DefaultSubsetSize        = 3
	ApertureRandom           = "random"
	ApertureDeterministic    = "deterministic"
)

// withDefaults fills in the zero fields of c.
func (c Config) withDefaults() Config {
	if c.ChoiceCount <= 0 {
		c.ChoiceCount = DefaultChoiceCount
	}
	if c.ActiveRequestBias == 0 {
		c.ActiveRequestBias = DefaultActiveRequestBias
	} else if c.ActiveRequestBias < 0 {
		c.ActiveRequestBias = 0
	}
	if c.Aggression <= 0 {
		c.Aggression = DefaultAggression
	}
	if c.MinWeightPercent <= 0 {
		c.MinWeightPercent = DefaultMinWeightPercent
	}
	if c.RingSize <= 0 {
		c.RingSize = DefaultRingSize
	}
	if c.TableSize <= 0 {
		c.TableSize = DefaultTableSize
	}
	if c.TTL <= 0 {
		c.TTL = DefaultTTL
	}
	if c.SubsetSize <= 0 {
		c.SubsetSize = DefaultSubsetSize
	}
	if c.Aperture == "" {
		c.Aperture = ApertureRandom
	}
	return c
}

// KeyedAlgorithm reports whether the named algorithm picks by request
// key, so that its requests need one.
func KeyedAlgorithm(name string) bool {
	switch name {
	case NameRingHash, NameMaglev, NameSticky, NameDNS, NameSubset:
		return true
	}
	return false
}

// New returns the configured algorithm; random ones draw from r.
func New(c Config, r *rand.Rand) (Balancer, error) {
	c = c.withDefaults()
	slow := SlowStart{Window: c.SlowStartWindow, Aggression: c.Aggression, MinWeightPercent: c.MinWeightPercent}
	switch c.Algorithm {
	case NameRoundRobin:
		return &RoundRobin{}, nil
	case NameWeightedRoundRobin:
		return &WeightedRoundRobin{Slow: slow}, nil
	case NameRandom:
		return &Random{R: r}, nil
	case NameLeastOutstanding:
		return &LeastOutstanding{}, nil
	case NameLeastConnections:
		return &LeastConnections{}, nil
	case NameP2C:
		if c.Weighted || c.SlowStartWindow > 0 {
			return &LeastRequest{P2C: P2C{R: r, Choices: c.ChoiceCount}, Bias: c.ActiveRequestBias, Slow: slow}, nil
		}
		return &P2C{R: r, Choices: c.ChoiceCount}, nil
	case NameWeightedResponseTime:
		return &WeightedResponseTime{R: r}, nil
	case NameRingHash:
		return &RingHash{MinSize: c.RingSize, Bound: c.BoundedLoad}, nil
	case NameMaglev:
		if !isPrime(c.TableSize) {
			return nil, fmt.Errorf("policies: maglev table size %d is not a prime", c.TableSize)
		}
		return &Maglev{Size: c.TableSize, Bound: c.BoundedLoad}, nil
	case NameSticky:
		return &Sticky{}, nil
	case NameDNS:
		return &DNS{TTL: c.TTL}, nil
	case NameSubset:
		if c.Aperture != ApertureRandom && c.Aperture != ApertureDeterministic {
			return nil, fmt.Errorf("policies: unknown aperture %q", c.Aperture)
		}
		return &Subset{R: r, Size: c.SubsetSize, Deterministic: c.Aperture == ApertureDeterministic, Clients: c.Clients}, nil
	}
	return nil, fmt.Errorf("policies: unknown balancing algorithm %q", c.Algorithm)
}

// isPrime reports whether n is a prime, by trial division (n is a table
// size, at most a few million).
func isPrime(n int) bool {
	if n < 2 {
		return false
	}
	for d := 2; d*d <= n; d++ {
		if n%d == 0 {
			return false
		}
	}
	return true
}
