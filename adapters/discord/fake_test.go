package discord

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/bathnes/signpost/bot"
	"github.com/bathnes/signpost/internal/chattest"
	"github.com/gorilla/websocket"
)

// call is one REST request the fake received.
type call struct {
	Method, Path string
	Body         map[string]any
	Raw          []byte
}

// fakeDiscord speaks the parts of Discord's REST API and gateway protocol
// the adapter uses, and records what it is sent.
type fakeDiscord struct {
	t   *testing.T
	srv *httptest.Server

	mu    sync.Mutex
	calls []call
	// limited is how many REST calls to refuse with 429 first.
	limited int
	// closeWith closes the gateway with this code after identify, when
	// refuse says so for the identify's intents.
	closeWith int
	refuse    func(intents int) bool
	// identifies and resumes are the op 2 and op 6 payloads received.
	identifies []map[string]any
	resumes    []map[string]any

	sent  chan call
	conns chan *gatewayConn
}

func newFakeDiscord(t *testing.T) *fakeDiscord {
	t.Helper()
	f := &fakeDiscord{t: t, sent: make(chan call, 100), conns: make(chan *gatewayConn, 10)}
	mux := http.NewServeMux()
	mux.HandleFunc("GET /api/v9/gateway", func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprintf(w, `{"url":"ws://%s/gw"}`, r.Host)
	})
	record := func(w http.ResponseWriter, r *http.Request) (call, bool) {
		raw, _ := io.ReadAll(r.Body)
		c := call{Method: r.Method, Path: r.URL.Path, Raw: raw}
		json.Unmarshal(raw, &c.Body)
		f.mu.Lock()
		defer f.mu.Unlock()
		if f.limited > 0 {
			f.limited--
			w.Header().Set("Content-Type", "application/json")
			w.WriteHeader(http.StatusTooManyRequests)
			io.WriteString(w, `{"message":"You are being rate limited.","retry_after":0.05,"global":false}`)
			c.Path = "429 " + c.Path
			f.calls = append(f.calls, c)
			return c, false
		}
		f.calls = append(f.calls, c)
		return c, true
	}
	mux.HandleFunc("PUT /api/v9/applications/{app}/", func(w http.ResponseWriter, r *http.Request) {
		if c, ok := record(w, r); ok {
			io.WriteString(w, string(c.Raw))
			f.sent <- c
		}
	})
	mux.HandleFunc("POST /api/v9/channels/{ch}/messages", func(w http.ResponseWriter, r *http.Request) {
		if c, ok := record(w, r); ok {
			fmt.Fprintf(w, `{"id":"900","channel_id":%q}`, r.PathValue("ch"))
			f.sent <- c
		}
	})
	mux.HandleFunc("POST /api/v9/interactions/{id}/{token}/callback", func(w http.ResponseWriter, r *http.Request) {
		if c, ok := record(w, r); ok {
			w.WriteHeader(http.StatusNoContent)
			f.sent <- c
		}
	})
	mux.HandleFunc("PATCH /api/v9/webhooks/{app}/{token}/messages/{msg}", func(w http.ResponseWriter, r *http.Request) {
		if c, ok := record(w, r); ok {
			io.WriteString(w, `{"id":"901","channel_id":"C1"}`)
			f.sent <- c
		}
	})
	chattest.ServeGateway(t, mux, func(ws *websocket.Conn) { f.session(&gatewayConn{ws: ws, beat: make(chan struct{}, 1)}) })
	f.srv = httptest.NewServer(mux)
	t.Cleanup(f.srv.Close)
	return f
}

