package main_test

import (
	"bytes"
	"encoding/csv"
	"math"
	"path/filepath"
	"slices"
	"strconv"
	"testing"
)

// TestCostCrossoverSweep runs the sweep cost-crossover.toml documents at
// the two rates around the crossover: by hand (the scenario's opening
// comment) a function request of 50 ms (exponential) costs 0.0505 s
// billed (the half millisecond of rounding up) × 0.5 GB × $0.0000166667
// + $0.0000002 = $0.00000062083, so a half hour at r req/s costs r ×
// 1,800 × that: $0.14304 at 128 and $0.14416 at 129 (cold starts add a
// little), against the instances' fixed $0.144. The swept means must be
// within 1% of the hand figures and bracket $0.144.
func TestCostCrossoverSweep(t *testing.T) {
	if testing.Short() {
		t.Skip("runs a 6-run sweep")
	}
	out := t.TempDir()
	if _, stderr, code := run(t, "sweep", "../../scenarios/cost-crossover.toml", "--variant", "function-steady",
		"--param", "workload.users.rate=128,129", "--seeds", "3", "--out", out); code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	rows, err := csv.NewReader(bytes.NewReader(read(t, filepath.Join(out, "sweep-summary.csv")))).ReadAll()
	if err != nil || len(rows) != 3 {
		t.Fatalf("sweep-summary.csv: %d rows, %v", len(rows), err)
	}
	col := slices.Index(rows[0], "cost.total_usd.mean")
	if col < 0 {
		t.Fatalf("no cost.total_usd.mean in %v", rows[0])
	}
	var got []float64
	for i, hand := range []float64{128 * 1800 * 0.00000062083, 129 * 1800 * 0.00000062083} {
		v, err := strconv.ParseFloat(rows[i+1][col], 64)
		if err != nil || math.Abs(v-hand) > 0.01*hand {
			t.Errorf("rate %s: cost %q, want %.5f ± 1%%", rows[i+1][0], rows[i+1][col], hand)
		}
		got = append(got, v)
	}
	if len(got) == 2 && !(got[0] < 0.144 && got[1] > 0.144) {
		t.Errorf("costs %v do not bracket the instances' $0.144", got)
	}
}
