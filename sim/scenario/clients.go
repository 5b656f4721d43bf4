package scenario

import (
	"math"

	"github.com/clustersim/clustersim/sim/dist"
	"github.com/clustersim/clustersim/sim/engine"
	"github.com/clustersim/clustersim/sim/models"
	"github.com/clustersim/clustersim/sim/policies/breaker"
	"github.com/clustersim/clustersim/sim/policies/retry"
	"github.com/clustersim/clustersim/sim/tomlpos"
)

// This file holds the client keys of a [[workload]]: closed-loop users
// (users, think) and retries (retry). config.go declares the fields.

// Jitter is how a retry backoff is randomised: "none", "full", "equal" or
// "decorrelated", as the AWS Architecture Blog's "Exponential Backoff and
// Jitter" defines them.
type Jitter string

// Retry is a workload's retry table: a failed attempt (timed out,
// rejected, or lost with its instance) is resent after an exponential
// backoff with jitter, up to Attempts attempts in all, while the budget
// allows.
type Retry struct {
	// Attempts is the most attempts per request, the first included
	// (gRPC's maxAttempts); default 3, 1 to 100 (1: no retry).
	Attempts int `toml:"attempts"`
	// Backoff is the base of the exponential backoff, nanoseconds: retry
	// k (from 0) waits min(cap, backoff·2^k) before jitter; default 100ms,
	// >= 0.
	Backoff Duration `toml:"backoff"`
	// Cap is the largest backoff, nanoseconds; default 10s, >= backoff.
	Cap Duration `toml:"cap"`
	// Jitter randomises each backoff: "none", "full" (default), "equal"
	// or "decorrelated" (AWS "Exponential Backoff and Jitter").
	Jitter Jitter `toml:"jitter"`
	// Budget is the retries allowed as a fraction of requests over the
	// last 10 seconds (Finagle's RetryBudget, Envoy's retry budget); for
	// example 0.2; omitted: unlimited; 0 to 100.
	Budget *float64 `toml:"budget,omitempty"`
}

// Default retry settings.
const (
	defaultRetryAttempts = 3
	defaultRetryBackoff  = 100 * Millisecond
	defaultRetryCap      = 10 * Second
	defaultRetryJitter   = "full"
	maxRetryAttempts     = 100
	maxRetryBudget       = 100.0
	maxUsers             = 10_000_000
)

// DefaultRetry returns a retry table's defaults.
func DefaultRetry() Retry {
	return Retry{Attempts: defaultRetryAttempts, Backoff: defaultRetryBackoff, Cap: defaultRetryCap, Jitter: defaultRetryJitter}
}

// validateClients checks a workload's users, think and retry keys. It
// reports whether the workload is a closed loop, so that the open-loop
// rate checks are skipped.
func (d *checker) validateClients(w *Workload, p tomlpos.Path, simDuration Duration) bool {
	up, tp := p.Child("users"), p.Child("think")
	closed := d.IsSet(up)
	switch {
	case w.Users < 0 || w.Users > maxUsers:
		d.Errorf(ErrInvalid, up, "", "must be 1 to %d, got %d", maxUsers, w.Users)
	case closed && w.Users == 0:
		d.Errorf(ErrInvalid, up, "omit it for an open-loop workload", "must be >= 1")
	}
	if closed {
		for _, k := range []string{"rate", "schedule", "trace"} {
			if d.IsSet(p.Child(k)) {
				d.Errorf(ErrInvalid, p.Child(k), "a closed loop's rate follows from users, think time and latency", "%s does not apply with users", k)
			}
		}
		if d.IsSet(p.Child("arrival")) {
			d.Errorf(ErrInvalid, p.Child("arrival"), "remove it: users send when they have thought", "arrival does not apply with users")
		}
		if w.Think == nil {
			d.Errorf(ErrMissing, tp, `for example think = { dist = "exponential", mean = "1s" }`, "required with users")
		}
	} else if w.Think != nil {
		d.Errorf(ErrInvalid, tp, "set users for a closed loop", "think needs users")
	}
	if w.Think != nil {
		d.validateDist(w.Think, tp)
	}
	d.validateBreaker(w, p)
	d.validateUserSchedule(w, p, simDuration)
	if w.Retry != nil {
		d.validateRetry(w.Retry, p.Child("retry"))
	}
	return closed
}

