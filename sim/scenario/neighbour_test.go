package scenario_test

import (
	"math"
	"strings"
	"testing"

	"github.com/clustersim/clustersim/sim/results"
	"github.com/clustersim/clustersim/sim/scenario"
)

// neighbourScenario: a service of two instances on a pool of one 4-core
// node, constant 10 ms service times at 20 req/s with room for all
// (no queueing: latency is the service time), and a dedicated pool of one
// node beside it.
const neighbourScenario = `
[sim]
duration = "30s"
window = "1s"

[[workload]]
name = "w"
target = "api"
arrival = "constant"
rate = 20
service_time = { dist = "constant", value = "10ms" }

[[service]]
name = "api"
replicas = 2
concurrency = 100
balancer = { algorithm = "round_robin" }

[[node_pool]]
name = "shared"
cpu = 4
nodes = 1

[[node_pool]]
name = "dedicated"
cpu = 4
nodes = 1
dedicated = true
`

func runNeighbour(t *testing.T, extra string, variant bool) (*results.Summary, *seriesRecorder) {
	t.Helper()
	cfg, err := scenario.Parse("n.toml", []byte(neighbourScenario+extra), nil)
	if err != nil {
		t.Fatal(err)
	}
	if variant {
		cfg = cfg.Variants[0].Config
	}
	c := clusterOf(t, cfg)
	rec := &seriesRecorder{}
	sum, err := c.Run(rec, nil)
	if err != nil {
		t.Fatal(err)
	}
	return sum, rec
}

// TestNeighbourSlowdown checks the slowdown against hand-computed
// numbers: a neighbour keeping 3 of the node's 4 cores busy with
// sensitivity 0.8 multiplies service times by 1 + 0.8 × 3/4 = 1.6, so
// the 10 ms requests take 16 ms; two such neighbours (the second 2 cores,
// k 1: 1 + 2/4 = 1.5) compound to 1.6 × 1.5 = 2.4, 24 ms; a service
// placed on the dedicated pool is untouched, 10 ms, and without
// node_pool the service never lands on the dedicated node (it would
// have, as the emptier node, without dedicated).
func TestNeighbourSlowdown(t *testing.T) {
	batch := "\n[[neighbour]]\nname = \"batch\"\npool = \"shared\"\ncpu = 3\nsensitivity = 0.8\n"
	cron := "\n[[neighbour]]\nname = \"cron\"\npool = \"shared\"\ncpu = 2\n"
	tests := []struct {
		name, extra string
		dedicated   bool    // the service is placed on the dedicated pool
		want        float64 // mean latency, ms
	}{
		{"alone", "", false, 10},
		{"neighbour", batch, false, 16},
		{"two neighbours", batch + cron, false, 24},
		{"dedicated pool", batch, true, 10},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			extra := tt.extra
			if tt.dedicated {
				extra += "\n[[variant]]\nname = \"fix\"\nset = ['service.api.node_pool=\"dedicated\"']\n"
			}
			sum, rec := runNeighbour(t, extra, tt.dedicated)
			if math.Abs(sum.LatencyMs.Mean-tt.want) > 1e-6 {
				t.Errorf("mean latency %v ms, want %v", sum.LatencyMs.Mean, tt.want)
			}
			want := 0.0 // no instance of a service without node_pool on the dedicated node
			if tt.dedicated {
				want = 0.5 // two 1-core instances on its 4 cores
			}
			for _, v := range rec.col("dedicated.cpu_requested") {
				if v != want {
					t.Fatalf("dedicated.cpu_requested %v, want %v", v, want)
				}
			}
		})
	}
}

// TestNeighbourSpell: a neighbour from 5 s to 25 s slows the instances
// already there and those placed during the spell — instance 0 crashes
// at 10 s and its replacement lands on the shared node while the
// neighbour runs — and only during it: the windows inside the spell see
// 16 ms, those before and after 10 ms.
func TestNeighbourSpell(t *testing.T) {
	extra := "\n[[neighbour]]\nname = \"batch\"\npool = \"shared\"\ncpu = 3\nsensitivity = 0.8\nat = \"5s\"\nduration = \"20s\"\n" +
		"\n[[fault]]\nservice = \"api\"\nkind = \"crash\"\nat = \"10s\"\n"
	_, rec := runNeighbour(t, extra, false)
	p50 := rec.col("api.p50_ms")
	if len(p50) != 30 {
		t.Fatalf("%d windows with a p50, want 30", len(p50))
	}
	for i, v := range p50 {
		want := 10.0
		switch {
		case i == 5 || i == 25: // the spell's edges
			continue
		case i > 5 && i < 25:
			want = 16
		}
		if math.Abs(v-want)/want > 0.02 {
			t.Errorf("window %d-%d s: p50 %v ms, want %v", i, i+1, v, want)
		}
	}
}

// TestNeighbourErrors: bad [[neighbour]] entries name the key.
func TestNeighbourErrors(t *testing.T) {
	tests := []struct{ entry, want string }{
		{"name = \"b\"\npool = \"shard\"\ncpu = 1", `neighbour.b.pool: no node pool named "shard" (did you mean "shared"?)`},
		{"name = \"b\"\ncpu = 1", "neighbour.b.pool: required"},
		{"name = \"b\"\npool = \"shared\"", "neighbour.b.cpu: required"},
		{"name = \"b\"\npool = \"shared\"\ncpu = 0", "neighbour.b.cpu: must be > 0 and at most 1e+06, got 0"},
		{"name = \"b\"\npool = \"shared\"\ncpu = 1\nsensitivity = -1", "neighbour.b.sensitivity: must be 0 to 100, got -1"},
		{"name = \"b\"\npool = \"shared\"\ncpu = 1\nat = \"30s\"", "neighbour.b.at: at 30s is not in the run [0, 30s)"},
		{"name = \"b\"\npool = \"shared\"\ncpu = 1\nduration = \"0s\"", "neighbour.b.duration: must be > 0"},
		{"pool = \"shared\"\ncpu = 1", "neighbour[0].name: required"},
	}
	for _, tt := range tests {
		_, err := scenario.Parse("n.toml", []byte(neighbourScenario+"\n[[neighbour]]\n"+tt.entry+"\n"), nil)
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%q: error %v, want %s", tt.entry, err, tt.want)
		}
	}
}
