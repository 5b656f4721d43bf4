package scenario

import (
	"embed"
	"errors"
	"fmt"
	"go/ast"
	"go/doc/comment"
	"go/parser"
	"go/token"
	"reflect"
	"strconv"
	"strings"
	"text/tabwriter"

	"github.com/clustersim/clustersim/sim/tomlpos"
)

// The reference `clustersim explain` prints comes from the sources `go
// doc` shows, so the two cannot drift: the meaning of a key is the doc
// comment of its Config field (config.go, embedded), its type and valid
// values come from the Go type and the schema's enums, its default from
// the Default… functions the parser uses, and a top-level table also
// gets its section of the package reference (doc.go, embedded).

//go:embed config.go variant.go deploy.go doc.go clients.go pricing.go database.go chaos.go neighbour.go identity.go resilience.go
var sources embed.FS

// ErrUnknownExplainKey is returned by Explain for a key the format lacks.
var ErrUnknownExplainKey = errors.New("scenario: no such key")

// KeyDoc is the reference of one scenario key.
type KeyDoc struct {
	Key     string     // dotted path, array entries unnamed: "service.autoscaler.target"
	Type    string     // "duration", "float", "integer", "string", "table", "array of tables", ...
	Values  []string   // valid values of an enumeration, or nil
	Default string     // default value when the parser fills one in, else ""
	Doc     string     // meaning, units and limits (the field's doc comment)
	Section string     // a table's section of the package reference, or ""
	Fields  []FieldDoc // the keys of a table, in declaration order

	fields []string
}

// FieldDoc is one key of a table, as explain lists it.
type FieldDoc struct {
	Key     string // the key inside the table
	Type    string // as KeyDoc.Type
	Summary string // the first sentence of its meaning
}

// reference is the documentation parsed from the embedded sources:
// fieldDocs maps "Type.Field" (and "Type" for a type's own comment) to doc
// comments of config.go; sections maps a heading of doc.go's package
// comment to its text. It is parsed on each Explain call (a millisecond),
// so that nothing is parsed when the package is only used to run
// scenarios.
type reference struct {
	fieldDocs map[string]string
	sections  map[string]string
}

func parseSources() (*reference, error) {
	ref := &reference{fieldDocs: map[string]string{}, sections: map[string]string{}}
	fieldDocs := ref.fieldDocs
	fset := token.NewFileSet()
	entries, err := sources.ReadDir(".") // sorted by name
	if err != nil {
		return nil, err
	}
	for _, e := range entries {
		name := e.Name()
		src, err := sources.ReadFile(name)
		if err != nil {
			return nil, err
		}
		f, err := parser.ParseFile(fset, name, src, parser.ParseComments)
		if err != nil {
			return nil, err
		}
		if f.Doc != nil {
			ref.splitSections(f.Doc.Text())
		}
		for _, decl := range f.Decls {
			gd, ok := decl.(*ast.GenDecl)
			if !ok || gd.Tok != token.TYPE {
				continue
			}
			for _, spec := range gd.Specs {
				ts := spec.(*ast.TypeSpec)
				if d := gd.Doc; d != nil && len(gd.Specs) == 1 {
					fieldDocs[ts.Name.Name] = d.Text()
				}
				st, ok := ts.Type.(*ast.StructType)
				if !ok {
					continue
				}
				for _, fl := range st.Fields.List {
					if fl.Doc == nil {
						continue
					}
					for _, n := range fl.Names {
						fieldDocs[ts.Name.Name+"."+n.Name] = fl.Doc.Text()
					}
				}
			}
		}
	}
	return ref, nil
}

// splitSections records each "# Heading" section of the package comment.
func (ref *reference) splitSections(text string) {
	var p comment.Parser
	d := p.Parse(text)
	var pr comment.Printer
	heading := ""
	var body []comment.Block
	flush := func() {
		if heading != "" {
			text := strings.ReplaceAll(string(pr.Text(&comment.Doc{Content: body})), "\t", "    ")
			ref.sections[heading] = strings.Trim(text, "\n")
		}
	}
	for _, b := range d.Content {
		if h, ok := b.(*comment.Heading); ok {
			flush()
			heading, body = string(pr.Text(&comment.Doc{Content: []comment.Block{h}})), nil
			heading = strings.TrimSpace(strings.TrimPrefix(heading, "# "))
			continue
		}
		body = append(body, b)
	}
	flush()
}

// sectionOf names the doc.go section printed with a table's reference.
var sectionOf = map[string]string{
	"sim":                "[sim]",
	"workload":           "[[workload]]",
	"service":            "[[service]]",
	"service.autoscaler": "Autoscaler",
	"node_pool":          "[[node_pool]]",
	"cluster_autoscaler": "[cluster_autoscaler]",
	"assert":             "[[assert]]",
	"fault":              "[[fault]]",
	"deploy":             "[[deploy]]",
	"service.versions":   "[[deploy]]",
}

