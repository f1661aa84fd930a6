package bot

import (
	"context"
	"encoding/json"
	"errors"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/bathnes/signpost/internal/stem"
	"github.com/bathnes/signpost/internal/table"
)

// fakeDirectory is a directory that gives the same services whatever it
// is asked, best first, and keeps what it was asked: the core alone
// decides which of them answer a question.
type fakeDirectory struct {
	services []LocalService
	mu       sync.Mutex
	asked    []LocalQuery
}

func (f *fakeDirectory) Find(q LocalQuery) []LocalService {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.asked = append(f.asked, q)
	return slices.Clone(f.services)
}

func (f *fakeDirectory) queries() []LocalQuery {
	f.mu.Lock()
	defer f.mu.Unlock()
	return slices.Clone(f.asked)
}

var checked = time.Date(2026, 2, 1, 0, 0, 0, 0, time.UTC)

// services are fictional (example.org, Ofcom's drama numbers 01632
// 960xxx), one of each shape a directory gives: full, thin, stale, with
// no location, and one whose name is a toolkit word (PACT).
var services = []LocalService{
	{Name: "Widcombe Lunch Club", What: "A lunch club for older people: a hot meal and company. Lifts can be arranged.",
		Kinds: []string{"Older people", "Food"}, Address: "St Mark's Hall, Widcombe Hill, BA2 6AA", Near: "BA2", Distance: 2.4, HasDistance: true,
		Next: "Thursday 10 December, 12:00 to 14:00", Cost: "£4.50 a meal", Contact: []string{"01632 960101", "lunch@example.org"},
		Feed: "https://directory.example.org/api", ID: "svc-1", Checked: checked},
	{Name: "Twerton Tuesday Lunch Club", What: "Lunch club at the community centre.", Feed: "https://directory.example.org/api", ID: "svc-2"},
	{Name: "Combe Down Friendship Lunch", What: "A monthly lunch club for anyone over 60.", Covers: "B&NES",
		Feed: "https://directory.example.org/api", ID: "svc-3", Checked: checked.AddDate(-2, 0, 0), Stale: "2 years ago"},
	{Name: "Keynsham Youth Club", What: "A youth club for young people: games, sport and trips.", Ages: "ages 11 to 18",
		Kinds: []string{"Young people"}, Next: "Thursday 10 December, 18:30 to 20:30", Cost: "free", Contact: []string{"01632 960104"},
		Feed: "https://directory.example.org/api", ID: "svc-4", Checked: checked},
	{Name: "Twerton Food Bank", What: "A food bank giving emergency food parcels, with a referral.", Kinds: []string{"Food"},
		Contact: []string{"01632 960105"}, Feed: "https://directory.example.org/api", ID: "svc-5", Checked: checked},
	{Name: "Midsomer Norton Men's Shed", What: "A men's shed where older men who feel lonely meet to make and mend things.",
		Kinds: []string{"Older people", "Loneliness"}, Feed: "https://directory.example.org/api", ID: "svc-6", Checked: checked},
	{Name: "Radstock PACT Meeting", What: "The police and communities together meeting for Radstock.",
		Feed: "https://directory.example.org/api", ID: "svc-7", Checked: checked},
	{Name: "Community Pub Quiz", What: "A quiz night at a community-owned pub.", Feed: "https://directory.example.org/api", ID: "svc-8", Checked: checked},
}

func localBot(t testing.TB) (*Bot, *fakeDirectory) {
	t.Helper()
	b := newBot(t)
	f := &fakeDirectory{services: services}
	b.UseDirectory(f)
	b.clock = func() time.Time { return time.Date(2026, 12, 7, 9, 0, 0, 0, time.UTC) }
	return b, f
}

func names(ls []LocalService) []string {
	var out []string
	for _, l := range ls {
		out = append(out, l.Name)
	}
	return out
}

