package bot

import (
	"cmp"
	"fmt"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"github.com/bathnes/signpost/knowledge"
)

// finder is a funding-finder conversation's progress: what the asker has
// said so far ("" for not asked or skipped) and the step being asked.
type finder struct {
	who, what, band, place string
	// about is the purpose's label, to find a tool to point to as well.
	about string
	step  int
	// asked counts unexpected replies to the current step.
	asked int
}

// field is what the asker said for a step.
func (f *finder) field(step int) string {
	switch step {
	case stepWho:
		return f.who
	case stepWhat:
		return f.what
	case stepBand:
		return f.band
	case stepWhere:
		return f.place
	}
	return ""
}

// Finder steps, in order.
const (
	stepWho = iota
	stepWhat
	stepBand
	stepWhere
	stepDone
)

// Finding is the funding finder's answer: the routes that fit, those that
// almost fit and why not, and the advice routes always worth a call.
type Finding struct {
	// Asked restates what the finder was told, in words.
	Asked  string
	Fits   []Fit
	Almost []Fit
	// Raise are ways to raise money yourselves (community shares, a
	// community energy society's own share issue): not funds to apply
	// to, so never among the routes that fit.
	Raise  []*knowledge.Entry
	Advice []*knowledge.Entry
	// See is a tool the question is about (neighbourhood planning for "a
	// neighbourhood plan"), whose facts may name money the funding routes
	// do not.
	See *knowledge.Entry
}

// Fit is one funding route and why it fits, or why not quite.
type Fit struct {
	Entry  *knowledge.Entry
	Why    []string
	WhyNot string
	// Only is set when the route is limited to places and the asker's
	// place is not known: it fits only if they are there.
	Only bool
	// Stated counts the rules the documents state that the asker meets
	// (who, what for, how much, where): a route that merely sets no limit
	// ranks below one whose rules say yes.
	Stated int
}

// maxAlmost bounds the routes shown as almost fitting.
const maxAlmost = 8

// Need is what the funding finder is told, as a form asks it: keys of the
// knowledge base's [finder] applicants, purposes and bands, and a place
// name. Any may be empty, as a skipped step is.
type Need struct {
	Who   string `json:"who"`
	What  string `json:"what"`
	Band  string `json:"band"`
	Place string `json:"place"`
}

// Find answers the funding finder in one go, for the platform and
// conversation q names (its text is not read). The finding is kept in the
// journal like any other answer, so the desk's and the API's findings are
// in the figures too. It is an error to name an applicant, purpose, band
// or place the knowledge base does not have.
func (b *Bot) Find(q Question, n Need) (Answer, error) {
	ix := b.ix.Load()
	fv := ix.base.Finder
	switch {
	case n.Who != "" && !hasOption(fv.Applicants, n.Who):
		return Answer{}, fmt.Errorf("no applicant %q", n.Who)
	case n.What != "" && !hasOption(fv.Purposes, n.What):
		return Answer{}, fmt.Errorf("no purpose %q", n.What)
	case n.Band != "" && !slices.ContainsFunc(fv.Bands, func(b knowledge.Band) bool { return b.Key == n.Band }):
		return Answer{}, fmt.Errorf("no band %q", n.Band)
	}
	place := ""
	if n.Place != "" {
		p, ok := ix.base.Place(n.Place)
		if !ok {
			return Answer{}, fmt.Errorf("no place %q", n.Place)
		}
		place = p.Name
	}
	f := finder{who: n.Who, what: n.What, band: n.Band, place: place}
	a := ix.finding(f)
	if f.what != "" {
		a.Finding.See = toolOf(ix.answer(label(fv.Purposes, f.what)))
	}
	b.record(q, &state{}, &a)
	return a, nil
}

func hasOption(opts []knowledge.Option, key string) bool {
	return slices.ContainsFunc(opts, func(o knowledge.Option) bool { return o.Key == key })
}

// finderStarts are the ways to start the finder step by step.
var finderStarts = []string{"funding", "funding finder", "find funding", "find us funding", "what funding could we get",
	"what funding can we get", "what funding could we apply for", "what funding can we apply for", "what grants could we get",
	"what grants can we get", "help us find funding", "help me find funding", "where can we get funding", "where can we get money",
	"what money could we get", "what money can we get", "which funding fits us", "what could we apply for"}

// moneyWords say a message is about getting money, padded as placeWords
// pads a message ("£" is checked on the raw text: folding drops it).
var moneyWords = []string{" funding ", " fund ", " funds ", " grant ", " grants ", " money ", " finance ", " pay for ", " paying for ", " cost "}

