package scenario_test

import (
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/clustersim/clustersim/sim/scenario"
)

// valid is a small complete scenario; the error cases below are written
// out in full so that their line numbers can be read off.
const valid = `[sim]
duration = "10m"

[[workload]]
name = "shoppers"
target = "api"
rate = 100
service_time = { dist = "exponential", mean = "50ms" }

[[service]]
name = "api"
`

func TestParseValid(t *testing.T) {
	cfg, err := scenario.Parse("scenarios/x.toml", []byte(valid), nil)
	if err != nil {
		t.Fatal(err)
	}
	mean := 50 * scenario.Millisecond
	want := &scenario.Config{
		Sim: scenario.Sim{Name: "x", Duration: 10 * scenario.Minute, Window: 10 * scenario.Second, Seed: 1},
		Workloads: []scenario.Workload{{
			Name: "shoppers", Target: "api", Arrival: scenario.ArrivalPoisson, Rate: 100,
			ServiceTime: &scenario.Dist{Dist: scenario.DistExponential, Mean: &mean},
		}},
		Services:          []scenario.Service{scenario.DefaultService()},
		ClusterAutoscaler: scenario.DefaultClusterAutoscaler(),
		File:              "scenarios/x.toml",
		Source:            []byte(valid),
	}
	want.Services[0].Name = "api"
	if !reflect.DeepEqual(cfg, want) {
		t.Errorf("Parse =\n%+v\nwant\n%+v", cfg, want)
	}
}

