package external_test

import (
	"errors"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/clustersim/clustersim/sim/engine"
	"github.com/clustersim/clustersim/sim/policies/autoscale"
	"github.com/clustersim/clustersim/sim/policies/external"
)

const sec = 1_000_000_000 // one second, untyped: an engine.Time or engine.Duration

func needPython(t *testing.T) {
	t.Helper()
	if _, err := exec.LookPath("python3"); err != nil {
		t.Skip("python3 not on PATH")
	}
}

func newPolicy(t *testing.T, cfg external.Config) *external.Policy {
	t.Helper()
	if cfg.Max == 0 {
		cfg.Min, cfg.Max = 1, 20
	}
	if cfg.Timeout == 0 {
		// Generous: interpreters behind shims start slowly on a busy
		// machine, and only the timeout tests are about timing.
		cfg.Timeout = 60 * time.Second
	}
	p, err := external.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { p.Close() })
	return p
}

// pods builds ready pods with the given metric samples; NaN means no
// sample.
func pods(metrics ...float64) []autoscale.PodSample {
	var out []autoscale.PodSample
	for _, m := range metrics {
		p := autoscale.PodSample{Ready: true, HasMetric: !math.IsNaN(m), ReadyAt: 10 * sec}
		if p.HasMetric {
			p.Metric = m
		}
		out = append(out, p)
	}
	return out
}

// TestExamplePolicy runs scenarios/policies/queue_target.py the way a
// scenario does (relative command, scenario directory) through a run of
// ticks in one process, with answers worked out by hand.
func TestExamplePolicy(t *testing.T) {
	needPython(t)
	nan := math.NaN()
	terminating := pods(5.0)
	terminating[0].Phase = autoscale.PodTerminating
	cpu := newPolicy(t, external.Config{
		Command: []string{"python3", "policies/queue_target.py"}, Dir: "../../../scenarios",
		Min: 1, Max: 20, Metric: "cpu", Target: 0.7, Service: "api",
	})
	for i, tc := range []struct {
		name       string
		current    int
		pods       []autoscale.PodSample
		want       int
		wantMetric float64
		wantReason string
	}{
		// avg 0.9: ceil(3 × 0.9 / 0.7) = ceil(3.857) = 4.
		{"above target", 3, pods(0.9, 0.8, 1.0), 4, 0.9, "external: avg cpu 0.900 vs target 0.7"},
		// Only the first pod counts: ceil(4 × 0.35 / 0.7) = 2 exactly.
		{"missing and terminating ignored", 4, append(pods(0.35, nan), terminating...), 2, 0.35, "external: avg cpu 0.350 vs target 0.7"},
		{"no metrics holds", 5, pods(nan, nan), 5, 0, "external: no metrics; holding"},
		// ceil(10 × 2.0 / 0.7) = 29, clamped by the script to max 20.
		{"clamped to max", 10, pods(2.0), 20, 2.0, "external: avg cpu 2.000 vs target 0.7"},
		// ceil(2 × 0.07 / 0.7) = 1 = min.
		{"down to min", 2, pods(0.07, 0.07), 1, 0.07, "external: avg cpu 0.070 vs target 0.7"},
	} {
		d, _ := cpu.Decide(autoscale.Observation{Now: engine.Time(i+1) * 15 * sec, Current: tc.current, Pods: tc.pods})
		if err := cpu.Err(); err != nil {
			t.Fatalf("%s: %v", tc.name, err)
		}
		if d.Desired != tc.want || d.Reason != tc.wantReason || math.Abs(d.Metric-tc.wantMetric) > 1e-12 {
			t.Errorf("%s: got %d %q metric %g, want %d %q metric %g",
				tc.name, d.Desired, d.Reason, d.Metric, tc.want, tc.wantReason, tc.wantMetric)
		}
	}
	if err := cpu.Close(); err != nil {
		t.Errorf("Close: %v", err)
	}

	queue := newPolicy(t, external.Config{
		Command: []string{"python3", "policies/queue_target.py"}, Dir: "../../../scenarios",
		Min: 1, Max: 20, Metric: "queue", Target: 5,
	})
	// ceil(12 / 5) = 3; metric is the backlog per current replica, 12/2.
	d, _ := queue.Decide(autoscale.Observation{Now: 15 * sec, Current: 2, External: 12, HasExternal: true})
	if d.Desired != 3 || d.Reason != "external: queue 12 at 5 per replica" || d.Metric != 6 || d.Ratio != 1.2 {
		t.Errorf("queue: got %+v", d)
	}
	d, _ = queue.Decide(autoscale.Observation{Now: 30 * sec, Current: 3})
	if d.Desired != 3 || d.Reason != "external: no queue sample; holding" {
		t.Errorf("queue without sample: got %+v", d)
	}
	if err := queue.Err(); err != nil {
		t.Fatal(err)
	}
}

