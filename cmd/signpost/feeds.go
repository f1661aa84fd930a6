package main

import (
	"context"
	"fmt"
	"os"
	"strings"
	"time"

	"github.com/bathnes/signpost/bot"
	"github.com/bathnes/signpost/directory"
	"github.com/bathnes/signpost/directory/answer"
	"github.com/bathnes/signpost/ops"
	"github.com/bathnes/signpost/store"
)

// fullEvery is how often a feed synced by modified_after is read whole
// instead: an incremental sync cannot see a service the feed deleted.
const fullEvery = 24 * time.Hour

// synced is what one sync of a feed brought.
type synced struct {
	feed        string
	services    int
	problems    []directory.Problem
	incremental bool
}

// syncFeed reads feed (a file, or an http(s) URL of an ORUK API) into
// st. A file is read whole; a URL asks for what changed since its last
// sync, and for everything once a day. A feed that cannot be read whole
// changes nothing kept (the last good copy stays) and is noted with its
// failure count, for /readyz and the operator.
func syncFeed(ctx context.Context, st *store.Store, client *directory.Client, feed string, now time.Time) (synced, error) {
	out := synced{feed: feed}
	state, err := st.Feed(ctx, feed)
	if err != nil {
		return out, err
	}
	var services []directory.Service
	full := true
	if isURL(feed) {
		since := state.Since
		if now.Sub(state.Synced) >= fullEvery {
			since = time.Time{}
		}
		res, err := client.Sync(ctx, feed, since)
		if err != nil {
			return out, failed(ctx, st, state, now, err)
		}
		services, out.problems, full = res.Services, res.Problems, !res.Incremental
		out.incremental = res.Incremental
		now = res.FetchedAt
	} else {
		f, err := os.Open(feed)
		if err != nil {
			return out, failed(ctx, st, state, now, err)
		}
		page, err := directory.Parse(f, feed, now)
		f.Close()
		if err != nil {
			return out, failed(ctx, st, state, now, err)
		}
		services, out.problems = page.Services, page.Problems
	}
	if err := st.SaveServices(ctx, feed, services, full); err != nil {
		return out, err
	}
	out.services = len(services)
	synced := state.Synced
	if full || synced.IsZero() {
		synced = now // the day's full read; incremental ones keep its date
	}
	return out, st.SaveFeed(ctx, store.FeedState{Feed: feed, Synced: synced, Since: now})
}

// failed notes a feed's failure and returns it.
func failed(ctx context.Context, st *store.Store, state store.FeedState, now time.Time, err error) error {
	state.Failed, state.Error, state.Failures = now, err.Error(), state.Failures+1
	if serr := st.SaveFeed(ctx, state); serr != nil {
		return fmt.Errorf("%w (and noting it: %v)", err, serr)
	}
	return err
}

func isURL(s string) bool {
	return strings.HasPrefix(s, "http://") || strings.HasPrefix(s, "https://")
}

// directoryImport is `signpost directory import FILE|URL…`: each feed into
// the store the config names, a line on what it brought and one a
// problem record (its id and field); exit 1 if a feed could not be read.
func (e env) directoryImport(ctx context.Context, feeds []string) int {
	if len(feeds) == 0 {
		feeds = e.cfg.Directory.Feeds
	}
	if len(feeds) == 0 {
		fmt.Fprintln(e.stderr, "signpost directory import: name a file or URL, or set [directory] feeds in the config")
		return 2
	}
	st, err := e.openStore(ctx)
	if err != nil {
		fmt.Fprintln(e.stderr, "signpost directory import:", err)
		return 1
	}
	if st == nil {
		fmt.Fprintln(e.stderr, "signpost directory import: the store is off; services are kept in it: use --config with [store] enabled = true")
		return 1
	}
	defer st.Close()
	client := directory.NewClient(nil)
	code := 0
	for _, feed := range feeds {
		res, err := syncFeed(ctx, st, client, feed, time.Now())
		if err != nil {
			fmt.Fprintf(e.stderr, "signpost directory import: %s: %v (the last good copy is kept)\n", feed, err)
			code = 1
			continue
		}
		how := "read whole"
		if res.incremental {
			how = "changes since the last sync"
		}
		fmt.Fprintf(e.stdout, "%s: %d services (%s), %d problems\n", feed, res.services, how, len(res.problems))
		for _, p := range res.problems {
			fmt.Fprintf(e.stdout, "  %s\n", p)
		}
	}
	return code
}

// refreshFeeds syncs every configured feed now and every refresh until
// ctx ends, and after a round that changed anything calls loaded with
// every service kept. A feed that fails is tried again sooner (a minute,
// doubling up to the refresh), counted in the metrics and shown on
// /readyz; the others go on.
func (e env) refreshFeeds(ctx context.Context, st *store.Store, m *ops.Metrics, loaded func([]directory.Service)) {
	feeds, every := e.cfg.Directory.Feeds, time.Duration(e.cfg.Directory.Refresh)
	if st == nil || len(feeds) == 0 {
		return
	}
	client := directory.NewClient(nil)
	retry := time.Minute
	for {
		changed, failing := false, false
		for _, feed := range feeds {
			res, err := syncFeed(ctx, st, client, feed, time.Now())
			if ctx.Err() != nil {
				return
			}
			if m != nil {
				m.Synced(feed, err, res.services, time.Now())
			}
			if err != nil {
				failing = true
				e.log.Warn("directory feed not synced; the last good copy stays", "feed", feed, "err", err)
				continue
			}
			changed = changed || res.services > 0 || !res.incremental
			e.log.Info("directory feed synced", "feed", feed, "services", res.services, "problems", len(res.problems), "incremental", res.incremental)
		}
		if changed {
			if services, err := st.Services(ctx); err != nil {
				e.log.Warn("directory not reloaded from the store", "err", err)
			} else {
				loaded(services)
			}
		}
		wait := every
		if failing {
			wait, retry = min(retry, every), min(2*retry, every)
		} else {
			retry = time.Minute
		}
		select {
		case <-ctx.Done():
			return
		case <-time.After(wait):
		}
	}
}

// useServices makes b answer local-service questions from services.
func (e env) useServices(b *bot.Bot) func([]directory.Service) {
	return func(services []directory.Service) {
		ix := directory.NewIndex(services, directory.Options{K: answer.IndexK, StaleAfter: time.Duration(e.cfg.Directory.StaleAfter)})
		b.UseDirectory(answer.New(ix, nil))
	}
}

// answerFromDirectory makes b answer from the services the store keeps
// now, then from each refresh of the configured feeds until ctx ends.
func (e env) answerFromDirectory(ctx context.Context, b *bot.Bot, st *store.Store, m *ops.Metrics) {
	if st == nil {
		return
	}
	if services, err := st.Services(ctx); err != nil {
		e.log.Warn("directory not read from the store", "err", err)
	} else if len(services) > 0 {
		e.useServices(b)(services)
	}
	go e.refreshFeeds(ctx, st, m, e.useServices(b))
}
