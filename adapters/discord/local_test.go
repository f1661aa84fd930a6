package discord

import (
	"bytes"
	"encoding/json"
	"regexp"
	"strings"
	"testing"

	"github.com/bathnes/signpost/bot"
	"github.com/bathnes/signpost/internal/chattest"
	"github.com/bwmarrin/discordgo"
)

// services are chattest's, the lunch club giving a web address too:
// Discord must link it as typed, its underscore unescaped.
func services() chattest.Directory {
	d := chattest.Services()
	d[0].Contact = append(d[0].Contact, "https://lunch.example.org/a_b")
	return d
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

// messageJSON is r as Discord receives it.
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
	chattest.Listings(t, services(), *update, func(a bot.Answer) []byte {
		r := render(a.Reply())
		checkLimits(t, r)
		return messageJSON(r)
	})
}

// TestHostileRecordReadsAsTyped: whatever a record holds, Discord reads
// no markdown, mention or masked link in it, and the message fits
// Discord's limits; through the core, and through the layout alone with
// the text uncleaned.
func TestHostileRecordReadsAsTyped(t *testing.T) {
	t.Parallel()
	a := chattest.Local(t, chattest.Directory{hostile, hostile, hostile, hostile}, "lunch club near BA2")
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
	b.UseDirectory(append(services(), hostile))
	start(t, f, Config{}, b)
	f.conn().dispatch("MESSAGE_CREATE", guildMessage("M1", "<@BOT> lunch club near BA2", true))
	got := f.wait()
	if got.Path != "/api/v9/channels/C1/messages" {
		t.Fatalf("sent %s %s; want a message to C1", got.Method, got.Path)
	}
	checkNoPings(t, got.Body)
	m := message{got.Body, string(got.Raw)}
	if m.Title() != bot.LocalTitle || m.Part("1. Widcombe Lunch Club") == "" || !strings.Contains(m.Part("3. Combe Down Friendship Lunch"), "covers B&NES") {
		t.Errorf("message %s; want the services as fields under %q", got.Raw, bot.LocalTitle)
	}
	if strings.Contains(m.raw, "@everyone") {
		t.Errorf("message holds @everyone as typed: %s", got.Raw)
	}
}
