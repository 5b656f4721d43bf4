package models

import "github.com/clustersim/clustersim/sim/engine"

// RequestID indexes a request in the cluster's request pool.
type RequestID int32

// request is one client request in flight. Requests live in a pool and are
// recycled, so a steady-state run allocates none.
type request struct {
	sent     engine.Time     // when the client sent it
	arrived  engine.Time     // when it reached its service
	work     engine.Duration // service time it needs on a warm instance
	timeout  engine.Handle   // the client's timeout timer, if any
	workload int32
	service  int32
	instance int32
	slot     int32 // index in the instance's serving list while in service
	counted  bool  // sent after the warm-up period: it enters the summary
	timedOut bool  // the client gave up; the server may still be working
	failed   bool  // lost with its instance; a pending completion is ignored
}

// requestPool recycles request records through a free list.
type requestPool struct {
	reqs []request
	free []RequestID
}

func (p *requestPool) alloc() RequestID {
	if n := len(p.free); n > 0 {
		id := p.free[n-1]
		p.free = p.free[:n-1]
		return id
	}
	p.reqs = append(p.reqs, request{})
	return RequestID(len(p.reqs) - 1)
}

func (p *requestPool) release(id RequestID) {
	p.reqs[id] = request{}
	p.free = append(p.free, id)
}

// fifo is a growable ring buffer of request IDs.
type fifo struct {
	buf  []RequestID
	head int
	n    int
}

func (q *fifo) len() int { return q.n }

func (q *fifo) push(id RequestID) {
	if q.n == len(q.buf) {
		nb := make([]RequestID, max(8, 2*len(q.buf)))
		for i := range q.n {
			nb[i] = q.buf[(q.head+i)%len(q.buf)]
		}
		q.buf, q.head = nb, 0
	}
	q.buf[(q.head+q.n)%len(q.buf)] = id
	q.n++
}

func (q *fifo) pop() RequestID {
	id := q.buf[q.head]
	q.head++
	if q.head == len(q.buf) {
		q.head = 0
	}
	q.n--
	return id
}
