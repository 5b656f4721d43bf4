package main

import (
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/schollz/progressbar/v3"
	"github.com/spf13/cobra"

	"github.com/clustersim/clustersim/reports/sweep"
	"github.com/clustersim/clustersim/sim/assertion"
	"github.com/clustersim/clustersim/sim/engine"
	"github.com/clustersim/clustersim/sim/models"
	"github.com/clustersim/clustersim/sim/results"
	"github.com/clustersim/clustersim/sim/scenario"
)

// SweepOptions are the flags of `clustersim sweep`.
type SweepOptions struct {
	Scenario string
	OutDir   string
	Params   []string // --param KEY=V1,V2,... or KEY=START:STOP:STEP
	Seeds    int      // seeds per grid point
	Seed     uint64   // first seed (overrides sim.seed)
	SeedSet  bool
	Sets     []string
	Quiet    bool
	Parallel int    // runs at once
	Shard    string // "I/N": run only runs whose index is I mod N
	KeepRuns bool   // keep every run's full outputs in OUT/runs/RUN
	Variant  string // the [[variant]] to sweep, for a scenario with variants
	EmitJob  bool   // print the Kubernetes manifest instead of running
	Job      jobOptions
}

func newCmdSweep(f *factory) *cobra.Command {
	opts := &SweepOptions{}
	cmd := &cobra.Command{
		Use:   "sweep SCENARIO --param KEY=V1,V2,... [--param ...] --seeds N",
		Short: "Run a scenario over a grid of parameter values × seeds, with means and 95% confidence intervals",
		Long: `Sweep runs SCENARIO once for every combination of the --param values (the
grid) and every seed, in parallel across cores, and writes to --out:
  sweep.csv          one row per run: run index, parameter values, seed,
                     the headline figures (named by their summary.json path),
                     instance_hours, each service's replicas.max and every
                     assertion's value (assertions.NAME)
  sweep-summary.csv  one row per grid point: the parameters, then for each
                     figure FIGURE.mean and FIGURE.ci95 (95% confidence
                     half-width, Student t across seeds)
  sweep.html, *.png  each headline figure against each parameter with
                     confidence bars, cost against p99 with the Pareto front
  sweep.json         the plan (parameters, seeds)

Seeds are paired across grid points (common random numbers): the seeds are
--seed (or the scenario's sim.seed), +1, ..., +N-1 at every grid point. A
figure missing (null) in any run leaves its mean and ci95 empty; ci95 is
empty with --seeds 1. Results do not depend on --parallel. A parameter
value may be a range START:STOP:STEP, expanded with exact decimals.

--shard I/N runs only the runs whose index is I modulo N and writes a part
(sweep.csv and sweep.json); 'clustersim merge' joins the parts into exactly
the output of the unsharded sweep. --emit-job prints a Kubernetes Indexed
Job running the sweep in --job-shards parts (see deploy/ and the README).`,
		Example: `  clustersim sweep flash-sale --param service.api.autoscaler.target=0.4:0.8:0.1 --seeds 10 --out out/sweep
  clustersim sweep scenarios/mmc.toml --param workload.clients.rate=50,100,150 --param service.api.replicas=2,3 --seeds 5
  clustersim sweep flash-sale --param service.api.autoscaler.target=0.5,0.7 --seeds 20 --shard 0/4 --out part-0
  clustersim merge part-0 part-1 part-2 part-3 --out out/sweep
  clustersim sweep flash-sale --param service.api.autoscaler.target=0.3:0.9:0.1 --seeds 100 --emit-job --job-shards 50`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.Scenario = args[0]
			opts.SeedSet = cmd.Flags().Changed("seed")
			return runSweep(f, opts)
		},
	}
	fl := cmd.Flags()
	fl.StringVarP(&opts.OutDir, "out", "o", "out/sweep", "directory for the sweep's outputs")
	fl.StringArrayVar(&opts.Params, "param", nil, "a swept key and its values: KEY=V1,V2,... or KEY=START:STOP:STEP (repeatable)")
	fl.IntVar(&opts.Seeds, "seeds", 1, "seeds per grid point (paired across grid points)")
	fl.Uint64Var(&opts.Seed, "seed", 0, "first seed (overrides sim.seed)")
	fl.StringArrayVar(&opts.Sets, "set", nil, "override a scenario key in every run (repeatable)")
	fl.BoolVarP(&opts.Quiet, "quiet", "q", false, "print nothing but errors")
	fl.IntVarP(&opts.Parallel, "parallel", "j", runtime.NumCPU(), "runs at once (results do not depend on it)")
	fl.StringVar(&opts.Shard, "shard", "", "run only the runs whose index is I mod N, writing a part for 'clustersim merge' (I/N)")
	fl.StringVar(&opts.Variant, "variant", "", "sweep this [[variant]] of a scenario with variants (its set applies after the parameters)")
	fl.BoolVar(&opts.KeepRuns, "keep-runs", false, "keep every run's full outputs in OUT/runs/RUN (default: only the sweep's files)")
	fl.BoolVar(&opts.EmitJob, "emit-job", false, "print a Kubernetes manifest (ConfigMap and Indexed Job) running this sweep, instead of running it")
	addJobFlags(fl, &opts.Job)
	return cmd
}

