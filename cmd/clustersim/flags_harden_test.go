package main_test

import (
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"
)

// The exit-code and flag reproducers of issue 11 ("Exit codes and
// flags"). README, "Exit status": 2 for bad input found before anything
// runs, 1 for a run that failed, for run and check alike.

// writeFileIn writes src as dir/name and returns its path.
func writeFileIn(t *testing.T, dir, name, src string) string {
	t.Helper()
	p := filepath.Join(dir, name)
	if err := os.WriteFile(p, []byte(src), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

// TestBadOutIsUsage: an --out that cannot be a folder (a file, a device,
// "", a path under a file) is a usage error, exit 2, for run and for
// check (which used to exit 1 or report each scenario as broken), and
// nothing is written.
func TestBadOutIsUsage(t *testing.T) {
	dir := t.TempDir()
	scen := writeFileIn(t, dir, "s.toml", smallScenario)
	file := writeFileIn(t, dir, "afile", "x")
	before := names(t, dir)
	for _, cmd := range []string{"run", "check"} {
		for _, out := range []string{file, "/dev/null", "", filepath.Join(file, "sub")} {
			_, stderr, code := run(t, cmd, scen, "--out", out, "-q")
			if code != 2 || !strings.Contains(stderr, "--out") {
				t.Errorf("%s --out %q: exit %d, want 2 naming --out; stderr: %s", cmd, out, code, stderr)
			}
		}
	}
	if after := names(t, dir); !slices.Equal(after, before) {
		t.Errorf("files appeared: %v, was %v", after, before)
	}
}

// TestJUnitCheckedFirst: a --junit that cannot be written (a folder, a
// missing folder, "") is refused before any scenario runs, with exit 2;
// a folder's parent gets no temporary file (it used to run every
// scenario, then fail with exit 1 after a temporary file beside the
// folder).
func TestJUnitCheckedFirst(t *testing.T) {
	dir := t.TempDir()
	scen := writeFileIn(t, dir, "s.toml", longScenario)
	folder := filepath.Join(dir, "reports")
	if err := os.Mkdir(folder, 0o755); err != nil {
		t.Fatal(err)
	}
	before := names(t, dir)
	for _, junit := range []string{folder, filepath.Join(dir, "missing", "j.xml"), ""} {
		start := time.Now()
		stdout, stderr, code := run(t, "check", scen, "--junit", junit)
		if code != 2 || !strings.Contains(stderr, "--junit") {
			t.Errorf("--junit %q: exit %d, want 2 naming --junit; stderr: %s", junit, code, stderr)
		}
		if stdout != "" || time.Since(start) > 20*time.Second {
			t.Errorf("--junit %q: the scenario ran (%v): %s", junit, time.Since(start), stdout)
		}
	}
	if after := names(t, dir); !slices.Equal(after, before) {
		t.Errorf("files appeared: %v, was %v", after, before)
	}
}

// TestParallelAndSeedFlags: --parallel below 1 is refused (it used to
// mean 1); --seed beyond 2^63-1 is refused when the flag is parsed,
// naming the flag and the range (it used to fail later as a --set of a
// string), and 2^63-1 itself is accepted and recorded.
func TestParallelAndSeedFlags(t *testing.T) {
	dir := t.TempDir()
	scen := writeFileIn(t, dir, "s.toml", smallScenario)
	for _, args := range [][]string{
		{"run", scen, "--parallel", "0"},
		{"run", scen, "--parallel", "-1"},
		{"check", scen, "--parallel", "0"},
		{"check", scen, "-j", "-1"},
	} {
		if _, stderr, code := run(t, append(args, "--out", filepath.Join(dir, "o"))...); code != 2 || !strings.Contains(stderr, "--parallel") {
			t.Errorf("%v: exit %d, want 2 naming --parallel; stderr: %s", args, code, stderr)
		}
	}
	for _, cmd := range []string{"run", "check"} {
		_, stderr, code := run(t, cmd, scen, "--seed", "9223372036854775808", "--out", filepath.Join(dir, "o"))
		if code != 2 || !strings.Contains(stderr, `for "--seed" flag: out of range`) || !strings.Contains(stderr, "9223372036854775807") {
			t.Errorf("%s --seed 2^63: exit %d, want 2 with the range; stderr: %s", cmd, code, stderr)
		}
	}
	out := filepath.Join(dir, "max")
	if _, stderr, code := run(t, "run", scen, "--seed", "9223372036854775807", "--out", out, "-q"); code != 0 {
		t.Fatalf("--seed 2^63-1: exit %d: %s", code, stderr)
	}
	if b := read(t, filepath.Join(out, "summary.json")); !strings.Contains(string(b), `"seed": 9223372036854775807`) {
		t.Errorf("summary.json does not record seed 2^63-1")
	}
}

// crashPolicy's external policy exits at once: the run fails (exit 1),
// the input was fine.
const crashPolicy = `[sim]
name = "crash"
duration = "5m"
seed = 1
[[workload]]
name = "w"
target = "api"
rate = 20
service_time = { dist = "exponential", mean = "10ms" }
[[service]]
name = "api"
replicas = 1
autoscaler = { kind = "external", command = ["sh", "-c", "exit 3"], metric = "cpu", target = 0.5, min = 1, max = 3 }
[[assert]]
name = "anything"
metric = "latency_ms.p99"
max = 1e9
`

// TestCheckExitsAsRun: check exits with the status run gives for the
// same scenario: 1 for a run that fails (a policy crash; check used to
// exit 2, "could not be checked"), 2 for bad input.
func TestCheckExitsAsRun(t *testing.T) {
	if _, err := exec.LookPath("sh"); err != nil {
		t.Skip("no sh")
	}
	dir := t.TempDir()
	crash := writeFileIn(t, dir, "crash.toml", crashPolicy)
	bad := writeFileIn(t, dir, "bad.toml", strings.Replace(smallScenario, "rate = 20", "rate = -1", 1))
	for _, tc := range []struct {
		file string
		want int
	}{{crash, 1}, {bad, 2}} {
		_, runErr, runCode := run(t, "run", tc.file, "--out", filepath.Join(dir, "o"), "-q")
		_, checkErr, checkCode := run(t, "check", tc.file)
		if runCode != tc.want || checkCode != tc.want {
			t.Errorf("%s: run exit %d, check exit %d, want %d for both\nrun: %s\ncheck: %s",
				filepath.Base(tc.file), runCode, checkCode, tc.want, runErr, checkErr)
		}
	}
	// Bad input wins over a failed run.
	if _, stderr, code := run(t, "check", crash, bad); code != 2 {
		t.Errorf("check crash+bad: exit %d, want 2: %s", code, stderr)
	}
}

// TestCheckDotsName: a scenario file named "...toml" is checked into
// --out/scenario, not into --out/.. (the parent of --out).
func TestCheckDotsName(t *testing.T) {
	dir := t.TempDir()
	scen := writeFileIn(t, dir, "...toml", smallScenario)
	parent := filepath.Join(dir, "p")
	if err := os.Mkdir(parent, 0o755); err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(parent, "out")
	if _, stderr, code := run(t, "check", scen, "--out", out, "-q"); code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	if got := names(t, parent); !slices.Equal(got, []string{"out"}) {
		t.Errorf("the parent of --out holds %v, want only out", got)
	}
	if _, err := os.Stat(filepath.Join(out, "scenario", "summary.json")); err != nil {
		t.Errorf("no outputs in --out/scenario: %v", err)
	}
}
