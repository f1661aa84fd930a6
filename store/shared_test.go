package store

import (
	"context"
	"strconv"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

func TestConversationsExpireAndAreasBind(t *testing.T) {
	for name, cfg := range stores(t) {
		t.Run(name, func(t *testing.T) {
			s := open(t, cfg)
			ctx := context.Background()
			s.SaveConversation(ctx, "k1", []byte(`{"place":"Radstock"}`), time.Minute)
			s.SaveConversation(ctx, "k2", []byte(`{}`), -time.Second)
			if got, err := s.LoadConversation(ctx, "k1"); err != nil || string(got) != `{"place":"Radstock"}` {
				t.Errorf("k1 = %q, %v", got, err)
			}
			if got, _ := s.LoadConversation(ctx, "k2"); got != nil {
				t.Errorf("an expired conversation came back: %q", got)
			}
			s.Purge(ctx, time.Now().Add(-time.Hour), time.Now().Add(-time.Hour))
			var left int
			s.db.QueryRow(`SELECT COUNT(*) FROM conversations`).Scan(&left)
			if left != 1 {
				t.Errorf("%d conversations left after purge; want the expired one gone", left)
			}
			s.SaveConversation(ctx, "k1", nil, time.Minute)
			if got, _ := s.LoadConversation(ctx, "k1"); got != nil {
				t.Error("a forgotten conversation came back")
			}
			s.SaveArea("slack:C1", "Keynsham")
			s.SaveArea("slack:C2", "Bath")
			s.SaveArea("slack:C2", "")
			if a, _ := s.Area(ctx, "slack:C1"); a != "Keynsham" {
				t.Errorf("area = %q", a)
			}
			if all, _ := s.Areas(ctx); len(all) != 1 {
				t.Errorf("areas = %v", all)
			}
		})
	}
}

// TestTwoReplicasClaimEachIDOnce: two stores on one PostgreSQL, as two
// replicas, each claim the same 1,000 ids at once; each id goes to one.
func TestTwoReplicasClaimEachIDOnce(t *testing.T) {
	url := postgres(t)
	a, b := open(t, Config{URL: url}), open(t, Config{URL: url})
	var won atomic.Int64
	var wg sync.WaitGroup
	for i := range 1000 {
		for _, s := range []*Store{a, b} {
			wg.Go(func() {
				if ok, err := s.Claim(context.Background(), "ev"+strconv.Itoa(i)); err != nil {
					t.Error(err)
				} else if ok {
					won.Add(1)
				}
			})
		}
	}
	wg.Wait()
	if won.Load() != 1000 {
		t.Errorf("%d claims won for 1,000 ids; want exactly one each", won.Load())
	}
}

// TestLockMovesWhenItsHolderDies: a second replica waits for the lock, and
// holds it within a poll once the first replica's connection is gone.
func TestLockMovesWhenItsHolderDies(t *testing.T) {
	url := postgres(t)
	first, second := open(t, Config{URL: url}), open(t, Config{URL: url})
	ctx := context.Background()
	_, release, err := first.Hold(ctx, "discord shard 0")
	if err != nil {
		t.Fatal(err)
	}
	defer release()
	got := make(chan time.Time, 1)
	go func() {
		if _, _, err := second.Hold(ctx, "discord shard 0"); err == nil {
			got <- time.Now()
		}
	}()
	select {
	case <-got:
		t.Fatal("two replicas hold the lock at once")
	case <-time.After(3 * time.Second):
	}
	died := time.Now()
	// As if the holder's process died: the server ends its connection.
	if _, err := second.db.Exec(`SELECT pg_terminate_backend(pid) FROM pg_locks WHERE locktype = 'advisory' AND granted`); err != nil {
		t.Fatal(err)
	}
	// Whether it moves is the verdict; how soon is logged, not judged, as
	// a busy machine decides that. The bound only catches a lock that
	// never moves.
	select {
	case at := <-got:
		t.Logf("the lock moved %v after its holder died", at.Sub(died).Round(time.Millisecond))
	case <-time.After(2 * time.Minute):
		t.Fatal("the lock never moved")
	}
}
