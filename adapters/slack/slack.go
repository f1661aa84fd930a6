// Package slack answers in Slack workspaces: direct messages, @mentions
// (answered in a thread), the /signpost slash command and the buttons on
// its own answers. It connects over Socket Mode by default, which needs no
// public URL, or serves the HTTP Events API for hosted deployments.
package slack

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"regexp"
	"strings"
	"sync/atomic"
	"time"

	"github.com/bathnes/signpost/adapters"
	"github.com/bathnes/signpost/adapters/internal/dedup"
	"github.com/bathnes/signpost/adapters/internal/observe"
	"github.com/bathnes/signpost/adapters/internal/queue"
	"github.com/bathnes/signpost/adapters/internal/redact"
	"github.com/bathnes/signpost/adapters/internal/tally"
	"github.com/bathnes/signpost/bot"
	"github.com/slack-go/slack"
)

// Config is the adapter's part of signpost's configuration. Tokens and the
// signing secret come from the environment, never from config.toml.
type Config struct {
	// Mode is "socket" (the default) or "http".
	Mode string
	// Listen is the address the HTTP Events API endpoint serves on.
	Listen string
	// Listener, when set, is served on instead of Listen: tests hand
	// down one on 127.0.0.1:0. It is not read from config.toml.
	Listener net.Listener
	// APIURL is Slack's Web API base; empty means Slack's own.
	APIURL string
	// BotToken (xoxb-…) posts answers; AppToken (xapp-…) opens the Socket
	// Mode connection; SigningSecret verifies HTTP requests.
	BotToken      string
	AppToken      string
	SigningSecret string
	// Delivery is how answers are queued, sent and counted.
	adapters.Delivery
}

// Observer is told of every answer sent and every failed call to Slack,
// with its outcome and time from arrival (ops.Metrics is one).
type Observer = observe.Observer

// Claimer decides, across replicas, which one answers a request: the
// first to claim its id (store.Store is one, on PostgreSQL).
type Claimer = dedup.Claimer

// Check reports what is missing for the configured mode, naming the
// environment variables to set.
func (c Config) Check() error {
	var missing []string
	need := func(v, name string) {
		if v == "" {
			missing = append(missing, name)
		}
	}
	need(c.BotToken, "SLACK_BOT_TOKEN")
	switch c.Mode {
	case "", "socket":
		need(c.AppToken, "SLACK_APP_TOKEN")
	case "http":
		need(c.SigningSecret, "SLACK_SIGNING_SECRET")
		if c.Listen == "" && c.Listener == nil {
			return errors.New(`slack: mode "http" needs [slack] listen, e.g. "127.0.0.1:8080"`)
		}
	default:
		return fmt.Errorf(`slack: mode %q: want "socket" or "http"`, c.Mode)
	}
	if len(missing) > 0 {
		return fmt.Errorf("slack: set %s in the environment", strings.Join(missing, " and "))
	}
	return nil
}

// Timings. Slack wants an acknowledgement within 3 seconds; the core answers
// in microseconds, so the limits below guard against a slow Web API only.
const (
	// answerTimeout bounds an answer from acknowledgement to sent: long
	// enough to honour a Retry-After of up to a minute (maxRetryAfter).
	answerTimeout = 90 * time.Second
	maxRetryAfter = time.Minute
	// retries is how often a send that Slack rate-limits is retried, each
	// after the Retry-After Slack asks for.
	retries = 3
)

// Adapter is a running Slack app.
type Adapter struct {
	cfg  Config
	bot  bot.Answerer
	log  *slog.Logger
	api  *slack.Client
	http *http.Client
	seen *dedup.Seen
	// self is the bot's own user id, learned from auth.test, so it never
	// answers itself.
	self string
	q    *queue.Queue
	// rejected counts requests that failed verification, logged a line a
	// minute, not a line each.
	rejected *tally.Tally
	// refused counts events not acknowledged because the queue could not
	// take them.
	refused *tally.Tally
	// ready is set once Slack accepted the token and the adapter listens
	// or its socket is connected.
	ready atomic.Bool
	// ping is how long the socket may go without a ping from Slack before
	// it counts as dead and is reopened.
	ping time.Duration
}