// startFinder reports whether a message starts the finder: one of the
// phrases alone, or a request for money that already says two of who,
// what for and how much ("we're a parish council wanting about £20k for
// a neighbourhood plan"), which is answered at once.
func (b *Bot) startFinder(ix *index, q Question, text string, st *state) (Answer, bool) {
	l := lower(text)
	// Where, if already known: the screen's, the conversation's, else
	// the channel's. Looked up only when the finder starts: the channel's
	// may be a query to the shared store.
	known := func() string {
		if p := cmp.Or(q.Place, st.place); p != "" {
			return p
		}
		return b.boundTo(q.Channel)
	}
	if slices.Contains(finderStarts, l) {
		st.finder = &finder{place: known()}
		return ix.finderStep(st.finder, ""), true
	}
	// Most questions are not about money: look no further for them.
	w := placeWords(text)
	asksMoney := strings.Contains(text, "£")
	for _, m := range moneyWords {
		asksMoney = asksMoney || strings.Contains(w, m)
	}
	if !asksMoney {
		return Answer{}, false
	}
	f := ix.readFinder(text)
	given := 0
	for _, s := range []string{f.who, f.what, f.band} {
		if s != "" {
			given++
		}
	}
	if given < 2 {
		return Answer{}, false
	}
	if f.place == "" {
		f.place = known()
	}
	a := ix.finding(f)
	// A one-message question keeps its ordinary ranking too, so `ask
	// --json` and anything scoring it see the same results as before;
	// the same answer names the tool it is about.
	ordinary := ix.answer(text)
	a.Results = ordinary.Results
	a.Finding.See = toolOf(ordinary)
	return a, true
}

// continueFinder takes a reply to the current step: an answer (by number,
// label, button or in words), "skip", or something else, which is asked
// again once and then ends the finder so the message is answered normally.
func (b *Bot) continueFinder(ix *index, text string, st *state) (Answer, bool) {
	// A copy: the remembered state may be read by another message of the
	// same conversation at the same time.
	cp := *st.finder
	f := &cp
	st.finder = f
	got := ix.readFinder(text)
	if got.band == "" {
		// A bare number is pounds: "2000". At the amount step any
		// number is; at another a number too big to be a pick.
		if m := bareSum.FindStringSubmatch(text); m != nil {
			if n, err := strconv.ParseFloat(strings.ReplaceAll(m[1], ",", ""), 64); err == nil && n > 0 && n < 1e10 &&
				(f.step == stepBand || n >= minBareSum) {
				got.band = bandOf(ix.base.Finder.Bands, int(n))
			}
		}
	}
	// A reply may say more than the step asked ("a parish council, about
	// £20k, for a neighbourhood plan"): everything it says is kept.
	was := *f
	filled := 0
	fill := func(field *string, v string) {
		if *field == "" && v != "" {
			*field = v
			filled++
		}
	}
	fill(&f.who, got.who)
	fill(&f.what, got.what)
	fill(&f.band, got.band)
	fill(&f.place, got.place)
	if f.what != "" && f.about == "" {
		f.about = label(ix.base.Finder.Purposes, f.what)
	}
	// A question is answered as one, whatever step is open, even when it
	// shares a word with the finder ("who runs PACT in Radstock" at
	// "Where is it?", "how do we list our pub" at "What is it for?"). A
	// reply that says only what the finder asks ("a community group",
	// "what about Keynsham", "about £2,000") is a reply, and one that
	// says two things at once is too.
	if filled < 2 && !ix.saysOnlyFinder(text) && ix.isQuestion(text) {
		st.finder = nil
		return Answer{}, false
	}
	answered := f.field(f.step) != "" || slices.Contains(skipWords, lower(text))
	if !answered {
		switch {
		case filled > 0:
			// Something for a later step ("about £2,000" when asked
			// who): kept, and said back, and the step asked again.
			return ix.finderStep(f, "Noted: "+ix.said(was, *f)+". "), true
		case f.asked == 0:
			f.asked++
			return ix.finderStep(f, "Sorry, I did not catch that. "), true
		}
		st.finder = nil
		return Answer{}, false
	}
	f.asked = 0
	f.step++
	for f.step < stepDone && f.field(f.step) != "" {
		f.step++
	}
	if f.step < stepDone {
		return ix.finderStep(f, ""), true
	}
	st.finder = nil
	if f.place != "" {
		st.place = f.place
	}
	a := ix.finding(*f)
	if f.about != "" {
		a.Finding.See = toolOf(ix.answer(f.about))
	}
	return a, true
}