// sweepRun is one finished run: its sweep.csv row or its error.
type sweepRun struct {
	r       int
	figures []string
	row     []string
	err     error
}

func runSweep(f *factory, opts *SweepOptions) error {
	plan, shard, err := planSweep(opts, f.limits)
	if err != nil {
		return err
	}
	if opts.EmitJob {
		return emitJob(f.out, opts, plan)
	}
	st, err := stageDir(opts.OutDir)
	if err != nil {
		return err
	}
	ok := false
	defer func() {
		if !ok {
			st.Abort()
		}
	}()
	if err := sweep.WritePlan(st.tmp, plan, shard); err != nil {
		return err
	}
	var mine []int
	for r := range plan.Runs() {
		if shard.Has(r) {
			mine = append(mine, r)
		}
	}
	bar := newSweepProgress(f, len(mine), opts.Quiet)
	if err := executeSweep(f, opts, plan, mine, st.tmp, bar); err != nil {
		if ierr := interrupts.err(); ierr != nil {
			return ierr // exit 130 or 143, as run and check
		}
		return err
	}
	var t *sweep.Table
	if shard.Whole() {
		if t, err = sweep.Finish(st.tmp, plan); err != nil {
			return err
		}
	}
	if err := st.Commit(); err != nil {
		return err
	}
	ok = true
	if !opts.Quiet {
		if t == nil {
			fmt.Fprintf(f.out, "shard %s: %d of %d runs; outputs: %s (join the parts with 'clustersim merge')\n", shard, len(mine), plan.Runs(), opts.OutDir)
		} else {
			fmt.Fprintf(f.out, "%s (%s × %s); outputs: %s (open %s)\n",
				plural(plan.Runs(), "run"), plural(plan.Points(), "grid point"), plural(len(plan.Seeds), "seed"), opts.OutDir, filepath.Join(opts.OutDir, sweep.HTMLFile))
		}
	}
	return nil
}

// planSweep reads the flags into a plan and checks that every grid point
// is a valid scenario, so that a typo fails before any run starts.
func planSweep(opts *SweepOptions, limits *limitFlags) (*sweep.Plan, sweep.Shard, error) {
	var shard sweep.Shard
	if opts.Shard != "" {
		s, err := sweep.ParseShard(opts.Shard)
		if err != nil {
			return nil, shard, badInput(err)
		}
		shard = s
	}
	if opts.Parallel < 1 {
		return nil, shard, badInput(fmt.Errorf("--parallel %d: run at least one at a time", opts.Parallel))
	}
	var params []sweep.Param
	for _, a := range opts.Params {
		p, err := sweep.ParseParam(a)
		if err != nil {
			return nil, shard, badInput(err)
		}
		params = append(params, p)
	}
	sets := opts.Sets
	if opts.SeedSet {
		sets = append(slices.Clone(sets), "sim.seed="+strconv.FormatUint(opts.Seed, 10))
	}
	sc, err := loadSweepScenario(opts, sets, limits)
	if err != nil {
		return nil, shard, err
	}
	plan, err := sweep.NewPlan(opts.Scenario, params, sc.Sim.Seed, opts.Seeds, sets)
	if err != nil {
		return nil, shard, badInput(err)
	}
	for i := range plan.Points() {
		if _, err := loadSweepScenario(opts, plan.Overrides(i*len(plan.Seeds)), limits); err != nil {
			return nil, shard, err
		}
	}
	return plan, shard, nil
}

