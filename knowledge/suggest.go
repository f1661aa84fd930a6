package knowledge

import (
	"fmt"
	"strings"

	"github.com/BurntSushi/toml"
)

// Suggestion is one of `signpost review`'s suggestions for editors: the
// questions of one group, to add to the example bank under the entry a
// reviewer picks, or to the out-of-scope bank, or as a stub for a new
// entry. Review never picks for the reviewer: the entry signpost came
// closest to is the one it was not sure of.
type Suggestion struct {
	// Entry is the reviewer's pick: an entry id, PickOutside, or empty
	// while undecided (nothing is added).
	Entry     string   `toml:"entry"`
	NewEntry  string   `toml:"new_entry"`
	Title     string   `toml:"title"`
	Count     int      `toml:"count"`
	Questions []string `toml:"questions"`
}

// PickOutside is the pick that adds a suggestion's questions to the
// out-of-scope bank.
const PickOutside = "outside"

// CheckSuggestions checks a suggestions file against the base: each is
// undecided, or picks an entry the base has, or the out-of-scope bank, or
// names a new id it has not; each has questions, and no question is
// already in the example bank or in another suggestion. Problems give the
// file and line.
func (b *Base) CheckSuggestions(name string, data []byte) Problems {
	var f struct {
		Suggestion []Suggestion `toml:"suggestion"`
	}
	src := newSourceText(string(data))
	md, err := toml.Decode(src.text, &f)
	if err != nil {
		return Problems{decodeProblem(name, err)}
	}
	var probs Problems
	for _, key := range md.Undecoded() {
		probs = append(probs, Problem{File: name, Line: src.keyLine(key[len(key)-1]), Msg: fmt.Sprintf("unknown key %q", key.String())})
	}
	inBank := map[string]string{}
	for _, ex := range b.Examples {
		inBank[exampleKey(ex.Text)] = ex.Entry
	}
	seen := map[string]int{}
	for i, s := range f.Suggestion {
		line := src.headerLine("suggestion", i)
		bad := func(msg string) { probs = append(probs, Problem{File: name, Line: line, Msg: msg}) }
		switch {
		case s.Entry != "" && s.NewEntry != "":
			bad("a suggestion picks either entry (an id, or \"outside\") or new_entry (a stub), not both")
		case s.Entry == PickOutside:
		case s.Entry != "":
			if _, ok := b.byID[s.Entry]; !ok {
				bad(fmt.Sprintf("entry %q is not in the knowledge base (pick an id, \"outside\", or leave it empty)", s.Entry))
			}
		case s.NewEntry == "":
		case !idRE.MatchString(s.NewEntry) || len(s.NewEntry) > MaxIDLen:
			bad(fmt.Sprintf("new_entry %q must be lowercase words joined by hyphens, at most %d characters", s.NewEntry, MaxIDLen))
		default:
			if _, ok := b.byID[s.NewEntry]; ok {
				bad(fmt.Sprintf("new_entry %q is already an entry: pick it as entry instead", s.NewEntry))
			}
		}
		if len(s.Questions) == 0 {
			bad("no questions")
		}
		for _, q := range s.Questions {
			k := exampleKey(q)
			switch label, ok := inBank[k]; {
			case k == "" || len(q) > 300:
				bad(fmt.Sprintf("question %.40q must be words, at most 300 characters", q))
			case ok:
				bad(fmt.Sprintf("question %.40q is already in the example bank (for %s)", q, labelName(label)))
			case seen[k] > 0:
				bad(fmt.Sprintf("question %.40q is also in the suggestion at line %d", q, seen[k]))
			default:
				seen[k] = line
			}
		}
	}
	return probs
}

// exampleKey is how the bank compares questions: case and spacing aside.
func exampleKey(q string) string { return strings.Join(strings.Fields(strings.ToLower(q)), " ") }

// labelName names an example's label for a message.
func labelName(label string) string {
	if label == Outside {
		return "[[outside]]"
	}
	return label
}
