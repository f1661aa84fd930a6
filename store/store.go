// Package store keeps what signpost must remember, in SQLite (embedded,
// the default) or PostgreSQL (shared by replicas): a record of each answer
// and the votes on them, conversations and channels' areas, the claims
// that have one replica answer an event, the hold on Discord's gateway,
// and the directory's services. It implements the core's ports
// (bot.Journal, bot.Shared, bot.AreaStore); the core never imports it.
// Writes are buffered off the answer's path and spooled through an outage:
// a store that is slow or down never holds an answer up, and what it could
// not keep is counted and logged. Figures are counted in SQL and review
// reads a stream, so a year of records is never held in memory.
package store

import (
	"context"
	"crypto/rand"
	"database/sql"
	"embed"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"os"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/bathnes/signpost/bot"
	_ "github.com/jackc/pgx/v5/stdlib" // PostgreSQL, as database/sql's "pgx"
	_ "modernc.org/sqlite"             // SQLite in pure Go, so the binary stays static
)

//go:embed migrations/*.sql
var migrations embed.FS

// Config says which database to use.
type Config struct {
	// URL is a PostgreSQL URL (postgres://…); empty means SQLite at Path.
	URL string
	// Path is the SQLite file.
	Path string
	// Buffer bounds the writes handed over and not yet taken by the
	// writer; past it, new ones are dropped and counted. 0 means 4096.
	Buffer int
	// Spool bounds the writes kept in memory while the database cannot
	// be reached; past it, new ones are dropped and counted. 0 means
	// 200,000: a minute's outage at over 3,000 answers a second.
	Spool int
	// CloseWait is how long Close goes on trying an unreachable database
	// before it counts what waits as lost. 0 means 10 s.
	CloseWait time.Duration
}

// The core's interfaces the store implements: the journal of answers and
// votes, conversations and areas shared by replicas.
var (
	_ bot.Journal   = (*Store)(nil)
	_ bot.Shared    = (*Store)(nil)
	_ bot.AreaStore = (*Store)(nil)
)

// Store is a journal in a database.
type Store struct {
	db      *sql.DB
	pg      bool
	log     *slog.Logger
	writes  chan job
	done    chan struct{}
	closing sync.Once
	// failed counts writes not kept, lost by reason; logged a line a
	// minute with the true count.
	failed, logged atomic.Int64
	lastLog        atomic.Int64
	lost           map[Loss]*atomic.Int64
	// spooled is the writes waiting for the database; atDown is failed
	// when it went, for the recovery's log line.
	spooled, atDown atomic.Int64
	spoolMax        int
	closeWait       time.Duration
}

// Open opens the database, applies its migrations, and starts the writer.
func Open(ctx context.Context, cfg Config, log *slog.Logger) (*Store, error) {
	driver, dsn := "sqlite", "file:"+cfg.Path+"?_pragma=busy_timeout(5000)&_pragma=journal_mode(WAL)&_pragma=foreign_keys(1)"
	if cfg.URL != "" {
		driver, dsn = "pgx", cfg.URL
	} else if err := ownerOnly(cfg.Path, log); err != nil {
		return nil, fmt.Errorf("store: %w", err)
	}
	db, err := sql.Open(driver, dsn)
	if err != nil {
		return nil, fmt.Errorf("store: %w", err)
	}
	if driver == "sqlite" {
		db.SetMaxOpenConns(1) // one writer; SQLite serialises anyway
	} else {
		// Bounded, so replicas and bursts stay well inside the server's
		// max_connections (100 by default).
		db.SetMaxOpenConns(20)
		db.SetMaxIdleConns(10)
	}
	s := &Store{db: db, pg: cfg.URL != "", log: log.With("store", driver), done: make(chan struct{}),
		lost: map[Loss]*atomic.Int64{}, spoolMax: cfg.Spool, closeWait: cfg.CloseWait}
	for _, why := range Losses {
		s.lost[why] = new(atomic.Int64)
	}
	if s.spoolMax <= 0 {
		s.spoolMax = 200_000
	}
	if s.closeWait <= 0 {
		s.closeWait = 10 * time.Second
	}
	if err := s.migrate(ctx); err != nil {
		db.Close()
		return nil, fmt.Errorf("store: %w", err)
	}
	if !s.pg {
		// SQLite makes -wal and -shm with the database file's mode, so
		// they are 0600 now; ones an older version left are closed too.
		for _, name := range []string{cfg.Path + "-wal", cfg.Path + "-shm"} {
			chmodOwnerOnly(name, log)
		}
	}
	size := cfg.Buffer
	if size <= 0 {
		size = 4096
	}
	s.writes = make(chan job, size)
	go s.writer()
	return s, nil
}

