package main

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/bathnes/signpost/internal/chattest"
	"github.com/bathnes/signpost/internal/pgtest"
	"github.com/gorilla/websocket"
)

// slackPosts is a fake Slack Web API that keeps what each channel was sent.
type slackPosts struct {
	mu    sync.Mutex
	posts map[string][]string
	srv   *httptest.Server
}

func newSlackPosts(t *testing.T) *slackPosts {
	s := &slackPosts{posts: map[string][]string{}}
	s.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		r.ParseForm()
		switch r.URL.Path {
		case "/api/auth.test":
			io.WriteString(w, `{"ok":true,"user_id":"UBOT","team_id":"T1"}`)
		case "/api/chat.postMessage":
			s.mu.Lock()
			s.posts[r.PostForm.Get("channel")] = append(s.posts[r.PostForm.Get("channel")], r.PostForm.Get("text")+" "+r.PostForm.Get("blocks"))
			s.mu.Unlock()
			fmt.Fprintf(w, `{"ok":true,"channel":%q,"ts":"2.2"}`, r.PostForm.Get("channel"))
		default:
			io.WriteString(w, `{"ok":false,"error":"unknown_method"}`)
		}
	}))
	t.Cleanup(s.srv.Close)
	return s
}

// waitFor waits until channel has been sent n messages, the last saying
// want, and returns them. The two minutes only catch a hang.
func (s *slackPosts) waitFor(t *testing.T, channel string, n int, want string) []string {
	t.Helper()
	deadline := time.Now().Add(2 * time.Minute)
	for time.Now().Before(deadline) {
		s.mu.Lock()
		got := append([]string(nil), s.posts[channel]...)
		s.mu.Unlock()
		if len(got) >= n && strings.Contains(got[n-1], want) {
			return got
		}
		time.Sleep(20 * time.Millisecond)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	t.Fatalf("%s was sent %q; want %d messages, the last saying %q", channel, s.posts[channel], n, want)
	return nil
}

// discordGateway is a fake Discord: its REST API, and a gateway that
// counts the sessions open at once and the messages answered.
type discordGateway struct {
	srv      *httptest.Server
	mu       sync.Mutex
	open     int
	mostOpen int
	sessions []func(any) // each session's writer, one write at a time; nil once it closed
	identAt  []time.Time
	replies  map[string]int
}

func newDiscordGateway(t *testing.T) *discordGateway {
	d := &discordGateway{replies: map[string]int{}}
	mux := http.NewServeMux()
	mux.HandleFunc("GET /api/v9/gateway", func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprintf(w, `{"url":"ws://%s/gw"}`, r.Host)
	})
	mux.HandleFunc("PUT /api/v9/applications/{app}/", func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body) // before writing: HTTP/1 forbids reading after
		w.Write(body)
	})
	mux.HandleFunc("POST /api/v9/channels/{ch}/messages", func(w http.ResponseWriter, r *http.Request) {
		var m struct {
			Reference struct {
				MessageID string `json:"message_id"`
			} `json:"message_reference"`
		}
		json.NewDecoder(r.Body).Decode(&m)
		d.mu.Lock()
		d.replies[m.Reference.MessageID]++
		d.mu.Unlock()
		fmt.Fprintf(w, `{"id":"900","channel_id":%q}`, r.PathValue("ch"))
	})
	chattest.ServeGateway(t, mux, d.session)
	d.srv = httptest.NewServer(mux)
	t.Cleanup(d.srv.Close)
	return d
}

func (d *discordGateway) session(ws *websocket.Conn) {
	defer ws.Close()
	var wmu sync.Mutex
	write := func(v any) { wmu.Lock(); ws.WriteJSON(v); wmu.Unlock() }
	write(map[string]any{"op": 10, "d": map[string]any{"heartbeat_interval": 45000}})
	var first struct{ Op int }
	if ws.ReadJSON(&first) != nil || first.Op != 2 {
		return
	}
	d.mu.Lock()
	d.open++
	d.mostOpen = max(d.mostOpen, d.open)
	d.identAt = append(d.identAt, time.Now())
	d.sessions = append(d.sessions, write)
	mine := len(d.sessions) - 1
	d.mu.Unlock()
	defer func() { d.mu.Lock(); d.open--; d.sessions[mine] = nil; d.mu.Unlock() }()
	write(map[string]any{"op": 0, "t": "READY", "s": 1, "d": map[string]any{"v": 9, "session_id": "s",
		"user": map[string]any{"id": "BOT", "username": "signpost", "bot": true}, "application": map[string]any{"id": "APP"}, "guilds": []any{}}})
	for {
		var m struct{ Op int }
		if ws.ReadJSON(&m) != nil {
			return
		}
		if m.Op == 1 {
			write(map[string]any{"op": 11})
		}
	}
}

