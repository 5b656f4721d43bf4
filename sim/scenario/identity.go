package scenario

import (
	"math"
	"regexp"
	"slices"
	"strings"

	"github.com/clustersim/clustersim/sim/assertion"
	"github.com/clustersim/clustersim/sim/models"
	"github.com/clustersim/clustersim/sim/results"
	"github.com/clustersim/clustersim/sim/tomlpos"
)

// This file holds a workload's identity keys (endpoints, sessions,
// user_ids) and a service's session store (sessions); config.go declares
// the fields, models/identity.go and models/sessionstore.go run them.

// Endpoint is one endpoint of a workload's mix: each request asks for one,
// drawn by weight on the stream "workload.NAME.endpoints", unless the
// workload sends sessions, whose steps name them.
type Endpoint struct {
	// Name identifies the endpoint; required, unique in the workload,
	// [A-Za-z0-9_.-]+. Its figures are the timeseries columns
	// SERVICE/NAME.METRIC and services.SERVICE.endpoints.NAME in
	// summary.json, SERVICE being the workload's target (workloads naming
	// the same endpoint of a service share them).
	Name string `toml:"name"`
	// Weight is its share of the mix, relative to the other endpoints'
	// weights; default 1, > 0.
	Weight float64 `toml:"weight"`
	// ServiceTime is the work of its requests (a distribution); default:
	// the workload's service_time.
	ServiceTime *Dist `toml:"service_time,omitempty"`
	// Calls replace the target service's calls for its requests, in the
	// service's calls syntax ({ service, count, parallel, on_error });
	// default: the service's calls; [] makes none.
	Calls []Call `toml:"calls,omitempty"`
}

// Session is one kind of session: a user's sequence of endpoint requests.
// Each step is sent when the previous one is answered, one think time
// later; a failed step abandons the session.
type Session struct {
	// Name identifies the session kind; required, unique in the workload.
	Name string `toml:"name"`
	// Weight is its share of the sessions started, relative to the other
	// kinds' weights (drawn on "workload.NAME.sessions"); default 1, > 0.
	Weight float64 `toml:"weight"`
	// Steps names the workload's endpoints the session requests, in
	// order; required, 1 to 1000.
	Steps []string `toml:"steps"`
	// Think is the time between a step's answer and the next step (a
	// distribution, stream "workload.NAME.session.KIND.think"); default
	// none: the next step follows at once.
	Think *Dist `toml:"think,omitempty"`
}

// StoreKind is where a service keeps its users' sessions.
type StoreKind string

// Session store kinds.
const (
	StoreMemory   StoreKind = "memory"
	StoreExternal StoreKind = "external"
)

// SessionStore is where a service keeps its users' sessions.
type SessionStore struct {
	// Store is "memory" (default): each instance holds the sessions of
	// the users sent to it and the balancer is sticky by user (the
	// sticky algorithm, keyed by the user id), so an instance that goes
	// away loses the sessions it holds; or "external": every request
	// makes one call to the service named by service (before its other
	// calls), and nothing is lost with an instance.
	Store StoreKind `toml:"store"`
	// Service names the session-store [[service]] an external store
	// calls; required with store = "external", not allowed with memory.
	// It must give a service_time and make no calls.
	Service string `toml:"service,omitempty"`
}

// Defaults and limits of the identity keys.
const (
	maxEndpoints    = 256
	maxSessionKinds = 256
	maxSessionSteps = 1000
)

// DefaultEndpoint returns an endpoints entry's defaults.
func DefaultEndpoint() Endpoint { return Endpoint{Weight: 1} }

// DefaultSession returns a sessions entry's defaults.
func DefaultSession() Session { return Session{Weight: 1} }

// DefaultSessionStore returns a service sessions table's defaults.
func DefaultSessionStore() SessionStore { return SessionStore{Store: StoreMemory} }

var endpointName = regexp.MustCompile(`^[A-Za-z0-9_.-]+$`)

