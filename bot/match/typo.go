package match

import (
	"strings"
	"unicode/utf8"
)

// vocabulary corrects misspelt words against the words the knowledge base
// itself uses. It is a symmetric-delete index: every word is stored under
// itself and each form with one letter deleted, so a lookup of a typo and
// its own one-letter deletions finds every word within one edit (insert,
// delete, substitute or swap) in a handful of map reads, whatever the size
// of the vocabulary. sahilm/fuzzy forgives only missing letters and must
// scan every word, so it serves autocomplete, not this hot path.
type vocabulary struct {
	words   map[string]string   // word -> stem
	deletes map[string][]string // word with one letter deleted -> words
	// longest is the longest word's length in runes: a word two letters
	// longer is no typo of any, and is not looked up (a 2,000-byte "word"
	// would cost a map read for each of its 2,000 deletions).
	longest int
}

func newVocabulary() *vocabulary {
	return &vocabulary{words: map[string]string{}, deletes: map[string][]string{}}
}

// minTypoLen is the shortest word corrected: short words have too many
// neighbours one edit away ("bin", "big", "bid") to guess between.
const minTypoLen = 4

func (v *vocabulary) add(word, stem string) {
	if _, ok := v.words[word]; ok {
		return
	}
	v.words[word] = stem
	n := len([]rune(word))
	v.longest = max(v.longest, n)
	if n < minTypoLen {
		return
	}
	for _, d := range deletions(word) {
		v.deletes[d] = append(v.deletes[d], word)
	}
}

func deletions(w string) []string {
	rs := []rune(w)
	out := make([]string, 0, len(rs))
	for i := range rs {
		out = append(out, string(rs[:i])+string(rs[i+1:]))
	}
	return out
}

// correct returns the stem of the vocabulary word one edit from w that
// starts with the same letter. Typos rarely change the first letter, and
// without that rule real words become false matches ("night" for "right",
// "rain" for "main"). Numbers are never corrected. Among
// several, rank picks the one the knowledge base uses most (the caller
// passes document frequency); ties go to the alphabetically first so the
// answer never depends on map order.
func (v *vocabulary) correct(w string, rank func(stem string) float64) (string, bool) {
	if n := utf8.RuneCountInString(w); n < minTypoLen || n > v.longest+1 || strings.ContainsAny(w, "0123456789") {
		return "", false
	}
	first, _ := utf8.DecodeRuneInString(w)
	seen := map[string]bool{}
	var cands []string
	consider := func(c string) {
		if r, _ := utf8.DecodeRuneInString(c); r == first && !seen[c] && c != w && Distance(w, c) == 1 {
			seen[c] = true
			cands = append(cands, c)
		}
	}
	for _, c := range v.deletes[w] { // w is missing a letter
		consider(c)
	}
	for _, d := range deletions(w) {
		if _, ok := v.words[d]; ok { // w has an extra letter
			consider(d)
		}
		for _, c := range v.deletes[d] { // substitution or swap
			consider(c)
		}
	}
	best, bestRank := "", -1.0
	for _, c := range cands {
		r := rank(v.words[c])
		if r > bestRank || r == bestRank && c < best {
			best, bestRank = c, r
		}
	}
	if best == "" {
		return "", false
	}
	return v.words[best], true
}

// Distance is the optimal string alignment distance: Levenshtein plus
// swaps of adjacent letters ("pcat" for "pact").
func Distance(a, b string) int {
	ra, rb := []rune(a), []rune(b)
	n, m := len(ra), len(rb)
	d := make([][]int, n+1)
	for i := range d {
		d[i] = make([]int, m+1)
		d[i][0] = i
	}
	for j := 0; j <= m; j++ {
		d[0][j] = j
	}
	for i := 1; i <= n; i++ {
		for j := 1; j <= m; j++ {
			cost := 1
			if ra[i-1] == rb[j-1] {
				cost = 0
			}
			d[i][j] = min(d[i-1][j]+1, d[i][j-1]+1, d[i-1][j-1]+cost)
			if i > 1 && j > 1 && ra[i-1] == rb[j-2] && ra[i-2] == rb[j-1] {
				d[i][j] = min(d[i][j], d[i-2][j-2]+1)
			}
		}
	}
	return d[n][m]
}
