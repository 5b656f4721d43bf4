package assertion

import (
	"fmt"
	"math"

	"github.com/clustersim/clustersim/sim/engine"
	"github.com/clustersim/clustersim/sim/results"
	"github.com/clustersim/clustersim/sim/tomlpos"
)

// RowSink receives a run's time series one metrics window at a time; it
// is the shape of models.RowSink, declared here by its consumer.
type RowSink interface {
	Header(columns []string) error
	Row(timeS float64, values []float64) error
}

// Tracker evaluates a scenario's assertions. As a RowSink it watches the
// time series stream past, passing every call on to the next sink, and
// folds each windowed assertion's column into its aggregate on the fly,
// in constant memory and without allocating per row. Evaluate then checks
// every assertion, summary and windowed, in order.
type Tracker struct {
	specs []Spec
	acc   []windowAcc // one per spec; unused for summary specs
	next  RowSink
	prev  engine.Time // end of the previous window: the next one's start
}

// windowAcc is one windowed assertion's running aggregate.
type windowAcc struct {
	col      int // column index, -1 until Header
	windows  int // windows within the range
	n        int // of those, windows with a value
	sum      float64
	min, max float64
	last     float64
}

var _ RowSink = (*Tracker)(nil)

// NewTracker returns a tracker for specs that passes the series on to
// next (nil: nowhere).
func NewTracker(specs []Spec, next RowSink) *Tracker {
	t := &Tracker{specs: specs, acc: make([]windowAcc, len(specs)), next: next}
	for i := range t.acc {
		t.acc[i].col = -1
	}
	return t
}

// Header finds each windowed assertion's column. An unknown column is an
// error naming the nearest column (validation normally catches it first).
func (t *Tracker) Header(columns []string) error {
	for i, s := range t.specs {
		if s.Series == "" {
			continue
		}
		t.acc[i].col = -1
		for j, c := range columns {
			if c == s.Series {
				t.acc[i].col = j
			}
		}
		if t.acc[i].col < 0 {
			msg := fmt.Sprintf("assertion %q: no timeseries column %q", s.Name, s.Series)
			if hint := tomlpos.DidYouMean(s.Series, columns); hint != "" {
				msg += " (" + hint + ")"
			}
			return fmt.Errorf("%s", msg)
		}
	}
	if t.next != nil {
		return t.next.Header(columns)
	}
	return nil
}

// Row folds one window, ending at timeS simulated seconds and starting
// where the previous one ended, into every windowed assertion whose range
// holds the whole window. Missing values are counted but not folded.
func (t *Tracker) Row(timeS float64, values []float64) error {
	end := engine.Time(engine.FromSeconds(timeS))
	start := t.prev
	t.prev = end
	for i := range t.specs {
		s, a := &t.specs[i], &t.acc[i]
		if a.col < 0 || start < engine.Time(s.From) || end > engine.Time(s.To) {
			continue
		}
		a.windows++
		v := values[a.col]
		if results.IsMissing(v) {
			continue
		}
		if a.n == 0 {
			a.min, a.max = v, v
		}
		a.n++
		a.sum += v
		a.min = math.Min(a.min, v)
		a.max = math.Max(a.max, v)
		a.last = v
	}
	if t.next != nil {
		return t.next.Row(timeS, values)
	}
	return nil
}

// Evaluate checks every spec in order: summary specs against sum,
// windowed specs against the aggregates of the rows seen. A summary
// metric that names no number is an error. A windowed assertion with no
// window value in its range fails, saying why.
func (t *Tracker) Evaluate(sum *results.Summary) ([]results.Assertion, error) {
	flat, err := Flatten(sum)
	if err != nil {
		return nil, err
	}
	out := make([]results.Assertion, 0, len(t.specs))
	for i, s := range t.specs {
		if s.Series == "" {
			v, ok := flat[s.Metric]
			if !ok {
				return nil, fmt.Errorf("assertion %q: summary has no number at %q", s.Name, s.Metric)
			}
			out = append(out, check(s, v, MissingReason(s.Metric)))
			continue
		}
		a := &t.acc[i]
		v, reason := results.Missing(), ""
		switch {
		case a.windows == 0:
			reason = fmt.Sprintf("no whole window lies from %s to %s", s.From, s.To)
		case a.n == 0:
			reason = fmt.Sprintf("%s in any of %d windows from %s to %s", MissingReason(s.Series), a.windows, s.From, s.To)
		default:
			v = a.value(s.Agg)
		}
		out = append(out, check(s, v, reason))
	}
	return out, nil
}

// value returns the aggregate; a.n > 0.
func (a *windowAcc) value(agg Agg) float64 {
	switch agg {
	case AggMax:
		return a.max
	case AggMin:
		return a.min
	case AggMean:
		return a.sum / float64(a.n)
	case AggLast:
		return a.last
	default:
		panic("assertion: unknown aggregate " + string(agg))
	}
}
