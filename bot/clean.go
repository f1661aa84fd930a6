package bot

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// maxQuestionBytes bounds the text the matcher reads. Real questions are a
// few hundred bytes; a megabyte of pasted text is cut here rather than
// tokenised, so a hostile message costs no more than a long question.
const maxQuestionBytes = 2000

// Clean strips control characters and symbols and repairs invalid UTF-8,
// returning at most maxQuestionBytes of text. Platform markup (mentions,
// custom emoji) is each adapter's to strip: only it knows its platform.
func Clean(s string) string {
	if len(s) > 4*maxQuestionBytes {
		s = s[:4*maxQuestionBytes]
	}
	s = strings.ToValidUTF8(s, " ")
	s = unmark(s)
	s = strings.Map(func(r rune) rune {
		if unicode.IsControl(r) || unicode.Is(unicode.So, r) || unicode.Is(unicode.Cs, r) || r == utf8.RuneError {
			return ' '
		}
		return r
	}, s)
	s = strings.Join(strings.Fields(s), " ")
	if len(s) > maxQuestionBytes {
		cut := maxQuestionBytes
		for cut > 0 && !utf8.RuneStart(s[cut]) {
			cut--
		}
		s = s[:cut]
	}
	return s
}