// session runs one gateway connection: hello, then identify (answered by
// READY, or by a close code) or resume (answered by RESUMED), then
// heartbeat acks.
func (f *fakeDiscord) session(c *gatewayConn) {
	c.write(map[string]any{"op": 10, "d": map[string]any{"heartbeat_interval": 45000}})
	var first struct {
		Op int            `json:"op"`
		D  map[string]any `json:"d"`
	}
	if err := c.ws.ReadJSON(&first); err != nil {
		return
	}
	switch first.Op {
	case 2:
		intents := int(first.D["intents"].(float64))
		f.mu.Lock()
		f.identifies = append(f.identifies, first.D)
		code, refuse := f.closeWith, f.refuse
		f.mu.Unlock()
		if code != 0 && (refuse == nil || refuse(intents)) {
			c.wmu.Lock()
			c.ws.WriteMessage(websocket.CloseMessage, websocket.FormatCloseMessage(code, "refused"))
			c.wmu.Unlock()
			c.ws.Close()
			return
		}
		c.dispatch("READY", map[string]any{
			"v": 9, "session_id": "sess1",
			"user":        map[string]any{"id": "BOT", "username": "signpost", "bot": true},
			"application": map[string]any{"id": "APP"}, "guilds": []any{},
		})
	case 6:
		f.mu.Lock()
		f.resumes = append(f.resumes, first.D)
		f.mu.Unlock()
		c.dispatch("RESUMED", map[string]any{})
	default:
		f.t.Errorf("first gateway op %d; want identify or resume", first.Op)
		return
	}
	f.conns <- c
	for {
		var m struct {
			Op int `json:"op"`
		}
		if err := c.ws.ReadJSON(&m); err != nil {
			return
		}
		if m.Op == 1 {
			c.write(map[string]any{"op": 11})
			select {
			case c.beat <- struct{}{}:
			default:
			}
		}
	}
}

// conn waits for a ready (or resumed) gateway connection.
func (f *fakeDiscord) conn() *gatewayConn {
	f.t.Helper()
	return chattest.Next(f.t, f.conns, "a gateway connection the adapter opens")
}

// wait waits for the next REST call the fake accepted.
func (f *fakeDiscord) wait() call {
	f.t.Helper()
	return chattest.Next(f.t, f.sent, "a call to Discord")
}

// quiet asserts nothing more is sent for a moment.
func (f *fakeDiscord) quiet() {
	f.t.Helper()
	chattest.Quiet(f.t, f.sent)
}

type gatewayConn struct {
	ws   *websocket.Conn
	wmu  sync.Mutex
	seq  int
	beat chan struct{} // a heartbeat arrived
}

// heartbeating waits for the client's first heartbeat: from then on the
// connection is fully up. (discordgo's heartbeat goroutine, if it first
// runs after a drop, closes whatever connection is current.)
func (c *gatewayConn) heartbeating(t *testing.T) {
	t.Helper()
	chattest.Next(t, c.beat, "a heartbeat from the client")
}

func (c *gatewayConn) write(v any) error {
	c.wmu.Lock()
	defer c.wmu.Unlock()
	return c.ws.WriteJSON(v)
}

func (c *gatewayConn) dispatch(event string, d any) {
	c.wmu.Lock()
	c.seq++
	seq := c.seq
	c.wmu.Unlock()
	c.write(map[string]any{"op": 0, "t": event, "s": seq, "d": d})
}

func (c *gatewayConn) drop() { c.ws.Close() }

func guildMessage(id, content string, mentionsBot bool) map[string]any {
	m := map[string]any{"id": id, "channel_id": "C1", "guild_id": "G1", "type": 0, "content": content,
		"author": map[string]any{"id": "U1", "username": "resident"}, "mentions": []any{}}
	if mentionsBot {
		m["mentions"] = []any{map[string]any{"id": "BOT", "username": "signpost", "bot": true}}
	}
	return m
}

func directMessage(id, content string) map[string]any {
	return map[string]any{"id": id, "channel_id": "D1", "type": 0, "content": content,
		"author": map[string]any{"id": "U1", "username": "resident"}, "mentions": []any{}}
}

// interactionIDs numbers interactions: Discord gives each its own id, and
// the adapter answers each id once.
var interactionIDs atomic.Int64

func interactionID() string { return fmt.Sprintf("I%d", interactionIDs.Add(1)) }

// slash is an INTERACTION_CREATE for /signpost with the given options.
func slash(opts ...map[string]any) map[string]any {
	return map[string]any{"id": interactionID(), "application_id": "APP", "type": 2, "token": "tok", "version": 1,
		"channel_id": "C1", "guild_id": "G1", "member": map[string]any{"user": map[string]any{"id": "U1"}},
		"data": map[string]any{"id": "CMD", "name": "signpost", "type": 1, "options": opts}}
}

func opt(name, value string) map[string]any {
	return map[string]any{"name": name, "type": 3, "value": value}
}

func autocomplete(typed string) map[string]any {
	i := slash(map[string]any{"name": "question", "type": 3, "value": typed, "focused": true})
	i["type"] = 4
	return i
}

