package bot

import (
	"context"
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/bathnes/signpost/knowledge"
)

// benchQuestions are a few hundred realistic questions: every phrasing and
// alias of the knowledge base, put as people put them, plus off-topic ones.
func benchQuestions(base *knowledge.Base) []string {
	var qs []string
	frames := []string{"%s", "how do we %s?", "hi, is there anything about %s round here? thanks", "caller asking about %s in Radstock"}
	for i, e := range base.Entries {
		for j, p := range append(e.Phrasings, e.Aliases...) {
			qs = append(qs, fmt.Sprintf(frames[(i+j)%len(frames)], p))
		}
	}
	return append(qs, "when is my bin collected", "will it rain in Bath", "xyzzy", "")
}

func BenchmarkAsk(b *testing.B) {
	bt := newBot(b)
	qs := benchQuestions(bt.Base())
	askInTurn(b, bt, qs)
	b.ReportMetric(float64(len(qs)), "questions")
}

// askInTurn has bt answer qs one after another, round and round, for as
// long as b runs; b.Loop leaves the setup before it out of the time.
func askInTurn(b *testing.B, bt *Bot, qs []string) {
	ctx := context.Background()
	for i := 0; b.Loop(); i++ {
		if _, err := bt.Answer(ctx, Question{Text: qs[i%len(qs)]}); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkAskWorst8KB answers the costliest shapes found, sent at 8 KB:
// the core cuts a question to 2,000 bytes before reading it, so this is
// the most one message can cost.
func BenchmarkAskWorst8KB(b *testing.B) {
	bt := newBot(b)
	ctx := context.Background()
	for name, unit := range map[string]string{"negations": "not about pact, ", "words": "community asset transfer pub ",
		"sentences": "Is it? ", "long word": "abcdefghij"} {
		q := strings.Repeat(unit, 8192/len(unit))
		b.Run(name, func(b *testing.B) {
			for b.Loop() {
				if _, err := bt.Answer(ctx, Question{Text: q}); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkAsk10k answers over a synthetic base of 10,000 entries, to show
// cost grows with the matches, not the size of the base.
func BenchmarkAsk10k(b *testing.B) {
	qs := benchQuestions(newBot(b).Base())
	askInTurn(b, New(syntheticBase(b, 10000)), qs)
}

func BenchmarkIndexBuild(b *testing.B) {
	base, err := knowledge.Embedded()
	if err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		New(base)
	}
}

// syntheticBase builds n entries from the real base's vocabulary, so term
// frequencies look like a real, much larger toolkit.
func syntheticBase(tb testing.TB, n int) *knowledge.Base {
	tb.Helper()
	real, err := knowledge.Embedded()
	if err != nil {
		tb.Fatal(err)
	}
	var vocab []string
	for _, e := range real.Entries {
		vocab = append(vocab, strings.Fields(e.Summary)...)
	}
	r := rand.New(rand.NewPCG(1, 2))
	pick := func(k int) string {
		ws := make([]string, k)
		for i := range ws {
			ws[i] = strings.Trim(vocab[r.IntN(len(vocab))], `.,;:'"()`)
		}
		return strings.Join(ws, " ")
	}
	var b strings.Builder
	b.WriteString("[[source]]\nid = \"000\"\nfile = \"x\"\ntitle = \"x\"\ndate = \"2013-05\"\n")
	for i := range n {
		fmt.Fprintf(&b, "[[entry]]\nid = \"e%d\"\nkinds = [\"project\"]\ntitle = %q\nsummary = %q\naliases = [%q, %q]\nphrasings = [%q, %q]\nstatus = \"current\"\nas_of = \"2013\"\nsources = [\"000\"]\n",
			i, pick(4), pick(30), pick(2), pick(3), pick(8), pick(8))
	}
	base, err := knowledge.Load(fstest.MapFS{"kb.toml": &fstest.MapFile{Data: []byte(b.String())}})
	if err != nil {
		tb.Fatal(err)
	}
	return base
}

// BenchmarkSuggest is one autocomplete keystroke: Discord asks on every
// one, and wants the answer within 3 seconds.
func BenchmarkSuggest(b *testing.B) {
	bt := newBot(b)
	typed := []string{"a", "ac", "acv", "village ag", "participatory budg", "community", ""}
	for i := 0; b.Loop(); i++ {
		bt.Suggest(typed[i%len(typed)], 25)
	}
}
