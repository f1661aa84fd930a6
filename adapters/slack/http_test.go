package slack

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/bathnes/signpost/adapters"
	"github.com/bathnes/signpost/bot"
	"github.com/bathnes/signpost/internal/chattest"
)

const secret = "8f742231b10e8888abcd99yyyzzz85a5"

// httpAdapter serves the adapter's HTTP endpoints from an httptest server,
// answering through the fake Web API.
func httpAdapter(t *testing.T, f *fakeSlack) (*httptest.Server, *chattest.Logs) {
	return httpAdapterOf(t, f, testBot())
}

// httpAdapterOf is httpAdapter over the core b.
func httpAdapterOf(t *testing.T, f *fakeSlack, b bot.Answerer) (*httptest.Server, *chattest.Logs) {
	t.Helper()
	log, l := chattest.Logger()
	srv, _ := serveHTTP(t, f, b, 0, log)
	return srv, l
}

// serveHTTP serves an adapter over b with a queue of queue answers (0: the
// default) from an httptest server, answering through the fake Web API.
func serveHTTP(t *testing.T, f *fakeSlack, b bot.Answerer, queue int, log *slog.Logger) (*httptest.Server, *Adapter) {
	t.Helper()
	a, err := New(Config{Mode: "http", Listen: "127.0.0.1:0", SigningSecret: secret, BotToken: "xoxb-test", APIURL: f.srv.URL + "/api", Delivery: adapters.Delivery{Queue: queue}}, b, log)
	if err != nil {
		t.Fatal(err)
	}
	a.self = "UBOT"
	ctx, cancel := context.WithCancel(context.Background())
	srv := httptest.NewServer(a.handler(ctx))
	t.Cleanup(func() { srv.Close(); cancel(); a.drain() })
	return srv, a
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
			code, _ := post(t, srv, tt.path, tt.ctype, tt.body, tt.h)
			f.quiet()
			chattest.Refused(t, code, l)
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

// TestUnsignedBodyIsNotRead: a request without signature headers is refused
// before its body is read.
func TestUnsignedBodyIsNotRead(t *testing.T) {
	t.Parallel()
	a, err := New(Config{Mode: "http", Listen: "127.0.0.1:0", SigningSecret: secret, BotToken: "xoxb-test"}, testBot(), slog.New(slog.DiscardHandler))
	if err != nil {
		t.Fatal(err)
	}
	defer a.drain()
	chattest.BodyUnread(t, a.handler(context.Background()), "/slack/events",
		http.Header{}, http.Header{"X-Slack-Signature": {"v0=abc"}}, http.Header{"X-Slack-Signature": {"v0=" + strings.Repeat("a", 64)}, "X-Slack-Request-Timestamp": {"1"}})
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
	l.Await(t, "send failed")
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
	srv, _ := httpAdapterOf(t, f, failing{})
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

// TestVoteIsThankedBesideTheAnswer: with a store, an answer carries
// Helpful and Not helpful; a click is kept, and thanked privately beside
// the answer, which stays.
func TestVoteIsThankedBesideTheAnswer(t *testing.T) {
	t.Parallel()
	f := newFakeSlack(t)
	b, st := chattest.Keeping(t)
	srv, _ := httpAdapterOf(t, f, b)
	body := jsonBody(eventPayload("Ev1", dm("U1", "who runs PACT in Radstock")))
	post(t, srv, "/slack/events", "application/json", body, sign(secret, time.Now(), body))
	f.wait(1)
	m := regexp.MustCompile(`"value":"(helpful [0-9a-f]{16})"`).FindStringSubmatch(fmt.Sprint(f.lastPost().Get("blocks")))
	if m == nil {
		t.Fatalf("no Helpful button: %v", f.lastPost().Get("blocks"))
	}
	vote := url2form(click(f.hookURL(), actionSend+":0", m[1]))
	post(t, srv, "/slack/interactive", "application/x-www-form-urlencoded", vote, sign(secret, time.Now(), vote))
	f.wait(1)
	if h := f.lastHook(); h["replace_original"] == true || !strings.Contains(fmt.Sprint(h["blocks"]), bot.Thanks) {
		t.Errorf("vote answered %v; want the thanks beside the answer", h)
	}
	kept := chattest.Kept(t, st)
	if len(kept.Votes) != 1 || !kept.Votes[0].Helpful || len(kept.Records) != 1 || kept.Records[0].Platform != "slack" {
		t.Errorf("kept %+v", kept)
	}
	for _, r := range kept.Records {
		if strings.Contains(r.Conversation, "U1") {
			t.Errorf("a user id is kept: %+v", r)
		}
	}
}

// gated answers only once open is closed, so a test can fill the queue.
type gated struct {
	bot.Answerer
	open chan struct{}
}

func (g gated) Answer(ctx context.Context, q bot.Question) (bot.Answer, error) {
	select {
	case <-g.open:
	case <-ctx.Done():
		return bot.Answer{}, ctx.Err()
	}
	return g.Answerer.Answer(ctx, q)
}

// TestHTTPEventBeyondTheQueueIsRefusedAndItsRetryAnswered: an event the
// queue cannot take is not acknowledged (503), so Slack sends it again;
// nothing acknowledged is dropped, and every event is answered once.
func TestHTTPEventBeyondTheQueueIsRefusedAndItsRetryAnswered(t *testing.T) {
	t.Parallel()
	f := newFakeSlack(t)
	g := gated{Answerer: testBot(), open: make(chan struct{})}
	srv, a := serveHTTP(t, f, g, 1, slog.New(slog.DiscardHandler))
	send := func(id string) int {
		body := jsonBody(eventPayload(id, dm("U1", "how do we list our pub")))
		code, _ := post(t, srv, "/slack/events", "application/json", body, sign(secret, time.Now(), body))
		return code
	}
	// The workers each hold an answer and the queue holds one more: by
	// state, not by time, the queue is full when an event is refused.
	var acked, refused []string
	for i := 0; len(refused) == 0; i++ {
		if i > a.cfg.Workers+10 {
			t.Fatalf("%d events acknowledged with a queue of 1 and %d workers; want a refusal", len(acked), a.cfg.Workers)
		}
		id := fmt.Sprintf("Ev%d", i)
		switch code := send(id); code {
		case 200:
			acked = append(acked, id)
		case 503:
			refused = append(refused, id)
		default:
			t.Fatalf("event %s: %d; want 200 or 503", id, code)
		}
	}
	if a.Refused() != 1 {
		t.Errorf("refused = %d; want 1 counted", a.Refused())
	}
	close(g.open)
	f.wait(len(acked))
	// Slack's retry of the refused event is taken and answered.
	if code := send(refused[0]); code != 200 {
		t.Fatalf("retry: %d; want 200", code)
	}
	f.wait(1)
	f.quiet()
}
