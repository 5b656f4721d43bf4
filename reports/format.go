package reports

import (
	"math"
	"strconv"
	"strings"
)

// FormatSig formats v for people: 3 significant digits below 100 (12.3,
// 0.742, 0.00123), the nearest whole number from 100 up (250, 1235), with
// no exponent and no trailing zeros. NaN and infinities print as "-".
// Latency, cost, throughput and other measured figures print this way;
// counts print as integers.
func FormatSig(v float64) string {
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return "-"
	}
	a := math.Abs(v)
	if a >= 100 || a == 0 {
		return strconv.FormatFloat(math.Round(v), 'f', 0, 64)
	}
	// Decimals that leave 3 significant digits: 2 - floor(log10(a)).
	dec := 2 - int(math.Floor(math.Log10(a)))
	s := strconv.FormatFloat(v, 'f', dec, 64)
	if r, err := strconv.ParseFloat(s, 64); err == nil && math.Abs(r) >= 100 {
		return strconv.FormatFloat(math.Round(v), 'f', 0, 64) // 99.96 rounds up to 100
	}
	if strings.Contains(s, ".") {
		s = strings.TrimRight(strings.TrimRight(s, "0"), ".")
	}
	if s == "-0" {
		s = "0"
	}
	return s
}

// FormatMeasured formats an assertion's measured value with FormatSig,
// unless that would print a number of its limit ("<= 250") that the value
// is not, as 250.4 would: then it prints every digit (FormatFloat), so a
// failure never reads "250 (limit <= 250)".
func FormatMeasured(v float64, limit string) string {
	s := FormatSig(v)
	shown, err := strconv.ParseFloat(s, 64)
	if err != nil || shown == v {
		return s
	}
	for f := range strings.FieldsSeq(limit) {
		if n, err := strconv.ParseFloat(strings.Trim(f, ",<>=()"), 64); err == nil && n == shown {
			return FormatFloat(v)
		}
	}
	return s
}