func optionLabels(opts []knowledge.Option) []string {
	var out []string
	for _, o := range opts {
		out = append(out, o.Label)
	}
	return out
}

// finderStep asks the finder's current question.
func (ix *index) finderStep(f *finder, prefix string) Answer {
	fv := ix.base.Finder
	var text string
	var labels []string
	switch f.step {
	case stepWho:
		text, labels = "Who is applying?", optionLabels(fv.Applicants)
	case stepWhat:
		text, labels = "What is it for?", optionLabels(fv.Purposes)
	case stepBand:
		text = "Roughly how much do you need?"
		for _, b := range fv.Bands {
			labels = append(labels, b.Label)
		}
	case stepWhere:
		text = "Where is it?"
		for _, a := range ix.base.Areas() {
			labels = append(labels, a.Name)
		}
	}
	var choices []Choice
	for _, l := range labels {
		choices = append(choices, Choice{Label: l, Reply: l}) // a choice sends its own label
	}
	choices = append(choices, Choice{Label: "Skip", Reply: "skip"})
	msg := fmt.Sprintf("Funding finder, step %d of 4. %s%s", f.step+1, prefix, text)
	return Answer{Kind: Note, Message: msg, Prompt: &Prompt{Text: msg, Choices: choices}}
}

// amountRE finds a sum of money: "£20k", "20,000 pounds", "£1.5m".
var amountRE = regexp.MustCompile(`(?i)(£\s?)?(\d[\d,]*(?:\.\d+)?)\s?(k|m|thousand|million|mill|grand|pounds|quid)?\b`)

// readFinder reads what a message says of who, what for, how much and
// where, in the finder's own words from the knowledge base.
func (ix *index) readFinder(text string) finder {
	var f finder
	w := placeWords(text)
	fv := ix.base.Finder
	f.who = findOption(w, ix.applicants)
	f.what = findOption(w, ix.purposes)
	for _, b := range fv.Bands {
		if strings.EqualFold(strings.TrimSpace(text), b.Label) {
			f.band = b.Key
		}
	}
	if f.band == "" {
		if n, ok := amount(text); ok {
			f.band = bandOf(fv.Bands, n)
		}
	}
	if p := ix.geo.in(text); p != nil {
		f.place = p.Name
	}
	return f
}

// said restates what a reply added to the finder: "under £5,000".
func (ix *index) said(was, now finder) string {
	var added finder
	if was.who == "" {
		added.who = now.who
	}
	if was.what == "" {
		added.what = now.what
	}
	if was.band == "" {
		added.band = now.band
	}
	if was.place == "" {
		added.place = now.place
	}
	var band *knowledge.Band
	for i, b := range ix.base.Finder.Bands {
		if b.Key == added.band {
			band = &ix.base.Finder.Bands[i]
		}
	}
	return strings.TrimPrefix(ix.asked(added, band, ix.place(added.place)), "anyone, for anything, ")
}

// sumWords are the words of a sum besides its figure: "about £2,000",
// "under five thousand", "between 1k and 3k".
var sumWords = wordSet(`about around roughly approximately approx circa some nearly almost just under below less than up to
	over more above between and to or k m thousand thousands million grand pounds quid gbp need needs want wants
	a one two three four five six seven eight nine ten eleven twelve fifteen twenty thirty forty fifty sixty seventy eighty ninety hundred`)

// saysOnlyFinder reports whether a message says nothing but what the
// finder asks (who, what for, how much, where) in its own words, with the
// words of a follow-up or a sum: "a community group", "what about
// Keynsham", "less than five thousand". Anything else it says ("who runs
// PACT in Radstock") may make it a question of its own.
func (ix *index) saysOnlyFinder(text string) bool {
	rest, _ := ix.withoutPlaces(text)
	rest = " " + rest + " "
	for _, ws := range [][]optionWord{ix.applicants, ix.purposes} {
		for _, ow := range ws {
			rest = strings.ReplaceAll(rest, ow.folded, " ")
		}
	}
	for _, w := range strings.Fields(rest) {
		if !followWords[w] && !sumWords[w] && !ix.geo.stop[w] && strings.Trim(w, "0123456789km") != "" {
			return false
		}
	}
	return true
}

// optionWord is a finder answer's word, folded as questions are.
type optionWord struct{ folded, key string }

