package scenario_test

import (
	"errors"
	"math"
	"slices"
	"strings"
	"testing"

	"github.com/clustersim/clustersim/reports"
	"github.com/clustersim/clustersim/sim/models"
	"github.com/clustersim/clustersim/sim/policies/deploy"
	"github.com/clustersim/clustersim/sim/scenario"
)

// versioned is a scenario with a versioned service; deploy entries are
// appended from line 14 on.
const versioned = `[sim]
duration = "10m"

[[workload]]
name = "w"
target = "api"
rate = 100
service_time = { dist = "exponential", mean = "50ms" }

[[service]]
name = "api"
versions = [{ name = "v1" }, { name = "v2", error_rate = 0.05, added_latency = "200ms" }]

`

// TestDeployParse: integers and percentage strings are both accepted for
// max_surge and max_unavailable (Kubernetes' IntOrString), defaults are
// Kubernetes' 25%/25%, and the entry builds into the models' spec.
func TestDeployParse(t *testing.T) {
	cfg, err := scenario.Parse("x.toml", []byte(versioned+`[[deploy]]
service = "api"
at = "1m"
version = "v2"
max_surge = 2
min_ready = "10s"

[[deploy]]
service = "api"
at = "5m"
version = "v1"
strategy = "canary"
steps = [{ weight = 20, pause = "1m" }]
`), []string{"deploy.1.max_unavailable=0", `deploy.1.max_surge="50%"`})
	if err != nil {
		t.Fatal(err)
	}
	d0, d1 := cfg.Deploys[0], cfg.Deploys[1]
	if d0.MaxSurge != "2" || d0.MaxUnavailable != "25%" || d0.Strategy != scenario.StrategyRolling || d0.ProgressDeadline != 10*scenario.Minute {
		t.Errorf("deploy 0: %+v", d0)
	}
	if d1.MaxSurge != "50%" || d1.MaxUnavailable != "0" || d1.Analysis.Threshold != 95 {
		t.Errorf("deploy 1: %+v", d1)
	}
	mc, _, err := scenario.Build(cfg)
	if err != nil {
		t.Fatal(err)
	}
	want := models.VersionSpec{Name: "v2", ErrorRate: 0.05, AddedLatency: 200e6}
	if got := mc.Services[0].Versions[1]; got != want {
		t.Errorf("version %+v, want %+v", got, want)
	}
	if got := mc.Deploys[0]; got.Version != 1 || got.MaxSurge != (deploy.IntOrPercent{Value: 2}) || got.Strategy != models.Rolling {
		t.Errorf("built deploy 0 %+v", got)
	}
	if got := mc.Deploys[1]; got.Version != 0 || got.Strategy != models.Canary || len(got.Steps) != 1 || got.Steps[0].Weight != 20 {
		t.Errorf("built deploy 1 %+v", got)
	}
}

