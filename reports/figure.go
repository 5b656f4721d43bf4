package reports

import (
	"image/color"
	"math"
	"slices"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/text"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"

	"github.com/clustersim/clustersim/sim/results"
)

// Small multiples: each panel of a figure with several services is
// multiplesRow tall; a figure of one panel kind wraps its services into
// two columns.
const (
	multiplesRow   = 2.1 * vg.Inch
	multiplesTitle = 0.35 * vg.Inch
)

// Annotation colours and styles.
var (
	// offeredColor draws offered load as a wide translucent band that the
	// ok line runs inside while the service keeps up.
	offeredColor   = color.NRGBA{0x70, 0x70, 0x70, 0x60}
	warmupColor    = color.Gray{0xEA}
	scheduleColor  = color.Gray{0x44}
	failureColor   = color.RGBA{0xA3, 0x16, 0x0B, 0xFF}
	scaleUpColor   = color.RGBA{0x00, 0x9E, 0x73, 0xFF}
	scaleDownColor = color.RGBA{0xD5, 0x5E, 0x00, 0xFF}
	assertColor    = color.RGBA{0xA3, 0x16, 0x0B, 0xFF}
	targetColor    = color.Gray{0x30}
)

// panelCell is one panel of a laid-out figure with what it annotates.
type panelCell struct {
	p        *plot.Plot
	panel    panel
	services []string // services plotted in this panel
	limits   []Limit
	events   []Event
	labels   bool // write event labels (top row only)
}

// layout is a figure ready to draw: a grid of cells and the legends.
type layout struct {
	title     string // drawn above the grid (small multiples only)
	grid      [][]*panelCell
	legends   []plot.Legend // one per row (single panel set) or one in all
	multiples bool
	warmup    float64 // in x-axis units
	// stop, if set, is asked between panels: true abandons the drawing
	// (the figure is then discarded).
	stop func() bool
}

// height returns the canvas height the layout needs.
func (l *layout) height() vg.Length {
	if !l.multiples {
		return figureHeight(len(l.grid), l.legends)
	}
	h := vg.Length(len(l.grid))*multiplesRow + multiplesTitle
	return max(h, legendSize(l.legends[0]).Y+multiplesTitle+vg.Inch)
}

// present returns the services with at least one of f's columns in s.
func present(f figure, s *results.Series, services []string) []string {
	var out []string
	for _, svc := range services {
		for _, pn := range f.panels {
			if slices.ContainsFunc(pn.metrics, func(m metric) bool { return s.Column(svc+"."+m.column) != nil }) {
				out = append(out, svc)
				break
			}
		}
	}
	return out
}

// layoutFigure builds f's panels, one set for all services or one set per
// service (small multiples) when several services have data, and adds a's
// annotations. It returns nil when f has no column in s.
func layoutFigure(f figure, s *results.Series, services []string, unit float64, unitLabel string, a *Annotations) *layout {
	svcs := present(f, s, services)
	if len(svcs) == 0 {
		return nil
	}
	l := &layout{title: f.title, multiples: len(svcs) > 1}
	if a != nil {
		l.warmup = a.WarmupS / unit
	}
	if !l.multiples {
		plots, legends := buildPanels(f, s, svcs, unit)
		if plots == nil {
			return nil
		}
		for i, p := range plots {
			l.grid = append(l.grid, []*panelCell{{p: p, panel: f.panels[i], services: svcs, labels: i == 0}})
		}
		l.legends = legends
		plots[len(plots)-1].X.Label.Text = "simulated time (" + unitLabel + ")"
	} else {
		var cells []*panelCell
		for _, svc := range svcs {
			plots, _ := buildPanels(f, s, []string{svc}, unit)
			for i, p := range plots {
				p.Title.Text = svc
				p.Title.TextStyle.Font.Size = vg.Points(11)
				cells = append(cells, &panelCell{p: p, panel: f.panels[i], services: []string{svc}})
			}
		}
		cols := len(f.panels)
		if cols == 1 {
			cols = 2
		}
		for i := 0; i < len(cells); i += cols {
			row := make([]*panelCell, cols)
			copy(row, cells[i:min(i+cols, len(cells))])
			l.grid = append(l.grid, row)
		}
		for _, c := range l.grid[0] {
			if c != nil {
				c.labels = true
			}
		}
		for i, c := range cells {
			below := i + cols
			if below >= len(cells) {
				c.p.X.Label.Text = "simulated time (" + unitLabel + ")"
			}
		}
		l.legends = []plot.Legend{multiplesLegend(f, s, svcs)}
	}
	for _, row := range l.grid {
		for _, c := range row {
			if c != nil {
				annotate(c, a, unit)
			}
		}
	}
	shareY(l, f)
	logLatency(l, f, s, svcs)
	addLegendEntries(l, a != nil && a.WarmupS > 0)
	return l
}

