package models

import (
	"math"
	"testing"

	"github.com/clustersim/clustersim/sim/dist"
	"github.com/clustersim/clustersim/sim/engine"
)

// spotConfig is a fleet of replicas instances serving rate jobs per second
// lasting job seconds each (constant), interrupted at rate spot.
func spotConfig(replicas int, rate, job float64, dur engine.Duration, sp SpotSpec) Config {
	cfg := deployConfig(replicas, rate, dur, nil, DeploySpec{})
	cfg.Deploys = nil
	cfg.Services[0].Concurrency = 1000
	cfg.Services[0].Spot = sp
	cfg.Workloads[0].ServiceTime = dist.Spec{Kind: "constant", Mean: job}
	return cfg
}

// TestSpotInterruptionCount: interruptions are a Poisson process of the
// configured rate over the fleet, so over 100 h at 12 an hour their count
// is Poisson(1,200), standard deviation 34.6; the test allows 4 of them.
// Short requests (20 ms) let each interrupted instance leave at once, so
// no request is lost and the fleet is back to 10 at the end.
func TestSpotInterruptionCount(t *testing.T) {
	cfg := spotConfig(10, 1, 0.02, 100*engine.Hour, SpotSpec{Rate: 12.0 / 3600, To: engine.End})
	cfg.Window = engine.Hour
	c := runDeploy(t, cfg)
	sp := c.services[0].spotSummary()
	if math.Abs(float64(sp.Interruptions)-1200) > 4*34.64 {
		t.Errorf("%d interruptions, want 1200 ± 139", sp.Interruptions)
	}
	if sp.RequestsLost != 0 {
		t.Errorf("%d requests lost, want 0: every 20 ms request finishes within the 2 min notice", sp.RequestsLost)
	}
	if s := c.services[0]; s.ready != 10 {
		t.Errorf("%d ready at the end, want 10", s.ready)
	}
}

// TestSpotNotice follows every interruption event by event (EC2's
// two-minute warning, EC2 User Guide "Spot Instance interruption
// notices"): at the notice the instance leaves the balancer (Draining)
// and the fleet starts a replacement (live instances stay at the
// replicas); jobs of an hour, longer than the notice, are all still on
// the instance when it dies exactly 2 min after the notice, so the
// requests lost are the sum of its busy slots at the notices; jobs of
// 10 s all finish and the instance leaves when its last one does, within
// 10 s.
func TestSpotNotice(t *testing.T) {
	for _, tc := range []struct {
		job      float64
		wantLost bool
	}{{3600, true}, {10, false}} {
		cfg := spotConfig(3, 0.5, tc.job, 30*engine.Minute, SpotSpec{Rate: 1.0 / 60, From: engine.Time(5 * engine.Minute), To: engine.Time(20 * engine.Minute)})
		c, err := New(cfg)
		if err != nil {
			t.Fatal(err)
		}
		if err := c.begin(nil, nil); err != nil {
			t.Fatal(err)
		}
		s := c.services[0]
		type victim struct {
			idx  int32
			gen  uint32
			at   engine.Time
			busy int64
		}
		var victims []victim
		var wantLost int64
		notices := int64(0)
		type was struct {
			gen  uint32
			busy int64
		}
		var ready []was // before each event: the generation and busy slots of each Ready instance, gen 0 for none
		for {
			ready = ready[:0]
			for _, in := range s.instances {
				w := was{}
				if in.state == Ready {
					w = was{in.gen + 1, int64(in.busy)}
				}
				ready = append(ready, w)
			}
			if !c.sim.Step() || c.sim.Now() > c.horizon {
				break
			}
			now := c.sim.Now()
			if s.spot.notices != notices {
				notices = s.spot.notices
				for i, w := range ready {
					in := s.instances[i]
					if w.gen != 0 && (in.gen+1 != w.gen || in.state != Ready) {
						victims = append(victims, victim{int32(i), w.gen - 1, now, w.busy})
						wantLost += w.busy
					}
				}
				if len(victims) != int(notices) {
					t.Fatalf("job %vs: %d notices, %d instances draining since %v", tc.job, notices, len(victims), now)
				}
				if s.live() != 3 {
					t.Fatalf("job %vs at %v: %d live instances after the notice, want 3 (a replacement started)", tc.job, now, s.live())
				}
			}
			for _, v := range victims {
				in := s.instances[v.idx]
				gone := in.gen != v.gen || in.state == Terminated
				switch {
				case now < v.at.Add(SpotWarning) && !gone && in.state != Draining:
					t.Fatalf("job %vs at %v: victim %d is %v, want draining", tc.job, now, v.idx, in.state)
				case now > v.at.Add(SpotWarning) && !gone:
					t.Fatalf("job %vs at %v: victim %d noticed at %v outlived its 2 min", tc.job, now, v.idx, v.at)
				case !tc.wantLost && now > v.at.Add(10*engine.Second) && !gone:
					t.Fatalf("job %vs at %v: victim %d idle but not gone", tc.job, now, v.idx)
				}
			}
		}
		if notices < 5 {
			t.Fatalf("job %vs: only %d notices in 15 min at 1 a minute", tc.job, notices)
		}
		if !tc.wantLost {
			wantLost = 0
		}
		if s.spot.lost != wantLost {
			t.Errorf("job %vs: %d requests lost, want %d", tc.job, s.spot.lost, wantLost)
		}
	}
}

