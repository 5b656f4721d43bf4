package scenario_test

import (
	"fmt"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/clustersim/clustersim/sim/results"
	"github.com/clustersim/clustersim/sim/scenario"
)

// replayScenario is a trace workload on a two-instance service with room
// for every request at once (no queueing: a request's latency is its
// service time), balanced by ring_hash on the request key when the
// trace's name says it is keyed, else round robin.
func replayScenario(trace, extra, duration string) string {
	alg := "round_robin"
	if strings.Contains(trace, "keyed") {
		alg = "ring_hash"
	}
	return fmt.Sprintf(`
[sim]
duration = %q
window = "1s"

[[workload]]
name = "replay"
target = "api"
arrival = "trace"
trace = %q
%s
service_time = { dist = "constant", value = "500ms" }

[[service]]
name = "api"
replicas = 2
concurrency = 1000
balancer = { algorithm = %q }
`, duration, trace, extra, alg)
}

// runReplay writes the trace, parses and runs the scenario, and returns
// the summary and the recorded series.
func runReplay(t *testing.T, name, data, extra, duration string) (*results.Summary, *seriesRecorder) {
	t.Helper()
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, name), []byte(data), 0o644); err != nil {
		t.Fatal(err)
	}
	cfg, err := scenario.Parse(filepath.Join(dir, "s.toml"), []byte(replayScenario(name, extra, duration)), nil)
	if err != nil {
		t.Fatal(err)
	}
	c := clusterOf(t, cfg)
	rec := &seriesRecorder{}
	sum, err := c.Run(rec, nil)
	if err != nil {
		t.Fatal(err)
	}
	return sum, rec
}

type seriesRecorder struct {
	cols []string
	rows [][]float64
}

func (r *seriesRecorder) Header(cols []string) error { r.cols = cols; return nil }
func (r *seriesRecorder) Row(_ float64, v []float64) error {
	r.rows = append(r.rows, append([]float64(nil), v...))
	return nil
}

// col returns a column's values in the windows where it is defined.
func (r *seriesRecorder) col(name string) []float64 {
	var out []float64
	for j, c := range r.cols {
		if c != name {
			continue
		}
		for _, row := range r.rows {
			if !math.IsNaN(row[j]) {
				out = append(out, row[j])
			}
		}
	}
	return out
}

// TestReplayFields: each request takes its service time and key from its
// trace record. 100 requests 0.1 s apart, service times alternating 10
// and 30 ms, none queued: the mean latency is exactly 20 ms and the
// p50/max are 10... 30 ms, while the workload's own service_time (500 ms)
// is used only by records without one. Every record has a key among 5,
// so ring_hash sends each key to one instance: key_affinity is 1 in every
// window. The same trace as JSON lines gives the same summary.
func TestReplayFields(t *testing.T) {
	var csv, jsonl strings.Builder
	csv.WriteString("time,service_time,key\n")
	for i := range 100 {
		st := []float64{0.01, 0.03}[i%2]
		fmt.Fprintf(&csv, "%g,%g,%d\n", float64(i)/10, st, i%5)
		fmt.Fprintf(&jsonl, "{\"time\": %g, \"service_time\": %g, \"key\": %d}\n", float64(i)/10, st, i%5)
	}
	sum, rec := runReplay(t, "keyed.csv", csv.String(), "", "20s")
	if sum.Requests.Total != 100 || sum.Requests.OK != 100 {
		t.Fatalf("requests %+v, want 100 ok", sum.Requests)
	}
	if math.Abs(sum.LatencyMs.Mean-20) > 1e-6 || math.Abs(sum.LatencyMs.Max-30) > 0.5 {
		t.Errorf("latency mean %v max %v ms, want 20 and 30 (the trace's service times)", sum.LatencyMs.Mean, sum.LatencyMs.Max)
	}
	aff := rec.col("api.key_affinity")
	if len(aff) == 0 {
		t.Fatal("no key_affinity: the requests carried no key")
	}
	for _, a := range aff {
		if a != 1 {
			t.Fatalf("key_affinity %v, want 1 in every window: %v", a, aff)
		}
	}
	again, _ := runReplay(t, "keyed.jsonl", jsonl.String(), "", "20s")
	if again.LatencyMs != sum.LatencyMs || again.Requests != sum.Requests {
		t.Errorf("JSON lines %+v %+v, CSV %+v %+v", again.Requests, again.LatencyMs, sum.Requests, sum.LatencyMs)
	}
	// Without a service time the workload's distribution is drawn.
	plain, _ := runReplay(t, "t.txt", "0\n1\n", "", "5s")
	if math.Abs(plain.LatencyMs.Mean-500) > 1e-6 {
		t.Errorf("plain trace latency %v ms, want the workload's 500", plain.LatencyMs.Mean)
	}
}

