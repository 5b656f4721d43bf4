package reports

import (
	"bytes"
	"fmt"
	"html/template"
	"math"
	"slices"
	"strings"
)

// compare.html is hand-written SVG in one page: no script, no external
// file, fixed-precision coordinates, so the bytes depend on the inputs only.

// Plot geometry, in SVG user units.
const (
	svgW, svgH             = 760.0, 280.0
	svgMarginL, svgMarginR = 64.0, 16.0
	svgMarginT, svgMarginB = 12.0, 40.0
	compareMaxPoints       = 1200 // per line; longer series keep each bucket's max
	compareLineWidthSVG    = 1.6
)

// comparePalette colours the lines in run order (Okabe–Ito, colour-blind safe).
var comparePalette = []string{"#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#000000", "#F0E442"}

var compareTemplate = template.Must(template.Must(baseTemplate.Clone()).New("compare.html").Parse(`<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>clustersim compare: {{.Title}}</title>
<style>
{{template "base.css"}}.d { color: #666; font-size: 0.9em; }
svg { max-width: 100%; height: auto; border: 1px solid #eee; }
svg text { font: 12px system-ui, sans-serif; fill: #333; }
</style>
</head>
<body>
<h1>Comparison: {{.Title}}</h1>
<p class="meta">{{len .Rows}} runs; deltas are against the first, {{.Reference}}. {{.Pairing}}</p>
<h2>Headline figures</h2>
<table>
<tr><th>variant</th>{{range .Columns}}<th>{{.}}</th>{{end}}</tr>
{{- range .Rows}}
<tr><th>{{.Name}}</th>{{range .Cells}}<td class="n">{{.Value}}{{if .Delta}}<br><span class="d">{{.Delta}}</span>{{end}}</td>{{end}}</tr>
{{- end}}
</table>
{{- range .Plots}}
<h2>{{.Title}}</h2>
<figure>{{.SVG}}</figure>
{{- end}}
</body>
</html>
`))

type compareView struct {
	Title, Reference, Pairing string
	Columns                   []string
	Rows                      []compareRowView
	Plots                     []comparePlot
}

type compareRowView struct {
	Name  string
	Cells []compareCell
}

type compareCell struct{ Value, Delta string }

type comparePlot struct {
	Title string
	SVG   template.HTML
}

// CompareHTML renders compare.html: the headline figures of runs with
// each later run's change against the first, and for each compareOverlays metric
// an SVG plot with one line per run (per run and service when runs have
// several services) on shared axes.
func CompareHTML(runs []*CompareRun) ([]byte, error) {
	if len(runs) == 0 {
		return nil, fmt.Errorf("reports: nothing to compare")
	}
	v := compareView{Reference: runs[0].Name, Columns: CompareColumns}
	var names []string
	for _, r := range runs {
		names = append(names, r.Name)
		row := compareRowView{Name: r.Name}
		for i, col := range CompareColumns {
			c := compareCell{Value: formatCompareFigure(col, r.Figures[i])}
			if c.Value == "" {
				c.Value = "–"
			}
			if r != runs[0] {
				c.Delta = formatCompareDelta(col, r.Figures[i], runs[0].Figures[i])
			}
			row.Cells = append(row.Cells, c)
		}
		v.Rows = append(v.Rows, row)
	}
	v.Title = strings.Join(names, " vs ")
	v.Pairing = pairing(runs)
	for _, o := range compareOverlays {
		v.Plots = append(v.Plots, comparePlot{Title: o.title, SVG: template.HTML(overlaySVG(runs, o.metric, o.unit))})
	}
	var b bytes.Buffer
	if err := compareTemplate.Execute(&b, v); err != nil {
		return nil, err
	}
	return b.Bytes(), nil
}

// pairing says whether runs are variants of one scenario on one seed,
// which saw the same arrivals and service times.
func pairing(runs []*CompareRun) string {
	base, _, _ := strings.Cut(runs[0].Scenario, "/")
	for _, r := range runs {
		b, v, ok := strings.Cut(r.Scenario, "/")
		if !ok || v == "" || b != base || r.Seed != runs[0].Seed {
			return "These runs are not all variants of one scenario on one seed: part of each difference may be chance."
		}
	}
	return fmt.Sprintf("All are variants of %s on seed %s: they saw the same arrivals and service times, so the differences are the configurations'.", base, runs[0].Seed)
}

// formatCompareDelta writes v's change against ref: "+12 (+3.4%)"; "" when
// either is missing.
func formatCompareDelta(col string, v, ref float64) string {
	if math.IsNaN(v) || math.IsNaN(ref) {
		return ""
	}
	d := formatCompareFigure(col, v-ref)
	if !strings.HasPrefix(d, "-") {
		d = "+" + d
	}
	if ref != 0 {
		d += fmt.Sprintf(" (%+.1f%%)", 100*(v-ref)/math.Abs(ref))
	}
	return d
}

// overlayLine is one polyline of an overlay plot.
type overlayLine struct {
	label  string
	colour string
	dash   bool
	t, y   []float64
}

