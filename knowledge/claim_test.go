package knowledge

import (
	"io/fs"
	"os"
	"strings"
	"testing"
	"testing/fstest"
)

// doc is a small source document; line numbers matter to the tests.
const doc = `The Small Grants Fund offers grants of less than £5,000.
It is proposed that a Community Assets Fund be allocated an indicative £110,000.
Big Local is only available in Radstock and Westfield.
Village Agents work in rural areas such as the Chew Valley.
Contact Jo Bloggs on 01225 000000.`

// checkClaims loads one entry (written in TOML after the id line) and
// checks it against doc, returning the problems' text.
func checkClaims(t *testing.T, entry string) []string {
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
[finder]
[[finder.applicant]]
key = "group"
label = "A group"
`)},
		"kb/entry.toml": {Data: []byte("[[entry]]\nid = \"e\"\nkinds = [\"core\"]\ntitle = \"E\"\nas_of = \"2013-05\"\nsources = [\"000\"]\n" + entry)},
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
	var out []string
	for _, p := range probs {
		out = append(out, p.Error())
	}
	return out
}

func TestCheckSources(t *testing.T) {
	tests := []struct {
		name, entry string
		want        string // "" for no problem
	}{
		{"a cited claim passes",
			`summary = [{ text = "The Small Grants Fund offers grants under £5,000.", cite = "000:1" }]
status = "current"
status_cite = "000:1"`, ""},
		{"an uncited amount is rejected",
			`summary = "Grants of less than £5,000."
status = "current"
status_cite = "000:1"`, "has no citation"},
		{"a figure not in its lines is rejected",
			`summary = [{ text = "Grants of less than £50,000.", cite = "000:1" }]
status = "current"
status_cite = "000:1"`, `"£50,000" is not in the cited lines 000:1`},
		{"a name not in its lines is rejected",
			`summary = [{ text = "The Small Grants Fund is run by Quartet.", cite = "000:1" }]
status = "current"
status_cite = "000:1"`, `"Quartet" is not in the cited lines`},
		{"a citation past the end is rejected",
			`summary = [{ text = "Grants.", cite = "000:9" }]
status = "current"
status_cite = "000:1"`, "000 has lines 1-5"},
		{"an only without support is rejected",
			`summary = [{ text = "Village Agents work in rural areas.", cite = "000:4" }]
places = ["Radstock"]
only_in = ["Radstock"]
only_cite = "000:4"
status = "current"
status_cite = "000:4"`, `do not say "only"`},
		{"an only with support passes",
			`summary = [{ text = "Big Local is in Radstock and Westfield.", cite = "000:3" }]
only_in = ["Radstock", "Westfield"]
only_cite = "000:3"
status = "current"
status_cite = "000:3"`, ""},
		{"current on proposal wording is rejected",
			`summary = [{ text = "A Community Assets Fund of £110,000.", cite = "000:2" }]
status = "current"
status_cite = "000:2"`, `a proposal is not current`},
		{"proposed on proposal wording passes",
			`summary = [{ text = "A Community Assets Fund of £110,000.", cite = "000:2" }]
status = "proposed"
status_cite = "000:2"`, ""},
		{"an explanation of our own may not hold a figure",
			`summary = [{ text = "It gives about 5 months.", own = true }]
status = "current"
status_cite = "000:1"`, "may hold no figure or name"},
		{"an explanation of our own without figures passes",
			`summary = [{ text = "It gives time to bid; it does not force a sale.", own = true }]
status = "current"
status_cite = "000:1"`, ""},
		{"a phone number is checked with its name",
			`summary = [{ text = "Grants.", cite = "000:1" }]
contacts = [{ name = "Policy team", phone = "01225 000000", cite = "000:5" }]
status = "current"
status_cite = "000:1"`, `"Policy" is not in the cited lines 000:5`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := checkClaims(t, tt.entry)
			if tt.want == "" {
				if len(got) > 0 {
					t.Errorf("problems %q; want none", got)
				}
				return
			}
			if !strings.Contains(strings.Join(got, "\n"), tt.want) {
				t.Errorf("problems %q; want one saying %q", got, tt.want)
			}
		})
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
