// Package retry holds the client retry decisions: the backoff before each
// retry, with the four jitter modes of the AWS Architecture Blog's
// "Exponential Backoff and Jitter" (Marc Brooker, 2015), and a retry
// budget in the style of Finagle's RetryBudget and Envoy's retry budgets,
// which allows retries only up to a fraction of recent requests.
//
// Everything here is a pure function of its arguments or of the small
// state a Budget keeps; the caller supplies the uniform random number and
// the current time:
//
//	sleep := retry.Backoff(retry.Full, base, cap, attempt, prev, rng.Float64())
//	if budget.Allow(now) { /* resend after sleep */ }
package retry
