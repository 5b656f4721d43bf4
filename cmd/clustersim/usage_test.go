package main_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestUsageErrors: every command's usage errors exit 2 (README: 0
// success, 1 run or assertion failure, 2 bad input) with a message naming
// the problem. Issue 10: `check` without arguments and an unknown
// subcommand exited 1.
func TestUsageErrors(t *testing.T) {
	good := writeScenario(t, okScenario)
	junk := t.TempDir()
	if err := os.WriteFile(filepath.Join(junk, "notes.txt"), nil, 0o644); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name string
		args []string
		want string // in stderr
	}{
		{"unknown command", []string{"chek"}, `clustersim: unknown command "chek" (did you mean "check"?)`},
		{"unknown command, no suggestion", []string{"frobnicate"}, `unknown command "frobnicate"; run 'clustersim --help' for the commands`},
		{"check without scenario", []string{"check"}, "check: requires at least 1 arg(s), only received 0 (usage: clustersim check SCENARIO...)"},
		{"validate without file", []string{"validate"}, "validate: requires at least 1 arg(s), only received 0 (usage: clustersim validate FILE...)"},
		{"run with two scenarios", []string{"run", good, good}, "run: accepts at most 1 arg(s), received 2 (usage: clustersim run [SCENARIO])"},
		{"explain with two keys", []string{"explain", "sim", "service"}, "explain: accepts at most 1 arg(s), received 2"},
		{"version with an argument", []string{"version", "x"}, `version: unknown command "x"`},
		{"run unknown flag", []string{"run", "--bogus-flag"}, "run: unknown flag: --bogus-flag"},
		{"check unknown flag", []string{"check", good, "--bogus-flag"}, "check: unknown flag: --bogus-flag"},
		{"validate unknown flag", []string{"validate", good, "--bogus-flag"}, "validate: unknown flag: --bogus-flag"},
		{"explain unknown flag", []string{"explain", "--bogus-flag"}, "explain: unknown flag: --bogus-flag"},
		{"root unknown flag", []string{"--bogus-flag"}, "unknown flag: --bogus-flag"},
		{"bad seed", []string{"check", good, "--seed", "abc"}, `invalid argument "abc" for "--seed" flag`},
		{"run --set without =", []string{"run", good, "--set", "nokey"}, "--set nokey: expected KEY=VALUE (for example --set service.api.replicas=5)"},
		{"run --set unknown key", []string{"run", good, "--set", "service.api.replicaz=3"}, `--set service.api.replicaz=3: unknown key "replicaz" in service.api (did you mean "replicas"?)`},
		{"check --set bad value", []string{"check", good, "--set", "service.api.replicas=many"}, "service.api.replicas"},
		{"validate --set unknown key", []string{"validate", good, "--set", "sim.durration=1m"}, `did you mean "duration"?`},
		{"run missing file", []string{"run", "no-such-scenario.toml"}, "no-such-scenario.toml: no such file, and no library scenario of that name"},
		{"check missing file", []string{"check", "no-such-scenario.toml"}, "1 scenario could not be checked"},
		{"validate missing file", []string{"validate", "no-such-scenario.toml"}, "no such file or directory"},
		{"run bad file", []string{"run", writeScenario(t, "[sim]\nduration = \n")}, ":2"},
		{"check --assert without operator", []string{"check", good, "--assert", "latency_ms.p99"}, `--assert "latency_ms.p99": want METRIC OP NUMBER with OP one of <=, >=, <, >, ==`},
		{"check --assert reversed operator", []string{"check", good, "--assert", "latency_ms.p99=<250"}, `--assert "latency_ms.p99=<250": want METRIC OP NUMBER`},
		{"check --assert not a number", []string{"check", good, "--assert", "latency_ms.p99<=fast"}, `want METRIC OP NUMBER`},
		{"check --assert unknown metric", []string{"check", good, "--assert", "latency_ms.p98<=250"}, `the summary has no figure "latency_ms.p98" (did you mean "latency_ms.p90"?)`},
		{"check bad tolerance", []string{"check", good, "--baseline", junk, "--tolerance", "five"}, `--tolerance "five": want a fraction >= 0 or a percentage, such as 0.05 or 5%`},
		{"check --update-baseline alone", []string{"check", good, "--update-baseline"}, "--update-baseline needs --baseline PATH"},
		{"check missing baseline", []string{"check", good, "--baseline", filepath.Join(junk, "none")}, "no baseline at " + filepath.Join(junk, "none", "s", "summary.json") + "; write one with --update-baseline"},
		{"explain unknown key", []string{"explain", "sim.durration"}, `sim has no key "durration" (did you mean "duration"?)`},
		{"run into a folder of other files", []string{"run", good, "--out", junk}, "the folder holds files that are not clustersim outputs"},
		{"run into the current folder", []string{"run", good, "--out", "."}, "name a folder for the outputs"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, stderr, code := run(t, tt.args...)
			if code != 2 {
				t.Errorf("exit %d, want 2\n%s", code, stderr)
			}
			if !strings.Contains(stderr, tt.want) {
				t.Errorf("stderr lacks %q:\n%s", tt.want, stderr)
			}
		})
	}
}

// TestVersionFlag: --version prints what `version` prints.
func TestVersionFlag(t *testing.T) {
	a, _, c1 := run(t, "version")
	b, _, c2 := run(t, "--version")
	if c1 != 0 || c2 != 0 || a != b || !strings.HasPrefix(a, "clustersim ") {
		t.Errorf("version: %d %q; --version: %d %q", c1, a, c2, b)
	}
}

// TestExplain: `explain KEY` prints the key's reference (golden files in
// testdata/explain-*.txt; rewrite with -update), `explain` the top-level
// tables.
func TestExplain(t *testing.T) {
	for _, key := range []string{"", "service.autoscaler.behavior", "service.api.autoscaler.target", "sim"} {
		name := key
		if name == "" {
			name = "top"
		}
		t.Run(name, func(t *testing.T) {
			args := []string{"explain"}
			if key != "" {
				args = append(args, key)
			}
			out, stderr, code := run(t, args...)
			if code != 0 {
				t.Fatalf("exit %d: %s", code, stderr)
			}
			checkGolden(t, "explain-"+name+".txt", out)
		})
	}
}

// checkGolden compares got with testdata/name, rewriting it with -update.
func checkGolden(t *testing.T, name, got string) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if *update {
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if got != string(want) {
		t.Errorf("output differs from %s (inspect, then rerun with -update):\n%s", path, got)
	}
}
