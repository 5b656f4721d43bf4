package models

import (
	"math"
	"math/rand/v2"
	"testing"

	"github.com/clustersim/clustersim/sim/engine"
)

// mmppIDC is the index of dispersion of counts, Var N(t)/E N(t), of a
// stationary two-state MMPP over a window of t seconds: with σ1 = 1/mean_on,
// σ2 = 1/mean_off, λ1 = rate_on, λ2 = rate_off and s = σ1+σ2,
//
//	I(t) = 1 + 2σ1σ2(λ1−λ2)² / (s²(λ1σ2+λ2σ1)) · [1 − (1−e^{−st})/(st)].
//
// Fischer & Meier-Hellstern, "The Markov-modulated Poisson process (MMPP)
// cookbook", Performance Evaluation 18 (1993) 149–171, §4 (moments of
// counts of the 2-state MMPP). It grows from 1 (t → 0) to
// 1 + 2σ1σ2(λ1−λ2)²/(s²(λ1σ2+λ2σ1)) (t → ∞); a Poisson process has 1.
func mmppIDC(m MMPPSpec, t float64) float64 {
	s1, s2 := 1/m.MeanOn.Seconds(), 1/m.MeanOff.Seconds()
	l1, l2 := m.RateOn, m.RateOff
	s := s1 + s2
	return 1 + 2*s1*s2*(l1-l2)*(l1-l2)/(s*s*(l1*s2+l2*s1))*(1-(1-math.Exp(-s*t))/(s*t))
}

// TestMMPPMeanAndBurstiness draws 400,000 s of arrivals from the MMPP
// chain and checks the mean rate, (r_on·m_on + r_off·m_off)/(m_on+m_off),
// within 1% (the count's standard error, from the closed form below, is
// under 0.3%: 1% is 3.5σ) and the index of dispersion of counts over 1 s
// and 10 s windows against the closed form within 5% (the sample
// variance of 40,000–400,000 windows has a relative standard error of
// about 1% here). A Poisson process of the same mean would give 1.
func TestMMPPMeanAndBurstiness(t *testing.T) {
	cases := []struct {
		name string
		spec MMPPSpec
	}{
		{"on/off", MMPPSpec{RateOn: 100, RateOff: 0, MeanOn: engine.Second, MeanOff: 3 * engine.Second}},
		{"high/low", MMPPSpec{RateOn: 80, RateOff: 10, MeanOn: 2 * engine.Second, MeanOff: 2 * engine.Second}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			mean := (tc.spec.RateOn*tc.spec.MeanOn.Seconds() + tc.spec.RateOff*tc.spec.MeanOff.Seconds()) /
				(tc.spec.MeanOn.Seconds() + tc.spec.MeanOff.Seconds())
			if got := tc.spec.MeanRate(); math.Abs(got-mean) > 1e-9 {
				t.Fatalf("MeanRate = %v, want %v", got, mean)
			}
			for _, win := range []float64{1, 10} {
				n := int(400000 / win)
				m := newMMPP(tc.spec, rand.New(rand.NewPCG(1, 2)))
				gaps := rand.New(rand.NewPCG(3, 4))
				counts := make([]float64, n)
				w := engine.FromSeconds(win)
				for at := m.next(0, gaps); at >= 0; at = m.next(at, gaps) {
					i := int(int64(at) / int64(w))
					if i >= n {
						break
					}
					counts[i]++
				}
				var sum, sq float64
				for _, c := range counts {
					sum += c
				}
				avg := sum / float64(n)
				for _, c := range counts {
					sq += (c - avg) * (c - avg)
				}
				idc := sq / float64(n-1) / avg
				if rate := avg / win; math.Abs(rate/mean-1) > 0.01 {
					t.Errorf("window %vs: mean rate %.3f/s, want %.3f/s within 1%%", win, rate, mean)
				}
				want := mmppIDC(tc.spec, win)
				if math.Abs(idc/want-1) > 0.05 {
					t.Errorf("window %vs: index of dispersion %.3f, closed form %.3f (5%%)", win, idc, want)
				}
				t.Logf("window %vs: rate %.3f/s (want %.3f), IDC %.3f (closed form %.3f)", win, avg/win, mean, idc, want)
			}
		})
	}
}

// TestMMPPFarAhead: a chain with no rate sends nothing, and one asked
// for an arrival near the end of time answers at once (it does not walk
// billions of sojourns there).
func TestMMPPFarAhead(t *testing.T) {
	gaps := rand.New(rand.NewPCG(2, 2))
	if got := newMMPP(MMPPSpec{MeanOn: engine.Second, MeanOff: engine.Second}, rand.New(rand.NewPCG(1, 1))).next(0, gaps); got != -1 {
		t.Fatalf("no rate: next = %v, want -1", got)
	}
	m := newMMPP(MMPPSpec{RateOn: 10, MeanOn: engine.Second, MeanOff: engine.Second}, rand.New(rand.NewPCG(1, 1)))
	from := engine.Time(engine.MaxDuration / 2)
	if got := m.next(from, gaps); got <= from {
		t.Fatalf("next after %v = %v, want later", from, got)
	}
}
