package store

import (
	"context"
	"log/slog"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/bathnes/signpost/bot"
	"github.com/bathnes/signpost/internal/logtest"
	"github.com/bathnes/signpost/internal/pgtest"
)

func openLogged(t *testing.T, cfg Config) (*Store, *logtest.Logs) {
	t.Helper()
	var l logtest.Logs
	s, err := Open(context.Background(), cfg, slog.New(slog.NewTextHandler(&l, nil)))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s, &l
}

// until waits for a state of the store, not for a time: cond is checked
// until it holds (the deadline only ends a test that would hang).
func until(t *testing.T, what string, cond func() bool) {
	t.Helper()
	for deadline := time.Now().Add(2 * time.Minute); !cond(); time.Sleep(10 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatalf("never: %s", what)
		}
	}
}

func count(t *testing.T, s *Store) int {
	t.Helper()
	k, err := s.Since(context.Background(), time.Time{})
	if err != nil {
		t.Fatal(err)
	}
	return len(k.Records)
}

// TestRecordsSurviveADatabaseOutage: PostgreSQL is stopped for a minute
// (3 s with -short) while answers go on being recorded, a hundred a
// second; when it comes back every record is written, none is counted
// lost, and the log says when it went and when it came back.
func TestRecordsSurviveADatabaseOutage(t *testing.T) {
	outage := time.Minute
	if testing.Short() {
		outage = 3 * time.Second
	}
	srv, url := pgtest.Start(t)
	s, log := openLogged(t, Config{URL: url})
	id := 0
	record := func() {
		id++
		s.Record(bot.Record{ID: "r" + strconv.Itoa(id), At: time.Now(), Platform: "slack", Outcome: bot.OutcomeAnswer})
	}
	for range 500 {
		record()
	}
	flushed(t, s)
	if err := srv.Stop(); err != nil {
		t.Fatal(err)
	}
	before := id
	for end := time.Now().Add(outage); time.Now().Before(end); time.Sleep(10 * time.Millisecond) {
		record()
	}
	until(t, "the writes wait in the spool", func() bool { return s.Spooled() > 0 })
	if err := srv.Resume(); err != nil {
		t.Fatal(err)
	}
	until(t, "the spool is written", func() bool { return s.Spooled() == 0 })
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	if err := s.Flush(ctx); err != nil {
		t.Fatal(err)
	}
	if got := count(t, s); got != id {
		t.Errorf("%d records kept of %d (%d during a %v outage)", got, id, id-before, outage)
	}
	if s.Failed() != 0 {
		t.Errorf("%d writes not kept; want 0", s.Failed())
	}
	out := log.String()
	for _, want := range []string{"store unreachable: spooling writes", "store reachable again", "not_kept_meanwhile=0"} {
		if !strings.Contains(out, want) {
			t.Errorf("log lacks %q:\n%s", want, out)
		}
	}
	t.Logf("%d records during a %v outage, all kept", id-before, outage)
}

// TestSpoolPastItsBoundIsCounted: with the database down and the spool
// full, what comes past the bound is dropped, counted by reason and
// logged with the true count when the database returns; what the spool
// held is written.
func TestSpoolPastItsBoundIsCounted(t *testing.T) {
	srv, url := pgtest.Start(t)
	s, log := openLogged(t, Config{URL: url, Spool: 50})
	if err := srv.Stop(); err != nil {
		t.Fatal(err)
	}
	for i := range 200 {
		s.Record(bot.Record{ID: strconv.Itoa(i), At: time.Now(), Outcome: bot.OutcomeUnsure})
	}
	until(t, "50 spooled and 150 counted", func() bool { return s.Spooled() == 50 && s.NotKept(Full) == 150 })
	if err := srv.Resume(); err != nil {
		t.Fatal(err)
	}
	until(t, "the spool is written", func() bool { return s.Spooled() == 0 })
	if got := count(t, s); got != 50 {
		t.Errorf("%d kept; want the 50 spooled", got)
	}
	if !strings.Contains(log.String(), "not_kept_meanwhile=150") {
		t.Errorf("the recovery line lacks the true count:\n%s", log)
	}
}

// TestCloseCountsWhatAnUnreachableDatabaseNeverTook: Close goes on trying
// for CloseWait, then counts what waits as lost at shutdown and says how
// many.
func TestCloseCountsWhatAnUnreachableDatabaseNeverTook(t *testing.T) {
	srv, url := pgtest.Start(t)
	s, log := openLogged(t, Config{URL: url, CloseWait: 300 * time.Millisecond})
	if err := srv.Stop(); err != nil {
		t.Fatal(err)
	}
	for i := range 10 {
		s.Record(bot.Record{ID: strconv.Itoa(i), At: time.Now()})
	}
	s.Close()
	if s.NotKept(Shutdown) != 10 || s.Spooled() != 0 {
		t.Errorf("lost at shutdown %d, spooled %d; want 10, 0", s.NotKept(Shutdown), s.Spooled())
	}
	if !strings.Contains(log.String(), "why=shutdown") || !strings.Contains(log.String(), "count=10") {
		t.Errorf("log lacks the shutdown count:\n%s", log)
	}
}
