package bot

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"strings"
	"sync"
	"testing"
	"unicode/utf8"

	"github.com/bathnes/signpost/internal/table"
	"github.com/bathnes/signpost/knowledge"
)

var update = flag.Bool("update", false, "rewrite golden files")

func newBot(t testing.TB) *Bot {
	t.Helper()
	base, err := knowledge.Embedded()
	if err != nil {
		t.Fatalf("Embedded() = %v", err)
	}
	return New(base)
}

func ask(t testing.TB, b *Bot, q string) Answer {
	t.Helper()
	a, err := b.Answer(context.Background(), Question{Text: q})
	if err != nil {
		t.Fatalf("Answer(%q) = %v", q, err)
	}
	return a
}

// TestAnswerFindsTheRightEntry: a question put as people put it (misspelt,
// in other words, wrapped in thanks) is answered with the entry it asks
// about.
func TestAnswerFindsTheRightEntry(t *testing.T) {
	b := newBot(t)
	tests := []struct {
		name, query, want string
	}{
		{"pub listing", "how do we list our pub", "assets-of-community-value"},
		{"pact", "who runs PACT here", "pact"},
		{"typo corrected", "comunity asset tranfer", "community-asset-transfer"},
		{"swapped letters", "PCAT meetings", "pact"},
		{"american spelling", "neighborhood planning", "neighbourhood-planning"},
		{"resident word for police", "where can I talk to a bobby about vandalism", "pact"},
		{"acronym", "JSNA", "area-needs-assessment"},
		{"emoji ignored", "🙏 village agents 🙏", "village-agents"},
		{"greeting ignored", "hiya! thanks so much, what's the Big Local?", "big-local"},
		// A question with a council service's word in it is still a
		// toolkit question when the rest of it asks for a tool.
		{"service word: museum building", "our village museum is closing, could volunteers take over the building?", "community-asset-transfer"},
		{"service word: swimming pool", "can a community trust take over the swimming pool from the council", "community-asset-transfer"},
		{"service word: allotments", "could we list the allotments as an asset of community value", "assets-of-community-value"},
		{"service word: grass cutting", "the parish wants to run the grass cutting service instead of the council's contractor", "community-right-to-challenge"},
		{"service word: school pupils", "is there a forum where secondary school pupils can tell the council what they think", "pupil-parliament"},
		{"service word: care home visits", "who do I tell about how rushed my dad's care home visits are", "healthwatch"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a := ask(t, b, tt.query)
			if a.Kind != Matched || a.Entry.ID != tt.want {
				t.Errorf("Answer(%q) = %v %v; want Matched %s", tt.query, a.Kind, a.Results, tt.want)
			}
		})
	}
}

