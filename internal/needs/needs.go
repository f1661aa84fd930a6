// Package needs says which words a directory's records may use for a need
// a person names in their own words: "teenagers" may be a "youth" club,
// "free food" a "pantry", help with "a tablet" "digital" help. The core
// widens what a question needs by it, and a directory searches the
// widened words, so both agree on what a service must hold to answer.
//
// The table is data (words.txt), one way on purpose: a person asking
// for lunch may want a meal, but a record of a meal need not be a lunch
// club.
package needs

import (
	_ "embed"
	"fmt"
	"slices"
	"strings"
	"sync"

	"github.com/bathnes/signpost/internal/stem"
)

//go:embed words.txt
var words string

// Alternatives are the stems a record may use for the need stem w names,
// w first; just w when the table has no line for it.
func Alternatives(w string) []string {
	if alts, ok := table()[w]; ok {
		return alts
	}
	return []string{w}
}

// Listed reports whether stem w is a word of the table, on either side:
// a word people use for a need, or records do.
func Listed(w string) bool { return listed()[w] }

var listed = sync.OnceValue(func() map[string]bool {
	set := map[string]bool{}
	for w, alts := range table() {
		set[w] = true
		for _, a := range alts {
			set[a] = true
		}
	}
	return set
})

var table = sync.OnceValue(func() map[string][]string {
	t, err := parse(words)
	if err != nil {
		panic(err) // the embedded table; needs_test.go parses it first
	}
	return t
})

// parse reads the table: lines "asked = recorded", # comments, blank
// lines. Every word is stemmed; an asked word maps to itself, then the
// words on both sides of its line.
func parse(text string) (map[string][]string, error) {
	t := map[string][]string{}
	for n, line := range strings.Split(text, "\n") {
		line, _, _ = strings.Cut(line, "#")
		if strings.TrimSpace(line) == "" {
			continue
		}
		asked, recorded, ok := strings.Cut(line, "=")
		if !ok || strings.TrimSpace(asked) == "" || strings.TrimSpace(recorded) == "" {
			return nil, fmt.Errorf("needs: words.txt:%d: want \"asked words = recorded words\"", n+1)
		}
		left, right := stems(asked), stems(recorded)
		line := map[string]bool{}
		for _, w := range left {
			if line[w] {
				continue // "teen" and "teens" are one stem
			}
			line[w] = true
			if _, dup := t[w]; dup {
				return nil, fmt.Errorf("needs: words.txt:%d: %q is asked on an earlier line", n+1, w)
			}
			alts := []string{w}
			for _, a := range append(slices.Clone(left), right...) {
				if !slices.Contains(alts, a) {
					alts = append(alts, a)
				}
			}
			t[w] = slices.Clip(alts)
		}
	}
	return t, nil
}

func stems(s string) []string {
	var out []string
	for _, w := range strings.Fields(strings.ToLower(s)) {
		out = append(out, stem.Word(w))
	}
	return out
}
