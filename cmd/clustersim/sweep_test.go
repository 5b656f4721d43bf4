package main_test

import (
	"bytes"
	"encoding/csv"
	"math"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// sweepScenario is an M/M/1 queue (one server, concurrency 1, unbounded
// queue) short enough for tests.
const sweepScenario = `
[sim]
name = "sweep-mm1"
duration = "10m"
warmup = "1m"
window = "30s"
seed = 11
[[workload]]
name = "clients"
target = "server"
rate = 80
service_time = { dist = "exponential", mean = "10ms" }
[[service]]
name = "server"
replicas = 1
concurrency = 1
cost_per_hour = 1
[[assert]]
name = "mean latency"
metric = "latency_ms.mean"
max = 1000
`

// readCSV returns the rows of a CSV file, header first.
func readCSV(t *testing.T, path string) [][]string {
	t.Helper()
	rows, err := csv.NewReader(bytes.NewReader(read(t, path))).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	return rows
}

// col returns the index of the named column.
func col(t *testing.T, header []string, name string) int {
	t.Helper()
	for i, h := range header {
		if h == name {
			return i
		}
	}
	t.Fatalf("no column %q in %v", name, header)
	return -1
}

func sweepOK(t *testing.T, args ...string) {
	t.Helper()
	if _, stderr, code := run(t, append([]string{"sweep"}, args...)...); code != 0 {
		t.Fatalf("sweep %v: exit %d: %s", args, code, stderr)
	}
}

// TestSweepParallelIsByteIdentical: every output of a sweep (CSV files,
// plan, plots, sweep.html) is the same byte for byte with one worker and
// with several.
func TestSweepParallelIsByteIdentical(t *testing.T) {
	file := writeScenario(t, sweepScenario)
	dir := t.TempDir()
	args := []string{file, "--param", "workload.clients.rate=40:80:20", "--param", "service.server.concurrency=1,2", "--seeds", "3", "--quiet"}
	sweepOK(t, append(args, "--parallel", "1", "--out", filepath.Join(dir, "p1"))...)
	sweepOK(t, append(args, "--parallel", "4", "--out", filepath.Join(dir, "p4"))...)
	a, b := tree(t, filepath.Join(dir, "p1")), tree(t, filepath.Join(dir, "p4"))
	if len(a) != len(b) {
		t.Fatalf("--parallel 1 wrote %d files, --parallel 4 %d", len(a), len(b))
	}
	for name, data := range a {
		if !bytes.Equal(data, b[name]) {
			t.Errorf("%s differs between --parallel 1 and --parallel 4", name)
		}
	}
	for _, f := range []string{"sweep.csv", "sweep-summary.csv", "sweep.html", "sweep.json", "pareto-cost-p99.png", "latency_ms.p99-vs-workload.clients.rate.png"} {
		if _, ok := a[f]; !ok {
			t.Errorf("no %s", f)
		}
	}
	rows := readCSV(t, filepath.Join(dir, "p1", "sweep.csv"))
	if len(rows) != 1+3*2*3 {
		t.Errorf("sweep.csv has %d rows, want 1 + 18", len(rows))
	}
	sum := readCSV(t, filepath.Join(dir, "p1", "sweep-summary.csv"))
	wantHead := []string{"workload.clients.rate", "service.server.concurrency", "requests.total.mean", "requests.total.ci95"}
	for i, h := range wantHead {
		if sum[0][i] != h {
			t.Errorf("sweep-summary.csv column %d = %q, want %q", i, sum[0][i], h)
		}
	}
	col(t, sum[0], "latency_ms.p99.mean")
	col(t, sum[0], "latency_ms.p99.ci95")
	col(t, sum[0], "assertions.mean latency.mean")
	if !strings.Contains(string(a["sweep.html"]), "common random numbers") {
		t.Error("sweep.html does not say the seeds are paired")
	}
}

// TestSweepShardsMerge: three shards merged are byte-identical to the
// sweep run in one piece; merge refuses an incomplete or mixed set.
func TestSweepShardsMerge(t *testing.T) {
	file := writeScenario(t, sweepScenario)
	dir := t.TempDir()
	args := []string{file, "--param", "workload.clients.rate=40,60,80", "--param", "sim.duration=5m", "--seeds", "2", "--quiet", "--parallel", "2"}
	sweepOK(t, append(args, "--out", filepath.Join(dir, "whole"))...)
	var parts []string
	for i := range 3 {
		p := filepath.Join(dir, "part-"+strconv.Itoa(i))
		parts = append(parts, p)
		sweepOK(t, append(args, "--shard", strconv.Itoa(i)+"/3", "--out", p)...)
	}
	if rows := readCSV(t, filepath.Join(parts[1], "sweep.csv")); len(rows) != 1+2 || rows[1][0] != "1" || rows[2][0] != "4" {
		t.Errorf("shard 1/3 of 6 runs holds %v, want runs 1 and 4", rows)
	}
	merged := filepath.Join(dir, "merged")
	// Parts in any order.
	if _, stderr, code := run(t, "merge", parts[2], parts[0], parts[1], "--out", merged, "--quiet"); code != 0 {
		t.Fatalf("merge: exit %d: %s", code, stderr)
	}
	a, b := tree(t, filepath.Join(dir, "whole")), tree(t, merged)
	if len(a) != len(b) {
		t.Errorf("the sweep wrote %d files, the merge %d", len(a), len(b))
	}
	for name, data := range a {
		if !bytes.Equal(data, b[name]) {
			t.Errorf("%s differs between the sweep and the merged shards", name)
		}
	}
	if _, stderr, code := run(t, "merge", parts[0], parts[1], "--out", filepath.Join(dir, "m2")); code != 2 || !strings.Contains(stderr, "missing shard(s) 2/3") {
		t.Errorf("merge of 2 of 3 shards: exit %d, %s", code, stderr)
	}
	other := filepath.Join(dir, "other")
	sweepOK(t, file, "--param", "workload.clients.rate=40,60,81", "--param", "sim.duration=5m", "--seeds", "2", "--quiet", "--shard", "2/3", "--out", other)
	if _, stderr, code := run(t, "merge", parts[0], parts[1], other, "--out", filepath.Join(dir, "m3")); code != 2 || !strings.Contains(stderr, "another sweep") {
		t.Errorf("merge of parts of two sweeps: exit %d, %s", code, stderr)
	}
}

// TestSweepSeedsPaired: seeds are common random numbers. Sweeping a key
// that changes nothing in the simulation (the server's price) gives, for
// each seed, the same requests and latencies at every grid point, and a
// cost exactly proportional to the price; different seeds give different
// draws.
func TestSweepSeedsPaired(t *testing.T) {
	file := writeScenario(t, sweepScenario)
	out := filepath.Join(t.TempDir(), "s")
	sweepOK(t, file, "--param", "service.server.cost_per_hour=1,3", "--seeds", "3", "--seed", "100", "--quiet", "--out", out)
	rows := readCSV(t, filepath.Join(out, "sweep.csv"))
	h := rows[0]
	seed, p99, total, cost := col(t, h, "seed"), col(t, h, "latency_ms.p99"), col(t, h, "requests.total"), col(t, h, "cost.total_usd")
	for k := range 3 {
		a, b := rows[1+k], rows[1+3+k]
		if a[seed] != strconv.Itoa(100+k) || b[seed] != a[seed] {
			t.Errorf("seed %d: rows have seeds %s and %s", k, a[seed], b[seed])
		}
		if a[p99] != b[p99] || a[total] != b[total] {
			t.Errorf("seed %s: p99 %s vs %s, requests %s vs %s: not paired", a[seed], a[p99], b[p99], a[total], b[total])
		}
		ca, _ := strconv.ParseFloat(a[cost], 64)
		cb, _ := strconv.ParseFloat(b[cost], 64)
		if math.Abs(cb-3*ca) > 2e-4 {
			t.Errorf("seed %s: cost %v at price 3, %v at price 1", a[seed], cb, ca)
		}
	}
	if rows[1][p99] == rows[2][p99] {
		t.Error("seeds 100 and 101 gave the same p99: the seed is not applied")
	}
}

// TestSweepMatchesTheory: across seeds, the 95% confidence interval of
// an M/M/1 queue's p50 and p99 latency covers the theoretical values
// (Kleinrock, Queueing Systems Vol. 1, §3.2: sojourn time exponential
// with rate mu - lambda; at lambda = 50/s, mu = 100/s: p50 = ln 2 / 50 =
// 13.86 ms, p99 = ln 100 / 50 = 92.10 ms), and each row is the same as
// the single `clustersim run` of its parameters and seed.
func TestSweepMatchesTheory(t *testing.T) {
	file := writeScenario(t, sweepScenario)
	dir := t.TempDir()
	out := filepath.Join(dir, "s")
	sweepOK(t, file, "--param", "workload.clients.rate=50", "--param", "sim.duration=40m", "--seeds", "8", "--quiet", "--out", out)
	sum := readCSV(t, filepath.Join(out, "sweep-summary.csv"))
	for _, c := range []struct {
		fig  string
		want float64
	}{{"latency_ms.p50", 1000 * math.Ln2 / 50}, {"latency_ms.p99", 1000 * math.Log(100) / 50}} {
		m, _ := strconv.ParseFloat(sum[1][col(t, sum[0], c.fig+".mean")], 64)
		ci, _ := strconv.ParseFloat(sum[1][col(t, sum[0], c.fig+".ci95")], 64)
		if ci <= 0 || math.Abs(m-c.want) > ci {
			t.Errorf("%s: %.3f ± %.3f does not cover the theoretical %.3f", c.fig, m, ci, c.want)
		}
	}
	// Run 5 (seed 11+5) on its own.
	single := filepath.Join(dir, "single")
	if _, stderr, code := run(t, "run", file, "--set", "workload.clients.rate=50", "--set", "sim.duration=40m", "--seed", "16", "--quiet", "--out", single); code != 0 {
		t.Fatalf("run: %s", stderr)
	}
	rows := readCSV(t, filepath.Join(out, "sweep.csv"))
	js := string(read(t, filepath.Join(single, "summary.json")))
	for _, f := range []string{"latency_ms.p99", "requests.total"} {
		v := rows[6][col(t, rows[0], f)]
		if !strings.Contains(js, `"`+f[strings.LastIndexByte(f, '.')+1:]+`": `+v+",") {
			t.Errorf("run 5 %s = %s is not in the single run's summary.json", f, v)
		}
	}
}

// TestSweepBadInput: bad parameters fail before any run with exit 2.
func TestSweepBadInput(t *testing.T) {
	file := writeScenario(t, sweepScenario)
	out := filepath.Join(t.TempDir(), "s")
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"--param", "workload.clients.rat=1,2"}, `unknown key "rat"`},
		{[]string{"--param", "workload.clients.rate=-5,5"}, "rate"},
		{[]string{"--param", "workload.clients.rate=1:2:0"}, "step"},
		{[]string{"--param", "sim.seed=1,2"}, "--seeds"},
		{[]string{}, "at least one --param"},
		{[]string{"--param", "workload.clients.rate=1", "--shard", "3/3"}, "--shard"},
		{[]string{"--param", "workload.clients.rate=1", "--seeds", "0"}, "at least one seed"},
	} {
		_, stderr, code := run(t, append([]string{"sweep", file, "--out", out, "--quiet"}, tc.args...)...)
		if code != 2 || !strings.Contains(stderr, tc.want) {
			t.Errorf("sweep %v: exit %d, stderr %q; want exit 2 mentioning %q", tc.args, code, stderr, tc.want)
		}
		if _, err := os.Stat(out); err == nil {
			t.Errorf("sweep %v left %s behind", tc.args, out)
		}
	}
}

