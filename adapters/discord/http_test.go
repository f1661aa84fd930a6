package discord

import (
	"context"
	"crypto/ed25519"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/bathnes/signpost/bot"
	"github.com/bathnes/signpost/internal/chattest"
	"github.com/bwmarrin/discordgo"
)

// interactionsEndpoint serves the adapter's HTTP endpoint with a freshly
// generated key pair, and returns the private half for signing.
func interactionsEndpoint(t *testing.T, f *fakeDiscord, b bot.Answerer) (*httptest.Server, ed25519.PrivateKey, *Adapter, *chattest.Logs) {
	t.Helper()
	pub, priv, err := ed25519.GenerateKey(nil)
	if err != nil {
		t.Fatal(err)
	}
	a, l := newAdapter(t, f, Config{Mode: "http", Listen: "127.0.0.1:0", PublicKey: hex.EncodeToString(pub)}, b)
	srv := httptest.NewServer(a.handler())
	t.Cleanup(func() { srv.Close(); a.drain() })
	return srv, priv, a, l
}

// signed posts body as Discord does: an ed25519 signature over the
// timestamp followed by the body.
func signed(t *testing.T, srv *httptest.Server, key ed25519.PrivateKey, at time.Time, body string) (int, map[string]any) {
	t.Helper()
	stamp := fmt.Sprint(at.Unix())
	sig := ed25519.Sign(key, []byte(stamp+body))
	return postInteraction(t, srv, body, map[string]string{
		"X-Signature-Ed25519":   hex.EncodeToString(sig),
		"X-Signature-Timestamp": stamp,
	})
}

