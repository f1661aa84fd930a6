package slack

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log"
	"strings"

	"github.com/bathnes/signpost/adapters/internal/backoff"
	"github.com/bathnes/signpost/adapters/internal/redact"
	"github.com/bathnes/signpost/bot"
	"github.com/slack-go/slack"
	"github.com/slack-go/slack/slackevents"
	"github.com/slack-go/slack/socketmode"
)

// runSocket answers over Socket Mode until ctx ends. slack-go reconnects by
// itself when the socket drops or goes quiet, and returns only when it
// cannot connect at all; a rejected token ends the adapter, anything else
// is retried with backoff.
func (a *Adapter) runSocket(ctx context.Context) error {
	sm := socketmode.New(a.api,
		socketmode.OptionPingInterval(a.ping),
		// slack-go's own logger prints payloads in debug mode; it stays
		// off, and quiet, so no message text reaches a log.
		socketmode.OptionLog(log.New(io.Discard, "", 0)))
	listen, stop := context.WithCancel(ctx)
	done := make(chan struct{})
	go func() {
		defer close(done)
		for {
			select {
			case <-listen.Done():
				return
			case ev := <-sm.Events:
				a.onSocketEvent(ctx, sm, ev)
			}
		}
	}()
	defer func() { stop(); <-done }()

	wait := backoff.Reconnect()
	for {
		err := sm.RunContext(ctx)
		if ctx.Err() != nil {
			return nil
		}
		if fatal(err) {
			return fmt.Errorf("slack socket mode: check SLACK_APP_TOKEN (an app-level token with connections:write): %w", err)
		}
		in := wait.Next()
		a.log.Warn("socket mode stopped; reconnecting", "err", err, "in", in)
		if !backoff.Sleep(ctx, in) {
			return nil
		}
	}
}

// fatal reports whether Slack refused the tokens, which no retry mends.
func fatal(err error) bool {
	if err == nil {
		return false
	}
	var se slack.SlackErrorResponse
	if errors.As(err, &se) {
		err = errors.New(se.Err)
	}
	switch err.Error() {
	case "invalid_auth", "account_inactive", "not_authed", "token_revoked", "not_allowed_token_type":
		return true
	}
	var sc slack.StatusCodeError
	return errors.As(err, &sc) && sc.Code == 404
}

// onSocketEvent acknowledges a Socket Mode request at once, before any
// work, then hands it on; connection news is logged.
func (a *Adapter) onSocketEvent(ctx context.Context, sm *socketmode.Client, ev socketmode.Event) {
	switch ev.Type {
	case socketmode.EventTypeConnected:
		a.ready.Store(true)
		a.log.Info("socket connected")
		return
	case socketmode.EventTypeConnectionError, socketmode.EventTypeDisconnect:
		a.ready.Store(false)
		a.cfg.Observer.Failed("slack", "connect")
		a.log.Warn("socket connection lost; retrying")
		return
	case socketmode.EventTypeInvalidAuth:
		a.log.Error("socket mode token rejected")
		return
	}
	if ev.Request == nil || ev.Request.EnvelopeID == "" {
		return
	}
	// A slash command is acknowledged once it is queued, or with a
	// "busy" reply in the acknowledgement when the queue is full.
	if cmd, ok := ev.Data.(slack.SlashCommand); ok {
		var payload any
		if a.seen.First(ev.Request.EnvelopeID) && a.seen.First("trigger:"+cmd.TriggerID) && !a.onCommand(ctx, cmd) {
			payload = map[string]string{"response_type": "ephemeral", "text": bot.Busy}
		}
		if err := sm.AckCtx(ctx, ev.Request.EnvelopeID, payload); err != nil {
			a.cfg.Observer.Failed("slack", "ack")
			a.log.Warn("ack failed", "err", redact.Error(err))
		}
		return
	}
	// An event is acknowledged only once its answer is queued: one the
	// queue cannot take is left unacknowledged, and Slack sends it again.
	if data, ok := ev.Data.(slackevents.EventsAPIEvent); ok {
		if !a.onEvent(ctx, data, ev.Request.EnvelopeID) {
			a.refused.Add()
			return
		}
	}
	if err := sm.AckCtx(ctx, ev.Request.EnvelopeID, nil); err != nil {
		a.log.Warn("ack failed", "err", redact.Error(err))
	}
	if data, ok := ev.Data.(slack.InteractionCallback); ok {
		if a.seen.First(ev.Request.EnvelopeID) && a.seen.First("trigger:"+data.TriggerID) {
			a.onAction(ctx, data)
		}
	}
}

// onEvent queues the answer to an Events API callback, and reports
// whether it could: false when the queue is full or closing, so the
// request is not acknowledged and Slack sends it again. The answer is
// given once however often Slack sends the event (retries carry the same
// event id): the claim is made by the worker, which may wait for a busy
// database without holding Slack's acknowledgement.
func (a *Adapter) onEvent(ctx context.Context, ev slackevents.EventsAPIEvent, envelope string) bool {
	id := envelope
	if cb, ok := ev.Data.(*slackevents.EventsAPICallbackEvent); ok && cb.EventID != "" {
		id = cb.EventID
	}
	switch e := ev.InnerEvent.Data.(type) {
	case *slackevents.AppMentionEvent:
		// A mention in a direct message also arrives as a message event,
		// which answers it.
		if e.BotID != "" || strings.HasPrefix(e.Channel, "D") {
			return true
		}
		return a.onMessage(id, message{channel: e.Channel, thread: orDefault(e.ThreadTimeStamp, e.TimeStamp), user: e.User, text: e.Text, via: "mention"})
	case *slackevents.MessageEvent:
		// Only new messages from people in direct messages: edits,
		// deletions, joins and bots' messages all carry a subtype or bot id.
		if e.ChannelType != "im" || e.SubType != "" || e.BotID != "" {
			return true
		}
		return a.onMessage(id, message{channel: e.Channel, thread: e.ThreadTimeStamp, user: e.User, text: e.Text, via: "dm"})
	}
	return true
}
