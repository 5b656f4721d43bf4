// Package assertion evaluates a scenario's [[assert]] blocks after a run.
// A summary assertion bounds a summary.json figure named by its dotted
// path, such as "latency_ms.p99" or "services.api.replicas.max". A windowed
// assertion bounds an aggregate (max, min, mean, last) of a
// timeseries.csv column over a time range; a [Tracker] computes those
// aggregates while the series is streamed, so the series is never held.
//
// A missing figure (results.Missing: a percentile of no successful
// request, an error ratio of no request) never passes: the assertion
// fails with a Reason such as "no successful requests".
package assertion

import (
	"encoding/json"
	"errors"
	"fmt"
	"reflect"
	"slices"
	"strconv"
	"strings"

	"github.com/clustersim/clustersim/sim/engine"
	"github.com/clustersim/clustersim/sim/results"
)

// Spec is one assertion: a summary metric, or an aggregate of a
// timeseries column over a time range, and its bounds.
type Spec struct {
	Name   string   // what the assertion checks, in words
	Metric string   // dotted summary.json path; "" when Series is set
	Min    *float64 // fails if the value is below (nil: no lower bound)
	Max    *float64 // fails if the value is above (nil: no upper bound)

	// Series is the timeseries.csv column (SERVICE.METRIC) a windowed
	// assertion reads; "" for a summary assertion.
	Series string
	// From and To bound the windows read: a window counts when it lies
	// within [From, To] of simulated time.
	From, To engine.Duration
	// Agg folds the windows' values into one.
	Agg Agg
}

// Agg is how a windowed assertion folds its windows into one value.
type Agg string

// Aggregates. Windows without a value (a percentile in a window with no
// successful request) are skipped by all of them.
const (
	AggMax  Agg = "max"  // the largest window value
	AggMin  Agg = "min"  // the smallest window value
	AggMean Agg = "mean" // the unweighted mean of the window values
	AggLast Agg = "last" // the value of the latest window that has one
)

// Aggs lists the aggregates in documentation order.
var Aggs = []Agg{AggMax, AggMin, AggMean, AggLast}

// Describe names what the spec reads: its metric path, or for a windowed
// assertion "max(api.p99_ms) 5m..30m".
func (s Spec) Describe() string {
	if s.Series == "" {
		return s.Metric
	}
	return fmt.Sprintf("%s(%s) %s..%s", s.Agg, s.Series, s.From, s.To)
}

// Limit renders the bounds for people: "<= 250", ">= 3", ">= 3, <= 20".
func (s Spec) Limit() string {
	var parts []string
	if s.Min != nil {
		parts = append(parts, ">= "+strconv.FormatFloat(*s.Min, 'f', -1, 64))
	}
	if s.Max != nil {
		parts = append(parts, "<= "+strconv.FormatFloat(*s.Max, 'f', -1, 64))
	}
	return strings.Join(parts, ", ")
}

// ErrNeedsSeries is returned by Evaluate for a windowed assertion: its
// value comes from the streamed time series, through a Tracker.
var ErrNeedsSeries = errors.New("assertion: a windowed assertion needs the time series: evaluate it with a Tracker")

// Evaluate checks every summary spec against the summary, in order. A
// metric that does not name a number in the summary is an error, and so
// is a windowed spec (see Tracker.Evaluate).
func Evaluate(sum *results.Summary, specs []Spec) ([]results.Assertion, error) {
	for _, s := range specs {
		if s.Series != "" {
			return nil, fmt.Errorf("assertion %q: %w", s.Name, ErrNeedsSeries)
		}
	}
	return NewTracker(specs, nil).Evaluate(sum)
}

// check compares v with the spec's bounds. A missing v fails, with
// reason saying why it is missing.
func check(s Spec, v float64, reason string) results.Assertion {
	a := results.Assertion{Name: s.Name, Metric: s.Describe(), Value: v, Limit: s.Limit()}
	if results.IsMissing(v) {
		a.Value, a.Reason = results.Missing(), reason
		return a
	}
	a.OK = (s.Min == nil || v >= *s.Min) && (s.Max == nil || v <= *s.Max)
	return a
}

