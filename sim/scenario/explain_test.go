package scenario_test

import (
	"errors"
	"go/parser"
	"go/token"
	"os"
	"strings"
	"testing"

	"github.com/clustersim/clustersim/sim/scenario"
)

// TestPackageDocIsOneComment: a blank line in doc.go once split the
// package comment, and `go doc` showed only its second half (issue 10).
func TestPackageDocIsOneComment(t *testing.T) {
	f, err := parser.ParseFile(token.NewFileSet(), "doc.go", nil, parser.ParseComments)
	if err != nil {
		t.Fatal(err)
	}
	if f.Doc == nil {
		t.Fatal("doc.go has no package comment")
	}
	doc := f.Doc.Text()
	for _, want := range []string{"Package scenario reads", "# [sim]", "# [[workload]]", "# [[service]]", "# Autoscaler", "# [[assert]]", "# Errors"} {
		if !strings.Contains(doc, want) {
			t.Errorf("the package comment lacks %q: is it split by a blank line?", want)
		}
	}
}

// TestEveryKeyExplained: every key of the Config types has a type and a
// meaning in `clustersim explain`, and the package reference mentions it.
func TestEveryKeyExplained(t *testing.T) {
	keys := scenario.Keys()
	if len(keys) < 100 {
		t.Fatalf("only %d keys", len(keys))
	}
	b, err := os.ReadFile("doc.go")
	if err != nil {
		t.Fatal(err)
	}
	ref := string(b)
	for _, k := range keys {
		kd, err := scenario.Explain(k)
		if err != nil {
			t.Errorf("%s: %v", k, err)
			continue
		}
		if kd.Key != k || kd.Type == "" || strings.TrimSpace(kd.Doc) == "" {
			t.Errorf("%s: incomplete reference %+v", k, kd)
		}
		last := k[strings.LastIndexByte(k, '.')+1:]
		if !strings.Contains(ref, last) {
			t.Errorf("%s: doc.go does not mention %q", k, last)
		}
	}
}

func TestExplain(t *testing.T) {
	tests := []struct {
		key      string
		wantKey  string
		wantType string
		wantDef  string
		wantErr  string
	}{
		{key: "", wantKey: "", wantType: "scenario file"},
		{key: "service.autoscaler.behavior", wantKey: "service.autoscaler.behavior", wantType: "table"},
		{key: "service.api.replicas", wantKey: "service.replicas", wantType: "integer", wantDef: "1"},
		{key: "sim.window", wantKey: "sim.window", wantType: "duration", wantDef: `"10s"`},
		{key: "service.balancer.algorithm", wantKey: "service.balancer.algorithm", wantType: "string", wantDef: `"round_robin"`},
		{key: "workload.shoppers.schedule.0.ramp", wantKey: "workload.schedule.ramp", wantType: "duration"},
		{key: "service.autoscaler.behaviour", wantErr: `service.autoscaler has no key "behaviour" (did you mean "behavior"?)`},
		{key: "sim.duration.x", wantErr: `sim.duration has no keys inside`},
	}
	for _, tt := range tests {
		t.Run(tt.key, func(t *testing.T) {
			kd, err := scenario.Explain(tt.key)
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) || !errors.Is(err, scenario.ErrUnknownExplainKey) {
					t.Fatalf("err = %v, want %q", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if kd.Key != tt.wantKey || kd.Type != tt.wantType || kd.Default != tt.wantDef {
				t.Errorf("got key %q type %q default %q", kd.Key, kd.Type, kd.Default)
			}
		})
	}
}
