package discord

import (
	"fmt"
	"strings"
	"unicode/utf8"

	"github.com/bathnes/signpost/bot"
	"github.com/bathnes/signpost/knowledge"
	"github.com/bwmarrin/discordgo"
)

// Discord's limits on a message. Over any of them Discord rejects the whole
// message, so the renderer trims to fit instead.
const (
	maxTitle       = 256
	maxDescription = 4096
	maxFields      = 25
	maxFieldName   = 256
	maxFieldValue  = 1024
	maxFooter      = 2048
	maxEmbedTotal  = 6000
	maxRows        = 5
	maxRowButtons  = 5
	maxLabel       = 80
	maxOptions     = 25
	maxOptionLabel = 100
	maxChoices     = 25
	maxCustomID    = 100
	// shortDetails is how many local facts an answer shows before the
	// "more" button; the click shows them all.
	shortDetails = 4
	// colour is the embeds' edge: B&NES blue.
	colour = 0x1d4f73
)

// Custom ids on buttons and menus: prefix plus an entry id (menus carry
// the id as their value).
const (
	idAbout = "signpost:about:"
	idMore  = "signpost:more:"
	idOpen  = "signpost:open:" // a list's menus: the picked value is the id
	// idReply carries a prompt's choice, sent back as if typed.
	idReply = "signpost:reply:"
)

// noPings is sent with every message and interaction response: an empty
// parse list (not a missing one) tells Discord to resolve no @everyone,
// @here, role or user mention, whatever the text holds.
func noPings() *discordgo.MessageAllowedMentions {
	return &discordgo.MessageAllowedMentions{Parse: []discordgo.AllowedMentionType{}}
}

// reply is a rendered answer.
type reply struct {
	Embeds     []*discordgo.MessageEmbed
	Components []discordgo.MessageComponent
}

// render builds the embed and components for an answer. full shows every
// detail of an entry (after a "more" click).
func render(a bot.Answer, full bool) reply {
	e := &discordgo.MessageEmbed{Color: colour}
	var rows []discordgo.MessageComponent
	switch a.Kind {
	case bot.Matched:
		rows = renderEntry(e, a, full)
	case bot.Note:
		if a.Prompt == nil || a.Message != a.Prompt.Text {
			e.Description = a.Message
		}
	case bot.Funding:
		rows = renderFinding(e, a.Finding)
	case bot.Unsure:
		e.Description = bot.NotSure
		if line := bot.FallbackLine(a.Fallback); line != "" {
			e.Description += "\n\n" + line
		}
		if len(a.Alternatives) > 0 {
			e.Description += "\n\nDid you mean:"
			rows = appendRow(rows, buttons(a.Alternatives, discordgo.PrimaryButton))
		}
	case bot.Help:
		e.Title = "What signpost can do"
		var b strings.Builder
		b.WriteString("I find your way through the B&NES Connecting Communities toolkit. Ask in your own words: message me directly, mention me, or use `/signpost question:`. Or:\n")
		for _, c := range a.Commands {
			fmt.Fprintf(&b, "\n`%s`  %s", c.Usage, c.Description)
		}
		e.Description = b.String()
		e.Footer = &discordgo.MessageEmbedFooter{Text: "Facts come from council documents of 2011–2014; every answer says which, and how old."}
	case bot.List:
		e.Title = a.Title
		var opts []discordgo.SelectMenuOption
		for _, g := range a.Groups {
			var lines []string
			for _, en := range g.Entries {
				lines = append(lines, "• "+en.Title)
				if fits(en.ID) {
					opts = append(opts, discordgo.SelectMenuOption{Label: cut(en.Title, maxOptionLabel), Value: en.ID})
				}
			}
			e.Fields = append(e.Fields, fields(g.Name, lines)...)
		}
		// One menu holds 25 options; a long list takes several rows.
		for i := 0; i < len(opts) && len(rows) < maxRows; i += maxOptions {
			chunk := opts[i:min(i+maxOptions, len(opts))]
			rows = append(rows, discordgo.ActionsRow{Components: []discordgo.MessageComponent{discordgo.SelectMenu{
				CustomID:    fmt.Sprintf("%s%d", idOpen, i/maxOptions),
				Placeholder: "Open one…",
				Options:     chunk,
			}}})
		}
	default:
		e.Description = bot.Text(a)
	}
	if p := a.Prompt; p != nil {
		// The question leads the embed's last words; its choices are the
		// last row, so they are seen first.
		if e.Description != "" {
			e.Description += "\n\n"
		}
		e.Description += "**" + p.Text + "**"
		// The choices take the rows they need, five to a row; the entry's
		// own buttons give way.
		var choiceRows []discordgo.MessageComponent
		var bs []discordgo.MessageComponent
		for _, c := range p.Choices {
			if len(idReply+c.Reply) > maxCustomID {
				continue
			}
			if len(bs) == maxRowButtons {
				choiceRows = append(choiceRows, discordgo.ActionsRow{Components: bs})
				bs = nil
			}
			bs = append(bs, discordgo.Button{Label: cut(c.Label, maxLabel), Style: discordgo.PrimaryButton, CustomID: idReply + c.Reply})
		}
		choiceRows = appendRow(choiceRows, discordgo.ActionsRow{Components: bs})
		choiceRows = choiceRows[:min(len(choiceRows), maxRows)]
		rows = append(rows[:min(len(rows), maxRows-len(choiceRows))], choiceRows...)
	}
	fit(e)
	return reply{Embeds: []*discordgo.MessageEmbed{e}, Components: rows}
}

