package discord

import (
	"context"
	"flag"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/bathnes/signpost/bot"
	"github.com/bathnes/signpost/internal/chattest"
	"github.com/bathnes/signpost/knowledge"
	"github.com/bwmarrin/discordgo"
)

var update = flag.Bool("update", false, "rewrite testdata/*.golden")

var answer = chattest.Ask

// TestEmbedsGolden lays out one reply of each kind as Discord would
// receive it.
func TestEmbedsGolden(t *testing.T) {
	t.Parallel()
	chattest.Goldens(t, *update, func(a bot.Answer) []byte { return messageJSON(render(a.Reply())) })
}

// TestEveryAnswerFitsDiscordLimits renders every entry, short and full,
// every list, and a hostile oversized answer, against Discord's limits.
func TestEveryAnswerFitsDiscordLimits(t *testing.T) {
	t.Parallel()
	answers := chattest.Every(t)
	long := strings.Repeat("Participatory budgeting @everyone ", 400)
	huge := &knowledge.Entry{ID: strings.Repeat("x", 150), Title: long, Summary: long, Start: long, Status: "current", AsOf: "2013"}
	for range 100 {
		huge.Details = append(huge.Details, long[:900])
		huge.Contacts = append(huge.Contacts, knowledge.Contact{Name: long[:300]})
		huge.Guidance = append(huge.Guidance, long[:200])
	}
	var many []*knowledge.Entry
	for range 200 {
		many = append(many, huge)
	}
	answers = append(answers,
		bot.Answer{Kind: bot.Matched, Entry: huge, Related: many, Alternatives: many},
		bot.Answer{Kind: bot.List, Title: long, Groups: []bot.Group{{Name: long, Entries: many}, {Name: "b", Entries: many}}})
	for _, a := range answers {
		checkLimits(t, render(a.Reply()))
	}
}

func checkLimits(t *testing.T, r reply) {
	t.Helper()
	n := func(s string) int { return utf8.RuneCountInString(s) }
	for _, e := range r.Embeds {
		if n(e.Title) > maxTitle || n(e.Description) > maxDescription || len(e.Fields) > maxFields {
			t.Errorf("embed over limits: title %d, description %d, %d fields", n(e.Title), n(e.Description), len(e.Fields))
		}
		for _, f := range e.Fields {
			if n(f.Name) > maxFieldName || n(f.Value) > maxFieldValue {
				t.Errorf("field over limits: name %d, value %d", n(f.Name), n(f.Value))
			}
		}
		if e.Footer != nil && n(e.Footer.Text) > maxFooter {
			t.Errorf("footer of %d", n(e.Footer.Text))
		}
		if s := size(e); s > maxEmbedTotal {
			t.Errorf("embed of %d characters in all; Discord allows %d", s, maxEmbedTotal)
		}
	}
	if len(r.Components) > maxRows {
		t.Errorf("%d component rows; Discord allows %d", len(r.Components), maxRows)
	}
	for _, row := range r.Components {
		cs := row.(discordgo.ActionsRow).Components
		if len(cs) == 0 {
			t.Error("an empty row, which Discord rejects")
		}
		if len(cs) > maxRowButtons {
			t.Errorf("row of %d components", len(cs))
		}
		for _, c := range cs {
			switch c := c.(type) {
			case discordgo.Button:
				if n(c.Label) > maxLabel || len(c.CustomID) > 100 {
					t.Errorf("button label %d, custom id %d", n(c.Label), len(c.CustomID))
				}
			case discordgo.SelectMenu:
				if len(c.Options) > maxOptions {
					t.Errorf("menu of %d options", len(c.Options))
				}
				for _, o := range c.Options {
					if n(o.Label) > maxOptionLabel || len(o.Value) > 100 {
						t.Errorf("option label %d, value %d", n(o.Label), len(o.Value))
					}
				}
			}
		}
	}
}

// TestDiscordMarkupIsNotRead: mentions, channel links, custom emoji and
// @everyone carry nothing to match.
func TestDiscordMarkupIsNotRead(t *testing.T) {
	t.Parallel()
	for in, want := range map[string]string{
		"<@!123456789012345678> how do we list our pub":         "assets-of-community-value",
		"<@&42> <#99> <:party:123456> village agents @everyone": "village-agents",
	} {
		got := strings.Join(strings.Fields(markup.ReplaceAllString(in, " ")), " ")
		a, err := testBot().Answer(context.Background(), bot.Question{Text: got})
		if err != nil || len(a.Results) == 0 || a.Results[0].ID != want || strings.ContainsAny(got, "<@") {
			t.Errorf("%q read as %q: %v %v; want %s first", in, got, a.Results, err, want)
		}
	}
}

// BenchmarkRender builds the embed and components for an entry, a decline and the
// longest list, the core's answers computed beforehand.
func BenchmarkRender(b *testing.B) {
	as := chattest.Replies(b, "how do we list our pub", "xyzzy", "menu")
	for i := 0; b.Loop(); i++ {
		render(as[i%len(as)])
	}
}
