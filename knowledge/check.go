package knowledge

import (
	"errors"
	"fmt"
	"io/fs"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"unicode"

	"github.com/bathnes/signpost/internal/clip"
)

// Rule names one check of a claim against its lines. Every problem
// CheckSources finds carries the rule that found it, so each rule can be
// tested on its own (knowledge/testdata/mutations).
type Rule string

// The rules of CheckSources, in the order it applies them.
const (
	// RuleCited: every sentence a person can read is a claim citing
	// lines that exist, or the project's own explanation.
	RuleCited Rule = "cited"
	// RuleOwn: an explanation of our own holds no figure, name, contact,
	// status or rule.
	RuleOwn Rule = "own"
	// RuleSpan: a citation spans at most MaxCiteLines lines a range and
	// MaxClaimLines a claim.
	RuleSpan Rule = "span"
	// RuleNames: every name, e-mail, web address and phone number of a
	// claim is in its lines.
	RuleNames Rule = "names"
	// RuleFigures: every figure, in digits or in words, is in its lines.
	RuleFigures Rule = "figures"
	// RuleUnits: a figure's unit, period and count agree with its lines
	// (weeks or months, a year or in total, £17,000 or £17).
	RuleUnits Rule = "units"
	// RuleBounds: "at least", "less than", "up to" agree with the lines.
	RuleBounds Rule = "bounds"
	// RuleContent: the lines hold the claim's content words, not only
	// its names.
	RuleContent Rule = "content"
	// RuleNegation: "not", "no", "only", "except" agree with the lines.
	RuleNegation Rule = "negation"
	// RuleQuantifier: "all", "every", "always" rest on lines that say so.
	RuleQuantifier Rule = "quantifier"
	// RuleStatus: what a claim or status says of whether a thing runs
	// agrees with the lines (proposed, pilot, will, ended, until).
	RuleStatus Rule = "status"
	// RuleFinder: the funding finder's rules (who may apply, what for,
	// how much, where) are stated by their lines.
	RuleFinder Rule = "finder"
	// RuleContact: a contact is cited, dated, and says it may have
	// changed.
	RuleContact Rule = "contact"
)

// Rules are every Rule, in the order CheckSources applies them.
var Rules = []Rule{RuleCited, RuleOwn, RuleSpan, RuleNames, RuleFigures, RuleUnits, RuleBounds, RuleContent,
	RuleNegation, RuleQuantifier, RuleStatus, RuleFinder, RuleContact}

const (
	// MaxCiteLines is the most lines one cited range may span: about a
	// paragraph of the documents (a row of the toolkit's menu is one
	// line; a paragraph of the 2014 report is one line; a list runs to a
	// few).
	MaxCiteLines = 10
	// MaxClaimLines is the most lines one claim may cite in all.
	MaxClaimLines = 20
	// MinContent is the least share of a claim's content words (stemmed)
	// its lines must hold.
	MinContent = 0.5
)

// ErrNoDocuments is returned by CheckSources when the documents folder
// holds none of the source files: it is missing, or the wrong folder.
var ErrNoDocuments = errors.New("the documents folder holds none of the source files")

// claimKind says which checks a claim gets.
type claimKind int

const (
	// kindText is a sentence: every check.
	kindText claimKind = iota
	// kindName is a name or a title (guidance, a contact's name, an
	// entry's title): its names and figures, and for guidance its words.
	kindName
	// kindStatus is an entry's status.
	kindStatus
	// kindOnly is only_in: the places, and "only".
	kindOnly
	// kindApplicants, kindPurposes: finder keys.
	kindApplicants
	kindPurposes
	// kindGBP is max_gbp and min_gbp against the amount's lines.
	kindGBP
	// kindNeeds is a finder rule that rests on one word (max_band on
	// "small", raise on "investors").
	kindNeeds
	// kindContact is a contact: name, number, address, note.
	kindContact
)

// cited is one claim as checked: where it is, what it says, and what it
// rests on.
type cited struct {
	field string
	claim Claim
	kind  claimKind
	// needs is the word the lines must hold, for kindNeeds.
	needs string
	// contact is the contact, for kindContact.
	contact *Contact
	// content: check the content words too (guidance names are words).
	content bool
}

