package reports_test

import (
	"html"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/clustersim/clustersim/reports"
	"github.com/clustersim/clustersim/sim/results"
)

// networkRef mirrors check-outputs.py: report.html must load nothing.
var networkRef = regexp.MustCompile(`(src|href)\s*=\s*["']?(https?:)?//`)

func TestWriteReport(t *testing.T) {
	dir := t.TempDir()
	s := sampleSummary()
	s.Assertions = append(s.Assertions, results.Assertion{Name: `queue <b>"small"</b>`, Metric: "services.api.queue_max", OK: true, Value: 3, Limit: "<= 10"})
	for i := range 205 {
		s.Scaling = append(s.Scaling, results.Decision{TimeS: float64(15 * i), Service: "api", Policy: "hpa", Metric: 0.8, Current: 3, Desired: 4, Reason: "ScaleUp"})
	}
	plots, err := reports.WritePlots(dir, sampleSeries(30, 10), nil)
	if err != nil {
		t.Fatal(err)
	}
	if err := reports.WriteReport(dir, s, plots); err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile(filepath.Join(dir, reports.ReportFile))
	if err != nil {
		t.Fatal(err)
	}
	page := string(b)
	if m := networkRef.FindString(page); m != "" {
		t.Errorf("report loads from the network: %q", m)
	}
	for _, a := range s.Assertions {
		if !strings.Contains(page, html.EscapeString(a.Name)) {
			t.Errorf("report lacks assertion %q", a.Name)
		}
	}
	for _, want := range []string{
		"<title>clustersim: flash-sale (seed 42)</title>",
		`class="pass">PASS`, `class="fail">FAIL`,
		"1 of 3 assertions FAILED",
		"and 5 more",
		`src="data:image/png;base64,`,
	} {
		if !strings.Contains(page, want) {
			t.Errorf("report lacks %q", want)
		}
	}
	if n := strings.Count(page, "<img "); n != 4 {
		t.Errorf("report embeds %d images, want 4", n)
	}
	if n := strings.Count(page, "ScaleUp"); n != 200 {
		t.Errorf("report lists %d decisions, want 200", n)
	}
	assertNoTemp(t, dir)
}

// TestWriteReportGolden pins the page layout (without plots, whose bytes
// belong to the renderer).
func TestWriteReportGolden(t *testing.T) {
	dir := t.TempDir()
	s := sampleSummary()
	s.Scaling = []results.Decision{{TimeS: 120, Service: "api", Policy: "hpa", Metric: 0.91, Current: 3, Desired: 5, Reason: "ScaleUp"}}
	s.Workloads = map[string]results.WorkloadSummary{"shoppers": {OfferedRPS: 57.5, Requests: s.Requests, LatencyMs: s.LatencyMs}}
	if err := reports.WriteReport(dir, s, nil); err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile(filepath.Join(dir, reports.ReportFile))
	if err != nil {
		t.Fatal(err)
	}
	checkGolden(t, "report.html", b)
}

func TestWriteReportMissingPlot(t *testing.T) {
	dir := t.TempDir()
	err := reports.WriteReport(dir, sampleSummary(), []string{"nope.png"})
	if err == nil {
		t.Fatal("missing plot not reported")
	}
	if got := listDir(t, dir); len(got) != 0 {
		t.Errorf("dir holds %v after a failed report", got)
	}
}
