package main

import (
	"fmt"
	"io"
	"io/fs"
	"os"
	"os/signal"
	"path/filepath"
	"strings"
	"sync/atomic"
	"syscall"

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
func loadScenario(name string, sets []string) (*scenario.Config, error) {
	if name == "" {
		name = scenarios.Default
	}
	if _, err := os.Stat(name); err == nil {
		return scenario.LoadWith(name, sets, limits.scenario())
	}
	base := strings.TrimSuffix(filepath.Base(name), ".toml") + ".toml"
	if data, err := fs.ReadFile(scenarios.FS, base); err == nil && !strings.ContainsRune(name, os.PathSeparator) {
		return scenario.ParseWith("scenarios/"+base, data, sets, limits.scenario())
	}
	return nil, fmt.Errorf("%s: no such file, and no library scenario of that name (library: %s)", name, strings.Join(scenarios.Names(), ", "))
}

// runOutput is what one executed scenario produced.
type runOutput struct {
	summary *results.Summary
}

// execute builds and runs a scenario and writes all its outputs to dir.
// Nothing is left under a final name unless the whole run succeeded.
func execute(sc *scenario.Config, dir string, progress func(engine.Time)) (*runOutput, error) {
	interrupted, stop := interruptOnSignal()
	defer stop()
	mc, asserts, err := scenario.Build(sc)
	if err != nil {
		return nil, badInput(err)
	}
	defer scenario.Close(mc) // stops external policy processes
	cluster, err := models.New(mc)
	if err != nil {
		return nil, badInput(err)
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, err
	}
	tw, err := reports.NewTimeseriesWriter(dir)
	if err != nil {
		return nil, err
	}
	dw, err := reports.NewDecisionsWriter(dir)
	if err != nil {
		tw.Abort()
		return nil, err
	}
	cluster.OnDecision(dw.Write)
	sink := &teeSink{csv: tw}
	budget := limits.start()
	sum, err := cluster.Run(sink, func(now engine.Time) {
		if interrupted.Load() {
			cluster.Interrupt()
		}
		budget.check(cluster)
		if progress != nil {
			progress(now)
		}
	})
	if err != nil {
		tw.Abort()
		dw.Abort()
		return nil, err
	}
	if sum.Assertions, err = assertion.Evaluate(sum, asserts); err != nil {
		tw.Abort()
		dw.Abort()
		return nil, badInput(err)
	}
	var services []string // plotted entities: services, then node pools
	for _, s := range mc.Services {
		services = append(services, s.Name)
	}
	for _, p := range mc.NodePools {
		services = append(services, p.Name)
	}
	plots, err := reports.WritePlots(dir, sink.rec.Series(), services)
	if err == nil {
		err = reports.WriteReport(dir, sum, plots)
	}
	if err == nil {
		err = tw.Commit()
	} else {
		tw.Abort()
	}
	if err == nil {
		err = dw.Commit()
	} else {
		dw.Abort()
	}
	if err == nil {
		err = reports.WriteSummary(dir, sum)
	}
	if err != nil {
		return nil, err
	}
	return &runOutput{summary: sum}, nil
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

// interruptOnSignal returns a flag set by SIGINT or SIGTERM until stop is
// called; the running simulation polls it and stops, and no output is
// left behind. Each run gets a fresh flag, so one interrupted run does not
// stop the next.
func interruptOnSignal() (interrupted *atomic.Bool, stop func()) {
	interrupted = new(atomic.Bool)
	ch := make(chan os.Signal, 1)
	signal.Notify(ch, os.Interrupt, syscall.SIGTERM)
	done := make(chan struct{})
	go func() {
		select {
		case <-ch:
			interrupted.Store(true)
		case <-done:
		}
	}()
	return interrupted, func() {
		signal.Stop(ch)
		close(done)
	}
}
