package slack

import (
	"fmt"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/bathnes/signpost/internal/chattest"
)

// thread is one Slack thread in channel C1, over the HTTP Events API:
// each turn is a signed app_mention from U1 in the thread, answered there
// with chat.postMessage on the fake Web API. Buttons are signed clicks,
// answered through the response_url. It is one conversation throughout.
type thread struct {
	t   *testing.T
	f   *fakeSlack
	srv *httptest.Server
	ts  string
	n   int
}

func newThread(t *testing.T) *thread {
	t.Helper()
	f := newFakeSlack(t)
	srv, _ := httpAdapter(t, f)
	return &thread{t: t, f: f, srv: srv, ts: "500.1"}
}

// say mentions signpost in the thread and returns the blocks it posted
// in reply, checking they went to the thread.
func (th *thread) say(text string) []map[string]any {
	th.t.Helper()
	th.n++
	ev := mention("C1", fmt.Sprintf("500.%d", th.n+1), "<@UBOT> "+text)
	ev["thread_ts"] = th.ts
	body := jsonBody(eventPayload(fmt.Sprintf("EvT%d", th.n), ev))
	if code, _ := post(th.t, th.srv, "/slack/events", "application/json", body, sign(secret, time.Now(), body)); code != 200 {
		th.t.Fatalf("%q: status %d; want 200", text, code)
	}
	th.f.wait(1)
	p := th.f.lastPost()
	if p.Get("channel") != "C1" || p.Get("thread_ts") != th.ts {
		th.t.Fatalf("%q answered in channel %q thread %q; want C1 thread %s", text, p.Get("channel"), p.Get("thread_ts"), th.ts)
	}
	return blocksOf(th.t, p)
}

