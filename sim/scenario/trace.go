package scenario

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"math"
	"os"

	"github.com/clustersim/clustersim/sim/engine"
	"github.com/clustersim/clustersim/sim/models"
	"github.com/clustersim/clustersim/sim/tomlpos"
	"github.com/clustersim/clustersim/sim/trace"
)

// This file holds a trace workload's keys besides trace itself (speed,
// loop) and the reading of its trace file, streamed by package trace at
// parse time to check it and again during the run; config.go declares
// the fields.

// TraceInfo is what reading a workload's trace through found.
type TraceInfo struct {
	Path     string  // the file, resolved against the scenario's folder
	FS       fs.FS   // where Path is read from (the embedded library); nil: the operating system
	Requests int64   // records
	End      float64 // the last arrival time, seconds
	Keys     int     // the largest key + 1; 0 when no record has a key
	Users    int     // the largest user + 1; 0 when no record has a user
	Work     bool    // some record has a service time
	// Endpoints is set when some record names an endpoint (one of the
	// workload's: others are refused with the line).
	Endpoints bool
}

// endpointNames returns the names of a workload's endpoints.
func endpointNames(w *Workload) []string {
	names := make([]string, len(w.Endpoints))
	for i, e := range w.Endpoints {
		names[i] = e.Name
	}
	return names
}

// Limits on trace replay.
const (
	maxTraceErrors = 10  // bad lines reported
	maxSpeed       = 1e6 // the largest speed
)

// validateReplay checks a workload's speed and loop keys.
func (d *checker) validateReplay(w *Workload, p tomlpos.Path) {
	for _, k := range []string{"speed", "loop"} {
		if d.IsSet(p.Child(k)) && w.Arrival != ArrivalTrace {
			d.Errorf(ErrInvalid, p.Child(k), `set arrival = "trace"`, "%s applies to a replayed trace, not arrival = %q", k, w.Arrival)
		}
	}
	if ti := w.TraceInfo; w.Lifetime != nil && (ti.Work || ti.Keys > 0 || ti.Users > 0 || ti.Endpoints) {
		d.Errorf(ErrInvalid, p.Child("lifetime"), "use a trace of arrival times only, or drop lifetime",
			"trace %s gives requests service times, keys, users or endpoints, and with lifetime its arrivals are long-lived connections", w.TraceInfo.Path)
	}
	if sp := p.Child("speed"); d.IsSet(sp) && !(w.Speed > 0 && w.Speed <= maxSpeed) {
		d.Errorf(ErrInvalid, sp, "2 replays twice as fast, 0.5 half as fast", "must be > 0 and at most %g, got %v", maxSpeed, w.Speed)
	}
}

