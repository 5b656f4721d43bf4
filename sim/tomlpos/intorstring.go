package tomlpos

import (
	"reflect"
	"strconv"
)

// IntOrString is a value written either as an integer or as a string,
// like Kubernetes' intstr.IntOrString (maxSurge = 1 or maxSurge = "25%").
// An integer is stored in its decimal form; what the string may hold is
// for the caller to check.
type IntOrString string

var intOrStringType = reflect.TypeFor[IntOrString]()

// intOrString decodes v into rv, which has type IntOrString.
func (d *Decoder) intOrString(v any, rv reflect.Value, p Path) {
	switch x := v.(type) {
	case int64:
		rv.SetString(strconv.FormatInt(x, 10))
	case string:
		rv.SetString(x)
	default:
		d.Errorf(ErrType, p, `for example 2 or "25%"`, "expected an integer or a percentage string, got %s", describe(v))
	}
}
