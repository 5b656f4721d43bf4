package retry

import "github.com/clustersim/clustersim/sim/engine"

// BudgetTTL is how long a request counts towards the budget: Finagle's
// RetryBudget default ttl of 10 seconds.
const BudgetTTL = 10 * engine.Second

// budgetSlots is the number of one-second slots the window is kept in.
const budgetSlots = 10

// Budget allows retries up to Ratio times the requests of the last
// BudgetTTL (Finagle's RetryBudget: each request deposits Ratio of a
// retry, each retry withdraws one, deposits expire after the ttl; Envoy's
// retry budget bounds retries the same way as a share of requests). The
// window moves in one-second slots. Finagle's floor of minRetriesPerSec is
// not modelled: with no recent requests no retry is allowed. The zero
// Budget allows nothing; use NewBudget.
type Budget struct {
	ratio       float64
	reqs, tries [budgetSlots]int64
	sumReqs     int64
	sumTries    int64
	slot        int64 // the one-second slot index of the newest entry
	cur         int   // its position in the ring
	started     bool
}

// NewBudget returns a budget allowing ratio retries per request (for
// example 0.2: one retry for every five requests).
func NewBudget(ratio float64) *Budget { return &Budget{ratio: ratio} }

// advance moves the window to the slot of now, dropping expired slots.
func (b *Budget) advance(now engine.Time) {
	s := int64(now) / int64(engine.Second)
	if !b.started {
		b.slot, b.started = s, true
		return
	}
	for b.slot < s {
		b.slot++
		b.cur = (b.cur + 1) % budgetSlots
		b.sumReqs -= b.reqs[b.cur]
		b.sumTries -= b.tries[b.cur]
		b.reqs[b.cur], b.tries[b.cur] = 0, 0
		if s-b.slot >= budgetSlots { // the whole window expired
			b.reqs, b.tries = [budgetSlots]int64{}, [budgetSlots]int64{}
			b.sumReqs, b.sumTries, b.slot = 0, 0, s
		}
	}
}

// Request records a first attempt at now.
func (b *Budget) Request(now engine.Time) {
	b.advance(now)
	b.reqs[b.cur]++
	b.sumReqs++
}

// Allow reports whether a retry at now fits the budget, retries + 1 <=
// ratio × requests over the window, and records it if so.
func (b *Budget) Allow(now engine.Time) bool {
	b.advance(now)
	if float64(b.sumTries+1) > b.ratio*float64(b.sumReqs) {
		return false
	}
	b.tries[b.cur]++
	b.sumTries++
	return true
}