// readTrace reads the trace at path of workload w (at wp) through,
// reporting its bad lines (the first maxTraceErrors) with their line
// numbers in the trace; an endpoint a line names must be one of w's.
func (d *checker) readTrace(fsys fs.FS, path string, w *Workload, wp tomlpos.Path) TraceInfo {
	p := wp.Child("trace")
	const hint = "the path is relative to the scenario file"
	info := TraceInfo{Path: path, FS: fsys}
	var st fs.FileInfo
	var err error
	if fsys != nil {
		st, err = fs.Stat(fsys, path)
	} else {
		st, err = os.Stat(path)
	}
	if err != nil {
		d.Errorf(ErrInvalid, p, hint, "cannot read trace: %v", err)
		return info
	}
	if !st.Mode().IsRegular() {
		d.Errorf(ErrInvalid, p, hint, "trace %s is not a regular file", tomlpos.Escape(path))
		return info
	}
	r, err := trace.OpenFS(fsys, path)
	if err != nil {
		d.Errorf(ErrInvalid, p, hint, "cannot read trace: %v", err)
		return info
	}
	defer r.Close()
	names := endpointNames(w)
	r.SetEndpoints(names)
	format := r.Format()
	bad := 0
	noEndpoints := false // an endpoint given while w declares none: reported once
	for {
		rec, err := r.Next()
		if err == io.EOF {
			break
		}
		var le *trace.LineError
		if errors.As(err, &le) && le.Endpoint != "" && len(names) == 0 {
			if !noEndpoints {
				d.Add(&Error{File: path, Line: le.Line, Key: wp.Child("endpoints").Key(), Kind: ErrMissing,
					Msg:  fmt.Sprintf("the trace names endpoint %q, and workload %q declares no endpoints", le.Endpoint[:min(len(le.Endpoint), 32)], w.Name),
					Hint: "declare the endpoints the trace names: endpoints = [{ name = ..., service_time = ... }]"})
			}
			noEndpoints = true
			continue
		}
		if errors.As(err, &le) {
			bad++
			hint := format.Hint()
			if le.Endpoint != "" {
				hint = tomlpos.DidYouMean(le.Endpoint, names)
			}
			if bad <= maxTraceErrors {
				d.Add(&Error{File: path, Line: le.Line, Key: p.Key(), Msg: le.Msg, Hint: hint, Kind: ErrInvalid})
			}
			continue
		}
		if err != nil {
			d.Errorf(ErrInvalid, p, "", "cannot read trace %s: %v", tomlpos.Escape(path), err)
			return info
		}
		info.Requests++
		info.End = rec.Time
		if rec.Key >= 0 {
			info.Keys = max(info.Keys, int(rec.Key)+1)
		}
		if rec.User >= 0 {
			info.Users = max(info.Users, int(rec.User)+1)
		}
		info.Endpoints = info.Endpoints || rec.Endpoint >= 0
		info.Work = info.Work || !math.IsNaN(rec.ServiceTime)
	}
	switch {
	case bad > maxTraceErrors:
		d.Errorf(ErrInvalid, p, "", "trace %s has %d bad lines; only the first %d are shown", path, bad, maxTraceErrors)
	case bad == 0 && info.Requests == 0 && !noEndpoints:
		d.Errorf(ErrInvalid, p, format.Hint(), "trace %s holds no arrival times", path)
	}
	return info
}

// checkLoop refuses to loop a trace that spans no time.
func (d *checker) checkLoop(w *Workload, p tomlpos.Path) {
	if w.Loop && w.TraceInfo.Requests > 0 && !(w.TraceInfo.End > 0) {
		d.Errorf(ErrInvalid, p.Child("loop"), "each pass is shifted by the last arrival time", "trace %s ends at 0 s: it cannot loop", w.TraceInfo.Path)
	}
}

// buildReplay gives a trace workload's spec its streamed source.
func buildReplay(w Workload, spec *models.WorkloadSpec) {
	path, fsys, names := w.TraceInfo.Path, w.TraceInfo.FS, endpointNames(&w)
	speed := w.Speed
	if speed == 0 {
		speed = 1
	}
	spec.Replay = &models.ReplaySpec{
		Open:  func() (models.TraceSource, error) { return openSource(fsys, path, names) },
		Name:  path,
		Speed: speed,
		Loop:  w.Loop,
		Span:  engine.FromSeconds(w.TraceInfo.End),
		Keys:  w.TraceInfo.Keys,
		Users: w.TraceInfo.Users,
	}
}

// traceArrivals is the number of arrivals a trace workload sends in a
// run of dur.
func traceArrivals(w Workload, dur Duration) float64 {
	n := float64(w.TraceInfo.Requests)
	if w.Loop && w.TraceInfo.End > 0 {
		speed := w.Speed
		if speed == 0 {
			speed = 1
		}
		n *= math.Ceil(engine.Duration(dur).Seconds() * speed / w.TraceInfo.End)
	}
	return n
}

// source adapts a trace.Reader to models.TraceSource.
type source struct{ r *trace.Reader }

func openSource(fsys fs.FS, path string, endpoints []string) (models.TraceSource, error) {
	r, err := trace.OpenFS(fsys, path)
	if err != nil {
		return nil, err
	}
	r.SetEndpoints(endpoints)
	return source{r}, nil
}

func (s source) Next() (models.TraceRecord, error) {
	rec, err := s.r.Next()
	if err != nil {
		if err != io.EOF {
			err = fmt.Errorf("%w (the trace changed since it was checked)", err)
		}
		return models.TraceRecord{}, err
	}
	return models.TraceRecord{Time: rec.Time, ServiceTime: rec.ServiceTime, Key: rec.Key, User: rec.User, Endpoint: rec.Endpoint}, nil
}

func (s source) Rewind() error { return s.r.Rewind() }
func (s source) Close() error  { return s.r.Close() }
