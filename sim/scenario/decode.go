package scenario

import (
	"fmt"
	"math"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/clustersim/clustersim/sim/policies"
)

// The decoder moves a TOML document, as parsed by BurntSushi/toml into
// map[string]any, into a Config by reflection over the `toml` tags. Unlike
// toml.Decode it keeps going after an error, so a file's every unknown key
// and wrong type is reported at once, in a deterministic order, with its
// position, and it records which keys were written so that validation can
// tell "omitted" from "zero". Nothing is left undecoded: a key with no
// matching field is an error.

// keyPath names one key twice: loc with array indices for the line index
// ("service[1].queue"), and key with entry names for messages
// ("service.api.queue").
type keyPath struct{ loc, key string }

func (p keyPath) child(name string) keyPath {
	return keyPath{joinPath(p.loc, name), joinPath(p.key, quoteKey(name))}
}

// elem names the i-th entry of an array; name, when usable, replaces the
// index in messages.
func (p keyPath) elem(i int, name string) keyPath {
	q := keyPath{loc: indexPath(p.loc, i), key: indexPath(p.key, i)}
	if name != "" {
		q.key = p.key + "." + quoteKey(name)
	}
	return q
}

// quoteKey returns name as a TOML key: bare when possible, else quoted.
func quoteKey(name string) string {
	if validName(name) {
		return name
	}
	return strconv.Quote(name)
}

// validName reports whether name is a non-empty [A-Za-z0-9_-]+.
func validName(name string) bool {
	if name == "" {
		return false
	}
	for i := 0; i < len(name); i++ {
		if !isBare(name[i]) {
			return false
		}
	}
	return true
}

// decoder collects errors while filling a Config.
type decoder struct {
	file    string
	ix      *lineIndex
	errs    ErrorList
	defined map[string]bool   // loc paths written in the file or by --set
	origin  map[string]string // loc path -> "--set k=v" that wrote it
	set     string            // the override being applied, if any

	// bad holds the loc paths that failed to decode; validating suppresses
	// follow-on errors about them.
	bad        map[string]bool
	validating bool
}

func newDecoder(file string, ix *lineIndex) *decoder {
	return &decoder{file: file, ix: ix, defined: map[string]bool{}, origin: map[string]string{}, bad: map[string]bool{}}
}

// errorf records an error about p.
func (d *decoder) errorf(kind error, p keyPath, hint, format string, args ...any) {
	if !d.validating {
		d.bad[p.loc] = true
	} else {
		for loc := p.loc; loc != ""; loc = parentPath(loc) {
			if d.bad[loc] {
				return
			}
		}
	}
	e := &Error{Key: p.key, Msg: fmt.Sprintf(format, args...), Hint: hint, Kind: kind}
	if src := d.sourceOf(p.loc); src != "" {
		e.File = src
	} else {
		at := d.ix.find(p.loc)
		e.File, e.Line, e.Col = d.file, at.line, at.col
	}
	d.errs = append(d.errs, e)
}

// sourceOf returns the override that wrote loc or an enclosing key, or "".
func (d *decoder) sourceOf(loc string) string {
	if d.set != "" {
		return d.set
	}
	for ; loc != ""; loc = parentPath(loc) {
		if src, ok := d.origin[loc]; ok {
			return src
		}
		if d.ix.has(loc) {
			return ""
		}
	}
	return ""
}

// isSet reports whether the key at loc was written.
func (d *decoder) isSet(loc string) bool { return d.defined[loc] }

// mark records that loc was written (by the override being applied, if
// any).
func (d *decoder) mark(loc string) {
	d.defined[loc] = true
	if d.set != "" {
		d.origin[loc] = d.set
	}
}

var (
	durationType = reflect.TypeFor[Duration]()
)

