package tomlpos

import "testing"

func TestIndexLines(t *testing.T) {
	const src = `# comment with key = "x" and [table]
[sim]
duration = "10m"  # trailing comment

[[workload]]
name = "a"
schedule = [
  { at = "1m", rate = 5 },   # first
  { at = "2m", "rate" = 6 },
]
note = """
name = "not a key"
[not.a.table]
"""

[[workload]]
name = 'b'
service_time = { dist = "gamma", mean = "5ms", shape = { nested = [1, {x = 2}] } }
a.b.c = 1

[[service]]
name = "api"
[service.autoscaler]
kind = "hpa"
[service.autoscaler.behavior.scale_up]
policies = [{ type = "Pods", value = 4, period = "15s" }]
[[service]]
name = "db"
`
	ix := indexLines(src)
	tests := []struct {
		path       string
		line, col  int
		hasOwnLine bool
	}{
		{"sim", 2, 1, true},
		{"sim.duration", 3, 1, true},
		{"workload", 5, 1, true},
		{"workload[0]", 5, 1, true},
		{"workload[0].schedule", 7, 1, true},
		{"workload[0].schedule[0]", 8, 3, true},
		{"workload[0].schedule[0].rate", 8, 16, true},
		{"workload[0].schedule[1].rate", 9, 16, true},
		{"workload[0].note", 11, 1, true},
		{"workload[1]", 16, 1, true},
		{"workload[1].name", 17, 1, true},
		{"workload[1].service_time.shape", 18, 48, true},
		{"workload[1].service_time.shape.nested[1].x", 18, 72, true},
		{"workload[1].a.b.c", 19, 1, true},
		{"service[0].autoscaler.kind", 24, 1, true},
		{"service[0].autoscaler.behavior.scale_up.policies[0].value", 26, 30, true},
		{"service[1].name", 28, 1, true},
		// Not written: the nearest enclosing key.
		{"service[1].replicas", 27, 1, false},
		{"workload[1].service_time.k", 18, 1, false},
		{"nowhere", 1, 0, false},
	}
	for _, tt := range tests {
		got := ix.find(tt.path)
		if got != (pos{tt.line, tt.col}) || ix.has(tt.path) != tt.hasOwnLine {
			t.Errorf("find(%q) = %d:%d (has %v), want %d:%d (has %v)", tt.path, got.line, got.col, ix.has(tt.path), tt.line, tt.col, tt.hasOwnLine)
		}
	}
	if ix.has("not.a.table") || ix.has("workload[0].name\n") {
		t.Error("indexed the inside of a multi-line string")
	}
}

func TestDidYouMean(t *testing.T) {
	keys := []string{"name", "replicas", "concurrency", "queue", "service_time", "cost_per_hour"}
	tests := []struct{ in, want string }{
		{"concurency", "concurrency"},
		{"replcias", "replicas"},
		{"Queue", "queue"},
		{"servicetime", "service_time"},
		{"nme", "name"},
		{"colour", ""},
		{"x", ""},
		{"cost", ""},
	}
	for _, tt := range tests {
		if got := closest(tt.in, keys); got != tt.want {
			t.Errorf("closest(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}