// optionWords folds every option's label and words once, when the index
// is built.
func optionWords(opts []knowledge.Option) []optionWord {
	var out []optionWord
	for _, o := range opts {
		for _, word := range append([]string{o.Label}, o.Words...) {
			out = append(out, optionWord{placeWords(word), o.Key})
		}
	}
	return out
}

// findOption is the key of the option whose words (or label) the folded
// text holds, preferring the longest match ("parish council" over
// "council").
func findOption(w string, words []optionWord) string {
	best, bestLen := "", 0
	for _, ow := range words {
		if len(ow.folded) > bestLen && strings.Contains(w, ow.folded) {
			best, bestLen = ow.key, len(ow.folded)
		}
	}
	return best
}

// amount finds a sum of money in text as people write it: "£20k",
// "about £2,000", "two grand", "1.5 million", "£1m", and never a bare
// year. A ceiling ("under 5k", "less than five thousand", "below
// £5,000", "up to £5,000") is read as just under its figure, so it falls
// in the band below a band's first pound: whoever needs at most £5,000 is
// not told that a fund of up to £4,999 gives "less than you need". A range
// ("between £1,000 and £3,000") is read as its top.
func amount(text string) (int, bool) {
	text = numberWords(text)
	ms := amountRE.FindAllStringSubmatchIndex(text, -1)
	for i, m := range ms {
		pound, unit := part(text, m, 1), strings.ToLower(part(text, m, 3))
		if pound == "" && unit == "" {
			// A bare figure is no sum ("in 2013"); in "between 1 and 3
			// thousand" the sum is the range's top, read next.
			continue
		}
		n, ok := pounds(part(text, m, 2), unit)
		if !ok {
			continue
		}
		// A range ("between £1,000 and £3,000", "£2k-£8k", "£1,000 to
		// 3,000") is read as its top: the most that is needed.
		if i+1 < len(ms) && rangeTo.MatchString(text[m[1]:ms[i+1][0]]) {
			next := ms[i+1]
			u := strings.ToLower(part(text, next, 3))
			if u == "" {
				u = unit
			}
			if top, ok := pounds(part(text, next, 2), u); ok && top > n {
				return top, true
			}
		}
		if below.MatchString(text[:m[0]]) {
			n--
		}
		return n, true
	}
	return 0, false
}

// pounds is a figure and its unit ("2.5", "k") in pounds.
func pounds(num, unit string) (int, bool) {
	n, err := strconv.ParseFloat(strings.ReplaceAll(num, ",", ""), 64)
	if err != nil {
		return 0, false
	}
	switch unit {
	case "k", "thousand", "grand":
		n *= 1000
	case "m", "million", "mill":
		n *= 1000000
	}
	if n <= 0 || n >= 1e10 {
		return 0, false
	}
	return int(n), true
}

// rangeTo joins the two ends of a range of sums.
var rangeTo = regexp.MustCompile(`(?i)^\s*(?:and|to|-|–|or)\s*$`)

// part is the i-th group of a match, or "".
func part(s string, m []int, i int) string {
	if m[2*i] < 0 {
		return ""
	}
	return s[m[2*i]:m[2*i+1]]
}

// below ends the words before a sum that make it a ceiling.
var below = regexp.MustCompile(`(?i)\b(?:under|less\s+than|below|fewer\s+than|not\s+quite|just\s+under|up\s+to|at\s+most|no\s+more\s+than|not\s+more\s+than|max(?:imum)?(?:\s+of)?)\s*$`)

// minBareSum is the least bare number read as pounds at a step that is
// not the amount's: below it, a number is more likely a choice mistyped.
const minBareSum = 100

// bareSum is a reply that is only a number: at the finder's amount step,
// "2000" is £2,000.
var bareSum = regexp.MustCompile(`^\s*£?\s*(\d[\d,]*(?:\.\d+)?)\s*$`)

// numberWords writes the number words before a unit as digits ("two
// grand", "five thousand", "a million"), so amount reads them.
func numberWords(text string) string {
	if !numberWordRE.MatchString(text) {
		return text
	}
	return numberWordRE.ReplaceAllStringFunc(text, func(m string) string {
		f := strings.Fields(strings.ToLower(m))
		n := 0
		for _, w := range f[:len(f)-1] {
			n += numbers[w]
		}
		return strconv.Itoa(n) + " " + f[len(f)-1]
	})
}

