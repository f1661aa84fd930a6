package slack

import (
	"fmt"
	"strings"
	"unicode/utf8"

	"github.com/bathnes/signpost/bot"
	"github.com/bathnes/signpost/knowledge"
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
	maxFallback    = 3000
	// maxButtons keeps a row of choices short enough to read; Slack
	// allows 25.
	maxButtons = 5
	// shortDetails is how many local facts a reply shows before the "more"
	// button; the click shows them all.
	shortDetails = 4
)

// Action ids carried by buttons and menus (the value is an entry id, or a
// prompt's reply). Slack wants action ids unique within a block, so each
// button adds ":n" to its kind; actionKind strips it.
const (
	actionAbout = "signpost_about"
	actionMore  = "signpost_more"
	// actionReply carries a prompt's choice, sent back as if typed.
	actionReply = "signpost_reply"
)

// view says how to render an answer.
type view struct {
	// full shows every detail of an entry (after a "more" click).
	full bool
	// asked is the user's question, echoed for slash commands, whose text
	// Slack does not show in the channel. It is escaped like everything else.
	asked string
}

// render builds the Block Kit blocks for an answer and the plain-text
// fallback Slack shows in notifications. Every piece of text is escaped and
// marked verbatim, so nothing in the knowledge base or the question can
// ping a channel or a user.
func render(a bot.Answer, v view) ([]slack.Block, string) {
	var bs []slack.Block
	var fallback string
	switch a.Kind {
	case bot.Matched:
		bs, fallback = renderEntry(a, v.full)
	case bot.Help:
		bs = append(bs, header("What signpost can do"),
			section("I find your way through the B&NES Connecting Communities toolkit. Ask a question in your own words: message me directly, mention me in a channel, or use `/signpost`. Or type one of these:"))
		var lines []string
		for _, c := range a.Commands {
			lines = append(lines, fmt.Sprintf("`%s`  %s", esc(c.Usage), esc(c.Description)))
		}
		bs = append(bs, sections(lines)...)
		bs = append(bs, contextLine("Facts come from council documents of 2011–2014; every answer says which, and how old."))
		fallback = "What signpost can do"
	case bot.List:
		bs = append(bs, header(a.Title))
		var opts []*slack.OptionBlockObject
		for _, g := range a.Groups {
			lines := []string{"*" + esc(g.Name) + "*"}
			for _, e := range g.Entries {
				lines = append(lines, "• "+esc(e.Title))
				if len(opts) < maxOptions {
					opts = append(opts, slack.NewOptionBlockObject(e.ID, plain(e.Title, maxButtonText), nil))
				}
			}
			bs = append(bs, sections(lines)...)
		}
		if len(opts) > 0 {
			pick := slack.NewOptionsSelectBlockElement(slack.OptTypeStatic, plain("Open one…", maxButtonText), actionAbout, opts...)
			bs = append(bs, slack.NewActionBlock("open", pick))
		}
		fallback = a.Title
	case bot.Note:
		if a.Prompt == nil || a.Message != a.Prompt.Text {
			bs = append(bs, section(esc(a.Message)))
		}
		fallback = a.Message
	case bot.Funding:
		bs, fallback = renderFinding(a.Finding)
	case bot.Unsure:
		bs = append(bs, section(esc(bot.NotSure)))
		if len(a.Alternatives) > 0 {
			bs = append(bs, contextLine("Did you mean:"), buttons("alternatives", a.Alternatives))
		}
		if line := bot.FallbackLine(a.Fallback); line != "" {
			bs = append(bs, section(esc(line)))
		}
		fallback = bot.NotSure
	default:
		// Services, off-topic and empty messages: the core's plain text
		// says it well and has no structure to lay out.
		text := bot.Text(a)
		bs = append(bs, sections(strings.Split(esc(text), "\n"))...)
		fallback = firstLine(text)
	}
	if p := a.Prompt; p != nil {
		bs = append(bs, section("*"+esc(p.Text)+"*"))
		var els []slack.BlockElement
		for i, c := range p.Choices {
			// Five to a row keeps the choices readable; Slack allows 25.
			if i > 0 && i%maxButtons == 0 {
				bs = append(bs, slack.NewActionBlock("", els...))
				els = nil
			}
			els = append(els, slack.NewButtonBlockElement(fmt.Sprintf("%s:%d", actionReply, i), c.Reply, plain(c.Label, maxButtonText)))
		}
		bs = append(bs, slack.NewActionBlock("", els...))
		if fallback == "" {
			fallback = p.Text
		}
	}
	if v.asked != "" {
		bs = append([]slack.Block{contextLine("You asked: " + esc(cut(v.asked, 200)))}, bs...)
	}
	return fit(bs), cut(fallback, maxFallback)
}

