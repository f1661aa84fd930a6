// Package store keeps what signpost learns from use: a record of each
// answer and the votes on them, in SQLite (embedded, the default) or
// PostgreSQL. It implements the core's bot.Journal; the core never
// imports it. Writes are buffered off the answer's path: a store that is
// slow or down never holds an answer up, and what it could not keep is
// counted and logged once a minute.
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
	// Buffer bounds the writes waiting to be made; past it, new ones are
	// dropped and counted. 0 means 4096.
	Buffer int
}

// Store is a journal in a database.
type Store struct {
	db      *sql.DB
	pg      bool
	log     *slog.Logger
	writes  chan job
	done    chan struct{}
	closing sync.Once
	// failed counts writes not kept (the database down, the buffer full);
	// logged a line a minute.
	failed, logged atomic.Int64
	lastLog        atomic.Int64
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
	s := &Store{db: db, pg: cfg.URL != "", log: log.With("store", driver), done: make(chan struct{})}
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
		s.fail(errors.New("buffer full"))
	}
}

// writer makes the buffered writes, a batch to a transaction, until Close.
func (s *Store) writer() {
	defer close(s.done)
	var batch []func(context.Context, *sql.Tx) error
	flush := func() {
		if len(batch) > 0 {
			s.write(batch)
			batch = nil
		}
	}
	for {
		var j job
		var ok bool
		if len(batch) == 0 {
			j, ok = <-s.writes
		} else {
			select {
			case j, ok = <-s.writes:
			default:
				flush()
				continue
			}
		}
		if !ok {
			flush()
			return
		}
		if j.mark != nil {
			flush()
			close(j.mark)
			continue
		}
		if batch = append(batch, j.write); len(batch) == 256 {
			flush()
		}
	}
}

func (s *Store) write(batch []func(context.Context, *sql.Tx) error) {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		for range batch {
			s.fail(err)
		}
		return
	}
	for _, w := range batch {
		if err := w(ctx, tx); err != nil {
			tx.Rollback()
			// One bad write must not lose the rest: retry each alone.
			if len(batch) > 1 {
				for _, one := range batch {
					s.write([]func(context.Context, *sql.Tx) error{one})
				}
				return
			}
			s.fail(err)
			return
		}
	}
	if err := tx.Commit(); err != nil {
		for range batch {
			s.fail(err)
		}
	}
}

// fail counts a write not kept, and logs the count at most once a minute.
func (s *Store) fail(err error) {
	n := s.failed.Add(1)
	now := time.Now().Unix()
	if last := s.lastLog.Load(); now-last >= 60 && s.lastLog.CompareAndSwap(last, now) {
		s.log.Warn("store writes not kept", "count", n-s.logged.Swap(n), "err", err)
	}
}

// Failed is how many writes were not kept since the store opened.
func (s *Store) Failed() int64 { return s.failed.Load() }

// Flush waits until the writes handed over so far are made (or counted
// as failed), or ctx ends.
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
	case <-ctx.Done():
		return ctx.Err()
	}
}

// Close makes the writes waiting, then closes the database. A nil store
// (none kept) closes as nothing.
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

// Kept is what the store holds for a period: the answers and the votes.
type Kept struct {
	Records []bot.Record
	Votes   []bot.Vote
}

// Since reads back everything kept from t on, oldest first.
func (s *Store) Since(ctx context.Context, t time.Time) (Kept, error) {
	var k Kept
	rows, err := s.db.QueryContext(ctx, s.q(`SELECT id, at, platform, conversation, outcome, top, confidence, place, text
		FROM answers WHERE at >= ? ORDER BY at, id`), t.UnixMilli())
	if err != nil {
		return k, fmt.Errorf("store: read: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var r bot.Record
		var at int64
		var top string
		var text sql.NullString
		if err := rows.Scan(&r.ID, &at, &r.Platform, &r.Conversation, &r.Outcome, &top, &r.Confidence, &r.Place, &text); err != nil {
			return k, fmt.Errorf("store: read: %w", err)
		}
		r.At, r.Text = time.UnixMilli(at).UTC(), text.String
		json.Unmarshal([]byte(top), &r.Top)
		k.Records = append(k.Records, r)
	}
	if err := rows.Err(); err != nil {
		return k, fmt.Errorf("store: read: %w", err)
	}
	vrows, err := s.db.QueryContext(ctx, s.q(`SELECT answer_id, voter, helpful, at, text FROM votes WHERE at >= ? ORDER BY at, answer_id`), t.UnixMilli())
	if err != nil {
		return k, fmt.Errorf("store: read: %w", err)
	}
	defer vrows.Close()
	for vrows.Next() {
		var v bot.Vote
		var at int64
		var helpful int
		var text sql.NullString
		if err := vrows.Scan(&v.AnswerID, &v.Voter, &helpful, &at, &text); err != nil {
			return k, fmt.Errorf("store: read: %w", err)
		}
		v.Helpful, v.At, v.Text = helpful == 1, time.UnixMilli(at).UTC(), text.String
		k.Votes = append(k.Votes, v)
	}
	return k, vrows.Err()
}
