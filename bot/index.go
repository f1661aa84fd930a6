package bot

import (
	"math"
	"slices"
	"sort"
	"strings"

	"github.com/bathnes/signpost/knowledge"
)

// Field weights: what an entry is called counts for more than what its body
// mentions in passing. Tuned on the project's own regression set.
const (
	weightTitle    = 3.0
	weightAlias    = 3.0
	weightPhrasing = 1.5
	weightSummary  = 1.0
	weightDetail   = 0.5
	weightOther    = 0.5

	// saturation (BM25's k1): the fifth mention of a word in an entry adds
	// little over the first.
	saturation = 1.2
)

type posting struct {
	entry  int32
	weight float32
}

// index is an inverted index over a knowledge base: a question touches only
// the entries that share a term with it, so cost grows with the matches,
// not with the size of the base.
type index struct {
	base     *knowledge.Base
	an       *analyzer
	vocab    *vocabulary
	postings map[string][]posting
	idf      map[string]float64
	maxIDF   float64
	services []service
	// known are stems that are words of the base without being indexed
	// (council services' words): they are never "corrected".
	known map[string]bool
	// places are the stems of place names the entries name. A place in a
	// question says where, not what: "stats for Midsomer Norton" is about
	// research, not the regeneration entry that names the town.
	places map[string]bool
	// names are every title, id and alias, and owners the entry each
	// belongs to: what `about` and autocomplete match against.
	names  []string
	owners []*knowledge.Entry
	geo    *places
	// applicants and purposes are the funding finder's words, folded.
	applicants, purposes []optionWord
}

// placeWeight scales a place name's weight in a question.
const placeWeight = 0.25

type service struct {
	s       *knowledge.Service
	phrases [][]string // stems, all of which must appear
}

func newIndex(base *knowledge.Base) *index {
	ix := &index{
		base:     base,
		an:       newAnalyzer(base.Language),
		vocab:    newVocabulary(),
		postings: map[string][]posting{},
		idf:      map[string]float64{},
		places:   map[string]bool{},
		known:    map[string]bool{},
	}
	ix.geo = newPlaces(base, ix.an.stop)
	ix.applicants = optionWords(base.Finder.Applicants)
	ix.purposes = optionWords(base.Finder.Purposes)
	for _, e := range base.Entries {
		for _, n := range append([]string{e.Title, e.ID}, e.Aliases...) {
			ix.names = append(ix.names, n)
			ix.owners = append(ix.owners, e)
		}
	}
	for _, e := range base.Entries {
		for _, p := range e.Places {
			for _, t := range ix.an.terms(p) {
				ix.places[t.stem] = true
			}
		}
	}
	for i, e := range base.Entries {
		tf := map[string]float64{}
		add := func(w float64, texts ...string) {
			for _, t := range texts {
				ix.addText(tf, w, t)
			}
		}
		add(weightTitle, e.Title)
		add(weightAlias, e.Aliases...)
		add(weightPhrasing, e.Phrasings...)
		add(weightSummary, e.Summary)
		add(weightDetail, e.Details...)
		add(weightOther, e.Start)
		add(weightOther, e.Guidance...)
		add(weightOther, e.Places...)
		for _, c := range e.Contacts {
			add(weightOther, c.Name)
		}
		if f := e.Funding; f != nil {
			add(weightOther, f.Amount, f.Limits)
			add(weightOther, f.Who...)
		}
		for t, w := range tf {
			ix.postings[t] = append(ix.postings[t], posting{entry: int32(i), weight: float32(w)})
		}
	}
	n := float64(len(base.Entries))
	for t, ps := range ix.postings {
		df := float64(len(ps))
		idf := math.Log(1 + (n-df+0.5)/(df+0.5))
		ix.idf[t] = idf
		ix.maxIDF = max(ix.maxIDF, idf)
	}
	for i := range base.Services {
		s := &base.Services[i]
		sv := service{s: s}
		for _, p := range s.Phrases {
			var stems []string
			for _, t := range ix.an.terms(p) {
				stems = append(stems, t.stem)
				ix.known[t.stem] = true
			}
			if len(stems) > 0 {
				sv.phrases = append(sv.phrases, stems)
			}
		}
		ix.services = append(ix.services, sv)
	}
	return ix
}

