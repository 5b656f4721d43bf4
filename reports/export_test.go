package reports

import (
	"fmt"
	"strings"

	"github.com/clustersim/clustersim/sim/results"
)

// LogAxis exposes logAxis to the external tests.
var LogAxis = logAxis

// DescribePlots returns, for each figure WritePlotsWith would draw, the
// layout and annotation data of every panel as text: services, y range and
// scale, limit lines, event markers and the warm-up span. Tests compare it
// with a golden file instead of comparing pixels.
func DescribePlots(s *results.Series, services []string, a *Annotations) string {
	var b strings.Builder
	unit, label := timeUnit(s.Times)
	for _, f := range figures {
		l := layoutFigure(f, s, services, unit, label, a)
		if l == nil {
			continue
		}
		fmt.Fprintf(&b, "%s: %d×%d multiples=%v warmup=%s%s\n", f.name, len(l.grid), len(l.grid[0]), l.multiples, FormatFloat(l.warmup), label)
		for i, row := range l.grid {
			for j, c := range row {
				if c == nil {
					fmt.Fprintf(&b, "  [%d,%d] empty\n", i, j)
					continue
				}
				scale := "linear"
				if _, ok := c.p.Y.Scale.(clampLog); ok {
					scale = "log"
				}
				fmt.Fprintf(&b, "  [%d,%d] %s %q y=[%s, %s] %s\n", i, j, strings.Join(c.services, ","), c.panel.ylabel,
					FormatFloat(c.p.Y.Min), FormatFloat(c.p.Y.Max), scale)
				for _, l := range c.limits {
					fmt.Fprintf(&b, "    limit kind=%d %s=%s %q\n", l.Kind, l.Column, FormatFloat(l.Value), l.Label)
				}
				for _, e := range c.events {
					fmt.Fprintf(&b, "    event %s at %ss %q labelled=%v\n", e.Kind, FormatFloat(e.TimeS), e.Label, c.labels && (e.Kind == EventSchedule || e.Kind == EventNodeFailure))
				}
			}
		}
	}
	return b.String()
}
