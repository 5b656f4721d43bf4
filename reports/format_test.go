package reports_test

import (
	"math"
	"testing"

	"github.com/clustersim/clustersim/reports"
)

func TestFormatSig(t *testing.T) {
	tests := []struct {
		v    float64
		want string
	}{
		{0, "0"}, {12.3456, "12.3"}, {0.74213, "0.742"}, {0.5, "0.5"}, {120.1235, "120"},
		{99.96, "100"}, {9.996, "10"}, {1234.5, "1235"}, {0.0012345, "0.00123"},
		{-5.5556, "-5.56"}, {-0.0001, "-0.0001"}, {math.NaN(), "-"}, {math.Inf(1), "-"},
	}
	for _, tt := range tests {
		if got := reports.FormatSig(tt.v); got != tt.want {
			t.Errorf("FormatSig(%v) = %q, want %q", tt.v, got, tt.want)
		}
	}
}

func TestFormatMeasured(t *testing.T) {
	tests := []struct {
		v     float64
		limit string
		want  string
	}{
		{120.1235, "<= 250", "120"},
		{250.4, "<= 250", "250.4"},
		{250, "<= 250", "250"},
		{9.9951, ">= 10, <= 20", "9.9951"},
	}
	for _, tt := range tests {
		if got := reports.FormatMeasured(tt.v, tt.limit); got != tt.want {
			t.Errorf("FormatMeasured(%v, %q) = %q, want %q", tt.v, tt.limit, got, tt.want)
		}
	}
}
