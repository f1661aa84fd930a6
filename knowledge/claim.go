package knowledge

import "fmt"

// Claim is one statement of fact in the knowledge base, with the lines of
// the documents it rests on. In TOML it is a table, { text = "…", cite =
// "000:45-48" }, or, for the project's own plain-English explanation, {
// text = "…", own = true }. A bare string is a claim with no citation:
// `kb check --sources` rejects it.
type Claim struct {
	Text string
	// Cite names document lines: "000:45-48", or several, "000:45,
	// 002:361-366". The documents are the [[source]] files.
	Cite string
	// Own marks the project's own explanation, not a fact from a
	// document: it may hold no figure and no name.
	Own bool
}

// UnmarshalTOML reads a claim from a string or a table.
func (c *Claim) UnmarshalTOML(v any) error {
	switch x := v.(type) {
	case string:
		c.Text = x
		return nil
	case map[string]any:
		for k, val := range x {
			switch k {
			case "text", "cite":
				s, ok := val.(string)
				if !ok {
					return fmt.Errorf("claim %s must be a string", k)
				}
				if k == "text" {
					c.Text = s
				} else {
					c.Cite = s
				}
			case "own":
				b, ok := val.(bool)
				if !ok {
					return fmt.Errorf("claim own must be true or false")
				}
				c.Own = b
			default:
				return fmt.Errorf("unknown key %q in a claim (want text, cite, own)", k)
			}
		}
		if c.Text == "" {
			return fmt.Errorf("claim without text")
		}
		return nil
	}
	return fmt.Errorf("a claim is a string or a table { text, cite }, not %T", v)
}

// Claims is a list of claims; in TOML one string or table is a list of one.
type Claims []Claim

// UnmarshalTOML reads one claim or an array of them.
func (cs *Claims) UnmarshalTOML(v any) error {
	items, ok := v.([]any)
	if !ok {
		items = []any{v}
	}
	*cs = (*cs)[:0]
	for _, it := range items {
		var c Claim
		if err := c.UnmarshalTOML(it); err != nil {
			return err
		}
		*cs = append(*cs, c)
	}
	return nil
}

// Texts are the claims' texts.
func (cs Claims) Texts() []string {
	out := make([]string, len(cs))
	for i, c := range cs {
		out[i] = c.Text
	}
	return out
}
