package models

import (
	"math"
	"reflect"
	"testing"

	"github.com/clustersim/clustersim/sim/dist"
	"github.com/clustersim/clustersim/sim/engine"
	"github.com/clustersim/clustersim/sim/policies/deploy"
)

// deployConfig is a fleet of replicas instances (4 slots each, 20 s
// start-up, readiness probed every 5 s from container start: an instance
// created at t is ready at t+20 s) serving Poisson traffic at rate with
// exponential 20 ms service times, running versions, with one deploy.
func deployConfig(replicas int, rate float64, dur engine.Duration, versions []VersionSpec, d DeploySpec) Config {
	return Config{
		Name: "deploy", Seed: 11, Duration: dur, Window: 10 * engine.Second,
		Services: []ServiceSpec{{
			Name: "api", Replicas: replicas, Concurrency: 4, Queue: -1, Algorithm: "round_robin",
			Startup:   dist.Spec{Kind: "constant", Mean: 20},
			Readiness: Probe{Period: 5 * engine.Second, SuccessThreshold: 1, FailureThreshold: 3},
			Grace:     30 * engine.Second, Versions: versions,
		}},
		Workloads: []WorkloadSpec{{Name: "w", Arrival: Poisson, Rate: RateCurve{{Rate: rate}},
			ServiceTime: dist.Spec{Kind: "exponential", Mean: 0.02}}},
		Deploys: []DeploySpec{d},
	}
}

func twoVersions(bad VersionSpec) []VersionSpec {
	bad.Name = "v2"
	return []VersionSpec{{Name: "v1"}, bad}
}

func mustPercent(s string) deploy.IntOrPercent {
	v, err := deploy.ParseIntOrPercent(s)
	if err != nil {
		panic(err)
	}
	return v
}

// TestRollingInvariantsEveryEvent runs rolling updates event by event and
// checks, after every event, Kubernetes' guarantees as the issue states
// them: instances counted by the controller (pending, starting, ready;
// draining excluded) never exceed replicas + max_surge, and available
// instances (ready for min_ready) never drop below replicas -
// max_unavailable. Counts are taken here from the instance states, not
// from the controller's own fleet(). Since every instance of a wave starts
// at the same instant and takes exactly 20 s, the simulated rollout is the
// idealised one worked by hand in policies/deploy TestRollingPlan: the same
// fleet after each instant and the same number of waves.
func TestRollingInvariantsEveryEvent(t *testing.T) {
	for _, tc := range []struct {
		replicas    int
		surge, unav string
		minReady    engine.Duration
		steps       []deploy.Step
		waves       int
	}{
		{10, "25%", "25%", 0, []deploy.Step{{New: 5, Old: 8}, {New: 10, Old: 3}, {New: 10, Old: 0}}, 2},
		{4, "25%", "25%", 30 * engine.Second, []deploy.Step{{New: 2, Old: 3}, {New: 4, Old: 1}, {New: 4, Old: 0}}, 2},
		{3, "1", "0", 0, []deploy.Step{{New: 1, Old: 3}, {New: 2, Old: 2}, {New: 3, Old: 1}, {New: 3, Old: 0}}, 3},
		{5, "0", "1", 0, []deploy.Step{{New: 1, Old: 4}, {New: 2, Old: 3}, {New: 3, Old: 2}, {New: 4, Old: 1}, {New: 5, Old: 0}}, 5},
		{10, "50%", "0", 10 * engine.Second, []deploy.Step{{New: 5, Old: 10}, {New: 10, Old: 5}, {New: 10, Old: 0}}, 2},
		{1, "25%", "25%", 0, []deploy.Step{{New: 1, Old: 1}, {New: 1, Old: 0}}, 1},
		{2, "0%", "1%", 0, []deploy.Step{{New: 1, Old: 1}, {New: 2, Old: 0}}, 2},
	} {
		name := tc.surge + "/" + tc.unav
		cfg := deployConfig(tc.replicas, 50*float64(tc.replicas), 20*engine.Minute, twoVersions(VersionSpec{}),
			DeploySpec{At: engine.Time(time2m), Version: 1, Strategy: Rolling, MaxSurge: mustPercent(tc.surge),
				MaxUnavailable: mustPercent(tc.unav), MinReady: tc.minReady, ProgressDeadline: 10 * engine.Minute})
		c, err := New(cfg)
		if err != nil {
			t.Fatal(err)
		}
		if err := c.begin(nil, nil); err != nil {
			t.Fatal(err)
		}
		surge, unav := deploy.ResolveFenceposts(mustPercent(tc.surge), mustPercent(tc.unav), tc.replicas)
		s := c.services[0]
		var traj []deploy.Step
		var trajAt []engine.Time
		waves, lastWave, prevNew := 0, engine.Time(-1), 0
		for c.sim.Step() && c.sim.Now() <= c.horizon {
			now := c.sim.Now()
			counted, avail, newLive, oldLive := 0, 0, 0, 0
			for _, in := range s.instances {
				switch in.state {
				case Pending, Starting, Unready, Ready:
					counted++
					if in.version == 1 {
						newLive++
					} else {
						oldLive++
					}
				}
				if in.state == Ready && now-in.changed >= engine.Time(tc.minReady) {
					avail++
				}
			}
			if counted > tc.replicas+surge {
				t.Fatalf("(%d, %s) at %v: %d counted > %d", tc.replicas, name, now, counted, tc.replicas+surge)
			}
			if avail < tc.replicas-unav {
				t.Fatalf("(%d, %s) at %v: %d available < %d", tc.replicas, name, now, avail, tc.replicas-unav)
			}
			if newLive > prevNew && now != lastWave {
				waves++
				lastWave = now
			}
			prevNew = newLive
			st := deploy.Step{New: newLive, Old: oldLive}
			switch {
			case now < engine.Time(time2m):
			case len(traj) > 0 && trajAt[len(traj)-1] == now:
				traj[len(traj)-1] = st
			case len(traj) == 0 || traj[len(traj)-1] != st:
				traj, trajAt = append(traj, st), append(trajAt, now)
			}
		}
		if !reflect.DeepEqual(traj, tc.steps) || waves != tc.waves {
			t.Errorf("(%d, %s): fleet %v in %d waves, want %v in %d", tc.replicas, name, traj, waves, tc.steps, tc.waves)
		}
		d := c.deploys[0]
		if d.outcome != "complete" || d.maxCounted > tc.replicas+surge || d.minAvail < tc.replicas-unav {
			t.Errorf("(%d, %s): outcome %q, max counted %d, min available %d", tc.replicas, name, d.outcome, d.maxCounted, d.minAvail)
		}
	}
}

