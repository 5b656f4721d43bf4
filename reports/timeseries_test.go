package reports_test

import (
	"math"
	"os"
	"path/filepath"
	"testing"

	"github.com/clustersim/clustersim/reports"
)

func TestTimeseriesGolden(t *testing.T) {
	dir := t.TempDir()
	w, err := reports.NewTimeseriesWriter(dir)
	if err != nil {
		t.Fatal(err)
	}
	defer w.Abort()
	if err := w.Header([]string{"api.rps", "api.p99_ms", "api@v2.rps"}); err != nil {
		t.Fatal(err)
	}
	rows := [][]float64{
		{1.0 / 3, math.NaN(), 0},
		{250, math.Inf(1), math.Copysign(0, -1)},
		{1e9, 123.456789, 0.00004},
	}
	for i, r := range rows {
		if err := w.Row(float64(10*(i+1))+0.5, r); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := os.Stat(filepath.Join(dir, reports.TimeseriesFile)); !os.IsNotExist(err) {
		t.Errorf("timeseries.csv exists before Commit (%v)", err)
	}
	if err := w.Commit(); err != nil {
		t.Fatal(err)
	}
	got, err := os.ReadFile(filepath.Join(dir, reports.TimeseriesFile))
	if err != nil {
		t.Fatal(err)
	}
	checkGolden(t, "timeseries.csv", got)
	assertNoTemp(t, dir)
}

func TestTimeseriesRowDoesNotAllocate(t *testing.T) {
	w, err := reports.NewTimeseriesWriter(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	defer w.Abort()
	cols := make([]string, 40)
	for i := range cols {
		cols[i] = "svc.m" + string(rune('a'+i%26))
	}
	if err := w.Header(cols); err != nil {
		t.Fatal(err)
	}
	vals := make([]float64, len(cols))
	for i := range vals {
		vals[i] = 1234.5678 * float64(i+1)
	}
	ts := 0.0
	allocs := testing.AllocsPerRun(1000, func() {
		ts += 10
		if err := w.Row(ts, vals); err != nil {
			t.Fatal(err)
		}
	})
	if allocs != 0 {
		t.Errorf("Row allocates %v times per call, want 0", allocs)
	}
}

func BenchmarkTimeseriesRow(b *testing.B) {
	w, err := reports.NewTimeseriesWriter(b.TempDir())
	if err != nil {
		b.Fatal(err)
	}
	defer w.Abort()
	s := sampleSeries(1, 10)
	if err := w.Header(s.Columns); err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for i := 0; b.Loop(); i++ {
		if err := w.Row(float64(i), s.Rows[0]); err != nil {
			b.Fatal(err)
		}
	}
}
