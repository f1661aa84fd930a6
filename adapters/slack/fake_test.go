package slack

import (
	"cmp"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/bathnes/signpost/internal/chattest"
	"github.com/gorilla/websocket"
)

// fakeSlack speaks the parts of Slack's Web API and Socket Mode protocol
// the adapter uses, and records what it is sent.
type fakeSlack struct {
	t   *testing.T
	srv *httptest.Server

	mu sync.Mutex
	// posts are chat.postMessage calls, hooks the bodies sent to
	// response_urls, in order.
	posts []url.Values
	hooks []map[string]any
	// limited is how many chat.postMessage calls to answer with 429 first,
	// asking for retryAfter seconds ("1" when empty).
	limited    int
	retryAfter string
	attempts   int
	// failPost makes chat.postMessage answer ok:false with this error.
	failPost map[string]string
	// authError and openError make auth.test or apps.connections.open
	// refuse the token.
	authError, openError string
	opens                int

	sent  chan struct{}
	conns chan *fakeConn
}

func newFakeSlack(t *testing.T) *fakeSlack {
	t.Helper()
	f := &fakeSlack{t: t, sent: make(chan struct{}, 100), conns: make(chan *fakeConn, 10), failPost: map[string]string{}}
	mux := http.NewServeMux()
	mux.HandleFunc("POST /api/auth.test", func(w http.ResponseWriter, r *http.Request) {
		f.mu.Lock()
		defer f.mu.Unlock()
		if f.authError != "" {
			fmt.Fprintf(w, `{"ok":false,"error":%q}`, f.authError)
			return
		}
		io.WriteString(w, `{"ok":true,"user_id":"UBOT","team_id":"T1","bot_id":"BBOT"}`)
	})
	mux.HandleFunc("POST /api/apps.connections.open", func(w http.ResponseWriter, r *http.Request) {
		f.mu.Lock()
		defer f.mu.Unlock()
		f.opens++
		if f.openError != "" {
			fmt.Fprintf(w, `{"ok":false,"error":%q}`, f.openError)
			return
		}
		fmt.Fprintf(w, `{"ok":true,"url":"ws://%s/ws"}`, r.Host)
	})
	mux.HandleFunc("POST /api/chat.postMessage", func(w http.ResponseWriter, r *http.Request) {
		r.ParseForm()
		f.mu.Lock()
		f.attempts++
		if f.limited > 0 {
			f.limited--
			f.mu.Unlock()
			w.Header().Set("Retry-After", cmp.Or(f.retryAfter, "1"))
			w.WriteHeader(http.StatusTooManyRequests)
			return
		}
		if e := f.failPost[r.PostForm.Get("channel")]; e != "" {
			f.mu.Unlock()
			fmt.Fprintf(w, `{"ok":false,"error":%q}`, e)
			return
		}
		f.posts = append(f.posts, r.PostForm)
		f.mu.Unlock()
		fmt.Fprintf(w, `{"ok":true,"channel":%q,"ts":"999.1"}`, r.PostForm.Get("channel"))
		f.sent <- struct{}{}
	})
	mux.HandleFunc("POST /hooks/{id}", func(w http.ResponseWriter, r *http.Request) {
		var body map[string]any
		if err := json.NewDecoder(r.Body).Decode(&body); err != nil {
			t.Errorf("response_url body: %v", err)
		}
		f.mu.Lock()
		f.hooks = append(f.hooks, body)
		f.mu.Unlock()
		io.WriteString(w, "ok") // what Slack's response_url answers
		f.sent <- struct{}{}
	})
	up := websocket.Upgrader{CheckOrigin: func(*http.Request) bool { return true }}
	mux.HandleFunc("GET /ws", func(w http.ResponseWriter, r *http.Request) {
		c, err := up.Upgrade(w, r, nil)
		if err != nil {
			t.Errorf("upgrade: %v", err)
			return
		}
		fc := &fakeConn{c: c, acks: make(chan ack, 100), quiet: make(chan struct{}), done: make(chan struct{})}
		fc.write(map[string]any{"type": "hello", "num_connections": 1})
		go fc.pings()
		go fc.read()
		f.conns <- fc
	})
	f.srv = httptest.NewServer(mux)
	t.Cleanup(f.srv.Close)
	return f
}

// hookURL is a response_url on the fake.
func (f *fakeSlack) hookURL() string { return f.srv.URL + "/hooks/1" }

