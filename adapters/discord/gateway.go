package discord

import (
	"context"
	"errors"
	"strings"
	"time"

	"github.com/bathnes/signpost/adapters/internal/backoff"
	"github.com/bathnes/signpost/adapters/internal/redact"
	"github.com/bwmarrin/discordgo"
	"github.com/gorilla/websocket"
)

// gatewayLock names the hold on the gateway session among replicas: one
// shard, so one name.
const gatewayLock = "discord-gateway-shard-0"

// Gateway close codes that no reconnect mends.
var fatalClose = map[int]error{
	4004: errors.New("discord: Discord rejected DISCORD_BOT_TOKEN (close code 4004, authentication failed)"),
	4010: errors.New("discord: Discord refused the shard (close code 4010)"),
	4011: errors.New("discord: Discord requires sharding for this bot (close code 4011)"),
	4012: errors.New("discord: Discord refused the gateway version (close code 4012)"),
	4013: errors.New("discord: Discord refused the requested intents as invalid (close code 4013)"),
}

// errContentIntent is logged on close code 4014. signpost goes on without
// the intent: slash commands need none, and Discord still shows a bot the
// text of direct messages and of messages that mention it.
var errContentIntent = errors.New(`Discord refused the Message Content intent (close code 4014): switch on "Message Content Intent" under Bot → Privileged Gateway Intents in the Discord developer portal (https://discord.com/developers/applications), then restart signpost. Until then signpost connects without it: /signpost, direct messages and mentions still work.`)

// runGateway keeps a gateway connection open until ctx ends. A dropped
// connection is resumed with backoff; a fatal close code ends the adapter
// with an error saying what to fix; 4014 is retried once without the
// Message Content intent. With replicas, only the one holding the gateway
// session connects.
func (a *Adapter) runGateway(ctx context.Context) error {
	dropped := make(chan struct{}, 1)
	a.handleGateway(dropped)
	h := gatewayHold{release: func() {}}
	defer func() { h.release() }()
	if !a.hold(ctx, &h) {
		return nil
	}
	wait := backoff.Reconnect()
	for {
		err := a.s.Open()
		if err == nil {
			wait.Reset()
			if !a.connected(ctx, dropped, &h) {
				return nil
			}
			continue
		}
		again, fatal := a.refusedOpen(err)
		switch {
		case again:
			continue
		case fatal != nil:
			return fatal
		case !a.retry(ctx, err, wait.Next()):
			return nil
		}
	}
}

// handleGateway routes the gateway's events: READY and RESUMED make the
// adapter ready, a disconnect is told on dropped, and messages and
// interactions are answered.
func (a *Adapter) handleGateway(dropped chan<- struct{}) {
	a.s.AddHandler(a.onReady)
	a.s.AddHandler(func(_ *discordgo.Session, _ *discordgo.Resumed) { a.ready.Store(true); a.log.Info("gateway resumed") })
	a.s.AddHandler(func(_ *discordgo.Session, _ *discordgo.Disconnect) {
		a.ready.Store(false)
		a.cfg.Observer.Failed("discord", "connect")
		select {
		case dropped <- struct{}{}:
		default:
		}
	})
	a.s.AddHandler(func(_ *discordgo.Session, m *discordgo.MessageCreate) { a.onMessage(m.Message) })
	a.s.AddHandler(func(_ *discordgo.Session, i *discordgo.InteractionCreate) { a.onInteraction(i.Interaction) })
}

// onReady learns the bot's own id, so that it never answers itself.
func (a *Adapter) onReady(_ *discordgo.Session, r *discordgo.Ready) {
	a.mu.Lock()
	a.self = r.User.ID
	a.mu.Unlock()
	a.ready.Store(true)
	a.log.Info("gateway ready", "guilds", len(r.Guilds))
}

// onInteraction answers an interaction the gateway delivers, once,
// responding over REST.
func (a *Adapter) onInteraction(i *discordgo.Interaction) {
	if !a.seen.First(i.ID) {
		return
	}
	a.spawn(func(ctx context.Context) {
		a.interact(ctx, i, func(ctx context.Context, r *discordgo.InteractionResponse) error {
			return a.send(ctx, "interaction response", func(opts ...discordgo.RequestOption) error {
				return a.s.InteractionRespond(i, r, opts...)
			})
		})
	})
}

// gatewayHold is this replica's hold on the gateway session. Without a
// Leader (one replica) it is always held: lost is nil and never fires,
// release does nothing.
type gatewayHold struct {
	lost    <-chan struct{}
	release func()
}

