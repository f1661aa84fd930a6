package slack

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"

	"github.com/bathnes/signpost/adapters/internal/listen"

	"github.com/slack-go/slack"
	"github.com/slack-go/slack/slackevents"
)

// maxBody bounds a request body; Slack's own are a few kilobytes.
const maxBody = 1 << 20

// serveHTTP serves the Events API endpoints on cfg.Listen until ctx ends.
func (a *Adapter) serveHTTP(ctx context.Context) error {
	if err := listen.Serve(ctx, a.cfg.Listen, a.handler(ctx), a.log); err != nil {
		return fmt.Errorf("slack: %w", err)
	}
	return nil
}

// handler routes Slack's three request kinds. Each is verified, then
// acknowledged with 200 before any answering starts, which runs on ctx.
func (a *Adapter) handler(ctx context.Context) http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("POST /slack/events", a.verified(func(w http.ResponseWriter, r *http.Request, body []byte) {
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
		w.WriteHeader(http.StatusOK)
		if ev.Type == slackevents.CallbackEvent {
			a.onEvent(ctx, ev, "")
		}
	}))
	mux.HandleFunc("POST /slack/commands", a.verified(func(w http.ResponseWriter, r *http.Request, body []byte) {
		r.Body = io.NopCloser(bytes.NewReader(body))
		cmd, err := slack.SlashCommandParse(r)
		if err != nil {
			http.Error(w, "bad command", http.StatusBadRequest)
			return
		}
		w.WriteHeader(http.StatusOK)
		a.onCommand(ctx, cmd)
	}))
	mux.HandleFunc("POST /slack/interactive", a.verified(func(w http.ResponseWriter, r *http.Request, body []byte) {
		r.Body = io.NopCloser(bytes.NewReader(body))
		cb, err := slack.InteractionCallbackParse(r)
		if err != nil {
			http.Error(w, "bad payload", http.StatusBadRequest)
			return
		}
		w.WriteHeader(http.StatusOK)
		a.onAction(ctx, cb)
	}))
	return mux
}

// verified checks a request's signature and timestamp with the signing
// secret before next sees it. Anything unsigned, wrongly signed or more
// than five minutes old gets 401 and a log line, and nothing else happens.
func (a *Adapter) verified(next func(http.ResponseWriter, *http.Request, []byte)) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, maxBody))
		if err != nil {
			http.Error(w, "body too large", http.StatusRequestEntityTooLarge)
			return
		}
		if err := a.verify(r.Header, body); err != nil {
			a.log.Warn("rejected unverified request", "path", r.URL.Path, "remote", r.RemoteAddr, "err", err)
			http.Error(w, "unauthorized", http.StatusUnauthorized)
			return
		}
		next(w, r, body)
	}
}

func (a *Adapter) verify(h http.Header, body []byte) error {
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
