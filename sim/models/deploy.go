package models

import (
	"errors"
	"math/rand/v2"
	"strconv"

	"github.com/clustersim/clustersim/sim/engine"
	"github.com/clustersim/clustersim/sim/policies/deploy"
	"github.com/clustersim/clustersim/sim/results"
)

// Deployments: a [[deploy]] entry moves a service from the version it runs
// to another, by one of five strategies. This file holds a deployment's
// state and every transition; the arithmetic and the judgements are pure
// functions of package policies/deploy.
//
//   - rolling: Kubernetes' Deployment controller. At every change of the
//     fleet it resyncs: new instances are added while all counted
//     instances (pending, starting, serving; draining ones excluded, as
//     Kubernetes excludes terminating pods) stay within replicas +
//     max_surge, and old ones removed while available instances (ready
//     for min_ready) stay at or above replicas - max_unavailable. Without
//     progress for progress_deadline it fails, and rolls back if asked.
//   - blue_green: a full green fleet starts out of the balancer; when all
//     of it is available traffic switches at once; blue stays, idle, for
//     rollback_window while the judge compares green with blue's figures
//     before the switch; a failed verdict switches back.
//   - canary: steps of (weight, pause). The weight is approximated by
//     replica counts (as Argo Rollouts does without a traffic router);
//     after each pause the judge compares canary with baseline over the
//     pause, and a failure aborts to 100% baseline. After the last step
//     the new version is promoted.
//   - ab: the same steps, but each request goes to a side by a sticky hash
//     of its user id (identity.go), so a user sees one version throughout
//     a step; a request without a user draws its key on stream
//     "deploy.N.keys".
//   - shadow: the same steps, but the new version takes no client traffic:
//     weight% of requests are mirrored to it and its responses discarded.

// Strategy is a deployment strategy.
type Strategy uint8

// Strategies.
const (
	Rolling Strategy = iota
	BlueGreen
	Canary
	AB
	Shadow
)

var strategyNames = [...]string{"rolling", "blue_green", "canary", "ab", "shadow"}

// String returns the strategy's name in scenario files.
func (s Strategy) String() string { return strategyNames[s] }

// CanaryStep is one step of a canary, A/B or shadow deploy.
type CanaryStep struct {
	Weight float64         // percent of traffic on (or mirrored to) the new version
	Pause  engine.Duration // how long the step runs before the judge's verdict
}

// DeploySpec is one deployment of a service to a version.
type DeploySpec struct {
	Service  int         // index of the service
	At       engine.Time // when it starts
	Version  int         // index of the version deployed
	Strategy Strategy
	// Rolling: Kubernetes' maxSurge and maxUnavailable.
	MaxSurge, MaxUnavailable deploy.IntOrPercent
	// MinReady is minReadySeconds: an instance is available after being
	// ready this long.
	MinReady engine.Duration
	// ProgressDeadline is progressDeadlineSeconds: without progress for
	// this long the deploy fails; 0 for none.
	ProgressDeadline engine.Duration
	// Rollback rolls a failed rolling deploy back to the old version.
	Rollback bool
	// Steps are the canary, A/B and shadow steps.
	Steps []CanaryStep
	// Judge decides the canary analyses.
	Judge deploy.Judge
	// RollbackWindow is how long blue/green keeps blue after the switch.
	RollbackWindow engine.Duration
	// Analysis is how often blue/green judges green during the window; 0
	// judges once, at the window's end.
	Analysis engine.Duration
	// SLO is the latency above which a success of the new version counts
	// in the blast radius; 0 for errors only.
	SLO engine.Duration
}

type deployPhase uint8

const (
	phaseWaiting deployPhase = iota
	phaseRolling
	phaseRollingBack
	phaseGreenStarting
	phaseGreenLive
	phaseSteps
	phasePromoting
	phaseDone
)

// Deploy event codes, in the low byte of the event argument.
const (
	evDeployStart = iota
	evDeploySync
	evDeployPause
	evDeployDeadline
	evDeployAnalysis
	evDeployWindowEnd
)

