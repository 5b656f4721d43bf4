package models

import (
	"fmt"
	"math"
	"reflect"
	"testing"

	"github.com/clustersim/clustersim/sim/dist"
	"github.com/clustersim/clustersim/sim/engine"
	"github.com/clustersim/clustersim/sim/policies/deploy"
	"github.com/clustersim/clustersim/sim/results"
)

func runIdentity(t *testing.T, cfg Config) (*recorder, *results.Summary) {
	t.Helper()
	c, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	rec := &recorder{}
	sum, err := c.Run(rec, nil)
	if err != nil {
		t.Fatal(err)
	}
	return rec, sum
}

// TestPickWeighted: the weighted draw maps u in [0, 1) onto the
// cumulative weights' intervals, half-open on the right.
func TestPickWeighted(t *testing.T) {
	cdf := cumulative([]float64{1, 2, 5}) // 1, 3, 8
	for _, tc := range []struct {
		u    float64
		want int
	}{{0, 0}, {0.124, 0}, {0.125, 1}, {0.374, 1}, {0.375, 2}, {0.9999, 2}} {
		if got := pickWeighted(cdf, tc.u); got != tc.want {
			t.Errorf("pickWeighted(%v) = %d, want %d", tc.u, got, tc.want)
		}
	}
}

// TestEndpointMixShares: each request asks for an endpoint drawn by
// weight, so over n requests endpoint i's share is binomial with p_i =
// w_i / Σw; the measured shares are within 4 standard deviations
// sqrt(p(1−p)/n) of weights 1:2:5.
func TestEndpointMixShares(t *testing.T) {
	cfg := Config{
		Name: "mix", Seed: 5, Duration: 2000 * engine.Second, Window: 10 * engine.Second,
		Services: []ServiceSpec{{Name: "api", Replicas: 4, Concurrency: 64, Queue: -1, Algorithm: "round_robin"}},
		Workloads: []WorkloadSpec{{Name: "w", Arrival: Poisson, Rate: RateCurve{{Rate: 100}},
			ServiceTime: dist.Spec{Kind: "exponential", Mean: 0.01},
			Endpoints:   []EndpointSpec{{Name: "a", Weight: 1}, {Name: "b", Weight: 2}, {Name: "c", Weight: 5}}}},
	}
	_, sum := runIdentity(t, cfg)
	eps := sum.Services["api"].Endpoints
	n := 0.0
	for _, e := range eps {
		n += e.RPS * sum.SimDurationS
	}
	if math.Abs(n-float64(sum.Requests.Total)) > 200 { // requests in flight at the end
		t.Fatalf("endpoints sent %v, workload total %d", n, sum.Requests.Total)
	}
	for name, w := range map[string]float64{"a": 1, "b": 2, "c": 5} {
		p := w / 8
		sd := math.Sqrt(p * (1 - p) / n)
		if got := eps[name].Share; math.Abs(got-p) > 4*sd {
			t.Errorf("endpoint %s share %.4f, want %.4f ± %.4f", name, got, p, 4*sd)
		}
	}
}

