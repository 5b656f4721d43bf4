package engine

import (
	"math"
	"math/bits"
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

// End is the end of simulated time: the latest Time there is. Add and
// FromSeconds saturate there instead of wrapping around, so an absurd draw
// (a heavy-tailed service time, a huge slowdown) schedules an event that
// never fires before the horizon rather than one in the past.
const End = Time(math.MaxInt64)

// MaxDuration is the longest Duration, about 292 years.
const MaxDuration = Duration(math.MaxInt64)

// Add returns t+d, saturating at End (and at the earliest Time for a
// negative d).
func (t Time) Add(d Duration) Time {
	r := t + Time(d)
	if (r < t) != (d < 0) { // overflowed
		if d < 0 {
			return math.MinInt64
		}
		return End
	}
	return r
}

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
// nanosecond and saturating at ±MaxDuration (NaN gives MaxDuration).
func FromSeconds(s float64) Duration { return FromNanos(s * 1e9) }

// maxNanos is the smallest float64 that does not fit a Duration (2^63).
const maxNanos = float64(1 << 63)

// FromNanos converts a float number of nanoseconds to a Duration, rounding
// to the nearest nanosecond and saturating at ±MaxDuration (NaN gives
// MaxDuration). Use it for every duration computed in floating point.
func FromNanos(ns float64) Duration {
	switch {
	case ns >= 0 && ns < maxNanos:
		return Duration(ns + 0.5)
	case ns < 0 && ns > -maxNanos:
		return Duration(ns - 0.5)
	case ns < 0:
		return -MaxDuration
	}
	return MaxDuration // too large, or NaN
}

// Scale returns d×f truncated to the nanosecond, saturating at
// ±MaxDuration; f must not be NaN.
func (d Duration) Scale(f float64) Duration {
	x := float64(d) * f
	switch {
	case x >= maxNanos:
		return MaxDuration
	case x <= -maxNanos:
		return -MaxDuration
	}
	return Duration(x)
}

// Mul returns d×n, saturating at ±MaxDuration.
func (d Duration) Mul(n int64) Duration {
	hi, lo := bits.Mul64(uint64(abs(int64(d))), uint64(abs(n)))
	if hi != 0 || lo > math.MaxInt64 {
		if (d < 0) != (n < 0) {
			return -MaxDuration
		}
		return MaxDuration
	}
	return d * Duration(n)
}

func abs(x int64) int64 {
	if x < 0 {
		return -x
	}
	return x
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
