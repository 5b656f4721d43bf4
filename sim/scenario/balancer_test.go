package scenario_test

import (
	"reflect"
	"strings"
	"testing"

	"github.com/clustersim/clustersim/sim/engine"
	"github.com/clustersim/clustersim/sim/policies"
	"github.com/clustersim/clustersim/sim/scenario"
)

// TestBalancerKeyErrors: every balancer setting is range-checked at parse
// time, an algorithm-specific key given with another algorithm is an
// error naming the algorithms it applies to, and a service balanced by
// request key must be sent keys. Each error names file:line:col and key.
func TestBalancerKeyErrors(t *testing.T) {
	tests := []struct {
		name string
		src  string
		want []string
	}{{
		name: "keys for another algorithm",
		src:  valid + `balancer = { algorithm = "round_robin", ttl = "10s", choice_count = 3 }` + "\n",
		want: []string{
			`x.toml:12:54: service.api.balancer.choice_count: choice_count does not apply to algorithm "round_robin" (it applies to algorithm p2c)`,
			`x.toml:12:41: service.api.balancer.ttl: ttl does not apply to algorithm "round_robin" (it applies to algorithm dns)`,
		},
	}, {
		name: "p2c ranges",
		src:  valid + `balancer = { algorithm = "p2c", choice_count = 1, active_request_bias = -1, weights = [1, 0] }` + "\n",
		want: []string{
			`x.toml:12:51: service.api.balancer.active_request_bias: must be in 0..100, got -1 (Envoy's default is 1.0)`,
			`x.toml:12:33: service.api.balancer.choice_count: must be in 2..100, got 1 (Envoy's default is 2)`,
			`x.toml:12:77: service.api.balancer.weights: weight 1 must be in (0, 1e+06], got 0 (weights are relative: 1 is a normal instance)`,
		},
	}, {
		name: "slow start shape without a window",
		src:  valid + `balancer = { algorithm = "weighted_round_robin", aggression = 2.0 }` + "\n",
		want: []string{
			`x.toml:12:50: service.api.balancer.aggression: aggression shapes slow start, which is off (give slow_start_window)`,
		},
	}, {
		name: "hash sizes",
		src: valid + `balancer = { algorithm = "maglev", table_size = 65536, bounded_load = 1.0 }
[[service]]
name = "b"
balancer = { algorithm = "ring_hash", ring_size = 0 }
`,
		want: []string{
			`x.toml:12:14: service.api.balancer.algorithm: maglev picks by request key, and no workload sends "api" keys (give the workloads that target it keys = N)`,
			`x.toml:12:56: service.api.balancer.bounded_load: must be in (1, 100], got 1 (1.25 is the paper's example)`,
			`x.toml:12:36: service.api.balancer.table_size: must be a prime up to 5000011, got 65536 (Envoy's default is 65537)`,
			`x.toml:15:14: service.b.balancer.algorithm: ring_hash picks by request key, and no workload sends "b" keys (give the workloads that target it keys = N)`,
			`x.toml:15:39: service.b.balancer.ring_size: must be in 1..8388608, got 0 (Envoy's default is 1024)`,
		},
	}, {
		name: "workload keys",
		src:  strings.Replace(valid, "rate = 100\n", "rate = 100\nkeys = 0\nzipf = 0.9\n", 1),
		want: []string{
			`x.toml:8:1: workload.shoppers.keys: must be in 1..1000000, got 0 (omit it for requests without keys)`,
			`x.toml:9:1: workload.shoppers.zipf: zipf shapes the keys' popularity, and there are none (give keys)`,
		},
	}}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := scenario.Parse("x.toml", []byte(tt.src), nil)
			if err == nil {
				t.Fatal("no error")
			}
			got := strings.Split(err.Error(), "\n")
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("got\n\t%s\nwant\n\t%s", strings.Join(got, "\n\t"), strings.Join(tt.want, "\n\t"))
			}
		})
	}
}

// TestBalancerBuild: the balancer table reaches the policies' settings,
// workload keys reach the models, and an explicit
// active_request_bias of 0 stays 0 (Envoy: "behave like round robin"),
// not the default 1.0.
func TestBalancerBuild(t *testing.T) {
	src := strings.Replace(valid, "rate = 100\n", "rate = 100\nkeys = 50\nzipf = 1.1\n", 1) +
		`balancer = { algorithm = "p2c", choice_count = 3, active_request_bias = 0, slow_start_window = "30s", aggression = 2.0, min_weight_percent = 5, weights = [2, 1] }
`
	_, mc := buildOf(t, "x.toml", src)
	s, w := mc.Services[0], mc.Workloads[0]
	want := policies.Config{Algorithm: "p2c", ChoiceCount: 3, ActiveRequestBias: -1, SlowStartWindow: 30 * engine.Second, Aggression: 2, MinWeightPercent: 5}
	if s.Balance != want {
		t.Errorf("balance %+v, want %+v", s.Balance, want)
	}
	if !reflect.DeepEqual(s.Weights, []float64{2, 1}) {
		t.Errorf("weights %v", s.Weights)
	}
	if w.Keys.Keys != 50 || w.Keys.Zipf != 1.1 {
		t.Errorf("keys %+v", w.Keys)
	}
}
