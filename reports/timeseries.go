package reports

import (
	"bufio"
	"errors"
	"fmt"
	"path/filepath"
	"strings"
)

// TimeseriesFile is the base name of the per-window time series.
const TimeseriesFile = "timeseries.csv"

// TimeseriesWriter streams timeseries.csv one metrics window at a time:
// memory does not grow with the number of rows, and a row costs no
// allocation once the line buffer has grown to fit. The file appears under
// its final name only on Commit.
type TimeseriesWriter struct {
	file *AtomicFile
	w    *bufio.Writer
	cols int    // columns after time_s; -1 until Header
	line []byte // reused line buffer
	err  error  // first error; every later call returns it
}

// NewTimeseriesWriter starts dir/timeseries.csv. Call Header, then Row per
// window, then Commit, or Abort to leave nothing behind.
func NewTimeseriesWriter(dir string) (*TimeseriesWriter, error) {
	f, err := CreateAtomic(filepath.Join(dir, TimeseriesFile))
	if err != nil {
		return nil, err
	}
	return &TimeseriesWriter{file: f, w: bufio.NewWriterSize(f, 64<<10), cols: -1}, nil
}

// Header writes the header line: time_s followed by columns, each named
// SERVICE.METRIC. Column names must not contain commas, quotes or line
// breaks.
func (t *TimeseriesWriter) Header(columns []string) error {
	if t.err != nil {
		return t.err
	}
	if t.cols >= 0 {
		return t.fail(errors.New("reports: timeseries header written twice"))
	}
	for _, c := range columns {
		if c == "" || strings.ContainsAny(c, ",\"\r\n") {
			return t.fail(fmt.Errorf("reports: timeseries column %q cannot be written to CSV unquoted", c))
		}
	}
	t.cols = len(columns)
	t.line = append(t.line[:0], "time_s"...)
	for _, c := range columns {
		t.line = append(t.line, ',')
		t.line = append(t.line, c...)
	}
	return t.flushLine()
}

// Row writes one window: its end time in simulated seconds and one value
// per header column, each formatted as FormatFloat does (an empty field for
// a missing value).
func (t *TimeseriesWriter) Row(timeS float64, values []float64) error {
	if t.err != nil {
		return t.err
	}
	if t.cols < 0 {
		return t.fail(errors.New("reports: timeseries row before header"))
	}
	if len(values) != t.cols {
		return t.fail(fmt.Errorf("reports: timeseries row at %gs has %d values, header has %d columns", timeS, len(values), t.cols))
	}
	t.line = appendFloat(t.line[:0], timeS)
	for _, v := range values {
		t.line = append(t.line, ',')
		t.line = appendFloat(t.line, v)
	}
	return t.flushLine()
}

// Commit flushes the file and moves it to its final name. It fails, leaving
// nothing behind, if no header was written or an earlier call failed.
func (t *TimeseriesWriter) Commit() error {
	if t.err == nil && t.cols < 0 {
		t.err = errors.New("reports: timeseries committed without a header")
	}
	if t.err == nil {
		t.err = t.w.Flush()
	}
	if t.err != nil {
		t.file.Abort()
		return t.err
	}
	t.err = ErrFinished
	return t.file.Commit()
}

// Abort discards the file. It is a no-op after Commit.
func (t *TimeseriesWriter) Abort() {
	t.file.Abort()
	if t.err == nil {
		t.err = ErrFinished
	}
}

// flushLine writes t.line and a newline to the buffered writer.
func (t *TimeseriesWriter) flushLine() error {
	t.line = append(t.line, '\n')
	if _, err := t.w.Write(t.line); err != nil {
		return t.fail(err)
	}
	return nil
}

// fail records err as the writer's sticky error and returns it.
func (t *TimeseriesWriter) fail(err error) error {
	t.err = err
	return err
}
