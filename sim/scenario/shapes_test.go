package scenario_test

import (
	"fmt"
	"math"
	"strings"
	"testing"

	"github.com/clustersim/clustersim/sim/engine"
	"github.com/clustersim/clustersim/sim/scenario"
)

// dayProfile is a 24-hour profile with a night trough, a morning ramp and
// an afternoon peak, and one silent hour (03:00) to check that a zero
// hour gets no arrivals at all.
var dayProfile = []float64{0.5, 0.4, 0.3, 0, 0.2, 0.3, 0.5, 0.8, 1.2, 1.5, 1.7, 1.8,
	1.9, 2, 2, 1.9, 1.7, 1.5, 1.3, 1.1, 1, 0.9, 0.7, 0.6}

func profileScenario(rate float64, start string, days int) string {
	vals := make([]string, len(dayProfile))
	for i, v := range dayProfile {
		vals[i] = fmt.Sprint(v)
	}
	return fmt.Sprintf(`
[sim]
duration = "%dh"
window = "1h"
seed = 7

[[workload]]
name = "w"
target = "api"
rate = %v
profile = [%s]
%s
service_time = { dist = "constant", value = "1ms" }

[[service]]
name = "api"
replicas = 2
concurrency = 4
`, days*24, rate, strings.Join(vals, ", "), start)
}

// TestProfileCurve checks the built rate curve against hand-computed
// values: piecewise constant, rate × profile[hour of day], so each hour
// h of the day expects rate × profile[h] × 3600 arrivals; profile_start
// shifts the clock.
func TestProfileCurve(t *testing.T) {
	tests := []struct {
		name  string
		start string
		// hour of the run -> hour of the day of its first instant
		at   []float64 // seconds into the run
		want []float64 // rate there
	}{
		{"midnight start", "", []float64{0, 3599, 3600, 3 * 3600, 13*3600 + 5, 24*3600 + 1, 47*3600 + 10},
			[]float64{5, 5, 4, 0, 20, 5, 6}},
		{"06:30 start", "profile_start = 6.5", []float64{0, 1799, 1800, 1800 + 3600, 17.5 * 3600, 20.5*3600 + 1},
			[]float64{5, 5, 8, 12, 5, 0}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, mc := buildOf(t, "p.toml", profileScenario(10, tt.start, 2))
			curve := mc.Workloads[0].Rate
			for i, s := range tt.at {
				if got := curve.At(engine.Time(engine.FromSeconds(s))); math.Abs(got-tt.want[i]) > 1e-9 {
					t.Errorf("rate at %vs = %v, want %v", s, got, tt.want[i])
				}
			}
		})
	}
	// The expected arrivals per hour: the integral over hour h of the run.
	cfg, err := scenario.Parse("p.toml", []byte(profileScenario(10, "", 2)), nil)
	if err != nil {
		t.Fatal(err)
	}
	mc, _, _ := scenario.Build(cfg)
	for h := range 48 {
		from := engine.Time(h) * engine.Time(engine.Hour)
		got := mc.Workloads[0].Rate.Integral(from, from+engine.Time(engine.Hour))
		if want := 10 * dayProfile[h%24] * 3600; math.Abs(got-want) > 1e-6 {
			t.Errorf("hour %d: expected arrivals %v, want %v", h, got, want)
		}
	}
}