// TestSweepVariantAndKeepRuns: a scenario with variants is swept one
// variant at a time, and --keep-runs keeps every run's full outputs,
// whose summary.json agrees with its sweep.csv row.
func TestSweepVariantAndKeepRuns(t *testing.T) {
	file := writeScenario(t, sweepScenario+`
[[variant]]
name = "one"
[[variant]]
name = "two"
set = ["service.server.concurrency=2"]
`)
	dir := t.TempDir()
	if _, stderr, code := run(t, "sweep", file, "--param", "workload.clients.rate=40", "--out", filepath.Join(dir, "x")); code != 2 || !strings.Contains(stderr, "--variant NAME (variants: one, two)") {
		t.Errorf("sweep of a variant scenario without --variant: exit %d, %s", code, stderr)
	}
	if _, stderr, code := run(t, "sweep", file, "--variant", "three", "--param", "workload.clients.rate=40", "--out", filepath.Join(dir, "x")); code != 2 || !strings.Contains(stderr, "no such variant") {
		t.Errorf("--variant three: exit %d, %s", code, stderr)
	}
	job, stderr, code := run(t, "sweep", file, "--variant", "two", "--param", "workload.clients.rate=40", "--emit-job")
	if code != 0 || !strings.Contains(job, "- \"--variant\"\n            - \"two\"\n") {
		t.Errorf("--emit-job does not pass --variant to the pods (exit %d, %s):\n%s", code, stderr, job)
	}
	out := filepath.Join(dir, "s")
	sweepOK(t, file, "--variant", "two", "--param", "workload.clients.rate=40,60", "--param", "sim.duration=3m", "--seeds", "2", "--keep-runs", "--quiet", "--out", out)
	rows := readCSV(t, filepath.Join(out, "sweep.csv"))
	for r := range 4 {
		js := string(read(t, filepath.Join(out, "runs", strconv.Itoa(r), "summary.json")))
		total := rows[1+r][col(t, rows[0], "requests.total")]
		if !strings.Contains(js, `"total": `+total+",") {
			t.Errorf("run %d: requests.total %s is not in runs/%d/summary.json", r, total, r)
		}
	}
}