// enums lists the valid values of each string enumeration.
var enums = map[reflect.Type][]string{
	reflect.TypeFor[Arrival]():        {"poisson", "constant", "trace"},
	reflect.TypeFor[Layer]():          {"L7", "L4"},
	reflect.TypeFor[Algorithm]():      policies.Algorithms,
	reflect.TypeFor[AutoscalerKind](): {"hpa", "target_tracking", "step", "scheduled", "predictive", "external", "none"},
	reflect.TypeFor[Metric]():         {"cpu", "rps", "in_flight", "queue"},
	reflect.TypeFor[SelectPolicy]():   {"Max", "Min", "Disabled"},
	reflect.TypeFor[PolicyType]():     {"Pods", "Percent"},
	reflect.TypeFor[DistKind]():       {"constant", "exponential", "lognormal", "gamma", "erlang", "pareto", "uniform"},
	reflect.TypeFor[Placement]():      {"spread", "binpack"},
}

// defaults returns the default value of a table of type t: an array entry,
// or a table replaced as a whole by --set.
func defaults(t reflect.Type) reflect.Value {
	switch t {
	case reflect.TypeFor[Workload]():
		return reflect.ValueOf(DefaultWorkload())
	case reflect.TypeFor[Service]():
		return reflect.ValueOf(DefaultService())
	case reflect.TypeFor[Balancer]():
		return reflect.ValueOf(DefaultBalancer())
	case reflect.TypeFor[Warmup]():
		return reflect.ValueOf(DefaultService().Warmup)
	case reflect.TypeFor[Slow]():
		return reflect.ValueOf(DefaultService().Slow)
	case reflect.TypeFor[Readiness]():
		return reflect.ValueOf(DefaultReadiness())
	case reflect.TypeFor[NodePool]():
		return reflect.ValueOf(DefaultNodePool())
	case reflect.TypeFor[NodeFailure]():
		return reflect.ValueOf(DefaultNodeFailure())
	}
	return reflect.Zero(t)
}

// value stores the TOML value v into rv, recording errors against p.
// rv keeps its previous contents when v does not fit.
func (d *decoder) value(v any, rv reflect.Value, p keyPath) {
	t := rv.Type()
	switch {
	case t == durationType:
		s, ok := v.(string)
		if !ok {
			d.errorf(ErrType, p, durationHint, "expected a duration string, got %s", describe(v))
			return
		}
		dur, err := ParseDuration(s)
		if err != nil {
			d.errorf(ErrInvalid, p, "", "%v", err)
			return
		}
		rv.SetInt(int64(dur))
		return
	case t.Kind() == reflect.Pointer:
		nv := reflect.New(t.Elem())
		if !rv.IsNil() {
			nv.Elem().Set(rv.Elem()) // --set merges into what is there
		}
		n := len(d.errs)
		d.value(v, nv.Elem(), p)
		if len(d.errs) == n {
			rv.Set(nv)
		}
		return
	}
	switch t.Kind() {
	case reflect.Struct:
		m, ok := v.(map[string]any)
		if !ok {
			d.errorf(ErrType, p, "", "expected a table, got %s", describe(v))
			return
		}
		d.table(m, rv, p)
	case reflect.Slice:
		d.array(v, rv, p)
	case reflect.String:
		s, ok := v.(string)
		if !ok {
			d.errorf(ErrType, p, `strings are quoted: "..."`, "expected a string, got %s", describe(v))
			return
		}
		if valid, ok := enums[t]; ok && !slices.Contains(valid, s) {
			hint := didYouMean(s, valid)
			if hint == "" {
				hint = "one of " + quoteList(valid)
			}
			d.errorf(ErrInvalid, p, hint, "unknown value %q", s)
			return
		}
		rv.SetString(s)
	case reflect.Int, reflect.Int64:
		n, ok := v.(int64)
		if !ok {
			d.errorf(ErrType, p, "", "expected an integer, got %s", describe(v))
			return
		}
		rv.SetInt(n)
	case reflect.Uint64:
		n, ok := v.(int64)
		if !ok || n < 0 {
			d.errorf(ErrType, p, "", "expected a non-negative integer, got %s", describe(v))
			return
		}
		rv.SetUint(uint64(n))
	case reflect.Float64:
		var f float64
		switch x := v.(type) {
		case int64:
			f = float64(x)
		case float64:
			f = x
		default:
			d.errorf(ErrType, p, "", "expected a number, got %s", describe(v))
			return
		}
		if math.IsNaN(f) || math.IsInf(f, 0) {
			d.errorf(ErrInvalid, p, "", "must be a finite number, got %v", f)
			return
		}
		rv.SetFloat(f)
	case reflect.Bool:
		b, ok := v.(bool)
		if !ok {
			d.errorf(ErrType, p, "", "expected true or false, got %s", describe(v))
			return
		}
		rv.SetBool(b)
	default:
		panic(fmt.Sprintf("scenario: no decoding for field type %s", t))
	}
}