// identified is how many sessions have identified so far.
func (d *discordGateway) identified() int {
	d.mu.Lock()
	defer d.mu.Unlock()
	return len(d.identAt)
}

// dm sends a direct message to the newest session, once it is open, as
// Discord would to the one session it has.
func (d *discordGateway) dm(t *testing.T, id, text string) {
	t.Helper()
	var write func(any)
	eventually(t, "a replica opens a gateway session", func() bool {
		d.mu.Lock()
		defer d.mu.Unlock()
		if len(d.sessions) > 0 {
			write = d.sessions[len(d.sessions)-1] // nil when it has closed: wait for the next
		}
		return write != nil
	})
	write(map[string]any{"op": 0, "t": "MESSAGE_CREATE", "s": 2, "d": map[string]any{"id": id, "channel_id": "DD1", "type": 0,
		"content": text, "author": map[string]any{"id": "U1", "username": "resident"}, "mentions": []any{}}})
}

// replied is how many times message id was answered.
func (d *discordGateway) replied(id string) int {
	d.mu.Lock()
	defer d.mu.Unlock()
	return d.replies[id]
}

// replica is one `signpost serve` process.
type replica struct {
	cmd   *exec.Cmd
	log   *syncBuffer
	slack string
}

func startReplica(t *testing.T, bin, cfg string) *replica {
	t.Helper()
	return startWith(t, bin, cfg, "DISCORD_BOT_TOKEN=good", "DISCORD_APP_ID=APP")
}

// startWith starts `signpost serve` on Slack in HTTP mode, with env more.
func startWith(t *testing.T, bin, cfg string, more ...string) *replica {
	t.Helper()
	cmd := exec.Command(bin, "serve", "--config", cfg)
	cmd.Env = append(append(os.Environ(), "SLACK_BOT_TOKEN=xoxb-good", "SLACK_SIGNING_SECRET=s3cret", "DISCORD_BOT_TOKEN="), more...)
	r := &replica{cmd: cmd, log: &syncBuffer{}}
	cmd.Stderr = r.log
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { cmd.Process.Kill(); cmd.Wait() })
	r.slack = listeningOn(t, r.log, "adapter=slack")
	return r
}

// event delivers a signed DM event to a replica's Events API endpoint.
func (r *replica) event(t *testing.T, id, channel, text string) {
	t.Helper()
	body := fmt.Sprintf(`{"type":"event_callback","event_id":%q,"event":{"type":"message","channel_type":"im","user":"U1","text":%q,"ts":"1.1","channel":%q}}`, id, text, channel)
	resp, err := http.DefaultClient.Do(signedEvent(r.slack, body))
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
}

func (r *replica) holding() bool {
	return strings.Contains(r.log.String(), "holding the gateway session")
}

// standby reports whether the replica has found the gateway session held
// elsewhere and is waiting to take it over.
func (r *replica) standby() bool {
	return strings.Contains(r.log.String(), "waiting to hold the gateway session")
}

// eventually waits for cond, failing the test if it is still false after
// two minutes: long past anything the code waits for, so only a hang
// trips it, never a slow machine.
func eventually(t *testing.T, what string, cond func() bool) {
	t.Helper()
	for end := time.Now().Add(2 * time.Minute); !cond(); time.Sleep(20 * time.Millisecond) {
		if time.Now().After(end) {
			t.Fatalf("not so after two minutes: %s", what)
		}
	}
}

