// Package results holds the plain data a simulation run produces: the
// whole-run summary, the per-window time series and the decision log. The
// models fill it in; the reports package turns it into files. It has no
// behaviour beyond small helpers, so both sides can depend on it.
package results

import (
	"math"
	"strconv"
)

// Summary is the whole-run result after the scenario's warm-up period. Its
// JSON form is the summary.json contract of DESIGN.md: field names and
// nesting must not change.
type Summary struct {
	Scenario      string                     `json:"scenario"`
	Seed          uint64                     `json:"seed"`
	SimDurationS  float64                    `json:"sim_duration_s"` // simulated seconds, warm-up excluded
	WarmupS       float64                    `json:"warmup_s"`       // simulated seconds excluded at the start
	Events        int64                      `json:"events"`         // engine events executed over the whole run
	Requests      Requests                   `json:"requests"`
	LatencyMs     Latency                    `json:"latency_ms"`
	ThroughputRPS float64                    `json:"throughput_rps"` // successful requests per simulated second
	Services      map[string]ServiceSummary  `json:"services"`
	NodePools     map[string]NodePoolSummary `json:"node_pools,omitempty"`
	Workloads     map[string]WorkloadSummary `json:"workloads"`
	// Edges is the per-edge table of call graphs (services calling
	// services), in declaration order; absent without calls.
	Edges      []Edge      `json:"edges,omitempty"`
	Cost       Cost        `json:"cost"`
	Scaling    []Decision  `json:"scaling_decisions"`
	Assertions []Assertion `json:"assertions"`
	// Deploys are the [[deploy]] entries' outcomes, in file order.
	Deploys []Deploy `json:"deploys,omitempty"`
	// Incomplete is true when the run was stopped early by a budget
	// (--max-events, --max-wall): the figures cover SimDurationS only.
	Incomplete bool `json:"incomplete,omitempty"`
	// StopReason says which budget stopped an incomplete run.
	StopReason string `json:"stop_reason,omitempty"`
}

// Requests counts requests by outcome. Total = OK + Errors; Errors =
// Timeouts + Rejected + Failed. Requests still in flight when the run ends
// have no outcome and are in none of the counts.
type Requests struct {
	Total    int64 `json:"total"`    // requests issued by clients after warm-up
	OK       int64 `json:"ok"`       // answered successfully before any timeout
	Errors   int64 `json:"errors"`   // every request that did not end OK
	Timeouts int64 `json:"timeouts"` // client gave up after its timeout
	Rejected int64 `json:"rejected"` // refused: queue full or no ready instance
	Failed   int64 `json:"failed"`   // lost to an instance crash or similar
	Retries  int64 `json:"retries"`  // extra attempts made by client retries
	// Hedges counts the copies hedging clients sent (Dean & Barroso's
	// hedged requests), absent when no workload hedges.
	Hedges *int64 `json:"hedges,omitempty"`
	// ErrorRatio is Errors / Total, from 0 to 1: the share of requests
	// that ended rejected, timed out or failed. Retries are not requests
	// of their own. Missing (NaN, null in JSON) when Total is 0.
	ErrorRatio float64 `json:"error_ratio"`
}

// SetErrorRatio sets ErrorRatio from Errors and Total, Missing when Total
// is 0.
func (r *Requests) SetErrorRatio() {
	r.ErrorRatio = Ratio(r.Errors, r.Total)
}

// Missing returns the value of a figure that does not exist, such as a
// percentile of no successful request: NaN in memory, null in
// summary.json, an empty field in timeseries.csv and a gap in plots.
// Never 0, which would let a dead service pass a latency gate.
func Missing() float64 { return math.NaN() }

// IsMissing reports whether v is a missing figure (NaN or infinite).
func IsMissing(v float64) bool { return math.IsNaN(v) || math.IsInf(v, 0) }

// Ratio returns a / b, or Missing when b is 0.
func Ratio(a, b int64) float64 {
	if b == 0 {
		return Missing()
	}
	return float64(a) / float64(b)
}

// Latency holds client-observed latency of successful requests in
// milliseconds. Every field is Missing when no request succeeded.
type Latency struct {
	Mean float64 `json:"mean"`
	P50  float64 `json:"p50"`
	P90  float64 `json:"p90"`
	P95  float64 `json:"p95"`
	P99  float64 `json:"p99"`
	P999 float64 `json:"p999"`
	Max  float64 `json:"max"`
}