// deployment is the run state of one [[deploy]] entry.
type deployment struct {
	spec     DeploySpec
	id       int32
	s        *Service
	from, to int // version indices: old and new (swapped while a rolling update rolls back)
	orig     int // the version running when it started
	replicas int // the service's desired replicas when it started
	surge    int // resolved fenceposts (rolling)
	unav     int
	phase    deployPhase
	outcome  string
	routed   []bool // by version: whether its ready instances are in the balancer
	epoch    int64  // bumped at each phase or step change, to ignore stale timers

	analyzing bool          // versions accumulate version.an
	baseline  deploy.Sample // blue's figures before the switch
	keys      *rand.Rand    // A/B keys and shadow mirroring draws
	pick      *rand.Rand    // instance choice under A/B and shadow routing
	scratch   []int32

	step         int
	stepBegun    bool
	lastProgress engine.Time
	lastNewAvail int
	syncQueued   bool
	wakeAt       engine.Time

	start, detected, back, ended engine.Time // -1 until they happen
	blast, newReq, shadowReq     int64
	hurt                         userSet // distinct users in the blast radius (identity.go)
	extraInt                     float64 // instance·ns above replicas
	lastT                        engine.Time
	lastBilled                   int
	maxCounted, minAvail         int
	analyses                     []results.Analysis
}

var errTooManyVersions = errors.New("models: at most 256 versions per service")

// newDeploys builds the deployments and schedules their starts.
func (c *Cluster) newDeploys(specs []DeploySpec) error {
	for i, spec := range specs {
		if spec.Service < 0 || spec.Service >= len(c.services) {
			return errors.New("models: deploy of an unknown service")
		}
		s := c.services[spec.Service]
		if spec.Version < 0 || spec.Version >= len(s.vers) {
			return errors.New("models: deploy of service " + s.spec.Name + " to an unknown version")
		}
		if spec.Strategy >= Canary && len(spec.Steps) == 0 {
			return errors.New("models: a " + spec.Strategy.String() + " deploy needs steps")
		}
		d := &deployment{spec: spec, id: int32(i), s: s, to: spec.Version,
			start: -1, detected: -1, back: -1, ended: -1, wakeAt: -1}
		d.keys = c.sim.Stream("deploy." + strconv.Itoa(i) + ".keys")
		d.pick = c.sim.Stream("deploy." + strconv.Itoa(i) + ".pick")
		c.deploys = append(c.deploys, d)
	}
	if len(specs) > 0 {
		c.kDeploy = c.sim.Register("deploy", c.onDeploy)
	}
	return nil
}

// startDeploys schedules every deployment's start.
func (c *Cluster) startDeploys() {
	for _, d := range c.deploys {
		if d.spec.At <= c.horizon {
			c.sim.Schedule(d.spec.At, c.kDeploy, d.id, evDeployStart)
		}
	}
}

func (c *Cluster) onDeploy(ev engine.Event) {
	d := c.deploys[ev.Target]
	code, epoch := ev.Arg&0xff, ev.Arg>>8
	if code == evDeployStart {
		c.beginDeploy(d)
		return
	}
	if d.phase == phaseDone || d.phase == phaseWaiting {
		return
	}
	switch code {
	case evDeploySync:
		d.syncQueued = false
		c.syncDeploy(d)
	case evDeployDeadline:
		now := c.sim.Now()
		// Waiting by design (a canary's pause, blue's rollback window) is
		// not a lack of progress, as in Argo Rollouts.
		paused := d.phase == phaseGreenLive || (d.phase == phaseSteps && d.stepBegun)
		if d.spec.ProgressDeadline > 0 && now.Sub(d.lastProgress) >= d.spec.ProgressDeadline && !paused {
			c.deadlineExceeded(d)
		}
	case evDeployPause:
		if epoch == d.epoch && d.phase == phaseSteps {
			c.endStep(d)
		}
	case evDeployAnalysis, evDeployWindowEnd:
		if epoch == d.epoch && d.phase == phaseGreenLive {
			c.judgeGreen(d, code == evDeployWindowEnd)
		}
	}
}

