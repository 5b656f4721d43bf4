package scenario

import (
	"math"

	"github.com/clustersim/clustersim/sim/engine"
	"github.com/clustersim/clustersim/sim/models"
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

// closedLoop reports whether a workload is a closed loop of users.
func (w *Workload) closedLoop() bool { return w.Users > 0 }

// validateClients checks a workload's users, think and retry keys. It
// reports whether the workload is a closed loop, so that the open-loop
// rate checks are skipped.
func (d *checker) validateClients(w *Workload, p tomlpos.Path) bool {
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
	if r := w.Retry; r != nil {
		rp := p.Child("retry")
		// An inline table starts from zero: fill in the keys not given.
		def := DefaultRetry()
		for k, fill := range map[string]func(){
			"attempts": func() { r.Attempts = def.Attempts },
			"backoff":  func() { r.Backoff = def.Backoff },
			"cap":      func() { r.Cap = max(def.Cap, r.Backoff) },
			"jitter":   func() { r.Jitter = def.Jitter },
		} {
			if !d.IsSet(rp.Child(k)) {
				fill()
			}
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
	return closed
}

// buildClients fills a workload's closed-loop and retry settings.
func buildClients(w Workload, spec *models.WorkloadSpec) error {
	if w.Users > 0 && w.Think != nil {
		spec.Users = w.Users
		spec.Think = w.Think.Spec()
	}
	if r := w.Retry; r != nil {
		j, err := retry.ParseJitter(string(r.Jitter))
		if err != nil {
			return err
		}
		spec.Retry = &models.RetrySpec{
			Attempts: r.Attempts, Backoff: engine.Duration(r.Backoff), Cap: engine.Duration(r.Cap), Jitter: j,
		}
		if r.Budget != nil {
			spec.Retry.Budget, spec.Retry.HasBudget = *r.Budget, true
		}
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