// TestRequestFormat pins the request lines of protocol v1, recorded by a
// shell policy in its working directory.
func TestRequestFormat(t *testing.T) {
	needSh(t)
	dir := t.TempDir()
	p := newPolicy(t, external.Config{
		Name: "recorder", Dir: dir, Min: 1, Max: 20, Metric: "cpu", Target: 0.7, Service: "api",
		Command: []string{"sh", "-c", `while IFS= read -r l; do printf '%s\n' "$l" >> reqs.jsonl; echo '{"desired": 2}'; done`},
	})
	obs := autoscale.Observation{Now: 15 * sec, Current: 3, Pods: []autoscale.PodSample{
		{Ready: true, HasMetric: true, Metric: 0.83, StartedAt: 0, ReadyAt: 12_500_000_000},
		{Phase: autoscale.PodPending, StartedAt: 14 * sec, ReadyAt: 14 * sec},
	}}
	if d, _ := p.Decide(obs); d.Desired != 2 || d.Reason != "external" || p.Err() != nil {
		t.Fatalf("got %+v, err %v", d, p.Err())
	}
	obs.Now, obs.Pods, obs.External, obs.HasExternal = 30*sec, nil, 12, true
	p.Decide(obs)
	if err := p.Close(); err != nil {
		t.Fatal(err)
	}
	got, err := os.ReadFile(filepath.Join(dir, "reqs.jsonl"))
	if err != nil {
		t.Fatal(err)
	}
	want := `{"v":1,"tick":1,"time_s":15,"policy":"recorder","service":"api","current":3,"min":1,"max":20,"metric":"cpu","target":0.7,` +
		`"pods":[{"ready":true,"pending":false,"terminating":false,"has_metric":true,"metric":0.83,"started_s":0,"ready_s":12.5},` +
		`{"ready":false,"pending":true,"terminating":false,"has_metric":false,"metric":0,"started_s":14,"ready_s":14}],"external":null}` + "\n" +
		`{"v":1,"tick":2,"time_s":30,"policy":"recorder","service":"api","current":3,"min":1,"max":20,"metric":"cpu","target":0.7,` +
		`"pods":[],"external":12}` + "\n"
	if string(got) != want {
		t.Errorf("requests:\n%s\nwant:\n%s", got, want)
	}
}

func needSh(t *testing.T) {
	t.Helper()
	if _, err := exec.LookPath("sh"); err != nil {
		t.Skip("sh not on PATH")
	}
}

// answering is a shell policy that answers every request with line.
func answering(line string) []string {
	return []string{"sh", "-c", `while read -r l; do printf '%s\n' "$1"; done`, "sh", line}
}

