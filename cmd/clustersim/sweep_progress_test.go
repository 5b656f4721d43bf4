package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestSweepProgress: on a terminal the sweep draws one bar counting runs
// over the whole sweep; with --quiet, or when stderr is not a terminal,
// it draws nothing.
func TestSweepProgress(t *testing.T) {
	dir := t.TempDir()
	file := filepath.Join(dir, "s.toml")
	if err := os.WriteFile(file, []byte(`
[sim]
duration = "1m"
window = "10s"
[[workload]]
name = "w"
target = "api"
rate = 20
service_time = { dist = "exponential", mean = "10ms" }
[[service]]
name = "api"
`), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		terminal, quiet bool
		want            string
	}{
		{true, false, "/6, "}, // runs done out of the whole sweep's 6
		{true, true, ""},
		{false, false, ""},
	} {
		var out, errOut bytes.Buffer
		f := newFactory()
		f.out, f.errOut = &out, &errOut
		f.errIsTerminal = func() bool { return tc.terminal }
		opts := &SweepOptions{Scenario: file, OutDir: filepath.Join(dir, "out"), Params: []string{"workload.w.rate=10,20,30"},
			Seeds: 2, Parallel: 2, Quiet: tc.quiet}
		if err := runSweep(f, opts); err != nil {
			t.Fatal(err)
		}
		got := errOut.String()
		switch {
		case tc.want == "" && got != "":
			t.Errorf("terminal %v quiet %v: stderr %q, want nothing", tc.terminal, tc.quiet, got)
		case tc.want != "" && (!strings.Contains(got, tc.want) || !strings.Contains(got, "sweep")):
			t.Errorf("terminal %v: stderr %q, want a bar counting runs of the sweep (%s)", tc.terminal, got, tc.want)
		}
	}
}