// TestProfileArrivals runs a profiled Poisson workload for 20 days and
// checks the arrivals of every hour against the profile. Under a
// non-homogeneous Poisson process the count N of an hour is Poisson with
// mean m = rate × profile[h] × 3600 (Ross, Introduction to Probability
// Models, §5.4.1), so: each hour-of-day's total over the 20 days lies
// within 4 standard deviations (sqrt of its mean) of 20·m; an hour with
// profile 0 gets nothing; and Pearson's statistic Σ (N−m)²/m over the
// 460 hours with traffic is chi-square with 460 degrees of freedom
// (mean 460, sd sqrt(920) ≈ 30.3) and lies within 4 sd of 460, which
// would fail for counts more or less dispersed than Poisson.
func TestProfileArrivals(t *testing.T) {
	const days, rate = 20, 0.2
	cfg, err := scenario.Parse("p.toml", []byte(profileScenario(rate, "", days)), nil)
	if err != nil {
		t.Fatal(err)
	}
	c := clusterOf(t, cfg)
	rec := &hourRecorder{}
	if _, err := c.Run(rec, nil); err != nil {
		t.Fatal(err)
	}
	if len(rec.counts) != days*24 {
		t.Fatalf("%d hourly rows, want %d", len(rec.counts), days*24)
	}
	var total [24]float64
	chi2, dof := 0.0, 0
	for i, n := range rec.counts {
		h := i % 24
		m := rate * dayProfile[h] * 3600
		total[h] += n
		if m == 0 {
			if n != 0 {
				t.Errorf("hour %d has profile 0 but %v arrivals", i, n)
			}
			continue
		}
		chi2 += (n - m) * (n - m) / m
		dof++
	}
	for h := range 24 {
		m := days * rate * dayProfile[h] * 3600
		if sd := math.Sqrt(m); math.Abs(total[h]-m) > 4*sd+1e-9 {
			t.Errorf("hour %02d:00: %v arrivals over %d days, want %v ± %.0f", h, total[h], days, m, 4*sd)
		}
	}
	sd := math.Sqrt(2 * float64(dof))
	if math.Abs(chi2-float64(dof)) > 4*sd {
		t.Errorf("chi-square %.1f over %d hours, want %d ± %.0f", chi2, dof, dof, 4*sd)
	}
	t.Logf("chi-square %.1f with %d degrees of freedom", chi2, dof)
}

// hourRecorder keeps the arrivals of each one-hour window of service api.
type hourRecorder struct {
	col    int
	counts []float64
}

func (r *hourRecorder) Header(cols []string) error {
	r.col = -1
	for j, c := range cols {
		if c == "api.rps" {
			r.col = j
		}
	}
	if r.col < 0 {
		return fmt.Errorf("no api.rps column in %v", cols)
	}
	return nil
}

func (r *hourRecorder) Row(_ float64, v []float64) error {
	r.counts = append(r.counts, math.Round(v[r.col]*3600))
	return nil
}

// TestProfileErrors: bad profiles are refused with the key named.
func TestProfileErrors(t *testing.T) {
	good := profileScenario(1, "", 1)
	line := good[strings.Index(good, "profile = ["):]
	line = line[:strings.Index(line, "\n")]
	tests := []struct {
		name, edit, key, msg string
	}{
		{"short", "profile = [1, 2]", "workload.w.profile", "must hold 24 values, got 2"},
		{"negative", "profile = [1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, -1]", "workload.w.profile[23]", "must be a finite number >= 0"},
		{"all zero", "profile = [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]", "workload.w.profile", "every value is 0"},
		{"start", line + "\nprofile_start = 24", "workload.w.profile_start", "must be >= 0 and < 24"},
		{"start alone", "profile_start = 3", "workload.w.profile_start", "needs a profile"},
		{"schedule", line + "\nschedule = [{ at = \"1h\", rate = 2 }]", "workload.w.schedule", "does not apply with a profile"},
		{"mmpp", line + "\narrival = \"mmpp\"", "workload.w.profile", `does not apply to arrival = "mmpp"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			src := strings.Replace(good, line, tt.edit, 1)
			_, err := scenario.Parse("p.toml", []byte(src), nil)
			if err == nil {
				t.Fatalf("accepted:\n%s", src)
			}
			if !strings.Contains(err.Error(), tt.key) || !strings.Contains(err.Error(), tt.msg) {
				t.Errorf("error %q lacks %q / %q", err, tt.key, tt.msg)
			}
		})
	}
}