var numbers = map[string]int{"a": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
	"nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "fifteen": 15, "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50,
	"sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90, "hundred": 100}

// numberWordRE is one to three number words before a unit of money.
var numberWordRE = regexp.MustCompile(`(?i)\b(?:(?:a|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|fifteen|twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety)\s+){1,3}(?:grand|thousand|million|k)\b`)

// bandMax is the top of the band with key, or no limit.
func bandMax(bands []knowledge.Band, key string) int {
	for _, b := range bands {
		if b.Key == key && b.Max > 0 {
			return b.Max
		}
	}
	return 1 << 62
}

func bandOf(bands []knowledge.Band, n int) string {
	for _, b := range bands {
		if n >= b.Min && (b.Max == 0 || n <= b.Max) {
			return b.Key
		}
	}
	return ""
}

// finding ranks the funding routes for what the finder was told. A route
// fits when nothing it says rules the asker out; it almost fits when one
// thing does, which the answer names. Current routes come before those
// whose status is unknown, then historical ones.
func (ix *index) finding(f finder) Answer {
	fv := ix.base.Finder
	var place *knowledge.Place
	if f.place != "" {
		place, _ = ix.base.Place(f.place)
	}
	var band *knowledge.Band
	for i := range fv.Bands {
		if fv.Bands[i].Key == f.band {
			band = &fv.Bands[i]
		}
	}
	res := &Finding{Asked: ix.asked(f, band, place)}
	for _, e := range ix.base.Entries {
		if !e.Is(knowledge.KindFunding) || e.Funding == nil || slices.Contains(fv.Standing, e.ID) {
			continue
		}
		if e.Funding.Raise {
			if e.Status == knowledge.Current && ix.fit(e, f, band, place).WhyNot == "" {
				res.Raise = append(res.Raise, e)
			}
			continue
		}
		fit := ix.fit(e, f, band, place)
		switch {
		case fit.WhyNot == "":
			res.Fits = append(res.Fits, fit)
		case !strings.Contains(fit.WhyNot, ";"):
			res.Almost = append(res.Almost, fit)
		}
	}
	// Routes open where the asker is before those limited to places they
	// may not be in; current before unknown before proposed before
	// historical; then the more stated rules met, the better.
	rank := func(x, y Fit) int {
		if d := boolInt(x.Only) - boolInt(y.Only); d != 0 {
			return d
		}
		if d := statusRank(x.Entry) - statusRank(y.Entry); d != 0 {
			return d
		}
		return y.Stated - x.Stated
	}
	slices.SortStableFunc(res.Fits, rank)
	slices.SortStableFunc(res.Almost, rank)
	// A volunteer wants the few nearest misses, not every fund ever.
	res.Almost = res.Almost[:min(len(res.Almost), maxAlmost)]
	for _, id := range fv.Standing {
		if e, ok := ix.base.Entry(id); ok {
			res.Advice = append(res.Advice, e)
		}
	}
	a := Answer{Kind: Funding, Finding: res, Fallback: ix.fallback(), Place: place, Years: ix.years}
	for _, fit := range res.Fits {
		a.Results = append(a.Results, Result{ID: fit.Entry.ID, Score: 1})
	}
	return a
}

// toolOf is the tool an ordinary answer found, or the likelier of a
// choice it offered, when that is not itself a funding route.
func toolOf(a Answer) *knowledge.Entry {
	e := a.Entry
	if a.Kind == Clarify {
		// A pointer to see, not an answer: the likelier of the choice
		// ("a neighbourhood or community plan" is either plan).
		e = a.Options[0]
	}
	if e == nil || e.Is(knowledge.KindFunding) {
		return nil
	}
	return e
}

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}

// statusRank orders routes: current, unknown, proposed, historical.
func statusRank(e *knowledge.Entry) int {
	return slices.Index([]knowledge.Status{knowledge.Current, knowledge.Unknown, knowledge.Proposed, knowledge.Historical}, e.Status)
}