// TestEndpointLatencyMMc: two endpoints with the same exponential service
// time on one M/M/2 queue (λ = 160/s, μ = 100/s per server, a = 1.6,
// ρ = 0.8): by PASTA each endpoint's requests see the queue's stationary
// state, so each endpoint's mean sojourn is the M/M/c one, 1/μ +
// C(c, a)/(cμ − λ), with Erlang C C(2, 1.6) = 0.7111 (Kleinrock, Queueing
// Systems Vol. 1 (1975), §3.5): 10 + 0.7111/40 s = 27.78 ms.
func TestEndpointLatencyMMc(t *testing.T) {
	cfg := Config{
		Name: "mmc", Seed: 9, Duration: 10000 * engine.Second, Warmup: 100 * engine.Second, Window: 10 * engine.Second,
		Services: []ServiceSpec{{Name: "api", Replicas: 1, Concurrency: 2, Queue: -1, Algorithm: "round_robin"}},
		Workloads: []WorkloadSpec{{Name: "w", Arrival: Poisson, Rate: RateCurve{{Rate: 160}},
			ServiceTime: dist.Spec{Kind: "exponential", Mean: 0.01},
			Endpoints: []EndpointSpec{{Name: "read", Weight: 3},
				{Name: "write", Weight: 1, ServiceTime: dist.Spec{Kind: "exponential", Mean: 0.01}}}}},
	}
	_, sum := runIdentity(t, cfg)
	a, c := 1.6, 2.0
	// Erlang C for c = 2: C = a²/(2(1−ρ)) / (1 + a + a²/(2(1−ρ))).
	rho := a / c
	top := a * a / (2 * (1 - rho))
	erlangC := top / (1 + a + top)
	want := 1000 * (0.01 + erlangC/(c*100-160))
	if math.Abs(erlangC-0.7111) > 1e-4 {
		t.Fatalf("Erlang C = %.4f, want 0.7111", erlangC)
	}
	for _, name := range []string{"read", "write"} {
		near(t, name+" mean sojourn (ms)", sum.Services["api"].Endpoints[name].LatencyMs.Mean, want, 0.03)
	}
}

// TestEndpointOwnCalls: an endpoint's calls replace the service's, and
// its service time the workload's. With no queueing (a server per
// request) checkout's latency is its own Exp(30 ms) work plus the
// constant 150 ms payments call: mean 180 ms, median 150 + 30 ln 2 =
// 170.8 ms; browse makes no calls and takes the workload's Exp(20 ms):
// mean 20 ms. Only checkout's requests reach payments.
func TestEndpointOwnCalls(t *testing.T) {
	cfg := Config{
		Name: "calls", Seed: 2, Duration: 1000 * engine.Second, Window: 10 * engine.Second,
		Services: []ServiceSpec{
			{Name: "web", Replicas: 2, Concurrency: 1000, Queue: -1, Algorithm: "round_robin",
				Calls: []CallSpec{{Service: 1, Count: 1}}},
			{Name: "payments", Replicas: 2, Concurrency: 1000, Queue: -1, Algorithm: "round_robin",
				ServiceTime: dist.Spec{Kind: "constant", Mean: 0.15}},
		},
		Workloads: []WorkloadSpec{{Name: "w", Arrival: Poisson, Rate: RateCurve{{Rate: 50}},
			ServiceTime: dist.Spec{Kind: "exponential", Mean: 0.02},
			Endpoints: []EndpointSpec{{Name: "browse", Weight: 4, OwnCalls: true},
				{Name: "checkout", Weight: 1, ServiceTime: dist.Spec{Kind: "exponential", Mean: 0.03}}}}},
	}
	_, sum := runIdentity(t, cfg)
	eps := sum.Services["web"].Endpoints
	near(t, "browse mean (ms)", eps["browse"].LatencyMs.Mean, 20, 0.03)
	near(t, "checkout mean (ms)", eps["checkout"].LatencyMs.Mean, 180, 0.01)
	near(t, "checkout p50 (ms)", eps["checkout"].LatencyMs.P50, 150+30*math.Ln2, 0.01)
	if got, want := sum.Edges[0].Calls, eps["checkout"].Requests.OK; got != want {
		t.Errorf("web → payments calls %d, want checkout's %d", got, want)
	}
}

