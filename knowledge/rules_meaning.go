package knowledge

import (
	"fmt"
	"regexp"
	"slices"
	"strings"
)

// negators turn what follows them round.
var negators = set(`not no never none nor neither without non cannot cant dont doesnt isnt arent wasnt werent
wont didnt hasnt havent hadnt nothing nobody`)

// isNegator reports whether ws[i] negates: "not only" and "not least" do
// not.
func isNegator(ws []word, i int) bool {
	if (ws[i].low == "rather" || ws[i].low == "instead") && i+1 < len(ws) && (ws[i+1].low == "than" || ws[i+1].low == "of") {
		return true
	}
	if !negators[ws[i].low] {
		return false
	}
	if ws[i].low == "not" && i+1 < len(ws) && (ws[i+1].low == "only" || ws[i+1].low == "least" || ws[i+1].low == "just") {
		return false
	}
	return true
}

// clauseEnd are the words that end what a negation governs.
var clauseEnd = set(`and but or which who whose while whereas although`)

// scope is the content stems a word governs: up to n after it in its
// clause, or, at the end of one, up to n before it.
func scope(ws []word, i, n int) []string {
	var out []string
	for j := i + 1; j < len(ws) && len(out) < n && !clauseEnd[ws[j].low]; j++ {
		if isContent(ws[j]) || ws[j].name {
			out = append(out, ws[j].stem)
		}
	}
	if len(out) == 0 {
		for j := i - 1; j >= 0 && len(out) < n; j-- {
			if isContent(ws[j]) || ws[j].name {
				out = append(out, ws[j].stem)
			}
		}
	}
	return out
}

// around is the content stems within n words either side of ws[i].
func around(ws []word, i, n int) []string {
	var out []string
	for j := max(i-n, 0); j < len(ws) && j <= i+n; j++ {
		if j != i && (isContent(ws[j]) || ws[j].name) {
			out = append(out, ws[j].stem)
		}
	}
	return out
}

// near reports whether some sentence has a word that marks holds, within
// n words of a word whose stem is in stems.
func near(ss []sentence, stems []string, n int, marks func(ws []word, i int) bool) bool {
	for _, s := range ss {
		for i := range s.words {
			if !marks(s.words, i) {
				continue
			}
			for j := max(i-n, 0); j < len(s.words) && j <= i+n; j++ {
				if slices.Contains(stems, s.words[j].stem) {
					return true
				}
			}
		}
	}
	return false
}

// onlyWords and exceptWords mark a restriction and an exception.
var (
	onlyWords   = set(`only solely exclusively sole alone`)
	exceptWords = set(`except excepting excluding exception exceptions apart`)
)

// checkNegation: a claim's "not X" rests on lines that negate X; lines
// that say "not X" are not turned into a claim that X; "only" and
// "except" rest on lines that restrict.
func checkNegation(claim, src []sentence, cite string) []finding {
	var out []finding
	for _, s := range claim {
		ws := s.words
		for i := range ws {
			switch {
			case isNegator(ws, i) && !aboutDocuments(ws, i):
				sc := scope(ws, i, 3)
				if len(sc) > 0 && !near(src, sc, 6, isNegator) {
					out = append(out, finding{RuleNegation, fmt.Sprintf("the claim says %q but the cited lines %s do not say it is not so", phrase(ws, i, 4), cite)})
				}
			case onlyWords[ws[i].low] && !(i > 0 && ws[i-1].low == "not"):
				sc := around(ws, i, 4)
				if len(sc) > 0 && !near(src, sc, 8, func(w []word, j int) bool { return onlyWords[w[j].low] }) {
					out = append(out, finding{RuleNegation, fmt.Sprintf("the claim says %q but the cited lines %s say no such restriction", phrase(ws, max(i-2, 0), 5), cite)})
				}
			case exceptWords[ws[i].low]:
				sc := around(ws, i, 4)
				if len(sc) > 0 && !near(src, sc, 8, func(w []word, j int) bool { return exceptWords[w[j].low] || w[j].low == "but" || w[j].low == "other" }) {
					out = append(out, finding{RuleNegation, fmt.Sprintf("the claim says %q but the cited lines %s make no such exception", phrase(ws, i, 4), cite)})
				}
			}
		}
	}
	// What the lines negate, the claim may not assert.
	for _, s := range matched(claim, src) {
		ws := s.words
		for i := range ws {
			if !isNegator(ws, i) {
				continue
			}
			sc := scope(ws, i, 3)
			need := min(2, len(sc))
			if need == 0 {
				continue
			}
			for _, cs := range claim {
				hits := 0
				var at []int
				for j, w := range cs.words {
					if slices.Contains(sc, w.stem) {
						hits++
						at = append(at, j)
					}
				}
				if hits < need || len(at) == 0 || at[len(at)-1]-at[0] > 8 {
					continue
				}
				negated := false
				for j := max(at[0]-6, 0); j < len(cs.words) && j <= at[len(at)-1]+2; j++ {
					if isNegator(cs.words, j) {
						negated = true
					}
				}
				if !negated {
					out = append(out, finding{RuleNegation, fmt.Sprintf("the cited lines %s say %q; the claim leaves out the negation", cite, phrase(ws, i, 5))})
				}
			}
		}
	}
	return out
}

