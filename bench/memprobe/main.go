// Command memprobe runs a scenario's simulation only (no summary.json, no
// CSV, no plots, no report) and prints its peak memory, to tell the
// simulation's memory from that of writing the outputs. bench/memory.sh
// uses it next to full `clustersim run`s.
//
//	go run ./bench/memprobe -set sim.duration=10h scenarios/spike.toml
//
// It prints one line: scenario, duration, events, peak RSS (VmHWM from
// /proc/self/status, kB), and the Go runtime's peak heap in use seen by a
// sampler every 2^16 events (kB).
package main

import (
	"bufio"
	"flag"
	"fmt"
	"os"
	"runtime"
	"strings"

	"github.com/clustersim/clustersim/sim/engine"
	"github.com/clustersim/clustersim/sim/models"
	"github.com/clustersim/clustersim/sim/scenario"
)

type sets []string

func (s *sets) String() string     { return strings.Join(*s, ",") }
func (s *sets) Set(v string) error { *s = append(*s, v); return nil }

// discard is a RowSink that drops every row.
type discard struct{}

func (discard) Header([]string) error        { return nil }
func (discard) Row(float64, []float64) error { return nil }

func vmHWM() string {
	f, err := os.Open("/proc/self/status")
	if err != nil {
		return "?"
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if v, ok := strings.CutPrefix(sc.Text(), "VmHWM:"); ok {
			return strings.TrimSuffix(strings.TrimSpace(v), " kB")
		}
	}
	return "?"
}

func main() {
	var overrides sets
	flag.Var(&overrides, "set", "override a scenario key (repeatable)")
	flag.Parse()
	if flag.NArg() != 1 {
		fmt.Fprintln(os.Stderr, "usage: memprobe [-set key=value ...] SCENARIO.toml")
		os.Exit(2)
	}
	cfg, err := scenario.Load(flag.Arg(0), overrides)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(2)
	}
	mc, _, err := scenario.Build(cfg)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(2)
	}
	c, err := models.New(mc)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(2)
	}
	var ms runtime.MemStats
	var peakHeap uint64
	sample := func(engine.Time) {
		runtime.ReadMemStats(&ms)
		peakHeap = max(peakHeap, ms.HeapInuse)
	}
	sum, err := c.Run(discard{}, sample)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	sample(0)
	fmt.Printf("%s duration=%s events=%d vmhwm_kB=%s peak_heap_inuse_kB=%d\n",
		cfg.Sim.Name, engine.Duration(mc.Duration), sum.Events, vmHWM(), peakHeap/1024)
}
