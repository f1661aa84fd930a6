package discord

import (
	"bytes"
	"context"
	"encoding/json"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/bathnes/signpost/bot"
	"github.com/bathnes/signpost/internal/chattest"
	"github.com/bwmarrin/discordgo"
)

// directory is a fake directory of local services: every service it
// holds, whatever it is asked; the core decides which answer.
type directory []bot.LocalService

func (d directory) Find(bot.LocalQuery) []bot.LocalService { return slices.Clone(d) }

var checked = time.Date(2026, 2, 1, 0, 0, 0, 0, time.UTC)

// services are fictional (example.org, Ofcom's drama numbers 01632
// 960xxx): a full record, a thin and stale one, and one a toolkit answer
// is followed by.
var services = directory{
	{Name: "Widcombe Lunch Club", What: "A lunch club for older people: a hot meal and company.",
		Kinds: []string{"Older people"}, Address: "St Mark's Hall, Widcombe Hill, Bath, BA2 6AA", Near: "BA2", Distance: 2.4, HasDistance: true,
		Next: "Thursday 10 December, 12:00 to 14:00", Cost: "£4.50 a meal", Contact: []string{"01632 960101", "lunch@example.org", "https://lunch.example.org/a_b"},
		Feed: "https://directory.example.org/api", ID: "svc-lunch", Checked: checked},
	{Name: "Combe Down Friendship Lunch", What: "A monthly lunch club for anyone over 60.", Covers: "B&NES",
		Feed: "https://directory.example.org/api", ID: "svc-combe", Checked: checked.AddDate(-1, -2, 0), Stale: "14 months ago"},
	{Name: "Midsomer Norton Men's Shed", What: "A men's shed where older men who feel lonely meet to make and mend things.",
		Kinds: []string{"Older people"}, Near: "Midsomer Norton", Distance: 0.5, HasDistance: true, Contact: []string{"01632 960106"},
		Feed: "https://directory.example.org/api", ID: "svc-shed", Checked: checked},
}

// hostile is a record written to take over a Discord message: mentions,
// @everyone, markdown of every kind, a masked link, and far more text
// than an embed holds.
var hostile = bot.LocalService{
	Name: "Lunch club @everyone @here <@123> <@&456> <#789> <:party:1> **bold** __under__ ~~gone~~ ||spoiler|| `code` [click](https://evil.example)" +
		strings.Repeat(" lunch club", 2000),
	What:    "# A lunch club heading\n> quote " + strings.Repeat("x", 20000),
	Address: "- a list item", Next: "1. first", Cost: "*free*", Contact: []string{"@everyone", "[us](https://evil.example)", "https://ok.example.org/x_y"},
	Feed: "||feed||", ID: "`id`", Alert: "@here closed",
}

// unescaped is "<" opening a mention, channel or emoji, not escaped.
var unescaped = regexp.MustCompile(`(^|[^\\])<[@#:]`)

// localAnswer is the core's answer to q with d as its directory.
func localAnswer(t *testing.T, d directory, q string) bot.Answer {
	t.Helper()
	b := chattest.Bot()
	b.UseDirectory(d)
	a, err := b.Answer(context.Background(), bot.Question{Text: q})
	if err != nil {
		t.Fatal(err)
	}
	return a
}

func messageJSON(r reply) []byte {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	enc.Encode(discordgo.MessageSend{Embeds: r.Embeds, Components: r.Components, AllowedMentions: noPings()})
	return b.Bytes()
}

// TestListingsGolden lays out a reply the directory answers, and services
// after a toolkit answer, as Discord would receive them.
func TestListingsGolden(t *testing.T) {
	t.Parallel()
	for name, q := range map[string]string{
		"directory_local":        "lunch club near BA2",
		"directory_after_answer": "anything for lonely older men in Midsomer Norton",
	} {
		a := localAnswer(t, services, q)
		if len(a.Locals) == 0 {
			t.Fatalf("%q: no services", q)
		}
		r := render(a.Reply())
		checkLimits(t, r)
		chattest.Golden(t, name, messageJSON(r), *update)
	}
}

