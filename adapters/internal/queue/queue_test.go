package queue

import (
	"context"
	"log/slog"
	"runtime"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/bathnes/signpost/adapters/internal/tally"
	"github.com/bathnes/signpost/internal/logtest"
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
	// Twice the deadline at the least: a busy machine only sleeps longer,
	// so the second job is past its deadline whatever the load.
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
	// The jobs end only when cancelled: that Close returns at all, with
	// all 20 counted, is the grace kept.
	left := q.Close(200 * time.Millisecond)
	if left != 20 {
		t.Errorf("Close left %d; want 20 (2 running, 18 waiting)", left)
	}
	if q.Add(func(context.Context) {}) {
		t.Error("a closed queue took a job")
	}
}

// TestDrainSaysWhatWasNotSent: a shutdown whose grace runs out logs how
// many answers were not sent, counts them as lost, and logs the counts it
// was handed that had not been logged yet.
func TestDrainSaysWhatWasNotSent(t *testing.T) {
	buf, log := logtest.New()
	q := New(1, 10, time.Minute, log)
	for range 3 {
		q.Add(func(ctx context.Context) { <-ctx.Done() })
	}
	for q.Running() == 0 {
		runtime.Gosched() // one running, two waiting: a count that holds still
	}
	refused := tally.New(log, "refused", time.Hour)
	refused.Add() // logged at once, as the first of its interval
	refused.Add() // waits for the next line
	q.Drain(10*time.Millisecond, refused)
	got := buf.String()
	for _, want := range []string{`"shut down with answers not sent" count=3`, "msg=refused count=1"} {
		if !strings.Contains(got, want) {
			t.Errorf("log:\n%s\nwant a line with %s", got, want)
		}
	}
	if q.Lost.Total() != 3 || q.Dropped() != 3 {
		t.Errorf("lost %d, dropped %d; want the 3 not sent", q.Lost.Total(), q.Dropped())
	}
}