// overlaySVG draws metric for every run on shared axes.
func overlaySVG(runs []*CompareRun, metric, unit string) string {
	var lines []overlayLine
	for i, r := range runs {
		var cols []string
		for col := range r.Series {
			if strings.HasSuffix(col, "."+metric) {
				cols = append(cols, col)
			}
		}
		slices.Sort(cols)
		for j, col := range cols {
			label := r.Name
			if len(cols) > 1 {
				label += " " + strings.TrimSuffix(col, "."+metric)
			}
			t, y := compareBucketMax(r.Times, r.Series[col], compareMaxPoints)
			lines = append(lines, overlayLine{label: label, colour: comparePalette[i%len(comparePalette)], dash: j%2 == 1 || i >= len(comparePalette), t: t, y: y})
		}
	}
	tMax, yMax := 0.0, 0.0
	for _, l := range lines {
		for k := range l.t {
			tMax = max(tMax, l.t[k])
			if !math.IsNaN(l.y[k]) {
				yMax = max(yMax, l.y[k])
			}
		}
	}
	tUnit, tLabel := 1.0, "time (s)"
	switch {
	case tMax > 3*3600:
		tUnit, tLabel = 3600, "time (h)"
	case tMax > 3*60:
		tUnit, tLabel = 60, "time (min)"
	}
	xTicks := compareTicks(tMax / tUnit)
	yTicks := compareTicks(yMax)
	xTop, yTop := xTicks[len(xTicks)-1], yTicks[len(yTicks)-1]
	legendH := 18.0 * float64(len(lines))
	height := svgH + legendH
	x := func(t float64) float64 { return svgMarginL + (t/tUnit)/xTop*(svgW-svgMarginL-svgMarginR) }
	y := func(v float64) float64 { return svgMarginT + (1-v/yTop)*(svgH-svgMarginT-svgMarginB) }

	var b strings.Builder
	fmt.Fprintf(&b, `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 %.0f %.0f" width="%.0f" height="%.0f" role="img">`, svgW, height, svgW, height)
	b.WriteString("\n")
	for _, tk := range yTicks {
		fmt.Fprintf(&b, `<line x1="%.1f" y1="%.1f" x2="%.1f" y2="%.1f" stroke="#e5e5e5"/><text x="%.1f" y="%.1f" text-anchor="end">%s</text>`+"\n",
			svgMarginL, y(tk), svgW-svgMarginR, y(tk), svgMarginL-6, y(tk)+4, compareTickLabel(tk))
	}
	for _, tk := range xTicks {
		fmt.Fprintf(&b, `<line x1="%.1f" y1="%.1f" x2="%.1f" y2="%.1f" stroke="#e5e5e5"/><text x="%.1f" y="%.1f" text-anchor="middle">%s</text>`+"\n",
			x(tk*tUnit), svgMarginT, x(tk*tUnit), svgH-svgMarginB, x(tk*tUnit), svgH-svgMarginB+16, compareTickLabel(tk))
	}
	fmt.Fprintf(&b, `<text x="%.1f" y="%.1f" text-anchor="middle">%s</text>`+"\n", (svgMarginL+svgW-svgMarginR)/2, svgH-6, tLabel)
	fmt.Fprintf(&b, `<text transform="translate(14 %.1f) rotate(-90)" text-anchor="middle">%s</text>`+"\n", (svgMarginT+svgH-svgMarginB)/2, template.HTMLEscapeString(unit))
	for _, l := range lines {
		dash := ""
		if l.dash {
			dash = ` stroke-dasharray="6 3"`
		}
		// A missing figure (NaN) breaks the line: a gap, never a zero.
		var pts []string
		flush := func() {
			if len(pts) > 0 {
				fmt.Fprintf(&b, `<polyline fill="none" stroke="%s" stroke-width="%.1f"%s points="%s"/>`+"\n", l.colour, compareLineWidthSVG, dash, strings.Join(pts, " "))
			}
			pts = pts[:0]
		}
		for k := range l.t {
			if math.IsNaN(l.y[k]) {
				flush()
				continue
			}
			pts = append(pts, fmt.Sprintf("%.1f,%.1f", x(l.t[k]), y(l.y[k])))
		}
		flush()
	}
	for i, l := range lines {
		ly := svgH + 18*float64(i) + 4
		dash := ""
		if l.dash {
			dash = ` stroke-dasharray="6 3"`
		}
		fmt.Fprintf(&b, `<line x1="%.1f" y1="%.1f" x2="%.1f" y2="%.1f" stroke="%s" stroke-width="2"%s/><text x="%.1f" y="%.1f">%s</text>`+"\n",
			svgMarginL, ly, svgMarginL+28, ly, l.colour, dash, svgMarginL+36, ly+4, template.HTMLEscapeString(l.label))
	}
	b.WriteString("</svg>")
	return b.String()
}

// compareBucketMax shortens a series to at most n points, keeping each bucket's
// last time and largest value (NaN only when the whole bucket is).
func compareBucketMax(t, y []float64, n int) ([]float64, []float64) {
	if len(t) <= n {
		return t, y
	}
	size := (len(t) + n - 1) / n
	var bt, by []float64
	for i := 0; i < len(t); i += size {
		end := min(i+size, len(t))
		m := math.NaN()
		for _, v := range y[i:end] {
			if !math.IsNaN(v) && (math.IsNaN(m) || v > m) {
				m = v
			}
		}
		bt, by = append(bt, t[end-1]), append(by, m)
	}
	return bt, by
}

// compareTicks returns 0 and steps of 1, 2 or 5 × 10^k up to at least top
// (at least 0..1).
func compareTicks(top float64) []float64 {
	if !(top > 0) {
		top = 1
	}
	raw := top / 5
	mag := math.Pow(10, math.Floor(math.Log10(raw)))
	step := 10 * mag
	for _, m := range []float64{1, 2, 5} {
		if m*mag >= raw {
			step = m * mag
			break
		}
	}
	var ticks []float64
	for i := 0; ; i++ {
		v := float64(i) * step
		ticks = append(ticks, v)
		if v >= top*(1-1e-9) {
			return ticks
		}
	}
}

// compareTickLabel formats a tick value briefly.
func compareTickLabel(v float64) string { return strings.TrimSuffix(fmt.Sprintf("%.6g", v), ".0") }
