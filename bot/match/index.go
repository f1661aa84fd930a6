// Package match reads a question and ranks the knowledge base's entries
// for it: a BM25-style index over entries' titles, aliases, examples and
// text (index.go), a small model trained on the example bank (model.go),
// the two fused into calibrated confidence (fuse.go), and the decision to
// answer, offer a choice or decline (decide.go). It knows nothing of
// conversations or replies: bot asks it, then words the answer.
package match

import (
	"math"
	"slices"
	"strings"
	"unicode"

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

// Matcher is an inverted index over a knowledge base: a question touches
// only the entries that share a term with it, so cost grows with the
// matches, not with the size of the base. It is read-only once built and
// safe for concurrent use.
type Matcher struct {
	base     *knowledge.Base
	an       *analyzer
	vocab    *vocabulary
	postings map[string][]posting
	idf      map[string]float64
	maxIDF   float64
	// services are the council services and outside subjects, and
	// servicePhrases their phrases ("always" ones marked).
	services       []*knowledge.Service
	servicePhrases phraseSet
	// known are stems that are words of the base without being indexed
	// (council services' words): they are never "corrected".
	known map[string]bool
	// places are the stems of place names the entries name. A place in a
	// question says where, not what: "stats for Midsomer Norton" is about
	// research, not the regeneration entry that names the town.
	places map[string]bool
	// common are the stems of everyday words, which weigh less.
	common map[string]bool
	// named are the entries' names of two words or more (titles and
	// aliases), by their first stem: a question that says one in full
	// names the entry, however many others mention it.
	named map[string][]namedAs
	// proper are the stems of names: words the knowledge base only ever
	// writes with a capital (PACT, JSNA, Healthwatch, Curo). A question
	// naming one is about it, however little else it shares.
	proper map[string]bool
	// concepts are people's words for the toolkit's ideas, and
	// conceptPhrases their phrases ("with" ones marked).
	concepts       []concept
	conceptPhrases phraseSet
	// model is trained on the example bank; nil when the base has none.
	model *model
	// pos is each entry's position in the base.
	pos map[*knowledge.Entry]int
}

// placeWeight scales a place name's weight in a question.
const placeWeight = 0.25

// New indexes base.
func New(base *knowledge.Base) *Matcher {
	ix := &Matcher{
		base:     base,
		an:       newAnalyzer(base.Language),
		vocab:    newVocabulary(),
		postings: map[string][]posting{},
		idf:      map[string]float64{},
		places:   map[string]bool{},
		known:    map[string]bool{},
		named:    map[string][]namedAs{},
	}
	ix.common = map[string]bool{}
	for _, w := range base.Language.Common {
		for _, t := range ix.an.terms(w) {
			ix.common[t.stem] = true
		}
	}
	// Place words say where, not what: every place the base knows (its
	// areas, towns and villages, and their other names) and every place
	// an entry names. A word the entries use themselves ("bath", "city",
	// "valley") keeps its weight unless an entry names the place.
	for _, e := range base.Entries {
		for _, p := range e.Places {
			for _, t := range ix.an.terms(p) {
				ix.places[t.stem] = true
			}
		}
	}
	ix.indexEntries()
	for _, p := range base.Places {
		for _, name := range append([]string{p.Name}, p.Aliases...) {
			for _, t := range ix.an.terms(name) {
				if _, used := ix.idf[t.stem]; !used {
					ix.places[t.stem] = true
				}
			}
		}
	}
	ix.indexServices()
	ix.proper = properNames(base, ix.an)
	ix.indexConcepts()
	ix.pos = make(map[*knowledge.Entry]int, len(base.Entries))
	for i, e := range base.Entries {
		ix.pos[e] = i
	}
	if len(base.Examples) > 0 {
		ix.model = trainedModels.get(modelKey(base, base.Examples), func() *model {
			return trainModel(ix, base.Examples, training)
		})
	}
	return ix
}

// indexEntries makes the postings of every entry's words, weighed by
// where they stand (title, alias, phrasing, summary…), their IDF, and
// the names of two words or more that a question may say in full.
func (ix *Matcher) indexEntries() {
	base := ix.base
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
		for _, a := range append([]string{shortTitle(e.Title)}, e.Aliases...) {
			var st []string
			for _, t := range ix.an.terms(a) {
				st = append(st, t.stem)
			}
			if len(st) >= 2 {
				ix.named[st[0]] = append(ix.named[st[0]], namedAs{entry: int32(i), stems: st})
			}
		}
	}
	n := float64(len(base.Entries))
	for t, ps := range ix.postings {
		df := float64(len(ps))
		idf := math.Log(1 + (n-df+0.5)/(df+0.5))
		ix.idf[t] = idf
		ix.maxIDF = max(ix.maxIDF, idf)
	}
}