func postInteraction(t *testing.T, srv *httptest.Server, body string, h map[string]string) (int, map[string]any) {
	t.Helper()
	req, _ := http.NewRequest("POST", srv.URL+"/discord/interactions", strings.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	for k, v := range h {
		req.Header.Set(k, v)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	raw, _ := io.ReadAll(resp.Body)
	var out map[string]any
	json.Unmarshal(raw, &out)
	return resp.StatusCode, out
}

func marshal(v any) string {
	b, _ := json.Marshal(v)
	return string(b)
}

func TestHTTPAnswersPingWithPong(t *testing.T) {
	t.Parallel()
	srv, key, _, _ := interactionsEndpoint(t, newFakeDiscord(t), nil)
	code, out := signed(t, srv, key, time.Now(), `{"id":"P1","application_id":"APP","type":1,"token":"t","version":1}`)
	if code != 200 || out["type"] != float64(1) {
		t.Errorf("ping: %d %v; want 200 and {\"type\":1}", code, out)
	}
}

func TestHTTPSlashCommandIsAnsweredInline(t *testing.T) {
	t.Parallel()
	f := newFakeDiscord(t)
	srv, key, _, _ := interactionsEndpoint(t, f, nil)
	began := time.Now()
	code, out := signed(t, srv, key, time.Now(), marshal(slash(opt("question", "how do we list our pub"))))
	if d := time.Since(began); code != 200 || d > 3*time.Second {
		t.Fatalf("command: %d after %v; want 200 within 3s", code, d)
	}
	if out["type"] != float64(4) || embedTitle(out) != acvTitle {
		t.Errorf("response type %v title %q; want 4 and %q", out["type"], embedTitle(out), acvTitle)
	}
	checkNoPings(t, out)
	f.quiet() // answered in the HTTP response, nothing over REST
}

func TestHTTPAutocompleteAndClick(t *testing.T) {
	t.Parallel()
	srv, key, _, _ := interactionsEndpoint(t, newFakeDiscord(t), nil)
	_, out := signed(t, srv, key, time.Now(), marshal(autocomplete("acv")))
	choices, _ := out["data"].(map[string]any)["choices"].([]any)
	if out["type"] != float64(8) || len(choices) == 0 || choices[0].(map[string]any)["value"] != "about assets-of-community-value" {
		t.Errorf("autocomplete: %v; want type 8 with ACV first", out)
	}
	_, out = signed(t, srv, key, time.Now(), marshal(clickButton(idAbout+"pact")))
	if out["type"] != float64(7) || !strings.HasPrefix(embedTitle(out), "PACT meetings") {
		t.Errorf("click: type %v title %q; want 7 and the PACT entry", out["type"], embedTitle(out))
	}
}

func TestHTTPSlowAnswerIsDeferredThenEdited(t *testing.T) {
	t.Parallel()
	f := newFakeDiscord(t)
	srv, key, a, _ := interactionsEndpoint(t, f, slowBot{testBot(), 300 * time.Millisecond})
	a.deferAfter = 50 * time.Millisecond
	_, out := signed(t, srv, key, time.Now(), marshal(slash(opt("question", "who runs PACT here"))))
	if out["type"] != float64(5) {
		t.Fatalf("first response %v; want type 5 (deferred)", out)
	}
	edit := f.wait()
	if edit.Method != "PATCH" || !strings.HasPrefix(embedTitle(edit.Body), "PACT meetings") {
		t.Errorf("then %s %s titled %q; want the PACT entry edited in", edit.Method, edit.Path, embedTitle(edit.Body))
	}
}

func TestHTTPRejectsForgedAndStaleRequests(t *testing.T) {
	t.Parallel()
	body := marshal(slash(opt("question", "who runs PACT here")))
	_, otherKey, _ := ed25519.GenerateKey(nil)
	tests := []struct {
		name string
		send func(t *testing.T, srv *httptest.Server, key ed25519.PrivateKey) int
	}{
		{"unsigned", func(t *testing.T, srv *httptest.Server, _ ed25519.PrivateKey) int {
			code, _ := postInteraction(t, srv, body, nil)
			return code
		}},
		{"signed by another key", func(t *testing.T, srv *httptest.Server, _ ed25519.PrivateKey) int {
			code, _ := signed(t, srv, otherKey, time.Now(), body)
			return code
		}},
		{"body changed after signing", func(t *testing.T, srv *httptest.Server, key ed25519.PrivateKey) int {
			stamp := fmt.Sprint(time.Now().Unix())
			sig := ed25519.Sign(key, []byte(stamp+body))
			code, _ := postInteraction(t, srv, strings.Replace(body, "PACT", "ACV!", 1), map[string]string{
				"X-Signature-Ed25519": hex.EncodeToString(sig), "X-Signature-Timestamp": stamp})
			return code
		}},
		{"six minutes old", func(t *testing.T, srv *httptest.Server, key ed25519.PrivateKey) int {
			code, _ := signed(t, srv, key, time.Now().Add(-6*time.Minute), body)
			return code
		}},
		{"six minutes ahead", func(t *testing.T, srv *httptest.Server, key ed25519.PrivateKey) int {
			code, _ := signed(t, srv, key, time.Now().Add(6*time.Minute), body)
			return code
		}},
		{"garbage signature", func(t *testing.T, srv *httptest.Server, _ ed25519.PrivateKey) int {
			code, _ := postInteraction(t, srv, body, map[string]string{"X-Signature-Ed25519": "zz", "X-Signature-Timestamp": fmt.Sprint(time.Now().Unix())})
			return code
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newFakeDiscord(t)
			srv, key, _, l := interactionsEndpoint(t, f, nil)
			code := tt.send(t, srv, key)
			f.quiet()
			chattest.Refused(t, code, l)
		})
	}
}

func TestHTTPModeRunsAndShutsDown(t *testing.T) {
	t.Parallel()
	f := newFakeDiscord(t)
	pub, _, _ := ed25519.GenerateKey(nil)
	ln := chattest.Loopback(t)
	a, _ := newAdapter(t, f, Config{Mode: "http", Listener: ln, PublicKey: hex.EncodeToString(pub)}, nil)
	stop := chattest.Run(t, a.Run)
	if c := f.wait(); !strings.HasSuffix(c.Path, "/commands") {
		t.Fatalf("first call %s; want command registration", c.Path)
	}
	if code := chattest.Unsigned(t, "http://"+ln.Addr().String()+"/discord/interactions", `{"type":1}`); code != http.StatusUnauthorized {
		t.Errorf("unsigned ping: %d; want 401", code)
	}
	stop()
}

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

// TestUnsignedBodyIsNotRead: no body is read for a request whose
// signature headers are missing, malformed or out of date.
func TestUnsignedBodyIsNotRead(t *testing.T) {
	t.Parallel()
	f := newFakeDiscord(t)
	_, _, a, l := interactionsEndpoint(t, f, testBot())
	chattest.BodyUnread(t, a.handler(), "/discord/interactions",
		http.Header{},
		http.Header{"X-Signature-Ed25519": {"abcd"}, "X-Signature-Timestamp": {"1"}},
		http.Header{"X-Signature-Ed25519": {strings.Repeat("ab", 64)}, "X-Signature-Timestamp": {"1"}})
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
	// An answer slower than the deferral, so it always goes out as an
	// edit over REST (with both ready at once, either could win).
	a, l := newAdapter(t, f, Config{}, slowBot{testBot(), 100 * time.Millisecond})
	a.deferAfter = 0
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
	l.Await(t, "send failed")
	if strings.Contains(l.String(), token) {
		t.Errorf("the log holds the interaction token:\n%s", l)
	}
}

type interactionForTest struct{ discordgo.Interaction }

// TestVoteIsThankedToTheVoterAlone: a vote's thanks is a new ephemeral
// message (type 4), not an update of the answer (type 7).
func TestVoteIsThankedToTheVoterAlone(t *testing.T) {
	t.Parallel()
	f := newFakeDiscord(t)
	b, st := chattest.Keeping(t)
	start(t, f, Config{}, b)
	c := f.conn()
	c.dispatch("MESSAGE_CREATE", directMessage("M1", "who runs PACT in Radstock"))
	got := f.wait()
	m := regexp.MustCompile(`signpost:send:(helpful [0-9a-f]{16})`).FindStringSubmatch(string(got.Raw))
	if m == nil {
		t.Fatalf("no Helpful button: %s", got.Raw)
	}
	c.dispatch("INTERACTION_CREATE", clickButton(idSend+m[1]))
	got = f.wait()
	if got.Body["type"] != float64(4) || !strings.Contains(string(got.Raw), bot.Thanks) {
		t.Errorf("vote answered type %v %s; want an ephemeral thanks", got.Body["type"], got.Raw)
	}
	if kept := chattest.Kept(t, st); len(kept.Votes) != 1 || !kept.Votes[0].Helpful {
		t.Errorf("kept votes %+v", kept.Votes)
	}
}
