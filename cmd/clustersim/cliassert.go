package main

import (
	"fmt"
	"math"
	"strconv"
	"strings"

	"github.com/clustersim/clustersim/sim/assertion"
	"github.com/clustersim/clustersim/sim/scenario"
	"github.com/clustersim/clustersim/sim/tomlpos"
)

// assertOps are the operators of --assert, longest first so that "<="
// is not read as "<".
var assertOps = []string{"<=", ">=", "==", "<", ">"}

// cliAssert is one --assert METRIC OP NUMBER.
type cliAssert struct {
	expr   string // as given, trimmed: the assertion's name
	metric string
	op     string
	value  float64
}

// parseAssert reads an --assert expression such as "latency_ms.p99<=250".
func parseAssert(expr string) (cliAssert, error) {
	e := strings.TrimSpace(expr)
	for _, op := range assertOps {
		i := strings.Index(e, op)
		if i < 0 {
			continue
		}
		metric, num := strings.TrimSpace(e[:i]), strings.TrimSpace(e[i+len(op):])
		v, err := strconv.ParseFloat(num, 64)
		if metric == "" || strings.ContainsAny(metric, "<>=! ") || err != nil || math.IsNaN(v) || math.IsInf(v, 0) {
			break
		}
		return cliAssert{expr: e, metric: metric, op: op, value: v}, nil
	}
	return cliAssert{}, badInput(fmt.Errorf("--assert %q: want METRIC OP NUMBER with OP one of <=, >=, <, >, ==, such as 'latency_ms.p99<=250'", expr))
}

// spec converts a to a scenario [[assert]] entry. Strict bounds use the
// nearest float inside them (v < 250 is v <= the float just below 250),
// which is exact for floats; limit is how the bound is shown.
func (a cliAssert) spec() (entry scenario.Assert, limit string) {
	v := a.value
	entry = scenario.Assert{Name: a.expr, Metric: a.metric}
	switch a.op {
	case "<=":
		entry.Max = &v
	case ">=":
		entry.Min = &v
	case "==":
		entry.Min, entry.Max = &v, &v
	case "<":
		m := math.Nextafter(v, math.Inf(-1))
		entry.Max = &m
	case ">":
		m := math.Nextafter(v, math.Inf(1))
		entry.Min = &m
	}
	return entry, a.op + " " + strconv.FormatFloat(v, 'f', -1, 64)
}

// addAsserts appends the --assert expressions to sc's assertions after
// checking each names a figure the run will have. It returns the limits to
// show for them, by assertion name.
func addAsserts(sc *scenario.Config, exprs []string) (map[string]string, error) {
	if len(exprs) == 0 {
		return nil, nil
	}
	var services, workloads, pools []string
	for _, s := range sc.Services {
		services = append(services, s.Name)
	}
	for _, w := range sc.Workloads {
		workloads = append(workloads, w.Name)
	}
	for _, p := range sc.NodePools {
		pools = append(pools, p.Name)
	}
	paths := assertion.Paths(services, workloads, pools)
	limits := map[string]string{}
	for _, e := range exprs {
		a, err := parseAssert(e)
		if err != nil {
			return nil, err
		}
		known := false
		for _, p := range paths {
			known = known || p == a.metric
		}
		if !known {
			msg := fmt.Sprintf("--assert %q: the summary has no figure %q", e, a.metric)
			if hint := tomlpos.DidYouMean(a.metric, paths); hint != "" {
				msg += " (" + hint + ")"
			}
			return nil, badInput(fmt.Errorf("%s", msg))
		}
		entry, limit := a.spec()
		sc.Asserts = append(sc.Asserts, entry)
		for _, v := range sc.Variants { // each variant is checked on its own config
			v.Config.Asserts = append(v.Config.Asserts, entry)
		}
		limits[entry.Name] = limit
	}
	return limits, nil
}
