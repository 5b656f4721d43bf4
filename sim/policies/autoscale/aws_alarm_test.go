package autoscale_test

import (
	"math"
	"testing"

	"github.com/clustersim/clustersim/sim/engine"
	"github.com/clustersim/clustersim/sim/policies/autoscale"
)

// References for the alarm timing:
//   [ttalarms] the alarms target tracking creates, as the CloudWatch console
//              shows them (AWS's guides do not list them): high "metric >
//              target for 3 datapoints within 3 minutes", low "metric <
//              0.9 × target for 15 datapoints within 15 minutes" (ECS
//              ALBRequestCountPerTarget 1500: "> 1500", "< 1350");
//              "usually more than 10% lower":
//              https://docs.aws.amazon.com/autoscaling/application/userguide/target-tracking-scaling-policy-overview.html
//   [every]    "an alarm invokes an Auto Scaling action once each minute
//              when the alarm remains in a new state, regardless of the
//              configured time period":
//              https://repost.aws/knowledge-center/autoscaling-policy-cloudwatch-alarm
//   [mofn]     CloudWatch alarm evaluation, Period / EvaluationPeriods /
//              DatapointsToAlarm ("M out of N"):
//              https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/alarm-evaluation.html
//   [stepcli]  a step scaling alarm "in an ALARM state if it reaches a
//              threshold of 70 percent for at least two consecutive
//              evaluation periods of 60 seconds":
//              https://docs.aws.amazon.com/autoscaling/application/userguide/create-step-scaling-policy-cli.html

// phase is a stretch of syncs with one load: syncs every `every` from
// `from` to `to` inclusive.
type phase struct {
	from, to engine.Time
	every    engine.Duration
	load     func(n int) []autoscale.PodSample
}

// step is what the policy answered at one sync.
type step struct {
	at      engine.Time
	desired int
	reason  string
}

// trace runs p over the phases from current replicas, applying each
// decision, and returns every sync's answer.
func trace(p autoscale.Policy, current int, phases ...phase) []step {
	var out []step
	for _, ph := range phases {
		for at := ph.from; at <= ph.to; at = at.Add(ph.every) {
			d, _ := p.Decide(autoscale.Observation{Now: at, Current: current, Pods: ph.load(current)})
			out = append(out, step{at, d.Desired, d.Reason})
			current = d.Desired
		}
	}
	return out
}

// firstChange returns the first step whose desired count differs from the
// one before it (from start), or ok false.
func firstChange(start int, steps []step) (step, bool) {
	prev := start
	for _, s := range steps {
		if s.desired != prev {
			return s, true
		}
		prev = s.desired
	}
	return step{}, false
}

// TestTargetTrackingAlarmTiming pins when target tracking acts with the
// simulator's default 15 s syncs (the first at 15 s). Datapoints are
// one-minute averages of the syncs in (k·60 s, (k+1)·60 s]; the third
// breaching one completes at the sync at 180 s, which is the first that
// acts ([ttalarms]: 3 of 3 above target). Scale-in needs 15 datapoints
// below 0.9 × target, so it first acts at 900 s ([ttalarms]).
func TestTargetTrackingAlarmTiming(t *testing.T) {
	tests := []struct {
		name    string
		start   int
		phases  []phase
		wantAct step // zero: no sync may change the count
	}{
		{"constant breach acts at the sync completing the third minute", 4,
			[]phase{{15 * sec, 20 * min_, 15 * sec, fixedAvg(0.75)}},
			step{180 * sec, 6, autoscale.ReasonScaleOut}},
		{"constant low metric scales in after 15 minutes", 10,
			[]phase{{15 * sec, 30 * min_, 15 * sec, fixedAvg(0.3)}},
			step{900 * sec, 6, autoscale.ReasonScaleIn}},
		// Two breaching minutes, then at target (not above: the high
		// alarm's comparison is strictly greater): never 3 in a row.
		{"two breaching minutes then recovery never scales", 4,
			[]phase{{15 * sec, 120 * sec, 15 * sec, fixedAvg(0.75)}, {135 * sec, 30 * min_, 15 * sec, fixedAvg(0.5)}},
			step{}},
		// 2 breaching, 1 not, 2 breaching: the alarm needs 3 consecutive.
		{"breaches must be consecutive", 4,
			[]phase{
				{15 * sec, 120 * sec, 15 * sec, fixedAvg(0.75)},
				{135 * sec, 180 * sec, 15 * sec, fixedAvg(0.5)},
				{195 * sec, 300 * sec, 15 * sec, fixedAvg(0.75)},
				{315 * sec, 20 * min_, 15 * sec, fixedAvg(0.5)}},
			step{}},
		// A spike to 0.7 at one sync of each minute, 0.4 at the other
		// three: each minute averages (0.7 + 3 × 0.4)/4 = 0.475, so no
		// datapoint breaches (acting per sync would scale out at 15 s).
		{"a one-sync spike is averaged into its minute", 4, spikes(20, 0.7, 0.4), step{}},
		// The low metric comes back above 0.45 in the 15th minute.
		{"14 low minutes never scale in", 10,
			[]phase{{15 * sec, 14 * min_, 15 * sec, fixedAvg(0.3)}, {14*min_ + 15*sec, 40 * min_, 15 * sec, fixedAvg(0.46)}},
			step{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, ok := firstChange(tt.start, trace(newTT(t, nil), tt.start, tt.phases...))
			if tt.wantAct == (step{}) {
				if ok {
					t.Fatalf("acted at %ds: %d %s", got.at/sec, got.desired, got.reason)
				}
				return
			}
			if !ok || got != tt.wantAct {
				t.Fatalf("first action %+v (found %v), want %+v", got, ok, tt.wantAct)
			}
		})
	}
}