const time2m = 2 * engine.Minute

// run runs a configuration to its end.
func runDeploy(t *testing.T, cfg Config) *Cluster {
	t.Helper()
	c, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.Run(nil, nil); err != nil {
		t.Fatal(err)
	}
	return c
}

// readyOf counts a service's ready instances of version v.
func readyOf(s *Service, v uint8) int {
	n := 0
	for _, in := range s.instances {
		if in.state == Ready && in.version == v {
			n++
		}
	}
	return n
}

// TestProgressDeadline: a version whose instances never become ready.
// The rolling update (10, 25%, 25%) creates 5 new instances and drains 2
// old at 2m (its last progress), then nothing changes: after
// progress_deadline = 3m, at 5m, it fails (Kubernetes'
// ProgressDeadlineExceeded). Without rollback the fleet stays as it is
// (8 old ready); with rollback = true the controller rolls back to v1,
// deleting the 5 stuck instances and restoring 10 v1 instances.
func TestProgressDeadline(t *testing.T) {
	for _, rollback := range []bool{false, true} {
		cfg := deployConfig(10, 200, 10*engine.Minute, twoVersions(VersionSpec{NeverReady: true}),
			DeploySpec{At: engine.Time(time2m), Version: 1, Strategy: Rolling, MaxSurge: mustPercent("25%"),
				MaxUnavailable: mustPercent("25%"), ProgressDeadline: 3 * engine.Minute, Rollback: rollback})
		c := runDeploy(t, cfg)
		d, s := c.deploys[0], c.services[0]
		want, wantV1 := "failed", 8
		if rollback {
			want, wantV1 = "rolled_back", 10
		}
		if d.outcome != want || d.detected != engine.Time(5*engine.Minute) || readyOf(s, 0) != wantV1 {
			t.Errorf("rollback=%v: outcome %q detected %v, v1 ready %d; want %q at 5m, %d", rollback, d.outcome, d.detected, readyOf(s, 0), want, wantV1)
		}
		if rollback && (s.live() != 10 || s.spawn != 0) {
			t.Errorf("after rollback: %d live, spawning v%d", s.live(), s.spawn+1)
		}
	}
}

