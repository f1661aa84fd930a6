package bot

import (
	"regexp"
	"strings"
)

// scrubbers replace what could identify someone in a question before any
// of it is kept: people describe their own lives to signpost, and the
// knowledge base's editors need the words, not the person.
var scrubbers = []struct {
	re   *regexp.Regexp
	with string
}{
	{regexp.MustCompile(`(?i)\bhttps?://\S+|\bwww\.\S+`), "[url]"},
	{regexp.MustCompile(`(?i)[A-Z0-9._%+-]+@[A-Z0-9-]+(\.[A-Z0-9-]+)+`), "[email]"},
	{regexp.MustCompile(`<@[!&]?\w+>|(^|\s)@\w[\w.-]*`), " [mention]"},
	// UK postcodes: "BA1 1AA", "ba11aa", "BS40 8TL".
	{regexp.MustCompile(`(?i)\b[A-Z]{1,2}[0-9][A-Z0-9]?\s*[0-9][A-Z]{2}\b`), "[postcode]"},
	// Phone numbers: +44 or 0, then 9 or 10 more digits, with spaces,
	// dots, dashes or brackets between.
	{regexp.MustCompile(`(\+44\s?\(?0?\)?|\b0)[\s.\-()]*\d(?:[\s.\-()]*\d){8,9}\b`), "[phone]"},
	// Account, reference and card numbers: any run of six or more digits
	// (with spaces or dashes between groups), but not a sum of money.
	{regexp.MustCompile(`(^|[^£\w,.])\d(?:[\s\-]?\d){5,}\b`), "$1[number]"},
}

// Scrub replaces e-mail addresses, phone numbers, postcodes, web
// addresses, @mentions and long numbers with [email], [phone],
// [postcode], [url], [mention] and [number].
func Scrub(s string) string {
	for _, sc := range scrubbers {
		s = sc.re.ReplaceAllString(s, sc.with)
	}
	return s
}

// unmark takes the same details out of a question before it is read:
// "jo@example.org" or a phone number says nothing about which tool is
// meant, and its words ("example", "org") would only mislead.
func unmark(s string) string {
	for _, sc := range scrubbers {
		with := " "
		if strings.HasPrefix(sc.with, "$1") {
			with = "$1 "
		}
		s = sc.re.ReplaceAllString(s, with)
	}
	return s
}