func clickButton(customID string) map[string]any {
	return map[string]any{"id": interactionID(), "application_id": "APP", "type": 3, "token": "tok2", "version": 1,
		"channel_id": "C1", "guild_id": "G1", "member": map[string]any{"user": map[string]any{"id": "U1"}},
		"message": map[string]any{"id": "900", "channel_id": "C1"},
		"data":    map[string]any{"custom_id": customID, "component_type": 2}}
}

func pickOption(customID, value string) map[string]any {
	i := clickButton(customID)
	i["data"] = map[string]any{"custom_id": customID, "component_type": 3, "values": []string{value}}
	return i
}

var testBot = chattest.Bot

// slowBot answers like the core, but late, to exercise deferral.
type slowBot struct {
	*bot.Bot
	delay time.Duration
}

func (s slowBot) Answer(ctx context.Context, q bot.Question) (bot.Answer, error) {
	time.Sleep(s.delay)
	return s.Bot.Answer(ctx, q)
}

// newAdapter returns an adapter whose REST calls and gateway lookup reach
// the fake through a transport that rewrites Discord's host, as api_url
// does in production.
func newAdapter(t *testing.T, f *fakeDiscord, cfg Config, b bot.Answerer) (*Adapter, *chattest.Logs) {
	t.Helper()
	cfg.APIURL = f.srv.URL + "/api/v9"
	if cfg.Token == "" {
		cfg.Token = "test-token"
	}
	if cfg.AppID == "" {
		cfg.AppID = "APP"
	}
	if b == nil {
		b = testBot()
	}
	log, l := chattest.Logger()
	a, err := New(cfg, b, log, nil)
	if err != nil {
		t.Fatal(err)
	}
	return a, l
}

// start runs a gateway adapter against the fake until the test ends.
func start(t *testing.T, f *fakeDiscord, cfg Config, b bot.Answerer) (*Adapter, *chattest.Logs, <-chan error) {
	t.Helper()
	a, l := newAdapter(t, f, cfg, b)
	errc := chattest.Running(t, a.Run)
	// Registration comes first.
	if c := f.wait(); !strings.Contains(c.Path, "/commands") {
		t.Fatalf("first call %s %s; want command registration", c.Method, c.Path)
	}
	return a, l, errc
}

// gateway is an adapter on the gateway against the fake, and its
// connection.
type gateway struct {
	*fakeDiscord
	c    *gatewayConn
	log  *chattest.Logs
	errc <-chan error // Run's error, if it ends
}

// newGateway starts an adapter against a new fake, set up first by each
// of setup, and waits for its connection.
func newGateway(t *testing.T, setup ...func(*fakeDiscord)) *gateway {
	t.Helper()
	f := newFakeDiscord(t)
	for _, set := range setup {
		set(f)
	}
	_, l, errc := start(t, f, Config{}, nil)
	return &gateway{fakeDiscord: f, c: f.conn(), log: l, errc: errc}
}

// send dispatches event with d and returns the REST call that answers it.
func (g *gateway) send(event string, d map[string]any) call {
	g.t.Helper()
	g.c.dispatch(event, d)
	return g.wait()
}

// embedTitle is the title of a recorded message or response's first embed.
func embedTitle(body map[string]any) string {
	if d, ok := body["data"].(map[string]any); ok {
		body = d
	}
	es, _ := body["embeds"].([]any)
	if len(es) == 0 {
		return ""
	}
	t, _ := es[0].(map[string]any)["title"].(string)
	return t
}

// checkNoPings asserts a body (or its data) carries an empty parse list in
// allowed_mentions: nothing signpost sends can ping anyone.
func checkNoPings(t *testing.T, body map[string]any) {
	t.Helper()
	if d, ok := body["data"].(map[string]any); ok {
		body = d
	}
	am, ok := body["allowed_mentions"].(map[string]any)
	if !ok {
		t.Fatalf("no allowed_mentions in %v", body)
	}
	parse, ok := am["parse"].([]any)
	if !ok || len(parse) != 0 {
		t.Errorf("allowed_mentions.parse = %v; want an empty list", am["parse"])
	}
	if am["replied_user"] == true {
		t.Error("allowed_mentions.replied_user is true: the reply would ping the asker")
	}
}

func jsonUnmarshal(b []byte, v any) error { return json.Unmarshal(b, v) }
