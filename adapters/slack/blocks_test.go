package slack

import (
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"strings"
	"testing"

	"github.com/bathnes/signpost/bot"
	"github.com/bathnes/signpost/internal/chattest"
	"github.com/bathnes/signpost/internal/table"
	"github.com/bathnes/signpost/knowledge"
	"github.com/slack-go/slack"
)

var update = flag.Bool("update", false, "rewrite testdata/*.golden")

var answer = chattest.Ask

// messageJSON is the message Slack would receive, indented for review.
func messageJSON(t *testing.T, bs []slack.Block, text string) []byte {
	t.Helper()
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	if err := enc.Encode(map[string]any{"text": text, "blocks": bs}); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// TestBlocksGolden lays out one reply of each kind, and a slash command's
// echo, as Slack would receive them.
func TestBlocksGolden(t *testing.T) {
	t.Parallel()
	chattest.Goldens(t, *update, func(a bot.Answer) []byte {
		bs, text := render(a.Reply(), "")
		return messageJSON(t, bs, text)
	})
	bs, text := render(answer(t, "who runs PACT here").Reply(), "who runs PACT here")
	chattest.Golden(t, "slash_command_echo", messageJSON(t, bs, text), *update)
}

// TestEveryAnswerFitsSlackLimits renders every entry, short and in full,
// and every list, and checks each against the limits Slack enforces by
// rejecting the whole message.
func TestEveryAnswerFitsSlackLimits(t *testing.T) {
	t.Parallel()
	answers := chattest.Every(t)
	// A hostile entry: every field far over every limit.
	long := strings.Repeat("Participatory budgeting <!channel> & more. ", 300)
	huge := &knowledge.Entry{ID: "huge", Title: long, Summary: long, Start: long, Status: "current", AsOf: "2013"}
	for range 120 {
		huge.Details = append(huge.Details, long[:900])
		huge.Contacts = append(huge.Contacts, knowledge.Contact{Name: long[:300]})
	}
	var many []*knowledge.Entry
	for range 40 {
		many = append(many, huge)
	}
	answers = append(answers,
		bot.Answer{Kind: bot.Matched, Entry: huge, Related: many, Alternatives: many[:3]},
		bot.Answer{Kind: bot.List, Title: long, Groups: []bot.Group{{Name: long, Entries: append(many, many...)}, {Name: "b", Entries: many}}})
	for _, a := range answers {
		bs, text := render(a.Reply(), long)
		checkLimits(t, bs, text)
	}
}

func checkLimits(t *testing.T, bs []slack.Block, text string) {
	t.Helper()
	if len(bs) > maxBlocks {
		t.Errorf("%d blocks; Slack allows %d", len(bs), maxBlocks)
	}
	if len(text) > maxFallback {
		t.Errorf("fallback text of %d bytes", len(text))
	}
	for _, b := range bs {
		switch b := b.(type) {
		case *slack.HeaderBlock:
			if n := len([]rune(b.Text.Text)); n > maxHeaderText {
				t.Errorf("header of %d characters", n)
			}
		case *slack.SectionBlock:
			if b.Text != nil && len([]rune(b.Text.Text)) > maxSectionText {
				t.Errorf("section of %d characters", len([]rune(b.Text.Text)))
			}
			if len(b.Fields) > 10 {
				t.Errorf("%d fields", len(b.Fields))
			}
			for _, f := range b.Fields {
				if n := len([]rune(f.Text)); n > maxFieldText {
					t.Errorf("field of %d characters", n)
				}
			}
		case *slack.ActionBlock:
			if n := len(b.Elements.ElementSet); n > 25 || n == 0 {
				t.Errorf("actions block with %d elements", n)
			}
			ids := map[string]bool{}
			for _, el := range b.Elements.ElementSet {
				switch el := el.(type) {
				case *slack.ButtonBlockElement:
					if ids[el.ActionID] {
						t.Errorf("action id %s twice in one block; Slack rejects the message", el.ActionID)
					}
					ids[el.ActionID] = true
					if n := len([]rune(el.Text.Text)); n > maxButtonText {
						t.Errorf("button text of %d characters", n)
					}
				case *slack.SelectBlockElement:
					if len(el.Options) > maxOptions {
						t.Errorf("menu of %d options", len(el.Options))
					}
				}
			}
		case *slack.ContextBlock:
			for _, el := range b.ContextElements.Elements {
				if tx, ok := el.(*slack.TextBlockObject); ok && len([]rune(tx.Text)) > maxSectionText {
					t.Errorf("context of %d characters", len([]rune(tx.Text)))
				}
			}
		}
	}
	var buf bytes.Buffer
	json.NewEncoder(&buf).Encode(bs)
	for _, ping := range []string{"<!channel>", "<!here>", "<!everyone>"} {
		if strings.Contains(buf.String(), ping) {
			t.Errorf("blocks contain %s", ping)
		}
	}
}

func TestEscape(t *testing.T) {
	t.Parallel()
	table.Check(t, "esc", esc, map[string]string{
		"<!channel>":        "&lt;!channel&gt;",
		"<@U123|bob>":       "&lt;@U123|bob&gt;",
		"Tom & Jerry's <b>": "Tom &amp; Jerry's &lt;b&gt;",
		"&amp;":             "&amp;amp;",
	})
}

// TestSlackMarkupIsNotRead: mentions, channel links and emoji codes carry
// nothing to match, and Slack's escapes are undone before the core reads.
func TestSlackMarkupIsNotRead(t *testing.T) {
	t.Parallel()
	for in, want := range map[string]string{
		"<@U024BE7LH> who runs PACT here?":                         "pact",
		"<!channel> <#C123|general> how do we list our pub :tada:": "assets-of-community-value",
		"village agents &amp; rural areas":                         "village-agents",
	} {
		a, err := testBot().Answer(context.Background(), question(in, "C1", "U1"))
		if err != nil || len(a.Results) == 0 || a.Results[0].ID != want {
			t.Errorf("%q: %v %v; want %s first", in, a.Results, err, want)
		}
	}
	if got := plainText("a &lt;b&gt; &amp; c"); got != "a <b> & c" {
		t.Errorf("plainText = %q", got)
	}
}

// BenchmarkRender builds the Block Kit for an entry, a decline and the
// longest list, the core's answers computed beforehand.
func BenchmarkRender(b *testing.B) {
	as := chattest.Replies(b, "how do we list our pub", "xyzzy", "menu")
	for i := 0; b.Loop(); i++ {
		render(as[i%len(as)], "")
	}
}
