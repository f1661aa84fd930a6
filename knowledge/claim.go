package knowledge

import (
	"fmt"
	"io/fs"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"unicode"
)

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

// cited is one claim as checked: where it is, what it says, and what it
// rests on.
type cited struct {
	field string
	claim Claim
	// needs is a word the cited lines must hold ("only"), or "".
	needs string
}

// claimsOf lists every claim of an entry that must rest on the documents.
func claimsOf(e *Entry) []cited {
	var out []cited
	for _, c := range e.SummaryClaims {
		out = append(out, cited{field: "summary", claim: c})
	}
	for _, c := range e.DetailClaims {
		out = append(out, cited{field: "details", claim: c})
	}
	for _, l := range e.Local {
		out = append(out, cited{field: "local", claim: Claim{Text: l.Fact, Cite: l.Cite}})
	}
	if len(e.OnlyIn) > 0 {
		out = append(out, cited{field: "only_in", claim: Claim{Text: strings.Join(e.OnlyIn, ", "), Cite: e.OnlyCite}, needs: "only"})
	}
	out = append(out, cited{field: "status", claim: Claim{Text: string(e.Status), Cite: e.StatusCite}})
	if f := e.Funding; f != nil {
		for _, x := range []struct{ field, text, cite string }{
			{"amount", f.Amount, f.AmountCite},
			{"limits", f.Limits, f.LimitsCite},
			{"who", strings.Join(f.Who, "; "), f.WhoCite},
			{"applicants", strings.Join(f.Applicants, " "), f.ApplicantsCite},
			{"purposes", strings.Join(f.Purposes, " "), f.PurposesCite},
		} {
			if x.text != "" {
				// Finder keys are the project's words, not the
				// documents': only the citation is checked.
				c := Claim{Text: x.text, Cite: x.cite}
				if x.field == "applicants" || x.field == "purposes" {
					c.Text = ""
				}
				out = append(out, cited{field: x.field, claim: c})
			}
		}
	}
	if f := e.Funding; f != nil && f.MaxBand != "" {
		out = append(out, cited{field: "max_band", claim: Claim{Cite: f.MaxBandCite}, needs: "small"})
	}
	if f := e.Funding; f != nil && f.Raise {
		out = append(out, cited{field: "raise", claim: Claim{Cite: f.RaiseCite}, needs: "investors"})
	}
	for _, c := range e.Contacts {
		if c.Phone != "" || c.Email != "" || c.URL != "" {
			// "contact" first, so the name's first word is checked too.
			out = append(out, cited{field: "contacts", claim: Claim{Text: strings.Join([]string{"contact", c.Name, c.Phone, c.Email, c.URL}, " "), Cite: c.Cite}})
		}
	}
	return out
}

// proposalWords mark a plan, not a thing that happened: a status or a
// sum resting on lines that use one cannot be "current".
var proposalWords = regexp.MustCompile(`(?i)\b(proposed|indicative|draft|planned|hoped)\b`)

// CheckSources verifies every claim of the base against the documents in
// docs, the [[source]] files: each claim is cited, its lines exist, every
// figure and name it states is within them, a "current" status or sum does
// not rest on proposal wording, and an only_in rests on "only". It returns
// every problem and the number of claims it checked.
func (b *Base) CheckSources(docs fs.FS) (Problems, int) {
	var probs Problems
	texts := map[string][]string{}
	for id, s := range b.sources {
		if s.File == "" {
			continue
		}
		data, err := fs.ReadFile(docs, s.File)
		if err != nil {
			probs = append(probs, Problem{File: s.File, Msg: fmt.Sprintf("source %q: %v", id, err)})
			continue
		}
		texts[id] = strings.Split(string(data), "\n")
	}
	n := 0
	for _, l := range b.located {
		for _, c := range claimsOf(l.e) {
			n++
			bad := func(msg string) {
				line := l.src.fieldLine("entry", l.idx, c.field)
				if c.claim.Text != "" && c.field != "contacts" {
					line = l.src.lineOf(c.claim.Text, line)
				}
				probs = append(probs, Problem{File: l.file, Line: line, Msg: fmt.Sprintf("entry %s: %s", l.e.ID, msg)})
			}
			if c.claim.Own {
				if t := factTokens(c.claim.Text); len(t) > 0 {
					bad(fmt.Sprintf("%s: an explanation of our own may hold no figure or name, but has %q; cite the lines it comes from", c.field, t))
				}
				continue
			}
			if c.claim.Cite == "" {
				bad(fmt.Sprintf("%s %q has no citation: give the document lines it rests on (cite = \"000:12-14\")", c.field, cut(c.claim.Text, 60)))
				continue
			}
			lines, err := citedLines(c.claim.Cite, texts)
			if err != nil {
				bad(fmt.Sprintf("%s: %v", c.field, err))
				continue
			}
			folded := foldFacts(lines)
			for _, t := range factTokens(c.claim.Text) {
				if !strings.Contains(folded, foldFacts(t)) {
					bad(fmt.Sprintf("%s: %q is not in the cited lines %s", c.field, t, c.claim.Cite))
				}
			}
			if c.needs != "" && !regexp.MustCompile(`(?i)\b`+c.needs+`\b`).MatchString(lines) {
				bad(fmt.Sprintf("%s: the cited lines %s do not say %q", c.field, c.claim.Cite, c.needs))
			}
			proposal := proposalWords.FindString(lines)
			if proposal != "" && l.e.Status == Current && (c.field == "status" || c.field == "amount") {
				bad(fmt.Sprintf("%s: %q rests on lines that say %q: a proposal is not current (status = \"proposed\")", c.field, c.claim.Cite, proposal))
			}
		}
	}
	return probs, n
}