// claimsOf lists every claim of an entry a person can read, and every
// finder rule, each with what it rests on.
func claimsOf(e *Entry) []cited {
	var out []cited
	text := func(field string, cs Claims) {
		for _, c := range cs {
			out = append(out, cited{field: field, claim: c, kind: kindText})
		}
	}
	text("summary", e.SummaryClaims)
	text("details", e.DetailClaims)
	for _, l := range e.Local {
		out = append(out, cited{field: "local", claim: Claim{Text: l.Fact, Cite: l.Cite}, kind: kindText})
	}
	text("start", e.StartClaims)
	for _, g := range e.GuidanceClaims {
		out = append(out, cited{field: "guidance", claim: g, kind: kindName, content: true})
	}
	for i := range e.Contacts {
		c := &e.Contacts[i]
		out = append(out, cited{field: "contacts", claim: Claim{Text: c.Name, Cite: c.Cite}, kind: kindContact, contact: c})
	}
	if len(e.OnlyIn) > 0 {
		out = append(out, cited{field: "only_in", claim: Claim{Text: strings.Join(e.OnlyIn, ", "), Cite: e.OnlyCite}, kind: kindOnly})
	}
	out = append(out, cited{field: "status", claim: Claim{Text: string(e.Status), Cite: e.StatusCite}, kind: kindStatus})
	if f := e.Funding; f != nil {
		for _, x := range []struct{ field, text, cite string }{
			{"amount", f.Amount, f.AmountCite},
			{"limits", f.Limits, f.LimitsCite},
			{"who", strings.Join(f.Who, "; "), f.WhoCite},
		} {
			if x.text != "" {
				out = append(out, cited{field: x.field, claim: Claim{Text: x.text, Cite: x.cite}, kind: kindText})
			}
		}
		if len(f.Applicants) > 0 {
			out = append(out, cited{field: "applicants", claim: Claim{Text: strings.Join(f.Applicants, " "), Cite: f.ApplicantsCite}, kind: kindApplicants})
		}
		if len(f.Purposes) > 0 {
			out = append(out, cited{field: "purposes", claim: Claim{Text: strings.Join(f.Purposes, " "), Cite: f.PurposesCite}, kind: kindPurposes})
		}
		for _, g := range []struct {
			field string
			v     int
		}{{"max_gbp", f.MaxGBP}, {"min_gbp", f.MinGBP}} {
			if g.v > 0 {
				out = append(out, cited{field: g.field, claim: Claim{Text: strconv.Itoa(g.v), Cite: f.AmountCite}, kind: kindGBP})
			}
		}
		if f.MaxBand != "" {
			out = append(out, cited{field: "max_band", claim: Claim{Text: f.MaxBand, Cite: f.MaxBandCite}, kind: kindNeeds, needs: "small"})
		}
		if f.Raise {
			out = append(out, cited{field: "raise", claim: Claim{Text: "raise", Cite: f.RaiseCite}, kind: kindNeeds, needs: "investors"})
		}
	}
	return out
}

// finding is one problem with a claim, before it is placed in its file.
type finding struct {
	rule Rule
	msg  string
}

// Checker checks knowledge bases against one folder of documents. It reads
// each document once, and remembers how it read each text, so checking
// many bases (the same base with one false edit at a time) costs little.
// One Checker serves one goroutine at a time.
type Checker struct {
	docs fs.FS
	// files are the documents' lines by file name, and missing the
	// errors of those that could not be read.
	files   map[string][]string
	missing map[string]error
	stems   map[string]string
	// splits are texts as read, before names are marked; marked are
	// texts with their names marked, for the vocabulary they record.
	splits map[string][]sentence
	marked map[string]*marking
	// results are checkText's findings, by text, lines and rules.
	results map[string]*result
	// trace collects the markings read while a result is worked out.
	trace []*marking
}

// NewChecker returns a Checker for the documents in docs, the [[source]]
// files.
func NewChecker(docs fs.FS) *Checker {
	return &Checker{docs: docs, files: map[string][]string{}, missing: map[string]error{},
		stems: map[string]string{}, splits: map[string][]sentence{}, marked: map[string]*marking{},
		results: map[string]*result{}}
}

