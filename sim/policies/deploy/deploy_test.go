package deploy

import (
	"math"
	"reflect"
	"testing"
)

func iop(s string) IntOrPercent {
	v, err := ParseIntOrPercent(s)
	if err != nil {
		panic(err)
	}
	return v
}

// TestRollingPlan: fenceposts, the fleet after each instant and the wave
// counts, worked by hand from Kubernetes' rules (kubernetes/kubernetes
// pkg/controller/deployment/util/deployment_util.go ResolveFenceposts:
// surge rounds up, unavailable rounds down, both zero makes unavailable 1;
// rolling.go reconcileNewReplicaSet: scale new up to replicas + surge;
// reconcileOldReplicaSets: scale old down only while
// all - (replicas - unavailable) - newUnavailable > 0, keeping
// available >= replicas - unavailable). Example (10, 25%, 25%): surge
// ceil(2.5)=3, unavailable floor(2.5)=2, so at most 13 instances and at
// least 8 available. Instant 0: new +3 (13), old may drop 13-8-3=2 (11),
// new +2 (13), old may drop 13-8-5=0: (5 new, 8 old). The 5 become
// available. Instant 1: old may drop 13-8-0=5, available 13-8=5: old 3;
// new +5: (10, 3). Instant 2: old -3: (10, 0). Two waves of 5.
// (2, 0%, 1%) is Kubernetes' own comment: old(-1), new(+1), old(-1),
// new(+1).
func TestRollingPlan(t *testing.T) {
	tests := []struct {
		replicas     int
		surge, unav  string
		wantS, wantU int
		steps        []Step
		waves        int
	}{
		{10, "25%", "25%", 3, 2, []Step{{5, 8}, {10, 3}, {10, 0}}, 2},
		{4, "25%", "25%", 1, 1, []Step{{2, 3}, {4, 1}, {4, 0}}, 2},
		{3, "1", "0", 1, 0, []Step{{1, 3}, {2, 2}, {3, 1}, {3, 0}}, 3},
		{5, "0", "1", 0, 1, []Step{{1, 4}, {2, 3}, {3, 2}, {4, 1}, {5, 0}}, 5},
		{10, "50%", "0", 5, 0, []Step{{5, 10}, {10, 5}, {10, 0}}, 2},
		{1, "25%", "25%", 1, 0, []Step{{1, 1}, {1, 0}}, 1},
		{2, "0%", "1%", 0, 1, []Step{{1, 1}, {2, 0}}, 2},
		{10, "10%", "0%", 1, 0, []Step{{1, 10}, {2, 9}, {3, 8}, {4, 7}, {5, 6}, {6, 5}, {7, 4}, {8, 3}, {9, 2}, {10, 1}, {10, 0}}, 10},
	}
	for _, tt := range tests {
		name := tt.surge + "/" + tt.unav
		s, u := ResolveFenceposts(iop(tt.surge), iop(tt.unav), tt.replicas)
		if s != tt.wantS || u != tt.wantU {
			t.Errorf("(%d, %s): fenceposts surge %d unavailable %d, want %d %d", tt.replicas, name, s, u, tt.wantS, tt.wantU)
		}
		steps, waves := Plan(tt.replicas, iop(tt.surge), iop(tt.unav))
		if !reflect.DeepEqual(steps, tt.steps) || waves != tt.waves {
			t.Errorf("(%d, %s): steps %v waves %d, want %v waves %d", tt.replicas, name, steps, waves, tt.steps, tt.waves)
		}
		prevNew := 0
		for _, st := range steps {
			// After each instant: total within replicas + surge, and the
			// old plus the previously available new at least replicas -
			// unavailable.
			if st.New+st.Old > tt.replicas+s {
				t.Errorf("(%d, %s): %v exceeds %d", tt.replicas, name, st, tt.replicas+s)
			}
			if st.Old+prevNew < tt.replicas-u {
				t.Errorf("(%d, %s): %v leaves %d available < %d", tt.replicas, name, st, st.Old+prevNew, tt.replicas-u)
			}
			prevNew = st.New
		}
	}
}

func TestParseIntOrPercent(t *testing.T) {
	for _, bad := range []string{"", "%", "-1", "+2", "2.5%", "x", "25 %%"} {
		if _, err := ParseIntOrPercent(bad); err == nil {
			t.Errorf("%q accepted", bad)
		}
	}
	if v := iop("25%"); v != (IntOrPercent{25, true}) || v.String() != "25%" {
		t.Errorf("25%% -> %+v", v)
	}
	if v := iop("3"); v != (IntOrPercent{3, false}) || v.Scaled(100, true) != 3 {
		t.Errorf("3 -> %+v", v)
	}
	// intstr.GetScaledValueFromIntOrPercent: 25% of 7 = 1.75.
	if up, down := iop("25%").Scaled(7, true), iop("25%").Scaled(7, false); up != 2 || down != 1 {
		t.Errorf("25%% of 7: up %d down %d, want 2 1", up, down)
	}
}

