package main_test

import (
	"path/filepath"
	"strings"
	"testing"
)

// honestScenario gates p99 both on the summary and on every window.
const honestScenario = okScenario + `
[[assert]]
name = "p99 under 1 s"
metric = "latency_ms.p99"
max = 1000

[[assert]]
name = "p99 under 1 s in every window"
series = "api.p99_ms"
agg = "max"
max = 1000
`

// TestCheckMissingFiguresFail is issue 10's first defect end to end: when
// nothing succeeds (no replica: all rejected; or every request timing
// out) a p99 gate printed PASS with p99 = 0. A percentile of nothing is
// missing (DESIGN.md): null in summary.json, empty in timeseries.csv, and
// the gate fails, saying why, with exit 1.
func TestCheckMissingFiguresFail(t *testing.T) {
	tests := []struct {
		name string
		sets []string
		code int
		want []string
	}{
		{"healthy", nil, 0, []string{"PASS", "max(api.p99_ms) 0s..2m"}},
		{"no replicas", []string{"service.api.replicas=0"}, 1, []string{
			"missing (no successful requests)",
			"missing (no successful requests in any of 12 windows from 0s to 2m)",
		}},
		{"every request times out", []string{`workload.w.service_time={dist="constant", value="50ms"}`, "workload.w.timeout=20ms"}, 1, []string{
			"missing (no successful requests)",
			"missing (no successful requests in any of 12 windows from 0s to 2m)",
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			args := []string{"check", writeScenario(t, honestScenario), "--out", dir}
			for _, s := range tt.sets {
				args = append(args, "--set", s)
			}
			out, stderr, code := run(t, args...)
			if code != tt.code {
				t.Errorf("exit %d, want %d\n%s%s", code, tt.code, out, stderr)
			}
			for _, w := range tt.want {
				if !strings.Contains(out, w) {
					t.Errorf("output lacks %q:\n%s", w, out)
				}
			}
			if tt.code == 0 {
				return
			}
			if strings.Contains(out, "PASS") {
				t.Errorf("a gate on a missing figure passed:\n%s", out)
			}
			sum := string(read(t, filepath.Join(dir, "s", "summary.json")))
			for _, w := range []string{`"p99": null`, `"value": null`, `"reason": "no successful requests"`, `"error_ratio": 1`} {
				if !strings.Contains(sum, w) {
					t.Errorf("summary.json lacks %s", w)
				}
			}
			lines := strings.Split(string(read(t, filepath.Join(dir, "s", "timeseries.csv"))), "\n")
			head, first := strings.Split(lines[0], ","), strings.Split(lines[1], ",")
			for i, col := range head {
				want, ok := map[string]string{"api.error_ratio": "1", "api.p50_ms": "", "api.p99_ms": ""}[col]
				if ok && first[i] != want {
					t.Errorf("first window: %s = %q, want %q", col, first[i], want)
				}
			}
		})
	}
}