// beginDeploy starts a deployment, taking over from an earlier one of the
// same service still running.
func (c *Cluster) beginDeploy(d *deployment) {
	s, now := d.s, c.sim.Now()
	if old := s.dep; old != nil {
		old.outcome = "superseded"
		c.endDeploy(old)
	}
	d.from, d.orig = int(s.spawn), int(s.spawn)
	d.start, d.lastProgress, d.lastT = now, now, now
	d.replicas = s.desired
	d.surge, d.unav = deploy.ResolveFenceposts(d.spec.MaxSurge, d.spec.MaxUnavailable, d.replicas)
	d.routed = make([]bool, len(s.vers))
	for i := range d.routed {
		d.routed[i] = true
	}
	s.dep, s.blame = d, d
	d.lastBilled = s.billed()
	f := c.fleet(d)
	d.maxCounted, d.minAvail = f.New+f.Old, f.NewAvailable+f.OldAvailable
	if d.from == d.to {
		d.outcome = "complete"
		c.endDeploy(d)
		return
	}
	switch d.spec.Strategy {
	case Rolling:
		d.phase = phaseRolling
	case BlueGreen:
		d.phase = phaseGreenStarting
		d.routed[d.to] = false
		c.startAnalysis(d)
	default:
		d.phase = phaseSteps
		switch d.spec.Strategy {
		case AB:
			s.route = d
		case Shadow:
			d.routed[d.to] = false
			s.route = d
		}
	}
	c.noteProgress(d)
	c.syncDeploy(d)
}

// billed counts a service's billed instances.
func (s *Service) billed() int { return s.starting + s.unready + s.ready + s.draining }

// fleet counts the deployment's target version as new and every other
// version as old.
func (c *Cluster) fleet(d *deployment) deploy.Fleet {
	now := c.sim.Now()
	var f deploy.Fleet
	for _, in := range d.s.instances {
		if in.state == Terminated || in.state == Draining {
			continue
		}
		avail := in.state == Ready && now.Sub(in.changed) >= d.spec.MinReady
		if int(in.version) == d.to {
			f.New++
			if avail {
				f.NewAvailable++
			}
		} else {
			f.Old++
			if avail {
				f.OldAvailable++
			}
		}
	}
	return f
}

// deployChanged is called after every change in a service's instance
// counts: it advances the deployment's figures and queues a resync, as a
// controller watching the fleet would.
func (c *Cluster) deployChanged(s *Service) {
	d := s.dep
	if d == nil || d.phase == phaseDone || d.phase == phaseWaiting {
		return
	}
	c.observeDeploy(d)
	if !d.syncQueued {
		d.syncQueued = true
		c.sim.Schedule(c.sim.Now(), c.kDeploy, d.id, evDeploySync)
	}
}

// observeDeploy integrates the extra instance-seconds and records the fleet's
// extremes.
func (c *Cluster) observeDeploy(d *deployment) {
	now := c.sim.Now()
	if extra := d.lastBilled - d.replicas; extra > 0 {
		d.extraInt += float64(extra) * float64(now-d.lastT)
	}
	d.lastT, d.lastBilled = now, d.s.billed()
	f := c.fleet(d)
	d.maxCounted = max(d.maxCounted, f.New+f.Old)
	d.minAvail = min(d.minAvail, f.NewAvailable+f.OldAvailable)
}

// noteProgress records progress and arms the progress deadline.
func (c *Cluster) noteProgress(d *deployment) {
	now := c.sim.Now()
	d.lastProgress = now
	if d.spec.ProgressDeadline > 0 {
		c.sim.Schedule(now.Add(d.spec.ProgressDeadline), c.kDeploy, d.id, evDeployDeadline)
	}
}

// startVersion starts one instance of version v.
func (c *Cluster) startVersion(d *deployment, v int) {
	s := d.s
	prev := s.spawn
	s.spawn = uint8(v)
	c.startInstance(s)
	s.spawn = prev
	c.observeDeploy(d)
}

