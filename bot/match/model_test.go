package match

import (
	"os"
	"slices"
	"testing"
	"testing/fstest"

	"github.com/bathnes/signpost/knowledge"
)

// trained is the fixture base with the small bank of testdata/bank.
func trained(t testing.TB) *Matcher {
	t.Helper()
	fsys := fstest.MapFS{}
	for _, p := range []string{"kb/base.toml", "bank/bank.toml"} {
		data, err := os.ReadFile("testdata/" + p)
		if err != nil {
			t.Fatal(err)
		}
		fsys[p] = &fstest.MapFile{Data: data}
	}
	base, err := knowledge.Load(fsys)
	if err != nil {
		t.Fatalf("load fixture with bank: %v", err)
	}
	return New(base)
}

// top is the model's most likely class for q.
func top(ix *Matcher, q string) string {
	p := ix.predict(ix.reading(q))
	best := 0
	for i := range p {
		if p[i] > p[best] {
			best = i
		}
	}
	return ix.describe(best)
}

func TestModelLearnsTheBank(t *testing.T) {
	ix := trained(t)
	tests := []struct{ q, want string }{
		// Words only the bank has: no entry's text says them.
		{"the boozer might be sold", "pub-listing"},
		{"bobbies and motorbikes on the estate", "police-meetings"},
		{"our reading room needs volunteers", "village-libraries"},
		{"selling stakes in the bakery to neighbours", "shares"},
		{"will it rain at the weekend", "outside"},
		{"a banana bread recipe please", "outside"},
		// A misspelling is read by its letters.
		{"complian about my GP", "health-feedback"},
	}
	for _, tt := range tests {
		if got := top(ix, tt.q); got != tt.want {
			t.Errorf("model reads %q as %s; want %s", tt.q, got, tt.want)
		}
	}
}

func TestModelTrainsTheSameEveryTime(t *testing.T) {
	a, b := trained(t), trained(t)
	if !slices.Equal(a.model.w, b.model.w) || !slices.Equal(a.model.bias, b.model.bias) {
		t.Fatal("two trainings on one base gave different weights")
	}
}

func TestOutsideIsDeclinedNotOffered(t *testing.T) {
	ix := trained(t)
	for _, q := range []string{"will it rain tomorrow in the village", "recipe for a pub lunch pie"} {
		d := ix.Decide(q, 5)
		if d.Verdict == Answer || d.Verdict == Clarify {
			t.Errorf("Decide(%q) = %v with %v; want a decline", q, d.Verdict, d.Options)
		}
	}
}

// describe names a class of the model: an entry's id, or "outside".
func (ix *Matcher) describe(i int) string {
	if i == len(ix.base.Entries) {
		return "outside"
	}
	return ix.base.Entries[i].ID
}
