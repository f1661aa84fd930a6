package bot

import (
	"strings"
	"testing"

	"github.com/bathnes/signpost/internal/table"
)

// TestScrubKeepsNothingThatNamesSomeone: each detail that could name a
// person becomes its marker, and the text around it is kept as it was.
func TestScrubKeepsNothingThatNamesSomeone(t *testing.T) {
	table.Check(t, "Scrub", Scrub, map[string]string{
		"email me at jo.bloggs+pub@example.co.uk please":         "email me at [email] please",
		"ring 01225 394041 or 07700 900123":                      "ring [phone] or [phone]",
		"call +44 (0)1225 477000 today":                          "call [phone] today",
		"we live at BA2 3AB near the pub":                        "we live at [postcode] near the pub",
		"postcode bs408tl":                                       "postcode [postcode]",
		"see https://example.org/a?b=c and www.example.org":      "see [url] and [url]",
		"<@U024BE7LH> and @jo.bloggs asked":                      "[mention] and [mention] asked",
		"my council tax account 12345678 and ref 1234-5678-9012": "my council tax account [number] and ref [number]",
		"a £2,000 grant for 16 people in 2013, or £100000":       "a £2,000 grant for 16 people in 2013, or £100000",
		"how do we list our pub":                                 "how do we list our pub",
		"not helpful d398c0880b719865":                           "not helpful d398c0880b719865",
		// Details touching letters or punctuation are found all the same.
		"07700900123x":                               "[phone]x",
		"ring 01225 394041ext 12":                    "ring [phone]ext 12",
		"call07700900123":                            "call[phone]",
		"tel:+44 7700 900123.":                       "tel:[phone].",
		"(01225) 394041, or 07700900123/07700900124": "([phone], or [phone]/[phone]",
		"07700900123x07700900124":                    "[phone]x[phone]",
		"BA11AAx":                                    "[postcode]x",
		"ba11aa_":                                    "[postcode]_",
		"A00ABA1 1AA":                                "[postcode][postcode]",
		"callBA11AA thanks":                          "call[postcode] thanks",
		"(BS40 8TL)":                                 "([postcode])",
		"jo@example.orgthanks":                       "[email]",
		"mail:jo@example.org.":                       "mail:[email].",
		"(@example.org)":                             "([mention])",
		"josé@example.org":                           "[email]",
		"jo@exämple.org":                             "[email]",
		"jo@bs408tl.com":                             "[email]",
		"07700900123@example.org":                    "[email]",
		"mail jo@example.org.BA1 1AA":                "mail [email]",
		"jo@example.org.07700 900123x":               "[email]",
	})
}

func TestUnmarkBlanksWhatScrubMarks(t *testing.T) {
	// Blanks leave spaces doubled; a reader of words does not see them.
	folded := func(s string) string { return strings.Join(strings.Fields(unmark(s)), " ") }
	table.Check(t, "unmark", folded, map[string]string{
		"free wifi, email jo@bs408tl.com or ring 07700900123": "free wifi, email or ring",
		"list our pub at BA11AAx":                             "list our pub at x",
		"how do we list our pub":                              "how do we list our pub",
	})
}

func TestScrubLeavesSumsYearsAndWords(t *testing.T) {
	for _, in := range []string{
		"a grant of £5,000", "about 17k a year", "in 2011/12", "the 2019-20 accounts", "from 2019-2020",
		"in 2013", "£1.5m", "£10,000,000", "£100000", "1,000,000 people", "£250k",
		"covid19 2nd dose", "level3 2nd floor", "room 0.5", "phone 2000 2001", "code U024BE7LH",
	} {
		if got := Scrub(in); got != in {
			t.Errorf("Scrub(%q) = %q; want it unchanged", in, got)
		}
	}
}

// planted are what FuzzScrub plants in text, each with the part of it
// that must not be left. A phone number run on into more digits is
// another number, and not this detail.
var planted = []struct {
	text, part       string
	digits, postcode bool
}{
	{"07700 900123", "900123", true, false},
	{"07700900123", "900123", true, false},
	{"01225 394041", "394041", true, false},
	{"+44 (0)1225 477000", "477000", true, false},
	{"+447700900123", "900123", true, false},
	{"jo@example.org", "example", false, false},
	{"jo.bloggs+pub@example.co.uk", "example", false, false},
	{"BA1 1AA", "1AA", false, true},
	{"BA11AA", "1AA", false, true},
	{"BS40 8TL", "8TL", false, true},
	{"SW1A 1AA", "1AA", false, true},
}

func FuzzScrub(f *testing.F) {
	f.Add("ring ", ", thanks")
	f.Add("call", "x")
	f.Add("", "ext")
	f.Add("mail:", "thanks")
	f.Add("(", ").")
	f.Add("1 ", " 2")
	f.Add("@", "@")
	f.Fuzz(func(t *testing.T, before, after string) {
		for _, d := range planted {
			if d.digits && (digitAt(strings.TrimRight(before, phoneSeps), -1) || digitAt(strings.TrimLeft(after, phoneSeps), 0)) {
				continue
			}
			// A postcode's inward code ends in letters, so one that
			// follows a digit ("X1 1BA1 1AA") may lose its first letters
			// to the word before, and what is left is no postcode; one
			// that runs on into digits is a code, not a postcode.
			if d.postcode && (digitAt(before, -1) || digitAt(after, 0)) {
				continue
			}
			s := before + d.text + after
			out := Scrub(s)
			if strings.Count(out, d.part) > strings.Count(before, d.part)+strings.Count(after, d.part) {
				t.Fatalf("Scrub(%q) = %q; kept %q", s, out, d.part)
			}
		}
		s := before + after
		if out := Scrub(s); strings.Contains(s, "@example.org") && strings.Contains(out, "@example.org") {
			t.Fatalf("Scrub(%q) kept %q", s, "@example.org")
		}
	})
}

// phoneSeps are what may stand between a phone number's digits: \s, as
// regexp reads it, and dots, dashes and brackets.
const phoneSeps = " \t\n\f\r.-()"

// digitAt reports whether s has a digit at i (negative counts from the end).
func digitAt(s string, i int) bool {
	if i < 0 {
		i += len(s)
	}
	return i >= 0 && i < len(s) && isDigit(s[i])
}

// BenchmarkScrub measures what keeping a question costs: an ordinary one
// should run no regular expression at all.
func BenchmarkScrub(b *testing.B) {
	for _, bb := range []struct{ name, s string }{
		{"ordinary", "how do we list our community cafe on the council website"},
		{"details", "ring 01225 394041 or jo@example.org, we are at BA1 1AA, account 12345678"},
	} {
		b.Run(bb.name, func(b *testing.B) {
			for b.Loop() {
				Scrub(bb.s)
			}
		})
	}
}

// TestAPostcodeIsReadAsItsSector: a whole postcode in a question is read
// as its sector, the outward code and the inward digit, so the question
// is placed near it without the bot reading a home's postcode; other
// details are still blanked.
func TestAPostcodeIsReadAsItsSector(t *testing.T) {
	for in, want := range map[string]string{
		"I need a food bank near BA2 3NR":       "I need a food bank near BA2 3",
		"food bank ba23nr":                      "food bank ba2 3",
		"lunch club BA2 4QP, call 01632 960123": "lunch club BA2 4, call  ",
		"baby group near BS31 3":                "baby group near BS31 3",
		"youth club BS39":                       "youth club BS39",
	} {
		if got := unmark(in); got != want {
			t.Errorf("unmark(%q) = %q; want %q", in, got, want)
		}
	}
}
