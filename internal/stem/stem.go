// Package stem folds a word's common English endings, so that a search
// for local services finds "club" in "clubs" and "befriend" in
// "befriending". One package, because the directory's index and the
// core's check that a service fits a question must fold words alike: two
// copies had drifted, and the check turned away services the index had
// rightly found ("swim" in "swimming", "lunch" in "lunches").
package stem

import "strings"

// Word is a light stem of a lower-case word: enough that "clubs" finds
// "club", "befriending" finds "befriend" and "families" finds "family",
// without the surprises of a full Porter stemmer on place names. Accents
// are folded first: people type "cafe" for a record's "café".
func Word(w string) string {
	for i := 0; i < len(w); i++ {
		if w[i] >= 0x80 {
			w = unaccent.Replace(w)
			break
		}
	}
	n := len(w)
	switch {
	case n > 5 && strings.HasSuffix(w, "ies"):
		return w[:n-3] + "y"
	case n > 5 && strings.HasSuffix(w, "ing"):
		w = w[:n-3]
		if l := len(w); l > 2 && w[l-1] == w[l-2] && !strings.ContainsRune("lsz", rune(w[l-1])) {
			w = w[:l-1]
		}
		return w
	case n > 4 && (strings.HasSuffix(w, "sses") || strings.HasSuffix(w, "shes") || strings.HasSuffix(w, "ches") || strings.HasSuffix(w, "xes")):
		return w[:n-2]
	case n > 3 && strings.HasSuffix(w, "s") && !strings.HasSuffix(w, "ss") && !strings.HasSuffix(w, "us") && !strings.HasSuffix(w, "is"):
		return w[:n-1]
	}
	return w
}

// unaccent folds the accented letters of words English borrows, and of
// Welsh, French and other names, to their plain letters.
var unaccent = strings.NewReplacer(
	"à", "a", "á", "a", "â", "a", "ä", "a", "ã", "a", "å", "a", "ç", "c",
	"è", "e", "é", "e", "ê", "e", "ë", "e", "ì", "i", "í", "i", "î", "i", "ï", "i",
	"ñ", "n", "ò", "o", "ó", "o", "ô", "o", "ö", "o", "õ", "o",
	"ù", "u", "ú", "u", "û", "u", "ü", "u", "ý", "y", "ÿ", "y", "ŵ", "w", "ŷ", "y")
