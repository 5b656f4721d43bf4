// Package deploy holds the decisions of deployment strategies, as pure
// functions of counts and observed figures: Kubernetes' rolling-update
// arithmetic (maxSurge/maxUnavailable fenceposts and the replica counts
// each controller sync moves to), canary replica weights and a
// Kayenta-style canary judge, and the sticky A/B split. The models
// (sim/models/deploy.go) hold the state and call these.
package deploy

import (
	"fmt"
	"math"
	"strconv"
	"strings"
)

// IntOrPercent is Kubernetes' intstr.IntOrString as maxSurge and
// maxUnavailable use it: an absolute count, or a percentage of the
// desired replicas.
type IntOrPercent struct {
	Value   int  // the count, or the percentage
	Percent bool // Value is a percentage
}

// ParseIntOrPercent reads "3" or "25%". Values must be >= 0.
func ParseIntOrPercent(s string) (IntOrPercent, error) {
	t := strings.TrimSpace(s)
	pct := strings.HasSuffix(t, "%")
	t = strings.TrimSuffix(t, "%")
	n, err := strconv.Atoi(t)
	if err != nil || t == "" || t[0] == '+' || t[0] == '-' {
		return IntOrPercent{}, fmt.Errorf("%q is neither a non-negative integer nor a percentage such as \"25%%\"", s)
	}
	if n > 1<<30 {
		return IntOrPercent{}, fmt.Errorf("%q is too large", s)
	}
	return IntOrPercent{Value: n, Percent: pct}, nil
}

// String renders v as it is written: "3" or "25%".
func (v IntOrPercent) String() string {
	if v.Percent {
		return strconv.Itoa(v.Value) + "%"
	}
	return strconv.Itoa(v.Value)
}

// Scaled resolves v against total, rounding a percentage up or down, as
// intstr.GetScaledValueFromIntOrPercent does.
func (v IntOrPercent) Scaled(total int, roundUp bool) int {
	if !v.Percent {
		return v.Value
	}
	x := float64(v.Value) * float64(total) / 100
	if roundUp {
		return int(math.Ceil(x))
	}
	return int(math.Floor(x))
}

// ResolveFenceposts resolves maxSurge (rounded up) and maxUnavailable
// (rounded down) against the desired replicas, with Kubernetes' rule that
// both resolving to zero makes maxUnavailable 1
// (kubernetes/kubernetes pkg/controller/deployment/util/deployment_util.go,
// ResolveFenceposts). maxUnavailable is capped at the replicas, as
// MaxUnavailable in the same file caps it.
func ResolveFenceposts(surge, unavailable IntOrPercent, replicas int) (maxSurge, maxUnavailable int) {
	maxSurge = surge.Scaled(replicas, true)
	maxUnavailable = unavailable.Scaled(replicas, false)
	if maxSurge == 0 && maxUnavailable == 0 {
		maxUnavailable = 1
	}
	return maxSurge, min(maxUnavailable, replicas)
}

// Fleet is what the rolling-update controller counts: instances of the
// new and of the old versions (pending, starting or serving; draining
// ones are not counted, as Kubernetes does not count terminating pods)
// and how many of each are available (ready for min_ready_seconds).
type Fleet struct {
	New, NewAvailable int
	Old, OldAvailable int
}

// ScaleUpNew returns how many new instances the controller adds now: the
// room under replicas + maxSurge, at most what the new version still
// lacks (NewRSNewReplicas in pkg/controller/deployment/util and
// reconcileNewReplicaSet in rolling.go).
func ScaleUpNew(f Fleet, replicas, maxSurge int) int {
	if f.New >= replicas {
		return 0
	}
	room := replicas + maxSurge - (f.New + f.Old)
	if room <= 0 {
		return 0
	}
	return min(room, replicas-f.New)
}

// ScaleDownOld returns how many old instances the controller removes
// now, unavailable ones first (reconcileOldReplicaSets, then
// cleanupUnhealthyReplicas and scaleDownOldReplicaSetsForRollingUpdate in
// rolling.go): nothing unless all counted instances exceed the minimum
// available plus the new version's unavailable ones; then the old
// unavailable instances, up to that excess; then available old ones while
// availability stays at or above replicas - maxUnavailable.
func ScaleDownOld(f Fleet, replicas, maxUnavailable int) (unhealthy, healthy int) {
	if f.Old == 0 {
		return 0, 0
	}
	minAvailable := replicas - maxUnavailable
	maxScaledDown := f.New + f.Old - minAvailable - (f.New - f.NewAvailable)
	if maxScaledDown <= 0 {
		return 0, 0
	}
	unhealthy = min(f.Old-f.OldAvailable, maxScaledDown)
	old := f.Old - unhealthy
	avail := f.OldAvailable + f.NewAvailable
	if avail > minAvailable {
		healthy = min(old, avail-minAvailable)
	}
	return unhealthy, healthy
}

// Step is the fleet after one instant of a rolling update.
type Step struct{ New, Old int }

// Plan runs the rolling-update controller on an idealised fleet in which
// new instances become available all at once between instants and old
// ones leave at once: at each instant the controller syncs until nothing
// changes (Kubernetes resyncs on every ReplicaSet change), then the new
// instances become available. It returns the fleet after each instant
// and the number of waves (instants at which new instances are created).
func Plan(replicas int, surge, unavailable IntOrPercent) (steps []Step, waves int) {
	s, u := ResolveFenceposts(surge, unavailable, replicas)
	f := Fleet{Old: replicas, OldAvailable: replicas}
	// Resolved fenceposts always let one side move (surge or
	// unavailability is at least 1), so each instant changes the fleet;
	// the bound only guards against a broken invariant.
	for i := 0; (f.Old > 0 || f.New < replicas) && i <= 2*replicas+2; i++ {
		created := false
		for {
			changed := false
			if up := ScaleUpNew(f, replicas, s); up > 0 {
				f.New += up
				changed, created = true, true
			}
			if a, b := ScaleDownOld(f, replicas, u); a+b > 0 {
				f.Old -= a + b
				f.OldAvailable -= b
				changed = true
			}
			if !changed {
				break
			}
		}
		if created {
			waves++
		}
		steps = append(steps, Step{New: f.New, Old: f.Old})
		f.NewAvailable = f.New
	}
	return steps, waves
}