// TestLocalServiceQuestionsAreAnsweredFromTheDirectory: the questions of
// issue 24, and the toolkit's own, each get the toolkit, the directory or
// both, as the decision in withLocal says.
func TestLocalServiceQuestionsAreAnsweredFromTheDirectory(t *testing.T) {
	b, _ := localBot(t)
	tests := []struct {
		name, query string
		kind        Kind
		entry       string // the toolkit entry: stated first, or offered under the services

		locals []string // the services listed, in order
	}{
		{"lunch club near a postcode", "lunch club near BA2", Local, "",
			[]string{"Widcombe Lunch Club", "Twerton Tuesday Lunch Club", "Combe Down Friendship Lunch"}},
		{"food bank in a ward", "food bank Twerton", Local, "", []string{"Twerton Food Bank"}},
		{"youth club on a day in a town", "youth club Thursday evening Keynsham", Local, "", []string{"Keynsham Youth Club"}},
		{"services lead an entry matched on a shared word", "anything for lonely older men in Midsomer Norton", Local, "village-agents",
			[]string{"Midsomer Norton Men's Shed", "Widcombe Lunch Club"}}, // its name and kinds hold all three
		{"a search the toolkit matches on one word", "is there a youth club", Local, "pupil-parliament", []string{"Keynsham Youth Club"}},
		{"the toolkit stays first when named, services after", "is there a PACT meeting in Radstock", Matched, "pact",
			[]string{"Radstock PACT Meeting"}},
		{"the toolkit's own question", "how do we list our pub", Matched, "assets-of-community-value", nil},
		{"a toolkit answer not asked as a search", "who runs PACT in Radstock", Matched, "pact", nil},
		{"a group running a club asks the toolkit", "our lunch club needs drivers and helpers, where can we find volunteers", Matched, "", nil},
		{"funding for a club is the toolkit's", "funding for a youth club near BA2", 0, "", nil},
		{"nothing fits", "xyzzy plugh", Unsure, "", nil},
		{"a council service nothing fits", "when is my bin collection day", Service, "", nil},
		{"a command", "menu", List, "", nil},
		{"about an entry", "about pact", Matched, "pact", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a := ask(t, b, tt.query)
			if tt.kind != 0 && a.Kind != tt.kind {
				t.Errorf("Answer(%q).Kind = %v (%v); want %v", tt.query, a.Kind, a.Results, tt.kind)
			}
			switch {
			case tt.entry == "":
			case tt.kind == Local && (len(a.Alternatives) == 0 || a.Alternatives[0].ID != tt.entry):
				t.Errorf("Answer(%q) offers %v under the services; want %s first", tt.query, a.Alternatives, tt.entry)
			case tt.kind != Local && (a.Entry == nil || a.Entry.ID != tt.entry):
				t.Errorf("Answer(%q) entry = %v; want %s first", tt.query, a.Entry, tt.entry)
			}
			if got := names(a.Locals); !slices.Equal(got, tt.locals) {
				t.Errorf("Answer(%q) services = %q; want %q", tt.query, got, tt.locals)
			}
		})
	}
}

// TestWithoutADirectoryNothingChanges: a directory that has nothing for a
// question leaves every answer as it was, and one that is not there is
// never asked.
func TestWithoutADirectoryNothingChanges(t *testing.T) {
	plain := newBot(t)
	b := newBot(t)
	empty := &fakeDirectory{}
	b.UseDirectory(empty)
	for _, q := range []string{"how do we list our pub", "who runs PACT here", "lunch club near BA2", "food bank Twerton",
		"is there a youth club", "xyzzy", "when is my bin collection day", "help", "menu", "funding", "about acv",
		"anything for lonely older men in Midsomer Norton", "will it rain tomorrow"} {
		want, _ := json.Marshal(ask(t, plain, q).Reply())
		got, _ := json.Marshal(ask(t, b, q).Reply())
		if string(got) != string(want) {
			t.Errorf("%q with an empty directory:\n%s\nwant, as without one:\n%s", q, got, want)
		}
	}
	for _, q := range empty.queries() {
		if strings.Contains(q.Text, "help") || strings.Contains(q.Text, "menu") || strings.Contains(q.Text, "funding") {
			t.Errorf("the directory was asked %q: a command is never a search", q.Text)
		}
	}
}

