package models

import (
	"math"

	"github.com/clustersim/clustersim/sim/engine"
	"github.com/clustersim/clustersim/sim/results"
)

// serviceTotals accumulates a service's figures over the windows that
// start after the warm-up period.
type serviceTotals struct {
	serviceWindow
	utilMin, utilMax   float64
	readyMin, readyMax int
	queueMax           int64
	seenReady          bool
	windows            int     // windows folded in
	worstP99           float64 // largest window p99 in ms; results.Missing until a window has one
	// Arrival imbalance over the windows that had arrivals.
	imbalanceSum, imbalanceMax float64
	imbalanceN                 int
}

// ServiceColumns lists, in order, the time-series columns each service
// contributes, named SERVICE.METRIC. Rates are per simulated second over
// the window; queue and in_flight are time averages of service totals
// (not per instance); replicas are counts
// at the window's end.
var ServiceColumns = []string{
	"rps",                  // requests arriving per second
	"ok",                   // requests answered successfully per second
	"errors",               // requests failed per second (timeouts + rejected + failed)
	"error_ratio",          // errors / (ok + errors) of requests ending in the window; empty when none ended
	"timeouts",             // client timeouts per second
	"rejected",             // requests refused per second (queue full, no instance)
	"p50_ms",               // median latency of requests completed in the window; empty when none succeeded
	"p95_ms",               // 95th percentile latency; empty when none succeeded
	"p99_ms",               // 99th percentile latency; empty when none succeeded
	"utilization",          // busy slots / ready slots, time-averaged
	"queue",                // requests waiting, summed over the service's instances, time-averaged
	"in_flight",            // requests queued or in service, summed over the service's instances, time-averaged
	"replicas_desired",     // instances the fleet should have
	"replicas_ready",       // instances in the balancer
	"replicas_starting",    // instances booting, not yet ready
	"replicas_pending",     // instances waiting for a node
	"cold_starts",          // instances (functions: execution environments) created in the window
	"connections",          // connections open at the window's end; empty when the service has no modelled connections
	"connection_imbalance", // most connections on one ready instance / their mean over ready instances; empty when none
	"concurrency",          // requests in service, time-averaged (functions: busy environments, init included)
	"throttles",            // requests refused with HTTP 429 by a function's limits, per second; 0 for instances
	"cost_usd",             // US dollars spent in the window (see the cost package)
}

// NodePoolColumns lists the time-series columns each node pool
// contributes, named POOL.METRIC, at each window's end.
var NodePoolColumns = []string{
	"nodes_ready",        // nodes accepting instances
	"nodes_provisioning", // nodes requested, not yet ready
	"cpu_requested",      // CPU requested by instances / CPU of ready nodes
}

func (c *Cluster) columns() []string {
	var cols []string
	for _, s := range c.services {
		for _, m := range ServiceColumns {
			cols = append(cols, s.spec.Name+"."+m)
		}
		for _, m := range BalancerColumns {
			cols = append(cols, s.spec.Name+"."+m)
		}
		for _, v := range s.spec.Versions {
			for _, m := range VersionColumns {
				cols = append(cols, s.spec.Name+"@"+v.Name+"."+m)
			}
		}
		if len(s.spec.Flags) > 0 {
			for _, m := range FlagColumns {
				cols = append(cols, s.spec.Name+"."+m)
			}
		}
		cols = append(cols, c.identityColumns(s)...)
	}
	for _, p := range c.pools {
		for _, m := range NodePoolColumns {
			cols = append(cols, p.spec.Name+"."+m)
		}
	}
	return cols
}

// nextWindowEnd returns the end of the window that contains t.
func (c *Cluster) nextWindowEnd(t engine.Time) engine.Time {
	w := engine.Time(c.cfg.Window)
	end := (t/w + 1) * w
	return min(end, c.horizon)
}

