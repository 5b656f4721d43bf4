// Command handloop is the "limit" peer of the clustersim benchmarks: a
// hand-written, single-purpose M/M/c event loop with nothing in it but the
// model. Poisson arrivals at rate lambda = rho*c*mu feed one FIFO queue in
// front of c servers, each serving for an exponential time of rate mu.
//
// It is an honest discrete-event simulation, not a shortcut: every arrival
// and every departure is an event in a binary min-heap ordered by
// (time, seq), so it counts exactly 2 model events per customer, like
// every other engine in bench/peers. What it leaves out is everything a
// general engine needs: no interfaces, no callbacks, no container/heap,
// events stored by value in one slice, one random stream.
//
// It records every sojourn time (arrival to departure) in a []float64,
// sorts them for p50/p99 and prints one JSON line:
//
//	{"engine":"handloop","customers":N,"events":E,"mean_sojourn_s":...,
//	 "p50_s":...,"p99_s":...,"wall_s":...,"loop_s":...}
//
// wall_s is the whole run inside the process (allocation, event loop,
// sort); loop_s is the event loop alone.
//
//	go run ./bench/peers/handloop -customers 5000000 -c 8 -rho 0.8 -mu 100 -seed 1
package main

import (
	"encoding/json"
	"flag"
	"fmt"
	"math"
	"math/rand/v2"
	"os"
	"slices"
	"time"
)

// Event kinds.
const (
	kindArrival   uint32 = 0
	kindDeparture uint32 = 1
)

// event is stored by value in the heap. arrived is the customer's arrival
// time, carried by its departure event to compute the sojourn.
type event struct {
	t       float64 // simulated time, seconds
	seq     uint64  // scheduling order: breaks ties in t, FIFO
	arrived float64 // departure: the customer's arrival time
	kind    uint32
}

func (a *event) less(b *event) bool {
	return a.t < b.t || (a.t == b.t && a.seq < b.seq)
}

// eventHeap is a typed binary min-heap of events by value.
type eventHeap struct {
	ev  []event
	seq uint64
}

func (h *eventHeap) push(t, arrived float64, kind uint32) {
	h.seq++
	e := event{t: t, seq: h.seq, arrived: arrived, kind: kind}
	ev := append(h.ev, e)
	i := len(ev) - 1
	for i > 0 {
		p := (i - 1) / 2
		if !e.less(&ev[p]) {
			break
		}
		ev[i] = ev[p]
		i = p
	}
	ev[i] = e
	h.ev = ev
}

// siftDown places e at the root's position i and moves it down to restore
// heap order over ev.
func siftDown(ev []event, i int, e event) {
	n := len(ev)
	for {
		l := 2*i + 1
		if l >= n {
			break
		}
		m := l
		if r := l + 1; r < n && ev[r].less(&ev[l]) {
			m = r
		}
		if !ev[m].less(&e) {
			break
		}
		ev[i] = ev[m]
		i = m
	}
	ev[i] = e
}

// drop removes the earliest event. The heap must not be empty.
func (h *eventHeap) drop() {
	n := len(h.ev) - 1
	last := h.ev[n]
	h.ev = h.ev[:n]
	if n > 0 {
		siftDown(h.ev, 0, last)
	}
}

// replaceTop removes the earliest event and schedules a new one in a
// single sift: the common case where handling an event schedules exactly
// one follow-up (next arrival, next service start).
func (h *eventHeap) replaceTop(t, arrived float64, kind uint32) {
	h.seq++
	siftDown(h.ev, 0, event{t: t, seq: h.seq, arrived: arrived, kind: kind})
}

// fifo is a growable ring buffer of arrival times (the waiting line).
type fifo struct {
	buf        []float64 // len is a power of two
	head, size int
}

func newFIFO() *fifo { return &fifo{buf: make([]float64, 1024)} }

func (q *fifo) push(x float64) {
	if q.size == len(q.buf) {
		nb := make([]float64, 2*len(q.buf))
		for i := 0; i < q.size; i++ {
			nb[i] = q.buf[(q.head+i)&(len(q.buf)-1)]
		}
		q.buf, q.head = nb, 0
	}
	q.buf[(q.head+q.size)&(len(q.buf)-1)] = x
	q.size++
}

func (q *fifo) pop() float64 {
	x := q.buf[q.head]
	q.head = (q.head + 1) & (len(q.buf) - 1)
	q.size--
	return x
}

type result struct {
	Engine       string  `json:"engine"`
	Customers    int     `json:"customers"`
	Events       int64   `json:"events"`
	MeanSojournS float64 `json:"mean_sojourn_s"`
	P50S         float64 `json:"p50_s"`
	P99S         float64 `json:"p99_s"`
	WallS        float64 `json:"wall_s"`
	LoopS        float64 `json:"loop_s"`
}

