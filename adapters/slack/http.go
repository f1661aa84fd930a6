package slack

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"
	"time"

	"github.com/bathnes/signpost/adapters/internal/verify"
	"github.com/bathnes/signpost/bot"
	"github.com/bathnes/signpost/internal/listen"

	"github.com/slack-go/slack"
	"github.com/slack-go/slack/slackevents"
)

// serveHTTP serves the Events API endpoints on cfg.Listen until ctx ends.
func (a *Adapter) serveHTTP(ctx context.Context) error {
	if err := listen.Serve(ctx, a.cfg.Listen, a.cfg.Listener, a.handler(ctx), a.log); err != nil {
		return fmt.Errorf("slack: %w", err)
	}
	return nil
}

// handler routes Slack's three request kinds. Each is verified, then
// acknowledged with 200 once its answer is queued, before any answering
// starts.
func (a *Adapter) handler(ctx context.Context) http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("POST /slack/events", a.verified(a.events(ctx)))
	mux.HandleFunc("POST /slack/commands", a.verified(parsed(slack.SlashCommandParse, "command", a.command(ctx))))
	mux.HandleFunc("POST /slack/interactive", a.verified(parsed(slack.InteractionCallbackParse, "payload", a.interactive(ctx))))
	return mux
}

// events answers the Events API: the URL check when the app is set up,
// then callbacks (messages, mentions).
func (a *Adapter) events(ctx context.Context) func(http.ResponseWriter, *http.Request, []byte) {
	return func(w http.ResponseWriter, r *http.Request, body []byte) {
		ev, err := slackevents.ParseEvent(body, slackevents.OptionNoVerifyToken())
		if err != nil {
			http.Error(w, "bad event", http.StatusBadRequest)
			return
		}
		if ev.Type == slackevents.URLVerification {
			var ch slackevents.ChallengeResponse
			if err := json.Unmarshal(body, &ch); err != nil {
				http.Error(w, "bad challenge", http.StatusBadRequest)
				return
			}
			w.Header().Set("Content-Type", "text/plain")
			io.WriteString(w, ch.Challenge)
			return
		}
		// 200 only once the answer is queued: an event the queue cannot
		// take gets 503, and Slack sends it again (X-Slack-Retry-Num).
		if ev.Type == slackevents.CallbackEvent && !a.onEvent(ctx, ev, "") {
			a.refused.Add()
			http.Error(w, "busy", http.StatusServiceUnavailable)
			return
		}
		w.WriteHeader(http.StatusOK)
	}
}

// command answers /signpost, once per trigger.
func (a *Adapter) command(ctx context.Context) func(http.ResponseWriter, slack.SlashCommand) {
	return func(w http.ResponseWriter, cmd slack.SlashCommand) {
		if !a.seen.First("trigger:" + cmd.TriggerID) {
			w.WriteHeader(http.StatusOK) // a replay: answered already
			return
		}
		if !a.onCommand(ctx, cmd) {
			// Full: say so in the acknowledgement, which costs nothing.
			w.Header().Set("Content-Type", "application/json")
			json.NewEncoder(w).Encode(map[string]string{"response_type": "ephemeral", "text": bot.Busy})
			return
		}
		w.WriteHeader(http.StatusOK)
	}
}

// interactive answers a click on a button or menu, once per trigger.
func (a *Adapter) interactive(ctx context.Context) func(http.ResponseWriter, slack.InteractionCallback) {
	return func(w http.ResponseWriter, cb slack.InteractionCallback) {
		w.WriteHeader(http.StatusOK)
		if a.seen.First("trigger:" + cb.TriggerID) {
			a.onAction(ctx, cb)
		}
	}
}

// parsed reads a form-encoded request (a command, a click) with slack-go's
// parse, from the body the signature check has read already; one it cannot
// read gets 400, "bad" and what it is.
func parsed[T any](parse func(*http.Request) (T, error), what string, next func(http.ResponseWriter, T)) func(http.ResponseWriter, *http.Request, []byte) {
	return func(w http.ResponseWriter, r *http.Request, body []byte) {
		r.Body = io.NopCloser(bytes.NewReader(body))
		v, err := parse(r)
		if err != nil {
			http.Error(w, "bad "+what, http.StatusBadRequest)
			return
		}
		next(w, v)
	}
}

// verified checks a request's signature and timestamp with the signing
// secret before next sees it (verify.Signed: headers before the body).
func (a *Adapter) verified(next func(http.ResponseWriter, *http.Request, []byte)) http.HandlerFunc {
	return verify.Signed{Headers: headersFit, Verify: a.verify, Rejected: a.rejected}.Handle(next)
}

// headersFit checks what can be checked without the body: a signature of
// the right form and a timestamp within five minutes.
func headersFit(h http.Header, now time.Time) error {
	sig := h.Get("X-Slack-Signature")
	if !strings.HasPrefix(sig, "v0=") || len(sig) != 3+64 {
		return errors.New("missing or malformed signature")
	}
	return verify.Fresh(h.Get("X-Slack-Request-Timestamp"), now)
}

func (a *Adapter) verify(h http.Header, body []byte, _ time.Time) error {
	sv, err := slack.NewSecretsVerifier(h, a.cfg.SigningSecret)
	if err != nil {
		return err
	}
	if _, err := sv.Write(body); err != nil {
		return err
	}
	if err := sv.Ensure(); err != nil {
		return errors.New("signature mismatch")
	}
	return nil
}
