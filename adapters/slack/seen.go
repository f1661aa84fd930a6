package slack

import (
	"sync"
	"time"
)

// seen remembers recent request ids so a request Slack re-sends (it retries
// anything not acknowledged in 3 seconds) is answered once. It keeps two
// generations of ids and drops the older one every ttl, or when the newer
// holds max ids, so memory stays bounded under any load.
type seen struct {
	mu       sync.Mutex
	cur, old map[string]struct{}
	since    time.Time
	ttl      time.Duration
	max      int
}

func newSeen(ttl time.Duration, max int) *seen {
	return &seen{cur: map[string]struct{}{}, since: time.Now(), ttl: ttl, max: max}
}

// first reports whether id is new, and remembers it. An empty id cannot be
// de-duplicated and always counts as new.
func (s *seen) first(id string) bool {
	if id == "" {
		return true
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, ok := s.cur[id]; ok {
		return false
	}
	if _, ok := s.old[id]; ok {
		return false
	}
	if time.Since(s.since) > s.ttl || len(s.cur) >= s.max {
		s.old, s.cur, s.since = s.cur, map[string]struct{}{}, time.Now()
	}
	s.cur[id] = struct{}{}
	return true
}
