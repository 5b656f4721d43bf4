package models

import (
	"errors"
	"fmt"
	"io"
	"math"

	"github.com/clustersim/clustersim/sim/engine"
)

// Trace replay: a workload with arrival Trace streams its requests from a
// TraceSource, one record ahead of the clock, so that a trace of any
// length costs the same memory. A record may carry the request's service
// time, key, user and endpoint (identify, identity.go); speed scales the
// trace's clock and loop replays it again.

// TraceRecord is one request of a trace.
type TraceRecord struct {
	Time        float64 // seconds from the start of the trace, non-decreasing
	ServiceTime float64 // seconds; NaN to draw one from the workload's service_time
	Key         int64   // the request's key; -1 for none
	User        int64   // the request's user in its workload, 0 to Users-1; -1 for none
	Endpoint    int32   // index into the workload's Endpoints; -1 for none (drawn by weight)
}

// TraceSource streams a trace's records.
type TraceSource interface {
	// Next returns the next record, or io.EOF after the last.
	Next() (TraceRecord, error)
	// Rewind starts the trace over.
	Rewind() error
	// Close releases the source.
	Close() error
}

// ReplaySpec is a trace workload's source and its replay settings.
type ReplaySpec struct {
	// Open opens the trace at the start of a run; the run closes it.
	Open  func() (TraceSource, error)
	Name  string          // the trace's file, for errors
	Speed float64         // the trace's clock runs this many times faster; > 0
	Loop  bool            // replay again after the last record ...
	Span  engine.Duration // ... each pass shifted by this (trace time); > 0 with Loop
	Keys  int             // key space of the trace's keys (largest + 1), 0 without keys
	// Users is the user ids of the trace's users (largest + 1), 0 without
	// users: the workload owns max(Users, UserIDs) ids (identity.go).
	Users int
}

// replay is a trace workload's position in its trace.
type replay struct {
	spec ReplaySpec
	src  TraceSource
	pass int64       // passes completed (Loop)
	cur  TraceRecord // the record of the arrival being handled
	pend TraceRecord // the record of the next arrival
	err  error       // the error that ended the replay, nil at a clean end
	eps  int         // the workload's endpoints: a record's Endpoint is below
}

// next reads the record after the pending one and returns its arrival
// time, or -1 when the trace is over (or failed: err says so).
func (r *replay) next() engine.Time {
	r.cur = r.pend
	if r.src == nil {
		return -1
	}
	rec, err := r.src.Next()
	if err == io.EOF && r.spec.Loop && r.spec.Span > 0 {
		r.pass++
		if err = r.src.Rewind(); err == nil {
			rec, err = r.src.Next()
		}
	}
	if err != nil {
		if err != io.EOF {
			r.err = err
		}
		r.close()
		return -1
	}
	if rec.Key >= int64(r.spec.Keys) && rec.Key >= 0 || rec.User >= int64(r.spec.Users) || int(rec.Endpoint) >= r.eps {
		r.err = fmt.Errorf("%s: a record's key, user or endpoint is past those checked (the trace changed since it was checked)", r.spec.Name)
		r.close()
		return -1
	}
	r.pend = rec
	at := (rec.Time + float64(r.pass)*r.spec.Span.Seconds()) / r.spec.Speed
	return engine.Time(engine.FromSeconds(at))
}

// close closes the source, keeping the first error.
func (r *replay) close() {
	if r.src == nil {
		return
	}
	if err := r.src.Close(); err != nil && r.err == nil {
		r.err = err
	}
	r.src = nil
}

// openReplays opens the traces of the replayed workloads, at the start of
// a run.
func (c *Cluster) openReplays() error {
	for _, w := range c.workloads {
		if w.replay == nil {
			continue
		}
		src, err := w.replay.spec.Open()
		if err != nil {
			return fmt.Errorf("models: workload %q: trace: %w", w.spec.Name, err)
		}
		w.replay.src = src
	}
	return nil
}

// closeReplays closes the traces still open and returns the first
// error a replay met.
func (c *Cluster) closeReplays() error {
	var errs []error
	for _, w := range c.workloads {
		if w.replay == nil {
			continue
		}
		w.replay.close()
		if w.replay.err != nil {
			errs = append(errs, fmt.Errorf("models: workload %q: trace: %w", w.spec.Name, w.replay.err))
		}
	}
	return errors.Join(errs...)
}

// replayEnded stops the run when a replay failed.
func (c *Cluster) replayEnded(w *workload) {
	if w.replay.err != nil && c.runErr == nil {
		c.runErr = fmt.Errorf("models: workload %q: trace: %w", w.spec.Name, w.replay.err)
		c.sim.Stop()
	}
}

// replayRequest gives request id the service time and key its trace
// record carries.
func (c *Cluster) replayRequest(w *workload, id RequestID) {
	rec := &w.replay.cur
	if !math.IsNaN(rec.ServiceTime) {
		c.pool.reqs[id].work = engine.FromSeconds(rec.ServiceTime)
	}
	if rec.Key >= 0 && c.pool.keys.on {
		c.pool.keys.v[id] = uint64(rec.Key) + 1
	}
}

// newReplay checks a replay spec and returns its state; eps is the
// workload's endpoints.
func newReplay(spec *ReplaySpec, eps int) (*replay, error) {
	if spec == nil || spec.Open == nil {
		return nil, errors.New("a trace workload needs a trace")
	}
	if !(spec.Speed > 0) || math.IsInf(spec.Speed, 0) || spec.Loop && spec.Span <= 0 || spec.Keys < 0 || spec.Users < 0 {
		return nil, fmt.Errorf("bad replay %+v", *spec)
	}
	return &replay{spec: *spec, eps: eps}, nil
}
