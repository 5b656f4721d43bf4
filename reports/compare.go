package reports

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
)

// A comparison reads the outputs of several runs back from their folders
// (summary.json and timeseries.csv, so that it works on any folder a run
// wrote, today's or last month's) and writes compare.csv, one row of
// headline figures per run, and compare.html, the same table with deltas
// against the first run and overlay plots on shared axes.

// ErrNoSummary is returned by ReadRun for a folder without summary.json.
var ErrNoSummary = errors.New("reports: no summary.json")

// CompareRun is one run's outputs, as read back from its folder.
type CompareRun struct {
	// Name labels the run: its variant name or folder name.
	Name string
	// Scenario and Seed are summary.json's "scenario" and "seed" ("" and
	// "" when absent); a variant's scenario is "SCENARIO/VARIANT".
	Scenario, Seed string
	// Figures are the headline figures, in CompareColumns order; NaN for
	// a figure the run's summary does not have (written empty).
	Figures []float64
	// Times are the timeseries window ends, seconds.
	Times []float64
	// Series maps a timeseries column ("api.p99_ms") to its values, one
	// per time; NaN for an empty field.
	Series map[string][]float64
}

// CompareColumns are the columns of compare.csv after "variant": the
// figures of CompareRun.Figures.
var CompareColumns = []string{
	"requests", "errors", "error_ratio", "p50_ms", "p95_ms", "p99_ms",
	"cost_usd", "instance_hours", "replicas_max",
}

// compareCounts marks the CompareColumns that are counts.
var compareCounts = map[string]bool{"requests": true, "errors": true, "replicas_max": true}

// compareOverlays are the timeseries metrics compare.html overlays, one panel
// each, with the panel's title and y-axis label.
var compareOverlays = []struct{ metric, title, unit string }{
	{"p99_ms", "Latency p99 over time", "ms"},
	{"replicas_ready", "Ready replicas over time", "replicas"},
}

// ReadRun reads the outputs in dir for a comparison; name labels the run.
// A dir without summary.json gives an error wrapping ErrNoSummary.
func ReadRun(dir, name string) (*CompareRun, error) {
	data, err := os.ReadFile(filepath.Join(dir, "summary.json"))
	if errors.Is(err, fs.ErrNotExist) {
		return nil, fmt.Errorf("%s: %w: not the output folder of a run", dir, ErrNoSummary)
	}
	if err != nil {
		return nil, err
	}
	var sum map[string]any
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	if err := dec.Decode(&sum); err != nil {
		return nil, fmt.Errorf("%s: summary.json: %w", filepath.Join(dir, "summary.json"), err)
	}
	r := &CompareRun{Name: name, Figures: summaryFigures(sum), Series: map[string][]float64{}}
	r.Scenario, _ = sum["scenario"].(string)
	if n, ok := sum["seed"].(json.Number); ok {
		r.Seed = n.String()
	}
	if err := r.readSeries(filepath.Join(dir, "timeseries.csv")); err != nil {
		return nil, err
	}
	return r, nil
}

// summaryFigures picks CompareColumns out of a decoded summary.json.
func summaryFigures(sum map[string]any) []float64 {
	services := jsonLookup(sum, "services")
	m, _ := services.(map[string]any)
	var names []string
	for name := range m {
		names = append(names, name)
	}
	slices.Sort(names) // sum in a fixed order
	instanceSeconds, replicasMax := math.NaN(), math.NaN()
	for i, name := range names {
		if i == 0 {
			instanceSeconds, replicasMax = 0, 0
		}
		instanceSeconds += jsonNumber(jsonLookup(m[name], "instance_seconds"))
		replicasMax += jsonNumber(jsonLookup(m[name], "replicas.max"))
	}
	return []float64{
		jsonNumber(jsonLookup(sum, "requests.total")),
		jsonNumber(jsonLookup(sum, "requests.errors")),
		jsonNumber(jsonLookup(sum, "requests.error_ratio")),
		jsonNumber(jsonLookup(sum, "latency_ms.p50")),
		jsonNumber(jsonLookup(sum, "latency_ms.p95")),
		jsonNumber(jsonLookup(sum, "latency_ms.p99")),
		jsonNumber(jsonLookup(sum, "cost.total_usd")),
		instanceSeconds / 3600,
		replicasMax,
	}
}