// drainVersion drains up to n instances chosen by Kubernetes' ranking
// (worseToKeep) among those for which want holds, and returns how many.
func (c *Cluster) drainVersion(d *deployment, n int, want func(in *instance, avail bool) bool) int {
	s, now := d.s, c.sim.Now()
	done := 0
	for ; done < n; done++ {
		victim := int32(-1)
		for i, in := range s.instances {
			if in.state > Ready {
				continue
			}
			avail := in.state == Ready && now.Sub(in.changed) >= d.spec.MinReady
			if !want(in, avail) {
				continue
			}
			if victim < 0 || worseToKeep(in, s.instances[victim], int32(i), victim, now, nil) {
				victim = int32(i)
			}
		}
		if victim < 0 {
			break
		}
		c.drain(s, victim)
		c.observeDeploy(d)
	}
	return done
}

// syncDeploy is the controller's sync: it moves the fleet towards the
// current phase's target.
func (c *Cluster) syncDeploy(d *deployment) {
	switch d.phase {
	case phaseRolling, phaseRollingBack:
		c.syncRolling(d)
	case phaseGreenStarting:
		c.syncGreen(d)
	case phaseSteps:
		c.syncStep(d)
	case phasePromoting:
		c.syncPromote(d)
	}
}

// syncRolling is reconcileNewReplicaSet then reconcileOldReplicaSets,
// repeated until neither changes anything (Kubernetes resyncs on every
// ReplicaSet change).
func (c *Cluster) syncRolling(d *deployment) {
	R := d.replicas
	for range 4*R + 8 {
		changed := false
		f := c.fleet(d)
		if up := deploy.ScaleUpNew(f, R, d.surge); up > 0 {
			for range up {
				c.startVersion(d, d.to)
			}
			changed = true
		}
		f = c.fleet(d)
		if bad, good := deploy.ScaleDownOld(f, R, d.unav); bad+good > 0 {
			to := d.to
			c.drainVersion(d, bad, func(in *instance, avail bool) bool { return int(in.version) != to && !avail })
			c.drainVersion(d, good, func(in *instance, avail bool) bool { return int(in.version) != to && avail })
			changed = true
		}
		if !changed {
			break
		}
		c.noteProgress(d)
	}
	f := c.fleet(d)
	if f.NewAvailable > d.lastNewAvail {
		c.noteProgress(d)
	}
	d.lastNewAvail = f.NewAvailable
	if f.Old == 0 && f.NewAvailable >= R {
		if d.phase == phaseRollingBack {
			d.outcome, d.back = "rolled_back", c.sim.Now()
		} else {
			d.outcome = "complete"
		}
		c.endDeploy(d)
		return
	}
	c.wakeForMinReady(d)
}

// wakeForMinReady schedules a resync when the next ready instance becomes
// available (min_ready after it became ready).
func (c *Cluster) wakeForMinReady(d *deployment) {
	if d.spec.MinReady <= 0 {
		return
	}
	now := c.sim.Now()
	next := engine.Time(-1)
	for _, in := range d.s.instances {
		if in.state == Ready {
			if t := in.changed.Add(d.spec.MinReady); t > now && (next < 0 || t < next) {
				next = t
			}
		}
	}
	if next >= 0 && (d.wakeAt <= now || next < d.wakeAt) {
		d.wakeAt = next
		c.sim.Schedule(next, c.kDeploy, d.id, evDeploySync)
	}
}

// deadlineExceeded fails a deployment that made no progress for
// progress_deadline: a rolling one rolls back if asked; the others abort.
func (c *Cluster) deadlineExceeded(d *deployment) {
	now := c.sim.Now()
	d.detected = now
	switch d.spec.Strategy {
	case Rolling:
		if !d.spec.Rollback || d.phase == phaseRollingBack {
			d.outcome = "failed"
			c.endDeploy(d)
			return
		}
		d.phase = phaseRollingBack
		d.from, d.to = d.to, d.from
		d.lastNewAvail = 0
		c.noteProgress(d)
		c.syncRolling(d)
	default:
		c.abort(d)
	}
}

// startAnalysis starts accumulating every version's figures for the judge.
func (c *Cluster) startAnalysis(d *deployment) {
	for i := range d.s.vers {
		d.s.vers[i].an.reset()
	}
	d.analyzing = true
}

