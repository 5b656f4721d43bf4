package tomlpos

import (
	"errors"
	"fmt"
	"reflect"
	"strconv"
	"strings"

	"github.com/BurntSushi/toml"
)

// applyOverrides applies --set arguments, in order, to the struct root.
// Errors name the argument.
func (d *Decoder) applyOverrides(root reflect.Value, overrides []string) {
	for _, o := range overrides {
		d.set = "--set " + o
		d.override(root, o)
	}
	d.set = ""
}

// setErr records an error about the override being applied as a whole.
func (d *Decoder) setErr(kind error, hint, format string, args ...any) {
	d.errs = append(d.errs, &Error{File: d.set, Msg: fmt.Sprintf(format, args...), Hint: hint, Kind: kind})
}

// override applies one "KEY=VALUE" to the struct at root.
func (d *Decoder) override(root reflect.Value, arg string) {
	key, val, ok := cutKeyValue(arg)
	key = strings.TrimSpace(key)
	if !ok || key == "" {
		if _, err := splitKey(key); err != nil && key != "" {
			d.setErr(ErrOverride, d.schema.OverrideExample, "expected KEY=VALUE: %v", err)
			return
		}
		d.setErr(ErrOverride, d.schema.OverrideExample, "expected KEY=VALUE")
		return
	}
	segs, err := splitKey(key)
	if err != nil {
		d.setErr(ErrOverride, "", "%v", err)
		return
	}
	rv, p := root, Path{}
	// Nil tables filled on the way: undone on error, else attributed to
	// this override.
	type alloc struct {
		v   reflect.Value
		loc string
	}
	var allocated []alloc
	undo := func() {
		for _, a := range allocated {
			a.v.Set(reflect.Zero(a.v.Type()))
		}
	}
	for _, seg := range segs {
		if rv.Kind() == reflect.Pointer && rv.Type() != durationType {
			if rv.IsNil() {
				rv.Set(reflect.New(rv.Type().Elem()))
				allocated = append(allocated, alloc{rv, p.loc})
			}
			rv = rv.Elem()
		}
		switch {
		case rv.Kind() == reflect.Struct:
			i, ok := tomlFields(rv.Type())[seg]
			if !ok {
				where := ""
				if p.key != "" {
					where = " in " + p.key
				}
				d.setErr(ErrOverride, DidYouMean(seg, fieldNames(rv.Type())), "unknown key %q%s", seg, where)
				undo()
				return
			}
			rv, p = rv.Field(i), p.Child(seg)
		case rv.Kind() == reflect.Slice && hasName(rv.Type().Elem()):
			var names []string
			found := -1
			for i := range rv.Len() {
				name := rv.Index(i).FieldByName("Name").String()
				names = append(names, name)
				if name == seg && found < 0 {
					found = i
				}
			}
			if found < 0 {
				noun := p.key[strings.LastIndexByte(p.key, '.')+1:]
				d.setErr(ErrOverride, DidYouMean(seg, names), "no %s named %q", noun, seg)
				undo()
				return
			}
			rv, p = rv.Index(found), p.Elem(found, seg)
		case rv.Kind() == reflect.Slice:
			i, err := strconv.Atoi(seg)
			if err != nil || i < 0 || i >= rv.Len() {
				hint := fmt.Sprintf("it has %d entries, numbered from 0", rv.Len())
				if rv.Len() == 0 {
					hint = "it is empty"
				}
				d.setErr(ErrOverride, hint, "no entry %q in %s", seg, p.key)
				undo()
				return
			}
			rv, p = rv.Index(i), p.Elem(i, "")
		default:
			d.setErr(ErrOverride, "", "%s is a single value; it has no key %q", p.key, seg)
			undo()
			return
		}
	}
	for _, a := range allocated {
		d.mark(a.loc)
	}
	d.mark(p.loc)
	v := parseValue(val, rv.Type())
	if _, ok := v.(map[string]any); ok {
		// A table replaces the whole table, not just the keys it names:
		// the keys the file wrote inside it count as omitted.
		for loc := range d.defined { // map order: each key is deleted or kept on its own
			if strings.HasPrefix(loc, p.loc+".") {
				delete(d.defined, loc)
			}
		}
		switch {
		case rv.Kind() == reflect.Pointer:
			rv.Set(reflect.Zero(rv.Type()))
		case rv.Kind() == reflect.Struct:
			rv.Set(d.defaults(rv.Type()))
		}
	}
	d.value(v, rv, p)
}

// hasName reports whether entries of type t are addressed by their name.
func hasName(t reflect.Type) bool {
	_, ok := tomlFields(t)["name"]
	return t.Kind() == reflect.Struct && ok
}

// parseValue reads an override's VALUE as a TOML value. For string and
// duration fields a value that is not a TOML string is taken verbatim, so
// that sim.duration=1h and balancer.algorithm=p2c need no quotes. Other
// unparsable values are passed on as strings, for the decoder to report
// against the field's type.
func parseValue(val string, t reflect.Type) any {
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	stringish := t == durationType || t.Kind() == reflect.String
	var m map[string]any
	if checkDepth("", val) != nil {
		return strings.TrimSpace(val) // too deep: reported as the wrong type
	}
	if _, err := toml.Decode("v = "+val, &m); err != nil || len(m) != 1 {
		return strings.TrimSpace(val)
	}
	v := m["v"]
	if _, isStr := v.(string); stringish && !isStr {
		return strings.TrimSpace(val)
	}
	return v
}

// cutKeyValue splits "KEY=VALUE" at the first "=" outside a quoted part
// of KEY, so that a name holding "=" can be quoted:
// assert."p99 = 230 ms".max=240. Inside quotes, \" and \\ escape as in
// Go strings.
func cutKeyValue(arg string) (key, val string, ok bool) {
	quoted := false
	for i := 0; i < len(arg); i++ {
		switch c := arg[i]; {
		case quoted && c == '\\':
			i++
		case c == '"':
			quoted = !quoted
		case !quoted && c == '=':
			return arg[:i], arg[i+1:], true
		}
	}
	return arg, "", false
}

// splitKey splits a dotted override key; parts may be quoted
// ("assert."p99 ok".max").
func splitKey(key string) ([]string, error) {
	var segs []string
	for key != "" {
		var seg string
		if key[0] == '"' {
			end := 1
			for end < len(key) && key[end] != '"' {
				if key[end] == '\\' {
					end++
				}
				end++
			}
			if end >= len(key) {
				return nil, errors.New("unterminated quote in key")
			}
			s, err := strconv.Unquote(key[:end+1])
			if err != nil {
				return nil, fmt.Errorf("bad quoted key %s", key[:end+1])
			}
			seg, key = s, key[end+1:]
		} else {
			i := strings.IndexByte(key, '.')
			if i < 0 {
				i = len(key)
			}
			seg, key = key[:i], key[i:]
			if seg == "" {
				return nil, errors.New("empty part in key")
			}
		}
		segs = append(segs, seg)
		if key != "" {
			if key[0] != '.' || len(key) == 1 {
				return nil, errors.New("parts of a key are separated by single dots")
			}
			key = key[1:]
		}
	}
	return segs, nil
}
