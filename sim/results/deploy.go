package results

// VersionSummary is one version's whole-run figures within a service
// (summary.json services.NAME.versions.VERSION), after warm-up.
type VersionSummary struct {
	// Requests counts requests served by instances of this version: OK,
	// and Failed for error responses (the version's error_rate).
	Requests Requests `json:"requests"`
	// RPS is requests routed to the version per simulated second.
	RPS float64 `json:"rps"`
	// LatencyMs is the latency of its successful requests.
	LatencyMs Latency `json:"latency_ms"`
	// ShadowRequests counts mirrored copies it served (responses
	// discarded), included in Requests.
	ShadowRequests int64 `json:"shadow_requests"`
	// Crashes counts its instances that crashed after crash_after;
	// absent when the version has none.
	Crashes *int64 `json:"crashes,omitempty"`
	// OOMKills counts its instances killed when their leak reached its
	// limit; absent when the version has no such leak.
	OOMKills *int64 `json:"oom_kills,omitempty"`
	// Users is the distinct users whose requests it answered after
	// warm-up (ok or error, mirrored copies excluded); absent when no
	// workload carries user ids, Missing when some request had none.
	Users *float64 `json:"users,omitempty"`
}

// Deploy is one [[deploy]] entry's outcome (summary.json deploys[i]).
// Times are simulated seconds from the start of the run; a figure that
// does not exist (no detection, no rollback) is Missing.
type Deploy struct {
	Service  string  `json:"service"`
	Version  string  `json:"version"` // the version deployed
	From     string  `json:"from"`    // the version running when it started
	Strategy string  `json:"strategy"`
	AtS      float64 `json:"at_s"`
	// Outcome is "complete" (the new version serves everything),
	// "rolled_back" (back on the old version after a failure),
	// "failed" (stopped and left as it was), "superseded" (a later
	// deploy of the service took over) or "in_progress" at the end of the
	// run.
	Outcome string `json:"outcome"`
	// EndS is when it completed, finished rolling back, failed or was
	// superseded; Missing while in progress.
	EndS float64 `json:"end_s"`
	// DurationS is EndS - AtS.
	DurationS float64 `json:"duration_s"`
	// DetectedS is when the failure was detected (a failed analysis or
	// the progress deadline); Missing when none was.
	DetectedS float64 `json:"detected_s"`
	// TimeToDetectS is DetectedS - AtS.
	TimeToDetectS float64 `json:"time_to_detect_s"`
	// TimeToRollbackS is from detection until no instance of the new
	// version served clients any more; Missing without a rollback.
	TimeToRollbackS float64 `json:"time_to_rollback_s"`
	// BlastRadiusRequests counts client requests the new version failed
	// (error responses) or answered slower than the deploy's slo.
	BlastRadiusRequests int64 `json:"blast_radius_requests"`
	// BlastRadiusUsers is the distinct users among them; Missing: the
	// workloads carry no user identities.
	BlastRadiusUsers float64 `json:"blast_radius_users"`
	// NewVersionRequests counts client requests the new version served.
	NewVersionRequests int64 `json:"new_version_requests"`
	// ShadowRequests counts mirrored copies sent to the new version.
	ShadowRequests int64 `json:"shadow_requests"`
	// ExtraInstanceSeconds is the time-integral of billed instances above
	// the service's replicas while the deploy ran.
	ExtraInstanceSeconds float64 `json:"extra_instance_seconds"`
	// MaxSurge and MaxUnavailable are the resolved fenceposts (rolling).
	MaxSurge       int `json:"max_surge"`
	MaxUnavailable int `json:"max_unavailable"`
	// MaxCounted and MinAvailable are the most instances the controller
	// counted and the fewest available at any instant while it ran.
	MaxCounted   int `json:"max_counted"`
	MinAvailable int `json:"min_available"`
	// Analyses are the canary judge's verdicts, in order.
	Analyses []Analysis `json:"analyses"`
}

// Analysis is one canary-judge verdict.
type Analysis struct {
	AtS          float64 `json:"at_s"`
	Score        float64 `json:"score"` // 0-100
	Pass         bool    `json:"pass"`
	ErrorZ       float64 `json:"error_z"`       // two-proportion z of canary vs baseline error rate
	LatencyRatio float64 `json:"latency_ratio"` // canary p99 / baseline p99; Missing when not judged
}

// ChaosMonkey is a service's Chaos Monkey figures over the whole run
// (summary.json services.NAME.chaos_monkey).
type ChaosMonkey struct {
	Kills     int64 `json:"kills"`     // instances killed
	Recovered int64 `json:"recovered"` // kills after which the ready count came back
	// MTTRS is the mean time to recovery: from a kill until the service
	// has as many ready instances as just before it, seconds; Missing when
	// no kill was recovered from.
	MTTRS float64 `json:"mttr_s"`
}

// Spot is a spot fleet's interruptions over the whole run
// (summary.json services.NAME.spot).
type Spot struct {
	Interruptions int64 `json:"interruptions"` // two-minute notices given (each instance drained, then terminated)
	RequestsLost  int64 `json:"requests_lost"` // requests still on an interrupted instance when it was terminated; each failed
}

// FlagSummary is one feature flag's figures after warm-up.
type FlagSummary struct {
	// Requests counts requests served on the flag's path.
	Requests int64 `json:"requests"`
	// Errors counts those the flag answered with an error: its blast
	// radius.
	Errors int64 `json:"errors"`
	// ErrorRatio is Errors / Requests; Missing without requests.
	ErrorRatio float64 `json:"error_ratio"`
	// LatencyMs is the sojourn time at the service of its successful
	// requests.
	LatencyMs Latency `json:"latency_ms"`
	// KilledAtS is when its kill switch turned it off, seconds; Missing
	// when it was never killed.
	KilledAtS float64 `json:"killed_at_s"`
}
