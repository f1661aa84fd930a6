package knowledge

import (
	"io/fs"
	"os"
	"strings"
	"testing"
	"testing/fstest"
)

// doc is a small source document; line numbers matter to the tests.
const doc = `The Small Grants Fund offers grants of less than £5,000, and £300,000 in total.
It is proposed that a Community Assets Fund be allocated an indicative £110,000.
Big Local is only available in Radstock and Westfield, for residents to use at least £1m.
Village Agents work in rural areas such as the Chew Valley.
Contact Jo Bloggs on 01225 000000.
The forums do not have budgets. Three new forums are being created in Radstock.
The project comes to an end in December; it gave a total of 6 months, with a 6-week cut-off.
Volunteers give five million hours of their time each year.
The Partnership Framework is a non-statutory partnership.

Filler line eleven.
Filler line twelve.
Filler line thirteen.
Filler line fourteen.
Filler line fifteen.
Filler line sixteen.
Filler line seventeen.
Filler line eighteen.
Filler line nineteen.
Filler line twenty.
Filler line twenty-one.
Filler line twenty-two.`

// checkClaims loads one entry (written in TOML after its title line) and
// checks it against doc, returning the problems.
func checkClaims(t *testing.T, entry string) Problems {
	t.Helper()
	fsys := fstest.MapFS{
		"kb/sources.toml": {Data: []byte(goodSource + `
[[place]]
name = "Radstock"
kind = "town"
sources = ["000"]
[[place]]
name = "Westfield"
kind = "town"
sources = ["000"]
[[place]]
name = "Chew Valley"
kind = "area"
sources = ["000"]
[finder]
[[finder.applicant]]
key = "group"
label = "A group"
words = ["group", "community group"]
[[finder.applicant]]
key = "residents"
label = "Residents"
words = ["residents", "local people"]
`)},
		"kb/entry.toml": {Data: []byte("[[entry]]\nid = \"e\"\nkinds = [\"core\"]\ntitle = \"Grants\"\nas_of = \"2013-05\"\nsources = [\"000\"]\n" + entry)},
		"docs/000.txt":  {Data: []byte(doc)},
	}
	sub := func(dir string) fstest.MapFS {
		out := fstest.MapFS{}
		for k, v := range fsys {
			if rest, ok := strings.CutPrefix(k, dir+"/"); ok {
				out[rest] = v
			}
		}
		return out
	}
	b, err := Load(sub("kb"))
	if err != nil {
		t.Fatalf("Load: %v", err)
	}
	probs, _ := b.CheckSources(sub("docs"))
	return probs
}

// current is a status every test entry may end with.
const current = "\nstatus = \"current\"\nstatus_cite = \"000:1\"\n"