// ServiceSummary is one service's whole-run figures.
type ServiceSummary struct {
	Replicas        Stat            `json:"replicas"`         // ready instances over time (mean is time-weighted)
	Utilization     Stat            `json:"utilization"`      // busy slots / total slots, per metrics window (mean over the run is time-weighted)
	ColdStarts      int64           `json:"cold_starts"`      // instances started during the run
	QueueMax        int64           `json:"queue_max"`        // largest number of requests waiting in the service at one instant
	QueueMean       float64         `json:"queue_mean"`       // time-average number of requests waiting in the service
	InFlightMean    float64         `json:"in_flight_mean"`   // time-average number of requests queued or in service in the service (Little's L)
	WaitMsMean      float64         `json:"wait_ms_mean"`     // mean time a request waited in a queue before service, ms
	InstanceSeconds float64         `json:"instance_seconds"` // billable instance time (starting, ready, draining)
	Requests        Requests        `json:"requests"`         // requests that reached this service
	LatencyMs       ServiceLatency  `json:"latency_ms"`       // sojourn time in this service (queue + service) of successful requests
	Connections     ConnectionStats `json:"connections"`      // open connections at window ends; Missing when no connection is modelled
	// LostToDead counts requests (after warm-up) the balancer sent to a
	// crashed instance before its health checks or outlier detection
	// took it out of rotation; each failed.
	LostToDead int64 `json:"lost_to_dead"`
	// LostToBalancer counts requests (after warm-up) lost to failures of
	// the service's balancer nodes: in flight through a failed node, or
	// sent while no node carried traffic or before the failed one was
	// withdrawn. Absent when the balancer is not modelled.
	LostToBalancer *int64 `json:"lost_to_balancer,omitempty"`
	// LostToRegion counts client requests (after warm-up) sent to a
	// failed region before its failover; each failed. Absent without a
	// region fault.
	LostToRegion *int64 `json:"lost_to_region,omitempty"`
	// Balancer is how the balancer spread the requests.
	Balancer BalancerSummary `json:"balancer"`
	// Versions holds per-version figures, for services that declare versions.
	Versions map[string]VersionSummary `json:"versions,omitempty"`
	// Flags holds per feature flag figures, for services with flags.
	Flags map[string]FlagSummary `json:"flags,omitempty"`
	// ChaosMonkey holds the kills of its Chaos Monkey, when it has one.
	ChaosMonkey *ChaosMonkey `json:"chaos_monkey,omitempty"`
	// Spot holds the interruptions of a spot fleet, when it has them.
	Spot      *Spot `json:"spot,omitempty"`
	Throttles int64 `json:"throttles"` // requests refused with HTTP 429 by a function's limits (retried ones each time); 0 for instances
	// Function holds a function service's own figures; nil (omitted) for
	// instance services.
	Function *FunctionSummary `json:"function,omitempty"`
	Cache    *CacheSummary    `json:"cache,omitempty"` // the service's cache; absent without one
	// Database holds a database service's figures; absent for others.
	Database *DatabaseSummary `json:"database,omitempty"`
	// Endpoints holds per-endpoint figures, when its workloads send a mix
	// of endpoints (identity.go).
	Endpoints map[string]EndpointSummary `json:"endpoints,omitempty"`
	// Sessions is its session store, when it declares one.
	Sessions *SessionStore `json:"sessions,omitempty"`
}

// ConnectionStats summarises a service's open connections, sampled at the
// end of each metrics window after warm-up. Every field is Missing for a
// service no modelled connection reaches.
type ConnectionStats struct {
	Max  float64 `json:"max"`  // most connections open at a window's end
	Mean float64 `json:"mean"` // mean over window ends
	// ImbalanceMax is the largest connection_imbalance of a window: the
	// busiest ready instance's connections over the mean of ready
	// instances; Missing when no window had a connection on a ready instance.
	ImbalanceMax float64 `json:"imbalance_max"`
}

// BalancerSummary is how a service's balancer spread its requests over
// the windows after warm-up.
type BalancerSummary struct {
	// KeyAffinity is the share of keyed requests sent to the same
	// instance as the previous request with the same key (the hit ratio
	// a per-instance cache of the key could reach, cold misses aside);
	// a key's first request is not counted. Missing without keys.
	KeyAffinity float64 `json:"key_affinity"`
	// KeyedRequests is the number of keyed requests dispatched whose key
	// had been seen before: KeyAffinity's denominator.
	KeyedRequests int64 `json:"keyed_requests"`
	// ArrivalImbalanceMax and ArrivalImbalanceMean are the largest and
	// mean over windows of (requests sent to the busiest instance in
	// rotation) / (mean per instance in rotation): 1 for an even spread;
	// Missing when no window had arrivals.
	ArrivalImbalanceMax  float64 `json:"arrival_imbalance_max"`
	ArrivalImbalanceMean float64 `json:"arrival_imbalance_mean"`
}