// ownerOnly makes the SQLite file at path readable by its owner alone
// before SQLite opens it: it keeps what people asked, and nothing else on
// the machine should read it, whatever the umask (systemd's UMask= is not
// there to help in a container or a terminal). A new file is created 0600;
// one an older version made 0644 loses what it gave others, and says so.
func ownerOnly(path string, log *slog.Logger) error {
	if path == "" || path == ":memory:" || strings.HasPrefix(path, "file:") {
		return nil // SQLite's own names: no file of ours to guard
	}
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	switch {
	case err == nil:
		f.Close()
	case !errors.Is(err, fs.ErrExist):
		return fmt.Errorf("create %s: %w", path, err)
	}
	chmodOwnerOnly(path, log)
	return nil
}

// chmodOwnerOnly takes from a file that exists whatever it lets its group
// and others do. A file it cannot change (another user's) is logged, not
// fatal: the store still works.
func chmodOwnerOnly(path string, log *slog.Logger) {
	fi, err := os.Stat(path)
	if err != nil || fi.Mode().Perm()&0o077 == 0 {
		return
	}
	was := fi.Mode().Perm()
	if err := os.Chmod(path, was&^0o077); err != nil {
		log.Warn("store file readable by others", "path", path, "mode", was.String(), "err", err)
		return
	}
	log.Info("store file made readable by its owner only", "path", path, "was", was.String())
}

// migrate applies the embedded migrations not yet applied, in order, each
// in a transaction. Running it twice, or on two replicas at once, applies
// each once: PostgreSQL takes a lock for the while.
func (s *Store) migrate(ctx context.Context) error {
	if _, err := s.db.ExecContext(ctx, `CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, applied_at BIGINT NOT NULL)`); err != nil {
		return fmt.Errorf("migrations table: %w", err)
	}
	names, err := fs.Glob(migrations, "migrations/*.sql")
	if err != nil {
		return err
	}
	slices.Sort(names)
	for _, name := range names {
		base := strings.TrimPrefix(name, "migrations/")
		version, err := strconv.Atoi(strings.SplitN(base, "_", 2)[0])
		if err != nil {
			return fmt.Errorf("migration %s: name must start with its version", base)
		}
		if err := s.apply(ctx, version, name); err != nil {
			return fmt.Errorf("migration %s: %w", base, err)
		}
	}
	return nil
}

func (s *Store) apply(ctx context.Context, version int, name string) error {
	body, err := migrations.ReadFile(name)
	if err != nil {
		return err
	}
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	if s.pg {
		if _, err := tx.ExecContext(ctx, `SELECT pg_advisory_xact_lock(7420190)`); err != nil {
			return err
		}
	}
	var n int
	if err := tx.QueryRowContext(ctx, s.q(`SELECT COUNT(*) FROM schema_migrations WHERE version = ?`), version).Scan(&n); err != nil {
		return err
	}
	if n > 0 {
		return nil
	}
	for _, stmt := range strings.Split(string(body), ";") {
		if strings.TrimSpace(stripComments(stmt)) == "" {
			continue
		}
		if _, err := tx.ExecContext(ctx, stmt); err != nil {
			return err
		}
	}
	if _, err := tx.ExecContext(ctx, s.q(`INSERT INTO schema_migrations (version, applied_at) VALUES (?, ?)`), version, time.Now().UnixMilli()); err != nil {
		return err
	}
	return tx.Commit()
}

