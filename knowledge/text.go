package knowledge

import (
	"math"
	"regexp"
	"strconv"
	"strings"
	"unicode"

	"github.com/kljensen/snowball/english"
)

// word is one word or figure of a text as the source checks read it.
type word struct {
	raw  string // as written, without its punctuation
	low  string // lower case, apostrophes out
	stem string // Porter2 stem of low ("residents" and "resident" are one)
	// capital: it starts with a capital letter; first: it starts a
	// sentence, a table cell or a quotation.
	capital, first bool
	// name: a capitalised word that names something (see markNames).
	name bool
	// num is the figure the word is part of, or nil.
	num *quantity
}

// sentence is a run of words between full stops, semicolons, tabs and line
// ends: the unit within which a claim's words are compared with a source's.
type sentence struct {
	words []word
	qty   []*quantity
}

// quantity is a figure with what the text says about it: "a total of 6
// months", "less than £5,000", "£29 million a year".
type quantity struct {
	value float64
	raw   string
	money bool
	// percent: "70%", "70 per cent".
	percent bool
	// year: a four-digit year (2013), not an amount.
	year bool
	// unit is the period a figure counts (day, week, month, year, hour),
	// or "".
	unit string
	// qual is how it is counted: "total" ("in all", "a total of"),
	// "per-year" ("a year", "annually"), "per-month", "per-week", "each",
	// or "".
	qual string
	// bound is "min" ("at least", "over"), "max" ("less than", "up to"),
	// "approx" ("about", "over" is min) or "".
	bound string
	pos   int // index of its first word in the sentence
}

// tokenRE splits text into figures, words and the marks that end a
// sentence. A figure keeps its £, its decimal point, its thousands commas,
// and a k, m or bn straight after it; a hyphen splits words ("6-week",
// "non-statutory").
var tokenRE = regexp.MustCompile(`£?\d[\d,]*(?:\.\d+)?(?:bn|[kKmM])?%?|[\p{L}][\p{L}'’]*|[.;:!?\t\n"“”‘(]|[-–—]`)

// numberWords are figures written as words. "One" and "a" are left out:
// "one of the three forums" and "one-off" are no amounts.
var numberWords = map[string]float64{
	"two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9, "ten": 10,
	"eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14, "fifteen": 15, "sixteen": 16,
	"seventeen": 17, "eighteen": 18, "nineteen": 19, "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50,
	"sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90, "dozen": 12,
}

// multiplierWords scale the figure before them.
var multiplierWords = map[string]float64{"hundred": 100, "thousand": 1e3, "k": 1e3, "million": 1e6, "m": 1e6, "billion": 1e9, "bn": 1e9}

// periodUnits are the units a figure may count, by stem.
var periodUnits = map[string]string{"day": "day", "week": "week", "month": "month", "year": "year", "hour": "hour", "fortnight": "fortnight", "annum": "year"}

// apostrophes are taken out of words as they are folded.
var apostrophes = strings.NewReplacer("'", "", "’", "")

// splitSentences reads text into sentences of words, with their figures.
func splitSentences(text string) []sentence { return splitWith(text, stem) }

// splitWith is splitSentences with a stemmer of the caller's (a cache).
func splitWith(text string, stem func(string) string) []sentence {
	var out []sentence
	var cur []word
	first := true
	flush := func() {
		if len(cur) > 0 {
			out = append(out, sentence{words: cur})
		}
		cur = nil
		first = true
	}
	for _, m := range tokenRE.FindAllStringIndex(text, -1) {
		t := text[m[0]:m[1]]
		switch t {
		case ".", ";", "!", "?", "\t", "\n":
			// "1.3" and "e.g." keep their stops inside a token or
			// end nothing much; a stop ends the sentence.
			flush()
			continue
		case ":", "\"", "“", "”", "‘", "(":
			first = true
			continue
		case "-", "–", "—":
			continue
		}
		w := word{raw: strings.TrimRight(t, "'’"), first: first}
		first = false
		r := []rune(w.raw)
		w.capital = unicode.IsUpper(r[0])
		w.low = apostrophes.Replace(strings.ToLower(w.raw))
		w.stem = stem(w.low)
		cur = append(cur, w)
	}
	flush()
	for i := range out {
		out[i].qty = quantities(out[i].words)
	}
	return out
}

// stem is the Porter2 stem of a lower-case word, with the possessive out
// and an irregular past made its verb ("began" and "begun" are "begin").
func stem(low string) string {
	low = strings.TrimSuffix(low, "s’")
	if low == "" {
		return low
	}
	if v, ok := irregular[low]; ok {
		low = v
	}
	return english.Stem(low, false)
}

