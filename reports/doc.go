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
//	plots, err := reports.WritePlots(dir, rec.Series(), services)
//	err = reports.WriteReport(dir, summary, plots)
//	err = tw.Commit()
//	err = reports.WriteSummary(dir, summary)
//	reports.SummaryTable(os.Stdout, summary)
//
// Plots of runs longer than the recorder's bound show values averaged over
// adjacent windows; timeseries.csv always holds every window.
package reports
