package knowledge

import (
	"fmt"
	"math"
	"regexp"
	"slices"
	"strconv"
	"strings"
)

// checkText applies the sentence rules to a claim. meaning adds the rules
// that read what it says (negation, quantifiers, status, bounds); content
// the share of its content words.
func (ck *checker) checkText(text, lines, cite string, meaning, content bool) []finding {
	// The findings of a text on its lines hold for another base while
	// the names they read are marked alike.
	key := fmt.Sprintf("%s\x00%s\x00%s\x00%t%t", text, lines, cite, meaning, content)
	if r, ok := ck.results[key]; ok && r.holds(ck.vocab) {
		return r.out
	}
	ck.trace = nil
	out := ck.checkTextOnce(text, lines, cite, meaning, content)
	ck.results[key] = &result{out: out, used: ck.trace}
	ck.trace = nil
	return out
}

// result is what checkText found, and the markings it read.
type result struct {
	out  []finding
	used []*marking
}

// holds reports whether every marking the result read holds in v.
func (r *result) holds(v vocabulary) bool {
	for _, m := range r.used {
		if !m.holds(v) {
			return false
		}
	}
	return true
}

// checkTextOnce is checkText, uncached.
func (ck *checker) checkTextOnce(text, lines, cite string, meaning, content bool) []finding {
	var out []finding
	bad := func(r Rule, format string, args ...any) { out = append(out, finding{r, fmt.Sprintf(format, args...)}) }
	claim := ck.read(text)
	src := ck.read(lines)
	for _, t := range missingNames(text, claim, lines, src) {
		bad(RuleNames, "%q is not in the cited lines %s", t, cite)
	}
	out = append(out, checkFigures(claim, src, cite, meaning)...)
	if content {
		// What a claim says the documents lack ("the documents give no
		// total") is not looked for in them.
		if msg := contentGap(ck.read(hedgeRE.ReplaceAllString(text, "")), src); msg != "" {
			bad(RuleContent, "the cited lines %s do not hold the claim's words %s: cite the lines that say it, or say what they say", cite, msg)
		}
	}
	if meaning {
		out = append(out, checkNegation(claim, src, cite)...)
		out = append(out, checkQuantifiers(claim, src, cite)...)
		out = append(out, checkStatusWords(text, claim, src, cite)...)
	}
	return out
}

// missingNames are the claim's names its lines lack: addresses and phone
// numbers as written, and each word of a name by its stem ("Offers" is in
// "Community Share Offer").
func missingNames(text string, claim []sentence, lines string, src []sentence) []string {
	var out []string
	folded := foldFacts(lines)
	stems := map[string]bool{}
	for _, s := range src {
		for _, w := range s.words {
			stems[w.stem] = true
		}
	}
	for _, t := range addresses(text) {
		if !strings.Contains(folded, foldFacts(t)) {
			out = append(out, t)
		}
	}
	for _, s := range claim {
		for _, w := range s.words {
			if w.name && !stems[w.stem] && !slices.Contains(out, w.raw) {
				out = append(out, w.raw)
			}
		}
	}
	return out
}

// addresses are the e-mail and web addresses and phone numbers of text.
func addresses(text string) []string {
	var out []string
	for _, m := range addressRE.FindAllString(text, -1) {
		m = strings.TrimRight(m, ".,;:) ")
		if !slices.Contains(out, m) {
			out = append(out, m)
		}
	}
	return out
}

// nameTokens are what a claim names that a reader could check as written:
// capitalised names, e-mail and web addresses, and phone numbers.
func nameTokens(text string, ss []sentence) []string {
	var out []string
	add := func(t string) {
		if t != "" && !slices.Contains(out, t) {
			out = append(out, t)
		}
	}
	for _, m := range addressRE.FindAllString(text, -1) {
		add(strings.TrimRight(m, ".,;:)"))
	}
	for _, s := range ss {
		for _, w := range s.words {
			if w.name {
				add(strings.TrimSuffix(strings.TrimSuffix(w.raw, "'s"), "’s"))
			}
		}
	}
	return out
}

// addressRE finds e-mail and web addresses and phone numbers ("01225
// 394322", "0300 123 1234").
var addressRE = regexp.MustCompile(`[\w.+-]+@[\w-]+(?:\.[\w-]+)+|https?://\S+|www\.\S+|\b0\d{2,4}[ -]?\d{3,4}[ -]?\d{0,4}\b|\b\d{6,}\b`)

// checkFigures checks the claim's figures by value: each is in the lines
// (figures), with its unit, period and count (units), and, when meaning
// is read, its bound (bounds).
func checkFigures(claim, src []sentence, cite string, meaning bool) []finding {
	var out []finding
	var have []*quantity
	for _, s := range src {
		have = append(have, s.qty...)
	}
	for _, s := range claim {
		for _, q := range s.qty {
			if f, ok := checkFigure(q, have, cite, meaning); !ok {
				out = append(out, f)
			}
		}
	}
	return out
}

