package work

import "strings"

// Pack joins lines with newlines into as few chunks as fit in max bytes
// each (bytes are never fewer than characters, so a platform that counts
// characters is safe too), never splitting a line unless it alone is too
// long, when cut shortens it. Blank lines do not start a chunk.
func Pack(lines []string, max int, cut func(string, int) string) []string {
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
