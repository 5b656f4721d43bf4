package reports_test

import (
	"os"
	"os/exec"
	"path/filepath"
	"testing"

	"github.com/clustersim/clustersim/reports"
)

// checker is the shared output-contract checker; a fresh clone has no
// ../shared, so the test skips without it.
const checker = "../../shared/contract/check-outputs.py"

// TestOutputsHonourContract writes every output as a run does and runs
// check-outputs.py on the directory.
func TestOutputsHonourContract(t *testing.T) {
	py, err := exec.LookPath("python3")
	if err != nil {
		t.Skip("python3 not found")
	}
	script, err := filepath.Abs(checker)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(script); err != nil {
		t.Skipf("contract checker not available: %v", err)
	}

	dir := t.TempDir()
	series := sampleSeries(30, 10)
	tw, err := reports.NewTimeseriesWriter(dir)
	if err != nil {
		t.Fatal(err)
	}
	defer tw.Abort()
	rec := reports.NewSeriesRecorder(series.Columns, 16)
	if err := tw.Header(series.Columns); err != nil {
		t.Fatal(err)
	}
	for i, row := range series.Rows {
		rec.Add(series.Times[i], row)
		if err := tw.Row(series.Times[i], row); err != nil {
			t.Fatal(err)
		}
	}
	plots, err := reports.WritePlots(dir, rec.Series(), []string{"api", "db"})
	if err != nil {
		t.Fatal(err)
	}
	s := sampleSummary()
	if err := reports.WriteReport(dir, s, plots); err != nil {
		t.Fatal(err)
	}
	if err := tw.Commit(); err != nil {
		t.Fatal(err)
	}
	if err := reports.WriteSummary(dir, s); err != nil {
		t.Fatal(err)
	}

	out, err := exec.Command(py, script, dir, "--services", "api,db").CombinedOutput()
	if err != nil {
		t.Fatalf("check-outputs.py: %v\n%s", err, out)
	}
	t.Logf("%s", out)
}