// FunctionSummary is a function service's whole-run figures beyond the
// ServiceSummary ones (its cold_starts are environments initialised on
// demand; its replicas are environments in existence).
type FunctionSummary struct {
	Invocations     int64   `json:"invocations"`       // invocations that ended (billed), including those stopped at the function's timeout
	ColdStartRatio  float64 `json:"cold_start_ratio"`  // cold starts / invocations; Missing when none ended
	BilledGBSeconds float64 `json:"billed_gb_seconds"` // billed duration (rounded up to the ms) × memory
	EnvironmentsMax int     `json:"environments_max"`  // most execution environments in existence at once (whole run)
	Provisioned     int     `json:"provisioned"`       // most provisioned-concurrency environments at once (whole run)
	LatencyMsWarm   Latency `json:"latency_ms_warm"`   // latency of successful invocations that found a warm environment
	LatencyMsCold   Latency `json:"latency_ms_cold"`   // latency of successful invocations that started a new environment
}

// CacheSummary is a service cache's whole-run figures: lookups of
// requests sent after warm-up.
type CacheSummary struct {
	HitRatio float64 `json:"hit_ratio"` // Hits / (Hits + Misses); Missing without lookups
	Hits     int64   `json:"hits"`      // requests answered by the cache
	Misses   int64   `json:"misses"`    // requests passed to an instance (coalesced ones included)
	// Coalesced counts misses that waited for another request's fill of
	// their key instead of reaching an instance (coalesce = true); null
	// when the cache does not coalesce.
	Coalesced *int64 `json:"coalesced"`
	Flushes   int64  `json:"flushes"` // cache_flush faults that emptied it
}

// DatabaseSummary is a database service's whole-run figures, of requests
// sent after warm-up.
type DatabaseSummary struct {
	Reads      int64   `json:"reads"`       // read requests (cache hits included)
	Writes     int64   `json:"writes"`      // write requests
	WriteRatio float64 `json:"write_ratio"` // Writes / (Reads + Writes); Missing without requests
	// Shards and ReadReplicas (per shard) describe its layout.
	Shards       int `json:"shards"`
	ReadReplicas int `json:"read_replicas"`
	// ReplicationLagMs is the replication lag: a write reaches the
	// replicas this long after its primary commits it.
	ReplicationLagMs float64 `json:"replication_lag_ms"`
	// StaleReads counts reads a replica answered within the lag of the
	// last committed write to their key; Missing without keys.
	StaleReads     float64 `json:"stale_reads"`
	StaleReadRatio float64 `json:"stale_read_ratio"` // StaleReads / Reads; Missing without keys or reads
	// ShardRequests is the requests routed to each shard (cache hits and
	// pool timeouts excluded).
	ShardRequests []int64 `json:"shard_requests"`
	// HotShardShare is the busiest shard's share of ShardRequests, and
	// ShardImbalance that share × shards (1 when even); Missing when none.
	HotShardShare  float64 `json:"hot_shard_share"`
	ShardImbalance float64 `json:"shard_imbalance"`
	// PrimaryUtilization and ReplicaUtilization are the busy share of the
	// slots of the primaries and of the read replicas over the run after
	// warm-up; ReplicaUtilization is Missing without replicas.
	PrimaryUtilization float64 `json:"primary_utilization"`
	ReplicaUtilization float64 `json:"replica_utilization"`
	// Pool is its connection pool; absent without one.
	Pool *PoolSummary `json:"pool,omitempty"`
}

// PoolSummary is a database connection pool's figures, of requests sent
// after warm-up.
type PoolSummary struct {
	Size int `json:"size"` // connections
	// WaitProbability is the share of requests reaching the pool that found
	// no free connection and waited (Erlang C's C(N, a)); Missing without.
	WaitProbability float64 `json:"wait_probability"`
	// WaitMsMean is the mean wait for a connection of the requests that got
	// one, zero waits included, ms; Missing when none did.
	WaitMsMean float64 `json:"wait_ms_mean"`
	Timeouts   int64   `json:"timeouts"`  // requests that waited pool_timeout and failed (counted as rejected)
	QueueMax   int64   `json:"queue_max"` // most requests waiting for a connection at once
}

// ServiceLatency is a service's latency block: the whole-run figures and
// the worst metrics window.
type ServiceLatency struct {
	Latency
	// WorstWindowP99 is the largest p99 of a metrics window that starts
	// after warm-up (the timeseries p99_ms column), in ms; Missing when no
	// such window had a successful request.
	WorstWindowP99 float64 `json:"worst_window_p99"`
}

