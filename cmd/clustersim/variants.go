package main

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"text/tabwriter"
	"time"

	"github.com/clustersim/clustersim/reports"
	"github.com/clustersim/clustersim/sim/results"
	"github.com/clustersim/clustersim/sim/scenario"
)

// variantsOutput is what the variants of one scenario produced.
type variantsOutput struct {
	names     []string
	summaries []*results.Summary
	runs      []*reports.CompareRun
}

// executeVariants runs every variant of sc, at most parallel at once, each
// into dir/NAME with the full set of outputs, then writes dir/compare.csv
// and dir/compare.html. Variants are independent single-threaded
// simulations on the same seed, so parallel changes nothing but the wall
// time. Everything is written to a staging folder beside dir and moved into
// dir only when every variant succeeded: a failure leaves dir as it was,
// and returns the first error in variant order.
func executeVariants(sc *scenario.Config, dir string, parallel int, shown map[string]string, limits *limitFlags) (*variantsOutput, error) {
	started := time.Now()
	if err := os.MkdirAll(filepath.Dir(filepath.Clean(dir)), 0o755); err != nil {
		return nil, err
	}
	stage, err := os.MkdirTemp(filepath.Dir(filepath.Clean(dir)), "."+filepath.Base(filepath.Clean(dir))+".tmp-")
	if err != nil {
		return nil, err
	}
	// Locked so that no other run takes it for a leftover (stale.go).
	unlock, err := lockDir(stage)
	if err != nil {
		os.RemoveAll(stage)
		return nil, err
	}
	untrack := interrupts.track(stage)
	cleanStale(filepath.Clean(dir), stage, started)
	defer func() {
		os.RemoveAll(stage)
		unlock()
		untrack()
	}()
	n := len(sc.Variants)
	out := &variantsOutput{names: make([]string, n), summaries: make([]*results.Summary, n)}
	errs := make([]error, n)
	jobs := make(chan int)
	var wg sync.WaitGroup
	for range min(max(parallel, 1), n) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range jobs {
				if err := interrupts.err(); err != nil {
					errs[i] = err
					continue
				}
				v := sc.Variants[i]
				res, err := execute(v.Config, filepath.Join(stage, v.Name), nil, shown, limits)
				if err != nil {
					errs[i] = fmt.Errorf("variant %s: %w", v.Name, err)
					continue
				}
				out.summaries[i] = res.summary
			}
		}()
	}
	for i, v := range sc.Variants {
		out.names[i] = v.Name
		jobs <- i
	}
	close(jobs)
	wg.Wait()
	if err := interrupts.err(); err != nil {
		return nil, err
	}
	for _, err := range errs {
		if err != nil {
			return nil, err
		}
	}
	for _, v := range sc.Variants {
		r, err := reports.ReadRun(filepath.Join(stage, v.Name), v.Name)
		if err != nil {
			return nil, err
		}
		out.runs = append(out.runs, r)
	}
	if err := reports.WriteCompare(stage, out.runs); err != nil {
		return nil, err
	}
	interrupts.commit.Lock()
	defer interrupts.commit.Unlock()
	if err := interrupts.err(); err != nil {
		return nil, err
	}
	if err := commitVariants(stage, dir, out.names); err != nil {
		return nil, err
	}
	return out, nil
}

// compareFiles are the files a variant run writes beside the variants'
// folders.
var compareFiles = []string{"compare.csv", "compare.html"}

// commitVariants moves the staged outputs of a variant run into dir. The
// folders of variants an earlier run into dir wrote (subfolders holding a
// summary.json) go, so that dir holds one run's outputs only; other files
// are left alone. The comparison moves last.
func commitVariants(stage, dir string, names []string) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	for _, f := range compareFiles {
		if err := os.Remove(filepath.Join(dir, f)); err != nil && !errors.Is(err, fs.ErrNotExist) {
			return err
		}
	}
	entries, err := os.ReadDir(dir)
	if err != nil {
		return err
	}
	for _, e := range entries {
		old := filepath.Join(dir, e.Name())
		if _, err := os.Stat(filepath.Join(old, reports.SummaryFile)); e.IsDir() && err == nil {
			if err := os.RemoveAll(old); err != nil {
				return err
			}
		}
	}
	for _, name := range append(slices.Clip(names), compareFiles...) {
		if err := os.Rename(filepath.Join(stage, name), filepath.Join(dir, name)); err != nil {
			return err
		}
	}
	return nil
}

// runVariants is `clustersim run` of a scenario with [[variant]] entries.
func runVariants(f *factory, opts *RunOptions, sc *scenario.Config) error {
	res, err := executeVariants(sc, opts.OutDir, opts.Parallel, nil, f.limits)
	if err != nil {
		return err
	}
	if !opts.Quiet {
		printCompare(f.out, res.runs)
		fmt.Fprintf(f.out, "outputs: %s/{%s} (open %s)\n", opts.OutDir, strings.Join(res.names, ","), filepath.Join(opts.OutDir, "compare.html"))
	}
	return nil
}

// checkVariants is `clustersim check` of a scenario with [[variant]]
// entries: it runs them one after the other (check runs scenarios in
// parallel already) and returns every variant's assertions, each name
// prefixed with "VARIANT: ".
func checkVariants(sc *scenario.Config, dir string, shown map[string]string, limits *limitFlags) ([]results.Assertion, error) {
	res, err := executeVariants(sc, dir, 1, shown, limits)
	if err != nil {
		return nil, err
	}
	var all []results.Assertion
	for i, s := range res.summaries {
		for _, a := range s.Assertions {
			a.Name = res.names[i] + ": " + a.Name
			all = append(all, a)
		}
	}
	return all, nil
}

// printCompare prints the rows of compare.csv as an aligned table.
func printCompare(w io.Writer, runs []*reports.CompareRun) {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "variant\t"+strings.Join(reports.CompareColumns, "\t"))
	for _, r := range runs {
		fmt.Fprintln(tw, r.Name+"\t"+strings.Join(r.Cells(), "\t"))
	}
	tw.Flush()
}