// TestAnswerDeclinesAndSignpostsCouncilConnect: everyday questions the
// toolkit does not cover, one for each kind the held-out sets showed
// getting toolkit answers, are declined; council matters signpost
// Council Connect.
func TestAnswerDeclinesAndSignpostsCouncilConnect(t *testing.T) {
	b := newBot(t)
	tests := []struct {
		query string
		want  Kind
	}{
		{"when is my bin collection", Service},
		{"how do I pay council tax", Service},
		{"there's a pothole outside my house", Service},
		{"parking permit for my street", Service},
		{"will it rain tomorrow", Outside},
		{"xyzzy plugh", Unsure},
		{"did Bath City win on Saturday", Outside},                                       // a sports club's result
		{"best pub for a Sunday lunch in Keynsham", Outside},                             // a pub for lunch
		{"how do I book a GP appointment online", Outside},                               // health appointments
		{"can anyone recommend a plumber in Radstock", Outside},                          // a trade in a named town
		{"has the hill into Timsbury been gritted yet", Service},                         // a gritted road
		{"who clears up a dead badger in the lane", Service},                             // a dead animal
		{"the boiler in my housing association flat has broken", Service},                // a repair at home
		{"how can I stand for election to the council", Service},                         // standing for election
		{"can I renew my library books online", Service},                                 // library lending
		{"my bike was stolen outside the station", Outside},                              // a crime report
		{"is there a grant to insulate my own house", Service},                           // a personal grant
		{"where can I look up my family history", Outside},                               // family history
		{"are there English classes for my mum", Outside},                                // English classes
		{"what is the fine for dog fouling", Service},                                    // dog fouling
		{"how do I object to my neighbour's extension", Service},                         // a neighbour's extension
		{"I'm not asking about PACT, I want to report my car was stolen", Outside},       // negation
		{"not about community libraries, I just need to renew my books", Service},        // negation
		{"I don't want to contact my councillor, I want to stand for election", Service}, // negation
		{"can I get free wifi in the library", Unsure},                                   // one shared word
	}
	for _, tt := range tests {
		a := ask(t, b, tt.query)
		if a.Kind != tt.want || a.Answered() {
			t.Errorf("Answer(%q).Kind = %v (answered %v, ranked %v); want %v, declined", tt.query, a.Kind, a.Answered(), a.Results, tt.want)
		}
		if tt.want != Outside && !strings.Contains(words(a), "Council Connect") {
			t.Errorf("Text(Answer(%q)) = %q; want Council Connect signposted", tt.query, words(a))
		}
	}
}

// TestUnsureOffersDidYouMean: a question that shares one word with some
// entries is not answered, but the entries are offered.
func TestUnsureOffersDidYouMean(t *testing.T) {
	b := newBot(t)
	const q = "can I get free wifi in the library"
	a := ask(t, b, q)
	if a.Kind != Unsure {
		t.Fatalf("%q: kind %v; want unsure", q, a.Kind)
	}
	if len(a.Alternatives) == 0 || !strings.Contains(words(a), "Did you mean") {
		t.Errorf("Text = %q; want Did you mean suggestions", words(a))
	}
}

func TestCommands(t *testing.T) {
	b := newBot(t)
	tests := []struct {
		query string
		kind  Kind
		want  string
	}{
		{"help", Help, "about <id or title>"},
		{"menu", List, "Buildings, land and services"},
		{"core offer", List, "Pupil Parliament"},
		{"funding routes", List, "Historical"},
		{"funding", Note, "Who is applying?"},
		{"about pact", Matched, "PACT meetings"},
		{"about acv", Matched, "Assets of Community Value"},
		{"About Village Agents", Matched, "Chew Valley"},
	}
	for _, tt := range tests {
		a := ask(t, b, tt.query)
		if a.Kind != tt.kind || !strings.Contains(words(a), tt.want) {
			t.Errorf("Answer(%q) = kind %v, text %q; want kind %v containing %q", tt.query, a.Kind, words(a), tt.kind, tt.want)
		}
	}
	// "funding" alone lists the routes, but a question about funding is matched.
	if a := ask(t, b, "funding for solar panels"); a.Kind != Matched || a.Entry.ID != "community-energy" {
		t.Errorf("funding question = %v %v; want community-energy", a.Kind, a.Results)
	}
}

// TestFundingListMarksHistoricalRoutes: `funding routes` files every route
// under its status, with the date of its facts in the heading.
func TestFundingListMarksHistoricalRoutes(t *testing.T) {
	a := ask(t, newBot(t), "funding routes")
	if a.Kind != List || len(a.Groups) == 0 {
		t.Fatalf("funding routes: kind %v, %d groups; want the list", a.Kind, len(a.Groups))
	}
	under := map[string]string{}
	for _, g := range a.Groups {
		if !strings.Contains(g.Name, "20") {
			t.Errorf("heading %q carries no date", g.Name)
		}
		for _, e := range g.Entries {
			under[e.ID] = g.Name
		}
	}
	for id, want := range map[string]string{"performance-reward-grant": "Historical", "community-hubs": "Proposed", "community-energy": "Current", "community-enablement-fund": "Status unknown"} {
		if !strings.HasPrefix(under[id], want) {
			t.Errorf("%s listed under %q; want %s", id, under[id], want)
		}
	}
}

