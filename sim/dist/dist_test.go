package dist_test

import (
	"math"
	"testing"

	"github.com/clustersim/clustersim/sim/dist"
	"github.com/clustersim/clustersim/sim/engine"
	"gonum.org/v1/gonum/stat"
)

// TestSampleMeans draws 200k samples of each distribution and checks the
// sample mean against the analytic mean (within 4 standard errors) and
// the sample 99th percentile against the analytic quantile.
func TestSampleMeans(t *testing.T) {
	cases := []struct {
		name     string
		spec     dist.Spec
		mean, sd float64 // analytic
	}{
		{"constant", dist.Spec{Kind: "constant", Mean: 0.05}, 0.05, 0},
		{"exponential", dist.Spec{Kind: "exponential", Mean: 0.05}, 0.05, 0.05},
		// lognormal by mean and p99: mean must come out as given.
		{"lognormal-mean-p99", dist.Spec{Kind: "lognormal", Mean: 0.05, P99: 0.2}, 0.05, math.NaN()},
		{"lognormal-mu-sigma", dist.Spec{Kind: "lognormal", Mu: math.Log(0.05), Sigma: 0.5}, 0.05 * math.Exp(0.125), math.NaN()},
		// gamma: mean k·theta, sd sqrt(k)·theta.
		{"gamma", dist.Spec{Kind: "gamma", Mean: 0.05, Shape: 2}, 0.05, 0.05 / math.Sqrt(2)},
		{"erlang", dist.Spec{Kind: "erlang", Mean: 0.05, K: 4}, 0.05, 0.025},
		// pareto alpha 3: mean = alpha·xm/(alpha-1); variance finite.
		{"pareto", dist.Spec{Kind: "pareto", Mean: 0.05, Alpha: 3}, 0.05, math.NaN()},
		{"uniform", dist.Spec{Kind: "uniform", Min: 0.01, Max: 0.03}, 0.02, 0.02 / math.Sqrt(12)},
	}
	const n = 200_000
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			s, err := dist.New(c.spec, engine.NewStream(1, c.name))
			if err != nil {
				t.Fatal(err)
			}
			xs := make([]float64, n)
			for i := range xs {
				xs[i] = s.Sample()
			}
			m, sd := stat.MeanStdDev(xs, nil)
			if !math.IsNaN(c.sd) && c.sd > 0 && math.Abs(sd-c.sd)/c.sd > 0.03 {
				t.Errorf("sd %g, want %g", sd, c.sd)
			}
			tol := 4 * sd / math.Sqrt(n)
			if c.sd == 0 {
				tol = 1e-12
			}
			if math.Abs(m-c.mean) > tol || math.Abs(s.Mean()-c.mean) > 1e-9 {
				t.Errorf("sample mean %g, Mean() %g, want %g ± %g", m, s.Mean(), c.mean, tol)
			}
		})
	}
}

func TestLogNormalFromMeanP99(t *testing.T) {
	mu, sigma, err := dist.LogNormalFromMeanP99(0.05, 0.2)
	if err != nil {
		t.Fatal(err)
	}
	if got := math.Exp(mu + sigma*sigma/2); math.Abs(got-0.05) > 1e-12 {
		t.Errorf("mean %g", got)
	}
	if got := math.Exp(mu + 2.3263478740408408*sigma); math.Abs(got-0.2) > 1e-12 {
		t.Errorf("p99 %g", got)
	}
	if _, _, err := dist.LogNormalFromMeanP99(0.05, 1); err == nil {
		t.Error("p99/mean = 20 accepted; no lognormal has it")
	}
	if _, _, err := dist.LogNormalFromMeanP99(0.05, 0.04); err == nil {
		t.Error("p99 < mean accepted")
	}
}

func BenchmarkSample(b *testing.B) {
	for _, spec := range []dist.Spec{{Kind: "exponential", Mean: 0.01}, {Kind: "lognormal", Mean: 0.01, P99: 0.05}, {Kind: "gamma", Mean: 0.01, Shape: 2}} {
		b.Run(spec.Kind, func(b *testing.B) {
			s, _ := dist.New(spec, engine.NewStream(1, "b"))
			b.ReportAllocs()
			for range b.N {
				s.Sample()
			}
		})
	}
}
