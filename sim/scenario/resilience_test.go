package scenario_test

import (
	"strings"
	"testing"

	"github.com/clustersim/clustersim/sim/engine"
	"github.com/clustersim/clustersim/sim/scenario"
)

// resilSrc uses every resilience key; its error cases below edit it, so
// that their line numbers can be read off.
const resilSrc = `[sim]
duration = "10m"

[[workload]]
name = "w"
target = "front"
rate = 10
hedge = { delay = "20ms", max = 2 }
breaker = { error_rate = 0.5, window = 20, min_requests = 10 }

[[service]]
name = "front"
service_time = { dist = "constant", value = "10ms" }
calls = [{ service = "db", timeout = "50ms", retry = { attempts = 2, backoff = "5ms" }, breaker = { error_rate = 0.25 } }]

[[service]]
name = "db"
service_time = { dist = "constant", value = "20ms" }
retry_after = "1s"
sidecar = { latency = "500us", cpu = 0.35 }
`

// TestResilienceKeys: hedge, error-rate breakers, call timeouts, retries
// and breakers and retry_after parse with their defaults and build.
func TestResilienceKeys(t *testing.T) {
	_, mc := buildOf(t, "x.toml", resilSrc)
	w := mc.Workloads[0]
	if h := w.Hedge; h == nil || h.Delay != 20*engine.Millisecond || h.Max != 2 {
		t.Errorf("hedge %+v", h)
	}
	if b := w.Breaker; b == nil || b.ErrorRate != 0.5 || b.Window != 20 || b.MinRequests != 10 || b.OpenFor != 5*engine.Second || b.Probes != 1 {
		t.Errorf("workload breaker %+v", b)
	}
	k := mc.Services[0].Calls[0]
	if k.Timeout != 50*engine.Millisecond || k.Retry == nil || k.Retry.Attempts != 2 || k.Retry.Backoff != 5*engine.Millisecond {
		t.Errorf("call %+v retry %+v", k, k.Retry)
	}
	// An error-rate breaker's window defaults to 100, min_requests to the window.
	if b := k.Breaker; b == nil || b.ErrorRate != 0.25 || b.Window != 100 || b.MinRequests != 100 {
		t.Errorf("call breaker %+v", b)
	}
	if sc := mc.Services[1].Sidecar; sc == nil || sc.Latency != 500*engine.Microsecond || sc.CPU != 0.35 || mc.Services[0].Sidecar != nil {
		t.Errorf("sidecar %+v", sc)
	}
	if mc.Services[1].RetryAfter != engine.Second || mc.Services[0].RetryAfter != 0 {
		t.Errorf("retry_after %v, %v", mc.Services[1].RetryAfter, mc.Services[0].RetryAfter)
	}
}

// TestResilienceKeyErrors: bad resilience keys are refused with file,
// line and key.
func TestResilienceKeyErrors(t *testing.T) {
	tests := []struct {
		name     string
		from, to string
		want     string
	}{
		{"hedge without delay", `delay = "20ms", max = 2`, `max = 2`, `x.toml:8:1: workload.w.hedge.delay: required (how long without an answer before a copy, for example delay = "50ms")`},
		{"hedge max", `max = 2 }`, `max = 11 }`, `x.toml:8:27: workload.w.hedge.max: must be 1 to 10, got 11 (copies besides the original)`},
		{"hedge with retry", "rate = 10", "rate = 10\nretry = {}", `x.toml:9:1: workload.w.hedge: hedge does not combine with retry (gRPC's service config allows a retry policy or a hedging policy, not both)`},
		{"failures and error_rate", "error_rate = 0.5, window", "failures = 3, error_rate = 0.5, window", `x.toml:9:13: workload.w.breaker.failures: failures does not apply with error_rate (give failures (consecutive) or error_rate (share of the window), not both)`},
		{"error_rate above 1", "error_rate = 0.5", "error_rate = 50", `x.toml:9:13: workload.w.breaker.error_rate: must be > 0 and <= 1, got 50 (a share of attempts, for example 0.5)`},
		{"min above window", "min_requests = 10", "min_requests = 30", `x.toml:9:44: workload.w.breaker.min_requests: must be 1 to window (20), got 30`},
		{"window without rate", "error_rate = 0.5, window = 20, min_requests = 10", "window = 20", `x.toml:9:13: workload.w.breaker.window: window needs error_rate (set error_rate for an error-rate breaker)`},
		{"call timeout", `timeout = "50ms"`, `timeout = "0s"`, `x.toml:14:28: service.front.calls[0].timeout: must be > 0 (omit it to wait as long as the call takes)`},
		{"call retry attempts", "attempts = 2", "attempts = 0", `x.toml:14:56: service.front.calls[0].retry.attempts: must be 1 to 100, got 0 (attempts in all, the first included)`},
		{"retry_after", `retry_after = "1s"`, `retry_after = "0s"`, `x.toml:19:1: service.db.retry_after: must be > 0 (omit it for answers without Retry-After)`},
		{"sidecar latency", `latency = "500us"`, `latency = "11s"`, `x.toml:20:13: service.db.sidecar.latency: must be 0 to 10s, got 11s (a proxy adds well under a millisecond a crossing)`},
		{"sidecar cpu", `cpu = 0.35`, `cpu = -1`, `x.toml:20:32: service.db.sidecar.cpu: must be 0 to 100, got -1 (vCPU per 1,000 requests per second, for example 0.35)`},
		{"misspelt", "retry_after", "retry_afer", `x.toml:19:1: service.db.retry_afer: unknown key (did you mean "retry_after"?)`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			src := strings.Replace(resilSrc, tt.from, tt.to, 1)
			_, err := scenario.Parse("x.toml", []byte(src), nil)
			if err == nil {
				t.Fatal("no error")
			}
			if got := err.Error(); got != tt.want {
				t.Errorf("got\n\t%s\nwant\n\t%s", got, tt.want)
			}
		})
	}
}
