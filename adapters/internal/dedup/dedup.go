// Package dedup answers each request once. Platforms send again what they
// think was lost (Slack retries anything not acknowledged in 3 seconds), a
// signed request can be replayed within its five minutes, and replicas
// behind one app may each be handed the same event: every one of those
// must get one answer, not two.
package dedup

import (
	"context"
	"log/slog"
	"sync"
	"time"

	"github.com/bathnes/signpost/adapters/internal/tally"
)

// MaxSeen bounds the ids a Seen remembers. Ten minutes of a real workspace
// is a few thousand requests; 200,000 is 333 a second for ten minutes, and
// costs about 20 MB at most. Past it, the oldest ids go first, counted.
const MaxSeen = 200000

// claimWait bounds the wait for the database's decision on a claim. A
// platform has been told the request arrived before it is claimed, and
// its answer may take 90 s, so a busy database is worth waiting for.
const claimWait = 30 * time.Second

// Seen remembers request ids for a time, so a request a platform re-sends
// (Slack retries anything not acknowledged in 3 seconds) or a signed
// request replayed within its five minutes is answered once.
type Seen struct {
	// claims, when set, decides across replicas (Share).
	claims  Claimer
	prefix  string
	failed  *tally.Tally
	mu      sync.Mutex
	at      map[string]time.Time
	order   []stamped // oldest first
	ttl     time.Duration
	max     int
	now     func() time.Time
	evicted int
}

type stamped struct {
	id string
	at time.Time
}

// NewSeen remembers ids for ttl, at most max of them.
func NewSeen(ttl time.Duration, max int) *Seen {
	return &Seen{at: map[string]time.Time{}, ttl: ttl, max: max, now: time.Now}
}

// Claimer decides, across replicas, which one answers a request: the
// first to claim its id (a unique key claimed in one statement).
type Claimer interface {
	Claim(ctx context.Context, id string) (bool, error)
}

// Share makes First ask c, so that of several replicas given the same
// request exactly one answers it. prefix keeps one platform's ids from
// another's. A slow database is waited for (claimWait): deciding alone
// because the database was slow is how two replicas came to answer one
// event twice under load. Only when c fails outright (the database is
// down) does this process's memory decide, and the failure is counted in
// failed.
func (s *Seen) Share(c Claimer, prefix string, failed *tally.Tally) {
	s.claims, s.prefix, s.failed = c, prefix, failed
}

// First reports whether id is new, and remembers it. An empty id cannot be
// de-duplicated and always counts as new.
func (s *Seen) First(id string) bool {
	if id != "" && s.claims != nil {
		ctx, cancel := context.WithTimeout(context.Background(), claimWait)
		first, err := s.claims.Claim(ctx, s.prefix+id)
		cancel()
		if err == nil {
			return first
		}
		s.failed.Add()
	}
	if id == "" {
		return true
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	now := s.now()
	// Forget what is older than ttl; the oldest are at the front.
	n := 0
	for n < len(s.order) && now.Sub(s.order[n].at) > s.ttl {
		delete(s.at, s.order[n].id)
		n++
	}
	s.order = s.order[n:]
	if _, ok := s.at[id]; ok {
		return false
	}
	if len(s.order) >= s.max {
		delete(s.at, s.order[0].id)
		s.order = s.order[1:]
		s.evicted++
	}
	s.at[id] = now
	s.order = append(s.order, stamped{id, now})
	return true
}

// Len is how many ids are remembered.
func (s *Seen) Len() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.at)
}

// For is a platform's Seen: ten minutes of ids, shared across replicas
// through c when there is one.
func For(c Claimer, platform string, log *slog.Logger) *Seen {
	s := NewSeen(10*time.Minute, MaxSeen)
	if c != nil {
		s.Share(c, platform+":", tally.New(log, "request claims failed: this replica decided alone", time.Minute))
	}
	return s
}
