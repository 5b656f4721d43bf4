package reports_test

import (
	"html"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/clustersim/clustersim/reports"
)

func ptr(v float64) *float64 { return &v }

// sampleSource is a scenario file whose comment and values need escaping.
const sampleSource = `# Flash sale: <b>10x</b> traffic & a slow "HPA".
#
#   api   the front end
#   db    behind it

[sim]
name = "flash-sale"   # not part of the description
warmup = "1m"

[[assert]]
name = "p99 under 250ms </pre><script>alert(1)</script>"
metric = "latency_ms.p99"
max = 250
`

// sampleAnnotations marks sampleSeries: a one-minute warm-up, a rate
// change for api's workload, decisions for both services, a node failure,
// an assertion on client p99, one on db utilisation and api's HPA target.
func sampleAnnotations() *reports.Annotations {
	a := &reports.Annotations{
		WarmupS: 60,
		Events: []reports.Event{
			{TimeS: 200, Kind: reports.EventScaleDown, Service: "db", Label: "3→2"},
			{TimeS: 100, Kind: reports.EventSchedule, Service: "api", Label: "500/s"},
			{TimeS: 120, Kind: reports.EventScaleUp, Service: "api", Label: "3→5"},
			{TimeS: 150, Kind: reports.EventNodeFailure, Label: "1× pool down"},
		},
	}
	a.Limits = append(a.Limits, reports.AssertLimits("p99 under 250ms", "latency_ms.p99", nil, ptr(250), nil)...)
	a.Limits = append(a.Limits, reports.AssertLimits("db busy", "services.db.utilization.max", ptr(0.2), ptr(0.9), nil)...)
	a.Limits = append(a.Limits, reports.TargetLimit("api", "hpa", 0.7))
	return a
}

// writeAnnotatedReport writes the plots and report of sampleSeries with
// sampleAnnotations and sampleSource into dir and returns the page.
func writeAnnotatedReport(t *testing.T, dir string) string {
	t.Helper()
	a := sampleAnnotations()
	plots, err := reports.WritePlotsWith(dir, sampleSeries(30, 10), []string{"api", "db"}, a)
	if err != nil {
		t.Fatal(err)
	}
	err = reports.WriteReportWith(dir, sampleSummary(), plots, reports.ReportExtras{
		Source: []byte(sampleSource), File: "scenarios/flash-sale.toml",
		Overrides: []string{"service.api.replicas=5"}, Annotations: a,
	})
	if err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile(filepath.Join(dir, reports.ReportFile))
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func TestAssertLimits(t *testing.T) {
	targets := map[string]string{"shoppers": "api"}
	tests := []struct {
		metric   string
		min, max *float64
		want     []reports.Limit
	}{
		{"latency_ms.p99", nil, ptr(250), []reports.Limit{{Service: "api", Column: "p99_ms", Value: 250, Kind: reports.LimitMax, Label: "x ≤ 250"}}},
		{"latency_ms.p50", ptr(1), nil, []reports.Limit{{Service: "api", Column: "p50_ms", Value: 1, Kind: reports.LimitMin, Label: "x ≥ 1"}}},
		{"services.db.latency_ms.p95", nil, ptr(80), []reports.Limit{{Service: "db", Column: "p95_ms", Value: 80, Label: "x ≤ 80"}}},
		{"services.api.utilization.max", ptr(0.5), ptr(0.9), []reports.Limit{
			{Service: "api", Column: "utilization", Value: 0.9, Label: "x ≤ 0.9"},
			{Service: "api", Column: "utilization", Value: 0.5, Kind: reports.LimitMin, Label: "x ≥ 0.5"},
		}},
		{"services.api.replicas.max", nil, ptr(20), []reports.Limit{{Service: "api", Column: "replicas_ready", Value: 20, Label: "x ≤ 20"}}},
		{"services.api.queue_max", nil, ptr(10), []reports.Limit{{Service: "api", Column: "queue", Value: 10, Label: "x ≤ 10"}}},
		{"node_pools.workers.nodes.max", ptr(3), nil, []reports.Limit{{Service: "workers", Column: "nodes_ready", Value: 3, Kind: reports.LimitMin, Label: "x ≥ 3"}}},
		{"workloads.shoppers.latency_ms.p99", nil, ptr(300), []reports.Limit{{Service: "api", Column: "p99_ms", Value: 300, Label: "x ≤ 300"}}},
		{"api.p99_ms", nil, ptr(300), []reports.Limit{{Service: "api", Column: "p99_ms", Value: 300, Label: "x ≤ 300"}}}, // a timeseries column
		// Not plotted: no line.
		{"latency_ms.mean", nil, ptr(50), nil},
		{"latency_ms.p999", nil, ptr(50), nil},
		{"requests.rejected", ptr(1), nil, nil},
		{"services.api.instance_seconds", ptr(1), nil, nil},
		{"services.api.requests.rejected", nil, ptr(1), nil},
		{"workloads.nobody.latency_ms.p99", nil, ptr(300), nil},
		{"workloads.shoppers.offered_rps", nil, ptr(300), nil},
		{"throughput_rps", ptr(10), nil, nil},
		{"api.cost", nil, ptr(1), nil},
	}
	for _, tt := range tests {
		t.Run(tt.metric, func(t *testing.T) {
			got := reports.AssertLimits("x", tt.metric, tt.min, tt.max, targets)
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("AssertLimits(%q) =\n%+v\nwant\n%+v", tt.metric, got, tt.want)
			}
		})
	}
	// Without workloads, client latency is drawn on every panel.
	got := reports.AssertLimits("x", "latency_ms.p99", nil, ptr(250), nil)
	if want := []reports.Limit{{Column: "p99_ms", Value: 250, Label: "x ≤ 250"}}; !reflect.DeepEqual(got, want) {
		t.Errorf("AssertLimits without targets = %+v, want %+v", got, want)
	}
	// Two workloads on one service and one on another: one line each.
	got = reports.AssertLimits("x", "latency_ms.p99", nil, ptr(250), map[string]string{"a": "web", "b": "api", "c": "web"})
	if len(got) != 2 || got[0].Service != "api" || got[1].Service != "web" {
		t.Errorf("AssertLimits over three workloads = %+v, want api then web", got)
	}
}

