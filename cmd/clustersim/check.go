package main

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"sync"
	"text/tabwriter"
	"time"

	"github.com/spf13/cobra"

	"github.com/clustersim/clustersim/reports"
	"github.com/clustersim/clustersim/sim/results"
)

// CheckOptions are the flags of `clustersim check`.
type CheckOptions struct {
	Scenarios      []string
	OutDir         string // keep each run's outputs in OutDir/NAME; "" for a temporary directory
	Seed           uint64
	SeedSet        bool
	Sets           []string
	Asserts        []string // --assert METRIC OP NUMBER, added to every scenario
	JUnit          string   // write a JUnit XML report here
	Baseline       string   // summary.json, or a folder of them, to compare with
	Tolerance      string   // allowed growth of a baseline figure: "5%" or "0.05"
	UpdateBaseline bool     // write the baseline instead of comparing
	Quiet          bool     // print only failures and errors
	Parallel       int      // scenarios run at once
	OutSet         bool     // --out was given (an empty one is an error, not "discard")
	JUnitSet       bool     // --junit was given

	limits *limitFlags // the resource-limit flags; nil for their defaults
}

func newCmdCheck(f *factory) *cobra.Command {
	opts := &CheckOptions{}
	cmd := &cobra.Command{
		Use:   "check SCENARIO...",
		Short: "Run scenarios and evaluate their [[assert]] blocks and baselines (for CI)",
		Long: `Check runs each scenario, evaluates its [[assert]] blocks against the run's
summary (metric = a dotted summary.json path such as latency_ms.p99 or
services.api.replicas.max, with max and/or min), prints a pass/fail table
with each measured value and limit, and records the results in
summary.json's "assertions". --assert adds an assertion to every scenario
from the command line: METRIC OP NUMBER with OP one of <=, >=, <, >, ==.

With --baseline, each run's latency percentiles, error ratio and cost are
compared with a stored summary.json: a figure that grew by more than
--tolerance is a regression. PATH is a summary.json file (one scenario),
one run's output folder, or a folder written by an earlier check --out
(PATH/NAME/summary.json). --update-baseline writes the baselines instead.

With --out DIR each scenario's outputs go to DIR/NAME, NAME being the file
name without ".toml"; when several scenarios share a name, the first keeps
it and the others get NAME-2, NAME-3, ... in argument order. Under GitHub
Actions (GITHUB_ACTIONS=true) each failing assertion is also printed as an
::error annotation on its [[assert]] line.

Exit status: 0 when every assertion holds and nothing regressed; 2 when a
scenario or baseline is bad input (cannot be read, is invalid) or the
command line is wrong; else 1 when a run failed (as run exits 1), an
assertion failed or a figure regressed; 130 or 143 when interrupted by
SIGINT or SIGTERM.`,
		Example: `  clustersim check scenarios/*.toml
  clustersim check flash-sale.toml --set service.api.autoscaler.target=0.4 --junit report.xml
  clustersim check scenarios/spike.toml --assert 'latency_ms.p99<=250' --assert 'requests.rejected==0'
  clustersim check scenarios/*.toml --baseline ci/baseline --tolerance 5%
  clustersim check scenarios/*.toml --baseline ci/baseline --update-baseline`,
		Args: cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.Scenarios = args
			opts.SeedSet = cmd.Flags().Changed("seed")
			opts.OutSet = cmd.Flags().Changed("out")
			opts.JUnitSet = cmd.Flags().Changed("junit")
			return checkRun(f, opts)
		},
	}
	fl := cmd.Flags()
	fl.StringVarP(&opts.OutDir, "out", "o", "", "keep each scenario's outputs in DIR/NAME (default: discard)")
	fl.Var(seedValue{&opts.Seed}, "seed", "random seed, 0 to 2^63-1 (overrides sim.seed)")
	fl.StringArrayVar(&opts.Sets, "set", nil, "override a scenario key (repeatable)")
	fl.StringArrayVar(&opts.Asserts, "assert", nil, "add an assertion, e.g. 'latency_ms.p99<=250' (repeatable)")
	fl.StringVar(&opts.JUnit, "junit", "", "write a JUnit XML report to this file")
	fl.StringVar(&opts.Baseline, "baseline", "", "compare with this summary.json or folder of them")
	fl.StringVar(&opts.Tolerance, "tolerance", "5%", "allowed growth of a baseline figure before it is a regression")
	fl.BoolVar(&opts.UpdateBaseline, "update-baseline", false, "write this run's summaries as the baseline instead of comparing")
	fl.BoolVarP(&opts.Quiet, "quiet", "q", false, "print only failing assertions and errors")
	fl.IntVarP(&opts.Parallel, "parallel", "j", runtime.NumCPU(), "scenarios to run at once (results do not depend on it)")
	return cmd
}

