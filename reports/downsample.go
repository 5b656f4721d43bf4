package reports

import (
	"fmt"

	"github.com/clustersim/clustersim/sim/results"
)

// SeriesRecorder keeps a bounded, downsampled copy of a run's time series
// for plotting, whatever the run's length; the CSV keeps every window.
//
// Each stored row averages a fixed number of consecutive windows (the
// stride, a power of two, starting at 1) and carries the time of the last
// of them. When the recorder is full it merges adjacent pairs of rows and
// doubles the stride, so plots of very long runs show values averaged over
// adjacent windows: peaks shorter than the stride are flattened. A
// missing value (NaN, a window with no successful request) is left out of
// the average; a row whose windows are all missing stays missing, so the
// plot shows a gap.
type SeriesRecorder struct {
	columns []string
	maxRows int
	stride  int // windows per stored row
	times   []float64
	rows    [][]float64
	free    [][]float64 // row buffers released by merging, reused by Add

	// windows folded into the row being built
	pending  []float64 // sums of present values
	counts   []int     // present values per column
	pendingN int
	pendingT float64
}

// NewSeriesRecorder returns a recorder for the given columns that never
// holds more than maxRows rows. maxRows is rounded down to an even number
// of at least 2.
func NewSeriesRecorder(columns []string, maxRows int) *SeriesRecorder {
	maxRows = max(maxRows&^1, 2)
	return &SeriesRecorder{
		columns: append([]string(nil), columns...),
		maxRows: maxRows,
		stride:  1,
		pending: make([]float64, len(columns)),
		counts:  make([]int, len(columns)),
	}
}

// Add records one window ending at timeS simulated seconds. values are
// copied. It panics if len(values) differs from the number of columns.
func (r *SeriesRecorder) Add(timeS float64, values []float64) {
	if len(values) != len(r.columns) {
		panic(fmt.Sprintf("reports: SeriesRecorder.Add: %d values for %d columns", len(values), len(r.columns)))
	}
	for j, v := range values {
		if !results.IsMissing(v) {
			r.pending[j] += v
			r.counts[j]++
		}
	}
	r.pendingN++
	r.pendingT = timeS
	if r.pendingN < r.stride {
		return
	}
	row := r.newRow()
	r.average(row)
	for j := range r.pending {
		r.pending[j], r.counts[j] = 0, 0
	}
	r.pendingN = 0
	r.times = append(r.times, timeS)
	r.rows = append(r.rows, row)
	if len(r.rows) >= r.maxRows {
		r.halve()
	}
}

// Stride returns how many consecutive windows each stored row averages.
func (r *SeriesRecorder) Stride() int { return r.stride }

// Series returns a copy of the recorded series, including a last row
// averaging the windows not yet folded into a full row.
func (r *SeriesRecorder) Series() *results.Series {
	n := len(r.rows)
	if r.pendingN > 0 {
		n++
	}
	s := &results.Series{
		Columns: append([]string(nil), r.columns...),
		Times:   make([]float64, 0, n),
		Rows:    make([][]float64, 0, n),
	}
	for i, row := range r.rows {
		s.Times = append(s.Times, r.times[i])
		s.Rows = append(s.Rows, append([]float64(nil), row...))
	}
	if r.pendingN > 0 {
		row := make([]float64, len(r.pending))
		r.average(row)
		s.Times = append(s.Times, r.pendingT)
		s.Rows = append(s.Rows, row)
	}
	return s
}

// halve merges adjacent pairs of rows, averaging values (a missing
// value takes the other's) and keeping the later time, and doubles the stride. len(r.rows) is even here.
func (r *SeriesRecorder) halve() {
	n := len(r.rows) / 2
	for i := range n {
		a, b := r.rows[2*i], r.rows[2*i+1]
		for j := range a {
			switch {
			case results.IsMissing(a[j]):
				a[j] = b[j]
			case !results.IsMissing(b[j]):
				a[j] = (a[j] + b[j]) / 2
			}
		}
		r.rows[i] = a
		r.times[i] = r.times[2*i+1]
		r.free = append(r.free, b)
	}
	clear(r.rows[n:])
	r.rows = r.rows[:n]
	r.times = r.times[:n]
	r.stride *= 2
}

// average writes the mean of each column's pending present values into
// row, results.Missing where there were none.
func (r *SeriesRecorder) average(row []float64) {
	for j, sum := range r.pending {
		if r.counts[j] == 0 {
			row[j] = results.Missing()
		} else {
			row[j] = sum / float64(r.counts[j])
		}
	}
}

// newRow returns a row buffer, reusing one released by halve if any.
func (r *SeriesRecorder) newRow() []float64 {
	if k := len(r.free); k > 0 {
		row := r.free[k-1]
		r.free = r.free[:k-1]
		return row
	}
	return make([]float64, len(r.columns))
}
