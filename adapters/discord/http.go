package discord

import (
	"context"
	"crypto/ed25519"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"time"

	"github.com/bathnes/signpost/adapters/internal/verify"
	"github.com/bathnes/signpost/internal/listen"
	"github.com/bwmarrin/discordgo"
)

func (a *Adapter) serveHTTP(ctx context.Context) error {
	if err := listen.Serve(ctx, a.cfg.Listen, a.cfg.Listener, a.handler(), a.log); err != nil {
		return fmt.Errorf("discord: %w", err)
	}
	return nil
}

// handler serves /discord/interactions. Every request's ed25519 signature
// is checked over timestamp and body, and the timestamp must be within five
// minutes (discordgo.VerifyInteraction checks no age, so a captured request
// could be replayed for ever); anything else gets 401 and a log line.
func (a *Adapter) handler() http.Handler {
	raw, _ := hex.DecodeString(a.cfg.PublicKey) // checked by Config.Check
	key := ed25519.PublicKey(raw)
	mux := http.NewServeMux()
	signed := verify.Signed{Rejected: a.rejected,
		Headers: func(h http.Header, now time.Time) error { _, _, err := signatureHeaders(h, now); return err },
		Verify:  func(h http.Header, body []byte, now time.Time) error { return signedBy(key, h, body, now) }}
	mux.HandleFunc("POST /discord/interactions", signed.Handle(func(w http.ResponseWriter, r *http.Request, body []byte) {
		var i discordgo.Interaction
		if err := json.Unmarshal(body, &i); err != nil {
			http.Error(w, "bad interaction", http.StatusBadRequest)
			return
		}
		if i.Type != discordgo.InteractionPing && !a.seen.First(i.ID) {
			// A replay of a request already answered.
			http.Error(w, "already answered", http.StatusConflict)
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
	}))
	return mux
}

// signatureHeaders checks what can be checked without the body: a
// signature of the right form and a timestamp within five minutes.
func signatureHeaders(h http.Header, now time.Time) (sig []byte, stamp string, err error) {
	sig, err = hex.DecodeString(h.Get("X-Signature-Ed25519"))
	if err != nil || len(sig) != ed25519.SignatureSize {
		return nil, "", errors.New("missing or malformed signature")
	}
	stamp = h.Get("X-Signature-Timestamp")
	if err := verify.Fresh(stamp, now); err != nil {
		return nil, "", err
	}
	return sig, stamp, nil
}

// signedBy checks that key signed the request's timestamp and body.
func signedBy(key ed25519.PublicKey, h http.Header, body []byte, now time.Time) error {
	sig, stamp, err := signatureHeaders(h, now)
	if err != nil {
		return err
	}
	if !ed25519.Verify(key, append([]byte(stamp), body...), sig) {
		return errors.New("signature mismatch")
	}
	return nil
}