// TestServicesAreSearchedNearTheAskersPlace: the place the question names
// leads, then the desk's caller, what the asker said earlier, the
// channel's area; with none, no place.
func TestServicesAreSearchedNearTheAskersPlace(t *testing.T) {
	ctx := context.Background()
	tests := []struct {
		name  string
		setup func(b *Bot)
		q     Question
		want  string
	}{
		{"named in the question", nil, Question{Text: "youth club in Keynsham"}, "Keynsham"},
		{"named over the desk's", nil, Question{Text: "youth club in Keynsham", Place: "Radstock"}, "Keynsham"},
		{"the desk's caller", nil, Question{Text: "youth club", Place: "Radstock"}, "Radstock"},
		{"said earlier", func(b *Bot) { b.Answer(ctx, Question{Text: "we're in Paulton", Conversation: "c1"}) },
			Question{Text: "is there a youth club", Conversation: "c1"}, "Paulton"},
		{"the channel's area", func(b *Bot) { b.Answer(ctx, Question{Text: "area Keynsham", Channel: "ch1", Conversation: "c2"}) },
			Question{Text: "youth club", Channel: "ch1", Conversation: "c3"}, "Keynsham"},
		{"nowhere", nil, Question{Text: "youth club"}, ""},
		{"not an earlier question's", func(b *Bot) { b.Answer(ctx, Question{Text: "who runs PACT in Radstock", Conversation: "c4"}) },
			Question{Text: "youth club", Conversation: "c4"}, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b, f := localBot(t)
			if tt.setup != nil {
				tt.setup(b)
			}
			before := len(f.queries())
			a, err := b.Answer(ctx, tt.q)
			if err != nil {
				t.Fatal(err)
			}
			qs := f.queries()
			if len(qs) != before+1 {
				t.Fatalf("%q: directory asked %d times; want once", tt.q.Text, len(qs)-before)
			}
			if got := qs[len(qs)-1]; got.Place != tt.want {
				t.Errorf("%q: searched near %q; want %q", tt.q.Text, got.Place, tt.want)
			}
			if len(a.Locals) == 0 {
				t.Errorf("%q: no services; want Keynsham Youth Club", tt.q.Text)
			}
		})
	}
}

// TestPlaceNamesAreNotNeeds: a place the knowledge base knows goes to the
// directory as the place, not as a word to search for.
func TestPlaceNamesAreNotNeeds(t *testing.T) {
	b, f := localBot(t)
	ask(t, b, "youth club in Keynsham")
	qs := f.queries()
	if len(qs) == 0 || strings.Contains(strings.ToLower(qs[0].Text), "keynsham") || qs[0].Place != "Keynsham" {
		t.Errorf("asked %+v; want the need without Keynsham, near Keynsham", qs)
	}
}

// TestLocalReplySaysWhatTheRecordDoesNot: each service says what it is,
// where, when, what it costs, who to contact and where the facts come
// from, and, where the record is thin, says so.
func TestLocalReplySaysWhatTheRecordDoesNot(t *testing.T) {
	b, _ := localBot(t)
	r := ask(t, b, "lunch club near BA2").Reply()
	if r.Title != LocalTitle || !strings.Contains(r.Lead, "near BA2") {
		t.Errorf("title %q, lead %q; want %q and where", r.Title, r.Lead, LocalTitle)
	}
	var list *Block
	for i := range r.Blocks {
		if r.Blocks[i].Part == Listings {
			list = &r.Blocks[i]
		}
	}
	if list == nil || len(list.Items) != 3 || list.Text != LocalNote {
		t.Fatalf("blocks %+v; want a listing of three with its note", r.Blocks)
	}
	want := [][]string{
		{"A lunch club for older people: a hot meal and company.", "Where: St Mark's Hall, Widcombe Hill, BA2 6AA; 2.4 km (1.5 miles) from BA2",
			"Next: Thursday 10 December, 12:00 to 14:00", "Cost: £4.50 a meal", "Contact: 01632 960101, lunch@example.org",
			"Source: https://directory.example.org/api, record svc-1; last checked 1 February 2026."},
		{"Lunch club at the community centre.", "Where: not given", "Next: " + NoTimesNoContact, "Cost: not given", "Contact: none given",
			"Source: https://directory.example.org/api, record svc-2; date last checked not given."},
		{"A monthly lunch club for anyone over 60.", "Where: covers B&NES", "Next: " + NoTimesNoContact, "Cost: not given", "Contact: none given",
			"Source: https://directory.example.org/api, record svc-3; last checked 1 February 2024, 2 years ago: it may be out of date."},
	}
	for i, it := range list.Items {
		if !slices.Equal(it.Lines, want[i]) {
			t.Errorf("service %d (%s):\n%q\nwant\n%q", i+1, it.Name, it.Lines, want[i])
		}
	}
	if strings.Contains(r.Brief, "Widcombe") {
		t.Errorf("brief %q holds a record's text; notifications show it unescaped", r.Brief)
	}
}