// TestCheckSources: each rule passes an honest claim and catches a false
// one. want names the rule and a piece of its message; "" passes.
func TestCheckSources(t *testing.T) {
	tests := []struct {
		name, entry string
		rule        Rule
		want        string
	}{
		// cited
		{"a cited claim passes", `summary = [{ text = "The Small Grants Fund offers grants under £5,000.", cite = "000:1" }]` + current, "", ""},
		{"an uncited amount is rejected", `summary = "Grants of less than £5,000."` + current, RuleCited, "has no citation"},
		{"an uncited how to start is rejected", `summary = [{ text = "Grants.", cite = "000:1" }]
start = "Ask for a grant of less than £5,000."` + current, RuleCited, `start "Ask for a grant`},
		{"an uncited guidance is rejected", `summary = [{ text = "Grants.", cite = "000:1" }]
guidance = ["Small Grants Fund"]` + current, RuleCited, "guidance"},
		{"a citation past the end is rejected", `summary = [{ text = "Grants.", cite = "000:99" }]` + current, RuleCited, "000 has lines 1-22"},
		{"a citation of no document is rejected", `summary = [{ text = "Grants.", cite = "009:1" }]` + current, RuleCited, "not a document source"},
		// own
		{"an explanation of our own may not hold a figure", `summary = [{ text = "It gives about 5 months.", own = true }]` + current, RuleOwn, "may hold no figure"},
		{"an explanation of our own may not hold a figure in words", `summary = [{ text = "It gives about five months.", own = true }]` + current, RuleOwn, "figure"},
		{"an explanation of our own may not hold a name", `summary = [{ text = "So ask Jo Bloggs.", own = true }]` + current, RuleOwn, "name"},
		{"an explanation of our own may not hold a status", `summary = [{ text = "It runs now.", own = true }]` + current, RuleOwn, "a status"},
		{"an explanation of our own may not hold a rule", `summary = [{ text = "It is only for residents.", own = true }]` + current, RuleOwn, "a rule"},
		{"an explanation of our own may not hold a contact", `start = [{ text = "Ring 01225 000000.", own = true }]
summary = [{ text = "Grants.", cite = "000:1" }]` + current, RuleOwn, "contact"},
		{"an explanation of our own without figures passes", `summary = [{ text = "It gives time to bid.", own = true }]` + current, "", ""},
		{"an explanation of what the documents do not say passes", `summary = [{ text = "The documents do not say whether it still runs.", own = true }]` + current, "", ""},
		// span
		{"a citation of a whole document is rejected", `summary = [{ text = "Grants.", cite = "000:1-22" }]` + current, RuleSpan, "at most a paragraph (10 lines)"},
		{"ranges adding up past a claim's lines are rejected", `summary = [{ text = "Grants.", cite = "000:1-9, 000:11-20, 000:21-22, 000:3-5" }]` + current, RuleSpan, "at most 20"},
		// names
		{"a name not in its lines is rejected", `summary = [{ text = "The Small Grants Fund is run by Quartet.", cite = "000:1" }]` + current, RuleNames, `"Quartet" is not in the cited lines`},
		{"an invented person in how to start is rejected", `summary = [{ text = "Grants.", cite = "000:1" }]
start = [{ text = "Contact Jo Smith about grants.", cite = "000:1, 000:5" }]` + current, RuleNames, `"Smith"`},
		{"an invented phone number is rejected", `summary = [{ text = "Grants.", cite = "000:1" }]
start = [{ text = "Contact Jo Bloggs on 01225 000001.", cite = "000:5" }]` + current, RuleNames, `"01225 000001"`},
		// figures
		{"a figure not in its lines is rejected", `summary = [{ text = "Grants of less than £50,000.", cite = "000:1" }]` + current, RuleFigures, `"£50,000" (50000) is not in the cited lines 000:1`},
		{"a figure in words is a figure", `summary = [{ text = "Volunteers give six million hours of their time each year.", cite = "000:8" }]` + current, RuleFigures, "6000000"},
		{"a figure in words that agrees passes", `summary = [{ text = "Volunteers give 5 million hours of their time a year.", cite = "000:8" }]` + current, "", ""},
		// units
		{"weeks for months is rejected", `summary = [{ text = "It gave a total of 6 weeks.", cite = "000:7" }]` + current, RuleUnits, "week"},
		{"a month for a year is rejected", `summary = [{ text = "Volunteers give five million hours of their time each month.", cite = "000:8" }]` + current, RuleUnits, "per-month"},
		{"thousands dropped are rejected", `summary = [{ text = "The Small Grants Fund offers grants of less than £5.", cite = "000:1" }]` + current, RuleUnits, "thousands"},
		{"a total made yearly is rejected", `summary = [{ text = "The Small Grants Fund has £300,000 a year.", cite = "000:1" }]` + current, RuleUnits, "per-year"},
		// bounds
		{"less than made at least is rejected", `summary = [{ text = "The Small Grants Fund offers grants of at least £5,000.", cite = "000:1" }]` + current, RuleBounds, "at least £5,000"},
		{"at least made up to is rejected", `summary = [{ text = "Residents use up to £1m.", cite = "000:3" }]` + current, RuleBounds, "at most £1m"},
		// content
		{"lines that hold only the names are rejected", `summary = [{ text = "The Small Grants Fund builds houses and roads.", cite = "000:1" }]` + current, RuleContent, `"builds"`},
		// negation
		{"a negation the lines do not make is rejected", `summary = [{ text = "Big Local is not available in Radstock and Westfield.", cite = "000:3" }]` + current, RuleNegation, "do not say it is not so"},
		{"a negation dropped is rejected", `summary = [{ text = "The forums have budgets.", cite = "000:6" }]` + current, RuleNegation, "leaves out the negation"},
		{"non- dropped is rejected", `summary = [{ text = "The Partnership Framework is a statutory partnership.", cite = "000:9" }]` + current, RuleNegation, "leaves out the negation"},
		{"an only the lines do not say is rejected", `summary = [{ text = "Village Agents work only in the Chew Valley.", cite = "000:4" }]` + current, RuleNegation, "no such restriction"},
		{"a negation the lines make passes", `summary = [{ text = "The forums do not have budgets.", cite = "000:6" }]` + current, "", ""},
		// quantifier
		{"all the lines do not say is rejected", `summary = [{ text = "Village Agents work in all rural areas.", cite = "000:4" }]` + current, RuleQuantifier, "do not say it of all"},
		// status
		{"a plan stated as done is rejected", `summary = [{ text = "Three new forums have been created in Radstock.", cite = "000:6" }]` + current, RuleStatus, "being created"},
		{"runs now on an ending is rejected", `summary = [{ text = "The project runs now and gave a total of 6 months.", cite = "000:7" }]` + current, RuleStatus, "runs"},
		{"current on proposal wording is rejected", `summary = [{ text = "A Community Assets Fund of £110,000 is proposed.", cite = "000:2" }]
status = "current"
status_cite = "000:2"`, RuleStatus, "a proposal is not current"},
		{"proposed on proposal wording passes", `summary = [{ text = "A Community Assets Fund of £110,000 is proposed.", cite = "000:2" }]
status = "proposed"
status_cite = "000:2"`, "", ""},
		{"historical on lines of no end is rejected", `summary = [{ text = "Grants.", cite = "000:1" }]
status = "historical"
status_cite = "000:1"`, RuleStatus, "nothing of an end"},
		{"historical on an ending passes", `summary = [{ text = "Grants.", cite = "000:1" }]
status = "historical"
status_cite = "000:7"`, "", ""},
		// finder
		{"an only without support is rejected", `summary = [{ text = "Village Agents work in rural areas.", cite = "000:4" }]
places = ["Radstock"]
only_in = ["Radstock"]
only_cite = "000:4"` + current, RuleFinder, `do not say "only"`},
		{"an only with support passes", `summary = [{ text = "Big Local is in Radstock and Westfield.", cite = "000:3" }]
only_in = ["Radstock", "Westfield"]
only_cite = "000:3"` + current, "", ""},
		{"an only_in place its lines do not name is rejected", `summary = [{ text = "Big Local is in Radstock and Westfield.", cite = "000:3" }]
only_in = ["Radstock", "Chew Valley"]
only_cite = "000:3"` + current, RuleFinder, `"Chew Valley"`},
		{"an applicant rule its lines state passes", `summary = [{ text = "Grants.", cite = "000:1" }]` + current + `[entry.funding]
amount = "at least £1m"
amount_cite = "000:3"
applicants = ["residents"]
applicants_cite = "000:3"`, "", ""},
		{"an invented applicant rule is rejected", `summary = [{ text = "Grants.", cite = "000:1" }]` + current + `[entry.funding]
amount = "at least £1m"
amount_cite = "000:3"
applicants = ["group"]
applicants_cite = "000:3"`, RuleFinder, `applicant "group"`},
		{"a cap one under a less-than passes", `summary = [{ text = "Grants.", cite = "000:1" }]` + current + `[entry.funding]
amount = "less than £5,000"
amount_cite = "000:1"
max_gbp = 4999`, "", ""},
		{"an invented cap is rejected", `summary = [{ text = "Grants.", cite = "000:1" }]` + current + `[entry.funding]
amount = "less than £5,000"
amount_cite = "000:1"
max_gbp = 2000`, RuleFinder, "max_gbp = 2000"},
		{"a least made a most is rejected", `summary = [{ text = "Grants.", cite = "000:1" }]` + current + `[entry.funding]
amount = "at least £1m"
amount_cite = "000:3"
max_gbp = 1000000`, RuleFinder, "max_gbp = 1000000"},
		// contact
		{"a dated contact that may have changed passes", `summary = [{ text = "Grants.", cite = "000:1" }]
contacts = [{ name = "Jo Bloggs", phone = "01225 000000", note = "Named in May 2013; may have changed since.", cite = "000:5" }]` + current, "", ""},
		{"a contact without may have changed is rejected", `summary = [{ text = "Grants.", cite = "000:1" }]
contacts = [{ name = "Jo Bloggs", phone = "01225 000000", note = "Named in May 2013.", cite = "000:5" }]` + current, RuleContact, "may have changed"},
		{"a contact without a date is rejected", `summary = [{ text = "Grants.", cite = "000:1" }]
contacts = [{ name = "Jo Bloggs", note = "May have changed since.", cite = "000:5" }]` + current, RuleContact, "give the date"},
		{"a contact dated unlike its document is rejected", `summary = [{ text = "Grants.", cite = "000:1" }]
contacts = [{ name = "Jo Bloggs", note = "Named in May 2014; may have changed since.", cite = "000:5" }]` + current, RuleContact, "not the date"},
		{"a contact without a citation is rejected", `summary = [{ text = "Grants.", cite = "000:1" }]
contacts = [{ name = "Jo Bloggs", note = "Named in May 2013; may have changed since." }]` + current, RuleContact, "no citation"},
		{"a phone number is checked with its name", `summary = [{ text = "Grants.", cite = "000:1" }]
contacts = [{ name = "Policy team", phone = "01225 000000", note = "Named in May 2013; may have changed since.", cite = "000:5" }]` + current, RuleContact, `"Policy" is not in the cited lines 000:5`},
		// place notes and guidance as claims
		{"cited guidance passes", `summary = [{ text = "Grants.", cite = "000:1" }]
guidance = [{ text = "Small Grants Fund", cite = "000:1" }]` + current, "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			probs := checkClaims(t, tt.entry)
			if tt.rule == "" {
				if len(probs) > 0 {
					t.Errorf("problems %v; want none", probs)
				}
				return
			}
			for _, p := range probs {
				if p.Rule == tt.rule && strings.Contains(p.Msg, tt.want) {
					return
				}
			}
			t.Errorf("problems %v; want one of rule %s saying %q", probs, tt.rule, tt.want)
		})
	}
}

