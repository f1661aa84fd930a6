package clip

import (
	"testing"
	"unicode/utf8"
)

// TestCuts: each cut gives what a reader should see, as valid UTF-8, and
// never more than its limit in what the limit counts (characters or bytes).
func TestCuts(t *testing.T) {
	type cut struct {
		s    string
		n    int
		want string
	}
	bytes := func(s string) int { return len(s) }
	for _, f := range []struct {
		name, unit string
		cut        func(string, int) string
		count      func(string) int
		cases      []cut
	}{
		{"Runes", "characters", Runes, utf8.RuneCountInString, []cut{
			{"short", 10, "short"},
			{"exactly", 7, "exactly"},
			{"one too long", 11, "one too lo…"},
			{"Café société", 6, "Café …"},
			{"ŵŵŵŵŵŵ", 6, "ŵŵŵŵŵŵ"}, // 12 bytes, 6 characters: not cut
			{"ŵŵŵŵŵŵŵ", 6, "ŵŵŵŵŵ…"},
			{"anything", 0, ""},
			{"anything", -3, ""},
			{"", 5, ""},
		}},
		{"Bytes", "bytes", Bytes, bytes, []cut{
			{"short", 10, "short"},
			{"one too long", 11, "one too …"},
			{"Café société", 9, "Café …"}, // é is two bytes: never split
			{"🙂🙂🙂", 8, "🙂…"},
			{"anything", 2, ""},
		}},
		{"AtWord", "characters", AtWord, utf8.RuneCountInString, []cut{
			{"A lunch club for older people", 40, "A lunch club for older people"},
			{"A lunch club for older people, with transport", 30, "A lunch club for older…"},
			{"Supercalifragilisticexpialidocious", 10, "Supercali…"}, // no word ends late enough
			{"Hall, kitchen: garden", 14, "Hall, kitchen…"},
		}},
	} {
		for _, tt := range f.cases {
			got := f.cut(tt.s, tt.n)
			if got != tt.want || !utf8.ValidString(got) || f.count(got) > max(tt.n, 0) {
				t.Errorf("%s(%q, %d) = %q; want %q, valid, at most %d %s", f.name, tt.s, tt.n, got, tt.want, tt.n, f.unit)
			}
		}
	}
}

func FuzzRunes(f *testing.F) {
	f.Add("Café société", 6)
	f.Add("\xff\xfe", 1)
	f.Fuzz(func(t *testing.T, s string, n int) {
		got := Runes(s, n)
		if n > 0 && utf8.RuneCountInString(got) > n {
			t.Fatalf("Runes(%q, %d) = %q: more than %d characters", s, n, got, n)
		}
		if utf8.ValidString(s) && !utf8.ValidString(got) {
			t.Fatalf("Runes(%q, %d) = %q: not valid UTF-8", s, n, got)
		}
		if b := Bytes(s, n); len(b) > max(n, 0) || utf8.ValidString(s) && !utf8.ValidString(b) {
			t.Fatalf("Bytes(%q, %d) = %q", s, n, b)
		}
		_ = AtWord(s, n)
	})
}
