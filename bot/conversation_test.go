package bot

import (
	"context"
	"fmt"
	"os"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/bathnes/signpost/knowledge"
)

func TestMemoryForgetsAfterTTLAndKeepsAtMostMax(t *testing.T) {
	m := newMemory(30*time.Minute, 3)
	now := time.Date(2026, 1, 1, 12, 0, 0, 0, time.UTC)
	m.now = func() time.Time { return now }
	m.put("a", state{place: "Radstock"})
	now = now.Add(29 * time.Minute)
	if got := m.get("a").place; got != "Radstock" {
		t.Errorf("after 29 minutes place = %q; want Radstock", got)
	}
	now = now.Add(31 * time.Minute)
	if got := m.get("a").place; got != "" {
		t.Errorf("after an hour place = %q; want it forgotten", got)
	}
	for i := range 10 {
		m.put(fmt.Sprint(i), state{place: "Bath"})
	}
	if m.len() != 3 {
		t.Errorf("%d conversations kept; want at most 3", m.len())
	}
	if m.get("9").place != "Bath" || m.get("0").place != "" {
		t.Error("want the most recent kept and the oldest dropped")
	}
	m.put("9", state{})
	if m.len() != 2 {
		t.Error("an empty state should forget the conversation")
	}
}

// fixtureBot is a core over the small knowledge base the layout tests use
// (internal/chattest/testdata/kb), for tests of how conversations work
// that must not break when an editor rewords the real one.
func fixtureBot(t testing.TB) *Bot {
	t.Helper()
	base, err := knowledge.Load(os.DirFS("../internal/chattest/testdata/kb"))
	if err != nil {
		t.Fatal(err)
	}
	return New(base)
}

func TestConversationsAreSeparate(t *testing.T) {
	b := fixtureBot(t)
	ctx := context.Background()
	b.Answer(ctx, Question{Text: "who runs PACT in Radstock", Conversation: "alice"})
	a, _ := b.Answer(ctx, Question{Text: "who runs PACT here", Conversation: "bob"})
	if a.Place != nil || a.Prompt == nil {
		t.Errorf("bob got place %v, prompt %v; want no place and the area question", a.Place, a.Prompt)
	}
	a, _ = b.Answer(ctx, Question{Text: "who runs PACT here", Conversation: "alice"})
	if a.Place == nil || a.Place.Name != "Radstock" {
		t.Errorf("alice's place = %v; want Radstock remembered", a.Place)
	}
}

func TestPlaceOrder(t *testing.T) {
	b := newBot(t)
	if err := b.Bind("slack:C1", "Chew Valley"); err != nil {
		t.Fatal(err)
	}
	if err := b.Bind("slack:C2", "Atlantis"); err == nil {
		t.Error("Bind to an unknown place succeeded")
	}
	ctx := context.Background()
	tests := []struct {
		name, conv, text, want string
	}{
		{"channel's place", "u1", "village agents here", "Chew Valley"},
		{"named place beats the channel's", "u2", "village agents in Keynsham", "Keynsham"},
		{"a place named for another question does not beat the channel's", "u2", "who runs PACT here", "Chew Valley"},
		{"a place the asker says they are in beats the channel's", "u5", "we're based in Keynsham, who runs PACT here", "Keynsham"},
		{"and is remembered", "u5", "is there a village agent here", "Keynsham"},
		{"misspelt place", "u3", "regeneration in Radstok", "Radstock"},
	}
	for _, tt := range tests {
		a, _ := b.Answer(ctx, Question{Text: tt.text, Conversation: tt.conv, Channel: "slack:C1"})
		if a.Place == nil || a.Place.Name != tt.want {
			t.Errorf("%s: %q placed at %v; want %s", tt.name, tt.text, a.Place, tt.want)
		}
	}
	// The council's name is not the city of Bath.
	a, _ := b.Answer(ctx, Question{Text: "who runs PACT for Bath and North East Somerset", Conversation: "u4"})
	if a.Place != nil {
		t.Errorf("the council's name placed the question in %s", a.Place.Name)
	}
}

