package reports

import (
	"bytes"
	_ "embed"
	"encoding/base64"
	"fmt"
	"html/template"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"

	"github.com/clustersim/clustersim/sim/results"
)

// ReportFile is the base name of the HTML report.
const ReportFile = "report.html"

// maxDecisions bounds the scaling decisions listed in the report.
const maxDecisions = 200

//go:embed report.html.tmpl
var reportSource string

// baseCSS is the style rules report.html and compare.html share, as the
// template "base.css".
//
//go:embed base.css
var baseCSS string

var baseTemplate = template.Must(template.New("base.css").Parse(baseCSS))

var reportTemplate = template.Must(template.Must(baseTemplate.Clone()).New(ReportFile).Parse(reportSource))

// WriteReport writes report.html into dir: one self-contained page with the
// summary, per-service and per-workload tables, the assertions, the first
// 200 scaling decisions and the plots. Of plotFiles (base names in dir, as
// WritePlots returns them) the .png files are embedded as data: URIs; others
// are ignored. The page loads nothing and runs no script.
func WriteReport(dir string, s *results.Summary, plotFiles []string) error {
	return WriteReportWith(dir, s, plotFiles, ReportExtras{})
}

// ReportExtras is what the report shows beyond the summary and the plots.
type ReportExtras struct {
	// Source is the scenario file as written; its leading comment block
	// opens the report as the scenario's description, and the whole file
	// follows in a collapsed section. nil shows neither.
	Source []byte
	// File names the scenario file in the report.
	File string
	// Overrides are the --set arguments of the run, listed with the file.
	Overrides []string
	// Annotations are what the plots mark (WritePlotsWith); each plot's
	// caption explains them. nil captions only the plots' content.
	Annotations *Annotations
}

// WriteReportWith is WriteReport with the scenario's description, its
// file and each plot's caption saying what to look for and what the
// annotations mean.
func WriteReportWith(dir string, s *results.Summary, plotFiles []string, x ReportExtras) error {
	if s == nil {
		s = &results.Summary{}
	}
	v := newReportView(s)
	if x.Source != nil {
		v.Description = Description(x.Source)
		v.Source = string(x.Source)
		v.SourceFile = filepath.Base(x.File)
		if v.SourceFile == "." || v.SourceFile == "" {
			v.SourceFile = "scenario"
		}
		v.Overrides = x.Overrides
	}
	for _, name := range plotFiles {
		if !strings.HasSuffix(name, ".png") {
			continue
		}
		data, err := os.ReadFile(filepath.Join(dir, name))
		if err != nil {
			return fmt.Errorf("reports: embed plot: %w", err)
		}
		base := strings.TrimSuffix(name, ".png")
		v.Plots = append(v.Plots, plotView{
			Name:    base,
			Title:   figureTitle(base),
			Caption: Caption(base, x.Annotations),
			URI:     template.URL("data:image/png;base64," + base64.StdEncoding.EncodeToString(data)),
		})
	}
	var buf bytes.Buffer
	if err := reportTemplate.Execute(&buf, v); err != nil {
		return fmt.Errorf("reports: render %s: %w", ReportFile, err)
	}
	return WriteFileAtomic(filepath.Join(dir, ReportFile), buf.Bytes())
}

// reportView is the report's data, every number already formatted.
type reportView struct {
	Description, Source, SourceFile          string
	Overrides                                []string
	Scenario, Seed, Duration, Warmup, Events string
	Requests                                 []cell
	Latency                                  []cell
	Throughput, CostTotal                    string
	Services                                 []serviceView
	Pools                                    []poolView
	Workloads                                []workloadView
	Assertions                               []assertionView
	Failed                                   int
	Decisions                                []decisionView
	MoreDecisions                            int
	Plots                                    []plotView
}

type cell struct{ Name, Value string }

type serviceView struct {
	Name, ReplicasMin, ReplicasMean, ReplicasMax, UtilMean, UtilMax string
	QueueMax, ColdStarts, InstanceSeconds, Cost                     string
}

type poolView struct {
	Name, Min, Mean, Max, NodeSeconds, Cost string
}

type workloadView struct {
	Name, Offered, Total, OK, Errors, P50, P99 string
}

type assertionView struct {
	Name, Metric, Value, Limit string
	OK                         bool
}

type decisionView struct {
	Time, Service, Policy, Metric, Change, Reason string
}

