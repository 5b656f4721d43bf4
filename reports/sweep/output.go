package sweep

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"html/template"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strconv"
	"strings"

	"github.com/clustersim/clustersim/reports"
)

// Pairing is what sweep.json and sweep.html say of the seeds.
const Pairing = "Seeds are paired across grid points (common random numbers): " +
	"seed k of every grid point is the same seed, so every grid point sees the same arrivals and service times, " +
	"and differences between grid points come from the parameters, not from the draws."

// CIMethod is what sweep.html says of the confidence intervals.
const CIMethod = "FIGURE.mean is the mean across seeds; FIGURE.ci95 is the half-width of its 95% confidence interval, " +
	"t(0.975, n-1) × s / √n with s the sample standard deviation (Student t). " +
	"Both are empty when the figure is missing (null) in any run of the grid point (a missing figure is never counted as 0); " +
	"ci95 is empty with a single seed."

// PlanDoc is sweep.json: the plan, the shard the folder holds and notes.
type PlanDoc struct {
	Plan
	Runs    int    `json:"runs"`
	Shard   string `json:"shard,omitempty"` // "I/N" for a part; absent for a whole sweep
	Pairing string `json:"pairing"`
}

// WritePlan writes dir/sweep.json.
func WritePlan(dir string, p *Plan, s Shard) error {
	data, err := json.MarshalIndent(PlanDoc{Plan: *p, Runs: p.Runs(), Shard: s.String(), Pairing: Pairing}, "", "  ")
	if err != nil {
		return err
	}
	return reports.WriteFileAtomic(filepath.Join(dir, PlanFile), append(data, '\n'))
}

// ReadPlan reads dir/sweep.json.
func ReadPlan(dir string) (*PlanDoc, error) {
	data, err := os.ReadFile(filepath.Join(dir, PlanFile))
	if err != nil {
		return nil, fmt.Errorf("sweep: %w (is %s a sweep's --out folder?)", err, dir)
	}
	var d PlanDoc
	if err := json.Unmarshal(data, &d); err != nil {
		return nil, fmt.Errorf("sweep: %s: %w", filepath.Join(dir, PlanFile), err)
	}
	if d.Runs != d.Plan.Runs() || len(d.Seeds) == 0 {
		return nil, fmt.Errorf("sweep: %s: inconsistent plan", filepath.Join(dir, PlanFile))
	}
	return &d, nil
}

// Finish writes what follows from dir/sweep.csv of a whole sweep:
// sweep-summary.csv, the plots (PNG) and sweep.html. It reads the rows
// back from the file, so a sweep run in one piece and one merged from
// shards go through the same arithmetic on the same bytes.
func Finish(dir string, p *Plan) (*Table, error) {
	f, err := os.Open(filepath.Join(dir, RunsFile))
	if err != nil {
		return nil, err
	}
	defer f.Close()
	t, err := Summarize(p, f)
	if err != nil {
		return nil, err
	}
	var b bytes.Buffer
	if err := t.WriteCSV(&b); err != nil {
		return nil, err
	}
	if err := reports.WriteFileAtomic(filepath.Join(dir, SummaryFile), b.Bytes()); err != nil {
		return nil, err
	}
	plots, err := t.Plots()
	if err != nil {
		return nil, err
	}
	for _, pl := range plots {
		if err := reports.WriteFileAtomic(filepath.Join(dir, pl.Name), pl.PNG); err != nil {
			return nil, err
		}
	}
	page, err := t.HTML(p, plots)
	if err != nil {
		return nil, err
	}
	return t, reports.WriteFileAtomic(filepath.Join(dir, HTMLFile), page)
}