// loadSweepScenario loads the scenario of a sweep with the overrides sets
// and, with --variant, returns that variant's configuration.
func loadSweepScenario(opts *SweepOptions, sets []string, limits *limitFlags) (*scenario.Config, error) {
	sc, err := loadScenario(opts.Scenario, sets, limits)
	if err != nil {
		return nil, badInput(err)
	}
	var names []string
	for _, v := range sc.Variants {
		if v.Name == opts.Variant {
			return v.Config, nil
		}
		names = append(names, v.Name)
	}
	switch {
	case opts.Variant != "" && len(names) == 0:
		return nil, badInput(fmt.Errorf("--variant %s: %s has no [[variant]]s", opts.Variant, opts.Scenario))
	case opts.Variant != "":
		return nil, badInput(fmt.Errorf("--variant %s: no such variant in %s (variants: %s)", opts.Variant, opts.Scenario, strings.Join(names, ", ")))
	case len(names) > 0:
		return nil, badInput(fmt.Errorf("%s has [[variant]]s: sweep one of them with --variant NAME (variants: %s)", opts.Scenario, strings.Join(names, ", ")))
	}
	return sc, nil
}

// executeSweep runs the runs mine, at most opts.Parallel at once, and
// writes their rows to dir/sweep.csv in run order as they complete. A run
// is an independent single-threaded simulation, so the rows do not depend
// on the number of workers. At most a few runs per worker are ever
// waiting for an earlier one to finish: finished rows are small, and the
// runs' outputs are not kept (unless --keep-runs writes them to disk).
// The first error in run order stops the sweep.
func executeSweep(f *factory, opts *SweepOptions, plan *sweep.Plan, mine []int, dir string, bar *progressbar.ProgressBar) error {
	fh, err := os.Create(filepath.Join(dir, sweep.RunsFile))
	if err != nil {
		return err
	}
	defer fh.Close()
	cw := sweep.NewCSV(fh)

	workers := min(opts.Parallel, max(len(mine), 1))
	window := make(chan struct{}, 4*workers) // runs dispatched but not yet written
	jobs := make(chan int)
	done := make(chan sweepRun)
	var failed atomic.Bool
	var wg sync.WaitGroup
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for r := range jobs {
				done <- sweepOne(f, opts, plan, r, dir)
			}
		}()
	}
	go func() {
		defer close(jobs)
		for _, r := range mine {
			window <- struct{}{}
			if failed.Load() {
				<-window
				return
			}
			jobs <- r
		}
	}()
	go func() { wg.Wait(); close(done) }()

	var header []string
	pending := map[int]sweepRun{}
	next := 0 // index into mine of the next row to write
	var firstErr *sweepRun
	for res := range done {
		if res.err != nil {
			failed.Store(true)
			if firstErr == nil || res.r < firstErr.r {
				firstErr = &res
			}
		}
		pending[res.r] = res
		for next < len(mine) && firstErr == nil {
			w, ok := pending[mine[next]]
			if !ok {
				break
			}
			delete(pending, mine[next])
			if header == nil {
				header = w.figures
				if err := cw.Write(sweep.Header(plan.Params, header)); err != nil {
					return err
				}
			} else if !slices.Equal(header, w.figures) {
				failed.Store(true)
				firstErr = &sweepRun{r: w.r, err: fmt.Errorf("its figures differ from the first run's (%v vs %v): a swept key may not add or remove services or assertions", w.figures, header)}
				break
			}
			if err := cw.Write(w.row); err != nil {
				return err
			}
			next++
			<-window
			if bar != nil {
				_ = bar.Add(1)
			}
		}
		if firstErr != nil {
			<-window // keep the dispatcher moving so it sees failed and stops
		}
	}
	if bar != nil {
		_ = bar.Clear()
	}
	if firstErr != nil {
		vals, seed := plan.Run(firstErr.r)
		return fmt.Errorf("sweep: run %d (%v, seed %d): %w", firstErr.r, vals, seed, firstErr.err)
	}
	if len(mine) == 0 {
		// An empty shard still writes a header-only part, from a run of
		// the plan, so that merge can check columns.
		res := sweepOne(f, opts, plan, 0, "")
		if res.err != nil {
			return res.err
		}
		if err := cw.Write(sweep.Header(plan.Params, res.figures)); err != nil {
			return err
		}
	}
	cw.Flush()
	if err := cw.Error(); err != nil {
		return err
	}
	return fh.Close()
}

