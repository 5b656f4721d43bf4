package reports

import (
	"fmt"
	"math"
	"reflect"
	"slices"
	"strconv"
	"strings"
)

// CheckFinite is the last guard before a result is written: it returns an
// error naming the first field (as a JSON path, such as
// "cost.services.api") that holds ±Inf, in a deterministic order. Parse-
// time range checks keep every input finite, so an infinity here is a bug
// that must not become a number, or a 0, in summary.json. NaN is left to
// the writer: it may stand for a figure that does not exist.
func CheckFinite(v any) error {
	if path, ok := findInf(reflect.ValueOf(v), ""); ok {
		if path == "" {
			path = "(value)"
		}
		return fmt.Errorf("reports: %s is infinite: a computation overflowed", path)
	}
	return nil
}

func findInf(v reflect.Value, path string) (string, bool) {
	switch v.Kind() {
	case reflect.Float32, reflect.Float64:
		return path, math.IsInf(v.Float(), 0)
	case reflect.Pointer, reflect.Interface:
		if v.IsNil() {
			return "", false
		}
		return findInf(v.Elem(), path)
	case reflect.Struct:
		t := v.Type()
		for i := range t.NumField() {
			f := t.Field(i)
			if !f.IsExported() {
				continue
			}
			name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
			if name == "-" {
				continue
			}
			if name == "" {
				name = f.Name
			}
			if p, ok := findInf(v.Field(i), join(path, name)); ok {
				return p, true
			}
		}
	case reflect.Map:
		keys := v.MapKeys()
		slices.SortFunc(keys, func(a, b reflect.Value) int { return strings.Compare(fmt.Sprint(a), fmt.Sprint(b)) })
		for _, k := range keys {
			if p, ok := findInf(v.MapIndex(k), join(path, fmt.Sprint(k))); ok {
				return p, true
			}
		}
	case reflect.Slice, reflect.Array:
		for i := range v.Len() {
			if p, ok := findInf(v.Index(i), path+"["+strconv.Itoa(i)+"]"); ok {
				return p, true
			}
		}
	}
	return "", false
}

func join(path, name string) string {
	if path == "" {
		return name
	}
	return path + "." + name
}