// Keys returns every key of the scenario format, depth first in
// declaration order, array entries unnamed ("workload.schedule.rate").
func Keys() []string {
	var keys []string
	var walk func(t reflect.Type, prefix string)
	walk = func(t reflect.Type, prefix string) {
		t = tableType(t)
		if t == nil {
			return
		}
		for i := range t.NumField() {
			f := t.Field(i)
			name := tomlKey(f)
			if name == "" {
				continue
			}
			key := joinKey(prefix, name)
			keys = append(keys, key)
			walk(f.Type, key)
		}
	}
	walk(reflect.TypeFor[Config](), "")
	return keys
}

// Explain returns the reference of key, a dotted path such as
// "service.autoscaler.behavior" (entry names and indices, as in --set,
// may appear and are skipped: "service.api.replicas"). The empty key
// gives the top-level tables. An unknown key gives an error wrapping
// ErrUnknownExplainKey with a did-you-mean hint.
func Explain(key string) (*KeyDoc, error) {
	ref, err := parseSources()
	if err != nil {
		return nil, fmt.Errorf("scenario: reading the reference: %w", err)
	}
	kd, err := ref.explain(key)
	if err != nil {
		return nil, err
	}
	for _, f := range kd.fields {
		sub, err := ref.explain(joinKey(kd.Key, f))
		if err != nil {
			return nil, err
		}
		kd.Fields = append(kd.Fields, FieldDoc{Key: f, Type: sub.Type, Summary: firstSentence(sub.Doc)})
	}
	return kd, nil
}

// explain is Explain without the table's field list.
func (ref *reference) explain(key string) (*KeyDoc, error) {
	fieldDocs, sections := ref.fieldDocs, ref.sections
	t := reflect.TypeFor[Config]()
	owner, field := t, reflect.StructField{}
	canonical := ""
	entry := false // the previous key was an array of tables: a name may follow
	for seg := range strings.SplitSeq(key, ".") {
		if key == "" {
			break
		}
		tt := tableType(t)
		if tt == nil {
			return nil, fmt.Errorf("%w: %q (%s has no keys inside)", ErrUnknownExplainKey, key, canonical)
		}
		f, ok := fieldByKey(tt, seg)
		if !ok {
			if entry {
				entry = false
				continue
			}
			hint := tomlpos.DidYouMean(seg, fieldKeys(tt))
			where := "the top level"
			if canonical != "" {
				where = canonical
			}
			msg := fmt.Sprintf("%q: %s has no key %q", key, where, seg)
			if hint != "" {
				msg += " (" + hint + ")"
			} else {
				msg += "; keys: " + strings.Join(fieldKeys(tt), ", ")
			}
			return nil, fmt.Errorf("%w: %s", ErrUnknownExplainKey, msg)
		}
		owner, field, t = tt, f, f.Type
		canonical = joinKey(canonical, seg)
		entry = t.Kind() == reflect.Slice && tableType(t) != nil
	}
	kd := &KeyDoc{Key: canonical}
	if canonical == "" {
		kd.Type = "scenario file"
		kd.Doc = "A scenario file's top-level tables; `clustersim explain TABLE` for each."
		kd.Section = sections["A scenario"]
	} else {
		kd.Type, kd.Values = typeName(t)
		kd.Doc = fieldDocs[owner.Name()+"."+field.Name]
		if kd.Doc == "" {
			kd.Doc = fieldDocs[derefType(t).Name()]
		}
		kd.Default = defaultOf(owner, field)
		kd.Section = sections[sectionOf[canonical]]
	}
	if tt := tableType(t); tt != nil {
		kd.fields = fieldKeys(tt)
	}
	return kd, nil
}

// Format renders kd as `clustersim explain` prints it.
func (kd *KeyDoc) Format() string {
	var b strings.Builder
	key := kd.Key
	if key == "" {
		key = "(scenario file)"
	}
	fmt.Fprintf(&b, "KEY:     %s\nTYPE:    %s\n", key, kd.Type)
	if len(kd.Values) > 0 {
		fmt.Fprintf(&b, "VALUES:  %s\n", tomlpos.QuoteList(kd.Values))
	}
	if kd.Default != "" {
		fmt.Fprintf(&b, "DEFAULT: %s\n", kd.Default)
	}
	if doc := strings.TrimSpace(kd.Doc); doc != "" {
		b.WriteString("\nDESCRIPTION:\n")
		for line := range strings.SplitSeq(doc, "\n") {
			b.WriteString(strings.TrimRight("    "+line, " ") + "\n")
		}
	}
	if kd.Section != "" {
		b.WriteString("\nREFERENCE:\n")
		for line := range strings.SplitSeq(kd.Section, "\n") {
			b.WriteString(strings.TrimRight("    "+line, " ") + "\n")
		}
	}
	if len(kd.Fields) > 0 {
		b.WriteString("\nFIELDS:\n")
		tw := tabwriter.NewWriter(&b, 2, 4, 2, ' ', 0)
		for _, f := range kd.Fields {
			fmt.Fprintf(tw, "    %s\t%s\t%s\n", f.Key, f.Type, f.Summary)
		}
		tw.Flush()
	}
	return b.String()
}