// TestCheckSourcesWithoutTheDocumentsSaysSo: a documents folder that is
// missing, or holds none of the source files, is one problem naming it,
// not one per citation.
func TestCheckSourcesWithoutTheDocumentsSaysSo(t *testing.T) {
	b, err := Embedded()
	if err != nil {
		t.Fatal(err)
	}
	for name, docs := range map[string]fs.FS{"missing folder": os.DirFS(t.TempDir() + "/nowhere"), "empty folder": fstest.MapFS{}} {
		probs, n := b.CheckSources(docs)
		if len(probs) != 1 || n != 0 || !strings.Contains(probs[0].Msg, ErrNoDocuments.Error()) {
			t.Errorf("%s: %d problems (%v), %d claims; want one saying %q", name, len(probs), probs, n, ErrNoDocuments)
		}
	}
}

// TestClaimTablesLoad: how to start, guidance and notes take claims,
// whose keys are checked.
func TestClaimTablesLoad(t *testing.T) {
	b, ps := load(t, map[string]string{"a.toml": goodSource + places + goodEntry + `start = [{ text = "Go along.", own = true }, { text = "Ask.", cite = "000:1" }]
guidance = [{ text = "B&NES PACT website", cite = "000:1" }, "Other"]
contacts = [{ name = "Team", note = { text = "Named in May 2013; may have changed since.", own = true }, cite = "000:1" }]
`})
	if ps != nil {
		t.Fatalf("problems = %v", ps)
	}
	e, _ := b.Entry("pact")
	if e.Start != "Go along. Ask." || len(e.Guidance) != 2 || e.Guidance[0] != "B&NES PACT website" || e.Contacts[0].Note != "Named in May 2013; may have changed since." {
		t.Errorf("start %q, guidance %q, note %q", e.Start, e.Guidance, e.Contacts[0].Note)
	}
	_, ps = load(t, map[string]string{"a.toml": goodSource + goodEntry + `start = [{ text = "Go.", sight = "000:1" }]
`})
	if len(ps) == 0 || !strings.Contains(ps.Error(), "sight") {
		t.Errorf("a claim with an unknown key: %v; want it named", ps)
	}
}

