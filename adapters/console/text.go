package console

import (
	"fmt"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/bathnes/signpost/bot"
)

// Width is a terminal's usual width; replies are wrapped to it, between
// words, so an 80-column terminal never breaks one.
const Width = 80

// Text lays a reply out as plain text, wrapped to width columns (0 for no
// wrapping). Where a chat platform has buttons, a terminal lists the
// choices and says what to type.
func Text(r bot.Reply, width int) string {
	var paras [][]line
	var head []line
	for _, s := range []string{r.Title, r.Lead} {
		head = append(head, plainLines("", s)...)
	}
	if len(head) > 0 {
		paras = append(paras, head)
	}
	for _, b := range r.Blocks {
		ls := block(b)
		switch {
		case len(ls) == 0:
		case b.Follows && len(paras) > 0:
			// Words that lead into what follows, or a question and
			// its choices, read as one.
			paras[len(paras)-1] = append(paras[len(paras)-1], ls...)
		default:
			paras = append(paras, ls)
		}
	}
	out := make([]string, len(paras))
	for i, p := range paras {
		ls := make([]string, len(p))
		for j, l := range p {
			ls[j] = l.wrap(width)
		}
		out[i] = strings.Join(ls, "\n")
	}
	return strings.Join(out, "\n\n")
}

// line is one line of a terminal reply: its mark (an indent, and a bullet,
// a number or a command's usage) and its text, which wraps under itself.
type line struct {
	mark, text string
}

// plainLines are text's lines after mark, the first marked and the rest
// as plain lines of their own.
func plainLines(mark, text string) []line {
	if text == "" {
		return nil
	}
	var out []line
	for i, s := range strings.Split(text, "\n") {
		if i > 0 {
			mark = ""
		}
		out = append(out, line{mark, s})
	}
	return out
}

func block(b bot.Block) []line {
	var out []line
	if b.Label != "" && (b.Part == bot.Bullets || b.Part == bot.Fields || b.Part == bot.Listings) {
		out = append(out, line{text: b.Label + ":"})
	}
	switch b.Part {
	case bot.Bullets:
		for i, it := range b.Items {
			ls := it.Lines
			if it.Name != "" {
				ls = append([]string{it.Name}, ls...)
			}
			out = append(out, item(b.Mark(i, "-"), ls)...)
		}
	case bot.Fields:
		for _, it := range b.Items {
			out = append(out, line{text: it.Name + ": " + strings.Join(it.Lines, "; ")})
		}
	case bot.Terms:
		for _, it := range b.Items {
			out = append(out, line{fmt.Sprintf("  %-22s ", it.Name), strings.Join(it.Lines, " ")})
		}
	case bot.Listings:
		// Services from a directory: third-party text, shown as it is
		// but for anything a terminal would act on.
		for i, it := range b.Items {
			ls := []string{inert(it.Name)}
			for _, l := range it.Lines {
				ls = append(ls, inert(l))
			}
			out = append(out, item(strconv.Itoa(i+1)+".", ls)...)
		}
		if b.Text != "" {
			out = append(out, line{}, line{text: b.Text})
		}
	case bot.Actions:
		out = append(out, actions(b)...)
	default:
		out = append(out, plainLines("", b.Text)...)
	}
	return out
}

// item is a list's item: its mark before its first line, and the rest
// each under the one before.
func item(mark string, lines []string) []line {
	var out []line
	for j, l := range lines {
		if j == 0 {
			out = append(out, line{"  " + mark + " ", l})
		} else {
			out = append(out, line{strings.Repeat(" ", 3+len(mark)), l})
		}
	}
	return out
}

// actions are choices where nothing can be clicked: numbered, to be
// answered by number, or named after their label; and what to type.
func actions(b bot.Block) []line {
	var out []line
	switch {
	case b.Numbered:
		for i, c := range b.Choices {
			out = append(out, line{"  " + strconv.Itoa(i+1) + ". ", c.Label})
		}
	case b.Label != "" && !b.Menu:
		var ls []string
		for _, c := range b.Choices {
			ls = append(ls, c.Label)
		}
		out = append(out, line{text: b.Label + ": " + strings.Join(ls, "; ")})
	}
	if b.Typed != "" {
		out = append(out, line{text: "(" + b.Typed + ")"})
	}
	return out
}

// wrap breaks the line at spaces so it is no wider than width (0 for no
// limit), lining its text up under the first word after its mark. A word
// longer than width stays whole.
func (l line) wrap(width int) string {
	whole := l.mark + l.text
	if width <= 0 || utf8.RuneCountInString(whole) <= width {
		return whole
	}
	var b strings.Builder
	b.WriteString(l.mark)
	h := utf8.RuneCountInString(l.mark)
	indent := strings.Repeat(" ", h)
	col := h
	for j, w := range strings.Fields(l.text) {
		n := utf8.RuneCountInString(w)
		switch {
		case j == 0:
			b.WriteString(w)
			col += n
		case col+1+n > width:
			b.WriteString("\n" + indent + w)
			col = h + n
		default:
			b.WriteString(" " + w)
			col += 1 + n
		}
	}
	return b.String()
}

// inert is a record's text with nothing a terminal acts on: control
// characters (an escape sequence could clear the screen or retitle the
// window) and formatting characters (a bidirectional override could
// reorder what is read) are dropped, line breaks become spaces. The core
// has cleaned it already; a terminal does not rely on that.
func inert(s string) string {
	return strings.Map(func(r rune) rune {
		switch {
		case r == '\n' || r == '\t':
			return ' '
		case unicode.IsControl(r) || unicode.Is(unicode.Cf, r):
			return -1
		}
		return r
	}, s)
}