// TestTargetTrackingAlarmReasons pins the reason at each sync of the
// first scale-out: no datapoint yet, then breaching datapoints short of
// ALARM, the action, and the hold between the alarm's once-a-minute
// invocations ([every]).
func TestTargetTrackingAlarmReasons(t *testing.T) {
	steps := trace(newTT(t, nil), 4, phase{15 * sec, 240 * sec, 15 * sec, fixedAvg(0.75)})
	want := func(at engine.Time) (int, string) {
		switch {
		case at < 60*sec:
			return 4, autoscale.ReasonInsufficientData
		case at < 180*sec:
			return 4, autoscale.ReasonAlarmPending
		case at == 180*sec:
			return 6, autoscale.ReasonScaleOut
		case at < 240*sec:
			return 6, autoscale.ReasonAlarmWait
		}
		// Invoked again at 240 s: 4 (pre-cooldown) × 1.5 = 6, no more.
		return 6, autoscale.ReasonScaleOutCooldown
	}
	for _, s := range steps {
		if d, r := want(s.at); s.desired != d || s.reason != r {
			t.Errorf("t=%ds: got %d %s, want %d %s", s.at/sec, s.desired, s.reason, d, r)
		}
	}
	// At exactly the target the datapoint does not breach ("metric >
	// target"): not AlarmPending.
	at := trace(newTT(t, nil), 4, phase{15 * sec, 60 * sec, 15 * sec, fixedAvg(0.5)})
	if last := at[len(at)-1]; last.reason != autoscale.ReasonNearTarget {
		t.Errorf("metric at target: reason %s, want %s", last.reason, autoscale.ReasonNearTarget)
	}
}

