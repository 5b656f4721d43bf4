package sweep

import (
	"bytes"
	"fmt"
	"image/color"
	"math"
	"slices"
	"strconv"
	"strings"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
	"gonum.org/v1/plot/vg/vgimg"
)

// PlotFigures are the figures plotted against each swept parameter.
var PlotFigures = []string{
	"latency_ms.p99",
	"latency_ms.p95",
	"latency_ms.p50",
	"requests.error_ratio",
	"cost.total_usd",
	InstanceHours,
}

// Plot is one rendered PNG.
type Plot struct {
	Name  string // file name, e.g. latency_ms.p99-vs-workload.shoppers.rate.png
	Title string
	PNG   []byte
}

// colours of the lines (Okabe–Ito, colour-blind safe), in group order.
var colours = []color.Color{
	color.RGBA{0x00, 0x72, 0xB2, 0xFF},
	color.RGBA{0xD5, 0x5E, 0x00, 0xFF},
	color.RGBA{0x00, 0x9E, 0x73, 0xFF},
	color.RGBA{0xCC, 0x79, 0xA7, 0xFF},
	color.RGBA{0xE6, 0x9F, 0x00, 0xFF},
	color.RGBA{0x56, 0xB4, 0xE9, 0xFF},
	color.RGBA{0x00, 0x00, 0x00, 0xFF},
	color.RGBA{0xF0, 0xE4, 0x42, 0xFF},
}

// fileSafe turns a key into a file-name part.
func fileSafe(s string) string {
	return strings.Map(func(r rune) rune {
		switch {
		case r >= 'a' && r <= 'z', r >= 'A' && r <= 'Z', r >= '0' && r <= '9', r == '.', r == '_', r == '-':
			return r
		}
		return '_'
	}, s)
}

// xPositions returns where each value of a parameter sits on the x axis:
// the number itself when every value is a number, else its position
// (labelled with the value).
func xPositions(p Param) (xs []float64, numeric bool) {
	xs = make([]float64, len(p.Values))
	numeric = true
	for i, v := range p.Values {
		f, err := strconv.ParseFloat(v, 64)
		if err != nil || math.IsNaN(f) || math.IsInf(f, 0) {
			numeric = false
		}
		xs[i] = f
	}
	if !numeric {
		for i := range xs {
			xs[i] = float64(i)
		}
	}
	return xs, numeric
}

// errPoints are means with confidence bars.
type errPoints struct {
	plotter.XYs
	plotter.YErrors
}

// Plots draws each PlotFigures figure the table has against each
// parameter: the mean across seeds with its 95% confidence bar, one line
// per combination of the other parameters' values. A grid point whose
// mean is missing is a gap; one without a half-width (one seed) has no
// bar. When the table has cost.total_usd and latency_ms.p99 it adds
// their scatter with the Pareto front (Pareto).
func (t *Table) Plots() ([]Plot, error) {
	var out []Plot
	for _, f := range PlotFigures {
		j := t.Column(f)
		if j < 0 {
			continue
		}
		for pi, par := range t.Params {
			if len(par.Values) < 2 {
				continue // nothing to plot against
			}
			p, err := t.figureVs(j, pi)
			if err != nil {
				return nil, err
			}
			png, err := render(p)
			if err != nil {
				return nil, err
			}
			out = append(out, Plot{
				Name:  fileSafe(f) + "-vs-" + fileSafe(par.Key) + ".png",
				Title: f + " against " + par.Key,
				PNG:   png,
			})
		}
	}
	if p := t.paretoPlot(); p != nil {
		png, err := render(p)
		if err != nil {
			return nil, err
		}
		out = append(out, Plot{Name: "pareto-cost-p99.png", Title: "cost.total_usd against latency_ms.p99, Pareto front", PNG: png})
	}
	return out, nil
}