// indexServices makes the phrases that say a question is for a council
// service, not the toolkit.
func (ix *Matcher) indexServices() {
	base := ix.base
	for i := range base.Services {
		s := &base.Services[i]
		ix.services = append(ix.services, s)
		for _, p := range ix.phrases(s.Phrases) {
			ix.servicePhrases.add(i, false, p)
		}
		for _, p := range ix.phrases(s.Always) {
			ix.servicePhrases.add(i, true, p)
		}
	}
}

// indexConcepts makes the phrases that stand for a concept's words
// ("pay for" means funding).
func (ix *Matcher) indexConcepts() {
	for _, c := range ix.base.Concepts {
		var cc concept
		for _, t := range ix.an.terms(c.Means) {
			cc.means = append(cc.means, t.stem)
		}
		if len(cc.means) == 0 {
			continue
		}
		n := len(ix.concepts)
		for _, p := range c.Phrases {
			if st := ix.an.all(p); len(st) > 0 {
				ix.conceptPhrases.add(n, false, st)
			}
		}
		for _, p := range c.With {
			if st := ix.an.all(p); len(st) > 0 {
				ix.conceptPhrases.add(n, true, st)
				cc.needsWith = true
			}
		}
		ix.concepts = append(ix.concepts, cc)
	}
}

// namedAs is an entry's name as stems.
type namedAs struct {
	entry int32
	stems []string
}

// nameBonus is what saying an entry's name in full adds to its score, for
// each word of the name.
const nameBonus = 2.0

// shortTitle is a title without its explanation: "Community Asset
// Transfer" from "Community Asset Transfer (CAT): …".
func shortTitle(t string) string {
	if i := strings.IndexAny(t, "(:"); i > 0 {
		t = t[:i]
	}
	return t
}

// properNames finds the names of things in the entries: acronyms written
// in capitals (PACT, JSNA, VCSE) and one-word aliases written only with a
// capital (Healthwatch, Curo), places aside. They are names, where "pub",
// "library" and "school" are words for things.
func properNames(base *knowledge.Base, an *analyzer) map[string]bool {
	capital, lower := map[string]bool{}, map[string]bool{}
	var candidates []string
	for _, e := range base.Entries {
		for _, w := range strings.FieldsFunc(e.Text(), func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) && r != ':' }) {
			w = strings.Trim(w, ":")
			l := strings.ToLower(w)
			if l == w {
				lower[an.stem(l)] = true
				continue
			}
			capital[an.stem(l)] = true
			if len(w) >= 2 && strings.ToUpper(w) == w {
				candidates = append(candidates, l) // an acronym
			}
		}
		for _, a := range e.Aliases {
			if !strings.ContainsAny(a, " -") && strings.ToLower(a) != a {
				candidates = append(candidates, strings.ToLower(a))
			}
		}
	}
	out := map[string]bool{}
	for _, c := range candidates {
		st := an.stem(c)
		if _, place := base.Place(c); place || lower[st] || an.stop[c] {
			continue
		}
		out[st] = true
	}
	return out
}

// phrases analyses phrases into stems. Their words are words of the base:
// never "corrected" into an entry's words.
func (ix *Matcher) phrases(ps []string) [][]string {
	var out [][]string
	for _, p := range ps {
		var stems []string
		for _, t := range ix.an.terms(p) {
			stems = append(stems, t.stem)
			ix.known[t.stem] = true
		}
		if len(stems) > 0 {
			out = append(out, stems)
		}
	}
	return out
}

// addText adds the terms and adjacent-term bigrams of one field value.
func (ix *Matcher) addText(tf map[string]float64, w float64, text string) {
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
	// Lone says the entry shares a single word with a question that has
	// others, and no pair of words: "library" alone in a question about
	// free wifi at the library. One shared word is overlap, not evidence
	// that the question is about the entry.
	Lone bool
}

// Result is what the index found for one question.
type Result struct {
	// Matches are the entries that share a term with the question, best
	// first.
	Matches []Match
	// Service is the council service or outside subject the question
	// names, if any.
	Service *knowledge.Service
	// Rest are the matches of the question without the service's words.
	Rest []Match
	// Terms counts the question's meaningful words.
	Terms int
	// always says the service's phrase is one no toolkit question uses.
	always bool
}