func TestAnswerSaysHowOldTheFactsAre(t *testing.T) {
	b := newBot(t)
	if got := words(ask(t, b, "about performance-reward-grant")); !strings.Contains(got, "Historical: this has ended") {
		t.Errorf("PRG answer = %q; want it marked historical", got)
	}
	if got := words(ask(t, b, "how do we list our pub")); !strings.Contains(got, "May 2013") {
		t.Errorf("ACV answer = %q; want the May 2013 date", got)
	}
	if got := words(ask(t, b, "about pact")); !strings.Contains(got, "no phone number or e-mail") {
		t.Errorf("PACT answer = %q; want it to say the documents give no number", got)
	}
}

func TestHostileInputIsAnsweredSafely(t *testing.T) {
	b := newBot(t)
	inputs := map[string]string{
		"empty":        "",
		"whitespace":   " \t\n ",
		"1MB":          strings.Repeat("pub ", 1<<18),
		"invalid":      "\xff\xfe\xfd pub \xc3",
		"controls":     "\x00\x01\x1b[31mpub\x1b[0m",
		"only emoji":   "😀😀😀",
		"only mention": "<@U024BE7LH>",
		"everyone":     "@everyone @here",
		"markdown":     "**bold** _pub_ `code` [link](http://x)",
		"html":         "<script>alert(1)</script><b>pub</b>",
		"sql":          "'; DROP TABLE entries; --",
	}
	for name, in := range inputs {
		t.Run(name, func(t *testing.T) {
			a := ask(t, b, in)
			out := words(a)
			if out == "" || !utf8.ValidString(out) {
				t.Errorf("Text = %q; want a valid, non-empty reply", out)
			}
			if strings.Contains(out, "@everyone") || strings.Contains(out, "<script>") {
				t.Errorf("Text = %q echoes hostile input", out)
			}
		})
	}
}

func TestReloadKeepsOldBaseOnError(t *testing.T) {
	b := newBot(t)
	old := b.Base()
	err := b.Reload(func() (*knowledge.Base, error) { return nil, errors.New("line 3: broken") })
	if err == nil || !strings.Contains(err.Error(), "broken") {
		t.Errorf("Reload error = %v; want the load error", err)
	}
	if b.Base() != old {
		t.Error("Reload replaced the base after a failed load")
	}
	if a := ask(t, b, "who runs PACT here"); a.Kind != Matched {
		t.Errorf("after failed reload, answer kind = %v; want still answering", a.Kind)
	}
}