func renderEntry(e *discordgo.MessageEmbed, a bot.Answer, full bool) []discordgo.MessageComponent {
	en := a.Entry
	e.Title = en.Title
	var b strings.Builder
	if a.Place != nil {
		// What is true where the asker is comes first.
		b.WriteString(bot.LocalText(a) + "\n\n")
	}
	details := en.Details
	more := !full && len(details) > shortDetails
	if more {
		details = details[:shortDetails]
	}
	b.WriteString(en.Summary)
	if len(details) > 0 {
		b.WriteString("\n")
		for _, d := range details {
			b.WriteString("\n• " + d)
		}
	}
	e.Description = b.String()
	if f := en.Funding; f != nil {
		v := "Amount: " + f.Amount
		if len(f.Who) > 0 {
			v += "\nWho: " + strings.Join(f.Who, "; ")
		}
		if f.Limits != "" {
			v += "\n" + f.Limits
		}
		e.Fields = append(e.Fields, field("Funding", v))
	}
	if en.Start != "" {
		e.Fields = append(e.Fields, field("How to start", en.Start))
	}
	e.Fields = append(e.Fields, field("Contacts", contacts(en)))
	if len(en.Guidance) > 0 {
		e.Fields = append(e.Fields, field("Guidance", strings.Join(en.Guidance, "; ")))
	}
	e.Footer = &discordgo.MessageEmbedFooter{Text: bot.SourceLine(en, a.Sources)}

	var rows []discordgo.MessageComponent
	if more && fits(en.ID) {
		rows = append(rows, discordgo.ActionsRow{Components: []discordgo.MessageComponent{discordgo.Button{
			Label: fmt.Sprintf("Show all %d local facts", len(en.Details)), Style: discordgo.SecondaryButton, CustomID: idMore + en.ID,
		}}})
	}
	rows = appendRow(rows, buttons(a.Nearby(), discordgo.SuccessButton))
	rows = appendRow(rows, buttons(a.Related, discordgo.SecondaryButton))
	rows = appendRow(rows, buttons(a.Alternatives, discordgo.PrimaryButton))
	return rows
}

// renderFinding lays out the funding finder's answer as embed fields, with
// a button for each route that fits and one to start again.
func renderFinding(e *discordgo.MessageEmbed, f *bot.Finding) []discordgo.MessageComponent {
	e.Title = "Funding routes"
	e.Description = "For " + f.Asked + "."
	if len(f.Fits) == 0 {
		e.Description += "\n\nNo funding route in the documents fits all of that."
	}
	var fits []*knowledge.Entry
	for i, fit := range f.Fits {
		v := ""
		if len(fit.Why) > 0 {
			v = "Why: " + strings.Join(fit.Why, "; ") + ".\n"
		}
		v += fit.Entry.Funding.Amount + ". " + bot.FitNote(fit.Entry) + "."
		e.Fields = append(e.Fields, field(fmt.Sprintf("%d. %s", i+1, fit.Entry.Title), v))
		fits = append(fits, fit.Entry)
	}
	if len(f.Almost) > 0 {
		var lines []string
		for _, fit := range f.Almost {
			lines = append(lines, "• "+fit.Entry.Title+". Not quite: "+fit.WhyNot+".")
		}
		e.Fields = append(e.Fields, fields("Almost fit", lines)...)
	}
	if f.See != nil {
		v := f.See.Summary
		if m := bot.MoneyFact(f.See); m != "" {
			v += "\n• " + m
		}
		e.Fields = append(e.Fields, field("See also "+f.See.Title, v))
	}
	for _, a := range f.Advice {
		e.Fields = append(e.Fields, field("Always worth asking: "+a.Title, a.Start))
	}
	e.Footer = &discordgo.MessageEmbedFooter{Text: "Facts from council documents of 2011–2014: check a route is still open with Council Connect before you apply."}
	var rows []discordgo.MessageComponent
	rows = appendRow(rows, buttons(fits, discordgo.SuccessButton))
	rows = append(rows, discordgo.ActionsRow{Components: []discordgo.MessageComponent{discordgo.Button{
		Label: "Start again", Style: discordgo.SecondaryButton, CustomID: idReply + "start again"}}})
	return rows
}

