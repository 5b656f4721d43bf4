package autoscale_test

import (
	"testing"

	"github.com/clustersim/clustersim/sim/engine"
	"github.com/clustersim/clustersim/sim/policies/autoscale"
)

const (
	sec  = 1_000_000_000 // untyped: one second as an engine.Time or engine.Duration
	min_ = 60 * sec
	hour = 60 * min_
)

// ready returns running, ready pods with the given metrics, started and
// ready at time 0 (long before the test's times).
func ready(vals ...float64) []autoscale.PodSample {
	ps := make([]autoscale.PodSample, len(vals))
	for i, v := range vals {
		ps[i] = autoscale.PodSample{Ready: true, HasMetric: true, Metric: v}
	}
	return ps
}

// same returns n copies of v.
func same(n int, v float64) []float64 {
	vs := make([]float64, n)
	for i := range vs {
		vs[i] = v
	}
	return vs
}

// with concatenates pod lists.
func with(lists ...[]autoscale.PodSample) []autoscale.PodSample {
	var out []autoscale.PodSample
	for _, l := range lists {
		out = append(out, l...)
	}
	return out
}

// pending returns n pods in phase Pending.
func pending(n int) []autoscale.PodSample {
	ps := make([]autoscale.PodSample, n)
	for i := range ps {
		ps[i].Phase = autoscale.PodPending
	}
	return ps
}

// spread returns a load function that spreads total evenly over the n
// current pods, all ready.
func spread(total float64) func(n int) []autoscale.PodSample {
	return func(n int) []autoscale.PodSample { return ready(same(n, total/float64(n))...) }
}

// tick is one step of a policy run: at time at the pods are load(current)
// and the policy must answer want for reason.
type tick struct {
	at     engine.Time
	load   func(n int) []autoscale.PodSample
	want   int
	reason string
}

// run feeds ticks to p, starting from current replicas and applying each
// decision before the next tick, as the simulator does.
func run(t *testing.T, p autoscale.Policy, current int, ticks []tick) {
	t.Helper()
	for _, tk := range ticks {
		d, _ := p.Decide(autoscale.Observation{Now: tk.at, Current: current, Pods: tk.load(current)})
		if d.Desired != tk.want || d.Reason != tk.reason {
			t.Fatalf("t=%ds current %d: got %d %s, want %d %s", tk.at/sec, current, d.Desired, d.Reason, tk.want, tk.reason)
		}
		current = d.Desired
	}
}

func newHPA(t *testing.T, edit func(*autoscale.HPAConfig)) *autoscale.HPA {
	t.Helper()
	cfg := autoscale.DefaultHPAConfig()
	if edit != nil {
		edit(&cfg)
	}
	h, err := autoscale.NewHPA(cfg)
	if err != nil {
		t.Fatal(err)
	}
	return h
}
