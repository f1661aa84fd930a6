package bot

import (
	"strings"
	"testing"
)

func TestScrubKeepsNothingThatNamesSomeone(t *testing.T) {
	tests := []struct{ in, want string }{
		{"email me at jo.bloggs+pub@example.co.uk please", "email me at [email] please"},
		{"ring 01225 394041 or 07700 900123", "ring [phone] or [phone]"},
		{"call +44 (0)1225 477000 today", "call [phone] today"},
		{"we live at BA2 3AB near the pub", "we live at [postcode] near the pub"},
		{"postcode bs408tl", "postcode [postcode]"},
		{"see https://example.org/a?b=c and www.example.org", "see [url] and [url]"},
		{"<@U024BE7LH> and @jo.bloggs asked", "[mention] and [mention] asked"},
		{"my council tax account 12345678 and ref 1234-5678-9012", "my council tax account [number] and ref [number]"},
		{"a £2,000 grant for 16 people in 2013, or £100000", "a £2,000 grant for 16 people in 2013, or £100000"},
		{"how do we list our pub", "how do we list our pub"},
		{"not helpful d398c0880b719865", "not helpful d398c0880b719865"},
	}
	for _, tt := range tests {
		if got := strings.Join(strings.Fields(Scrub(tt.in)), " "); got != tt.want {
			t.Errorf("Scrub(%q) = %q; want %q", tt.in, got, tt.want)
		}
	}
}

func FuzzScrub(f *testing.F) {
	f.Add("ring 01225 394041, jo@example.org, BA1 1AA")
	f.Fuzz(func(t *testing.T, s string) {
		out := Scrub(s)
		for _, leak := range []string{"@example.org", "01225 394041"} {
			if strings.Contains(s, leak) && strings.Contains(out, leak) {
				t.Fatalf("Scrub(%q) kept %q", s, leak)
			}
		}
	})
}
