package sweep

import (
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"math"
	"slices"
	"strconv"

	"gonum.org/v1/gonum/stat"
	"gonum.org/v1/gonum/stat/distuv"

	"github.com/clustersim/clustersim/reports"
	"github.com/clustersim/clustersim/sim/results"
)

// Point is one grid point of sweep-summary.csv.
type Point struct {
	Values []string  // the parameters' values, in plan order
	Mean   []float64 // per figure; NaN when the figure is missing in any run
	CI95   []float64 // per figure; NaN when missing in any run or with one seed
	N      int       // runs (seeds) averaged
}

// Table is a sweep's summary: its figures and one Point per grid point.
type Table struct {
	Params  []Param
	Figures []string
	Points  []Point
}

// Column returns the index of figure f, or -1.
func (t *Table) Column(f string) int { return slices.Index(t.Figures, f) }

// tQuantile returns the 97.5% quantile of Student's t with n-1 degrees of
// freedom: the 95% two-sided confidence half-width is tQuantile(n) × s/√n.
func tQuantile(n int) float64 {
	return distuv.StudentsT{Mu: 0, Sigma: 1, Nu: float64(n - 1)}.Quantile(0.975)
}

// MeanCI returns the mean of xs and the half-width of its 95% confidence
// interval, Student t with len(xs)-1 degrees of freedom and the sample
// standard deviation. The mean is missing (NaN) when any x is missing: a
// run without the figure must not count as 0, and averaging only the runs
// that have it would hide the failures. The half-width is also missing
// for a single run (no spread to estimate).
func MeanCI(xs []float64) (mean, ci float64) {
	if len(xs) == 0 {
		return math.NaN(), math.NaN()
	}
	for _, x := range xs {
		if results.IsMissing(x) {
			return math.NaN(), math.NaN()
		}
	}
	mean = stat.Mean(xs, nil)
	if len(xs) < 2 {
		return mean, math.NaN()
	}
	sd := stat.StdDev(xs, nil)
	return mean, tQuantile(len(xs)) * sd / math.Sqrt(float64(len(xs)))
}

// Summarize reads sweep.csv rows (header first, runs in index order, a
// grid point's seeds consecutive) and returns the per-point table.
func Summarize(p *Plan, r io.Reader) (*Table, error) {
	cr := csv.NewReader(r)
	cr.ReuseRecord = true
	header, err := cr.Read()
	if err != nil {
		return nil, fmt.Errorf("sweep: %s: %w", RunsFile, err)
	}
	np := len(p.Params)
	if len(header) < np+2 {
		return nil, fmt.Errorf("sweep: %s: header too short", RunsFile)
	}
	t := &Table{Params: p.Params, Figures: slices.Clone(header[np+2:])}
	nf := len(t.Figures)
	seeds := len(p.Seeds)
	cols := make([][]float64, nf)
	for j := range cols {
		cols[j] = make([]float64, 0, seeds)
	}
	for want := 0; ; want++ {
		rec, err := cr.Read()
		if errors.Is(err, io.EOF) {
			if want != p.Runs() {
				return nil, fmt.Errorf("sweep: %s has %d runs, the plan %d", RunsFile, want, p.Runs())
			}
			return t, nil
		}
		if err != nil {
			return nil, fmt.Errorf("sweep: %s: %w", RunsFile, err)
		}
		if rec[0] != strconv.Itoa(want) {
			return nil, fmt.Errorf("sweep: %s: run %s where run %d was expected", RunsFile, rec[0], want)
		}
		for j := range nf {
			v, err := parseField(rec[np+2+j])
			if err != nil {
				return nil, fmt.Errorf("sweep: %s: run %d, %s: %w", RunsFile, want, t.Figures[j], err)
			}
			cols[j] = append(cols[j], v)
		}
		if want%seeds != seeds-1 {
			continue
		}
		pt := Point{Values: p.Point(want / seeds), Mean: make([]float64, nf), CI95: make([]float64, nf), N: seeds}
		for j := range nf {
			pt.Mean[j], pt.CI95[j] = MeanCI(cols[j])
			cols[j] = cols[j][:0]
		}
		t.Points = append(t.Points, pt)
	}
}

// WriteCSV writes sweep-summary.csv: one column per parameter named by its
// key, then FIGURE.mean and FIGURE.ci95 per figure; missing figures are
// empty fields.
func (t *Table) WriteCSV(w io.Writer) error {
	cw := NewCSV(w)
	h := make([]string, 0, len(t.Params)+2*len(t.Figures))
	for _, p := range t.Params {
		h = append(h, p.Key)
	}
	for _, f := range t.Figures {
		h = append(h, f+".mean", f+".ci95")
	}
	if err := cw.Write(h); err != nil {
		return err
	}
	for _, pt := range t.Points {
		row := append([]string(nil), pt.Values...)
		for j := range t.Figures {
			row = append(row, reports.FormatFloat(pt.Mean[j]), reports.FormatFloat(pt.CI95[j]))
		}
		if err := cw.Write(row); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}
