package sweep

import (
	"encoding/csv"
	"fmt"
	"io"
	"math"
	"slices"
	"strconv"

	"github.com/clustersim/clustersim/reports"
	"github.com/clustersim/clustersim/sim/assertion"
	"github.com/clustersim/clustersim/sim/results"
)

// Output file names.
const (
	RunsFile    = "sweep.csv"         // one row per run
	SummaryFile = "sweep-summary.csv" // one row per grid point
	PlanFile    = "sweep.json"        // the plan, and the shard a part holds
	HTMLFile    = "sweep.html"        // tables and plots
)

// InstanceHours is the derived figure "instance_hours": the sum over
// services of summary.json's services.NAME.instance_seconds, in hours.
const InstanceHours = "instance_hours"

// headline are the whole-run figures every sweep records, by summary.json
// path; then come each service's replicas.max, the derived instance_hours
// and every assertion's value.
var headline = []string{
	"requests.total",
	"requests.error_ratio",
	"latency_ms.p50",
	"latency_ms.p95",
	"latency_ms.p99",
	"throughput_rps",
	"cost.total_usd",
}

// Figures returns the figure columns of a sweep whose runs produce
// summaries like sum: the headline figures, instance_hours, each
// service's services.NAME.replicas.max (names sorted) and, for each
// assertion in order, assertions.NAME (its measured value).
func Figures(sum *results.Summary) []string {
	out := append([]string(nil), headline...)
	out = append(out, InstanceHours)
	var svcs []string
	for name := range sum.Services { // map order: sorted below
		svcs = append(svcs, name)
	}
	slices.Sort(svcs)
	for _, s := range svcs {
		out = append(out, "services."+s+".replicas.max")
	}
	for _, a := range sum.Assertions {
		out = append(out, "assertions."+a.Name)
	}
	return out
}

// Values returns the figures of sum, in the order of figures; a figure
// that does not exist in sum is results.Missing (an empty CSV field).
func Values(sum *results.Summary, figures []string) ([]float64, error) {
	flat, err := assertion.Flatten(sum)
	if err != nil {
		return nil, err
	}
	asserts := map[string]float64{}
	for _, a := range sum.Assertions {
		asserts["assertions."+a.Name] = a.Value
	}
	out := make([]float64, len(figures))
	for i, f := range figures {
		v, ok := flat[f]
		switch {
		case f == InstanceHours:
			v, ok = instanceHours(sum), true
		case len(f) > len("assertions.") && f[:len("assertions.")] == "assertions.":
			v, ok = asserts[f]
		}
		if !ok {
			return nil, fmt.Errorf("sweep: a run has no figure %s (every run of a sweep must have the same services and assertions)", f)
		}
		out[i] = v
	}
	return out, nil
}

// instanceHours sums the services' instance seconds, in hours.
func instanceHours(sum *results.Summary) float64 {
	var names []string
	for n := range sum.Services { // map order: summed in sorted order below
		names = append(names, n)
	}
	slices.Sort(names)
	total := 0.0
	for _, n := range names {
		v := sum.Services[n].InstanceSeconds
		if results.IsMissing(v) {
			return results.Missing()
		}
		total += v
	}
	return total / 3600
}

// Header returns sweep.csv's header: run, the parameter keys, seed, then
// the figures.
func Header(params []Param, figures []string) []string {
	h := []string{"run"}
	for _, p := range params {
		h = append(h, p.Key)
	}
	h = append(h, "seed")
	return append(h, figures...)
}

// Row returns the sweep.csv row of run r of the plan. Figures are written
// as the other CSV outputs write numbers (reports.FormatFloat: 4 decimal
// places); a missing figure is an empty field, never 0.
func Row(p *Plan, r int, vals []float64) []string {
	pv, seed := p.Run(r)
	row := []string{strconv.Itoa(r)}
	row = append(row, pv...)
	row = append(row, strconv.FormatUint(seed, 10))
	for _, v := range vals {
		row = append(row, reports.FormatFloat(v))
	}
	return row
}

// NewCSV returns a CSV writer writing \n line ends.
func NewCSV(w io.Writer) *csv.Writer { return csv.NewWriter(w) }

// parseField reads a CSV number; "" is missing.
func parseField(s string) (float64, error) {
	if s == "" {
		return math.NaN(), nil
	}
	return strconv.ParseFloat(s, 64)
}

// newReader returns a CSV reader for sweep.csv files.
func newReader(r io.Reader) *csv.Reader {
	cr := csv.NewReader(r)
	cr.FieldsPerRecord = 0
	return cr
}
