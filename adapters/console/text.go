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
	var paras []string
	if head := strings.TrimSpace(r.Title + "\n" + r.Lead); head != "" {
		paras = append(paras, head)
	}
	for i, b := range r.Blocks {
		s := block(b)
		switch {
		case s == "":
		case len(paras) > 0 && (i > 0 && r.Blocks[i-1].Part == bot.Ask || strings.HasSuffix(paras[len(paras)-1], ":")):
			// A question and its choices, or words that introduce
			// what follows, read as one.
			paras[len(paras)-1] += "\n" + s
		default:
			paras = append(paras, s)
		}
	}
	out := strings.Join(paras, "\n\n")
	if width > 0 {
		out = wrap(out, width)
	}
	return out
}

func block(b bot.Block) string {
	var out []string
	if b.Label != "" && (b.Part == bot.Bullets || b.Part == bot.Fields) {
		out = append(out, b.Label+":")
	}
	switch b.Part {
	case bot.Bullets:
		for i, it := range b.Items {
			mark := b.Mark(i, "-")
			ls := it.Lines
			if it.Name != "" {
				ls = append([]string{it.Name}, ls...)
			}
			pad := strings.Repeat(" ", 3+len(mark))
			for j, l := range ls {
				if j == 0 {
					out = append(out, "  "+mark+" "+l)
				} else {
					out = append(out, pad+l)
				}
			}
		}
	case bot.Fields:
		for _, it := range b.Items {
			out = append(out, it.Name+": "+strings.Join(it.Lines, "; "))
		}
	case bot.Terms:
		for _, it := range b.Items {
			out = append(out, fmt.Sprintf("  %-22s %s", it.Name, strings.Join(it.Lines, " ")))
		}
	case bot.Listings:
		// Services from a directory: third-party text, shown as it is
		// but for anything a terminal would act on.
		if b.Label != "" {
			out = append(out, b.Label+":")
		}
		for i, it := range b.Items {
			mark := strconv.Itoa(i+1) + "."
			out = append(out, "  "+mark+" "+inert(it.Name))
			pad := strings.Repeat(" ", 3+len(mark))
			for _, l := range it.Lines {
				out = append(out, pad+inert(l))
			}
		}
		if b.Text != "" {
			out = append(out, "", b.Text)
		}
	case bot.Actions:
		switch {
		case b.Numbered:
			for i, c := range b.Choices {
				out = append(out, fmt.Sprintf("  %d. %s", i+1, c.Label))
			}
		case b.Label != "" && !b.Menu:
			var ls []string
			for _, c := range b.Choices {
				ls = append(ls, c.Label)
			}
			out = append(out, b.Label+": "+strings.Join(ls, "; "))
		}
		if b.Typed != "" {
			out = append(out, "("+b.Typed+")")
		}
	default:
		out = append(out, b.Text)
	}
	return strings.Join(out, "\n")
}

// wrap breaks each line at spaces so none is wider than width, indenting
// the continuation of a bullet or a numbered line under its text. A word
// longer than width stays whole.
func wrap(s string, width int) string {
	var b strings.Builder
	for i, line := range strings.Split(s, "\n") {
		if i > 0 {
			b.WriteByte('\n')
		}
		if utf8.RuneCountInString(line) <= width {
			b.WriteString(line)
			continue
		}
		h := hang(line)
		indent := strings.Repeat(" ", h)
		b.WriteString(line[:h])
		col := h
		for j, w := range strings.Fields(line[h:]) {
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
	}
	return b.String()
}

// hang is where a line's text starts after its indent and any bullet
// ("  - ", "  12. "), so wrapped lines line up under it.
func hang(line string) int {
	n := len(line) - len(strings.TrimLeft(line, " "))
	rest := line[n:]
	mark, _, ok := strings.Cut(rest, " ")
	if !ok {
		return n
	}
	if mark == "-" || (strings.HasSuffix(mark, ".") && strings.Trim(mark, "0123456789.") == "" && len(mark) > 1) {
		return n + len(mark) + 1
	}
	if n == 2 && len(line) > 25 && line[24] == ' ' && line[25] != ' ' {
		// A help line: "  usage   description" wraps under its description.
		return 25
	}
	return n
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