// validateIdentity checks a workload's user_ids, endpoints and sessions.
func (d *checker) validateIdentity(cfg *Config, w *Workload, p tomlpos.Path) {
	up := p.Child("user_ids")
	switch {
	case d.IsSet(up) && (w.UserIDs < 1 || w.UserIDs > maxUsers):
		d.Errorf(ErrInvalid, up, "the users requests come from", "must be 1 to %d, got %d", maxUsers, w.UserIDs)
	case d.IsSet(up) && w.Users > 0:
		d.Errorf(ErrInvalid, up, "remove it: a closed loop's users are its users", "user_ids does not apply with users")
	}
	// A replayed trace's users turn identity on; its endpoints need
	// endpoints (trace.go refuses them without).
	traceUsers := w.Arrival == ArrivalTrace && w.TraceInfo.Users > 0
	traceEndpoints := w.Arrival == ArrivalTrace && w.TraceInfo.Endpoints
	if !d.IsSet(up) && len(w.Endpoints) == 0 && len(w.Sessions) == 0 && !traceUsers {
		return
	}
	for _, k := range []string{"network", "lifetime"} {
		if d.IsSet(p.Child(k)) {
			d.Errorf(ErrInvalid, p.Child(k), "endpoints, sessions and user ids are not modelled over connections yet", "%s does not apply with endpoints, sessions, user_ids or a trace's users", k)
		}
	}
	var target *Service
	for i := range cfg.Services {
		if cfg.Services[i].Name == w.Target {
			target = &cfg.Services[i]
		}
	}
	if target != nil && target.Platform == PlatformFunction {
		d.Errorf(ErrInvalid, p.Child("target"), "endpoints, sessions and user_ids apply to instance services", "%q is a function", w.Target)
	}
	ep := p.Child("endpoints")
	if len(w.Endpoints) > maxEndpoints {
		d.Errorf(ErrInvalid, ep, "", "at most %d endpoints, got %d", maxEndpoints, len(w.Endpoints))
	}
	var names []string
	for i := range w.Endpoints {
		e := &w.Endpoints[i]
		p := ep.Elem(i, e.Name)
		switch {
		case !d.IsSet(p.Child("name")):
			d.Errorf(ErrMissing, p.Child("name"), `for example name = "checkout"`, "required")
		case !endpointName.MatchString(e.Name):
			d.Errorf(ErrInvalid, p.Child("name"), "letters, digits, '_', '.' and '-' (it names timeseries columns)", "invalid endpoint name %q", e.Name)
		case slices.Contains(names, e.Name):
			d.Errorf(ErrInvalid, p.Child("name"), "", "endpoint %q is declared twice", e.Name)
		}
		names = append(names, e.Name)
		if !(e.Weight > 0) || math.IsInf(e.Weight, 0) {
			d.Errorf(ErrInvalid, p.Child("weight"), "its share relative to the other endpoints", "must be > 0, got %v", e.Weight)
		}
		if e.ServiceTime != nil {
			d.validateDist(e.ServiceTime, p.Child("service_time"))
		}
		d.validateEndpointCalls(cfg, w, e, p.Child("calls"))
	}
	sp := p.Child("sessions")
	if len(w.Sessions) > 0 && len(w.Endpoints) == 0 {
		d.Errorf(ErrMissing, p.Child("endpoints"), "the endpoints the sessions' steps name", "required with sessions")
	}
	if len(w.Sessions) > 0 && w.Users == 0 && !d.IsSet(up) && !traceUsers {
		d.Errorf(ErrMissing, up, "for example user_ids = 10000: the users sessions belong to", "required with sessions on an open-loop workload")
	}
	if len(w.Sessions) > 0 && traceEndpoints {
		d.Errorf(ErrInvalid, sp, "drop the trace's endpoint field, or sessions", "trace %s names endpoints, and a session's steps name them: sessions cannot apply", w.TraceInfo.Path)
	}
	if len(w.Sessions) > maxSessionKinds {
		d.Errorf(ErrInvalid, sp, "", "at most %d session kinds, got %d", maxSessionKinds, len(w.Sessions))
	}
	var kinds []string
	for i := range w.Sessions {
		s := &w.Sessions[i]
		p := sp.Elem(i, s.Name)
		switch {
		case !d.IsSet(p.Child("name")) || strings.TrimSpace(s.Name) == "":
			d.Errorf(ErrMissing, p.Child("name"), `for example name = "buyer"`, "required")
		case slices.Contains(kinds, s.Name):
			d.Errorf(ErrInvalid, p.Child("name"), "", "session %q is declared twice", s.Name)
		}
		d.noControl(s.Name, p.Child("name"))
		kinds = append(kinds, s.Name)
		if !(s.Weight > 0) || math.IsInf(s.Weight, 0) {
			d.Errorf(ErrInvalid, p.Child("weight"), "its share relative to the other session kinds", "must be > 0, got %v", s.Weight)
		}
		if len(s.Steps) < 1 || len(s.Steps) > maxSessionSteps {
			d.Errorf(ErrInvalid, p.Child("steps"), `for example steps = ["browse", "search", "checkout"]`, "must name 1 to %d endpoints, got %d", maxSessionSteps, len(s.Steps))
		}
		for _, st := range s.Steps {
			if !slices.Contains(names, st) {
				d.Errorf(ErrReference, p.Child("steps"), tomlpos.DidYouMean(st, names), "no endpoint named %q in workload %q", st, w.Name)
			}
		}
		if s.Think != nil {
			d.validateDist(s.Think, p.Child("think"))
		}
	}
}