func TestConcurrentAnswersAndReload(t *testing.T) {
	b := newBot(t)
	var wg sync.WaitGroup
	errs := make(chan error, 8*50)
	for i := range 8 {
		wg.Go(func() {
			for range 50 {
				// No t.Fatal off the test's goroutine: errors come back.
				a, err := b.Answer(context.Background(), Question{Text: "how do we list our pub"})
				if err != nil || a.Kind != Matched {
					errs <- fmt.Errorf("answer %v, err %v", a.Kind, err)
				}
				if i == 0 {
					b.Replace(b.Base())
				}
			}
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
}

func TestAnswerHonoursCancelledContext(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := newBot(t).Answer(ctx, Question{Text: "pub"}); !errors.Is(err, context.Canceled) {
		t.Errorf("Answer on cancelled ctx = %v; want context.Canceled", err)
	}
}

func TestClean(t *testing.T) {
	table.Check(t, "Clean", Clean, map[string]string{
		"  many   spaces\n": "many spaces",
		"\xffpub":           "pub",
		"a\x00b":            "a b",
	})
	if got := Clean(strings.Repeat("é", 1<<20)); len(got) > maxQuestionBytes || !utf8.ValidString(got) {
		t.Errorf("Clean(1MB) = %d bytes, valid %v; want at most %d valid bytes", len(got), utf8.ValidString(got), maxQuestionBytes)
	}
}

func FuzzAnswer(f *testing.F) {
	for _, s := range []string{"how do we list our pub", "", "<@U1> @everyone", "\xff", "about ", "e-b&n:s,5.0",
		"who runs PACT here", "funding", "area Radstok", "we're a parish council wanting about £20k", "£1.5m", "area "} {
		f.Add(s)
	}
	b := newBot(f)
	f.Fuzz(func(t *testing.T, s string) {
		// Each input is a turn in a conversation that has just been asked
		// something, so replies to prompts are fuzzed too.
		for _, q := range []Question{{Text: s}, {Text: "funding", Conversation: "f", Channel: "c"}, {Text: s, Conversation: "f", Channel: "c"},
			{Text: "who runs PACT here", Conversation: "p", Channel: "c"}, {Text: s, Conversation: "p", Channel: "c"}} {
			a, err := b.Answer(context.Background(), q)
			if err != nil {
				t.Fatalf("Answer(%q) = %v", q.Text, err)
			}
			if a.Kind == Matched && a.Entry == nil {
				t.Fatalf("Answer(%q) matched no entry", q.Text)
			}
			if out := words(a); !utf8.ValidString(out) {
				t.Fatalf("Text(Answer(%q)) is not valid UTF-8", q.Text)
			}
		}
	})
}

func TestSuggest(t *testing.T) {
	b := newBot(t)
	tests := []struct {
		typed string
		want  string // the first suggestion's id
	}{
		{"acv", "assets-of-community-value"},
		{"PACT", "pact"},
		{"village ag", "village-agents"},
		{"participatory", "participatory-budgeting"},
	}
	for _, tt := range tests {
		got := b.Suggest(tt.typed, 25)
		if len(got) == 0 || got[0].ID != tt.want {
			t.Errorf("Suggest(%q) = %v; want %s first", tt.typed, got, tt.want)
		}
	}
	if got := b.Suggest("", 25); len(got) != 25 {
		t.Errorf("Suggest(\"\") gave %d; want 25 to browse", len(got))
	}
	for _, typed := range []string{"e", "community", strings.Repeat("a", 5000), "\xff\x00"} {
		if msg := suggestsFew(b, typed); msg != "" {
			t.Error(msg)
		}
	}
}

// suggestsFew says what is wrong with Suggest(typed, 25), or "": it gives
// at most 25 entries, none twice.
func suggestsFew(b *Bot, typed string) string {
	got := b.Suggest(typed, 25)
	if len(got) > 25 {
		return fmt.Sprintf("Suggest(%.20q) gave %d; want at most 25", typed, len(got))
	}
	seen := map[string]bool{}
	for _, s := range got {
		if seen[s.ID] {
			return fmt.Sprintf("Suggest(%.20q) offers %s twice", typed, s.ID)
		}
		seen[s.ID] = true
	}
	return ""
}

// FuzzSuggest: whatever is typed into autocomplete, Suggest returns at
// most max distinct entries and never panics.
func FuzzSuggest(f *testing.F) {
	b := newBot(f)
	for _, s := range []string{"acv", "", "\xff", "<@123> pact", strings.Repeat("z", 300)} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, typed string) {
		if msg := suggestsFew(b, typed); msg != "" {
			t.Fatal(msg)
		}
	})
}

// TestKindNamesItselfInLogs: logs say kind=matched, not kind=0.
func TestKindNamesItselfInLogs(t *testing.T) {
	for k, want := range map[Kind]string{Matched: "matched", Unsure: "unsure", Service: "service", Funding: "funding", Kind(99): "kind(99)"} {
		if got := k.String(); got != want {
			t.Errorf("Kind(%d).String() = %q; want %q", int(k), got, want)
		}
	}
}