// sweepOne runs run r of the plan and returns its row. With --keep-runs
// the run writes its full outputs to dir/runs/RUN.
func sweepOne(f *factory, opts *SweepOptions, plan *sweep.Plan, r int, dir string) sweepRun {
	out := sweepRun{r: r}
	sc, err := loadSweepScenario(opts, plan.Overrides(r), f.limits)
	if err != nil {
		out.err = err
		return out
	}
	var sum *results.Summary
	if opts.KeepRuns && dir != "" {
		width := len(strconv.Itoa(plan.Runs() - 1))
		res, err := execute(sc, filepath.Join(dir, "runs", fmt.Sprintf("%0*d", width, r)), nil, nil, f.limits)
		if err != nil {
			out.err = err
			return out
		}
		sum = res.summary
	} else if sum, err = summarizeRun(sc, f.limits); err != nil {
		out.err = err
		return out
	}
	if sum.Incomplete {
		out.err = fmt.Errorf("stopped early (%s): a sweep needs complete runs", sum.StopReason)
		return out
	}
	out.figures = sweep.Figures(sum)
	vals, err := sweep.Values(sum, out.figures)
	if err != nil {
		out.err = err
		return out
	}
	out.row = sweep.Row(plan, r, vals)
	return out
}

// summarizeRun runs sc and returns its summary with the assertions
// evaluated, writing nothing: the time series streams past the assertion
// tracker and is dropped.
func summarizeRun(sc *scenario.Config, limits *limitFlags) (*results.Summary, error) {
	mc, asserts, err := scenario.Build(sc)
	if err != nil {
		return nil, badInput(err)
	}
	defer scenario.Close(mc)
	cluster, err := models.New(mc)
	if err != nil {
		return nil, badInput(err)
	}
	budget := limits.start()
	tracker := assertion.NewTracker(asserts, nil)
	sum, err := cluster.Run(tracker, func(engine.Time) {
		if interrupts.interrupted() {
			cluster.Interrupt()
		}
		budget.check(cluster)
	})
	if err != nil {
		return nil, err
	}
	if sum.Assertions, err = tracker.Evaluate(sum); err != nil {
		return nil, badInput(err)
	}
	return sum, nil
}

// newSweepProgress returns one bar over the whole sweep (runs done, rate,
// ETA) on stderr; nil when quiet or stderr is not a terminal.
func newSweepProgress(f *factory, runs int, quiet bool) *progressbar.ProgressBar {
	if quiet || !f.errIsTerminal() {
		return nil
	}
	return progressbar.NewOptions(max(runs, 1),
		progressbar.OptionSetWriter(f.errOut),
		progressbar.OptionSetDescription("sweep"),
		progressbar.OptionSetItsString("runs"),
		progressbar.OptionShowCount(),
		progressbar.OptionShowIts(),
		progressbar.OptionThrottle(100e6),
		progressbar.OptionClearOnFinish(),
	)
}
