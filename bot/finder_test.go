package bot

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/bathnes/signpost/knowledge"
)

func TestAmount(t *testing.T) {
	tests := []struct {
		in   string
		want int
		ok   bool
	}{
		{"about £20k", 20000, true},
		{"£4,500 for benches", 4500, true},
		{"20 grand", 20000, true},
		{"£1.5m", 1500000, true},
		{"5000 pounds", 5000, true},
		{"since 2013, 3 of us", 0, false}, // a bare number is not money
	}
	for _, tt := range tests {
		got, ok := amount(tt.in)
		if got != tt.want || ok != tt.ok {
			t.Errorf("amount(%q) = %d, %v; want %d, %v", tt.in, got, ok, tt.want, tt.ok)
		}
	}
}

func TestOneMessageFinder(t *testing.T) {
	b := newBot(t)
	tests := []struct {
		q                   string
		who, what, band     string
		firstFit, almostHas string
		// raise is a way to raise money yourselves the answer lists
		// apart: never among the routes that fit.
		raise string
	}{
		{"we're a parish council wanting about £20k for a neighbourhood plan", "parish", "planning", "medium", "", "community-assets-fund", ""},
		{"our community group wants £20k for a new roof on the village hall", "group", "building", "medium", "ward-councillors-initiative", "small-grants-fund", "community-shares"},
		{"our residents association needs £3,000 for a lunch club for lonely older people", "group", "older", "small", "ward-councillors-initiative", "", ""},
		{"community energy group looking for £80k funding for solar panels", "group", "energy", "large", "", "ward-councillors-initiative", "community-energy"},
		{"a few neighbours want to buy the old chapel for £250,000", "residents", "building", "large", "", "ward-councillors-initiative", "community-shares"},
	}
	for _, tt := range tests {
		a := ask(t, b, tt.q)
		if a.Kind != Funding {
			t.Errorf("%q: kind %v; want the funding finder's answer", tt.q, a.Kind)
			continue
		}
		f := b.ix.Load().readFinder(tt.q)
		if f.who != tt.who || f.what != tt.what || f.band != tt.band {
			t.Errorf("%q read as %s/%s/%s; want %s/%s/%s", tt.q, f.who, f.what, f.band, tt.who, tt.what, tt.band)
		}
		if tt.firstFit != "" && (len(a.Finding.Fits) == 0 || a.Finding.Fits[0].Entry.ID != tt.firstFit) {
			t.Errorf("%q: fits %v; want %s first", tt.q, ids(a.Finding.Fits), tt.firstFit)
		}
		if tt.almostHas != "" && !strings.Contains(strings.Join(ids(a.Finding.Almost), " "), tt.almostHas) {
			t.Errorf("%q: almost %v; want %s among them", tt.q, ids(a.Finding.Almost), tt.almostHas)
		}
		for _, fit := range a.Finding.Fits {
			if fit.Entry.Funding.Raise {
				t.Errorf("%q: %s is listed as a fund that fits; it is a way to raise money yourselves", tt.q, fit.Entry.ID)
			}
		}
		if tt.raise != "" && !slices.ContainsFunc(a.Finding.Raise, func(e *knowledge.Entry) bool { return e.ID == tt.raise }) {
			t.Errorf("%q: raise %v; want %s listed apart", tt.q, a.Finding.Raise, tt.raise)
		}
		if len(a.Finding.Advice) == 0 || a.Finding.Advice[0].ID != "fundraising-support" {
			t.Errorf("%q: no standing advice routes", tt.q)
		}
		if len(a.Results) == 0 {
			t.Errorf("%q: no ranked results; ask --json would see none", tt.q)
		}
	}
}

