package main

import (
	"context"
	"errors"
	"fmt"
	"net"
	"os"
	"os/signal"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/bathnes/signpost/adapters"
	discordadapter "github.com/bathnes/signpost/adapters/discord"
	slackadapter "github.com/bathnes/signpost/adapters/slack"
	webadapter "github.com/bathnes/signpost/adapters/web"
	"github.com/bathnes/signpost/bot"
	"github.com/bathnes/signpost/internal/clip"
	"github.com/bathnes/signpost/internal/listen"
	"github.com/bathnes/signpost/knowledge"
	"github.com/bathnes/signpost/ops"
	"github.com/bathnes/signpost/store"
)

// adapter is what serve runs: anything that answers until ctx ends, says
// whether it can answer now, and how its queue of answers stands.
type adapter interface {
	Run(ctx context.Context) error
	Ready() bool
	Queued() int
	Dropped() int64
}

// platform is an adapter, how to name it to the operator, and its key in
// channel ids and metrics.
type platform struct {
	name, key string
	adapter
}

const noAdapters = `signpost serve: no chat platform is configured. Set, in the environment:
  Slack (Socket Mode):  SLACK_BOT_TOKEN (xoxb-…) and SLACK_APP_TOKEN (xapp-…)
  Slack (HTTP mode):    SLACK_BOT_TOKEN and SLACK_SIGNING_SECRET, with [slack] mode = "http" in config.toml
  Discord (gateway):    DISCORD_BOT_TOKEN and DISCORD_APP_ID
  Discord (HTTP mode):  DISCORD_BOT_TOKEN, DISCORD_APP_ID and DISCORD_PUBLIC_KEY, with [discord] mode = "http"
See the README for how to create the apps. To try signpost without a platform: signpost chat
`

// serve runs every enabled adapter until ctx ends or one of them fails,
// and reloads the knowledge base on SIGHUP.
func (e env) serve(ctx context.Context) int {
	b, ok := e.bot()
	if !ok {
		return 1
	}
	if err := e.bindAreas(b); err != nil {
		fmt.Fprintln(e.stderr, "signpost:", err)
		return 1
	}
	st, done := e.keeping(ctx, b)
	defer done()
	if !st.Shared() {
		// Shared areas live in the store; one process keeps its file.
		if err := e.keepAreas(b); err != nil {
			fmt.Fprintln(e.stderr, "signpost:", err)
			return 1
		}
	}
	metrics := ops.New()
	metrics.Entries(len(b.Base().Entries))
	e.answerFromDirectory(ctx, b, st, metrics)
	adapters, err := e.adapters(b, metrics, st)
	if err != nil {
		fmt.Fprintln(e.stderr, "signpost:", err)
		return 1
	}
	if len(adapters) == 0 {
		fmt.Fprint(e.stderr, noAdapters)
		return 2
	}
	if err := e.oneAddressEach(adapters); err != nil {
		fmt.Fprintln(e.stderr, "signpost serve:", err)
		return 2
	}

	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	hup := make(chan os.Signal, 1)
	signal.Notify(hup, syscall.SIGHUP)
	defer signal.Stop(hup)
	go e.reloadOn(ctx, hup, b, metrics)

	var wg sync.WaitGroup
	errs := make([]error, len(adapters)+1)
	if run := e.opsListener(metrics, adapters, b, st); run != nil {
		wg.Go(func() {
			if err := run(ctx); err != nil {
				errs[len(adapters)] = fmt.Errorf("ops: %w", err)
				cancel()
			}
		})
	}
	for i, a := range adapters {
		wg.Go(func() {
			errs[i] = a.Run(ctx)
			if errs[i] != nil {
				cancel() // one platform failing stops the rest: the operator must look
			}
		})
	}
	var names []string
	for _, p := range adapters {
		names = append(names, p.name)
	}
	// Said whatever the log level, so whoever started it knows it runs.
	fmt.Fprintf(e.stderr, "signpost: answering on %s from %d entries; Ctrl-C to stop\n", strings.Join(names, " and "), len(b.Base().Entries))
	wg.Wait()
	if err := errors.Join(errs...); err != nil {
		fmt.Fprintln(e.stderr, "signpost:", err)
		return 1
	}
	e.log.Info("stopped")
	return 0
}

// oneAddressEach refuses two listeners on one address, naming both keys:
// otherwise the second fails at start with "address already in use", and
// says nothing of which settings collide.
func (e env) oneAddressEach(adapters []platform) error {
	byAddr := map[string]string{}
	check := func(key, addr string) error {
		if addr == "" || strings.HasSuffix(addr, ":0") {
			return nil // no address, or one the system picks
		}
		if first, ok := byAddr[addr]; ok {
			return fmt.Errorf("%s and %s are both %s: give each its own address in config.toml", first, key, addr)
		}
		byAddr[addr] = key
		return nil
	}
	errs := []error{check("[ops] listen", e.cfg.Ops.Listen)}
	for _, p := range adapters {
		switch {
		case p.key == "slack" && e.cfg.Slack.Mode == "http":
			errs = append(errs, check("[slack] listen", e.cfg.Slack.Listen))
		case p.key == "discord" && e.cfg.Discord.Mode == "http":
			errs = append(errs, check("[discord] listen", e.cfg.Discord.Listen))
		case p.key == "web":
			errs = append(errs, check("[web] listen", orDefault(e.cfg.Web.Listen, webadapter.DefaultListen)))
		}
	}
	return errors.Join(errs...)
}

