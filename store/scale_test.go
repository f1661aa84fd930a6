package store

import (
	"context"
	"database/sql"
	"reflect"
	"runtime"
	"sync"
	"testing"
	"time"

	"github.com/bathnes/signpost/bot"
	"github.com/bathnes/signpost/knowledge"
	"github.com/bathnes/signpost/learn"
)

// TestFiguresAndReviewFromTheDatabaseMatchTheRecords: the counts the
// database makes (GROUP BY) and the questions it streams give the very
// report and groups the records read into memory give, on both
// databases, edge cases included: legacy "matched" answers, answers
// with no results, votes on answers before the period or never kept,
// and answers from before the period.
func TestFiguresAndReviewFromTheDatabaseMatchTheRecords(t *testing.T) {
	base, err := knowledge.Embedded()
	if err != nil {
		t.Fatal(err)
	}
	for name, cfg := range stores(t) {
		t.Run(name, func(t *testing.T) {
			s := open(t, cfg)
			from := fill(t, s.db, s.q, 1200)
			old := from.Add(-time.Hour)
			s.Record(bot.Record{ID: "old", At: old, Platform: "slack", Outcome: "matched", Top: []bot.Result{{ID: "pact", Score: 0.9}}, Text: "before"})
			s.Record(bot.Record{ID: "none", At: from.Add(time.Hour), Platform: "web", Outcome: "matched"})
			s.Record(bot.Record{ID: "new", At: from.Add(2 * time.Hour), Platform: "web", Outcome: "unsure",
				Top: []bot.Result{{ID: "pact", Score: 0.2}, {ID: "community-hubs", Score: 0.1}}, Text: "who runs the pact"})
			for _, v := range []bot.Vote{
				{AnswerID: "old", Voter: "x", Helpful: false, At: from.Add(time.Hour), Text: "before the period"},
				{AnswerID: "never", Voter: "x", Helpful: false, At: from.Add(time.Hour), Text: "an answer never kept"},
				{AnswerID: "none", Voter: "y", Helpful: true, At: from.Add(time.Hour)},
				{AnswerID: "new", Voter: "y", Helpful: false, At: from.Add(3 * time.Hour), Text: "who runs the pact"},
			} {
				s.Vote(v)
			}
			flushed(t, s)
			k, err := s.Since(context.Background(), from)
			if err != nil {
				t.Fatal(err)
			}
			to := time.Now()
			tally, err := s.Tally(context.Background(), from)
			if err != nil {
				t.Fatal(err)
			}
			if got, want := learn.Summarise(tally, base, from, to), learn.Figures(k, base, from, to); !reflect.DeepEqual(got, want) {
				t.Errorf("figures from the tally:\n%+v\nwant, from the records:\n%+v", got, want)
			}
			review := learn.NewReview(base)
			if err := s.Heard(context.Background(), from, review.Add); err != nil {
				t.Fatal(err)
			}
			if got, want := review.Groups(), learn.Groups(k, base); !reflect.DeepEqual(got, want) || len(want) < 9 {
				t.Errorf("groups streamed:\n%+v\nwant, from the records:\n%+v", got, want)
			}
		})
	}
}

// TestStatsAndReviewOfAMillionAnswersHoldLittle: a million answers in
// SQLite (a quarter of a million in PostgreSQL, whose bulk insert is
// slower) are counted and reviewed holding counts and groups, never the
// rows: the heap stays far below the gigabyte reading every row took.
func TestStatsAndReviewOfAMillionAnswersHoldLittle(t *testing.T) {
	if testing.Short() || raceOn {
		// Under the race detector SQLite in Go is a hundred times
		// slower, and one goroutine reads: nothing for it to find.
		t.Skip("fills a million rows: runs without -short or -race")
	}
	base, err := knowledge.Embedded()
	if err != nil {
		t.Fatal(err)
	}
	sizes := map[string]int{"sqlite": 1_000_000, "postgresql": 250_000}
	for name, cfg := range stores(t) {
		t.Run(name, func(t *testing.T) {
			s := open(t, cfg)
			n := sizes[name]
			start := time.Now()
			from := fill(t, s.db, s.q, n)
			t.Logf("%d answers written in %v", n, time.Since(start).Round(time.Millisecond))
			var r bot.Report
			took, heap := peak(func() {
				tally, err := s.Tally(context.Background(), from)
				if err != nil {
					t.Error(err)
				}
				r = learn.Summarise(tally, base, from, time.Now())
			})
			t.Logf("stats: %v, peak heap %d MB", took.Round(time.Millisecond), heap>>20)
			if r.Questions != n || heap > 256<<20 {
				t.Errorf("stats counted %d of %d questions, with %d MB of heap at the peak; want all, in under 256 MB", r.Questions, n, heap>>20)
			}
			review := learn.NewReview(base)
			took, heap = peak(func() {
				if err := s.Heard(context.Background(), from, review.Add); err != nil {
					t.Error(err)
				}
			})
			t.Logf("review: %v, peak heap %d MB", took.Round(time.Millisecond), heap>>20)
			groups, asked := review.Groups(), 0
			for _, g := range groups {
				asked += g.Count
			}
			if want := n/5 + (n+6)/7/30; asked < want-2 || asked > want+2 || heap > 256<<20 {
				t.Errorf("review grouped %d questions, with %d MB of heap at the peak; want about %d, in under 256 MB", asked, heap>>20, want)
			}
		})
	}
}

