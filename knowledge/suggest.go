package knowledge

import (
	"fmt"
	"strings"

	"github.com/BurntSushi/toml"
)

// Suggestion is one of `signpost review`'s suggestions for editors:
// phrasings to add to an entry, or a stub for a new one.
type Suggestion struct {
	Entry     string   `toml:"entry"`
	NewEntry  string   `toml:"new_entry"`
	Title     string   `toml:"title"`
	Count     int      `toml:"count"`
	Phrasings []string `toml:"phrasings"`
}

// CheckSuggestions checks a suggestions file against the base: each names
// an entry the base has, or a new id it has not; each has phrasings.
// Problems give the file and line.
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
	for i, s := range f.Suggestion {
		bad := func(msg string) {
			probs = append(probs, Problem{File: name, Line: src.headerLine("suggestion", i), Msg: msg})
		}
		switch {
		case (s.Entry == "") == (s.NewEntry == ""):
			bad("a suggestion names either entry (to add phrasings to) or new_entry (a stub)")
		case s.Entry != "":
			if _, ok := b.byID[s.Entry]; !ok {
				bad(fmt.Sprintf("entry %q is not in the knowledge base", s.Entry))
			}
		case !idRE.MatchString(s.NewEntry) || len(s.NewEntry) > MaxIDLen:
			bad(fmt.Sprintf("new_entry %q must be lowercase words joined by hyphens, at most %d characters", s.NewEntry, MaxIDLen))
		default:
			if _, ok := b.byID[s.NewEntry]; ok {
				bad(fmt.Sprintf("new_entry %q is already an entry: suggest phrasings for it instead", s.NewEntry))
			}
		}
		if len(s.Phrasings) == 0 {
			bad("no phrasings")
		}
		for _, p := range s.Phrasings {
			if strings.TrimSpace(p) == "" || len(p) > 300 {
				bad(fmt.Sprintf("phrasing %.40q must be words, at most 300 characters", p))
			}
		}
	}
	return probs
}