func TestAnswers(t *testing.T) {
	needSh(t)
	for _, tc := range []struct {
		answer     string
		want       int
		wantReason string
		wantErr    string // "" for a valid answer
	}{
		{`{"desired": 4}`, 4, "external", ""},
		{`  { "reason" : "spiky\tload\n" , "desired" : 7.0, "extra": [1, {"x": null}] }  `, 7, "external: spiky load", ""},
		{`{"desired": 100, "reason": "panic"}`, 20, "external: panic (100 clamped to max 20)", ""},
		{`{"desired": 0}`, 2, "external (0 raised to min 2)", ""},
		{`hello world`, 0, "", `malformed answer "hello world": invalid character 'h'`},
		{`{"desired": -1}`, 0, "", `malformed answer "{\"desired\": -1}": "desired" must be an integer >= 0, got -1`},
		{`{"desired": 2.5}`, 0, "", `"desired" must be an integer >= 0, got 2.5`},
		{`{"desired": "3"}`, 0, "", `"desired" must be an integer >= 0, got "3"`},
		{`{"desired": null}`, 0, "", `"desired" is missing`},
		{`{"desired": 5, "reason": "clear\u001b[2J` + "\x7f" + `screen"}`, 5, `external: clear\x1b[2J\x7fscreen`, ""},
		{"{\"desired\": \"\x7f\"}", 0, "", `got "\x7f"`},
		{`{"reason": "forgot"}`, 0, "", `"desired" is missing`},
		{`[3]`, 0, "", `malformed answer "[3]": json: cannot unmarshal array`},
		{`{"desired": 3} {"desired": 4}`, 0, "", `invalid character '{' after top-level value`},
		{``, 0, "", `malformed answer "": unexpected end of JSON input`},
	} {
		p := newPolicy(t, external.Config{Name: "fixed", Command: answering(tc.answer), Min: 2, Max: 20})
		d, _ := p.Decide(autoscale.Observation{Now: 15 * sec, Current: 3})
		err := p.Err()
		if tc.wantErr == "" {
			if err != nil || d.Desired != tc.want || d.Reason != tc.wantReason {
				t.Errorf("%s: got %d %q, err %v; want %d %q", tc.answer, d.Desired, d.Reason, err, tc.want, tc.wantReason)
			}
			continue
		}
		if err == nil || !errors.Is(err, external.ErrAnswer) || !strings.Contains(err.Error(), tc.wantErr) ||
			!strings.HasPrefix(err.Error(), `external policy "fixed" (sh -c `) || !strings.Contains(err.Error(), "tick 1:") {
			t.Errorf("%s: err %v, want ErrAnswer naming the policy and tick, containing %s", tc.answer, err, tc.wantErr)
		}
		if d.Desired != 3 {
			t.Errorf("%s: failed decision %d, want the current 3", tc.answer, d.Desired)
		}
	}
}

func TestCrash(t *testing.T) {
	needPython(t)
	p := newPolicy(t, external.Config{Name: "crasher", Command: []string{"python3", "-c", `
import sys
sys.stdin.readline()
print('{"desired": 4}', flush=True)
sys.stdin.readline()
sys.stderr.write("starting tick 2\npolicy blew up: bad state\n")
sys.exit(3)
`}})
	if d, _ := p.Decide(autoscale.Observation{Now: 15 * sec, Current: 3}); d.Desired != 4 || p.Err() != nil {
		t.Fatalf("tick 1: got %+v, err %v", d, p.Err())
	}
	d, _ := p.Decide(autoscale.Observation{Now: 30 * sec, Current: 4})
	err := p.Err()
	t.Log(err)
	for _, want := range []string{`external policy "crasher"`, "tick 2:", "exit status 3", "starting tick 2 | policy blew up: bad state"} {
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("err %v, want it to contain %q", err, want)
		}
	}
	if !errors.Is(err, external.ErrExited) {
		t.Errorf("err %v is not ErrExited", err)
	}
	if d.Desired != 4 {
		t.Errorf("failed decision %d, want the current 4", d.Desired)
	}
	// Sticky: later ticks keep the current count and the first error.
	if d, _ := p.Decide(autoscale.Observation{Now: 45 * sec, Current: 4}); d.Desired != 4 || p.Err() != err {
		t.Errorf("after failure: got %+v, err %v", d, p.Err())
	}
	if err := p.Close(); err != nil {
		t.Errorf("Close after failure: %v", err)
	}
}

