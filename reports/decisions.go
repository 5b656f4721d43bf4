package reports

import (
	"bufio"
	"encoding/csv"
	"path/filepath"
	"strconv"

	"github.com/clustersim/clustersim/sim/results"
)

// DecisionsFile is the base name of the autoscaler decision log.
const DecisionsFile = "decisions.csv"

// DecisionsWriter streams decisions.csv: one row per autoscaler sync tick
// (time_s, service, policy, metric, current, recommended, desired,
// reason), so every
// decision is on record however long the run. The file appears under its
// final name only on Commit.
type DecisionsWriter struct {
	file *AtomicFile
	buf  *bufio.Writer
	w    *csv.Writer
	rec  []string
}

// NewDecisionsWriter starts dir/decisions.csv with its header.
func NewDecisionsWriter(dir string) (*DecisionsWriter, error) {
	f, err := CreateAtomic(filepath.Join(dir, DecisionsFile))
	if err != nil {
		return nil, err
	}
	buf := bufio.NewWriterSize(f, 64<<10)
	d := &DecisionsWriter{file: f, buf: buf, w: csv.NewWriter(buf), rec: make([]string, 8)}
	if err := d.w.Write([]string{"time_s", "service", "policy", "metric", "current", "recommended", "desired", "reason"}); err != nil {
		f.Abort()
		return nil, err
	}
	return d, nil
}

// Write records one decision.
func (d *DecisionsWriter) Write(x results.Decision) error {
	d.rec[0] = FormatFloat(x.TimeS)
	d.rec[1] = x.Service
	d.rec[2] = x.Policy
	d.rec[3] = FormatFloat(x.Metric)
	d.rec[4] = strconv.Itoa(x.Current)
	d.rec[5] = strconv.Itoa(x.Recommended)
	d.rec[6] = strconv.Itoa(x.Desired)
	d.rec[7] = x.Reason
	return d.w.Write(d.rec)
}

// Commit flushes and moves the file into place.
func (d *DecisionsWriter) Commit() error {
	d.w.Flush()
	if err := d.w.Error(); err != nil {
		d.file.Abort()
		return err
	}
	if err := d.buf.Flush(); err != nil {
		d.file.Abort()
		return err
	}
	return d.file.Commit()
}

// Abort removes the unfinished file.
func (d *DecisionsWriter) Abort() { d.file.Abort() }