// wait waits for n more messages (posts or response_url calls).
func (f *fakeSlack) wait(n int) {
	f.t.Helper()
	for range n {
		chattest.Next(f.t, f.sent, "a message to Slack")
	}
}

// quiet asserts nothing more is sent for a moment.
func (f *fakeSlack) quiet() {
	f.t.Helper()
	chattest.Quiet(f.t, f.sent)
}

func (f *fakeSlack) lastPost() url.Values {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.posts[len(f.posts)-1]
}

func (f *fakeSlack) lastHook() map[string]any {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.hooks[len(f.hooks)-1]
}

// conn waits for the adapter to open a socket.
func (f *fakeSlack) conn() *fakeConn {
	f.t.Helper()
	return chattest.Next(f.t, f.conns, "a socket the adapter opens")
}

type ack struct {
	id string
	at time.Time
}

// fakeConn is one Socket Mode websocket.
type fakeConn struct {
	c     *websocket.Conn
	wmu   sync.Mutex
	acks  chan ack
	quiet chan struct{}
	once  sync.Once
	done  chan struct{}
}

func (c *fakeConn) write(v any) error {
	c.wmu.Lock()
	defer c.wmu.Unlock()
	return c.c.WriteJSON(v)
}

// pings pings like Slack does, far more often than the client's limit,
// until told to go quiet.
func (c *fakeConn) pings() {
	t := time.NewTicker(50 * time.Millisecond)
	defer t.Stop()
	for {
		select {
		case <-c.quiet:
			return
		case <-c.done:
			return
		case <-t.C:
			c.wmu.Lock()
			err := c.c.WriteControl(websocket.PingMessage, nil, time.Now().Add(time.Second))
			c.wmu.Unlock()
			if err != nil {
				return
			}
		}
	}
}

func (c *fakeConn) read() {
	defer close(c.done)
	for {
		var m struct {
			EnvelopeID string `json:"envelope_id"`
		}
		if err := c.c.ReadJSON(&m); err != nil {
			return
		}
		c.acks <- ack{m.EnvelopeID, time.Now()}
	}
}

// send delivers an envelope and returns when it was sent.
func (c *fakeConn) send(t *testing.T, typ, envelope string, payload any) time.Time {
	t.Helper()
	at := time.Now()
	if err := c.write(map[string]any{"type": typ, "envelope_id": envelope, "payload": payload, "accepts_response_payload": typ != "events_api"}); err != nil {
		t.Fatalf("send envelope: %v", err)
	}
	return at
}

// acked waits for the ack of envelope.
func (c *fakeConn) acked(t *testing.T, envelope string) time.Time {
	t.Helper()
	for {
		if a := chattest.Next(t, c.acks, "the ack of envelope "+envelope); a.id == envelope {
			return a.at
		}
	}
}

func (c *fakeConn) drop() { c.c.Close() }

// eventPayload is an Events API callback as Slack sends it.
func eventPayload(eventID string, inner map[string]any) map[string]any {
	return map[string]any{
		"token": "x", "team_id": "T1", "api_app_id": "A1", "type": "event_callback",
		"event_id": eventID, "event_time": 1700000000, "event": inner,
	}
}

func mention(channel, ts, text string) map[string]any {
	return map[string]any{"type": "app_mention", "user": "U1", "text": text, "ts": ts, "channel": channel, "event_ts": ts}
}

func dm(user, text string) map[string]any {
	return map[string]any{"type": "message", "channel_type": "im", "user": user, "text": text, "ts": "200.1", "channel": "D1", "event_ts": "200.1"}
}

// triggers numbers trigger ids: Slack gives every command and click its
// own, and the adapter answers each id once.
var triggers atomic.Int64

func trigger() string { return fmt.Sprintf("t%d", triggers.Add(1)) }

func command(responseURL, text string) map[string]any {
	return map[string]any{"command": "/signpost", "text": text, "channel_id": "C1", "user_id": "U1",
		"team_id": "T1", "response_url": responseURL, "trigger_id": trigger()}
}

func click(responseURL, actionID, value string) map[string]any {
	return map[string]any{
		"type": "block_actions", "user": map[string]any{"id": "U1"}, "channel": map[string]any{"id": "C1"},
		"response_url": responseURL, "trigger_id": trigger(),
		"actions": []map[string]any{{"type": "button", "action_id": actionID, "value": value, "block_id": "alternatives", "action_ts": "1"}},
	}
}