type plotView struct {
	Name, Title, Caption string
	URI                  template.URL
}

func newReportView(s *results.Summary) *reportView {
	f := FormatFloat
	i := func(n int64) string { return strconv.FormatInt(n, 10) }
	r, l := s.Requests, s.LatencyMs
	v := &reportView{
		Scenario: s.Scenario,
		Seed:     strconv.FormatUint(s.Seed, 10),
		Duration: formatDuration(s.SimDurationS),
		Warmup:   formatDuration(s.WarmupS),
		Events:   i(s.Events),
		Requests: []cell{
			{"total", i(r.Total)}, {"ok", i(r.OK)}, {"errors", i(r.Errors)},
			{"timeouts", i(r.Timeouts)}, {"rejected", i(r.Rejected)},
			{"failed", i(r.Failed)}, {"retries", i(r.Retries)},
		},
		Latency: []cell{
			{"mean", f(l.Mean)}, {"p50", f(l.P50)}, {"p90", f(l.P90)}, {"p95", f(l.P95)},
			{"p99", f(l.P99)}, {"p99.9", f(l.P999)}, {"max", f(l.Max)},
		},
		Throughput: f(s.ThroughputRPS),
		CostTotal:  f(s.Cost.TotalUSD),
	}
	for _, name := range sortedKeys(s.Services) {
		sv := s.Services[name]
		v.Services = append(v.Services, serviceView{
			Name:        name,
			ReplicasMin: f(sv.Replicas.Min), ReplicasMean: f(sv.Replicas.Mean), ReplicasMax: f(sv.Replicas.Max),
			UtilMean: percent(sv.Utilization.Mean), UtilMax: percent(sv.Utilization.Max),
			QueueMax: i(sv.QueueMax), ColdStarts: i(sv.ColdStarts),
			InstanceSeconds: f(sv.InstanceSeconds), Cost: f(s.Cost.Services[name]),
		})
	}
	for _, name := range sortedKeys(s.NodePools) {
		p := s.NodePools[name]
		v.Pools = append(v.Pools, poolView{
			Name: name, Min: f(p.Nodes.Min), Mean: f(p.Nodes.Mean), Max: f(p.Nodes.Max),
			NodeSeconds: f(p.NodeSeconds), Cost: f(s.Cost.NodePools[name]),
		})
	}
	for _, name := range sortedKeys(s.Workloads) {
		w := s.Workloads[name]
		v.Workloads = append(v.Workloads, workloadView{
			Name: name, Offered: f(w.OfferedRPS), Total: i(w.Requests.Total), OK: i(w.Requests.OK),
			Errors: i(w.Requests.Errors), P50: f(w.LatencyMs.P50), P99: f(w.LatencyMs.P99),
		})
	}
	for _, a := range s.Assertions {
		v.Assertions = append(v.Assertions, assertionView{Name: a.Name, Metric: a.Metric, Value: FormatAssertionValue(a), Limit: a.Limit, OK: a.OK})
		if !a.OK {
			v.Failed++
		}
	}
	for k, d := range s.Scaling {
		if k == maxDecisions {
			v.MoreDecisions = len(s.Scaling) - maxDecisions
			break
		}
		v.Decisions = append(v.Decisions, decisionView{
			Time: f(d.TimeS), Service: d.Service, Policy: d.Policy, Metric: f(d.Metric),
			Change: fmt.Sprintf("%d → %d", d.Current, d.Desired), Reason: d.Reason,
		})
	}
	return v
}

// sortedKeys returns m's keys in increasing order.
func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}

// percent formats a 0..1 fraction as a percentage with one decimal.
func percent(v float64) string {
	return strconv.FormatFloat(Round(v*100), 'f', 1, 64) + "%"
}

// formatDuration formats simulated seconds compactly: "45s", "30m", "2h5m",
// "1m30.5s".
func formatDuration(sec float64) string {
	sec = Round(sec)
	if sec < 60 {
		return FormatFloat(sec) + "s"
	}
	h := int64(sec) / 3600
	m := int64(sec) % 3600 / 60
	rest := Round(sec - float64(h*3600+m*60))
	var b strings.Builder
	if h > 0 {
		fmt.Fprintf(&b, "%dh", h)
	}
	if m > 0 {
		fmt.Fprintf(&b, "%dm", m)
	}
	if rest > 0 {
		b.WriteString(FormatFloat(rest) + "s")
	}
	return b.String()
}
