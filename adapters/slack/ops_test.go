package slack

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/bathnes/signpost/bot"
)

// TestHTTPReplayedCommandIsAnsweredOnce: a signed slash command sent
// twice within its five minutes (the same trigger_id) is answered once.
func TestHTTPReplayedCommandIsAnsweredOnce(t *testing.T) {
	t.Parallel()
	f := newFakeSlack(t)
	srv, _ := httpAdapter(t, f)
	body := form(command(f.hookURL(), "menu"))
	for range 3 {
		if code, _ := post(t, srv, "/slack/commands", "application/x-www-form-urlencoded", body, sign(secret, time.Now(), body)); code != 200 {
			t.Fatalf("command: %d; want 200", code)
		}
	}
	f.wait(1)
	f.quiet()
}

// readSpy is a request body that says whether it was read.
type readSpy struct{ read bool }

func (r *readSpy) Read(p []byte) (int, error) {
	r.read = true
	return 0, io.EOF
}

// TestUnsignedBodyIsNotRead: a request without signature headers is refused
// before its body is read.
func TestUnsignedBodyIsNotRead(t *testing.T) {
	t.Parallel()
	a, err := New(Config{Mode: "http", Listen: "127.0.0.1:0", SigningSecret: secret, BotToken: "xoxb-test"}, testBot(), slog.New(slog.DiscardHandler))
	if err != nil {
		t.Fatal(err)
	}
	defer a.drain()
	for _, h := range []http.Header{{}, {"X-Slack-Signature": {"v0=abc"}}, {"X-Slack-Signature": {"v0=" + strings.Repeat("a", 64)}, "X-Slack-Request-Timestamp": {"1"}}} {
		spy := &readSpy{}
		r := httptest.NewRequest("POST", "/slack/events", spy)
		r.Header = h
		w := httptest.NewRecorder()
		a.handler(context.Background()).ServeHTTP(w, r)
		if w.Code != http.StatusUnauthorized || spy.read {
			t.Errorf("headers %v: status %d, body read %v; want 401 and the body unread", h, w.Code, spy.read)
		}
	}
}

// TestRejectionsAreCountedNotLoggedEach: two hundred unsigned requests are
// a log line or two, with their count, not two hundred lines.
func TestRejectionsAreCountedNotLoggedEach(t *testing.T) {
	t.Parallel()
	srv, l := httpAdapter(t, newFakeSlack(t))
	for range 200 {
		post(t, srv, "/slack/events", "application/json", "{}", http.Header{})
	}
	if n := strings.Count(l.String(), "rejected unverified requests"); n > 2 {
		t.Errorf("%d log lines for 200 rejected requests; want at most 2:\n%s", n, l)
	}
}

// TestFailedSendLogsNoCredential: a response_url that fails is logged by
// its host, never with the path that lets anyone post as the app.
func TestFailedSendLogsNoCredential(t *testing.T) {
	t.Parallel()
	f := newFakeSlack(t)
	srv, l := httpAdapter(t, f)
	const token = "T0001/B0001/XXXXsecretXXXXtokenXXXX"
	body := form(command("http://127.0.0.1:1/commands/"+token, "menu"))
	post(t, srv, "/slack/commands", "application/x-www-form-urlencoded", body, sign(secret, time.Now(), body))
	deadline := time.Now().Add(10 * time.Second)
	for !strings.Contains(l.String(), "send failed") && time.Now().Before(deadline) {
		time.Sleep(20 * time.Millisecond)
	}
	if !strings.Contains(l.String(), "send failed") {
		t.Fatalf("no send failure logged:\n%s", l)
	}
	if strings.Contains(l.String(), "XXXXsecretXXXXtokenXXXX") || strings.Contains(l.String(), "B0001") {
		t.Errorf("the log holds the response_url's credential:\n%s", l)
	}
}

// failing is a core that cannot answer.
type failing struct{}

func (failing) Answer(context.Context, bot.Question) (bot.Answer, error) {
	return bot.Answer{}, errors.New("index unavailable")
}

func (failing) Suggest(string, int) []bot.Suggestion { return nil }

// TestCoreFailureSaysSorry: when the core fails, the asker gets an
// apology that signposts Council Connect, not the greeting.
func TestCoreFailureSaysSorry(t *testing.T) {
	t.Parallel()
	f := newFakeSlack(t)
	l := &logs{}
	a, err := New(Config{Mode: "http", Listen: "127.0.0.1:0", SigningSecret: secret, BotToken: "xoxb-test", APIURL: f.srv.URL + "/api"},
		failing{}, slog.New(slog.NewTextHandler(l, nil)))
	if err != nil {
		t.Fatal(err)
	}
	a.self = "UBOT"
	ctx, cancel := context.WithCancel(context.Background())
	srv := httptest.NewServer(a.handler(ctx))
	t.Cleanup(func() { srv.Close(); cancel(); a.drain() })
	body := jsonBody(eventPayload("Ev9", dm("U1", "how do we list our pub")))
	post(t, srv, "/slack/events", "application/json", body, sign(secret, time.Now(), body))
	f.wait(1)
	if got := f.lastPost().Get("text"); !strings.Contains(got, "Sorry") || !strings.Contains(got, "Council Connect") {
		t.Errorf("answer text %q; want an apology that signposts Council Connect", got)
	}
	// A failed click gets a word back too.
	click := url2form(click(f.hookURL(), actionAbout, "pact"))
	post(t, srv, "/slack/interactive", "application/x-www-form-urlencoded", click, sign(secret, time.Now(), click))
	f.wait(1)
	if h := f.lastHook(); !strings.Contains(h["text"].(string), "Sorry") || h["replace_original"] == true {
		t.Errorf("click answer %v; want a private apology that leaves the message", h)
	}
}

func url2form(payload map[string]any) string {
	return "payload=" + urlQueryEscape(jsonBody(payload))
}

func urlQueryEscape(s string) string { return url.QueryEscape(s) }