var testBot = chattest.Bot

// start runs an adapter against the fake until the test ends, and returns
// it with its log.
func start(t *testing.T, f *fakeSlack, cfg Config) (*Adapter, *chattest.Logs, <-chan error) {
	t.Helper()
	cfg.APIURL = f.srv.URL + "/api"
	if cfg.BotToken == "" {
		cfg.BotToken = "xoxb-test"
	}
	if cfg.AppToken == "" && cfg.Mode != "http" {
		cfg.AppToken = "xapp-test"
	}
	log, l := chattest.Logger()
	a, err := New(cfg, testBot(), log)
	if err != nil {
		t.Fatal(err)
	}
	a.ping = 2 * time.Second
	return a, l, chattest.Running(t, a.Run)
}

// socket is an adapter in Socket Mode against the fake, and its socket:
// each call one envelope, answered.
type socket struct {
	*fakeSlack
	c   *fakeConn
	log *chattest.Logs
	n   int
}

// newSocket starts an adapter against a new fake, set up first by each
// of setup.
func newSocket(t *testing.T, setup ...func(*fakeSlack)) *socket {
	t.Helper()
	f := newFakeSlack(t)
	for _, set := range setup {
		set(f)
	}
	_, l, _ := start(t, f, Config{})
	return &socket{fakeSlack: f, c: f.conn(), log: l}
}

// envelope sends payload in a new envelope of typ, and waits for its ack
// and the one message that answers it.
func (s *socket) envelope(typ string, payload map[string]any) {
	s.t.Helper()
	s.n++
	id := fmt.Sprintf("x%d", s.n)
	s.c.send(s.t, typ, id, payload)
	s.c.acked(s.t, id)
	s.wait(1)
}

// event sends the Events API event inner and returns the post that
// answers it.
func (s *socket) event(inner map[string]any) url.Values {
	s.t.Helper()
	s.envelope("events_api", eventPayload(fmt.Sprintf("Ev%d", s.n+1), inner))
	return s.lastPost()
}

// command sends /signpost text and returns what answers it on the
// response_url.
func (s *socket) command(text string) map[string]any {
	s.t.Helper()
	s.envelope("slash_commands", command(s.hookURL(), text))
	return s.lastHook()
}

// click clicks a button with actionID and value and returns what answers
// it on the response_url.
func (s *socket) click(actionID, value string) map[string]any {
	s.t.Helper()
	s.envelope("interactive", click(s.hookURL(), actionID, value))
	return s.lastHook()
}

// sign signs a request body as Slack does: HMAC-SHA256 over
// "v0:timestamp:body" with the signing secret.
func sign(secret string, ts time.Time, body string) http.Header {
	stamp := fmt.Sprint(ts.Unix())
	mac := hmac.New(sha256.New, []byte(secret))
	io.WriteString(mac, "v0:"+stamp+":"+body)
	h := http.Header{}
	h.Set("X-Slack-Request-Timestamp", stamp)
	h.Set("X-Slack-Signature", "v0="+hex.EncodeToString(mac.Sum(nil)))
	return h
}

// blocksOf decodes the blocks of a chat.postMessage call.
func blocksOf(t *testing.T, v url.Values) []map[string]any {
	t.Helper()
	var bs []map[string]any
	if err := json.Unmarshal([]byte(v.Get("blocks")), &bs); err != nil {
		t.Fatalf("blocks %q: %v", v.Get("blocks"), err)
	}
	return bs
}

// hookBlocks decodes the blocks of a response_url call.
func hookBlocks(t *testing.T, m map[string]any) []map[string]any {
	t.Helper()
	raw, _ := json.Marshal(m["blocks"])
	var bs []map[string]any
	if err := json.Unmarshal(raw, &bs); err != nil {
		t.Fatal(err)
	}
	return bs
}

// headerOf is the text of the first header block, "" if none.
func headerOf(bs []map[string]any) string {
	for _, b := range bs {
		if b["type"] == "header" {
			return b["text"].(map[string]any)["text"].(string)
		}
	}
	return ""
}

// contains reports whether s appears anywhere in the blocks' JSON, as
// Slack would read it (no HTML escaping).
func contains(bs []map[string]any, s string) bool { return strings.Contains(blocks(bs).String(), s) }