func TestFinderSaysWhyNot(t *testing.T) {
	b := newBot(t)
	text := words(ask(t, b, "our community group wants £20k for a new roof on the village hall"))
	if !strings.Contains(text, "Performance Reward Grant small grants (under £5,000). Not quite: it gives at most £4,999, less than you need. Historical") {
		t.Errorf("answer does not say why the small grants almost fit:\n%s", text)
	}
	text = words(ask(t, b, "we're a parish council wanting about £20k for a neighbourhood plan"))
	for _, want := range []string{
		// No rule the documents state rules a parish council out of the
		// Ward Councillors Initiative.
		"Ward Councillors Initiative: small local project funding\nWhy: the documents set no limit on who may apply",
		"See also Neighbourhood Planning",
		"£20,000 from the CLG Frontrunners Project",
		"Fundraising support",
	} {
		says(t, text, want)
	}
}

// says fails the test unless text says want.
func says(t *testing.T, text, want string) {
	t.Helper()
	if !strings.Contains(text, want) {
		t.Errorf("answer does not say %q:\n%s", want, text)
	}
}

// TestFinderNeverFitsAProposalOrAnEndedFund: with nothing asked, every
// route fits but those not open, or not known to be, which are named with
// the reason.
func TestFinderNeverFitsAProposalOrAnEndedFund(t *testing.T) {
	b := newBot(t)
	ctx := context.Background()
	conv := Question{Conversation: "c", Channel: "x"}
	var a Answer
	for _, s := range []string{"funding", "skip", "skip", "skip", "skip"} {
		conv.Text = s
		a, _ = b.Answer(ctx, conv)
	}
	if a.Kind != Funding {
		t.Fatalf("after skipping every step: kind %v; want a finding", a.Kind)
	}
	for _, f := range a.Finding.Fits {
		if f.Entry.Status != knowledge.Current {
			t.Errorf("%s (%s) is under These fit", f.Entry.ID, f.Entry.Status)
		}
	}
	text := words(a)
	for _, want := range []string{
		"Not quite: it was only proposed. Proposed in November 2011; the documents do not say whether it went ahead",
		"Not quite: it has ended. Historical: this has ended (facts as of",
		"Not quite: it may have ended. Facts as of March 2011; the documents do not say whether it still runs",
	} {
		says(t, text, want)
	}
}

func TestFinderStepsAndQuestionsThatAreNotFinders(t *testing.T) {
	b := newBot(t)
	ctx := context.Background()
	// Ordinary questions about funding stay ordinary answers.
	for _, q := range []string{"is there funding for community energy", "how do community shares work", "what is the ward councillors initiative"} {
		if a := ask(t, b, q); a.Kind == Funding || a.Prompt != nil {
			t.Errorf("%q started the finder", q)
		}
	}
	conv := Question{Conversation: "c1", Channel: "x"}
	steps := []string{"funding", "3", "skip", "under £5,000", "Somer Valley"}
	var a Answer
	for _, s := range steps {
		conv.Text = s
		a, _ = b.Answer(ctx, conv)
	}
	if a.Kind != Funding || a.Place == nil || a.Place.Name != "Somer Valley" {
		t.Fatalf("after the steps: kind %v place %v; want a finding for Somer Valley", a.Kind, a.Place)
	}
	if got := a.Finding.Asked; got != "residents, no group yet, under £5,000, in Somer Valley" {
		t.Errorf("Asked = %q", got)
	}
	// Big Local is for Radstock and Westfield, not the whole Somer Valley:
	// it is offered, saying so, after what fits the whole area.
	found := false
	for _, f := range a.Finding.Fits {
		if f.Entry.ID == "big-local" {
			found = f.Only
		}
	}
	if !found {
		t.Errorf("fits %v; want Big Local among them, only for Radstock and Westfield", ids(a.Finding.Fits))
	}
}

func ids(fs []Fit) []string {
	var out []string
	for _, f := range fs {
		out = append(out, f.Entry.ID)
	}
	return out
}

