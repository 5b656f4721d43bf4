package scenario_test

import (
	"fmt"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/clustersim/clustersim/sim/policies/deploy"
	"github.com/clustersim/clustersim/sim/results"
	"github.com/clustersim/clustersim/sim/scenario"
)

// runTraceScenario writes the trace beside the scenario src, parses,
// builds and runs it.
func runTraceScenario(t *testing.T, name, data, src string) (*results.Summary, *seriesRecorder) {
	t.Helper()
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, name), []byte(data), 0o644); err != nil {
		t.Fatal(err)
	}
	cfg, err := scenario.Parse(filepath.Join(dir, "s.toml"), []byte(src), nil)
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

// endpointTraceScenario: a trace workload with three endpoints of
// constant service times 10, 30 and 70 ms (the workload's own is 500 ms)
// on a service with room for every request at once, so that a request's
// latency is exactly its endpoint's service time.
func endpointTraceScenario(trace string) string {
	return fmt.Sprintf(`
[sim]
duration = "20s"
window = "1s"

[[workload]]
name = "replay"
target = "api"
arrival = "trace"
trace = %q
service_time = { dist = "constant", value = "500ms" }
endpoints = [
  { name = "browse", weight = 1, service_time = { dist = "constant", value = "10ms" } },
  { name = "search", weight = 1, service_time = { dist = "constant", value = "30ms" } },
  { name = "checkout", weight = 1, service_time = { dist = "constant", value = "70ms" } },
]

[[service]]
name = "api"
replicas = 2
concurrency = 1000
`, trace)
}

// TestReplayEndpoints: each record's endpoint routes its request to that
// endpoint (its service time, its per-endpoint figures) instead of a
// weighted draw. 100 records 0.1 s apart name browse, search, search,
// checkout, search (i mod 5): hand-counted 20 browse, 60 search, 20
// checkout, each answered in exactly its endpoint's service time (no
// queueing), so the endpoint means are 10, 30 and 70 ms, the shares 0.2,
// 0.6, 0.2 and the overall mean (20·10 + 60·30 + 20·70)/100 = 34 ms. The
// same trace as JSON lines gives the same summary. A record without an
// endpoint draws one by weight: the trace's named requests are all still
// there and the draws add up to the rest.
func TestReplayEndpoints(t *testing.T) {
	names := []string{"browse", "search", "search", "checkout", "search"}
	var csv, jsonl, mixed strings.Builder
	csv.WriteString("time,endpoint\n")
	mixed.WriteString("endpoint,time\n")
	for i := range 100 {
		fmt.Fprintf(&csv, "%g,%s\n", float64(i)/10, names[i%5])
		fmt.Fprintf(&jsonl, "{\"time\": %g, \"endpoint\": %q}\n", float64(i)/10, names[i%5])
		ep := names[i%5]
		if i%2 == 1 {
			ep = "" // unset: drawn by weight
		}
		fmt.Fprintf(&mixed, "%s,%g\n", ep, float64(i)/10)
	}
	sum, rec := runTraceScenario(t, "t.csv", csv.String(), endpointTraceScenario("t.csv"))
	if sum.Requests.Total != 100 || sum.Requests.OK != 100 {
		t.Fatalf("requests %+v, want 100 ok", sum.Requests)
	}
	eps := sum.Services["api"].Endpoints
	for _, want := range []struct {
		name  string
		n     int64
		ms    float64
		share float64
	}{{"browse", 20, 10, 0.2}, {"search", 60, 30, 0.6}, {"checkout", 20, 70, 0.2}} {
		e := eps[want.name]
		if e.Requests.OK != want.n || e.Requests.Total != want.n || math.Abs(e.Share-want.share) > 1e-12 {
			t.Errorf("%s: %+v share %v, want %d ok, share %v", want.name, e.Requests, e.Share, want.n, want.share)
		}
		if math.Abs(e.LatencyMs.Mean-want.ms) > 1e-6 || math.Abs(e.LatencyMs.P99-want.ms) > want.ms*0.01 {
			t.Errorf("%s latency mean %v p99 %v ms, want %v", want.name, e.LatencyMs.Mean, e.LatencyMs.P99, want.ms)
		}
	}
	if math.Abs(sum.LatencyMs.Mean-34) > 1e-6 {
		t.Errorf("mean latency %v ms, want 34", sum.LatencyMs.Mean)
	}
	var sent float64
	for _, v := range rec.col("api/search.rps") {
		sent += v // 1 s windows
	}
	if sent != 60 {
		t.Errorf("api/search.rps sums to %v over the run, want 60", sent)
	}
	again, _ := runTraceScenario(t, "t.jsonl", jsonl.String(), endpointTraceScenario("t.jsonl"))
	if fmt.Sprint(again.Services["api"].Endpoints) != fmt.Sprint(eps) || again.LatencyMs != sum.LatencyMs {
		t.Errorf("JSON lines %v, CSV %v", again.Services["api"].Endpoints, eps)
	}
	// Mixed: the 50 even records name theirs (10 browse, 30 search, 10
	// checkout); the 50 odd ones are drawn.
	mix, _ := runTraceScenario(t, "m.csv", mixed.String(), endpointTraceScenario("m.csv"))
	m := mix.Services["api"].Endpoints
	b, s, c := m["browse"].Requests.Total, m["search"].Requests.Total, m["checkout"].Requests.Total
	if b+s+c != 100 || b < 10 || s < 30 || c < 10 || b+s+c-50 == 0 {
		t.Errorf("mixed: browse %d, search %d, checkout %d; want 100 in all, at least 10, 30, 10", b, s, c)
	}
}

