package knowledge

import (
	"fmt"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"
)

// inProgressRE: a thing being made, or only tried.
var inProgressRE = regexp.MustCompile(`(?i)\b(being (created|developed|set up|progressed|established|prepared)|to be (created|set up|established)|pilot|piloting|scheduled)\b`)

// classicPlanRE: the words that have always made a status a proposal.
var classicPlanRE = regexp.MustCompile(`(?i)\b(proposed|indicative|draft|planned|hoped)\b`)

// checkStatusField: a current status does not rest on lines that propose,
// plan, hope or speak of an end, nor on lines whose every sentence about
// the entry makes it a thing being created, a pilot or a thing that will
// be; a historical status rests on an end; a proposed one on a plan.
func (ck *checker) checkStatusField(e *Entry, lines, cite string) []finding {
	var out []finding
	bad := func(format string, args ...any) { out = append(out, finding{RuleStatus, fmt.Sprintf(format, args...)}) }
	switch e.Status {
	case Current:
		if p := cmpOr(classicPlanRE.FindString(lines), endRE.FindString(lines)); p != "" {
			bad("current, but %s says %q: a proposal is not current (status = \"proposed\"), nor is what has ended (status = \"historical\")", cite, p)
			break
		}
		// The sentences that name it best (by its title) say what it
		// is: if each of them makes it a thing being created or a
		// pilot, it is not current.
		var said []string
		for _, s := range best(ck.read(e.Title), ck.read(lines)) {
			w := inProgressRE.FindString(sentenceText(s))
			if w == "" {
				said = nil
				break
			}
			said = append(said, w)
		}
		if len(said) > 0 {
			bad("current, but the sentences of %s that name it say %q: what is being created or piloted is not current (status = \"proposed\")", cite, said[0])
		}
	case Historical:
		if !endRE.MatchString(lines) {
			bad("historical, but the cited lines %s say nothing of an end", cite)
		}
	case Proposed:
		if !planRE.MatchString(lines) {
			bad("proposed, but the cited lines %s say nothing of a proposal or plan", cite)
		}
	}
	return out
}

// best are the sentences of src that share the most content words and
// names with claim (at least one), ties and all.
func best(claim, src []sentence) []sentence {
	stems := contentStems(claim)
	var out []sentence
	top := 1
	for _, s := range src {
		seen := map[string]bool{}
		for _, w := range s.words {
			if stems[w.stem] {
				seen[w.stem] = true
			}
		}
		switch {
		case len(seen) > top:
			top, out = len(seen), []sentence{s}
		case len(seen) == top:
			out = append(out, s)
		}
	}
	return out
}

// sentenceText is a sentence's words, as written.
func sentenceText(s sentence) string {
	var b strings.Builder
	for _, w := range s.words {
		b.WriteString(w.raw)
		b.WriteByte(' ')
	}
	return b.String()
}

// checkOnly: only_in rests on lines that say "only" and name each place.
func (ck *checker) checkOnly(e *Entry, lines, cite string) []finding {
	var out []finding
	if !hasWord(lines, "only") {
		out = append(out, finding{RuleFinder, fmt.Sprintf("the cited lines %s do not say %q", cite, "only")})
	}
	folded := foldFacts(lines)
	for _, p := range e.OnlyIn {
		if !strings.Contains(folded, foldFacts(p)) {
			out = append(out, finding{RuleFinder, fmt.Sprintf("only_in names %q, but the cited lines %s do not", p, cite)})
		}
	}
	return out
}

// checkKeys: each finder key of who may apply or what for is said by its
// lines, in one of the option's words written in lower case (a name such
// as "Local Trust" is not a trust that may apply).
func (ck *checker) checkKeys(what string, keys []string, opts []Option, lines, cite string) []finding {
	var out []finding
	src := ck.read(lines)
	for _, k := range keys {
		i := slices.IndexFunc(opts, func(o Option) bool { return o.Key == k })
		if i < 0 {
			continue // the loader reports unknown keys
		}
		if !ck.saysAny(src, opts[i].Words) {
			out = append(out, finding{RuleFinder, fmt.Sprintf("%s %q: the cited lines %s say none of its words (%s): a rule the documents do not state is not applied", what, k, cite, strings.Join(opts[i].Words, ", "))})
		}
	}
	return out
}

