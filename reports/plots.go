package reports

import (
	"bytes"
	"context"
	"fmt"
	"image/color"
	"math"
	"path/filepath"
	"strings"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
	"gonum.org/v1/plot/vg/vgimg"
	"gonum.org/v1/plot/vg/vgsvg"

	"github.com/clustersim/clustersim/sim/results"
)

// Plot sizes: one panel is 8x4 inches, two stacked panels 8x6; a figure
// grows taller when its legend needs the room. PNGs are rendered at 96 dpi.
const (
	plotWidth  = 8 * vg.Inch
	panelExtra = 2 * vg.Inch // height of each panel after the first
	plotHeight = 4 * vg.Inch
	plotDPI    = 96
)

// Okabe–Ito colours, distinguishable with common colour-vision deficiencies.
var palette = []color.Color{
	color.RGBA{0x00, 0x72, 0xB2, 0xFF}, // blue
	color.RGBA{0xD5, 0x5E, 0x00, 0xFF}, // vermillion
	color.RGBA{0x00, 0x9E, 0x73, 0xFF}, // bluish green
	color.RGBA{0xE6, 0x9F, 0x00, 0xFF}, // orange
	color.RGBA{0xCC, 0x79, 0xA7, 0xFF}, // reddish purple
	color.RGBA{0x56, 0xB4, 0xE9, 0xFF}, // sky blue
	color.RGBA{0x00, 0x00, 0x00, 0xFF}, // black
}

// dashes tell a panel's metrics apart when colour tells services apart.
var dashes = [][]vg.Length{
	nil,
	{vg.Points(6), vg.Points(3)},
	{vg.Points(1.5), vg.Points(2.5)},
	{vg.Points(6), vg.Points(2), vg.Points(1.5), vg.Points(2)},
}

// metric is one plotted SERVICE.METRIC family.
type metric struct {
	column string // metric part of the column name
	label  string // legend text
	color  color.Color
}

// panel is one set of axes in a figure.
type panel struct {
	ylabel  string
	metrics []metric
	ymax    float64 // the y axis reaches at least this
	step    bool    // values hold until the next sample (replica counts)
}

// figure is one plot file: a title and one or more panels sharing the x axis.
type figure struct {
	name   string
	title  string
	panels []panel
}

// figures lists the plots WritePlots draws, in order.
var figures = []figure{
	{name: "latency", title: "Latency percentiles (successful requests)", panels: []panel{{
		ylabel: "latency (ms)",
		metrics: []metric{
			{"p50_ms", "p50", palette[2]},
			{"p95_ms", "p95", palette[3]},
			{"p99_ms", "p99", palette[1]},
		},
	}}},
	{name: "traffic", title: "Traffic and errors", panels: []panel{
		{ylabel: "requests / s", metrics: []metric{{"ok", "ok", palette[0]}, {"rps", "offered", offeredColor}}},
		{ylabel: "errors / s", metrics: []metric{{"errors", "errors", palette[1]}}},
	}},
	{name: "saturation", title: "Saturation", panels: []panel{
		{ylabel: "utilization (0-1)", ymax: 1, metrics: []metric{{"utilization", "utilization", palette[0]}}},
		{ylabel: "queued requests", metrics: []metric{{"queue", "queue", palette[1]}}},
	}},
	{name: "replicas", title: "Replicas", panels: []panel{{
		ylabel: "instances",
		step:   true,
		metrics: []metric{
			{"replicas_ready", "ready", palette[0]},
			{"replicas_desired", "desired", palette[1]},
			{"replicas_starting", "starting", palette[2]},
			{"replicas_pending", "pending", palette[3]},
		},
	}}},
	{name: "nodes", title: "Nodes", panels: []panel{{
		ylabel: "nodes",
		step:   true,
		metrics: []metric{
			{"nodes_ready", "ready", palette[0]},
			{"nodes_provisioning", "provisioning", palette[2]},
		},
	}}},
}

// WritePlots draws the run's plots from s into dir, each as PNG and SVG:
// latency (p50/p95/p99 ms per service), traffic (ok beside offered
// requests, and errors, per second), saturation (utilization and queue, two panels) and replicas
// (desired, ready, starting, pending; step lines) and, when the run has
// node pools (pass their names among services), nodes (ready and
// provisioning). services orders the lines; when
// nil, services are taken from the column names in order. Missing columns
// are skipped, and a plot with no column at all is not written. The x axis
// is simulated time in seconds, minutes or hours depending on the run's
// length. Output is deterministic: the same series gives byte-identical
// files. It returns the base names written, PNG before SVG per plot.
//
// s is typically a SeriesRecorder's output, so long runs are plotted as
// averages over adjacent windows.
func WritePlots(dir string, s *results.Series, services []string) ([]string, error) {
	return WritePlotsWith(dir, s, services, nil)
}

