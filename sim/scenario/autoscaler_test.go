package scenario_test

import (
	"math"
	"testing"

	"github.com/clustersim/clustersim/sim/engine"
	"github.com/clustersim/clustersim/sim/models"
	"github.com/clustersim/clustersim/sim/policies/autoscale"
	"github.com/clustersim/clustersim/sim/results"
	"github.com/clustersim/clustersim/sim/scenario"
)

type lastRow struct {
	cols []string
	row  []float64
}

func (l *lastRow) Header(c []string) error { l.cols = c; return nil }
func (l *lastRow) Row(_ float64, v []float64) error {
	l.row = append(l.row[:0], v...)
	return nil
}
func (l *lastRow) get(name string) float64 {
	for i, c := range l.cols {
		if c == name {
			return l.row[i]
		}
	}
	return -1
}

// newCluster parses and builds the scenario src.
func newCluster(t *testing.T, src string) *models.Cluster {
	t.Helper()
	cfg, err := scenario.Parse("hpa.toml", []byte(src), nil)
	if err != nil {
		t.Fatal(err)
	}
	return clusterOf(t, cfg)
}

func runScenario(t *testing.T, src string) (*lastRow, *results.Summary) {
	t.Helper()
	c := newCluster(t, src)
	rec := &lastRow{}
	sum, err := c.Run(rec, nil)
	if err != nil {
		t.Fatal(err)
	}
	return rec, sum
}

// TestHPASettlesAtHandComputedReplicas: 400 req/s of 50 ms constant work
// keep 400 × 0.05 = 20 slots busy. With 4 slots per instance the CPU
// utilisation at N replicas is 20/(4N), and the HPA (Kubernetes
// replica_calculator: desired = ceil(current × utilisation/target), no
// change while |utilisation/target - 1| <= 0.1) stops at the first N it
// reaches with 10/N in [0.9, 1.1] for a 50% target: N = 10 or 11. Every
// recorded scale-up must follow the formula from the metric it saw, and
// the settled utilisation must be 20/(4N).
func TestHPASettlesAtHandComputedReplicas(t *testing.T) {
	rec, sum := runScenario(t, `
[sim]
duration = "20m"
warmup = "10m"
window = "10s"
[[workload]]
name = "w"
target = "api"
rate = 400
service_time = { dist = "constant", value = "50ms" }
[[service]]
name = "api"
replicas = 3
concurrency = 4
queue = 20
startup = "20s"
autoscaler = { kind = "hpa", metric = "cpu", target = 0.5, min = 1, max = 30 }
`)
	n := rec.get("api.replicas_ready")
	if n != 10 && n != 11 {
		t.Fatalf("settled at %v ready replicas, want 10 or 11", n)
	}
	if got := rec.get("api.replicas_desired"); got != n {
		t.Errorf("desired %v, ready %v", got, n)
	}
	if util, want := sum.Services["api"].Utilization.Mean, 20/(4*n); math.Abs(util-want) > 0.01 {
		t.Errorf("utilisation after settling %.3f, want 20/(4×%v) = %.3f", util, n, want)
	}
	ups := 0
	for _, d := range sum.Scaling {
		if d.Desired <= d.Current {
			continue
		}
		ups++
		// Legacy scale-up limit: at most max(2×current, 4) per sync.
		want := min(int(math.Ceil(float64(d.Current)*d.Metric/0.5-1e-9)), max(2*d.Current, 4))
		if d.Desired != want {
			t.Errorf("at %gs: %d -> %d on utilisation %.2f; the formula gives %d", d.TimeS, d.Current, d.Desired, d.Metric, want)
		}
	}
	if ups < 2 {
		t.Errorf("only %d scale-ups from 3 replicas to %v", ups, n)
	}
}

// decisionsOf runs src and returns every autoscaler decision.
func decisionsOf(t *testing.T, src string) []results.Decision {
	t.Helper()
	c := newCluster(t, src)
	var out []results.Decision
	c.OnDecision(func(d results.Decision) error { out = append(out, d); return nil })
	if _, err := c.Run(nil, nil); err != nil {
		t.Fatal(err)
	}
	return out
}