// contacts lists an entry's contacts with only the numbers and addresses
// the documents give, or says there are none.
func contacts(e *knowledge.Entry) string {
	lines := bot.ContactLines(e)
	for i, l := range lines {
		lines[i] = "• " + l
	}
	if line := bot.NoContactLine(e); line != "" {
		lines = append(lines, line)
	}
	return strings.Join(lines, "\n")
}

// buttons is a row of up to five buttons, each opening an entry in place.
func buttons(es []*knowledge.Entry, style discordgo.ButtonStyle) discordgo.ActionsRow {
	var bs []discordgo.MessageComponent
	for _, e := range es {
		if fits(e.ID) && len(bs) < maxRowButtons {
			bs = append(bs, discordgo.Button{Label: cut(e.Title, maxLabel), Style: style, CustomID: idAbout + e.ID})
		}
	}
	return discordgo.ActionsRow{Components: bs}
}

// appendRow adds row unless it is empty, which Discord rejects.
func appendRow(rows []discordgo.MessageComponent, row discordgo.ActionsRow) []discordgo.MessageComponent {
	if len(row.Components) == 0 {
		return rows
	}
	return append(rows, row)
}

// fits reports whether an id fits in a custom id or an autocomplete value
// (100 characters). kb check holds ids to 64, so only an entry built some
// other way can fail this; it then gets no button rather than a message
// Discord rejects.
func fits(id string) bool { return len(idAbout+id) <= maxCustomID }

func field(name, value string) *discordgo.MessageEmbedField {
	return &discordgo.MessageEmbedField{Name: cut(name, maxFieldName), Value: cut(value, maxFieldValue)}
}

// fields packs lines into as few fields as fit, naming each continuation.
func fields(name string, lines []string) []*discordgo.MessageEmbedField {
	var out []*discordgo.MessageEmbedField
	var b strings.Builder
	flush := func() {
		if b.Len() > 0 {
			n := name
			if len(out) > 0 {
				n += " (continued)"
			}
			out = append(out, field(n, b.String()))
			b.Reset()
		}
	}
	for _, l := range lines {
		l = cut(l, maxFieldValue)
		if b.Len()+1+len(l) > maxFieldValue {
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

// fit trims an embed to Discord's limits: each part to its own, then
// fields from the end, then the description, until the total fits.
func fit(e *discordgo.MessageEmbed) {
	e.Title = cut(e.Title, maxTitle)
	e.Description = cut(e.Description, maxDescription)
	if e.Footer != nil {
		e.Footer.Text = cut(e.Footer.Text, maxFooter)
	}
	if len(e.Fields) > maxFields {
		e.Fields = e.Fields[:maxFields]
	}
	for size(e) > maxEmbedTotal && len(e.Fields) > 0 {
		e.Fields = e.Fields[:len(e.Fields)-1]
	}
	if over := size(e) - maxEmbedTotal; over > 0 {
		e.Description = cut(e.Description, max(1, utf8.RuneCountInString(e.Description)-over))
	}
}

// size counts an embed's characters the way Discord does for its total.
func size(e *discordgo.MessageEmbed) int {
	n := utf8.RuneCountInString(e.Title) + utf8.RuneCountInString(e.Description)
	if e.Footer != nil {
		n += utf8.RuneCountInString(e.Footer.Text)
	}
	for _, f := range e.Fields {
		n += utf8.RuneCountInString(f.Name) + utf8.RuneCountInString(f.Value)
	}
	return n
}

// cut shortens s to at most max characters, marking the cut.
func cut(s string, max int) string {
	if utf8.RuneCountInString(s) <= max {
		return s
	}
	r := []rune(s)
	return string(r[:max-1]) + "…"
}
