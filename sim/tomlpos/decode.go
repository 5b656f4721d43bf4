package tomlpos

import (
	"errors"
	"fmt"
	"math"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/BurntSushi/toml"
)

// The decoder moves a TOML document, as parsed by BurntSushi/toml into
// map[string]any, into a struct by reflection over the `toml` tags. Unlike
// toml.Decode it keeps going after an error, so a file's every unknown key
// and wrong type is reported at once, in a deterministic order, with its
// position, and it records which keys were written so that validation can
// tell "omitted" from "zero". Nothing is left undecoded: a key with no
// matching field is an error.

// Path names one key twice: loc with array indices for the line index
// ("service[1].queue"), and key with entry names for messages
// ("service.api.queue"). The zero Path is the document's root.
type Path struct{ loc, key string }

// Child names the key name inside the table at p.
func (p Path) Child(name string) Path {
	return Path{joinPath(p.loc, name), joinPath(p.key, quoteKey(name))}
}

// Elem names the i-th entry of the array at p; name, when usable,
// replaces the index in messages.
func (p Path) Elem(i int, name string) Path {
	q := Path{loc: indexPath(p.loc, i), key: indexPath(p.key, i)}
	if name != "" {
		q.key = p.key + "." + quoteKey(name)
	}
	return q
}

// Key returns the dotted key as messages show it, naming array entries by
// name: "service.api.queue".
func (p Path) Key() string { return p.key }

// quoteKey returns name as a TOML key: bare when possible, else quoted.
func quoteKey(name string) string {
	if ValidName(name) {
		return name
	}
	return strconv.Quote(name)
}

