package bot

import (
	"regexp"
	"strings"
)

// scrubbers replace what could identify someone in a question before any
// of it is kept: people describe their own lives to signpost, and the
// knowledge base's editors need the words, not the person. worth is a
// cheap test that the pattern could match at all (digits is how many the
// text holds), so an ordinary question costs no regular expression.
var scrubbers = []struct {
	re    *regexp.Regexp
	with  string
	worth func(s string, digits int) bool
}{
	{regexp.MustCompile(`(?i)\bhttps?://\S+|\bwww\.\S+`), "[url]",
		func(s string, _ int) bool {
			return strings.Contains(s, "://") || strings.Contains(strings.ToLower(s), "www.")
		}},
	{regexp.MustCompile(`(?i)[A-Z0-9._%+-]+@[A-Z0-9-]+(\.[A-Z0-9-]+)+`), "[email]", hasAt},
	{regexp.MustCompile(`<@[!&]?\w+>|(^|\s)@\w[\w.-]*`), " [mention]", hasAt},
	// UK postcodes: "BA1 1AA", "ba11aa", "BS40 8TL".
	{regexp.MustCompile(`(?i)\b[A-Z]{1,2}[0-9][A-Z0-9]?\s*[0-9][A-Z]{2}\b`), "[postcode]", atLeast(2)},
	// Phone numbers: +44 or 0, then 9 or 10 more digits, with spaces,
	// dots, dashes or brackets between.
	{regexp.MustCompile(`(\+44\s?\(?0?\)?|\b0)[\s.\-()]*\d(?:[\s.\-()]*\d){8,9}\b`), "[phone]", atLeast(10)},
	// Account, reference and card numbers: any run of six or more digits
	// (with spaces or dashes between groups), but not a sum of money.
	{regexp.MustCompile(`(^|[^£\w,.])\d(?:[\s\-]?\d){5,}\b`), "$1[number]", atLeast(6)},
}

func hasAt(s string, _ int) bool { return strings.Contains(s, "@") }

func atLeast(n int) func(string, int) bool {
	return func(_ string, digits int) bool { return digits >= n }
}

// Scrub replaces e-mail addresses, phone numbers, postcodes, web
// addresses, @mentions and long numbers with [email], [phone],
// [postcode], [url], [mention] and [number].
func Scrub(s string) string { return scrub(s, false) }

// unmark takes the same details out of a question before it is read:
// "jo@example.org" or a phone number says nothing about which tool is
// meant, and its words ("example", "org") would only mislead.
func unmark(s string) string { return scrub(s, true) }

// scrub replaces each detail with its marker, or with a blank.
func scrub(s string, blank bool) string {
	digits := 0
	for i := range len(s) {
		if s[i] >= '0' && s[i] <= '9' {
			digits++
		}
	}
	for _, sc := range scrubbers {
		if !sc.worth(s, digits) {
			continue
		}
		with := sc.with
		if blank {
			with = " "
			if strings.HasPrefix(sc.with, "$1") {
				with = "$1 "
			}
		}
		s = sc.re.ReplaceAllString(s, with)
	}
	return s
}
