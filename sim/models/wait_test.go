package models_test

import (
	"encoding/json"
	"math"
	"strings"
	"testing"

	"github.com/clustersim/clustersim/reports"
	"github.com/clustersim/clustersim/sim/dist"
	"github.com/clustersim/clustersim/sim/engine"
	"github.com/clustersim/clustersim/sim/models"
)

// TestWaitMeanMissingWhenNothingStarted: a service's wait_ms_mean is the
// mean queueing time of the requests that started service after the
// warm-up. When none did, the mean does not exist: it is NaN inside and
// null in summary.json, not 0 (issue 11; DESIGN.md, "a figure that does
// not exist is null"). A service that served requests with no
// contention (one request at a time, arrivals 1 s apart, service 1 ms)
// waited exactly 0, which is a figure.
func TestWaitMeanMissingWhenNothingStarted(t *testing.T) {
	_, s := runRecorded(t, models.Config{
		Name: "wait", Seed: 1, Duration: 60 * engine.Second, Warmup: 10 * engine.Second, Window: 10 * engine.Second,
		Services: []models.ServiceSpec{
			{Name: "busy", Replicas: 1, Concurrency: 1, Queue: -1, Algorithm: "round_robin"},
			{Name: "idle", Replicas: 1, Concurrency: 1, Queue: -1, Algorithm: "round_robin"},
		},
		Workloads: []models.WorkloadSpec{{
			Name: "w", Service: 0, Arrival: models.Constant,
			Rate: models.RateCurve{{At: 0, Rate: 1}}, ServiceTime: dist.Spec{Kind: "constant", Mean: 0.001},
		}},
	})
	if got := s.Services["busy"].WaitMsMean; got != 0 {
		t.Errorf("busy: wait_ms_mean = %v, want 0 (requests 1 s apart never queue)", got)
	}
	if got := s.Services["idle"].WaitMsMean; !math.IsNaN(got) {
		t.Errorf("idle: wait_ms_mean = %v, want missing (no request started)", got)
	}
	b, err := reports.MarshalSummary(s)
	if err != nil {
		t.Fatal(err)
	}
	var doc struct {
		Services map[string]map[string]json.RawMessage `json:"services"`
	}
	if err := json.Unmarshal(b, &doc); err != nil {
		t.Fatal(err)
	}
	if got := strings.TrimSpace(string(doc.Services["idle"]["wait_ms_mean"])); got != "null" {
		t.Errorf("summary.json idle wait_ms_mean = %s, want null", got)
	}
	if got := strings.TrimSpace(string(doc.Services["busy"]["wait_ms_mean"])); got != "0" {
		t.Errorf("summary.json busy wait_ms_mean = %s, want 0", got)
	}
}
