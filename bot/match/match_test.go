package match

import (
	"os"
	"slices"
	"strings"
	"testing"

	"github.com/bathnes/signpost/knowledge"
)

// fixture is the matcher over testdata/kb, a base small enough that each
// test's expectation can be read off it.
func fixture(t testing.TB) *Matcher {
	t.Helper()
	base, err := knowledge.Load(os.DirFS("testdata/kb"))
	if err != nil {
		t.Fatalf("load testdata/kb: %v", err)
	}
	return New(base)
}

func TestDecide(t *testing.T) {
	m := fixture(t)
	tests := []struct {
		name, q string
		verdict Verdict
		first   string // "" when no answer is expected
		not     string // an entry that must not be offered at all
	}{
		{"tool named in plain words", "how do we list our pub", Answer, "pub-listing", ""},
		{"name alone", "what is PACT", Answer, "police-meetings", ""},
		{"name typed in lower case", "when is the next pact", Answer, "police-meetings", ""},
		{"short name needs capitals", "my cat went missing near the shops", Unsure, "", ""},
		{"service with a tool's ask", "can we take over the swimming pool", Answer, "asset-transfer", ""},
		{"service alone", "when does the swimming pool open on sundays", Service, "", ""},
		{"always-phrase wins", "broken boiler in the hall we took on as a community group", Service, "", ""},
		{"one shared word is not an answer", "can I get free wifi at the library", Unsure, "", ""},
		{"a pair of words is", "is there a village library near here", Answer, "village-libraries", ""},
		{"concept in people's words", "forty of us would chip in to keep the bakery going", Answer, "shares", ""},
		{"concept needs its subject", "could we take it on next year", Unsure, "", ""},
		{"concept with its subject", "could our club take it on, the hall is falling apart", Answer, "asset-transfer", ""},
		{"negated name is not offered", "not asking about PACT, how do we list a pub", Answer, "pub-listing", "police-meetings"},
		{"negated thing", "this isn't a PACT thing, the boozer is up for sale", Answer, "pub-listing", "police-meetings"},
		{"all negated", "I'm not asking about PACT", Unsure, "", "police-meetings"},
		{"sums read one way", "heard 17 grand went to an estate", Answer, "small-grants", ""},
		{"little is small", "little grants under 5k", Answer, "small-grants", ""},
		{"nothing to read", "the and of it", Empty, "", ""},
		{"the ask outweighs the story", "Our village is lovely and has a pub. PACT meetings are held every month in the pub. " +
			"The council says it can no longer keep the hall. Could our group take over the hall?", Answer, "asset-transfer", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := m.Decide(tt.q, 5)
			var ids []string
			for _, x := range d.Matches {
				ids = append(ids, x.Entry.ID)
			}
			if d.Verdict != tt.verdict {
				t.Errorf("Decide(%q) verdict = %v (ranked %v); want %v", tt.q, d.Verdict, ids, tt.verdict)
			}
			if tt.first != "" && (len(ids) == 0 || ids[0] != tt.first) {
				t.Errorf("Decide(%q) ranked %v; want %s first", tt.q, ids, tt.first)
			}
			if tt.not != "" && slices.Contains(ids, tt.not) {
				t.Errorf("Decide(%q) ranked %v; want no %s", tt.q, ids, tt.not)
			}
		})
	}
}

func TestUnnegate(t *testing.T) {
	tests := []struct{ in, kept, negated string }{
		{"not asking about libraries, i need a grant", "i need a grant", "not asking about libraries"},
		{"this isnt a pact thing, the pub is for sale", "this the pub is for sale", "isnt a pact thing"},
		{"i dont want to contact my councillor i want to be one", "i i want to be one", "dont want to contact my councillor"},
		{"run it ourselves rather than see it cut", "run it ourselves", "rather than see it cut"},
		{"the police dont seem to care", "the police dont seem to care", ""},
		{"we dont want the pub to close", "we dont want the pub to close", ""},
		{"not about a b c d e f g h", "f g h", "not about a b c d e"},
	}
	for _, tt := range tests {
		kept, negated := unnegate(tt.in)
		if strings.Join(strings.Fields(strings.ReplaceAll(kept, ",", " ")), " ") != tt.kept ||
			strings.Join(strings.Fields(strings.ReplaceAll(negated, ",", " ")), " ") != tt.negated {
			t.Errorf("unnegate(%q) = %q, %q; want %q, %q", tt.in, kept, negated, tt.kept, tt.negated)
		}
	}
}

