package results

// EndpointSummary is one endpoint's figures at the service its workloads
// target, after warm-up: the requests of that endpoint as their clients
// saw them (retries included in one request, calls in its latency).
type EndpointSummary struct {
	Requests Requests `json:"requests"`
	// RPS is the endpoint's requests sent per simulated second.
	RPS float64 `json:"rps"`
	// Share is its part of the requests sent to the service's endpoints.
	Share     float64 `json:"share"`
	LatencyMs Latency `json:"latency_ms"` // client-observed, successful requests
}

// SessionStore is how a service keeps its users' sessions, and what that
// cost, after warm-up.
type SessionStore struct {
	// Store is "memory" (sticky sessions held by the instance) or
	// "external" (a call to a session-store service per request).
	Store string `json:"store"`
	// Lost counts sessions held in memory by instances that went away
	// (crashed, killed, scaled in); 0 for an external store.
	Lost int64 `json:"lost"`
	// HeldMax is the most sessions held in memory at a window's end;
	// Missing for an external store.
	HeldMax float64 `json:"held_max"`
}

// SessionCounts counts a workload's sessions (sequences of endpoint
// requests by one user), started after warm-up.
type SessionCounts struct {
	Started   int64 `json:"started"`
	Completed int64 `json:"completed"` // every step answered successfully
	Abandoned int64 `json:"abandoned"` // a step failed: the user gave up the session
	// InProgress were still running at the end of the run.
	InProgress int64 `json:"in_progress"`
}
