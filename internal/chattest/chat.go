package chattest

import (
	"strings"
	"testing"
)

// Said is what a platform showed in answer to one turn, read as a person
// on that platform reads it.
type Said interface {
	// Title is the answer's heading: Slack's header block, Discord's
	// embed title.
	Title() string
	// Has reports whether the message says s anywhere (text, fields,
	// buttons), in the platform's own encoding.
	Has(s string) bool
	// Part is the text under the heading, or "".
	Part(heading string) string
	// String is the whole message, for failure messages.
	String() string
}

// Chat is one conversation with signpost on one platform, through that
// platform's real protocol: each Say is one turn, answered; Press clicks
// the button that sends value, and returns what replaced the message it
// was on.
type Chat interface {
	Say(text string) Said
	Press(value string) Said
}

// Conversations runs every conversation script, each in a conversation
// of its own from open, in parallel: what one platform's conversation
// must do, every platform's must.
func Conversations(t *testing.T, open func(*testing.T) Chat) {
	for _, sc := range []struct {
		name string
		run  func(*testing.T, Chat)
	}{
		{"follow-ups keep the topic", followUpsKeepTheTopic},
		{"a place said once does not stick", placeSaidOnceDoesNotStick},
		{"a question after every prompt is answered", questionAfterEveryPrompt},
		{"sums at every finder step", sumsAtEveryFinderStep},
		{"finder rules", finderRules},
	} {
		t.Run(sc.name, func(t *testing.T) {
			t.Parallel()
			sc.run(t, open(t))
		})
	}
}

// TitleOf is the title of the entry with id in the real knowledge base.
func TitleOf(t testing.TB, id string) string {
	t.Helper()
	e, ok := base().Entry(id)
	if !ok {
		t.Fatalf("no entry %q", id)
	}
	return e.Title
}

// followUpsKeepTheTopic: every way of asking more about the last answer
// gets that entry again, for the place the follow-up names; something new
// is a new question; a follow-up to a council service is that service.
func followUpsKeepTheTopic(t *testing.T, c Chat) {
	t.Helper()
	pact := TitleOf(t, "pact")
	if got := c.Say("who runs PACT").Title(); got != pact {
		t.Fatalf("who runs PACT: %q", got)
	}
	for _, f := range FollowUps {
		m := c.Say(f.Say)
		if m.Title() != pact {
			t.Errorf("%q after PACT: %q; want %q", f.Say, m.Title(), pact)
		}
		if f.Place != "" && !m.Has("for "+f.Place) {
			t.Errorf("%q: the answer is not for %s: %s", f.Say, f.Place, m)
		}
	}
	if got, want := c.Say("what about the snow wardens").Title(), TitleOf(t, "active-community-roles"); got != want {
		t.Errorf("what about the snow wardens: %q; want %q", got, want)
	}
	c.Say("bins in Peasedown")
	if m := c.Say("who do I ring about that"); !m.Has("council service (Bins") {
		t.Errorf("who do I ring about that, after bins: %s; want the bins service again", m)
	}
}

// placeSaidOnceDoesNotStick: a place named in one question leads only it
// and its follow-ups, and its "nothing in particular" is not said twice.
func placeSaidOnceDoesNotStick(t *testing.T, c Chat) {
	t.Helper()
	c.Say("bins in Peasedown")
	for _, q := range []string{"who runs PACT", "how do we list our pub"} {
		if m := c.Say(q); m.Has("Peasedown") {
			t.Errorf("%q after bins in Peasedown still speaks of Peasedown: %s", q, m)
		}
	}
	if m := c.Say("how do we list our pub in Peasedown"); !m.Has("nothing about this for Peasedown St John") {
		t.Errorf("named Peasedown, but the answer says nothing of it: %s", m)
	}
	acv := TitleOf(t, "assets-of-community-value")
	if m := c.Say("who do I ring about that"); m.Title() != acv || m.Has("Peasedown") {
		t.Errorf("who do I ring about that: %q, repeats Peasedown %v; want the ACV answer, the notice said once", m.Title(), m.Has("Peasedown"))
	}
	if m := c.Say("what about in Keynsham"); !m.Has("nothing about this for Keynsham") {
		t.Errorf("what about in Keynsham: no word for Keynsham: %s", m)
	}
	if m := c.Say("what is participatory budgeting"); m.Has("Keynsham in particular") || m.Has("Peasedown") {
		t.Errorf("a new question carries an old question's place: %s", m)
	}
}

