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
	"strings"
	"testing"
	"time"

	"github.com/bathnes/signpost/bot"

	"github.com/bathnes/signpost/internal/chattest"
)

// interactionsEndpoint serves the adapter's HTTP endpoint with a freshly
// generated key pair, and returns the private half for signing.
func interactionsEndpoint(t *testing.T, f *fakeDiscord, b bot.Answerer) (*httptest.Server, ed25519.PrivateKey, *Adapter, *logs) {
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
			if code := tt.send(t, srv, key); code != http.StatusUnauthorized {
				t.Errorf("status %d; want 401", code)
			}
			f.quiet()
			if !strings.Contains(l.String(), "rejected unverified request") {
				t.Errorf("no log line for the rejected request:\n%s", l)
			}
		})
	}
}

func TestHTTPModeRunsAndShutsDown(t *testing.T) {
	t.Parallel()
	f := newFakeDiscord(t)
	pub, _, _ := ed25519.GenerateKey(nil)
	ln := chattest.Loopback(t)
	a, _ := newAdapter(t, f, Config{Mode: "http", Listener: ln, PublicKey: hex.EncodeToString(pub)}, nil)
	ctx, cancel := context.WithCancel(context.Background())
	errc := make(chan error, 1)
	go func() { errc <- a.Run(ctx) }()
	if c := f.wait(); !strings.HasSuffix(c.Path, "/commands") {
		t.Fatalf("first call %s; want command registration", c.Path)
	}
	resp, err := http.Post("http://"+ln.Addr().String()+"/discord/interactions", "application/json", strings.NewReader(`{"type":1}`))
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusUnauthorized {
		t.Errorf("unsigned ping: %d; want 401", resp.StatusCode)
	}
	cancel()
	select {
	case err := <-errc:
		if err != nil {
			t.Errorf("Run = %v after cancel; want nil", err)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("Run did not return after cancel")
	}
}
