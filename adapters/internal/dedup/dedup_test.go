package dedup

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"testing"
	"time"
)

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

// claims is a database's claims: the first to claim an id has it; down
// fails every claim.
type claims struct {
	mu    sync.Mutex
	taken map[string]bool
	down  bool
}

func (c *claims) Claim(_ context.Context, id string) (bool, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.down {
		return false, errors.New("database down")
	}
	first := !c.taken[id]
	c.taken[id] = true
	return first, nil
}

// TestSharedClaimsDecideAcrossReplicas: of two replicas given the same
// event, exactly one answers it; with the database down, each decides
// from its own memory, and the failure is counted.
func TestSharedClaimsDecideAcrossReplicas(t *testing.T) {
	db := &claims{taken: map[string]bool{}}
	log := slog.New(slog.DiscardHandler)
	one, two := For(db, "slack", log), For(db, "slack", log)
	if !one.First("Ev1") || two.First("Ev1") {
		t.Error("Ev1 given to two replicas: want the first to claim it answer, the other not")
	}
	if !For(db, "discord", log).First("Ev1") {
		t.Error("discord's Ev1 was taken as slack's: want each platform's ids apart")
	}
	db.down = true
	if !two.First("Ev2") || two.First("Ev2") {
		t.Error("with the database down: want a new id taken once, from memory")
	}
	if n := two.failed.Total(); n != 2 {
		t.Errorf("%d failed claims counted; want 2", n)
	}
}
