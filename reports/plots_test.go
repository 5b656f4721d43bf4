package reports_test

import (
	"bytes"
	"image/png"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/clustersim/clustersim/reports"
	"github.com/clustersim/clustersim/sim/results"
)

var allPlots = []string{
	"latency.png", "latency.svg", "traffic.png", "traffic.svg",
	"saturation.png", "saturation.svg", "replicas.png", "replicas.svg",
}

func TestWritePlots(t *testing.T) {
	s := sampleSeries(30, 10)
	dirs := []string{t.TempDir(), t.TempDir()}
	for _, dir := range dirs {
		names, err := reports.WritePlots(dir, s, []string{"api", "db"})
		if err != nil {
			t.Fatal(err)
		}
		if !slices.Equal(names, allPlots) {
			t.Fatalf("wrote %v, want %v", names, allPlots)
		}
		assertNoTemp(t, dir)
	}
	for _, name := range allPlots {
		a, err := os.ReadFile(filepath.Join(dirs[0], name))
		if err != nil {
			t.Fatal(err)
		}
		b, err := os.ReadFile(filepath.Join(dirs[1], name))
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(a, b) {
			t.Errorf("%s differs between two renders of the same series", name)
		}
		switch filepath.Ext(name) {
		case ".png":
			img, err := png.Decode(bytes.NewReader(a))
			if err != nil {
				t.Errorf("%s: %v", name, err)
				continue
			}
			if w := img.Bounds().Dx(); w != 768 {
				t.Errorf("%s is %d px wide, want 768 (8in at 96dpi)", name, w)
			}
		case ".svg":
			if !bytes.HasPrefix(a, []byte("<?xml")) && !bytes.HasPrefix(a, []byte("<svg")) {
				t.Errorf("%s does not start like an SVG: %.40q", name, a)
			}
		}
	}
}

func TestWritePlotsTimeUnit(t *testing.T) {
	tests := []struct {
		windows int
		stepS   float64
		want    string
	}{
		{12, 10, "simulated time (s)"},    // 2 minutes
		{18, 10, "simulated time (min)"},  // 3 minutes
		{180, 60, "simulated time (min)"}, // 3 hours
		{200, 60, "simulated time (h)"},   // 3h20m
	}
	for _, tt := range tests {
		dir := t.TempDir()
		if _, err := reports.WritePlots(dir, sampleSeries(tt.windows, tt.stepS), nil); err != nil {
			t.Fatal(err)
		}
		svg, err := os.ReadFile(filepath.Join(dir, "latency.svg"))
		if err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(string(svg), tt.want) {
			t.Errorf("%d windows of %gs: x axis not titled %q", tt.windows, tt.stepS, tt.want)
		}
	}
}

func TestWritePlotsDegenerate(t *testing.T) {
	tests := []struct {
		name string
		s    *results.Series
		want []string
	}{
		{"nil series", nil, nil},
		{"no known columns", &results.Series{Columns: []string{"api.other"}, Times: []float64{1}, Rows: [][]float64{{1}}}, nil},
		{"columns but no rows", &results.Series{Columns: sampleSeries(1, 1).Columns}, allPlots},
		{"one row", sampleSeries(1, 10), allPlots},
		{"only replicas", &results.Series{Columns: []string{"api.replicas_ready"}, Times: []float64{10, 20}, Rows: [][]float64{{1}, {2}}},
			[]string{"replicas.png", "replicas.svg"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			names, err := reports.WritePlots(dir, tt.s, nil)
			if err != nil {
				t.Fatal(err)
			}
			if !slices.Equal(names, tt.want) {
				t.Errorf("wrote %v, want %v", names, tt.want)
			}
			assertNoTemp(t, dir)
		})
	}
}