// WritePlotsWith is WritePlots with a's annotations drawn on every figure:
// the warm-up shaded, events marked on the time axes and limits drawn as
// horizontal lines on the panels plotting their metric. A figure in which
// several services have data is drawn as small multiples, one panel per
// service on shared y axes, and a latency axis whose values span more than
// two decades is logarithmic. a may be nil.
func WritePlotsWith(dir string, s *results.Series, services []string, a *Annotations) ([]string, error) {
	return WritePlotsContext(context.Background(), dir, s, services, a)
}

// WritePlotsContext is WritePlotsWith stopping with ctx's error, between
// figures and between a figure's PNG and SVG, once ctx is done.
func WritePlotsContext(ctx context.Context, dir string, s *results.Series, services []string, a *Annotations) ([]string, error) {
	if s == nil {
		s = &results.Series{}
	}
	if services == nil {
		services = servicesOf(s.Columns)
	}
	unit, unitLabel := timeUnit(s.Times)
	var written []string
	for _, f := range figures {
		if err := ctx.Err(); err != nil {
			return written, err
		}
		l := layoutFigure(f, s, services, unit, unitLabel, a)
		if l == nil {
			continue
		}
		l.stop = func() bool { return ctx.Err() != nil }
		h := l.height()
		pngCanvas := vgimg.NewWith(vgimg.UseWH(plotWidth, h), vgimg.UseDPI(plotDPI))
		l.draw(draw.New(pngCanvas))
		if err := ctx.Err(); err != nil {
			return written, err
		}
		svgCanvas := vgsvg.New(plotWidth, h)
		l.draw(draw.New(svgCanvas))
		if err := ctx.Err(); err != nil {
			return written, err
		}
		var png, svg bytes.Buffer
		if _, err := (vgimg.PngCanvas{Canvas: pngCanvas}).WriteTo(&png); err != nil {
			return written, fmt.Errorf("reports: render %s.png: %w", f.name, err)
		}
		if _, err := svgCanvas.WriteTo(&svg); err != nil {
			return written, fmt.Errorf("reports: render %s.svg: %w", f.name, err)
		}
		for _, o := range []struct {
			name string
			data []byte
		}{{f.name + ".png", png.Bytes()}, {f.name + ".svg", svg.Bytes()}} {
			if err := WriteFileAtomic(filepath.Join(dir, o.name), o.data); err != nil {
				return written, err
			}
			written = append(written, o.name)
		}
	}
	return written, nil
}

// servicesOf returns the distinct SERVICE parts of SERVICE.METRIC column
// names in order of first appearance, skipping per-version columns.
func servicesOf(columns []string) []string {
	var out []string
	seen := map[string]bool{}
	for _, c := range columns {
		i := strings.LastIndexByte(c, '.')
		if i <= 0 || strings.ContainsRune(c[:i], '@') || seen[c[:i]] {
			continue
		}
		seen[c[:i]] = true
		out = append(out, c[:i])
	}
	return out
}

// timeUnit picks the x-axis unit for a run ending at the last of times:
// seconds under 3 minutes, hours over 3 hours, minutes otherwise.
func timeUnit(times []float64) (seconds float64, label string) {
	end := 0.0
	if len(times) > 0 {
		end = times[len(times)-1]
	}
	switch {
	case end < 180:
		return 1, "s"
	case end > 3*3600:
		return 3600, "h"
	default:
		return 60, "min"
	}
}

