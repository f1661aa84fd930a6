package slack

import (
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"
)

const secret = "8f742231b10e8888abcd99yyyzzz85a5"

// httpAdapter serves the adapter's HTTP endpoints from an httptest server,
// answering through the fake Web API.
func httpAdapter(t *testing.T, f *fakeSlack) (*httptest.Server, *logs) {
	t.Helper()
	l := &logs{}
	a, err := New(Config{Mode: "http", Listen: "127.0.0.1:0", SigningSecret: secret, BotToken: "xoxb-test", APIURL: f.srv.URL + "/api"},
		testBot(), slog.New(slog.NewTextHandler(l, nil)))
	if err != nil {
		t.Fatal(err)
	}
	a.self = "UBOT"
	ctx, cancel := context.WithCancel(context.Background())
	srv := httptest.NewServer(a.handler(ctx))
	t.Cleanup(func() { srv.Close(); cancel(); a.drain() })
	return srv, l
}

// post sends body to path with the given headers.
func post(t *testing.T, srv *httptest.Server, path, contentType, body string, h http.Header) (int, string) {
	t.Helper()
	req, _ := http.NewRequest("POST", srv.URL+path, strings.NewReader(body))
	for k, v := range h {
		req.Header[k] = v
	}
	req.Header.Set("Content-Type", contentType)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

func jsonBody(v any) string {
	b, _ := json.Marshal(v)
	return string(b)
}

func form(m map[string]any) string {
	v := url.Values{}
	for k, x := range m {
		v.Set(k, x.(string))
	}
	return v.Encode()
}

func TestHTTPURLVerificationAnswersChallenge(t *testing.T) {
	t.Parallel()
	srv, _ := httpAdapter(t, newFakeSlack(t))
	body := `{"token":"x","challenge":"3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P","type":"url_verification"}`
	code, got := post(t, srv, "/slack/events", "application/json", body, sign(secret, time.Now(), body))
	if code != 200 || got != "3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P" {
		t.Errorf("challenge: %d %q; want 200 and the challenge", code, got)
	}
}

func TestHTTPSignedEventIsAnsweredOnce(t *testing.T) {
	t.Parallel()
	f := newFakeSlack(t)
	srv, _ := httpAdapter(t, f)
	body := jsonBody(eventPayload("Ev1", mention("C1", "111.1", "<@UBOT> how do we list our pub")))
	for range 2 { // the second is Slack's retry
		h := sign(secret, time.Now(), body)
		h.Set("X-Slack-Retry-Num", "1")
		if code, _ := post(t, srv, "/slack/events", "application/json", body, h); code != 200 {
			t.Fatalf("signed event: %d; want 200", code)
		}
	}
	f.wait(1)
	if got := headerOf(blocksOf(t, f.lastPost())); got != acvTitle {
		t.Errorf("header = %q; want %q", got, acvTitle)
	}
	f.quiet()
}

func TestHTTPRejectsForgedAndStaleRequests(t *testing.T) {
	t.Parallel()
	body := jsonBody(eventPayload("Ev1", dm("U1", "who runs PACT here")))
	cmd := form(command("http://example.invalid/hook", "menu"))
	forged := sign("not-the-secret", time.Now(), body)
	tampered := sign(secret, time.Now(), body)
	tests := []struct {
		name, path, ctype, body string
		h                       http.Header
	}{
		{"unsigned", "/slack/events", "application/json", body, http.Header{}},
		{"wrong secret", "/slack/events", "application/json", body, forged},
		{"body changed after signing", "/slack/events", "application/json", strings.Replace(body, "PACT", "ACV", 1), tampered},
		{"six minutes old", "/slack/events", "application/json", body, sign(secret, time.Now().Add(-6*time.Minute), body)},
		{"six minutes ahead", "/slack/events", "application/json", body, sign(secret, time.Now().Add(6*time.Minute), body)},
		{"forged command", "/slack/commands", "application/x-www-form-urlencoded", cmd, sign("nope", time.Now(), cmd)},
		{"stale click", "/slack/interactive", "application/x-www-form-urlencoded", "payload=%7B%7D", sign(secret, time.Now().Add(-10*time.Minute), "payload=%7B%7D")},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newFakeSlack(t)
			srv, l := httpAdapter(t, f)
			if code, _ := post(t, srv, tt.path, tt.ctype, tt.body, tt.h); code != http.StatusUnauthorized {
				t.Errorf("status %d; want 401", code)
			}
			f.quiet()
			if !strings.Contains(l.String(), "rejected unverified request") {
				t.Errorf("no log line for the rejected request:\n%s", l)
			}
		})
	}
}

func TestHTTPSlashCommandAcksAtOnceThenAnswers(t *testing.T) {
	t.Parallel()
	f := newFakeSlack(t)
	srv, _ := httpAdapter(t, f)
	body := form(command(f.hookURL(), "funding routes"))
	began := time.Now()
	code, got := post(t, srv, "/slack/commands", "application/x-www-form-urlencoded", body, sign(secret, time.Now(), body))
	if d := time.Since(began); code != 200 || d > 3*time.Second {
		t.Errorf("ack: %d after %v; want 200 within 3s", code, d)
	}
	if got != "" {
		t.Errorf("ack body %q; want empty (the answer follows on response_url)", got)
	}
	f.wait(1)
	h := f.lastHook()
	if h["response_type"] != "ephemeral" || headerOf(hookBlocks(t, h)) != "Funding routes" {
		t.Errorf("answer: %v; want the funding list, ephemeral", h)
	}
}

func TestHTTPButtonClickReplacesMessage(t *testing.T) {
	t.Parallel()
	f := newFakeSlack(t)
	srv, _ := httpAdapter(t, f)
	body := url.Values{"payload": {jsonBody(click(f.hookURL(), actionAbout, "assets-of-community-value"))}}.Encode()
	if code, _ := post(t, srv, "/slack/interactive", "application/x-www-form-urlencoded", body, sign(secret, time.Now(), body)); code != 200 {
		t.Fatalf("click: %d; want 200", code)
	}
	f.wait(1)
	h := f.lastHook()
	if h["replace_original"] != true || headerOf(hookBlocks(t, h)) != acvTitle {
		t.Errorf("click answer: replace_original=%v header=%q", h["replace_original"], headerOf(hookBlocks(t, h)))
	}
}