// TestCanaryAbortAndPromotion: a canary of weight 10% on 10 replicas is 1
// instance (created at 2m, ready at 2m20s, then the pause of 3m: judged at
// 5m20s). A version failing 10% of its requests is judged High on error
// rate (about 300 canary requests × 10% against a clean baseline: z ≈ 17)
// and aborted: no v2 instance remains and v1 is back to 10. One 100 ms
// slower has its p99 judged High (about 190 ms against 92 ms, the p99 of
// 20 ms exponential service: ratio over 1.2), and its requests over the
// 100 ms SLO are its blast radius. The 2-minute progress deadline does
// not cut the 3-minute pauses short: pausing is not a lack of progress. A good version
// passes both steps (10%, then 50% = 5 instances ready at 5m40s, judged
// at 8m40s), is promoted (10 instances, ready at 9m) and v1 is retired.
func TestCanaryAbortAndPromotion(t *testing.T) {
	steps := []CanaryStep{{Weight: 10, Pause: 3 * engine.Minute}, {Weight: 50, Pause: 3 * engine.Minute}}
	for _, tc := range []struct {
		name     string
		v2       VersionSpec
		outcome  string
		analyses int
		end      engine.Duration
		v1, v2r  int
	}{
		{"bad", VersionSpec{ErrorRate: 0.1}, "rolled_back", 1, 5*engine.Minute + 20*engine.Second, 10, 0},
		{"slow", VersionSpec{AddedLatency: 100 * engine.Millisecond}, "rolled_back", 1, 5*engine.Minute + 20*engine.Second, 10, 0},
		{"good", VersionSpec{}, "complete", 2, 9 * engine.Minute, 0, 10},
	} {
		cfg := deployConfig(10, 100, 12*engine.Minute, twoVersions(tc.v2),
			DeploySpec{At: engine.Time(time2m), Version: 1, Strategy: Canary, Steps: steps, Judge: deploy.DefaultJudge(),
				SLO: 100 * engine.Millisecond, ProgressDeadline: 2 * engine.Minute})
		c := runDeploy(t, cfg)
		d, s := c.deploys[0], c.services[0]
		if d.outcome != tc.outcome || len(d.analyses) != tc.analyses || d.ended != engine.Time(tc.end) {
			t.Errorf("%s: outcome %q after %d analyses at %v, want %q after %d at %v (%+v)", tc.name, d.outcome, len(d.analyses), d.ended, tc.outcome, tc.analyses, tc.end, d.analyses)
		}
		if got1, got2 := readyOf(s, 0), readyOf(s, 1); got1 != tc.v1 || got2 != tc.v2r {
			t.Errorf("%s: ready v1 %d v2 %d at the end, want %d %d", tc.name, got1, got2, tc.v1, tc.v2r)
		}
		if tc.outcome == "rolled_back" && (d.detected != d.ended || d.back != d.ended || d.blast == 0) {
			t.Errorf("%s: detected %v, back %v, blast %d", tc.name, d.detected, d.back, d.blast)
		}
	}
}

// TestBlueGreen: green (10 instances) is created at 2m and ready at 2m20s:
// traffic switches then, at once. With a 4-minute rollback window judged
// every minute, a bad green is caught at the first verdict (3m20s) and
// traffic switches back the same instant; a good one runs the window and
// blue is retired at 6m20s. While both fleets run the service pays for
// 20 instances: extra instance-seconds = 10 × (20 s + 240 s) = 2600 for
// the good release, 10 × 80 s = 800 for the bad one.
func TestBlueGreen(t *testing.T) {
	for _, tc := range []struct {
		name    string
		v2      VersionSpec
		outcome string
		end     engine.Duration
		extra   float64
	}{
		{"bad", VersionSpec{ErrorRate: 0.1}, "rolled_back", 3*engine.Minute + 20*engine.Second, 800},
		{"good", VersionSpec{}, "complete", 6*engine.Minute + 20*engine.Second, 2600},
	} {
		cfg := deployConfig(10, 100, 10*engine.Minute, twoVersions(tc.v2),
			DeploySpec{At: engine.Time(time2m), Version: 1, Strategy: BlueGreen, RollbackWindow: 4 * engine.Minute,
				Analysis: engine.Minute, Judge: deploy.DefaultJudge()})
		c, err := New(cfg)
		if err != nil {
			t.Fatal(err)
		}
		if err := c.begin(nil, nil); err != nil {
			t.Fatal(err)
		}
		s := c.services[0]
		switched := engine.Time(-1)
		for c.sim.Step() && c.sim.Now() <= c.horizon {
			onlyGreen := len(s.rotation) > 0
			for _, idx := range s.rotation {
				onlyGreen = onlyGreen && s.instances[idx].version == 1
			}
			if onlyGreen && switched < 0 {
				switched = c.sim.Now()
			}
		}
		d := c.deploys[0]
		if switched != engine.Time(2*engine.Minute+20*engine.Second) {
			t.Errorf("%s: switched at %v, want 2m20s", tc.name, switched)
		}
		if d.outcome != tc.outcome || d.ended != engine.Time(tc.end) || math.Abs(d.extraInt/1e9-tc.extra) > 1e-6 {
			t.Errorf("%s: %q at %v, extra %v s; want %q at %v, %v s", tc.name, d.outcome, d.ended, d.extraInt/1e9, tc.outcome, tc.end, tc.extra)
		}
		for _, idx := range s.rotation {
			if want := uint8(1); tc.outcome == "rolled_back" && s.instances[idx].version == want {
				t.Errorf("%s: green still in the balancer after the rollback", tc.name)
			}
		}
	}
}

