package main_test

import (
	"bytes"
	"encoding/csv"
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// pairedScenario compares four policies on two open-loop workloads. The
// fleet is small enough that the policies' outcomes differ.
const pairedScenario = `
[sim]
name = "paired"
duration = "3m"
window = "10s"
seed = 5

[[workload]]
name = "shoppers"
target = "api"
rate = 150
schedule = [{ at = "1m", rate = 400, ramp = "10s" }]
service_time = { dist = "lognormal", mean = "40ms", p99 = "150ms" }
timeout = "2s"

[[workload]]
name = "batch"
target = "api"
arrival = "constant"
rate = 20
service_time = { dist = "exponential", mean = "20ms" }

[[service]]
name = "api"
replicas = 2
concurrency = 4
queue = 10
startup = "5s"
autoscaler = { kind = "hpa", metric = "cpu", target = 0.7, min = 2, max = 10 }

[[variant]]
name = "hpa70"

[[variant]]
name = "fixed"
set = ["service.api.autoscaler.kind=none"]

[[variant]]
name = "hpa40-p2c"
set = ["service.api.autoscaler.target=0.4", "service.api.balancer.algorithm=p2c"]

[[variant]]
name = "big"
set = ["service.api.replicas=8", "service.api.autoscaler={ kind = \"hpa\", metric = \"cpu\", target = 0.5, min = 8, max = 12 }"]

[[assert]]
name = "p99 under 2 s"
metric = "latency_ms.p99"
max = 2000

[[assert]]
name = "a fixed fleet of 2 rejects nothing"
variant = "fixed"
metric = "requests.rejected"
max = 0
`

// column returns a timeseries.csv column as strings.
func column(t *testing.T, path, name string) []string {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows, err := csv.NewReader(f).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	i := -1
	for j, h := range rows[0] {
		if h == name {
			i = j
		}
	}
	if i < 0 {
		t.Fatalf("%s has no column %s", path, name)
	}
	var col []string
	for _, r := range rows[1:] {
		col = append(col, r[i])
	}
	return col
}

// TestVariantsArePaired: every variant sees the same arrivals, whatever
// its policy does. Arrival counts per window (api.rps, the requests
// arriving at the service, which here are exactly the open-loop workloads'
// arrivals) are byte-identical across variants, while the outcomes
// (errors, replicas) differ.
func TestVariantsArePaired(t *testing.T) {
	out := t.TempDir()
	file := writeScenario(t, pairedScenario)
	stdout, stderr, code := run(t, "run", file, "--out", out)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	variants := []string{"hpa70", "fixed", "hpa40-p2c", "big"}
	for _, v := range variants {
		if !strings.Contains(stdout, v) {
			t.Errorf("stdout does not list variant %s:\n%s", v, stdout)
		}
		for _, f := range []string{"summary.json", "timeseries.csv", "report.html", "latency.png", "replicas.svg"} {
			if _, err := os.Stat(filepath.Join(out, v, f)); err != nil {
				t.Errorf("variant %s: missing %s", v, f)
			}
		}
	}
	ref := column(t, filepath.Join(out, "hpa70", "timeseries.csv"), "api.rps")
	distinct := map[string]bool{}
	for _, v := range variants {
		ts := filepath.Join(out, v, "timeseries.csv")
		if got := column(t, ts, "api.rps"); strings.Join(got, ",") != strings.Join(ref, ",") {
			t.Errorf("variant %s saw different arrivals per window:\n got %v\nwant %v", v, got, ref)
		}
		distinct[strings.Join(column(t, ts, "api.replicas_ready"), ",")+"|"+strings.Join(column(t, ts, "api.errors"), ",")] = true
	}
	if len(distinct) < 3 {
		t.Errorf("the variants' outcomes hardly differ (%d distinct): the test would not see a pairing defect", len(distinct))
	}
	rows := strings.Split(strings.TrimSpace(string(read(t, filepath.Join(out, "compare.csv")))), "\n")
	if len(rows) != 1+len(variants) || !strings.HasPrefix(rows[0], "variant,requests,errors,") {
		t.Fatalf("compare.csv:\n%s", strings.Join(rows, "\n"))
	}
	for i, r := range rows[1:] {
		if name, _, _ := strings.Cut(r, ","); name != variants[i] {
			t.Errorf("compare.csv row %d is %s, want %s", i+1, name, variants[i])
		}
	}
	html := string(read(t, filepath.Join(out, "compare.html")))
	for _, v := range variants {
		if !strings.Contains(html, ">"+v+"<") {
			t.Errorf("compare.html does not show %s", v)
		}
	}
}

// tree returns every file under dir with its contents.
func tree(t *testing.T, dir string) map[string][]byte {
	t.Helper()
	files := map[string][]byte{}
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		rel, _ := filepath.Rel(dir, p)
		files[rel] = read(t, p)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return files
}

// TestVariantsParallelIsByteIdentical: running variants at once changes
// no output byte, in any variant's folder or in the comparison.
func TestVariantsParallelIsByteIdentical(t *testing.T) {
	file := writeScenario(t, pairedScenario)
	a, b := t.TempDir(), t.TempDir()
	for _, x := range []struct{ dir, j string }{{a, "1"}, {b, "4"}} {
		if _, stderr, code := run(t, "run", file, "--out", x.dir, "--quiet", "--parallel", x.j); code != 0 {
			t.Fatalf("-j %s: exit %d: %s", x.j, code, stderr)
		}
	}
	ta, tb := tree(t, a), tree(t, b)
	if len(ta) != len(tb) || len(ta) < 4*5+2 {
		t.Fatalf("file counts differ or are too few: %d vs %d", len(ta), len(tb))
	}
	for name, data := range ta {
		if !bytes.Equal(data, tb[name]) {
			t.Errorf("%s differs between --parallel 1 and 4", name)
		}
	}
}

// TestCheckVariants: check evaluates the assertions per variant, names
// the variant in each, applies a variant's own assertion to it alone, and
// exits 1 when one fails.
func TestCheckVariants(t *testing.T) {
	file := writeScenario(t, pairedScenario)
	out := t.TempDir()
	stdout, stderr, code := run(t, "check", file, "--out", out)
	if code != 1 {
		t.Fatalf("exit %d, want 1\n%s%s", code, stdout, stderr)
	}
	for _, v := range []string{"hpa70", "fixed", "hpa40-p2c", "big"} {
		if !strings.Contains(stdout, v+": p99 under 2 s") {
			t.Errorf("no p99 assertion for %s:\n%s", v, stdout)
		}
	}
	if n := strings.Count(stdout, "a fixed fleet of 2 rejects nothing"); n != 1 || !strings.Contains(stdout, "FAIL") ||
		!strings.Contains(stdout, "fixed: a fixed fleet of 2 rejects nothing") {
		t.Errorf("the fixed variant's assertion should appear once, failing:\n%s", stdout)
	}
	if _, err := os.Stat(filepath.Join(out, "s", "fixed", "summary.json")); err != nil {
		t.Errorf("check --out should keep each variant's outputs in OUT/SCENARIO/VARIANT: %v", err)
	}
}

// TestBadVariant: a bad override in a variant is bad input (exit 2),
// located at its line in the file, and nothing is written.
func TestBadVariant(t *testing.T) {
	src := pairedScenario + `
[[variant]]
name = "typo"
set = ["service.api.autoscaler.targt=0.5"]
`
	file := writeScenario(t, src)
	line := strings.Count(src[:strings.Index(src, "targt")], "\n") + 1
	out := filepath.Join(t.TempDir(), "out")
	_, stderr, code := run(t, "run", file, "--out", out)
	if code != 2 {
		t.Fatalf("exit %d, want 2: %s", code, stderr)
	}
	want := fmt.Sprintf(`%s:%d: variant.typo.set[0]: unknown key "targt" in service.api.autoscaler (did you mean "target"?)`, file, line)
	if !strings.Contains(stderr, want) {
		t.Errorf("stderr:\n%s\nwant:\n%s", stderr, want)
	}
	if _, err := os.Stat(out); err == nil {
		t.Errorf("outputs written for an invalid scenario")
	}
}

// TestCompareCommand: compare reads existing output folders; a folder
// without summary.json, or fewer than two folders, is bad input (exit 2).
func TestCompareCommand(t *testing.T) {
	runs := t.TempDir()
	file := writeScenario(t, pairedScenario)
	if _, stderr, code := run(t, "run", file, "--out", runs, "--quiet"); code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	out := filepath.Join(t.TempDir(), "cmp")
	stdout, stderr, code := run(t, "compare", filepath.Join(runs, "big"), filepath.Join(runs, "fixed"), "--out", out)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	if !strings.Contains(stdout, "compare.html") {
		t.Errorf("stdout should name compare.html:\n%s", stdout)
	}
	got := string(read(t, filepath.Join(out, "compare.csv")))
	// The same folders compared by run and by compare give the same rows.
	all := strings.Split(string(read(t, filepath.Join(runs, "compare.csv"))), "\n")
	if want := all[0] + "\n" + all[4] + "\n" + all[2] + "\n"; got != want {
		t.Errorf("compare.csv:\n%s\nwant:\n%s", got, want)
	}
	for _, tt := range []struct {
		name string
		args []string
		want string
	}{
		{"no summary", []string{"compare", filepath.Join(runs, "big"), t.TempDir()}, "no summary.json"},
		{"one folder", []string{"compare", filepath.Join(runs, "big")}, "at least two output folders"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			_, stderr, code := run(t, tt.args...)
			if code != 2 || !strings.Contains(stderr, tt.want) {
				t.Errorf("exit %d, stderr %q; want 2 and %q", code, stderr, tt.want)
			}
		})
	}
}