// TestHostileRecordReadsAsTyped: whatever a record holds, Discord reads
// no markdown, mention or masked link in it, and the message fits
// Discord's limits; through the core, and through the layout alone with
// the text uncleaned.
func TestHostileRecordReadsAsTyped(t *testing.T) {
	t.Parallel()
	a := localAnswer(t, directory{hostile, hostile, hostile, hostile}, "lunch club near BA2")
	if a.Kind != bot.Local || len(a.Locals) != 3 {
		t.Fatalf("kind %v with %d services; want the directory's answer of three", a.Kind, len(a.Locals))
	}
	raw := a.Reply()
	raw.Blocks = append(raw.Blocks, bot.Block{Part: bot.Listings, Label: "x", Text: "y",
		Items: []bot.Item{{Name: hostile.Name, Lines: []string{hostile.What, hostile.Address, hostile.Next}}}})
	for _, r := range []bot.Reply{a.Reply(), raw} {
		out := render(r)
		checkLimits(t, out)
		// Each piece of text as Discord reads it: every line of a
		// field's value and of the description starts anew.
		var lines []string
		for _, e := range out.Embeds {
			lines = append(lines, e.Title)
			lines = append(lines, strings.Split(e.Description, "\n")...)
			for _, f := range e.Fields {
				// A field's name is numbered by the layout ("1. "):
				// what follows is the record's.
				_, name, _ := strings.Cut(f.Name, ". ")
				lines = append(lines, name)
				lines = append(lines, strings.Split(f.Value, "\n")...)
			}
		}
		for _, l := range lines {
			for _, bad := range []string{"@everyone", "@here", "**bold**", "__under__", "~~gone~~", "||spoiler||", "`code`", "[click](", "[us]("} {
				if strings.Contains(l, bad) {
					t.Errorf("%q holds %q as markup", l[:min(len(l), 80)], bad)
				}
			}
			if unescaped.MatchString(l) {
				t.Errorf("%q opens a mention, channel or emoji", l[:min(len(l), 80)])
			}
			for _, start := range []string{"# ", "> ", "- ", "1. "} {
				if strings.HasPrefix(l, start) {
					t.Errorf("%q starts a heading, quote or list", l[:min(len(l), 80)])
				}
			}
		}
		all := strings.Join(lines, "\n")
		if !strings.Contains(all, "https://ok.example.org/x_y") {
			t.Error("a plain web address was escaped: it would no longer link")
		}
	}
}

// TestDirectoryAnswerToAMention: a mention asking for a local service is
// answered with the services as fields, allowing no mentions, whatever a
// record holds.
func TestDirectoryAnswerToAMention(t *testing.T) {
	t.Parallel()
	f := newFakeDiscord(t)
	b := chattest.Bot()
	b.UseDirectory(append(slices.Clone(services), hostile))
	start(t, f, Config{}, b)
	f.conn().dispatch("MESSAGE_CREATE", guildMessage("M1", "<@BOT> lunch club near BA2", true))
	got := f.wait()
	if got.Path != "/api/v9/channels/C1/messages" {
		t.Fatalf("sent %s %s; want a message to C1", got.Method, got.Path)
	}
	checkNoPings(t, got.Body)
	m := message{got.Body, string(got.Raw)}
	if m.Title() != bot.LocalTitle || m.Part("1. Widcombe Lunch Club") == "" || !strings.Contains(m.Part("2. Combe Down"), "covers B&NES") {
		t.Errorf("message %s; want the services as fields under %q", got.Raw, bot.LocalTitle)
	}
	if strings.Contains(m.raw, "@everyone") {
		t.Errorf("message holds @everyone as typed: %s", got.Raw)
	}
}
