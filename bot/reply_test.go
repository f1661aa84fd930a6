package bot

import (
	"strings"
	"testing"

	"github.com/bathnes/signpost/knowledge"
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

// TestEveryRouteNamedSaysItsStatus: wherever a reply names an entry that
// has ended, was only proposed or may have ended (a button, a list), the
// reader is told so.
func TestEveryRouteNamedSaysItsStatus(t *testing.T) {
	b := newBot(t)
	base := b.Base()
	var answers []Answer
	for _, q := range []string{"funding routes", "menu", "core offer"} {
		answers = append(answers, ask(t, b, q))
	}
	for _, e := range base.Entries {
		answers = append(answers, ask(t, b, About(e.ID)))
	}
	checked := 0
	for _, a := range answers {
		for _, blk := range a.Reply().Blocks {
			var named []string
			for _, c := range blk.Choices {
				named = append(named, c.Label)
			}
			for _, it := range blk.Items {
				if blk.Part == Bullets { // Fields name guides and teams, not entries
					named = append(named, it.Lines...)
				}
			}
			for _, n := range named {
				for _, e := range base.Entries {
					if n == e.Title && e.Status != knowledge.Current {
						t.Errorf("%q is named with no word on its status (%s)", n, e.Status)
					}
					if strings.HasPrefix(n, e.Title+" (") && e.Status != knowledge.Current {
						checked++
					}
				}
			}
		}
	}
	if checked == 0 {
		t.Fatal("no entry that is not current was named anywhere; the test checks nothing")
	}
}

// TestTheWordsThatLeaveATerminal: what the greeting says to type ends the
// session, in any case and with spaces round it; a question does not.
func TestTheWordsThatLeaveATerminal(t *testing.T) {
	t.Parallel()
	tests := []struct {
		line string
		want bool
	}{
		{Quit, true}, {" Quit ", true}, {"exit", true}, {"bye", true},
		{"quit smoking groups", false}, {"", false},
	}
	for _, tt := range tests {
		if got := Leaves(tt.line); got != tt.want {
			t.Errorf("Leaves(%q) = %v; want %v", tt.line, got, tt.want)
		}
	}
	if g := Greeting(53).Lead; !strings.Contains(g, " "+Quit+" ") || !strings.Contains(g, "53 entries") {
		t.Errorf("Greeting(53) = %q; want it to say how many entries and to type %s", g, Quit)
	}
}
