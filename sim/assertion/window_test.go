package assertion_test

import (
	"math"
	"strings"
	"testing"

	"github.com/clustersim/clustersim/sim/assertion"
	"github.com/clustersim/clustersim/sim/engine"
	"github.com/clustersim/clustersim/sim/results"
)

// feed streams a synthetic series of 10 s windows (ending at 10, 20, ...
// 60 s) of one column, api.p99_ms, through a tracker for specs.
func feed(t *testing.T, specs []assertion.Spec, col []float64) []results.Assertion {
	t.Helper()
	tr := assertion.NewTracker(specs, nil)
	if err := tr.Header([]string{"api.rps", "api.p99_ms"}); err != nil {
		t.Fatal(err)
	}
	for i, v := range col {
		if err := tr.Row(float64(10*(i+1)), []float64{1, v}); err != nil {
			t.Fatal(err)
		}
	}
	got, err := tr.Evaluate(&results.Summary{})
	if err != nil {
		t.Fatal(err)
	}
	return got
}

// TestTrackerAggregates pins each aggregate, the range rule (a window
// counts when it lies wholly within [from, to]) and the missing-figure
// rule (a window without a value is skipped; none at all fails, saying
// why), with exact values and messages.
func TestTrackerAggregates(t *testing.T) {
	nan := math.NaN()
	series := []float64{100, 400, nan, 200, 300, nan} // windows (0,10] ... (50,60]
	s := engine.Second
	tests := []struct {
		name     string
		agg      assertion.Agg
		from, to engine.Duration
		max      float64
		ok       bool
		value    float64
		reason   string
		metric   string
	}{
		{"max over all", assertion.AggMax, 0, 60 * s, 450, true, 400, "", "max(api.p99_ms) 0s..1m"},
		{"max fails", assertion.AggMax, 0, 60 * s, 300, false, 400, "", "max(api.p99_ms) 0s..1m"},
		{"min skips missing", assertion.AggMin, 20 * s, 60 * s, 450, true, 200, "", "min(api.p99_ms) 20s..1m"},
		{"mean of present windows", assertion.AggMean, 10 * s, 50 * s, 450, true, 300, "", "mean(api.p99_ms) 10s..50s"},
		{"last present window", assertion.AggLast, 0, 60 * s, 450, true, 300, "", "last(api.p99_ms) 0s..1m"},
		// (30,40] lies within [25s, 45s]? No: it starts at 30 >= 25 and ends at 40 <= 45, so yes;
		// (20,30] starts before 25 s and (40,50] ends after 45 s: both left out.
		{"partial windows left out", assertion.AggMax, 25 * s, 45 * s, 250, true, 200, "", "max(api.p99_ms) 25s..45s"},
		{"only missing windows", assertion.AggMax, 20 * s, 30 * s, 450, false, nan,
			"no successful requests in any of 1 windows from 20s to 30s", "max(api.p99_ms) 20s..30s"},
		{"no whole window in range", assertion.AggMax, 12 * s, 18 * s, 450, false, nan,
			"no whole window lies from 12s to 18s", "max(api.p99_ms) 12s..18s"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			spec := assertion.Spec{Name: tt.name, Series: "api.p99_ms", Agg: tt.agg, From: tt.from, To: tt.to, Max: ptr(tt.max)}
			a := feed(t, []assertion.Spec{spec}, series)[0]
			sameValue := a.Value == tt.value || (math.IsNaN(a.Value) && math.IsNaN(tt.value))
			if a.OK != tt.ok || !sameValue || a.Reason != tt.reason || a.Metric != tt.metric {
				t.Errorf("got ok=%v value=%v reason=%q metric=%q; want ok=%v value=%v reason=%q metric=%q",
					a.OK, a.Value, a.Reason, a.Metric, tt.ok, tt.value, tt.reason, tt.metric)
			}
		})
	}
}

func TestTrackerUnknownColumn(t *testing.T) {
	tr := assertion.NewTracker([]assertion.Spec{{Name: "x", Series: "api.p99ms", Agg: assertion.AggMax, To: engine.Minute}}, nil)
	err := tr.Header([]string{"api.rps", "api.p99_ms"})
	if err == nil || !strings.Contains(err.Error(), `no timeseries column "api.p99ms" (did you mean "api.p99_ms"?)`) {
		t.Errorf("err = %v", err)
	}
}

// TestTrackerPassesRowsOn: the tracker is a tee, not a terminal sink.
func TestTrackerPassesRowsOn(t *testing.T) {
	next := &countSink{}
	tr := assertion.NewTracker(nil, next)
	if err := tr.Header([]string{"a"}); err != nil {
		t.Fatal(err)
	}
	for i := range 3 {
		if err := tr.Row(float64(i), []float64{1}); err != nil {
			t.Fatal(err)
		}
	}
	if next.headers != 1 || next.rows != 3 {
		t.Errorf("next saw %d headers, %d rows; want 1, 3", next.headers, next.rows)
	}
}

type countSink struct{ headers, rows int }

func (c *countSink) Header([]string) error        { c.headers++; return nil }
func (c *countSink) Row(float64, []float64) error { c.rows++; return nil }

// TestRowDoesNotAllocate: the tracker sits in the per-window path of a
// run, which must not allocate per row.
func TestRowDoesNotAllocate(t *testing.T) {
	spec := assertion.Spec{Name: "m", Series: "api.p99_ms", Agg: assertion.AggMean, To: engine.Hour}
	tr := assertion.NewTracker([]assertion.Spec{spec}, nil)
	if err := tr.Header([]string{"api.p99_ms"}); err != nil {
		t.Fatal(err)
	}
	row := []float64{5}
	ts := 0.0
	if n := testing.AllocsPerRun(100, func() { ts += 10; _ = tr.Row(ts, row) }); n != 0 {
		t.Errorf("Row allocates %v times", n)
	}
}