func TestNotAvailableHereSaysWhereAndWhatInstead(t *testing.T) {
	b := newBot(t)
	ctx := context.Background()
	q := Question{Text: "can we apply for Big Local in Keynsham", Conversation: "u1"}
	a, _ := b.Answer(ctx, q)
	if a.Kind == Clarify {
		// Offered a choice: picking Big Local by its number answers it
		// for the place the question named.
		n := slices.IndexFunc(a.Options, func(e *knowledge.Entry) bool { return e.ID == "big-local" })
		if n < 0 {
			t.Fatalf("offered %v; want Big Local among them", a.Results)
		}
		q.Text = strconv.Itoa(n + 1)
		a, _ = b.Answer(ctx, q)
	}
	if a.Entry == nil || a.Entry.ID != "big-local" || !a.NotHere || len(a.Instead) == 0 {
		t.Fatalf("got %v, NotHere %v, Instead %d; want Big Local, not here, with alternatives", a.Entry, a.NotHere, len(a.Instead))
	}
	r := a.Reply()
	if r.Lead != "Big Local (Radstock and Westfield) covers Radstock and Westfield only, not Keynsham." {
		t.Errorf("answer leads with %q", r.Lead)
	}
	if !strings.Contains(words(a), "For Keynsham, see\n") {
		t.Errorf("answer does not point to what is open in Keynsham:\n%s", words(a))
	}
	for _, e := range a.Instead {
		if len(e.OnlyIn) > 0 || e.Status == knowledge.Historical {
			t.Errorf("offered %s instead, which is not open in Keynsham", e.ID)
		}
	}
}

// BenchmarkConversations holds 100,000 conversations, each waiting for an
// answer to "Which area are you in?", and reports the memory each takes
// and how many are kept: never more than maxConversations.
func BenchmarkConversations(b *testing.B) {
	bt := newBot(b)
	ctx := context.Background()
	const n = 100000
	var before, after runtime.MemStats
	for b.Loop() {
		bt.mem = newMemory(conversationTTL, maxConversations)
		runtime.GC()
		runtime.ReadMemStats(&before)
		for i := range n {
			bt.Answer(ctx, Question{Text: "who runs PACT here", Conversation: fmt.Sprintf("slack:T1:C1:U%d", i)})
		}
		runtime.GC()
		runtime.ReadMemStats(&after)
	}
	kept := bt.mem.len()
	if kept > maxConversations {
		b.Fatalf("%d conversations kept; the bound is %d", kept, maxConversations)
	}
	b.ReportMetric(float64(kept), "kept")
	b.ReportMetric(float64(after.HeapAlloc-before.HeapAlloc)/float64(kept), "B/conversation")
}

func TestPlaceNamesFit(t *testing.T) {
	b := newBot(t)
	for _, p := range b.Base().Places {
		for _, n := range append([]string{p.Name}, p.Aliases...) {
			if got := len(strings.Fields(placeWords(n))); got > maxNameWords {
				t.Errorf("place name %q has %d words; the reader takes at most %d", n, got, maxNameWords)
			}
			if got := b.ix.Load().geo.in("is there anything in " + n + " please"); got != p {
				t.Errorf("%q found %v; want %s", n, got, p.Name)
			}
		}
	}
}