// checkFigure checks one figure of a claim against the lines' figures.
func checkFigure(q *quantity, have []*quantity, cite string, meaning bool) (finding, bool) {
	var same []*quantity
	for _, h := range have {
		if sameValue(h.value, q.value) {
			same = append(same, h)
		}
	}
	if len(same) == 0 {
		// £17 for £17,000: a slip of thousands is a unit.
		for _, h := range have {
			for _, f := range []float64{1e3, 1e-3, 1e6, 1e-6} {
				if h.money == q.money && !h.year && sameValue(h.value, q.value*f) {
					return finding{RuleUnits, fmt.Sprintf("%q is %s in the cited lines %s: thousands and millions must agree", q.raw, h.raw, cite)}, false
				}
			}
		}
		return finding{RuleFigures, fmt.Sprintf("%q (%s) is not in the cited lines %s", q.raw, figure(q.value), cite)}, false
	}
	// "A total of 6 weeks" answers to the lines' totals of that value,
	// when they have one ("a total of 6 months"), not to a "6-week
	// cut-off" beside it.
	if q.qual != "" {
		var counted []*quantity
		for _, h := range same {
			if h.qual == q.qual {
				counted = append(counted, h)
			}
		}
		if len(counted) > 0 {
			same = counted
		}
	}
	var fit []*quantity
	for _, h := range same {
		if unitsAgree(q, h) {
			fit = append(fit, h)
		}
	}
	if len(fit) == 0 {
		return finding{RuleUnits, fmt.Sprintf("%q: the cited lines %s give %s", q.raw+describeUnit(q), cite, describeAll(same))}, false
	}
	if meaning && !q.year && !slices.ContainsFunc(fit, func(h *quantity) bool { return boundsAgree(q, h) }) {
		return finding{RuleBounds, fmt.Sprintf("%q: the cited lines %s give %s", boundWord(q.bound)+q.raw, cite, describeAll(fit))}, false
	}
	return finding{}, true
}

func sameValue(a, b float64) bool { return math.Abs(a-b) <= 1e-9*math.Max(1, math.Abs(a)) }

func figure(v float64) string { return strconv.FormatFloat(v, 'f', -1, 64) }

// unitsAgree reports whether a source figure of the claim's value counts
// the same thing: money or a period, which period, and in total or a year.
func unitsAgree(q, h *quantity) bool {
	if q.year || h.year {
		return q.year == h.year || q.unit == "" && q.qual == ""
	}
	if q.percent != h.percent {
		return false
	}
	if q.unit != "" && (h.unit != q.unit || h.money) {
		return false
	}
	if q.money && h.unit != "" {
		return false
	}
	switch {
	case strings.HasPrefix(q.qual, "per-") || q.qual == "each":
		return h.qual == q.qual
	case q.qual == "total":
		return h.qual == "total" || h.qual == ""
	}
	return !strings.HasPrefix(h.qual, "per-")
}

// boundsAgree reports whether a source figure bounds the value as the
// claim does: "at least" for "at least", and a claim without a bound for a
// figure without one.
func boundsAgree(q, h *quantity) bool {
	qb, hb := q.bound, h.bound
	if qb == "approx" {
		qb = ""
	}
	if hb == "approx" {
		hb = ""
	}
	return qb == hb
}

func boundWord(b string) string {
	switch b {
	case "min":
		return "at least "
	case "max":
		return "at most "
	case "approx":
		return "about "
	}
	return ""
}

func describeUnit(q *quantity) string {
	var parts []string
	if q.unit != "" {
		parts = append(parts, q.unit)
	}
	if q.qual != "" {
		parts = append(parts, q.qual)
	}
	if len(parts) == 0 {
		return ""
	}
	return " (" + strings.Join(parts, ", ") + ")"
}

func describeAll(qs []*quantity) string {
	var out []string
	for _, h := range qs {
		d := boundWord(h.bound) + h.raw + describeUnit(h)
		if !slices.Contains(out, d) {
			out = append(out, d)
		}
	}
	return strings.Join(out, "; ")
}

// contentGap is the claim's content words its lines lack, quoted, when
// they are more than 1-MinContent of them; or "".
func contentGap(claim, src []sentence) string {
	have := map[string]bool{}
	for _, s := range src {
		for _, w := range s.words {
			have[w.stem] = true
			have[w.low] = true
		}
	}
	var words, missing []string
	for _, s := range claim {
		for _, w := range s.words {
			if !isContent(w) || slices.Contains(words, w.stem) {
				continue
			}
			words = append(words, w.stem)
			if !have[w.stem] {
				missing = append(missing, w.low)
			}
		}
	}
	if len(words) == 0 || float64(len(words)-len(missing)) >= MinContent*float64(len(words)) {
		return ""
	}
	return fmt.Sprintf("%q (%d of %d)", missing, len(missing), len(words))
}
