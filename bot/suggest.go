package bot

import (
	"strings"

	"github.com/bathnes/signpost/knowledge"
	"github.com/sahilm/fuzzy"
)

// Suggestion is an entry offered while someone types, for autocomplete.
type Suggestion struct {
	ID    string `json:"id"`
	Title string `json:"title"`
}

// Suggest offers up to max entries whose title, id or alias matches what
// has been typed so far, or that answer it read as a question, best first;
// acronyms work ("acv"), and so do phrases ("list our pub"). With nothing
// typed it offers entries in knowledge-base order. sahilm/fuzzy ranks
// short names well but not sentences, so only the last 40 characters of a
// long input are matched.
func (b *Bot) Suggest(typed string, max int) []Suggestion {
	ix := b.ix.Load()
	typed = strings.TrimSpace(Clean(typed))
	if r := []rune(typed); len(r) > 40 {
		typed = string(r[len(r)-40:])
	}
	var out []Suggestion
	seen := map[string]bool{}
	add := func(e *knowledge.Entry) {
		if !seen[e.ID] && len(out) < max {
			seen[e.ID] = true
			out = append(out, Suggestion{ID: e.ID, Title: e.Title})
		}
	}
	if typed == "" {
		for _, e := range ix.base.Entries {
			add(e)
		}
		return out
	}
	// Names match what is typed letter by letter ("acv"); a phrase ("list
	// our pub") is read as a question is, and its answers come first.
	var ranked []*knowledge.Entry
	for _, m := range ix.m.Lookup(typed, max) {
		ranked = append(ranked, m.Entry)
	}
	phrase := strings.Contains(typed, " ")
	if phrase {
		for _, e := range ranked {
			add(e)
		}
	}
	for _, m := range fuzzy.Find(typed, ix.names) {
		add(ix.owners[m.Index])
	}
	for _, e := range ranked {
		add(e)
	}
	return out
}
