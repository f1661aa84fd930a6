package discord

import (
	"context"
	"crypto/ed25519"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"time"

	"github.com/bathnes/signpost/adapters/internal/listen"
	"github.com/bwmarrin/discordgo"
)

// maxBody bounds a request body; Discord's interactions are a few kilobytes.
const maxBody = 1 << 20

// window is how old (or new) a signed request may be.
const window = 5 * time.Minute

func (a *Adapter) serveHTTP(ctx context.Context) error {
	if err := listen.Serve(ctx, a.cfg.Listen, a.handler(), a.log); err != nil {
		return fmt.Errorf("discord: %w", err)
	}
	return nil
}

// handler serves /discord/interactions. Every request's ed25519 signature
// is checked over timestamp and body, and the timestamp must be within five
// minutes (discordgo.VerifyInteraction checks no age, so a captured request
// could be replayed for ever); anything else gets 401 and a log line.
func (a *Adapter) handler() http.Handler {
	key, _ := hex.DecodeString(a.cfg.PublicKey) // checked by Config.Check
	mux := http.NewServeMux()
	mux.HandleFunc("POST /discord/interactions", func(w http.ResponseWriter, r *http.Request) {
		body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, maxBody))
		if err != nil {
			http.Error(w, "body too large", http.StatusRequestEntityTooLarge)
			return
		}
		if err := verify(ed25519.PublicKey(key), r.Header, body, time.Now()); err != nil {
			a.log.Warn("rejected unverified request", "remote", r.RemoteAddr, "err", err)
			http.Error(w, "invalid request signature", http.StatusUnauthorized)
			return
		}
		var i discordgo.Interaction
		if err := json.Unmarshal(body, &i); err != nil {
			http.Error(w, "bad interaction", http.StatusBadRequest)
			return
		}
		write := func(_ context.Context, resp *discordgo.InteractionResponse) error {
			w.Header().Set("Content-Type", "application/json")
			return json.NewEncoder(w).Encode(resp)
		}
		if i.Type == discordgo.InteractionPing {
			write(r.Context(), &discordgo.InteractionResponse{Type: discordgo.InteractionResponsePong})
			return
		}
		a.interact(r.Context(), &i, write)
	})
	return mux
}

func verify(key ed25519.PublicKey, h http.Header, body []byte, now time.Time) error {
	sig, err := hex.DecodeString(h.Get("X-Signature-Ed25519"))
	if err != nil || len(sig) != ed25519.SignatureSize {
		return errors.New("missing or malformed signature")
	}
	stamp := h.Get("X-Signature-Timestamp")
	secs, err := strconv.ParseInt(stamp, 10, 64)
	if err != nil {
		return errors.New("missing or malformed timestamp")
	}
	if d := now.Sub(time.Unix(secs, 0)); d > window || d < -window {
		return errors.New("timestamp outside five minutes")
	}
	if !ed25519.Verify(key, append([]byte(stamp), body...), sig) {
		return errors.New("signature mismatch")
	}
	return nil
}
