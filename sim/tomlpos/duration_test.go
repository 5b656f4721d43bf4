package tomlpos_test

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/clustersim/clustersim/sim/tomlpos"
)

func TestParseDuration(t *testing.T) {
	const (
		ns = tomlpos.Nanosecond
		us = tomlpos.Microsecond
		ms = tomlpos.Millisecond
		s  = tomlpos.Second
		m  = tomlpos.Minute
		h  = tomlpos.Hour
		d  = tomlpos.Day
	)
	tests := []struct {
		in   string
		want tomlpos.Duration
		str  string // String() of the result
	}{
		{"0s", 0, "0s"},
		{"150ms", 150 * ms, "150ms"},
		{"2m", 2 * m, "2m"},
		{"1h30m", h + 30*m, "1h30m"},
		{"0.5s", 500 * ms, "500ms"},
		{"10us", 10 * us, "10us"},
		{"10µs", 10 * us, "10us"},
		{"1d", d, "1d"},
		{"1d2h3m4.5s", d + 2*h + 3*m + 4500*ms, "1d2h3m4.5s"},
		{"90s", 90 * s, "1m30s"},
		{"1.5ms", 1500 * us, "1.5ms"},
		{"1.0000005ms", ms + ns, "1.000001ms"}, // below 1 ns: rounded half up
		{"3ns", 3 * ns, "3ns"},
		{".5s", 500 * ms, "500ms"},
		{"+2s", 2 * s, "2s"},
		{"1m0.001s", m + ms, "1m0.001s"},
		{"1.5us", 1500 * ns, "1.5us"},
	}
	for _, tt := range tests {
		got, err := tomlpos.ParseDuration(tt.in)
		if err != nil {
			t.Errorf("ParseDuration(%q): %v", tt.in, err)
			continue
		}
		if got != tt.want {
			t.Errorf("ParseDuration(%q) = %d, want %d", tt.in, got, tt.want)
		}
		if got.String() != tt.str {
			t.Errorf("ParseDuration(%q).String() = %q, want %q", tt.in, got.String(), tt.str)
		}
	}
}

func TestParseDurationErrors(t *testing.T) {
	tests := []struct{ in, want string }{
		{"", "empty duration"},
		{"-5s", `"-5s": durations cannot be negative`},
		{"5", `"5": missing unit; use a unit such as "250ms" or "2s"`},
		{"0", `"0": missing unit`},
		{"1.5", `"1.5": missing unit`},
		{"5 s", `"5 s": unknown unit in " s"`},
		{"5sec", `"5sec": invalid duration`},
		{"5x", `"5x": unknown unit in "x"`},
		{"s", `"s": invalid duration`},
		{"1..2s", `"1..2s": invalid duration`},
		{"1e3s", `"1e3s": unknown unit in "e3s"`},
		{"300000000d", `"300000000d": duration too large`},
		{"106751d23h47m16.854775808s", `duration too large`},
	}
	for _, tt := range tests {
		_, err := tomlpos.ParseDuration(tt.in)
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("ParseDuration(%q) error = %v, want %q", tt.in, err, tt.want)
		}
	}
	// The largest duration parses and prints back.
	maxD := tomlpos.Duration(1<<63 - 1)
	if got, err := tomlpos.ParseDuration(maxD.String()); err != nil || got != maxD {
		t.Errorf("ParseDuration(%q) = %v, %v", maxD.String(), got, err)
	}
}

// FuzzParseDuration checks that any accepted duration is >= 0 and reads
// back from its String. Seeded with every duration string of the library.
func FuzzParseDuration(f *testing.F) {
	for _, s := range []string{"0s", "150ms", "1h30m", "0.5s", "10us", "1d", "1.0000005ms", "-1s", "5", "", "9223372036854775807ns", "106751d"} {
		f.Add(s)
	}
	library, _ := filepath.Glob("../../scenarios/*.toml")
	quoted := regexp.MustCompile(`"([0-9][0-9.]*[a-z]+)"`)
	for _, name := range library {
		data, err := os.ReadFile(name)
		if err != nil {
			f.Fatal(err)
		}
		for _, m := range quoted.FindAllSubmatch(data, -1) {
			f.Add(string(m[1]))
		}
	}
	f.Fuzz(func(t *testing.T, s string) {
		d, err := tomlpos.ParseDuration(s)
		if err != nil {
			return
		}
		if d < 0 {
			t.Fatalf("ParseDuration(%q) = %d < 0", s, d)
		}
		back, err := tomlpos.ParseDuration(d.String())
		if err != nil || back != d {
			t.Fatalf("ParseDuration(%q) = %d; its String %q reads back as %d, %v", s, d, d.String(), back, err)
		}
	})
}