// Merge joins the parts written by `sweep --shard I/N` for every I into
// out (an existing empty folder): sweep.json and sweep.csv exactly as the
// unsharded sweep writes them, then Finish. Every part must come from the
// same plan, each shard exactly once.
func Merge(parts []string, out string) (*Plan, *Table, error) {
	if len(parts) == 0 {
		return nil, nil, errors.New("merge: no folders given")
	}
	var plan *Plan
	var n int
	byShard := map[int]string{}
	for _, dir := range parts {
		d, err := ReadPlan(dir)
		if err != nil {
			return nil, nil, err
		}
		s := Shard{N: 1}
		if d.Shard != "" {
			if s, err = ParseShard(d.Shard); err != nil {
				return nil, nil, fmt.Errorf("merge: %s: %w", dir, err)
			}
		}
		if plan == nil {
			plan, n = &d.Plan, s.N
		} else if !reflect.DeepEqual(*plan, d.Plan) {
			return nil, nil, fmt.Errorf("merge: %s is a part of another sweep than %s (their sweep.json plans differ)", dir, parts[0])
		} else if s.N != n {
			return nil, nil, fmt.Errorf("merge: %s is shard %s, %s one of %d", dir, d.Shard, parts[0], n)
		}
		if other, dup := byShard[s.I]; dup {
			return nil, nil, fmt.Errorf("merge: %s and %s are both shard %d/%d", other, dir, s.I, n)
		}
		byShard[s.I] = dir
	}
	var missing []string
	for i := range n {
		if _, ok := byShard[i]; !ok {
			missing = append(missing, fmt.Sprintf("%d/%d", i, n))
		}
	}
	if len(missing) > 0 {
		return nil, nil, fmt.Errorf("merge: missing shard(s) %s", strings.Join(missing, ", "))
	}
	// Each part's rows are its runs in order; run r is in part r mod n.
	readers := make([]*partReader, n)
	for i := range n {
		pr, err := openPart(byShard[i])
		if err != nil {
			return nil, nil, err
		}
		defer pr.f.Close()
		readers[i] = pr
		if i > 0 && !slices.Equal(pr.header, readers[0].header) {
			return nil, nil, fmt.Errorf("merge: %s and %s have different columns", byShard[i], byShard[0])
		}
	}
	var b bytes.Buffer
	cw := NewCSV(&b)
	if err := cw.Write(readers[0].header); err != nil {
		return nil, nil, err
	}
	for r := range plan.Runs() {
		pr := readers[r%n]
		rec, err := pr.cr.Read()
		if err != nil {
			return nil, nil, fmt.Errorf("merge: %s: run %d: %w", pr.dir, r, err)
		}
		if rec[0] != strconv.Itoa(r) {
			return nil, nil, fmt.Errorf("merge: %s: run %s where run %d was expected", pr.dir, rec[0], r)
		}
		if err := cw.Write(rec); err != nil {
			return nil, nil, err
		}
	}
	cw.Flush()
	for _, pr := range readers {
		if _, err := pr.cr.Read(); err == nil {
			return nil, nil, fmt.Errorf("merge: %s has more runs than its shard", pr.dir)
		}
	}
	if err := WritePlan(out, plan, Shard{}); err != nil {
		return nil, nil, err
	}
	if err := reports.WriteFileAtomic(filepath.Join(out, RunsFile), b.Bytes()); err != nil {
		return nil, nil, err
	}
	t, err := Finish(out, plan)
	return plan, t, err
}

// htmlView is what sweep.html shows.
type htmlView struct {
	Scenario, Pairing, CIMethod string
	Runs, Points, Seeds         int
	Params                      []Param
	Sets                        []string
	Figures                     []string
	Rows                        []htmlRow
	Pareto                      []htmlRow
	Plots                       []htmlPlot
}

type htmlRow struct {
	Values []string
	Cells  []string
}

type htmlPlot struct {
	Title string
	Src   template.URL
}

