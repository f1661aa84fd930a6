package bot

import (
	"strings"

	"github.com/bathnes/signpost/bot/match"
	"github.com/bathnes/signpost/knowledge"
)

// index is one knowledge base made ready for answering: the matcher, the
// places, the names `about` and autocomplete look up, and the funding
// finder's words. A reload builds a new one and swaps it in whole.
type index struct {
	base *knowledge.Base
	m    *match.Matcher
	geo  *places
	// names are every title, id and alias, and owners the entry each
	// belongs to: what `about` and autocomplete match against.
	names  []string
	owners []*knowledge.Entry
	// applicants and purposes are the funding finder's words, folded.
	applicants, purposes []optionWord
	// years are those the council documents span: "2011–2014".
	years string
}

func newIndex(base *knowledge.Base) *index {
	stop := map[string]bool{}
	for _, w := range base.Language.Stopwords {
		stop[strings.ReplaceAll(strings.ToLower(w), "'", "")] = true
	}
	ix := &index{
		base:       base,
		m:          match.New(base),
		geo:        newPlaces(base, stop),
		applicants: optionWords(base.Finder.Applicants),
		purposes:   optionWords(base.Finder.Purposes),
	}
	for _, e := range base.Entries {
		for _, n := range append([]string{e.Title, e.ID}, e.Aliases...) {
			ix.names = append(ix.names, n)
			ix.owners = append(ix.owners, e)
		}
	}
	ix.years = years(base.Sources())
	return ix
}

// years is the span of the council documents' years ("2011–2014"); web
// pages named as sources for single facts do not count.
func years(sources []knowledge.Source) string {
	first, last := "", ""
	for _, s := range sources {
		if s.File == "" || len(s.Date) < 4 {
			continue
		}
		y := s.Date[:4]
		if first == "" || y < first {
			first = y
		}
		last = max(last, y)
	}
	if first == last {
		return first
	}
	return first + "–" + last
}
