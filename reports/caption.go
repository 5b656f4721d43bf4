package reports

import (
	"fmt"
	"slices"
	"strings"
)

// lookFor says, per figure, what the plot shows and what to look for.
var lookFor = map[string]string{
	"latency": "Latency of successful requests per metrics window (p50, p95, p99). " +
		"Look for p99 pulling away from p50: requests are queueing. " +
		"A gap is a window in which no request succeeded.",
	"traffic": "Requests per second that succeeded (ok) against those offered to the service, and errors per second. " +
		"Where ok falls below offered the service is rejecting or timing out load; the errors panel says how much.",
	"saturation": "Utilisation (busy slots over all slots, 0 to 1) and requests waiting in queues. " +
		"Utilisation pinned at 1 while the queue grows means the fleet is too small for the load.",
	"replicas": "Desired, ready, starting and pending instances. " +
		"The distance between desired and ready is how long the fleet takes to follow its autoscaler: " +
		"node provisioning (pending), start-up and readiness (starting).",
	"nodes": "Ready and provisioning nodes per pool. " +
		"Provisioning time is how long pending instances wait for room.",
}

// figureTitle returns the title of the figure written as name.
func figureTitle(name string) string {
	for _, f := range figures {
		if f.name == name {
			return f.title
		}
	}
	return name
}

// Caption returns what the figure written as name shows and how to read
// its annotations in a (nil for none): one sentence per kind drawn.
func Caption(name string, a *Annotations) string {
	parts := []string{lookFor[name]}
	i := slices.IndexFunc(figures, func(f figure) bool { return f.name == name })
	if a == nil || i < 0 {
		return strings.TrimSpace(strings.Join(parts, " "))
	}
	f := figures[i]
	if a.WarmupS > 0 {
		parts = append(parts, fmt.Sprintf("Shaded: the first %s, warm-up excluded from the summary.", formatDuration(a.WarmupS)))
	}
	var at [4][]string
	var n [4]int
	events := slices.Clone(a.Events)
	sortEvents(events)
	for _, e := range events {
		n[e.Kind]++
		if t := formatDuration(e.TimeS); !slices.Contains(at[e.Kind], t) {
			at[e.Kind] = append(at[e.Kind], t)
		}
	}
	if n[EventSchedule] > 0 {
		parts = append(parts, "Dashed vertical lines: workload rate changes at "+strings.Join(at[EventSchedule], ", ")+".")
	}
	if n[EventNodeFailure] > 0 {
		parts = append(parts, "Red vertical lines: node failures at "+strings.Join(at[EventNodeFailure], ", ")+".")
	}
	if up, down := n[EventScaleUp], n[EventScaleDown]; up+down > 0 {
		parts = append(parts, fmt.Sprintf("Triangles along the top: scaling decisions of the service's autoscaler (%d up ▲, %d down ▼).", up, down))
	}
	var asserts, targets []string
	for _, pn := range f.panels {
		for _, l := range a.Limits {
			if !slices.ContainsFunc(pn.metrics, func(m metric) bool { return m.column == l.Column }) {
				continue
			}
			where := ""
			if l.Service != "" {
				where = " (" + l.Service + ")"
			}
			if l.Kind == LimitTarget {
				targets = append(targets, l.Label+where)
			} else {
				asserts = append(asserts, "“"+l.Label+"”"+where)
			}
		}
	}
	if len(asserts) > 0 {
		parts = append(parts, "Red dashed horizontal lines: assertion limits "+strings.Join(asserts, "; ")+".")
	}
	if len(targets) > 0 {
		parts = append(parts, "Dotted horizontal lines: autoscaler targets, "+strings.Join(targets, "; ")+".")
	}
	return strings.Join(parts, " ")
}
