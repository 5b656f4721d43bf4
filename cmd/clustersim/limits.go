package main

import (
	"fmt"
	"io"
	"time"

	"github.com/spf13/cobra"

	"github.com/clustersim/clustersim/sim/models"
	"github.com/clustersim/clustersim/sim/scenario"
)

// limitFlags are the resource limits every command applies to scenario
// files and runs (README, "Limits and guarantees"). They are persistent
// flags of the root command.
type limitFlags struct {
	maxSize       int64
	maxEvents     float64
	eventsSet     bool // --max-events was given: runs stop there instead of being refused
	maxInstances  int
	maxWall       time.Duration
	traceAnywhere bool
	errOut        io.Writer
}

// defaultLimits returns the limits before any flag is parsed.
func defaultLimits() *limitFlags {
	return &limitFlags{maxSize: scenario.DefaultMaxSize, maxEvents: scenario.DefaultMaxEvents, maxInstances: scenario.DefaultMaxInstances}
}

// addLimitFlags registers the limit flags on root; the parsed values go to
// f.limits.
func addLimitFlags(root *cobra.Command, f *factory) {
	limits := defaultLimits()
	limits.errOut = f.errOut
	f.limits = limits
	fl := root.PersistentFlags()
	fl.Int64Var(&limits.maxSize, "max-scenario-size", scenario.DefaultMaxSize, "largest scenario file read, bytes")
	fl.Float64Var(&limits.maxEvents, "max-events", scenario.DefaultMaxEvents,
		"refuse runs estimated to need more engine events; when given, stop runs there with a partial result instead")
	fl.IntVar(&limits.maxInstances, "max-instances", scenario.DefaultMaxInstances, "most instances (and, separately, nodes) a scenario may create")
	fl.DurationVar(&limits.maxWall, "max-wall", 0, "stop a run after this much wall-clock time with a partial result (0: no limit)")
	fl.BoolVar(&limits.traceAnywhere, "allow-trace-anywhere", false, "let trace paths leave the scenario file's folder")
	root.PersistentPreRunE = func(cmd *cobra.Command, _ []string) error {
		limits.eventsSet = cmd.Flags().Changed("max-events")
		switch {
		case limits.maxSize <= 0:
			return badInput(fmt.Errorf("--max-scenario-size must be > 0, got %d", limits.maxSize))
		case !(limits.maxEvents > 0):
			return badInput(fmt.Errorf("--max-events must be > 0, got %v", limits.maxEvents))
		case limits.maxInstances <= 0:
			return badInput(fmt.Errorf("--max-instances must be > 0, got %d", limits.maxInstances))
		case limits.maxWall < 0:
			return badInput(fmt.Errorf("--max-wall must be >= 0, got %v", limits.maxWall))
		}
		return nil
	}
}

// scenario returns the limits scenario parsing applies. An explicit
// --max-events bounds the run itself, so the estimate is not checked.
func (l *limitFlags) scenario() scenario.Limits {
	lim := scenario.Limits{MaxSize: l.maxSize, MaxEvents: l.maxEvents, MaxInstances: l.maxInstances, TraceAnywhere: l.traceAnywhere}
	if l.eventsSet {
		lim.MaxEvents = 0
	}
	return lim
}

// runBudget stops one run at --max-events or --max-wall. check costs
// nothing per event: the engine calls it through the progress callback,
// every 65,536 events, so a run stops at the first such boundary at or
// past the budget.
type runBudget struct {
	maxEvents int64
	deadline  time.Time     // zero: none
	maxWall   time.Duration // the --max-wall the deadline came from
	errOut    io.Writer
}

// start returns the budget of a run starting now.
func (l *limitFlags) start() *runBudget {
	b := &runBudget{maxEvents: int64(min(l.maxEvents, 1<<62)), maxWall: l.maxWall, errOut: l.errOut}
	if l.maxWall > 0 {
		b.deadline = time.Now().Add(l.maxWall)
	}
	return b
}

// check stops c with a partial result once a budget is spent.
func (b *runBudget) check(c *models.Cluster) {
	reason := ""
	switch {
	case b.maxEvents > 0 && c.Events() >= b.maxEvents:
		reason = fmt.Sprintf("--max-events %d reached", b.maxEvents)
	case !b.deadline.IsZero() && time.Now().After(b.deadline):
		reason = fmt.Sprintf("--max-wall %s reached", b.maxWall)
	default:
		return
	}
	if b.errOut != nil {
		fmt.Fprintf(b.errOut, "clustersim: %s after %d events: stopping with partial results (summary.json: \"incomplete\": true)\n", reason, c.Events())
	}
	b.maxEvents, b.deadline = 0, time.Time{}
	c.StopEarly(reason)
}