func stripComments(stmt string) string {
	var out []string
	for _, l := range strings.Split(stmt, "\n") {
		if !strings.HasPrefix(strings.TrimSpace(l), "--") {
			out = append(out, l)
		}
	}
	return strings.Join(out, "\n")
}

// q writes a query's placeholders as the database wants them: ? for
// SQLite, $1, $2… for PostgreSQL. Every value goes through them: no
// query is ever built from what someone typed.
func (s *Store) q(query string) string {
	if !s.pg {
		return query
	}
	var b strings.Builder
	n := 0
	for _, r := range query {
		if r == '?' {
			n++
			b.WriteString("$" + strconv.Itoa(n))
			continue
		}
		b.WriteRune(r)
	}
	return b.String()
}

// Record keeps an answer, off the caller's path.
func (s *Store) Record(r bot.Record) {
	top, _ := json.Marshal(r.Top)
	s.enqueue(func(ctx context.Context, tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, s.q(`INSERT INTO answers (id, at, platform, conversation, outcome, top, confidence, place, text)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (id) DO NOTHING`),
			r.ID, r.At.UnixMilli(), valid(r.Platform), valid(r.Conversation), valid(string(r.Outcome)), string(top), r.Confidence,
			valid(r.Place), nullable(r.Text))
		return err
	})
}

// Vote keeps a vote, off the caller's path: one per answer and voter, the
// last word standing.
func (s *Store) Vote(v bot.Vote) {
	s.enqueue(func(ctx context.Context, tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, s.q(`INSERT INTO votes (answer_id, voter, helpful, at, text) VALUES (?, ?, ?, ?, ?)
			ON CONFLICT (answer_id, voter) DO UPDATE SET helpful = excluded.helpful, at = excluded.at, text = excluded.text`),
			valid(v.AnswerID), valid(v.Voter), boolInt(v.Helpful), v.At.UnixMilli(), nullable(v.Text))
		return err
	})
}

// valid repairs text PostgreSQL would refuse: invalid UTF-8 and NUL.
func valid(s string) string {
	return strings.ReplaceAll(strings.ToValidUTF8(s, "\uFFFD"), "\x00", "")
}

func nullable(s string) any {
	if s == "" {
		return nil
	}
	return valid(s)
}

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}

// job is a write, or a mark that the writes before it are made.
type job struct {
	write func(context.Context, *sql.Tx) error
	mark  chan struct{}
}

func (s *Store) enqueue(w func(context.Context, *sql.Tx) error) {
	select {
	case s.writes <- job{write: w}:
	default:
		s.lose(Full, 1, errors.New("the write buffer is full"))
	}
}

// writer makes the buffered writes, a batch to a transaction, until Close.
// While the database cannot be reached, writes wait in the spool (bounded
// by Config.Spool; what comes past the bound is counted and logged) and
// are tried again, in order, with a backoff: an outage of a minute or
// more loses nothing. Recovery is logged with how long it took and what
// was written.
func (s *Store) writer() {
	defer close(s.done)
	w := &spooler{s: s, retry: time.NewTimer(time.Hour), backoff: minBackoff}
	w.retry.Stop()
	defer w.giveUp()
	for {
		s.spooled.Store(int64(w.writes))
		if w.down.IsZero() {
			// Up: wait for a write, gather what else is waiting into one
			// transaction, and make it.
			ok := w.gather()
			w.settle()
			if !ok {
				w.closeDown()
				return
			}
			continue
		}
		// Down: keep taking writes into the spool, and try again when the
		// backoff says.
		select {
		case j, ok := <-s.writes:
			if !ok {
				w.closeDown()
				return
			}
			w.take(j)
		case <-w.retry.C:
			w.settle()
		}
	}
}