// sample sums the analysis figures of the versions for which want holds.
func (d *deployment) sample(want func(v int) bool) deploy.Sample {
	lat := newLatencies()
	var smp deploy.Sample
	for i := range d.s.vers {
		if want(i) {
			v := &d.s.vers[i].an
			smp.OK += v.ok
			smp.Errors += v.errors
			lat.merge(v.lat)
		}
	}
	smp.P99Ms = lat.quantile(0.99)
	return smp
}

// judge records a verdict of the new version against the baseline.
func (c *Cluster) judge(d *deployment, canary, baseline deploy.Sample) bool {
	v := d.spec.Judge.Score(canary, baseline)
	d.analyses = append(d.analyses, results.Analysis{
		AtS: c.sim.Now().Seconds(), Score: v.Score, Pass: v.Pass, ErrorZ: v.ErrorZ, LatencyRatio: v.LatencyRatio,
	})
	return v.Pass
}

// syncGreen starts the green fleet and switches once all of it is
// available.
func (c *Cluster) syncGreen(d *deployment) {
	f := c.fleet(d)
	for range d.replicas - f.New {
		c.startVersion(d, d.to)
	}
	if f.NewAvailable > d.lastNewAvail {
		c.noteProgress(d)
		d.lastNewAvail = f.NewAvailable
	}
	if f.NewAvailable < d.replicas {
		c.wakeForMinReady(d)
		return
	}
	// Switch: green takes every request at once; blue stays, idle.
	to := d.to
	d.baseline = d.sample(func(v int) bool { return v != to })
	for i := range d.routed {
		d.routed[i] = i == d.to
	}
	c.reroute(d.s)
	c.startAnalysis(d)
	d.phase = phaseGreenLive
	d.epoch++
	now := c.sim.Now()
	if iv := d.spec.Analysis; iv > 0 {
		for t := now.Add(iv); t < now.Add(d.spec.RollbackWindow); t = t.Add(iv) {
			c.sim.Schedule(t, c.kDeploy, d.id, d.epoch<<8|evDeployAnalysis)
		}
	}
	c.sim.Schedule(now.Add(d.spec.RollbackWindow), c.kDeploy, d.id, d.epoch<<8|evDeployWindowEnd)
}

// judgeGreen judges green against blue's figures before the switch; a
// failure switches back, the window's end without one retires blue.
func (c *Cluster) judgeGreen(d *deployment, last bool) {
	to := d.to
	if !c.judge(d, d.sample(func(v int) bool { return v == to }), d.baseline) {
		c.abort(d)
		return
	}
	if last {
		c.retireOld(d)
	}
}

// reroute puts the ready instances of routed versions into the balancer
// and takes the others out.
func (c *Cluster) reroute(s *Service) {
	d := s.dep
	for i, in := range s.instances {
		if in.state != Ready {
			continue
		}
		want := d == nil || d.routed[in.version]
		switch {
		case want && in.pos < 0:
			s.addToRotation(int32(i))
		case !want && in.pos >= 0:
			s.removeFromRotation(int32(i))
		}
	}
}

// routes reports whether a ready instance of version v joins the balancer.
func (s *Service) routes(v uint8) bool { return s.dep == nil || s.dep.routed[v] }

// abort sends all traffic back to the old versions, drains the new one
// and restores the old fleet to the replicas it had.
func (c *Cluster) abort(d *deployment) {
	now := c.sim.Now()
	if d.detected < 0 {
		d.detected = now
	}
	s := d.s
	s.route = nil
	for i := range d.routed {
		d.routed[i] = i != d.to
	}
	c.reroute(s)
	to := d.to
	c.drainVersion(d, len(s.instances), func(in *instance, _ bool) bool { return int(in.version) == to })
	d.back = now
	f := c.fleet(d)
	for range d.replicas - f.Old {
		c.startVersion(d, d.from)
	}
	d.outcome = "rolled_back"
	c.endDeploy(d)
}

