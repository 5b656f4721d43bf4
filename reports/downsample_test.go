package reports_test

import (
	"math"
	"slices"
	"testing"

	"github.com/clustersim/clustersim/reports"
)

func TestSeriesRecorderBounded(t *testing.T) {
	const maxRows = 8
	r := reports.NewSeriesRecorder([]string{"a.x", "a.y"}, maxRows)
	in := make([]float64, 2)
	for i := range 10 * maxRows { // windows 0..79 ending at i+1 seconds
		in[0], in[1] = float64(i), float64(2*i)
		r.Add(float64(i+1), in)
		in[0], in[1] = -1, -1 // Add must have copied
		if n := len(r.Series().Rows); n > maxRows {
			t.Fatalf("after %d windows: %d rows, want <= %d", i+1, n, maxRows)
		}
	}
	// By hand: the recorder filled at 8, 16, 32 and 64 windows, so each row
	// now averages 16 windows: rows k = 0..4 cover windows 16k..16k+15, whose
	// mean is 16k+7.5, and carry the last window's end time 16k+16.
	if got := r.Stride(); got != 16 {
		t.Errorf("stride = %d, want 16", got)
	}
	s := r.Series()
	wantTimes := []float64{16, 32, 48, 64, 80}
	if !slices.Equal(s.Times, wantTimes) {
		t.Errorf("times = %v, want %v", s.Times, wantTimes)
	}
	for k, row := range s.Rows {
		want := []float64{16*float64(k) + 7.5, 2 * (16*float64(k) + 7.5)}
		if !slices.Equal(row, want) {
			t.Errorf("row %d = %v, want %v", k, row, want)
		}
	}

	// A partial row averages the windows seen since the last full one.
	for i := 80; i < 85; i++ {
		r.Add(float64(i+1), []float64{float64(i), float64(2 * i)})
	}
	s = r.Series()
	last := len(s.Rows) - 1
	if s.Times[last] != 85 || !slices.Equal(s.Rows[last], []float64{82, 164}) {
		t.Errorf("partial row = %v at %v, want [82 164] at 85", s.Rows[last], s.Times[last])
	}

	// Series returns a copy.
	s.Rows[0][0] = 999
	s.Columns[0] = "changed"
	if s2 := r.Series(); s2.Rows[0][0] != 7.5 || s2.Columns[0] != "a.x" {
		t.Error("Series aliases the recorder's storage")
	}
}

func TestSeriesRecorderShortRun(t *testing.T) {
	r := reports.NewSeriesRecorder([]string{"a.x"}, 100)
	for i := range 5 {
		r.Add(float64(10*(i+1)), []float64{float64(i)})
	}
	s := r.Series()
	if !slices.Equal(s.Times, []float64{10, 20, 30, 40, 50}) || len(s.Rows) != 5 || s.Rows[4][0] != 4 {
		t.Errorf("short run changed: %+v", s)
	}
	if r.Stride() != 1 {
		t.Errorf("stride = %d, want 1", r.Stride())
	}
}

// TestSeriesRecorderMissing pins the missing-figure rule through
// downsampling: a missing window is left out of an average, and a row of
// missing windows stays missing (a gap in the plot), never 0.
func TestSeriesRecorderMissing(t *testing.T) {
	nan := math.NaN()
	r := reports.NewSeriesRecorder([]string{"api.p99_ms"}, 4)
	// The fourth window fills the recorder: pairs merge, stride 2. The
	// last two windows are averaged into one row.
	for i, v := range []float64{nan, 10, nan, nan, nan, 20} {
		r.Add(float64(10*(i+1)), []float64{v})
	}
	got := r.Series().Column("api.p99_ms")
	want := []float64{10, nan, 20}
	if r.Stride() != 2 || len(got) != len(want) {
		t.Fatalf("stride %d, rows %v; want stride 2, rows %v", r.Stride(), got, want)
	}
	for i := range want {
		if got[i] != want[i] && !(math.IsNaN(got[i]) && math.IsNaN(want[i])) {
			t.Errorf("row %d = %v, want %v", i, got[i], want[i])
		}
	}
}
