package main

import (
	"context"
	"fmt"
	"time"

	"github.com/bathnes/signpost/bot"
	"github.com/bathnes/signpost/store"
)

// statsDays is how long records without text are kept for the figures.
const statsDays = 730

// openStore opens the configured store, or returns nil when it is off.
func (e env) openStore(ctx context.Context) (*store.Store, error) {
	if !e.cfg.Store.Enabled {
		return nil, nil
	}
	s, err := store.Open(ctx, store.Config{URL: e.cfg.Store.URL, Path: e.cfg.Store.Path}, e.log)
	if err != nil {
		return nil, err
	}
	return s, nil
}

// keep makes b record its answers and votes in s, and purges old text
// now and every day until ctx ends. A store that cannot give its voter
// key is no store: signpost answers without one, and says so.
func (e env) keep(ctx context.Context, b *bot.Bot, s *store.Store) {
	if s == nil {
		return
	}
	key, err := s.Key(ctx)
	if err != nil {
		e.log.Error("store unavailable; answering without keeping records", "err", err)
		return
	}
	b.Keep(s, key)
	go func() {
		for {
			e.purge(ctx, s)
			select {
			case <-ctx.Done():
				return
			case <-time.After(24 * time.Hour):
			}
		}
	}()
}

// purge deletes question text older than [store] keep_days, and records
// older than statsDays.
func (e env) purge(ctx context.Context, s *store.Store) (int64, error) {
	now := time.Now()
	n, err := s.Purge(ctx, now.AddDate(0, 0, -e.cfg.Store.KeepDays), now.AddDate(0, 0, -statsDays))
	if err != nil {
		e.log.Error("purge failed", "err", err)
		return 0, err
	}
	e.log.Info("purged", "texts", n)
	return n, nil
}

// storeCommand is `signpost store purge`.
func (e env) storeCommand(ctx context.Context, args []string) int {
	if len(args) != 1 || args[0] != "purge" {
		fmt.Fprintln(e.stderr, "signpost store: want `signpost store purge`")
		return 2
	}
	s, err := e.openStore(ctx)
	if err != nil {
		fmt.Fprintln(e.stderr, "signpost:", err)
		return 1
	}
	if s == nil {
		fmt.Fprintln(e.stderr, "signpost: [store] enabled = false: nothing is kept, nothing to purge")
		return 0
	}
	defer s.Close()
	n, err := e.purge(ctx, s)
	if err != nil {
		fmt.Fprintln(e.stderr, "signpost:", err)
		return 1
	}
	fmt.Fprintf(e.stdout, "deleted the text of %d questions kept more than %d days\n", n, e.cfg.Store.KeepDays)
	return 0
}
