package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"hash/fnv"
	"time"
)

// Shared reports whether the store is one several replicas can share:
// PostgreSQL. SQLite is one process's.
func (s *Store) Shared() bool { return s != nil && s.pg }

// LoadConversation is a conversation's state, or nil when there is none or
// it has expired.
func (s *Store) LoadConversation(ctx context.Context, key string) ([]byte, error) {
	var data string
	err := s.db.QueryRowContext(ctx, s.q(`SELECT data FROM conversations WHERE key = ? AND expires > ?`), key, time.Now().UnixMilli()).Scan(&data)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("store: conversation: %w", err)
	}
	return []byte(data), nil
}

// SaveConversation keeps a conversation's state until ttl from now; nil
// data forgets it.
func (s *Store) SaveConversation(ctx context.Context, key string, data []byte, ttl time.Duration) error {
	if time.Now().UnixNano()%32 == 0 {
		s.forgetExpired(ctx)
	}
	var err error
	if data == nil {
		_, err = s.db.ExecContext(ctx, s.q(`DELETE FROM conversations WHERE key = ?`), key)
	} else {
		_, err = s.db.ExecContext(ctx, s.q(`INSERT INTO conversations (key, data, expires) VALUES (?, ?, ?)
			ON CONFLICT (key) DO UPDATE SET data = excluded.data, expires = excluded.expires`),
			key, string(data), time.Now().Add(ttl).UnixMilli())
	}
	if err != nil {
		return fmt.Errorf("store: conversation: %w", err)
	}
	return nil
}

// forgetExpired deletes expired conversations (they hold the last
// questions, scrubbed: kept no longer than the half hour) and claims past
// their ten minutes. Writers call it now and then; the purge, always.
func (s *Store) forgetExpired(ctx context.Context) error {
	now := time.Now()
	if _, err := s.db.ExecContext(ctx, s.q(`DELETE FROM conversations WHERE expires < ?`), now.UnixMilli()); err != nil {
		return err
	}
	_, err := s.db.ExecContext(ctx, s.q(`DELETE FROM claims WHERE at < ?`), now.Add(-claimFor).UnixMilli())
	return err
}

// Area is the place a channel is bound to, or "".
func (s *Store) Area(ctx context.Context, channel string) (string, error) {
	var place string
	err := s.db.QueryRowContext(ctx, s.q(`SELECT place FROM areas WHERE channel = ?`), channel).Scan(&place)
	if errors.Is(err, sql.ErrNoRows) {
		return "", nil
	}
	if err != nil {
		return "", fmt.Errorf("store: area: %w", err)
	}
	return place, nil
}

// SaveArea binds a channel to a place, or unbinds it when place is "".
func (s *Store) SaveArea(channel, place string) error {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	var err error
	if place == "" {
		_, err = s.db.ExecContext(ctx, s.q(`DELETE FROM areas WHERE channel = ?`), channel)
	} else {
		_, err = s.db.ExecContext(ctx, s.q(`INSERT INTO areas (channel, place) VALUES (?, ?)
			ON CONFLICT (channel) DO UPDATE SET place = excluded.place`), channel, place)
	}
	if err != nil {
		return fmt.Errorf("store: area: %w", err)
	}
	return nil
}

// Areas are every channel's binding.
func (s *Store) Areas(ctx context.Context) (map[string]string, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT channel, place FROM areas`)
	if err != nil {
		return nil, fmt.Errorf("store: areas: %w", err)
	}
	defer rows.Close()
	out := map[string]string{}
	for rows.Next() {
		var c, p string
		if err := rows.Scan(&c, &p); err != nil {
			return nil, fmt.Errorf("store: areas: %w", err)
		}
		out[c] = p
	}
	return out, rows.Err()
}

// claimFor is how long a claimed request id is remembered: a platform's
// retries and replays come within minutes.
const claimFor = 10 * time.Minute

// Claim reports whether this process is the first to claim id: one
// statement decides, so of two replicas given the same event, retry or
// click, exactly one answers it.
func (s *Store) Claim(ctx context.Context, id string) (bool, error) {
	now := time.Now()
	if now.UnixNano()%64 == 0 {
		s.forgetExpired(ctx)
	}
	res, err := s.db.ExecContext(ctx, s.q(`INSERT INTO claims (id, at) VALUES (?, ?) ON CONFLICT (id) DO NOTHING`), id, now.UnixMilli())
	if err != nil {
		return false, fmt.Errorf("store: claim: %w", err)
	}
	n, err := res.RowsAffected()
	return n == 1, err
}

// Hold waits until this process holds the lock called name among every
// replica on the database (a PostgreSQL advisory lock on a connection of
// its own), or ctx ends. lost closes if the connection, and so the lock,
// is lost; release gives the lock up. A replica that dies loses its
// connection, and with it the lock, so another takes over within a poll
// (every 2 s). On SQLite, one process's, the lock is always held.
func (s *Store) Hold(ctx context.Context, name string) (lost <-chan struct{}, release func(), err error) {
	gone := make(chan struct{})
	if !s.pg {
		return gone, func() {}, nil
	}
	h := fnv.New64a()
	h.Write([]byte(name))
	key := int64(h.Sum64() >> 1)
	for {
		conn, err := s.db.Conn(ctx)
		if err == nil {
			var got bool
			if err = conn.QueryRowContext(ctx, `SELECT pg_try_advisory_lock($1)`, key).Scan(&got); err == nil && got {
				return gone, s.keepHolding(conn, key, gone), nil
			}
			conn.Close()
		}
		select {
		case <-ctx.Done():
			return nil, nil, ctx.Err()
		case <-time.After(2 * time.Second):
		}
	}
}

// keepHolding checks the lock's connection every 2 s, closing gone when
// it fails; the returned func releases the lock.
func (s *Store) keepHolding(conn *sql.Conn, key int64, gone chan struct{}) func() {
	stop := make(chan struct{})
	go func() {
		defer close(gone)
		for {
			select {
			case <-stop:
				return
			case <-time.After(2 * time.Second):
			}
			ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
			err := conn.PingContext(ctx)
			cancel()
			if err != nil {
				s.log.Warn("lost the lock's connection", "err", err)
				conn.Close()
				return
			}
		}
	}()
	var once bool
	return func() {
		if once {
			return
		}
		once = true
		close(stop)
		ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
		defer cancel()
		conn.ExecContext(ctx, `SELECT pg_advisory_unlock($1)`, key)
		conn.Close()
	}
}