// press clicks a button whose value is value on signpost's last message
// and returns the blocks that replace it.
func (th *thread) press(value string) []map[string]any {
	th.t.Helper()
	body := url2form(click(th.f.hookURL(), actionReply+":0", value))
	if code, _ := post(th.t, th.srv, "/slack/interactive", "application/x-www-form-urlencoded", body, sign(secret, time.Now(), body)); code != 200 {
		th.t.Fatalf("click %q: status %d; want 200", value, code)
	}
	th.f.wait(1)
	h := th.f.lastHook()
	if h["replace_original"] != true {
		th.t.Errorf("click %q: replace_original %v; want the answer in place of the prompt", value, h["replace_original"])
	}
	return hookBlocks(th.t, h)
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

// sectionOf is the text of the section block headed *heading*, or "".
func sectionOf(bs []map[string]any, heading string) string {
	for _, b := range bs {
		if b["type"] != "section" {
			continue
		}
		tb, _ := b["text"].(map[string]any)
		text, _ := tb["text"].(string)
		if strings.HasPrefix(text, "*"+heading+"*") {
			return text
		}
	}
	return ""
}

// TestFollowUpsInAThreadKeepTheTopic: in one thread, every way of asking
// more about the last answer gets that entry again, for the place the
// follow-up names; something new is a new question.
func TestFollowUpsInAThreadKeepTheTopic(t *testing.T) {
	t.Parallel()
	th := newThread(t)
	pact := titleOf(t, "pact")
	if got := headerOf(th.say("who runs PACT")); got != pact {
		t.Fatalf("who runs PACT: header %q", got)
	}
	for _, f := range chattest.FollowUps {
		bs := th.say(f.Say)
		if got := headerOf(bs); got != pact {
			t.Errorf("%q after PACT: header %q; want %q", f.Say, got, pact)
		}
		if f.Place != "" && !contains(bs, "for "+f.Place) {
			t.Errorf("%q: the answer is not for %s: %v", f.Say, f.Place, bs)
		}
	}
	if got, want := headerOf(th.say("what about the snow wardens")), titleOf(t, "active-community-roles"); got != want {
		t.Errorf("what about the snow wardens: header %q; want %q", got, want)
	}
	th.say("bins in Peasedown")
	if bs := th.say("who do I ring about that"); !contains(bs, "council service (Bins") {
		t.Errorf("who do I ring about that, after bins: %v; want the bins service again", bs)
	}
}

// TestAPlaceSaidOnceDoesNotStickInAThread: a place named in one question
// leads only it and its follow-ups, and its "nothing in particular" is
// not said twice.
func TestAPlaceSaidOnceDoesNotStickInAThread(t *testing.T) {
	t.Parallel()
	th := newThread(t)
	th.say("bins in Peasedown")
	for _, q := range []string{"who runs PACT", "how do we list our pub"} {
		if bs := th.say(q); contains(bs, "Peasedown") {
			t.Errorf("%q after bins in Peasedown still speaks of Peasedown: %v", q, bs)
		}
	}
	if bs := th.say("how do we list our pub in Peasedown"); !contains(bs, "nothing about this for Peasedown St John") {
		t.Errorf("named Peasedown, but the answer says nothing of it: %v", bs)
	}
	if bs := th.say("who do I ring about that"); headerOf(bs) != acvTitle || contains(bs, "Peasedown") {
		t.Errorf("who do I ring about that: %q, repeats Peasedown %v; want the ACV answer, the notice said once", headerOf(bs), contains(bs, "Peasedown"))
	}
	if bs := th.say("what about in Keynsham"); !contains(bs, "nothing about this for Keynsham") {
		t.Errorf("what about in Keynsham: no word for Keynsham: %v", bs)
	}
	if bs := th.say("what is participatory budgeting"); contains(bs, "Keynsham in particular") || contains(bs, "Peasedown") {
		t.Errorf("a new question carries an old question's place: %v", bs)
	}
}

// TestAQuestionAfterEveryPromptIsAnsweredInAThread: whatever signpost
// asked last in the thread (which area, each finder step, a choice), a
// question is answered as a question; a button still answers the prompt.
func TestAQuestionAfterEveryPromptIsAnsweredInAThread(t *testing.T) {
	t.Parallel()
	th := newThread(t)
	pact, bigLocal := titleOf(t, "pact"), titleOf(t, "big-local")
	tests := []struct {
		name   string
		say    []string
		asked  string
		ask    string
		header string
	}{
		{"which area", []string{"who runs PACT here"}, "Which area are you in?", "how do we list our pub", acvTitle},
		{"finder who", []string{"funding"}, "Who is applying?", "how do we list our pub", acvTitle},
		{"finder what", []string{"funding", "a parish council"}, "What is it for?", "who runs PACT in Radstock", pact},
		{"finder how much", []string{"funding", "skip", "skip"}, "Roughly how much", "is Big Local still going?", bigLocal},
		{"finder where", []string{"funding", "skip", "skip", "skip"}, "Where is it?", "who runs PACT in Radstock", pact},
		{"a sum noted", []string{"funding", "about £2,000"}, "Noted: under £5,000", "how do we list our pub", acvTitle},
		{"a choice", []string{"plan"}, "Which is closer?", "who runs PACT", pact},
	}
	for _, tt := range tests {
		var bs []map[string]any
		for _, s := range tt.say {
			bs = th.say(s)
		}
		if !contains(bs, tt.asked) {
			t.Fatalf("%s: %v; want %q asked", tt.name, bs, tt.asked)
		}
		if got := headerOf(th.say(tt.ask)); got != tt.header {
			t.Errorf("%s: %q answered %q; want %q", tt.name, tt.ask, got, tt.header)
		}
	}
	// A button answers the prompt it is on.
	th.say("who runs PACT here")
	if bs := th.press("Keynsham"); headerOf(bs) != pact || !contains(bs, "for Keynsham") {
		t.Errorf("the Keynsham button: %q; want PACT for Keynsham", headerOf(bs))
	}
}

// TestSumsAtEveryFinderStepInAThread: at each step of the finder, a sum
// written any of the ways in chattest.Sums is kept and restated in the result.
func TestSumsAtEveryFinderStepInAThread(t *testing.T) {
	t.Parallel()
	for step := range 4 {
		t.Run(fmt.Sprintf("step %d", step+1), func(t *testing.T) {
			t.Parallel()
			th := newThread(t)
			for _, s := range chattest.Sums {
				th.say("funding")
				for range step {
					th.say("skip")
				}
				bs := th.say(s.Say)
				if step != 2 && !contains(bs, "Noted: "+s.Band+".") {
					t.Errorf("%q at step %d: %v; want it noted as %s", s.Say, step+1, bs, s.Band)
				}
				for range 3 {
					if headerOf(bs) == "Funding routes" {
						break
					}
					bs = th.say("skip")
				}
				if headerOf(bs) != "Funding routes" || !contains(bs, s.Band+".") {
					t.Errorf("%q at step %d: result %q %v; want funding routes for %s", s.Say, step+1, headerOf(bs), bs, s.Band)
				}
			}
		})
	}
}

// TestFinderRulesInAThread: the finder's rules as a volunteer meets them
// in Slack.
func TestFinderRulesInAThread(t *testing.T) {
	t.Parallel()
	th := newThread(t)
	bs := th.say("we want to buy the old chapel for about £250,000")
	if strings.Contains(sectionOf(bs, "These fit"), "Ward Councillors Initiative") {
		t.Errorf("the Ward Councillors Initiative fits a £250,000 building: %s", sectionOf(bs, "These fit"))
	}
	if !strings.Contains(sectionOf(bs, "These almost fit"), "Ward Councillors Initiative: small local project funding. Not quite: the documents call it investment in small local projects") {
		t.Errorf("no reason why the Ward Councillors Initiative does not fit: %s", sectionOf(bs, "These almost fit"))
	}
	if !contains(bs, "For a building or land") {
		t.Errorf("the old chapel is not read as a building: %v", bs)
	}

	// Each finder starts afresh: "start again" forgets the place the last
	// one was told, which a new finder would otherwise take as known.
	finder := func(say ...string) []map[string]any {
		t.Helper()
		th.say("start again")
		var bs []map[string]any
		for _, s := range say {
			bs = th.say(s)
		}
		if headerOf(bs) != "Funding routes" {
			t.Fatalf("%q: %v; want the funding routes", say, bs)
		}
		return bs
	}
	for _, tt := range []struct {
		who, place string
		fits       bool
	}{{"residents", "Radstock", true}, {"residents", "Westfield", true}, {"residents", "Keynsham", false}, {"a parish council", "Radstock", false}} {
		bs := finder("funding", tt.who, "an event", "under 5k", tt.place)
		if got := strings.Contains(sectionOf(bs, "These fit"), "Big Local"); got != tt.fits {
			t.Errorf("%s in %s: Big Local fits %v; want %v", tt.who, tt.place, got, tt.fits)
		}
	}

	bs = th.say("we are a community group wanting around 250k of funding for solar panels")
	raise := sectionOf(bs, "Ways to raise money yourselves, not funds to apply to")
	if !strings.Contains(raise, "Community Share Offers") || !strings.Contains(raise, "Community energy (Bath") {
		t.Errorf("share offers and the energy society's share issue are not listed apart: %q", raise)
	}
	if fits := sectionOf(bs, "These fit"); strings.Contains(fits, "Share Offers") || strings.Contains(fits, "Community energy") {
		t.Errorf("a share issue is listed under These fit: %s", fits)
	}

	for _, thing := range []string{"buy the old chapel", "repair the village hall", "save our pub", "take over the shop", "run the library"} {
		if bs := finder("funding", "a community group", thing, "skip", "skip"); !contains(bs, "for a building or land") {
			t.Errorf("%q is not read as a building: %v", thing, bs)
		}
	}
}