// TestSessionSteps: sessions of kinds 3:1 with steps (a, a, b) and
// (a, b, c) send, per four sessions, 7 a, 4 b and 1 c; every session
// completes (no failure), and started = completed + in progress.
func TestSessionSteps(t *testing.T) {
	cfg := Config{
		Name: "sessions", Seed: 4, Duration: 1000 * engine.Second, Window: 10 * engine.Second,
		Services: []ServiceSpec{{Name: "api", Replicas: 2, Concurrency: 100, Queue: -1, Algorithm: "round_robin"}},
		Workloads: []WorkloadSpec{{Name: "w", Arrival: Poisson, Rate: RateCurve{{Rate: 40}}, UserIDs: 1000,
			ServiceTime: dist.Spec{Kind: "exponential", Mean: 0.01},
			Endpoints:   []EndpointSpec{{Name: "a", Weight: 1}, {Name: "b", Weight: 1}, {Name: "c", Weight: 1}},
			Sessions: []SessionSpec{
				{Name: "x", Weight: 3, Steps: []int{0, 0, 1}, Think: dist.Spec{Kind: "exponential", Mean: 1}},
				{Name: "y", Weight: 1, Steps: []int{0, 1, 2}, Think: dist.Spec{Kind: "constant", Mean: 2}},
			}}},
	}
	_, sum := runIdentity(t, cfg)
	ss := sum.Workloads["w"].Sessions
	if ss.Started != ss.Completed+ss.InProgress || ss.Abandoned != 0 || ss.Started < 39000 {
		t.Errorf("sessions %+v", *ss)
	}
	eps := sum.Services["api"].Endpoints
	n := float64(sum.Requests.Total)
	for name, p := range map[string]float64{"a": 7.0 / 12, "b": 4.0 / 12, "c": 1.0 / 12} {
		// Sessions, not requests, are the independent draws: the share of
		// a is a ratio of sums over sessions; 6 sd of the binomial of
		// requests is a loose bound that still tells 7:4:1 from 1:1:1.
		sd := math.Sqrt(p * (1 - p) / n)
		if got := eps[name].Share; math.Abs(got-p) > 6*sd {
			t.Errorf("endpoint %s share %.4f, want %.4f", name, got, p)
		}
	}
}

// TestLostSessionsExact: eight closed-loop users with a constant 1 s
// think time all send their first request at t = 1 s, in id order; the
// sticky balancer places each user's first request round robin, so users
// 1, 3, 5, 7 stick to the first instance and 2, 4, 6, 8 to the second.
// The crash at 100.5 s takes the longest-serving instance (the first),
// holding 4 sessions: exactly 4 are lost, in the window ending at 110 s,
// and the held count goes 8 → 4 → 8 as those users are placed anew.
func TestLostSessionsExact(t *testing.T) {
	cfg := Config{
		Name: "lost", Seed: 1, Duration: 200 * engine.Second, Warmup: 10 * engine.Second, Window: 10 * engine.Second,
		Services: []ServiceSpec{{Name: "api", Replicas: 2, Concurrency: 4, Queue: -1, Algorithm: "sticky",
			Startup: dist.Spec{Kind: "constant", Mean: 20}, Sessions: &SessionStoreSpec{}}},
		Workloads: []WorkloadSpec{{Name: "w", Users: 8, Think: dist.Spec{Kind: "constant", Mean: 1},
			ServiceTime: dist.Spec{Kind: "constant", Mean: 0.01}}},
		Faults: []FaultSpec{{Name: "f", Service: 0, At: engine.Time(100500 * engine.Millisecond), Kind: FaultCrash, Instances: 1}},
	}
	rec, sum := runIdentity(t, cfg)
	if got := sum.Services["api"].Sessions.Lost; got != 4 {
		t.Errorf("lost %d sessions, want 4", got)
	}
	held, lost := rec.data["api.sessions_held"], rec.data["api.sessions_lost"]
	for i := range lost {
		wantLost := 0.0
		if i == 10 { // the window (100, 110]
			wantLost = 4
		}
		if lost[i] != wantLost || held[i] != 8 {
			t.Errorf("window %d: held %v lost %v, want 8 and %v", i, held[i], lost[i], wantLost)
		}
	}
}

