// Package discord answers on Discord servers: direct messages, messages
// that mention the bot, the /signpost slash command with autocomplete, and
// the buttons on its own answers. It connects to the gateway by default, or
// serves an HTTP interactions endpoint for hosted deployments.
package discord

import (
	"context"
	"encoding/hex"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/bathnes/signpost/adapters"
	"github.com/bathnes/signpost/adapters/internal/dedup"
	"github.com/bathnes/signpost/adapters/internal/observe"
	"github.com/bathnes/signpost/adapters/internal/queue"
	"github.com/bathnes/signpost/adapters/internal/tally"
	"github.com/bathnes/signpost/bot"
	"github.com/bathnes/signpost/internal/clip"
	"github.com/bwmarrin/discordgo"
)

// Config is the adapter's part of signpost's configuration. The token and
// public key come from the environment, never from config.toml.
type Config struct {
	// Mode is "gateway" (the default) or "http".
	Mode string
	// Listen is the interactions endpoint's address, in mode "http".
	Listen string
	// Listener, when set, is served on instead of Listen: tests hand
	// down one on 127.0.0.1:0. It is not read from config.toml.
	Listener net.Listener
	// APIURL is Discord's REST base; empty means Discord's own.
	APIURL string
	// GuildID registers /signpost on one server, where updates show at
	// once (for testing); empty registers it globally.
	GuildID string
	// Token is the bot token; AppID the application id; PublicKey (hex)
	// verifies HTTP interactions.
	Token     string
	AppID     string
	PublicKey string
	// Delivery is how answers are queued, sent and counted.
	adapters.Delivery
	// Leader, when set, elects which replica holds the gateway session:
	// Discord must not see two sessions for one shard.
	Leader Leader
}

// Observer is told of every answer sent and every failed call to
// Discord, with its outcome and time from arrival (ops.Metrics is one).
type Observer = observe.Observer

// Claimer decides, across replicas, which one answers a request: the
// first to claim its id (store.Store is one, on PostgreSQL).
type Claimer = dedup.Claimer

// Leader elects one replica to hold a named thing (the gateway session),
// blocking until this one does; lost closes if it stops holding it.
type Leader interface {
	Hold(ctx context.Context, name string) (lost <-chan struct{}, release func(), err error)
}

// Check reports what is missing for the configured mode, naming the
// environment variables to set.
func (c Config) Check() error {
	var missing []string
	need := func(v, name string) {
		if v == "" {
			missing = append(missing, name)
		}
	}
	need(c.Token, "DISCORD_BOT_TOKEN")
	need(c.AppID, "DISCORD_APP_ID")
	switch c.Mode {
	case "", "gateway":
	case "http":
		need(c.PublicKey, "DISCORD_PUBLIC_KEY")
		if c.Listen == "" && c.Listener == nil {
			return errors.New(`discord: mode "http" needs [discord] listen, e.g. "127.0.0.1:8081"`)
		}
	default:
		return fmt.Errorf(`discord: mode %q: want "gateway" or "http"`, c.Mode)
	}
	if len(missing) > 0 {
		return fmt.Errorf("discord: set %s in the environment", strings.Join(missing, ", "))
	}
	if c.PublicKey != "" {
		if k, err := hex.DecodeString(c.PublicKey); err != nil || len(k) != 32 {
			return errors.New("discord: DISCORD_PUBLIC_KEY must be the application's public key: 64 hex digits")
		}
	}
	if c.APIURL != "" {
		if u, err := url.Parse(c.APIURL); err != nil || u.Host == "" {
			return fmt.Errorf("discord: api_url %q is not a URL", c.APIURL)
		}
	}
	return nil
}

const (
	// deferAfter: Discord fails an interaction not answered in 3 seconds.
	// An answer not ready by then is deferred ("signpost is thinking…")
	// and the response edited when it is.
	deferAfter = 2 * time.Second
	// answerTimeout bounds one answer from its arrival to sent, long
	// enough to honour rate limits of up to maxWait (an interaction's
	// token lasts 15 minutes).
	answerTimeout = 90 * time.Second
	// retries is how often a send that Discord rate-limits is retried,
	// each after the retry_after Discord asks for.
	retries = 3
	// maxWait caps one rate-limit wait: a longer one gives up, counted.
	maxWait = time.Minute
)

