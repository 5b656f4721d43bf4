package scenario_test

import (
	"errors"
	"reflect"
	"strings"
	"testing"

	"github.com/clustersim/clustersim/sim/scenario"
)

func TestSet(t *testing.T) {
	cfg, err := scenario.Load("testdata/design_sketch.toml", []string{
		"sim.duration=1h",
		"sim.seed=7",
		"service.api.replicas=5",
		"workload.shoppers.rate=300",
		"service.api.autoscaler.target=0.4",
		`sim.name="quoted"`,
		"service.api.queue=7",
		"workload.shoppers.schedule.1.rate=150",
		`workload.shoppers.service_time={dist="constant", value="10ms"}`,
		`assert."p99 under 250ms".max=300`,
		`service.api.balancer={algorithm="random"}`,
		"service.api.balancer.algorithm=p2c",
		"service.api.autoscaler.behavior.scale_down.stabilization_window=5m",
	})
	if err != nil {
		t.Fatal(err)
	}
	s, w := cfg.Services[0], cfg.Workloads[0]
	ten := 10 * scenario.Millisecond
	checks := []struct {
		name      string
		got, want any
	}{
		{"sim.duration", cfg.Sim.Duration, scenario.Hour},
		{"sim.seed", cfg.Sim.Seed, uint64(7)},
		{"sim.name", cfg.Sim.Name, "quoted"},
		{"replicas", s.Replicas, 5},
		{"rate", w.Rate, 300.0},
		{"autoscaler.target", s.Autoscaler.Target, 0.4},
		{"autoscaler.kind kept", s.Autoscaler.Kind, scenario.AutoscalerHPA},
		{"balancer", s.Balancer, scenario.Balancer{Layer: scenario.LayerL7, Algorithm: scenario.AlgorithmP2C}},
		{"queue", *s.Queue, 7},
		{"schedule", w.Schedule[1].Rate, 150.0},
		{"service_time", *w.ServiceTime, scenario.Dist{Dist: scenario.DistConstant, Value: &ten}},
		{"assert max", *cfg.Asserts[0].Max, 300.0},
		{"stabilization", *s.Autoscaler.Behavior.ScaleDown.StabilizationWindow, 5 * scenario.Minute},
	}
	for _, c := range checks {
		if !reflect.DeepEqual(c.got, c.want) {
			t.Errorf("%s = %v, want %v", c.name, c.got, c.want)
		}
	}
}

func TestSetErrors(t *testing.T) {
	tests := []struct {
		set  []string
		want []string
	}{
		{[]string{"service.apii.replicas=5"}, []string{
			`--set service.apii.replicas=5: no service named "apii" (did you mean "api"?)`}},
		{[]string{"service.api.replcas=5"}, []string{
			`--set service.api.replcas=5: unknown key "replcas" in service.api (did you mean "replicas"?)`}},
		{[]string{"sevice.api.replicas=5"}, []string{
			`--set sevice.api.replicas=5: unknown key "sevice" (did you mean "service"?)`}},
		{[]string{"service.api.replicas=abc"}, []string{
			`--set service.api.replicas=abc: service.api.replicas: expected an integer, got string "abc"`}},
		{[]string{"service.api.replicas=-2"}, []string{
			`--set service.api.replicas=-2: service.api.replicas: must be >= 0, got -2`}},
		{[]string{"sim.duration=90"}, []string{
			`--set sim.duration=90: sim.duration: "90": missing unit; use a unit such as "250ms" or "2s"`}},
		{[]string{"service.api.balancer.algorithm=p2"}, []string{
			`--set service.api.balancer.algorithm=p2: service.api.balancer.algorithm: unknown value "p2" (did you mean "p2c"?)`}},
		{[]string{"sim.duration.x=1"}, []string{
			`--set sim.duration.x=1: sim.duration is a single value; it has no key "x"`}},
		{[]string{"workload.shoppers.schedule.5.rate=1"}, []string{
			`--set workload.shoppers.schedule.5.rate=1: no entry "5" in workload.shoppers.schedule (it is empty)`}},
		{[]string{"replicas"}, []string{
			`--set replicas: expected KEY=VALUE (for example --set service.api.replicas=5)`}},
		{[]string{"sim..seed=1"}, []string{
			`--set sim..seed=1: empty part in key`}},
		// An autoscaler created by --set still needs a kind; the error
		// names the override.
		{[]string{"service.web.autoscaler.target=0.4"}, []string{
			`--set service.web.autoscaler.target=0.4: service.web.autoscaler.kind: required (one of "hpa", "target_tracking", "step", "scheduled", "predictive", "external", "none")`}},
		// A failed override leaves no half-built table behind.
		{[]string{"service.web.autoscaler.targt=0.4"}, []string{
			`--set service.web.autoscaler.targt=0.4: unknown key "targt" in service.web.autoscaler (did you mean "target"?)`}},
		// Several at once, file errors first.
		{[]string{"service.api.replicas=x", "sim.warmup=2h"}, []string{
			`--set service.api.replicas=x: service.api.replicas: expected an integer, got string "x"`,
			`--set sim.warmup=2h: sim.warmup: warmup 2h must be shorter than duration 30m`}},
	}
	src := strings.Replace(valid, `duration = "10m"`, `duration = "30m"`, 1) + "\n[[service]]\nname = \"web\"\n"
	for _, tt := range tests {
		_, err := scenario.Parse("x.toml", []byte(src), tt.set)
		if err == nil {
			t.Errorf("%q: no error", tt.set)
			continue
		}
		if got := strings.Split(err.Error(), "\n"); !reflect.DeepEqual(got, tt.want) {
			t.Errorf("%q: got\n\t%s\nwant\n\t%s", tt.set, strings.Join(got, "\n\t"), strings.Join(tt.want, "\n\t"))
		}
	}
	_, err := scenario.Parse("x.toml", []byte(src), []string{"nope.x=1"})
	if !errors.Is(err, scenario.ErrOverride) {
		t.Errorf("errors.Is(%v, ErrOverride) = false", err)
	}
}

// TestSetTableForgetsTheFileKeys: a table given whole by --set replaces
// the file's table, so the keys the file wrote in it count as omitted (an
// hpa's target is not read as an external policy's target of 0).
func TestSetTableForgetsTheFileKeys(t *testing.T) {
	src := `
[sim]
duration = "1m"
[[workload]]
name = "w"
target = "api"
rate = 5
service_time = { dist = "constant", value = "10ms" }
[[service]]
name = "api"
autoscaler = { kind = "hpa", metric = "cpu", target = 0.7, min = 1, max = 5 }
`
	cfg, err := scenario.Parse("t.toml", []byte(src), []string{`service.api.autoscaler={ kind = "external", command = ["sh"], min = 1, max = 5 }`})
	if err != nil {
		t.Fatal(err)
	}
	if a := cfg.Services[0].Autoscaler; a.Kind != scenario.AutoscalerExternal || a.Target != 0 {
		t.Errorf("autoscaler = %+v", a)
	}
}
