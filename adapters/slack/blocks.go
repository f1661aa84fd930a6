package slack

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"

	"github.com/bathnes/signpost/adapters/internal/pack"
	"github.com/bathnes/signpost/bot"
	"github.com/bathnes/signpost/internal/clip"
	"github.com/slack-go/slack"
)

// Slack's Block Kit limits. A message over any of them is rejected whole,
// so the renderer trims to fit instead.
const (
	maxBlocks      = 50
	maxSectionText = 3000
	maxFieldText   = 2000
	maxHeaderText  = 150
	maxButtonText  = 75
	maxOptions     = 100
	maxFields      = 10
	maxFallback    = 3000
	// maxButtons keeps a row of choices short enough to read; Slack
	// allows 25.
	maxButtons = 5
)

// Action ids on buttons and menus. Every choice carries the message a
// click sends back, as if typed; Slack wants action ids unique within a
// block, so each button adds ":n". Messages posted before the one action
// vocabulary used the older ids, which still work.
const (
	actionSend = "signpost_send"
	// Older ids: the value is an entry id (about, more) or a reply.
	actionAbout = "signpost_about"
	actionMore  = "signpost_more"
	actionReply = "signpost_reply"
	// maxValue is Slack's limit on a button's value; a menu option's is
	// maxOptionValue.
	maxValue       = 2000
	maxOptionValue = 150
)

// render lays a reply out as Block Kit blocks, with the plain-text
// fallback Slack shows in notifications. asked, when set, is the question
// echoed above the reply (slash commands, whose text Slack does not show).
// Every piece of text is escaped and marked verbatim, so nothing in the
// knowledge base or the question can ping a channel or a user.
func render(r bot.Reply, asked string) ([]slack.Block, string) {
	var bs []slack.Block
	if asked != "" {
		bs = append(bs, contextLine(esc(bot.YouAsked(asked))))
	}
	if r.Title != "" {
		bs = append(bs, header(r.Title))
	}
	if r.Lead != "" {
		bs = append(bs, section(text(r.Lead)))
	}
	for i, b := range r.Blocks {
		bs = append(bs, layout(b, i)...)
	}
	return fit(bs), clip.Bytes(r.Brief, maxFallback)
}

// layout is one block of a reply in Block Kit; n numbers it, to keep
// block ids unique.
func layout(b bot.Block, n int) []slack.Block {
	switch b.Part {
	case bot.Bullets:
		var lines []string
		if b.Label != "" {
			lines = append(lines, "*"+esc(b.Label)+"*")
		}
		for i, it := range b.Items {
			item := escAll(it.Lines)
			if it.Name != "" {
				item = append([]string{"*" + esc(it.Name) + "*"}, item...)
			}
			lines = append(lines, b.Mark(i, "•")+" "+strings.Join(item, "\n"))
		}
		return sections(lines)
	case bot.Fields:
		var fs []*slack.TextBlockObject
		for _, it := range b.Items {
			if len(fs) < maxFields {
				fs = append(fs, mrkdwn(clip.Bytes("*"+esc(it.Name)+"*\n"+text(strings.Join(it.Lines, "\n")), maxFieldText)))
			}
		}
		return []slack.Block{slack.NewSectionBlock(nil, fs, nil)}
	case bot.Terms:
		var lines []string
		for _, it := range b.Items {
			lines = append(lines, "`"+esc(it.Name)+"`  "+esc(strings.Join(it.Lines, " ")))
		}
		return sections(lines)
	case bot.Ask:
		return []slack.Block{section("*" + esc(b.Text) + "*")}
	case bot.Listings:
		return listings(b)
	case bot.Actions:
		return actions(b, n)
	case bot.Footer:
		return []slack.Block{contextLine(text(b.Text))}
	}
	return []slack.Block{section(text(b.Text))}
}

// listings lays out services from a directory: a section of plain text
// each, under the label in bold, with the note on where they come from
// beneath. A record's text is third-party: as plain text Slack reads no
// formatting, link or mention in it, so "*", "<!channel>" and the like
// show as typed.
func listings(b bot.Block) []slack.Block {
	var out []slack.Block
	if b.Label != "" {
		// Set apart from the answer above them, which is the toolkit's.
		out = append(out, slack.NewDividerBlock(), section("*"+esc(b.Label)+"*"))
	}
	for i, it := range b.Items {
		body := strconv.Itoa(i+1) + ". " + it.Name + "\n" + strings.Join(it.Lines, "\n")
		out = append(out, slack.NewSectionBlock(plain(body, maxSectionText), nil, nil))
	}
	if b.Text != "" {
		out = append(out, contextLine(text(b.Text)))
	}
	return out
}

