// Package pack fits an answer's lines into a platform's size limits: a
// Slack section and a Discord embed field each hold only so much, and an
// answer cut mid-line, or spread over more parts than it needs, reads
// badly on either.
package pack

import "strings"

// Lines joins lines with newlines into as few chunks as fit in max bytes
// each (bytes are never fewer than characters, so a platform that counts
// characters is safe too), never splitting a line unless it alone is too
// long, when cut shortens it. Blank lines do not start a chunk.
func Lines(lines []string, max int, cut func(string, int) string) []string {
	var out []string
	var b strings.Builder
	flush := func() {
		if b.Len() > 0 {
			out = append(out, b.String())
			b.Reset()
		}
	}
	for _, l := range lines {
		if strings.TrimSpace(l) == "" && b.Len() == 0 {
			continue
		}
		l = cut(l, max)
		if b.Len()+1+len(l) > max {
			flush()
		}
		if b.Len() > 0 {
			b.WriteByte('\n')
		}
		b.WriteString(l)
	}
	flush()
	return out
}