// TestVariantOutputsAreOneSet: a variant that fails leaves the output
// folder as an earlier run left it, and a later run into the same folder
// replaces the earlier variants' folders, so that it holds one run's
// outputs only.
func TestVariantOutputsAreOneSet(t *testing.T) {
	if _, err := exec.LookPath("sh"); err != nil {
		t.Skip("no sh")
	}
	out := filepath.Join(t.TempDir(), "out")
	if _, stderr, code := run(t, "run", writeScenario(t, pairedScenario), "--out", out, "--quiet"); code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	before := tree(t, out)
	broken := pairedScenario + `
[[variant]]
name = "crash"
set = ['service.api.autoscaler={ kind = "external", command = ["sh", "-c", "read line; exit 3"], min = 1, max = 5 }']
`
	if _, stderr, code := run(t, "run", writeScenario(t, broken), "--out", out, "--quiet"); code != 1 || !strings.Contains(stderr, "variant crash") {
		t.Fatalf("exit %d, want 1 naming the variant: %s", code, stderr)
	}
	after := tree(t, out)
	if len(after) != len(before) {
		t.Errorf("a failed run changed the folder: %d files, was %d", len(after), len(before))
	}
	for name, data := range before {
		if !bytes.Equal(data, after[name]) {
			t.Errorf("a failed run changed %s", name)
		}
	}
	if entries, _ := os.ReadDir(filepath.Dir(out)); len(entries) != 1 {
		t.Errorf("staging left behind: %v", entries)
	}
	fewer := strings.Replace(pairedScenario, "[[variant]]\nname = \"big\"", "[[variant]]\nname = \"huge\"", 1)
	if _, stderr, code := run(t, "run", writeScenario(t, fewer), "--out", out, "--quiet"); code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	if _, err := os.Stat(filepath.Join(out, "big")); err == nil {
		t.Errorf("the earlier run's variant folder big is still there")
	}
	if _, err := os.Stat(filepath.Join(out, "huge", "summary.json")); err != nil {
		t.Errorf("the new variant's folder is missing: %v", err)
	}
}