// TestParseErrors checks each kind of error names the file, line and key.
func TestParseErrors(t *testing.T) {
	tests := []struct {
		name string
		src  string
		kind error
		want []string // the whole error, one line per problem
	}{{
		name: "toml syntax error",
		src:  "[sim]\nduration = \"10m\"\nwarmup = \"1m\" \"2m\"\n",
		kind: scenario.ErrSyntax,
		want: []string{`x.toml:3:14: sim: expected a top-level item to end with a newline, comment, or EOF, but got '"' instead`},
	}, {
		name: "unknown key at top level",
		src:  valid + "[simm]\nseed = 3\n",
		kind: scenario.ErrUnknownKey,
		want: []string{`x.toml:12:1: simm: unknown key (did you mean "sim"?)`},
	}, {
		name: "unknown key in sim",
		src:  strings.Replace(valid, `duration = "10m"`, "duration = \"10m\"\nseeed = 3", 1),
		kind: scenario.ErrUnknownKey,
		want: []string{`x.toml:3:1: sim.seeed: unknown key (did you mean "seed"?)`},
	}, {
		name: "unknown key in a service",
		src:  valid + "concurency = 8\n",
		kind: scenario.ErrUnknownKey,
		want: []string{`x.toml:12:1: service.api.concurency: unknown key (did you mean "concurrency"?)`},
	}, {
		name: "unknown key inside an inline table",
		src:  valid + `balancer = { layer = "L7", algoritm = "p2c" }` + "\n",
		kind: scenario.ErrUnknownKey,
		want: []string{`x.toml:12:28: service.api.balancer.algoritm: unknown key (did you mean "algorithm"?)`},
	}, {
		name: "unknown key with nothing close",
		src:  valid + "colour = \"blue\"\n",
		kind: scenario.ErrUnknownKey,
		want: []string{`x.toml:12:1: service.api.colour: unknown key`},
	}, {
		name: "wrong type",
		src:  strings.Replace(valid, "rate = 100", `rate = "fast"`, 1),
		kind: scenario.ErrType,
		want: []string{`x.toml:7:1: workload.shoppers.rate: expected a number, got string "fast"`},
	}, {
		name: "table where a value belongs",
		src:  valid + "replicas = { n = 3 }\n",
		kind: scenario.ErrType,
		want: []string{`x.toml:12:1: service.api.replicas: expected an integer, got a table`},
	}, {
		name: "duration given as a number",
		src:  strings.Replace(valid, `duration = "10m"`, `duration = 600`, 1),
		kind: scenario.ErrType,
		want: []string{`x.toml:2:1: sim.duration: expected a duration string, got integer 600 (use a unit such as "250ms" or "2s")`},
	}, {
		name: "unparsable duration",
		src:  strings.Replace(valid, `duration = "10m"`, `duration = "10 minutes"`, 1),
		kind: scenario.ErrInvalid,
		want: []string{`x.toml:2:1: sim.duration: "10 minutes": unknown unit in " minutes"; use a unit such as "250ms" or "2s"`},
	}, {
		name: "duration without unit",
		src:  strings.Replace(valid, `duration = "10m"`, `duration = "600"`, 1),
		kind: scenario.ErrInvalid,
		want: []string{`x.toml:2:1: sim.duration: "600": missing unit; use a unit such as "250ms" or "2s"`},
	}, {
		name: "negative rate",
		src:  strings.Replace(valid, "rate = 100", "rate = -5", 1),
		kind: scenario.ErrInvalid,
		want: []string{`x.toml:7:1: workload.shoppers.rate: must be >= 0, got -5`},
	}, {
		name: "zero rate and no schedule",
		src:  strings.Replace(valid, "rate = 100", "rate = 0", 1),
		kind: scenario.ErrInvalid,
		want: []string{`x.toml:7:1: workload.shoppers.rate: must be > 0 (give a rate > 0 or a schedule)`},
	}, {
		name: "zero concurrency",
		src:  valid + "concurrency = 0\n",
		kind: scenario.ErrInvalid,
		want: []string{`x.toml:12:1: service.api.concurrency: must be >= 1, got 0 (requests served at once per instance)`},
	}, {
		name: "target names no service",
		src:  strings.Replace(valid, `target = "api"`, `target = "apii"`, 1),
		kind: scenario.ErrReference,
		want: []string{`x.toml:6:1: workload.shoppers.target: no service named "apii" (did you mean "api"?)`},
	}, {
		name: "target names no service, nothing close",
		src:  strings.Replace(valid, `target = "api"`, `target = "database"`, 1),
		kind: scenario.ErrReference,
		want: []string{`x.toml:6:1: workload.shoppers.target: no service named "database" (services: "api")`},
	}, {
		name: "duplicate names",
		src:  valid + "\n[[service]]\nname = \"api\"\n",
		kind: scenario.ErrInvalid,
		want: []string{`x.toml:14:1: service.api.name: duplicate name "api" (first used at line 11)`},
	}, {
		name: "invalid name",
		src:  valid + "\n[[service]]\nname = \"my api\"\n",
		kind: scenario.ErrInvalid,
		want: []string{`x.toml:14:1: service."my api".name: invalid name "my api" (use letters, digits, '_' and '-')`},
	}, {
		name: "warmup not shorter than duration",
		src:  strings.Replace(valid, `duration = "10m"`, "duration = \"10m\"\nwarmup = \"600s\"", 1),
		kind: scenario.ErrInvalid,
		want: []string{`x.toml:3:1: sim.warmup: warmup 10m must be shorter than duration 10m`},
	}, {
		name: "window longer than duration",
		src:  strings.Replace(valid, `duration = "10m"`, "duration = \"10m\"\nwindow = \"1h\"", 1),
		kind: scenario.ErrInvalid,
		want: []string{`x.toml:3:1: sim.window: window 1h is longer than duration 10m`},
	}, {
		name: "missing required keys",
		src:  "[sim]\nseed = 2\n\n[[workload]]\nrate = 10\n\n[[service]]\nreplicas = 2\n",
		kind: scenario.ErrMissing,
		want: []string{
			`x.toml:1:1: sim.duration: required (for example duration = "10m")`,
			`x.toml:4:1: workload[0].name: required`,
			`x.toml:4:1: workload[0].target: required (name a [[service]])`,
			`x.toml:7:1: service[0].name: required`,
		},
	}, {
		name: "no sections at all",
		src:  "# nothing\n",
		kind: scenario.ErrMissing,
		want: []string{
			`x.toml:1: service: at least one service is required (add a [[service]] table)`,
			`x.toml:1: sim.duration: required (for example duration = "10m")`,
			`x.toml:1: workload: at least one workload is required (add a [[workload]] table)`,
		},
	}, {
		name: "no service time anywhere",
		src:  strings.Replace(valid, `service_time = { dist = "exponential", mean = "50ms" }`, "", 1),
		kind: scenario.ErrMissing,
		want: []string{`x.toml:4:1: workload.shoppers.service_time: neither the workload nor service "api" gives a service time (give one here or on the service)`},
	}, {
		name: "lognormal p99 below mean",
		src:  strings.Replace(valid, `{ dist = "exponential", mean = "50ms" }`, `{ dist = "lognormal", mean = "50ms", p99 = "40ms" }`, 1),
		kind: scenario.ErrInvalid,
		want: []string{`x.toml:8:53: workload.shoppers.service_time.p99: p99 40ms must be above mean 50ms`},
	}, {
		name: "lognormal p99 too far above mean",
		src:  strings.Replace(valid, `{ dist = "exponential", mean = "50ms" }`, `{ dist = "lognormal", mean = "50ms", p99 = "1s" }`, 1),
		kind: scenario.ErrInvalid,
		want: []string{`x.toml:8:53: workload.shoppers.service_time.p99: no lognormal has p99/mean = 20; the largest possible is 14.97 (for heavier tails use pareto)`},
	}, {
		name: "dist parameters from two sets",
		src:  strings.Replace(valid, `{ dist = "exponential", mean = "50ms" }`, `{ dist = "lognormal", mean = "50ms", sigma = 0.5 }`, 1),
		kind: scenario.ErrMissing,
		want: []string{
			`x.toml:8:1: workload.shoppers.service_time: lognormal needs p99 (lognormal takes mean and p99, or mu and sigma)`,
			`x.toml:8:53: workload.shoppers.service_time.sigma: sigma does not apply here (lognormal takes mean and p99, or mu and sigma)`,
		},
	}, {
		name: "dist parameter of another family",
		src:  strings.Replace(valid, `{ dist = "exponential", mean = "50ms" }`, `{ dist = "exponential", mean = "50ms", shape = 2.0 }`, 1),
		kind: scenario.ErrInvalid,
		want: []string{`x.toml:8:55: workload.shoppers.service_time.shape: shape does not apply here (exponential takes mean)`},
	}, {
		name: "bad dist values",
		src: valid + `service_time = { dist = "erlang", mean = "0s", k = 0 }` + "\n" +
			"\n[[service]]\nname = \"b\"\n" + `service_time = { dist = "pareto", alpha = 1.0, mean = "1s" }` + "\n" +
			"\n[[service]]\nname = \"c\"\n" + `service_time = { dist = "uniform", min = "2s", max = "1s" }` + "\n" +
			"\n[[service]]\nname = \"d\"\n" + `service_time = { dist = "gama", mean = "1s" }` + "\n",
		kind: scenario.ErrInvalid,
		want: []string{
			`x.toml:12:48: service.api.service_time.k: must be >= 1, got 0 (the number of phases)`,
			`x.toml:12:35: service.api.service_time.mean: must be > 0`,
			`x.toml:16:35: service.b.service_time.alpha: a pareto with alpha 1 has no finite mean (give xm instead of mean for alpha <= 1)`,
			`x.toml:20:48: service.c.service_time.max: max 1s must be above min 2s`,
			`x.toml:24:18: service.d.service_time.dist: unknown value "gama" (did you mean "gamma"?)`,
		},
	}, {
		name: "schedule problems",
		src: strings.Replace(valid, "rate = 100", `rate = 100
schedule = [{ at = "5m", rate = 10, ramp = "3m" },
            { at = "6m", rate = -1 },
            { at = "6m", rate = 5 }, { at = "1h", rate = 5 }, { rate = 1 }]`, 1),
		kind: scenario.ErrInvalid,
		want: []string{
			`x.toml:8:37: workload.shoppers.schedule[0].ramp: ramp ends at 8m, after the next entry starts (6m)`,
			`x.toml:9:26: workload.shoppers.schedule[1].rate: must be >= 0, got -1`,
			`x.toml:10:15: workload.shoppers.schedule[2].at: at 6m must be after the previous entry's 6m`,
			`x.toml:10:40: workload.shoppers.schedule[3].at: at 1h is not before the end of the run (10m)`,
			`x.toml:10:63: workload.shoppers.schedule[4].at: required`,
		},
	}, {
		name: "balancer and autoscaler",
		src: valid + `balancer = { layer = "L4", algorithm = "least_loaded" }
[service.autoscaler]
kind = "hpa"
min = 5
max = 3
target = 0
behavior = { scale_up = { policies = [{ type = "Pods", value = 0, period = "15s" }] } }
`,
		kind: scenario.ErrInvalid,
		want: []string{
			`x.toml:12:28: service.api.balancer.algorithm: unknown value "least_loaded" (one of "round_robin", "weighted_round_robin", "random", "least_outstanding", "least_connections", "p2c", "weighted_response_time", "ring_hash", "maglev", "sticky", "dns", "subset")`,
			`x.toml:15:1: service.api.autoscaler.min: min 5 is above max 3`,
			`x.toml:17:1: service.api.autoscaler.target: must be > 0, got 0`,
			`x.toml:18:56: service.api.autoscaler.behavior.scale_up.policies[0].value: must be > 0, got 0`,
		},
	}, {
		// CloudWatch PutMetricAlarm: Period 10, 20, 30 or a multiple of 60
		// s; target tracking's metric period at most 60 s; 1 <=
		// DatapointsToAlarm <= EvaluationPeriods.
		name: "alarm keys",
		src: valid + `[service.autoscaler]
kind = "step"
alarm_period = "45s"
evaluation_periods = 2
datapoints_to_alarm = 3
`,
		kind: scenario.ErrInvalid,
		want: []string{
			`x.toml:14:1: service.api.autoscaler.alarm_period: must be 10s, 20s, 30s or a multiple of 60s (CloudWatch alarm periods), got 45s (for example alarm_period = "1m")`,
			`x.toml:16:1: service.api.autoscaler.datapoints_to_alarm: must be between 1 and evaluation_periods (2), got 3`,
		},
	}, {
		name: "evaluation range over a day",
		src:  valid + "[service.autoscaler]\nkind = \"step\"\nalarm_period = \"10m\"\nevaluation_periods = 145\n",
		kind: scenario.ErrInvalid,
		want: []string{
			`x.toml:15:1: service.api.autoscaler.evaluation_periods: must be >= 1 with evaluation_periods × alarm_period at most 24h, got 145`,
		},
	}, {
		name: "alarm keys of step scaling on target tracking",
		src: valid + `[service.autoscaler]
kind = "target_tracking"
alarm_period = "2m"
evaluation_periods = 0
datapoints_to_alarm = 1
`,
		kind: scenario.ErrInvalid,
		want: []string{
			`x.toml:14:1: service.api.autoscaler.alarm_period: target tracking supports alarm periods up to 60s, got 2m`,
			`x.toml:15:1: service.api.autoscaler.evaluation_periods: only with kind = "step"; target tracking's alarms are AWS's (3 datapoints to scale out, 15 to scale in)`,
			`x.toml:16:1: service.api.autoscaler.datapoints_to_alarm: only with kind = "step"; target tracking's alarms are AWS's (3 datapoints to scale out, 15 to scale in)`,
		},
	}, {
		name: "assertion without bounds",
		src:  valid + "\n[[assert]]\nname = \"p99 ok\"\nmetric = \"latency_ms.p99\"\n\n[[assert]]\nname = \"x\"\nmetric = \"latency ms\"\nmin = 2\nmax = 1\n",
		kind: scenario.ErrMissing,
		want: []string{
			`x.toml:13:1: assert."p99 ok": give min, max or both`,
			`x.toml:19:1: assert.x.metric: invalid metric path "latency ms" (a summary.json path such as "latency_ms.p99")`,
			`x.toml:20:1: assert.x.min: min 2 is above max 1`,
		},
	}, {
		name: "multiple errors at once, sorted by line",
		src: `[sim]
duration = "10m"
warmup = "20m"

[[workload]]
name = "shoppers"
target = "apii"
rate = -1
timeout = "0s"
service_time = { dist = "exponential", mean = "50ms" }

[[service]]
name = "api"
concurency = 8
replicas = -1
queue = -1
cost_per_hour = -0.5
`,
		kind: scenario.ErrInvalid,
		want: []string{
			`x.toml:3:1: sim.warmup: warmup 20m must be shorter than duration 10m`,
			`x.toml:7:1: workload.shoppers.target: no service named "apii" (did you mean "api"?)`,
			`x.toml:8:1: workload.shoppers.rate: must be >= 0, got -1`,
			`x.toml:9:1: workload.shoppers.timeout: must be > 0 (omit it for no timeout)`,
			`x.toml:14:1: service.api.concurency: unknown key (did you mean "concurrency"?)`,
			`x.toml:15:1: service.api.replicas: must be >= 0, got -1`,
			`x.toml:16:1: service.api.queue: must be >= 0, got -1 (omit it for an unbounded queue)`,
			`x.toml:17:1: service.api.cost_per_hour: must be >= 0, got -0.5 (USD per instance-hour)`,
		},
	}, {
		// Issue 10: a percent written for a fraction never scaled.
		name: "cpu target written as a percent",
		src:  valid + `autoscaler = { kind = "hpa", metric = "cpu", target = 60, min = 1, max = 5 }` + "\n",
		kind: scenario.ErrInvalid,
		want: []string{`x.toml:12:46: service.api.autoscaler.target: cpu utilisation is at most 1 without a cpu_limit above cpu; got 60 (cpu targets are fractions: 0.6 for 60%)`},
	}, {
		name: "cpu is the default metric, for every cpu policy kind",
		src:  valid + `autoscaler = { kind = "target_tracking", target = 1.5 }` + "\n",
		kind: scenario.ErrInvalid,
		want: []string{`x.toml:12:42: service.api.autoscaler.target: cpu utilisation is at most 1 without a cpu_limit above cpu; got 1.5 (cpu targets are fractions: 0.6 for 60%)`},
	}, {
		name: "cpu target above what cpu_limit allows",
		src:  valid + "cpu = 1\ncpu_limit = 2\n" + `autoscaler = { kind = "hpa", target = 2.5 }` + "\n",
		kind: scenario.ErrInvalid,
		want: []string{`x.toml:14:30: service.api.autoscaler.target: cpu utilisation is at most cpu_limit / cpu = 2; got 2.5 (cpu targets are fractions: 0.6 for 60%)`},
	}, {
		// Issue 10: follow-on errors; only the root error is reported.
		name: "bad unit in the workload's service_time",
		src:  strings.Replace(valid, `mean = "50ms"`, `mean = "50 parsecs"`, 1),
		kind: scenario.ErrInvalid,
		want: []string{`x.toml:8:40: workload.shoppers.service_time.mean: "50 parsecs": unknown unit in " parsecs"; use a unit such as "250ms" or "2s"`},
	}, {
		name: "bad unit in the service's service_time",
		src: strings.Replace(valid, `service_time = { dist = "exponential", mean = "50ms" }`, "", 1) +
			`service_time = { dist = "exponential", mean = "50 parsecs" }` + "\n",
		kind: scenario.ErrInvalid,
		want: []string{`x.toml:12:40: service.api.service_time.mean: "50 parsecs": unknown unit in " parsecs"; use a unit such as "250ms" or "2s"`},
	}, {
		name: "string max in an assert",
		src:  valid + "\n[[assert]]\nname = \"p99\"\nmetric = \"latency_ms.p99\"\nmax = \"high\"\n",
		kind: scenario.ErrType,
		want: []string{`x.toml:16:1: assert.p99.max: expected a number, got string "high"`},
	}}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := scenario.Parse("x.toml", []byte(tt.src), nil)
			if err == nil {
				t.Fatal("no error")
			}
			if got := strings.Split(err.Error(), "\n"); !reflect.DeepEqual(got, tt.want) {
				t.Errorf("got\n\t%s\nwant\n\t%s", strings.Join(got, "\n\t"), strings.Join(tt.want, "\n\t"))
			}
			if !errors.Is(err, tt.kind) {
				t.Errorf("errors.Is(err, %v) = false", tt.kind)
			}
			var list scenario.ErrorList
			if !errors.As(err, &list) {
				t.Fatalf("error is a %T, not an ErrorList", err)
			}
			for _, e := range list {
				if e.File == "" || e.Line <= 0 || (e.Key == "" && e.Kind != scenario.ErrSyntax) {
					t.Errorf("error %q lacks file, line or key", e)
				}
			}
		})
	}
}

