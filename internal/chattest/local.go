package chattest

import (
	"context"
	"slices"
	"testing"
	"time"

	"github.com/bathnes/signpost/bot"
)

// Directory is a fake directory of local services: every service it
// holds, whatever it is asked; the core decides which answer.
type Directory []bot.LocalService

// Find is every service in d.
func (d Directory) Find(bot.LocalQuery) []bot.LocalService { return slices.Clone(d) }

// checked is when the fixture's records were last checked.
var checked = time.Date(2026, 2, 1, 0, 0, 0, 0, time.UTC)

// Services are fictional (example.org, Ofcom's drama numbers 01632
// 960xxx): a full record, a thin and stale one, one that leads an
// answer the toolkit matched on a shared word, and one a toolkit answer
// that names its entry is followed by. Each call is a new copy, for a test to add to.
func Services() Directory {
	return Directory{
		{Name: "Widcombe Lunch Club", What: "A lunch club for older people: a hot meal and company.",
			Kinds: []string{"Older people"}, Address: "St Mark's Hall, Widcombe Hill, Bath, BA2 6AA", Near: "BA2", Distance: 2.4, HasDistance: true,
			Next: "Thursday 10 December, 12:00 to 14:00", Cost: "£4.50 a meal", Contact: []string{"01632 960101", "lunch@example.org"},
			Feed: "https://directory.example.org/api", ID: "svc-lunch", Checked: checked},
		{Name: "Combe Down Friendship Lunch", What: "A monthly lunch club for anyone over 60.", Covers: "B&NES",
			Feed: "https://directory.example.org/api", ID: "svc-combe", Checked: checked.AddDate(-1, -2, 0), Stale: "14 months ago"},
		{Name: "Midsomer Norton Men's Shed", What: "A men's shed where older men who feel lonely meet to make and mend things.",
			Kinds: []string{"Older people"}, Near: "Midsomer Norton", Distance: 0.5, HasDistance: true, Contact: []string{"01632 960106"},
			Feed: "https://directory.example.org/api", ID: "svc-shed", Checked: checked},
		{Name: "Radstock PACT Meeting", What: "The police and communities together meeting for Radstock.",
			Next: "Tuesday 8 December, 19:00 to 20:30", Contact: []string{"01632 960107"},
			Feed: "https://directory.example.org/api", ID: "svc-pact", Checked: checked},
	}
}

// Local is the core's answer to q with d as its directory.
func Local(t testing.TB, d bot.Directory, q string) bot.Answer {
	t.Helper()
	b := Bot()
	b.UseDirectory(d)
	a, err := b.Answer(context.Background(), bot.Question{Text: q})
	if err != nil {
		t.Fatal(err)
	}
	return a
}

// Listings lays out, with lay, a reply the directory d answers and
// services after a toolkit answer, and compares each with its golden file
// (directory_local, directory_after_answer), written instead when update
// is set.
func Listings(t *testing.T, d Directory, update bool, lay func(bot.Answer) []byte) {
	t.Helper()
	for name, q := range map[string]string{
		"directory_local":        "lunch club near BA2",
		"directory_after_answer": "is there a PACT meeting in Radstock",
	} {
		a := Local(t, d, q)
		if len(a.Locals) == 0 {
			t.Fatalf("%q: no services", q)
		}
		Golden(t, name, lay(a), update)
	}
}
