package scenario_test

import (
	"math"
	"testing"

	"github.com/clustersim/clustersim/sim/models"
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

func runScenario(t *testing.T, src string) (*lastRow, *results.Summary) {
	t.Helper()
	cfg, err := scenario.Parse("hpa.toml", []byte(src), nil)
	if err != nil {
		t.Fatal(err)
	}
	mc, _, err := scenario.Build(cfg)
	if err != nil {
		t.Fatal(err)
	}
	c, err := models.New(mc)
	if err != nil {
		t.Fatal(err)
	}
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
