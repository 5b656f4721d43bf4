package sweep

import (
	"math"
	"slices"
	"strings"
	"testing"

	"github.com/clustersim/clustersim/sim/results"
)

func TestParseParam(t *testing.T) {
	tests := []struct {
		arg     string
		want    []string
		wantErr string
	}{
		{"service.api.autoscaler.target=0.3:0.9:0.1", []string{"0.3", "0.4", "0.5", "0.6", "0.7", "0.8", "0.9"}, ""},
		// Float arithmetic would give 0.30000000000000004 and miss 0.9.
		{"k=0.1:0.3:0.1", []string{"0.1", "0.2", "0.3"}, ""},
		{"k=1:2:0.25", []string{"1", "1.25", "1.5", "1.75", "2"}, ""},
		{"k=10:30:10", []string{"10", "20", "30"}, ""},
		{"k=0:1:0.3", []string{"0", "0.3", "0.6", "0.9"}, ""}, // stop not reached exactly: not included
		{"k=-1:1:1", []string{"-1", "0", "1"}, ""},
		{"workload.shoppers.rate=100,200, 300", []string{"100", "200", "300"}, ""},
		{"sim.duration=1m,2m", []string{"1m", "2m"}, ""},
		{"k=p2c,round_robin", []string{"p2c", "round_robin"}, ""},
		{"k=1:2:0", nil, "step"},
		{"k=3:2:1", nil, "start must not exceed stop"},
		{"k=a:b:c", nil, "not a decimal"},
		{"k=0:1e9:1", nil, "not a decimal"},
		{"k=0:1000000:1", nil, "more than"},
		{"k=1,1", nil, "twice"},
		{"k=1,,2", nil, "empty value"},
		{"k=", nil, "expected KEY="},
		{"=1,2", nil, "expected KEY="},
		{"k", nil, "expected KEY="},
	}
	for _, tt := range tests {
		p, err := ParseParam(tt.arg)
		if tt.wantErr != "" {
			if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
				t.Errorf("ParseParam(%q) error = %v, want one containing %q", tt.arg, err, tt.wantErr)
			}
			continue
		}
		if err != nil || !slices.Equal(p.Values, tt.want) {
			t.Errorf("ParseParam(%q) = %v, %v; want %v", tt.arg, p.Values, err, tt.want)
		}
	}
}

// TestPlanOrder: the first parameter varies slowest, a grid point's seeds
// are consecutive runs, and every grid point gets the same seeds.
func TestPlanOrder(t *testing.T) {
	p, err := NewPlan("s", []Param{{"a", []string{"1", "2"}}, {"b", []string{"x", "y", "z"}}}, 7, 2, []string{"sim.duration=1m"})
	if err != nil {
		t.Fatal(err)
	}
	if p.Points() != 6 || p.Runs() != 12 {
		t.Fatalf("points %d runs %d, want 6 and 12", p.Points(), p.Runs())
	}
	var got []string
	for r := range p.Runs() {
		v, seed := p.Run(r)
		got = append(got, strings.Join(v, "")+":"+string(rune('0'+seed-7)))
	}
	want := []string{"1x:0", "1x:1", "1y:0", "1y:1", "1z:0", "1z:1", "2x:0", "2x:1", "2y:0", "2y:1", "2z:0", "2z:1"}
	if !slices.Equal(got, want) {
		t.Errorf("runs = %v, want %v", got, want)
	}
	if o := p.Overrides(3); !slices.Equal(o, []string{"sim.duration=1m", "a=1", "b=y", "sim.seed=8"}) {
		t.Errorf("Overrides(3) = %v", o)
	}
	if _, err := NewPlan("s", []Param{{"sim.seed", []string{"1"}}}, 1, 1, nil); err == nil {
		t.Error("sweeping sim.seed was accepted")
	}
	if _, err := NewPlan("s", []Param{{"a", []string{"1"}}}, 1, 0, nil); err == nil {
		t.Error("--seeds 0 was accepted")
	}
	if _, err := NewPlan("s", []Param{{"a", []string{"1"}}, {"a", []string{"2"}}}, 1, 1, nil); err == nil {
		t.Error("a key given twice was accepted")
	}
}

func TestShard(t *testing.T) {
	s, err := ParseShard("1/3")
	if err != nil || s != (Shard{1, 3}) || s.String() != "1/3" {
		t.Fatalf("ParseShard(1/3) = %v, %v", s, err)
	}
	var mine []int
	for r := range 8 {
		if s.Has(r) {
			mine = append(mine, r)
		}
	}
	if !slices.Equal(mine, []int{1, 4, 7}) {
		t.Errorf("shard 1/3 of 8 runs = %v, want [1 4 7]", mine)
	}
	for _, bad := range []string{"3/3", "-1/3", "1/0", "1", "a/b", ""} {
		if _, err := ParseShard(bad); err == nil {
			t.Errorf("ParseShard(%q) accepted", bad)
		}
	}
}

