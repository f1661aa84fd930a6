package bot

import (
	"math"
	"slices"
	"sort"

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
}

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
	for _, word := range words(text) {
		if syn, ok := ix.an.synonym[word]; ok {
			word = syn
		}
		if !ix.an.stop[word] {
			ix.an.memoise(word)
		}
	}
	ts := ix.an.terms(text)
	for i, t := range ts {
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
		if _, known := ix.postings[s]; !known {
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
			unigramMass += ix.termIDF(s)
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
		idf, ok := ix.idf[t]
		if !ok {
			continue
		}
		isUnigram := !containsUnderscore(t)
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

// termIDF is the weight of a question word. A word the knowledge base never
// uses weighs as much as its rarest word: it is part of the question that
// no entry answers, and so lowers every entry's coverage.
func (ix *index) termIDF(stem string) float64 {
	if idf, ok := ix.idf[stem]; ok {
		return idf
	}
	return ix.maxIDF
}

// service returns the general council service the question is about, if a
// service phrase's words all appear in it.
func (ix *index) service(stems []string) *knowledge.Service {
	for _, sv := range ix.services {
		for _, p := range sv.phrases {
			if containsAll(stems, p) {
				return sv.s
			}
		}
	}
	return nil
}

func containsAll(have, want []string) bool {
	for _, w := range want {
		if !slices.Contains(have, w) {
			return false
		}
	}
	return true
}

func containsUnderscore(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] == '_' {
			return true
		}
	}
	return false
}