// adapters builds the adapters the configuration and environment enable.
// Secrets come from the environment only.
func (e env) adapters(b *bot.Bot, m *ops.Metrics, st *store.Store) ([]platform, error) {
	var out []platform
	delivery := adapters.Delivery{Queue: e.cfg.Serve.Queue, Workers: e.cfg.Serve.Workers,
		Grace: time.Duration(e.cfg.Serve.ShutdownGrace), Observer: m, Claims: claims(st)}
	sc := e.cfg.Slack
	if enabled(sc.Enabled, "SLACK_BOT_TOKEN") {
		a, err := slackadapter.New(slackadapter.Config{
			Mode:          sc.Mode,
			Listen:        sc.Listen,
			APIURL:        sc.APIURL,
			BotToken:      os.Getenv("SLACK_BOT_TOKEN"),
			AppToken:      os.Getenv("SLACK_APP_TOKEN"),
			SigningSecret: os.Getenv("SLACK_SIGNING_SECRET"),
			Delivery:      delivery,
		}, b, e.log)
		if err != nil {
			return nil, err
		}
		out = append(out, platform{"Slack (" + orDefault(sc.Mode, "socket") + " mode)", "slack", a})
	}
	dc := e.cfg.Discord
	if enabled(dc.Enabled, "DISCORD_BOT_TOKEN") {
		a, err := discordadapter.New(discordadapter.Config{
			Mode:      dc.Mode,
			Listen:    dc.Listen,
			APIURL:    dc.APIURL,
			GuildID:   dc.GuildID,
			Token:     os.Getenv("DISCORD_BOT_TOKEN"),
			AppID:     os.Getenv("DISCORD_APP_ID"),
			PublicKey: os.Getenv("DISCORD_PUBLIC_KEY"),
			Delivery:  delivery,
			Leader:    leader(st),
		}, b, e.log, nil)
		if err != nil {
			return nil, err
		}
		out = append(out, platform{"Discord (" + orDefault(dc.Mode, "gateway") + " mode)", "discord", a})
	}
	if e.cfg.Web.Enabled {
		a, err := e.desk(b, m, st, "")
		if err != nil {
			return nil, err
		}
		out = append(out, platform{"the web desk (http://" + orDefault(e.cfg.Web.Listen, webadapter.DefaultListen) + "/)", "web", a})
	}
	return out, nil
}

// What the adapters are handed implements what they ask for: the store
// claims requests and holds the gateway, the metrics observe answers.
var (
	_ slackadapter.Claimer    = (*store.Store)(nil)
	_ discordadapter.Claimer  = (*store.Store)(nil)
	_ discordadapter.Leader   = (*store.Store)(nil)
	_ slackadapter.Observer   = (*ops.Metrics)(nil)
	_ discordadapter.Observer = (*ops.Metrics)(nil)
	_ adapter                 = (*slackadapter.Adapter)(nil)
	_ adapter                 = (*discordadapter.Adapter)(nil)
	_ adapter                 = (*webadapter.Adapter)(nil)
)

// claims and leader are the shared store's, with replicas on PostgreSQL;
// otherwise each adapter decides in its own process (nil interfaces).
func claims(st *store.Store) slackadapter.Claimer {
	if !st.Shared() {
		return nil
	}
	return st
}

func leader(st *store.Store) discordadapter.Leader {
	if !st.Shared() {
		return nil
	}
	return st
}

// desk builds the staff desk; listen, when set, overrides [web] listen.
func (e env) desk(b *bot.Bot, m *ops.Metrics, st *store.Store, listen string) (*webadapter.Adapter, error) {
	cfg := webadapter.Config{Listen: orDefault(listen, e.cfg.Web.Listen)}
	if st != nil {
		cfg.Figures = deskFigures(st, b.Base)
	}
	if m != nil {
		cfg.Observer = m
	}
	if e.cfg.Web.Auth {
		if cfg.Token = os.Getenv("SIGNPOST_WEB_TOKEN"); cfg.Token == "" {
			return nil, errors.New("[web] auth = true: set SIGNPOST_WEB_TOKEN in the environment")
		}
	}
	return webadapter.New(cfg, b, e.log)
}

