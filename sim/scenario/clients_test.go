package scenario_test

import (
	"strings"
	"testing"

	"github.com/clustersim/clustersim/sim/engine"
	"github.com/clustersim/clustersim/sim/models"
	"github.com/clustersim/clustersim/sim/policies/retry"
	"github.com/clustersim/clustersim/sim/scenario"
)

// closedSrc is a closed-loop workload with retries; its error cases below
// edit it, so that their line numbers can be read off.
const closedSrc = `[sim]
duration = "10m"

[[workload]]
name = "users"
target = "api"
users = 50
think = { dist = "exponential", mean = "1s" }
retry = { attempts = 4, backoff = "50ms", jitter = "equal", budget = 0.2 }
service_time = { dist = "exponential", mean = "50ms" }

[[service]]
name = "api"
`

// TestClientKeys: users, think and retry parse, fill their defaults and
// build into the models' workload.
func TestClientKeys(t *testing.T) {
	_, mc := buildOf(t, "x.toml", closedSrc)
	w := mc.Workloads[0]
	if w.Users != 50 || w.Think.Kind != "exponential" || w.Think.Mean != 1 {
		t.Errorf("users %d think %+v", w.Users, w.Think)
	}
	r := w.Retry
	if r == nil || r.Attempts != 4 || r.Backoff != 50*engine.Millisecond || r.Cap != 10*engine.Second ||
		r.Jitter != retry.Equal || !r.HasBudget || r.Budget != 0.2 {
		t.Errorf("retry %+v, want 4 attempts, 50ms backoff, default cap 10s, equal jitter, budget 0.2", r)
	}
	// Defaults of a retry table given empty.
	cfg, err := scenario.Parse("x.toml", []byte(strings.Replace(closedSrc, `{ attempts = 4, backoff = "50ms", jitter = "equal", budget = 0.2 }`, "{}", 1)), nil)
	if err != nil {
		t.Fatal(err)
	}
	if got, want := *cfg.Workloads[0].Retry, scenario.DefaultRetry(); got != want {
		t.Errorf("empty retry table = %+v, want the defaults %+v", got, want)
	}
}