// citeRE is one cited range: a document id, a line, and maybe a last line.
var citeRE = regexp.MustCompile(`^\s*([\w-]+):(\d+)(?:-(\d+))?\s*$`)

// citedLines returns the text of the cited ranges.
func citedLines(cite string, texts map[string][]string) (string, error) {
	var b strings.Builder
	for _, part := range strings.Split(cite, ",") {
		m := citeRE.FindStringSubmatch(part)
		if m == nil {
			return "", fmt.Errorf("citation %q: want document:line or document:first-last, e.g. 000:12-14", strings.TrimSpace(part))
		}
		lines, ok := texts[m[1]]
		if !ok {
			return "", fmt.Errorf("citation %q: %q is not a document source with a file", strings.TrimSpace(part), m[1])
		}
		first, _ := strconv.Atoi(m[2])
		last := first
		if m[3] != "" {
			last, _ = strconv.Atoi(m[3])
		}
		if first < 1 || last < first || last > len(lines) {
			return "", fmt.Errorf("citation %q: %s has lines 1-%d", strings.TrimSpace(part), m[1], len(lines))
		}
		for _, line := range lines[first-1 : last] {
			b.WriteString(line)
			b.WriteByte('\n')
		}
	}
	return b.String(), nil
}

// factRE finds what a claim states that a reader could check: sums and
// numbers, e-mail and web addresses, and words with a capital letter.
var factRE = regexp.MustCompile(`[\w.+-]+@[\w-]+(?:\.[\w-]+)+|https?://\S+|£?\d[\d,]*(?:\.\d+)?|[\p{Lu}][\p{L}&'’:-]*`)

// notNames are capitalised words that name nothing: the first word of a
// sentence is skipped by position; these are capitalised anywhere.
var notNames = map[string]bool{"I": true}

// factTokens are a claim's figures and names: every number and sum,
// address, and capitalised word that does not start a sentence.
func factTokens(text string) []string {
	var out []string
	locs := factRE.FindAllStringIndex(text, -1)
	for _, loc := range locs {
		t := strings.TrimRight(text[loc[0]:loc[1]], ".,:;'’-")
		if t == "" {
			continue
		}
		r := []rune(t)[0]
		if unicode.IsUpper(r) {
			if notNames[t] || sentenceStart(text, loc[0]) {
				continue
			}
			t = strings.TrimSuffix(strings.TrimSuffix(t, "'s"), "’s")
		}
		if !slices.Contains(out, t) {
			out = append(out, t)
		}
	}
	return out
}

// sentenceStart reports whether the word at i starts a sentence (or a
// quotation, or the claim).
func sentenceStart(text string, i int) bool {
	j := strings.TrimRightFunc(text[:i], func(r rune) bool {
		return unicode.IsSpace(r) || r == '\'' || r == '"' || r == '‘' || r == '“' || r == '('
	})
	return j == "" || strings.HasSuffix(j, ".") || strings.HasSuffix(j, ":") || strings.HasSuffix(j, "?") || strings.HasSuffix(j, "!") || strings.HasSuffix(j, ";")
}

// foldFacts folds text for comparing facts: lower case, commas out of
// numbers, every other mark a space, and a space at each end.
func foldFacts(s string) string {
	s = strings.ToLower(s)
	s = numberComma.ReplaceAllString(s, "$1$2")
	var b strings.Builder
	b.WriteByte(' ')
	prev := ' '
	for _, r := range s {
		switch {
		case unicode.IsLetter(r) || unicode.IsDigit(r) || r == '.' || r == '@':
			// A letter straight after a digit ("£1m", "5k") starts a
			// word of its own.
			if unicode.IsLetter(r) && unicode.IsDigit(prev) {
				b.WriteByte(' ')
			}
			b.WriteRune(r)
		default:
			r = ' '
			if prev != ' ' {
				b.WriteRune(r)
			}
		}
		prev = r
	}
	b.WriteByte(' ')
	// A full stop ends words too, but not "1.3" or an e-mail's dots.
	return strings.NewReplacer(". ", " ", ".\n", " ").Replace(b.String())
}

var numberComma = regexp.MustCompile(`(\d),(\d{3})`)

func cut(s string, n int) string {
	if r := []rune(s); len(r) > n {
		return string(r[:n]) + "…"
	}
	return s
}