// questionAfterEveryPrompt: whatever signpost asked last (which area,
// each finder step, a choice), a question is answered as a question; a
// button still answers the prompt it is on, and a typed sum the finder's
// amount step.
func questionAfterEveryPrompt(t *testing.T, c Chat) {
	t.Helper()
	acv, pact, bigLocal := TitleOf(t, "assets-of-community-value"), TitleOf(t, "pact"), TitleOf(t, "big-local")
	tests := []struct {
		name         string
		say          []string
		asked        string
		ask, answers string
	}{
		{"which area", []string{"who runs PACT here"}, "Which area are you in?", "how do we list our pub", acv},
		{"finder who", []string{"funding"}, "Who is applying?", "how do we list our pub", acv},
		{"finder what", []string{"funding", "a parish council"}, "What is it for?", "who runs PACT in Radstock", pact},
		{"finder how much", []string{"funding", "skip", "skip"}, "Roughly how much", "is Big Local still going?", bigLocal},
		{"finder where", []string{"funding", "skip", "skip", "skip"}, "Where is it?", "who runs PACT in Radstock", pact},
		{"a sum noted", []string{"funding", "about £2,000"}, "Noted: under £5,000", "how do we list our pub", acv},
		{"a sum in words noted", []string{"funding", "two grand"}, "Noted: under £5,000", "how do we list our pub", acv},
		{"a choice", []string{"plan"}, "Which is closer?", "who runs PACT", pact},
	}
	for _, tt := range tests {
		var m Said
		for _, s := range tt.say {
			m = c.Say(s)
		}
		if !m.Has(tt.asked) {
			t.Fatalf("%s: %s; want %q asked", tt.name, m, tt.asked)
		}
		if got := c.Say(tt.ask).Title(); got != tt.answers {
			t.Errorf("%s: %q answered %q; want %q", tt.name, tt.ask, got, tt.answers)
		}
	}
	c.Say("who runs PACT here")
	if m := c.Press("Keynsham"); m.Title() != pact || !m.Has("for Keynsham") {
		t.Errorf("the Keynsham button: %q; want PACT for Keynsham", m.Title())
	}
	// A finder step's buttons still answer it, and a typed sum answers
	// the amount step. The area given at the prompt is where: the finder
	// does not ask it again.
	c.Say("funding")
	c.Press("A voluntary or community group")
	c.Press("An event")
	if m := c.Say("about £2,000"); m.Title() != "Funding routes" || !m.Has("under £5,000, in Keynsham.") {
		t.Errorf("about £2,000 at the amount step: %s; want the funding routes under £5,000 in Keynsham", m)
	}
	c.Say("start again")
	c.Say("funding")
	c.Press("A voluntary or community group")
	c.Press("An event")
	if m := c.Say("about £2,000"); !m.Has("Where is it?") {
		t.Errorf("about £2,000 at the amount step: %s; want the next step", m)
	}
	if m := c.Press("Bath"); m.Title() != "Funding routes" || !m.Has("under £5,000, in Bath.") {
		t.Errorf("the Bath button: %q %s; want the funding routes under £5,000 in Bath", m.Title(), m)
	}
}

// sumsAtEveryFinderStep: at each step of the finder, a sum written any
// of the ways in Sums is kept and restated in the result.
func sumsAtEveryFinderStep(t *testing.T, c Chat) {
	t.Helper()
	for step := range 4 {
		for _, s := range Sums {
			c.Say("funding")
			for range step {
				c.Say("skip")
			}
			m := c.Say(s.Say)
			if step != 2 && !m.Has("Noted: "+s.Band+".") {
				t.Errorf("%q at step %d: %s; want it noted as %s", s.Say, step+1, m, s.Band)
			}
			for range 3 {
				if m.Title() == "Funding routes" {
					break
				}
				m = c.Say("skip")
			}
			if m.Title() != "Funding routes" || !m.Has(s.Band+".") {
				t.Errorf("%q at step %d: result %q %s; want funding routes for %s", s.Say, step+1, m.Title(), m, s.Band)
			}
		}
	}
}

// finderRules: the finder's rules as a volunteer meets them: what fits
// and what almost does, with why; where Big Local runs; money to raise
// apart from funds to apply to; what is read as a building.
func finderRules(t *testing.T, c Chat) {
	t.Helper()
	m := c.Say("we want to buy the old chapel for about £250,000")
	if strings.Contains(m.Part("These fit"), "Ward Councillors Initiative") {
		t.Errorf("the Ward Councillors Initiative fits a £250,000 building: %s", m.Part("These fit"))
	}
	if !strings.Contains(m.Part("These almost fit"), "Ward Councillors Initiative: small local project funding. Not quite: the documents call it investment in small local projects") {
		t.Errorf("no reason why the Ward Councillors Initiative does not fit: %s", m.Part("These almost fit"))
	}
	if !m.Has("For a building or land") {
		t.Errorf("the old chapel is not read as a building: %s", m)
	}

	// Each finder starts afresh: "start again" forgets the place the last
	// one was told, which a new finder would otherwise take as known.
	finder := func(say ...string) Said {
		t.Helper()
		c.Say("start again")
		var m Said
		for _, s := range say {
			m = c.Say(s)
		}
		if m.Title() != "Funding routes" {
			t.Fatalf("%q: %s; want the funding routes", say, m)
		}
		return m
	}
	for _, tt := range []struct {
		who, place string
		fits       bool
	}{{"residents", "Radstock", true}, {"residents", "Westfield", true}, {"residents", "Keynsham", false}, {"a parish council", "Radstock", false}} {
		m := finder("funding", tt.who, "an event", "under 5k", tt.place)
		if got := strings.Contains(m.Part("These fit"), "Big Local"); got != tt.fits {
			t.Errorf("%s in %s: Big Local fits %v; want %v", tt.who, tt.place, got, tt.fits)
		}
	}

	m = c.Say("we are a community group wanting around 250k of funding for solar panels")
	raise := m.Part("Ways to raise money yourselves, not funds to apply to")
	if !strings.Contains(raise, "Community Share Offers") || !strings.Contains(raise, "Community energy (Bath") {
		t.Errorf("share offers and the energy society's share issue are not listed apart: %q", raise)
	}
	if fits := m.Part("These fit"); strings.Contains(fits, "Share Offers") || strings.Contains(fits, "Community energy") {
		t.Errorf("a share issue is listed under These fit: %s", fits)
	}

	for _, thing := range []string{"buy the old chapel", "repair the village hall", "save our pub", "take over the shop", "run the library"} {
		if m := finder("funding", "a community group", thing, "skip", "skip"); !m.Has("for a building or land") {
			t.Errorf("%q is not read as a building: %s", thing, m)
		}
	}
}