// TestScaleDownOldUnhealthyFirst: with an unready old instance the
// controller removes it first (cleanupUnhealthyReplicas) within
// maxScaledDown, then healthy ones down to the minimum available.
// replicas 4, unavailable 1: min available 3; old 4 of which 3 available,
// new 1 available: maxScaledDown = 5-3-0 = 2; unhealthy 1; available 4
// so one healthy may go.
func TestScaleDownOldUnhealthyFirst(t *testing.T) {
	a, b := ScaleDownOld(Fleet{New: 1, NewAvailable: 1, Old: 4, OldAvailable: 3}, 4, 1)
	if a != 1 || b != 1 {
		t.Errorf("unhealthy %d healthy %d, want 1 1", a, b)
	}
	// New 2 unavailable: maxScaledDown = 6-3-2 = 1 > 0 and available
	// 4 - 3 = 1: one healthy old instance goes.
	if a, b := ScaleDownOld(Fleet{New: 2, NewAvailable: 0, Old: 4, OldAvailable: 4}, 4, 1); a != 0 || b != 1 {
		t.Errorf("scaled down %d+%d, want 0+1", a, b)
	}
	// New 2 unavailable, surge made total 6 but min available 4 (no
	// unavailability): maxScaledDown = 6-4-2 = 0: none.
	if a, b := ScaleDownOld(Fleet{New: 2, NewAvailable: 0, Old: 4, OldAvailable: 4}, 4, 0); a+b != 0 {
		t.Errorf("scaled down %d+%d with no unavailability allowed, want 0", a, b)
	}
}

// TestCanaryReplicas: Argo Rollouts' basic canary approximates weight by
// replicas; worked: 10 × 10% = 1, 10 × 25% = 2.5 -> 3, 4 × 5% -> 1
// (a positive weight gets an instance), 0% -> none, 100% -> all.
func TestCanaryReplicas(t *testing.T) {
	for _, tt := range []struct {
		r    int
		w    float64
		c, s int
	}{{10, 10, 1, 9}, {10, 25, 3, 7}, {4, 5, 1, 3}, {10, 0, 0, 10}, {10, 100, 10, 0}, {3, 50, 2, 1}} {
		if c, s := CanaryReplicas(tt.r, tt.w); c != tt.c || s != tt.s {
			t.Errorf("CanaryReplicas(%d, %v) = %d, %d; want %d, %d", tt.r, tt.w, c, s, tt.c, tt.s)
		}
	}
}

// TestJudge: the two-proportion z statistic worked by hand. Canary 60
// errors in 1000, baseline 10 in 1000: pooled p = 70/2000 = 0.035,
// se = sqrt(0.035 × 0.965 × 0.002) = 0.008219, z = 0.05/0.008219 = 6.08 >
// 2.326: High; p99 equal: pass; score 50 < 95: fail. Canary 12 in 1000 vs
// 10: z = 0.002/sqrt(0.011×0.989×0.002)=0.43: pass; p99 ratio 250/100 =
// 2.5 > 1.2: High, score 50.
func TestJudge(t *testing.T) {
	j := DefaultJudge()
	v := j.Score(Sample{OK: 940, Errors: 60, P99Ms: 100}, Sample{OK: 990, Errors: 10, P99Ms: 100})
	if math.Abs(v.ErrorZ-6.08) > 0.01 || !v.ErrorHigh || v.LatencyHigh || v.Score != 50 || v.Pass {
		t.Errorf("bad errors: %+v", v)
	}
	v = j.Score(Sample{OK: 988, Errors: 12, P99Ms: 250}, Sample{OK: 990, Errors: 10, P99Ms: 100})
	if math.Abs(v.ErrorZ-0.43) > 0.01 || v.ErrorHigh || !v.LatencyHigh || v.Score != 50 || v.Pass {
		t.Errorf("slow: %+v", v)
	}
	v = j.Score(Sample{OK: 995, Errors: 5, P99Ms: 105}, Sample{OK: 990, Errors: 10, P99Ms: 100})
	if !v.Pass || v.Score != 100 {
		t.Errorf("good: %+v", v)
	}
	// Too few canary requests: nothing judged, passes (Kayenta NoData).
	if v := j.Score(Sample{OK: 10, Errors: 9, P99Ms: 900}, Sample{OK: 990, Errors: 10, P99Ms: 100}); !v.Pass || !math.IsNaN(v.LatencyRatio) {
		t.Errorf("no data: %+v", v)
	}
	// Zero errors both sides: se 0, z 0, pass.
	if v := j.Score(Sample{OK: 100, P99Ms: 1}, Sample{OK: 100, P99Ms: 1}); !v.Pass || v.ErrorZ != 0 {
		t.Errorf("clean: %+v", v)
	}
}

// TestABBucketSticky: a key always lands on the same side, and over many
// keys the share going to B is the requested one within 4 standard
// errors (binomial, n = 100,000: sd of the share = sqrt(0.3×0.7/1e5) =
// 0.00145).
func TestABBucketSticky(t *testing.T) {
	b := 0
	for k := range uint64(100000) {
		side := ABBucket(k, 0.3)
		if ABBucket(k, 0.3) != side {
			t.Fatalf("key %d not sticky", k)
		}
		b += side
	}
	if share := float64(b) / 100000; math.Abs(share-0.3) > 4*0.00145 {
		t.Errorf("B share %.4f, want 0.3", share)
	}
	if ABBucket(7, 0) != 0 || ABBucket(7, 1) != 1 {
		t.Error("share 0 or 1 not respected")
	}
}
