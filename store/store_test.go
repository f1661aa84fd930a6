package store

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/bathnes/signpost/bot"
	"github.com/bathnes/signpost/internal/pgtest"
)

// stores are the two implementations every test runs on: SQLite in a
// temporary file, and a real PostgreSQL server started for the test.
func stores(t *testing.T) map[string]Config {
	return map[string]Config{
		"sqlite":     {Path: filepath.Join(t.TempDir(), "signpost.db")},
		"postgresql": {URL: postgres(t)},
	}
}

func open(t *testing.T, cfg Config) *Store {
	t.Helper()
	s, err := Open(context.Background(), cfg, slog.New(slog.DiscardHandler))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

func flushed(t *testing.T, s *Store) bot.Kept {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := s.Flush(ctx); err != nil {
		t.Fatal(err)
	}
	k, err := s.Since(ctx, time.Time{})
	if err != nil {
		t.Fatal(err)
	}
	return k
}

func TestStoreKeepsAnswersAndVotes(t *testing.T) {
	for name, cfg := range stores(t) {
		t.Run(name, func(t *testing.T) {
			s := open(t, cfg)
			at := time.Now().UTC().Truncate(time.Millisecond)
			s.Record(bot.Record{ID: "a1", At: at, Platform: "slack", Conversation: "c1", Outcome: "unsure",
				Top: []bot.Result{{ID: "pact", Score: 0.3}}, Confidence: 0.3, Place: "Radstock", Text: "free wifi in the library"})
			s.Record(bot.Record{ID: "a2", At: at, Platform: "web", Conversation: "c2", Outcome: "matched", Confidence: 0.9})
			s.Vote(bot.Vote{AnswerID: "a2", Voter: "v1", Helpful: true, At: at})
			s.Vote(bot.Vote{AnswerID: "a2", Voter: "v1", Helpful: false, At: at, Text: "how do we list our pub"}) // changed their mind
			s.Vote(bot.Vote{AnswerID: "a2", Voter: "v2", Helpful: true, At: at})
			k := flushed(t, s)
			if len(k.Records) != 2 || k.Records[0].ID != "a1" || k.Records[0].Text != "free wifi in the library" ||
				k.Records[0].Place != "Radstock" || len(k.Records[0].Top) != 1 || !k.Records[0].At.Equal(at) || k.Records[1].Text != "" {
				t.Errorf("records = %+v", k.Records)
			}
			if len(k.Votes) != 2 {
				t.Fatalf("votes = %+v; want one per voter", k.Votes)
			}
			for _, v := range k.Votes {
				if v.Voter == "v1" && (v.Helpful || v.Text == "") {
					t.Errorf("v1's vote = %+v; want the last word, unhelpful, with its text", v)
				}
			}
		})
	}
}

// TestStoreKeepsHostileTextSafely: SQL, HTML, invalid UTF-8 and NUL go
// through parameters only and come back intact, or repaired.
func TestStoreKeepsHostileTextSafely(t *testing.T) {
	hostile := []string{"'); DROP TABLE answers; --", "<script>alert(1)</script>", "\xff\xfe broken", "nul\x00byte", strings.Repeat("long ", 5000), `"quoted" \ back`}
	for name, cfg := range stores(t) {
		t.Run(name, func(t *testing.T) {
			s := open(t, cfg)
			for i, h := range hostile {
				s.Record(bot.Record{ID: fmt.Sprintf("h%d", i), At: time.Now(), Platform: h, Conversation: h, Outcome: "unsure", Text: h})
			}
			k := flushed(t, s)
			if len(k.Records) != len(hostile) {
				t.Fatalf("%d of %d kept", len(k.Records), len(hostile))
			}
			for i, r := range k.Records {
				if want := valid(hostile[i]); r.Text != want {
					t.Errorf("%.20q came back as %.20q", hostile[i], r.Text)
				}
			}
		})
	}
}

func TestMigrationsRunTwice(t *testing.T) {
	for name, cfg := range stores(t) {
		t.Run(name, func(t *testing.T) {
			s := open(t, cfg)
			s.Record(bot.Record{ID: "keep", At: time.Now(), Outcome: "matched"})
			flushed(t, s)
			s.Close()
			again := open(t, cfg)
			if k := flushed(t, again); len(k.Records) != 1 {
				t.Errorf("after migrating twice: %d records; want the one kept", len(k.Records))
			}
			var n int
			again.db.QueryRow(`SELECT COUNT(*) FROM schema_migrations`).Scan(&n)
			files, _ := filepath.Glob("migrations/*.sql")
			if n != len(files) {
				t.Errorf("%d migrations applied; want %d, each once", n, len(files))
			}
		})
	}
}

func TestPurgeDeletesOldText(t *testing.T) {
	for name, cfg := range stores(t) {
		t.Run(name, func(t *testing.T) {
			s := open(t, cfg)
			old, recent := time.Now().Add(-100*24*time.Hour), time.Now()
			s.Record(bot.Record{ID: "old", At: old, Outcome: "unsure", Text: "old words"})
			s.Record(bot.Record{ID: "new", At: recent, Outcome: "unsure", Text: "new words"})
			s.Record(bot.Record{ID: "ancient", At: time.Now().Add(-800 * 24 * time.Hour), Outcome: "matched"})
			s.Vote(bot.Vote{AnswerID: "old", Voter: "v", At: old, Text: "old words"})
			flushed(t, s)
			n, err := s.Purge(context.Background(), time.Now().Add(-90*24*time.Hour), time.Now().Add(-730*24*time.Hour))
			if err != nil || n != 2 {
				t.Errorf("Purge = %d, %v; want 2 texts deleted", n, err)
			}
			k := flushed(t, s)
			got := map[string]string{}
			for _, r := range k.Records {
				got[r.ID] = r.Text
			}
			if len(k.Records) != 2 || got["old"] != "" || got["new"] != "new words" || k.Votes[0].Text != "" {
				t.Errorf("after purge: %v, votes %+v", got, k.Votes)
			}
		})
	}
}

func TestVoterKeyIsKeptAcrossRestarts(t *testing.T) {
	for name, cfg := range stores(t) {
		t.Run(name, func(t *testing.T) {
			s := open(t, cfg)
			k1, err := s.Key(context.Background())
			if err != nil || len(k1) != 32 {
				t.Fatalf("Key = %x, %v", k1, err)
			}
			s.Close()
			k2, _ := open(t, cfg).Key(context.Background())
			if string(k1) != string(k2) {
				t.Error("the voter key changed on reopening")
			}
		})
	}
}

// TestThousandConcurrentRecordsAreAllKept: what was accepted is written.
func TestThousandConcurrentRecordsAreAllKept(t *testing.T) {
	for name, cfg := range stores(t) {
		t.Run(name, func(t *testing.T) {
			s := open(t, cfg)
			var wg sync.WaitGroup
			for i := range 1000 {
				wg.Go(func() {
					s.Record(bot.Record{ID: "r" + strconv.Itoa(i), At: time.Now(), Platform: "load", Outcome: "matched"})
				})
			}
			wg.Wait()
			if k := flushed(t, s); len(k.Records)+int(s.Failed()) != 1000 || s.Failed() != 0 {
				t.Errorf("%d kept, %d not; want all 1,000 kept", len(k.Records), s.Failed())
			}
		})
	}
}

// TestDownStoreNeverHoldsAnAnswerUp: with the database closed for good,
// Record still returns (it never waits on the database), and what was
// lost is counted, not spooled for a return that will not come.
func TestDownStoreNeverHoldsAnAnswerUp(t *testing.T) {
	s := open(t, Config{Path: filepath.Join(t.TempDir(), "gone.db"), Buffer: 8})
	s.db.Close()
	for i := range 100 {
		s.Record(bot.Record{ID: strconv.Itoa(i), At: time.Now()})
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	s.Flush(ctx)
	if s.Failed() != 100 {
		t.Errorf("%d failures counted; want 100", s.Failed())
	}
}

// TestSQLiteFilesAreReadableOnlyByTheirOwner: the database holds what
// people asked, so the file and its -wal and -shm companions are 0600
// whatever the umask, with or without systemd's UMask= to help.
func TestSQLiteFilesAreReadableOnlyByTheirOwner(t *testing.T) {
	defer syscall.Umask(syscall.Umask(0o022))
	path := filepath.Join(t.TempDir(), "signpost.db")
	s := open(t, Config{Path: path})
	s.Record(bot.Record{ID: "a1", At: time.Now(), Outcome: "unsure", Text: "free wifi in the library"})
	if k := flushed(t, s); len(k.Records) != 1 {
		t.Fatalf("records = %+v; want the one written", k.Records)
	}
	seen := 0
	for _, name := range []string{path, path + "-wal", path + "-shm"} {
		fi, err := os.Stat(name)
		if errors.Is(err, fs.ErrNotExist) {
			continue
		}
		if err != nil {
			t.Fatal(err)
		}
		seen++
		if mode := fi.Mode().Perm(); mode != 0o600 {
			t.Errorf("%s is %v; want -rw-------", filepath.Base(name), mode)
		}
	}
	if seen < 2 {
		t.Errorf("%d of db, db-wal, db-shm exist; want the database in WAL mode", seen)
	}
}

// TestExistingSQLiteFileIsMadeOwnerOnly: a database created 0644 by an
// earlier version is closed to others when it is next opened.
func TestExistingSQLiteFileIsMadeOwnerOnly(t *testing.T) {
	path := filepath.Join(t.TempDir(), "signpost.db")
	if err := os.WriteFile(path, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(path, 0o644); err != nil {
		t.Fatal(err)
	}
	s := open(t, Config{Path: path})
	s.Record(bot.Record{ID: "a1", At: time.Now(), Outcome: "unsure"})
	flushed(t, s)
	for _, name := range []string{path, path + "-wal", path + "-shm"} {
		if fi, err := os.Stat(name); err == nil && fi.Mode().Perm() != 0o600 {
			t.Errorf("%s is %v; want -rw-------", filepath.Base(name), fi.Mode().Perm())
		}
	}
}

// BenchmarkRecord is what recording adds to an answer: handing it over.
func BenchmarkRecord(b *testing.B) {
	s, err := Open(context.Background(), Config{Path: filepath.Join(b.TempDir(), "bench.db"), Buffer: 1 << 20}, slog.New(slog.DiscardHandler))
	if err != nil {
		b.Fatal(err)
	}
	defer s.Close()
	r := bot.Record{Platform: "slack", Conversation: "c", Outcome: "matched", Top: []bot.Result{{ID: "pact", Score: 0.8}}, Confidence: 0.8}
	i := 0
	for b.Loop() {
		i++
		r.ID, r.At = strconv.Itoa(i), time.Now()
		s.Record(r)
	}
}

// postgres is a new, empty database on the tests' PostgreSQL server.
func postgres(t *testing.T) string { return pgtest.Database(t) }

func TestMain(m *testing.M) {
	code := m.Run()
	pgtest.Stop()
	os.Exit(code)
}