// ValidName reports whether name is a non-empty [A-Za-z0-9_-]+, a bare
// TOML key.
func ValidName(name string) bool {
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

// Schema tells the decoder what the Go types of the target do not.
type Schema struct {
	// Enums lists the valid values of each string type that is an
	// enumeration; a value outside the list is an error.
	Enums map[reflect.Type][]string
	// Defaults returns the value a new array entry of type t, or a table
	// of type t replaced as a whole by an override, starts from; nil, or
	// an invalid Value, means the zero value.
	Defaults func(t reflect.Type) reflect.Value
	// OverrideExample is the hint for an override that is not KEY=VALUE,
	// such as "for example --set service.api.replicas=5".
	OverrideExample string
	// Moved names keys that a table of type t no longer has, with where
	// they went: the hint of their unknown-key error, in place of the
	// nearest valid key ("moved to [cluster_autoscaler]").
	Moved map[reflect.Type]map[string]string
}

// Decoder fills a struct from one TOML document and collects every
// problem, each located by file, line, column and key. Decode fills the
// struct; the caller's validation then reports through Errorf, and Err
// returns everything found, sorted.
type Decoder struct {
	file    string
	raw     map[string]any
	schema  Schema
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

// New parses src, the contents of file (used in messages; "" for none),
// as TOML. A syntax error is returned as an ErrorList of one Error.
func New(file string, src []byte, schema Schema) (*Decoder, error) {
	if e := checkDepth(file, string(src)); e != nil {
		return nil, ErrorList{e}
	}
	var raw map[string]any
	if _, err := toml.Decode(string(src), &raw); err != nil {
		return nil, syntaxErrors(file, string(src), err)
	}
	return &Decoder{file: file, raw: raw, schema: schema, ix: indexLines(string(src)),
		defined: map[string]bool{}, origin: map[string]string{}, bad: map[string]bool{}}, nil
}

// MaxSyntaxErrors bounds the syntax errors reported for one document.
const MaxSyntaxErrors = 10

// syntaxErrors reports first, the TOML library's syntax error, and the
// ones after it: the library stops at its first error, so the line of
// each error is blanked and the text parsed again, as long as the next
// error comes on a later line (an error on the same or an earlier line
// is a consequence of the blanking, not the user's), up to
// MaxSyntaxErrors.
func syntaxErrors(file, src string, first error) ErrorList {
	errs := ErrorList{syntaxError(file, first)}
	lines := strings.SplitAfter(src, "\n")
	for len(errs) < MaxSyntaxErrors {
		at := errs[len(errs)-1].Line
		if at < 1 || at > len(lines) {
			break
		}
		lines[at-1] = "\n"
		var raw map[string]any
		_, err := toml.Decode(strings.Join(lines, ""), &raw)
		if err == nil {
			break
		}
		e := syntaxError(file, err)
		if e.Line <= at {
			break
		}
		errs = append(errs, e)
	}
	return errs
}

// syntaxError converts a TOML syntax error.
func syntaxError(file string, err error) *Error {
	e := &Error{File: file, Line: 1, Msg: err.Error(), Kind: ErrSyntax}
	var pe toml.ParseError
	if errors.As(err, &pe) {
		e.Line, e.Col, e.Msg = max(pe.Position.Line, 1), pe.Position.Col, pe.Message
		e.Key = pe.LastKey
	}
	return e
}

// Decode fills v, a pointer to a struct holding its defaults, from the
// document, then applies overrides, in order: each a "KEY=VALUE" --set
// argument whose KEY is a dotted path naming array entries by their name
// field, such as "service.api.replicas". Every key must match a field:
// nothing is left undecoded. Errors found after Decode about keys that
// failed to decode are dropped as follow-ons.
func (d *Decoder) Decode(v any, overrides []string) {
	rv := reflect.ValueOf(v).Elem()
	d.value(d.raw, rv, Path{})
	d.applyOverrides(rv, overrides)
	d.validating = true
}

// Add records an error located elsewhere, such as in a file the document
// names.
func (d *Decoder) Add(e *Error) { d.errs = append(d.errs, e) }

// Err returns every error recorded, sorted (see ErrorList), or nil.
func (d *Decoder) Err() error {
	if len(d.errs) == 0 {
		return nil
	}
	d.errs.sort()
	return d.errs
}

// Count returns the number of errors recorded so far.
func (d *Decoder) Count() int { return len(d.errs) }

// Line returns the line p was written on, or 0.
func (d *Decoder) Line(p Path) int { return d.ix.find(p.loc).line }

// defaults returns the value a table of type t starts from.
func (d *Decoder) defaults(t reflect.Type) reflect.Value {
	if d.schema.Defaults != nil {
		if v := d.schema.Defaults(t); v.IsValid() {
			return v
		}
	}
	return reflect.Zero(t)
}

// Errorf records an error of kind about the key at p, with a hint (""
// for none). While validating, an error about a key that failed to decode,
// or inside one, is dropped: it would only repeat the first.
func (d *Decoder) Errorf(kind error, p Path, hint, format string, args ...any) {
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
func (d *Decoder) sourceOf(loc string) string {
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

// Blame returns the key an error about the relation between keys (min
// above max, warmup longer than duration) is reported against: the first
// of keys a --set wrote, so that the error names that --set rather than a
// line of the file the user did not change; the first key otherwise.
func (d *Decoder) Blame(keys ...Path) Path {
	for _, k := range keys {
		if d.sourceOf(k.loc) != "" {
			return k
		}
	}
	return keys[0]
}

// Failed reports whether the key at p, or a key inside it, failed to
// decode. Validation skips checks that depend on such a key, so that only
// the root error is reported.
func (d *Decoder) Failed(p Path) bool {
	for loc := range d.bad { // map order: any match gives the same answer
		if loc == p.loc || strings.HasPrefix(loc, p.loc+".") || strings.HasPrefix(loc, p.loc+"[") {
			return true
		}
	}
	return false
}

// IsSet reports whether the key at p was written, in the document or by
// an override: it tells "omitted" from "zero".
func (d *Decoder) IsSet(p Path) bool { return d.defined[p.loc] }

// mark records that loc was written (by the override being applied, if
// any).
func (d *Decoder) mark(loc string) {
	d.defined[loc] = true
	if d.set != "" {
		d.origin[loc] = d.set
	}
}

var durationType = reflect.TypeFor[Duration]()

// value stores the TOML value v into rv, recording errors against p.
// rv keeps its previous contents when v does not fit.
func (d *Decoder) value(v any, rv reflect.Value, p Path) {
	t := rv.Type()
	switch {
	case t == durationType:
		s, ok := v.(string)
		if !ok {
			d.Errorf(ErrType, p, durationHint, "expected a duration string, got %s", describe(v))
			return
		}
		dur, err := ParseDuration(s)
		if err != nil {
			d.Errorf(ErrInvalid, p, "", "%v", err)
			return
		}
		rv.SetInt(int64(dur))
		return
	case t == intOrStringType:
		d.intOrString(v, rv, p)
		return
	case t.Kind() == reflect.Pointer:
		nv := reflect.New(t.Elem())
		if !rv.IsNil() {
			nv.Elem().Set(rv.Elem()) // --set merges into what is there
		} else if t.Elem().Kind() == reflect.Struct {
			nv.Elem().Set(d.defaults(t.Elem())) // an optional table starts from its defaults
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
			d.Errorf(ErrType, p, "", "expected a table, got %s", describe(v))
			return
		}
		d.table(m, rv, p)
	case reflect.Slice:
		d.array(v, rv, p)
	case reflect.String:
		s, ok := v.(string)
		if !ok {
			d.Errorf(ErrType, p, `strings are quoted: "..."`, "expected a string, got %s", describe(v))
			return
		}
		if valid, ok := d.schema.Enums[t]; ok && !slices.Contains(valid, s) {
			hint := DidYouMean(s, valid)
			if hint == "" {
				hint = "one of " + QuoteList(valid)
			}
			d.Errorf(ErrInvalid, p, hint, "unknown value %q", s)
			return
		}
		rv.SetString(s)
	case reflect.Int, reflect.Int64:
		n, ok := v.(int64)
		if !ok {
			d.Errorf(ErrType, p, "", "expected an integer, got %s", describe(v))
			return
		}
		if n < -maxInt || n > maxInt {
			d.Errorf(ErrInvalid, p, "", "%d is out of range: at most %d in magnitude", n, maxInt)
			return
		}
		rv.SetInt(n)
	case reflect.Uint64:
		n, ok := v.(int64)
		if !ok || n < 0 {
			d.Errorf(ErrType, p, "", "expected a non-negative integer, got %s", describe(v))
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
			d.Errorf(ErrType, p, "", "expected a number, got %s", describe(v))
			return
		}
		if math.IsNaN(f) || math.IsInf(f, 0) {
			d.Errorf(ErrInvalid, p, "", "must be a finite number, got %v", f)
			return
		}
		if math.Abs(f) > maxFloat {
			d.Errorf(ErrInvalid, p, "", "%v is out of range: at most %v in magnitude", f, maxFloat)
			return
		}
		rv.SetFloat(f)
	case reflect.Bool:
		b, ok := v.(bool)
		if !ok {
			d.Errorf(ErrType, p, "", "expected true or false, got %s", describe(v))
			return
		}
		rv.SetBool(b)
	default:
		panic(fmt.Sprintf("tomlpos: no decoding for field type %s", t))
	}
}

// table fills the struct rv from m, key by key in sorted order.
func (d *Decoder) table(m map[string]any, rv reflect.Value, p Path) {
	fields := tomlFields(rv.Type())
	for _, k := range sortedKeys(m) {
		sub := p.Child(k)
		i, ok := fields[k]
		if !ok {
			hint, moved := d.schema.Moved[rv.Type()][k]
			if !moved {
				hint = DidYouMean(k, fieldNames(rv.Type()))
			}
			d.Errorf(ErrUnknownKey, sub, hint, "unknown key")
			continue
		}
		d.mark(sub.loc)
		d.value(m[k], rv.Field(i), sub)
	}
}

// array fills the slice rv from the TOML array v, entries starting from
// their defaults.
func (d *Decoder) array(v any, rv reflect.Value, p Path) {
	av := reflect.ValueOf(v)
	if v == nil || av.Kind() != reflect.Slice {
		d.Errorf(ErrType, p, "", "expected an array, got %s", describe(v))
		return
	}
	if av.Len() == 0 {
		rv.Set(reflect.Zero(rv.Type())) // [] and omitted read the same
		return
	}
	out := reflect.MakeSlice(rv.Type(), av.Len(), av.Len())
	for i := range av.Len() {
		ev := av.Index(i).Interface()
		out.Index(i).Set(d.defaults(rv.Type().Elem()))
		name := ""
		if m, ok := ev.(map[string]any); ok {
			name, _ = m["name"].(string)
		}
		sub := p.Elem(i, name)
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

// QuoteList returns values quoted and separated by commas, for hints:
// "a", "b", "c".
func QuoteList(values []string) string {
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