// firstSentence returns the first sentence of doc, on one line.
func firstSentence(doc string) string {
	doc = strings.Join(strings.Fields(doc), " ")
	if i := strings.Index(doc, ". "); i >= 0 {
		doc = doc[:i+1]
	}
	return doc
}

// typeName describes a Go field type in TOML terms, with the valid values
// of an enumeration.
func typeName(t reflect.Type) (string, []string) {
	t = derefType(t)
	if vals, ok := enums[t]; ok {
		return "string", vals
	}
	switch {
	case t == reflect.TypeFor[Duration]():
		return "duration", nil
	case t == reflect.TypeFor[Dist]():
		return "dist (inline table)", nil
	case t == reflect.TypeFor[IntOrPercent]():
		return "integer or percentage string", nil
	}
	switch t.Kind() {
	case reflect.Float32, reflect.Float64:
		return "float", nil
	case reflect.Int, reflect.Int64, reflect.Uint64, reflect.Int32:
		return "integer", nil
	case reflect.String:
		return "string", nil
	case reflect.Bool:
		return "boolean", nil
	case reflect.Struct:
		return "table", nil
	case reflect.Slice:
		if tableType(t) != nil {
			return "array of tables", nil
		}
		elem, _ := typeName(t.Elem())
		return "array of " + elem + "s", nil
	}
	return t.Kind().String(), nil
}

// defaultOf renders the value the parser fills in for field of owner when
// the file omits it, or "" when it fills in none (or zero).
func defaultOf(owner reflect.Type, field reflect.StructField) string {
	var v reflect.Value
	if owner == reflect.TypeFor[Sim]() {
		v = reflect.ValueOf(DefaultSim(""))
	} else if owner == reflect.TypeFor[ClusterAutoscaler]() {
		v = reflect.ValueOf(DefaultClusterAutoscaler())
	} else {
		v = defaults(owner)
	}
	fv := v.FieldByIndex(field.Index)
	if fv.IsZero() {
		return ""
	}
	fv = reflect.Indirect(fv)
	switch x := fv.Interface().(type) {
	case Duration:
		return strconv.Quote(x.String())
	case float64:
		return strconv.FormatFloat(x, 'g', -1, 64)
	}
	switch fv.Kind() {
	case reflect.String:
		return strconv.Quote(fv.String())
	case reflect.Int, reflect.Int64, reflect.Int32:
		return strconv.FormatInt(fv.Int(), 10)
	case reflect.Uint64:
		return strconv.FormatUint(fv.Uint(), 10)
	}
	return "" // tables and arrays: their keys carry the defaults
}

// tableType returns the struct type of a table or of an array of tables'
// entries (Dist included), or nil for a plain value.
func tableType(t reflect.Type) reflect.Type {
	t = derefType(t)
	if t.Kind() == reflect.Slice {
		t = derefType(t.Elem())
	}
	if t.Kind() != reflect.Struct || t == reflect.TypeFor[Duration]() {
		return nil
	}
	return t
}

func derefType(t reflect.Type) reflect.Type {
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	return t
}

// tomlKey is f's key in the file, or "" when f is not part of the format.
func tomlKey(f reflect.StructField) string {
	name, _, _ := strings.Cut(f.Tag.Get("toml"), ",")
	if name == "-" || !f.IsExported() {
		return ""
	}
	return name
}

func fieldByKey(t reflect.Type, key string) (reflect.StructField, bool) {
	for i := range t.NumField() {
		if f := t.Field(i); tomlKey(f) == key && key != "" {
			return f, true
		}
	}
	return reflect.StructField{}, false
}

func fieldKeys(t reflect.Type) []string {
	var keys []string
	for i := range t.NumField() {
		if k := tomlKey(t.Field(i)); k != "" {
			keys = append(keys, k)
		}
	}
	return keys
}

func joinKey(prefix, key string) string {
	if prefix == "" {
		return key
	}
	return prefix + "." + key
}