// validateRetry checks a retry table at rp (a workload's or a calls
// entry's), filling in the keys not given.
func (d *checker) validateRetry(r *Retry, rp tomlpos.Path) {
	// An inline table starts from zero: fill in the keys not given.
	def := DefaultRetry()
	if !d.IsSet(rp.Child("attempts")) {
		r.Attempts = def.Attempts
	}
	if !d.IsSet(rp.Child("backoff")) {
		r.Backoff = def.Backoff
	}
	if !d.IsSet(rp.Child("cap")) {
		r.Cap = max(def.Cap, r.Backoff)
	}
	if !d.IsSet(rp.Child("jitter")) {
		r.Jitter = def.Jitter
	}
	if r.Attempts < 1 || r.Attempts > maxRetryAttempts {
		d.Errorf(ErrInvalid, rp.Child("attempts"), "attempts in all, the first included", "must be 1 to %d, got %d", maxRetryAttempts, r.Attempts)
	}
	if r.Backoff < 0 {
		d.Errorf(ErrInvalid, rp.Child("backoff"), "", "must be >= 0")
	}
	if r.Cap < r.Backoff {
		d.Errorf(ErrInvalid, rp.Child("cap"), "", "cap %s is below backoff %s", r.Cap, r.Backoff)
	}
	if b := r.Budget; b != nil && (!(*b >= 0) || *b > maxRetryBudget || math.IsInf(*b, 0)) {
		d.Errorf(ErrInvalid, rp.Child("budget"), "retries per request, for example 0.2", "must be 0 to %v, got %v", maxRetryBudget, *b)
	}
}

// spec returns the retry table's model configuration.
func (r *Retry) spec() (*models.RetrySpec, error) {
	j, err := retry.ParseJitter(string(r.Jitter))
	if err != nil {
		return nil, err
	}
	rs := &models.RetrySpec{Attempts: r.Attempts, Backoff: engine.Duration(r.Backoff), Cap: engine.Duration(r.Cap), Jitter: j}
	if r.Budget != nil {
		rs.Budget, rs.HasBudget = *r.Budget, true
	}
	return rs, nil
}

// buildClients fills a workload's closed-loop and retry settings.
func buildClients(w Workload, spec *models.WorkloadSpec) error {
	if w.Users > 0 && w.Think != nil {
		spec.Users = w.Users
		spec.Think = w.Think.Spec()
		for _, st := range w.UserSchedule {
			spec.UserSchedule = append(spec.UserSchedule, models.UserStep{At: engine.Time(st.At), Users: st.Users})
		}
	}
	if r := w.Retry; r != nil {
		rs, err := r.spec()
		if err != nil {
			return err
		}
		spec.Retry = rs
	}
	if b := w.Breaker; b != nil {
		spec.Breaker = b.spec()
	}
	return nil
}

// clientArrivals bounds the first attempts of a closed-loop workload over
// dur: each user sends at most once per think time (at least 1 ms).
func clientArrivals(w Workload, dur engine.Duration) float64 {
	think := 1e-3
	if w.Think != nil {
		think = max(think, w.Think.Spec().Mean)
	}
	return float64(w.Users) * dur.Seconds() / think
}

// OnError is what a caller does when one of its calls fails: "fail" (its
// own request fails), "ignore" (it carries on with its other calls) or
// "fallback" (it skips its remaining calls and answers with a fallback).
type OnError string

