package main_test

import (
	"bytes"
	"errors"
	"flag"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

var update = flag.Bool("update", false, "rewrite golden files")

// binary is the clustersim binary built once for these end-to-end tests.
var binary string

func TestMain(m *testing.M) {
	flag.Parse()
	dir, err := os.MkdirTemp("", "clustersim-cli-")
	if err != nil {
		panic(err)
	}
	binary = filepath.Join(dir, "clustersim")
	if out, err := exec.Command("go", "build", "-o", binary, ".").CombinedOutput(); err != nil {
		panic("build: " + err.Error() + "\n" + string(out))
	}
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

// run executes the binary and returns stdout, stderr and the exit code.
func run(t *testing.T, args ...string) (string, string, int) {
	t.Helper()
	return runEnv(t, nil, args...)
}

// runEnv is run with extra environment variables ("K=V").
func runEnv(t *testing.T, env []string, args ...string) (string, string, int) {
	t.Helper()
	cmd := exec.Command(binary, args...)
	cmd.Env = append(append(os.Environ(), "GITHUB_ACTIONS="), env...) // tests set it themselves
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	err := cmd.Run()
	code := 0
	var ee *exec.ExitError
	if errors.As(err, &ee) {
		code = ee.ExitCode()
	} else if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(errb.String(), "panic") || strings.Contains(errb.String(), "goroutine ") {
		t.Fatalf("clustersim %v panicked:\n%s", args, errb.String())
	}
	return out.String(), errb.String(), code
}

func read(t *testing.T, path string) []byte {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// TestDefaultScenarioGolden runs the embedded default scenario and
// compares its summary.json with testdata/default.summary.json
// (regenerate with `go test ./cmd/clustersim -update` after checking the
// diff).
func TestDefaultScenarioGolden(t *testing.T) {
	out := t.TempDir()
	stdout, stderr, code := run(t, "run", "--out", out)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	for _, f := range []string{"summary.json", "timeseries.csv", "report.html", "latency.png", "latency.svg", "traffic.png", "saturation.png", "replicas.png"} {
		if _, err := os.Stat(filepath.Join(out, f)); err != nil {
			t.Errorf("missing output %s", f)
		}
	}
	if !strings.Contains(stdout, "report.html") || !strings.Contains(stderr, "events/s") {
		t.Errorf("stdout should name the report and stderr the event rate:\n%s\n%s", stdout, stderr)
	}
	got := read(t, filepath.Join(out, "summary.json"))
	golden := filepath.Join("testdata", "default.summary.json")
	if *update {
		if err := os.WriteFile(golden, got, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	if want := read(t, golden); !bytes.Equal(got, want) {
		t.Errorf("summary.json differs from %s; inspect and rerun with -update if intended:\n%s", golden, got)
	}
}

// TestDeterminism: the same scenario and seed give byte-identical
// summary.json and timeseries.csv; another seed gives different ones.
func TestDeterminism(t *testing.T) {
	outs := []string{t.TempDir(), t.TempDir(), t.TempDir()}
	seeds := []string{"7", "7", "8"}
	for i, o := range outs {
		if _, stderr, code := run(t, "run", "spike", "--seed", seeds[i], "--out", o, "--quiet"); code != 0 {
			t.Fatalf("exit %d: %s", code, stderr)
		}
	}
	for _, f := range []string{"summary.json", "timeseries.csv"} {
		a, b, c := read(t, filepath.Join(outs[0], f)), read(t, filepath.Join(outs[1], f)), read(t, filepath.Join(outs[2], f))
		if !bytes.Equal(a, b) {
			t.Errorf("%s differs between two runs with the same seed", f)
		}
		if bytes.Equal(a, c) {
			t.Errorf("%s is the same for seeds 7 and 8", f)
		}
	}
}

func writeScenario(t *testing.T, body string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), "s.toml")
	if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

const okScenario = `
[sim]
duration = "2m"
window = "10s"
[[workload]]
name = "w"
target = "api"
rate = 50
service_time = { dist = "exponential", mean = "10ms" }
[[service]]
name = "api"
replicas = 2
concurrency = 2
`

// TestCheckExitCodes: assertions that hold exit 0, a failing one exits 1
// and prints its name, value and limit, a broken scenario exits 2.
func TestCheckExitCodes(t *testing.T) {
	pass := writeScenario(t, okScenario+`
[[assert]]
name = "p99 is sane"
metric = "latency_ms.p99"
max = 1000
`)
	fail := writeScenario(t, okScenario+`
[[assert]]
name = "impossible throughput"
metric = "throughput_rps"
min = 1000
`)
	broken := writeScenario(t, okScenario+"\n[[assert]]\nname = \"x\"\nmetric = \"latency_ms.p99\"\nmax = \"high\"\n")

	if out, stderr, code := run(t, "check", pass); code != 0 || !strings.Contains(out, "PASS") {
		t.Errorf("passing check: exit %d\n%s%s", code, out, stderr)
	}
	out, stderr, code := run(t, "check", fail)
	if code != 1 {
		t.Errorf("failing check: exit %d, want 1\n%s%s", code, out, stderr)
	}
	for _, want := range []string{"FAIL", "impossible throughput", "throughput_rps", ">= 1000"} {
		if !strings.Contains(out, want) {
			t.Errorf("failing check output lacks %q:\n%s", want, out)
		}
	}
	if _, stderr, code := run(t, "check", broken); code != 2 {
		t.Errorf("broken scenario: exit %d, want 2\n%s", code, stderr)
	}
	// The assertion results land in summary.json.
	dir := t.TempDir()
	run(t, "check", fail, "--out", dir)
	if s := string(read(t, filepath.Join(dir, "s", "summary.json"))); !strings.Contains(s, `"impossible throughput"`) || !strings.Contains(s, `"ok": false`) {
		t.Errorf("summary.json lacks the failed assertion:\n%s", s)
	}
}

// TestBadInput: every kind of bad scenario exits non-zero with file, line
// and key in the message, never panics, and writes no summary.json.
func TestBadInput(t *testing.T) {
	cases := []struct {
		name  string
		body  string
		wants []string // substrings of stderr besides the file name
	}{
		{"toml syntax", "[sim]\nduration = \"1m\"\nwindow = \n", []string{":3"}},
		{"unknown key", strings.Replace(okScenario, "concurrency = 2", "concurency = 2", 1), []string{":13", "concurency", `did you mean "concurrency"`}},
		{"wrong type", strings.Replace(okScenario, "rate = 50", `rate = "fast"`, 1), []string{":8", "rate"}},
		{"bad duration", strings.Replace(okScenario, `duration = "2m"`, `duration = "2 fortnights"`, 1), []string{":3", "duration"}},
		{"negative rate", strings.Replace(okScenario, "rate = 50", "rate = -5", 1), []string{":8", "rate"}},
		{"unknown target", strings.Replace(okScenario, `target = "api"`, `target = "apii"`, 1), []string{":7", "target", `"apii"`, `did you mean "api"`}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			file := writeScenario(t, c.body)
			out := filepath.Join(t.TempDir(), "out")
			_, stderr, code := run(t, "run", file, "--out", out)
			if code == 0 {
				t.Fatalf("exit 0 for bad input")
			}
			if !strings.Contains(stderr, file) {
				t.Errorf("message does not name the file:\n%s", stderr)
			}
			for _, w := range c.wants {
				if !strings.Contains(stderr, w) {
					t.Errorf("message lacks %q:\n%s", w, stderr)
				}
			}
			if _, err := os.Stat(filepath.Join(out, "summary.json")); err == nil {
				t.Error("summary.json written for bad input")
			}
		})
	}
}

func TestValidateAndVersion(t *testing.T) {
	good := writeScenario(t, okScenario)
	if out, stderr, code := run(t, "validate", good); code != 0 || !strings.Contains(out, "ok") {
		t.Errorf("validate good: exit %d %s%s", code, out, stderr)
	}
	bad := writeScenario(t, strings.Replace(okScenario, "replicas = 2", "replicas = -1", 1))
	if _, stderr, code := run(t, "validate", bad); code != 2 || !strings.Contains(stderr, "replicas") {
		t.Errorf("validate bad: exit %d %s", code, stderr)
	}
	if out, _, code := run(t, "version"); code != 0 || !strings.HasPrefix(out, "clustersim ") {
		t.Errorf("version: %d %q", code, out)
	}
	if _, stderr, code := run(t, "run", "no-such-scenario"); code != 2 || !strings.Contains(stderr, "library") {
		t.Errorf("missing scenario: exit %d %s", code, stderr)
	}
	if _, _, code := run(t, "run", "--bogus-flag"); code != 2 {
		t.Errorf("bad flag: exit %d, want 2", code)
	}
}

// TestExternalPolicyFailure: a policy process that crashes stops the run
// with an error naming the policy and the tick, and leaves no outputs.
func TestExternalPolicyFailure(t *testing.T) {
	if _, err := exec.LookPath("sh"); err != nil {
		t.Skip("no sh")
	}
	file := writeScenario(t, strings.Replace(okScenario, "concurrency = 2", `concurrency = 2
autoscaler = { kind = "external", command = ["sh", "-c", "read line; echo 'policy blew up' >&2; exit 3"], min = 1, max = 5 }`, 1))
	out := filepath.Join(t.TempDir(), "out")
	_, stderr, code := run(t, "run", file, "--out", out)
	if code != 1 {
		t.Fatalf("exit %d, want 1\n%s", code, stderr)
	}
	for _, want := range []string{"external", "tick 1", "exit status 3", "policy blew up", "service api"} {
		if !strings.Contains(stderr, want) {
			t.Errorf("error lacks %q:\n%s", want, stderr)
		}
	}
	if entries, _ := os.ReadDir(out); len(entries) != 0 {
		t.Errorf("outputs left behind: %v", entries)
	}
}

// TestParallelCheckIsByteIdentical: `check --parallel` runs scenarios at
// once; summary.json and timeseries.csv must not depend on it.
func TestParallelCheckIsByteIdentical(t *testing.T) {
	a, b := t.TempDir(), t.TempDir()
	lib := []string{"../../scenarios/spike.toml", "../../scenarios/slow-instance.toml", "../../scenarios/default.toml"}
	if _, stderr, code := run(t, append([]string{"check", "-j", "1", "--out", a, "--quiet"}, lib...)...); code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	if _, stderr, code := run(t, append([]string{"check", "-j", "3", "--out", b, "--quiet"}, lib...)...); code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	for _, name := range []string{"spike", "slow-instance", "default"} {
		for _, f := range []string{"summary.json", "timeseries.csv"} {
			if !bytes.Equal(read(t, filepath.Join(a, name, f)), read(t, filepath.Join(b, name, f))) {
				t.Errorf("%s/%s differs between --parallel 1 and 3", name, f)
			}
		}
	}
}

// TestLibraryAssertionsHold runs every library scenario through `check`:
// each scenario's [[assert]] blocks document what it teaches, and they
// must hold. Skipped with -short (it simulates a few hundred million
// events).
func TestLibraryAssertionsHold(t *testing.T) {
	if testing.Short() {
		t.Skip("slow: runs the whole scenario library")
	}
	lib, err := filepath.Glob("../../scenarios/*.toml")
	if err != nil || len(lib) == 0 {
		t.Fatalf("no library scenarios: %v", err)
	}
	out, stderr, code := run(t, append([]string{"check", "--quiet"}, lib...)...)
	if code != 0 {
		t.Fatalf("exit %d\n%s%s", code, out, stderr)
	}
}