// reading is a question read once, for the index and the model both:
// what it asks (kept) and says it is not about (negated), and the terms
// of what it asks.
type reading struct {
	kept, negated string
	q             []qterm
}

// read analyses text into weighted terms: what it says it is not about
// set aside, its story weighed below its ask, everyday words below the
// rest, words the knowledge base does not know corrected to the nearest
// word it does, and the toolkit's words read into people's words for
// them.
func (ix *Matcher) reading(text string) reading {
	kept, negated := unnegate(fold(text))
	return reading{kept: kept, negated: negated, q: ix.read(kept, capitals(text))}
}

// capitals are the words of text written in capitals ("PACT", "CAT"),
// folded: a short name counts as a name only when typed as one, since
// "cat" is an animal and "CAT" Community Asset Transfer.
func capitals(text string) map[string]bool {
	var out map[string]bool
	for _, w := range strings.FieldsFunc(text, func(r rune) bool { return !unicode.IsLetter(r) }) {
		if len(w) >= 2 && strings.ToUpper(w) == w && strings.ToLower(w) != w {
			if out == nil {
				out = map[string]bool{}
			}
			out[strings.ToLower(w)] = true
		}
	}
	return out
}

// read analyses folded text into weighted terms; caps are the words typed
// in capitals.
func (ix *Matcher) read(text string, caps map[string]bool) []qterm {
	var q []qterm
	var seq []string
	var ws []float64
	for _, p := range parts(text) {
		terms, every := ix.an.analyse(p.text, len(ix.concepts) > 0)
		for _, w := range every {
			seq = append(seq, w)
			ws = append(ws, p.w)
		}
		for i, t := range terms {
			s := t.stem
			if _, indexed := ix.postings[s]; !indexed && !ix.known[s] {
				if c, ok := ix.vocab.correct(t.word, func(st string) float64 { return float64(len(ix.postings[st])) }); ok {
					s = c
				}
			}
			w := p.w
			if ix.common[s] {
				w *= commonWeight
			}
			name := ix.proper[s] && (len(t.word) >= 4 || caps[t.word])
			q = append(q, qterm{stem: s, w: w, join: i > 0, story: p.w < 1, name: name})
		}
	}
	return ix.expand(q, seq, ws)
}

// Search ranks the entries for text, at most limit of them.
func (ix *Matcher) Search(text string, limit int) Result { return ix.search(ix.reading(text), limit) }

// search ranks the entries for a question read, at most limit of them.
func (ix *Matcher) search(r reading, limit int) Result {
	q, negated := r.q, r.negated
	res := Result{Terms: len(q)}
	if negated != "" {
		// Words set aside still count as words: a message that is all
		// "not about X" is a question signpost cannot answer, not an
		// empty one.
		res.Terms += len(ix.an.terms(negated))
	}
	var drop map[int32]bool
	res.Service, drop, res.always = ix.service(q)
	if res.Service != nil && !res.always {
		// The same question without the service's words: a toolkit
		// question that names a service ("take over the swimming pool")
		// still matches its tool squarely.
		rest := slices.Clone(q)
		for i := range rest {
			// Blind, not gone: the service's words still weigh in
			// the question, so what is left must cover the question,
			// not only the little the service leaves.
			rest[i].blind = rest[i].blind || drop[int32(i)]
		}
		res.Rest = ix.rank(rest, limit)
	}
	res.Matches = ix.rank(q, limit)
	if negated != "" {
		// What the asker says they do not want is the one thing not to
		// offer.
		if not := ix.rank(ix.read(negated, nil), 1); len(not) > 0 && Confidence(not[0]) >= minConfidence {
			res.Matches = slices.DeleteFunc(res.Matches, func(m Match) bool { return m.Entry == not[0].Entry })
			res.Rest = slices.DeleteFunc(res.Rest, func(m Match) bool { return m.Entry == not[0].Entry })
		}
	}
	return res
}

// rank scores every entry that shares a term with the question, BM25-style
// with field weights, and returns the best limit.
func (ix *Matcher) rank(q []qterm, limit int) []Match {
	terms, mass, blindContent := ix.weigh(q)
	if mass == 0 {
		return nil
	}
	b := newBoard(len(ix.base.Entries))
	content := blindContent + ix.post(terms, b)
	ix.sayNames(q, b)
	return ix.best(b, mass, content, limit)
}

