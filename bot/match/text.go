package match

import (
	"regexp"
	"strconv"
	"strings"
	"unicode"

	"github.com/bathnes/signpost/knowledge"
	"github.com/kljensen/snowball/english"
)

// analyzer turns text into the terms the index holds: folded, stop words
// dropped, synonyms merged, stemmed.
type analyzer struct {
	stop    map[string]bool
	synonym map[string]string
	stems   map[string]string // filled at build: stemming is the costliest step
}

func newAnalyzer(lang knowledge.Language) *analyzer {
	a := &analyzer{stop: map[string]bool{}, synonym: map[string]string{}, stems: map[string]string{}}
	for _, w := range lang.Stopwords {
		a.stop[fold(w)] = true
		// Stop words are stemmed for concept phrases: cache them.
		a.stems[fold(w)] = a.stem(fold(w))
	}
	for _, group := range lang.Synonyms {
		for _, w := range group[1:] {
			a.synonym[fold(w)] = fold(group[0])
		}
	}
	return a
}

// contraction matches the end of a contracted word ("we'd", "council's"),
// dropped so "we'd" is not read as "wed".
var contraction = regexp.MustCompile(`(\pL)'(d|ll|re|ve|m|s)\b`)

// folder is built once: a Replacer builds its tables on first use.
var folder = strings.NewReplacer("’", "'", "‘", "'", "n't", "nt", "é", "e", "è", "e")

// fold lowercases, drops contractions, apostrophes and the accents that
// vary in chat.
func fold(s string) string {
	s = strings.ToLower(s)
	s = folder.Replace(s)
	if !strings.Contains(s, "'") {
		return s
	}
	s = contraction.ReplaceAllString(s, "$1")
	return strings.ReplaceAll(s, "'", "")
}

// words splits folded text into words. Words joined by a hyphen, colon or
// ampersand ("e-bulletin", "re:generate", "b&nes") yield the parts and the
// joined form, so either spelling matches. Commas inside numbers go.
func words(s string) []string {
	s = fold(s)
	var out []string
	var cur, joined strings.Builder
	parts := 0
	flush := func() {
		if cur.Len() > 0 {
			out = append(out, cur.String())
			parts++
			cur.Reset()
		}
	}
	endJoined := func() {
		flush()
		if parts > 1 {
			out = append(out, joined.String())
		}
		joined.Reset()
		parts = 0
	}
	rs := []rune(s)
	for i, r := range rs {
		switch {
		case unicode.IsLetter(r) || unicode.IsDigit(r):
			cur.WriteRune(r)
			joined.WriteRune(r)
		case (r == '-' || r == ':' || r == '&' || r == ',' || r == '.') && i > 0 && i+1 < len(rs) &&
			isAlnum(rs[i-1]) && isAlnum(rs[i+1]):
			if (r == ',' || r == '.') && unicode.IsDigit(rs[i-1]) && unicode.IsDigit(rs[i+1]) {
				// 5,000 and 1.3 stay one number: the comma goes, the
				// point stays.
				if r == '.' {
					cur.WriteRune(r)
					joined.WriteRune(r)
				}
				continue
			}
			if r == ',' || r == '.' {
				endJoined()
				continue
			}
			flush()
		default:
			endJoined()
		}
	}
	endJoined()
	return sums(out)
}

// shortSum is a sum written short: "17k", "1.3m", "5000".
var shortSum = regexp.MustCompile(`^(\d+(?:\.\d+)?)(k|m)?$`)

// sums writes every sum one way, so "17 grand", "17k", "17 thousand" and
// "£17,000" are one word, and "£1.3m" and "1.3 million" another.
func sums(ws []string) []string {
	out := ws[:0:0]
	for i := 0; i < len(ws); i++ {
		m := shortSum.FindStringSubmatch(ws[i])
		if m == nil {
			out = append(out, ws[i])
			continue
		}
		scale := map[string]float64{"k": 1e3, "m": 1e6}[m[2]]
		if scale == 0 && i+1 < len(ws) {
			switch ws[i+1] {
			case "k", "grand", "thousand":
				scale = 1e3
				i++
			case "m", "million", "mill":
				scale = 1e6
				i++
			}
		}
		if scale == 0 {
			out = append(out, ws[i])
			continue
		}
		n, err := strconv.ParseFloat(m[1], 64)
		if err != nil || n*scale > 1e12 {
			out = append(out, ws[i])
			continue
		}
		out = append(out, strconv.FormatFloat(n*scale, 'f', -1, 64))
	}
	return out
}

func isAlnum(r rune) bool { return unicode.IsLetter(r) || unicode.IsDigit(r) }

// term is one analysed word: its stem, and the word it came from.
type term struct {
	stem, word string
}

// terms analyses text. Stop words are dropped after synonyms are merged, so
// a synonym of a stop word is dropped too.
func (a *analyzer) terms(s string) []term {
	ts, _ := a.analyse(s, false)
	return ts
}

// analyse reads text once into its terms and, when all is set, the stems
// of every word, stop words included (see all).
func (a *analyzer) analyse(s string, all bool) ([]term, []string) {
	ws := words(s)
	out := make([]term, 0, len(ws))
	var every []string
	if all {
		every = make([]string, 0, len(ws))
	}
	for _, w := range ws {
		if syn, ok := a.synonym[w]; ok {
			w = syn
		}
		if w == "" {
			continue
		}
		st := a.stem(w)
		if all {
			every = append(every, st)
		}
		if !a.stop[w] {
			out = append(out, term{stem: st, word: w})
		}
	}
	return out, every
}

// synonymOf is the word a synonym stands for, or the word itself.
func (a *analyzer) synonymOf(w string) string {
	if syn, ok := a.synonym[w]; ok {
		return syn
	}
	return w
}

// all analyses text keeping its stop words: the stems of every word, for
// phrases whose small words carry the meaning ("on her own", "take it
// on").
func (a *analyzer) all(s string) []string {
	_, every := a.analyse(s, true)
	return every
}

func (a *analyzer) stem(w string) string {
	if s, ok := a.stems[w]; ok {
		return s
	}
	s := english.Stem(w, false)
	if s == "" {
		s = w
	}
	return s
}

// bigram is the index term for two adjacent stems.
func bigram(a, b string) string { return a + "_" + b }
