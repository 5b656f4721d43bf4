package tomlpos

import (
	"regexp"
	"testing"
)

// TestDurationPattern: the schema's pattern accepts what ParseDuration
// accepts and rejects what it rejects.
func TestDurationPattern(t *testing.T) {
	re := regexp.MustCompile(DurationPattern)
	for _, s := range []string{
		"150ms", "2m", "1h30m", "0.5s", "10us", "10µs", "10μs", "1d", "+1s", "1.s", ".5s", "0s", "3ns",
		"", "0", "1", "-1s", "1 s", "1sec", "s", ".s", "1..2s", "1e3s", "1h 30m", "1S", "ms",
	} {
		_, err := ParseDuration(s)
		if re.MatchString(s) != (err == nil) {
			t.Errorf("%q: pattern matches %v, ParseDuration error %v", s, re.MatchString(s), err)
		}
	}
	for _, u := range units {
		if !re.MatchString("1" + u.name) {
			t.Errorf("the pattern lacks the unit %q", u.name)
		}
	}
}