// spooler is the writer's state: what waits for the database, and since
// when it has been unreachable.
type spooler struct {
	s       *Store
	spool   []job // waiting for the database, oldest first
	writes  int   // the writes in spool
	down    time.Time
	retry   *time.Timer
	backoff time.Duration
}

// take spools a job; a write past the bound is counted, not kept.
func (w *spooler) take(j job) {
	if j.write != nil {
		if w.writes >= w.s.spoolMax {
			w.s.lose(Full, 1, errors.New("the spool is full while the database is unreachable"))
			return
		}
		w.writes++
	}
	w.spool = append(w.spool, j)
}

// gather waits for a job and takes what else is waiting, up to a
// transaction's worth; it reports false once the writes are closed.
func (w *spooler) gather() bool {
	j, ok := <-w.s.writes
	for ok {
		w.take(j)
		if w.writes >= min(256, w.s.spoolMax) {
			return true
		}
		select {
		case j, ok = <-w.s.writes:
			continue
		default:
		}
		return true
	}
	return false
}

// settle writes the spool, a batch to a transaction, closing marks as it
// passes them. What the database cannot take yet stays, and the retry is
// set.
func (w *spooler) settle() {
	before := w.writes
	for len(w.spool) > 0 {
		var batch []func(context.Context, *sql.Tx) error
		n := 0
		for n < len(w.spool) && len(batch) < 256 && w.spool[n].write != nil {
			batch = append(batch, w.spool[n].write)
			n++
		}
		if len(batch) > 0 && !w.s.write(batch) {
			if w.down.IsZero() {
				w.down = time.Now()
				w.s.atDown.Store(w.s.failed.Load())
				w.s.log.Warn("store unreachable: spooling writes", "spool_limit", w.s.spoolMax)
			}
			w.retry.Reset(w.backoff)
			w.backoff = min(2*w.backoff, maxBackoff)
			return
		}
		w.writes -= len(batch)
		for n < len(w.spool) && w.spool[n].mark != nil {
			close(w.spool[n].mark)
			n++
		}
		w.spool = w.spool[n:]
	}
	w.spool = nil
	if !w.down.IsZero() {
		w.s.log.Info("store reachable again: spooled writes made", "down_for", time.Since(w.down).Round(time.Second).String(),
			"written", before, "not_kept_meanwhile", w.s.failed.Load()-w.s.atDown.Load())
		w.down, w.backoff = time.Time{}, minBackoff
	}
}

// closeDown, once the writes are closed, goes on trying to make what is
// spooled until it is made or Config.CloseWait runs out.
func (w *spooler) closeDown() {
	deadline := time.NewTimer(w.s.closeWait)
	defer deadline.Stop()
	for len(w.spool) > 0 {
		if w.down.IsZero() {
			w.settle()
			continue
		}
		select {
		case <-w.retry.C:
			w.settle()
		case <-deadline.C:
			return
		}
	}
}

// giveUp counts what is still spooled when the writer stops as lost.
func (w *spooler) giveUp() {
	if w.writes > 0 {
		w.s.lose(Shutdown, int64(w.writes), errors.New("the database was unreachable until the close wait ran out"))
	}
	w.s.spooled.Store(0)
}

const (
	minBackoff = 100 * time.Millisecond
	maxBackoff = 5 * time.Second
)

