package reports_test

import (
	"bytes"
	"strings"
	"testing"

	"github.com/clustersim/clustersim/reports"
)

func TestSummaryTable(t *testing.T) {
	var buf bytes.Buffer
	reports.SummaryTable(&buf, sampleSummary())
	checkGolden(t, "summary.txt", buf.Bytes())

	one := sampleSummary()
	delete(one.Services, "db")
	buf.Reset()
	reports.SummaryTable(&buf, one)
	if n := strings.Count(buf.String(), "\n"); n > 20 {
		t.Errorf("one-service table is %d lines, want <= 20:\n%s", n, buf.String())
	}
	buf.Reset()
	reports.SummaryTable(&buf, nil) // must not panic
}