// TestServicesNeverBorrowToolkitFacts: a service listed after an entry
// shows only its record's contacts and source, and the entry only its
// own.
func TestServicesNeverBorrowToolkitFacts(t *testing.T) {
	b, _ := localBot(t)
	a := ask(t, b, "is there a PACT meeting in Radstock")
	r := a.Reply()
	i := slices.IndexFunc(r.Blocks, func(b Block) bool { return b.Part == Listings })
	if i < 0 || r.Blocks[i].Label != LocalLabel {
		t.Fatalf("no listing labelled %q in %+v", LocalLabel, r.Blocks)
	}
	for _, b := range r.Blocks[:i] {
		raw, _ := json.Marshal(b)
		if strings.Contains(string(raw), "PACT Meeting") || strings.Contains(string(raw), "directory.example.org") {
			t.Errorf("the entry's part %s holds the service's words: %s", b.Part, raw)
		}
	}
	raw, _ := json.Marshal(r.Blocks[i])
	for _, e := range a.Sources {
		if strings.Contains(string(raw), e.Title) {
			t.Errorf("the service names the toolkit's source %q: %s", e.Title, raw)
		}
	}
	if strings.Contains(string(raw), "Council Connect") {
		t.Errorf("the service holds a toolkit contact: %s", raw)
	}
}

// TestLocalOutcome: a reply the directory answers is its own outcome,
// and counts as answered; services after an entry leave it an answer.
func TestLocalOutcome(t *testing.T) {
	b, _ := localBot(t)
	if a := ask(t, b, "food bank Twerton"); a.Outcome() != OutcomeLocal || !a.Answered() {
		t.Errorf("food bank Twerton: %s answered=%v; want local, answered", a.Outcome(), a.Answered())
	}
	if a := ask(t, b, "is there a PACT meeting in Radstock"); a.Outcome() != OutcomeAnswer {
		t.Errorf("is there a PACT meeting in Radstock: %s; want answer", a.Outcome())
	}
	if !slices.Contains(Outcomes, OutcomeLocal) {
		t.Error("Outcomes lacks local")
	}
	if Listings.String() != "listings" {
		t.Errorf("Listings names itself %q", Listings)
	}
}

// TestFollowUpAfterServicesIsNotAboutAnEntry: a Local answer ends any
// toolkit topic, so "who runs it" is not taken as about the entry before.
func TestFollowUpAfterServicesIsNotAboutAnEntry(t *testing.T) {
	b, _ := localBot(t)
	ctx := context.Background()
	b.Answer(ctx, Question{Text: "who runs PACT in Radstock", Conversation: "c"})
	b.Answer(ctx, Question{Text: "food bank Twerton", Conversation: "c"})
	a, _ := b.Answer(ctx, Question{Text: "who runs it", Conversation: "c"})
	if a.Kind == Matched && a.Entry.ID == "pact" {
		t.Error("a follow-up after services went back to PACT")
	}
}

