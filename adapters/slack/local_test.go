package slack

import (
	"bytes"
	"context"
	"encoding/json"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/bathnes/signpost/bot"
	"github.com/bathnes/signpost/internal/chattest"
	"github.com/slack-go/slack"
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
		Next: "Thursday 10 December, 12:00 to 14:00", Cost: "£4.50 a meal", Contact: []string{"01632 960101", "lunch@example.org"},
		Feed: "https://directory.example.org/api", ID: "svc-lunch", Checked: checked},
	{Name: "Combe Down Friendship Lunch", What: "A monthly lunch club for anyone over 60.", Covers: "B&NES",
		Feed: "https://directory.example.org/api", ID: "svc-combe", Checked: checked.AddDate(-1, -2, 0), Stale: "14 months ago"},
	{Name: "Midsomer Norton Men's Shed", What: "A men's shed where older men who feel lonely meet to make and mend things.",
		Kinds: []string{"Older people"}, Near: "Midsomer Norton", Distance: 0.5, HasDistance: true, Contact: []string{"01632 960106"},
		Feed: "https://directory.example.org/api", ID: "svc-shed", Checked: checked},
}

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

// TestListingsGolden lays out a reply the directory answers, and services
// after a toolkit answer, as Slack would receive them.
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
		bs, text := render(a.Reply(), "")
		checkLimits(t, bs, text)
		chattest.Golden(t, name, messageJSON(t, bs, text), *update)
	}
}

// TestHostileRecordIsPlainText: whatever a record holds, Slack reads no
// mention, link or formatting in it: its text is only ever in plain_text
// objects, every mrkdwn object holds none of it, the notification text
// holds none of it, and the message fits Slack's limits. Through the core,
// and through the layout alone with the text uncleaned.
func TestHostileRecordIsPlainText(t *testing.T) {
	t.Parallel()
	a := localAnswer(t, directory{hostile, hostile, hostile, hostile}, "lunch club near BA2")
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
	b.UseDirectory(append(slices.Clone(services), hostile))
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