// write makes a batch in one transaction. It reports false, with nothing
// counted, when the database cannot be reached (the batch is to be tried
// again); a write the database refuses is counted and dropped, and the
// rest of its batch made without it.
func (s *Store) write(batch []func(context.Context, *sql.Tx) error) bool {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	err := s.tx(ctx, batch)
	if err == nil {
		return true
	}
	if s.unreachable(ctx) {
		return false
	}
	// One bad write must not lose the rest: try each alone.
	for _, one := range batch {
		if err := s.tx(ctx, []func(context.Context, *sql.Tx) error{one}); err != nil {
			if s.unreachable(ctx) {
				return false // gone in the meantime; the batch is tried again whole (its writes are idempotent)
			}
			s.lose(Refused, 1, err)
		}
	}
	return true
}

func (s *Store) tx(ctx context.Context, batch []func(context.Context, *sql.Tx) error) error {
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	for _, w := range batch {
		if err := w(ctx, tx); err != nil {
			tx.Rollback()
			return err
		}
	}
	return tx.Commit()
}

// unreachable reports whether the database cannot be reached at all, as
// against refusing one write. A closed store is not unreachable: it will
// not come back, so its writes are counted, not spooled.
func (s *Store) unreachable(ctx context.Context) bool {
	err := s.db.PingContext(ctx)
	return err != nil && !strings.Contains(err.Error(), "database is closed")
}

// Loss is why a write was not kept.
type Loss string

// The reasons a write is not kept.
const (
	// Full: the buffer or the spool was full (the database down for long,
	// or slower than the answers).
	Full Loss = "full"
	// Refused: the database refused the write itself.
	Refused Loss = "refused"
	// Shutdown: the database was still unreachable when Close gave up.
	Shutdown Loss = "shutdown"
)

// Losses are the reasons, in the order metrics list them.
var Losses = []Loss{Full, Refused, Shutdown}

// lose counts n writes not kept, and logs the true count at most once a
// minute (and always at shutdown).
func (s *Store) lose(why Loss, n int64, err error) {
	s.lost[why].Add(n)
	total := s.failed.Add(n)
	now := time.Now().Unix()
	if last := s.lastLog.Load(); why == Shutdown || (now-last >= 60 && s.lastLog.CompareAndSwap(last, now)) {
		s.log.Warn("store writes not kept", "count", total-s.logged.Swap(total), "total", total, "why", string(why), "err", err)
	}
}

// Failed is how many writes were not kept since the store opened.
func (s *Store) Failed() int64 { return s.failed.Load() }

// NotKept is how many writes were not kept for a reason.
func (s *Store) NotKept(why Loss) int64 {
	if c, ok := s.lost[why]; ok {
		return c.Load()
	}
	return 0
}

// Spooled is how many writes wait for the database to come back.
func (s *Store) Spooled() int { return int(s.spooled.Load()) }

