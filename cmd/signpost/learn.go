package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"os"
	"slices"
	"strings"
	"time"

	"github.com/bathnes/signpost/bot"
	"github.com/bathnes/signpost/knowledge"
	"github.com/bathnes/signpost/learn"
	"github.com/bathnes/signpost/store"
)

// statsDays is how long records without text are kept for the figures.
const statsDays = 730

// openStore opens the configured store, or returns nil when it is off.
func (e env) openStore(ctx context.Context) (*store.Store, error) {
	if !e.cfg.Store.Enabled {
		return nil, nil
	}
	return store.Open(ctx, store.Config{URL: e.cfg.Store.URL, Path: e.cfg.Store.Path}, e.log)
}

// keeping opens the store and makes b keep its records there; done stops
// the daily purge and closes the store. A store that cannot open never
// stops answers: it is logged, and signpost runs without one.
func (e env) keeping(ctx context.Context, b *bot.Bot) (st *store.Store, done func()) {
	st, err := e.openStore(ctx)
	if err != nil {
		e.log.Error("store unavailable; answering without keeping records", "err", err)
		return nil, func() {}
	}
	stop := e.keep(ctx, b, st)
	return st, func() { stop(); st.Close() }
}

// keep makes b record its answers and votes in s, and purges old text
// now and every day until ctx ends. A store that cannot give its voter
// key is no store: signpost answers without one, and says so.
func (e env) keep(ctx context.Context, b *bot.Bot, s *store.Store) (stop func()) {
	if s == nil {
		return func() {}
	}
	key, err := s.Key(ctx)
	if err != nil {
		e.log.Error("store unavailable; answering without keeping records", "err", err)
		return func() {}
	}
	b.Keep(s, key)
	if s.Shared() {
		// Replicas on one PostgreSQL share conversations and areas.
		b.Share(s, key, e.log)
		e.log.Info("sharing conversations and areas with other replicas")
	}
	// Purged now, then daily until stop, which waits for a purge under
	// way: the store closes after.
	e.purge(ctx, s)
	ctx, cancel := context.WithCancel(ctx)
	done := make(chan struct{})
	go func() {
		defer close(done)
		for {
			select {
			case <-ctx.Done():
				return
			case <-time.After(24 * time.Hour):
				e.purge(ctx, s)
			}
		}
	}()
	return func() { cancel(); <-done }
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

// storePurge is `signpost store purge`.
func (e env) storePurge(ctx context.Context) int {
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

// period is the last days to now.
func period(days int) (from, to time.Time) {
	to = time.Now().UTC()
	return to.AddDate(0, 0, -days), to
}

// readKept opens the store and the knowledge base, reads with read what
// was kept from from to to, and closes the store.
func readKept[T any](ctx context.Context, e env, from, to time.Time,
	read func(context.Context, *store.Store, *knowledge.Base, time.Time, time.Time) (T, error)) (T, error) {
	var none T
	base, err := e.base()
	if err != nil {
		return none, err
	}
	s, err := e.openStore(ctx)
	if err != nil {
		return none, err
	}
	if s == nil {
		return none, errors.New("[store] enabled = false: nothing is kept")
	}
	defer s.Close()
	return read(ctx, s, base, from, to)
}

// readFigures is the report on what s kept from from to to: counted by
// the database, so a busy year costs what a quiet week does.
func readFigures(ctx context.Context, s *store.Store, base *knowledge.Base, from, to time.Time) (bot.Report, error) {
	t, err := s.Tally(ctx, from)
	return learn.Summarise(t, base, from, to), err
}

// readGroups is the review of what s kept from from on (to is now): only
// the questions kept with their words are read, one at a time.
func readGroups(ctx context.Context, s *store.Store, base *knowledge.Base, from, _ time.Time) ([]bot.ReviewGroup, error) {
	r := learn.NewReview(base)
	err := s.Heard(ctx, from, r.Add)
	return r.Groups(), err
}

// deskFigures feeds the desk's stats page from s.
func deskFigures(s *store.Store, base func() *knowledge.Base) func(context.Context, int) (bot.Report, []bot.ReviewGroup, error) {
	return func(ctx context.Context, days int) (bot.Report, []bot.ReviewGroup, error) {
		from, to := period(days)
		kb := base()
		r, err := readFigures(ctx, s, kb, from, to)
		if err != nil {
			return r, nil, err
		}
		g, err := readGroups(ctx, s, kb, from, to)
		return r, g, err
	}
}

// review groups what signpost could not answer well and writes the
// suggestions file.
func (e env) review(ctx context.Context, days int, format, out string) int {
	from, to := period(days)
	groups, err := readKept(ctx, e, from, to, readGroups)
	if err != nil {
		fmt.Fprintln(e.stderr, "signpost review:", err)
		return 1
	}
	period := learn.Period(from, to)
	md := format == "markdown" || format == "md"
	if md {
		fmt.Fprintf(e.stdout, "# What signpost could not answer well, %s\n\n", period)
	} else {
		fmt.Fprintf(e.stdout, "What signpost could not answer well, %s:\n", period)
	}
	if len(groups) == 0 {
		fmt.Fprintln(e.stdout, "nothing: every question kept was answered, and no answer was voted unhelpful")
	}
	for i, g := range groups {
		var why []string
		for _, w := range slices.Sorted(maps.Keys(g.Why)) {
			why = append(why, fmt.Sprintf("%s %d", w, g.Why[w]))
		}
		var near []string
		for _, n := range g.Nearest {
			near = append(near, fmt.Sprintf("%s (%.2f)", n.ID, n.Score))
		}
		if md {
			fmt.Fprintf(e.stdout, "\n## %d. %d question(s): %s\n\n", i+1, g.Count, strings.Join(why, ", "))
			for _, ex := range g.Examples {
				fmt.Fprintf(e.stdout, "- %s\n", ex)
			}
			fmt.Fprintf(e.stdout, "\nClosest entries: %s\n", orDefault(strings.Join(near, ", "), "none"))
			continue
		}
		fmt.Fprintf(e.stdout, "\n%d. %d question(s) (%s); closest: %s\n", i+1, g.Count, strings.Join(why, ", "), orDefault(strings.Join(near, ", "), "none"))
		for _, ex := range g.Examples {
			fmt.Fprintf(e.stdout, "   - %s\n", ex)
		}
	}
	if len(groups) > 0 && out != "" && out != "-" {
		if err := os.WriteFile(out, []byte(learn.Suggestions(groups, period)), 0o644); err != nil {
			fmt.Fprintln(e.stderr, "signpost review:", err)
			return 1
		}
		fmt.Fprintf(e.stdout, "\nSuggestions written to %s: edit them, check them with `signpost kb check --suggestions %s`, and merge by hand.\n", out, out)
	}
	return 0
}

// stats prints the figures for the last days, as text or JSON.
func (e env) stats(ctx context.Context, days int, asJSON bool) int {
	from, to := period(days)
	r, err := readKept(ctx, e, from, to, readFigures)
	if err != nil {
		fmt.Fprintln(e.stderr, "signpost stats:", err)
		return 1
	}
	if asJSON {
		enc := json.NewEncoder(e.stdout)
		enc.SetIndent("", "  ")
		enc.Encode(struct {
			bot.Report
			AnsweredRate float64 `json:"answered_rate"`
			DeclinedRate float64 `json:"declined_rate"`
			HelpfulRate  float64 `json:"helpful_rate"`
		}{r, r.AnsweredRate(), r.DeclinedRate(), r.HelpfulRate()})
		return 0
	}
	w := e.stdout
	fmt.Fprintf(w, "signpost, %s\n\n", r.Period)
	fmt.Fprintf(w, "questions   %d\nanswered    %d (%.0f%%)\ndeclined    %d (%.0f%%)\nunanswered  %d (not sure)\nvotes       %d, %.0f%% helpful\n",
		r.Questions, r.Answered, 100*r.AnsweredRate(), r.Declined, 100*r.DeclinedRate(), r.Unanswered, r.Votes, 100*r.HelpfulRate())
	fmt.Fprintln(w, "\nby platform")
	for _, p := range slices.Sorted(maps.Keys(r.ByPlatform)) {
		fmt.Fprintf(w, "  %-10s %d\n", p, r.ByPlatform[p])
	}
	fmt.Fprintln(w, "\nby day")
	for _, d := range r.ByDay {
		fmt.Fprintf(w, "  %s  %d\n", d.Name, d.Count)
	}
	fmt.Fprintln(w, "\nentries asked about most (asked, helpful, not helpful)")
	for i, en := range r.Entries {
		if i == 15 {
			break
		}
		fmt.Fprintf(w, "  %4d %3d %3d  %s\n", en.Asked, en.Helpful, en.Unhelpful, en.Title)
	}
	return 0
}
