package main_test

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestScenariosList: every library scenario is listed with the first
// sentence of its opening comment.
func TestScenariosList(t *testing.T) {
	out, stderr, code := run(t, "scenarios")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	files, _ := filepath.Glob("../../scenarios/*.toml")
	lines := strings.Split(strings.TrimSpace(out), "\n")
	if len(lines) != len(files) {
		t.Errorf("%d lines for %d library scenarios:\n%s", len(lines), len(files), out)
	}
	for name, desc := range map[string]string{
		"mm1":    "M/M/1: the single-server queue every other result is built on.",
		"ca-gap": "The cluster-autoscaler gap: pods the HPA asks for wait, Pending, until nodes exist for them — and a node crash shows the same gap in reverse.",
	} {
		found := false
		for _, l := range lines {
			if f := strings.Fields(l); len(f) > 1 && f[0] == name && strings.TrimSpace(strings.TrimPrefix(l, name)) == desc {
				found = true
			}
		}
		if !found {
			t.Errorf("no line for %s with %q in\n%s", name, desc, out)
		}
	}
}

// TestNewFrom: new copies a library scenario under a new [sim] name, the
// copy runs, and an existing file is not replaced without --force.
func TestNewFrom(t *testing.T) {
	dir := t.TempDir()
	file := filepath.Join(dir, "my-queue")
	if _, stderr, code := run(t, "new", file, "--from", "mm1"); code != 0 {
		t.Fatalf("new: exit %d: %s", code, stderr)
	}
	src := string(read(t, file+".toml"))
	lib := string(read(t, "../../scenarios/mm1.toml"))
	if !strings.Contains(src, `name = "my-queue"`) || strings.Replace(src, `name = "my-queue"`, `name = "mm1"`, 1) != lib {
		t.Errorf("the copy differs from mm1.toml beyond its [sim] name")
	}
	out := filepath.Join(dir, "out")
	if _, stderr, code := run(t, "run", file+".toml", "--set", "sim.duration=3m", "--set", "sim.warmup=1m", "--quiet", "--out", out); code != 0 {
		t.Fatalf("run: %s", stderr)
	}
	var sum struct{ Scenario string }
	if err := json.Unmarshal(read(t, filepath.Join(out, "summary.json")), &sum); err != nil || sum.Scenario != "my-queue" {
		t.Errorf("summary.json scenario = %q, %v", sum.Scenario, err)
	}
	if _, stderr, code := run(t, "new", file, "--from", "spike"); code != 2 || !strings.Contains(stderr, "exists") {
		t.Errorf("new over an existing file: exit %d, %s", code, stderr)
	}
	if string(read(t, file+".toml")) != src {
		t.Error("the existing file was changed")
	}
	if _, _, code := run(t, "new", file, "--from", "spike", "--force"); code != 0 {
		t.Error("--force did not replace the file")
	}
	if _, stderr, code := run(t, "new", filepath.Join(dir, "x"), "--from", "flash-sal"); code != 2 || !strings.Contains(stderr, "flash-sale") {
		t.Errorf("new --from an unknown scenario: exit %d, %s", code, stderr)
	}
	if _, err := os.Stat(filepath.Join(dir, "x.toml")); err == nil {
		t.Error("a failed new wrote a file")
	}
}

// TestSchemaCommand: clustersim schema prints the JSON Schema.
func TestSchemaCommand(t *testing.T) {
	out, stderr, code := run(t, "schema")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	var s map[string]any
	if err := json.Unmarshal([]byte(out), &s); err != nil {
		t.Fatal(err)
	}
	if s["$schema"] != "http://json-schema.org/draft-07/schema#" || s["properties"].(map[string]any)["service"] == nil {
		t.Errorf("schema = %.200s", out)
	}
}

// TestLibraryTrace: a library scenario that replays a trace runs by name
// from anywhere (its trace is embedded with it), and `new --from` copies
// the trace beside the new scenario so that the copy runs too.
func TestLibraryTrace(t *testing.T) {
	dir := t.TempDir()
	byName := filepath.Join(dir, "by-name")
	if _, stderr, code := run(t, "run", "trace-replay", "--quiet", "--out", byName); code != 0 {
		t.Fatalf("run trace-replay by name: exit %d: %s", code, stderr)
	}
	file := filepath.Join(dir, "mine")
	if _, stderr, code := run(t, "new", file, "--from", "trace-replay"); code != 0 {
		t.Fatalf("new --from trace-replay: exit %d: %s", code, stderr)
	}
	if got, want := string(read(t, filepath.Join(dir, "trace-replay.csv"))), string(read(t, "../../scenarios/trace-replay.csv")); got != want {
		t.Fatal("the copied trace differs from the library's")
	}
	copied := filepath.Join(dir, "copied")
	if _, stderr, code := run(t, "run", file+".toml", "--quiet", "--out", copied); code != 0 {
		t.Fatalf("run the copy: exit %d: %s", code, stderr)
	}
	if a, b := read(t, filepath.Join(byName, "recorded", "timeseries.csv")), read(t, filepath.Join(copied, "recorded", "timeseries.csv")); string(a) != string(b) {
		t.Error("the library scenario and its copy replay different traffic")
	}
}
