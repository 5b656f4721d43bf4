package main

import (
	"encoding/xml"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"text/tabwriter"

	"github.com/spf13/cobra"

	"github.com/clustersim/clustersim/reports"
	"github.com/clustersim/clustersim/sim/results"
)

// CheckOptions are the flags of `clustersim check`.
type CheckOptions struct {
	Scenarios []string
	OutDir    string // keep each run's outputs in OutDir/NAME; "" for a temporary directory
	Seed      uint64
	SeedSet   bool
	Sets      []string
	JUnit     string // write a JUnit XML report here
	Quiet     bool   // print only failures and errors
	Parallel  int    // scenarios run at once
}

func newCmdCheck(f *factory) *cobra.Command {
	opts := &CheckOptions{}
	cmd := &cobra.Command{
		Use:   "check SCENARIO...",
		Short: "Run scenarios and evaluate their [[assert]] blocks (for CI)",
		Long: `Check runs each scenario, evaluates its [[assert]] blocks against the run's
summary (metric = a dotted summary.json path such as latency_ms.p99 or
services.api.replicas.max, with max and/or min), prints a pass/fail table
with each measured value and limit, and records the results in
summary.json's "assertions".

Exit status: 0 when every assertion holds, 1 when any fails, 2 when a
scenario cannot be read or is invalid.`,
		Example: `  clustersim check scenarios/*.toml
  clustersim check flash-sale.toml --set service.api.autoscaler.target=0.4 --junit report.xml
  clustersim check scenarios/spike.toml --out out/ci`,
		Args: cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.Scenarios = args
			opts.SeedSet = cmd.Flags().Changed("seed")
			return checkRun(f, opts)
		},
	}
	fl := cmd.Flags()
	fl.StringVarP(&opts.OutDir, "out", "o", "", "keep each scenario's outputs in DIR/NAME (default: discard)")
	fl.Uint64Var(&opts.Seed, "seed", 0, "random seed (overrides sim.seed)")
	fl.StringArrayVar(&opts.Sets, "set", nil, "override a scenario key (repeatable)")
	fl.StringVar(&opts.JUnit, "junit", "", "write a JUnit XML report to this file")
	fl.BoolVarP(&opts.Quiet, "quiet", "q", false, "print only failing assertions and errors")
	fl.IntVarP(&opts.Parallel, "parallel", "j", runtime.NumCPU(), "scenarios to run at once (results do not depend on it)")
	return cmd
}

// checked is one scenario's outcome.
type checked struct {
	file       string
	assertions []results.Assertion
	err        error
}

func checkRun(f *factory, opts *CheckOptions) error {
	sets := opts.Sets
	if opts.SeedSet {
		sets = append(append([]string(nil), sets...), "sim.seed="+strconv.FormatUint(opts.Seed, 10))
	}
	// Each scenario is an independent single-threaded simulation, so
	// running several at once changes nothing but the wall time.
	all := make([]checked, len(opts.Scenarios))
	jobs := make(chan int)
	var wg sync.WaitGroup
	for range max(opts.Parallel, 1) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range jobs {
				all[i] = checkOne(opts.Scenarios[i], sets, opts.OutDir)
			}
		}()
	}
	for i := range opts.Scenarios {
		jobs <- i
	}
	close(jobs)
	wg.Wait()
	failed, broken := 0, 0
	tw := tabwriter.NewWriter(f.out, 2, 4, 2, ' ', 0)
	if !opts.Quiet {
		fmt.Fprintln(tw, "RESULT\tSCENARIO\tASSERTION\tMETRIC\tVALUE\tLIMIT")
	}
	for _, c := range all {
		if c.err != nil {
			broken++
			fmt.Fprintf(tw, "ERROR\t%s\t-\t-\t-\t-\n", c.file)
			continue
		}
		if len(c.assertions) == 0 && !opts.Quiet {
			fmt.Fprintf(tw, "-\t%s\t(no assertions)\t\t\t\n", c.file)
		}
		for _, a := range c.assertions {
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
	switch {
	case broken > 0:
		return badInput(errors.New(plural(broken, "scenario") + " could not be checked"))
	case failed > 0:
		return errors.New(plural(failed, "assertion") + " failed")
	}
	if !opts.Quiet {
		fmt.Fprintln(f.out, "all assertions hold")
	}
	return nil
}

func checkOne(file string, sets []string, outRoot string) checked {
	c := checked{file: file}
	sc, err := loadScenario(file, sets)
	if err != nil {
		c.err = err
		return c
	}
	dir := ""
	if outRoot != "" {
		dir = filepath.Join(outRoot, strings.TrimSuffix(filepath.Base(file), ".toml"))
	} else {
		tmp, err := os.MkdirTemp("", "clustersim-check-")
		if err != nil {
			c.err = err
			return c
		}
		defer os.RemoveAll(tmp)
		dir = tmp
	}
	res, err := execute(sc, dir, nil)
	if err != nil {
		c.err = fmt.Errorf("%s: %w", file, err)
		return c
	}
	c.assertions = res.summary.Assertions
	return c
}

// JUnit XML, the format CI systems render as test results.
type junitSuites struct {
	XMLName xml.Name     `xml:"testsuites"`
	Suites  []junitSuite `xml:"testsuite"`
}

type junitSuite struct {
	Name     string      `xml:"name,attr"`
	Tests    int         `xml:"tests,attr"`
	Failures int         `xml:"failures,attr"`
	Errors   int         `xml:"errors,attr"`
	Cases    []junitCase `xml:"testcase"`
}

type junitCase struct {
	Name    string        `xml:"name,attr"`
	Class   string        `xml:"classname,attr"`
	Failure *junitMessage `xml:"failure,omitempty"`
	Error   *junitMessage `xml:"error,omitempty"`
}

type junitMessage struct {
	Message string `xml:"message,attr"`
}

func writeJUnit(path string, all []checked) error {
	var doc junitSuites
	for _, c := range all {
		s := junitSuite{Name: c.file}
		if c.err != nil {
			s.Errors = 1
			s.Tests = 1
			s.Cases = append(s.Cases, junitCase{Name: "run", Class: c.file, Error: &junitMessage{Message: c.err.Error()}})
		}
		for _, a := range c.assertions {
			tc := junitCase{Name: a.Name, Class: c.file}
			if !a.OK {
				s.Failures++
				tc.Failure = &junitMessage{Message: fmt.Sprintf("%s = %s, want %s", a.Metric, reports.FormatAssertionValue(a), a.Limit)}
			}
			s.Tests++
			s.Cases = append(s.Cases, tc)
		}
		doc.Suites = append(doc.Suites, s)
	}
	b, err := xml.MarshalIndent(doc, "", "  ")
	if err != nil {
		return err
	}
	return reports.WriteFileAtomic(path, append([]byte(xml.Header), append(b, '\n')...))
}
