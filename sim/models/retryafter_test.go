package models_test

import (
	"testing"

	"github.com/clustersim/clustersim/sim/dist"
	"github.com/clustersim/clustersim/sim/engine"
	"github.com/clustersim/clustersim/sim/models"
	"github.com/clustersim/clustersim/sim/policies/retry"
)

// TestRetryAfterSchedule: one closed-loop user with no think time against
// a service that rejects everything with a Retry-After, retrying 3
// attempts in all with backoff 100 ms and no jitter. A client honouring
// Retry-After waits max(backoff, retry_after) (RFC 9110 §10.2.3; the AWS
// SDKs and gRPC's retry throttling wait at least the server's pushback).
//   - retry_after 250 ms: waits max(100, 250) + max(200, 250) = 500 ms a
//     request: in 30 s exactly 60 requests end, with 120 retries; the
//     61st, sent at 30 s, has its first attempt rejected when the run
//     ends: 181 rejected attempts.
//   - retry_after 150 ms: max(100, 150) + max(200, 150) = 350 ms a request:
//     requests start at 0, 0.35 ... 29.75 s (86 of them); 85 end, the
//     86th makes its first retry at 29.9 s and its second would be at
//     30.1 s, after the end: 171 retries, 257 rejected attempts.
func TestRetryAfterSchedule(t *testing.T) {
	for _, tc := range []struct {
		after                      engine.Duration
		requests, retries, svcRejs int64
	}{
		{250 * engine.Millisecond, 60, 120, 181},
		{150 * engine.Millisecond, 85, 171, 257},
		{0, 100, 200, 301}, // TestRetrySchedule's figures: no Retry-After
	} {
		w := models.WorkloadSpec{
			Name: "w", Service: 0, ServiceTime: dist.Spec{Kind: "constant", Mean: 0.01},
			Users: 1, Think: dist.Spec{Kind: "constant", Mean: 0},
			Retry: &models.RetrySpec{Attempts: 3, Backoff: 100 * engine.Millisecond, Jitter: retry.None},
		}
		_, sum := runRecorded(t, models.Config{
			Name: "retry-after", Seed: 5, Duration: 30*engine.Second + engine.Millisecond, Window: engine.Second,
			Services: []models.ServiceSpec{{Name: "svc", Replicas: 0, Concurrency: 1, Queue: -1, Algorithm: "round_robin",
				RetryAfter: tc.after}},
			Workloads: []models.WorkloadSpec{w},
		})
		if sum.Requests.Total != tc.requests || sum.Requests.Rejected != tc.requests || sum.Requests.Retries != tc.retries {
			t.Errorf("retry_after %v: requests %+v, want %d rejected after %d retries", tc.after, sum.Requests, tc.requests, tc.retries)
		}
		if got := sum.Services["svc"].Requests.Rejected; got != tc.svcRejs {
			t.Errorf("retry_after %v: the service rejected %d attempts, want %d", tc.after, got, tc.svcRejs)
		}
	}
}
