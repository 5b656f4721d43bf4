package main

import (
	"fmt"
	"os"
	"runtime"
	"runtime/pprof"
	"strconv"
	"time"

	"github.com/spf13/cobra"
)

// RunOptions are the flags of `clustersim run`.
type RunOptions struct {
	Scenario   string   // file, library name, or "" for the default scenario
	OutDir     string   // output directory
	Seed       uint64   // overrides sim.seed when SeedSet
	SeedSet    bool     //
	Sets       []string // --set key=value overrides
	Quiet      bool     // no progress bar, no closing table, no stats line
	CPUProfile string   // write a CPU profile here
	MemProfile string   // write a heap profile here
	Parallel   int      // variants run at once (see variants.go)
}

func newCmdRun(f *factory) *cobra.Command {
	opts := &RunOptions{}
	cmd := &cobra.Command{
		Use:   "run [SCENARIO]",
		Short: "Run a scenario and write summary.json, timeseries.csv, plots and report.html",
		Long: `Run simulates SCENARIO (a TOML file, or the name of a library scenario such
as "flash-sale"; the built-in default scenario when omitted) and writes its
outputs to --out: summary.json, timeseries.csv, latency/traffic/saturation/
replicas plots as PNG and SVG, and report.html. Every file is written
atomically: an interrupted run leaves no half-written file.`,
		Example: `  clustersim run
  clustersim run scenarios/mmc.toml --out out/mmc --seed 7
  clustersim run scenarios/spike.toml --set workload.shoppers.rate=300 --set sim.duration=1h
  clustersim run scenarios/mm1.toml --cpuprofile cpu.prof --quiet`,
		Args: cobra.MaximumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if len(args) == 1 {
				opts.Scenario = args[0]
			}
			opts.SeedSet = cmd.Flags().Changed("seed")
			return runRun(f, opts)
		},
	}
	fl := cmd.Flags()
	fl.StringVarP(&opts.OutDir, "out", "o", "out", "directory for the run's outputs")
	fl.Var(seedValue{&opts.Seed}, "seed", "random seed, 0 to 2^63-1 (overrides sim.seed)")
	fl.StringArrayVar(&opts.Sets, "set", nil, "override a scenario key, e.g. service.api.replicas=5 (repeatable)")
	fl.BoolVarP(&opts.Quiet, "quiet", "q", false, "print nothing but errors")
	fl.IntVarP(&opts.Parallel, "parallel", "j", runtime.NumCPU(), "variants to run at once (results do not depend on it)")
	fl.StringVar(&opts.CPUProfile, "cpuprofile", "", "write a pprof CPU profile of the run to this file")
	fl.StringVar(&opts.MemProfile, "memprofile", "", "write a pprof heap profile at the end of the run to this file")
	return cmd
}

func runRun(f *factory, opts *RunOptions) error {
	if err := checkParallel(opts.Parallel); err != nil {
		return err
	}
	if err := checkOutFlag(opts.OutDir, true); err != nil {
		return err
	}
	sets := opts.Sets
	if opts.SeedSet {
		sets = append(append([]string(nil), sets...), "sim.seed="+strconv.FormatUint(opts.Seed, 10))
	}
	sc, err := loadScenario(opts.Scenario, sets, f.limits)
	if err != nil {
		return badInput(err)
	}
	if len(sc.Variants) > 0 {
		return runVariants(f, opts, sc)
	}
	if opts.CPUProfile != "" {
		pf, err := os.Create(opts.CPUProfile)
		if err != nil {
			return err
		}
		defer pf.Close()
		if err := pprof.StartCPUProfile(pf); err != nil {
			return err
		}
		defer pprof.StopCPUProfile()
	}
	start := time.Now()
	progress, clearBar := newProgress(f, sc, opts.Quiet)
	res, err := execute(sc, opts.OutDir, progress, nil, f.limits)
	clearBar()
	if err != nil {
		return err
	}
	wall := time.Since(start)
	if opts.MemProfile != "" {
		runtime.GC()
		if err := writeHeapProfile(opts.MemProfile); err != nil {
			return err
		}
	}
	if !opts.Quiet {
		printSummary(f.out, res.summary)
		fmt.Fprintf(f.out, "outputs: %s (open %s)\n", opts.OutDir, opts.OutDir+"/report.html")
		fmt.Fprintf(f.errOut, "clustersim: %d events in %.2fs wall (%.2fM events/s)\n",
			res.summary.Events, wall.Seconds(), float64(res.summary.Events)/wall.Seconds()/1e6)
	}
	return nil
}

func writeHeapProfile(path string) error {
	mf, err := os.Create(path)
	if err != nil {
		return err
	}
	if err := pprof.WriteHeapProfile(mf); err != nil {
		mf.Close()
		return err
	}
	return mf.Close()
}