// MissingReason says why a figure at a summary path or timeseries column
// can be missing: latency figures need a successful request, ratios a
// request.
func MissingReason(name string) string {
	switch {
	case strings.Contains(name, "latency_ms.") || strings.HasSuffix(name, "_ms"):
		return "no successful requests"
	case strings.HasSuffix(name, "error_ratio"):
		return "no requests"
	default:
		return "no value"
	}
}

// Flatten returns every number in the summary's JSON form by dotted
// path; a missing figure (null in JSON) is results.Missing.
func Flatten(sum *results.Summary) (map[string]float64, error) {
	if sum == nil {
		return nil, errors.New("assertion: no summary")
	}
	flat := map[string]float64{}
	flatten(reflect.ValueOf(*sum), "", flat)
	return flat, nil
}

// FlattenJSON returns every number in a summary.json document by dotted
// path; null figures and non-numbers are absent.
func FlattenJSON(data []byte) (map[string]float64, error) {
	var tree map[string]any
	if err := json.Unmarshal(data, &tree); err != nil {
		return nil, err
	}
	flat := map[string]float64{}
	var walk func(prefix string, v any)
	walk = func(prefix string, v any) {
		switch x := v.(type) {
		case map[string]any:
			// map order: each leaf lands under its own path in flat
			for k, child := range x {
				p := k
				if prefix != "" {
					p = prefix + "." + k
				}
				walk(p, child)
			}
		case float64:
			flat[prefix] = x
		}
	}
	walk("", tree)
	return flat, nil
}

// flatten walks v as encoding/json would encode it, adding every number
// to flat under its dotted path. Arrays are skipped: no assertion indexes
// into them.
func flatten(v reflect.Value, prefix string, flat map[string]float64) {
	join := func(k string) string {
		if prefix == "" {
			return k
		}
		return prefix + "." + k
	}
	switch v.Kind() {
	case reflect.Float32, reflect.Float64:
		flat[prefix] = v.Float()
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		flat[prefix] = float64(v.Int())
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		flat[prefix] = float64(v.Uint())
	case reflect.Pointer:
		if !v.IsNil() {
			flatten(v.Elem(), prefix, flat)
		}
	case reflect.Map:
		iter := v.MapRange() // map order: each leaf lands under its own path
		for iter.Next() {
			flatten(iter.Value(), join(iter.Key().String()), flat)
		}
	case reflect.Struct:
		t := v.Type()
		for i := range t.NumField() {
			f := t.Field(i)
			if !f.IsExported() {
				continue
			}
			name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
			switch {
			case name == "-":
				continue
			case f.Anonymous && name == "":
				flatten(v.Field(i), prefix, flat) // embedded: fields promoted
				continue
			case name == "":
				name = f.Name
			}
			flatten(v.Field(i), join(name), flat)
		}
	}
}

// Paths returns the sorted metric paths an assertion may name for a run
// of the given services, workloads and node pools.
func Paths(services, workloads, pools []string) []string {
	sum := &results.Summary{
		Services:  map[string]results.ServiceSummary{},
		Workloads: map[string]results.WorkloadSummary{},
		Cost:      results.Cost{Services: map[string]float64{}},
	}
	if len(pools) > 0 {
		sum.NodePools = map[string]results.NodePoolSummary{}
		sum.Cost.NodePools = map[string]float64{}
	}
	for _, p := range pools {
		sum.NodePools[p] = results.NodePoolSummary{}
		sum.Cost.NodePools[p] = 0
	}
	for _, s := range services {
		// Function, cache, database and balancer-node figures are listed
		// for every service: which services have them is not known here.
		sum.Services[s] = results.ServiceSummary{Function: &results.FunctionSummary{}, Cache: &results.CacheSummary{Coalesced: new(int64)},
			LostToBalancer: new(int64), LostToRegion: new(int64), Database: &results.DatabaseSummary{Pool: &results.PoolSummary{}}}
		sum.Cost.Services[s] = 0
	}
	// requests.hedges is listed though only hedging workloads have it.
	sum.Requests.Hedges = new(int64)
	for _, w := range workloads {
		sum.Workloads[w] = results.WorkloadSummary{Requests: results.Requests{Hedges: new(int64)}}
	}
	flat, _ := Flatten(sum) // never fails on a non-nil summary
	paths := make([]string, 0, len(flat))
	for p := range flat { // map order: sorted below
		paths = append(paths, p)
	}
	slices.Sort(paths)
	return paths
}