func TestErrorFormat(t *testing.T) {
	e := &scenario.Error{File: "scenarios/x.toml", Line: 12, Col: 3, Key: "service.api.concurency",
		Msg: "unknown key", Hint: `did you mean "concurrency"?`, Kind: scenario.ErrUnknownKey}
	const want = `scenarios/x.toml:12:3: service.api.concurency: unknown key (did you mean "concurrency"?)`
	if e.Error() != want {
		t.Errorf("got %q, want %q", e.Error(), want)
	}
	if !errors.Is(e, scenario.ErrUnknownKey) || errors.Is(e, scenario.ErrType) {
		t.Error("errors.Is does not follow Kind")
	}
}

// TestLibrary parses the DESIGN.md sketch and every library scenario.
func TestLibrary(t *testing.T) {
	files, _ := filepath.Glob("../../scenarios/*.toml")
	files = append(files, "testdata/design_sketch.toml", "testdata/full.toml")
	for _, f := range files {
		t.Run(filepath.Base(f), func(t *testing.T) {
			cfg, err := scenario.Load(f, nil)
			if err != nil {
				t.Fatal(err)
			}
			for _, w := range cfg.Workloads {
				if w.ServiceTime == nil {
					t.Errorf("workload %s has no service time", w.Name)
				}
			}
		})
	}
}