func TestTargetLimit(t *testing.T) {
	got := reports.TargetLimit("api", "hpa", 0.7)
	want := reports.Limit{Service: "api", Column: "utilization", Value: 0.7, Kind: reports.LimitTarget, Label: "hpa target 70%"}
	if got != want {
		t.Errorf("TargetLimit = %+v, want %+v", got, want)
	}
}

func TestDescription(t *testing.T) {
	tests := []struct{ name, src, want string }{
		{"block", sampleSource, "Flash sale: <b>10x</b> traffic & a slow \"HPA\".\n\n  api   the front end\n  db    behind it"},
		{"leading blank lines", "\n\n# one\n#two\n\n# three\n[sim]\n# not this\n", "one\ntwo\n\nthree"},
		{"CRLF and trailing spaces", "# one  \r\n#   indented\r\n[sim]\r\n", "one\n  indented"},
		{"no comment", "[sim]\n# later\n", ""},
		{"empty", "", ""},
		{"only comments", "# a\n# b", "a\nb"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := reports.Description([]byte(tt.src)); got != tt.want {
				t.Errorf("Description = %q, want %q", got, tt.want)
			}
		})
	}
}

func TestLogAxis(t *testing.T) {
	nan := reports.Round(0) / reports.Round(0)
	tests := []struct {
		name   string
		values []float64
		lo, hi float64
		ok     bool
	}{
		{"two decades exactly stays linear", []float64{1, 100}, 0, 0, false},
		{"over two decades", []float64{3, 40, 450}, 1, 1000, true},
		{"zeros and gaps ignored", []float64{0, nan, 20, 2500}, 10, 10000, true},
		{"zeros only", []float64{0, 0}, 0, 0, false},
		{"empty", nil, 0, 0, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			lo, hi, ok := reports.LogAxis(tt.values)
			if lo != tt.lo || hi != tt.hi || ok != tt.ok {
				t.Errorf("logAxis = %v, %v, %v; want %v, %v, %v", lo, hi, ok, tt.lo, tt.hi, tt.ok)
			}
		})
	}
}

// TestPlotAnnotations pins what each panel draws besides its series (the
// warm-up span, limit lines, event markers, y ranges and scales, small
// multiples) for sampleSeries, with one single-service run beside it.
func TestPlotAnnotations(t *testing.T) {
	var b strings.Builder
	b.WriteString("# two services: small multiples, shared y axes\n")
	b.WriteString(reports.DescribePlots(sampleSeries(30, 10), []string{"api", "db"}, sampleAnnotations()))
	wide := sampleSeries(30, 10)
	for i := range wide.Rows {
		wide.Rows[i][4] *= float64(1 + 50*(i%2)) // api p99 spans > 2 decades
	}
	b.WriteString("# api alone, latency over more than two decades: log axis\n")
	b.WriteString(reports.DescribePlots(wide, []string{"api"}, sampleAnnotations()))
	b.WriteString("# no annotations\n")
	b.WriteString(reports.DescribePlots(sampleSeries(30, 10), []string{"api"}, nil))
	checkGolden(t, "annotations.txt", []byte(b.String()))
}