// annotate attaches a's limits and events to c and stretches its y axis
// to show every limit.
func annotate(c *panelCell, a *Annotations, unit float64) {
	c.p.BackgroundColor = nil // the warm-up shading is drawn underneath
	c.limits = panelLimits(a, c.panel, c.services)
	c.events = panelEvents(a, c.services)
	for _, lim := range c.limits {
		c.p.Y.Max = math.Max(c.p.Y.Max, lim.Value*1.08)
	}
	if slices.ContainsFunc(c.events, func(e Event) bool { return e.Kind == EventScaleUp || e.Kind == EventScaleDown }) {
		c.p.Y.Max *= 1.12 // room for the decision markers above the data
	}
	if len(c.events) > 0 {
		c.p.Add(eventMarks{events: c.events, unit: unit, labels: c.labels})
	}
	if len(c.limits) > 0 { // over the event lines, so their labels stay legible
		c.p.Add(limitLines{limits: c.limits})
	}
}

// shareY gives every small multiple of one panel kind the same y range, so
// services compare at a glance.
func shareY(l *layout, f figure) {
	if !l.multiples {
		return
	}
	for k := range f.panels {
		var top float64
		for _, row := range l.grid {
			for _, c := range row {
				if c != nil && c.panel.ylabel == f.panels[k].ylabel {
					top = math.Max(top, c.p.Y.Max)
				}
			}
		}
		for _, row := range l.grid {
			for _, c := range row {
				if c != nil && c.panel.ylabel == f.panels[k].ylabel {
					c.p.Y.Max = top
				}
			}
		}
	}
}

// latencyPanel reports whether every metric of pn is in milliseconds.
func latencyPanel(pn panel) bool {
	return len(pn.metrics) > 0 && !slices.ContainsFunc(pn.metrics, func(m metric) bool {
		return len(m.column) < 3 || m.column[len(m.column)-3:] != "_ms"
	})
}

// logAxis returns the range of a log axis for values when their finite
// positive values span more than two decades (max/min > 100), and ok =
// false otherwise. The range runs between whole decades.
func logAxis(values []float64) (lo, hi float64, ok bool) {
	lo, hi = math.Inf(1), 0
	for _, v := range values {
		if finite(v) && v > 0 {
			lo, hi = math.Min(lo, v), math.Max(hi, v)
		}
	}
	if hi == 0 || hi/lo <= 100 {
		return 0, 0, false
	}
	return math.Pow(10, math.Floor(math.Log10(lo))), math.Pow(10, math.Ceil(math.Log10(hi))), true
}

// logLatency switches latency panels to a log axis when their values span
// more than two decades.
func logLatency(l *layout, f figure, s *results.Series, svcs []string) {
	for _, pn := range f.panels {
		if !latencyPanel(pn) {
			continue
		}
		var values []float64
		for _, svc := range svcs {
			for _, m := range pn.metrics {
				values = append(values, s.Column(svc+"."+m.column)...)
			}
		}
		lo, hi, ok := logAxis(values)
		if !ok {
			continue
		}
		for _, row := range l.grid {
			for _, c := range row {
				if c == nil || c.panel.ylabel != pn.ylabel {
					continue
				}
				top := hi
				for _, lim := range c.limits {
					top = math.Max(top, lim.Value*1.5)
				}
				c.p.Y.Scale = clampLog{}
				c.p.Y.Tick.Marker = plot.LogTicks{Prec: -1}
				c.p.Y.Min, c.p.Y.Max = lo, top
				c.p.Y.Label.Text = pn.ylabel + ", log scale"
			}
		}
	}
}