// actions lays out choices: a menu, or rows of buttons under their label.
func actions(b bot.Block, n int) []slack.Block {
	id := fmt.Sprintf("choices-%d", n)
	if b.Menu {
		var opts []*slack.OptionBlockObject
		for _, c := range b.Choices {
			if len(opts) < maxOptions && len(c.Reply) <= maxOptionValue {
				opts = append(opts, slack.NewOptionBlockObject(c.Reply, plain(c.Label, maxButtonText), nil))
			}
		}
		if len(opts) == 0 {
			return nil
		}
		pick := slack.NewOptionsSelectBlockElement(slack.OptTypeStatic, plain(b.Label, maxButtonText), actionSend, opts...)
		return []slack.Block{slack.NewActionBlock(id, pick)}
	}
	var out []slack.Block
	if b.Label != "" {
		out = append(out, contextLine(esc(b.Label)+":"))
	}
	var els []slack.BlockElement
	for i, c := range b.Choices {
		if len(c.Reply) > maxValue {
			continue
		}
		// Five to a row keeps the choices readable; Slack allows 25.
		if len(els) == maxButtons {
			out = append(out, slack.NewActionBlock(fmt.Sprintf("%s-%d", id, len(out)), els...))
			els = nil
		}
		els = append(els, slack.NewButtonBlockElement(fmt.Sprintf("%s:%d", actionSend, i), c.Reply, plain(c.Label, maxButtonText)))
	}
	if len(els) > 0 {
		out = append(out, slack.NewActionBlock(fmt.Sprintf("%s-%d", id, len(out)), els...))
	}
	return out
}

// clicked is the message a click sends back: a choice's reply, or, from a
// message posted with the older action ids, an entry to open.
func clicked(actionID, value string) string {
	switch actionKind(actionID) {
	case actionSend, actionReply:
		return value
	case actionAbout, actionMore:
		return bot.About(value)
	}
	return ""
}

func escAll(ss []string) []string {
	out := make([]string, len(ss))
	for i, s := range ss {
		out[i] = text(s)
	}
	return out
}

// text escapes s and links the e-mail addresses and web addresses in it.
func text(s string) string {
	return links.ReplaceAllStringFunc(esc(s), func(m string) string {
		if strings.Contains(m, "://") {
			return "<" + m + ">"
		}
		return "<mailto:" + m + "|" + m + ">"
	})
}

var links = regexp.MustCompile(`https?://[^\s<>|]+[^\s<>|.,;:)]|[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)+`)

// actionKind is an action id without its ":n".
func actionKind(id string) string {
	kind, _, _ := strings.Cut(id, ":")
	return kind
}

// fit keeps a message within Slack's block limit, saying what was left out.
func fit(bs []slack.Block) []slack.Block {
	if len(bs) <= maxBlocks {
		return bs
	}
	return append(bs[:maxBlocks-1:maxBlocks-1], contextLine(bot.Trimmed))
}

// sections packs lines into as few sections as fit in Slack's limit per
// section, never splitting a line unless it alone is too long.
func sections(lines []string) []slack.Block {
	var out []slack.Block
	for _, chunk := range pack.Lines(lines, maxSectionText, clip.Bytes) {
		out = append(out, section(chunk))
	}
	return out
}

func header(s string) slack.Block { return slack.NewHeaderBlock(plain(s, maxHeaderText)) }

func section(s string) slack.Block {
	return slack.NewSectionBlock(mrkdwn(clip.Bytes(s, maxSectionText)), nil, nil)
}

func contextLine(s string) slack.Block {
	return slack.NewContextBlock("", mrkdwn(clip.Bytes(s, maxSectionText)))
}

// mrkdwn is formatted text that Slack must not rewrite: verbatim stops it
// turning words into links or mentions.
func mrkdwn(s string) *slack.TextBlockObject {
	return slack.NewTextBlockObject(slack.MarkdownType, s, false, true)
}

func plain(s string, max int) *slack.TextBlockObject {
	return slack.NewTextBlockObject(slack.PlainTextType, clip.Bytes(s, max), false, false)
}

// esc escapes the three characters Slack's mrkdwn gives meaning to, which
// is what turns "<!channel>" into a ping.
func esc(s string) string { return escaper.Replace(s) }

var escaper = strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;")