func renderEntry(a bot.Answer, full bool) ([]slack.Block, string) {
	e := a.Entry
	bs := []slack.Block{header(e.Title)}
	if a.Place != nil {
		// What is true where the asker is comes first.
		bs = append(bs, sections(strings.Split(esc(bot.LocalText(a)), "\n"))...)
	}
	bs = append(bs, section(esc(e.Summary)))
	details := e.Details
	more := !full && len(details) > shortDetails
	if more {
		details = details[:shortDetails]
	}
	var lines []string
	for _, d := range details {
		lines = append(lines, "• "+esc(d))
	}
	bs = append(bs, sections(lines)...)
	if f := e.Funding; f != nil {
		s := "*Amount:* " + esc(f.Amount)
		if len(f.Who) > 0 {
			s += "\n*Who:* " + esc(strings.Join(f.Who, "; "))
		}
		if f.Limits != "" {
			s += "\n*Limits:* " + esc(f.Limits)
		}
		bs = append(bs, section(s))
	}
	var fields []*slack.TextBlockObject
	if e.Start != "" {
		fields = append(fields, mrkdwn(cut("*How to start*\n"+esc(e.Start), maxFieldText)))
	}
	fields = append(fields, mrkdwn(cut("*Contacts*\n"+contacts(e), maxFieldText)))
	bs = append(bs, slack.NewSectionBlock(nil, fields, nil))
	if len(e.Guidance) > 0 {
		bs = append(bs, section("*Guidance:* "+esc(strings.Join(e.Guidance, "; "))))
	}
	bs = append(bs, contextLine(esc(bot.SourceLine(e, a.Sources))))
	if more {
		label := fmt.Sprintf("Show all %d local facts", len(e.Details))
		bs = append(bs, slack.NewActionBlock("more", slack.NewButtonBlockElement(actionMore, e.ID, plain(label, maxButtonText))))
	}
	if near := a.Nearby(); len(near) > 0 {
		bs = append(bs, contextLine("In "+esc(a.Place.Name)+":"), buttons("nearby", near))
	}
	if len(a.Related) > 0 {
		bs = append(bs, contextLine("See also:"), buttons("related", a.Related))
	}
	if len(a.Alternatives) > 0 {
		bs = append(bs, contextLine("Or did you mean:"), buttons("alternatives", a.Alternatives))
	}
	return bs, e.Title + ": " + e.Summary
}

// renderFinding lays out the funding finder's answer: what fits and why,
// what almost fits and why not, and the advice routes.
func renderFinding(f *bot.Finding) ([]slack.Block, string) {
	bs := []slack.Block{header("Funding routes"), contextLine("For " + esc(f.Asked) + ".")}
	var fits []*knowledge.Entry
	if len(f.Fits) == 0 {
		bs = append(bs, section("No funding route in the documents fits all of that."))
	}
	for i, fit := range f.Fits {
		s := fmt.Sprintf("*%d. %s*", i+1, esc(fit.Entry.Title))
		if len(fit.Why) > 0 {
			s += "\nWhy: " + esc(strings.Join(fit.Why, "; ")) + "."
		}
		s += "\n" + esc(fit.Entry.Funding.Amount) + ". " + esc(bot.FitNote(fit.Entry)) + "."
		bs = append(bs, section(s))
		fits = append(fits, fit.Entry)
	}
	if len(fits) > 0 {
		bs = append(bs, buttons("fits", fits))
	}
	if len(f.Almost) > 0 {
		lines := []string{"*Almost fit*"}
		for _, fit := range f.Almost {
			lines = append(lines, "• "+esc(fit.Entry.Title)+". Not quite: "+esc(fit.WhyNot)+". "+esc(bot.Status(fit.Entry))+".")
		}
		bs = append(bs, sections(lines)...)
	}
	if f.See != nil {
		s := "*See also " + esc(f.See.Title) + ":* " + esc(f.See.Summary)
		if m := bot.MoneyFact(f.See); m != "" {
			s += "\n• " + esc(m)
		}
		bs = append(bs, section(s))
	}
	if len(f.Advice) > 0 {
		lines := []string{"*Always worth asking*"}
		for _, e := range f.Advice {
			lines = append(lines, "• "+esc(e.Title)+": "+esc(e.Start))
		}
		bs = append(bs, sections(lines)...)
	}
	bs = append(bs, slack.NewActionBlock("again", slack.NewButtonBlockElement(actionReply+":0", "start again", plain("Start again", maxButtonText))))
	return bs, "Funding routes for " + f.Asked
}