// Call is one entry of a service's calls: after its own work, an instance
// calls Service Count times through that service's balancer, holding its
// slot until the last call returns.
type Call struct {
	// Service names the [[service]] called; required; it must give a
	// service_time (the work of each call) and the calls must not loop.
	Service string `toml:"service"`
	// Count is the number of calls; default 1, 1 to 1000.
	Count int `toml:"count"`
	// Parallel sends the calls at once, together with the neighbouring
	// parallel entries, and waits for them all; default false: one after
	// another.
	Parallel bool `toml:"parallel"`
	// OnError is what the caller does when a call fails (rejected, lost
	// with its instance, or failed by its own calls): "fail" (default),
	// "ignore" or "fallback".
	OnError OnError `toml:"on_error"`
	// Timeout is how long the caller waits for each attempt of a call
	// before giving up on it (the callee keeps working), nanoseconds;
	// 0 (omitted) waits as long as it takes; > 0 when given.
	Timeout Duration `toml:"timeout,omitzero"`
	// Retry resends a failed call attempt (timed out, rejected, lost or
	// failed) with backoff and jitter, as a workload's retry does; nil
	// (omitted) means no retries.
	Retry *Retry `toml:"retry,omitempty"`
	// Breaker is the caller's circuit breaker on these calls, one per
	// calls entry shared by the caller's instances: while open, calls fail
	// at once without being sent; nil (omitted) means none.
	Breaker *Breaker `toml:"breaker,omitempty"`
}

const maxCallCount = 1000

// DefaultCall returns a calls entry's defaults.
func DefaultCall() Call { return Call{Count: 1, OnError: "fail"} }

// validateCalls checks every service's calls: callees exist and give a
// service time, counts are in range, and no service calls itself
// directly or through others.
func (d *checker) validateCalls(cfg *Config, sp tomlpos.Path) {
	byName, names := serviceIndex(cfg)
	for i, s := range cfg.Services {
		p := sp.Elem(i, s.Name).Child("calls")
		for j, k := range s.Calls {
			ep := p.Elem(j, "")
			callee, ok := byName[k.Service]
			switch {
			case !d.IsSet(ep.Child("service")):
				d.Errorf(ErrMissing, ep.Child("service"), "name the [[service]] called", "required")
			case !ok:
				d.Errorf(ErrReference, ep.Child("service"), tomlpos.DidYouMean(k.Service, names), "no service named %q", k.Service)
			case cfg.Services[callee].ServiceTime == nil:
				d.Errorf(ErrMissing, sp.Elem(callee, k.Service).Child("service_time"), "the work of each call to it", "service %q is called by %q and needs a service_time", k.Service, s.Name)
			}
			if k.Count < 1 || k.Count > maxCallCount {
				d.Errorf(ErrInvalid, ep.Child("count"), "", "must be 1 to %d, got %d", maxCallCount, k.Count)
			}
			d.validateCallPolicy(&s.Calls[j], ep)
		}
	}
	// A loop would never end: look for one by depth-first search.
	state := make([]uint8, len(cfg.Services)) // 0 new, 1 on the path, 2 done
	var visit func(i int) bool
	visit = func(i int) bool {
		state[i] = 1
		for j, k := range cfg.Services[i].Calls {
			callee, ok := byName[k.Service]
			if !ok {
				continue
			}
			if state[callee] == 1 {
				d.Errorf(ErrInvalid, sp.Elem(i, cfg.Services[i].Name).Child("calls").Elem(j, "").Child("service"),
					"calls must not loop", "service %q calls %q, which is already waiting on this chain of calls: the calls would never end", cfg.Services[i].Name, k.Service)
				return true
			}
			if state[callee] == 0 && visit(callee) {
				return true
			}
		}
		state[i] = 2
		return false
	}
	for i := range cfg.Services {
		if state[i] == 0 && visit(i) {
			return
		}
	}
}

// validateCallPolicy checks a calls entry's timeout, retry and breaker.
func (d *checker) validateCallPolicy(k *Call, ep tomlpos.Path) {
	if d.IsSet(ep.Child("timeout")) && k.Timeout <= 0 {
		d.Errorf(ErrInvalid, ep.Child("timeout"), "omit it to wait as long as the call takes", "must be > 0")
	}
	if k.Retry != nil {
		d.validateRetry(k.Retry, ep.Child("retry"))
	}
	if k.Breaker != nil {
		d.validateBreakerTable(k.Breaker, ep.Child("breaker"))
	}
}

