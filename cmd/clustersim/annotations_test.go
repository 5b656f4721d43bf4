package main

import (
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/clustersim/clustersim/reports"
	"github.com/clustersim/clustersim/sim/assertion"
	"github.com/clustersim/clustersim/sim/policies/autoscale"
	"github.com/clustersim/clustersim/sim/results"
	"github.com/clustersim/clustersim/sim/scenario"
)

const annotatedScenario = `
[sim]
duration = "30m"
warmup = "90s"

[[workload]]
name = "shoppers"
target = "api"
rate = 100
schedule = [{ at = "10m", rate = 1500, ramp = "30s" }, { at = "20m", rate = 150 }]
service_time = { dist = "constant", value = "10ms" }

[[service]]
name = "api"
replicas = 3
node_pool = "pool"
autoscaler = { kind = "hpa", metric = "cpu", target = 0.7, min = 3, max = 20 }

[[service]]
name = "tracked"
autoscaler = { kind = "target_tracking", target = 0.5, min = 1, max = 5 }

[[service]]
name = "default-hpa"
autoscaler = { kind = "hpa", min = 1, max = 5 }

[[service]]
name = "stepped"
autoscaler = { kind = "step", metric = "cpu", target = 0.6, min = 1, max = 5, steps = [{ lower = 0, adjust = 1 }] }

[[service]]
name = "by-rps"
autoscaler = { kind = "hpa", metric = "rps", target = 50, min = 1, max = 5 }

[[node_pool]]
name = "pool"
nodes = 4
failures = [{ at = "15m", count = 2 }]
`

func TestAnnotations(t *testing.T) {
	sc, err := scenario.Parse("annotated.toml", []byte(annotatedScenario), nil)
	if err != nil {
		t.Fatal(err)
	}
	p99, minRepl := 250.0, 3.0
	asserts := []assertion.Spec{
		{Name: "p99", Metric: "latency_ms.p99", Max: &p99},
		{Name: "replicas", Metric: "services.api.replicas.min", Min: &minRepl},
		{Name: "not plotted", Metric: "requests.rejected", Max: &p99},
	}
	sum := &results.Summary{Scaling: []results.Decision{
		{TimeS: 615, Service: "api", Current: 3, Desired: 5},
		{TimeS: 1500, Service: "api", Current: 5, Desired: 4},
	}}
	got := annotations(sc, asserts, sum)
	want := &reports.Annotations{
		WarmupS: 90,
		Events: []reports.Event{
			{TimeS: 600, Kind: reports.EventSchedule, Service: "api", Label: "1500/s"},
			{TimeS: 1200, Kind: reports.EventSchedule, Service: "api", Label: "150/s"},
			{TimeS: 615, Kind: reports.EventScaleUp, Service: "api", Label: "3→5"},
			{TimeS: 1500, Kind: reports.EventScaleDown, Service: "api", Label: "5→4"},
			{TimeS: 900, Kind: reports.EventNodeFailure, Label: "2× pool down"},
		},
		Limits: []reports.Limit{
			{Service: "api", Column: "p99_ms", Value: 250, Kind: reports.LimitMax, Label: "p99 ≤ 250"},
			{Service: "api", Column: "replicas_ready", Value: 3, Kind: reports.LimitMin, Label: "replicas ≥ 3"},
			{Service: "api", Column: "utilization", Value: 0.7, Kind: reports.LimitTarget, Label: "hpa target 70%"},
			{Service: "tracked", Column: "utilization", Value: 0.5, Kind: reports.LimitTarget, Label: "target_tracking target 50%"},
			{Service: "default-hpa", Column: "utilization", Value: autoscale.DefaultHPAConfig().Target, Kind: reports.LimitTarget, Label: "hpa target 80%"},
		},
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("annotations =\n%+v\nwant\n%+v", got, want)
	}
	if got := annotations(sc, nil, nil); len(got.Events) != 3 || len(got.Limits) != 3 {
		t.Errorf("without a summary or asserts: %d events, %d limits; want 3 and 3", len(got.Events), len(got.Limits))
	}
}

// TestReportShowsScenario runs a small scenario end to end: its report
// opens with the scenario's comment, holds the file and the overrides, and
// captions each plot with its annotations.
func TestReportShowsScenario(t *testing.T) {
	src := "# Two minutes of <api> at a step in load.\n\n" +
		"[sim]\nduration = \"2m\"\nwarmup = \"20s\"\n\n" +
		"[[workload]]\nname = \"w\"\ntarget = \"api\"\nrate = 50\nschedule = [{ at = \"1m\", rate = 80 }]\n" +
		"service_time = { dist = \"exponential\", mean = \"20ms\" }\n\n" +
		"[[service]]\nname = \"api\"\nreplicas = 2\nconcurrency = 4\n\n" +
		"[[assert]]\nname = \"fast\"\nmetric = \"latency_ms.p99\"\nmax = 500\n"
	sc, err := scenario.Parse("step.toml", []byte(src), []string{"service.api.replicas=3"})
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	if _, err := execute(sc, dir, nil, nil, defaultLimits()); err != nil {
		t.Fatal(err)
	}
	page, err := os.ReadFile(filepath.Join(dir, reports.ReportFile))
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{
		`<pre class="desc" id="description">Two minutes of &lt;api&gt; at a step in load.</pre>`,
		`<summary>Scenario file step.toml</summary>`,
		`<code>--set service.api.replicas=3</code>`,
		"Shaded: the first 20s, warm-up",
		"workload rate changes at 1m.",
		"assertion limits “fast ≤ 500” (api).",
	} {
		if !strings.Contains(string(page), want) {
			t.Errorf("report lacks %q", want)
		}
	}
}
