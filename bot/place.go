package bot

import (
	"slices"
	"strings"
	"unicode"

	"github.com/bathnes/signpost/bot/match"
	"github.com/bathnes/signpost/knowledge"
)

// places finds place names and "here" words in questions.
type places struct {
	base *knowledge.Base
	// single are the one-word names of five letters or more, for
	// misspellings.
	single []placeName
	// byName finds a place by its folded name of up to maxNameWords
	// words, so a question is read in one pass of map lookups.
	byName map[string]*knowledge.Place
	// longest are byName's keys, longest first then alphabetical.
	longest []string
	here    []string
	// titled are entry names that hold a "here" word ("Big Local",
	// "Local Trust"): naming one is not asking about where one is.
	titled []string
	// stop words are never taken for misspelt places.
	stop map[string]bool
}

type placeName struct {
	folded string
	place  *knowledge.Place
}

func newPlaces(base *knowledge.Base, stop map[string]bool) *places {
	ps := &places{base: base, stop: stop, byName: map[string]*knowledge.Place{}}
	for _, p := range base.Places {
		for _, n := range append([]string{p.Name}, p.Aliases...) {
			folded := strings.TrimSpace(placeWords(n))
			ps.byName[folded] = p
			if len(folded) >= 5 && !strings.Contains(folded, " ") {
				ps.single = append(ps.single, placeName{folded, p})
			}
		}
	}
	for _, h := range base.Language.Here {
		ps.here = append(ps.here, " "+knowledge.FoldName(h)+" ")
	}
	for _, e := range base.Entries {
		for _, n := range append([]string{e.Title}, e.Aliases...) {
			folded := placeWords(n)
			if slices.ContainsFunc(ps.here, func(h string) bool { return strings.Contains(folded, h) }) {
				ps.titled = append(ps.titled, folded)
			}
		}
	}
	ps.longest = ps.namesLongestFirst()
	return ps
}

// maxNameWords is the most words in a place name or alias ("Peasedown St
// John"); longer names would be missed, which TestPlaceNamesFit guards.
const maxNameWords = 4

// placeWords folds text for place matching: lower case, letters and digits
// only, padded with spaces so every name can be matched as " name ". The
// council's own name is dropped: "Bath and North East Somerset" is not
// the city of Bath.
func placeWords(text string) string {
	s := strings.Map(func(r rune) rune {
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			return unicode.ToLower(r)
		}
		return ' '
	}, text)
	s = " " + strings.Join(strings.Fields(s), " ") + " "
	for _, council := range []string{" bath and north east somerset ", " bath north east somerset ", " b nes ", " banes "} {
		s = strings.ReplaceAll(s, council, " ")
	}
	return s
}

// in finds the place a question names, the longest name first; failing
// that, a word one edit from a one-word place name of five letters or
// more ("Radstok"), as people misspell the places they write from.
func (ps *places) in(text string) *knowledge.Place {
	w := placeWords(text)
	words := strings.Fields(w)
	// The longest name wins: try three words, then two, then one.
	for n := maxNameWords; n >= 1; n-- {
		for i := 0; i+n <= len(words); i++ {
			if p, ok := ps.byName[strings.Join(words[i:i+n], " ")]; ok {
				return p
			}
		}
	}
	tried := map[string]bool{}
	for _, word := range words {
		// A long message repeats its words: each is tried once.
		if len(word) < 5 || ps.stop[word] || tried[word] {
			continue
		}
		tried[word] = true
		for _, n := range ps.single {
			if n.folded[0] == word[0] && abs(len(n.folded)-len(word)) <= 1 && match.Distance(word, n.folded) == 1 {
				return n.place
			}
		}
	}
	return nil
}

// saysHere reports whether a question asks about where the asker is:
// "who runs PACT here", "is there a Big Local near me", but not "is Big
// Local still going", whose "local" is a name's.
func (ps *places) saysHere(text string) bool {
	w := placeWords(text)
	for _, n := range ps.titled {
		w = strings.ReplaceAll(w, n, " ")
	}
	for _, h := range ps.here {
		if strings.Contains(w, h) {
			return true
		}
	}
	return false
}