// TestExternalStoreNoLoss: with an external session store, each request
// makes one call to the store (one edge call per request) and the crash
// loses nothing.
func TestExternalStoreNoLoss(t *testing.T) {
	cfg := Config{
		Name: "ext", Seed: 1, Duration: 200 * engine.Second, Warmup: 10 * engine.Second, Window: 10 * engine.Second,
		Services: []ServiceSpec{
			{Name: "api", Replicas: 2, Concurrency: 4, Queue: -1, Algorithm: "round_robin",
				Startup: dist.Spec{Kind: "constant", Mean: 20}, Sessions: &SessionStoreSpec{External: true, Service: 1}},
			{Name: "store", Replicas: 1, Concurrency: 100, Queue: -1, Algorithm: "round_robin",
				ServiceTime: dist.Spec{Kind: "constant", Mean: 0.002}},
		},
		Workloads: []WorkloadSpec{{Name: "w", Users: 8, Think: dist.Spec{Kind: "constant", Mean: 1},
			ServiceTime: dist.Spec{Kind: "constant", Mean: 0.01}}},
		Faults: []FaultSpec{{Name: "f", Service: 0, At: engine.Time(100500 * engine.Millisecond), Kind: FaultCrash, Instances: 1}},
	}
	_, sum := runIdentity(t, cfg)
	st := sum.Services["api"].Sessions
	if st.Store != "external" || st.Lost != 0 {
		t.Errorf("store %+v", *st)
	}
	if e := sum.Edges[0]; e.To != "store" || e.Calls != sum.Requests.OK {
		t.Errorf("edge %+v, want one call per request (%d)", e, sum.Requests.OK)
	}
	// 10 ms of work and the 2 ms read: 12 ms, but for the users who
	// queue while the fleet is one instance short after the crash.
	near(t, "median latency (ms)", sum.LatencyMs.P50, 12, 0.01)
}

// TestABStickyByUser: an A/B deploy at 50% to a version that fails every
// request, with twelve closed-loop users. A/B hashes the user id
// (deploy.ABBucket, itself checked against its definition), which sends
// users 3, 4, 5, 7, 10 and 11 (ids from 0) to B: exactly those six users
// are hurt. Without stickiness (a key per request) each user's requests
// would split and all twelve would be. blast_radius_users counts them
// exactly; the workload without user ids has it null.
func TestABStickyByUser(t *testing.T) {
	var b []uint64
	for u := range uint64(12) {
		if deploy.ABBucket(u, 0.5) == 1 {
			b = append(b, u)
		}
	}
	if want := []uint64{3, 4, 5, 7, 10, 11}; !reflect.DeepEqual(b, want) {
		t.Fatalf("users on B %v, want %v", b, want)
	}
	cfg := deployConfig(4, 0, 6*engine.Minute, twoVersions(VersionSpec{ErrorRate: 1}),
		DeploySpec{At: engine.Time(time2m), Version: 1, Strategy: AB, Steps: []CanaryStep{{Weight: 50, Pause: 20 * engine.Minute}},
			Judge: deploy.DefaultJudge()})
	cfg.Workloads[0] = WorkloadSpec{Name: "w", Users: 12, Think: dist.Spec{Kind: "constant", Mean: 0.5},
		ServiceTime: dist.Spec{Kind: "exponential", Mean: 0.02}}
	_, sum := runIdentity(t, cfg)
	d := sum.Deploys[0]
	if d.BlastRadiusUsers != 6 {
		t.Errorf("blast radius %v users, want 6 (%d requests)", d.BlastRadiusUsers, d.BlastRadiusRequests)
	}
	// v1 answered every user (B's users too, before B was up), v2 only B's.
	if v := sum.Services["api"].Versions; *v["v1"].Users != 12 || *v["v2"].Users != 6 {
		t.Errorf("users answered: v1 %v, v2 %v; want 12 and 6", *v["v1"].Users, *v["v2"].Users)
	}
	// B users fail every request after B is up (about 4 min × 2/s × 6),
	// A users never: the failures are B's requests.
	if d.BlastRadiusRequests < 2000 || sum.Requests.Failed != d.BlastRadiusRequests {
		t.Errorf("blast %d requests, %d failed", d.BlastRadiusRequests, sum.Requests.Failed)
	}
	// The same deploy with open-loop requests carrying no user: null.
	cfg.Workloads[0] = WorkloadSpec{Name: "w", Arrival: Poisson, Rate: RateCurve{{Rate: 20}},
		ServiceTime: dist.Spec{Kind: "exponential", Mean: 0.02}}
	_, sum = runIdentity(t, cfg)
	if d := sum.Deploys[0]; !math.IsNaN(d.BlastRadiusUsers) || d.BlastRadiusRequests == 0 || sum.Services["api"].Versions["v2"].Users != nil {
		t.Errorf("without user ids: %v users, %d requests", d.BlastRadiusUsers, d.BlastRadiusRequests)
	}
}