// WorkloadSummary is one workload's whole-run figures.
type WorkloadSummary struct {
	Requests   Requests `json:"requests"`
	OfferedRPS float64  `json:"offered_rps"` // arrivals per simulated second after warm-up
	LatencyMs  Latency  `json:"latency_ms"`
	// ShortCircuited counts requests the workload's open circuit breaker
	// failed at once, without sending them (also in Requests.Rejected).
	ShortCircuited int64 `json:"short_circuited,omitempty"`
	// Sessions counts its sessions, when it sends sessions.
	Sessions *SessionCounts `json:"sessions,omitempty"`
}

// Edge is the traffic from one service to another it calls, after
// warm-up: calls that ended, those that failed (rejected, lost, or failed
// by their own calls) and the latency of the successful ones, as the
// caller sees it.
type Edge struct {
	From       string  `json:"from"`
	To         string  `json:"to"`
	Calls      int64   `json:"calls"`
	Errors     int64   `json:"errors"`
	ErrorRatio float64 `json:"error_ratio"` // Errors / Calls; Missing when no call ended
	LatencyMs  Latency `json:"latency_ms"`
	// Retries counts call attempts resent by the calls entry's retry;
	// Calls and Errors count calls after their last attempt.
	Retries int64 `json:"retries"`
	// Timeouts counts call attempts the caller gave up on (its timeout).
	Timeouts int64 `json:"timeouts"`
	// ShortCircuited counts calls failed at once by the calls entry's
	// open circuit breaker, without being sent (also in Errors).
	ShortCircuited int64 `json:"short_circuited,omitempty"`
}

// Stat is a min/max/mean triple.
type Stat struct {
	Min  float64 `json:"min"`
	Max  float64 `json:"max"`
	Mean float64 `json:"mean"`
}

// Cost is the run's cost in US dollars: per service (instance-hours ×
// the service's price), per node pool (node-hours × the pool's price) and
// in total.
type Cost struct {
	TotalUSD  float64            `json:"total_usd"`
	Services  map[string]float64 `json:"services"`
	NodePools map[string]float64 `json:"node_pools,omitempty"`
}

// NodePoolSummary is one node pool's whole-run figures.
type NodePoolSummary struct {
	Nodes       Stat    `json:"nodes"`        // ready nodes over time (mean is time-weighted)
	NodeSeconds float64 `json:"node_seconds"` // billable node time (provisioning, ready, removing)
}

// Decision records one scaling decision: when, by which policy, on what
// inputs, what it decided and why.
type Decision struct {
	TimeS   float64 `json:"time_s"`
	Service string  `json:"service"`
	Policy  string  `json:"policy"`
	Metric  float64 `json:"metric"`  // the observed metric value the policy used
	Current int     `json:"current"` // replicas before the decision
	// Recommended is the policy's own proposal before stabilisation,
	// rate limits, cooldowns and bounds.
	Recommended int    `json:"recommended"`
	Desired     int    `json:"desired"` // replicas after the decision
	Reason      string `json:"reason"`
}

// Assertion is one evaluated [[assert]] block.
type Assertion struct {
	Name string `json:"name"`
	// Metric is the summary.json path checked, or for a windowed
	// assertion its aggregate, column and range: "max(api.p99_ms) 5m..30m".
	Metric string  `json:"metric"`
	OK     bool    `json:"ok"`
	Value  float64 `json:"value"`
	Limit  string  `json:"limit"` // human form, e.g. "<= 250" or ">= 10, <= 20"
	// Reason says why the assertion failed without a value to compare
	// ("no successful requests"); Value is then Missing.
	Reason string `json:"reason,omitempty"`
}

// Series is the time series of a run: one row per metrics window. Columns
// are named SERVICE.METRIC; Times are window end times in seconds.
type Series struct {
	Columns []string    // without the leading time_s column
	Times   []float64   // one per row
	Rows    [][]float64 // Rows[i][j] is Columns[j] at Times[i]
}

// Column returns the values of the named column, or nil if absent.
func (s *Series) Column(name string) []float64 {
	for j, c := range s.Columns {
		if c == name {
			out := make([]float64, len(s.Rows))
			for i, r := range s.Rows {
				out[i] = r[j]
			}
			return out
		}
	}
	return nil
}

// MarshalJSON writes a missing figure as null, for encoders other than
// the reports package's (which rounds and nulls every float itself).
func (c ConnectionStats) MarshalJSON() ([]byte, error) {
	b := []byte(`{"max":`)
	for i, v := range []float64{c.Max, c.Mean, c.ImbalanceMax} {
		if i == 1 {
			b = append(b, `,"mean":`...)
		} else if i == 2 {
			b = append(b, `,"imbalance_max":`...)
		}
		if IsMissing(v) {
			b = append(b, "null"...)
		} else {
			b = strconv.AppendFloat(b, v, 'g', -1, 64)
		}
	}
	return append(b, '}'), nil
}
