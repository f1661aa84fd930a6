package discord

import (
	"fmt"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/bathnes/signpost/adapters/internal/pack"
	"github.com/bathnes/signpost/bot"
	"github.com/bathnes/signpost/internal/clip"
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
	// colour is the embeds' edge: B&NES blue.
	colour = 0x1d4f73
)

// Custom ids on buttons and menus. Every choice carries the message a
// click sends back, as if typed: a button's in its custom id after
// idSend, a menu option's as its value. Messages posted before the one
// action vocabulary used the older ids, which still work.
const (
	idSend = "signpost:send:"
	idPick = "signpost:pick:" // a menu; the picked value is the message
	// Older ids: about, more and open carry an entry id.
	idAbout = "signpost:about:"
	idMore  = "signpost:more:"
	idOpen  = "signpost:open:"
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

// render lays a reply out as one embed and rows of components. The lead
// and short parts make the description; labelled lists and fields become
// embed fields; choices become buttons and menus. When there are more
// rows than Discord allows, the choices that answer a question asked are
// kept first.
func render(r bot.Reply) reply {
	e := &discordgo.MessageEmbed{Color: colour, Title: r.Title}
	desc := []string{r.Lead}
	note := ""
	var main, rest []discordgo.MessageComponent
	for _, b := range r.Blocks {
		switch b.Part {
		case bot.Paragraph, bot.Notice:
			desc = append(desc, b.Text)
		case bot.Ask:
			desc = append(desc, "**"+b.Text+"**")
		case bot.Terms:
			var ls []string
			for _, it := range b.Items {
				ls = append(ls, "`"+it.Name+"`  "+strings.Join(it.Lines, " "))
			}
			desc = append(desc, strings.Join(ls, "\n"))
		case bot.Bullets:
			ls := bullets(b)
			if b.Label == "" {
				desc = append(desc, strings.Join(ls, "\n"))
			} else {
				e.Fields = append(e.Fields, fields(b.Label, ls)...)
			}
		case bot.Fields:
			for _, it := range b.Items {
				e.Fields = append(e.Fields, field(it.Name, strings.Join(it.Lines, "\n")))
			}
		case bot.Footer:
			e.Footer = &discordgo.MessageEmbedFooter{Text: b.Text}
		case bot.Listings:
			// Services from a directory: a field each, under a field
			// that names them and says where they come from, or with
			// that note as the footer when the reply has none.
			if b.Label != "" {
				e.Fields = append(e.Fields, field(b.Label, b.Text))
			} else {
				note = b.Text
			}
			for i, it := range b.Items {
				var ls []string
				for _, l := range it.Lines {
					ls = append(ls, inert(l))
				}
				e.Fields = append(e.Fields, field(strconv.Itoa(i+1)+". "+inert(it.Name), strings.Join(ls, "\n")))
			}
		case bot.Actions:
			if b.Main {
				main = append(main, components(b)...)
			} else {
				rest = append(rest, components(b)...)
			}
		}
	}
	if note != "" {
		if e.Footer == nil {
			e.Footer = &discordgo.MessageEmbedFooter{Text: note}
		} else {
			desc = append(desc, note)
		}
	}
	e.Description = strings.Join(slices.DeleteFunc(desc, func(s string) bool { return s == "" }), "\n\n")
	fit(e)
	main = main[:min(len(main), maxRows)]
	rows := append(rest[:min(len(rest), maxRows-len(main))], main...)
	return reply{Embeds: []*discordgo.MessageEmbed{e}, Components: rows}
}

// bullets are a Bullets block's lines, each item's name in bold.
func bullets(b bot.Block) []string {
	var ls []string
	for i, it := range b.Items {
		lines := it.Lines
		if it.Name != "" {
			lines = append([]string{"**" + it.Name + "**"}, lines...)
		}
		ls = append(ls, b.Mark(i, "•")+" "+strings.Join(lines, "\n"))
	}
	return ls
}

// components are a block's choices: menus of 25 options, or rows of five
// buttons. A choice whose message does not fit in a custom id (100
// characters) is left out rather than make Discord reject the message.
func components(b bot.Block) []discordgo.MessageComponent {
	var rows []discordgo.MessageComponent
	if b.Menu {
		var opts []discordgo.SelectMenuOption
		for _, c := range b.Choices {
			if len(c.Reply) <= maxCustomID {
				opts = append(opts, discordgo.SelectMenuOption{Label: clip.Runes(c.Label, maxOptionLabel), Value: c.Reply})
			}
		}
		for i := 0; i < len(opts) && len(rows) < maxRows; i += maxOptions {
			rows = append(rows, discordgo.ActionsRow{Components: []discordgo.MessageComponent{discordgo.SelectMenu{
				CustomID: fmt.Sprintf("%s%d", idPick, i/maxOptions), Placeholder: clip.Runes(b.Label, maxOptionLabel), Options: opts[i:min(i+maxOptions, len(opts))],
			}}})
		}
		return rows
	}
	style := discordgo.SecondaryButton
	if b.Main {
		style = discordgo.PrimaryButton
	}
	var bs []discordgo.MessageComponent
	for _, c := range b.Choices {
		if len(idSend+c.Reply) > maxCustomID {
			continue
		}
		if len(bs) == maxRowButtons {
			rows = append(rows, discordgo.ActionsRow{Components: bs})
			bs = nil
		}
		bs = append(bs, discordgo.Button{Label: clip.Runes(c.Label, maxLabel), Style: style, CustomID: idSend + c.Reply})
	}
	return appendRow(rows, discordgo.ActionsRow{Components: bs})
}

// clicked is the message a click sends back, or "" for a component that
// is not signpost's.
func clicked(d discordgo.MessageComponentInteractionData) string {
	picked := ""
	if len(d.Values) > 0 {
		picked = d.Values[0]
	}
	id := d.CustomID
	switch {
	case strings.HasPrefix(id, idSend):
		return strings.TrimPrefix(id, idSend)
	case strings.HasPrefix(id, idPick):
		return picked
	case strings.HasPrefix(id, idReply):
		return strings.TrimPrefix(id, idReply)
	case strings.HasPrefix(id, idOpen) && picked != "":
		return bot.About(picked)
	case strings.HasPrefix(id, idAbout), strings.HasPrefix(id, idMore):
		if entry := id[strings.LastIndexByte(id, ':')+1:]; entry != "" {
			return bot.About(entry)
		}
	}
	return ""
}

// appendRow adds row unless it is empty, which Discord rejects.
func appendRow(rows []discordgo.MessageComponent, row discordgo.ActionsRow) []discordgo.MessageComponent {
	if len(row.Components) == 0 {
		return rows
	}
	return append(rows, row)
}

func field(name, value string) *discordgo.MessageEmbedField {
	return &discordgo.MessageEmbedField{Name: clip.Runes(name, maxFieldName), Value: clip.Runes(value, maxFieldValue)}
}

// fields packs lines into as few fields as fit, naming each continuation.
func fields(name string, lines []string) []*discordgo.MessageEmbedField {
	var out []*discordgo.MessageEmbedField
	for i, chunk := range pack.Lines(lines, maxFieldValue, clip.Runes) {
		n := name
		if i > 0 {
			n += " " + bot.Continued
		}
		out = append(out, field(n, chunk))
	}
	return out
}

// fit trims an embed to Discord's limits: each part to its own, then
// fields from the end, then the description, until the total fits.
func fit(e *discordgo.MessageEmbed) {
	e.Title = clip.Runes(e.Title, maxTitle)
	e.Description = clip.Runes(e.Description, maxDescription)
	if e.Footer != nil {
		e.Footer.Text = clip.Runes(e.Footer.Text, maxFooter)
	}
	if len(e.Fields) > maxFields {
		e.Fields = e.Fields[:maxFields]
	}
	for size(e) > maxEmbedTotal && len(e.Fields) > 0 {
		e.Fields = e.Fields[:len(e.Fields)-1]
	}
	if over := size(e) - maxEmbedTotal; over > 0 {
		e.Description = clip.Runes(e.Description, max(1, utf8.RuneCountInString(e.Description)-over))
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

// inert is a record's text made to show as typed in Discord's markdown:
// a backslash goes before every character that marks text up anywhere
// (bold, italics, code, spoilers, masked links, and "<" that opens a
// mention, channel or emoji) and before what starts a heading, quote or
// list at the start of the line, and @everyone and @here are broken
// with a zero-width space. A web address is left whole so it still
// links, unless it holds a character that could close a masked link or
// open markup. Nothing would ping anyway (every message allows no
// mentions); this keeps a record from changing how a reply reads.
func inert(s string) string {
	if strings.ContainsAny(s, "\r\n") {
		// Each line starts anew in markdown: escape each as one.
		lines := strings.FieldsFunc(s, func(r rune) bool { return r == '\r' || r == '\n' })
		for i, l := range lines {
			lines[i] = inert(l)
		}
		return strings.Join(lines, " ")
	}
	var b strings.Builder
	for i, w := range strings.Split(s, " ") {
		if i > 0 {
			b.WriteByte(' ')
		}
		if safeURL.MatchString(w) {
			b.WriteString(w)
			continue
		}
		for j, r := range w {
			if strings.ContainsRune(markupChars, r) || i == 0 && j == 0 && strings.ContainsRune(lineStarts, r) {
				b.WriteByte('\\')
			}
			b.WriteRune(r)
		}
	}
	out := b.String()
	if m := numbered.FindStringIndex(out); m != nil {
		out = out[:m[1]-1] + "\\" + out[m[1]-1:] // "1. " would start a list
	}
	return everyone.ReplaceAllString(out, "@\u200b$1")
}

const (
	// markupChars mark text up wherever they stand.
	markupChars = "\\*_~`|[]()<"
	// lineStarts start a heading, a quote or a list.
	lineStarts = "#>-+"
)

var (
	// safeURL is a web address with nothing markdown could read in it.
	safeURL  = regexp.MustCompile(`^https?://[A-Za-z0-9._~\-/?=&%+,;:!$'@]+$`)
	numbered = regexp.MustCompile(`^[0-9]+\.`)
	everyone = regexp.MustCompile(`(?i)@(everyone|here)`)
)
