package bot

import "strings"

// words is everything a reply says, one piece a line, for tests that ask
// whether an answer says something whatever the screen.
func words(a Answer) string {
	r := a.Reply()
	out := []string{r.Title, r.Lead}
	for _, b := range r.Blocks {
		out = append(out, b.Label, b.Text, b.Typed)
		for _, it := range b.Items {
			out = append(out, it.Name)
			out = append(out, it.Lines...)
		}
		for _, c := range b.Choices {
			out = append(out, c.Label)
		}
	}
	return strings.Join(out, "\n")
}