// TestHostileRecordsAreCleanedAndBounded: a record's text reaches no
// screen with control characters, bidirectional overrides, line breaks
// or unbounded length, whatever the directory gives.
func TestHostileRecordsAreCleanedAndBounded(t *testing.T) {
	huge := strings.Repeat("lunch club <!channel> @everyone *bold* ", 30000)
	hostile := LocalService{
		Name:    "Lunch \x1b[2J\x1b]0;pwned\x07Club \u202eretsam\u202c\nNew line " + huge,
		What:    huge,
		Address: "\x00\x01" + huge, Next: huge, Cost: huge, Feed: huge, ID: huge, Stale: huge, Alert: huge, Org: huge, Ages: huge,
		Kinds: slices.Repeat([]string{huge}, 1000), Contact: slices.Repeat([]string{"01632 960999 " + huge}, 1000),
	}
	b := newBot(t)
	b.UseDirectory(&fakeDirectory{services: []LocalService{hostile, hostile, hostile, hostile}})
	a := ask(t, b, "lunch club near BA2")
	if len(a.Locals) != maxLocals {
		t.Fatalf("%d services; want %d", len(a.Locals), maxLocals)
	}
	raw, _ := json.Marshal(a.Reply())
	if len(raw) > 12000 {
		t.Errorf("reply of %d bytes from three records; want it bounded", len(raw))
	}
	for _, l := range a.Locals {
		for _, s := range append([]string{l.Name, l.What, l.Address, l.Next, l.Cost, l.Feed, l.ID, l.Alert}, l.Contact...) {
			if strings.ContainsAny(s, "\x1b\x07\x00\x01\n\u202e\u202c") {
				t.Errorf("%q keeps a control or formatting character", s[:min(len(s), 60)])
			}
		}
		if len(l.Contact) > maxContacts || len(l.Kinds) > 10 {
			t.Errorf("%d contacts, %d kinds kept", len(l.Contact), len(l.Kinds))
		}
	}
}

// TestNeedWords: what a question asks for, without places, postcodes,
// days or words that only name a kind of thing.
func TestNeedWords(t *testing.T) {
	ix := newIndex(newBot(t).Base())
	tests := []struct{ query, want string }{
		{"lunch club near BA2", "lunch club"},
		{"is there a lunch club near BA2 on a Thursday?", "lunch club"},
		{"anything for lonely older men in Radstock", "lonely older men"},
		{"youth club Thursday evening Keynsham", "youth club"},
		{"food bank Twerton", "food bank twerton"}, // and Twerton: see without
		{"befriending service in Bath", "befriend"},
		{"something nearby", ""},
		{"BS31 1AA", ""},
		{"youth club for my 14 year old in Southdown", "youth club teenager"},
		{"anything for my 8 yr old", "child"},
		{"my mum has dementia, anything in keynsham for us?", "dementia"},
		{"can I get free food in Radstock", "food"},
		{"a group for new mums", "new mum"}, // nothing else: who it is for is the need
		{"my nan is 78 and lonely", "older lonely"},
		{"im 17 and bored", "teenager bored"},
		{"somewhere for my grandson (18 months)", "baby"},
		{"memory problems group", "memory"},
		{"two kids to feed", "kid feed"},
		{"free stuff for 12 year olds", "child"},
		{"my grandad has dementia and grandma looks after him", "dementia"}, // looks: a kind word stemmed
		{"anything for pensioners during the week", "pensioner"},
	}
	for _, tt := range tests {
		if got := strings.Join(ix.needWords(tt.query), " "); got != tt.want {
			t.Errorf("needWords(%q) = %q; want %q", tt.query, got, tt.want)
		}
	}
}