// irregular are the past forms of common irregular verbs, with their verb:
// Porter2 leaves them apart.
var irregular = map[string]string{
	"began": "begin", "begun": "begin", "ran": "run", "went": "go", "gone": "go", "gave": "give",
	"given": "give", "took": "take", "taken": "take", "made": "make", "brought": "bring", "bought": "buy",
	"sold": "sell", "held": "hold", "led": "lead", "met": "meet", "paid": "pay", "put": "put", "set": "set",
	"told": "tell", "thought": "think", "wrote": "write", "written": "write", "won": "win", "grew": "grow",
	"grown": "grow", "chose": "choose", "chosen": "choose", "drew": "draw", "drawn": "draw", "built": "build",
	"spent": "spend", "sent": "send", "kept": "keep", "left": "leave", "found": "find", "came": "come",
	"became": "become", "knew": "know", "known": "know", "saw": "see", "seen": "see", "got": "get",
	"rose": "rise", "risen": "rise", "fell": "fall", "fallen": "fall", "broke": "break", "broken": "break",
}

var digitsRE = regexp.MustCompile(`^£?(\d[\d,]*(?:\.\d+)?)(bn|[kKmM])?(%?)$`)

// quantities finds the figures of a sentence, in digits or in words, and
// reads what surrounds each: its unit, how it is counted, and its bound.
func quantities(ws []word) []*quantity {
	var out []*quantity
	for i := 0; i < len(ws); i++ {
		q, n := readFigure(ws, i)
		if q == nil {
			continue
		}
		q.pos = i
		readUnit(q, ws, i+n)
		readBefore(q, ws, i)
		for j := i; j < i+n; j++ {
			ws[j].num = q
		}
		out = append(out, q)
		i += n - 1
	}
	return out
}

// readFigure reads a figure starting at ws[i] ("£1.3m", "1,300,000",
// "five million", "£29 million") and how many words it takes, or nil.
func readFigure(ws []word, i int) (*quantity, int) {
	w := ws[i]
	q := &quantity{raw: w.raw}
	n := 1
	if m := digitsRE.FindStringSubmatch(w.raw); m != nil {
		v, err := strconv.ParseFloat(strings.ReplaceAll(m[1], ",", ""), 64)
		if err != nil {
			return nil, 0
		}
		// A phone number's groups ("01225") are strings, not amounts:
		// the names check compares them as written.
		if strings.HasPrefix(m[1], "0") && len(m[1]) > 1 && !strings.Contains(m[1], ".") {
			return nil, 0
		}
		q.value = v
		q.money = strings.HasPrefix(w.raw, "£")
		q.percent = m[3] != ""
		if m[2] != "" {
			q.value *= multiplierWords[strings.ToLower(m[2])]
		} else if !q.money && !q.percent && v >= 1900 && v <= 2099 && !strings.Contains(m[1], ",") && !strings.Contains(m[1], ".") {
			q.year = true
		}
	} else if v, ok := numberWords[w.low]; ok {
		q.value = v
		// "twenty five"
		for i+n < len(ws) {
			if u, ok := numberWords[ws[i+n].low]; ok && u < 10 && q.value >= 20 && math.Mod(q.value, 10) == 0 {
				q.value += u
				n++
				continue
			}
			break
		}
	} else {
		return nil, 0
	}
	// "five million", "£1.3 million", "three hundred thousand"
	for i+n < len(ws) && !q.year {
		m, ok := multiplierWords[ws[i+n].low]
		if !ok || ws[i+n].low == "k" && ws[i+n].capital {
			break
		}
		q.value *= m
		q.raw += " " + ws[i+n].raw
		n++
	}
	if i+n < len(ws) && (ws[i+n].low == "pounds" || ws[i+n].low == "pound") {
		q.money = true
		n++
	}
	if i+n+1 < len(ws) && ws[i+n].low == "per" && ws[i+n+1].low == "cent" {
		q.percent = true
		n += 2
	}
	if i+n < len(ws) && ws[i+n].low == "percent" {
		q.percent = true
		n++
	}
	return q, n
}

// readUnit reads the period after a figure ("6 months", "6-week") and how
// it is counted ("a year", "in total", "each").
func readUnit(q *quantity, ws []word, j int) {
	if q.year {
		return
	}
	if j < len(ws) {
		if u, ok := periodUnits[ws[j].stem]; ok {
			q.unit = u
			j++
		}
	}
	// The words after it: "£29 million a year", "6 months in all",
	// "five million hours of their time each year".
	for k := j; k < len(ws) && k < j+5; k++ {
		if ws[k].num != nil || isFigureWord(ws[k]) {
			break
		}
		lo := ws[k].low
		if k+1 < len(ws) && (lo == "a" || lo == "per" || lo == "each" || lo == "every" || lo == "an") {
			if u, ok := periodUnits[ws[k+1].stem]; ok {
				q.qual = "per-" + u
				return
			}
		}
		switch {
		case lo == "annually" || lo == "yearly":
			q.qual = "per-year"
			return
		case lo == "monthly":
			q.qual = "per-month"
			return
		case lo == "weekly":
			q.qual = "per-week"
			return
		case lo == "altogether" || (lo == "in" && k+1 < len(ws) && (ws[k+1].low == "total" || ws[k+1].low == "all")):
			q.qual = "total"
			return
		case lo == "each" && k == j:
			q.qual = "each"
			return
		}
	}
}

