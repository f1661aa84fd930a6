package bot

import (
	"context"
	"encoding/json"
	"reflect"
	"slices"
	"strings"
	"testing"
)

// placedDirectory is fakeDirectory reading places as a directory does:
// outward codes and a ward the knowledge base does not know.
type placedDirectory struct{ *fakeDirectory }

func (placedDirectory) PlaceIn(text string) (string, bool) {
	for _, w := range []string{"BA2", "BS31", "Twerton"} {
		if slices.Contains(strings.Fields(placeWords(text)), strings.ToLower(w)) {
			return w, true
		}
	}
	return "", false
}

func (placedDirectory) TownOf(place string) string {
	if place == "Twerton" {
		return "Bath"
	}
	return ""
}

// TestFollowUpsToServicesSearchAgainOrSayThemAgain: after services are
// listed, another day or place searches the directory again for the same
// need (a day keeps only services meeting on it); asking when, how much
// or who to ring lists them again; a new question is answered as one, and
// it or a command ends the services' topic. Each turn is one
// conversation's, in order.
func TestFollowUpsToServicesSearchAgainOrSayThemAgain(t *testing.T) {
	b, f := localBot(t)
	b.UseDirectory(placedDirectory{f})
	ctx := context.Background()
	for _, tt := range []struct {
		say        string
		kind       Kind
		need, near string // what the directory was asked for, and near where
		day        string // "" for any day
	}{
		{"is there a lunch club near BA2", Local, "is there a lunch club near", "BA2", ""},
		{"what time does it start", Local, "is there a lunch club near", "BA2", ""},
		{"how much is it?", Local, "is there a lunch club near", "BA2", ""},
		{"what about on a Friday", Local, "is there a lunch club near", "BA2", "Friday"},
		{"and in Keynsham?", Local, "is there a lunch club near", "Keynsham", "Friday"},
		{"near BS31 on thursdays", Local, "is there a lunch club near", "BS31", "Thursday"},
		{"we're in Twerton", Local, "is there a lunch club near", "Twerton", "Thursday"},
		{"who do I ring about that", Local, "is there a lunch club near", "Twerton", "Thursday"},
		{"who runs PACT meetings", Matched, "", "", ""},
		{"and in Keynsham?", Matched, "", "", ""},
		{"what about on a Friday", Unsure, "", "", ""},
		{"lunch club BA2", Local, "lunch club", "BA2", ""},
		{"help", Help, "", "", ""},
		{"how much is it", Empty, "", "", ""},
	} {
		before := len(f.queries())
		a, err := b.Answer(ctx, Question{Text: tt.say, Conversation: "c"})
		if err != nil {
			t.Fatal(err)
		}
		if a.Kind != tt.kind {
			t.Errorf("%q: kind %v; want %v", tt.say, a.Kind, tt.kind)
		}
		qs := f.queries()[before:]
		if tt.kind != Local {
			continue
		}
		if len(qs) != 1 {
			t.Errorf("%q: the directory was asked %d times; want once", tt.say, len(qs))
			continue
		}
		q := qs[0]
		if tt.say == "is there a lunch club near BA2" || tt.say == "lunch club BA2" {
			continue // a question, as it was put
		}
		day := ""
		if q.OnDay {
			day = q.Day.String()
		}
		if q.Text != tt.need || q.Place != tt.near || day != tt.day {
			t.Errorf("%q: asked for %q near %q on %q; want %q near %q on %q", tt.say, q.Text, q.Place, day, tt.need, tt.near, tt.day)
		}
	}
}

// TestEveryPartOfAConversationIsShared: a conversation kept in the shared
// store comes back whole, so another replica continues it; a field added
// to state without being kept fails here.
func TestEveryPartOfAConversationIsShared(t *testing.T) {
	st := state{place: "Radstock", topic: "pact", service: "bins", near: "Keynsham", local: "Twerton",
		search: search{Need: "lunch club", Place: "BA2", Day: "friday"}, told: []string{"Bath"}, waiting: "who runs PACT here",
		asked: 1, offered: []Choice{{Label: "Bath", Reply: "Bath"}}, finder: &finder{who: "group", what: "project", band: "small", place: "Keynsham", about: "a project", step: 2, asked: 1},
		id: "c1", heard: []heard{{"a1", "who runs pact"}}}
	if n := reflect.TypeOf(st).NumField(); n != 13 {
		t.Fatalf("state has %d fields; this test sets 13: set the new one, and keep it in savedState", n)
	}
	data, err := json.Marshal(saved(st))
	if err != nil {
		t.Fatal(err)
	}
	var back savedState
	if err := json.Unmarshal(data, &back); err != nil {
		t.Fatal(err)
	}
	if got := back.state(); !reflect.DeepEqual(got, st) {
		t.Errorf("kept and read back:\n%+v\nwant\n%+v", got, st)
	}
}

// TestAPlaceOnlyTheDirectoryKnowsIsInItsTown: after "we're in Twerton", a
// ward only the directory knows, a toolkit question is answered for the
// town it is in (Bath) without asking where again, and services are
// still searched near Twerton.
func TestAPlaceOnlyTheDirectoryKnowsIsInItsTown(t *testing.T) {
	b, f := localBot(t)
	b.UseDirectory(placedDirectory{f})
	ctx := context.Background()
	q := Question{Platform: "test", Conversation: "twerton"}
	for _, say := range []string{"we're in Twerton", "who runs PACT here", "is there a lunch club"} {
		q.Text = say
		a, err := b.Answer(ctx, q)
		if err != nil {
			t.Fatal(err)
		}
		switch say {
		case "we're in Twerton":
			if a.Kind != Note {
				t.Errorf("%q: %v; want it noted", say, a.Kind)
			}
		case "who runs PACT here":
			if a.Prompt != nil || a.Kind != Matched || a.Place == nil || a.Place.Name != "Bath" {
				t.Errorf("%q: kind %v, prompt %v, place %v; want PACT for Bath, not asked where", say, a.Kind, a.Prompt, a.Place)
			}
		default:
			if qs := f.queries(); len(qs) == 0 || qs[len(qs)-1].Place != "Twerton" {
				t.Errorf("%q: the directory was asked %+v; want near Twerton", say, qs)
			}
		}
	}
}