// fill writes n answers over the 29 days to now, as a busy year's month
// would hold them, and a vote on every seventh, each table in one
// statement: a fifth of the answers keep their question (unsure, outside,
// clarify), in eight phrasings, and one vote in thirty is unhelpful, with
// its question.
func fill(t testing.TB, db *sql.DB, q func(string) string, n int) time.Time {
	t.Helper()
	from := time.Now().Add(-29 * 24 * time.Hour).Truncate(time.Millisecond)
	step := max(1, int64(29*24*time.Hour/time.Millisecond)/int64(n))
	answers := `WITH RECURSIVE g(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM g WHERE i + 1 < ?)
INSERT INTO answers (id, at, platform, conversation, outcome, top, confidence, place, text)
SELECT 'a' || i, CAST(? AS BIGINT) + i * CAST(? AS BIGINT),
  CASE i % 4 WHEN 0 THEN 'slack' WHEN 1 THEN 'discord' WHEN 2 THEN 'web' ELSE 'console' END,
  'c' || (i / 3),
  CASE i % 20 WHEN 0 THEN 'unsure' WHEN 1 THEN 'unsure' WHEN 2 THEN 'outside' WHEN 3 THEN 'clarify'
    WHEN 4 THEN 'service' WHEN 5 THEN 'local' WHEN 6 THEN 'other' WHEN 7 THEN 'matched' ELSE 'answer' END,
  CASE WHEN i % 20 IN (2, 4, 5, 6) THEN '[]' ELSE '[{"id":"' ||
    CASE i % 7 WHEN 0 THEN 'pact' WHEN 1 THEN 'community-libraries' WHEN 2 THEN 'small-grants-fund'
      WHEN 3 THEN 'community-hubs' WHEN 4 THEN 'ward-councillors' WHEN 5 THEN 'parish-councils' ELSE 'community-energy' END ||
    '","score":0.' || (50 + i % 50) || '}]' END,
  0.5, '',
  CASE WHEN i % 20 < 4 THEN CASE i % 8
    WHEN 0 THEN 'can I get free wifi in the library' WHEN 1 THEN 'is there free wifi at our library'
    WHEN 2 THEN 'who won the rugby' WHEN 3 THEN 'where can I hire a bouncy castle for the fete'
    WHEN 4 THEN 'how do I report a pothole on my road' WHEN 5 THEN 'when is the bin collection'
    WHEN 6 THEN 'can our choir use the village hall' ELSE 'who mows the verges in Peasedown' END END
FROM g`
	votes := `WITH RECURSIVE g(i) AS (SELECT 0 UNION ALL SELECT i + 7 FROM g WHERE i + 7 < ?)
INSERT INTO votes (answer_id, voter, helpful, at, text)
SELECT 'a' || i, 'v' || i, CASE WHEN i % 30 = 0 THEN 0 ELSE 1 END, CAST(? AS BIGINT) + i * CAST(? AS BIGINT) + 1000,
  CASE WHEN i % 30 = 0 THEN 'how do we list our pub' END
FROM g`
	for _, stmt := range []string{answers, votes} {
		if _, err := db.Exec(q(stmt), n, from.UnixMilli(), step); err != nil {
			t.Fatal(err)
		}
	}
	return from
}

// peak runs f and reports how long it took and the most heap in use
// while it ran, sampled; a sample can miss a peak, never invent one.
func peak(f func()) (took time.Duration, heap uint64) {
	runtime.GC()
	var mu sync.Mutex
	stop, done := make(chan struct{}), make(chan struct{})
	go func() {
		defer close(done)
		var m runtime.MemStats
		for {
			runtime.ReadMemStats(&m)
			mu.Lock()
			heap = max(heap, m.HeapAlloc)
			mu.Unlock()
			select {
			case <-stop:
				return
			case <-time.After(5 * time.Millisecond):
			}
		}
	}()
	start := time.Now()
	f()
	took = time.Since(start)
	close(stop)
	<-done
	return took, heap
}

var _ = context.Background
