package match

import (
	"regexp"
	"strings"
)

// How much each part of a question counts. People write the way they talk:
// a letter tells a story before it asks, a question names what it does not
// want, and everyday words ("time", "good") say little about which tool is
// meant. Tuned on the tune half of testdata/own; the holdout half measures
// whether they generalise.
const (
	// storyWeight: in a message of several sentences, the sentences that
	// do not ask count this much against the ones that do.
	storyWeight = 0.4
	// commonWeight: an everyday word from language.toml's common list.
	commonWeight = 0.35
	// conceptWeight: a toolkit word a concept reads into the question.
	conceptWeight = 0.8
	// conceptWords: a concept weighs at most as much as this many words.
	conceptWords = 4.0
	// storySentences: a message needs this many sentences before its
	// story is told apart from its ask.
	storySentences = 3
)

// qterm is one term of a question and how much it counts. join says it
// forms a bigram with the term before it (false at a sentence's start).
type qterm struct {
	stem string
	w    float64
	join bool
	// blind terms weigh in the question but match nothing.
	blind bool
	// story terms come from a sentence that tells rather than asks.
	story bool
	// name terms name something the knowledge base holds (PACT, JSNA).
	name bool
}

// negation finds what a question says it is not about: "not asking about
// X", "this isn't a X thing", "I don't want X", "rather than X". The span
// runs to the end of its clause, or to a word that turns to the real ask.
var negation = regexp.MustCompile(`\b(?:` +
	`(?:not|never)\s+(?:(?:asking|talking|looking|enquiring|calling|ringing|writing|interested|after|on)\s+(?:about|for|in|re|regarding|with)?|about|re|regarding)\s*` +
	`|(?:dont|do not|didnt|did not)\s+(?:want|need)\s+to\s+(?:contact|speak to|talk to|ask|go to|join|use|apply to|apply for|know about|hear about)\s+` +
	`|(?:dont|do not|didnt|did not)\s+mean\s+` +
	`|(?:isnt|is not|its not|not|wasnt)\s+(?:a|an|the|really|about|to do with)?\s*(?:[\pL\d]+\s+){0,3}(?:thing|issue|question|matter|problem|query)\b` +
	`|rather than\s+|instead of\s+|nothing to do with\s+|other than\s+|apart from\s+)`)

// clauseEnd ends a negated span: punctuation, or a word that turns to what
// the asker does want.
var clauseEnd = regexp.MustCompile(`[,.;:!?()]|\s-\s|\b(?:but|just|i|we|im|were|ive|only|actually|rather|instead|so|because|as|and i|and we)\b`)

// negationCues are substrings every negation match contains: most
// questions have none, and skip the regular expression.
var negationCues = []string{"not ", "nt ", "never ", "rather than", "instead of", "nothing to do", "other than", "apart from", "mean "}

func mayNegate(text string) bool {
	for _, c := range negationCues {
		if strings.Contains(text, c) {
			return true
		}
	}
	return false
}

// maxNegations bounds the negations read in one message.
const maxNegations = 8

// maxNegated bounds a negated span, in words: "not about X" negates X, not
// the rest of a long sentence without commas.
const maxNegated = 5

// unnegate splits a folded question into what it asks and what it says it
// is not about.
func unnegate(text string) (kept, negated string) {
	if !mayNegate(text) {
		return text, ""
	}
	// A real question says what it is not about once or twice; past
	// maxNegations the rest is read as it stands, so a message of a
	// hundred negations costs what a few do.
	locs := negation.FindAllStringIndex(text, maxNegations)
	if locs == nil {
		return text, ""
	}
	var k, n strings.Builder
	last := 0
	for _, loc := range locs {
		if loc[0] < last {
			continue
		}
		// The cue itself may carry the topic ("isn't a PACT thing"), so
		// the whole match counts as negated, and so does what follows it
		// up to the clause's end.
		end := loc[1]
		rest := text[end:]
		if m := clauseEnd.FindStringIndex(rest); m != nil {
			rest = rest[:m[0]]
		}
		if ws := strings.Fields(rest); len(ws) > maxNegated {
			rest = strings.Join(ws[:maxNegated], " ")
			// Fields drops spacing; find the real end in text.
			if i := strings.Index(text[end:], ws[maxNegated-1]); i >= 0 {
				rest = text[end : end+i+len(ws[maxNegated-1])]
			}
		}
		k.WriteString(text[last:loc[0]])
		k.WriteString(" , ")
		n.WriteString(text[loc[0]:end])
		n.WriteString(rest)
		n.WriteString(" , ")
		last = end + len(rest)
	}
	k.WriteString(text[last:])
	return k.String(), n.String()
}

