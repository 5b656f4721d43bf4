package tomlpos

import (
	"errors"
	"testing"
)

// TestSyntaxErrorsAll: the TOML library stops at its first syntax error;
// New reports the later ones too (issue 11: "only the first syntax
// error is reported"), each with its line, and no error that only
// follows from an earlier one.
func TestSyntaxErrorsAll(t *testing.T) {
	for _, tc := range []struct {
		name  string
		src   string
		lines []int
	}{
		{"three lines", "[sim]\nduration = \"10m\" \"x\"\nseed = 1\n\n[[workload]]\nname = \"w\"\nrate = 10 20\n\n[[service]]\nreplicas = = 2\n", []int{2, 7, 10}},
		{"one", "[sim]\nduration = \"10m\nseed = 1\n", []int{2}},
		{"at the end, no newline", "a = 1\nb = = 2", []int{2}},
	} {
		_, err := New("x.toml", []byte(tc.src), Schema{})
		var list ErrorList
		if !errors.As(err, &list) {
			t.Fatalf("%s: %v", tc.name, err)
		}
		var got []int
		for _, e := range list {
			if !errors.Is(e, ErrSyntax) || e.File != "x.toml" {
				t.Errorf("%s: %#v", tc.name, e)
			}
			got = append(got, e.Line)
		}
		if len(got) != len(tc.lines) {
			t.Errorf("%s: errors on lines %v, want %v: %v", tc.name, got, tc.lines, err)
			continue
		}
		for i := range got {
			if got[i] != tc.lines[i] {
				t.Errorf("%s: errors on lines %v, want %v: %v", tc.name, got, tc.lines, err)
				break
			}
		}
	}
	// A file of nothing but errors stops at MaxSyntaxErrors.
	src := ""
	for range 50 {
		src += "x = = 1\n"
	}
	_, err := New("x.toml", []byte(src), Schema{})
	if list, _ := err.(ErrorList); len(list) != MaxSyntaxErrors {
		t.Errorf("%d errors, want %d", len(list), MaxSyntaxErrors)
	}
}
