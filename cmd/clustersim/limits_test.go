package main_test

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
)

const limitsScenario = `[sim]
duration = "20m"
[[workload]]
name = "w"
target = "api"
rate = 500
service_time = { dist = "exponential", mean = "10ms" }
[[service]]
name = "api"
concurrency = 8
`

// TestLimitFlags runs the limit flags end to end (issue 11).
func TestLimitFlags(t *testing.T) {
	dir := t.TempDir()
	scen := filepath.Join(dir, "s.toml")
	if err := os.WriteFile(scen, []byte(limitsScenario), 0o644); err != nil {
		t.Fatal(err)
	}
	fifo := filepath.Join(dir, "fifo.toml")
	if err := syscall.Mkfifo(fifo, 0o600); err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		name   string
		args   []string
		code   int
		stderr string
	}{
		{"explicit budget", []string{"validate", scen, "--max-events", "1e6", "--set", "workload.w.rate=1e6"}, 0, ""},
		{"estimate refused by default", []string{"validate", scen, "--set", "workload.w.rate=1e7"}, 2,
			"--set workload.w.rate=1e7: workload.w.rate: the run would take about 3.6e+10 engine events (3.6e+10 from requests of workload w), more than the limit of 2e+09 (raise the limit with --max-events, or shorten sim.duration)"},
		{"instances", []string{"validate", scen, "--set", "service.api.replicas=200000"}, 2,
			"--set service.api.replicas=200000: service.api.replicas: services may run 200000 instances at once (200000 in service api), more than the limit of 100000 (raise the limit with --max-instances)"},
		{"instances raised", []string{"validate", scen, "--max-instances", "300000", "--set", "service.api.replicas=200000"}, 0, ""},
		{"size", []string{"validate", scen, "--max-scenario-size", "100"}, 2,
			"scenario: file too large: " + scen + " is larger than 100 bytes (raise the limit with --max-scenario-size)"},
		{"device", []string{"validate", "/dev/zero"}, 2, "scenario: not a regular file: /dev/zero is a device"},
		{"fifo", []string{"validate", fifo}, 2, "scenario: not a regular file: " + fifo + " is a named pipe"},
		{"bad flag", []string{"validate", scen, "--max-events", "0"}, 2, "--max-events must be > 0, got 0"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			_, stderr, code := run(t, tc.args...)
			if code != tc.code || !strings.Contains(stderr, tc.stderr) {
				t.Errorf("exit %d, stderr:\n%s\nwant exit %d and %q", code, stderr, tc.code, tc.stderr)
			}
		})
	}
}

// TestMaxEventsPartial checks that --max-events stops a run with a
// partial summary marked incomplete.
func TestMaxEventsPartial(t *testing.T) {
	dir := t.TempDir()
	scen := filepath.Join(dir, "s.toml")
	if err := os.WriteFile(scen, []byte(limitsScenario), 0o644); err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(dir, "out")
	_, stderr, code := run(t, "run", scen, "--out", out, "--quiet", "--max-events", "200000")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	if want := "clustersim: --max-events 200000 reached after 262144 events: stopping with partial results"; !strings.Contains(stderr, want) {
		t.Errorf("stderr %q lacks %q", stderr, want)
	}
	var sum struct {
		Incomplete   bool    `json:"incomplete"`
		StopReason   string  `json:"stop_reason"`
		Events       int64   `json:"events"`
		SimDurationS float64 `json:"sim_duration_s"`
	}
	if err := json.Unmarshal(read(t, filepath.Join(out, "summary.json")), &sum); err != nil {
		t.Fatal(err)
	}
	if !sum.Incomplete || sum.StopReason != "--max-events 200000 reached" || sum.Events != 262144 || sum.SimDurationS >= 1200 {
		t.Errorf("summary %+v", sum)
	}

	// --max-wall: any run is longer than 1ns, so it stops at the first
	// check, after 65,536 events.
	out = filepath.Join(dir, "out-wall")
	if _, stderr, code := run(t, "run", scen, "--out", out, "--quiet", "--max-wall", "1ns"); code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	if err := json.Unmarshal(read(t, filepath.Join(out, "summary.json")), &sum); err != nil {
		t.Fatal(err)
	}
	if !sum.Incomplete || sum.StopReason != "--max-wall 1ns reached" || sum.Events != 65536 {
		t.Errorf("summary %+v", sum)
	}
}
