package backoff

import (
	"context"
	"testing"
	"time"
)

func TestWaitsDoubleToTheMostAndResetAfterASuccess(t *testing.T) {
	b := Reconnect()
	var got []time.Duration
	for range 8 {
		got = append(got, b.Next())
	}
	want := []time.Duration{1, 2, 4, 8, 16, 32, 60, 60}
	for i := range want {
		if got[i] != want[i]*time.Second {
			t.Fatalf("waits %v; want %v seconds", got, want)
		}
	}
	b.Reset()
	if w := b.Next(); w != time.Second {
		t.Errorf("after a success the wait is %v; want 1s", w)
	}
}

// A stop ends the wait: shutdown does not sit out a minute's backoff.
func TestSleepEndsWithItsContext(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if Sleep(ctx, time.Hour) {
		t.Error("Sleep of an hour on an ended context reported a full wait")
	}
	if !Sleep(context.Background(), 0) {
		t.Error("Sleep of nothing did not report a full wait")
	}
}