// clampLog is a log scale that draws values at or below the axis minimum
// (zero included) on the axis, not at minus infinity.
type clampLog struct{}

// Normalize implements plot.Normalizer.
func (clampLog) Normalize(min, max, x float64) float64 {
	return plot.LogScale{}.Normalize(min, max, math.Max(x, min))
}

// multiplesLegend is the one legend of a small-multiples figure: each
// metric in its panel style.
func multiplesLegend(f figure, s *results.Series, svcs []string) plot.Legend {
	leg := plot.NewLegend()
	leg.TextStyle.Font.Size = vg.Points(10)
	leg.Top, leg.Left = true, true
	leg.Padding = vg.Points(2)
	for _, pn := range f.panels {
		for mi, m := range pn.metrics {
			if !slices.ContainsFunc(svcs, func(svc string) bool { return s.Column(svc+"."+m.column) != nil }) {
				continue
			}
			leg.Add(m.label, &plotter.Line{LineStyle: lineStyle(m, 0, mi, 1, len(pn.metrics))})
		}
	}
	return leg
}

// addLegendEntries explains the annotations drawn: in each row's legend
// (one panel set) or in the one legend (small multiples).
func addLegendEntries(l *layout, warmup bool) {
	for i := range l.legends {
		var cells []*panelCell
		if l.multiples {
			for _, row := range l.grid {
				cells = append(cells, row...)
			}
		} else {
			cells = l.grid[i]
		}
		if warmup && i == 0 {
			l.legends[i].Add("warm-up", boxThumb{warmupColor})
		}
		var kinds []EventKind
		var limits []Limit
		for _, c := range cells {
			if c == nil {
				continue
			}
			for _, e := range c.events {
				if !slices.Contains(kinds, e.Kind) {
					kinds = append(kinds, e.Kind)
				}
			}
			for _, lim := range c.limits {
				if !slices.ContainsFunc(limits, func(x Limit) bool { return x.Kind == lim.Kind }) {
					limits = append(limits, lim)
				}
			}
		}
		slices.Sort(kinds)
		for _, k := range kinds {
			l.legends[i].Add(k.String(), eventThumb{k})
		}
		slices.SortFunc(limits, func(x, y Limit) int { return int(x.Kind) - int(y.Kind) })
		for _, lim := range limits {
			name := "assert limit"
			if lim.Kind == LimitTarget {
				name = "target"
			}
			l.legends[i].Add(name, &plotter.Line{LineStyle: limitStyle(lim.Kind)})
		}
	}
}

// draw draws the layout on c: white background, warm-up shading, the
// panels with their annotations, then the legends on the right.
func (l *layout) draw(c draw.Canvas) {
	c.SetColor(color.White)
	c.Fill(c.Rectangle.Path())
	pad := vg.Points(8)
	var legendW vg.Length
	for _, lg := range l.legends {
		legendW = max(legendW, legendSize(lg).X)
	}
	area := draw.Crop(c, 0, -(legendW + 2*pad), 0, 0)
	if l.multiples {
		title := plot.New().Title.TextStyle
		title.Font.Size = vg.Points(13)
		title.XAlign, title.YAlign = draw.XCenter, draw.YTop
		c.FillText(title, vg.Point{X: (area.Min.X + area.Max.X) / 2, Y: c.Max.Y - pad}, l.title)
		area = draw.Crop(area, 0, 0, 0, -multiplesTitle)
	}
	rows := make([][]*plot.Plot, len(l.grid))
	for i, row := range l.grid {
		rows[i] = make([]*plot.Plot, len(row))
		for j, cl := range row {
			if cl != nil {
				rows[i][j] = cl.p
			}
		}
	}
	cols := len(l.grid[0])
	tiles := draw.Tiles{Rows: len(rows), Cols: cols, PadTop: pad, PadBottom: pad, PadLeft: pad, PadRight: pad, PadX: 2 * pad, PadY: 2 * pad}
	canvases := plot.Align(rows, tiles, area)
	for i, row := range l.grid {
		for j, cl := range row {
			if cl == nil {
				continue
			}
			if l.stop != nil && l.stop() {
				return
			}
			data := cl.p.DataCanvas(canvases[i][j])
			shadeWarmup(data, cl.p, l.warmup)
			cl.p.Draw(canvases[i][j])
			if !l.multiples || (i == 0 && j == cols-1) {
				lc := data
				lc.Min.X = area.Max.X + pad
				lc.Max.X = c.Max.X - pad
				if l.multiples {
					lc.Max.Y = canvases[0][0].Max.Y
					lc.Min.Y = c.Min.Y
				}
				l.legends[min(i, len(l.legends)-1)].Draw(lc)
			}
		}
	}
}