var htmlTemplate = template.Must(template.New("sweep.html").Parse(`<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>clustersim sweep: {{.Scenario}}</title>
<style>
{{.CSS}}
img { max-width: 100%; height: auto; border: 1px solid #eee; }
.scroll { overflow-x: auto; }
</style>
</head>
<body>
<h1>Sweep: {{.Scenario}}</h1>
<p class="meta">{{.Runs}} runs: {{.Points}} grid points × {{.Seeds}} seeds.{{range .Sets}} --set {{.}}{{end}}</p>
<p>{{.Pairing}}</p>
<p>{{.CIMethod}}</p>
<h2>Parameters</h2>
<table>
<tr><th>key</th><th>values</th></tr>
{{- range .Params}}
<tr><td>{{.Key}}</td><td>{{range $i, $v := .Values}}{{if $i}}, {{end}}{{$v}}{{end}}</td></tr>
{{- end}}
</table>
<h2>Summary (mean ± 95% CI half-width)</h2>
<div class="scroll"><table>
<tr>{{range .Params}}<th>{{.Key}}</th>{{end}}{{range .Figures}}<th>{{.}}</th>{{end}}</tr>
{{- range .Rows}}
<tr>{{range .Values}}<td>{{.}}</td>{{end}}{{range .Cells}}<td class="n">{{.}}</td>{{end}}</tr>
{{- end}}
</table></div>
{{- if .Pareto}}
<h2>Pareto front: cost against p99</h2>
<p>Grid points that no other point beats on both mean cost.total_usd and mean latency_ms.p99, by increasing cost.</p>
<table>
<tr>{{range .Params}}<th>{{.Key}}</th>{{end}}<th>cost.total_usd.mean</th><th>latency_ms.p99.mean</th></tr>
{{- range .Pareto}}
<tr>{{range .Values}}<td>{{.}}</td>{{end}}{{range .Cells}}<td class="n">{{.}}</td>{{end}}</tr>
{{- end}}
</table>
{{- end}}
{{- range .Plots}}
<h2>{{.Title}}</h2>
<figure><img alt="{{.Title}}" src="{{.Src}}"></figure>
{{- end}}
</body>
</html>
`))

// HTML renders sweep.html: the plan, the pairing and CI notes, the
// summary table, the Pareto front and the plots embedded as data: URIs.
// The page loads nothing and runs no script.
func (t *Table) HTML(p *Plan, plots []Plot) ([]byte, error) {
	v := struct {
		htmlView
		CSS template.CSS
	}{htmlView: htmlView{
		Scenario: p.Scenario, Pairing: Pairing, CIMethod: CIMethod,
		Runs: p.Runs(), Points: p.Points(), Seeds: len(p.Seeds),
		Params: p.Params, Sets: p.Sets, Figures: t.Figures,
	}, CSS: template.CSS(reports.BaseCSS())}
	for _, pt := range t.Points {
		row := htmlRow{Values: pt.Values}
		for j := range t.Figures {
			row.Cells = append(row.Cells, meanCI(pt.Mean[j], pt.CI95[j]))
		}
		v.Rows = append(v.Rows, row)
	}
	for _, q := range t.Pareto() {
		v.Pareto = append(v.Pareto, htmlRow{Values: t.Points[q.Index].Values,
			Cells: []string{reports.FormatFloat(q.Cost), reports.FormatFloat(q.P99)}})
	}
	for _, pl := range plots {
		v.Plots = append(v.Plots, htmlPlot{Title: pl.Title,
			Src: template.URL("data:image/png;base64," + base64.StdEncoding.EncodeToString(pl.PNG))})
	}
	var b bytes.Buffer
	if err := htmlTemplate.Execute(&b, v); err != nil {
		return nil, err
	}
	return b.Bytes(), nil
}

// meanCI formats a mean and half-width for people; "missing" without a mean.
func meanCI(m, ci float64) string {
	switch {
	case m != m:
		return "missing"
	case ci != ci:
		return reports.FormatFloat(m)
	}
	return reports.FormatFloat(m) + " ± " + reports.FormatFloat(ci)
}

// partReader reads one part's sweep.csv.
type partReader struct {
	dir    string
	f      *os.File
	cr     interface{ Read() ([]string, error) }
	header []string
}

func openPart(dir string) (*partReader, error) {
	f, err := os.Open(filepath.Join(dir, RunsFile))
	if err != nil {
		return nil, fmt.Errorf("merge: %w", err)
	}
	cr := newReader(f)
	h, err := cr.Read()
	if err != nil {
		f.Close()
		return nil, fmt.Errorf("merge: %s: %w", filepath.Join(dir, RunsFile), err)
	}
	return &partReader{dir: dir, f: f, cr: cr, header: slices.Clone(h)}, nil
}