// hold waits until this replica holds the gateway session, reporting it
// healthy (standby) while it waits to take over. false: ctx ended first.
func (a *Adapter) hold(ctx context.Context, h *gatewayHold) bool {
	if a.cfg.Leader == nil {
		return true
	}
	a.standby.Store(true)
	defer a.standby.Store(false)
	a.log.Info("waiting to hold the gateway session")
	lost, release, err := a.cfg.Leader.Hold(ctx, gatewayLock)
	if err != nil {
		return false
	}
	h.lost, h.release = lost, release
	a.log.Info("holding the gateway session")
	return true
}

// connected waits while the gateway is open. It reports whether to open
// it again: after a dropped connection (resumed), or after the hold was
// lost and taken again; not once ctx ends or the hold cannot be taken.
func (a *Adapter) connected(ctx context.Context, dropped <-chan struct{}, h *gatewayHold) bool {
	select {
	case <-ctx.Done():
		a.s.Close()
		return false
	case <-dropped:
		a.log.Warn("gateway connection lost; resuming")
		return true
	case <-h.lost:
		// Another replica may hold it now: never two sessions.
		a.log.Warn("lost the hold on the gateway session; closing it")
		a.s.Close()
		a.ready.Store(false)
		h.release()
		return a.hold(ctx, h)
	}
}

// refusedOpen reads the close code Discord refused a connection with:
// again when it is worth retrying at once (4014: once, without the
// Message Content intent), or the error that ends the adapter when no
// reconnect mends it. Neither: retry after a wait.
func (a *Adapter) refusedOpen(err error) (again bool, fatal error) {
	var ce *websocket.CloseError
	if !errors.As(err, &ce) {
		return false, nil
	}
	if ce.Code == 4014 && a.s.Identify.Intents&discordgo.IntentMessageContent != 0 {
		a.log.Error("gateway closed", "err", errContentIntent)
		a.s.Identify.Intents &^= discordgo.IntentMessageContent
		return true, nil
	}
	return false, fatalClose[ce.Code]
}

// retry logs a failed connection and waits before the next attempt; false
// when ctx ends first.
func (a *Adapter) retry(ctx context.Context, err error, wait time.Duration) bool {
	if ctx.Err() != nil {
		return false
	}
	a.log.Warn("gateway connection failed; retrying", "err", redact.Error(err), "in", wait)
	return backoff.Sleep(ctx, wait)
}

// onMessage answers a direct message, or a server message that mentions
// the bot, with a reply to it. Bots' messages, its own included, are
// ignored so two bots never talk in a loop.
func (a *Adapter) onMessage(m *discordgo.Message) {
	a.mu.Lock()
	self := a.self
	a.mu.Unlock()
	if m.Author == nil || m.Author.Bot || m.Author.ID == self || self == "" {
		return
	}
	if m.GuildID != "" && !mentions(m, self) {
		return
	}
	via := "mention"
	if m.GuildID == "" {
		via = "dm"
	}
	arrived := time.Now()
	a.spawn(func(ctx context.Context) {
		ans := a.answer(ctx, m.Content, m.ChannelID, m.Author.ID)
		r := render(ans.Reply())
		ref := m.Reference()
		noFail := false
		ref.FailIfNotExists = &noFail // the question was deleted: answer anyway
		msg := &discordgo.MessageSend{Embeds: r.Embeds, Components: r.Components, Reference: ref, AllowedMentions: noPings()}
		err := a.send(ctx, "message", func(opts ...discordgo.RequestOption) error {
			_, err := a.s.ChannelMessageSendComplex(m.ChannelID, msg, opts...)
			return err
		})
		if err != nil {
			a.log.Error("send failed", "via", via, "channel", m.ChannelID, "err", redact.Error(err))
			a.cfg.Observer.Failed("discord", "send")
			return
		}
		a.cfg.Observer.Answered("discord", ans.Outcome(), time.Since(arrived))
		a.log.Info("answered", "via", via, "channel", m.ChannelID, "kind", ans.Kind, "confidence", ans.Confidence)
	})
}

func mentions(m *discordgo.Message, self string) bool {
	for _, u := range m.Mentions {
		if u != nil && u.ID == self {
			return true
		}
	}
	// A mention Discord did not resolve into Mentions (rare): check the text.
	return strings.Contains(m.Content, "<@"+self+">") || strings.Contains(m.Content, "<@!"+self+">")
}