// aboutDocuments reports whether the negation at ws[i] speaks of the
// documents ("the documents give no sum", "no sum given", "do not say
// whether"): that is what they lack, not what they deny.
func aboutDocuments(ws []word, i int) bool {
	for j := max(i-3, 0); j < len(ws) && j <= i+3; j++ {
		switch ws[j].stem {
		case "document", "give", "given", "say", "said", "mention", "name", "list", "state", "describ", "record", "print":
			return true
		}
	}
	return false
}

// phrase is up to n words of ws from i, as written.
func phrase(ws []word, i, n int) string {
	var out []string
	for j := i; j < len(ws) && j < i+n; j++ {
		out = append(out, ws[j].raw)
	}
	return strings.Join(out, " ")
}

// matched are the sentences of the lines that say most of what the claim
// says: those sharing at least half as many of its words as the best one,
// and at least two (a claim may join two sentences of its lines).
func matched(claim, src []sentence) []sentence {
	words := map[string]bool{}
	var values []float64
	for _, s := range claim {
		for _, w := range s.words {
			if isContent(w) || w.name {
				words[w.stem] = true
			}
		}
		for _, q := range s.qty {
			values = append(values, q.value)
		}
	}
	score := make([]int, len(src))
	best := 0
	for i, s := range src {
		seen := map[string]bool{}
		for _, w := range s.words {
			if words[w.stem] && !seen[w.stem] {
				seen[w.stem] = true
				score[i]++
			}
		}
		for _, q := range s.qty {
			if slices.ContainsFunc(values, func(v float64) bool { return sameValue(v, q.value) }) {
				score[i]++
			}
		}
		best = max(best, score[i])
	}
	var out []sentence
	if best < 2 {
		return nil
	}
	for i, s := range src {
		if float64(score[i]) >= 0.5*float64(best) && score[i] >= 2 {
			out = append(out, s)
		}
	}
	return out
}

// overlapping are the sentences of the lines that share a content word or
// name with the claim.
func overlapping(claim, src []sentence) []sentence {
	stems := contentStems(claim)
	var out []sentence
	for _, s := range src {
		if slices.ContainsFunc(s.words, func(w word) bool { return stems[w.stem] }) {
			out = append(out, s)
		}
	}
	return out
}

// sentencesText is sentences as written, each ended with a full stop.
func sentencesText(ss []sentence) string {
	var b strings.Builder
	for _, s := range ss {
		b.WriteString(sentenceText(s))
		b.WriteString(". ")
	}
	return b.String()
}

// quantifierWords claim a thing of all of something.
var quantifierWords = set(`all every always everyone everybody everything entire whole`)

// checkQuantifiers: "all", "every", "always" rest on lines that say so of
// the same thing.
func checkQuantifiers(claim, src []sentence, cite string) []finding {
	var out []finding
	for _, s := range claim {
		ws := s.words
		for i := range ws {
			// "In all" and "at all" count, they do not claim all of
			// anything: unless a thing follows ("in all rural areas").
			if !quantifierWords[ws[i].low] || ws[i].low == "all" && i > 0 && (ws[i-1].low == "in" || ws[i-1].low == "at") && (i+1 == len(ws) || !isContent(ws[i+1])) {
				continue
			}
			sc := around(ws, i, 4)
			if len(sc) == 0 {
				continue
			}
			if !near(src, sc, 8, func(w []word, j int) bool {
				return quantifierWords[w[j].low] || w[j].low == "each" || w[j].low == "any" || w[j].low == "across"
			}) {
				out = append(out, finding{RuleQuantifier, fmt.Sprintf("the claim says %q but the cited lines %s do not say it of all", phrase(ws, i, 4), cite)})
			}
		}
	}
	return out
}

var (
	// nowRE: a claim saying a thing runs now.
	nowRE = regexp.MustCompile(`(?i)\b(now|currently|nowadays|today|at present|presently)\b|\bstill (runs|running|open|available|going|operating|active|exists|in place|works|working)\b|\b(is|are)\s+(open|available|running|active|operating|in place|live|up and running)\b|\b(runs|operates|continues)\b`)
	// sourceNowRE: lines saying a thing runs now.
	sourceNowRE = regexp.MustCompile(`(?i)\b(now|currently|still|continues|continue|ongoing|has been established|have been established|launched|has opened|opened|running)\b`)
	// planRE: lines or claims speaking of a plan, a hope or the future.
	planRE = regexp.MustCompile(`(?i)\b(proposed|propose|proposes|draft|indicative|planned|hoped|hope|hopes|intended|intends|intention|expected|scheduled|would|will|could|might|pilot|piloting|being (created|developed|set up|progressed|established|prepared)|to be (created|set up|established|developed|allocated)|looking to)\b`)
	// strongPlanRE: words that make a thing a proposal, not a fact.
	strongPlanRE = regexp.MustCompile(`(?i)\b(proposed|propose|proposes|draft|indicative|planned|hoped|intended|being (created|developed|set up|progressed)|scheduled)\b`)
	// endRE: lines or claims speaking of an end or a bounded period.
	endRE = regexp.MustCompile(`(?i)\b(ended|end|ends|came to an end|comes to an end|until|one[ -]off|one year only|no longer|closed|ceased|abolished|deleted|repealed|formerly|completed)\b|\b(19|20)\d\d\s*[/–-]\s*(19|20)?\d\d\b`)
	// hedgeRE: a claim that says the documents leave a question open.
	hedgeRE = regexp.MustCompile(`(?i)\b((do|does|did) not (say|mention|give|name|list|state|describe|record)|(give|gives|set|sets|name|names|list|lists|state|states|mention|mentions) no|no \w+ given)\b[^.;:]*`)
)

