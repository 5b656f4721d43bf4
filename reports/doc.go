// Package reports turns a run's results into files: summary.json,
// timeseries.csv, plots (PNG and SVG, drawn with gonum/plot) and a
// self-contained report.html, plus the short table printed at the end of a
// run. It is pure results → bytes: no clock, no environment, and every file
// is written atomically (temporary file, sync, rename), so an interrupted
// run never leaves a half-written file under a final name. The same inputs
// give byte-identical files: floats are rounded to 4 decimal places and
// maps are emitted in sorted order. A missing figure (NaN or infinite,
// see results.Missing) is null in summary.json, an empty field in
// timeseries.csv and a gap in the plots, never 0.
//
// A run streams its windows to the CSV while keeping a bounded copy for
// the plots, then writes the rest:
//
//	tw, err := reports.NewTimeseriesWriter(dir)
//	if err != nil { ... }
//	defer tw.Abort() // no-op after Commit
//	rec := reports.NewSeriesRecorder(columns, 4096)
//	tw.Header(columns)
//	for each window {
//		rec.Add(t, values)
//		if err := tw.Row(t, values); err != nil { ... }
//	}
//	ann := &reports.Annotations{WarmupS: 60, Events: ..., Limits: ...}
//	plots, err := reports.WritePlotsWith(dir, rec.Series(), services, ann)
//	err = reports.WriteReportWith(dir, summary, plots, reports.ReportExtras{
//		Source: scenarioFile, File: path, Annotations: ann,
//	})
//	err = tw.Commit()
//	err = reports.WriteSummary(dir, summary)
//	reports.SummaryTable(os.Stdout, summary)
//
// Annotations are what the plots draw besides the series: the warm-up
// shaded, events (rate changes, scaling decisions, node failures) on every
// time axis, and limits (assertions via AssertLimits, autoscaler targets
// via TargetLimit) as horizontal lines on the panels plotting their
// metric. Each figure's caption in report.html (Caption) says what to look
// for and what its annotations mean.
//
// Plots of runs longer than the recorder's bound show values averaged over
// adjacent windows; timeseries.csv always holds every window.
package reports