// jsonLookup follows a dotted path through decoded JSON objects; nil when
// absent.
func jsonLookup(v any, path string) any {
	for key := range strings.SplitSeq(path, ".") {
		m, ok := v.(map[string]any)
		if !ok {
			return nil
		}
		v = m[key]
	}
	return v
}

// jsonNumber converts a decoded JSON number; NaN for null, absent or not a
// number.
func jsonNumber(v any) float64 {
	n, ok := v.(json.Number)
	if !ok {
		return math.NaN()
	}
	f, err := n.Float64()
	if err != nil {
		return math.NaN()
	}
	return f
}

// readSeries reads the compareOverlays columns of a timeseries.csv.
func (r *CompareRun) readSeries(path string) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	rows, err := csv.NewReader(f).ReadAll()
	if err != nil {
		return fmt.Errorf("%s: %w", path, err)
	}
	if len(rows) == 0 || len(rows[0]) == 0 || rows[0][0] != "time_s" {
		return fmt.Errorf("%s: no time_s header", path)
	}
	keep := map[int]string{}
	for i, col := range rows[0] {
		for _, o := range compareOverlays {
			if svc, ok := strings.CutSuffix(col, "."+o.metric); ok && !strings.ContainsAny(svc, "@/") {
				keep[i] = col
			}
		}
	}
	for n, row := range rows[1:] {
		t, err := strconv.ParseFloat(row[0], 64)
		if err != nil {
			return fmt.Errorf("%s:%d: bad time_s %q", path, n+2, row[0])
		}
		r.Times = append(r.Times, t)
		for i, col := range keep {
			v := math.NaN()
			if i < len(row) && row[i] != "" {
				if v, err = strconv.ParseFloat(row[i], 64); err != nil {
					return fmt.Errorf("%s:%d: %s: bad jsonNumber %q", path, n+2, col, row[i])
				}
			}
			r.Series[col] = append(r.Series[col], v)
		}
	}
	return nil
}

// WriteCompare writes compare.csv and compare.html for runs into dir,
// each atomically; the first run is the reference of the deltas.
func WriteCompare(dir string, runs []*CompareRun) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	html, err := CompareHTML(runs)
	if err != nil {
		return err
	}
	if err := WriteFileAtomic(filepath.Join(dir, "compare.csv"), CompareCSV(runs)); err != nil {
		return err
	}
	return WriteFileAtomic(filepath.Join(dir, "compare.html"), html)
}

// CompareCSV renders compare.csv: a header "variant,requests,..." and one
// row per run, in order; a missing figure is an empty field.
func CompareCSV(runs []*CompareRun) []byte {
	var b bytes.Buffer
	b.WriteString("variant," + strings.Join(CompareColumns, ",") + "\n")
	for _, r := range runs {
		b.WriteString(compareCSVField(r.Name) + "," + strings.Join(r.Cells(), ",") + "\n")
	}
	return b.Bytes()
}

// Cells returns r's figures as compare.csv writes them ("" when missing).
func (r *CompareRun) Cells() []string {
	cells := make([]string, len(CompareColumns))
	for i, col := range CompareColumns {
		cells[i] = formatCompareFigure(col, r.Figures[i])
	}
	return cells
}

// compareCSVField quotes s when CSV needs it.
func compareCSVField(s string) string {
	if strings.ContainsAny(s, ",\"\n\r") {
		return `"` + strings.ReplaceAll(s, `"`, `""`) + `"`
	}
	return s
}

// formatCompareFigure writes a count as a whole number and anything else to four
// decimals, trailing zeros dropped; "" for NaN.
func formatCompareFigure(col string, v float64) string {
	switch {
	case math.IsNaN(v) || math.IsInf(v, 0):
		return ""
	case compareCounts[col]:
		return strconv.FormatFloat(math.Round(v), 'f', 0, 64)
	}
	return strconv.FormatFloat(Round(v), 'f', -1, 64)
}