// TestServicesSearchFiltersByNeedDayAndPlace: the desk's Services tab
// puts its form to the directory through the core: the need and place as
// asked, the day as "has a session that day", and only services that fit
// the need are listed.
func TestServicesSearchFiltersByNeedDayAndPlace(t *testing.T) {
	b, f := localBot(t)
	tests := []struct {
		name   string
		search ServiceSearch
		want   []string
	}{
		{"need alone", ServiceSearch{Need: "lunch club"},
			[]string{"Widcombe Lunch Club", "Twerton Tuesday Lunch Club", "Combe Down Friendship Lunch"}},
		{"a day keeps only services with a session that day", ServiceSearch{Need: "lunch club", Day: time.Thursday, OnDay: true},
			[]string{"Widcombe Lunch Club"}},
		{"a taxonomy term", ServiceSearch{Need: "Older people"}, []string{"Widcombe Lunch Club", "Midsomer Norton Men's Shed"}},
		{"a need nothing fits", ServiceSearch{Need: "xyzzy"}, nil},
		{"a day and place with no need list what meets then", ServiceSearch{Day: time.Thursday, OnDay: true, Place: "Keynsham"},
			[]string{"Widcombe Lunch Club", "Keynsham Youth Club"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a, err := b.Services(Question{}, tt.search)
			if err != nil {
				t.Fatal(err)
			}
			if got := names(a.Locals); !slices.Equal(got, tt.want) {
				t.Errorf("Services(%+v) = %q; want %q", tt.search, got, tt.want)
			}
			if a.Kind != Local || a.Audience != Staff {
				t.Errorf("Services(%+v) kind %v audience %v; want a Local answer for staff", tt.search, a.Kind, a.Audience)
			}
			asked := f.queries()
			q := asked[len(asked)-1]
			if q.Text != tt.search.Need || q.Place != tt.search.Place || q.OnDay != tt.search.OnDay || q.Day != tt.search.Day || q.Max < MaxServices {
				t.Errorf("the directory was asked %+v for %+v", q, tt.search)
			}
		})
	}
	if a, err := b.Services(Question{}, ServiceSearch{}); err != nil || len(a.Locals) != 0 {
		t.Errorf("a blank search = %v, %v; want nothing listed", names(a.Locals), err)
	}
	a, _ := b.Services(Question{}, ServiceSearch{Need: "xyzzy"})
	if r := a.Reply(); r.Lead != LocalNone || len(r.Blocks) != 0 {
		t.Errorf("a search that finds nothing reads %q %v; want %q", r.Lead, r.Blocks, LocalNone)
	}
}

// TestServicesWithoutADirectory: the tab can say plainly that there is
// no directory, rather than failing.
func TestServicesWithoutADirectory(t *testing.T) {
	if _, err := newBot(t).Services(Question{}, ServiceSearch{Need: "lunch club"}); !errors.Is(err, ErrNoDirectory) {
		t.Errorf("Services without a directory: %v; want ErrNoDirectory", err)
	}
}

// TestOnlyLocalsKeepsTheChosenInOrder: copying for the caller passes on
// only the services staff ticked, in the order listed.
func TestOnlyLocalsKeepsTheChosenInOrder(t *testing.T) {
	a := Answer{Kind: Local, Locals: services[:4]}
	got := a.OnlyLocals([]string{services[3].Key(), services[0].Key(), "nonsense"})
	if n := names(got.Locals); !slices.Equal(n, []string{"Widcombe Lunch Club", "Keynsham Youth Club"}) {
		t.Errorf("OnlyLocals = %q", n)
	}
	if len(a.Locals) != 4 {
		t.Error("OnlyLocals changed the answer it was given")
	}
}

// vocabularyDirectory is fakeDirectory that knows the words of its
// services' names, as a real directory's Known does.
type vocabularyDirectory struct{ *fakeDirectory }

func (v vocabularyDirectory) Known(w string) (string, bool) {
	for _, l := range v.services {
		for _, x := range strings.Fields(placeWords(l.Name + " " + l.What + " " + strings.Join(l.Kinds, " "))) {
			if x = stem.Word(x); x == w {
				return w, true
			}
		}
	}
	if w == "luch" {
		return "lunch", true
	}
	return "", false
}

// TestNeedsInPeoplesWords: a need in everyday words, misspelt, or with a
// word no service uses, finds the services a record describes in its
// own words; a word no service uses is not dropped ("a choir" is not
// any group), and the directory is asked for the widened need.
func TestNeedsInPeoplesWords(t *testing.T) {
	b := newBot(t)
	f := &fakeDirectory{services: services}
	b.UseDirectory(vocabularyDirectory{f})
	tests := []struct {
		query string
		want  []string
	}{
		{"luch club near BA2", []string{"Widcombe Lunch Club", "Twerton Tuesday Lunch Club", "Combe Down Friendship Lunch"}},
		{"anything for teenagers in Keynsham", []string{"Keynsham Youth Club"}},
		{"is there anywhere for hungry people", []string{"Widcombe Lunch Club", "Twerton Food Bank"}}, // both filed under Food
		{"is there a choir for older people", nil},
	}
	for _, tt := range tests {
		a := ask(t, b, tt.query)
		if got := names(a.Locals); !slices.Equal(got, tt.want) {
			t.Errorf("Answer(%q) services = %q; want %q", tt.query, got, tt.want)
		}
	}
	qs := f.queries()
	if len(qs) == 0 || !slices.ContainsFunc(qs[0].Need, func(g []string) bool { return slices.Contains(g, "lunch") }) {
		t.Errorf("the directory was asked %+v; want the need read as lunch", qs)
	}
}

