package reports

import (
	"fmt"
	"io"
	"text/tabwriter"

	"github.com/clustersim/clustersim/sim/results"
)

// SummaryTable prints the short human-readable summary shown at the end of
// a run: scenario, simulated time, requests by outcome, throughput,
// latency, one line per service (sorted by name) and the assertions, figures
// to 3 significant digits (FormatSig) and counts whole. Write
// errors are ignored; it is meant for a terminal.
func SummaryTable(w io.Writer, s *results.Summary) {
	if s == nil {
		s = &results.Summary{}
	}
	f := func(v float64) string { // 3 significant digits; counts print whole; a missing figure reads "-"
		if results.IsMissing(v) {
			return "-"
		}
		return FormatSig(v)
	}
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	r, l := s.Requests, s.LatencyMs
	fmt.Fprintf(tw, "scenario\t%s (seed %d)\n", s.Scenario, s.Seed)
	fmt.Fprintf(tw, "simulated\t%s after %s warm-up, %d events\n", formatDuration(s.SimDurationS), formatDuration(s.WarmupS), s.Events)
	fmt.Fprintf(tw, "requests\t%d total, %d ok, %d errors (%d timeouts, %d rejected, %d failed), %d retries\n",
		r.Total, r.OK, r.Errors, r.Timeouts, r.Rejected, r.Failed, r.Retries)
	fmt.Fprintf(tw, "throughput\t%s ok/s\n", f(s.ThroughputRPS))
	fmt.Fprintf(tw, "error ratio\t%s\n", f(r.ErrorRatio))
	fmt.Fprintf(tw, "latency ms\tp50 %s, p95 %s, p99 %s, max %s\n", f(l.P50), f(l.P95), f(l.P99), f(l.Max))
	fmt.Fprintf(tw, "cost\t%s USD\n", f(s.Cost.TotalUSD))
	tw.Flush()

	if len(s.Services) > 0 {
		fmt.Fprintln(w)
		tw = tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
		fmt.Fprintln(tw, "service\treplicas min/mean/max\tutilization mean/max\tqueue max\tcost USD")
		for _, name := range sortedKeys(s.Services) {
			sv := s.Services[name]
			fmt.Fprintf(tw, "%s\t%s / %s / %s\t%s / %s\t%d\t%s\n", name,
				f(sv.Replicas.Min), f(sv.Replicas.Mean), f(sv.Replicas.Max),
				percent(sv.Utilization.Mean), percent(sv.Utilization.Max), sv.QueueMax, f(s.Cost.Services[name]))
		}
		tw.Flush()
		functionTable(w, s, f)
	}

	if len(s.Assertions) > 0 {
		failed := 0
		for _, a := range s.Assertions {
			if !a.OK {
				failed++
			}
		}
		fmt.Fprintln(w)
		if failed > 0 {
			fmt.Fprintf(w, "assertions: %d of %d FAILED\n", failed, len(s.Assertions))
		} else {
			fmt.Fprintf(w, "assertions: all %d passed\n", len(s.Assertions))
		}
		tw = tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
		for _, a := range s.Assertions {
			res := "PASS"
			if !a.OK {
				res = "FAIL"
			}
			fmt.Fprintf(tw, "%s\t%s\t%s = %s\t(limit %s)\n", res, a.Name, a.Metric, FormatAssertionValue(a), a.Limit)
		}
		tw.Flush()
	}
}

// functionTable prints one line per function service: its cold starts,
// throttles and p99 with and without cold starts. Nothing without one.
func functionTable(w io.Writer, s *results.Summary, f func(float64) string) {
	var tw *tabwriter.Writer
	for _, name := range sortedKeys(s.Services) {
		sv := s.Services[name]
		fn := sv.Function
		if fn == nil {
			continue
		}
		if tw == nil {
			fmt.Fprintln(w)
			tw = tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
			fmt.Fprintln(tw, "function	cold starts (ratio)	throttles	environments max	p99 ms warm / cold")
		}
		fmt.Fprintf(tw, "%s\t%d (%s)\t%d\t%d\t%s / %s\n", name, sv.ColdStarts, f(fn.ColdStartRatio), sv.Throttles,
			fn.EnvironmentsMax, f(fn.LatencyMsWarm.P99), f(fn.LatencyMsCold.P99))
	}
	if tw != nil {
		tw.Flush()
	}
}