// TestTwoReplicasOnOnePostgreSQL runs two `signpost serve` processes on
// one real PostgreSQL, against fake Slack (HTTP mode) and Discord
// (gateway) APIs, and checks what replicas must share.
func TestTwoReplicasOnOnePostgreSQL(t *testing.T) {
	url := pgtest.Database(t)
	bin := buildSignpost(t)
	slack, discord := newSlackPosts(t), newDiscordGateway(t)
	cfg := writeConfig(t, slackConfig(slack.srv, fmt.Sprintf(`[serve]
areas_file = ""
[store]
url = %q
[discord]
enabled = true
api_url = %q`, url, discord.srv.URL+"/api/v9")))
	a, b := startReplica(t, bin, cfg), startReplica(t, bin, cfg)
	// Replicas started in a subtest live until the whole test ends.
	top := t

	t.Run("a conversation begun on A continues on B", func(t *testing.T) {
		a.event(t, "Ev-conv-1", "D1", "funding")
		slack.waitFor(t, "D1", 1, "Who is applying?")
		b.event(t, "Ev-conv-2", "D1", "A voluntary or community group")
		slack.waitFor(t, "D1", 2, "What is it for?")
	})

	t.Run("the same event given to both is answered once, 1,000 times", func(t *testing.T) {
		var wg sync.WaitGroup
		jobs := make(chan int)
		for range 32 {
			wg.Go(func() {
				for i := range jobs {
					r := []*replica{a, b}[i%2]
					r.event(t, fmt.Sprintf("Ev-once-%d", i/2), fmt.Sprintf("O%d", i/2), "how do we list our pub")
				}
			})
		}
		for i := range 2000 {
			jobs <- i
		}
		close(jobs)
		wg.Wait()
		answered := func() (once, twice int) {
			slack.mu.Lock()
			defer slack.mu.Unlock()
			for i := range 1000 {
				switch len(slack.posts[fmt.Sprintf("O%d", i)]) {
				case 1:
					once++
				case 0:
				default:
					twice++
				}
			}
			return once, twice
		}
		// Counted once nothing can still be on its way: both replicas are
		// stopped, and a stop sends every answer acknowledged before it
		// exits. Then both start again for the subtests that follow.
		for _, r := range []*replica{a, b} {
			r.cmd.Process.Signal(syscall.SIGTERM)
			if err := r.cmd.Wait(); err != nil {
				t.Errorf("a replica's exit after SIGTERM: %v\n%s", err, r.log)
			}
		}
		a, b = startReplica(top, bin, cfg), startReplica(top, bin, cfg)
		once, twice := answered()
		t.Logf("events answered exactly once: %d of 1000; more than once: %d", once, twice)
		if once != 1000 || twice != 0 {
			t.Errorf("%d answered once, %d more than once; want all 1,000 once", once, twice)
		}
	})

	t.Run("A killed mid-conversation, B answers the next message", func(t *testing.T) {
		a.event(t, "Ev-kill-1", "D2", "funding")
		slack.waitFor(t, "D2", 1, "Who is applying?")
		a.cmd.Process.Signal(syscall.SIGKILL)
		a.cmd.Wait()
		b.event(t, "Ev-kill-2", "D2", "A voluntary or community group")
		slack.waitFor(t, "D2", 2, "What is it for?")
	})

	t.Run("the Discord shard moves from a killed holder, each message answered once", func(t *testing.T) {
		// A is gone, so B holds the session (waits below catch a hang, no
		// more: the verdicts are who holds it, how many sessions were
		// ever open at once, and how many answers each message got).
		eventually(t, "B holds the gateway session after A died", b.holding)
		defer func() {
			if t.Failed() {
				t.Logf("A:\n%s\nB:\n%s", a.log, b.log)
			}
		}()
		// A starts again as the standby.
		a = startReplica(top, bin, cfg)
		eventually(t, "A waits as the standby", a.standby)
		discord.dm(t, "M1", "how do we list our pub")
		eventually(t, "M1 answered", func() bool { return discord.replied("M1") > 0 })
		killed, opened := time.Now(), discord.identified()
		b.cmd.Process.Signal(syscall.SIGKILL)
		b.cmd.Wait()
		eventually(t, "A holds the session after B was killed", a.holding)
		// Holding the lock comes before the session: a message sent
		// before A identifies would go to B's dead one, as Discord's
		// would go nowhere.
		eventually(t, "A's gateway session opens", func() bool { return discord.identified() > opened })
		t.Logf("the shard moved %v after its holder was killed", time.Since(killed).Round(time.Millisecond))
		discord.dm(t, "M2", "who runs PACT here")
		eventually(t, "M2 answered", func() bool { return discord.replied("M2") > 0 })
		// A stop sends what was acknowledged: after it, nothing more of
		// M1 or M2 can be on its way.
		a.cmd.Process.Signal(syscall.SIGTERM)
		a.cmd.Wait()
		a, b = startReplica(top, bin, cfg), startReplica(top, bin, cfg)
		discord.mu.Lock()
		defer discord.mu.Unlock()
		if discord.mostOpen != 1 {
			t.Errorf("%d gateway sessions were open at once; want never more than 1", discord.mostOpen)
		}
		if discord.replies["M1"] != 1 || discord.replies["M2"] != 1 {
			t.Errorf("replies %v; want each message answered once", discord.replies)
		}
	})

	t.Run("areas survive both replicas restarting", func(t *testing.T) {
		a.event(t, "Ev-area-1", "D3", "area Keynsham")
		slack.waitFor(t, "D3", 1, "Keynsham")
		for _, r := range []*replica{a, b} {
			r.cmd.Process.Signal(syscall.SIGTERM)
			r.cmd.Wait()
		}
		a, b = startReplica(top, bin, cfg), startReplica(top, bin, cfg)
		b.event(t, "Ev-area-2", "D3", "who runs PACT here")
		slack.waitFor(t, "D3", 2, "for Keynsham in particular")
	})
}
