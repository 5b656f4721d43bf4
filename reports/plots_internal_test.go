package reports

import (
	"math"
	"reflect"
	"testing"

	"gonum.org/v1/plot/plotter"
)

// TestSegmentsBreakAtMissing pins the plot side of the missing-figure rule
// (DESIGN.md: a figure that does not exist is a gap in plots): a window
// with no value ends the line instead of being drawn at 0 or bridged.
func TestSegmentsBreakAtMissing(t *testing.T) {
	nan := math.NaN()
	times := []float64{10, 20, 30, 40, 50, 60}
	tests := []struct {
		name string
		col  []float64
		want []plotter.XYs
	}{
		{"no gap", []float64{1, 2, 3, 4, 5, 6}, []plotter.XYs{{{X: 10, Y: 1}, {X: 20, Y: 2}, {X: 30, Y: 3}, {X: 40, Y: 4}, {X: 50, Y: 5}, {X: 60, Y: 6}}}},
		{"gap in the middle", []float64{1, 2, nan, nan, 5, 6}, []plotter.XYs{{{X: 10, Y: 1}, {X: 20, Y: 2}}, {{X: 50, Y: 5}, {X: 60, Y: 6}}}},
		{"lone point", []float64{nan, 2, nan, 4, 5, nan}, []plotter.XYs{{{X: 20, Y: 2}}, {{X: 40, Y: 4}, {X: 50, Y: 5}}}},
		{"all missing", []float64{nan, nan, nan, nan, nan, nan}, nil},
		{"infinite is missing", []float64{1, math.Inf(1), 3, 4, 5, 6}, []plotter.XYs{{{X: 10, Y: 1}}, {{X: 30, Y: 3}, {X: 40, Y: 4}, {X: 50, Y: 5}, {X: 60, Y: 6}}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := segments(times, tt.col, 1); !reflect.DeepEqual(got, tt.want) {
				t.Errorf("segments = %v, want %v", got, tt.want)
			}
		})
	}
}