// TestMeanCI checks the 95% half-width against numbers computed by hand
// from a Student t table (NIST/SEMATECH e-Handbook of Statistical
// Methods, §1.3.6.7.2, t(0.975, df)): df 1: 12.706, df 4: 2.776,
// df 9: 2.262.
func TestMeanCI(t *testing.T) {
	nan := math.NaN()
	tests := []struct {
		xs       []float64
		mean, ci float64
	}{
		// mean 3, s = sqrt(2.5) = 1.5811, ci = 2.7764 × 1.5811 / √5 = 1.9632
		{[]float64{1, 2, 3, 4, 5}, 3, 1.9632},
		// mean 15, s = 7.0711, ci = 12.7062 × 7.0711 / √2 = 63.531
		{[]float64{10, 20}, 15, 63.531},
		// s = sqrt(110/12)... ten values 0..9: mean 4.5, s = 3.0277, ci = 2.2622 × 3.0277 / √10 = 2.1659
		{[]float64{0, 1, 2, 3, 4, 5, 6, 7, 8, 9}, 4.5, 2.1659},
		{[]float64{7, 7, 7}, 7, 0},
		{[]float64{42}, 42, nan},                 // one seed: no spread to estimate
		{[]float64{1, nan, 3}, nan, nan},         // a missing figure is not averaged as 0, nor skipped
		{[]float64{1, math.Inf(1), 3}, nan, nan}, // infinite = missing
		{nil, nan, nan},
	}
	for _, tt := range tests {
		m, ci := MeanCI(tt.xs)
		if !close(m, tt.mean, 1e-9) || !close(ci, tt.ci, 5e-4) {
			t.Errorf("MeanCI(%v) = %v ± %v, want %v ± %v", tt.xs, m, ci, tt.mean, tt.ci)
		}
	}
}

func close(a, b, tol float64) bool {
	if math.IsNaN(a) || math.IsNaN(b) {
		return math.IsNaN(a) && math.IsNaN(b)
	}
	return math.Abs(a-b) <= tol*math.Max(1, math.Abs(b))
}

// TestSummarizeMissing: a figure missing in one run of a grid point
// leaves that point's mean and ci95 empty; the other point is averaged.
func TestSummarizeMissing(t *testing.T) {
	p, _ := NewPlan("s", []Param{{"a", []string{"1", "2"}}}, 1, 2, nil)
	csv := "run,a,seed,latency_ms.p99,requests.total\n" +
		"0,1,1,10,100\n" +
		"1,1,2,,100\n" + // no successful request: p99 null
		"2,2,1,20,100\n" +
		"3,2,2,30,102\n"
	tab, err := Summarize(p, strings.NewReader(csv))
	if err != nil {
		t.Fatal(err)
	}
	var b strings.Builder
	if err := tab.WriteCSV(&b); err != nil {
		t.Fatal(err)
	}
	// ci of {20, 30}: 12.7062 × 7.0711 / √2 = 63.5310; of {100, 102}: 12.7062 × 1.4142 / √2 = 12.7062
	want := "a,latency_ms.p99.mean,latency_ms.p99.ci95,requests.total.mean,requests.total.ci95\n" +
		"1,,,100,0\n" +
		"2,25,63.531,101,12.7062\n"
	if b.String() != want {
		t.Errorf("sweep-summary.csv =\n%s\nwant\n%s", b.String(), want)
	}
	if _, err := Summarize(p, strings.NewReader(csv[:strings.LastIndex(csv[:len(csv)-1], "\n")+1])); err == nil {
		t.Error("a sweep.csv missing a run was summarized")
	}
}

// TestPareto: the front keeps the points no other beats on both cost and
// p99, by increasing cost; points missing either figure are left out.
func TestPareto(t *testing.T) {
	nan := math.NaN()
	tab := &Table{
		Params:  []Param{{"k", []string{"a", "b", "c", "d", "e", "f"}}},
		Figures: []string{"cost.total_usd", "latency_ms.p99"},
	}
	for _, cp := range [][2]float64{{1, 100}, {2, 50}, {3, 60}, {4, 10}, {5, 10}, {0.5, nan}} {
		tab.Points = append(tab.Points, Point{Mean: []float64{cp[0], cp[1]}, CI95: []float64{nan, nan}})
	}
	var got []int
	for _, q := range tab.Pareto() {
		got = append(got, q.Index)
	}
	if !slices.Equal(got, []int{0, 1, 3}) {
		t.Errorf("Pareto front = %v, want [0 1 3]", got)
	}
}

// TestFiguresAndValues: the figure columns of a summary, and a missing
// figure read as missing, not 0.
func TestFiguresAndValues(t *testing.T) {
	sum := &results.Summary{
		Requests:  results.Requests{Total: 10, ErrorRatio: 0.5},
		LatencyMs: results.Latency{P50: math.NaN(), P95: 2, P99: 3},
		Services: map[string]results.ServiceSummary{
			"web": {InstanceSeconds: 3600, Replicas: results.Stat{Max: 4}},
			"api": {InstanceSeconds: 7200, Replicas: results.Stat{Max: 2}},
		},
		Cost:       results.Cost{TotalUSD: 1.5},
		Assertions: []results.Assertion{{Name: "p99 ok", Value: 3}},
	}
	figs := Figures(sum)
	want := []string{"requests.total", "requests.error_ratio", "latency_ms.p50", "latency_ms.p95", "latency_ms.p99",
		"throughput_rps", "cost.total_usd", "instance_hours", "services.api.replicas.max", "services.web.replicas.max", "assertions.p99 ok"}
	if !slices.Equal(figs, want) {
		t.Fatalf("Figures = %v\nwant %v", figs, want)
	}
	vals, err := Values(sum, figs)
	if err != nil {
		t.Fatal(err)
	}
	p, _ := NewPlan("s", []Param{{"k", []string{"v"}}}, 5, 1, nil)
	row := strings.Join(Row(p, 0, vals), ",")
	if row != "0,v,5,10,0.5,,2,3,0,1.5,3,2,4,3" {
		t.Errorf("row = %s", row)
	}
}