// TestHPAHoldsUntilTheFirstSample: a queue-metric HPA whose metrics arrive
// 40 s late. Collections run every 15 s from 7.5 s (half a resolution out
// of step with the syncs), so the first is visible at 47.5 s; the syncs at
// 15, 30 and 45 s have no external metric and hold the 5 replicas with
// FailedGetExternalMetric, as the Kubernetes controller does when the
// external metrics API returns nothing (horizontal.go: computeReplicasForMetrics
// fails, the scale is left alone). The queue is empty (light load), so the
// first real sample scales in to min at 60 s (scale-down window 0).
func TestHPAHoldsUntilTheFirstSample(t *testing.T) {
	ds := decisionsOf(t, `
[sim]
duration = "2m"
window = "5s"
[[workload]]
name = "w"
target = "worker"
rate = 10
service_time = { dist = "constant", value = "10ms" }
[[service]]
name = "worker"
replicas = 5
concurrency = 4
[service.autoscaler]
kind = "hpa"
metric = "queue"
target = 10
min = 1
max = 10
metric_delay = "40s"
behavior = { scale_down = { stabilization_window = "0s" } }
`)
	if len(ds) < 4 {
		t.Fatalf("%d decisions", len(ds))
	}
	for _, d := range ds[:3] {
		if d.Desired != 5 || d.Reason != "FailedGetExternalMetric" {
			t.Errorf("at %gs: %d (%s), want 5 held with FailedGetExternalMetric", d.TimeS, d.Desired, d.Reason)
		}
	}
	if d := ds[3]; d.TimeS != 60 || d.Desired != 1 {
		t.Errorf("first decision on a sample at %gs: %d (%s), want 1 at 60 s", d.TimeS, d.Desired, d.Reason)
	}
}

// TestHPACountsUnreadyPodsWithTheirMetric: instances that fail their
// readiness probe under overload stay Running (not Pending) and keep
// their CPU sample. Past the CPU initialisation period, Kubernetes counts
// an unready pod that was ready before with its metric (groupPods), so
// the HPA scales the overloaded fleet out instead of holding it. Here 4
// instances with 4 slots each take 480 req/s of 50 ms work (150% of
// capacity) from 6 min on; probes share the request queue. Every scale-up
// decision must be driven by a metric above target, and the fleet must
// grow while instances are unready.
func TestHPACountsUnreadyPodsWithTheirMetric(t *testing.T) {
	ds := decisionsOf(t, `
[sim]
duration = "10m"
window = "5s"
[[workload]]
name = "w"
target = "api"
rate = 160
schedule = [{ at = "6m", rate = 480 }]
service_time = { dist = "constant", value = "50ms" }
[[service]]
name = "api"
replicas = 4
concurrency = 4
queue = 100
startup = "20s"
readiness = { period = "10s", failure_threshold = 3, success_threshold = 1, timeout = "1s" }
autoscaler = { kind = "hpa", metric = "cpu", target = 0.6, min = 4, max = 20 }
`)
	grew := false
	for _, d := range ds {
		if d.TimeS > 360 && d.Desired > d.Current {
			grew = true
			if d.Metric <= 0.6 {
				t.Errorf("at %gs scaled %d -> %d on cpu %.2f, not above the 0.6 target", d.TimeS, d.Current, d.Desired, d.Metric)
			}
		}
		if d.TimeS <= 360 && d.Desired != 4 {
			t.Errorf("at %gs: %d before the surge", d.TimeS, d.Desired)
		}
	}
	if !grew {
		t.Error("the overloaded fleet never scaled out")
	}
}

// TestAlarmKeysReachThePolicies builds AWS autoscalers with the alarm keys
// and checks, by feeding each policy a constant breaching metric every
// 15 s, that they set its alarm: target tracking with alarm_period 30s
// has its 3 datapoints at 90 s (60 s periods: 180 s); step scaling with
// 2-minute periods and 2 of 3 datapoints reaches ALARM at 240 s (the
// defaults, 1 of 1 minute, would act at 60 s; 3 of 3 at 360 s).
func TestAlarmKeysReachThePolicies(t *testing.T) {
	tests := []struct {
		name, autoscaler string
		metric           float64
		want             int64 // first sync that scales out, s
	}{
		{"target tracking", `{ kind = "target_tracking", metric = "rps", target = 10, min = 1, max = 20, alarm_period = "30s" }`, 15, 90},
		{"step", `{ kind = "step", metric = "rps", target = 10, min = 1, max = 20, alarm_period = "2m", evaluation_periods = 3, datapoints_to_alarm = 2, steps = [{ lower = 0.0, adjust = 1 }] }`, 15, 240},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			src := "[sim]\nduration = \"10m\"\n\n[[workload]]\nname = \"w\"\ntarget = \"api\"\nrate = 10\nservice_time = { dist = \"constant\", mean = \"10ms\" }\n\n[[service]]\nname = \"api\"\nreplicas = 2\nautoscaler = " + tt.autoscaler + "\n"
			_, mc := buildOf(t, "alarm.toml", src)
			p := mc.Services[0].Autoscaler.Policy
			for at := int64(15); at <= 600; at += 15 {
				pods := []autoscale.PodSample{{Ready: true, HasMetric: true, Metric: tt.metric}, {Ready: true, HasMetric: true, Metric: tt.metric}}
				d, err := p.Decide(autoscale.Observation{Now: engine.Time(at) * engine.Time(engine.Second), Current: 2, Pods: pods})
				if err != nil {
					t.Fatal(err)
				}
				if d.Desired > 2 {
					if at != tt.want {
						t.Fatalf("first scale-out at %d s, want %d s", at, tt.want)
					}
					return
				}
			}
			t.Fatalf("never scaled out, want at %d s", tt.want)
		})
	}
}
