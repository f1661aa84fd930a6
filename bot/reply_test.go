package bot

import (
	"strings"
	"testing"
)

// words is everything a reply says, one piece a line, for tests that ask
// whether an answer says something whatever the screen.
func words(a Answer) string {
	r := a.Reply()
	out := []string{r.Title, r.Lead}
	for _, b := range r.Blocks {
		out = append(out, b.Label, b.Text, b.Typed)
		for _, it := range b.Items {
			out = append(out, it.Name)
			out = append(out, it.Lines...)
		}
		for _, c := range b.Choices {
			out = append(out, c.Label)
		}
	}
	return strings.Join(out, "\n")
}

// TestLocalFactIsToldOnce: where a detail tells a local fact in full, a
// local answer shows it once, among the local facts.
func TestLocalFactIsToldOnce(t *testing.T) {
	b := newBot(t)
	a := ask(t, b, "participatory budgeting in Keynsham")
	if a.Entry == nil || a.Entry.ID != "participatory-budgeting" || a.Place == nil {
		t.Fatalf("got %v in %v; want participatory budgeting in Keynsham", a.Entry, a.Place)
	}
	text := words(a)
	if n := strings.Count(text, "participation day"); n != 1 {
		t.Errorf("the Keynsham pilot is told %d times:\n%s", n, text)
	}
	if !strings.Contains(a.Reply().Blocks[0].Items[0].Lines[0], "their views fed into the final decision") {
		t.Errorf("the local fact is not the fuller telling: %v", a.Reply().Blocks[0])
	}
	// A fact only partly in a detail stays as it is.
	if !tells("A pilot in Keynsham had groups put forward ideas", "Keynsham ran a pilot: groups put forward ideas") ||
		tells("Forums meet at Chew Valley and Keynsham", "An inter-agency forum meets in Keynsham.") {
		t.Error("tells is wrong about whether a detail tells a fact")
	}
}
