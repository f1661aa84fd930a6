package discord

import (
	"context"
	"strings"
	"time"

	"github.com/bathnes/signpost/adapters/internal/redact"
	"github.com/bathnes/signpost/bot"
	"github.com/bathnes/signpost/internal/clip"
	"github.com/bwmarrin/discordgo"
)

// respondFunc sends the first response to an interaction: over REST for
// the gateway, in the HTTP response for the interactions endpoint.
type respondFunc func(ctx context.Context, r *discordgo.InteractionResponse) error

// interact answers an interaction: autocomplete, /signpost, or a click on
// one of signpost's buttons or menus.
func (a *Adapter) interact(ctx context.Context, i *discordgo.Interaction, respond respondFunc) {
	switch i.Type {
	case discordgo.InteractionApplicationCommandAutocomplete:
		var typed string
		for _, o := range i.ApplicationCommandData().Options {
			if o.Focused {
				typed, _ = o.Value.(string)
			}
		}
		var choices []*discordgo.ApplicationCommandOptionChoice
		for _, s := range a.bot.Suggest(typed, maxChoices) {
			// Picking a suggestion opens that entry directly.
			choices = append(choices, &discordgo.ApplicationCommandOptionChoice{Name: clip.Runes(s.Title, maxOptionLabel), Value: bot.About(s.ID)})
		}
		if err := respond(ctx, &discordgo.InteractionResponse{
			Type: discordgo.InteractionApplicationCommandAutocompleteResult,
			Data: &discordgo.InteractionResponseData{Choices: choices},
		}); err != nil {
			a.log.Warn("autocomplete failed", "err", redact.Error(err))
		}
	case discordgo.InteractionApplicationCommand:
		q := ""
		for _, o := range i.ApplicationCommandData().Options {
			if v, ok := o.Value.(string); ok && strings.TrimSpace(v) != "" {
				q = v // "show" is listed after "question" and wins if both are given
			}
		}
		if q == "" {
			q = "help"
		}
		a.reply(ctx, i, respond, q, false)
	case discordgo.InteractionMessageComponent:
		if q := clicked(i.MessageComponentData()); q != "" {
			a.reply(ctx, i, respond, q, true)
		}
	}
}

// reply answers q within Discord's 3 seconds: at once if the answer is
// ready within deferAfter, otherwise by deferring and then editing the
// response. update replaces the message a button was on.
func (a *Adapter) reply(ctx context.Context, i *discordgo.Interaction, respond respondFunc, q string, update bool) {
	arrived := time.Now()
	done := make(chan bot.Answer, 1)
	go func() {
		// Not tied to ctx: a deferred answer outlives the HTTP request
		// that asked for it.
		actx, cancel := context.WithTimeout(context.WithoutCancel(ctx), answerTimeout)
		defer cancel()
		done <- a.answer(actx, q, i.ChannelID, userID(i))
	}()
	t := time.NewTimer(a.deferAfter)
	defer t.Stop()
	select {
	case ans := <-done:
		r := render(ans.Reply())
		typ, flags := discordgo.InteractionResponseChannelMessageWithSource, discordgo.MessageFlagsEphemeral
		// An acknowledgement (a vote's thanks) goes beside the message it
		// is about, to the voter alone; anything else replaces it.
		if update && !ans.Ack {
			typ, flags = discordgo.InteractionResponseUpdateMessage, 0
		}
		err := respond(ctx, &discordgo.InteractionResponse{Type: typ, Data: &discordgo.InteractionResponseData{
			Embeds: r.Embeds, Components: r.Components, AllowedMentions: noPings(), Flags: flags,
		}})
		a.logSent(i, "interaction", ans, err, arrived)
		return
	case <-t.C:
	}
	// The edit is queued before the deferral is sent: a deferral the
	// queue could not follow with an answer would be acknowledged and
	// lost. A full or closing queue gets "busy" in the response instead.
	deferred := make(chan bool, 1)
	queued := a.spawn(func(ctx context.Context) {
		select {
		case ok := <-deferred:
			if !ok {
				return
			}
		case <-ctx.Done():
			return
		}
		var ans bot.Answer
		select {
		case ans = <-done:
		case <-ctx.Done():
			a.log.Error("answer timed out", "channel", i.ChannelID)
			return
		}
		r := render(ans.Reply())
		err := a.send(ctx, "edit", func(opts ...discordgo.RequestOption) error {
			_, err := a.s.InteractionResponseEdit(i, &discordgo.WebhookEdit{Embeds: &r.Embeds, Components: &r.Components, AllowedMentions: noPings()}, opts...)
			return err
		})
		a.logSent(i, "edit", ans, err, arrived)
	})
	if !queued {
		a.refused.Add()
		err := respond(ctx, &discordgo.InteractionResponse{Type: discordgo.InteractionResponseChannelMessageWithSource,
			Data: &discordgo.InteractionResponseData{Content: bot.Busy, Flags: discordgo.MessageFlagsEphemeral, AllowedMentions: noPings()}})
		if err != nil {
			a.log.Error("busy reply failed", "channel", i.ChannelID, "err", redact.Error(err))
		}
		return
	}
	typ, data := discordgo.InteractionResponseDeferredChannelMessageWithSource, &discordgo.InteractionResponseData{Flags: discordgo.MessageFlagsEphemeral, AllowedMentions: noPings()}
	if update {
		typ, data = discordgo.InteractionResponseDeferredMessageUpdate, nil
	}
	if err := respond(ctx, &discordgo.InteractionResponse{Type: typ, Data: data}); err != nil {
		a.log.Error("defer failed", "channel", i.ChannelID, "err", redact.Error(err))
		deferred <- false
		return
	}
	deferred <- true
	a.log.Info("deferred", "channel", i.ChannelID)
}

// userID is who sent an interaction: a member in a server, a user in a
// direct message.
func userID(i *discordgo.Interaction) string {
	switch {
	case i.Member != nil && i.Member.User != nil:
		return i.Member.User.ID
	case i.User != nil:
		return i.User.ID
	}
	return ""
}

func (a *Adapter) logSent(i *discordgo.Interaction, via string, ans bot.Answer, err error, arrived time.Time) {
	if err != nil {
		a.cfg.Observer.Failed("discord", "send")
		// The error may hold the interaction's token in a URL: only
		// the host is logged.
		a.log.Error("send failed", "via", via, "channel", i.ChannelID, "err", redact.Error(err))
		return
	}
	a.cfg.Observer.Answered("discord", ans.Outcome(), time.Since(arrived))
	a.log.Info("answered", "via", via, "channel", i.ChannelID, "kind", ans.Kind, "confidence", ans.Confidence)
}