// buildPanels makes one plot and one legend per panel of f, or nil when
// none of f's columns is in s.
func buildPanels(f figure, s *results.Series, services []string, unit float64) ([]*plot.Plot, []plot.Legend) {
	plots := make([]*plot.Plot, len(f.panels))
	legends := make([]plot.Legend, len(f.panels))
	found := false
	xmax := 0.0
	if n := len(s.Times); n > 0 && finite(s.Times[n-1]) {
		xmax = s.Times[n-1] / unit
	}
	for i, pn := range f.panels {
		p := plot.New()
		p.Y.Label.Text = pn.ylabel
		p.Y.Label.TextStyle.Font.Size = vg.Points(11)
		p.X.Label.TextStyle.Font.Size = vg.Points(11)
		grid := plotter.NewGrid()
		grid.Vertical.Color = color.Gray{0xDD}
		grid.Horizontal.Color = color.Gray{0xDD}
		p.Add(grid)
		leg := plot.NewLegend()
		leg.TextStyle.Font.Size = vg.Points(10)
		leg.Top, leg.Left = true, true
		leg.Padding = vg.Points(2)
		p.X.Tick.Marker = tickMarker{}
		p.Y.Tick.Marker = tickMarker{}
		ymax := pn.ymax
		for si, svc := range services {
			for mi, m := range pn.metrics {
				col := s.Column(svc + "." + m.column)
				if col == nil {
					continue
				}
				found = true
				sty := lineStyle(m, si, mi, len(services), len(pn.metrics))
				for _, seg := range segments(s.Times, col, unit) {
					for _, pt := range seg {
						ymax = math.Max(ymax, pt.Y)
					}
					if len(seg) == 1 { // a lone window between gaps: a dot
						p.Add(&plotter.Scatter{XYs: seg, GlyphStyle: draw.GlyphStyle{Color: sty.Color, Radius: sty.Width, Shape: draw.CircleGlyph{}}})
						continue
					}
					line := &plotter.Line{XYs: seg, LineStyle: sty}
					if pn.step {
						line.StepStyle = plotter.PostStep
					}
					p.Add(line)
				}
				leg.Add(legendLabel(svc, m, len(services), len(pn.metrics)), &plotter.Line{LineStyle: sty})
			}
		}
		if ymax <= 0 {
			ymax = 1
		}
		p.X.Min, p.X.Max = 0, xmax
		p.Y.Min, p.Y.Max = 0, ymax*1.05
		plots[i], legends[i] = p, leg
	}
	if !found {
		return nil, nil
	}
	plots[0].Title.Text = f.title
	plots[0].Title.TextStyle.Font.Size = vg.Points(13)
	return plots, legends
}

// segments splits a column into runs of consecutive present values, x in
// the given time unit: a missing value (a window with no successful
// request, see results.Missing) ends a segment, so the plot shows a gap
// rather than a line drawn across it or down to 0.
func segments(times, col []float64, unit float64) []plotter.XYs {
	var out []plotter.XYs
	var cur plotter.XYs
	for r, v := range col {
		if !finite(v) || !finite(times[r]) {
			if len(cur) > 0 {
				out = append(out, cur)
				cur = nil
			}
			continue
		}
		cur = append(cur, plotter.XY{X: times[r] / unit, Y: v})
	}
	if len(cur) > 0 {
		out = append(out, cur)
	}
	return out
}

// lineStyle colours lines by metric when there is one service, by service
// otherwise, and then tells metrics apart by dash pattern.
func lineStyle(m metric, svc, met, nSvc, nMet int) draw.LineStyle {
	if m.color == offeredColor { // offered load: a band the ok line runs inside
		return draw.LineStyle{Width: vg.Points(5), Color: offeredColor}
	}
	sty := draw.LineStyle{Width: vg.Points(1.5), Color: m.color}
	if nSvc > 1 {
		sty.Color = palette[svc%len(palette)]
	}
	if nMet > 1 {
		sty.Dashes = dashes[met%len(dashes)]
	}
	return sty
}

// legendLabel names a line by what varies in its panel.
func legendLabel(svc string, m metric, nSvc, nMet int) string {
	switch {
	case nSvc == 1:
		return m.label
	case nMet == 1:
		return svc
	default:
		return svc + " " + m.label
	}
}

// figureHeight returns the canvas height for n panels, tall enough for
// every legend.
func figureHeight(n int, legends []plot.Legend) vg.Length {
	h := plotHeight + vg.Length(n-1)*panelExtra
	for _, l := range legends {
		need := vg.Length(n) * (legendSize(l).Y + vg.Inch)
		h = max(h, need)
	}
	return h
}

// legendSize returns the width and height a legend needs.
func legendSize(l plot.Legend) vg.Point {
	var c draw.Canvas
	return l.Rectangle(c).Size()
}

// tickMarker is gonum's default ticks labelled like FormatFloat: "25",
// not "25.00".
type tickMarker struct{}

// Ticks implements plot.Ticker.
func (tickMarker) Ticks(min, max float64) []plot.Tick {
	ticks := plot.DefaultTicks{}.Ticks(min, max)
	for i := range ticks {
		if ticks[i].Label != "" {
			ticks[i].Label = FormatFloat(ticks[i].Value)
		}
	}
	return ticks
}

// finite reports whether v is neither NaN nor infinite.
func finite(v float64) bool { return !math.IsNaN(v) && !math.IsInf(v, 0) }