// shadeWarmup fills the data area from 0 to warmup (x-axis units).
func shadeWarmup(data draw.Canvas, p *plot.Plot, warmup float64) {
	if warmup <= 0 {
		return
	}
	x, _ := p.Transforms(&data)
	x1 := min(x(math.Min(warmup, p.X.Max)), data.Max.X)
	x0 := max(x(math.Max(0, p.X.Min)), data.Min.X)
	if x1 <= x0 {
		return
	}
	data.FillPolygon(warmupColor, []vg.Point{{X: x0, Y: data.Min.Y}, {X: x1, Y: data.Min.Y}, {X: x1, Y: data.Max.Y}, {X: x0, Y: data.Max.Y}})
}

// limitStyle is the line of a limit kind: dashed red for assertions,
// dotted dark grey for autoscaler targets.
func limitStyle(k LimitKind) draw.LineStyle {
	if k == LimitTarget {
		return draw.LineStyle{Color: targetColor, Width: vg.Points(1.2), Dashes: []vg.Length{vg.Points(2), vg.Points(2)}}
	}
	return draw.LineStyle{Color: assertColor, Width: vg.Points(1.2), Dashes: []vg.Length{vg.Points(5), vg.Points(3)}}
}

// limitLines draws horizontal limit lines with their labels.
type limitLines struct{ limits []Limit }

// Plot implements plot.Plotter.
func (ll limitLines) Plot(c draw.Canvas, p *plot.Plot) {
	_, y := p.Transforms(&c)
	sty := p.Y.Label.TextStyle
	sty.Font.Size = vg.Points(8)
	sty.XAlign, sty.YAlign = draw.XRight, draw.YBottom
	for _, l := range ll.limits {
		if l.Value < p.Y.Min || l.Value > p.Y.Max {
			continue
		}
		yy := y(l.Value)
		c.StrokeLine2(limitStyle(l.Kind), c.Min.X, yy, c.Max.X, yy)
		sty.Color = limitStyle(l.Kind).Color
		labelText(c, sty, vg.Point{X: c.Max.X - vg.Points(3), Y: yy + vg.Points(1)}, l.Label)
	}
}

// eventMarks draws events: full-height lines for rate changes and node
// failures (labelled on the top panels), small triangles along the top
// edge for scaling decisions.
type eventMarks struct {
	events []Event
	unit   float64
	labels bool
}

// Plot implements plot.Plotter.
func (em eventMarks) Plot(c draw.Canvas, p *plot.Plot) {
	x, _ := p.Transforms(&c)
	sty := p.Y.Label.TextStyle
	sty.Font.Size = vg.Points(8)
	sty.XAlign, sty.YAlign = draw.XLeft, draw.YTop
	labelEnd := c.Min.X - 1 // right edge of the last label written
	for _, e := range em.events {
		t := e.TimeS / em.unit
		if t < p.X.Min || t > p.X.Max {
			continue
		}
		xx := x(t)
		switch e.Kind {
		case EventSchedule, EventNodeFailure:
			ls := eventLine(e.Kind)
			c.StrokeLine2(ls, xx, c.Min.Y, xx, c.Max.Y)
			if em.labels && e.Label != "" && xx > labelEnd { // a label that would overlap the last is left out
				sty.Color = ls.Color
				labelText(c, sty, vg.Point{X: xx + vg.Points(2), Y: c.Max.Y - vg.Points(9)}, e.Label)
				labelEnd = xx + vg.Points(4) + sty.Width(e.Label)
			}
		case EventScaleUp, EventScaleDown:
			c.DrawGlyph(eventGlyph(e.Kind), vg.Point{X: xx, Y: c.Max.Y - vg.Points(4)})
		}
	}
}