// retireOld completes a deployment: the new version serves everything
// and every other version's instances drain.
func (c *Cluster) retireOld(d *deployment) {
	s := d.s
	s.route = nil
	for i := range d.routed {
		d.routed[i] = i == d.to
	}
	c.reroute(s)
	to := d.to
	c.drainVersion(d, len(s.instances), func(in *instance, _ bool) bool { return int(in.version) != to })
	d.outcome = "complete"
	c.endDeploy(d)
}

// syncStep scales the canary to its step's weight, then the stable
// version down, then starts the step's pause and analysis.
func (c *Cluster) syncStep(d *deployment) {
	w := d.spec.Steps[d.step].Weight
	canary, stable := deploy.CanaryReplicas(d.replicas, w)
	if d.spec.Strategy == Shadow {
		stable = d.replicas // the shadow takes no client traffic
	}
	f := c.fleet(d)
	for range canary - f.New {
		c.startVersion(d, d.to)
	}
	to := d.to
	if f.New > canary {
		c.drainVersion(d, f.New-canary, func(in *instance, _ bool) bool { return int(in.version) == to })
	}
	if f.NewAvailable > d.lastNewAvail {
		c.noteProgress(d)
	}
	d.lastNewAvail = f.NewAvailable
	if f.NewAvailable < canary {
		c.wakeForMinReady(d)
		return
	}
	if f.Old > stable {
		c.drainVersion(d, f.Old-stable, func(in *instance, _ bool) bool { return int(in.version) != to })
	}
	if !d.stepBegun {
		d.stepBegun = true
		d.epoch++
		c.startAnalysis(d)
		c.sim.Schedule(c.sim.Now().Add(d.spec.Steps[d.step].Pause), c.kDeploy, d.id, d.epoch<<8|evDeployPause)
	}
}

// endStep judges a step: a pass moves to the next step (or promotes after
// the last), a failure aborts.
func (c *Cluster) endStep(d *deployment) {
	to := d.to
	if !c.judge(d, d.sample(func(v int) bool { return v == to }), d.sample(func(v int) bool { return v != to })) {
		c.abort(d)
		return
	}
	d.analyzing = false
	d.stepBegun = false
	d.epoch++
	if d.step++; d.step >= len(d.spec.Steps) {
		d.phase = phasePromoting
		d.s.route = nil
		for i := range d.routed {
			d.routed[i] = true
		}
		c.reroute(d.s)
	}
	c.noteProgress(d)
	c.syncDeploy(d)
}

// syncPromote scales the new version to the full fleet, then retires the
// old one.
func (c *Cluster) syncPromote(d *deployment) {
	f := c.fleet(d)
	for range d.replicas - f.New {
		c.startVersion(d, d.to)
	}
	if f.NewAvailable > d.lastNewAvail {
		c.noteProgress(d)
	}
	d.lastNewAvail = f.NewAvailable
	if f.NewAvailable < d.replicas {
		c.wakeForMinReady(d)
		return
	}
	c.retireOld(d)
}

// endDeploy closes a deployment's figures and hands the service back to
// its autoscaler, if any.
func (c *Cluster) endDeploy(d *deployment) {
	c.observeDeploy(d)
	s := d.s
	d.ended = c.sim.Now()
	d.phase = phaseDone
	d.analyzing = false
	d.epoch++
	if s.dep != d {
		return
	}
	s.dep, s.route = nil, nil
	if d.outcome == "complete" {
		s.spawn = uint8(d.spec.Version)
	} else {
		s.spawn = uint8(d.orig)
	}
	c.reroute(s)
	if s.live() != s.desired && s.auto != nil {
		c.SetDesired(int(s.id), s.desired)
	}
}

