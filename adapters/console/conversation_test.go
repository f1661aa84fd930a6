package console

import (
	"bytes"
	"context"
	"fmt"
	"log/slog"
	"strings"
	"testing"

	"github.com/bathnes/signpost/bot"
	"github.com/bathnes/signpost/internal/chattest"
	"github.com/bathnes/signpost/internal/clip"
)

// chat types lines into one terminal conversation and returns what each
// turn printed, with its wrapping undone (words joined by single spaces,
// paragraphs kept apart by a blank line), so a test reads words, not
// where a line broke.
func chat(t *testing.T, b *bot.Bot, lines ...string) []string {
	t.Helper()
	var turns []string
	for _, line := range lines {
		var out bytes.Buffer
		if err := New(b, strings.NewReader(line+"\n"), &out, "", slog.New(slog.DiscardHandler)).Run(context.Background()); err != nil {
			t.Fatal(err)
		}
		var pars []string
		for _, p := range strings.Split(out.String(), "\n\n") {
			if p = strings.Join(strings.Fields(p), " "); p != "" {
				pars = append(pars, p)
			}
		}
		turns = append(turns, strings.Join(pars, "\n\n"))
	}
	return turns
}

// title is the title of the entry with id, as an answer heads it.
func title(t *testing.T, b *bot.Bot, id string) string {
	t.Helper()
	e, ok := b.Base().Entry(id)
	if !ok {
		t.Fatalf("no entry %q", id)
	}
	return e.Title
}

// section is the paragraph of a reply that starts with heading, or "".
func section(reply, heading string) string {
	for _, p := range strings.Split(reply, "\n\n") {
		if strings.HasPrefix(p, heading) {
			return p
		}
	}
	return ""
}

// notice is what an answer says when the documents give nothing for a
// place in particular.
func notice(place string) string {
	return "The documents give nothing about this for " + place + " in particular"
}

// TestFollowUpPhrasingsKeepTheTopic: after an answer, each way of asking
// more about it is answered with the same entry, for the place it names
// if it names one; a message that names something new is a new question.
func TestFollowUpPhrasingsKeepTheTopic(t *testing.T) {
	t.Parallel()
	for _, first := range []struct{ ask, id string }{
		{"who runs PACT", "pact"},
		{"how do we list our pub", "assets-of-community-value"},
		{"tell me about the Ward Councillors Initiative", "ward-councillors-initiative"},
	} {
		for _, p := range chattest.FollowUps {
			t.Run(first.id+"/"+p.Say, func(t *testing.T) {
				t.Parallel()
				b := chattest.Bot()
				want := title(t, b, first.id)
				turns := chat(t, b, first.ask, p.Say)
				if !strings.HasPrefix(turns[0], want) {
					t.Fatalf("%q answered %q; want %s", first.ask, clip.Runes(turns[0], 160), want)
				}
				if !strings.HasPrefix(turns[1], want) {
					t.Errorf("%q then %q answered %q; want %s again", first.ask, p.Say, clip.Runes(turns[1], 160), want)
				}
				if p.Place != "" && !strings.Contains(turns[1], p.Place) {
					t.Errorf("%q then %q: the answer does not name %s:\n%s", first.ask, p.Say, p.Place, turns[1])
				}
			})
		}
	}
	t.Run("something new is a new question", func(t *testing.T) {
		t.Parallel()
		b := chattest.Bot()
		turns := chat(t, b, "how do we list our pub", "what about the snow wardens", "who runs PACT")
		if want := title(t, b, "active-community-roles"); !strings.HasPrefix(turns[1], want) {
			t.Errorf("what about the snow wardens: %q; want %s", clip.Runes(turns[1], 160), want)
		}
		if want := title(t, b, "pact"); !strings.HasPrefix(turns[2], want) {
			t.Errorf("who runs PACT: %q; want %s", clip.Runes(turns[2], 160), want)
		}
	})
	t.Run("after a council service", func(t *testing.T) {
		t.Parallel()
		turns := chat(t, chattest.Bot(), "bins in Peasedown", "who do I ring about that")
		if !strings.Contains(turns[1], "council service (Bins") {
			t.Errorf("who do I ring about that, after bins: %q; want the bins service again", clip.Runes(turns[1], 160))
		}
	})
}

// TestAPlaceSaidOnceDoesNotStick: a place named in one question leads
// only that question and its follow-ups; later questions that name no
// place are answered generally, and a place's "nothing here in
// particular" is said once to a conversation unless asked again by name.
func TestAPlaceSaidOnceDoesNotStick(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name  string
		say   []string
		place string
		// with are the turns (by index) that must name the place's
		// notice; every other turn must not mention the place at all.
		with []int
	}{
		{"a service question's place", []string{"bins in Peasedown", "who runs PACT", "how do we list our pub", "what is participatory budgeting"}, "Peasedown", nil},
		{"a question's place and its follow-ups", []string{"how do we list our pub in Peasedown", "who do I ring about that", "how do we start", "who runs PACT", "what is a village agent"}, "Peasedown", []int{0}},
		{"asked again by name", []string{"how do we list our pub in Peasedown", "who runs PACT", "and in Peasedown?"}, "Peasedown", []int{0, 2}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			turns := chat(t, chattest.Bot(), tt.say...)
			for i, got := range turns {
				want := false
				for _, w := range tt.with {
					want = want || w == i
				}
				if i == 0 && tt.with == nil {
					continue // the question that names the place
				}
				if has := strings.Contains(got, notice(tt.place)) || strings.Contains(got, tt.place+" St John"); has != want {
					t.Errorf("turn %d %q: mentions %s %v; want %v\n%s", i, tt.say[i], tt.place, has, want, got)
				}
			}
		})
	}
}

