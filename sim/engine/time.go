package engine

import (
	"strconv"
	"strings"
)

// Time is a point in simulated time, in nanoseconds since the start of the
// run. Simulated time never reads the wall clock.
type Time int64

// Duration is a span of simulated time in nanoseconds.
type Duration int64

// Common durations.
const (
	Nanosecond  Duration = 1
	Microsecond          = 1000 * Nanosecond
	Millisecond          = 1000 * Microsecond
	Second               = 1000 * Millisecond
	Minute               = 60 * Second
	Hour                 = 60 * Minute
)

// Add returns t+d.
func (t Time) Add(d Duration) Time { return t + Time(d) }

// Sub returns the duration t-u.
func (t Time) Sub(u Time) Duration { return Duration(t - u) }

// Seconds returns t in seconds since the start of the run.
func (t Time) Seconds() float64 { return float64(t) / 1e9 }

// String renders t compactly, for example "90s" or "1h2m3.5s".
func (t Time) String() string { return Duration(t).String() }

// Seconds returns d in seconds.
func (d Duration) Seconds() float64 { return float64(d) / 1e9 }

// Milliseconds returns d in milliseconds, with fractions.
func (d Duration) Milliseconds() float64 { return float64(d) / 1e6 }

// FromSeconds converts seconds to a Duration, rounding to the nearest
// nanosecond.
func FromSeconds(s float64) Duration {
	if s >= 0 {
		return Duration(s*1e9 + 0.5)
	}
	return Duration(s*1e9 - 0.5)
}

// String renders d compactly: "0s", "150ms", "2m30s", "1h".
func (d Duration) String() string {
	if d == 0 {
		return "0s"
	}
	var b strings.Builder
	if d < 0 {
		b.WriteByte('-')
		d = -d
	}
	if d < Second {
		switch {
		case d >= Millisecond:
			return b.String() + strconv.FormatFloat(float64(d)/1e6, 'f', -1, 64) + "ms"
		case d%Microsecond == 0:
			return b.String() + strconv.FormatInt(int64(d/Microsecond), 10) + "us"
		default:
			return b.String() + strconv.FormatInt(int64(d), 10) + "ns"
		}
	}
	if h := d / Hour; h > 0 {
		b.WriteString(strconv.FormatInt(int64(h), 10))
		b.WriteByte('h')
		d -= h * Hour
	}
	if m := d / Minute; m > 0 {
		b.WriteString(strconv.FormatInt(int64(m), 10))
		b.WriteByte('m')
		d -= m * Minute
	}
	if d > 0 {
		b.WriteString(strconv.FormatFloat(float64(d)/1e9, 'f', -1, 64))
		b.WriteByte('s')
	}
	return b.String()
}
