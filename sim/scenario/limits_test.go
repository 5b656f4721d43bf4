package scenario_test

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"

	"github.com/clustersim/clustersim/sim/scenario"
)

// hardenBase is a valid scenario; tests append to its tables.
const hardenBase = `[sim]
duration = "10m"
name = "h"

[[workload]]
name = "w"
target = "api"
rate = 100
service_time = { dist = "exponential", mean = "50ms" }

[[service]]
name = "api"
`

// TestLimitsRejected pins the parse-time rejections of issue 11: numbers
// that would wrap, overflow or exhaust memory, runs that would take days,
// and text that would drive the terminal. Each names file:line:col and key.
func TestLimitsRejected(t *testing.T) {
	cases := []struct{ name, sim, workload, service, extra, want string }{
		{"concurrency wraps int32", "", "", "concurrency = 4294967297", "",
			"x.toml:14:1: service.api.concurrency: 4294967297 is out of range: at most 2147483647 in magnitude"},
		{"concurrency 2^31", "", "", "concurrency = 2147483648", "",
			"x.toml:14:1: service.api.concurrency: 2147483648 is out of range: at most 2147483647 in magnitude"},
		{"cost overflows", "", "", "cost_per_hour = 1e308", "",
			"x.toml:14:1: service.api.cost_per_hour: 1e+308 is out of range: at most 1e+15 in magnitude"},
		{"replicas", "", "", "replicas = 1000000000", "",
			"x.toml:14:1: service.api.replicas: services may run 1000000000 instances at once (1000000000 in service api), more than the limit of 100000 (raise the limit with --max-instances)"},
		{"scheduled desired", "", "", `autoscaler = { kind = "scheduled", schedule = [{ at = "1m", desired = 1000000000, max = 1000000000 }] }`, "",
			"x.toml:14:61: service.api.autoscaler.schedule[0].desired: services may run 1000000000 instances at once (1000000000 in service api), more than the limit of 100000 (raise the limit with --max-instances)"},
		{"nodes", "", "", "", "[[node_pool]]\nname = \"p\"\nnodes = 100000000\n",
			"x.toml:17:1: node_pool.p.nodes: node pools may hold 100000000 nodes at once (100000000 in pool p), more than the limit of 100000 (raise the limit with --max-instances)"},
		{"rate", "", "rate = 1e12", "", "",
			"x.toml:9:1: workload.w.rate: the run would take about 1.8e+15 engine events (1.8e+15 from requests of workload w), more than the limit of 2e+09 (raise the limit with --max-events, or shorten sim.duration)"},
		{"long duration", `duration = "1000000h"`, "", "", "",
			"x.toml:8:1: workload.w.rate: the run would take about 1.08e+12 engine events (1.08e+12 from requests of workload w), more than the limit of 2e+09 (raise the limit with --max-events, or shorten sim.duration)"},
		{"window 1ns", `window = "1ns"`, "rate = 1", "", "",
			"x.toml:4:1: sim.window: the run would take about 6e+11 engine events (6e+11 from metrics windows), more than the limit of 2e+09 (raise the limit with --max-events, or shorten sim.duration)"},
		{"sync 1ns", "", "rate = 1", `autoscaler = { kind = "hpa", sync_period = "1ns", max = 3 }`, "",
			"x.toml:14:30: service.api.autoscaler.sync_period: the run would take about 6e+11 engine events (6e+11 from autoscaler ticks of service api), more than the limit of 2e+09 (raise the limit with --max-events, or shorten sim.duration)"},
		{"predictive period", "", "", `autoscaler = { kind = "predictive", period = "106751d", max = 3 }`, "",
			`x.toml:14:37: service.api.autoscaler.period: period 106751d needs 614885761 history slots of 15s, more than 1048576 (182d1h3m45s) (a seasonality such as "24h" or "7d")`},
		{"escape in sim name", `name = "\u001b[2J"`, "", "", "",
			`x.toml:3:1: sim.name: must not contain control characters, got "\x1b[2J" (names are printed on terminals)`},
		{"escape in assert name", "", "", "", "[[assert]]\nname = \"a\\u0007\"\nmetric = \"latency_ms.p99\"\nmax = 1\n",
			`x.toml:16:1: assert."a\a".name: must not contain control characters, got "a\a" (names are printed on terminals)`},
		{"nested arrays", "", "", "x = " + strings.Repeat("[", 100000) + strings.Repeat("]", 100000), "",
			"x.toml:14:69: arrays and tables nest more than 64 levels deep"},
		{"nested inline tables", "", "", "x = " + strings.Repeat("{a=", 10000) + "1" + strings.Repeat("}", 10000), "",
			"x.toml:14:197: arrays and tables nest more than 64 levels deep"},
		{"brackets only", "", "", "", strings.Repeat("[", 10<<20),
			"x.toml:15:65: arrays and tables nest more than 64 levels deep"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			src := strings.Replace(hardenBase, "name = \"h\"\n", "name = \"h\"\n"+tc.sim+"\n", 1)
			if tc.sim != "" && strings.HasPrefix(tc.sim, "name") {
				src = strings.Replace(hardenBase, "name = \"h\"", tc.sim, 1)
			}
			if tc.sim != "" && strings.HasPrefix(tc.sim, "duration") {
				src = strings.Replace(hardenBase, `duration = "10m"`, tc.sim, 1)
			}
			if tc.workload != "" {
				src = strings.Replace(src, "rate = 100", tc.workload, 1)
			}
			src += tc.service + "\n" + tc.extra
			lim := scenario.DefaultLimits()
			lim.MaxSize = 0
			_, err := scenario.ParseWith("x.toml", []byte(src), nil, lim)
			if err == nil {
				t.Fatal("accepted")
			}
			if got := err.Error(); got != tc.want {
				t.Errorf("error\n got %s\nwant %s", got, tc.want)
			}
		})
	}
}

