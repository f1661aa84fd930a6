// Package clip shortens text for a screen, a log line or an error: by
// characters, never inside one (a cut inside a UTF-8 sequence shows as
// garbage, or breaks a platform's JSON), and marked with "…" so a reader
// knows there was more. One package, because five copies had drifted:
// some counted bytes, some let the mark go past the limit.
package clip

import (
	"strings"
	"unicode/utf8"
)

// Runes is s cut to at most n characters, the last of them "…" when it
// was cut. n below 1 gives "".
func Runes(s string, n int) string {
	if n < 1 {
		return ""
	}
	if len(s) <= n { // bytes ≥ characters: short enough either way
		return s
	}
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n-1]) + "…"
}

// Bytes is s cut to at most n bytes, between characters, the last of
// them "…" when it was cut: for a platform that counts its limits in
// UTF-16 units, since no character takes more of those than of bytes.
// n below len("…") gives "".
func Bytes(s string, n int) string {
	if len(s) <= n {
		return s
	}
	if n < len("…") {
		return ""
	}
	s = s[:n-len("…")]
	for !utf8.ValidString(s) {
		s = s[:len(s)-1]
	}
	return s + "…"
}

// AtWord is Runes, but ends the cut at a word when one ends in the last
// third of what is kept, without a dangling comma or colon: for a
// description read by a person, not an error message.
func AtWord(s string, n int) string {
	r := []rune(s)
	if n < 1 || len(r) <= n {
		return Runes(s, n)
	}
	s = string(r[:n-1])
	if i := strings.LastIndex(s, " "); i > len(s)*2/3 {
		s = s[:i]
	}
	return strings.TrimRight(s, ",;: ") + "…"
}