// Adapter is a running Discord app.
type Adapter struct {
	cfg Config
	bot bot.Answerer
	log *slog.Logger
	s   *discordgo.Session

	// deferAfter is deferAfter; tests shorten it.
	deferAfter time.Duration

	mu   sync.Mutex
	self string // the bot's user id, from READY

	q *queue.Queue
	// seen answers each interaction id once: a signed request replayed
	// within its five minutes is not answered again.
	seen *dedup.Seen
	// rejected counts requests that failed verification, logged a line
	// a minute.
	rejected *tally.Tally
	// refused counts interactions answered "busy" because the queue could
	// not take their answer.
	refused *tally.Tally
	// ready is set once /signpost is registered and the endpoint listens
	// or the gateway is connected.
	ready atomic.Bool
	// standby is set while this replica waits to hold the gateway: it is
	// healthy, ready to take over.
	standby atomic.Bool
}

// drain stops answering: the queue's Drain, with this adapter's counts.
func (a *Adapter) drain() { a.q.Drain(a.cfg.Grace, a.rejected, a.refused) }

// Ready reports whether the adapter can answer.
func (a *Adapter) Ready() bool { return a.ready.Load() || a.standby.Load() }

// Queued is how many answers wait to be sent; Dropped how many were not
// sent because the queue was full or their deadline passed.
func (a *Adapter) Queued() int    { return a.q.Len() }
func (a *Adapter) Dropped() int64 { return a.q.Dropped() }

// Refused is how many interactions were answered "busy" because the queue
// could not take them: told so, not acknowledged and dropped.
func (a *Adapter) Refused() int64 { return a.refused.Total() }

// New returns an adapter for cfg; Run connects. client carries every REST
// call and the gateway lookup; nil means a default with a timeout.
func New(cfg Config, b bot.Answerer, log *slog.Logger, client *http.Client) (*Adapter, error) {
	if err := cfg.Check(); err != nil {
		return nil, err
	}
	s, err := discordgo.New("Bot " + cfg.Token)
	if err != nil {
		return nil, fmt.Errorf("discord: %w", err)
	}
	if client == nil {
		client = &http.Client{Timeout: 15 * time.Second}
	}
	if cfg.APIURL != "" {
		client = rewrite(client, cfg.APIURL)
	}
	s.Client = client
	// Rate limits are retried here, a bounded number of times, rather
	// than by discordgo, which retries for ever.
	s.ShouldRetryOnRateLimit = false
	// Reconnecting is Run's job, so a fatal close code can end it.
	s.ShouldReconnectOnError = false
	// Handlers run in order on the gateway's reader, so READY (which tells
	// the adapter its own id) is handled before any message; they only
	// hand work to spawn, so they never hold the reader up.
	s.SyncEvents = true
	s.Identify.Intents = discordgo.IntentsGuildMessages | discordgo.IntentsDirectMessages | discordgo.IntentMessageContent
	cfg.Queue, cfg.Workers, cfg.Grace = queue.Defaults(cfg.Queue, cfg.Workers, cfg.Grace)
	cfg.Observer = observe.Default(cfg.Observer)
	log = log.With("adapter", "discord")
	return &Adapter{cfg: cfg, bot: b, log: log, s: s, deferAfter: deferAfter,
		q:        queue.New(cfg.Workers, cfg.Queue, answerTimeout, log),
		seen:     dedup.For(cfg.Claims, "discord", log),
		rejected: tally.New(log, "rejected unverified requests", time.Minute),
		refused:  tally.New(log, "interactions answered busy: the answer queue was full or closing", time.Minute),
	}, nil
}

// rewrite sends requests for Discord's API to base instead, for a proxy
// or a test server. discordgo's endpoints are fixed when it starts, so the
// transport is the one place to change them.
func rewrite(c *http.Client, base string) *http.Client {
	to, _ := url.Parse(strings.TrimSuffix(base, "/"))
	from, _ := url.Parse(strings.TrimSuffix(discordgo.EndpointAPI, "/"))
	next := c.Transport
	if next == nil {
		next = http.DefaultTransport
	}
	cc := *c
	cc.Transport = roundTripFunc(func(r *http.Request) (*http.Response, error) {
		if r.URL.Host == from.Host && strings.HasPrefix(r.URL.Path, from.Path) {
			r = r.Clone(r.Context())
			r.URL.Scheme, r.URL.Host = to.Scheme, to.Host
			r.URL.Path = to.Path + strings.TrimPrefix(r.URL.Path, from.Path)
			r.URL.RawPath = ""
			r.Host = to.Host
		}
		return next.RoundTrip(r)
	})
	return &cc
}