// lines are a document's lines, read once.
func (c *Checker) lines(file string) ([]string, error) {
	if l, ok := c.files[file]; ok {
		return l, nil
	}
	if err, ok := c.missing[file]; ok {
		return nil, err
	}
	data, err := fs.ReadFile(c.docs, file)
	if err != nil {
		c.missing[file] = err
		return nil, err
	}
	l := strings.Split(string(data), "\n")
	c.files[file] = l
	return l, nil
}

// stem is the Porter2 stem of a lower-case word, cached.
func (c *Checker) stem(low string) string {
	st, ok := c.stems[low]
	if !ok {
		st = stem(low)
		c.stems[low] = st
	}
	return st
}

// split reads a text into sentences, once; callers copy before changing.
func (c *Checker) split(text string) []sentence {
	ss, ok := c.splits[text]
	if !ok {
		ss = splitWith(text, c.stem)
		c.splits[text] = ss
	}
	return ss
}

// checker is one check of one base: the documents' lines by source id,
// the words written in lower case, and the texts read with their names
// marked.
type checker struct {
	*Checker
	texts   map[string][]string
	sources map[string]Source
	vocab   vocabulary
	finder  Finder
	reads   map[string][]sentence
}

// CheckSources verifies every claim of the base against the documents in
// docs, the [[source]] files. Every sentence a person can read (summary,
// details, local facts, how to start, guidance, contacts and their notes,
// place notes, funding amounts, limits and who) is a claim citing lines
// that exist, or an explanation of our own; and every finder rule
// (applicants, purposes, max_gbp, min_gbp, max_band, raise, only_in) and
// status rests on its lines. Rules lists what is checked. It returns every
// problem and the number of claims it checked; a docs folder that holds
// none of the source files is one problem, wrapping ErrNoDocuments.
func (b *Base) CheckSources(docs fs.FS) (Problems, int) {
	return NewChecker(docs).Check(b)
}

// Check is CheckSources with the Checker's documents.
func (c *Checker) Check(b *Base) (Problems, int) {
	ck := &checker{Checker: c, texts: map[string][]string{}, sources: b.sources, vocab: vocabulary{}, finder: b.Finder,
		reads: map[string][]sentence{}}
	var probs Problems
	var missing []string
	for _, id := range sortedKeys(b.sources) {
		s := b.sources[id]
		if s.File == "" {
			continue
		}
		lines, err := c.lines(s.File)
		if err != nil {
			if errors.Is(err, fs.ErrNotExist) {
				missing = append(missing, s.File)
			}
			probs = append(probs, Problem{File: s.File, Rule: RuleCited, Msg: fmt.Sprintf("source %q: %v", id, err)})
			continue
		}
		ck.texts[id] = lines
		ck.vocab.add(c.split(strings.Join(lines, "\n")))
	}
	if len(ck.texts) == 0 && len(missing) > 0 {
		return Problems{{File: ".", Rule: RuleCited, Msg: fmt.Sprintf("%v (%s): give the folder that holds them", ErrNoDocuments, strings.Join(missing, ", "))}}, 0
	}
	for _, l := range b.located {
		ck.vocab.add(c.split(l.e.Text()))
	}
	n := 0
	for _, l := range b.located {
		claims := claimsOf(l.e)
		// The title is checked against every line the entry cites.
		var all []string
		for _, c := range claims {
			if c.claim.Cite != "" {
				all = append(all, c.claim.Cite)
			}
		}
		for _, c := range claims {
			n++
			for _, f := range ck.check(l.e, c) {
				line := l.src.fieldLine("entry", l.idx, c.field)
				if c.claim.Text != "" && c.kind != kindContact {
					line = l.src.lineOf(c.claim.Text, line)
				} else if c.kind == kindContact {
					line = l.src.lineOf(`name = "`+c.contact.Name, line)
				}
				probs = append(probs, Problem{File: l.file, Line: line, Rule: f.rule, Msg: fmt.Sprintf("entry %s: %s: %s: %s", l.e.ID, c.field, f.rule, f.msg)})
			}
		}
		// The title's names and figures are in some line the entry
		// cites: the title is read as a name, not a sentence.
		n++
		if lines, err := ck.unionLines(all); err == nil {
			for _, f := range ck.checkText(l.e.Title, lines, "the entry cites", false, false) {
				probs = append(probs, Problem{File: l.file, Line: l.src.fieldLine("entry", l.idx, "title"), Rule: f.rule, Msg: fmt.Sprintf("entry %s: title: %s: %s", l.e.ID, f.rule, f.msg)})
			}
		}
	}
	for _, at := range b.placesAt {
		if at.p.NoteClaim.Text == "" {
			continue
		}
		n++
		c := cited{field: "note", claim: at.p.NoteClaim, kind: kindText}
		for _, f := range ck.check(nil, c) {
			probs = append(probs, Problem{File: at.file, Line: at.src.lineOf(at.p.NoteClaim.Text, at.line), Rule: f.rule,
				Msg: fmt.Sprintf("place %s: note: %s: %s", at.p.Name, f.rule, f.msg)})
		}
	}
	return probs, n
}

