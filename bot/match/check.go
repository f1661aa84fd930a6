package match

import (
	"fmt"
	"strings"

	"github.com/bathnes/signpost/knowledge"
)

// Check reports phrases of the knowledge base that do not read the way
// their editor meant. A service phrase is matched on its words that are
// not stop words, so "find dentist" is read as "dentist" and would send
// every question about dentists, Healthwatch's included, to the service.
// `signpost kb check` runs it after the loader's checks.
func Check(base *knowledge.Base) []string {
	an := newAnalyzer(base.Language)
	var probs []string
	for _, s := range base.Services {
		for _, p := range append(append([]string(nil), s.Phrases...), s.Always...) {
			ts := an.terms(p)
			if n := len(strings.Fields(p)); n > 1 && len(ts) < 2 {
				var read []string
				for _, t := range ts {
					read = append(read, t.word)
				}
				probs = append(probs, fmt.Sprintf("service %q: phrase %q reads as %q: its other words are stop words, so it matches far more than it says",
					s.Name, p, strings.Join(read, " ")))
			}
		}
	}
	for _, c := range base.Concepts {
		for _, p := range c.Phrases {
			if len(an.all(p)) == 0 {
				probs = append(probs, fmt.Sprintf("concept %q: phrase %q has no words", c.Name, p))
			}
		}
	}
	return probs
}
