// Package queue runs a chat adapter's answers on a fixed pool of workers
// from a bounded queue, so a flood of messages costs a bounded amount of
// memory, an answer that cannot be sent in time is dropped and counted
// rather than sent late, and a shutdown drains what was acknowledged
// within a grace. Slack and Discord both answer, and stop, through it.
package queue

import (
	"context"
	"log/slog"
	"sync"
	"sync/atomic"
	"time"

	"github.com/bathnes/signpost/adapters/internal/tally"
)

// Defaults fills what an adapter's configuration leaves unset (0): a
// queue of 1,000 answers on 16 workers, and a grace of 10 s at shutdown.
func Defaults(size, workers int, grace time.Duration) (int, int, time.Duration) {
	if size <= 0 {
		size = 1000
	}
	if workers <= 0 {
		workers = 16
	}
	if grace <= 0 {
		grace = 10 * time.Second
	}
	return size, workers, grace
}

// Queue holds at most Size jobs and runs them on Workers goroutines. Each
// job's deadline starts when it is added, that is, when the platform was
// told the request arrived.
type Queue struct {
	jobs    chan job
	timeout time.Duration
	log     *slog.Logger
	base    context.Context
	stop    context.CancelFunc
	wg      sync.WaitGroup

	mu     sync.RWMutex
	closed bool

	// Counted events, logged in one line a minute rather than one an
	// event (see tally.Tally). Expired are answers not sent before their
	// deadline; Lost are answers still waiting or running when the grace
	// ran out at shutdown. A job Add refuses is the caller's to count: it
	// was never acknowledged (Slack's 503, Discord's "busy").
	Expired, Lost *tally.Tally
	running       atomic.Int64
}

type job struct {
	f        func(context.Context)
	deadline time.Time
}

// New starts workers goroutines serving a queue of size jobs, each with
// timeout from when it is added.
func New(workers, size int, timeout time.Duration, log *slog.Logger) *Queue {
	base, stop := context.WithCancel(context.Background())
	q := &Queue{
		jobs: make(chan job, size), timeout: timeout, log: log, base: base, stop: stop,
		Expired: tally.New(log, "answers dropped: not sent before their deadline", time.Minute),
		Lost:    tally.New(log, "answers lost: still waiting when the shutdown grace ran out", time.Minute),
	}
	for range workers {
		q.wg.Go(q.work)
	}
	return q
}

func (q *Queue) work() {
	for j := range q.jobs {
		switch {
		case q.base.Err() != nil:
			// Shutting down past its grace: what waits is not sent.
		case time.Now().After(j.deadline):
			q.Expired.Add()
		default:
			q.run(j)
		}
	}
}

func (q *Queue) run(j job) {
	q.running.Add(1)
	defer q.running.Add(-1)
	defer func() {
		if r := recover(); r != nil {
			q.log.Error("answer panicked", "panic", r)
		}
	}()
	ctx, cancel := context.WithDeadline(q.base, j.deadline)
	defer cancel()
	j.f(ctx)
}

// Add queues f and reports whether it was taken: false when the queue is
// full or closing, which the caller should say (busy) or count.
func (q *Queue) Add(f func(context.Context)) bool {
	q.mu.RLock()
	defer q.mu.RUnlock()
	if q.closed {
		return false
	}
	select {
	case q.jobs <- job{f: f, deadline: time.Now().Add(q.timeout)}:
		return true
	default:
		return false
	}
}

// Len is how many jobs wait, and Running how many are being run.
func (q *Queue) Len() int     { return len(q.jobs) }
func (q *Queue) Running() int { return int(q.running.Load()) }

// Dropped is how many answers were taken and never sent: past their
// deadline, or still waiting when a shutdown's grace ran out.
func (q *Queue) Dropped() int64 { return q.Expired.Total() + q.Lost.Total() }

// Close stops taking jobs and lets the queue drain for at most grace; then
// it cancels what still runs and discards what still waits. It returns how
// many jobs were not finished.
func (q *Queue) Close(grace time.Duration) int {
	q.mu.Lock()
	if q.closed {
		q.mu.Unlock()
		return 0
	}
	q.closed = true
	close(q.jobs)
	q.mu.Unlock()
	done := make(chan struct{})
	go func() { q.wg.Wait(); close(done) }()
	left := 0
	select {
	case <-done:
	case <-time.After(grace):
		left = len(q.jobs) + q.Running()
		q.Lost.AddN(left)
		q.stop() // in-flight sends see their context end
		// Workers now skip or cancel what is left: never wait long.
		select {
		case <-done:
		case <-time.After(time.Second):
		}
	}
	q.stop()
	q.Expired.Flush()
	q.Lost.Flush()
	return left
}

// Drain is how an adapter stops answering, once its platform has stopped
// handing work over (its listener has finished the requests in flight, or
// its socket has closed), so nothing acknowledged arrives at a closed
// queue. What waits goes out within grace; how many did not is logged;
// then each of counts logs what it has not yet logged, so a shutdown's
// last refusals and rejections are not lost either.
func (q *Queue) Drain(grace time.Duration, counts ...*tally.Tally) {
	if left := q.Close(grace); left > 0 {
		q.log.Warn("shut down with answers not sent", "count", left, "grace", grace.String())
	}
	for _, t := range counts {
		t.Flush()
	}
}
