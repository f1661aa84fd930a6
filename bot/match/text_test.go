package match

import (
	"fmt"
	"testing"
)

func TestWords(t *testing.T) {
	tests := []struct {
		in   string
		want []string
	}{
		{"e-bulletin", []string{"e", "bulletin", "ebulletin"}},
		{"B&NES", []string{"b", "nes", "bnes"}},
		{"we'd like £5,000", []string{"we", "like", "5000"}},
		{"council's", []string{"council"}},
	}
	for _, tt := range tests {
		if got := words(tt.in); fmt.Sprint(got) != fmt.Sprint(tt.want) {
			t.Errorf("words(%q) = %q; want %q", tt.in, got, tt.want)
		}
	}
}

func TestTypoCorrection(t *testing.T) {
	v := newVocabulary()
	for _, w := range []string{"library", "transfer", "pact", "right", "night"} {
		v.add(w, w)
	}
	rank := func(string) float64 { return 1 }
	tests := []struct {
		in, want string
		ok       bool
	}{
		{"libary", "library", true},   // missing letter
		{"librarry", "library", true}, // extra letter
		{"tranfer", "transfer", true},
		{"pcat", "pact", true},   // swap
		{"fight", "", false},     // would change the first letter
		{"2400", "", false},      // numbers are never typos
		{"pat", "", false},       // too short to guess
		{"libraryyy", "", false}, // two edits away
	}
	for _, tt := range tests {
		got, ok := v.correct(tt.in, rank)
		if got != tt.want || ok != tt.ok {
			t.Errorf("correct(%q) = %q, %v; want %q, %v", tt.in, got, ok, tt.want, tt.ok)
		}
	}
}