func TestCaption(t *testing.T) {
	a := sampleAnnotations()
	tests := []struct {
		name string
		a    *reports.Annotations
		want []string
		not  []string
	}{
		{"latency", a, []string{"p99 pulling away from p50", "Shaded: the first 1m, warm-up", "rate changes at 1m40s", "node failures at 2m30s", "(1 up ▲, 1 down ▼)", "assertion limits “p99 under 250ms ≤ 250”"}, []string{"db busy", "target"}},
		{"saturation", a, []string{"Utilisation pinned at 1", "“db busy ≤ 0.9” (db)", "“db busy ≥ 0.2” (db)", "autoscaler targets, hpa target 70% (api)"}, []string{"p99 under"}},
		{"traffic", a, []string{"offered", "Shaded"}, []string{"assertion limits", "targets"}},
		{"replicas", nil, []string{"desired and ready"}, []string{"Shaded", "Triangles"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := reports.Caption(tt.name, tt.a)
			for _, w := range tt.want {
				if !strings.Contains(got, w) {
					t.Errorf("caption lacks %q:\n%s", w, got)
				}
			}
			for _, w := range tt.not {
				if strings.Contains(got, w) {
					t.Errorf("caption has %q:\n%s", w, got)
				}
			}
		})
	}
}

// TestReportScenario checks the page's scenario section: the description
// and the whole file, escaped, the overrides, and a caption per plot.
func TestReportScenario(t *testing.T) {
	page := writeAnnotatedReport(t, t.TempDir())
	for _, want := range []string{
		`<pre class="desc" id="description">Flash sale: &lt;b&gt;10x&lt;/b&gt; traffic &amp; a slow &#34;HPA&#34;.` + "\n\n  api   the front end\n  db    behind it</pre>",
		`<details id="scenario-file"><summary>Scenario file flash-sale.toml</summary>`,
		`name = &#34;p99 under 250ms &lt;/pre&gt;&lt;script&gt;alert(1)&lt;/script&gt;&#34;`,
		`<code>--set service.api.replicas=5</code>`,
		`<figure id="plot-latency"><img src="data:image/png;base64,`,
		`<b>Latency percentiles (successful requests).</b> Latency of successful requests`,
		`<b>Saturation.</b> Utilisation`,
		"autoscaler targets, hpa target 70% (api)",
		`<table id="assertions">`,
	} {
		if !strings.Contains(page, want) {
			t.Errorf("report lacks %q", want)
		}
	}
	if strings.Contains(page, "<script>") || strings.Contains(page, "not part of the description</pre>") {
		t.Error("report holds unescaped scenario text or a description past the comment block")
	}
	if !strings.Contains(page, html.EscapeString(`warmup = "1m"`)) {
		t.Error("report lacks the scenario file's body")
	}
	for _, name := range []string{"latency", "traffic", "saturation", "replicas"} {
		if !strings.Contains(page, `<figure id="plot-`+name+`">`) {
			t.Errorf("report lacks the %s figure", name)
		}
	}
}

// TestWritePlotsWithDeterministic: annotated small multiples render to the
// same bytes twice, and annotations change the drawing.
func TestWritePlotsWithDeterministic(t *testing.T) {
	render := func(a *reports.Annotations) map[string][]byte {
		dir := t.TempDir()
		names, err := reports.WritePlotsWith(dir, sampleSeries(30, 10), []string{"api", "db"}, a)
		if err != nil {
			t.Fatal(err)
		}
		out := map[string][]byte{}
		for _, n := range names {
			b, err := os.ReadFile(filepath.Join(dir, n))
			if err != nil {
				t.Fatal(err)
			}
			out[n] = b
		}
		return out
	}
	a, b, plain := render(sampleAnnotations()), render(sampleAnnotations()), render(nil)
	if !reflect.DeepEqual(a, b) {
		t.Error("two renders of the same annotated series differ")
	}
	for n := range a {
		if reflect.DeepEqual(a[n], plain[n]) {
			t.Errorf("%s is the same with and without annotations", n)
		}
	}
}