// deploySummaries returns the deployments' outcomes.
func (c *Cluster) deploySummaries() []results.Deploy {
	var out []results.Deploy
	for _, d := range c.deploys {
		s := d.s
		r := results.Deploy{
			Service: s.spec.Name, Version: s.vers[d.spec.Version].spec.Name, From: s.vers[d.orig].spec.Name,
			Strategy: d.spec.Strategy.String(), AtS: d.spec.At.Seconds(), Outcome: d.outcome,
			EndS: results.Missing(), DurationS: results.Missing(), DetectedS: results.Missing(),
			TimeToDetectS: results.Missing(), TimeToRollbackS: results.Missing(), BlastRadiusUsers: d.hurt.count(c.userSpace),
			BlastRadiusRequests: d.blast, NewVersionRequests: d.newReq, ShadowRequests: d.shadowReq,
			MaxSurge: d.surge, MaxUnavailable: d.unav, MaxCounted: d.maxCounted, MinAvailable: d.minAvail,
			Analyses: append([]results.Analysis{}, d.analyses...),
		}
		switch {
		case d.start < 0:
			r.Outcome = "not_started"
			r.From = ""
		case d.phase != phaseDone:
			c.observeDeploy(d)
			r.Outcome = "in_progress"
		default:
			r.EndS = d.ended.Seconds()
			r.DurationS = d.ended.Sub(d.start).Seconds()
		}
		r.ExtraInstanceSeconds = d.extraInt / 1e9
		if d.detected >= 0 {
			r.DetectedS = d.detected.Seconds()
			r.TimeToDetectS = d.detected.Sub(d.start).Seconds()
		}
		if d.back >= 0 && d.detected >= 0 {
			r.TimeToRollbackS = d.back.Sub(d.detected).Seconds()
		}
		out = append(out, r)
	}
	return out
}

// dispatchRouted picks the instance for a request under A/B routing, or
// mirrors it under shadow routing; it returns the rotation position to
// send the request to, or -1 for the balancer's choice.
func (c *Cluster) dispatchRouted(s *Service, id RequestID) int {
	d := s.route
	w := d.spec.Steps[min(d.step, len(d.spec.Steps)-1)].Weight / 100
	if d.spec.Strategy == Shadow {
		if d.keys.Float64() < w {
			c.mirror(d, id)
		}
		return -1
	}
	var key uint64
	if u := c.userOf(id); u != 0 {
		key = uint64(u - 1) // sticky per user
	} else {
		key = d.keys.Uint64()
	}
	side := deploy.ABBucket(key, w)
	d.scratch = d.scratch[:0]
	for pos, idx := range s.rotation {
		if (int(s.instances[idx].version) == d.to) == (side == 1) {
			d.scratch = append(d.scratch, int32(pos))
		}
	}
	switch len(d.scratch) {
	case 0:
		return -1
	case 1:
		return int(d.scratch[0])
	}
	a, b := d.scratch[d.pick.IntN(len(d.scratch))], d.scratch[d.pick.IntN(len(d.scratch))]
	if s.load[b] < s.load[a] {
		a = b
	}
	return int(a)
}

// mirror sends a copy of request id to the shadow version's least loaded
// of two random ready instances; its response is discarded. A copy that
// finds the queue full is dropped.
func (c *Cluster) mirror(d *deployment, id RequestID) {
	s := d.s
	d.scratch = d.scratch[:0]
	for i, in := range s.instances {
		if in.state == Ready && int(in.version) == d.to {
			d.scratch = append(d.scratch, int32(i))
		}
	}
	if len(d.scratch) == 0 {
		return
	}
	idx := d.scratch[d.pick.IntN(len(d.scratch))]
	if j := d.scratch[d.pick.IntN(len(d.scratch))]; s.instances[j].busy+s.instances[j].qlen < s.instances[idx].busy+s.instances[idx].qlen {
		idx = j
	}
	src := c.pool.reqs[id]
	nid := c.pool.alloc()
	r := &c.pool.reqs[nid]
	r.sent, r.work, r.workload, r.service, r.instance = src.sent, src.work, src.workload, src.service, idx
	c.pool.flags.v[nid] = flagShadow
	in := s.instances[idx]
	conc := int32(s.spec.Concurrency)
	switch {
	case in.busy < conc:
		in.arrivals++
		c.start(s, in, nid)
	case s.spec.Queue < 0 || int(in.qlen) < s.spec.Queue:
		in.arrivals++
		c.pool.enqueue(in, nid)
		s.queued++
	default:
		c.pool.release(nid)
		return
	}
	d.shadowReq++
	s.vers[d.to].win.arrivals++
}
