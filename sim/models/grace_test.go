package models_test

import (
	"testing"

	"github.com/clustersim/clustersim/sim/dist"
	"github.com/clustersim/clustersim/sim/engine"
	"github.com/clustersim/clustersim/sim/models"
)

// TestMaxConnectionAgeGrace works gRPC's MaxConnectionAgeGrace by hand
// (grpc-go keepalive.ServerParameters: "MaxConnectionAgeGrace is an
// additive period after MaxConnectionAge after which the connection will
// be forcibly closed"). One HTTP/2 client (100 streams, pool 1, no round
// trip) sends a request every second, each needing a constant 10 s, to
// one instance behind an L4 balancer, max_connection_age 60 s (±10%
// jitter). The connection opened at the first request gets GOAWAY at some
// T in 54..66 s with the 10 requests of (T-10, T] in flight; the next
// requests open a second connection, whose own age falls after the 100 s
// run. At T + grace the requests sent in (T+grace-10, T] are still in
// service and fail: 10 - grace of them (arrivals at whole seconds, T
// drawn continuously, so no ties). Without a grace (0) every one
// finishes; with a grace longer than the work, too.
func TestMaxConnectionAgeGrace(t *testing.T) {
	for _, tt := range []struct {
		grace engine.Duration
		want  int64
	}{{0, 0}, {2 * engine.Second, 8}, {5 * engine.Second, 5}, {9 * engine.Second, 1}, {11 * engine.Second, 0}} {
		net := models.DefaultNetwork()
		net.Streams, net.Pool = 100, 1
		_, sum := runRecorded(t, models.Config{
			Name: "grace", Seed: 1, Duration: 100 * engine.Second, Window: 10 * engine.Second,
			Services: []models.ServiceSpec{{Name: "svc", Replicas: 1, Concurrency: 100, Queue: -1, Algorithm: "round_robin",
				L4: true, MaxConnectionAge: 60 * engine.Second, MaxConnectionAgeGrace: tt.grace}},
			Workloads: []models.WorkloadSpec{{Name: "w", Arrival: models.Constant, Rate: models.RateCurve{{Rate: 1}},
				ServiceTime: dist.Spec{Kind: "constant", Mean: 10}, Network: &net}},
		})
		if got := sum.Requests.Failed; got != tt.want {
			t.Errorf("grace %v: failed %d, want %d", tt.grace, got, tt.want)
		}
		if sum.Requests.OK+sum.Requests.Failed != sum.Requests.Total {
			t.Errorf("grace %v: %d ok + %d failed != %d", tt.grace, sum.Requests.OK, sum.Requests.Failed, sum.Requests.Total)
		}
	}
}