// table fills the struct rv from m, key by key in sorted order.
func (d *decoder) table(m map[string]any, rv reflect.Value, p keyPath) {
	fields := tomlFields(rv.Type())
	for _, k := range sortedKeys(m) {
		sub := p.child(k)
		i, ok := fields[k]
		if !ok {
			d.errorf(ErrUnknownKey, sub, didYouMean(k, fieldNames(rv.Type())), "unknown key")
			continue
		}
		d.mark(sub.loc)
		d.value(m[k], rv.Field(i), sub)
	}
}

// array fills the slice rv from the TOML array v, entries starting from
// their defaults.
func (d *decoder) array(v any, rv reflect.Value, p keyPath) {
	av := reflect.ValueOf(v)
	if v == nil || av.Kind() != reflect.Slice {
		d.errorf(ErrType, p, "", "expected an array, got %s", describe(v))
		return
	}
	if av.Len() == 0 {
		rv.Set(reflect.Zero(rv.Type())) // [] and omitted read the same
		return
	}
	out := reflect.MakeSlice(rv.Type(), av.Len(), av.Len())
	for i := range av.Len() {
		ev := av.Index(i).Interface()
		out.Index(i).Set(defaults(rv.Type().Elem()))
		name := ""
		if m, ok := ev.(map[string]any); ok {
			name, _ = m["name"].(string)
		}
		sub := p.elem(i, name)
		d.mark(sub.loc)
		d.value(ev, out.Index(i), sub)
	}
	rv.Set(out)
}

// tomlFields maps the toml names of t's fields to their indices.
func tomlFields(t reflect.Type) map[string]int {
	m := map[string]int{}
	for i := range t.NumField() {
		if name := tomlName(t.Field(i)); name != "" {
			m[name] = i
		}
	}
	return m
}

// fieldNames lists t's toml names in declaration order.
func fieldNames(t reflect.Type) []string {
	var names []string
	for i := range t.NumField() {
		if name := tomlName(t.Field(i)); name != "" {
			names = append(names, name)
		}
	}
	return names
}

// tomlName is f's key, or "" when f is not part of the file format.
func tomlName(f reflect.StructField) string {
	name, _, _ := strings.Cut(f.Tag.Get("toml"), ",")
	if name == "-" || !f.IsExported() {
		return ""
	}
	return name
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m { // map order: sorted below
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}

func quoteList(values []string) string {
	q := make([]string, len(values))
	for i, v := range values {
		q[i] = strconv.Quote(v)
	}
	return strings.Join(q, ", ")
}

// describe names a TOML value's type, with the value when short.
func describe(v any) string {
	switch x := v.(type) {
	case string:
		if len(x) > 40 {
			return "a string"
		}
		return fmt.Sprintf("string %q", x)
	case int64:
		return fmt.Sprintf("integer %d", x)
	case float64:
		return fmt.Sprintf("float %v", x)
	case bool:
		return fmt.Sprintf("boolean %v", x)
	case map[string]any:
		return "a table"
	case []map[string]any:
		return "an array of tables"
	case []any:
		return "an array"
	case time.Time:
		return "a date-time"
	case nil:
		return "nothing"
	}
	return fmt.Sprintf("a %T", v) // local dates and times
}
