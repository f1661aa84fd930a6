package work

import (
	"bytes"
	"context"
	"fmt"
	"log/slog"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

func quiet() *slog.Logger { return slog.New(slog.DiscardHandler) }

// TestQueueIsBounded: past its size the queue refuses work instead of
// holding a goroutine for each job.
func TestQueueIsBounded(t *testing.T) {
	release := make(chan struct{})
	q := New(2, 10, time.Minute, quiet())
	var ran atomic.Int64
	taken := 0
	for range 100 {
		if q.Add(func(context.Context) { <-release; ran.Add(1) }) {
			taken++
		}
	}
	// Two running, ten waiting; the first two may not have started yet.
	if taken < 10 || taken > 12 {
		t.Errorf("queue took %d of 100 jobs; want at most workers + size (12)", taken)
	}
	close(release)
	if left := q.Close(5 * time.Second); left != 0 {
		t.Errorf("Close left %d; want every taken job run", left)
	}
	if ran.Load() != int64(taken) {
		t.Errorf("ran %d of %d taken jobs", ran.Load(), taken)
	}
}

// TestDeadlineStartsWhenAdded: a job that waited past its deadline is not
// run late; it is counted.
func TestDeadlineStartsWhenAdded(t *testing.T) {
	block := make(chan struct{})
	q := New(1, 10, 50*time.Millisecond, quiet())
	q.Add(func(context.Context) { <-block })
	var late atomic.Bool
	q.Add(func(context.Context) { late.Store(true) })
	time.Sleep(100 * time.Millisecond)
	close(block)
	q.Close(time.Second)
	if late.Load() {
		t.Error("a job past its deadline ran")
	}
	if q.Expired.Total() != 1 {
		t.Errorf("expired = %d; want 1", q.Expired.Total())
	}
}

// TestCloseKeepsItsGrace: a hung job does not hold Close past the grace;
// Close says how many were not sent, and cancels the hung one.
func TestCloseKeepsItsGrace(t *testing.T) {
	q := New(2, 100, time.Minute, quiet())
	var cancelled atomic.Int64
	for range 20 {
		q.Add(func(ctx context.Context) { <-ctx.Done(); cancelled.Add(1) })
	}
	start := time.Now()
	left := q.Close(200 * time.Millisecond)
	if d := time.Since(start); d > 2*time.Second {
		t.Errorf("Close took %v; want about the 200ms grace", d)
	}
	if left != 20 {
		t.Errorf("Close left %d; want 20 (2 running, 18 waiting)", left)
	}
	if q.Add(func(context.Context) {}) {
		t.Error("a closed queue took a job")
	}
}

// TestTallyLogsALineAnInterval: a thousand events are one log line, with
// their count.
func TestTallyLogsALineAnInterval(t *testing.T) {
	var buf bytes.Buffer
	var mu sync.Mutex
	log := slog.New(slog.NewTextHandler(lockedWriter{&mu, &buf}, nil))
	tl := NewTally(log, "rejected", time.Hour)
	for range 1000 {
		tl.Add()
	}
	tl.Flush()
	lines := strings.Count(buf.String(), "\n")
	if lines != 2 || !strings.Contains(buf.String(), "count=999") {
		t.Errorf("log:\n%s\nwant the first event, then one line counting the other 999", buf.String())
	}
}

type lockedWriter struct {
	mu *sync.Mutex
	b  *bytes.Buffer
}

func (w lockedWriter) Write(p []byte) (int, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.b.Write(p)
}

// TestSeenRemembersByTime: a retry is caught however many requests came
// between, for as long as the ttl, and forgotten after it.
func TestSeenRemembersByTime(t *testing.T) {
	now := time.Date(2026, 1, 1, 12, 0, 0, 0, time.UTC)
	s := NewSeen(10*time.Minute, MaxSeen)
	s.now = func() time.Time { return now }
	s.First("retry-me")
	for i := range 19000 {
		s.First(fmt.Sprint("e", i))
	}
	now = now.Add(9 * time.Minute)
	if s.First("retry-me") {
		t.Error("a retry after 19,000 newer events, within ten minutes, was taken as new")
	}
	now = now.Add(2 * time.Minute)
	if !s.First("retry-me") {
		t.Error("an id older than ten minutes is still remembered")
	}
	if s.Len() > 2 {
		t.Errorf("%d ids remembered after ten minutes; want the old ones forgotten", s.Len())
	}
}

// TestSeenIsBounded: past max, the oldest ids go first.
func TestSeenIsBounded(t *testing.T) {
	s := NewSeen(time.Hour, 100)
	for i := range 1000 {
		s.First(fmt.Sprint(i))
	}
	if s.Len() != 100 || s.evicted != 900 {
		t.Errorf("len %d, evicted %d; want 100 and 900", s.Len(), s.evicted)
	}
}