// Flush waits until the writes handed over so far are made (or counted
// as not kept), or ctx ends. While the database is unreachable it waits.
func (s *Store) Flush(ctx context.Context) error {
	mark := make(chan struct{})
	select {
	case s.writes <- job{mark: mark}:
	case <-ctx.Done():
		return ctx.Err()
	}
	select {
	case <-mark:
		return nil
	case <-s.done:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// Close makes the writes waiting, then closes the database. While the
// database is unreachable it goes on trying for Config.CloseWait, then
// counts and logs what it could not write. A nil store (none kept)
// closes as nothing.
func (s *Store) Close() error {
	if s == nil {
		return nil
	}
	s.closing.Do(func() { close(s.writes) })
	<-s.done
	return s.db.Close()
}

// Key is the key that hashes voters, made once and kept in the database
// so a person's vote on an answer counts once across restarts.
func (s *Store) Key(ctx context.Context) ([]byte, error) {
	var hexKey string
	err := s.db.QueryRowContext(ctx, s.q(`SELECT value FROM settings WHERE name = ?`), "voter_key").Scan(&hexKey)
	if errors.Is(err, sql.ErrNoRows) {
		b := make([]byte, 32)
		rand.Read(b)
		if _, err := s.db.ExecContext(ctx, s.q(`INSERT INTO settings (name, value) VALUES (?, ?) ON CONFLICT (name) DO NOTHING`),
			"voter_key", hex.EncodeToString(b)); err != nil {
			return nil, fmt.Errorf("store: voter key: %w", err)
		}
		return s.Key(ctx)
	}
	if err != nil {
		return nil, fmt.Errorf("store: voter key: %w", err)
	}
	return hex.DecodeString(hexKey)
}

// Purge deletes the question text kept before textBefore, and whole
// records (they hold no text by then) before rowsBefore. It reports how
// many texts it deleted.
func (s *Store) Purge(ctx context.Context, textBefore, rowsBefore time.Time) (int64, error) {
	var n int64
	for _, q := range []string{
		`UPDATE answers SET text = NULL WHERE text IS NOT NULL AND at < ?`,
		`UPDATE votes SET text = NULL WHERE text IS NOT NULL AND at < ?`,
	} {
		res, err := s.db.ExecContext(ctx, s.q(q), textBefore.UnixMilli())
		if err != nil {
			return n, fmt.Errorf("store: purge: %w", err)
		}
		m, _ := res.RowsAffected()
		n += m
	}
	for _, q := range []string{`DELETE FROM votes WHERE at < ?`, `DELETE FROM answers WHERE at < ?`} {
		if _, err := s.db.ExecContext(ctx, s.q(q), rowsBefore.UnixMilli()); err != nil {
			return n, fmt.Errorf("store: purge: %w", err)
		}
	}
	if err := s.forgetExpired(ctx); err != nil {
		return n, fmt.Errorf("store: purge: %w", err)
	}
	return n, nil
}

// Since reads back everything kept from t on, oldest first, into memory:
// for tests and a few records. The figures read Tally and review reads
// Heard, which never hold a period's records.
func (s *Store) Since(ctx context.Context, t time.Time) (bot.Kept, error) {
	var k bot.Kept
	err := s.each(ctx, `SELECT id, at, platform, conversation, outcome, top, confidence, place, text
		FROM answers WHERE at >= ? ORDER BY at, id`, func(scan func(...any) error) error {
		var r bot.Record
		var at int64
		var top string
		var text sql.NullString
		if err := scan(&r.ID, &at, &r.Platform, &r.Conversation, &r.Outcome, &top, &r.Confidence, &r.Place, &text); err != nil {
			return err
		}
		r.At, r.Text, r.Top = time.UnixMilli(at).UTC(), text.String, results(top)
		k.Records = append(k.Records, r)
		return nil
	}, t.UnixMilli())
	if err != nil {
		return k, err
	}
	err = s.each(ctx, `SELECT answer_id, voter, helpful, at, text FROM votes WHERE at >= ? ORDER BY at, answer_id`, func(scan func(...any) error) error {
		var v bot.Vote
		var at int64
		var helpful int
		var text sql.NullString
		if err := scan(&v.AnswerID, &v.Voter, &helpful, &at, &text); err != nil {
			return err
		}
		v.Helpful, v.At, v.Text = helpful == 1, time.UnixMilli(at).UTC(), text.String
		k.Votes = append(k.Votes, v)
		return nil
	}, t.UnixMilli())
	return k, err
}

// day is a day in milliseconds, for counting by day (UTC) in SQL.
const day = int64(24 * time.Hour / time.Millisecond)

// Tally counts what was kept from t on, for the figures: the database
// groups the rows and only the counts come back, a few hundred rows for a
// month however busy it was.
func (s *Store) Tally(ctx context.Context, t time.Time) (bot.Tally, error) {
	var tally bot.Tally
	from := t.UnixMilli()
	err := s.each(ctx, `SELECT at / ?, platform, outcome, COUNT(*) FROM answers WHERE at >= ? GROUP BY 1, 2, 3`,
		func(scan func(...any) error) error {
			var c bot.Counted
			var days int64
			if err := scan(&days, &c.Platform, &c.Outcome, &c.Count); err != nil {
				return err
			}
			c.Day = time.UnixMilli(days * day).UTC()
			tally.Answers = append(tally.Answers, c)
			return nil
		}, day, from)
	if err != nil {
		return tally, err
	}
	// An answer counts for the entry it led with once, and each vote on
	// it once more: one pass over both, grouped.
	err = s.each(ctx, `SELECT outcome, lead, SUM(asked), SUM(helpful), SUM(unhelpful) FROM (
			SELECT outcome, `+s.lead("top")+` AS lead, 1 AS asked, 0 AS helpful, 0 AS unhelpful FROM answers WHERE at >= ?
			UNION ALL
			SELECT a.outcome, `+s.lead("a.top")+`, 0, v.helpful, 1 - v.helpful
			FROM votes v JOIN answers a ON a.id = v.answer_id WHERE v.at >= ? AND a.at >= ?
		) led WHERE lead IS NOT NULL GROUP BY outcome, lead`,
		func(scan func(...any) error) error {
			var l bot.Led
			if err := scan(&l.Outcome, &l.Entry, &l.Asked, &l.Helpful, &l.Unhelpful); err != nil {
				return err
			}
			tally.Led = append(tally.Led, l)
			return nil
		}, from, from, from)
	if err != nil {
		return tally, err
	}
	err = s.each(ctx, `SELECT COUNT(*), COALESCE(SUM(helpful), 0) FROM votes WHERE at >= ?`, func(scan func(...any) error) error {
		return scan(&tally.Votes, &tally.Helpful)
	}, from)
	return tally, err
}

// lead is the SQL for the entry an answer led with, the id of the first
// of its results (a JSON array in column top), or NULL.
func (s *Store) lead(top string) string {
	if s.pg {
		return "(" + top + "::jsonb -> 0 ->> 'id')"
	}
	return "json_extract(" + top + ", '$[0].id')"
}

// Heard hands each question kept with its words from t on to each, in
// the order kept: the answers signpost could not answer well, then the
// unhelpful votes with what their answer came nearest to. It holds one
// row at a time; the records without words are never read.
func (s *Store) Heard(ctx context.Context, t time.Time, each func(bot.Heard)) error {
	from := t.UnixMilli()
	err := s.each(ctx, `SELECT text, outcome, top FROM answers WHERE at >= ? AND text <> '' ORDER BY at, id`,
		func(scan func(...any) error) error {
			var h bot.Heard
			var top string
			if err := scan(&h.Text, &h.Outcome, &top); err != nil {
				return err
			}
			h.Top = results(top)
			each(h)
			return nil
		}, from)
	if err != nil {
		return err
	}
	return s.each(ctx, `SELECT v.text, a.top FROM votes v LEFT JOIN answers a ON a.id = v.answer_id AND a.at >= ?
		WHERE v.at >= ? AND v.helpful = 0 AND v.text <> '' ORDER BY v.at, v.answer_id, v.voter`,
		func(scan func(...any) error) error {
			h := bot.Heard{Unhelpful: true}
			var top sql.NullString
			if err := scan(&h.Text, &top); err != nil {
				return err
			}
			h.Top = results(top.String)
			each(h)
			return nil
		}, from, from)
}

// results reads an answer's results as kept, JSON; none when unreadable.
func results(top string) []bot.Result {
	var r []bot.Result
	json.Unmarshal([]byte(top), &r)
	return r
}

// each runs a query and hands its rows to row one at a time, through
// their Scan: however many there are, none is held after it.
func (s *Store) each(ctx context.Context, query string, row func(scan func(...any) error) error, args ...any) error {
	rows, err := s.db.QueryContext(ctx, s.q(query), args...)
	if err != nil {
		return fmt.Errorf("store: read: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		if err := row(rows.Scan); err != nil {
			return fmt.Errorf("store: read: %w", err)
		}
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("store: read: %w", err)
	}
	return nil
}
