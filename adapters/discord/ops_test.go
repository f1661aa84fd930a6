package discord

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/bwmarrin/discordgo"
)

// TestReplayedInteractionIsAnsweredOnce: a signed interaction sent again
// within its five minutes is refused, not answered twice.
func TestReplayedInteractionIsAnsweredOnce(t *testing.T) {
	t.Parallel()
	f := newFakeDiscord(t)
	srv, key, _, _ := interactionsEndpoint(t, f, testBot())
	raw, _ := json.Marshal(slash(opt("question", "who runs PACT here")))
	body := string(raw)
	if code, out := signed(t, srv, key, time.Now(), body); code != 200 || out["type"] != float64(4) {
		t.Fatalf("first: %d %v; want an answer", code, out["type"])
	}
	for range 4 {
		if code, _ := signed(t, srv, key, time.Now(), body); code != http.StatusConflict {
			t.Errorf("replay: status %d; want 409", code)
		}
	}
}

type readSpy struct{ read bool }

func (r *readSpy) Read(p []byte) (int, error) { r.read = true; return 0, io.EOF }

// TestUnsignedBodyIsNotRead: no body is read for a request whose
// signature headers are missing, malformed or out of date.
func TestUnsignedBodyIsNotRead(t *testing.T) {
	t.Parallel()
	f := newFakeDiscord(t)
	_, _, a, l := interactionsEndpoint(t, f, testBot())
	for _, h := range []http.Header{
		{},
		{"X-Signature-Ed25519": {"abcd"}, "X-Signature-Timestamp": {"1"}},
		{"X-Signature-Ed25519": {strings.Repeat("ab", 64)}, "X-Signature-Timestamp": {"1"}},
	} {
		spy := &readSpy{}
		r := httptest.NewRequest("POST", "/discord/interactions", spy)
		r.Header = h
		w := httptest.NewRecorder()
		a.handler().ServeHTTP(w, r)
		if w.Code != http.StatusUnauthorized || spy.read {
			t.Errorf("headers %v: status %d, body read %v; want 401 and the body unread", h, w.Code, spy.read)
		}
	}
	if n := strings.Count(l.String(), "rejected unverified requests"); n > 2 {
		t.Errorf("%d log lines for 3 rejections; want them counted:\n%s", n, l)
	}
}

// TestFailedEditLogsNoToken: an interaction's token is a credential (it
// lets anyone post as the app for 15 minutes); when an edit fails, the log
// names the host only.
func TestFailedEditLogsNoToken(t *testing.T) {
	t.Parallel()
	f := newFakeDiscord(t)
	a, l := newAdapter(t, f, Config{}, testBot())
	a.deferAfter = 0 // defer at once, so the answer goes out as an edit over REST
	t.Cleanup(a.drain)
	// Point REST at a port nothing listens on: every edit fails.
	a.s.Client = rewrite(&http.Client{Timeout: 2 * time.Second}, "http://127.0.0.1:1/api/v9")
	const token = "aW50ZXJhY3Rpb246c2VjcmV0LXRva2VuLTEyMzQ1Njc4OQ"
	i := slash(opt("question", "menu"))
	i["token"] = token
	raw, _ := json.Marshal(i)
	var in interactionForTest
	json.Unmarshal(raw, &in.Interaction)
	a.interact(t.Context(), &in.Interaction, func(context.Context, *discordgo.InteractionResponse) error { return nil })
	deadline := time.Now().Add(10 * time.Second)
	for !strings.Contains(l.String(), "send failed") && time.Now().Before(deadline) {
		time.Sleep(20 * time.Millisecond)
	}
	if !strings.Contains(l.String(), "send failed") {
		t.Fatalf("no failed edit logged:\n%s", l)
	}
	if strings.Contains(l.String(), token) {
		t.Errorf("the log holds the interaction token:\n%s", l)
	}
}

type interactionForTest struct{ discordgo.Interaction }
