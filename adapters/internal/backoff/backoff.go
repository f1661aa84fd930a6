// Package backoff is the wait between attempts to reconnect to a
// platform (Slack's socket, Discord's gateway): one second, doubling after
// each failure to a minute, back to a second once connected. One
// package, so both platforms back off alike and a change to the policy is
// made once.
package backoff

import (
	"context"
	"time"
)

// Backoff is the wait before the next attempt. The zero value is not
// ready: use New.
type Backoff struct {
	first, most, next time.Duration
}

// New starts at first and doubles to at most most.
func New(first, most time.Duration) *Backoff {
	return &Backoff{first: first, most: most, next: first}
}

// Reconnect is the platforms' policy: from a second to a minute.
func Reconnect() *Backoff { return New(time.Second, time.Minute) }

// Next is the wait before the next attempt; the one after is twice it, up
// to the most.
func (b *Backoff) Next() time.Duration {
	w := b.next
	b.next = min(2*b.next, b.most)
	return w
}

// Reset starts again from the first wait, after a success.
func (b *Backoff) Reset() { b.next = b.first }

// Sleep waits d, or until ctx ends; false when ctx ended first.
func Sleep(ctx context.Context, d time.Duration) bool {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return false
	case <-t.C:
		return true
	}
}