// qweight is one of the question's terms as ranking counts it: a stem or
// a pair of adjacent stems, with its weight.
type qweight struct {
	t    string
	w    float64
	name bool
	// place says a pair has a place name in it ("bath city"): where,
	// not what, so it is no evidence of what the question is about.
	place bool
}

func (t qweight) unigram() bool { return !strings.Contains(t.t, "_") }

// weigh gives the question's terms (each stem once at its greatest
// weight, each adjacent pair at the lesser of its two), the IDF mass of
// its single words, and how many content words it set aside as a
// service's (they weigh in the question but match nothing).
func (ix *Matcher) weigh(q []qterm) (terms []qweight, mass float64, blindContent int) {
	terms = make([]qweight, 0, 2*len(q))
	at := make(map[string]int, 2*len(q))
	note := func(t string, w float64, name, place bool) {
		if i, ok := at[t]; ok {
			terms[i].w = max(terms[i].w, w)
			terms[i].name = terms[i].name || name
			return
		}
		at[t] = len(terms)
		terms = append(terms, qweight{t, w, name, place})
	}
	for i, t := range q {
		if t.w == 0 {
			continue
		}
		if t.blind {
			// A service's word set aside still says what the question
			// is about: it weighs in the question and counts as a
			// content word no entry shares.
			mass += t.w * ix.weight(t.stem)
			if !ix.common[t.stem] && !ix.places[t.stem] {
				blindContent++
			}
			continue
		}
		note(t.stem, t.w, t.name, false)
		if t.join && i > 0 && q[i-1].w > 0 && !q[i-1].blind {
			note(bigram(q[i-1].stem, t.stem), min(t.w, q[i-1].w), false, ix.places[t.stem] || ix.places[q[i-1].stem])
		}
	}
	for _, t := range terms {
		if t.unigram() {
			mass += t.w * ix.weight(t.t)
		}
	}
	return terms, mass, blindContent
}

// hits is what one entry has of the question: its score; the IDF mass
// of the question's words it shares; and evidence, the question's
// content words it shares (not everyday words, not places), 2 for any
// pair or name.
type hits struct {
	score, matched float64
	evidence       int
	said           bool
}

// board holds the tallies by entry position, and which were touched.
// Slices, not maps: a question touches few entries, but hashing each
// posting cost more than zeroing a slice the size of the base.
type board struct {
	tallies []hits
	touched []int32
}

func newBoard(entries int) *board { return &board{tallies: make([]hits, entries)} }

func (b *board) touch(e int32) *hits {
	t := &b.tallies[e]
	if t.score == 0 && t.matched == 0 && t.evidence == 0 && !t.said {
		b.touched = append(b.touched, e)
	}
	return t
}

// post adds each term's postings to the board (BM25-style saturation of
// the entry's weight for the term), and returns the question's content
// words counted.
func (ix *Matcher) post(terms []qweight, b *board) (content int) {
	for _, qt := range terms {
		isUnigram := qt.unigram()
		isContent := isUnigram && !ix.common[qt.t] && !ix.places[qt.t]
		if isContent {
			content++
		}
		if _, ok := ix.idf[qt.t]; !ok {
			continue
		}
		idf := qt.w * ix.weight(qt.t)
		for _, p := range ix.postings[qt.t] {
			w := float64(p.weight)
			t := b.touch(p.entry)
			t.score += idf * w * (saturation + 1) / (w + saturation)
			if isUnigram {
				t.matched += idf
			}
			switch {
			case qt.name, !isUnigram && !qt.place:
				t.evidence += 2
			case isContent:
				t.evidence++
			}
		}
	}
	return content
}

// sayNames gives a bonus to each entry whose title or alias of two words
// or more the question says in full, in order, once an entry.
func (ix *Matcher) sayNames(q []qterm, b *board) {
	for i := range q {
		if q[i].w == 0 || q[i].blind {
			continue
		}
		for _, n := range ix.named[q[i].stem] {
			if b.tallies[n.entry].said || !says(q[i:], n.stems) {
				continue
			}
			t := b.touch(n.entry)
			t.said = true
			t.score += nameBonus * float64(len(n.stems)) * q[i].w
			t.evidence += 2
		}
	}
}