// New returns an adapter for cfg. It checks the configuration but does not
// connect: Run does.
func New(cfg Config, b bot.Answerer, log *slog.Logger) (*Adapter, error) {
	if err := cfg.Check(); err != nil {
		return nil, err
	}
	hc := &http.Client{Timeout: 15 * time.Second}
	opts := []slack.Option{slack.OptionHTTPClient(hc)}
	if cfg.APIURL != "" {
		// slack-go joins method names onto the base without a separator.
		opts = append(opts, slack.OptionAPIURL(strings.TrimSuffix(cfg.APIURL, "/")+"/"))
	}
	if cfg.AppToken != "" {
		opts = append(opts, slack.OptionAppLevelToken(cfg.AppToken))
	}
	rc := slack.DefaultRetryConfig()
	rc.MaxRetries = retries
	opts = append(opts, slack.OptionRetryConfig(rc)) // after the client, so it wraps it
	cfg.Queue, cfg.Workers, cfg.Grace = queue.Defaults(cfg.Queue, cfg.Workers, cfg.Grace)
	cfg.Observer = observe.Default(cfg.Observer)
	log = log.With("adapter", "slack")
	return &Adapter{
		cfg:      cfg,
		bot:      b,
		log:      log,
		api:      slack.New(cfg.BotToken, opts...),
		http:     hc,
		seen:     dedup.For(cfg.Claims, "slack", log),
		q:        queue.New(cfg.Workers, cfg.Queue, answerTimeout, log),
		rejected: tally.New(log, "rejected unverified requests", time.Minute),
		refused:  tally.New(log, "refused events: the answer queue was full or closing (Slack sends them again)", time.Minute),
		ping:     30 * time.Second,
	}, nil
}

// Run connects to Slack and answers until ctx is cancelled, then waits for
// answers in flight. It returns an error only when it cannot go on: a
// rejected token, or an address it cannot listen on.
func (a *Adapter) Run(ctx context.Context) error {
	// Deferred first, so it runs after the listener or the socket has
	// stopped handing work over.
	defer a.drain()
	auth, err := a.api.AuthTestContext(ctx)
	if err != nil {
		if ctx.Err() != nil {
			return nil
		}
		return fmt.Errorf("slack: check SLACK_BOT_TOKEN: %w", err)
	}
	a.self = auth.UserID
	a.log.Info("connected", "team", auth.TeamID, "mode", orDefault(a.cfg.Mode, "socket"))
	if a.cfg.Mode == "http" {
		a.ready.Store(true)
		defer a.ready.Store(false)
		return a.serveHTTP(ctx)
	}
	return a.runSocket(ctx)
}

// drain stops answering: the queue's Drain, with this adapter's counts.
func (a *Adapter) drain() { a.q.Drain(a.cfg.Grace, a.rejected, a.refused) }

// Ready reports whether the adapter can answer: the token accepted and the
// endpoint listening, or the socket connected.
func (a *Adapter) Ready() bool { return a.ready.Load() }

// Queued is how many answers wait to be sent; Dropped how many were not
// sent because the queue was full or their deadline passed.
func (a *Adapter) Queued() int    { return a.q.Len() }
func (a *Adapter) Dropped() int64 { return a.q.Dropped() }

// Refused is how many events were not acknowledged because the queue could
// not take them: Slack sends them again.
func (a *Adapter) Refused() int64 { return a.refused.Total() }

// message is a chat message to answer, whatever way it arrived.
type message struct {
	channel, thread, user, text, via string
}

// onMessage queues the answer to a direct message or a mention, the
// event id claimed first, and reports whether the queue took it. Messages
// from bots, signpost's own included, are ignored so two bots never talk
// in a loop.
func (a *Adapter) onMessage(id string, m message) bool {
	if m.user == "" || m.user == a.self {
		return true
	}
	arrived := time.Now()
	return a.q.Add(func(ctx context.Context) {
		if !a.seen.First(id) {
			a.log.Debug("duplicate event ignored")
			return
		}
		ans, err := a.bot.Answer(ctx, question(m.text, m.channel, m.user))
		if err != nil {
			a.log.Error("answer failed", "via", m.via, "channel", m.channel, "err", err)
			ans = bot.Sorry()
		}
		blocks, text := render(ans.Reply(), "")
		opts := []slack.MsgOption{slack.MsgOptionBlocks(blocks...), slack.MsgOptionText(text, true), slack.MsgOptionDisableLinkUnfurl()}
		if m.thread != "" {
			opts = append(opts, slack.MsgOptionTS(m.thread))
		}
		if _, _, err := a.api.PostMessageContext(ctx, m.channel, opts...); err != nil {
			a.log.Error("send failed", "via", m.via, "channel", m.channel, "err", redact.Error(err))
			a.cfg.Observer.Failed("slack", "send")
			return
		}
		a.cfg.Observer.Answered("slack", ans.Outcome(), time.Since(arrived))
		a.log.Info("answered", "via", m.via, "channel", m.channel, "kind", ans.Kind, "confidence", ans.Confidence)
	})
}