// TestStepScalingAlarm pins step scaling's alarm: DefaultStepPolicy's 1
// of 1 one-minute datapoints, M of N ([mofn], [stepcli]'s 2 consecutive
// periods), invocation once a minute while in ALARM and not at every sync
// ([every]), including with a 5-minute period.
func TestStepScalingAlarm(t *testing.T) {
	inf := math.Inf(1)
	plus1 := autoscale.StepAdjustment{Lower: 0, Upper: inf, Adjustment: 1}
	tests := []struct {
		name   string
		edit   func(*autoscale.StepPolicy)
		phases []phase
		want   []engine.Time // the syncs that scale out, each by 1
	}{
		{"1 of 1: the first complete minute acts, then every minute", nil,
			[]phase{{15 * sec, 240 * sec, 15 * sec, fixedAvg(90)}},
			[]engine.Time{60 * sec, 120 * sec, 180 * sec, 240 * sec}},
		{"2 of 2 ([stepcli]): from the second minute", func(sp *autoscale.StepPolicy) { sp.EvaluationPeriods = 2 },
			[]phase{{15 * sec, 180 * sec, 15 * sec, fixedAvg(90)}},
			[]engine.Time{120 * sec, 180 * sec}},
		{"2 of 3: not consecutive", func(sp *autoscale.StepPolicy) { sp.EvaluationPeriods, sp.DatapointsToAlarm = 3, 2 },
			[]phase{
				{15 * sec, 60 * sec, 15 * sec, fixedAvg(90)},
				{75 * sec, 120 * sec, 15 * sec, fixedAvg(50)},
				{135 * sec, 180 * sec, 15 * sec, fixedAvg(90)},
				{195 * sec, 240 * sec, 15 * sec, fixedAvg(50)}},
			// 180: datapoints 90, 50, 90 → 2 of 3; 240: 50, 90, 50 → OK.
			[]engine.Time{180 * sec}},
		{"5-minute period: ALARM at 300 s, then invoked every minute", func(sp *autoscale.StepPolicy) { sp.AlarmPeriod = 5 * min_ },
			[]phase{{15 * sec, 420 * sec, 15 * sec, fixedAvg(90)}},
			[]engine.Time{300 * sec, 360 * sec, 420 * sec}},
		{"a metric below the threshold never alarms", nil,
			[]phase{{15 * sec, 10 * min_, 15 * sec, fixedAvg(79.9)}},
			nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			sp := autoscale.DefaultStepPolicy(80, autoscale.GreaterThanOrEqual, plus1)
			sp.Cooldown = 0 // every invocation may act
			if tt.edit != nil {
				tt.edit(&sp)
			}
			p := newStep(t, autoscale.StepScalingConfig{Metric: autoscale.MetricRPS, Min: 1, Max: 50, ScaleOut: &sp})
			var acted []engine.Time
			prev := 3
			for _, s := range trace(p, 3, tt.phases...) {
				if s.desired != prev {
					if s.desired != prev+1 || s.reason != autoscale.ReasonScaleOut {
						t.Fatalf("t=%ds: %d → %d %s", s.at/sec, prev, s.desired, s.reason)
					}
					acted = append(acted, s.at)
				}
				prev = s.desired
			}
			if len(acted) != len(tt.want) {
				t.Fatalf("scaled out at %v s, want %v", secs(acted), secs(tt.want))
			}
			for i := range acted {
				if acted[i] != tt.want[i] {
					t.Fatalf("scaled out at %v s, want %v", secs(acted), secs(tt.want))
				}
			}
		})
	}
}

// spikes returns minutes of 15 s syncs where the first sync of each
// minute sees hi and the other three lo.
func spikes(minutes int, hi, lo float64) []phase {
	var ps []phase
	for k := range engine.Time(minutes) {
		ps = append(ps, phase{k*min_ + 15*sec, k*min_ + 15*sec, 15 * sec, fixedAvg(hi)},
			phase{k*min_ + 30*sec, (k + 1) * min_, 15 * sec, fixedAvg(lo)})
	}
	return ps
}

func secs(ts []engine.Time) []int64 {
	out := make([]int64, len(ts))
	for i, t := range ts {
		out[i] = int64(t / sec)
	}
	return out
}

// TestAlarmPoliciesDoNotAllocate requires steady-state Decide calls to
// allocate nothing: datapoints live in a ring sized at construction.
func TestAlarmPoliciesDoNotAllocate(t *testing.T) {
	sp := autoscale.DefaultStepPolicy(80, autoscale.GreaterThanOrEqual, autoscale.StepAdjustment{Lower: 0, Upper: math.Inf(1), Adjustment: 1})
	in := autoscale.DefaultStepPolicy(20, autoscale.LessThan, autoscale.StepAdjustment{Lower: math.Inf(-1), Upper: 0, Adjustment: -1})
	policies := []autoscale.Policy{
		newTT(t, nil),
		newStep(t, autoscale.StepScalingConfig{Metric: autoscale.MetricRPS, Min: 1, Max: 10, ScaleOut: &sp, ScaleIn: &in}),
	}
	obs := autoscale.Observation{Current: 5, Pods: ready(same(5, 0.3)...)}
	for _, p := range policies {
		now := engine.Time(0)
		if a := testing.AllocsPerRun(200, func() {
			now += 15 * sec
			obs.Now = now
			_, _ = p.Decide(obs)
		}); a != 0 {
			t.Errorf("%s: %v allocations per Decide", p.Name(), a)
		}
	}
}
