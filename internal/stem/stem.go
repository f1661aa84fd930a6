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
// without the surprises of a full Porter stemmer on place names.
func Word(w string) string {
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
