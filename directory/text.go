package directory

import (
	"html"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/bathnes/signpost/internal/stem"
)

// PlainText turns a feed's text, which may be HTML (Bristol's descriptions
// are), into plain text: tags are dropped, the contents of script and style
// elements and comments are dropped whole, block elements become line breaks
// and list items "- " lines, entities are decoded, runs of spaces collapse,
// and control characters go. The result holds no markup that means anything
// to a browser only because nothing here is ever rendered unescaped: a
// decoded "&lt;b&gt;" is the text "<b>", which a renderer must still escape,
// as it must escape every other string.
//
// It is a small scanner rather than an HTML parser because the input is short
// descriptive prose and the output is only ever shown as text: an attacker's
// malformed markup can at worst leave stray words, never live markup.
func PlainText(s string) string {
	if !strings.ContainsAny(s, "<&") {
		return tidy(s)
	}
	var b strings.Builder
	b.Grow(len(s))
	for i := 0; i < len(s); {
		if s[i] != '<' {
			j := strings.IndexByte(s[i:], '<')
			if j < 0 {
				j = len(s) - i
			}
			b.WriteString(html.UnescapeString(s[i : i+j]))
			i += j
			continue
		}
		if strings.HasPrefix(s[i:], "<!--") {
			end := strings.Index(s[i+4:], "-->")
			if end < 0 {
				break
			}
			i += 4 + end + 3
			continue
		}
		end := strings.IndexByte(s[i:], '>')
		if end < 0 {
			// A "<" that opens no tag is text ("under <5s").
			b.WriteString(html.UnescapeString(s[i:]))
			break
		}
		name, closing := tagName(s[i+1 : i+end])
		i += end + 1
		switch name {
		case "script", "style", "template", "iframe", "object", "svg", "noscript":
			if closing {
				continue
			}
			// Skip to the matching end tag; an unclosed one swallows the rest.
			k := indexFold(s[i:], "</"+name)
			if k < 0 {
				i = len(s)
				continue
			}
			i += k
			if e := strings.IndexByte(s[i:], '>'); e >= 0 {
				i += e + 1
			} else {
				i = len(s)
			}
		case "br":
			b.WriteByte('\n')
		case "li":
			if !closing {
				b.WriteString("\n- ")
			}
		case "p", "div", "h1", "h2", "h3", "h4", "h5", "h6", "ul", "ol", "table", "tr",
			"section", "article", "header", "footer", "blockquote", "pre", "hr", "dl", "dt", "dd":
			b.WriteString("\n\n")
		case "td", "th":
			b.WriteByte(' ')
		}
	}
	return tidy(b.String())
}

// tagName reads the element name from the inside of a tag ("/p", "a href=…").
func tagName(s string) (name string, closing bool) {
	if strings.HasPrefix(s, "/") {
		closing = true
		s = s[1:]
	}
	end := 0
	for end < len(s) && (isASCIILetter(s[end]) || (end > 0 && s[end] >= '0' && s[end] <= '9')) {
		end++
	}
	return strings.ToLower(s[:end]), closing
}

func isASCIILetter(c byte) bool { return c|0x20 >= 'a' && c|0x20 <= 'z' }

func indexFold(s, sub string) int {
	n := len(sub)
	for i := 0; i+n <= len(s); i++ {
		if strings.EqualFold(s[i:i+n], sub) {
			return i
		}
	}
	return -1
}

// tidy collapses spaces within lines, keeps at most one blank line between
// paragraphs, drops control and format characters, and trims.
func tidy(s string) string {
	var b strings.Builder
	b.Grow(len(s))
	space, newlines := false, 0
	for _, r := range s {
		if r == utf8.RuneError {
			continue
		}
		switch {
		case r == '\n':
			newlines++
			space = false
			continue
		case unicode.IsSpace(r):
			space = true
			continue
		case unicode.IsControl(r) || unicode.Is(unicode.Cf, r):
			continue
		}
		if b.Len() > 0 {
			switch {
			case newlines >= 2:
				b.WriteString("\n\n")
			case newlines == 1:
				b.WriteByte('\n')
			case space:
				b.WriteByte(' ')
			}
		}
		newlines, space = 0, false
		b.WriteRune(r)
	}
	return b.String()
}

// stopWords are dropped from questions and records before matching: they
// say nothing about which service is meant.
var stopWords = wordSet(`a about all also am an and any anyone anything are around as at be been being
	but by can could do does find for from get go going got had has have he help her here him his how i if
	in into is it its just local locally looking me more my near nearby need needs of on or our out over
	place places please round she so some something somewhere than that the their them then there these
	they thing things this those to too up us very was we were what when where which who whom why will
	with within would you your`)

func wordSet(s string) map[string]bool {
	m := map[string]bool{}
	for _, w := range strings.Fields(s) {
		m[w] = true
	}
	return m
}

// tokens splits text into lower-case words for the index: letters and digits
// only, stop words dropped, each reduced by stem.
func tokens(s string, out []string) []string {
	start := -1
	flush := func(end int) {
		if start < 0 {
			return
		}
		w := strings.ToLower(s[start:end])
		start = -1
		if len(w) < 2 || stopWords[w] {
			return
		}
		out = append(out, stem.Word(w))
	}
	for i, r := range s {
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			if start < 0 {
				start = i
			}
			continue
		}
		flush(i)
	}
	if start >= 0 {
		flush(len(s))
	}
	return out
}