// checked is one scenario's outcome.
type checked struct {
	file       string // as given on the command line
	source     string // the scenario file annotations point at
	scenario   string // sim.name
	seed       uint64
	wall       time.Duration
	assertions []results.Assertion
	lines      map[string]int // [[assert]] line by assertion name
	baseline   *baselineResult
	err        error
}

func checkRun(f *factory, opts *CheckOptions) error {
	if opts.limits == nil {
		opts.limits = f.limits
	}
	if err := checkParallel(opts.Parallel); err != nil {
		return err
	}
	if opts.OutDir != "" || opts.OutSet {
		if err := checkOutFlag(opts.OutDir, false); err != nil {
			return err
		}
	}
	if err := checkJUnitFlag(opts.JUnit, opts.JUnitSet || opts.JUnit != ""); err != nil {
		return err
	}
	tol, err := parseTolerance(opts.Tolerance)
	if err != nil {
		return badInput(err)
	}
	if opts.UpdateBaseline && opts.Baseline == "" {
		return badInput(errors.New("--update-baseline needs --baseline PATH"))
	}
	for _, e := range opts.Asserts {
		if _, err := parseAssert(e); err != nil {
			return err
		}
	}
	sets := opts.Sets
	if opts.SeedSet {
		sets = append(append([]string(nil), sets...), "sim.seed="+strconv.FormatUint(opts.Seed, 10))
	}
	// Each scenario is an independent single-threaded simulation, so
	// running several at once changes nothing but the wall time.
	all := make([]checked, len(opts.Scenarios))
	names := checkDirNames(opts.Scenarios)
	jobs := make(chan int)
	var wg sync.WaitGroup
	for range max(opts.Parallel, 1) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range jobs {
				if interrupts.interrupted() {
					continue // start nothing new
				}
				all[i] = checkOne(opts, i, sets, names[i], tol)
			}
		}()
	}
	for i := range opts.Scenarios {
		jobs <- i
	}
	close(jobs)
	wg.Wait()
	if err := interrupts.err(); err != nil {
		return err // no table, no JUnit file, no baseline of a cut-short check
	}

	failed, broken, bad, total := 0, 0, 0, 0
	tw := tabwriter.NewWriter(f.out, 2, 4, 2, ' ', 0)
	if !opts.Quiet {
		fmt.Fprintln(tw, "RESULT\tSCENARIO\tASSERTION\tMETRIC\tVALUE\tLIMIT")
	}
	for _, c := range all {
		if c.err != nil {
			broken++
			if exitCode(c.err) == 2 {
				bad++
			}
			fmt.Fprintf(tw, "ERROR\t%s\t-\t-\t-\t-\n", c.file)
			continue
		}
		if len(c.assertions) == 0 && !opts.Quiet {
			fmt.Fprintf(tw, "-\t%s\t(no assertions)\t-\t-\t-\n", c.file)
		}
		for _, a := range c.assertions {
			total++
			res := "PASS"
			if !a.OK {
				res = "FAIL"
				failed++
			} else if opts.Quiet {
				continue
			}
			fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\n", res, c.file, a.Name, a.Metric, reports.FormatAssertionValue(a), a.Limit)
		}
	}
	tw.Flush()
	regressions := printBaselines(f.out, all, tol, opts.Quiet)
	if f.getenv("GITHUB_ACTIONS") == "true" {
		printAnnotations(f.out, all)
	}
	for _, c := range all {
		if c.err != nil {
			fmt.Fprintln(f.errOut, c.err)
		}
	}
	if opts.JUnit != "" {
		if err := writeJUnit(opts.JUnit, all); err != nil {
			return err
		}
	}
	// The exit status is the worst a scenario's `run` would give (2 bad
	// input, 1 a failed run) combined with the assertions' and
	// baselines' (1): 2 when any scenario or baseline could not be read,
	// else 1 when any run failed, an assertion failed or a figure
	// regressed.
	switch {
	case bad > 0:
		return badInput(errors.New(plural(broken, "scenario") + " could not be checked"))
	case broken > 0:
		msg := plural(broken, "scenario") + " failed to run"
		if failed > 0 {
			msg += " and " + plural(failed, "assertion") + " failed"
		}
		return errors.New(msg)
	case failed > 0 && regressions > 0:
		return fmt.Errorf("%s failed and %s regressed", plural(failed, "assertion"), plural(regressions, "figure"))
	case failed > 0:
		return errors.New(plural(failed, "assertion") + " failed")
	case regressions > 0:
		return fmt.Errorf("%s regressed beyond the %s%% tolerance", plural(regressions, "figure"), reports.FormatSig(100*tol))
	}
	if !opts.Quiet {
		if total == 0 {
			fmt.Fprintln(f.out, "no assertions")
		} else {
			fmt.Fprintf(f.out, "all %s hold\n", plural(total, "assertion"))
		}
	}
	return nil
}