// TestClientKeyErrors: bad client keys are refused with file, line and key.
func TestClientKeyErrors(t *testing.T) {
	tests := []struct {
		name     string
		from, to string
		want     string
	}{
		{"rate with users", "users = 50", "users = 50\nrate = 10", `x.toml:8:1: workload.users.rate: rate does not apply with users (a closed loop's rate follows from users, think time and latency)`},
		{"users zero", "users = 50", "users = 0", `x.toml:7:1: workload.users.users: must be >= 1 (omit it for an open-loop workload)`},
		{"users negative", "users = 50", "users = -5", `x.toml:7:1: workload.users.users: must be 1 to 10000000, got -5`},
		{"think missing", `think = { dist = "exponential", mean = "1s" }`, "", `x.toml:4:1: workload.users.think: required with users (for example think = { dist = "exponential", mean = "1s" })`},
		{"think without users", "users = 50", "rate = 5", `x.toml:8:1: workload.users.think: think needs users (set users for a closed loop)`},
		{"attempts zero", "attempts = 4", "attempts = 0", `x.toml:9:11: workload.users.retry.attempts: must be 1 to 100, got 0 (attempts in all, the first included)`},
		{"cap below backoff", `backoff = "50ms"`, `backoff = "50ms", cap = "10ms"`, `x.toml:9:43: workload.users.retry.cap: cap 10ms is below backoff 50ms`},
		{"negative budget", "budget = 0.2", "budget = -1", `x.toml:9:61: workload.users.retry.budget: must be 0 to 100, got -1 (retries per request, for example 0.2)`},
		{"unknown jitter", `jitter = "equal"`, `jitter = "half"`, `x.toml:9:43: workload.users.retry.jitter: unknown value "half" (one of "none", "full", "equal", "decorrelated")`},
		{"misspelt key", "attempts = 4", "atempts = 4", `x.toml:9:11: workload.users.retry.atempts: unknown key (did you mean "attempts"?)`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			src := strings.Replace(closedSrc, tt.from, tt.to, 1)
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

const callsSrc = `[sim]
duration = "10m"

[[workload]]
name = "w"
target = "front"
rate = 10
service_time = { dist = "constant", value = "10ms" }

[[service]]
name = "front"
calls = [{ service = "auth" }, { service = "db", count = 3, parallel = true, on_error = "fallback" }]

[[service]]
name = "auth"
service_time = { dist = "constant", value = "5ms" }

[[service]]
name = "db"
service_time = { dist = "constant", value = "20ms" }
`

// TestCallsKeys: calls parse with their defaults and build with callee
// indices, in order, and the callee's service time.
func TestCallsKeys(t *testing.T) {
	_, mc := buildOf(t, "x.toml", callsSrc)
	got := mc.Services[0].Calls
	if len(got) != 2 || got[0].Service != 1 || got[0].Count != 1 || got[0].Parallel || got[0].OnError != models.FailCaller ||
		got[1].Service != 2 || got[1].Count != 3 || !got[1].Parallel || got[1].OnError != models.Fallback {
		t.Errorf("calls %+v", got)
	}
	if mc.Services[2].ServiceTime.Mean != 0.02 {
		t.Errorf("db service time %+v", mc.Services[2].ServiceTime)
	}
}

func TestCallsKeyErrors(t *testing.T) {
	tests := []struct {
		name     string
		from, to string
		want     string
	}{
		{"unknown callee", `service = "auth" }`, `service = "aut" }`, `x.toml:12:12: service.front.calls[0].service: no service named "aut" (did you mean "auth"?)`},
		{"count zero", "count = 3", "count = 0", `x.toml:12:50: service.front.calls[1].count: must be 1 to 1000, got 0`},
		{"callee without service time", `service_time = { dist = "constant", value = "5ms" }`, "", `x.toml:14:1: service.auth.service_time: service "auth" is called by "front" and needs a service_time (the work of each call to it)`},
		{"loop", `service_time = { dist = "constant", value = "5ms" }`, `service_time = { dist = "constant", value = "5ms" }` + "\ncalls = [{ service = \"front\" }]", `x.toml:10:1: service.front.service_time: service "front" is called by "auth" and needs a service_time (the work of each call to it)` + "\n" +
			`x.toml:17:12: service.auth.calls[0].service: service "auth" calls "front", which is already waiting on this chain of calls: the calls would never end (calls must not loop)`},
		{"bad on_error", `on_error = "fallback"`, `on_error = "retry"`, `x.toml:12:78: service.front.calls[1].on_error: unknown value "retry" (one of "fail", "ignore", "fallback")`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			src := strings.Replace(callsSrc, tt.from, tt.to, 1)
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

// TestCacheKeyErrors: a cache needs capacity and keys in range, and a
// sane exponent; zipf defaults to 1.0.
func TestCacheKeyErrors(t *testing.T) {
	base := valid + "cache = { capacity = 100, keys = 1000 }\n"
	cfg, err := scenario.Parse("x.toml", []byte(base), nil)
	if err != nil {
		t.Fatal(err)
	}
	if c := cfg.Services[0].Cache; c.Capacity != 100 || c.Keys != 1000 || c.Zipf != 1 {
		t.Errorf("cache %+v, want zipf defaulting to 1", c)
	}
	tests := []struct{ name, from, to, want string }{
		{"capacity missing", "capacity = 100, ", "", `x.toml:12:1: service.api.cache.capacity: required`},
		{"keys too many", "keys = 1000", "keys = 2000000", `x.toml:12:27: service.api.cache.keys: must be 1 to 1048576, got 2000000`},
		{"negative zipf", "keys = 1000", "keys = 1000, zipf = -1", `x.toml:12:40: service.api.cache.zipf: must be 0 to 10, got -1 (web popularity is usually 0.6 to 1.2)`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := scenario.Parse("x.toml", []byte(strings.Replace(base, tt.from, tt.to, 1)), nil)
			if err == nil {
				t.Fatal("no error")
			}
			if got := err.Error(); got != tt.want {
				t.Errorf("got\n\t%s\nwant\n\t%s", got, tt.want)
			}
		})
	}
}

// TestBreakerKeys: a breaker table fills its defaults (Hystrix's 5 s
// sleep window) and refuses bad values.
func TestBreakerKeys(t *testing.T) {
	src := strings.Replace(valid, "rate = 100", "rate = 100\nbreaker = { failures = 10 }", 1)
	_, mc := buildOf(t, "x.toml", src)
	if b := mc.Workloads[0].Breaker; b == nil || b.Failures != 10 || b.OpenFor != 5*engine.Second || b.Probes != 1 {
		t.Errorf("breaker %+v, want 10 failures, open 5s, 1 probe", b)
	}
	_, err := scenario.Parse("x.toml", []byte(strings.Replace(src, "failures = 10", `failures = 10, open = "0s"`, 1)), nil)
	if want := `x.toml:8:28: workload.shoppers.breaker.open: must be > 0 (how long it stays open)`; err == nil || err.Error() != want {
		t.Errorf("got %v, want %s", err, want)
	}
}

// TestUsersSchedule: users_schedule builds into the models' steps and is
// checked like a rate schedule.
func TestUsersSchedule(t *testing.T) {
	src := strings.Replace(closedSrc, "users = 50", `users = 50`+"\n"+`users_schedule = [{ at = "2m", users = 200 }, { at = "5m", users = 0 }]`, 1)
	_, mc := buildOf(t, "x.toml", src)
	got := mc.Workloads[0].UserSchedule
	if len(got) != 2 || got[0].At != engine.Time(2*engine.Minute) || got[0].Users != 200 || got[1].Users != 0 {
		t.Errorf("user schedule %+v", got)
	}
	bad := strings.Replace(src, `at = "5m"`, `at = "1m"`, 1)
	_, err := scenario.Parse("x.toml", []byte(bad), nil)
	if want := `x.toml:8:49: workload.users.users_schedule[1].at: at 1m must be after the previous entry's 2m`; err == nil || err.Error() != want {
		t.Errorf("got %v\nwant %s", err, want)
	}
}

// TestMMPPValidation: the mmpp table's errors name the key.
func TestMMPPValidation(t *testing.T) {
	base := "[sim]\nduration = \"1m\"\n[[service]]\nname = \"api\"\nservice_time = { dist = \"constant\", mean = \"10ms\" }\n[[workload]]\nname = \"w\"\ntarget = \"api\"\n"
	for _, tc := range []struct{ extra, want string }{
		{"arrival = \"mmpp\"\n", "workload.w.mmpp: required"},
		{"arrival = \"mmpp\"\nrate = 5\nmmpp = { rate_on = 1, mean_on = \"1s\", mean_off = \"1s\" }\n", "rate does not apply"},
		{"arrival = \"mmpp\"\nmmpp = { mean_on = \"1s\", mean_off = \"1s\" }\n", "both rates are 0"},
		{"arrival = \"mmpp\"\nmmpp = { rate_on = 1, mean_on = \"0s\", mean_off = \"1s\" }\n", "must be >= 1ms"},
		{"arrival = \"mmpp\"\nmmpp = { rate_on = 1, mean_on = \"1s\" }\n", "workload.w.mmpp.mean_off: required"},
		{"rate = 5\nmmpp = { rate_on = 1, mean_on = \"1s\", mean_off = \"1s\" }\n", "mmpp needs arrival"},
	} {
		_, err := scenario.Parse("x.toml", []byte(base+tc.extra), nil)
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%q: err = %v, want %q", tc.extra, err, tc.want)
		}
	}
}
