package bot

import (
	"regexp"
	"strings"
)

// A scrubber finds one kind of detail that could identify someone.
type scrubber struct {
	// re finds the detail. A group named pre or post is a character read
	// on either side to know where the detail stops; it is given back.
	re *regexp.Regexp
	// mark stands in the detail's place in kept text.
	mark string
	// worth is a cheap test that re could match at all (digits is how
	// many the text holds), so an ordinary question costs no regular
	// expression.
	worth func(s string, digits int) bool
	// keep, if set, leaves a match as it was written; it is given the
	// text and the match's indices, as FindAllStringSubmatchIndex gives
	// them.
	keep func(s string, m []int) bool
}

// scrubbers replace what could identify someone in a question before any
// of it is kept: people describe their own lives to signpost, and the
// knowledge base's editors need the words, not the person. People type
// fast, so a detail may touch letters or punctuation ("call07700900123",
// "BA11AAx", "jo@example.orgthanks"); what it may not do is run on into
// more digits, or it is not the detail but a longer number.
var scrubbers = []scrubber{
	{regexp.MustCompile(`(?i)\bhttps?://\S+|\bwww\.\S+`), "[url]",
		func(s string, _ int) bool {
			return strings.Contains(s, "://") || strings.Contains(strings.ToLower(s), "www.")
		}, nil},
	// Platform mentions (Slack's <@U024BE7LH>, Discord's <@!80351110224678912>)
	// before the rest: their ids would look like postcodes or numbers.
	{regexp.MustCompile(`<@[!&]?\w+>`), "[mention]", hasAt, nil},
	// UK postcodes: "BA1 1AA", "ba11aa", "BS40 8TL". In capitals one
	// may follow letters ("callBA11AA"); in small letters it must start
	// a word, or "covid19 2nd" would be one. Either may run on into
	// letters ("BA11AAx"), not digits (a code such as "U024BE7LH").
	// What follows is looked at, not taken, so a postcode whose first
	// letter a postcode-shaped word took ("A00ABA1 1AA") is still found
	// by the rest ("A1 1AA").
	{regexp.MustCompile(`\b(?i:[A-Z]{1,2}[0-9][A-Z0-9]?\s*[0-9][A-Z]{2})|[A-Z]{1,2}[0-9][A-Z0-9]?\s*[0-9][A-Z]{2}`),
		"[postcode]", atLeast(2), func(s string, m []int) bool { return m[1] < len(s) && isDigit(s[m[1]]) }},
	// Phone numbers: +44 or 0, then 9 or 10 more digits, with spaces,
	// dots, dashes or brackets between. Letters may touch either end
	// ("call07700900123", "394041ext"); a digit may not: a phone
	// number's shape that follows one (run) is part of a longer number
	// ("2000 2001 2002"), left to the rule for those.
	{regexp.MustCompile(`(?P<run>\d)?(?:\+44\s?\(?0?\)?[\s.\-()]*|0)\d(?:[\s.\-()]*\d){8,9}(?P<post>\b|[A-Za-z_])`),
		"[phone]", atLeast(10), func(_ string, m []int) bool { return m[2] >= 0 }},
	// E-mails after postcodes and phone numbers, whose markers they may
	// hold ("jo@[postcode].com", "[phone]@example.org"): an address whose
	// last part runs into a postcode or a phone number ("jo@example.org.BA1
	// 1AA") would otherwise take the first half of it, and leave the rest.
	{regexp.MustCompile(`(?:[\pL\pN._%+'-]|` + marked + `)+@(?:[\pL\pN-]|` + marked + `)+(?:\.(?:[\pL\pN-]|` + marked + `)+)+`),
		"[email]", hasAt, nil},
	// Handles after postcodes and phone numbers, which one may run into
	// ("@BA1 1AA"). An @ that follows no letter or digit starts one
	// ("@jo.bloggs", "(@example.org"), so what no e-mail took is a handle.
	{regexp.MustCompile(`(?P<pre>^|\W)@\w[\w.-]*`), "[mention]", hasAt, nil},
	// Account, reference and card numbers: any run of six or more digits
	// (with spaces or dashes between groups), but not a sum of money
	// (£100000, 2,000,000) nor a range of years (2019-20, 2019 2020).
	{regexp.MustCompile(`(?P<pre>^|[^£\w,.])(\d(?:[\s\-]?\d){5,})\b`), "[number]", atLeast(6),
		func(s string, m []int) bool { return yearRange.MatchString(s[m[4]:m[5]]) }},
}