// eventLine is the vertical line of a rate change or node failure.
func eventLine(k EventKind) draw.LineStyle {
	if k == EventNodeFailure {
		return draw.LineStyle{Color: failureColor, Width: vg.Points(1.5)}
	}
	return draw.LineStyle{Color: scheduleColor, Width: vg.Points(1), Dashes: []vg.Length{vg.Points(3), vg.Points(3)}}
}

// eventGlyph is the marker of a scaling decision: a triangle pointing up
// or down.
func eventGlyph(k EventKind) draw.GlyphStyle {
	if k == EventScaleDown {
		return draw.GlyphStyle{Color: scaleDownColor, Radius: vg.Points(3), Shape: downTriangle{}}
	}
	return draw.GlyphStyle{Color: scaleUpColor, Radius: vg.Points(3), Shape: upTriangle{}}
}

// upTriangle is a filled triangle pointing up.
type upTriangle struct{}

// DrawGlyph implements draw.GlyphDrawer.
func (upTriangle) DrawGlyph(c *draw.Canvas, sty draw.GlyphStyle, pt vg.Point) {
	fillTriangle(c, sty, pt, 1)
}

// downTriangle is a filled triangle pointing down.
type downTriangle struct{}

// DrawGlyph implements draw.GlyphDrawer.
func (downTriangle) DrawGlyph(c *draw.Canvas, sty draw.GlyphStyle, pt vg.Point) {
	fillTriangle(c, sty, pt, -1)
}

// fillTriangle fills an equilateral triangle around pt pointing up (dir
// 1) or down (dir -1).
func fillTriangle(c *draw.Canvas, sty draw.GlyphStyle, pt vg.Point, dir vg.Length) {
	c.SetColor(sty.Color)
	r := sty.Radius * 1.2
	dx, dy := r*vg.Length(math.Cos(math.Pi/6)), r*vg.Length(math.Sin(math.Pi/6))
	var p vg.Path
	p.Move(vg.Point{X: pt.X, Y: pt.Y + dir*r})
	p.Line(vg.Point{X: pt.X - dx, Y: pt.Y - dir*dy})
	p.Line(vg.Point{X: pt.X + dx, Y: pt.Y - dir*dy})
	p.Close()
	c.Fill(p)
}

// eventThumb is the legend thumbnail of an event kind.
type eventThumb struct{ kind EventKind }

// Thumbnail implements plot.Thumbnailer.
func (t eventThumb) Thumbnail(c *draw.Canvas) {
	mid := vg.Point{X: (c.Min.X + c.Max.X) / 2, Y: (c.Min.Y + c.Max.Y) / 2}
	switch t.kind {
	case EventScaleUp, EventScaleDown:
		c.DrawGlyph(eventGlyph(t.kind), mid)
	default:
		c.StrokeLine2(eventLine(t.kind), mid.X, c.Min.Y, mid.X, c.Max.Y)
	}
}

// boxThumb is a filled legend thumbnail.
type boxThumb struct{ color color.Color }

// Thumbnail implements plot.Thumbnailer.
func (b boxThumb) Thumbnail(c *draw.Canvas) {
	c.FillPolygon(b.color, []vg.Point{c.Min, {X: c.Max.X, Y: c.Min.Y}, c.Max, {X: c.Min.X, Y: c.Max.Y}})
}

// labelText writes txt at pt on a translucent white backdrop, so it stays
// legible over the series.
func labelText(c draw.Canvas, sty text.Style, pt vg.Point, txt string) {
	r := sty.Rectangle(txt)
	r.Min, r.Max = r.Min.Add(pt), r.Max.Add(pt)
	c.FillPolygon(color.NRGBA{0xFF, 0xFF, 0xFF, 0xC8}, []vg.Point{r.Min, {X: r.Max.X, Y: r.Min.Y}, r.Max, {X: r.Min.X, Y: r.Max.Y}})
	c.FillText(sty, pt, txt)
}
