package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/bathnes/signpost/directory"
)

// SaveServices keeps a feed's services as fetched, in one transaction, so
// readers see the old copy or the new, never half. A full sync replaces
// the feed's copy (what the feed no longer lists is deleted); an
// incremental one (modified_after) adds and updates only.
func (s *Store) SaveServices(ctx context.Context, feed string, services []directory.Service, full bool) error {
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("store: directory: %w", err)
	}
	defer tx.Rollback()
	if full {
		if _, err := tx.ExecContext(ctx, s.q(`DELETE FROM directory_services WHERE feed = ?`), feed); err != nil {
			return fmt.Errorf("store: directory: %w", err)
		}
	}
	for _, sv := range services {
		rec, err := json.Marshal(sv)
		if err != nil {
			return fmt.Errorf("store: directory: %s: %w", sv.ID, err)
		}
		if _, err := tx.ExecContext(ctx, s.q(`INSERT INTO directory_services (feed, id, record, fetched_at, assured_at, modified_at)
			VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (feed, id) DO UPDATE SET record = excluded.record,
			fetched_at = excluded.fetched_at, assured_at = excluded.assured_at, modified_at = excluded.modified_at`),
			valid(feed), valid(sv.ID), valid(string(rec)), millis(sv.FetchedAt), millis(sv.AssuredDate), millis(sv.LastModified)); err != nil {
			return fmt.Errorf("store: directory: %s: %w", sv.ID, err)
		}
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("store: directory: %w", err)
	}
	return nil
}

func millis(t time.Time) int64 {
	if t.IsZero() {
		return 0
	}
	return t.UnixMilli()
}

// Services reads back every service kept, feed by feed.
func (s *Store) Services(ctx context.Context) ([]directory.Service, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT record FROM directory_services ORDER BY feed, id`)
	if err != nil {
		return nil, fmt.Errorf("store: directory: %w", err)
	}
	defer rows.Close()
	var out []directory.Service
	for rows.Next() {
		var rec string
		if err := rows.Scan(&rec); err != nil {
			return nil, fmt.Errorf("store: directory: %w", err)
		}
		var sv directory.Service
		if err := json.Unmarshal([]byte(rec), &sv); err != nil {
			return nil, fmt.Errorf("store: directory: %w", err)
		}
		out = append(out, sv)
	}
	return out, rows.Err()
}

// FeedState is a feed's last sync, as kept.
type FeedState struct {
	Feed string
	// Synced is the last sync that succeeded, Since the date it asked for
	// changes from (zero: everything).
	Synced, Since time.Time
	// Failed, Error and Failures say how the syncs since then went.
	Failed   time.Time
	Error    string
	Failures int
}

// Feed is a feed's last sync, zero when it never ran.
func (s *Store) Feed(ctx context.Context, feed string) (FeedState, error) {
	st := FeedState{Feed: feed}
	var synced, since, failed int64
	err := s.db.QueryRowContext(ctx, s.q(`SELECT synced_at, since, failed_at, error, failures FROM directory_feeds WHERE feed = ?`), feed).
		Scan(&synced, &since, &failed, &st.Error, &st.Failures)
	if errors.Is(err, sql.ErrNoRows) {
		return st, nil
	}
	if err != nil {
		return st, fmt.Errorf("store: directory: %w", err)
	}
	st.Synced, st.Since, st.Failed = fromMillis(synced), fromMillis(since), fromMillis(failed)
	return st, nil
}

func fromMillis(ms int64) time.Time {
	if ms == 0 {
		return time.Time{}
	}
	return time.UnixMilli(ms).UTC()
}

// SaveFeed keeps a feed's last sync.
func (s *Store) SaveFeed(ctx context.Context, st FeedState) error {
	_, err := s.db.ExecContext(ctx, s.q(`INSERT INTO directory_feeds (feed, synced_at, since, failed_at, error, failures)
		VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (feed) DO UPDATE SET synced_at = excluded.synced_at, since = excluded.since,
		failed_at = excluded.failed_at, error = excluded.error, failures = excluded.failures`),
		valid(st.Feed), millis(st.Synced), millis(st.Since), millis(st.Failed), valid(st.Error), st.Failures)
	if err != nil {
		return fmt.Errorf("store: directory: %w", err)
	}
	return nil
}