// TestDeployErrors: each bad entry is reported at its file:line:col with
// its key and, where one helps, a suggestion.
func TestDeployErrors(t *testing.T) {
	tests := []struct {
		name, src string
		kind      error
		want      string
	}{
		{"unknown version", "[[deploy]]\nservice = \"api\"\nat = \"1m\"\nversion = \"v3\"\n", scenario.ErrReference,
			`x.toml:17:1: deploy[0].version: service "api" has no version "v3" (did you mean "v1"?)`},
		{"unknown service", "[[deploy]]\nservice = \"apu\"\nat = \"1m\"\nversion = \"v2\"\n", scenario.ErrReference,
			`x.toml:15:1: deploy[0].service: no service named "apu" (did you mean "api"?)`},
		{"bad surge", "[[deploy]]\nservice = \"api\"\nat = \"1m\"\nversion = \"v2\"\nmax_surge = \"lots\"\n", scenario.ErrInvalid,
			`x.toml:18:1: deploy[0].max_surge: "lots" is neither a non-negative integer nor a percentage such as "25%"`},
		{"surge type", "[[deploy]]\nservice = \"api\"\nat = \"1m\"\nversion = \"v2\"\nmax_surge = 1.5\n", scenario.ErrType,
			`x.toml:18:1: deploy[0].max_surge: expected an integer or a percentage string, got float 1.5`},
		{"both zero", "[[deploy]]\nservice = \"api\"\nat = \"1m\"\nversion = \"v2\"\nmax_surge = 0\nmax_unavailable = \"0%\"\n", scenario.ErrInvalid,
			`x.toml:19:1: deploy[0].max_unavailable: may not be 0 when max_surge is 0`},
		{"unavailable over 100%", "[[deploy]]\nservice = \"api\"\nat = \"1m\"\nversion = \"v2\"\nmax_unavailable = \"150%\"\n", scenario.ErrInvalid,
			`x.toml:18:1: deploy[0].max_unavailable: must not be above 100%`},
		{"canary without steps", "[[deploy]]\nservice = \"api\"\nat = \"1m\"\nversion = \"v2\"\nstrategy = \"canary\"\n", scenario.ErrMissing,
			`deploy[0].steps: required for strategy "canary"`},
		{"strategy typo", "[[deploy]]\nservice = \"api\"\nat = \"1m\"\nversion = \"v2\"\nstrategy = \"bluegreen\"\n", scenario.ErrInvalid,
			`x.toml:18:1: deploy[0].strategy: unknown value "bluegreen" (did you mean "blue_green"?)`},
		{"after the end", "[[deploy]]\nservice = \"api\"\nat = \"1h\"\nversion = \"v2\"\n", scenario.ErrInvalid,
			`x.toml:16:1: deploy[0].at: must be before the end of the run (10m)`},
		{"weight", "[[deploy]]\nservice = \"api\"\nat = \"1m\"\nversion = \"v2\"\nstrategy = \"ab\"\nsteps = [{ weight = 120, pause = \"1m\" }]\n", scenario.ErrInvalid,
			`deploy[0].steps[0].weight: must be > 0 and <= 100, got 120`},
		{"deploy key typo", "[[deploy]]\nservice = \"api\"\nat = \"1m\"\nversion = \"v2\"\nmax_surges = 1\n", scenario.ErrUnknownKey,
			`x.toml:18:1: deploy[0].max_surges: unknown key (did you mean "max_surge"?)`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := scenario.Parse("x.toml", []byte(versioned+tt.src), nil)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("got %v\nwant %s", err, tt.want)
			}
			if !errors.Is(err, tt.kind) {
				t.Errorf("errors.Is(err, %v) = false", tt.kind)
			}
		})
	}
	// A version's error rate is a probability; a service without versions
	// cannot be deployed.
	bad := strings.Replace(versioned, "error_rate = 0.05", "error_rate = 1.5", 1)
	if _, err := scenario.Parse("x.toml", []byte(bad), nil); err == nil || !strings.Contains(err.Error(), "x.toml:12:45: service.api.versions.v2.error_rate: must be between 0 and 1") {
		t.Errorf("error rate 1.5: %v", err)
	}
	if _, err := scenario.Parse("x.toml", []byte(strings.Replace(versioned, "[[service]]\nname = \"api\"\n", "[[service]]\nname = \"api\"\nchaos_monkey = { rate = 0 }\n", 1)), nil); err == nil || !strings.Contains(err.Error(), "x.toml:12:18: service.api.chaos_monkey.rate: must be > 0") {
		t.Errorf("chaos monkey rate 0: %v", err)
	}
	plain := strings.Replace(versioned, `versions = [{ name = "v1" }, { name = "v2", error_rate = 0.05, added_latency = "200ms" }]`, "", 1)
	if _, err := scenario.Parse("x.toml", []byte(plain+"[[deploy]]\nservice = \"api\"\nat = \"1m\"\nversion = \"v2\"\n"), nil); err == nil || !strings.Contains(err.Error(), `service "api" has no versions`) {
		t.Errorf("no versions: %v", err)
	}
}

// bitsRecorder keeps every timeseries value's bits, so that two runs can
// be compared exactly (NaN included).
type bitsRecorder struct{ bits []uint64 }

func (r *bitsRecorder) Header(cols []string) error { return nil }
func (r *bitsRecorder) Row(ts float64, v []float64) error {
	r.bits = append(r.bits, math.Float64bits(ts))
	for _, x := range v {
		r.bits = append(r.bits, math.Float64bits(x))
	}
	return nil
}

// TestDeployScenariosDeterministic: the deployment scenarios give the
// same time series and summary twice over with the same seed, in every
// strategy (A/B keys, shadow mirroring and the judges included).
func TestDeployScenariosDeterministic(t *testing.T) {
	if testing.Short() {
		t.Skip("runs library scenarios")
	}
	for _, f := range []string{"bad-release-errors", "good-release", "chaos-monkey"} {
		cfg, err := scenario.Load("../../scenarios/"+f+".toml", nil)
		if err != nil {
			t.Fatal(err)
		}
		for _, v := range cfg.Variants {
			if f == "good-release" && v.Name != "ab" && v.Name != "shadow" || f == "chaos-monkey" && v.Name != "tight" {
				continue // the other strategies run in bad-release-errors
			}
			var runs [2]string
			var series [2][]uint64
			for i := range runs {
				mc, _, err := scenario.Build(v.Config)
				if err != nil {
					t.Fatal(err)
				}
				c, err := models.New(mc)
				if err != nil {
					t.Fatal(err)
				}
				rec := &bitsRecorder{}
				sum, err := c.Run(rec, nil)
				if err != nil {
					t.Fatal(err)
				}
				js, err := reports.MarshalSummary(sum)
				if err != nil {
					t.Fatal(err)
				}
				runs[i], series[i] = string(js), rec.bits
			}
			if runs[0] != runs[1] || !slices.Equal(series[0], series[1]) {
				t.Errorf("%s/%s: two runs with the same seed differ", f, v.Name)
			}
			if f != "chaos-monkey" && !strings.Contains(runs[0], `"deploys": [`) {
				t.Errorf("%s/%s: no deploy in the summary", f, v.Name)
			}
		}
	}
}