// fit checks one route against what the finder was told. Why lists what
// matches; WhyNot joins with "; " everything that rules the asker out.
func (ix *index) fit(e *knowledge.Entry, f finder, band *knowledge.Band, place *knowledge.Place) Fit {
	fu := e.Funding
	fit := Fit{Entry: e}
	var not []string
	fv := ix.base.Finder
	// Only the rules a document states count: without one, nobody is
	// ruled out.
	applicants, purposes := fu.RuledApplicants(), fu.RuledPurposes()
	fit.rule(f.who, applicants, fv.Applicants, &not, "who may apply", "open to ", "it is for ")
	fit.rule(f.what, purposes, fv.Purposes, &not, "what it funds", "for ", "it funds ")
	if band != nil {
		switch {
		case fu.MaxBand != "" && band.Min > bandMax(fv.Bands, fu.MaxBand):
			// "Small local projects": not the largest sums, though the
			// documents give no figure.
			not = append(not, fmt.Sprintf("the documents call it investment in small local projects, not %s", strings.ToLower(band.Label)))
		case fu.MaxGBP > 0 && band.Min > fu.MaxGBP:
			not = append(not, fmt.Sprintf("it gives at most £%s, less than you need", thousands(fu.MaxGBP)))
		case fu.MinGBP > 0 && band.Max > 0 && band.Max < fu.MinGBP:
			not = append(not, fmt.Sprintf("it starts at £%s", thousands(fu.MinGBP)))
		case fu.MaxGBP > 0:
			fit.Stated++
			fit.Why = append(fit.Why, "up to £"+thousands(fu.MaxGBP))
		}
	}
	switch {
	case len(e.OnlyIn) == 0:
	case place == nil:
		fit.Only = true
		fit.Why = append(fit.Why, "only if you are in "+joinOr(e.OnlyIn))
	case ix.geo.base.Covers(e.OnlyIn, place):
		fit.Stated++
		fit.Why = append(fit.Why, "available in "+place.Name)
	case ix.geo.near(e.OnlyIn, place):
		// An area that holds the places, not the whole area: it fits
		// only a caller in one of them ("Somer Valley" for Big Local).
		fit.Only = true
		fit.Why = append(fit.Why, "only if you are in "+joinOr(e.OnlyIn)+", in "+place.Name)
	default:
		not = append(not, "it is only in "+joinAnd(e.OnlyIn))
	}
	// A route that is not open, or not known to be, never fits: that is
	// the one thing that rules it out.
	if len(not) == 0 && e.Status != knowledge.Current {
		not = append(not, notOpen(e))
	}
	fit.WhyNot = strings.Join(not, "; ")
	return fit
}

// rule weighs one of the asker's answers (asked, a key of opts) against
// the keys a route's documents state: a stated yes counts, no rule says
// so, and a rule that leaves the asker out joins not.
func (fit *Fit) rule(asked string, ruled []string, opts []knowledge.Option, not *[]string, what, yes, no string) {
	switch {
	case asked == "":
	case len(ruled) == 0:
		fit.Why = append(fit.Why, "the documents set no limit on "+what)
	case slices.Contains(ruled, asked):
		fit.Stated++
		fit.Why = append(fit.Why, yes+strings.ToLower(label(opts, asked)))
	default:
		*not = append(*not, no+strings.ToLower(labels(opts, ruled)))
	}
}

// notOpen says, in a few words, why a route that is not current cannot be
// counted on; its status, shown beside it, gives the dates.
func notOpen(e *knowledge.Entry) string {
	switch e.Status {
	case knowledge.Historical:
		return "it has ended"
	case knowledge.Proposed:
		return "it was only proposed"
	}
	return "it may have ended"
}

// asked restates the finder's facts: "a parish or town council, for a
// neighbourhood or community plan, £5,000 to £50,000, in Keynsham".
func (ix *index) asked(f finder, band *knowledge.Band, place *knowledge.Place) string {
	fv := ix.base.Finder
	var parts []string
	if f.who != "" {
		parts = append(parts, strings.ToLower(label(fv.Applicants, f.who)))
	}
	if f.what != "" {
		parts = append(parts, "for "+strings.ToLower(label(fv.Purposes, f.what)))
	}
	if band != nil {
		parts = append(parts, strings.ToLower(band.Label))
	}
	if len(parts) == 0 {
		parts = append(parts, "anyone, for anything")
	}
	if place != nil {
		parts = append(parts, "in "+place.Name)
	}
	return strings.Join(parts, ", ")
}

func label(opts []knowledge.Option, key string) string {
	for _, o := range opts {
		if o.Key == key {
			return o.Label
		}
	}
	return key
}

func labels(opts []knowledge.Option, keys []string) string {
	var ls []string
	for _, k := range keys {
		ls = append(ls, label(opts, k))
	}
	return joinOr(ls)
}

func joinOr(s []string) string {
	if len(s) < 2 {
		return strings.Join(s, "")
	}
	return strings.Join(s[:len(s)-1], ", ") + " or " + s[len(s)-1]
}

// thousands writes 4999 as "4,999".
func thousands(n int) string {
	s := strconv.Itoa(n)
	for i := len(s) - 3; i > 0; i -= 3 {
		s = s[:i] + "," + s[i:]
	}
	return s
}