// recorder keeps the time series by column name.
type recorder struct {
	cols []string
	data map[string][]float64
}

func (r *recorder) Header(cols []string) error {
	r.cols, r.data = cols, map[string][]float64{}
	return nil
}

func (r *recorder) Row(_ float64, v []float64) error {
	for j, c := range r.cols {
		r.data[c] = append(r.data[c], v[j])
	}
	return nil
}

// TestShadowDoublesLoad: mirroring 100% of requests to a full shadow fleet
// doubles the work the service does: in every metrics window inside the
// step the shadow version receives exactly as many requests as the
// serving one (each arrival is served once and mirrored once), and the
// requests in service (in_flight, Little's L = λW) double. Clients see
// none of it: a shadow failing half its requests changes no client count,
// is judged and discarded.
func TestShadowDoublesLoad(t *testing.T) {
	for _, tc := range []struct {
		name    string
		v2      VersionSpec
		outcome string
	}{
		{"good", VersionSpec{}, "complete"},
		{"bad", VersionSpec{ErrorRate: 0.5}, "rolled_back"},
	} {
		cfg := deployConfig(10, 200, 10*engine.Minute, twoVersions(tc.v2),
			DeploySpec{At: engine.Time(time2m), Version: 1, Strategy: Shadow, Steps: []CanaryStep{{Weight: 100, Pause: 5 * engine.Minute}},
				Judge: deploy.DefaultJudge()})
		c, err := New(cfg)
		if err != nil {
			t.Fatal(err)
		}
		rec := &recorder{}
		sum, err := c.Run(rec, nil)
		if err != nil {
			t.Fatal(err)
		}
		v1, v2, inflight := rec.data["api@v1.rps"], rec.data["api@v2.rps"], rec.data["api.in_flight"]
		// The shadow fleet is ready at 2m20s and the step runs to 7m20s:
		// windows 14..43 (ending 2m30s .. 7m20s) lie inside it.
		before, during := 0.0, 0.0
		for i := 14; i < 44; i++ {
			if v1[i] != v2[i] || v1[i] == 0 {
				t.Fatalf("%s: window %d: v1 %v req/s, v2 %v", tc.name, i, v1[i], v2[i])
			}
			during += inflight[i]
		}
		for i := range 12 { // windows ending 10s .. 2m
			before += inflight[i]
		}
		if ratio := (during / 30) / (before / 12); tc.name == "good" && math.Abs(ratio-2) > 0.2 {
			t.Errorf("%s: in-flight requests during/before the shadow = %.3f, want 2", tc.name, ratio)
		}
		d := sum.Deploys[0]
		if sum.Requests.Failed != 0 || d.BlastRadiusRequests != 0 || d.Outcome != tc.outcome {
			t.Errorf("%s: clients saw %d failures; deploy %+v", tc.name, sum.Requests.Failed, d)
		}
		// Every request arriving during the step is mirrored once.
		if d.ShadowRequests < 200*290 || d.ShadowRequests > 200*310 {
			t.Errorf("%s: %d shadow requests, want about 200/s × 300 s", tc.name, d.ShadowRequests)
		}
	}
}

