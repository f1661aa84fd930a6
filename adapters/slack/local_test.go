package slack

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/bathnes/signpost/bot"
	"github.com/bathnes/signpost/internal/chattest"
	"github.com/slack-go/slack"
)

// hostile is a record written to take over a Slack message: mentions of
// everyone, a user and a channel, formatting, a link, escapes, and far
// more text than a message holds.
var hostile = bot.LocalService{
	Name: "Lunch club <!channel> <!everyone> <@U123> <#C1|general> *bold* _it_ ~gone~ `code` <https://evil.example|click> &amp; :tada:" +
		strings.Repeat(" lunch club", 2000),
	What:    "A lunch club <!here> *free* " + strings.Repeat("x", 20000),
	Address: "<!subteam^S1> hall", Next: "*now*", Cost: "_free_", Contact: []string{"<!here>", "<mailto:a@evil.example|us>"},
	Feed: "<!channel>", ID: "`id`", Alert: "<!everyone> closed",
}

// TestListingsGolden lays out a reply the directory answers, and services
// after a toolkit answer, as Slack would receive them.
func TestListingsGolden(t *testing.T) {
	t.Parallel()
	chattest.Listings(t, chattest.Services(), *update, func(a bot.Answer) []byte {
		bs, text := render(a.Reply(), "")
		checkLimits(t, bs, text)
		return messageJSON(t, bs, text)
	})
}

// TestHostileRecordIsPlainText: whatever a record holds, Slack reads no
// mention, link or formatting in it: its text is only ever in plain_text
// objects, every mrkdwn object holds none of it, the notification text
// holds none of it, and the message fits Slack's limits. Through the core,
// and through the layout alone with the text uncleaned.
func TestHostileRecordIsPlainText(t *testing.T) {
	t.Parallel()
	a := chattest.Local(t, chattest.Directory{hostile, hostile, hostile, hostile}, "lunch club near BA2")
	if a.Kind != bot.Local {
		t.Fatalf("kind %v; want the directory's answer", a.Kind)
	}
	raw := a.Reply()
	raw.Blocks = append(raw.Blocks, bot.Block{Part: bot.Listings, Label: "x", Items: []bot.Item{{Name: hostile.Name, Lines: []string{hostile.What, hostile.Address}}}})
	for _, r := range []bot.Reply{a.Reply(), raw} {
		bs, text := render(r, "")
		checkLimits(t, bs, text)
		checkNothingRead(t, bs, text)
	}
}

// checkNothingRead fails if any mrkdwn text or the fallback holds a
// mention or a record's markup; plain_text is shown as typed.
func checkNothingRead(t *testing.T, bs []slack.Block, text string) {
	t.Helper()
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	enc.Encode(bs)
	var v any
	json.Unmarshal(b.Bytes(), &v)
	var walk func(any)
	walk = func(v any) {
		switch v := v.(type) {
		case map[string]any:
			if v["type"] == "mrkdwn" {
				s, _ := v["text"].(string)
				for _, bad := range []string{"<!", "<@", "<#", "*bold*", "_it_", "`code`", "evil.example", "<mailto"} {
					if strings.Contains(s, bad) {
						t.Errorf("mrkdwn text holds %q: %q", bad, s)
					}
				}
			}
			if v["type"] == "plain_text" && v["emoji"] == true {
				t.Errorf("plain_text with emoji on: %v", v)
			}
			for _, x := range v {
				walk(x)
			}
		case []any:
			for _, x := range v {
				walk(x)
			}
		}
	}
	walk(v)
	if strings.Contains(text, "<") || strings.Contains(text, "Lunch club") {
		t.Errorf("notification text %q holds a record's text", text)
	}
}

// TestDirectoryAnswerInAThread: a mention asking for a local service is
// answered in its thread with the services as plain text sections, and
// a hostile record pings nobody.
func TestDirectoryAnswerInAThread(t *testing.T) {
	t.Parallel()
	f := newFakeSlack(t)
	b := chattest.Bot()
	b.UseDirectory(append(chattest.Services(), hostile))
	srv, _ := httpAdapterOf(t, f, b)
	body := jsonBody(eventPayload("EvLocal", mention("C1", "311.1", "<@UBOT> lunch club near BA2")))
	if code, _ := post(t, srv, "/slack/events", "application/json", body, sign(secret, time.Now(), body)); code != 200 {
		t.Fatalf("event: %d; want 200", code)
	}
	f.wait(1)
	p := f.lastPost()
	bs := blocksOf(t, p)
	if headerOf(bs) != bot.LocalTitle || !contains(bs, "1. Widcombe Lunch Club") || !contains(bs, "Where: covers B&NES") {
		t.Errorf("posted %v; want the services under %q", bs, bot.LocalTitle)
	}
	if p.Get("thread_ts") != "311.1" {
		t.Errorf("posted in thread %q; want 311.1", p.Get("thread_ts"))
	}
	var sections []map[string]any
	for _, b := range bs {
		if tx, _ := b["text"].(map[string]any); b["type"] == "section" && tx["type"] == "plain_text" {
			sections = append(sections, b)
		}
	}
	if len(sections) != 3 {
		t.Errorf("%d plain-text sections; want one a service, three", len(sections))
	}
	for _, k := range []string{"link_names", "parse"} {
		if p.Has(k) {
			t.Errorf("chat.postMessage sent %s=%q; it must never ask Slack to resolve mentions", k, p.Get(k))
		}
	}
	if strings.Contains(p.Get("text"), "<!") {
		t.Errorf("notification text %q holds a mention", p.Get("text"))
	}
	f.quiet()
}