// buildCalls fills a service's calls and its service time as a callee.
func buildCalls(s Service, index map[string]int, spec *models.ServiceSpec) error {
	if s.ServiceTime != nil {
		spec.ServiceTime = s.ServiceTime.Spec()
	}
	for _, k := range s.Calls {
		cs := models.CallSpec{Service: index[k.Service], Count: k.Count, Parallel: k.Parallel}
		switch k.OnError {
		case "ignore":
			cs.OnError = models.IgnoreError
		case "fallback":
			cs.OnError = models.Fallback
		}
		cs.Timeout = engine.Duration(k.Timeout)
		if k.Retry != nil {
			rs, err := k.Retry.spec()
			if err != nil {
				return err
			}
			cs.Retry = rs
		}
		if k.Breaker != nil {
			cs.Breaker = k.Breaker.spec()
		}
		spec.Calls = append(spec.Calls, cs)
	}
	return nil
}

// Cache is a service's cache table: each request carries a key drawn from
// a Zipf popularity over Keys keys; a request whose key is cached is
// answered by the cache after HitTime, a miss is served by an instance and
// its answer fills the cache, evicting the least recently used entry.
type Cache struct {
	// Capacity is the entries the cache holds; required, 1 to 1,048,576.
	Capacity int `toml:"capacity"`
	// Keys is the number of distinct keys requests ask for; required, 1 to
	// 1,048,576.
	Keys int `toml:"keys"`
	// Zipf is the popularity exponent: key k (from 1) is asked for with
	// probability ∝ 1/k^zipf; default 1.0, 0 (uniform) to 10.
	Zipf float64 `toml:"zipf"`
	// TTL is how long an entry stays fresh after it is filled,
	// nanoseconds (1s to 30s is micro-caching); default 0: until evicted.
	TTL Duration `toml:"ttl,omitzero"`
	// HitTime is the latency of a hit, nanoseconds; default 0.
	HitTime Duration `toml:"hit_time,omitzero"`
	// Coalesce makes concurrent misses of one key wait for the first
	// one's fill instead of each reaching an instance (Varnish's request
	// coalescing, Nginx's proxy_cache_lock): at most one request per key
	// in flight to the instances; if that request fails, its waiters fail
	// with it. Default false; not for functions.
	Coalesce bool `toml:"coalesce,omitzero"`
}

const defaultZipf = 1.0

// DefaultCache returns a cache table's defaults.
func DefaultCache() Cache { return Cache{Zipf: defaultZipf} }

// validateCache checks a service's cache table.
func (d *checker) validateCache(s *Service, p tomlpos.Path) {
	cc := s.Cache
	if cc == nil {
		return
	}
	cp := p.Child("cache")
	if !d.IsSet(cp.Child("zipf")) {
		cc.Zipf = defaultZipf
	}
	for _, k := range []struct {
		key string
		v   int
	}{{"capacity", cc.Capacity}, {"keys", cc.Keys}} {
		switch {
		case !d.IsSet(cp.Child(k.key)):
			d.Errorf(ErrMissing, cp.Child(k.key), "", "required")
		case k.v < 1 || k.v > dist.MaxZipfKeys:
			d.Errorf(ErrInvalid, cp.Child(k.key), "", "must be 1 to %d, got %d", dist.MaxZipfKeys, k.v)
		}
	}
	if !(cc.Zipf >= 0 && cc.Zipf <= 10) {
		d.Errorf(ErrInvalid, cp.Child("zipf"), "web popularity is usually 0.6 to 1.2", "must be 0 to 10, got %v", cc.Zipf)
	}
	if cc.TTL < 0 {
		d.Errorf(ErrInvalid, cp.Child("ttl"), "omit it for entries that never expire", "must be >= 0")
	}
	if cc.HitTime < 0 {
		d.Errorf(ErrInvalid, cp.Child("hit_time"), "", "must be >= 0")
	}
	if cc.Coalesce && s.Platform == PlatformFunction {
		d.Errorf(ErrInvalid, cp.Child("coalesce"), "", "a function's cache does not coalesce")
	}
}

