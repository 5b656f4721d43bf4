package reports

import (
	"bytes"
	"slices"
	"strings"
)

// Annotations is what the plots draw besides the series: the warm-up
// period, events on the time axis and horizontal limit lines. The zero
// value draws nothing.
type Annotations struct {
	WarmupS float64 // shaded from 0 to this many simulated seconds
	Events  []Event // vertical markers, in any order
	Limits  []Limit // horizontal lines
}

// EventKind says what happened at an Event.
type EventKind int

// Event kinds.
const (
	EventSchedule    EventKind = iota // a workload's rate schedule changes
	EventScaleUp                      // a scaling decision raised desired replicas
	EventScaleDown                    // a scaling decision lowered desired replicas
	EventNodeFailure                  // nodes crashed
)

// String returns the legend text of the kind.
func (k EventKind) String() string {
	switch k {
	case EventSchedule:
		return "rate change"
	case EventScaleUp:
		return "scale up"
	case EventScaleDown:
		return "scale down"
	case EventNodeFailure:
		return "node failure"
	}
	panic("reports: unknown event kind")
}

// Event is one marker on every time axis it concerns.
type Event struct {
	TimeS   float64 // simulated seconds from the start
	Kind    EventKind
	Service string // the service or node pool concerned; "" for all panels
	Label   string // short text, such as "1500/s" or "3 nodes"
}

// LimitKind says where a Limit comes from.
type LimitKind int

// Limit kinds.
const (
	LimitMax    LimitKind = iota // an assertion's upper bound
	LimitMin                     // an assertion's lower bound
	LimitTarget                  // an autoscaler's target
)

// Limit is a horizontal line at Value on the panels plotting Column.
type Limit struct {
	Service string // panels of this service or pool; "" for all
	Column  string // metric part of the plotted column, such as "p99_ms"
	Value   float64
	Kind    LimitKind
	Label   string // drawn beside the line, such as "assert p99 ≤ 250"
}

// summaryColumns maps summary.json figures under services.NAME. (or at the
// top level for latency) to the timeseries metric that plots them.
var summaryColumns = map[string]string{
	"latency_ms.p50":   "p50_ms",
	"latency_ms.p95":   "p95_ms",
	"latency_ms.p99":   "p99_ms",
	"utilization.max":  "utilization",
	"utilization.mean": "utilization",
	"replicas.max":     "replicas_ready",
	"replicas.min":     "replicas_ready",
	"replicas.mean":    "replicas_ready",
	"queue_max":        "queue",
	"nodes.max":        "nodes_ready",
	"nodes.min":        "nodes_ready",
	"nodes.mean":       "nodes_ready",
}

// plottedMetrics lists every metric a figure draws, for timeseries-column
// assertions ("api.p99_ms").
func plottedMetrics() []string {
	var out []string
	for _, f := range figures {
		for _, p := range f.panels {
			for _, m := range p.metrics {
				out = append(out, m.column)
			}
		}
	}
	return out
}

// AssertLimits returns the lines an assertion draws: one per bound when
// its metric is plotted, none otherwise. metric is a summary.json path
// ("latency_ms.p99", "services.api.utilization.max",
// "workloads.shoppers.latency_ms.p99", "node_pools.pool.nodes.max") or a
// timeseries column ("api.p99_ms"); targets maps workload names to their
// target services. Client-observed latency (latency_ms.*) is drawn on
// every workload's target service, or on all panels when targets is empty.
func AssertLimits(name, metric string, min, max *float64, targets map[string]string) []Limit {
	svc, col, ok := limitColumn(metric, targets)
	if !ok {
		return nil
	}
	services := []string{svc}
	if svc == "" && len(targets) > 0 {
		// Client-observed latency: drawn on the services clients call.
		services = nil
		for _, t := range targets {
			if !slices.Contains(services, t) {
				services = append(services, t)
			}
		}
		slices.Sort(services)
	}
	var out []Limit
	for _, svc := range services {
		if max != nil {
			out = append(out, Limit{Service: svc, Column: col, Value: *max, Kind: LimitMax, Label: name + " ≤ " + FormatFloat(*max)})
		}
		if min != nil {
			out = append(out, Limit{Service: svc, Column: col, Value: *min, Kind: LimitMin, Label: name + " ≥ " + FormatFloat(*min)})
		}
	}
	return out
}