// validateEndpointCalls checks an endpoint's own calls as the target
// service's would be: callees exist, give a service time, and do not
// call the target back.
func (d *checker) validateEndpointCalls(cfg *Config, w *Workload, e *Endpoint, p tomlpos.Path) {
	byName, names := serviceIndex(cfg)
	for j, k := range e.Calls {
		cp := p.Elem(j, "")
		callee, ok := byName[k.Service]
		switch {
		case !d.IsSet(cp.Child("service")):
			d.Errorf(ErrMissing, cp.Child("service"), "name the [[service]] called", "required")
		case !ok:
			d.Errorf(ErrReference, cp.Child("service"), tomlpos.DidYouMean(k.Service, names), "no service named %q", k.Service)
		case cfg.Services[callee].ServiceTime == nil:
			d.Errorf(ErrMissing, cp.Child("service"), "the callee needs a service_time (the work of each call)", "service %q is called by endpoint %q and has no service_time", k.Service, e.Name)
		case reaches(cfg, byName, callee, w.Target):
			d.Errorf(ErrInvalid, cp.Child("service"), "calls must not loop", "%q leads back to %q, which is waiting on it: the calls would never end", k.Service, w.Target)
		}
		if k.Count < 1 || k.Count > maxCallCount {
			d.Errorf(ErrInvalid, cp.Child("count"), "", "must be 1 to %d, got %d", maxCallCount, k.Count)
		}
		d.noEndpointCallPolicy(cp) // resilience.go
	}
}

// reaches reports whether service from is, or calls (directly or through
// others), the service named to.
func reaches(cfg *Config, byName map[string]int, from int, to string) bool {
	seen := make([]bool, len(cfg.Services))
	var walk func(i int) bool
	walk = func(i int) bool {
		if cfg.Services[i].Name == to {
			return true
		}
		if seen[i] {
			return false
		}
		seen[i] = true
		for _, k := range cfg.Services[i].Calls {
			if j, ok := byName[k.Service]; ok && walk(j) {
				return true
			}
		}
		return false
	}
	return walk(from)
}

// validateSessionStore checks a service's sessions table.
func (d *checker) validateSessionStore(cfg *Config, s *Service, p tomlpos.Path) {
	ss := s.Sessions
	if ss == nil {
		return
	}
	p = p.Child("sessions")
	if s.Platform == PlatformFunction {
		d.Errorf(ErrInvalid, p, "a function keeps no sessions in memory and calls no session store here", "sessions apply to instance services")
	}
	if ss.Store == StoreMemory {
		if d.IsSet(p.Child("service")) {
			d.Errorf(ErrInvalid, p.Child("service"), `set store = "external" to call a session-store service`, "service applies to an external store only")
		}
		if a := s.Balancer.Algorithm; a != defaultAlgorithm && a != "sticky" {
			d.Errorf(ErrInvalid, p.Child("store"), `remove balancer.algorithm, or use store = "external"`, "sessions in memory are sticky by user: balancer.algorithm %q cannot apply", a)
		}
		if s.Balancer.Layer == LayerL4 {
			d.Errorf(ErrInvalid, p.Child("store"), `use store = "external"`, "sessions in memory are sticky by user, which an L4 balancer cannot see")
		}
		return
	}
	sp := p.Child("service")
	var names []string
	for i := range cfg.Services {
		names = append(names, cfg.Services[i].Name)
	}
	var store *Service
	for i := range cfg.Services {
		if cfg.Services[i].Name == ss.Service {
			store = &cfg.Services[i]
		}
	}
	switch {
	case !d.IsSet(sp):
		d.Errorf(ErrMissing, sp, "name the session-store [[service]] (Redis, Memcached...)", "required with store = \"external\"")
	case store == nil:
		d.Errorf(ErrReference, sp, tomlpos.DidYouMean(ss.Service, names), "no service named %q", ss.Service)
	case store == s:
		d.Errorf(ErrInvalid, sp, "name another service", "a service cannot be its own session store")
	case store.ServiceTime == nil:
		d.Errorf(ErrMissing, sp, "the store needs a service_time (the work of each session read)", "service %q has no service_time", ss.Service)
	case len(store.Calls) > 0:
		d.Errorf(ErrInvalid, sp, "a session store answers on its own", "service %q makes calls", ss.Service)
	}
}

