// Package work runs an adapter's answers on a fixed pool of workers from a
// bounded queue, so a flood of messages costs a bounded amount of memory
// and an answer that cannot be sent in time is dropped, counted, rather
// than sent late.
package work

import (
	"context"
	"log/slog"
	"sync"
	"sync/atomic"
	"time"
)

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
	// event (see Tally). Expired are answers not sent before their
	// deadline; Lost are answers still waiting or running when the grace
	// ran out at shutdown. A job Add refuses is the caller's to count: it
	// was never acknowledged (Slack's 503, Discord's "busy").
	Expired, Lost *Tally
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
		Expired: NewTally(log, "answers dropped: not sent before their deadline", time.Minute),
		Lost:    NewTally(log, "answers lost: still waiting when the shutdown grace ran out", time.Minute),
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

// Tally counts events that would flood a log one line each (rejected
// requests, dropped answers) and logs their number at most once an
// interval.
type Tally struct {
	log   *slog.Logger
	msg   string
	every time.Duration

	mu    sync.Mutex
	n     int64
	total int64
	last  time.Time
}

// NewTally logs msg with a count at most once every interval.
func NewTally(log *slog.Logger, msg string, every time.Duration) *Tally {
	return &Tally{log: log, msg: msg, every: every}
}

// Add counts one event, logging the count if the interval has passed.
func (t *Tally) Add() {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.n++
	t.total++
	if time.Since(t.last) >= t.every {
		t.flushLocked()
	}
}

// AddN counts n events at once.
func (t *Tally) AddN(n int) {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.n += int64(n)
	t.total += int64(n)
}

// Flush logs any count not yet logged.
func (t *Tally) Flush() {
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.n > 0 {
		t.flushLocked()
	}
}

func (t *Tally) flushLocked() {
	t.log.Warn(t.msg, "count", t.n, "since", t.every.String(), "total", t.total)
	t.n, t.last = 0, time.Now()
}

// Total is how many events were counted in all.
func (t *Tally) Total() int64 {
	t.mu.Lock()
	defer t.mu.Unlock()
	return t.total
}