// TestFileLimits checks what Load refuses before parsing: files over the
// size limit, and anything but a regular file (a device would be read
// forever, a FIFO would block).
func TestFileLimits(t *testing.T) {
	dir := t.TempDir()
	big := filepath.Join(dir, "big.toml")
	if err := os.WriteFile(big, []byte(hardenBase+strings.Repeat("# padding\n", 200_000)), 0o644); err != nil {
		t.Fatal(err)
	}
	fifo := filepath.Join(dir, "fifo.toml")
	if err := syscall.Mkfifo(fifo, 0o600); err != nil {
		t.Skip("no FIFOs here:", err)
	}
	cases := []struct {
		path string
		lim  int64
		kind error
		want string
	}{
		{big, scenario.DefaultMaxSize, scenario.ErrTooLarge, "scenario: file too large: " + big + " is larger than 1048576 bytes (raise the limit with --max-scenario-size)"},
		{"/dev/zero", scenario.DefaultMaxSize, scenario.ErrNotRegular, "scenario: not a regular file: /dev/zero is a device"},
		{fifo, scenario.DefaultMaxSize, scenario.ErrNotRegular, "scenario: not a regular file: " + fifo + " is a named pipe"},
		{dir, scenario.DefaultMaxSize, scenario.ErrNotRegular, "scenario: not a regular file: " + dir + " is a folder"},
	}
	for _, tc := range cases {
		lim := scenario.DefaultLimits()
		lim.MaxSize = tc.lim
		_, err := scenario.LoadWith(tc.path, nil, lim)
		if !errors.Is(err, tc.kind) || err.Error() != tc.want {
			t.Errorf("LoadWith(%s) = %v, want %s", tc.path, err, tc.want)
		}
	}
	lim := scenario.DefaultLimits()
	lim.MaxSize = 4 << 20
	if _, err := scenario.LoadWith(big, nil, lim); err != nil {
		t.Errorf("a raised limit still refuses: %v", err)
	}
	if _, err := scenario.Parse("x.toml", []byte(hardenBase+strings.Repeat("#", 1<<20)), nil); !errors.Is(err, scenario.ErrTooLarge) {
		t.Errorf("Parse of more than 1 MiB: %v", err)
	}
}

// TestTraceConfined checks that a trace path cannot leave the scenario's
// folder unless allowed, and that a bad line is quoted short and escaped.
func TestTraceConfined(t *testing.T) {
	dir := t.TempDir()
	secret := "SECRET=" + strings.Repeat("x", 100)
	if err := os.WriteFile(filepath.Join(dir, "bad.txt"), []byte("1\n\x1b[2J"+secret+"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	scen := filepath.Join(dir, "s.toml")
	for _, tc := range []struct {
		trace    string
		anywhere bool
		want     string
	}{
		{"/proc/self/environ", false, scen + `:9:1: workload.w.trace: trace "/proc/self/environ" is outside the scenario's folder (use --allow-trace-anywhere to read traces elsewhere)`},
		{"../x.txt", false, scen + `:9:1: workload.w.trace: trace "../x.txt" is outside the scenario's folder (use --allow-trace-anywhere to read traces elsewhere)`},
		{"bad.txt", false, filepath.Join(dir, "bad.txt") + `:2: workload.w.trace: invalid arrival time "\x1b[2JSECRET=xxxxxxxxxxxxxxxxxxxxx"... (one arrival time in seconds per line)`},
		{"/dev/zero", true, scen + `:9:1: workload.w.trace: trace /dev/zero is not a regular file (the path is relative to the scenario file)`},
	} {
		src := strings.Replace(hardenBase, "rate = 100", "arrival = \"trace\"\ntrace = \""+tc.trace+"\"", 1)
		if err := os.WriteFile(scen, []byte(src), 0o644); err != nil {
			t.Fatal(err)
		}
		lim := scenario.DefaultLimits()
		lim.TraceAnywhere = tc.anywhere
		_, err := scenario.LoadWith(scen, nil, lim)
		if err == nil || err.Error() != tc.want {
			t.Errorf("trace %s:\n got %v\nwant %s", tc.trace, err, tc.want)
		}
	}
}

// TestEstimate pins the estimate's model on a small scenario: 3 events
// per request, one per window, tick and scrape.
func TestEstimate(t *testing.T) {
	src := hardenBase + `autoscaler = { kind = "hpa", max = 7, sync_period = "30s" }
[[service]]
name = "db"
replicas = 2
`
	cfg, err := scenario.Parse("x.toml", []byte(src), nil)
	if err != nil {
		t.Fatal(err)
	}
	// 100/s × 600 s × 3 + 600/10 windows + 600/30 ticks + 600/15 scrapes.
	if got, want := scenario.Estimate(cfg).String(), "about 1.8e+05 events, 9 instances"; got != want {
		t.Errorf("Estimate = %s, want %s", got, want)
	}
	if got := scenario.Estimate(cfg).Events; got != 180_000+60+20+40 {
		t.Errorf("events %v, want %v", got, 180_000+60+20+40)
	}
}

// TestSetTooDeep: a --set value nested beyond the limit is refused like
// any value of the wrong type, without reaching the TOML library.
func TestSetTooDeep(t *testing.T) {
	set := "service.api.warmup=" + strings.Repeat("[", 100_000)
	_, err := scenario.Parse("x.toml", []byte(hardenBase), []string{set})
	if err == nil || !strings.Contains(err.Error(), "service.api.warmup: expected a table, got a string") {
		t.Errorf("got %v", err)
	}
}