func TestDesignSketch(t *testing.T) {
	cfg, err := scenario.Load("testdata/design_sketch.toml", nil)
	if err != nil {
		t.Fatal(err)
	}
	w, s := cfg.Workloads[0], cfg.Services[0]
	checks := []struct {
		name      string
		got, want any
	}{
		{"sim.name", cfg.Sim.Name, "flash-sale"},
		{"sim.duration", cfg.Sim.Duration, 30 * scenario.Minute},
		{"sim.seed", cfg.Sim.Seed, uint64(42)},
		{"workload.schedule[0]", w.Schedule[0], scenario.RatePoint{At: 10 * scenario.Minute, Rate: 2000, Ramp: 30 * scenario.Second}},
		{"workload.timeout", w.Timeout, 2 * scenario.Second},
		{"service.queue", *s.Queue, 100},
		{"service.warmup", s.Warmup, scenario.Warmup{Duration: time60s, Slowdown: 3}},
		{"service.balancer", s.Balancer, scenario.Balancer{Layer: "L7", Algorithm: "p2c"}},
		{"service.autoscaler.kind", s.Autoscaler.Kind, scenario.AutoscalerHPA},
		{"service.autoscaler.max", *s.Autoscaler.Max, 50},
		{"assert.max", *cfg.Asserts[0].Max, 250.0},
	}
	for _, c := range checks {
		if !reflect.DeepEqual(c.got, c.want) {
			t.Errorf("%s = %v, want %v", c.name, c.got, c.want)
		}
	}
}