// limitColumn finds the service and plotted metric of an assertion metric.
func limitColumn(metric string, targets map[string]string) (svc, col string, ok bool) {
	if c, ok := summaryColumns[metric]; ok && strings.HasPrefix(metric, "latency_ms.") {
		return "", c, true
	}
	for _, prefix := range []string{"services.", "node_pools.", "workloads."} {
		rest, found := strings.CutPrefix(metric, prefix)
		if !found {
			continue
		}
		name, fig, found := strings.Cut(rest, ".")
		c, known := summaryColumns[fig]
		if !found || !known {
			return "", "", false
		}
		if prefix == "workloads." {
			if !strings.HasPrefix(fig, "latency_ms.") || targets[name] == "" {
				return "", "", false
			}
			name = targets[name]
		}
		return name, c, true
	}
	i := strings.LastIndexByte(metric, '.')
	if i > 0 && slices.Contains(plottedMetrics(), metric[i+1:]) {
		return metric[:i], metric[i+1:], true
	}
	return "", "", false
}

// TargetLimit returns the utilisation line of a cpu autoscaler's target
// (a 0..1 fraction) on service's saturation panel.
func TargetLimit(service, kind string, target float64) Limit {
	return Limit{
		Service: service, Column: "utilization", Value: target, Kind: LimitTarget,
		Label: kind + " target " + FormatFloat(Round(target*100)) + "%",
	}
}

// Description returns a scenario file's leading comment block: the lines
// before the first line that is neither a comment nor blank, without
// their "#" and one following space, trimmed of blank lines at both ends.
func Description(src []byte) string {
	var lines []string
	for line := range bytes.Lines(src) {
		s := strings.TrimRight(string(line), "\r\n")
		t := strings.TrimSpace(s)
		if t != "" && !strings.HasPrefix(t, "#") {
			break
		}
		t = strings.TrimPrefix(t, "#")
		t = strings.TrimPrefix(t, " ")
		lines = append(lines, strings.TrimRight(t, " \t"))
	}
	for len(lines) > 0 && lines[0] == "" {
		lines = lines[1:]
	}
	for len(lines) > 0 && lines[len(lines)-1] == "" {
		lines = lines[:len(lines)-1]
	}
	return strings.Join(lines, "\n")
}

// appliesTo reports whether something concerning service belongs on a
// panel plotting services.
func appliesTo(service string, services []string) bool {
	return service == "" || slices.Contains(services, service)
}

// panelLimits returns the limits drawn on a panel of pn plotting services,
// in the order given.
func panelLimits(a *Annotations, pn panel, services []string) []Limit {
	if a == nil {
		return nil
	}
	var out []Limit
	for _, l := range a.Limits {
		if !appliesTo(l.Service, services) {
			continue
		}
		if slices.ContainsFunc(pn.metrics, func(m metric) bool { return m.column == l.Column }) {
			out = append(out, l)
		}
	}
	return out
}

// panelEvents returns the events marked on a panel plotting services,
// sorted by time, then kind, then label.
func panelEvents(a *Annotations, services []string) []Event {
	if a == nil {
		return nil
	}
	var out []Event
	for _, e := range a.Events {
		if appliesTo(e.Service, services) {
			out = append(out, e)
		}
	}
	sortEvents(out)
	return out
}

// sortEvents sorts events by time, then kind, then service and label.
func sortEvents(events []Event) {
	slices.SortStableFunc(events, func(x, y Event) int {
		switch {
		case x.TimeS != y.TimeS:
			if x.TimeS < y.TimeS {
				return -1
			}
			return 1
		case x.Kind != y.Kind:
			return int(x.Kind) - int(y.Kind)
		default:
			return strings.Compare(x.Service+"\x00"+x.Label, y.Service+"\x00"+y.Label)
		}
	})
}
