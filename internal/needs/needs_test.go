package needs

import (
	"slices"
	"strings"
	"testing"
)

// TestTheTableReads: the embedded table parses, with no word asked on two
// lines (the second line would be silently lost).
func TestTheTableReads(t *testing.T) {
	if _, err := parse(words); err != nil {
		t.Fatal(err)
	}
	for _, bad := range []string{"teen youth", "= youth", "teen =", "teen = youth\nteenager teen = young"} {
		if _, err := parse(bad); err == nil {
			t.Errorf("parse(%q) = nil error; want one naming the line", bad)
		}
	}
}

// TestEverydayWordsReachRecordWords: what people say reaches the words
// records use, and not the other way.
func TestEverydayWordsReachRecordWords(t *testing.T) {
	tests := []struct {
		asked       string
		has, hasNot []string
	}{
		{"teenager", []string{"teenager", "youth", "young"}, nil},
		{"tablet", []string{"digital", "computer"}, nil},
		{"hungry", []string{"food", "pantry", "foodbank"}, []string{"lunch"}},
		{"lunch", []string{"lunch", "meal"}, []string{"food"}},
		{"meal", []string{"lunch"}, nil},
		{"lonely", []string{"befriend", "friendship"}, nil},
		{"warm", []string{"warmth"}, nil},
		{"xyzzy", []string{"xyzzy"}, []string{"youth"}},
	}
	for _, tt := range tests {
		got := Alternatives(tt.asked)
		if got[0] != tt.asked {
			t.Errorf("Alternatives(%q) = %q; want %q first", tt.asked, got, tt.asked)
		}
		for _, w := range tt.has {
			if !slices.Contains(got, w) {
				t.Errorf("Alternatives(%q) = %q; want it to hold %q", tt.asked, got, w)
			}
		}
		for _, w := range tt.hasNot {
			if slices.Contains(got, w) {
				t.Errorf("Alternatives(%q) = %q; want no %q", tt.asked, got, w)
			}
		}
	}
	if got := strings.Join(Alternatives("youth"), " "); strings.Contains(got, "child") {
		t.Errorf("Alternatives(youth) = %s; a youth club is not for children", got)
	}
}
