package discord

import (
	"crypto/ed25519"
	"fmt"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/bathnes/signpost/internal/chattest"
)

// channelChat is one person (U1) talking to signpost in channel C1 of a
// server through the fake gateway: each turn a MESSAGE_CREATE that
// mentions the bot, answered with a reply posted to C1. It is one
// conversation throughout.
type channelChat struct {
	t *testing.T
	f *fakeDiscord
	c *gatewayConn
	n int
}

func newChannelChat(t *testing.T) *channelChat {
	t.Helper()
	f := newFakeDiscord(t)
	start(t, f, Config{}, nil)
	return &channelChat{t: t, f: f, c: f.conn()}
}

// Say mentions signpost and returns the message it posted in reply.
func (ch *channelChat) Say(text string) chattest.Said {
	ch.t.Helper()
	ch.n++
	id := fmt.Sprintf("M%d", ch.n)
	ch.c.dispatch("MESSAGE_CREATE", guildMessage(id, "<@BOT> "+text, true))
	got := ch.f.wait()
	if got.Method != "POST" || got.Path != "/api/v9/channels/C1/messages" {
		ch.t.Fatalf("%q: sent %s %s; want a message to C1", text, got.Method, got.Path)
	}
	if ref, _ := got.Body["message_reference"].(map[string]any); ref["message_id"] != id {
		ch.t.Errorf("%q: reply refers to %v; want %s", text, ref, id)
	}
	checkNoPings(ch.t, got.Body)
	return message{got.Body, string(got.Raw)}
}

// Press clicks the button that sends value, through the gateway, and
// returns the message that replaced the one it was on.
func (ch *channelChat) Press(value string) chattest.Said {
	ch.t.Helper()
	ch.c.dispatch("INTERACTION_CREATE", clickButton(idSend+value))
	got := ch.f.wait()
	if got.Body["type"] != float64(7) {
		ch.t.Fatalf("click %q: response type %v; want 7 (the message updated in place)", value, got.Body["type"])
	}
	data, _ := got.Body["data"].(map[string]any)
	checkNoPings(ch.t, data)
	return message{data, marshal(data)}
}

// endpoint is the HTTP interactions endpoint: each turn a /signpost
// question or a button click, signed with ed25519 as Discord signs them,
// from U1 in C1; the answer is the response Discord receives (or, when
// deferred, the edit that follows it).
type endpoint struct {
	t   *testing.T
	f   *fakeDiscord
	srv *httptest.Server
	key ed25519.PrivateKey
}

func newEndpoint(t *testing.T) *endpoint {
	t.Helper()
	f := newFakeDiscord(t)
	srv, key, _, _ := interactionsEndpoint(t, f, nil)
	return &endpoint{t: t, f: f, srv: srv, key: key}
}

// Say sends /signpost question:<q>.
func (e *endpoint) Say(q string) chattest.Said {
	e.t.Helper()
	return e.interact(q, marshal(slash(opt("question", q))), 4)
}

// Press clicks the button that sends reply.
func (e *endpoint) Press(reply string) chattest.Said {
	e.t.Helper()
	return e.interact(reply, marshal(clickButton(idSend+reply)), 7)
}

func (e *endpoint) interact(what, body string, want float64) message {
	e.t.Helper()
	code, out := signed(e.t, e.srv, e.key, time.Now(), body)
	if code != 200 {
		e.t.Fatalf("%q: status %d; want 200", what, code)
	}
	if out["type"] == float64(5) || out["type"] == float64(6) {
		// Deferred on a busy machine: the answer is the edit.
		edit := e.f.wait()
		return message{edit.Body, string(edit.Raw)}
	}
	if out["type"] != want {
		e.t.Fatalf("%q: response type %v; want %v", what, out["type"], want)
	}
	data, _ := out["data"].(map[string]any)
	checkNoPings(e.t, data)
	return message{data, marshal(data)}
}

// message is what Discord received: a message's body, and its JSON.
type message struct {
	body map[string]any
	raw  string
}

func (m message) Title() string { return embedTitle(m.body) }

// Has reports whether the message says s anywhere (embeds, fields,
// buttons).
func (m message) Has(s string) bool { return strings.Contains(m.raw, s) }

// Part is the text of the first embed's fields named heading, continued
// fields included.
func (m message) Part(heading string) string {
	var out []string
	es, _ := m.body["embeds"].([]any)
	for _, e := range es {
		fs, _ := e.(map[string]any)["fields"].([]any)
		for _, f := range fs {
			f := f.(map[string]any)
			if n, _ := f["name"].(string); strings.HasPrefix(n, heading) {
				v, _ := f["value"].(string)
				out = append(out, v)
			}
		}
	}
	return strings.Join(out, "\n")
}

func (m message) String() string { return m.raw }

// TestConversationsInAChannel: every conversation script, each in a
// channel of its own, through the gateway.
func TestConversationsInAChannel(t *testing.T) {
	t.Parallel()
	chattest.Conversations(t, func(t *testing.T) chattest.Chat { return newChannelChat(t) })
}

// TestConversationsBySlashCommand: every conversation script through
// signed /signpost interactions, which are one conversation in a channel
// as the person's messages there are.
func TestConversationsBySlashCommand(t *testing.T) {
	t.Parallel()
	chattest.Conversations(t, func(t *testing.T) chattest.Chat { return newEndpoint(t) })
}