// TestNamesEntry: a question names an entry by its title, an acronym in
// it or an alias written as a name, never by an alias that is a word for
// its subject.
func TestNamesEntry(t *testing.T) {
	base := newBot(t).Base()
	names := func(c [2]string) bool {
		e, ok := base.Entry(c[1])
		return ok && namesEntry(c[0], e)
	}
	table.Check(t, "namesEntry", names, map[[2]string]bool{
		{"is there a village agent in Chew Magna", "village-agents"}: true,
		{"anything for lonely older people", "village-agents"}:       false,
		{"when is the PACT meeting in Radstock", "pact"}:             true,
		{"is there a youth club", "pupil-parliament"}:                false,
	})
}

// TestAServiceSaysItsConditionsAndPattern: a later sentence that sets a
// condition (a referral voucher) is shown with the first, another is
// not; the weekly pattern follows the next session.
func TestAServiceSaysItsConditionsAndPattern(t *testing.T) {
	l := LocalService{Name: "Southside Food Bank", What: "Emergency food parcels. We are a friendly team. You need a referral voucher from an agency.",
		Next: "Monday 7 December, 10:00 to 12:00", Meets: "Mondays, Wednesdays, 10:00 to 12:00", Contact: []string{"01632 960112"}}
	lines := strings.Join(localLines(cleanLocal(l)), "\n")
	for _, want := range []string{"Emergency food parcels. You need a referral voucher from an agency.",
		"Next: Monday 7 December, 10:00 to 12:00; meets Mondays, Wednesdays, 10:00 to 12:00"} {
		if !strings.Contains(lines, want) {
			t.Errorf("lines = %s\nwant %q", lines, want)
		}
	}
	if strings.Contains(lines, "friendly team") {
		t.Errorf("lines = %s\nwant only the first sentence and conditions", lines)
	}
}

// TestSlipsAreReadOnlyAsNeeds: a misspelt word is read as the need word it
// is one slip from; a short word the need table does not know is a word
// of its own ("quid" is not "quiz"), and a slip into a word that only
// says when or what kind is no need.
func TestSlipsAreReadOnlyAsNeeds(t *testing.T) {
	slip := func(c [2]string) bool { return slipFor(c[0], c[1]) }
	table.Check(t, "slipFor", slip, map[[2]string]bool{
		{"luch", "lunch"}:       true,
		{"lonley", "lonely"}:    true,
		{"quid", "quiz"}:        false,
		{"soul", "soup"}:        false,
		{"anywere", "anywhere"}: false,
		{"mornin", "morning"}:   false,
		{"knittin", "knitting"}: true, // long enough to be a slip of its own
	})
}

// TestALongQuestionFindsWhatItTellsOf: a question that tells a story
// finds the service its name or kinds say it needs, the nearer first
// among those as fitting, and not a service that shares only a word of
// the story with its description.
func TestALongQuestionFindsWhatItTellsOf(t *testing.T) {
	b := newBot(t)
	f := &fakeDirectory{services: []LocalService{
		{Name: "Radstock Warm Hub", What: "Hot drinks through the winter.", Kinds: []string{"Warm spaces"}, Distance: 14, HasDistance: true, ID: "far"},
		{Name: "Chew Magna Warm Room", What: "A warm room with a cuppa.", Kinds: []string{"Warm spaces"}, Distance: 0.1, HasDistance: true, ID: "near"},
		{Name: "Winter Walks", What: "Guided walks through the winter for anyone.", Distance: 0.2, HasDistance: true, ID: "story"},
	}}
	b.UseDirectory(vocabularyDirectory{f})
	a := ask(t, b, "my heating has packed in and the landlord won't fix it till next week, is there anywhere warm I can go")
	if got := names(a.Locals); !slices.Equal(got, []string{"Chew Magna Warm Room", "Radstock Warm Hub"}) {
		t.Errorf("services = %q; want the warm spaces, the nearer first", got)
	}
}