// onCommand answers /signpost, privately, through the command's
// response_url: unlike chat.postEphemeral it works in channels the bot has
// not joined and in other people's direct messages.
// It reports whether the answer was queued: when the queue is full, the
// caller tells the asker signpost is busy, in the acknowledgement.
func (a *Adapter) onCommand(ctx context.Context, c slack.SlashCommand) bool {
	text := strings.TrimSpace(c.Text)
	arrived := time.Now()
	return a.q.Add(func(ctx context.Context) {
		q := text
		if q == "" {
			q = "help"
		}
		ans, err := a.bot.Answer(ctx, question(q, c.ChannelID, c.UserID))
		if err != nil {
			a.log.Error("answer failed", "via", "command", "channel", c.ChannelID, "err", err)
			ans = bot.Sorry()
		}
		a.respond(ctx, c.ResponseURL, c.ChannelID, ans, text, false, arrived)
	})
}

// onAction answers a click on one of signpost's buttons or menus by
// replacing the message it was on with the entry clicked.
func (a *Adapter) onAction(ctx context.Context, cb slack.InteractionCallback) {
	if cb.Type != slack.InteractionTypeBlockActions || len(cb.ActionCallback.BlockActions) == 0 {
		return
	}
	act := cb.ActionCallback.BlockActions[0]
	value := act.Value
	if act.SelectedOption.Value != "" {
		value = act.SelectedOption.Value
	}
	text := clicked(act.ActionID, value)
	if value == "" || text == "" {
		return
	}
	arrived := time.Now()
	a.q.Add(func(ctx context.Context) {
		ans, err := a.bot.Answer(ctx, question(text, cb.Channel.ID, cb.User.ID))
		if err != nil {
			// A click that fails gets a word back, privately, and
			// leaves the message it was on as it was.
			a.log.Error("answer failed", "via", "button", "channel", cb.Channel.ID, "err", err)
			a.respond(ctx, cb.ResponseURL, cb.Channel.ID, bot.Sorry(), "", false, arrived)
			return
		}
		// An acknowledgement (a vote's thanks) goes beside the message
		// it is about; anything else takes the message's place.
		a.respond(ctx, cb.ResponseURL, cb.Channel.ID, ans, "", !ans.Ack, arrived)
	})
}

// question is a message without Slack's markup, with the keys the core
// remembers conversations and channel areas by: one conversation per
// person per channel.
func question(text, channel, user string) bot.Question {
	return bot.Question{Text: plainText(text), Conversation: Channel(channel) + ":" + user, Channel: Channel(channel), Platform: "slack"}
}

// Channel is how a Slack channel is named to the core, and in [areas.slack]
// and the areas file: cmd binds places with it, never by building keys.
func Channel(id string) string { return "slack:" + id }

// markup is Slack's: mentions and channel links (<@U1>, <#C1|general>,
// <!here>) and emoji codes (:tada:), which carry nothing to match.
var markup = regexp.MustCompile(`<[@#!][^>\s]*>|:[a-z0-9_+\-]+:`)

// unescape undoes the three escapes Slack puts in message text.
var unescape = strings.NewReplacer("&lt;", "<", "&gt;", ">", "&amp;", "&")

// plainText is a message as the person typed it, less Slack's markup.
func plainText(s string) string {
	return unescape.Replace(markup.ReplaceAllString(s, " "))
}

// respond sends an ephemeral answer, or replaces the message a button was
// on, through a response_url. asked is echoed above it.
func (a *Adapter) respond(ctx context.Context, url, channel string, ans bot.Answer, asked string, replace bool, arrived time.Time) {
	if url == "" {
		a.log.Warn("no response_url to answer on", "channel", channel)
		return
	}
	blocks, text := render(ans.Reply(), asked)
	msg := &slack.WebhookMessage{
		Text:            esc(text),
		Blocks:          &slack.Blocks{BlockSet: blocks},
		ResponseType:    slack.ResponseTypeEphemeral,
		ReplaceOriginal: replace,
	}
	if err := slack.PostWebhookCustomHTTPContext(ctx, url, a.http, msg); err != nil {
		// The response_url is a credential: only its host is logged.
		a.log.Error("send failed", "via", "response_url", "channel", channel, "err", redact.Error(err))
		a.cfg.Observer.Failed("slack", "send")
		return
	}
	a.cfg.Observer.Answered("slack", ans.Outcome(), time.Since(arrived))
	a.log.Info("answered", "via", "response_url", "channel", channel, "kind", ans.Kind, "confidence", ans.Confidence)
}

func orDefault(s, def string) string {
	if s == "" {
		return def
	}
	return s
}