// TestABSplit: under A/B routing each request goes to the side its key
// hashes to, so with weight 30 the new version gets 30% of requests (a
// binomial share: over ~60,000 requests the standard deviation is 0.2%),
// even though it has 3 of 10 instances chosen by round robin otherwise.
func TestABSplit(t *testing.T) {
	cfg := deployConfig(10, 200, 10*engine.Minute, twoVersions(VersionSpec{}),
		DeploySpec{At: engine.Time(time2m), Version: 1, Strategy: AB, Steps: []CanaryStep{{Weight: 30, Pause: 5 * engine.Minute}},
			Judge: deploy.DefaultJudge()})
	c, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	rec := &recorder{}
	if _, err := c.Run(rec, nil); err != nil {
		t.Fatal(err)
	}
	a, b := 0.0, 0.0
	for i := 14; i < 44; i++ {
		a += rec.data["api@v1.rps"][i]
		b += rec.data["api@v2.rps"][i]
	}
	if share := b / (a + b); math.Abs(share-0.3) > 0.01 {
		t.Errorf("B share %.4f, want 0.30", share)
	}
}

// TestVersionColumnsOnlyWithVersions: a service without versions gets no
// SERVICE@VERSION columns, one with versions gets them beside its own.
func TestVersionColumnsOnlyWithVersions(t *testing.T) {
	cfg := deployConfig(2, 10, engine.Minute, nil, DeploySpec{})
	cfg.Deploys = nil
	c, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	for _, col := range c.columns() {
		for _, ch := range col {
			if ch == '@' {
				t.Errorf("column %q without versions", col)
			}
		}
	}
	if c.pool.flags.on {
		t.Error("request flags allocated without versions")
	}
	cfg = deployConfig(2, 10, engine.Minute, twoVersions(VersionSpec{}), DeploySpec{Version: 1, At: engine.Time(engine.Second)})
	c, err = New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]bool{"api@v1.replicas_ready": true, "api@v2.replicas_ready": true, "api.replicas_ready": true, "api.replicas_starting": true, "api.replicas_pending": true}
	for _, col := range c.columns() {
		delete(want, col)
	}
	if len(want) > 0 {
		t.Errorf("missing columns %v", want)
	}
}

// TestVersionErrorRate: a version answering a share p of its requests with
// an error fails that share of client requests (binomial: 60,000 requests
// at p = 0.05, sd 0.09%), at once: failed requests take no service time.
func TestVersionErrorRate(t *testing.T) {
	cfg := deployConfig(5, 100, 10*engine.Minute, []VersionSpec{{Name: "v1", ErrorRate: 0.05}}, DeploySpec{})
	cfg.Deploys = nil
	c := runDeploy(t, cfg)
	sum := c.summary()
	got := float64(sum.Requests.Failed) / float64(sum.Requests.Total)
	if math.Abs(got-0.05) > 0.004 {
		t.Errorf("failed share %.4f, want 0.05", got)
	}
	v := sum.Services["api"].Versions["v1"]
	if v.Requests.Failed != sum.Requests.Failed || v.Requests.OK != sum.Requests.OK {
		t.Errorf("version counts %+v, service %+v", v.Requests, sum.Requests)
	}
}

// TestChaosMonkey: kills are a Poisson process, so over 100 hours at 6
// kills per hour their count is Poisson(600): within 4 standard
// deviations (sqrt(600) = 24.5) of 600. A killed instance is replaced at
// once and the replacement is ready exactly 20 s later (start-up 20 s,
// probed every 5 s from its start): a lone kill is recovered from in 20 s.
// Kills that overlap trade time between them but not in total: kill 1 at
// t1 and kill 2 at t2 < t1+20 (ready count before: R and R-1) recover at
// t2+20 and t1+20, 40 s together. So the mean time to recovery is
// exactly 20 s.
func TestChaosMonkey(t *testing.T) {
	cfg := deployConfig(10, 1, 100*engine.Hour, nil, DeploySpec{})
	cfg.Deploys = nil
	cfg.Window = engine.Hour
	cfg.Services[0].ChaosMonkey = ChaosMonkeySpec{Rate: 6.0 / 3600, To: engine.End}
	c := runDeploy(t, cfg)
	m := c.services[0].monkeySummary()
	if math.Abs(float64(m.Kills)-600) > 4*24.5 {
		t.Errorf("%d kills, want 600 ± 98", m.Kills)
	}
	if math.Abs(m.MTTRS-20) > 1e-9 || m.Recovered != m.Kills {
		t.Errorf("MTTR %.6f s over %d of %d kills, want 20 s", m.MTTRS, m.Recovered, m.Kills)
	}
	if s := c.services[0]; s.ready != 10 {
		t.Errorf("%d ready at the end", s.ready)
	}
}