// onWindow closes a metrics window: it writes the window's row, folds the
// window into the run totals if it started after warm-up, and schedules
// the next window.
func (c *Cluster) onWindow(ev engine.Event) {
	now := c.sim.Now()
	c.closedAt = now
	start := now - engine.Time(c.cfg.Window)
	if rem := now % engine.Time(c.cfg.Window); rem != 0 { // a short last window
		start = now - rem
	}
	span := now.Sub(start).Seconds()
	counted := start >= c.warmup
	if counted {
		c.windows++
	}
	row := c.row[:0]
	for _, s := range c.services {
		s.integrate(now)
		w := &s.win
		// Latency is recorded once per request, in its workload's window
		// sketch; a service's window sketch merges those of the workloads
		// it serves.
		for _, wl := range c.workloads {
			if wl.spec.Service == int(s.id) {
				w.lat.merge(wl.winLat)
			}
		}
		util := ratio(w.busyInt, w.slotInt)
		dt := float64(now - start)
		errs := w.timeouts + w.rejected + w.failed
		p99 := w.lat.quantile(0.99)
		row = append(row,
			float64(w.arrivals)/span,
			float64(w.ok)/span,
			float64(errs)/span,
			results.Ratio(errs, w.ok+errs),
			float64(w.timeouts)/span,
			float64(w.rejected)/span,
			w.lat.quantile(0.5), w.lat.quantile(0.95), p99,
			util,
			float64(w.queueInt)/dt,
			float64(w.inFlightInt)/dt,
			float64(s.desired), float64(s.ready), float64(s.starting), float64(s.pending),
			float64(w.coldStarts),
		)
		open, imb := c.connStats(s, now)
		row = append(row, open, imb, float64(w.busyInt)/dt)
		row = c.costColumns(row, s, span, counted)
		affinity, imbalance := s.balancerRow(counted)
		row = append(row, affinity, imbalance)
		if s.vers != nil {
			row = s.versionRow(row, span, counted)
		}
		if s.feat != nil {
			row = s.flagRow(row, span)
		}
		if c.pool.ids.on || s.store != nil {
			row = c.identityRow(row, s, span, counted)
		}
		if counted {
			c.fold(s, util, p99)
			if s.conn != nil {
				s.conn.fold(open, imb)
			}
			s.total.foldImbalance(imbalance)
		}
		w.reset()
	}
	for _, p := range c.pools {
		c.integratePool(p)
		used, capacity := 0.0, 0.0
		for _, ni := range p.nodes {
			if n := c.nodes[ni]; n.state == NodeReady {
				used += n.cpu
				capacity += p.spec.CPU
			}
		}
		util := 0.0
		if capacity > 0 {
			util = used / capacity
		}
		row = append(row, float64(p.ready), float64(p.provisioning), util)
	}
	for _, wl := range c.workloads {
		if counted {
			wl.lat.merge(wl.winLat)
		}
		wl.winLat.reset()
	}
	if c.sink != nil && c.sinkErr == nil {
		if err := c.sink.Row(now.Seconds(), row); err != nil {
			c.sinkErr = err
			c.sim.Stop()
		}
	}
	if now < c.horizon {
		c.sim.Schedule(c.nextWindowEnd(now), c.kWindow, 0, 0)
	}
}

// fold adds a service's closing window, whose utilization and p99 latency
// (results.Missing when nothing succeeded) are given, to its run totals.
func (c *Cluster) fold(s *Service, util, p99 float64) {
	t, w := &s.total, &s.win
	t.arrivals += w.arrivals
	t.ok += w.ok
	t.timeouts += w.timeouts
	t.rejected += w.rejected
	t.failed += w.failed
	t.busyInt += w.busyInt
	t.slotInt += w.slotInt
	t.queueInt += w.queueInt
	t.inFlightInt += w.inFlightInt
	t.readyInt += w.readyInt
	t.billInt += w.billInt
	t.started += w.started
	t.waitSum += w.waitSum
	t.coldStarts += w.coldStarts
	t.lat.merge(w.lat)
	if t.windows == 0 {
		t.utilMin, t.utilMax = util, util
		t.worstP99 = results.Missing()
	}
	if !results.IsMissing(p99) && (results.IsMissing(t.worstP99) || p99 > t.worstP99) {
		t.worstP99 = p99
	}
	t.windows++
	t.utilMin = math.Min(t.utilMin, util)
	t.utilMax = math.Max(t.utilMax, util)
	t.observeReady(s.ready)
}

// observeReady folds the current ready count into the run's extremes.
func (t *serviceTotals) observeReady(ready int) {
	if !t.seenReady {
		t.readyMin, t.readyMax, t.seenReady = ready, ready, true
	}
	t.readyMin = min(t.readyMin, ready)
	t.readyMax = max(t.readyMax, ready)
}

func ratio(a, b int64) float64 {
	if b == 0 {
		return 0
	}
	return float64(a) / float64(b)
}

// meanOf is sum/n, or results.Missing when n is 0: the mean of nothing
// does not exist (it is not 0).
func meanOf(sum, n int64) float64 {
	if n == 0 {
		return results.Missing()
	}
	return float64(sum) / float64(n)
}

