package tomlpos

import (
	"errors"
	"fmt"
	"math"
	"strconv"
	"strings"
)

// Duration is a span of time in nanoseconds, written in TOML documents as
// a string with units: "150ms", "2m", "1h30m", "0.5s", "10us",
// "1d". It converts to engine.Duration with a plain conversion.
type Duration int64

// Duration units.
const (
	Nanosecond  Duration = 1
	Microsecond          = 1000 * Nanosecond
	Millisecond          = 1000 * Microsecond
	Second               = 1000 * Millisecond
	Minute               = 60 * Second
	Hour                 = 60 * Minute
	Day                  = 24 * Hour
)

// durationHint is the advice given with duration errors.
const durationHint = `use a unit such as "250ms" or "2s"`

var units = []struct {
	name string
	d    Duration
}{
	// Longer names first, so "ms" is not read as "m" then "s".
	{"ns", Nanosecond}, {"us", Microsecond}, {"µs", Microsecond}, {"μs", Microsecond},
	{"ms", Millisecond}, {"s", Second}, {"m", Minute}, {"h", Hour}, {"d", Day},
}

// ParseDuration parses a non-negative duration: a sequence of decimal
// numbers, each with an optional fraction and a unit (ns, us, µs, ms, s, m,
// h, d), such as "1h30m" or "0.5s". A bare "0" is not accepted: every
// number needs a unit.
func ParseDuration(s string) (Duration, error) {
	if s == "" {
		return 0, errors.New("empty duration")
	}
	orig := s
	if s[0] == '-' {
		return 0, fmt.Errorf("%q: durations cannot be negative", orig)
	}
	if s[0] == '+' {
		s = s[1:]
	}
	var sum Duration
	for s != "" {
		// The number.
		i := 0
		for i < len(s) && (s[i] >= '0' && s[i] <= '9' || s[i] == '.') {
			i++
		}
		num := s[:i]
		if num == "" || num == "." || strings.Count(num, ".") > 1 {
			return 0, fmt.Errorf("%q: invalid duration", orig)
		}
		s = s[i:]
		// The unit.
		var unit Duration
		for _, u := range units {
			if strings.HasPrefix(s, u.name) {
				unit, s = u.d, s[len(u.name):]
				break
			}
		}
		if unit == 0 {
			if s == "" {
				return 0, fmt.Errorf("%q: missing unit; %s", orig, durationHint)
			}
			return 0, fmt.Errorf("%q: unknown unit in %q; %s", orig, s, durationHint)
		}
		d, err := scale(num, unit)
		if err != nil {
			return 0, fmt.Errorf("%q: %v", orig, err)
		}
		if sum > math.MaxInt64-d {
			return 0, fmt.Errorf("%q: duration too large", orig)
		}
		sum += d
	}
	return sum, nil
}

// scale returns num (a decimal without sign or exponent) times unit,
// rounded to the nearest nanosecond, computed exactly in integers.
func scale(num string, unit Duration) (Duration, error) {
	intPart, frac, _ := strings.Cut(num, ".")
	var d Duration
	if intPart != "" {
		n, err := strconv.ParseInt(intPart, 10, 64)
		if err != nil || n > math.MaxInt64/int64(unit) {
			return 0, errors.New("duration too large")
		}
		d = Duration(n) * unit
	}
	// Fraction: accumulate digit by digit while the unit still divides.
	scale := unit
	var f Duration
	for j := 0; j < len(frac); j++ {
		digit := Duration(frac[j] - '0')
		if scale < 10 {
			// Below a nanosecond: round half up on the next digit.
			if digit >= 5 {
				f++
			}
			break
		}
		scale /= 10
		f += digit * scale
	}
	if d > math.MaxInt64-f {
		return 0, errors.New("duration too large")
	}
	return d + f, nil
}

// UnmarshalText implements encoding.TextUnmarshaler.
func (d *Duration) UnmarshalText(b []byte) error {
	v, err := ParseDuration(string(b))
	if err != nil {
		return err
	}
	*d = v
	return nil
}

// MarshalText implements encoding.TextMarshaler, using String.
func (d Duration) MarshalText() ([]byte, error) { return []byte(d.String()), nil }

// Seconds returns d in seconds.
func (d Duration) Seconds() float64 { return float64(d) / 1e9 }

// String renders d compactly and exactly, so that ParseDuration reads it
// back unchanged: "0s", "150ms", "1.5us", "2m30s", "1d2h", "3ns".
func (d Duration) String() string {
	if d == 0 {
		return "0s"
	}
	var b strings.Builder
	if d < 0 { // not produced by ParseDuration, rendered for completeness
		b.WriteByte('-')
		if d == math.MinInt64 {
			return "-" + strconv.FormatUint(uint64(math.MaxInt64)+1, 10) + "ns"
		}
		d = -d
	}
	if d < Second {
		switch {
		case d >= Millisecond:
			b.WriteString(decimal(d, Millisecond) + "ms")
		case d >= Microsecond:
			b.WriteString(decimal(d, Microsecond) + "us")
		default:
			b.WriteString(strconv.FormatInt(int64(d), 10) + "ns")
		}
		return b.String()
	}
	for _, u := range []struct {
		name string
		d    Duration
	}{{"d", Day}, {"h", Hour}, {"m", Minute}} {
		if n := d / u.d; n > 0 {
			b.WriteString(strconv.FormatInt(int64(n), 10) + u.name)
			d -= n * u.d
		}
	}
	if d > 0 {
		b.WriteString(decimal(d, Second) + "s")
	}
	return b.String()
}

// decimal renders d/unit exactly as a decimal without trailing zeros.
func decimal(d, unit Duration) string {
	s := strconv.FormatInt(int64(d/unit), 10)
	rem := d % unit
	if rem == 0 {
		return s
	}
	width := len(strconv.FormatInt(int64(unit), 10)) - 1
	frac := fmt.Sprintf("%0*d", width, int64(rem))
	return s + "." + strings.TrimRight(frac, "0")
}