// TestSpotPrice: with no interruption, a spot fleet costs the on-demand
// bill × (1 − discount), a reserved one likewise: 2 instances × 1 h ×
// $0.096 = $0.192 on demand, × 0.3 = $0.0576 on spot, × 0.625 = $0.12 on
// a reservation (hand arithmetic).
func TestSpotPrice(t *testing.T) {
	for _, tc := range []struct {
		factor, want float64
	}{{0, 0.192}, {1, 0.192}, {0.3, 0.0576}, {0.625, 0.12}} {
		cfg := spotConfig(2, 1, 0.02, engine.Hour, SpotSpec{})
		cfg.Services[0].CostPerHour = 0.096
		cfg.Services[0].PriceFactor = tc.factor
		c, err := New(cfg)
		if err != nil {
			t.Fatal(err)
		}
		sum, err := c.Run(nil, nil)
		if err != nil {
			t.Fatal(err)
		}
		if got := sum.Cost.TotalUSD; math.Abs(got-tc.want) > 1e-9 {
			t.Errorf("factor %v: $%v, want $%v", tc.factor, got, tc.want)
		}
	}
}

// TestKeepAliveDistNoOverdue follows a function whose keep-alive is drawn
// per idle period (uniform 1 to 30 s) under Poisson traffic event by
// event: deadlines are then out of idle order, and after every event no
// idle environment has outlived its own draw, while environments do get
// reclaimed and reused.
func TestKeepAliveDistNoOverdue(t *testing.T) {
	fn := DefaultFunctionSpec()
	fn.KeepAliveDist = dist.Spec{Kind: "uniform", Min: 1, Max: 30}
	cfg := Config{Name: "fn", Seed: 3, Duration: 20 * engine.Minute, Window: 10 * engine.Second,
		Services: []ServiceSpec{{Name: "fn", Concurrency: 1, Queue: -1, Algorithm: "round_robin",
			Memory: 0.5, Platform: PlatformFunction, Function: &fn}},
		Workloads: []WorkloadSpec{{Name: "w", Arrival: Poisson, Rate: RateCurve{{Rate: 5}},
			ServiceTime: dist.Spec{Kind: "exponential", Mean: 1}}}}
	c, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	if err := c.begin(nil, nil); err != nil {
		t.Fatal(err)
	}
	f := c.services[0].fn
	reclaimed := 0
	for c.sim.Step() && c.sim.Now() <= c.horizon {
		now := c.sim.Now()
		for i := range f.envs {
			env := &f.envs[i]
			if env.alive && env.busy == 0 && env.reclaimBy < now {
				t.Fatalf("at %v: environment %d idle past its keep-alive (%v)", now, i, env.reclaimBy)
			}
		}
		reclaimed = max(reclaimed, len(f.recycled))
	}
	if reclaimed == 0 || f.total.invocations == 0 {
		t.Fatalf("nothing reclaimed (%d) or invoked", reclaimed)
	}
}