// addText adds the terms and adjacent-term bigrams of one field value.
func (ix *index) addText(tf map[string]float64, w float64, text string) {
	ts := ix.an.terms(text)
	for i, t := range ts {
		// Cache the base's own stems at build time, so Answer never writes
		// to the analyzer and is safe for concurrent use.
		ix.an.stems[t.word] = t.stem
		tf[t.stem] += w
		ix.vocab.add(t.word, t.stem)
		if i > 0 {
			tf[bigram(ts[i-1].stem, t.stem)] += w
		}
	}
}

// Match is an entry and how well it matched a question.
type Match struct {
	Entry *knowledge.Entry
	// Score is the raw index score: comparable between entries for one
	// question, not between questions.
	Score float64
	// Coverage is the share of the question's meaning (by IDF) that the
	// entry matched, from 0 to 1.
	Coverage float64
}

// search is what the index found for one question.
type search struct {
	matches []Match
	service *knowledge.Service
	// terms counts the question's meaningful words.
	terms int
}

// query analyses text into stems, correcting words the knowledge base does
// not know to the nearest word it does.
func (ix *index) query(text string) []string {
	ts := ix.an.terms(text)
	stems := make([]string, 0, len(ts))
	for _, t := range ts {
		s := t.stem
		if _, indexed := ix.postings[s]; !indexed && !ix.known[s] {
			if c, ok := ix.vocab.correct(t.word, func(st string) float64 { return float64(len(ix.postings[st])) }); ok {
				s = c
			}
		}
		stems = append(stems, s)
	}
	return stems
}

func (ix *index) search(text string, limit int) search {
	stems := ix.query(text)
	res := search{terms: len(stems)}
	res.service = ix.service(stems)

	// The question's terms: each stem once, and each adjacent pair.
	qterms := make([]string, 0, 2*len(stems))
	seen := map[string]bool{}
	var unigramMass float64
	for i, s := range stems {
		if !seen[s] {
			seen[s] = true
			qterms = append(qterms, s)
			unigramMass += ix.weight(s)
		}
		if i > 0 {
			if b := bigram(stems[i-1], s); !seen[b] {
				seen[b] = true
				qterms = append(qterms, b)
			}
		}
	}
	if len(qterms) == 0 {
		return res
	}

	scores := map[int32]float64{}
	matched := map[int32]float64{}
	for _, t := range qterms {
		if _, ok := ix.idf[t]; !ok {
			continue
		}
		idf := ix.weight(t)
		isUnigram := !strings.Contains(t, "_")
		for _, p := range ix.postings[t] {
			w := float64(p.weight)
			scores[p.entry] += idf * w * (saturation + 1) / (w + saturation)
			if isUnigram {
				matched[p.entry] += idf
			}
		}
	}
	res.matches = make([]Match, 0, len(scores))
	for e, s := range scores {
		res.matches = append(res.matches, Match{Entry: ix.base.Entries[e], Score: s, Coverage: matched[e] / unigramMass})
	}
	sort.Slice(res.matches, func(i, j int) bool {
		a, b := res.matches[i], res.matches[j]
		if a.Score != b.Score {
			return a.Score > b.Score
		}
		return a.Entry.ID < b.Entry.ID
	})
	if len(res.matches) > limit {
		res.matches = res.matches[:limit]
	}
	return res
}

// weight is the weight of a question term: its IDF, less for place names.
// A word the knowledge base never uses weighs as much as its rarest word:
// it is part of the question that no entry answers, and so lowers every
// entry's coverage.
func (ix *index) weight(t string) float64 {
	idf, ok := ix.idf[t]
	if !ok {
		idf = ix.maxIDF
	}
	a, b, isBigram := strings.Cut(t, "_")
	if ix.places[t] || isBigram && ix.places[a] && ix.places[b] {
		idf *= placeWeight
	}
	return idf
}

// service returns the general council service the question is about: one
// whose phrase appears in it in order, with at most two other words
// between. Place names are skipped ("what time does Midsomer Norton library
// open" is about opening times).
func (ix *index) service(stems []string) *knowledge.Service {
	stems = slices.DeleteFunc(slices.Clone(stems), func(s string) bool { return ix.places[s] })
	for _, sv := range ix.services {
		for _, p := range sv.phrases {
			if phraseIn(stems, p, len(p)+2) {
				return sv.s
			}
		}
	}
	return nil
}

// phraseIn reports whether want occurs in have in order within a span of
// at most window stems.
func phraseIn(have, want []string, window int) bool {
	for start, s := range have {
		if s != want[0] {
			continue
		}
		i, j := start+1, 1
		for ; i < len(have) && j < len(want) && i-start < window; i++ {
			if have[i] == want[j] {
				j++
			}
		}
		if j == len(want) {
			return true
		}
	}
	return false
}