const time60s = 60 * scenario.Second

func TestServiceTimeInherited(t *testing.T) {
	src := strings.Replace(valid, `service_time = { dist = "exponential", mean = "50ms" }`, "", 1) +
		`service_time = { dist = "constant", value = "5ms" }` + "\n"
	cfg, err := scenario.Parse("x.toml", []byte(src), nil)
	if err != nil {
		t.Fatal(err)
	}
	got := cfg.Workloads[0].ServiceTime
	if got == nil || got.Dist != scenario.DistConstant || *got.Value != 5*scenario.Millisecond {
		t.Fatalf("inherited service time = %+v", got)
	}
	if spec := got.Spec(); spec.Kind != "constant" || spec.Mean != 0.005 {
		t.Errorf("Spec() = %+v", spec)
	}
}

func TestTrace(t *testing.T) {
	dir := t.TempDir()
	write := func(name, s string) {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(s), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	scenarioWith := func(trace string) string {
		return strings.Replace(valid, "rate = 100", `arrival = "trace"`+"\ntrace = "+`"`+trace+`"`, 1)
	}
	write("ok.txt", "# arrivals\n0.5\n1.25 # comment\n\n1.25\n3\n")
	write("bad.txt", "0.5\nsoon\n0.25\n-1\n")
	write("empty.txt", "# nothing\n")

	path := filepath.Join(dir, "s.toml")
	cfg, err := scenario.Parse(path, []byte(scenarioWith("ok.txt")), nil)
	if err != nil {
		t.Fatal(err)
	}
	if got, want := cfg.Workloads[0].TraceInfo, (scenario.TraceInfo{Path: filepath.Join(dir, "ok.txt"), Requests: 4, End: 3}); got != want {
		t.Errorf("TraceInfo = %+v, want %+v", got, want)
	}

	bad := filepath.Join(dir, "bad.txt")
	tests := []struct {
		trace string
		want  []string
	}{
		{"bad.txt", []string{
			bad + `:2: workload.shoppers.trace: invalid arrival time "soon" (one arrival time in seconds per line)`,
			bad + `:3: workload.shoppers.trace: arrival time 0.25 is before the previous one (0.5): the trace must be sorted (one arrival time in seconds per line)`,
			bad + `:4: workload.shoppers.trace: arrival time -1 must be a finite number >= 0 (one arrival time in seconds per line)`,
		}},
		{"empty.txt", []string{path + ":8:1: workload.shoppers.trace: trace " + filepath.Join(dir, "empty.txt") + " holds no arrival times (one arrival time in seconds per line)"}},
		{"missing.txt", []string{path + ":8:1: workload.shoppers.trace: cannot read trace: stat " + filepath.Join(dir, "missing.txt") + ": no such file or directory (the path is relative to the scenario file)"}},
	}
	for _, tt := range tests {
		_, err := scenario.Parse(path, []byte(scenarioWith(tt.trace)), nil)
		if err == nil {
			t.Errorf("%s: no error", tt.trace)
			continue
		}
		if got := strings.Split(err.Error(), "\n"); !reflect.DeepEqual(got, tt.want) {
			t.Errorf("%s: got\n\t%s\nwant\n\t%s", tt.trace, strings.Join(got, "\n\t"), strings.Join(tt.want, "\n\t"))
		}
	}

	// A trace needs arrival = "trace", and rules out rate.
	src := strings.Replace(valid, "rate = 100", "rate = 100\ntrace = \"ok.txt\"", 1)
	_, err = scenario.Parse(path, []byte(src), nil)
	if err == nil || !strings.Contains(err.Error(), `:8:1: workload.shoppers.trace: trace needs arrival = "trace", not "poisson"`) {
		t.Errorf("trace without arrival = trace: %v", err)
	}
}

// TestMovedKeys: keys that left a table say where they went instead of
// suggesting the nearest valid key.
func TestMovedKeys(t *testing.T) {
	tests := []struct{ src, want string }{
		{"[[node_pool]]\nname = \"p\"\nscan_interval = \"10s\"\n",
			`m.toml:3:1: node_pool.p.scan_interval: unknown key (moved to the cluster-wide [cluster_autoscaler] table)`},
		{"[[node_pool]]\nname = \"p\"\nscale_down_delay_after_add = \"5m\"\n",
			`m.toml:3:1: node_pool.p.scale_down_delay_after_add: unknown key (moved to the cluster-wide [cluster_autoscaler] table (it is global in cluster-autoscaler))`},
		{"[[service]]\nname = \"api\"\n[service.autoscaler]\nkind = \"hpa\"\nscrape_interval = \"30s\"\n",
			`m.toml:5:1: service.api.autoscaler.scrape_interval: unknown key (renamed metrics_resolution (metrics-server's --metric-resolution))`},
	}
	for _, tt := range tests {
		_, err := scenario.Parse("m.toml", []byte(tt.src), nil)
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("got %v\nwant it to contain %s", err, tt.want)
		}
	}
}

// TestAssertLines: each [[assert]] entry knows the line of its header,
// for CI annotations; an entry from --set has none.
func TestAssertLines(t *testing.T) {
	src := valid + "\n[[assert]]\nname = \"a\"\nmetric = \"latency_ms.p99\"\nmax = 5\n\n[[assert]]\nname = \"b\"\nmetric = \"latency_ms.p50\"\nmax = 5\n"
	cfg, err := scenario.Parse("x.toml", []byte(src), []string{`assert.a.max=7`})
	if err != nil {
		t.Fatal(err)
	}
	if got := []int{cfg.Asserts[0].Line, cfg.Asserts[1].Line}; !reflect.DeepEqual(got, []int{13, 18}) {
		t.Errorf("assert lines %v, want [13 18]", got)
	}
}
