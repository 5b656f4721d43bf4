package main

import (
	"errors"
	"fmt"
	"path/filepath"
	"slices"

	"github.com/spf13/cobra"

	"github.com/clustersim/clustersim/reports"
)

// CompareOptions are the flags of `clustersim compare`.
type CompareOptions struct {
	Dirs   []string // output folders of earlier runs; the first is the reference
	OutDir string   // where compare.csv and compare.html go
	Quiet  bool     // print nothing but errors
}

func newCmdCompare(f *factory) *cobra.Command {
	opts := &CompareOptions{}
	cmd := &cobra.Command{
		Use:   "compare DIR_A DIR_B [DIR...]",
		Short: "Compare the outputs of earlier runs: compare.csv and compare.html",
		Long: `Compare reads the summary.json and timeseries.csv of each output folder and
writes to --out compare.csv (one row per folder: requests, errors, error
ratio, p50/p95/p99, cost, instance-hours, peak replicas) and compare.html
(the same figures with deltas against DIR_A, and latency p99 and ready
replicas over time, one line per folder, on shared axes). Runs are named
after their folders.

Only the variants of one scenario ([[variant]] entries, compared by
"clustersim run") are paired: same seed, same arrivals and service times.
Folders from separate runs also differ by chance unless their scenarios
give the same seed and workload names.

Exit status: 0 on success, 2 when a folder holds no summary.json.`,
		Example: `  clustersim run scenarios/spike.toml --out out/a
  clustersim run scenarios/spike.toml --out out/b --set service.api.autoscaler.target=0.4
  clustersim compare out/a out/b --out out/a-vs-b`,
		Args: func(cmd *cobra.Command, args []string) error {
			if len(args) < 2 {
				return badInput(fmt.Errorf("compare needs at least two output folders, got %d", len(args)))
			}
			return nil
		},
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.Dirs = args
			return compareRun(f, opts)
		},
	}
	fl := cmd.Flags()
	fl.StringVarP(&opts.OutDir, "out", "o", "compare", "directory for compare.csv and compare.html")
	fl.BoolVarP(&opts.Quiet, "quiet", "q", false, "print nothing but errors")
	return cmd
}

func compareRun(f *factory, opts *CompareOptions) error {
	names := runNames(opts.Dirs)
	var runs []*reports.CompareRun
	for i, dir := range opts.Dirs {
		r, err := reports.ReadRun(dir, names[i])
		if errors.Is(err, reports.ErrNoSummary) {
			return badInput(err)
		}
		if err != nil {
			return err
		}
		runs = append(runs, r)
	}
	if err := reports.WriteCompare(opts.OutDir, runs); err != nil {
		return err
	}
	if !opts.Quiet {
		printCompare(f.out, runs)
		fmt.Fprintf(f.out, "outputs: %s (open %s)\n", opts.OutDir, filepath.Join(opts.OutDir, "compare.html"))
	}
	return nil
}

// runNames labels each folder by its base name, or by its cleaned path
// when two base names collide.
func runNames(dirs []string) []string {
	names := make([]string, len(dirs))
	for i, d := range dirs {
		names[i] = filepath.Base(filepath.Clean(d))
	}
	for i, n := range names {
		if slices.Index(names, n) != i || slices.Index(names[i+1:], n) >= 0 {
			for j := range dirs {
				names[j] = filepath.Clean(dirs[j])
			}
			break
		}
	}
	return names
}