// buildCache fills a service's cache.
func buildCache(s Service, spec *models.ServiceSpec) {
	if cc := s.Cache; cc != nil {
		spec.Cache = &models.CacheSpec{Capacity: cc.Capacity, Keys: cc.Keys, Zipf: cc.Zipf,
			TTL: engine.Duration(cc.TTL), HitTime: engine.Duration(cc.HitTime), Coalesce: cc.Coalesce}
	}
}

// Breaker is a client-side circuit breaker (a workload's, or a calls
// entry's): after Failures consecutive failed attempts, or (error-rate
// mode) a failure rate of at least ErrorRate over the last Window
// attempts, it opens and the client fails requests at once, without
// sending them, for Open; then it lets Probes requests through, closing
// if they succeed and opening again if they fail.
type Breaker struct {
	// Failures is the consecutive failed attempts (timed out, rejected,
	// lost) that open the breaker; default 5, 1 to 1,000,000; not with
	// error_rate.
	Failures int `toml:"failures"`
	// Open is how long the breaker stays open before probing, nanoseconds;
	// default 5s (Hystrix's sleep window), > 0.
	Open Duration `toml:"open"`
	// Probes is the requests let through half-open; default 1, 1 to 1000.
	// Consecutive mode closes when they all succeed; error-rate mode
	// reopens when at least error_rate of them fail (resilience4j's
	// permittedNumberOfCallsInHalfOpenState).
	Probes int `toml:"probes"`
	// ErrorRate selects error-rate mode: the breaker opens when at least
	// this share of the last window attempts failed (resilience4j's
	// failureRateThreshold, as a fraction); (0, 1]; omitted: consecutive
	// failures.
	ErrorRate float64 `toml:"error_rate,omitzero"`
	// Window is the attempts the error rate is computed over (resilience4j's
	// COUNT_BASED slidingWindowSize); default 100, 1 to 100,000; with
	// error_rate only.
	Window int `toml:"window,omitzero"`
	// MinRequests is the attempts the window must hold before the rate
	// counts (resilience4j's minimumNumberOfCalls); default window, 1 to
	// window; with error_rate only.
	MinRequests int `toml:"min_requests,omitzero"`
}

// DefaultBreaker returns a breaker table's defaults.
func DefaultBreaker() Breaker { return Breaker{Failures: 5, Open: 5 * Second, Probes: 1} }

const (
	defaultBreakerWindow = 100
	maxBreakerWindow     = 100_000
)

// validateBreaker checks a workload's breaker table, filling in the keys
// not given.
func (d *checker) validateBreaker(w *Workload, p tomlpos.Path) {
	if w.Breaker != nil {
		d.validateBreakerTable(w.Breaker, p.Child("breaker"))
	}
}