// TestTimeout: each policy answers tick 1, then fails to answer tick 2 in
// time.
func TestTimeout(t *testing.T) {
	needPython(t)
	t.Setenv("PYTHONUNBUFFERED", "") // the policies inherit the environment
	for _, tc := range []struct {
		cmd        []string
		wantStderr string
	}{
		{[]string{"python3", "-c", `
import sys, time
sys.stdin.readline()
print('{"desired": 1}', flush=True)
sys.stdin.readline()
print("thinking...", file=sys.stderr, flush=True)
time.sleep(30)`}, "; stderr: thinking..."},
		// Forgot to flush: the second answer sits in python's buffer.
		{[]string{"python3", "-c", `
import sys
sys.stdin.readline()
print('{"desired": 1}', flush=True)
import time
sys.stdin.readline()
print('{"desired": 1}')
time.sleep(30)`}, ")"},
		// A grandchild holding the pipes must not hold the simulator.
		{[]string{"sh", "-c", `read l; echo '{"desired": 1}'; read l; sleep 30; echo late`}, ")"},
	} {
		p := newPolicy(t, external.Config{Name: "sleeper", Command: tc.cmd, Timeout: 200 * time.Millisecond})
		p.Decide(autoscale.Observation{Now: 15 * sec, Current: 3})
		if err := p.Err(); err != nil {
			t.Fatalf("%q: tick 1: %v", tc.cmd, err)
		}
		start := time.Now()
		d, _ := p.Decide(autoscale.Observation{Now: 30 * sec, Current: 1})
		elapsed := time.Since(start)
		err := p.Err()
		t.Log(err)
		if !errors.Is(err, external.ErrTimeout) || !strings.Contains(err.Error(), `external policy "sleeper"`) ||
			!strings.Contains(err.Error(), "tick 2: timed out: no answer within 200ms") || !strings.HasSuffix(err.Error(), tc.wantStderr) {
			t.Errorf("%q: err %v, want a timeout naming the policy and tick, ending %q", tc.cmd, err, tc.wantStderr)
		}
		if d.Desired != 1 {
			t.Errorf("failed decision %d, want the current 1", d.Desired)
		}
		if elapsed > 3*time.Second {
			t.Errorf("%q: Decide took %v with a 200ms timeout", tc.cmd, elapsed)
		}
	}
}

func TestExitWithoutAnswer(t *testing.T) {
	needSh(t)
	p := newPolicy(t, external.Config{Name: "quitter", Command: []string{"sh", "-c", "exit 0"}})
	p.Decide(autoscale.Observation{Current: 1})
	if err := p.Err(); !errors.Is(err, external.ErrExited) || !strings.Contains(err.Error(), "exit status 0") {
		t.Errorf("err %v, want ErrExited with exit status 0", err)
	}
}

func TestConfigErrors(t *testing.T) {
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "notexec.py"), []byte("print(1)\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, cfg := range []external.Config{
		{},
		{Command: []string{""}},
		{Command: []string{"no-such-policy-binary-xyz"}},
		{Command: []string{"./notexec.py"}, Dir: dir},
		{Command: []string{"sh"}, Min: 3, Max: 2},
		{Command: []string{"sh"}, Timeout: -time.Second},
	} {
		if _, err := external.New(cfg); !errors.Is(err, external.ErrConfig) {
			t.Errorf("%+v: err %v, want ErrConfig", cfg, err)
		}
	}
}

func TestStartError(t *testing.T) {
	dir := t.TempDir()
	script := filepath.Join(dir, "policy.sh")
	if err := os.WriteFile(script, []byte("#!/bin/sh\n"), 0o755); err != nil {
		t.Fatal(err)
	}
	p := newPolicy(t, external.Config{Name: "gone", Command: []string{"./policy.sh"}, Dir: dir})
	os.Remove(script)
	p.Decide(autoscale.Observation{Current: 2})
	if err := p.Err(); !errors.Is(err, external.ErrStart) || !strings.Contains(err.Error(), `external policy "gone" (./policy.sh) tick 1: cannot start`) {
		t.Errorf("err %v, want ErrStart naming the policy and tick", err)
	}
}

// TestStartErrorMissingFolder: a policy whose folder is gone (a library
// scenario run by name has no folder on disk) is refused naming the
// folder, not the interpreter exec blames.
func TestStartErrorMissingFolder(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "gone")
	p := newPolicy(t, external.Config{Name: "far", Command: []string{"sh", "-c", "true"}, Dir: dir})
	p.Decide(autoscale.Observation{Current: 2})
	if err := p.Err(); !errors.Is(err, external.ErrStart) || !strings.Contains(err.Error(), "its folder "+dir+" (the scenario file's) does not exist") {
		t.Errorf("err %v, want ErrStart naming the missing folder", err)
	}
}

func TestDecideAfterClose(t *testing.T) {
	needSh(t)
	p := newPolicy(t, external.Config{Command: answering(`{"desired": 2}`)})
	p.Decide(autoscale.Observation{Current: 1})
	if err := p.Close(); err != nil {
		t.Fatal(err)
	}
	if d, _ := p.Decide(autoscale.Observation{Current: 1}); d.Desired != 1 || p.Err() == nil {
		t.Errorf("Decide after Close: %+v, err %v", d, p.Err())
	}
}