// checkStatusWords: a claim that says a thing runs now rests on lines
// that do not make it a plan or an ended thing; a claim on lines that
// make it a proposal says so.
func checkStatusWords(text string, claim, src []sentence, cite string) []finding {
	var out []finding
	m := matched(claim, src)
	said := sentencesText(m)
	plain := hedgeRE.ReplaceAllString(text, "")
	// A claim that a thing runs now is read against every sentence of its
	// lines about it, not only those that say most of what it says: "it
	// runs now" shares little with "it comes to an end in December".
	if now := nowRE.FindString(plain); now != "" {
		about := sentencesText(overlapping(claim, src))
		if w := cmpOr(planRE.FindString(about), endRE.FindString(about)); w != "" && !sourceNowRE.MatchString(about) {
			out = append(out, finding{RuleStatus, fmt.Sprintf("the claim says %q but the cited lines %s say %q", now, cite, w)})
		}
	}
	// An instruction ("Ask Council Connect about…") states nothing as
	// done; a claim that keeps a plan's word ("proposed", "will", "was
	// to be") or says the documents leave it open states it as planned.
	if planRE.MatchString(text) || proposalRE.MatchString(text) || endRE.MatchString(text) || hedgeRE.MatchString(text) || toBeRE.MatchString(text) || instruction(claim) {
		return out
	}
	if p := strongPlanRE.FindString(said); p != "" {
		out = append(out, finding{RuleStatus, fmt.Sprintf("the cited lines %s say %q; the claim states it as done: keep %q", cite, p, strings.ToLower(p))})
	} else if p := futureOf(claim, m); p != "" {
		out = append(out, finding{RuleStatus, fmt.Sprintf("the cited lines %s say %q; the claim states as done what they say will be", cite, p)})
	}
	return out
}

var (
	// proposalRE: a claim that calls it a proposal.
	proposalRE = regexp.MustCompile(`(?i)\bproposals?\b`)
	// toBeRE: a claim that puts a plan in the past ("was to be pooled").
	toBeRE = regexp.MustCompile(`(?i)\b(was|were|is|are) to\b|\bto be\b|\baim(s|ed)?\b`)
	// futureWords speak of what will be, not what is.
	futureWords = set(`will expect expected expects intend intended intends intention hope hopes`)
	// presentVerbs start a clause that says what is.
	presentVerbs = set(`is are has have was were`)
)

// futureOf finds, in the sentences a claim rests on, a word of the future
// ("will", "expect") that governs what the claim says, and returns it with
// what follows; or "". "Will" elsewhere in a sentence ("and will be the
// subject of a presentation") does not count.
func futureOf(claim, src []sentence) string {
	stems := map[string]bool{}
	for _, s := range claim {
		for _, w := range s.words {
			if isContent(w) || w.name {
				stems[w.stem] = true
			}
		}
	}
	for _, s := range src {
		ws := s.words
		for i := range ws {
			if !futureWords[ws[i].low] {
				continue
			}
			n := 0
			for j := i + 1; j < len(ws) && n < 6; j++ {
				// "will be considering… and is made up of": a new
				// clause says what is, not what will be.
				if clauseEnd[ws[j].low] && (ws[j].low != "and" || j+1 < len(ws) && presentVerbs[ws[j+1].low]) {
					break
				}
				if !isContent(ws[j]) && !ws[j].name {
					continue
				}
				n++
				if stems[ws[j].stem] {
					return phrase(ws, i, 5)
				}
			}
		}
	}
	return ""
}

// adviceVerbs start an instruction to the reader.
var adviceVerbs = set(`ask contact see read talk call find look visit check get go give send approach learn join`)

// instruction reports whether the claim is an instruction: its first word
// is one of adviceVerbs.
func instruction(claim []sentence) bool {
	return len(claim) > 0 && len(claim[0].words) > 0 && adviceVerbs[claim[0].words[0].low]
}

func cmpOr(a, b string) string {
	if a != "" {
		return a
	}
	return b
}

// contentStems are the stems of the content words and names of sentences:
// what a cited line must share to be about the same thing.
func contentStems(ss []sentence) map[string]bool {
	stems := map[string]bool{}
	for _, s := range ss {
		for _, w := range s.words {
			if isContent(w) || w.name {
				stems[w.stem] = true
			}
		}
	}
	return stems
}