// marked is a detail already marked, inside an e-mail address.
const marked = `\[(?:postcode|phone)\]`

// yearRange is a range of years, such as a financial year: 2019-20, 2019-2020.
var yearRange = regexp.MustCompile(`^(?:19|20)\d\d[\s\-](?:19|20)?\d\d$`)

func isDigit(c byte) bool { return c >= '0' && c <= '9' }

func hasAt(s string, _ int) bool { return strings.Contains(s, "@") }

func atLeast(n int) func(string, int) bool {
	return func(_ string, digits int) bool { return digits >= n }
}

// Scrub replaces e-mail addresses, phone numbers, postcodes, web
// addresses, @mentions and long numbers with [email], [phone],
// [postcode], [url], [mention] and [number].
func Scrub(s string) string {
	digits := 0
	for i := range len(s) {
		if isDigit(s[i]) {
			digits++
		}
	}
	for _, sc := range scrubbers {
		if !sc.worth(s, digits) {
			continue
		}
		s = sc.replace(s, "${pre}"+sc.mark+"${post}")
	}
	return s
}

// unmark takes the same details out of a question before it is read:
// "jo@example.org" or a phone number says nothing about which tool is
// meant, and its words ("example", "org") would only mislead. It blanks
// the markers Scrub leaves, so that an e-mail is found around a postcode
// marked first. A postcode says where, though: it is cut to its sector
// ("BA2 3NR" to "BA2 3"), a few thousand addresses, which places a
// question without naming a home.
func unmark(s string) string {
	s = toSectors(s)
	if out := Scrub(s); out != s {
		return blanks.Replace(out)
	}
	return s
}

// postcodeScrubber is the scrubber that finds postcodes.
var postcodeScrubber = func() scrubber {
	for _, sc := range scrubbers {
		if sc.mark == "[postcode]" {
			return sc
		}
	}
	panic("bot: no postcode scrubber")
}()

// toSectors writes each whole postcode in s as its sector, the outward
// code and the inward code's digit, as typed ("ba23nr" is "ba2 3").
func toSectors(s string) string {
	sc := postcodeScrubber
	digits := 0
	for i := range len(s) {
		if isDigit(s[i]) {
			digits++
		}
	}
	if !sc.worth(s, digits) {
		return s
	}
	var out []byte
	done := 0
	for _, m := range sc.re.FindAllStringIndex(s, -1) {
		if sc.keep(s, m) || !standsAlone(s, m[0], m[1]) {
			continue
		}
		pc := strings.Join(strings.Fields(s[m[0]:m[1]]), "")
		out = append(out, s[done:m[0]]...)
		out = append(out, pc[:len(pc)-3]+" "+pc[len(pc)-3:len(pc)-2]...)
		done = m[1]
	}
	return string(append(out, s[done:]...))
}

// standsAlone reports whether s[i:j] is a word of its own: a postcode
// inside an address ("jo@bs408tl.com") or run into letters ("BA11AAx")
// is left for Scrub to blank whole.
func standsAlone(s string, i, j int) bool {
	before := i == 0 || strings.IndexByte(" \t\n,;:(\"'", s[i-1]) >= 0
	after := j == len(s) || strings.IndexByte(" \t\n,;:)\"'?!", s[j]) >= 0 ||
		s[j] == '.' && (j+1 == len(s) || s[j+1] == ' ')
	return before && after
}

// blanks replaces each scrubber's marker with a blank.
var blanks = func() *strings.Replacer {
	var pairs []string
	for _, sc := range scrubbers {
		pairs = append(pairs, sc.mark, " ")
	}
	return strings.NewReplacer(pairs...)
}()

// replace is ReplaceAllString, but leaves the matches sc keeps.
func (sc scrubber) replace(s, with string) string {
	if sc.keep == nil {
		return sc.re.ReplaceAllString(s, with)
	}
	var out []byte
	done := 0
	for _, m := range sc.re.FindAllStringSubmatchIndex(s, -1) {
		if sc.keep(s, m) {
			continue
		}
		out = append(out, s[done:m[0]]...)
		out = sc.re.ExpandString(out, with, s, m)
		done = m[1]
	}
	if done == 0 {
		return s
	}
	return string(append(out, s[done:]...))
}