// TestConversationsNeverSwallowAQuestion: whatever the bot asked last, a
// message that is a question, a command or a fuller answer is taken as
// such.
func TestConversationsNeverSwallowAQuestion(t *testing.T) {
	tests := []struct {
		name  string
		turns []string
		// want is checked on the last turn's answer.
		want func(Answer) string
	}{
		{"question after the area question", []string{"who runs PACT here", "how do we list our pub"}, func(a Answer) string {
			if a.Kind != Matched || a.Entry.ID != "pub-listing" {
				return fmt.Sprintf("kind %v entry %v; want the pub-listing entry", a.Kind, a.Entry)
			}
			return ""
		}},
		{"area command after the area question", []string{"who runs PACT here", "area Keynsham"}, func(a Answer) string {
			if a.Kind != Matched || a.Entry.ID != "police-meetings" || a.Place == nil || a.Place.Name != "Keynsham" {
				return fmt.Sprintf("kind %v entry %v place %v; want police meetings for Keynsham", a.Kind, a.Entry, a.Place)
			}
			return ""
		}},
		{"question after a finder step", []string{"funding", "how do we list our pub?"}, func(a Answer) string {
			if a.Kind != Matched || a.Entry.ID != "pub-listing" {
				return fmt.Sprintf("kind %v entry %v; want the pub-listing entry", a.Kind, a.Entry)
			}
			return ""
		}},
		{"everything at once after funding", []string{"funding", "we are a parish council wanting about £20k for a neighbourhood plan"}, func(a Answer) string {
			if a.Prompt == nil || !strings.Contains(a.Message, "Where is it?") {
				return fmt.Sprintf("message %q; want the last step, where", a.Message)
			}
			return ""
		}},
		{"a reply in words is a reply", []string{"funding", "we are a community group", "new roof on the school hall"}, func(a Answer) string {
			if !strings.Contains(a.Message, "how much") {
				return fmt.Sprintf("message %q; want the amount step", a.Message)
			}
			return ""
		}},
		{"a question that starts with area", []string{"area forum in Keynsham"}, func(a Answer) string {
			if a.Kind != Matched || a.Entry.ID != "area-forums" {
				return fmt.Sprintf("kind %v entry %v message %q; want the area forums entry, not a channel bound", a.Kind, a.Entry, a.Message)
			}
			return ""
		}},
		{"a bare number with nothing offered", []string{"2"}, func(a Answer) string {
			if a.Kind != Note || a.Entry != nil || !strings.Contains(a.Message, "no list") {
				return fmt.Sprintf("kind %v entry %v message %q; want a note that there is no list", a.Kind, a.Entry, a.Message)
			}
			return ""
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b := fixtureBot(t)
			var a Answer
			for _, turn := range tt.turns {
				a, _ = b.Answer(context.Background(), Question{Text: turn, Conversation: "c", Channel: "console"})
			}
			if msg := tt.want(a); msg != "" {
				t.Errorf("after %q: %s", tt.turns, msg)
			}
		})
	}
}

// TestPlaceLabelSaysWhereAnAreaComesFrom: an area taken from a web page,
// not from the council documents, is named with its source and date.
func TestPlaceLabelSaysWhereAnAreaComesFrom(t *testing.T) {
	base := newBot(t).Base()
	tests := []struct{ place, want string }{
		{"Radstock", "Radstock (Somer Valley, according to the council's Local Plan Options pages, March 2024)"},
		{"Chew Magna", "Chew Magna (Chew Valley, according to Wikipedia, October 2023)"},
		{"Southdown", "Southdown (Bath)"},
		{"Larkhall", "Larkhall (the documents do not say which area)"},
	}
	for _, tt := range tests {
		p, ok := base.Place(tt.place)
		if !ok {
			t.Fatalf("no place %q", tt.place)
		}
		if got := PlaceLabel(base, p); got != tt.want {
			t.Errorf("PlaceLabel(%s) = %q; want %q", tt.place, got, tt.want)
		}
	}
}