// checkOne runs scenario i, keeping its outputs in opts.OutDir/name (see
// checkDirNames) or discarding them, and compares it with its baseline.
func checkOne(opts *CheckOptions, i int, sets []string, name string, tol float64) checked {
	file := opts.Scenarios[i]
	c := checked{file: file, source: file}
	sc, err := loadScenario(file, sets, opts.limits)
	if err != nil {
		c.err = badInput(err)
		return c
	}
	shown, err := addAsserts(sc, opts.Asserts)
	if err != nil {
		c.err = badInput(fmt.Errorf("%s: %w", file, err))
		return c
	}
	if sc.File != "" {
		c.source = sc.File
	}
	c.lines = map[string]int{}
	for _, a := range sc.Asserts {
		if _, dup := c.lines[a.Name]; !dup {
			c.lines[a.Name] = a.Line
		}
	}
	dir := ""
	if opts.OutDir != "" {
		dir = filepath.Join(opts.OutDir, name)
	} else {
		tmp, err := os.MkdirTemp("", "clustersim-check-")
		if err != nil {
			c.err = err
			return c
		}
		defer os.RemoveAll(tmp)
		defer interrupts.track(tmp)()
		dir = filepath.Join(tmp, name)
	}
	start := time.Now()
	if len(sc.Variants) > 0 {
		c.assertions, c.err = checkVariants(sc, dir, shown, opts.limits)
		c.wall = time.Since(start)
		c.scenario, c.seed = sc.Sim.Name, sc.Sim.Seed
		if c.err != nil {
			c.err = fmt.Errorf("%s: %w", file, c.err)
		}
		return c
	}
	res, err := execute(sc, dir, nil, shown, opts.limits)
	c.wall = time.Since(start)
	if err != nil {
		c.err = fmt.Errorf("%s: %w", file, err)
		return c
	}
	c.assertions = res.summary.Assertions
	c.scenario, c.seed = res.summary.Scenario, res.summary.Seed
	if opts.Baseline != "" {
		data, err := reports.MarshalSummary(res.summary)
		if err != nil {
			c.err = err
			return c
		}
		b := checkBaseline(baselineFile(opts.Baseline, name, len(opts.Scenarios)), data, tol, opts.UpdateBaseline)
		c.baseline = &b
		if b.err != nil {
			c.err = fmt.Errorf("%s: %w", file, b.err)
		}
	}
	return c
}
