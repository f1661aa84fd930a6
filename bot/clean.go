package bot

import (
	"regexp"
	"strings"
	"unicode"
	"unicode/utf8"
)

// maxQuestionBytes bounds the text the matcher reads. Real questions are a
// few hundred bytes; a megabyte of pasted text is cut here rather than
// tokenised, so a hostile message costs no more than a long question.
const maxQuestionBytes = 2000

// chatNoise matches platform markup that carries no meaning for matching:
// Slack and Discord mentions, channel links, special mentions, custom emoji.
var chatNoise = regexp.MustCompile(`<[@#!][^>\s]*>|<a?:[a-zA-Z0-9_~]+:\d+>|@(everyone|here|channel)\b|:[a-z0-9_+\-]+:`)

// Clean strips chat markup and control characters and repairs invalid
// UTF-8, returning at most maxQuestionBytes of text.
func Clean(s string) string {
	if len(s) > 4*maxQuestionBytes {
		s = s[:4*maxQuestionBytes]
	}
	s = strings.ToValidUTF8(s, " ")
	if strings.ContainsAny(s, "<@:") {
		s = chatNoise.ReplaceAllString(s, " ")
	}
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