// TestReplayUsersAB: a trace's users are the requests' user ids. Twelve
// users (0 to 11) take turns every 50 ms for 60 s, in a workload without
// user_ids; an A/B deploy at 30 s sends half the users to v2, which
// fails every request. A/B hashes the user id (deploy.ABBucket), which
// puts users 3, 4, 5, 7, 10 and 11 on B (TestABStickyByUser computes the
// same six from the definition): blast_radius_users is exactly 6, and
// versions.v2.users (users it served) 6 while v1 served all twelve
// (before the deploy). The user space covers the trace's
// largest user (11): a trace whose users are 0 and 11 only counts 2.
func TestReplayUsersAB(t *testing.T) {
	var onB []uint64
	for u := range uint64(12) {
		if deploy.ABBucket(u, 0.5) == 1 {
			onB = append(onB, u)
		}
	}
	if fmt.Sprint(onB) != "[3 4 5 7 10 11]" {
		t.Fatalf("users on B %v", onB)
	}
	src := func(trace string) string {
		return fmt.Sprintf(`
[sim]
duration = "60s"
window = "1s"

[[workload]]
name = "replay"
target = "api"
arrival = "trace"
trace = %q
service_time = { dist = "constant", value = "10ms" }

[[service]]
name = "api"
replicas = 2
concurrency = 100
versions = [{ name = "v1" }, { name = "v2", error_rate = 1 }]

[[deploy]]
service = "api"
at = "30s"
version = "v2"
strategy = "ab"
steps = [{ weight = 50, pause = "10m" }]
`, trace)
	}
	var csv strings.Builder
	csv.WriteString("time,user\n")
	for i := range 1200 {
		fmt.Fprintf(&csv, "%g,%d\n", float64(i)*0.05, i%12)
	}
	sum, _ := runTraceScenario(t, "u.csv", csv.String(), src("u.csv"))
	d := sum.Deploys[0]
	if d.BlastRadiusUsers != 6 {
		t.Errorf("blast radius %v users, want 6 (%d requests)", d.BlastRadiusUsers, d.BlastRadiusRequests)
	}
	if v := sum.Services["api"].Versions; v["v1"].Users == nil || *v["v1"].Users != 12 || v["v2"].Users == nil || *v["v2"].Users != 6 {
		t.Errorf("users answered: v1 %v, v2 %v; want 12 and 6", *v["v1"].Users, *v["v2"].Users)
	}
	if d.BlastRadiusRequests == 0 || d.BlastRadiusRequests != sum.Requests.Failed {
		t.Errorf("blast %d requests, %d failed", d.BlastRadiusRequests, sum.Requests.Failed)
	}
	// JSON lines: the same.
	var jl strings.Builder
	for i := range 1200 {
		fmt.Fprintf(&jl, "{\"time\": %g, \"user\": %d}\n", float64(i)*0.05, i%12)
	}
	again, _ := runTraceScenario(t, "u.jsonl", jl.String(), src("u.jsonl"))
	if a := again.Deploys[0]; a.BlastRadiusUsers != 6 || a.BlastRadiusRequests != d.BlastRadiusRequests {
		t.Errorf("JSON lines: %v users, %d requests; CSV 6, %d", a.BlastRadiusUsers, a.BlastRadiusRequests, d.BlastRadiusRequests)
	}
	// Users 0 and 11 only (11 on B): one user hurt, the bitset sized by
	// the largest user.
	var two strings.Builder
	two.WriteString("time,user\n")
	for i := range 1200 {
		fmt.Fprintf(&two, "%g,%d\n", float64(i)*0.05, []int{0, 11}[i%2])
	}
	sum, _ = runTraceScenario(t, "two.csv", two.String(), src("two.csv"))
	if d := sum.Deploys[0]; d.BlastRadiusUsers != 1 || *sum.Services["api"].Versions["v1"].Users != 2 {
		t.Errorf("two users: blast radius %v, v1 users %v; want 1 and 2", d.BlastRadiusUsers, *sum.Services["api"].Versions["v1"].Users)
	}
}

// TestReplayUsersStickySessions: a trace's users key a service's
// in-memory sessions (sticky by user) with no user_ids: ten users (0 to
// 9) taking turns over two instances leave ten sessions held, one per
// user, each on the instance its user sticks to — the store's user table
// is sized by the trace's largest user.
func TestReplayUsersStickySessions(t *testing.T) {
	var csv strings.Builder
	csv.WriteString("time,user\n")
	for i := range 200 {
		fmt.Fprintf(&csv, "%g,%d\n", float64(i)*0.1, i%10)
	}
	sum, _ := runTraceScenario(t, "s.csv", csv.String(), `
[sim]
duration = "20s"
window = "1s"

[[workload]]
name = "replay"
target = "api"
arrival = "trace"
trace = "s.csv"
service_time = { dist = "constant", value = "10ms" }

[[service]]
name = "api"
replicas = 2
concurrency = 100
sessions = { store = "memory" }
`)
	st := sum.Services["api"].Sessions
	if st == nil || st.HeldMax != 10 || st.Lost != 0 || sum.Requests.OK != 200 {
		t.Errorf("sessions %+v, %d ok; want 10 held, none lost, 200 ok", st, sum.Requests.OK)
	}
}

// TestReplayUserChanged: a trace whose users grow past those checked at
// parse time (the user space was sized by them) fails the run instead
// of reaching past the user bitsets.
func TestReplayUserChanged(t *testing.T) {
	_, err := runChangedTrace(t, "time,user\n0,1\n1,2\n", "time,user\n0,1\n1,50\n")
	if err == nil || !strings.Contains(err.Error(), "the trace changed since it was checked") {
		t.Errorf("error %v, want the trace changed", err)
	}
}
