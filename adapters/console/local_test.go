package console

import (
	"context"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/bathnes/signpost/bot"
	"github.com/bathnes/signpost/knowledge"
)

// directory is a fake directory of local services: it gives every
// service it holds, whatever it is asked, searched near the asker's place
// when the core passes one, and the core decides which answer the
// question.
type directory []bot.LocalService

func (d directory) Find(q bot.LocalQuery) []bot.LocalService {
	out := slices.Clone(d)
	for i := range out {
		if q.Place != "" && out[i].Near == "" {
			out[i].Near = q.Place
		}
	}
	return out
}

var _ bot.Directory = directory(nil)

var checked = time.Date(2026, 2, 1, 0, 0, 0, 0, time.UTC)

// services are fictional (example.org, Ofcom's drama numbers 01632
// 960xxx): full records, thin ones and a stale one.
var services = directory{
	{Name: "Widcombe Lunch Club", What: "A lunch club for older people: a hot meal and company. Lifts can be arranged.",
		Org: "Widcombe Friends", Kinds: []string{"Older people", "Food"}, Address: "St Mark's Hall, Widcombe Hill, Bath, BA2 6AA",
		Near: "BA2", Distance: 2.4, HasDistance: true, Next: "Thursday 10 December, 12:00 to 14:00", Cost: "£4.50 a meal",
		Contact: []string{"01632 960101", "lunch@example.org"}, Feed: "https://directory.example.org/api", ID: "svc-lunch", Checked: checked},
	{Name: "Combe Down Friendship Lunch", What: "A monthly lunch club for anyone over 60.", Covers: "B&NES",
		Feed: "https://directory.example.org/api", ID: "svc-combe", Checked: checked.AddDate(-1, -2, 0), Stale: "14 months ago"},
	{Name: "Keynsham Youth Club", What: "A youth club for young people: games, sport and trips.", Ages: "ages 11 to 18",
		Kinds: []string{"Young people"}, Address: "Keynsham Youth Centre, Temple Street, Keynsham, BS31 1EH", Distance: 0.6, HasDistance: true,
		Next: "Thursday 10 December, 18:30 to 20:30 (term time only)", Cost: "free", Contact: []string{"01632 960104", "https://youth.example.org"},
		Feed: "https://directory.example.org/api", ID: "svc-youth", Checked: checked},
	{Name: "Twerton Food Bank", What: "A food bank giving emergency food parcels, with a referral from an agency.", Kinds: []string{"Food"},
		Address: "Twerton Baptist Church, High Street, Bath, BA2 1DB", Near: "Twerton", Distance: 0.05, HasDistance: true,
		Next: "Monday 7 December, 10:00 to 12:00", Contact: []string{"01632 960105", "food@example.org"},
		Feed: "https://directory.example.org/api", ID: "svc-food", Checked: checked},
	{Name: "Midsomer Norton Men's Shed", What: "A men's shed where older men who feel lonely meet to make and mend things.",
		Kinds: []string{"Older people", "Loneliness"}, Address: "The Old Workshop, Silver Street, Midsomer Norton, BA3 2EY",
		Near: "Midsomer Norton", Distance: 0.5, HasDistance: true, Next: "Wednesday 9 December, 09:30 to 12:30", Cost: "£2 a session",
		Contact: []string{"01632 960106"}, Feed: "https://directory.example.org/api", ID: "svc-shed", Checked: checked},
	{Name: "Bath Befriending Service", What: "Befriending for older people who are lonely or isolated: a volunteer visits or phones each week.",
		Covers: "B&NES", Contact: []string{"01632 960107"}, Feed: "https://directory.example.org/api", ID: "svc-befriend"},
	{Name: "Radstock PACT Meeting", What: "The police and communities together meeting for Radstock.",
		Next: "Tuesday 8 December, 19:00 to 20:30", Contact: []string{"01632 960108"},
		Feed: "https://directory.example.org/api", ID: "svc-pact", Checked: checked},
}

// TestLocalTranscripts runs each testdata/local/*.input through the
// console as one conversation, with the directory above beside the
// embedded knowledge base, and compares it with the .golden beside it.
func TestLocalTranscripts(t *testing.T) {
	transcripts(t, "local", func(t *testing.T) *bot.Bot {
		b := bot.New(mustEmbedded(t))
		b.UseDirectory(services)
		return b
	})
}

// TestHostileRecordIsInertInATerminal: a record made to attack a
// terminal (escape sequences that clear the screen or retitle the
// window, a bidirectional override, a bell, line breaks) and to fill it
// reaches it with none of that, through the core and, should a reply
// come some other way, through the layout alone.
func TestHostileRecordIsInertInATerminal(t *testing.T) {
	nasty := "Lunch Club \x1b[2J\x1b]0;pwned\x07 \u202egnirts\u202c\r\nSecond line\x00"
	huge := strings.Repeat("lunch club ", 100000)
	b := bot.New(mustEmbedded(t))
	b.UseDirectory(directory{{Name: nasty + huge, What: nasty + huge, Address: nasty, Next: nasty, Cost: nasty,
		Contact: []string{nasty, nasty}, Feed: nasty, ID: nasty, Stale: nasty, Alert: nasty, Checked: checked}})
	a, err := b.Answer(context.Background(), bot.Question{Text: "lunch club near BA2"})
	if err != nil {
		t.Fatal(err)
	}
	if a.Kind != bot.Local {
		t.Fatalf("kind %v; want the directory's answer", a.Kind)
	}
	raw := bot.Reply{Blocks: []bot.Block{{Part: bot.Listings, Items: []bot.Item{{Name: nasty, Lines: []string{nasty}}}}}}
	for _, out := range []string{Text(a.Reply(), Width), Text(raw, Width)} {
		if strings.ContainsAny(out, "\x1b\x07\x00\r\u202e\u202c") {
			t.Errorf("output keeps a control or formatting character: %q", out)
		}
	}
	if out := Text(a.Reply(), Width); len(out) > 4000 {
		t.Errorf("a reply of %d bytes from one record; want it bounded", len(out))
	}
}

func mustEmbedded(t *testing.T) *knowledge.Base {
	t.Helper()
	base, err := knowledge.Embedded()
	if err != nil {
		t.Fatal(err)
	}
	return base
}