// saysAny reports whether the sentences hold one of phrases, stem by
// stem, outside names.
func (ck *checker) saysAny(ss []sentence, phrases []string) bool {
	for _, p := range phrases {
		var want []string
		for _, s := range ck.read(p) {
			for _, w := range s.words {
				want = append(want, w.stem)
			}
		}
		if len(want) == 0 {
			continue
		}
		for _, s := range ss {
			for i := 0; i+len(want) <= len(s.words); i++ {
				ok := true
				for j, st := range want {
					if w := s.words[i+j]; w.stem != st || w.name {
						ok = false
						break
					}
				}
				if ok {
					return true
				}
			}
		}
	}
	return false
}

// checkGBP: max_gbp and min_gbp rest on a sum of the amount's lines: the
// most is that sum ("up to £5,000") or one pound under it ("less than
// £5,000"), the least that sum ("at least £500"); a bound the other way
// round ("at least £1m" for a most) is no limit of that kind.
func (ck *checker) checkGBP(field, v, lines, cite string) []finding {
	n, _ := strconv.ParseFloat(v, 64)
	var have []*quantity
	for _, s := range ck.read(lines) {
		for _, q := range s.qty {
			if q.money || q.unit == "" && !q.percent && !q.year {
				have = append(have, q)
			}
		}
	}
	for _, q := range have {
		switch field {
		case "max_gbp":
			if sameValue(q.value, n) && q.bound != "min" || sameValue(q.value, n+1) && q.bound == "max" {
				return nil
			}
		case "min_gbp":
			if sameValue(q.value, n) && q.bound != "max" || sameValue(q.value, n-1) && q.bound == "min" {
				return nil
			}
		}
	}
	kind := "most"
	if field == "min_gbp" {
		kind = "least"
	}
	return []finding{{RuleFinder, fmt.Sprintf("%s = %s: the amount's lines %s state no such %s (%s); a limit the documents do not set is not applied", field, v, cite, kind, describeAll(have))}}
}

// contactDateRE finds a date in a contact's note: "July 2014" or "2014".
var contactDateRE = regexp.MustCompile(`\b((January|February|March|April|May|June|July|August|September|October|November|December)\s+)?((19|20)\d\d)\b`)

// checkContact: a contact is cited (its name, number and address in the
// lines); its note dates it by a cited document and says it may have
// changed since; and the rest of the note is a claim on the same lines.
func (ck *checker) checkContact(e *Entry, c cited) []finding {
	var out []finding
	bad := func(r Rule, format string, args ...any) { out = append(out, finding{r, fmt.Sprintf(format, args...)}) }
	ct := c.contact
	if strings.TrimSpace(ct.Cite) == "" {
		bad(RuleContact, "contact %q has no citation: give the lines that name it (cite = \"000:12\")", ct.Name)
		return out
	}
	lines, err := ck.citedLines(ct.Cite)
	if err != nil {
		bad(citeRule(err), "%v", err)
		return out
	}
	// "contact" first, so the name's first word is read as a name.
	named := strings.Join([]string{"contact", ct.Name, ct.Phone, ct.Email, ct.URL}, " ")
	for _, f := range ck.checkText(named, lines, ct.Cite, false, false) {
		out = append(out, finding{RuleContact, f.msg})
	}
	note := ct.NoteClaim
	if note.Text == "" {
		bad(RuleContact, "contact %q has no note: say when a document named it and that it may have changed since (note = \"Named in the July 2014 report; may have changed since.\")", ct.Name)
		return out
	}
	if !strings.Contains(strings.ToLower(note.Text), "may have changed") {
		bad(RuleContact, "contact %q: the note must say it may have changed since", ct.Name)
	}
	m := contactDateRE.FindStringSubmatch(note.Text)
	if m == nil {
		bad(RuleContact, "contact %q: the note must give the date of the document that names it (\"July 2014\")", ct.Name)
	} else if !ck.citesDate(ct.Cite, m[2], m[3]) {
		bad(RuleContact, "contact %q: the note's date %q is not the date of a document it cites (%s)", ct.Name, strings.TrimSpace(m[0]), ct.Cite)
	}
	if note.Own {
		return append(out, ck.check(e, cited{field: c.field, claim: Claim{Text: stripContactBoilerplate(note.Text), Own: true}, kind: kindText})...)
	}
	cite := cmpOr(note.Cite, ct.Cite)
	if rest := stripContactBoilerplate(note.Text); strings.TrimSpace(rest) != "" {
		out = append(out, ck.check(e, cited{field: c.field, claim: Claim{Text: rest, Cite: cite}, kind: kindText})...)
	}
	return out
}