// TestIdentityOffAllocatesNothing: a run without users, endpoints or
// sessions carries no identity beside its requests and no extra columns.
func TestIdentityOffAllocatesNothing(t *testing.T) {
	cfg := deployConfig(2, 10, engine.Minute, nil, DeploySpec{})
	cfg.Deploys = nil
	c, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	if c.pool.ids.on || len(c.routes) != 0 || len(c.stores) != 0 {
		t.Error("identity state allocated without users, endpoints or sessions")
	}
	for _, col := range c.columns() {
		for _, ch := range col {
			if ch == '/' {
				t.Errorf("column %q without endpoints", col)
			}
		}
	}
}

// TestIdentityDeterministic: the same seed gives the same figures.
func TestIdentityDeterministic(t *testing.T) {
	mk := func() Config {
		return Config{
			Name: "det", Seed: 8, Duration: 300 * engine.Second, Window: 10 * engine.Second,
			Services: []ServiceSpec{{Name: "api", Replicas: 3, Concurrency: 2, Queue: -1, Algorithm: "sticky",
				Sessions: &SessionStoreSpec{}}},
			Workloads: []WorkloadSpec{{Name: "w", Arrival: Poisson, Rate: RateCurve{{Rate: 30}}, UserIDs: 500,
				ServiceTime: dist.Spec{Kind: "exponential", Mean: 0.02},
				Endpoints:   []EndpointSpec{{Name: "a", Weight: 1}, {Name: "b", Weight: 1, ServiceTime: dist.Spec{Kind: "exponential", Mean: 0.05}}},
				Sessions:    []SessionSpec{{Name: "s", Weight: 1, Steps: []int{0, 1, 0}, Think: dist.Spec{Kind: "exponential", Mean: 1}}}}},
			Faults: []FaultSpec{{Name: "f", Service: 0, At: 150 * engine.Time(engine.Second), Kind: FaultCrash, Instances: 1}},
		}
	}
	r1, s1 := runIdentity(t, mk())
	r2, s2 := runIdentity(t, mk())
	// fmt, not reflect.DeepEqual: a missing figure is NaN, unequal to itself.
	if fmt.Sprint(r1.data) != fmt.Sprint(r2.data) || fmt.Sprint(s1.Services["api"].Endpoints) != fmt.Sprint(s2.Services["api"].Endpoints) ||
		*s1.Services["api"].Sessions != *s2.Services["api"].Sessions || s1.Events != s2.Events {
		t.Error("two runs of one seed differ")
	}
	if s1.Services["api"].Sessions.Lost == 0 {
		t.Error("the crash lost no session")
	}
}

// near checks got against want within a relative tolerance.
func near(t *testing.T, what string, got, want, rel float64) {
	t.Helper()
	if math.Abs(got-want)/want > rel {
		t.Errorf("%s = %.5g, want %.5g within %.1f%%", what, got, want, rel*100)
	} else {
		t.Logf("%s = %.5g, want %.5g (off by %.2f%%)", what, got, want, 100*math.Abs(got-want)/want)
	}
}