// web serves the staff desk alone, on the knowledge base in use, until
// ctx ends; it needs no tokens.
func (e env) web(ctx context.Context, listen string) int {
	b, ok := e.bot()
	if !ok {
		return 1
	}
	st, done := e.keeping(ctx, b)
	defer done()
	e.answerFromDirectory(ctx, b, st, nil)
	a, err := e.desk(b, nil, st, listen)
	if err != nil {
		fmt.Fprintln(e.stderr, "signpost:", err)
		return 1
	}
	// Listen here, so the address said is the real one (a port of 0 is
	// the system's choice).
	ln, err := net.Listen("tcp", orDefault(orDefault(listen, e.cfg.Web.Listen), webadapter.DefaultListen))
	if err != nil {
		fmt.Fprintln(e.stderr, "signpost: web:", err)
		return 1
	}
	a.Serve(ln)
	fmt.Fprintf(e.stderr, "signpost: the desk is at http://%s/ (%d entries); Ctrl-C to stop\n", ln.Addr(), len(b.Base().Entries))
	if err := a.Run(ctx); err != nil {
		fmt.Fprintln(e.stderr, "signpost:", err)
		return 1
	}
	return 0
}

// bindAreas binds the channels [areas] names to their places, with the
// keys the adapters use.
func (e env) bindAreas(b *bot.Bot) error {
	for _, p := range []struct {
		name  string
		m     map[string]string
		named func(string) string
	}{{"slack", e.cfg.Areas.Slack, slackadapter.Channel}, {"discord", e.cfg.Areas.Discord, discordadapter.Channel}} {
		for channel, place := range p.m {
			if err := b.Bind(p.named(channel), place); err != nil {
				return fmt.Errorf("[areas.%s]: %w", p.name, err)
			}
		}
	}
	return nil
}

// keepAreas binds the channels saved in [serve] areas_file, and saves
// every `area <place>` there from now on. A saved place the knowledge base
// no longer knows is skipped, with a warning.
func (e env) keepAreas(b *bot.Bot) error {
	path := e.cfg.Serve.AreasFile
	if path == "" {
		return nil
	}
	f, err := openAreaFile(path)
	if err != nil {
		return err
	}
	for channel, place := range f.m {
		if err := b.Bind(channel, place); err != nil {
			e.log.Warn("saved area skipped", "err", err)
		}
	}
	b.KeepAreas(f)
	e.log.Info("areas kept", "file", path, "channels", len(f.m))
	return nil
}

// enabled: an explicit setting wins; unset means on when the platform's
// token is in the environment.
func enabled(set *bool, tokenVar string) bool {
	if set != nil {
		return *set
	}
	return os.Getenv(tokenVar) != ""
}

// reloadOn reloads the knowledge base on each signal from hup (SIGHUP). A
// base that fails to load is logged and the bot keeps answering from the
// one it has.
func (e env) reloadOn(ctx context.Context, hup <-chan os.Signal, b *bot.Bot, m *ops.Metrics) {
	for {
		select {
		case <-ctx.Done():
			return
		case <-hup:
			if e.cfg.Knowledge.Path == "" {
				e.log.Warn("reload: the embedded knowledge base cannot change; set [knowledge] path to reload from files")
				continue
			}
			if err := b.Reload(e.base); err != nil {
				// One short line: a broken file's knock-on problems
				// would make it kilobytes. `signpost kb check` lists
				// them all.
				n, first := problems(err)
				e.log.Error("reload failed; still using the previous knowledge base", "problems", n, "first", first, "see", "signpost kb check")
				m.Reloaded(false, len(b.Base().Entries))
				continue
			}
			m.Reloaded(true, len(b.Base().Entries))
			e.log.Info("knowledge base reloaded", "entries", len(b.Base().Entries))
		}
	}
}

// problems counts a load error's problems and gives the first few, cut
// short, so a failed reload is one readable log line.
func problems(err error) (int, string) {
	var ps knowledge.Problems
	if !errors.As(err, &ps) {
		return 1, clip.Runes(err.Error(), 300)
	}
	var first []string
	for _, p := range ps[:min(3, len(ps))] {
		first = append(first, clip.Runes(p.Error(), 120))
	}
	return len(ps), strings.Join(first, "; ")
}

// opsListener is what serves [ops] listen: health, readiness (the base
// loaded and every platform connected) and the metrics of every adapter
// and the store; nil when no address is set.
func (e env) opsListener(metrics *ops.Metrics, adapters []platform, b *bot.Bot, st *store.Store) func(context.Context) error {
	addr := e.cfg.Ops.Listen
	if addr == "" {
		return nil
	}
	for _, p := range adapters {
		metrics.Watch(p.key, p.adapter)
	}
	watchStore(metrics, st)
	ready := func() bool {
		for _, p := range adapters {
			if !p.Ready() {
				return false
			}
		}
		return b.Base() != nil
	}
	return func(ctx context.Context) error {
		return listen.Serve(ctx, addr, nil, metrics.Handler(ready), e.log.With("listener", "ops"))
	}
}

// watchStore puts the store's spool and its losses on /metrics.
func watchStore(m *ops.Metrics, st *store.Store) {
	if st == nil {
		return
	}
	lost := map[string]func() int64{}
	for _, why := range store.Losses {
		lost[string(why)] = func() int64 { return st.NotKept(why) }
	}
	m.WatchStore(st.Spooled, lost)
}