// buildIdentity fills a workload's user ids, endpoints and sessions.
func buildIdentity(w Workload, index map[string]int, spec *models.WorkloadSpec) {
	spec.UserIDs = w.UserIDs
	for _, e := range w.Endpoints {
		es := models.EndpointSpec{Name: e.Name, Weight: e.Weight, OwnCalls: e.Calls != nil}
		if e.ServiceTime != nil {
			es.ServiceTime = e.ServiceTime.Spec()
		}
		for _, k := range e.Calls {
			es.Calls = append(es.Calls, callSpec(k, index))
		}
		spec.Endpoints = append(spec.Endpoints, es)
	}
	for _, s := range w.Sessions {
		ss := models.SessionSpec{Name: s.Name, Weight: s.Weight}
		if s.Think != nil {
			ss.Think = s.Think.Spec()
		}
		for _, st := range s.Steps {
			ss.Steps = append(ss.Steps, slices.IndexFunc(w.Endpoints, func(e Endpoint) bool { return e.Name == st }))
		}
		spec.Sessions = append(spec.Sessions, ss)
	}
}

// callSpec converts one calls entry.
func callSpec(k Call, index map[string]int) models.CallSpec {
	cs := models.CallSpec{Service: index[k.Service], Count: k.Count, Parallel: k.Parallel}
	switch k.OnError {
	case "ignore":
		cs.OnError = models.IgnoreError
	case "fallback":
		cs.OnError = models.Fallback
	}
	return cs
}

// buildSessionStore fills a service's session store; a memory store
// balances by the sticky algorithm, keyed by user.
func buildSessionStore(s Service, index map[string]int, spec *models.ServiceSpec) {
	ss := s.Sessions
	if ss == nil {
		return
	}
	if ss.Store == StoreExternal {
		spec.Sessions = &models.SessionStoreSpec{External: true, Service: index[ss.Service]}
		return
	}
	spec.Sessions = &models.SessionStoreSpec{}
	spec.Algorithm, spec.Balance.Algorithm = "sticky", "sticky"
}

// identityColumns lists the timeseries.csv columns of endpoints and
// in-memory session stores, as models.Cluster names them.
func identityColumns(cfg *Config) []string {
	var cols []string
	for _, s := range cfg.Services {
		var seen []string
		for _, w := range cfg.Workloads {
			if w.Target != s.Name {
				continue
			}
			for _, e := range w.Endpoints {
				if slices.Contains(seen, e.Name) {
					continue
				}
				seen = append(seen, e.Name)
				for _, m := range models.EndpointColumns {
					cols = append(cols, s.Name+"/"+e.Name+"."+m)
				}
			}
		}
		if s.Sessions != nil && s.Sessions.Store == StoreMemory {
			for _, m := range models.SessionColumns {
				cols = append(cols, s.Name+"."+m)
			}
		}
	}
	return cols
}

// identityPaths lists the summary.json paths of the endpoint, session
// store and session figures, for [[assert]] metrics.
func identityPaths(cfg *Config) []string {
	sum := &results.Summary{Services: map[string]results.ServiceSummary{}, Workloads: map[string]results.WorkloadSummary{}}
	for _, s := range cfg.Services {
		var ss results.ServiceSummary
		for _, w := range cfg.Workloads {
			if w.Target != s.Name {
				continue
			}
			for _, e := range w.Endpoints {
				if ss.Endpoints == nil {
					ss.Endpoints = map[string]results.EndpointSummary{}
				}
				ss.Endpoints[e.Name] = results.EndpointSummary{}
			}
		}
		if s.Sessions != nil {
			ss.Sessions = &results.SessionStore{}
		}
		if len(s.Versions) > 0 {
			ss.Versions = map[string]results.VersionSummary{}
			for _, v := range s.Versions {
				ss.Versions[v.Name] = results.VersionSummary{Users: new(float64)}
			}
		}
		sum.Services[s.Name] = ss
	}
	for _, w := range cfg.Workloads {
		var ws results.WorkloadSummary
		if len(w.Sessions) > 0 {
			ws.Sessions = &results.SessionCounts{}
		}
		sum.Workloads[w.Name] = ws
	}
	flat, _ := assertion.Flatten(sum)
	var out []string
	for p := range flat { // map order: sorted below
		if strings.Contains(p, ".endpoints.") || strings.Contains(p, ".sessions.") || strings.HasSuffix(p, ".users") {
			out = append(out, p)
		}
	}
	slices.Sort(out)
	return out
}
