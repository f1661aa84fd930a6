// Package tally counts what would flood a log one line each: requests
// rejected unverified, answers dropped past their deadline or lost at
// shutdown. A flood of bad requests must cost the operator one line a
// minute, not a disk, and the count must still be exact.
package tally

import (
	"log/slog"
	"sync"
	"time"
)

// Tally counts events and logs their number at most once an interval.
type Tally struct {
	log   *slog.Logger
	msg   string
	every time.Duration

	mu    sync.Mutex
	n     int64
	total int64
	last  time.Time
}

// New logs msg with a count at most once every interval.
func New(log *slog.Logger, msg string, every time.Duration) *Tally {
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