// boundWords set a figure's bound when they come just before it.
var boundWords = []struct {
	words []string
	bound string
}{
	{[]string{"at", "least"}, "min"}, {[]string{"more", "than"}, "min"}, {[]string{"over"}, "min"},
	{[]string{"above"}, "min"}, {[]string{"minimum"}, "min"}, {[]string{"upwards", "of"}, "min"},
	{[]string{"less", "than"}, "max"}, {[]string{"fewer", "than"}, "max"}, {[]string{"under"}, "max"},
	{[]string{"below"}, "max"}, {[]string{"up", "to"}, "max"}, {[]string{"at", "most"}, "max"},
	{[]string{"maximum"}, "max"}, {[]string{"no", "more", "than"}, "max"},
	{[]string{"about"}, "approx"}, {[]string{"around"}, "approx"}, {[]string{"approximately"}, "approx"},
	{[]string{"roughly"}, "approx"}, {[]string{"estimated"}, "approx"}, {[]string{"nearly"}, "approx"},
	{[]string{"almost"}, "approx"}, {[]string{"some"}, "approx"},
}

// readBefore reads the words before a figure: its bound ("at least £500")
// and a count that is a total ("a total of 6 months") or each one's
// ("who each invested").
func readBefore(q *quantity, ws []word, i int) {
	if q.year {
		return
	}
	for _, b := range boundWords {
		// The bound may stand a word or two before ("at least a total
		// of", "over the 2 years").
		for gap := 0; gap <= 2; gap++ {
			end := i - gap
			start := end - len(b.words)
			if start < 0 {
				continue
			}
			ok := true
			for k, bw := range b.words {
				if ws[start+k].low != bw {
					ok = false
					break
				}
			}
			if ok && (gap == 0 || allFiller(ws[end:i])) {
				q.bound = b.bound
			}
		}
	}
	for k := max(i-4, 0); k < i; k++ {
		if ws[k].num != nil {
			continue
		}
		switch {
		case ws[k].low == "total" && q.qual == "":
			q.qual = "total"
		}
	}
}

// allFiller reports whether words are the little words that may stand
// between a bound and its figure ("the", "a", "of", "total").
func allFiller(ws []word) bool {
	for _, w := range ws {
		switch w.low {
		case "the", "a", "an", "of", "total", "sum", "some":
		default:
			return false
		}
	}
	return true
}

func isFigureWord(w word) bool {
	_, ok := numberWords[w.low]
	return ok || digitsRE.MatchString(w.raw)
}

// stopWords say little about what a claim states: they are not its
// content. Negations, "only" and status words are read by their own rules,
// not here.
var stopWords = set(`a an the and or but if of to in on at by for with from as into onto than then
that this these those it its it's they them their there here he she his her we our us you your i me my
is are was were be been being am has have had having do does did done will would shall should can could
may might must so such also too very more most much many some any each every other others another
all both either one ones who whom whose which what when where why how about over under up down out off
again further once same own just only not no nor never s t via per eg e g ie etc whilst while within
across through during before after above below between including include includes included well
able new way ways part key clear range wide variety number numbers make makes made
get gets got take takes taken least less fewer upwards roughly approximately nearly almost around`)

// metaWords speak of the documents and of signposting, not of the world: a
// claim may use them though its lines do not ("the documents name", "ask
// Council Connect about"). They are compared by stem.
var metaWords = stemSet(`document documents report reports toolkit paper papers minutes agenda name names
named list lists listed say says said mention mentioned describe described show shows state states stated
print printed call called see ask asks contact talk speak read find look check visit approach send write
join tell go along touch sign whether changed since example instance guidance`)

// set is the fields of s, as a set.
func set(s string) map[string]bool {
	out := map[string]bool{}
	for _, f := range strings.Fields(s) {
		out[f] = true
	}
	return out
}

// stemSet is the stems of the fields of s, as a set.
func stemSet(s string) map[string]bool {
	out := map[string]bool{}
	for _, f := range strings.Fields(s) {
		out[stem(f)] = true
	}
	return out
}

// vocabulary is the words the documents and the base write in lower case:
// a capitalised word that starts a sentence is a name only when it is not
// one of them ("Healthwatch gathers…" names; "Community energy grows…"
// does not).
type vocabulary map[string]bool

// add notes the lower-case words of a text.
func (v vocabulary) add(ss []sentence) {
	for _, s := range ss {
		for _, w := range s.words {
			if !w.capital {
				v[w.stem] = true
			}
		}
	}
}

// markNames marks the words of sentences that name something: a
// capitalised word inside a sentence, or one that starts it and is not a
// word the documents write in lower case.
func (v vocabulary) markNames(ss []sentence) {
	for i := range ss {
		for j := range ss[i].words {
			w := &ss[i].words[j]
			w.name = w.capital && w.num == nil && (!w.first || !v[w.stem] && !stopWords[w.low] && !metaWords[w.stem]) && w.low != "i"
		}
	}
}

// isContent reports whether a word counts among a claim's content words:
// not a name, a figure, a stop word or a word about the documents.
func isContent(w word) bool {
	return !w.name && w.num == nil && !isFigureWord(w) && !stopWords[w.low] && !metaWords[w.stem] && len([]rune(w.low)) > 1
}