// hasWord reports whether text holds the word, in any case.
func hasWord(text, word string) bool {
	for _, w := range strings.FieldsFunc(strings.ToLower(text), func(r rune) bool { return !unicode.IsLetter(r) }) {
		if w == word {
			return true
		}
	}
	return false
}

func sortedKeys[V any](m map[string]V) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	slices.Sort(out)
	return out
}

// check applies the rules that fit a claim of its kind.
func (ck *checker) check(e *Entry, c cited) []finding {
	var out []finding
	bad := func(r Rule, format string, args ...any) { out = append(out, finding{r, fmt.Sprintf(format, args...)}) }
	if c.claim.Own {
		if c.kind != kindText {
			bad(RuleCited, "only a sentence may be an explanation of our own; cite the lines that give it")
			return out
		}
		for _, msg := range ck.ownProblems(c.claim.Text) {
			bad(RuleOwn, "an explanation of our own may hold no figure, name, contact, status or rule, but %s; cite the lines it comes from", msg)
		}
		return out
	}
	if c.kind == kindContact {
		return ck.checkContact(e, c)
	}
	if strings.TrimSpace(c.claim.Cite) == "" {
		what := c.field
		if c.claim.Text != "" && c.kind != kindStatus {
			what = fmt.Sprintf("%s %q", c.field, clip.Runes(c.claim.Text, 60))
		}
		bad(RuleCited, "%s has no citation: give the document lines it rests on (cite = \"000:12-14\"), or mark a sentence of our own (own = true)", what)
		return out
	}
	lines, err := ck.citedLines(c.claim.Cite)
	if err != nil {
		bad(citeRule(err), "%v", err)
		return out
	}
	switch c.kind {
	case kindStatus:
		out = append(out, ck.checkStatusField(e, lines, c.claim.Cite)...)
	case kindOnly:
		out = append(out, ck.checkOnly(e, lines, c.claim.Cite)...)
	case kindApplicants:
		out = append(out, ck.checkKeys("applicant", e.Funding.Applicants, ck.finder.Applicants, lines, c.claim.Cite)...)
	case kindPurposes:
		out = append(out, ck.checkKeys("purpose", e.Funding.Purposes, ck.finder.Purposes, lines, c.claim.Cite)...)
	case kindGBP:
		out = append(out, ck.checkGBP(c.field, c.claim.Text, lines, c.claim.Cite)...)
	case kindNeeds:
		if !hasWord(lines, c.needs) {
			bad(RuleFinder, "the cited lines %s do not say %q", c.claim.Cite, c.needs)
		}
	case kindName:
		out = append(out, ck.checkText(c.claim.Text, lines, c.claim.Cite, false, c.content)...)
	default:
		out = append(out, ck.checkText(c.claim.Text, lines, c.claim.Cite, true, true)...)
		if e != nil && c.field == "amount" && e.Status == Current {
			if p := strongPlanRE.FindString(lines); p != "" {
				bad(RuleStatus, "%q rests on lines that say %q: a proposal is not current (status = \"proposed\")", c.claim.Cite, p)
			}
		}
	}
	return out
}

// spanError is a citation longer than a paragraph.
type spanError struct{ msg string }

func (e spanError) Error() string { return e.msg }

// citeRE is one cited range: a document id, a line, and maybe a last line.
var citeRE = regexp.MustCompile(`^\s*([\w-]+):(\d+)(?:-(\d+))?\s*$`)