// mayHaveChangedRE: the note's "may have changed since".
var mayHaveChangedRE = regexp.MustCompile(`(?i)[;,:]?\s*(it |they |the details |details |this )?may have changed( since)?\.?`)

// stripContactBoilerplate takes out of a note what every contact's note
// says: its date and that it may have changed since.
func stripContactBoilerplate(s string) string {
	s = contactDateRE.ReplaceAllString(s, "")
	s = mayHaveChangedRE.ReplaceAllString(s, "")
	return strings.TrimSpace(s)
}

// citesDate reports whether a cite names a document of the year (and
// month, if given).
func (ck *checker) citesDate(cite, month, year string) bool {
	for _, part := range strings.Split(cite, ",") {
		m := citeRE.FindStringSubmatch(part)
		if m == nil {
			continue
		}
		src, ok := ck.sources[m[1]]
		if !ok || !strings.HasPrefix(src.Date, year) {
			continue
		}
		if month == "" {
			return true
		}
		if t, err := time.Parse("2006-01", src.Date); err == nil && strings.EqualFold(t.Month().String(), strings.TrimSpace(month)) {
			return true
		}
	}
	return false
}

var (
	// ruleRE: words that state a rule of who may, what for or how much.
	ruleRE = regexp.MustCompile(`(?i)\b(only|must|cannot|can't|eligible|eligibility|entitled|at least|at most|up to|less than|more than|no more than|limit|limits|limited|maximum|minimum|restricted|not open)\b`)
	// ownStatusRE: words that say whether a thing runs.
	ownStatusRE = regexp.MustCompile(`(?i)\b(now|currently|still|runs|running|open|available|ended|closed|proposed|planned|pilot|no longer|current)\b`)
	// numberWordRE: a figure in words.
	numberWordRE = regexp.MustCompile(`(?i)\b(two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|fifteen|sixteen|seventeen|eighteen|nineteen|twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety|hundred|thousand|million|billion|dozen)\b`)
)

// ownProblems says what an explanation of our own holds that it may not:
// figures, names, contacts, statuses and rules. What it says the
// documents do not say ("the documents do not say whether it still
// runs") is no status.
func (ck *checker) ownProblems(text string) []string {
	var out []string
	ss := ck.read(text)
	var figures []string
	for _, s := range ss {
		for _, q := range s.qty {
			figures = append(figures, q.raw)
		}
	}
	if w := numberWordRE.FindAllString(text, -1); len(w) > 0 && len(figures) == 0 {
		figures = w
	}
	if len(figures) > 0 {
		out = append(out, fmt.Sprintf("has the figure %q", figures))
	}
	if a := addressRE.FindAllString(text, -1); len(a) > 0 {
		out = append(out, fmt.Sprintf("has the contact %q", a))
	}
	if n := nameTokens(text, ss); len(n) > 0 {
		out = append(out, fmt.Sprintf("has the name %q", n))
	}
	plain := hedgeRE.ReplaceAllString(text, "")
	if s := ownStatusRE.FindString(plain); s != "" {
		out = append(out, fmt.Sprintf("says %q, a status", s))
	}
	if r := ruleRE.FindString(plain); r != "" {
		out = append(out, fmt.Sprintf("says %q, a rule", r))
	}
	return out
}