// says reports whether q begins with stems, joined, none weightless or
// set aside.
func says(q []qterm, stems []string) bool {
	if len(stems) > len(q) {
		return false
	}
	for j, st := range stems {
		if t := q[j]; t.stem != st || t.w == 0 || t.blind || j > 0 && !t.join {
			return false
		}
	}
	return true
}

// best is the limit highest-scoring entries on the board, best first
// (ties by id), kept as it goes rather than sorting every entry touched:
// limit is small and a big base touches many.
func (ix *Matcher) best(b *board, mass float64, content, limit int) []Match {
	if limit <= 0 {
		return nil
	}
	top := make([]Match, 0, limit+1)
	better := func(a, b Match) bool {
		if a.Score != b.Score {
			return a.Score > b.Score
		}
		return a.Entry.ID < b.Entry.ID
	}
	for _, e := range b.touched {
		t := b.tallies[e]
		if t.score == 0 {
			continue
		}
		m := Match{Entry: ix.base.Entries[e], Score: t.score}
		if len(top) == limit && !better(m, top[limit-1]) {
			continue
		}
		m.Coverage, m.Lone = t.matched/mass, t.evidence <= 1 && content >= 2
		i := len(top)
		for i > 0 && better(m, top[i-1]) {
			i--
		}
		top = slices.Insert(top, i, m)
		if len(top) > limit {
			top = top[:limit]
		}
	}
	return top
}

// weight is the weight of a question term: its IDF, less for place names.
// A word the knowledge base never uses weighs as much as its rarest word:
// it is part of the question that no entry answers, and so lowers every
// entry's coverage.
func (ix *Matcher) weight(t string) float64 {
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
// between, and the positions of the words that matched. Place names are
// skipped ("what time does Midsomer Norton library open" is about opening
// times), and so are negated words and a letter's story: a pub quiz
// recalled in the story of a pub up for sale is not the question.
func (ix *Matcher) service(q []qterm) (found *knowledge.Service, drop map[int32]bool, always bool) {
	stems := make([]string, len(q))
	for i, t := range q {
		if t.w > 0 && !t.story && !ix.places[t.stem] {
			stems[i] = t.stem
		}
	}
	// An always-phrase wins outright; otherwise the first service (in
	// the files' order) with a phrase in the question. Every service
	// phrase's words are set aside, not only the first's: "a copy of my
	// marriage certificate from the register office" is one subject said
	// twice.
	firstAlways, first := -1, -1
	ix.servicePhrases.find(stems, 2, func(r phraseRef, at []int) {
		if r.marked {
			if firstAlways < 0 || r.owner < firstAlways {
				firstAlways = r.owner
			}
			return
		}
		if first < 0 || r.owner < first {
			first = r.owner
		}
		if drop == nil {
			drop = map[int32]bool{}
		}
		for _, i := range at {
			drop[int32(i)] = true
		}
	})
	switch {
	case firstAlways >= 0:
		return ix.services[firstAlways], nil, true
	case first >= 0:
		return ix.services[first], drop, false
	}
	return nil, nil, false
}

// phraseSet finds many phrases in a question in one pass: each is filed
// under its first stem, so a question is read once, not once a phrase.
type phraseSet struct {
	byFirst map[string][]phraseRef
}

// phraseRef is one phrase: whose it is (a concept's or a service's index),
// whether it is marked (a concept's "with", a service's "always"), and
// its stems.
type phraseRef struct {
	owner  int
	marked bool
	stems  []string
}

func (ps *phraseSet) add(owner int, marked bool, stems []string) {
	if ps.byFirst == nil {
		ps.byFirst = map[string][]phraseRef{}
	}
	ps.byFirst[stems[0]] = append(ps.byFirst[stems[0]], phraseRef{owner: owner, marked: marked, stems: stems})
}

// find calls f for every phrase in have, and the positions of its words:
// its words in order, with at most gap other words between them in all.
// Empty stems in have match nothing.
func (ps *phraseSet) find(have []string, gap int, f func(r phraseRef, at []int)) {
	var at []int
	for start, s := range have {
		if s == "" {
			continue
		}
		for _, r := range ps.byFirst[s] {
			at = append(at[:0], start)
			window := len(r.stems) + gap
			for i := start + 1; i < len(have) && len(at) < len(r.stems) && i-start < window; i++ {
				if have[i] == r.stems[len(at)] {
					at = append(at, i)
				}
			}
			if len(at) == len(r.stems) {
				f(r, at)
			}
		}
	}
}