// sortNonNegative sorts xs ascending. For non-negative floats the IEEE-754
// bit patterns order like the values, so it is an LSD radix sort on the bits
// (11-bit digits, digits that are equal in every key skipped): a few linear
// passes instead of n log n comparisons. Anything else (negative, NaN)
// falls back to slices.Sort.
func sortNonNegative(xs []float64) {
	const bits, buckets = 11, 1 << 11
	const passes = (64 + bits - 1) / bits
	n := len(xs)
	if n < 1<<12 {
		slices.Sort(xs)
		return
	}
	src := make([]uint64, n)
	dst := make([]uint64, n)
	var count [passes][buckets]int
	for i, x := range xs {
		if !(x >= 0) {
			slices.Sort(xs)
			return
		}
		k := math.Float64bits(x)
		src[i] = k
		for p := 0; p < passes; p++ {
			count[p][(k>>(p*bits))&(buckets-1)]++
		}
	}
	for p := 0; p < passes; p++ {
		cnt := &count[p]
		if cnt[(src[0]>>(p*bits))&(buckets-1)] == n {
			continue // every key has the same digit here
		}
		pos := 0
		for b := range cnt {
			c := cnt[b]
			cnt[b] = pos
			pos += c
		}
		shift := uint(p * bits)
		for _, k := range src {
			d := (k >> shift) & (buckets - 1)
			dst[cnt[d]] = k
			cnt[d]++
		}
		src, dst = dst, src
	}
	for i, k := range src {
		xs[i] = math.Float64frombits(k)
	}
}

// quantile is the nearest-rank q-quantile of sorted xs.
func quantile(sorted []float64, q float64) float64 {
	if len(sorted) == 0 {
		return math.NaN()
	}
	k := int(math.Ceil(q*float64(len(sorted)))) - 1
	return sorted[max(0, min(k, len(sorted)-1))]
}

func main() {
	customers := flag.Int("customers", 5_000_000, "number of customers to simulate")
	c := flag.Int("c", 8, "number of servers")
	rho := flag.Float64("rho", 0.8, "utilisation lambda/(c*mu), must be in (0,1)")
	mu := flag.Float64("mu", 100, "service rate per server, per second")
	seed := flag.Uint64("seed", 1, "random seed (PCG)")
	flag.Parse()
	if *customers < 1 || *c < 1 || !(*rho > 0 && *rho < 1) || !(*mu > 0) {
		fmt.Fprintln(os.Stderr, "handloop: need customers >= 1, c >= 1, 0 < rho < 1, mu > 0")
		os.Exit(2)
	}

	start := time.Now()
	n := *customers
	servers := *c
	lambda := *rho * float64(servers) * *mu
	invLambda, invMu := 1/lambda, 1/(*mu)
	rng := rand.New(rand.NewPCG(*seed, 0x9e3779b97f4a7c15))

	sojourn := make([]float64, 0, n)
	h := &eventHeap{ev: make([]event, 0, servers+2)}
	q := newFIFO()
	busy := 0
	arrivals := 1
	var events int64
	var sum float64

	loopStart := time.Now()
	h.push(rng.ExpFloat64()*invLambda, 0, kindArrival)
	for len(h.ev) > 0 {
		e := h.ev[0] // earliest event; removed (or replaced) below
		events++
		now := e.t
		if e.kind == kindArrival {
			if arrivals < n {
				arrivals++
				h.replaceTop(now+rng.ExpFloat64()*invLambda, 0, kindArrival)
			} else {
				h.drop()
			}
			if busy < servers {
				busy++
				h.push(now+rng.ExpFloat64()*invMu, now, kindDeparture)
			} else {
				q.push(now)
			}
			continue
		}
		// Departure: record the sojourn, start the next waiting customer.
		s := now - e.arrived
		sum += s
		sojourn = append(sojourn, s)
		if q.size > 0 {
			h.replaceTop(now+rng.ExpFloat64()*invMu, q.pop(), kindDeparture)
		} else {
			h.drop()
			busy--
		}
	}
	loop := time.Since(loopStart)

	sortNonNegative(sojourn)
	res := result{
		Engine:       "handloop",
		Customers:    len(sojourn),
		Events:       events,
		MeanSojournS: sum / float64(len(sojourn)),
		P50S:         quantile(sojourn, 0.50),
		P99S:         quantile(sojourn, 0.99),
		WallS:        time.Since(start).Seconds(),
		LoopS:        loop.Seconds(),
	}
	out, err := json.Marshal(res)
	if err != nil {
		fmt.Fprintln(os.Stderr, "handloop:", err)
		os.Exit(1)
	}
	fmt.Println(string(out))
}