// TestReplaySpeedLoop: a trace of arrivals at 0, 1 and 2.5 s looped
// repeats every 2.5 s (its last arrival time): 2.5k + {0, 1, 2.5} for
// pass k; at speed 2 every trace time is halved. Hand-counted over a run
// of 9.9 s: once, 3 requests at any speed; looped at speed 1, passes 0 to
// 2 whole and 7.5, 8.5 of pass 3 (10 is past the end): 11; looped at
// speed 2 the trace time reached is 19.8 s: passes 0 to 6 whole (21),
// then 17.5 and 18.5 of pass 7: 23.
func TestReplaySpeedLoop(t *testing.T) {
	tests := []struct {
		extra string
		want  int64
	}{
		{"", 3},
		{"speed = 2", 3},
		{"loop = true", 11},
		{"loop = true\nspeed = 2", 23},
	}
	for _, tt := range tests {
		t.Run(strings.ReplaceAll(tt.extra, "\n", " "), func(t *testing.T) {
			sum, _ := runReplay(t, "t.txt", "0\n1\n2.5\n", tt.extra, "9.9s")
			if sum.Requests.Total != tt.want {
				t.Errorf("%d requests, want %d", sum.Requests.Total, tt.want)
			}
		})
	}
}

// TestReplayChanged: a trace that goes bad after it was checked fails
// the run with an error naming the trace's file and line.
func TestReplayChanged(t *testing.T) {
	path, err := runChangedTrace(t, "time\n0\n1\n2\n", "time\n0\n1\nlater\n")
	want := path + `:4: invalid arrival time "later"`
	if err == nil || !strings.Contains(err.Error(), want) {
		t.Errorf("error %v, want it to contain %s", err, want)
	}
}

// runChangedTrace checks and builds a replay of a trace holding before,
// replaces the trace with after, and runs it: it returns the trace's path
// and the run's error.
func runChangedTrace(t *testing.T, before, after string) (string, error) {
	t.Helper()
	dir := t.TempDir()
	path := filepath.Join(dir, "t.csv")
	if err := os.WriteFile(path, []byte(before), 0o644); err != nil {
		t.Fatal(err)
	}
	cfg, err := scenario.Parse(filepath.Join(dir, "s.toml"), []byte(replayScenario("t.csv", "", "10s")), nil)
	if err != nil {
		t.Fatal(err)
	}
	c := clusterOf(t, cfg)
	if err := os.WriteFile(path, []byte(after), 0o644); err != nil {
		t.Fatal(err)
	}
	_, err = c.Run(nil, nil)
	return path, err
}

// TestReplayErrors: speed and loop are checked, a CSV trace naming an
// unsupported column is refused with the supported ones listed, a bad
// user or an endpoint the workload does not declare is refused naming
// the trace's file and line (with the nearest endpoint), a trace naming
// endpoints needs the workload's endpoints and refuses sessions.
func TestReplayErrors(t *testing.T) {
	dir := t.TempDir()
	for name, data := range map[string]string{"ok.txt": "0\n1\n", "zero.txt": "0\n", "users.csv": "time,users\n1,alice\n", "fields.csv": "time,service_time\n1,0.1\n",
		"user.csv": "time,user\n0,1\n1,alice\n", "ep.csv": "time,endpoint\n0,search\n1,serch\n", "ep.jsonl": "{\"time\": 0, \"endpoint\": \"search\"}\n"} {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(data), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	eps := `endpoints = [{ name = "browse" }, { name = "search" }]`
	tests := []struct{ trace, extra, want string }{
		{"ok.txt", "speed = 0", "workload.replay.speed: must be > 0 and at most 1e+06, got 0"},
		{"ok.txt", "speed = 2e6", "workload.replay.speed: must be > 0 and at most 1e+06"},
		{"zero.txt", "loop = true", "workload.replay.loop: trace " + filepath.Join(dir, "zero.txt") + " ends at 0 s: it cannot loop"},
		{"users.csv", "", filepath.Join(dir, "users.csv") + `:1: workload.replay.trace: unknown column "users": the columns are time, service_time, key, user, endpoint`},
		{"fields.csv", "lifetime = { dist = \"constant\", value = \"1m\" }\nmessage_rate = 1", "workload.replay.lifetime: trace " + filepath.Join(dir, "fields.csv") + " gives requests service times, keys, users or endpoints"},
		{"user.csv", "", filepath.Join(dir, "user.csv") + `:3: workload.replay.trace: invalid user "alice": an integer from 0 to 9999999`},
		{"ep.csv", eps, filepath.Join(dir, "ep.csv") + `:3: workload.replay.trace: unknown endpoint "serch": the workload's endpoints are browse, search (did you mean "search"?)`},
		{"ep.csv", "", filepath.Join(dir, "ep.csv") + `:2: workload.replay.endpoints: the trace names endpoint "search", and workload "replay" declares no endpoints`},
		{"ep.jsonl", eps + "\nuser_ids = 10\nsessions = [{ name = \"s\", steps = [\"search\"] }]", "workload.replay.sessions: trace " + filepath.Join(dir, "ep.jsonl") + " names endpoints, and a session's steps name them"},
	}
	for _, tt := range tests {
		_, err := scenario.Parse(filepath.Join(dir, "s.toml"), []byte(replayScenario(tt.trace, tt.extra, "10s")), nil)
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%s %s: error %v, want %s", tt.trace, tt.extra, err, tt.want)
		}
	}
	src := strings.Replace(replayScenario("ok.txt", "", "10s"), `arrival = "trace"`, `rate = 5`, 1)
	src = strings.Replace(src, `trace = "ok.txt"`, "speed = 2", 1)
	if _, err := scenario.Parse(filepath.Join(dir, "s.toml"), []byte(src), nil); err == nil ||
		!strings.Contains(err.Error(), `workload.replay.speed: speed applies to a replayed trace, not arrival = "poisson"`) {
		t.Errorf("speed without a trace: %v", err)
	}
}
