package scenario_test

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/BurntSushi/toml"
	"github.com/santhosh-tekuri/jsonschema/v6"

	"github.com/clustersim/clustersim/sim/scenario"
)

// compileSchema compiles scenario.JSONSchema with an independent JSON
// Schema implementation (santhosh-tekuri/jsonschema, which passes the
// official JSON-Schema-Test-Suite for draft-07).
func compileSchema(t *testing.T) *jsonschema.Schema {
	t.Helper()
	data, err := scenario.JSONSchema()
	if err != nil {
		t.Fatal(err)
	}
	doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(data))
	if err != nil {
		t.Fatalf("the schema is not JSON: %v", err)
	}
	c := jsonschema.NewCompiler()
	if err := c.AddResource("scenario.schema.json", doc); err != nil {
		t.Fatal(err)
	}
	s, err := c.Compile("scenario.schema.json")
	if err != nil {
		t.Fatalf("the schema does not compile: %v", err)
	}
	return s
}

// tomlToJSON converts a TOML document to the JSON instance editors check
// against the schema (as Taplo does: tables are objects, arrays of tables
// arrays of objects).
func tomlToJSON(t *testing.T, src []byte) any {
	t.Helper()
	var m map[string]any
	if _, err := toml.Decode(string(src), &m); err != nil {
		t.Fatalf("not TOML: %v", err)
	}
	data, err := json.Marshal(m)
	if err != nil {
		t.Fatal(err)
	}
	v, err := jsonschema.UnmarshalJSON(bytes.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	return v
}

// TestSchemaAcceptsLibrary: every library scenario (and every valid
// testdata scenario the parser accepts) validates against the schema.
func TestSchemaAcceptsLibrary(t *testing.T) {
	s := compileSchema(t)
	files, _ := filepath.Glob("../../scenarios/*.toml")
	if len(files) < 10 {
		t.Fatalf("found %d library scenarios", len(files))
	}
	for _, f := range files {
		src, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		if err := s.Validate(tomlToJSON(t, src)); err != nil {
			t.Errorf("%s does not validate against the schema: %v", f, err)
		}
	}
}

// TestSchemaRejectsBroken: files the parser rejects for a wrong key,
// type, enumeration value or duration are rejected by the schema too.
func TestSchemaRejectsBroken(t *testing.T) {
	s := compileSchema(t)
	src, err := os.ReadFile("../../scenarios/mm1.toml")
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct{ name, from, to string }{
		{"unknown key", "concurrency = 1", "concurency = 1"},
		{"unknown table", "[[service]]", "[[servce]]"},
		{"wrong type", "rate = 80", `rate = "80"`},
		{"integer expected", "replicas = 1", "replicas = 1.5"},
		{"bad enumeration value", `arrival = "poisson"`, `arrival = "poison"`},
		{"bad distribution", `dist = "exponential"`, `dist = "expo"`},
		{"duration without unit", `duration = "4h"`, `duration = "4"`},
		{"duration as a number", `duration = "4h"`, `duration = 4`},
		{"negative seed", "seed = 1", "seed = -1"},
		{"assert key", `metric = "latency_ms.mean"`, `metrc = "latency_ms.mean"`},
	} {
		broken := strings.Replace(string(src), tc.from, tc.to, 1)
		if broken == string(src) {
			t.Fatalf("%s: %q not in mm1.toml", tc.name, tc.from)
		}
		if _, err := scenario.Parse("mm1.toml", []byte(broken), nil); err == nil {
			t.Errorf("%s: the parser accepts it: the case tests nothing", tc.name)
		}
		if err := s.Validate(tomlToJSON(t, []byte(broken))); err == nil {
			t.Errorf("%s: the schema accepts %q", tc.name, tc.to)
		}
	}
}

// TestSchemaHasEveryKey: every key of the format (scenario.Keys, the
// list explain and the README reference are checked against) is in the
// schema, so keys added to the Config structs appear in it.
func TestSchemaHasEveryKey(t *testing.T) {
	data, err := scenario.JSONSchema()
	if err != nil {
		t.Fatal(err)
	}
	var root map[string]any
	if err := json.Unmarshal(data, &root); err != nil {
		t.Fatal(err)
	}
	for _, key := range scenario.Keys() {
		node := root
		for seg := range strings.SplitSeq(key, ".") {
			if items, ok := node["items"].(map[string]any); ok {
				node = items
			}
			props, _ := node["properties"].(map[string]any)
			next, ok := props[seg].(map[string]any)
			if !ok {
				t.Errorf("key %s: no %q in the schema", key, seg)
				break
			}
			node = next
		}
		if node["description"] == nil && node["type"] != "object" {
			t.Errorf("key %s has no description", key)
		}
	}
}