// figureVs plots figure j against parameter pi.
func (t *Table) figureVs(j, pi int) (*plot.Plot, error) {
	par := t.Params[pi]
	xs, numeric := xPositions(par)
	p := plot.New()
	p.Title.Text = t.Figures[j] + " (mean, 95% CI)"
	p.X.Label.Text = par.Key
	p.Y.Label.Text = t.Figures[j]
	if !numeric {
		ticks := make([]plot.Tick, len(par.Values))
		for i, v := range par.Values {
			ticks[i] = plot.Tick{Value: float64(i), Label: v}
		}
		p.X.Tick.Marker = plot.ConstantTicks(ticks)
	}
	// Group grid points by the other parameters' values, in grid order.
	var keys []string
	groups := map[string][]int{}
	for k, pt := range t.Points {
		var other []string
		for q, v := range pt.Values {
			if q != pi && len(t.Params[q].Values) > 1 {
				other = append(other, t.Params[q].Key+"="+v)
			}
		}
		key := strings.Join(other, ", ")
		if _, ok := groups[key]; !ok {
			keys = append(keys, key)
		}
		groups[key] = append(groups[key], k)
	}
	for g, key := range keys {
		var seg errPoints
		flush := func() error {
			if len(seg.XYs) == 0 {
				return nil
			}
			c := colours[g%len(colours)]
			line, pts, err := plotter.NewLinePoints(seg.XYs)
			if err != nil {
				return err
			}
			line.Color, pts.Color = c, c
			bars, err := plotter.NewYErrorBars(seg)
			if err != nil {
				return err
			}
			bars.Color = c
			bars.CapWidth = vg.Points(6)
			p.Add(line, pts, bars)
			if key != "" {
				p.Legend.Add(key, line, pts)
				key = "" // one legend entry per group
			}
			seg = errPoints{}
			return nil
		}
		for _, k := range groups[key] {
			pt := t.Points[k]
			m, ci := pt.Mean[j], pt.CI95[j]
			if math.IsNaN(m) {
				if err := flush(); err != nil {
					return nil, err
				}
				continue
			}
			if math.IsNaN(ci) {
				ci = 0
			}
			x := xs[slices.Index(par.Values, pt.Values[pi])]
			seg.XYs = append(seg.XYs, plotter.XY{X: x, Y: m})
			seg.YErrors = append(seg.YErrors, struct{ Low, High float64 }{ci, ci})
		}
		if err := flush(); err != nil {
			return nil, err
		}
	}
	p.Legend.Top = true
	return p, nil
}

// ParetoPoint is a grid point on the cost/p99 Pareto front.
type ParetoPoint struct {
	Index     int // grid point
	Cost, P99 float64
}

// Pareto returns the grid points no other point beats on both mean cost
// and mean p99 (lower is better on both), by increasing cost. Points
// missing either figure are left out. Nil when the table lacks either.
func (t *Table) Pareto() []ParetoPoint {
	jc, jp := t.Column("cost.total_usd"), t.Column("latency_ms.p99")
	if jc < 0 || jp < 0 {
		return nil
	}
	var all []ParetoPoint
	for k, pt := range t.Points {
		c, l := pt.Mean[jc], pt.Mean[jp]
		if !math.IsNaN(c) && !math.IsNaN(l) {
			all = append(all, ParetoPoint{k, c, l})
		}
	}
	slices.SortStableFunc(all, func(a, b ParetoPoint) int {
		if a.Cost != b.Cost {
			return cmpF(a.Cost, b.Cost)
		}
		return cmpF(a.P99, b.P99)
	})
	var front []ParetoPoint
	best := math.Inf(1)
	for _, q := range all {
		if q.P99 < best {
			front = append(front, q)
			best = q.P99
		}
	}
	return front
}

func cmpF(a, b float64) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

// paretoPlot is the cost/p99 scatter with the front; nil without both.
func (t *Table) paretoPlot() *plot.Plot {
	front := t.Pareto()
	if front == nil {
		return nil
	}
	jc, jp := t.Column("cost.total_usd"), t.Column("latency_ms.p99")
	var all plotter.XYs
	var labels []string
	for _, pt := range t.Points {
		if !math.IsNaN(pt.Mean[jc]) && !math.IsNaN(pt.Mean[jp]) {
			all = append(all, plotter.XY{X: pt.Mean[jc], Y: pt.Mean[jp]})
			labels = append(labels, strings.Join(pt.Values, ", "))
		}
	}
	p := plot.New()
	p.Title.Text = "Cost against p99 latency (grid-point means)"
	p.X.Label.Text = "cost.total_usd"
	p.Y.Label.Text = "latency_ms.p99"
	sc, err := plotter.NewScatter(all)
	if err != nil {
		return nil
	}
	sc.Color = colours[0]
	var fr plotter.XYs
	for _, q := range front {
		fr = append(fr, plotter.XY{X: q.Cost, Y: q.P99})
	}
	line, pts, err := plotter.NewLinePoints(fr)
	if err != nil {
		return nil
	}
	line.Color, pts.Color = colours[1], colours[1]
	pts.Shape = draw.BoxGlyph{}
	p.Add(sc, line, pts)
	if len(all) <= maxLabels {
		if l, err := plotter.NewLabels(plotter.XYLabels{XYs: all, Labels: labels}); err == nil {
			l.Offset = vg.Point{X: vg.Points(4), Y: vg.Points(4)}
			p.Add(l)
		}
	}
	p.X.Padding, p.Y.Padding = vg.Points(12), vg.Points(12)
	p.Legend.Add("grid point", sc)
	p.Legend.Add("Pareto front", line, pts)
	p.Legend.Top = true
	return p
}

// maxLabels is the most grid points the Pareto plot labels with their
// parameter values.
const maxLabels = 30

// render draws p as a PNG.
func render(p *plot.Plot) ([]byte, error) {
	c := vgimg.NewWith(vgimg.UseWH(7*vg.Inch, 4*vg.Inch), vgimg.UseDPI(96))
	p.Draw(draw.New(c))
	var b bytes.Buffer
	if _, err := (vgimg.PngCanvas{Canvas: c}).WriteTo(&b); err != nil {
		return nil, fmt.Errorf("sweep: render plot: %w", err)
	}
	return b.Bytes(), nil
}