// citedLines returns the text of the cited ranges, each range's lines
// joined by newlines and ranges by a blank line.
func (ck *checker) citedLines(cite string) (string, error) {
	var b strings.Builder
	total := 0
	for _, part := range strings.Split(cite, ",") {
		m := citeRE.FindStringSubmatch(part)
		if m == nil {
			return "", fmt.Errorf("citation %q: want document:line or document:first-last, e.g. 000:12-14", strings.TrimSpace(part))
		}
		lines, ok := ck.texts[m[1]]
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
		if last-first+1 > MaxCiteLines {
			return "", spanError{fmt.Sprintf("citation %q spans %d lines; a citation is at most a paragraph (%d lines): cite the lines that say it", strings.TrimSpace(part), last-first+1, MaxCiteLines)}
		}
		total += last - first + 1
		for _, line := range lines[first-1 : last] {
			b.WriteString(line)
			b.WriteByte('\n')
		}
		b.WriteByte('\n')
	}
	if total > MaxClaimLines {
		return "", spanError{fmt.Sprintf("citation %q cites %d lines; one claim cites at most %d: cite the lines that say it", cite, total, MaxClaimLines)}
	}
	return b.String(), nil
}

// unionLines is the text of every line of the citations, however many:
// what a title is checked against.
func (ck *checker) unionLines(cites []string) (string, error) {
	var b strings.Builder
	for _, c := range cites {
		for _, part := range strings.Split(c, ",") {
			t, err := ck.citedLinesNoLimit(part)
			if err != nil {
				return "", err
			}
			b.WriteString(t)
		}
	}
	return b.String(), nil
}

// citedLinesNoLimit is one range's text, however long.
func (ck *checker) citedLinesNoLimit(part string) (string, error) {
	m := citeRE.FindStringSubmatch(part)
	if m == nil {
		return "", fmt.Errorf("bad citation %q", part)
	}
	lines, ok := ck.texts[m[1]]
	first, _ := strconv.Atoi(m[2])
	last := first
	if m[3] != "" {
		last, _ = strconv.Atoi(m[3])
	}
	if !ok || first < 1 || last < first || last > len(lines) {
		return "", fmt.Errorf("bad citation %q", part)
	}
	return strings.Join(lines[first-1:last], "\n") + "\n\n", nil
}

// read splits text into sentences and marks their names. What it returns
// is shared: callers do not change it.
func (ck *checker) read(text string) []sentence {
	if ss, ok := ck.reads[text]; ok {
		ck.trace = append(ck.trace, ck.marked[text])
		return ss
	}
	// A text read for another base is marked the same when the words
	// its marks depended on are lower-case words of this base too.
	if m, ok := ck.marked[text]; ok && m.holds(ck.vocab) {
		ck.reads[text] = m.ss
		ck.trace = append(ck.trace, m)
		return m.ss
	}
	split := ck.split(text)
	ss := make([]sentence, len(split))
	for i, s := range split {
		ss[i] = sentence{words: slices.Clone(s.words), qty: s.qty}
	}
	ck.vocab.markNames(ss)
	m := &marking{ss: ss, deps: map[string]bool{}}
	for _, s := range ss {
		for _, w := range s.words {
			if w.capital && w.first {
				m.deps[w.stem] = ck.vocab[w.stem]
			}
		}
	}
	ck.marked[text] = m
	ck.trace = append(ck.trace, m)
	ck.reads[text] = ss
	return ss
}

// marking is a text read with its names marked, and the vocabulary it
// depended on: whether each sentence-initial capitalised word is a word
// the base writes in lower case.
type marking struct {
	ss   []sentence
	deps map[string]bool
}

// holds reports whether v marks the text's names as they were marked.
func (m *marking) holds(v vocabulary) bool {
	for st, lower := range m.deps {
		if v[st] != lower {
			return false
		}
	}
	return true
}

// foldFacts folds text for comparing names and addresses: lower case,
// commas out of numbers, every other mark a space, and a space at each
// end.
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

// citeRule is the rule a citation that cannot be read breaks: a span the
// document does not have, or no citation that reads at all.
func citeRule(err error) Rule {
	var se spanError
	if errors.As(err, &se) {
		return RuleSpan
	}
	return RuleCited
}
