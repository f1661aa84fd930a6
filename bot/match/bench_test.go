package match

import (
	"strings"
	"testing"

	"github.com/BurntSushi/toml"
	"github.com/bathnes/signpost/knowledge"
)

// ownQuestions are the project's own question sets, every style: chat,
// staff shorthand, long letters, learners' English, needs in everyday
// words and everyday questions outside the toolkit.
func ownQuestions(b *testing.B) []string {
	var qs []string
	for _, f := range []string{"tune", "holdout", "blind"} {
		var set struct {
			Case []struct {
				Q string `toml:"q"`
			} `toml:"case"`
		}
		if _, err := toml.DecodeFile("../../testdata/own/"+f+".toml", &set); err != nil {
			b.Fatal(err)
		}
		for _, c := range set.Case {
			qs = append(qs, c.Q)
		}
	}
	return qs
}

// BenchmarkDecide decides the project's own questions on the real base.
func BenchmarkDecide(b *testing.B) {
	base, err := knowledge.Embedded()
	if err != nil {
		b.Fatal(err)
	}
	m := New(base)
	qs := ownQuestions(b)
	for i := 0; b.Loop(); i++ {
		m.Decide(qs[i%len(qs)], 5)
	}
	b.ReportMetric(float64(len(qs)), "questions")
}

// BenchmarkDecideWorstShape: the costliest shapes of a question found so
// far, at the 2,000 bytes a question is cut to: one long unknown word
// (typo correction), many short sentences (story and ask), and a long
// run of negations.
func BenchmarkDecideWorstShape(b *testing.B) {
	base, err := knowledge.Embedded()
	if err != nil {
		b.Fatal(err)
	}
	m := New(base)
	shapes := map[string]string{
		"long word": strings.Repeat("abcdefghij", 200),
		"sentences": strings.Repeat("Is it? ", 285),
		"negations": strings.Repeat("not about pact, ", 125),
		"words":     strings.Repeat("community asset transfer pub ", 68),
	}
	for name, q := range shapes {
		b.Run(name, func(b *testing.B) {
			for b.Loop() {
				m.Decide(q, 5)
			}
		})
	}
}