// TestAStatedAreaLeadsButItsNoticeIsSaidOnce: where the asker says they
// are leads every answer with what the documents say there; that they
// say nothing there in particular is said once, and again only when the
// asker asks about "here".
func TestAStatedAreaLeadsButItsNoticeIsSaidOnce(t *testing.T) {
	t.Parallel()
	turns := chat(t, chattest.Bot(), "we're based in Keynsham", "what is participatory budgeting", "how do we list our pub",
		"who runs PACT", "what is a village agent", "who runs PACT here")
	if !strings.Contains(turns[0], "Noted: you are in Keynsham") {
		t.Errorf("we're based in Keynsham: %q; want it noted", turns[0])
	}
	if !strings.Contains(turns[1], "In Keynsham") {
		t.Errorf("participatory budgeting lacks what the documents say for Keynsham:\n%s", turns[1])
	}
	n := 0
	for _, got := range turns[2:5] {
		n += strings.Count(got, notice("Keynsham"))
	}
	if n != 1 {
		t.Errorf("Keynsham's notice said %d times over three questions; want once", n)
	}
	if !strings.Contains(turns[5], notice("Keynsham")) {
		t.Errorf("who runs PACT here: no word for Keynsham:\n%s", turns[5])
	}
}

// TestAQuestionAfterAnyPromptIsAnswered: whatever signpost asked last
// (which area, a finder step, a choice between entries), a question is
// answered as a question.
func TestAQuestionAfterAnyPromptIsAnswered(t *testing.T) {
	t.Parallel()
	prompts := []struct {
		name string
		say  []string
		// asked is in the prompt's turn, to show the prompt was put.
		asked string
	}{
		{"which area", []string{"who runs PACT here"}, "Which area are you in?"},
		{"which area, asked again", []string{"who runs PACT here", "banana"}, "Sorry, I did not catch a place"},
		{"finder who", []string{"funding"}, "Who is applying?"},
		{"finder what", []string{"funding", "a parish council"}, "What is it for?"},
		{"finder how much", []string{"funding", "skip", "skip"}, "Roughly how much do you need?"},
		{"finder where", []string{"funding", "skip", "skip", "skip"}, "Where is it?"},
		{"finder, a sum noted", []string{"funding", "about £2,000"}, "Noted: under £5,000"},
		{"a choice between entries", []string{"plan"}, bot.Choose},
	}
	questions := []struct{ ask, id string }{
		{"how do we list our pub", "assets-of-community-value"},
		{"who runs PACT in Radstock", "pact"},
		{"is Big Local still going?", "big-local"},
	}
	for _, p := range prompts {
		for _, q := range questions {
			t.Run(p.name+"/"+q.ask, func(t *testing.T) {
				t.Parallel()
				b := chattest.Bot()
				turns := chat(t, b, append(p.say, q.ask)...)
				if !strings.Contains(turns[len(p.say)-1], p.asked) {
					t.Fatalf("after %q: %q; want %q asked", p.say, clip.Runes(turns[len(p.say)-1], 160), p.asked)
				}
				if want := title(t, b, q.id); !strings.HasPrefix(turns[len(p.say)], want) {
					t.Errorf("%q after %q: %q; want %s", q.ask, p.asked, clip.Runes(turns[len(p.say)], 160), want)
				}
			})
		}
	}
}

// TestSumsAtEveryFinderStep: at each of the finder's four steps, a sum
// in any of the ways people write one is kept, said back when it answers
// a later step, and restated in the result; no step takes it for a
// command or a question.
func TestSumsAtEveryFinderStep(t *testing.T) {
	t.Parallel()
	steps := []string{"Who is applying?", "What is it for?", "Roughly how much do you need?", "Where is it?"}
	for step := range steps {
		for _, s := range chattest.Sums {
			t.Run(fmt.Sprintf("step %d/%s", step+1, s.Say), func(t *testing.T) {
				t.Parallel()
				say := []string{"funding"}
				for range step {
					say = append(say, "skip")
				}
				// The sum, then every step left skipped.
				say = append(say, s.Say, "skip", "skip", "skip")
				turns := chat(t, chattest.Bot(), say...)
				got := turns[step+1]
				if step != 2 && !strings.Contains(got, "Noted: "+s.Band+". "+steps[step]) {
					t.Fatalf("%q at %q: %q; want it noted as %s and the step asked again", s.Say, steps[step], clip.Runes(got, 160), s.Band)
				}
				if step == 2 && !strings.Contains(got, steps[3]) {
					t.Fatalf("%q at %q: %q; want the next step", s.Say, steps[step], clip.Runes(got, 160))
				}
				result := ""
				for _, turn := range turns[step+1:] {
					if strings.HasPrefix(turn, "Funding routes") {
						result = turn
						break
					}
				}
				if !strings.Contains(section(result, "Funding routes"), s.Band+".") {
					t.Errorf("result after %q at step %d: %q; want it for %s", s.Say, step+1, clip.Runes(result, 160), s.Band)
				}
			})
		}
	}
}