// contacts lists an entry's contacts with only the numbers and addresses
// the documents give, or says there are none.
func contacts(e *knowledge.Entry) string {
	var lines []string
	for _, c := range e.Contacts {
		parts := []string{esc(c.Name)}
		if c.Phone != "" {
			parts = append(parts, esc(c.Phone))
		}
		if c.Email != "" {
			parts = append(parts, fmt.Sprintf("<mailto:%s|%s>", esc(c.Email), esc(c.Email)))
		}
		if c.URL != "" {
			parts = append(parts, "<"+esc(c.URL)+">")
		}
		s := strings.Join(parts, ", ")
		if c.Note != "" {
			s += " (" + esc(strings.TrimSuffix(c.Note, ".")) + ")"
		}
		lines = append(lines, "• "+s)
	}
	if line := bot.NoContactLine(e); line != "" {
		lines = append(lines, line)
	}
	return strings.Join(lines, "\n")
}

// buttons is one button an entry, each opening that entry in place.
func buttons(id string, es []*knowledge.Entry) *slack.ActionBlock {
	var els []slack.BlockElement
	for i, e := range es[:min(len(es), maxButtons)] {
		els = append(els, slack.NewButtonBlockElement(fmt.Sprintf("%s:%d", actionAbout, i), e.ID, plain(e.Title, maxButtonText)))
	}
	return slack.NewActionBlock(id, els...)
}

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
	return append(bs[:maxBlocks-1:maxBlocks-1], contextLine("Trimmed to fit Slack: ask about a single entry to see the rest."))
}

// sections packs lines into as few sections as fit in Slack's limit per
// section, never splitting a line unless it alone is too long.
func sections(lines []string) []slack.Block {
	var out []slack.Block
	var b strings.Builder
	flush := func() {
		if b.Len() > 0 {
			out = append(out, section(b.String()))
			b.Reset()
		}
	}
	for _, l := range lines {
		if strings.TrimSpace(l) == "" && b.Len() == 0 {
			continue
		}
		l = cut(l, maxSectionText)
		if b.Len()+1+len(l) > maxSectionText {
			flush()
		}
		if b.Len() > 0 {
			b.WriteByte('\n')
		}
		b.WriteString(l)
	}
	flush()
	return out
}

func header(s string) slack.Block { return slack.NewHeaderBlock(plain(s, maxHeaderText)) }

func section(s string) slack.Block {
	return slack.NewSectionBlock(mrkdwn(cut(s, maxSectionText)), nil, nil)
}

func contextLine(s string) slack.Block {
	return slack.NewContextBlock("", mrkdwn(cut(s, maxSectionText)))
}

// mrkdwn is formatted text that Slack must not rewrite: verbatim stops it
// turning words into links or mentions.
func mrkdwn(s string) *slack.TextBlockObject {
	return slack.NewTextBlockObject(slack.MarkdownType, s, false, true)
}

func plain(s string, max int) *slack.TextBlockObject {
	return slack.NewTextBlockObject(slack.PlainTextType, cut(s, max), false, false)
}

// esc escapes the three characters Slack's mrkdwn gives meaning to, which
// is what turns "<!channel>" into a ping.
func esc(s string) string { return escaper.Replace(s) }

var escaper = strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;")

// cut shortens s to at most max bytes on a rune boundary, marking the cut.
func cut(s string, max int) string {
	if len(s) <= max {
		return s
	}
	s = s[:max-len("…")]
	for !utf8.ValidString(s) {
		s = s[:len(s)-1]
	}
	return s + "…"
}

func firstLine(s string) string {
	first, _, _ := strings.Cut(s, "\n")
	return first
}