func TestPartsWeighStoryBelowAsk(t *testing.T) {
	short := parts("how do we list our pub? it is for sale")
	if len(short) != 1 || short[0].w != 1 {
		t.Errorf("two sentences: %+v; want one part of weight 1", short)
	}
	long := parts("We love our pub. It has been open for years. The brewery is selling it. Can we stop the sale?")
	if len(long) != 4 {
		t.Fatalf("parts = %+v; want 4 sentences", long)
	}
	for i, want := range []float64{storyWeight, storyWeight, storyWeight, 1} {
		if long[i].w != want {
			t.Errorf("sentence %d %q weighs %v; want %v", i, long[i].text, long[i].w, want)
		}
	}
	noAsk := parts("We love our pub. The brewery is selling it. Help.")
	if noAsk[len(noAsk)-1].w != 1 || noAsk[0].w != storyWeight {
		t.Errorf("no sentence asks: %+v; want the last to count as the ask", noAsk)
	}
}

func TestSums(t *testing.T) {
	tests := []struct {
		in   string
		want string
	}{
		{"17 grand", "17000"},
		{"17k", "17000"},
		{"£17,000", "17000"},
		{"17 thousand", "17000"},
		{"£1.3m", "1300000"},
		{"1.3 million", "1300000"},
		{"year 10", "year 10"},
	}
	for _, tt := range tests {
		if got := strings.Join(words(tt.in), " "); got != tt.want {
			t.Errorf("words(%q) = %q; want %q", tt.in, got, tt.want)
		}
	}
}

func TestCheckFindsPhrasesThatReadAsOneWord(t *testing.T) {
	base := &knowledge.Base{
		Language: knowledge.Language{Stopwords: []string{"find", "a", "in"}},
		Services: []knowledge.Service{{Name: "Health", Phrases: []string{"find a dentist", "dentist appointment"}, Always: []string{"find in"}}},
		Concepts: []knowledge.Concept{{Name: "empty", Phrases: []string{"!!"}, Means: "x"}},
	}
	got := Check(base)
	if len(got) != 3 {
		t.Fatalf("Check = %q; want 3 problems", got)
	}
	for i, want := range []string{`"find a dentist" reads as "dentist"`, `"find in" reads as ""`, `phrase "!!" has no words`} {
		if !strings.Contains(got[i], want) {
			t.Errorf("problem %d = %q; want it to say %s", i, got[i], want)
		}
	}
	if probs := Check(fixture(t).base); len(probs) > 0 {
		t.Errorf("fixture base: %q", probs)
	}
}

func FuzzDecide(f *testing.F) {
	for _, s := range []string{"how do we list our pub", "not about PACT, isn't a x thing", "17 grand £1.3m 5k",
		"A. B. C. D?", "take it on the hall", "\xff\xfe", strings.Repeat("pub ", 300)} {
		f.Add(s)
	}
	// The fixture with its small bank: the index, the model and the
	// fusion all run.
	m := trained(f)
	f.Fuzz(func(t *testing.T, q string) {
		d := m.Decide(q, 5)
		if d.Verdict < Answer || d.Verdict > Clarify || len(d.Matches) > 5 || d.Confidence < 0 || d.Confidence > 1 {
			t.Fatalf("Decide(%q) = %+v", q, d)
		}
		if d.Verdict == Answer && len(d.Matches) == 0 {
			t.Fatalf("Decide(%q) answers with no match", q)
		}
		if d.Verdict == Clarify && (len(d.Options) < 2 || len(d.Options) > 3 || d.Outside >= decidePolicy.outside) {
			t.Fatalf("Decide(%q) offers %d options (outside %.2f)", q, len(d.Options), d.Outside)
		}
		if d.Verdict != Clarify && len(d.Options) > 0 {
			t.Fatalf("Decide(%q) = %v with options", q, d.Verdict)
		}
	})
}

// TestEmbeddedBaseReadsAsWritten: every phrase of the real knowledge base
// reads the way its editor wrote it.
func TestEmbeddedBaseReadsAsWritten(t *testing.T) {
	base, err := knowledge.Embedded()
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range Check(base) {
		t.Error(p)
	}
}
