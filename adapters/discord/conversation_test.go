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

// say mentions signpost and returns the message it posted in reply.
func (ch *channelChat) say(text string) message {
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

// ask sends /signpost question:<q>.
func (e *endpoint) ask(q string) message {
	e.t.Helper()
	return e.interact(q, marshal(slash(opt("question", q))), 4)
}

// press clicks the button that sends reply.
func (e *endpoint) press(reply string) message {
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

func (m message) title() string { return embedTitle(m.body) }

// has reports whether the message says s anywhere (embeds, fields,
// buttons).
func (m message) has(s string) bool { return strings.Contains(m.raw, s) }

// field is the text of the first embed's fields named name, continued
// fields included.
func (m message) field(name string) string {
	var out []string
	es, _ := m.body["embeds"].([]any)
	for _, e := range es {
		fs, _ := e.(map[string]any)["fields"].([]any)
		for _, f := range fs {
			f := f.(map[string]any)
			if n, _ := f["name"].(string); strings.HasPrefix(n, name) {
				v, _ := f["value"].(string)
				out = append(out, v)
			}
		}
	}
	return strings.Join(out, "\n")
}

// titleOf is the title of the entry with id in the real knowledge base.
func titleOf(t *testing.T, id string) string {
	t.Helper()
	e, ok := chattest.Bot().Base().Entry(id)
	if !ok {
		t.Fatalf("no entry %q", id)
	}
	return e.Title
}

// TestFollowUpsInAChannelKeepTheTopic: in one channel, through the
// gateway, every way of asking more about the last answer gets that entry
// again, for the place the follow-up names; something new is a new
// question.
func TestFollowUpsInAChannelKeepTheTopic(t *testing.T) {
	t.Parallel()
	ch := newChannelChat(t)
	pact := titleOf(t, "pact")
	if got := ch.say("who runs PACT").title(); got != pact {
		t.Fatalf("who runs PACT: %q", got)
	}
	for _, f := range chattest.FollowUps {
		m := ch.say(f.Say)
		if m.title() != pact {
			t.Errorf("%q after PACT: %q; want %q", f.Say, m.title(), pact)
		}
		if f.Place != "" && !m.has("for "+f.Place) {
			t.Errorf("%q: the answer is not for %s: %s", f.Say, f.Place, m.raw)
		}
	}
	if got, want := ch.say("what about the snow wardens").title(), titleOf(t, "active-community-roles"); got != want {
		t.Errorf("what about the snow wardens: %q; want %q", got, want)
	}
}

// TestFollowUpsBySlashCommandKeepTheTopic: the same through signed
// /signpost interactions, which are the same conversation as the
// person's messages in that channel.
func TestFollowUpsBySlashCommandKeepTheTopic(t *testing.T) {
	t.Parallel()
	e := newEndpoint(t)
	acv := titleOf(t, "assets-of-community-value")
	if got := e.ask("how do we list our pub").title(); got != acv {
		t.Fatalf("how do we list our pub: %q", got)
	}
	for _, say := range []string{"what about in Keynsham", "and in Radstock?", "who do I ring about that", "how do we start",
		"is that still going", "how much is it", "who runs it", "where do I apply"} {
		if got := e.ask(say).title(); got != acv {
			t.Errorf("%q after ACV: %q; want %q", say, got, acv)
		}
	}
}

// TestAPlaceSaidOnceDoesNotStickInAChannel: a place named in one
// question leads only it and its follow-ups, and its "nothing in
// particular" is not said twice.
func TestAPlaceSaidOnceDoesNotStickInAChannel(t *testing.T) {
	t.Parallel()
	ch := newChannelChat(t)
	ch.say("bins in Peasedown")
	for _, q := range []string{"who runs PACT", "how do we list our pub"} {
		if m := ch.say(q); m.has("Peasedown") {
			t.Errorf("%q after bins in Peasedown still speaks of Peasedown: %s", q, m.raw)
		}
	}
	if m := ch.say("how do we list our pub in Peasedown"); !m.has("nothing about this for Peasedown St John") {
		t.Errorf("named Peasedown, but the answer says nothing of it: %s", m.raw)
	}
	if m := ch.say("who do I ring about that"); m.has("Peasedown") {
		t.Errorf("who do I ring about that repeats the Peasedown notice: %s", m.raw)
	}
	if m := ch.say("what is participatory budgeting"); m.has("Peasedown") {
		t.Errorf("a new question carries an old question's place: %s", m.raw)
	}
}

// TestAQuestionAfterEveryPromptIsAnsweredBySlashCommand: whatever
// signpost asked last (which area, each finder step, a choice), a
// /signpost question is answered as a question; a button still answers
// the prompt it is on.
func TestAQuestionAfterEveryPromptIsAnsweredBySlashCommand(t *testing.T) {
	t.Parallel()
	e := newEndpoint(t)
	acv, pact, bigLocal := titleOf(t, "assets-of-community-value"), titleOf(t, "pact"), titleOf(t, "big-local")
	tests := []struct {
		name  string
		say   []string
		asked string
		ask   string
		title string
	}{
		{"which area", []string{"who runs PACT here"}, "Which area are you in?", "how do we list our pub", acv},
		{"finder who", []string{"funding"}, "Who is applying?", "how do we list our pub", acv},
		{"finder what", []string{"funding", "a parish council"}, "What is it for?", "who runs PACT in Radstock", pact},
		{"finder how much", []string{"funding", "skip", "skip"}, "Roughly how much", "is Big Local still going?", bigLocal},
		{"finder where", []string{"funding", "skip", "skip", "skip"}, "Where is it?", "who runs PACT in Radstock", pact},
		{"a sum noted", []string{"funding", "two grand"}, "Noted: under £5,000", "how do we list our pub", acv},
		{"a choice", []string{"plan"}, "Which is closer?", "who runs PACT", pact},
	}
	for _, tt := range tests {
		var m message
		for _, s := range tt.say {
			m = e.ask(s)
		}
		if !m.has(tt.asked) {
			t.Fatalf("%s: %s; want %q asked", tt.name, m.raw, tt.asked)
		}
		if got := e.ask(tt.ask).title(); got != tt.title {
			t.Errorf("%s: %q answered %q; want %q", tt.name, tt.ask, got, tt.title)
		}
	}
	e.ask("who runs PACT here")
	if m := e.press("Keynsham"); m.title() != pact || !m.has("for Keynsham") {
		t.Errorf("the Keynsham button: %q; want PACT for Keynsham", m.title())
	}
	// A finder step's buttons still answer it, and a typed sum answers
	// the amount step. The area given at the prompt is where: the finder
	// does not ask it again.
	e.ask("funding")
	e.press("A voluntary or community group")
	e.press("An event")
	if m := e.ask("about £2,000"); m.title() != "Funding routes" || !m.has("under £5,000, in Keynsham.") {
		t.Errorf("about £2,000 at the amount step: %s; want the funding routes under £5,000 in Keynsham", m.raw)
	}
	e.ask("start again")
	e.ask("funding")
	e.press("A voluntary or community group")
	e.press("An event")
	if m := e.ask("about £2,000"); !m.has("Where is it?") {
		t.Errorf("about £2,000 at the amount step: %s; want the next step", m.raw)
	}
	if m := e.press("Bath"); m.title() != "Funding routes" || !m.has("under £5,000, in Bath.") {
		t.Errorf("the Bath button: %q %s; want the funding routes under £5,000 in Bath", m.title(), m.raw)
	}
}

// TestSumsAtEveryFinderStepBySlashCommand: at each step of the finder, a
// sum written any of the ways in chattest.Sums is kept and restated in the result.
func TestSumsAtEveryFinderStepBySlashCommand(t *testing.T) {
	t.Parallel()
	for step := range 4 {
		t.Run(fmt.Sprintf("step %d", step+1), func(t *testing.T) {
			t.Parallel()
			e := newEndpoint(t)
			for _, s := range chattest.Sums {
				e.ask("funding")
				for range step {
					e.ask("skip")
				}
				m := e.ask(s.Say)
				if step != 2 && !m.has("Noted: "+s.Band+".") {
					t.Errorf("%q at step %d: %s; want it noted as %s", s.Say, step+1, m.raw, s.Band)
				}
				for range 3 {
					if m.title() == "Funding routes" {
						break
					}
					m = e.ask("skip")
				}
				if m.title() != "Funding routes" || !m.has(s.Band+".") {
					t.Errorf("%q at step %d: result %q %s; want funding routes for %s", s.Say, step+1, m.title(), m.raw, s.Band)
				}
			}
		})
	}
}

// TestFinderRulesInAChannel: the finder's rules as a volunteer meets them
// on Discord.
func TestFinderRulesInAChannel(t *testing.T) {
	t.Parallel()
	ch := newChannelChat(t)
	m := ch.say("we want to buy the old chapel for about £250,000")
	if strings.Contains(m.field("These fit"), "Ward Councillors Initiative") {
		t.Errorf("the Ward Councillors Initiative fits a £250,000 building: %s", m.field("These fit"))
	}
	if !strings.Contains(m.field("These almost fit"), "Ward Councillors Initiative: small local project funding. Not quite: the documents call it investment in small local projects") {
		t.Errorf("no reason why the Ward Councillors Initiative does not fit: %s", m.field("These almost fit"))
	}
	if !m.has("For a building or land") {
		t.Errorf("the old chapel is not read as a building: %s", m.raw)
	}

	// Each finder starts afresh: "start again" forgets the place the last
	// one was told, which a new finder would otherwise take as known.
	finder := func(say ...string) message {
		t.Helper()
		ch.say("start again")
		var m message
		for _, s := range say {
			m = ch.say(s)
		}
		if m.title() != "Funding routes" {
			t.Fatalf("%q: %s; want the funding routes", say, m.raw)
		}
		return m
	}
	for _, tt := range []struct {
		who, place string
		fits       bool
	}{{"residents", "Radstock", true}, {"residents", "Westfield", true}, {"residents", "Keynsham", false}, {"a parish council", "Radstock", false}} {
		m := finder("funding", tt.who, "an event", "under 5k", tt.place)
		if got := strings.Contains(m.field("These fit"), "Big Local"); got != tt.fits {
			t.Errorf("%s in %s: Big Local fits %v; want %v", tt.who, tt.place, got, tt.fits)
		}
	}

	m = ch.say("we are a community group wanting around 250k of funding for solar panels")
	raise := m.field("Ways to raise money yourselves, not funds to apply to")
	if !strings.Contains(raise, "Community Share Offers") || !strings.Contains(raise, "Community energy (Bath") {
		t.Errorf("share offers and the energy society's share issue are not listed apart: %q", raise)
	}
	if fits := m.field("These fit"); strings.Contains(fits, "Share Offers") || strings.Contains(fits, "Community energy") {
		t.Errorf("a share issue is listed under These fit: %s", fits)
	}

	for _, thing := range []string{"buy the old chapel", "repair the village hall", "save our pub", "take over the shop", "run the library"} {
		if m := finder("funding", "a community group", thing, "skip", "skip"); !m.has("for a building or land") {
			t.Errorf("%q is not read as a building: %s", thing, m.raw)
		}
	}
}