// TestEmbeddedClaimsAreAllCited: every claim of the embedded base cites
// its lines, when the documents are beside the repository (they are in CI).
func TestEmbeddedClaimsAreAllCited(t *testing.T) {
	docs := "../../shared/seeds"
	if !dirExists(docs) {
		if strings.EqualFold(getenv("CI"), "true") {
			t.Fatalf("%s is missing: CI must check every citation", docs)
		}
		t.Skipf("%s is not beside the repository", docs)
	}
	b, err := Embedded()
	if err != nil {
		t.Fatal(err)
	}
	probs, n := b.CheckSources(dirFS(docs))
	for _, p := range probs {
		t.Error(p)
	}
	if n < 300 {
		t.Errorf("%d claims checked; want every claim of the base (over 300)", n)
	}
}

func dirExists(p string) bool { st, err := os.Stat(p); return err == nil && st.IsDir() }
func getenv(k string) string  { return os.Getenv(k) }
func dirFS(p string) fs.FS    { return os.DirFS(p) }

func TestCheckSuggestionsNamesWhatIsWrong(t *testing.T) {
	base, _ := Embedded()
	if len(base.Examples) == 0 {
		t.Fatal("the embedded base has no example bank")
	}
	banked := base.Examples[0].Text
	bad := `[[suggestion]]
entry = "no-such-entry"
questions = ["x"]

[[suggestion]]
new_entry = "pact"
questions = ["y"]

[[suggestion]]
entry = "pact"
new_entry = "also-new"
questions = []

[[suggestion]]
new_entry = "Not An Id"
questions = ["z"]
colour = "blue"

[[suggestion]]
entry = "outside"
questions = ["` + banked + `", "x"]
`
	probs := base.CheckSuggestions("s.toml", []byte(bad))
	for _, want := range []string{"s.toml:1: entry \"no-such-entry\"", "s.toml:5: new_entry \"pact\" is already", "s.toml:9: a suggestion picks either", "s.toml:9: no questions",
		"s.toml:14: new_entry \"Not An Id\"", `unknown key "suggestion.colour"`, "s.toml:19: question", "already in the example bank", "also in the suggestion at line 1"} {
		found := false
		for _, p := range probs {
			if strings.Contains(p.Error(), want) {
				found = true
			}
		}
		if !found {
			t.Errorf("problems %v lack %q", probs, want)
		}
	}
	if probs := base.CheckSuggestions("s.toml", []byte("[[suggestion]\n")); len(probs) != 1 || probs[0].Line == 0 {
		t.Errorf("malformed TOML: %v; want one problem with its line", probs)
	}
	undecided := "[[suggestion]]\nentry = \"\"\nquestions = [\"a question nobody has asked before\"]\n"
	if probs := base.CheckSuggestions("s.toml", []byte(undecided)); len(probs) > 0 {
		t.Errorf("an undecided suggestion: %v; want none", probs)
	}
}