// FuzzLocalAnswer: whatever is asked beside a directory, the answer is
// given, lists at most three services, and a Local answer lists some.
func FuzzLocalAnswer(f *testing.F) {
	for _, s := range []string{"luch club near BA2", "my 14 year old", "aged 200 months 5", "is 99999999999999999999",
		"we're in Twerton", "18 months", "im 17 and bored out my head", "\xff anything for", "free free free"} {
		f.Add(s)
	}
	b := newBot(f)
	b.UseDirectory(vocabularyDirectory{&fakeDirectory{services: services}})
	f.Fuzz(func(t *testing.T, s string) {
		for _, q := range []Question{{Text: s}, {Text: s, Conversation: "c"}} {
			a, err := b.Answer(context.Background(), q)
			if err != nil {
				t.Fatalf("Answer(%q) = %v", s, err)
			}
			if len(a.Locals) > maxLocals || a.Kind == Local && len(a.Locals) == 0 {
				t.Fatalf("Answer(%q): %v with %d services", s, a.Kind, len(a.Locals))
			}
		}
	})
}

// TestFitsByRule: how much of a need a service must hold, by what the
// toolkit answered: beside a named entry every word; over an entry
// matched on a shared word, a word in its name or kinds; with no
// toolkit answer, a story's need leniently.
func TestFitsByRule(t *testing.T) {
	transport := LocalService{Name: "Community Transport", What: "Lifts for people who cannot use public buses.", Kinds: []string{"Transport"}}
	shed := LocalService{Name: "Men's Shed", What: "Older men meet to make and mend.", Kinds: []string{"Older people", "Loneliness"}}
	tests := []struct {
		name string
		need [][]string
		l    LocalService
		rule strictness
		long bool
		want bool
	}{
		{"a description's word does not fit over a toolkit answer", [][]string{{"public"}}, transport, firm, false, false},
		{"with no toolkit answer, a one-word need it holds fits", [][]string{{"public"}}, transport, loose, false, true},
		{"a name's word fits over a toolkit answer", [][]string{{"shed"}}, shed, firm, false, true},
		{"beside a named entry, every word", [][]string{{"men"}, {"shed"}, {"lunch"}}, shed, whole, false, false},
		{"two in three otherwise", [][]string{{"men"}, {"shed"}, {"lunch"}}, shed, loose, false, true},
		{"a story needs one in three, in the name or kinds", [][]string{{"shed"}, {"garage"}, {"tinker"}}, shed, loose, true, true},
		{"but not only in the description", [][]string{{"make"}, {"garage"}, {"tinker"}}, shed, loose, true, false},
		{"nor leniently over a toolkit answer", [][]string{{"shed"}, {"garage"}, {"tinker"}}, shed, firm, true, false},
	}
	for _, tt := range tests {
		if _, got := fits(tt.need, tt.l, tt.rule, tt.long); got != tt.want {
			t.Errorf("%s: fits = %v; want %v", tt.name, got, tt.want)
		}
	}
}

// TestWhatsOnBrowsesAPlace: "what's on in Radstock" names no need: the
// directory is asked for anything near the place, and without a place
// nothing is listed (what's on everywhere is the whole directory).
func TestWhatsOnBrowsesAPlace(t *testing.T) {
	b, f := localBot(t)
	if a := ask(t, b, "whats on in Radstock on a Wednesday"); a.Kind != Local || len(a.Locals) != maxLocals {
		t.Errorf("what's on in Radstock: %v with %d services; want %d services", a.Kind, len(a.Locals), maxLocals)
	}
	if qs := f.queries(); len(qs) != 1 || !qs[0].Browse || qs[0].Place != "Radstock" {
		t.Errorf("the directory was asked %+v; want to browse near Radstock", qs)
	}
	if a := ask(t, b, "what's on?"); len(a.Locals) != 0 {
		t.Errorf("what's on, nowhere: %d services; want none", len(a.Locals))
	}
}
