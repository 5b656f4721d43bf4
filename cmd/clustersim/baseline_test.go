package main

import (
	"reflect"
	"testing"
)

func TestParseTolerance(t *testing.T) {
	tests := []struct {
		in   string
		want float64
		ok   bool
	}{
		{"5%", 0.05, true}, {"0.05", 0.05, true}, {" 10 % ", 0.1, true}, {"0", 0, true},
		{"-1%", 0, false}, {"five", 0, false}, {"%", 0, false}, {"NaN", 0, false},
	}
	for _, tt := range tests {
		got, err := parseTolerance(tt.in)
		if (err == nil) != tt.ok || (tt.ok && got != tt.want) {
			t.Errorf("parseTolerance(%q) = %v, %v", tt.in, got, err)
		}
	}
}

// TestCompareBaseline: figures that grew beyond the tolerance regress;
// figures missing or null on either side (an older summary without
// requests.error_ratio, a p99 of a run with no success) are skipped.
func TestCompareBaseline(t *testing.T) {
	before := `{"latency_ms": {"p50": 10, "p99": 100, "p999": null}, "requests": {"total": 5}, "cost": {"total_usd": 2}}`
	after := `{"latency_ms": {"p50": 10.4, "p99": 106, "p999": 300}, "requests": {"total": 5, "error_ratio": 0.5}, "cost": {"total_usd": 1}}`
	got, err := compareBaseline([]byte(before), []byte(after), 0.05)
	if err != nil {
		t.Fatal(err)
	}
	want := []comparison{
		{"latency_ms.p50", 10, 10.4, false}, // +4%: within 5%
		{"latency_ms.p99", 100, 106, true},  // +6%
		{"cost.total_usd", 2, 1, false},     // cheaper
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("got %+v\nwant %+v", got, want)
	}
	withRatio := `{"requests": {"error_ratio": 0.01}}`
	got, _ = compareBaseline([]byte(withRatio), []byte(`{"requests": {"error_ratio": 0.0106}}`), 0.05)
	if len(got) != 1 || !got[0].regressed {
		t.Errorf("error ratio 0.01 -> 0.0106 at 5%%: %+v", got)
	}
	if _, err := compareBaseline([]byte("not json"), []byte(after), 0.05); err == nil {
		t.Error("no error for a corrupt baseline")
	}
}

func TestChange(t *testing.T) {
	for _, tt := range []struct {
		b, a float64
		want string
	}{{10, 10, "0%"}, {10, 11, "+10%"}, {10, 9, "-10%"}, {0, 1, "new"}, {3, 4, "+33.3%"}} {
		if got := change(tt.b, tt.a); got != tt.want {
			t.Errorf("change(%v, %v) = %q, want %q", tt.b, tt.a, got, tt.want)
		}
	}
}

func TestCheckDirNames(t *testing.T) {
	got := checkDirNames([]string{"d1/x.toml", "d2/x.toml", "x-2.toml", "y", "d3/x.toml"})
	want := []string{"x", "x-3", "x-2", "y", "x-4"}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("got %v, want %v", got, want)
	}
}