// TestFindAsAFormAsksIt: the finder in one go, by keys, as the desk's form
// and the API ask it; unknown keys are errors, not silent skips.
func TestFindAsAFormAsksIt(t *testing.T) {
	b := newBot(t)
	a, err := b.Find(Question{Platform: "test"}, Need{Who: "parish", What: "planning", Band: "medium", Place: "keynsham"})
	if err != nil || a.Kind != Funding || a.Finding == nil {
		t.Fatalf("Find = %v, %v; want a finding", a.Kind, err)
	}
	if !strings.Contains(a.Finding.Asked, "Keynsham") || a.Finding.See == nil {
		t.Errorf("asked %q, see %v; want Keynsham and a planning tool to see", a.Finding.Asked, a.Finding.See)
	}
	for _, n := range []Need{{Who: "dragons"}, {What: "x"}, {Band: "huge"}, {Place: "Atlantis"}} {
		if _, err := b.Find(Question{Platform: "test"}, n); err == nil {
			t.Errorf("Find(%+v) = nil error; want one naming what is unknown", n)
		}
	}
	if a, err := b.Find(Question{Platform: "test"}, Need{}); err != nil || len(a.Finding.Fits) == 0 {
		t.Errorf("Find with nothing said = %v; want every current route", err)
	}
}

// TestSumsAsPeopleWriteThem: amounts in twelve spellings, as a figure or
// a ceiling, read into the finder's bands.
func TestSumsAsPeopleWriteThem(t *testing.T) {
	base, _ := knowledge.Embedded()
	tests := []struct {
		text string
		want int
	}{
		{"about £2,000", 2000},
		{"2k", 2000},
		{"two grand", 2000},
		{"under 5k", 4999},
		{"up to £5,000", 4999},
		{"less than five thousand", 4999},
		{"around 250k", 250000},
		{"£1m", 1000000},
		{"roughly 1.5 million", 1500000},
		{"twenty thousand pounds", 20000},
		{"below £50,000", 49999},
		{"£750", 750},
		{"between £1,000 and £3,000", 3000},
		{"between 1 and 3 thousand", 3000},
		{"£2k-£8k", 8000},
		{"£1,000 to 3,000", 3000},
		{"5 thousand", 5000},
		{"at most £5,000", 4999},
	}
	for _, tt := range tests {
		got, ok := amount(tt.text)
		if !ok || got != tt.want {
			t.Errorf("amount(%q) = %d, %v; want %d", tt.text, got, ok, tt.want)
		}
		if tt.want == 4999 && bandOf(base.Finder.Bands, got) != "small" {
			t.Errorf("%q falls in band %q; want the under-£5,000 band", tt.text, bandOf(base.Finder.Bands, got))
		}
	}
	for _, year := range []string{"in 2013", "since 2011/12"} {
		if n, ok := amount(year); ok {
			t.Errorf("amount(%q) = %d; a year is no sum", year, n)
		}
	}
}

// TestSumAtTheAmountStepIsNotACommand: "about £2,000" and a bare "2000"
// answer the finder's amount step; neither leaves the finder.
func TestSumAtTheAmountStepIsNotACommand(t *testing.T) {
	ctx := context.Background()
	for i, reply := range []string{"about £2,000", "2000", "two grand", "under 5k"} {
		b := newBot(t)
		q := Question{Conversation: fmt.Sprintf("f%d", i), Text: "funding"}
		for _, say := range []string{"funding", "a community group", "skip"} {
			q.Text = say
			b.Answer(ctx, q)
		}
		q.Text = reply
		a, _ := b.Answer(ctx, q)
		if a.Kind != Note || !strings.Contains(a.Message, "step 4 of 4") {
			t.Errorf("%q at the amount step: %v %q; want the next step (where)", reply, a.Kind, a.Message)
		}
	}
}