// TestFinderRuleWithoutCitationIsRefusedAtLoad: a rule the finder would
// apply (who may apply, what for, the largest band, a way to raise money
// yourselves) without the lines that state it is a problem kb check
// names, not a rule silently dropped.
func TestFinderRuleWithoutCitationIsRefusedAtLoad(t *testing.T) {
	for _, rule := range []string{`applicants = ["group"]`, `purposes = ["building"]`, `max_band = "medium"`, `raise = true`} {
		fsys := fstest.MapFS{"entry.toml": &fstest.MapFile{Data: []byte(`[[source]]
id = "000"
file = "000.txt"
title = "Doc"
date = "2013-05"

[[entry]]
id = "e"
kinds = ["funding"]
title = "E"
summary = [{ text = "Grants.", cite = "000:1" }]
status = "current"
status_cite = "000:1"
as_of = "2013-05"
sources = ["000"]
[entry.funding]
amount = "under £5,000"
amount_cite = "000:1"
` + rule + "\n")}}
		_, err := Load(fsys)
		field, _, _ := strings.Cut(rule, " ")
		if err == nil || !strings.Contains(err.Error(), "needs "+field+"_cite") {
			t.Errorf("%s without its citation: %v; want a problem naming %s_cite", rule, err, field)
		}
	}
}
