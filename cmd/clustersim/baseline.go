package main

import (
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"text/tabwriter"

	"github.com/clustersim/clustersim/reports"
	"github.com/clustersim/clustersim/sim/assertion"
)

// baselineMetrics are the summary.json figures compared with a baseline,
// in print order; for each, higher is worse. A figure missing or null on
// either side (requests.error_ratio in older summaries, a percentile of a
// run with no success) is not compared.
var baselineMetrics = []string{
	"latency_ms.p50", "latency_ms.p90", "latency_ms.p95", "latency_ms.p99", "latency_ms.p999",
	"requests.error_ratio",
	"cost.total_usd",
}

// parseTolerance reads "5%" or "0.05" as the fraction 0.05.
func parseTolerance(s string) (float64, error) {
	t := strings.TrimSpace(s)
	div := 1.0
	if strings.HasSuffix(t, "%") {
		t, div = strings.TrimSuffix(t, "%"), 100
	}
	v, err := strconv.ParseFloat(strings.TrimSpace(t), 64)
	if err != nil || v < 0 || math.IsInf(v, 0) || math.IsNaN(v) {
		return 0, fmt.Errorf("--tolerance %q: want a fraction >= 0 or a percentage, such as 0.05 or 5%%", s)
	}
	return v / div, nil
}

// baselineFile is where the baseline of the scenario with output-folder
// name name lives under --baseline path: path itself when it is a file
// (or ends in .json), path/summary.json when path is one run's output
// folder and only one scenario is checked, else path/NAME/summary.json (a
// folder written by `check --out`).
func baselineFile(path, name string, scenarios int) string {
	if strings.HasSuffix(path, ".json") {
		return path
	}
	if info, err := os.Stat(path); err == nil && !info.IsDir() {
		return path
	}
	if scenarios == 1 {
		if _, err := os.Stat(filepath.Join(path, "summary.json")); err == nil {
			return filepath.Join(path, "summary.json")
		}
	}
	return filepath.Join(path, name, "summary.json")
}

// comparison is one figure of a run against its baseline.
type comparison struct {
	metric        string
	before, after float64
	regressed     bool
}

// compareBaseline compares a run's summary with its baseline's, both as
// summary.json bytes: a figure regresses when it grew by more than tol
// (a fraction of the baseline figure), or when the baseline had it and
// this run has none (a latency with no successful request is null). A
// figure the baseline lacks is not compared.
func compareBaseline(before, after []byte, tol float64) ([]comparison, error) {
	b, err := assertion.FlattenJSON(before)
	if err != nil {
		return nil, fmt.Errorf("reading the baseline: %w", err)
	}
	a, err := assertion.FlattenJSON(after)
	if err != nil {
		return nil, err
	}
	var out []comparison
	for _, m := range baselineMetrics {
		bv, okb := b[m]
		av, oka := a[m]
		if !okb {
			continue
		}
		if !oka {
			out = append(out, comparison{metric: m, before: bv, after: math.NaN(), regressed: true})
			continue
		}
		out = append(out, comparison{metric: m, before: bv, after: av, regressed: av > bv*(1+tol) && av > bv})
	}
	return out, nil
}

// change renders after relative to before: "+12.3%", "-4%", "0%", or
// "new" when before is 0.
func change(before, after float64) string {
	switch {
	case math.IsNaN(after):
		return "missing"
	case before == after:
		return "0%"
	case before == 0:
		return "new"
	}
	s := reports.FormatSig(100*(after-before)/before) + "%"
	if after > before {
		s = "+" + s
	}
	return s
}

// formatAfter renders a run's figure, "missing" for none.
func formatAfter(v float64) string {
	if math.IsNaN(v) {
		return "missing"
	}
	return reports.FormatSig(v)
}

// baselineResult is one scenario's baseline outcome.
type baselineResult struct {
	file        string // the baseline summary.json
	comparisons []comparison
	updated     bool // --update-baseline wrote it
	err         error
}

// checkBaseline compares (or, with update, replaces) the baseline of one
// checked scenario whose summary.json bytes are sum.
func checkBaseline(file string, sum []byte, tol float64, update bool) baselineResult {
	r := baselineResult{file: file}
	if update {
		if err := os.MkdirAll(filepath.Dir(file), 0o755); err != nil {
			r.err = err
			return r
		}
		r.err = reports.WriteFileAtomic(file, sum)
		r.updated = r.err == nil
		return r
	}
	before, err := os.ReadFile(file)
	if errors.Is(err, os.ErrNotExist) {
		r.err = badInput(fmt.Errorf("no baseline at %s; write one with --update-baseline", file))
		return r
	}
	if err != nil {
		r.err = badInput(err)
		return r
	}
	r.comparisons, r.err = compareBaseline(before, sum, tol)
	if r.err != nil {
		r.err = badInput(fmt.Errorf("%s: %w", file, r.err))
	}
	return r
}

// printBaselines prints the before/after table of every compared
// scenario and returns the number of regressions.
func printBaselines(w io.Writer, all []checked, tol float64, quiet bool) int {
	regressions := 0
	tw := tabwriter.NewWriter(w, 2, 4, 2, ' ', 0)
	header := false
	for _, c := range all {
		if c.baseline == nil {
			continue
		}
		if c.baseline.updated {
			fmt.Fprintf(w, "baseline updated: %s\n", c.baseline.file)
			continue
		}
		for _, cmp := range c.baseline.comparisons {
			res := "ok"
			if cmp.regressed {
				res = "REGRESSED"
				regressions++
			} else if quiet {
				continue
			}
			if !header {
				fmt.Fprintf(w, "\nbaseline comparison (tolerance %s%%):\n", reports.FormatSig(100*tol))
				fmt.Fprintln(tw, "BASELINE\tSCENARIO\tMETRIC\tBEFORE\tAFTER\tCHANGE")
				header = true
			}
			fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\n", res, c.file, cmp.metric,
				reports.FormatSig(cmp.before), formatAfter(cmp.after), change(cmp.before, cmp.after))
		}
	}
	tw.Flush()
	return regressions
}