// validateBreakerTable checks a breaker table at bp, filling in the keys
// not given.
func (d *checker) validateBreakerTable(b *Breaker, bp tomlpos.Path) {
	def := DefaultBreaker()
	rate := d.IsSet(bp.Child("error_rate"))
	if !d.IsSet(bp.Child("failures")) {
		b.Failures = def.Failures
	} else if rate {
		d.Errorf(ErrInvalid, bp.Child("failures"), "give failures (consecutive) or error_rate (share of the window), not both", "failures does not apply with error_rate")
	}
	if !d.IsSet(bp.Child("open")) {
		b.Open = def.Open
	}
	if !d.IsSet(bp.Child("probes")) {
		b.Probes = def.Probes
	}
	if b.Failures < 1 || b.Failures > 1_000_000 {
		d.Errorf(ErrInvalid, bp.Child("failures"), "consecutive failures that open it", "must be 1 to 1000000, got %d", b.Failures)
	}
	if b.Open <= 0 {
		d.Errorf(ErrInvalid, bp.Child("open"), "how long it stays open", "must be > 0")
	}
	if b.Probes < 1 || b.Probes > 1000 {
		d.Errorf(ErrInvalid, bp.Child("probes"), "", "must be 1 to 1000, got %d", b.Probes)
	}
	if !rate {
		for _, k := range []string{"window", "min_requests"} {
			if d.IsSet(bp.Child(k)) {
				d.Errorf(ErrInvalid, bp.Child(k), "set error_rate for an error-rate breaker", "%s needs error_rate", k)
			}
		}
		return
	}
	if !(b.ErrorRate > 0 && b.ErrorRate <= 1) {
		d.Errorf(ErrInvalid, bp.Child("error_rate"), "a share of attempts, for example 0.5", "must be > 0 and <= 1, got %v", b.ErrorRate)
	}
	if !d.IsSet(bp.Child("window")) {
		b.Window = defaultBreakerWindow
	}
	if b.Window < 1 || b.Window > maxBreakerWindow {
		d.Errorf(ErrInvalid, bp.Child("window"), "attempts the rate is computed over", "must be 1 to %d, got %d", maxBreakerWindow, b.Window)
		return
	}
	if !d.IsSet(bp.Child("min_requests")) {
		b.MinRequests = b.Window
	}
	if b.MinRequests < 1 || b.MinRequests > b.Window {
		d.Errorf(ErrInvalid, bp.Child("min_requests"), "", "must be 1 to window (%d), got %d", b.Window, b.MinRequests)
	}
}

// spec returns the breaker's model configuration.
func (b *Breaker) spec() *breaker.Config {
	return &breaker.Config{Failures: b.Failures, OpenFor: engine.Duration(b.Open), Probes: b.Probes,
		ErrorRate: b.ErrorRate, Window: b.Window, MinRequests: b.MinRequests}
}

// UserStep is one entry of a closed-loop workload's users_schedule: from
// At on the workload has Users users.
type UserStep struct {
	// At is when the count changes, nanoseconds from the start; required,
	// strictly increasing, before sim.duration.
	At Duration `toml:"at"`
	// Users is the new user count; required, 0 to 10,000,000. New users
	// start after one think time; surplus users leave as they finish
	// their current request.
	Users int `toml:"users"`
}

// validateUserSchedule checks a workload's users_schedule.
func (d *checker) validateUserSchedule(w *Workload, p tomlpos.Path, simDuration Duration) {
	sp := p.Child("users_schedule")
	if len(w.UserSchedule) > 0 && w.Users == 0 {
		d.Errorf(ErrInvalid, sp, "set users for a closed loop", "users_schedule needs users")
	}
	for i, st := range w.UserSchedule {
		ep := sp.Elem(i, "")
		for _, k := range []string{"at", "users"} {
			if !d.IsSet(ep.Child(k)) {
				d.Errorf(ErrMissing, ep.Child(k), "", "required")
			}
		}
		if st.Users < 0 || st.Users > maxUsers {
			d.Errorf(ErrInvalid, ep.Child("users"), "", "must be 0 to %d, got %d", maxUsers, st.Users)
		}
		if simDuration > 0 && st.At >= simDuration {
			d.Errorf(ErrInvalid, ep.Child("at"), "", "at %s is not before the end of the run (%s)", st.At, simDuration)
		}
		if i > 0 && st.At <= w.UserSchedule[i-1].At {
			d.Errorf(ErrInvalid, ep.Child("at"), "", "at %s must be after the previous entry's %s", st.At, w.UserSchedule[i-1].At)
		}
	}
}

// serviceIndex returns each service's index by name, and the names in
// declaration order (for suggestions).
func serviceIndex(cfg *Config) (map[string]int, []string) {
	byName := make(map[string]int, len(cfg.Services))
	names := make([]string, 0, len(cfg.Services))
	for i, s := range cfg.Services {
		byName[s.Name] = i
		names = append(names, s.Name)
	}
	return byName, names
}