// TestAQuestionAtAnyFinderStepIsAnswered: at every step, a question is
// answered as one, even one that names a place at "Where is it?" or a
// building at "What is it for?"; a reply that says only what the finder
// asks is a reply.
func TestAQuestionAtAnyFinderStepIsAnswered(t *testing.T) {
	ctx := context.Background()
	for step := range 4 {
		for _, tt := range []struct{ say, want string }{
			{"who runs PACT in Radstock", "pact"},
			{"how do we list our pub?", "assets-of-community-value"},
		} {
			b := newBot(t)
			q := Question{Conversation: "c", Text: "funding"}
			b.Answer(ctx, q)
			for range step {
				q.Text = "skip"
				b.Answer(ctx, q)
			}
			q.Text = tt.say
			a, _ := b.Answer(ctx, q)
			if a.Entry == nil || a.Entry.ID != tt.want {
				t.Errorf("%q at step %d: %v %q; want %s", tt.say, step+1, a.Kind, a.Message, tt.want)
			}
		}
	}
	for _, reply := range []string{"what about Keynsham", "we are in Radstock", "Keynsham please"} {
		b := newBot(t)
		q := Question{Conversation: "c"}
		for _, say := range []string{"funding", "skip", "skip", "skip", reply} {
			q.Text = say
			a, _ := b.Answer(ctx, q)
			if say == reply && a.Kind != Funding {
				t.Errorf("%q at the where step: %v %q; want the finding", reply, a.Kind, a.Message)
			}
		}
	}
}

// TestFindingSaysWhatItWasToldOnce: "For a building or land", never "For
// for".
func TestFindingSaysWhatItWasToldOnce(t *testing.T) {
	a := ask(t, newBot(t), "we want to buy the old chapel for about £250,000")
	if a.Kind != Funding || !strings.HasPrefix(a.Reply().Lead, "For a building or land") {
		t.Errorf("lead %q; want it to start For a building or land", a.Reply().Lead)
	}
}

// TestAWholeAreaIsNotTheTownsInIt: Big Local is for Radstock and
// Westfield; a caller who gives only "Somer Valley" is told it is only
// for those two, never that it is available across the area; a caller in
// Radstock is told it fits.
func TestAWholeAreaIsNotTheTownsInIt(t *testing.T) {
	b := newBot(t)
	for _, tc := range []struct {
		place    string
		only     bool
		wantWhy  string
		notAvail string
	}{
		{"Somer Valley", true, "only if you are in Radstock or Westfield, in Somer Valley", "available in Somer Valley"},
		{"Radstock", false, "available in Radstock", ""},
	} {
		a, err := b.Find(Question{Platform: "test"}, Need{Who: "residents", Place: tc.place})
		if err != nil {
			t.Fatal(err)
		}
		var got *Fit
		for i, f := range a.Finding.Fits {
			if f.Entry.ID == "big-local" {
				got = &a.Finding.Fits[i]
			}
		}
		if got == nil {
			t.Errorf("%s: Big Local not among the fits", tc.place)
			continue
		}
		why := strings.Join(got.Why, "; ")
		if got.Only != tc.only || !strings.Contains(why, tc.wantWhy) || tc.notAvail != "" && strings.Contains(why, tc.notAvail) {
			t.Errorf("%s: only %v, why %q; want only %v, %q", tc.place, got.Only, why, tc.only, tc.wantWhy)
		}
	}
}

// TestStaffAreNotToldToAskCouncilConnect: at the desk the reader is
// Council Connect, so an entry's status, a place the documents say
// nothing of, and the finder's footer say what staff do, not "check
// with Council Connect".
func TestStaffAreNotToldToAskCouncilConnect(t *testing.T) {
	b := newBot(t)
	for _, e := range b.Base().Entries {
		if s := StatusFor(e, Staff); strings.Contains(s, "Council Connect") {
			t.Errorf("%s: staff status %q", e.ID, s)
		}
	}
	a, err := b.Find(Question{Platform: "test"}, Need{Who: "residents", Place: "Keynsham"})
	if err != nil {
		t.Fatal(err)
	}
	r := a.For(Staff).Reply()
	for _, bl := range r.Blocks {
		if bl.Part == Footer && strings.Contains(bl.Text, "Council Connect") {
			t.Errorf("staff finder footer %q", bl.Text)
		}
	}
}