// TestFinderRules: the finder's rules as a volunteer meets them.
func TestFinderRules(t *testing.T) {
	t.Parallel()
	fits := func(reply string) string { return section(reply, "These fit:") }
	almost := func(reply string) string { return section(reply, "These almost fit:") }
	raise := func(reply string) string { return section(reply, "Ways to raise money yourselves") }
	last := func(turns []string) string { return turns[len(turns)-1] }

	t.Run("a £250,000 building is no small local project", func(t *testing.T) {
		t.Parallel()
		got := last(chat(t, chattest.Bot(), "we want to buy the old chapel for about £250,000"))
		if strings.Contains(fits(got), "Ward Councillors Initiative") {
			t.Errorf("the Ward Councillors Initiative fits a £250,000 building:\n%s", fits(got))
		}
		if a := almost(got); !strings.Contains(a, "Ward Councillors Initiative: small local project funding. Not quite: the documents call it investment in small local projects") {
			t.Errorf("no reason why the Ward Councillors Initiative does not fit:\n%s", a)
		}
	})
	t.Run("a small local project fits the Ward Councillors Initiative", func(t *testing.T) {
		t.Parallel()
		got := last(chat(t, chattest.Bot(), "funding", "a community group", "benches for the green", "about £2,000", "Bath"))
		if !strings.Contains(fits(got), "Ward Councillors Initiative") {
			t.Errorf("benches for £2,000: the Ward Councillors Initiative does not fit:\n%s", got)
		}
	})
	t.Run("Big Local is for residents of Radstock and Westfield", func(t *testing.T) {
		t.Parallel()
		tests := []struct {
			say  []string
			fits bool
			why  string
		}{
			{[]string{"funding", "residents", "an event", "under 5k", "Radstock"}, true, "available in Radstock"},
			{[]string{"funding", "residents", "an event", "under 5k", "Westfield"}, true, "available in Westfield"},
			{[]string{"funding", "residents", "an event", "under 5k", "Keynsham"}, false, "it is only in Radstock and Westfield"},
			{[]string{"funding", "a business", "an event", "under 5k", "Radstock"}, false, "it is for"},
		}
		for _, tt := range tests {
			got := last(chat(t, chattest.Bot(), tt.say...))
			if in := strings.Contains(fits(got), "Big Local"); in != tt.fits {
				t.Errorf("%q: Big Local fits %v; want %v\n%s", tt.say, in, tt.fits, got)
			}
			if !strings.Contains(got, tt.why) {
				t.Errorf("%q: no %q\n%s", tt.say, tt.why, got)
			}
		}
	})
	t.Run("share offers are ways to raise money yourselves", func(t *testing.T) {
		t.Parallel()
		for _, say := range [][]string{
			{"we are a community group wanting around 250k of funding for solar panels"},
			{"we're a community group wanting about £100k to buy the pub"},
			{"funding", "neighbours", "a small grant for a street party", "skip", "skip"},
		} {
			got := last(chat(t, chattest.Bot(), say...))
			for _, name := range []string{"Community Share Offers", "Community energy (Bath"} {
				if strings.Contains(fits(got), name) {
					t.Errorf("%q: %s listed under These fit:\n%s", say, name, fits(got))
				}
			}
			if r := raise(got); r != "" && !strings.Contains(r, "not funds to apply to") {
				t.Errorf("%q: ways to raise money are not set apart: %s", say, r)
			}
		}
		got := last(chat(t, chattest.Bot(), "we are a community group wanting around 250k of funding for solar panels"))
		if r := raise(got); !strings.Contains(r, "Community Share Offers") || !strings.Contains(r, "Community energy (Bath") {
			t.Errorf("solar panels for £250k: share offers and the energy society's share issue not listed apart:\n%s", got)
		}
	})
	t.Run("a chapel, hall, pub, shop or library is a building", func(t *testing.T) {
		t.Parallel()
		for _, thing := range []string{"buy the old chapel", "repair the village hall", "save our pub", "take over the shop", "run the library"} {
			turns := chat(t, chattest.Bot(), "funding", "a community group", thing, "skip", "skip")
			if got := last(turns); !strings.Contains(section(got, "Funding routes"), "for a building or land") {
				t.Errorf("%q is not read as a building: %q", thing, clip.Runes(got, 160))
			}
			if strings.Contains(fits(last(turns)), "Community energy") {
				t.Errorf("%q: community energy fits a building", thing)
			}
		}
	})
}