// TestFollowUpsKeepTheTopic: after an answer, a follow-up asks about the
// same entry, for the place it names if any; a message that names
// something new is answered as a new question. After "Which area are you
// in?" too, a message that names something new is a question of its own,
// even when it names a place or is not put as a question; a place alone
// answers the prompt.
func TestFollowUpsKeepTheTopic(t *testing.T) {
	ctx := context.Background()
	if a, _ := newBot(t).Answer(ctx, Question{Conversation: "a", Text: "who runs PACT here"}); a.Prompt == nil {
		t.Fatalf("who runs PACT here: no area prompt")
	}
	tests := []struct {
		first, then, want, place string
	}{
		{"who runs PACT", "what about in Keynsham", "pact", "Keynsham"},
		{"who runs PACT", "and in Radstock?", "pact", "Radstock"},
		{"how do we list our pub", "who do I ring about that", "assets-of-community-value", ""},
		{"what is participatory budgeting", "how do we start", "participatory-budgeting", ""},
		{"tell me about Village Agents", "is that still going", "village-agents", ""},
		{"how do we list our pub", "how much is it", "assets-of-community-value", ""},
		{"who runs PACT", "where is it", "pact", ""},
		{"what is participatory budgeting", "tell me more", "participatory-budgeting", ""},
		{"who runs PACT", "how about Keynsham?", "pact", "Keynsham"},
		{"who runs PACT", "who runs it", "pact", ""},
		{"who runs PACT", "where do I apply", "pact", ""},
		{"who runs PACT", "and Radstock?", "pact", "Radstock"},
		{"who runs PACT", "is there one in Paulton?", "pact", "Paulton"},
		{"who runs PACT", "we're in Keynsham", "pact", "Keynsham"},
		{"how do we list our pub", "who do I contact", "assets-of-community-value", ""},
		{"how do we list our pub", "how do I get in touch", "assets-of-community-value", ""},
		{"how do we list our pub", "is it free", "assets-of-community-value", ""},
		{"how do we list our pub", "what does it cost", "assets-of-community-value", ""},
		{"how do we list our pub", "what about the snow wardens", "active-community-roles", ""},
		{"how do we list our pub", "who runs PACT", "pact", ""},
		{"who runs PACT here", "community first in Southdown", "community-first", ""},
		{"who runs PACT here", "village agents", "village-agents", ""},
		{"who runs PACT here", "how do we list our pub", "assets-of-community-value", ""},
		{"who runs PACT here", "we're in Radstock", "pact", "Radstock"},
		{"who runs PACT here", "Keynsham", "pact", "Keynsham"},
	}
	for i, tt := range tests {
		b := newBot(t)
		q := Question{Conversation: fmt.Sprintf("u%d", i), Text: tt.first}
		b.Answer(ctx, q)
		q.Text = tt.then
		a, _ := b.Answer(ctx, q)
		if a.Entry == nil || a.Entry.ID != tt.want {
			t.Errorf("%q then %q: answered %v (%v); want %s", tt.first, tt.then, a.Kind, a.Results, tt.want)
			continue
		}
		if tt.place != "" && (a.Place == nil || a.Place.Name != tt.place) {
			t.Errorf("%q then %q: placed at %v; want %s", tt.first, tt.then, a.Place, tt.place)
		}
	}
}

// TestWhatIsNoFollowUp: a message that asks nothing, or is a command, or
// names something new, is not read against the last answer.
func TestWhatIsNoFollowUp(t *testing.T) {
	ix := newBot(t).ix.Load()
	for _, text := range []string{"ok", "thanks", "ok thanks", "and", "help", "what can you do", "who are you",
		"what about the snow wardens", "who runs PACT", "is there a village agent here", "menu"} {
		if ix.followsUp(text) {
			t.Errorf("followsUp(%q) = true; want a message of its own", text)
		}
	}
	for _, text := range []string{"what about in Keynsham", "and in Radstock?", "and Radstock?", "who do I ring about that",
		"how do we start", "is that still going", "how much is it", "who runs it", "where do I apply", "tell me more", "Radstok?"} {
		if !ix.followsUp(text) {
			t.Errorf("followsUp(%q) = false; want a follow-up", text)
		}
	}
}

