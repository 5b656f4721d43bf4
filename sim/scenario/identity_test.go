package scenario_test

import (
	"strings"
	"testing"

	"github.com/clustersim/clustersim/sim/scenario"
)

// identSrc is a workload with endpoints and sessions against a service
// keeping sessions in memory; its error cases below edit it, so that their
// line numbers can be read off.
const identSrc = `[sim]
duration = "10m"

[[workload]]
name = "shop"
target = "web"
rate = 5
user_ids = 1000
service_time = { dist = "exponential", mean = "20ms" }
endpoints = [{ name = "browse" }, { name = "pay", weight = 0.5, calls = [{ service = "payments" }] }]
sessions = [{ name = "buy", steps = ["browse", "pay"], think = { dist = "constant", value = "1s" } }]

[[service]]
name = "web"
sessions = { store = "memory" }

[[service]]
name = "payments"
service_time = { dist = "constant", value = "50ms" }
`

// TestIdentityKeys: endpoints, sessions, user_ids and a session store
// parse, fill their defaults and build into the models.
func TestIdentityKeys(t *testing.T) {
	_, mc := buildOf(t, "x.toml", identSrc)
	w := mc.Workloads[0]
	if w.UserIDs != 1000 || len(w.Endpoints) != 2 || w.Endpoints[0].Weight != 1 || w.Endpoints[0].OwnCalls ||
		!w.Endpoints[1].OwnCalls || w.Endpoints[1].Calls[0].Service != 1 || w.Endpoints[1].Weight != 0.5 {
		t.Errorf("endpoints %+v", w.Endpoints)
	}
	if s := w.Sessions; len(s) != 1 || s[0].Weight != 1 || len(s[0].Steps) != 2 || s[0].Steps[1] != 1 || s[0].Think.Kind != "constant" {
		t.Errorf("sessions %+v", s)
	}
	web := mc.Services[0]
	if web.Sessions == nil || web.Sessions.External || web.Balance.Algorithm != "sticky" {
		t.Errorf("web sessions %+v, algorithm %q", web.Sessions, web.Balance.Algorithm)
	}
	// An external store, and --set of the whole table.
	cfg, err := scenario.Parse("x.toml", []byte(identSrc), []string{`service.web.sessions={ store = "external", service = "payments" }`})
	if err != nil {
		t.Fatal(err)
	}
	if mc, _, err = scenario.Build(cfg); err != nil || !mc.Services[0].Sessions.External || mc.Services[0].Sessions.Service != 1 {
		t.Errorf("external store %+v, %v", mc.Services[0].Sessions, err)
	}
}

// TestIdentityKeyErrors: bad identity keys are refused with file, line and
// key, and a suggestion where one helps.
func TestIdentityKeyErrors(t *testing.T) {
	tests := []struct {
		name     string
		from, to string
		want     string
	}{
		{"user_ids zero", "user_ids = 1000", "user_ids = 0", `x.toml:8:1: workload.shop.user_ids: must be 1 to 10000000, got 0 (the users requests come from)`},
		{"user_ids with users", "rate = 5", `users = 5` + "\n" + `think = { dist = "constant", value = "1s" }`, `x.toml:9:1: workload.shop.user_ids: user_ids does not apply with users (remove it: a closed loop's users are its users)`},
		{"sessions without user_ids", "user_ids = 1000", "", `x.toml:4:1: workload.shop.user_ids: required with sessions on an open-loop workload (for example user_ids = 10000: the users sessions belong to)`},
		{"unknown step", `steps = ["browse", "pay"]`, `steps = ["browse", "pya"]`, `x.toml:11:29: workload.shop.sessions.buy.steps: no endpoint named "pya" in workload "shop" (did you mean "pay"?)`},
		{"bad weight", `weight = 0.5`, `weight = -1`, `x.toml:10:51: workload.shop.endpoints.pay.weight: must be > 0, got -1 (its share relative to the other endpoints)`},
		{"duplicate endpoint", `name = "pay"`, `name = "browse"`, `x.toml:10:37: workload.shop.endpoints.browse.name: endpoint "browse" is declared twice`},
		{"bad endpoint name", `name = "pay"`, `name = "pay now"`, `x.toml:10:37: workload.shop.endpoints."pay now".name: invalid endpoint name "pay now" (letters, digits, '_', '.' and '-' (it names timeseries columns))`},
		{"unknown callee", `calls = [{ service = "payments" }]`, `calls = [{ service = "paymnts" }]`, `x.toml:10:76: workload.shop.endpoints.pay.calls[0].service: no service named "paymnts" (did you mean "payments"?)`},
		{"callee without service_time", `calls = [{ service = "payments" }]`, `calls = [{ service = "web" }]`, `x.toml:10:76: workload.shop.endpoints.pay.calls[0].service: service "web" is called by endpoint "pay" and has no service_time (the callee needs a service_time (the work of each call))`},
		{"timeout on an endpoint call", `calls = [{ service = "payments" }]`, `calls = [{ service = "payments", timeout = "1s" }]`, `x.toml:10:98: workload.shop.endpoints.pay.calls[0].timeout: timeout applies to a service's calls, not an endpoint's (give it on the service's calls instead)`},
		{"unknown store", `store = "memory"`, `store = "disk"`, `x.toml:15:14: service.web.sessions.store: unknown value "disk" (one of "memory", "external")`},
		{"external without service", `store = "memory"`, `store = "external"`, `x.toml:15:1: service.web.sessions.service: required with store = "external" (name the session-store [[service]] (Redis, Memcached...))`},
		{"memory with service", `store = "memory"`, `store = "memory", service = "payments"`, `x.toml:15:32: service.web.sessions.service: service applies to an external store only (set store = "external" to call a session-store service)`},
		{"memory with another algorithm", `sessions = { store = "memory" }`, `sessions = { store = "memory" }` + "\n" + `balancer = { algorithm = "p2c" }`, `x.toml:15:14: service.web.sessions.store: sessions in memory are sticky by user: balancer.algorithm "p2c" cannot apply (remove balancer.algorithm, or use store = "external")`},
		{"store is itself", `store = "memory"`, `store = "external", service = "web"`, `x.toml:15:34: service.web.sessions.service: a service cannot be its own session store (name another service)`},
		{"misspelt key", "user_ids = 1000", "user_id = 1000", `x.toml:8:1: workload.shop.user_id: unknown key (did you mean "user_ids"?)`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			src := strings.Replace(identSrc, tt.from, tt.to, 1)
			_, err := scenario.Parse("x.toml", []byte(src), nil)
			if err == nil {
				t.Fatal("no error")
			}
			if got := err.Error(); !strings.Contains(got, tt.want) {
				t.Errorf("got\n\t%s\nwant\n\t%s", got, tt.want)
			}
		})
	}
}
