// Package dist provides the random durations a scenario draws: service
// times and the like. Each Sampler is bound to one named random stream, so
// its draws never shift another component's. Samplers wrap gonum's
// stat/distuv distributions where gonum has them.
package dist

import (
	"fmt"
	"math"
	"math/rand/v2"

	"gonum.org/v1/gonum/stat/distuv"
)

// Sampler draws non-negative values in seconds.
type Sampler interface {
	// Sample returns one draw, in seconds.
	Sample() float64
	// Mean returns the distribution's mean in seconds (+Inf if infinite).
	Mean() float64
	// Quantile returns the p-quantile in seconds, 0 < p < 1.
	Quantile(p float64) float64
}

// Spec names a distribution and its parameters, all times in seconds.
// Which fields matter depends on Kind; see New.
type Spec struct {
	Kind  string  // constant, exponential, lognormal, gamma, erlang, pareto, uniform
	Mean  float64 // mean, seconds (constant value; exponential; lognormal with P99; gamma; erlang; pareto)
	P99   float64 // lognormal 99th percentile, seconds (with Mean)
	Mu    float64 // lognormal mu of ln(seconds) (with Sigma)
	Sigma float64 // lognormal sigma of ln(seconds)
	Shape float64 // gamma shape (dimensionless)
	K     int     // erlang phases
	Alpha float64 // pareto shape
	Xm    float64 // pareto scale (minimum), seconds
	Min   float64 // uniform lower bound, seconds
	Max   float64 // uniform upper bound, seconds
}

// z99 is the standard normal 0.99-quantile.
const z99 = 2.3263478740408408

// LogNormalFromMeanP99 returns the (mu, sigma) of the lognormal with the
// given mean and 99th percentile. mean = exp(mu + sigma²/2) and
// p99 = exp(mu + z99·sigma), so sigma solves sigma²/2 - z99·sigma +
// ln(p99/mean) = 0; the smaller root is taken. It fails when no lognormal
// fits: p99 <= mean or p99/mean > exp(z99²/2) ≈ 14.97.
func LogNormalFromMeanP99(mean, p99 float64) (mu, sigma float64, err error) {
	if !(mean > 0) || !(p99 > mean) {
		return 0, 0, fmt.Errorf("lognormal needs 0 < mean < p99 (mean %gs, p99 %gs)", mean, p99)
	}
	d := z99*z99 - 2*math.Log(p99/mean)
	if d < 0 {
		return 0, 0, fmt.Errorf("no lognormal has p99/mean = %.3g; the largest possible is %.4g", p99/mean, math.Exp(z99*z99/2))
	}
	sigma = z99 - math.Sqrt(d)
	mu = math.Log(mean) - sigma*sigma/2
	return mu, sigma, nil
}

// New returns a sampler for spec drawing from r.
func New(spec Spec, r *rand.Rand) (Sampler, error) {
	switch spec.Kind {
	case "constant":
		if spec.Mean < 0 {
			return nil, fmt.Errorf("constant value must be >= 0")
		}
		return constant(spec.Mean), nil
	case "exponential":
		if !(spec.Mean > 0) {
			return nil, fmt.Errorf("exponential mean must be > 0")
		}
		return &exponential{rate: 1 / spec.Mean, r: r}, nil
	case "lognormal":
		mu, sigma := spec.Mu, spec.Sigma
		if spec.Mean > 0 || spec.P99 > 0 {
			var err error
			if mu, sigma, err = LogNormalFromMeanP99(spec.Mean, spec.P99); err != nil {
				return nil, err
			}
		} else if !(sigma > 0) {
			return nil, fmt.Errorf("lognormal sigma must be > 0")
		}
		return &gonum{d: distuv.LogNormal{Mu: mu, Sigma: sigma, Src: r}, mean: math.Exp(mu + sigma*sigma/2)}, nil
	case "gamma", "erlang":
		shape := spec.Shape
		if spec.Kind == "erlang" {
			shape = float64(spec.K)
		}
		if !(shape > 0) || !(spec.Mean > 0) {
			return nil, fmt.Errorf("%s needs shape > 0 and mean > 0", spec.Kind)
		}
		return &gonum{d: distuv.Gamma{Alpha: shape, Beta: shape / spec.Mean, Src: r}, mean: spec.Mean}, nil
	case "pareto":
		xm := spec.Xm
		if !(spec.Alpha > 0) {
			return nil, fmt.Errorf("pareto alpha must be > 0")
		}
		if xm == 0 && spec.Mean > 0 {
			if spec.Alpha <= 1 {
				return nil, fmt.Errorf("pareto with alpha <= 1 has no finite mean; give xm instead")
			}
			xm = spec.Mean * (spec.Alpha - 1) / spec.Alpha
		}
		if !(xm > 0) {
			return nil, fmt.Errorf("pareto xm must be > 0")
		}
		d := distuv.Pareto{Xm: xm, Alpha: spec.Alpha, Src: r}
		return &gonum{d: d, mean: d.Mean()}, nil
	case "uniform":
		if spec.Min < 0 || !(spec.Max > spec.Min) {
			return nil, fmt.Errorf("uniform needs 0 <= min < max")
		}
		return &gonum{d: distuv.Uniform{Min: spec.Min, Max: spec.Max, Src: r}, mean: (spec.Min + spec.Max) / 2}, nil
	}
	return nil, fmt.Errorf("unknown distribution %q", spec.Kind)
}

type constant float64

func (c constant) Sample() float64          { return float64(c) }
func (c constant) Mean() float64            { return float64(c) }
func (c constant) Quantile(float64) float64 { return float64(c) }

// exponential samples directly from the stream: it is the hot path of most
// scenarios, so it avoids gonum's per-call wrapper.
type exponential struct {
	rate float64
	r    *rand.Rand
}

func (e *exponential) Sample() float64 { return e.r.ExpFloat64() / e.rate }
func (e *exponential) Mean() float64   { return 1 / e.rate }
func (e *exponential) Quantile(p float64) float64 {
	return distuv.Exponential{Rate: e.rate}.Quantile(p)
}

// randQuantiler is what gonum's distuv distributions offer.
type randQuantiler interface {
	Rand() float64
	Quantile(p float64) float64
}

type gonum struct {
	d    randQuantiler
	mean float64
}

func (g *gonum) Sample() float64            { return g.d.Rand() }
func (g *gonum) Mean() float64              { return g.mean }
func (g *gonum) Quantile(p float64) float64 { return g.d.Quantile(p) }