// TestAPlaceSaidOnceDoesNotStick: a place a question names leads that
// question and its follow-ups only; a place the asker says they are in
// leads every answer, but that the documents give nothing for it in
// particular is said once, unless the asker asks about "here" or names
// it.
func TestAPlaceSaidOnceDoesNotStick(t *testing.T) {
	ctx := context.Background()
	type turn struct {
		say, place string
		notice     bool
	}
	tests := []struct {
		name  string
		turns []turn
	}{
		{"a service question's place", []turn{
			{"bins in Peasedown", "", false},
			{"who runs PACT", "", false},
			{"how do we list our pub", "", false},
		}},
		{"a question's place and its follow-ups", []turn{
			{"how do we list our pub in Peasedown", "Peasedown St John", true},
			{"who do I ring about that", "", false},
			{"what about in Keynsham", "Keynsham", true},
			{"how do we start", "", false},
			{"what is participatory budgeting", "", false},
		}},
		{"a question's place with local facts", []turn{
			{"what is participatory budgeting in Keynsham", "Keynsham", false},
			{"how do we start", "Keynsham", false},
			{"how do we list our pub", "", false},
		}},
		{"a stated area", []turn{
			{"we're based in Keynsham", "", false},
			{"what is participatory budgeting", "Keynsham", false},
			{"how do we list our pub", "Keynsham", true},
			{"who runs PACT", "", false},
			{"who runs PACT here", "Keynsham", true},
			{"who runs PACT in Keynsham", "Keynsham", true},
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b := newBot(t)
			for _, tn := range tt.turns {
				a, _ := b.Answer(ctx, Question{Text: tn.say, Conversation: "c"})
				got := ""
				if a.Place != nil {
					got = a.Place.Name
				}
				if got != tn.place {
					t.Errorf("%q placed at %q; want %q", tn.say, got, tn.place)
				}
				if has := strings.Contains(a.Reply().Lead, "give nothing about this for"); has != tn.notice {
					t.Errorf("%q: notice %v (%q); want %v", tn.say, has, a.Reply().Lead, tn.notice)
				}
			}
		})
	}
}

// TestTheAreaPromptOffersAPlaceNamedBefore: asked which area after a
// question that named a place, the place is the first choice; only the
// asker can say it is theirs.
func TestTheAreaPromptOffersAPlaceNamedBefore(t *testing.T) {
	b := newBot(t)
	ctx := context.Background()
	b.Answer(ctx, Question{Text: "who runs PACT in Radstock", Conversation: "c"})
	a, _ := b.Answer(ctx, Question{Text: "is there a Big Local here", Conversation: "c"})
	if a.Prompt == nil || a.Prompt.Choices[0].Reply != "Radstock" {
		t.Fatalf("prompt %+v; want Radstock offered first", a.Prompt)
	}
	a, _ = b.Answer(ctx, Question{Text: "1", Conversation: "c"})
	if a.Entry == nil || a.Entry.ID != "big-local" || a.Place == nil || a.Place.Name != "Radstock" {
		t.Errorf("picked 1: %v for %v; want Big Local for Radstock", a.Entry, a.Place)
	}
}

// TestANameIsNotHere: "local" in an entry's name ("Big Local") is not
// asking about where one is.
func TestANameIsNotHere(t *testing.T) {
	b := newBot(t)
	a, _ := b.Answer(context.Background(), Question{Text: "is Big Local still going?", Conversation: "c"})
	if a.Entry == nil || a.Entry.ID != "big-local" || a.Prompt != nil {
		t.Errorf("is Big Local still going: %v, prompt %v; want Big Local, no area question", a.Entry, a.Prompt)
	}
	a, _ = b.Answer(context.Background(), Question{Text: "is there a Big Local near me", Conversation: "d"})
	if a.Prompt == nil {
		t.Error("is there a Big Local near me: no area question")
	}
}

// TestSayingWhereYouAre: where the asker says they are is read from how
// people say it; a place a question merely names is not.
func TestSayingWhereYouAre(t *testing.T) {
	ix := newBot(t).ix.Load()
	for _, text := range []string{"we're in Radstock", "I live in Keynsham", "our group is based in Bath", "we're from Paulton",
		"our village is Chew Magna", "I'm calling from Radstok"} {
		if !ix.statesArea(text) {
			t.Errorf("statesArea(%q) = false; want true", text)
		}
	}
	for _, text := range []string{"who runs PACT in Radstock", "we are looking for funding in Keynsham", "bins in Peasedown",
		"is there a village agent in Chew Magna", "we're in need of a grant"} {
		if ix.statesArea(text) {
			t.Errorf("statesArea(%q) = true; want false", text)
		}
	}
}