// TestCloseReportsFailure: a non-zero exit at end of input is reported.
func TestCloseReportsFailure(t *testing.T) {
	needSh(t)
	p := newPolicy(t, external.Config{Command: []string{"sh", "-c",
		`while read -r l; do echo '{"desired": 2}'; done; echo "could not save state" >&2; exit 1`}})
	p.Decide(autoscale.Observation{Current: 1})
	if err := p.Close(); err == nil || !strings.Contains(err.Error(), "exit status 1; stderr: could not save state") {
		t.Errorf("Close: %v", err)
	}
}

// TestNoZombies: once every policy is closed, the test process has no
// child processes left, running or unreaped.
func TestNoZombies(t *testing.T) {
	needPython(t)
	if _, err := os.Stat("/proc/self/stat"); err != nil {
		t.Skip("no /proc")
	}
	ok := newPolicy(t, external.Config{Command: answering(`{"desired": 2}`)})
	slow := newPolicy(t, external.Config{Command: []string{"python3", "-c",
		"import time\nprint('{\"desired\": 2}', flush=True)\ntime.sleep(30)"}, Timeout: 100 * time.Millisecond})
	deaf := newPolicy(t, external.Config{Command: []string{"python3", "-c",
		"import time\nprint('{\"desired\": 2}', flush=True)\ntime.sleep(30)"}})
	for _, p := range []*external.Policy{ok, slow, deaf} {
		p.Decide(autoscale.Observation{Current: 1})
		if p == slow {
			p.Decide(autoscale.Observation{Current: 1}) // times out
		}
		p.Close()
	}
	if !errors.Is(slow.Err(), external.ErrTimeout) {
		t.Errorf("slow: err %v, want a timeout", slow.Err())
	}
	if kids := children(t); len(kids) > 0 {
		t.Errorf("child processes left after Close: %v", kids)
	}
}

// children lists the test process's children from /proc, as "pid state".
func children(t *testing.T) []string {
	t.Helper()
	self := strconv.Itoa(os.Getpid())
	entries, err := os.ReadDir("/proc")
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, e := range entries {
		if _, err := strconv.Atoi(e.Name()); err != nil {
			continue
		}
		b, err := os.ReadFile(filepath.Join("/proc", e.Name(), "stat"))
		if err != nil {
			continue
		}
		// pid (comm) state ppid ...; comm may hold spaces, so split after ")".
		s := string(b)
		f := strings.Fields(s[strings.LastIndexByte(s, ')')+1:])
		if len(f) > 1 && f[1] == self {
			out = append(out, e.Name()+" "+f[0])
		}
	}
	return out
}

// TestKillsWholeGroup: killing a timed-out policy also ends what it
// started (here a shell's background child), so nothing outlives the run.
func TestKillsWholeGroup(t *testing.T) {
	needSh(t)
	if _, err := os.Stat("/proc/self/stat"); err != nil {
		t.Skip("no /proc")
	}
	dir := t.TempDir()
	p := newPolicy(t, external.Config{Dir: dir, Timeout: 200 * time.Millisecond, Command: []string{"sh", "-c",
		`sleep 30 & echo $! > child.pid; read l; echo '{"desired": 2}'; read l; wait`}})
	p.Decide(autoscale.Observation{Current: 1})
	p.Decide(autoscale.Observation{Current: 1})
	if !errors.Is(p.Err(), external.ErrTimeout) {
		t.Fatalf("err %v, want a timeout", p.Err())
	}
	p.Close()
	b, err := os.ReadFile(filepath.Join(dir, "child.pid"))
	if err != nil {
		t.Fatal(err)
	}
	// Gone, or a zombie waiting for whoever adopted it.
	deadline := time.Now().Add(2 * time.Second)
	for {
		stat, err := os.ReadFile("/proc/" + strings.TrimSpace(string(b)) + "/stat")
		s := string(stat)
		if err != nil || strings.Fields(s[strings.LastIndexByte(s, ')')+1:])[0] == "Z" {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("the policy's child is still running: %s", stat)
		}
		time.Sleep(10 * time.Millisecond)
	}
}