// summary assembles the whole-run figures after warm-up.
func (c *Cluster) summary() *results.Summary {
	measured := c.horizon - c.warmup
	secs := measured.Seconds()
	sum := &results.Summary{
		Scenario:     c.cfg.Name,
		Seed:         c.cfg.Seed,
		SimDurationS: secs,
		WarmupS:      c.warmup.Seconds(),
		Events:       c.sim.Executed(),
		Services:     map[string]results.ServiceSummary{},
		Workloads:    map[string]results.WorkloadSummary{},
		Cost:         results.Cost{Services: map[string]float64{}},
		Scaling:      append([]results.Decision{}, c.decisions...),
		Assertions:   []results.Assertion{},
	}
	all := newLatencies()
	for _, w := range c.workloads {
		req := results.Requests{
			OK: w.ok, Timeouts: w.timeouts, Rejected: w.rejected, Failed: w.failed, Retries: w.resent,
		}
		req.Errors = req.Timeouts + req.Rejected + req.Failed
		req.Total = req.OK + req.Errors
		req.SetErrorRatio()
		if w.hedge != nil { // hedge.go
			n := w.hedge.sent
			req.Hedges = &n
			sum.Requests.Hedges = addCount(sum.Requests.Hedges, n)
		}
		sum.Requests.OK += req.OK
		sum.Requests.Timeouts += req.Timeouts
		sum.Requests.Rejected += req.Rejected
		sum.Requests.Failed += req.Failed
		sum.Requests.Retries += req.Retries
		sum.Requests.Errors += req.Errors
		sum.Requests.Total += req.Total
		sum.Workloads[w.spec.Name] = results.WorkloadSummary{
			Requests:       req,
			OfferedRPS:     float64(w.sent) / secs,
			LatencyMs:      w.lat.summary(),
			ShortCircuited: w.shorted,
			Sessions:       w.sessionSummary(),
		}
		all.merge(w.lat)
	}
	sum.Requests.SetErrorRatio()
	sum.Edges = c.edgeSummaries()
	sum.LatencyMs = all.summary()
	sum.ThroughputRPS = float64(sum.Requests.OK) / secs
	for _, s := range c.services {
		t := &s.total
		m := float64(measured)
		req := results.Requests{OK: t.ok, Timeouts: t.timeouts, Rejected: t.rejected, Failed: t.failed}
		req.Errors = req.Timeouts + req.Rejected + req.Failed
		req.Total = req.OK + req.Errors
		req.SetErrorRatio()
		worst := t.worstP99
		if t.windows == 0 {
			worst = results.Missing()
		}
		instSec := float64(t.billInt) / 1e9
		ss := results.ServiceSummary{
			Replicas:        results.Stat{Min: float64(t.readyMin), Max: float64(t.readyMax), Mean: float64(t.readyInt) / m},
			Utilization:     results.Stat{Min: t.utilMin, Mean: ratio(t.busyInt, t.slotInt), Max: t.utilMax},
			ColdStarts:      t.coldStarts,
			QueueMax:        t.queueMax,
			QueueMean:       float64(t.queueInt) / m,
			InFlightMean:    float64(t.inFlightInt) / m,
			WaitMsMean:      meanOf(t.waitSum, t.started) / 1e6,
			InstanceSeconds: instSec,
			Requests:        req,
			LatencyMs:       results.ServiceLatency{Latency: t.lat.summary(), WorstWindowP99: worst},
			Connections:     s.connSummary(),
			LostToDead:      s.lostToDead(),
			LostToBalancer:  s.lostToBalancer(),
			LostToRegion:    s.lostToRegionCount(),
			Balancer:        s.balancerSummary(),
			Versions:        c.versionSummaries(s, secs),
			Flags:           s.flagSummaries(),
			ChaosMonkey:     s.monkeySummary(),
			Spot:            s.spotSummary(),
			Cache:           s.cacheSummary(),
			Database:        c.dbSummary(s, engine.Duration(measured)),
			Endpoints:       c.endpointSummaries(s, secs),
			Sessions:        s.storeSummary(),
		}
		cost := c.serviceCost(s, &ss, instSec)
		sum.Requests.Retries += ss.Requests.Retries
		sum.Services[s.spec.Name] = ss
		sum.Cost.Services[s.spec.Name] = cost
		sum.Cost.TotalUSD += cost
	}
	sum.Deploys = c.deploySummaries()
	if len(c.pools) > 0 {
		sum.NodePools = map[string]results.NodePoolSummary{}
		sum.Cost.NodePools = map[string]float64{}
	}
	for _, p := range c.pools {
		c.integratePool(p)
		nodeSec := float64(p.billInt) / 1e9
		sum.NodePools[p.spec.Name] = results.NodePoolSummary{
			Nodes:       results.Stat{Min: float64(p.readyMin), Max: float64(p.readyMax), Mean: float64(p.readyInt) / float64(measured)},
			NodeSeconds: nodeSec,
		}
		cost := nodeSec / 3600 * p.spec.CostPerHour
		sum.Cost.NodePools[p.spec.Name] = cost
		sum.Cost.TotalUSD += cost
	}
	return sum
}
