// Package assertion evaluates a scenario's [[assert]] blocks against a
// run's summary. A metric is a dotted path into summary.json, such as
// "latency_ms.p99" or "services.api.replicas.max".
package assertion

import (
	"encoding/json"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/clustersim/clustersim/sim/results"
)

// Spec is one assertion: a summary metric and its bounds.
type Spec struct {
	Name   string   // what the assertion checks, in words
	Metric string   // dotted summary.json path
	Min    *float64 // fails if the value is below (nil: no lower bound)
	Max    *float64 // fails if the value is above (nil: no upper bound)
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

// Evaluate checks every spec against the summary, in order. A metric that
// does not name a number in the summary is an error.
func Evaluate(sum *results.Summary, specs []Spec) ([]results.Assertion, error) {
	flat, err := Flatten(sum)
	if err != nil {
		return nil, err
	}
	out := make([]results.Assertion, 0, len(specs))
	for _, s := range specs {
		v, ok := flat[s.Metric]
		if !ok {
			return nil, fmt.Errorf("assertion %q: summary has no number at %q", s.Name, s.Metric)
		}
		pass := (s.Min == nil || v >= *s.Min) && (s.Max == nil || v <= *s.Max)
		out = append(out, results.Assertion{Name: s.Name, Metric: s.Metric, OK: pass, Value: v, Limit: s.Limit()})
	}
	return out, nil
}

// Flatten returns every number in the summary's JSON form by dotted path.
func Flatten(sum *results.Summary) (map[string]float64, error) {
	b, err := json.Marshal(sum)
	if err != nil {
		return nil, err
	}
	return FlattenJSON(b)
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
		sum.Services[s] = results.ServiceSummary{}
		sum.Cost.Services[s] = 0
	}
	for _, w := range workloads {
		sum.Workloads[w] = results.WorkloadSummary{}
	}
	flat, _ := Flatten(sum) // a zero summary always marshals
	paths := make([]string, 0, len(flat))
	for p := range flat { // map order: sorted below
		paths = append(paths, p)
	}
	slices.Sort(paths)
	return paths
}
