package main

import (
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"github.com/schollz/progressbar/v3"

	"github.com/clustersim/clustersim/reports"
	"github.com/clustersim/clustersim/scenarios"
	"github.com/clustersim/clustersim/sim/assertion"
	"github.com/clustersim/clustersim/sim/engine"
	"github.com/clustersim/clustersim/sim/models"
	"github.com/clustersim/clustersim/sim/results"
	"github.com/clustersim/clustersim/sim/scenario"
)

// plotRows bounds the in-memory series kept for plots (about one point per
// pixel of plot width); the CSV keeps every window.
const plotRows = 1024

// loadScenario reads a scenario from a file, from the embedded library by
// name, or the embedded default when name is empty.
func loadScenario(name string, sets []string, limits *limitFlags) (*scenario.Config, error) {
	if name == "" {
		name = scenarios.Default
	}
	if _, err := os.Stat(name); err == nil {
		sc, err := scenario.LoadWith(name, sets, limits.scenario())
		stall("parse")
		return sc, err
	}
	base := strings.TrimSuffix(filepath.Base(name), ".toml") + ".toml"
	if data, err := fs.ReadFile(scenarios.FS, base); err == nil && !strings.ContainsRune(name, os.PathSeparator) {
		lim := limits.scenario()
		lim.Files = scenarios.FS // the library's own traces
		return scenario.ParseWith("scenarios/"+base, data, sets, lim)
	}
	return nil, fmt.Errorf("%s: no such file, and no library scenario of that name (library: %s)", name, strings.Join(scenarios.Names(), ", "))
}

// runOutput is what one executed scenario produced.
type runOutput struct {
	summary *results.Summary
}

// execute builds and runs a scenario and writes all its outputs to dir as
// one set: everything goes to a temporary sibling folder that replaces dir
// only once the whole run succeeded (see stageDir), so dir holds either
// the previous run's outputs or this run's, never a mix or a part.
// shownLimits replaces the shown limit of assertions by name (--assert's
// strict bounds); nil for none.
func execute(sc *scenario.Config, dir string, progress func(engine.Time), shownLimits map[string]string, limits *limitFlags) (*runOutput, error) {
	if err := interrupts.err(); err != nil {
		return nil, err
	}
	mc, asserts, err := scenario.Build(sc)
	if err != nil {
		return nil, badInput(err)
	}
	defer scenario.Close(mc) // stops external policy processes
	cluster, err := models.New(mc)
	if err != nil {
		return nil, badInput(err)
	}
	st, err := stageDir(dir)
	if err != nil {
		return nil, err
	}
	sum, err := runInto(st.tmp, sc, mc, cluster, asserts, shownLimits, limits.start(), progress)
	if err == nil {
		err = interrupts.err()
	}
	if err != nil {
		st.Abort()
		if ierr := interrupts.err(); ierr != nil {
			return nil, ierr // whatever failed, it failed because of the signal
		}
		return nil, err
	}
	if err := st.Commit(); err != nil {
		return nil, err
	}
	return &runOutput{summary: sum}, nil
}

// runInto runs the cluster and writes every output into dir.
func runInto(dir string, sc *scenario.Config, mc models.Config, cluster *models.Cluster, asserts []assertion.Spec, shownLimits map[string]string, budget *runBudget,
	progress func(engine.Time)) (*results.Summary, error) {
	tw, err := reports.NewTimeseriesWriter(dir)
	if err != nil {
		return nil, err
	}
	defer tw.Abort()
	dw, err := reports.NewDecisionsWriter(dir)
	if err != nil {
		return nil, err
	}
	defer dw.Abort()
	cluster.OnDecision(dw.Write)
	sink := &teeSink{csv: tw}
	tracker := assertion.NewTracker(asserts, sink) // windowed assertions fold rows as they stream
	stall("simulate")
	sum, err := cluster.Run(tracker, func(now engine.Time) {
		if interrupts.interrupted() {
			cluster.Interrupt()
		}
		budget.check(cluster)
		if progress != nil {
			progress(now)
		}
	})
	if err != nil {
		return nil, err
	}
	if err := interrupts.err(); err != nil {
		return nil, err
	}
	if sum.Assertions, err = tracker.Evaluate(sum); err != nil {
		return nil, badInput(err)
	}
	for i, a := range sum.Assertions {
		if l, ok := shownLimits[a.Name]; ok {
			sum.Assertions[i].Limit = l
		}
	}
	var services []string // plotted entities: services, then node pools
	for _, s := range mc.Services {
		services = append(services, s.Name)
	}
	for _, p := range mc.NodePools {
		services = append(services, p.Name)
	}
	ann := annotations(sc, asserts, sum)
	stall("plot")
	plots, err := reports.WritePlotsContext(interrupts.context(), dir, sink.rec.Series(), services, ann)
	if err != nil {
		return nil, err
	}
	if err := interrupts.err(); err != nil {
		return nil, err
	}
	stall("write")
	if err := reports.WriteReportWith(dir, sum, plots, reports.ReportExtras{
		Source: sc.Source, File: sc.File, Overrides: sc.Overrides, Annotations: ann,
	}); err != nil {
		return nil, err
	}
	if err := tw.Commit(); err != nil {
		return nil, err
	}
	if err := dw.Commit(); err != nil {
		return nil, err
	}
	if err := reports.WriteSummary(dir, sum); err != nil {
		return nil, err
	}
	return sum, nil
}

// teeSink streams rows to the CSV writer and keeps a bounded copy for plots.
type teeSink struct {
	csv *reports.TimeseriesWriter
	rec *reports.SeriesRecorder
}

func (t *teeSink) Header(cols []string) error {
	t.rec = reports.NewSeriesRecorder(cols, plotRows)
	return t.csv.Header(cols)
}

func (t *teeSink) Row(ts float64, v []float64) error {
	t.rec.Add(ts, v)
	return t.csv.Row(ts, v)
}

// newProgress returns a progress callback drawing a bar on stderr and a
// function that removes the bar; both are no-ops when stderr is not a
// terminal or quiet is set.
func newProgress(f *factory, sc *scenario.Config, quiet bool) (func(engine.Time), func()) {
	if quiet || !f.errIsTerminal() {
		return nil, func() {}
	}
	total := int64(sc.Sim.Duration) / int64(engine.Second)
	bar := progressbar.NewOptions64(max(total, 1),
		progressbar.OptionSetWriter(f.errOut),
		progressbar.OptionSetDescription(sc.Sim.Name),
		progressbar.OptionSetItsString("sim-s"),
		progressbar.OptionShowIts(),
		progressbar.OptionThrottle(100e6),
		progressbar.OptionClearOnFinish(),
	)
	update := func(now engine.Time) {
		_ = bar.Set64(int64(now) / int64(engine.Second))
	}
	return update, func() { _ = bar.Clear() }
}

func printSummary(w io.Writer, s *results.Summary) {
	reports.SummaryTable(w, s)
}