// sentenceEnd splits a message into sentences.
var sentenceEnd = regexp.MustCompile(`[.!?]+(?:\s+|$)|\n+`)

// askStart and askCue recognise a sentence that asks, not one that tells.
var (
	askStart = regexp.MustCompile(`^(?:so\s+|and\s+|but\s+|please\s+|basically\s+)?(?:how|what|whats|who|whos|where|wheres|when|which|why|is|are|can|could|would|should|do|does|did|will|has|have|any|anyone|please|tell)\b`)
	askCue   = regexp.MustCompile(`\b(?:i want to know|we want to know|wondering|would like|wed like|id like|looking for|need help|need advice|advice on|any ideas|who should|who can|is there|are there|how do|how can|how would|what should|where can|where do)\b`)
)

// Asks reports whether a message is put as a question or a request ("how
// do we…", "is there…?", "we'd like…") rather than as a statement.
func Asks(text string) bool {
	l := strings.ToLower(strings.TrimSpace(text))
	return strings.HasSuffix(l, "?") || askStart.MatchString(l) || askCue.MatchString(l)
}

// part is a piece of a question with its weight.
type part struct {
	text string
	w    float64
}

// parts weighs a message's sentences: in a message of several sentences
// with an ask among them, the asks count in full and the story around them
// less, so a long preamble does not drown the question.
func parts(text string) []part {
	if strings.Count(text, ".")+strings.Count(text, "?")+strings.Count(text, "!")+strings.Count(text, "\n") < storySentences-1 {
		return []part{{text: text, w: 1}}
	}
	var ss []string
	last := 0
	for _, loc := range sentenceEnd.FindAllStringIndex(text, -1) {
		ss = append(ss, text[last:loc[1]])
		last = loc[1]
	}
	if last < len(text) {
		ss = append(ss, text[last:])
	}
	if len(ss) < storySentences {
		return []part{{text: text, w: 1}}
	}
	asks := make([]bool, len(ss))
	any := false
	for i, s := range ss {
		l := strings.ToLower(strings.TrimSpace(s))
		asks[i] = strings.HasSuffix(l, "?") || askStart.MatchString(l) || askCue.MatchString(l)
		any = any || asks[i]
	}
	if !any {
		asks[len(ss)-1] = true // no sentence asks: the last is the point
	}
	out := make([]part, len(ss))
	for i, s := range ss {
		out[i] = part{text: s, w: storyWeight}
		if asks[i] {
			out[i].w = 1
		}
	}
	return out
}

// concept is a compiled Concept: its meaning as stems; its phrases are
// in the Matcher's conceptPhrases.
type concept struct {
	means []string
	// needsWith says one of its "with" phrases must be in the question.
	needsWith bool
}

// expand reads the toolkit's words into a question that uses people's
// words for them: each concept whose phrase appears in the question's
// words (stop words and all: "on her own", "take it on") adds its
// meaning, as a run of its own, weighted as the words that called it up.
// seq are the question's word stems and ws their weights.
func (ix *Matcher) expand(q []qterm, seq []string, ws []float64) []qterm {
	if len(ix.concepts) == 0 {
		return q
	}
	best := make([]float64, len(ix.concepts))
	with := make([]bool, len(ix.concepts))
	ix.conceptPhrases.find(seq, 1, func(r phraseRef, at []int) {
		if r.marked {
			with[r.owner] = true
		} else {
			best[r.owner] = max(best[r.owner], ws[at[0]])
		}
	})
	for i, c := range ix.concepts {
		w := best[i]
		if w == 0 || c.needsWith && !with[i] {
			continue
		}
		// A concept speaks for a few of the asker's words, however many
		// words it means: a long meaning must not outweigh the question.
		w *= conceptWeight * min(1, conceptWords/float64(len(c.means)))
		for j, s := range c.means {
			q = append(q, qterm{stem: s, w: w, join: j > 0})
		}
	}
	return q
}