type roundTripFunc func(*http.Request) (*http.Response, error)

func (f roundTripFunc) RoundTrip(r *http.Request) (*http.Response, error) { return f(r) }

// Run registers /signpost, connects and answers until ctx is cancelled,
// then waits for answers in flight. It returns an error only when it
// cannot go on: a rejected token, a refused registration, an address it
// cannot listen on.
func (a *Adapter) Run(ctx context.Context) error {
	// Deferred first, so it runs after the listener or the gateway has
	// stopped handing work over.
	defer a.drain()
	if err := a.register(ctx); err != nil {
		return err
	}
	defer a.ready.Store(false)
	if a.cfg.Mode == "http" {
		a.ready.Store(true)
		return a.serveHTTP(ctx)
	}
	return a.runGateway(ctx)
}

// register creates or updates /signpost: on one server when guild_id is
// set (instant), or globally.
func (a *Adapter) register(ctx context.Context) error {
	_, err := a.s.ApplicationCommandBulkOverwrite(a.cfg.AppID, a.cfg.GuildID, []*discordgo.ApplicationCommand{command()}, discordgo.WithContext(ctx))
	if err != nil {
		if ctx.Err() != nil {
			return nil
		}
		return fmt.Errorf("discord: register /signpost (check DISCORD_BOT_TOKEN and DISCORD_APP_ID): %w", err)
	}
	a.log.Info("registered /signpost", "guild", a.cfg.GuildID)
	return nil
}

// command is /signpost: a question that autocompletes entry titles, or
// one of the core's shortcuts to show. Its words are the core's.
func command() *discordgo.ApplicationCommand {
	var show []*discordgo.ApplicationCommandOptionChoice
	for _, c := range bot.Shortcuts() {
		show = append(show, &discordgo.ApplicationCommandOptionChoice{Name: clip.Runes(c.Shortcut, maxOptionLabel), Value: c.Name})
	}
	return &discordgo.ApplicationCommand{
		Name:        "signpost",
		Description: bot.Slash.About,
		Options: []*discordgo.ApplicationCommandOption{
			{
				Type: discordgo.ApplicationCommandOptionString, Name: "question",
				Description: bot.Slash.Question, Autocomplete: true, MaxLength: 1000,
			},
			{
				Type: discordgo.ApplicationCommandOptionString, Name: "show",
				Description: bot.Slash.Show, Choices: show,
			},
		},
	}
}

// spawn queues f; a full queue counts it as dropped.
func (a *Adapter) spawn(f func(ctx context.Context)) bool { return a.q.Add(f) }

// send calls Discord, waiting out rate limits a bounded number of times.
func (a *Adapter) send(ctx context.Context, what string, call func(opts ...discordgo.RequestOption) error) error {
	for attempt := 0; ; attempt++ {
		err := call(discordgo.WithContext(ctx), discordgo.WithRetryOnRatelimit(false))
		var rl *discordgo.RateLimitError
		if !errors.As(err, &rl) {
			return err
		}
		if attempt == retries || rl.RetryAfter > maxWait {
			a.log.Error("rate limited; gave up", "what", what, "attempts", attempt+1, "retry_after", rl.RetryAfter.String())
			return err
		}
		wait := rl.RetryAfter
		a.log.Warn("rate limited; waiting", "what", what, "wait", wait)
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(wait):
		}
	}
}

// Channel is how a Discord channel is named to the core, and in
// [areas.discord] and the areas file: cmd binds places with it, never by
// building keys.
func Channel(id string) string { return "discord:" + id }

// markup is Discord's: user, role and channel mentions (<@1>, <@!1>,
// <@&1>, <#1>), custom emoji (<:name:1>), @everyone and @here, which
// carry nothing to match.
var markup = regexp.MustCompile(`<(@[!&]?|#)\w+>|<a?:\w+:\d+>|@(everyone|here)\b`)

// answer asks the core. The keys it remembers conversations and channel
// areas by are one conversation per person per channel.
func (a *Adapter) answer(ctx context.Context, q, channel, user string) bot.Answer {
	ans, err := a.bot.Answer(ctx, bot.Question{Text: markup.ReplaceAllString(q, " "), Conversation: Channel(channel) + ":" + user, Channel: Channel(channel), Platform: "discord"})
	if err != nil {
		a.log.Error("answer failed", "err", err)
		return bot.Sorry()
	}
	return ans
}
