package reports

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math"
	"path/filepath"
	"reflect"
	"strconv"

	"github.com/clustersim/clustersim/sim/results"
)

// SummaryFile is the base name of the whole-run summary.
const SummaryFile = "summary.json"

// Round rounds v to 4 decimal places, the precision of every number the
// reports write. NaN and ±Inf become 0, and so does -0.
func Round(v float64) float64 {
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return 0
	}
	if math.Abs(v) < 1e15 { // beyond that there are no decimals left to drop
		v = math.Round(v*1e4) / 1e4
	}
	if v == 0 {
		return 0 // turns -0 into 0
	}
	return v
}

// FormatFloat formats v as the CSV and text outputs do: rounded to 4
// decimal places, shortest form, no exponent ("0.25", "12", "0" for NaN
// and ±Inf).
func FormatFloat(v float64) string {
	return string(appendFloat(nil, v))
}

// appendFloat appends FormatFloat(v) to b without allocating.
func appendFloat(b []byte, v float64) []byte {
	return strconv.AppendFloat(b, Round(v), 'f', -1, 64)
}

// MarshalSummary returns the summary.json bytes of s: indented JSON with a
// trailing newline, every float rounded by Round (so no NaN or Inf), nil
// maps written as {} and nil slices as []. s itself is not modified.
func MarshalSummary(s *results.Summary) ([]byte, error) {
	if s == nil {
		s = &results.Summary{}
	}
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false) // "<= 250", not "\u003c= 250"
	if err := enc.Encode(sanitize(reflect.ValueOf(*s)).Interface()); err != nil {
		return nil, fmt.Errorf("reports: encode summary: %w", err)
	}
	return buf.Bytes(), nil // Encode ends with a newline
}

// WriteSummary writes summary.json (see MarshalSummary) into dir
// atomically.
func WriteSummary(dir string, s *results.Summary) error {
	if err := CheckFinite(s); err != nil {
		return err
	}
	b, err := MarshalSummary(s)
	if err != nil {
		return err
	}
	return WriteFileAtomic(filepath.Join(dir, SummaryFile), b)
}

// sanitize returns a deep copy of v with floats rounded, nil maps and
// slices made empty, so the JSON form is finite, stable and never null
// where a collection is expected. Unexported struct fields are left zero;
// encoding/json ignores them anyway.
func sanitize(v reflect.Value) reflect.Value {
	t := v.Type()
	switch v.Kind() {
	case reflect.Float32, reflect.Float64:
		return reflect.ValueOf(Round(v.Float())).Convert(t)
	case reflect.Struct:
		out := reflect.New(t).Elem()
		for i := range t.NumField() {
			if t.Field(i).IsExported() {
				out.Field(i).Set(sanitize(v.Field(i)))
			}
		}
		return out
	case reflect.Map:
		out := reflect.MakeMapWithSize(t, v.Len())
		iter := v.MapRange()
		for iter.Next() {
			out.SetMapIndex(iter.Key(), sanitize(iter.Value()))
		}
		return out
	case reflect.Slice:
		out := reflect.MakeSlice(t, v.Len(), v.Len())
		for i := range v.Len() {
			out.Index(i).Set(sanitize(v.Index(i)))
		}
		return out
	case reflect.Array:
		out := reflect.New(t).Elem()
		for i := range v.Len() {
			out.Index(i).Set(sanitize(v.Index(i)))
		}
		return out
	case reflect.Pointer:
		if v.IsNil() {
			return v
		}
		out := reflect.New(t.Elem())
		out.Elem().Set(sanitize(v.Elem()))
		return out
	case reflect.Interface:
		if v.IsNil() {
			return v
		}
		out := reflect.New(t).Elem()
		out.Set(sanitize(v.Elem()))
		return out
	default:
		return v
	}
}