// localise adds to a matched answer what is true where the asker is: the
// entry's local facts first, or that it is not available there and what
// is instead.
func (ps *places) localise(a *Answer, p *knowledge.Place) {
	a.Place = p
	e := a.Entry
	for _, l := range e.Local {
		if ps.near(l.Places, p) {
			a.Local = append(a.Local, l.Fact)
		}
	}
	if len(e.OnlyIn) > 0 && !ps.near(e.OnlyIn, p) {
		a.NotHere = true
		a.Instead = ps.instead(e, p)
	}
	if len(a.Local) == 0 && !a.NotHere {
		a.AlsoHere = ps.alsoHere(e, p)
	}
}

// near reports whether places (names) cover p: they name p or its area,
// or p is an area and one of them lies in it.
func (ps *places) near(names []string, p *knowledge.Place) bool {
	if ps.base.Covers(names, p) {
		return true
	}
	if p.Kind != knowledge.Area {
		return false
	}
	for _, n := range names {
		if q, ok := ps.base.Place(n); ok && ps.base.AreaOf(q) == p {
			return true
		}
	}
	return false
}

// instead offers, for an entry not available at p, the entries it points
// to that are, then other entries of a kind it shares with facts for p.
func (ps *places) instead(e *knowledge.Entry, p *knowledge.Place) []*knowledge.Entry {
	var out []*knowledge.Entry
	add := func(r *knowledge.Entry) {
		if r != e && len(out) < 3 && !slices.Contains(out, r) && r.Status != knowledge.Historical && (len(r.OnlyIn) == 0 || ps.near(r.OnlyIn, p)) {
			out = append(out, r)
		}
	}
	for _, id := range e.Related {
		if r, ok := ps.base.Entry(id); ok {
			add(r)
		}
	}
	for _, r := range ps.base.Entries {
		if sharesKind(r, e) && ps.hasLocal(r, p) {
			add(r)
		}
	}
	return out
}

// alsoHere lists entries like e (a kind in common, or related) with facts
// for p, so a general answer can still point somewhere local.
func (ps *places) alsoHere(e *knowledge.Entry, p *knowledge.Place) []*knowledge.Entry {
	var out []*knowledge.Entry
	for _, r := range ps.base.Entries {
		if r != e && (sharesKind(r, e) || slices.Contains(e.Related, r.ID)) && ps.hasLocal(r, p) && len(out) < 4 {
			out = append(out, r)
		}
	}
	return out
}

func (ps *places) hasLocal(e *knowledge.Entry, p *knowledge.Place) bool {
	for _, l := range e.Local {
		if ps.near(l.Places, p) {
			return true
		}
	}
	return false
}

func sharesKind(a, b *knowledge.Entry) bool {
	for _, k := range a.Kinds {
		if b.Is(k) && k != "place" {
			return true
		}
	}
	return false
}

func abs(n int) int {
	if n < 0 {
		return -n
	}
	return n
}

// startsWith is the place named by the first words given, the longest
// name first, or a misspelling of one in the first word; else nil.
func (ps *places) startsWith(words []string) *knowledge.Place {
	for n := min(maxNameWords, len(words)); n >= 1; n-- {
		if p, ok := ps.byName[strings.Join(words[:n], " ")]; ok {
			return p
		}
	}
	if len(words) > 0 {
		return ps.in(words[0])
	}
	return nil
}

// namesLongestFirst are the folded place names, longest first and then
// in order, made once when the places are (read-only after): taking names
// out of text in this order never leaves part of a longer name behind,
// whatever the map's order.
func (ps *places) namesLongestFirst() []string {
	if ps.longest == nil {
		names := make([]string, 0, len(ps.byName))
		for n := range ps.byName {
			names = append(names, n)
		}
		slices.SortFunc(names, func(a, b string) int {
			if len(a) != len(b) {
				return len(b) - len(a)
			}
			return strings.Compare(a, b)
		})
		ps.longest = names
	}
	return ps.longest
}
