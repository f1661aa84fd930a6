package discord

import (
	"context"
	"errors"
	"github.com/bathnes/signpost/adapters/internal/redact"
	"strings"
	"time"

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
// Message Content intent.
func (a *Adapter) runGateway(ctx context.Context) error {
	dropped := make(chan struct{}, 1)
	a.s.AddHandler(func(_ *discordgo.Session, r *discordgo.Ready) {
		a.mu.Lock()
		a.self = r.User.ID
		a.mu.Unlock()
		a.ready.Store(true)
		a.log.Info("gateway ready", "guilds", len(r.Guilds))
	})
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
	a.s.AddHandler(func(_ *discordgo.Session, i *discordgo.InteractionCreate) {
		if !a.seen.First(i.ID) {
			return
		}
		a.spawn(func(ctx context.Context) {
			a.interact(ctx, i.Interaction, func(ctx context.Context, r *discordgo.InteractionResponse) error {
				return a.send(ctx, "interaction response", func(opts ...discordgo.RequestOption) error {
					return a.s.InteractionRespond(i.Interaction, r, opts...)
				})
			})
		})
	})

	// With replicas, one holds the gateway session; the others wait to
	// take over. lost fires when the holder loses its hold.
	var lost <-chan struct{}
	release := func() {}
	defer func() { release() }()
	hold := func() bool {
		if a.cfg.Leader == nil {
			return true
		}
		a.standby.Store(true)
		defer a.standby.Store(false)
		a.log.Info("waiting to hold the gateway session")
		l, r, err := a.cfg.Leader.Hold(ctx, gatewayLock)
		if err != nil {
			return false
		}
		lost, release = l, r
		a.log.Info("holding the gateway session")
		return true
	}
	if !hold() {
		return nil
	}
	wait := time.Second
	for {
		err := a.s.Open()
		if err == nil {
			wait = time.Second
			select {
			case <-ctx.Done():
				a.s.Close()
				return nil
			case <-dropped:
				a.log.Warn("gateway connection lost; resuming")
				continue
			case <-lost:
				// Another replica may hold it now: never two sessions.
				a.log.Warn("lost the hold on the gateway session; closing it")
				a.s.Close()
				a.ready.Store(false)
				release()
				if !hold() {
					return nil
				}
				continue
			}
		}
		var ce *websocket.CloseError
		if errors.As(err, &ce) {
			if ce.Code == 4014 && a.s.Identify.Intents&discordgo.IntentMessageContent != 0 {
				a.log.Error("gateway closed", "err", errContentIntent)
				a.s.Identify.Intents &^= discordgo.IntentMessageContent
				continue
			}
			if err, ok := fatalClose[ce.Code]; ok {
				return err
			}
		}
		if ctx.Err() != nil {
			return nil
		}
		a.log.Warn("gateway connection failed; retrying", "err", redact.Error(err), "in", wait)
		select {
		case <-ctx.Done():
			return nil
		case <-time.After(wait):
		}
		wait = min(2*wait, time.Minute)
	}
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
