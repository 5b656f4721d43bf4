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
// reports write. -0 becomes 0. NaN and ±Inf, a missing figure
// (results.Missing), stay NaN: they are written null or empty, never 0.
func Round(v float64) float64 {
	if results.IsMissing(v) {
		return math.NaN()
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
// decimal places, shortest form, no exponent ("0.25", "12"), and "" for a
// missing figure (NaN, ±Inf).
func FormatFloat(v float64) string {
	return string(appendFloat(nil, v))
}

// appendFloat appends FormatFloat(v) to b without allocating.
func appendFloat(b []byte, v float64) []byte {
	if results.IsMissing(v) {
		return b
	}
	return strconv.AppendFloat(b, Round(v), 'f', -1, 64)
}

// FormatAssertionValue formats an evaluated assertion's value for people:
// the number, or "missing (REASON)" when there was none to compare.
func FormatAssertionValue(a results.Assertion) string {
	if results.IsMissing(a.Value) {
		if a.Reason == "" {
			return "missing"
		}
		return "missing (" + a.Reason + ")"
	}
	return FormatMeasured(a.Value, a.Limit)
}

// MarshalSummary returns the summary.json bytes of s: indented JSON with a
// trailing newline, every float rounded by Round, a missing figure (NaN or
// ±Inf) written as null, nil maps written as {} and nil slices as []. s
// itself is not modified.
func MarshalSummary(s *results.Summary) ([]byte, error) {
	if s == nil {
		s = &results.Summary{}
	}
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false) // "<= 250", not "\u003c= 250"
	if err := enc.Encode(sanitize(reflect.ValueOf(*s), nullable(reflect.TypeOf(*s))).Interface()); err != nil {
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

// nullable returns t with every float field, element and map value made a
// pointer, so that a missing figure can be encoded as null; struct field
// names and tags are kept, so the JSON form is otherwise the same.
// Unexported fields are dropped (encoding/json ignores them anyway).
func nullable(t reflect.Type) reflect.Type {
	switch t.Kind() {
	case reflect.Float32, reflect.Float64:
		return reflect.PointerTo(t)
	case reflect.Struct:
		var fields []reflect.StructField
		for i := range t.NumField() {
			f := t.Field(i)
			if !f.IsExported() {
				continue
			}
			f.Type = nullable(f.Type)
			f.Index, f.Offset = nil, 0
			fields = append(fields, f)
		}
		return reflect.StructOf(fields)
	case reflect.Map:
		return reflect.MapOf(t.Key(), nullable(t.Elem()))
	case reflect.Slice:
		return reflect.SliceOf(nullable(t.Elem()))
	case reflect.Array:
		return reflect.ArrayOf(t.Len(), nullable(t.Elem()))
	case reflect.Pointer:
		return reflect.PointerTo(nullable(t.Elem()))
	default:
		return t
	}
}

// sanitize returns a deep copy of v as type t (nullable(v.Type())) with
// floats rounded, missing figures nil, and nil maps and slices made
// empty, so the JSON form is finite, stable and never null where a
// collection is expected.
func sanitize(v reflect.Value, t reflect.Type) reflect.Value {
	switch v.Kind() {
	case reflect.Float32, reflect.Float64:
		out := reflect.New(t).Elem() // a nil pointer: null
		if r := Round(v.Float()); !math.IsNaN(r) {
			p := reflect.New(t.Elem())
			p.Elem().SetFloat(r)
			out.Set(p)
		}
		return out
	case reflect.Struct:
		out := reflect.New(t).Elem()
		vt := v.Type()
		j := 0
		for i := range vt.NumField() {
			if vt.Field(i).IsExported() {
				out.Field(j).Set(sanitize(v.Field(i), t.Field(j).Type))
				j++
			}
		}
		return out
	case reflect.Map:
		out := reflect.MakeMapWithSize(t, v.Len())
		iter := v.MapRange()
		for iter.Next() {
			out.SetMapIndex(iter.Key(), sanitize(iter.Value(), t.Elem()))
		}
		return out
	case reflect.Slice:
		out := reflect.MakeSlice(t, v.Len(), v.Len())
		for i := range v.Len() {
			out.Index(i).Set(sanitize(v.Index(i), t.Elem()))
		}
		return out
	case reflect.Array:
		out := reflect.New(t).Elem()
		for i := range v.Len() {
			out.Index(i).Set(sanitize(v.Index(i), t.Elem()))
		}
		return out
	case reflect.Pointer:
		if v.IsNil() {
			return reflect.Zero(t)
		}
		out := reflect.New(t.Elem())
		out.Elem().Set(sanitize(v.Elem(), t.Elem()))
		return out
	default:
		return v.Convert(t)
	}
}
