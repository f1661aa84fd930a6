package bot

import (
	"cmp"
	"errors"
	"maps"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/bathnes/signpost/internal/clip"
	"github.com/bathnes/signpost/internal/needs"
	"github.com/bathnes/signpost/internal/postcode"
	"github.com/bathnes/signpost/internal/stem"
	"github.com/bathnes/signpost/knowledge"
)

// Directory is the port to a directory of local services (lunch clubs,
// youth groups, food support), such as a council's Open Referral UK feed.
// The core asks it for the services that may answer a question and
// decides itself whether they do (see withLocal). An implementation must
// be safe for concurrent use; it may swap its data while the bot runs.
type Directory interface {
	// Find gives the services that best answer q, best first: a few, not
	// every match. None when the question names no need it can search.
	Find(q LocalQuery) []LocalService
}

// PlaceReader is a Directory that knows places the knowledge base does
// not (wards, postcode districts): "we're in Twerton" is then kept for the
// services asked about next. Optional, so a Directory is still one method.
type PlaceReader interface {
	// PlaceIn is the name of the place text names, if it names one.
	PlaceIn(text string) (string, bool)
	// TownOf is the town or city a place PlaceIn named is part of
	// ("Bath" for Twerton), "" when its source does not say: a toolkit
	// question asked there is then answered for that town's area.
	TownOf(place string) string
}

// NeedLister is a Directory that can say what it can be searched for, in
// its own words (its taxonomy): the desk's Services tab suggests them.
// Optional, like PlaceReader.
type NeedLister interface {
	Needs() []string
}

// Needs are what the directory can be searched for; none without a
// directory, or when it cannot say.
func (b *Bot) Needs() []string {
	dir := b.dir.Load()
	if dir == nil || *dir == nil {
		return nil
	}
	if nl, ok := (*dir).(NeedLister); ok {
		return nl.Needs()
	}
	return nil
}

// NotedLocal acknowledges a place only the directory knows.
const NotedLocal = `Noted: you are in %s. Ask me about local services there, for example "is there a lunch club".`

// directoryPlace is the place a message that says only where the asker
// is ("we're in Twerton") names, when the knowledge base does not know
// it and the directory does.
func (b *Bot) directoryPlace(ix *index, text string) (string, bool) {
	words := ix.saysWhereElse(text)
	if words == "" {
		return "", false
	}
	name, ok := b.directoryPlaceIn(words)
	if !ok {
		return "", false
	}
	// Nothing but where: "we're in Twerton and need a food bank" is a
	// question, answered as one.
	for _, w := range strings.Fields(placeWords(text)) {
		if !whereWords[w] && !ix.geo.stop[w] && !slices.Contains(strings.Fields(placeWords(name)), w) {
			return "", false
		}
	}
	return name, true
}

// Vocabulary is a Directory that can say which words its services use,
// and which a misspelt one meant ("luch" is "lunch"). The core then
// leaves out of a need the words no service uses ("my mum has dementia":
// mum), so that they do not keep a service from fitting. Optional.
type Vocabulary interface {
	// Known is stem w as the directory's services spell it: w, or the
	// word one slip from it that they use; false when none is.
	Known(w string) (string, bool)
}

// LocalQuery is a question put to a Directory.
type LocalQuery struct {
	// Text is the question as cleaned, with the place names the
	// knowledge base knows taken out (they are in Place): what is
	// needed, when, and any postcode.
	Text string
	// Place is where the services should be near, when known: the
	// place the question names, or else the asker's (said earlier, the
	// desk's "caller is in…", or the channel's area). A town, village,
	// ward or area name; "" when not known.
	Place string
	// Now is the time next sessions are worked out from.
	Now time.Time
	// OnDay asks for services with a session on Day, as their schedules
	// say: Next is then the next session on that day, and "" for a
	// service whose record publishes none on it. Without it a day the
	// text names only ranks.
	Day   time.Weekday
	OnDay bool
	// Max is how many services to give at most; 0 leaves it to the
	// directory (a few, as a chat reply needs).
	Max int
	// Browse asks for any service near Place (and on the day the text
	// names), whatever it is: "what's on in Radstock on a Wednesday".
	Browse bool
	// Need is what the core reads the question to need: one element a
	// word, as stems, with the words a record may use for it instead
	// (internal/needs), those the directory does not use left out. A
	// directory that can should search it rather than Text's words.
	Need [][]string
}

// LocalService is one service from a directory, with what a reply says about
// it. Every string is the record's own text, as its publisher wrote it
// (third-party text: screens escape it), except Near and Covers, which
// the directory writes. The core cleans and cuts every field before any
// screen sees it (cleanLocal).
type LocalService struct {
	Name string
	// What says what it is: the record's description (the first
	// sentence is shown).
	What string
	// Org is the organisation that runs it, when the record names one.
	Org string
	// Ages is the age range it is for, in words ("ages 11 to 18"); ""
	// when open to all or not given.
	Ages string
	// Kinds are the record's taxonomy terms ("Older people", "Food").
	Kinds []string
	// Address is where it meets, as the record gives it: a location's
	// name, address and postcode. "" when the record gives none.
	Address string
	// Near is the place the search was near ("BA2", "Twerton"), "" when
	// the question and the asker gave none the directory knows.
	Near string
	// Distance is in kilometres from Near to the nearest of the
	// service's locations, when HasDistance.
	Distance    float64
	HasDistance bool
	// Covers is the area a service with no location to measure from is
	// said to cover ("B&NES"); "" when it has one.
	Covers string
	// Next is the next session in words ("Thursday 12 March, 10:00 to
	// 12:00"); "" when the record publishes no times.
	Next string
	// Meets is when it meets as a rule, as the record's schedules say
	// ("Thursdays, 12:00 to 14:00"); "" when they say nothing usable.
	Meets string
	// Cost is what it costs, as the record gives it; "" when it gives
	// nothing.
	Cost string
	// Contact are the phone numbers, e-mail and web address the record
	// gives, as it gives them.
	Contact []string
	// Feed is the feed (a URL or a file) the record came from, and ID
	// the record's id in it.
	Feed, ID string
	// Checked is when the record was last checked; zero when not given.
	Checked time.Time
	// Dated says what Checked is: a check (the zero value), or only
	// when the record last changed, which a reply must not call a check.
	Dated RecordDate
	// Stale says how old the check is when it is older than the
	// directory's limit ("14 months ago"); "" when recent.
	Stale string
	// Alert is a notice on the record ("temporarily closed", "closed
	// over Easter").
	Alert string
}

// RecordDate says what a service's date is.
type RecordDate uint8

// What a service's date can be.
const (
	// DateChecked: someone checked the record then (ORUK's assured_date).
	DateChecked RecordDate = iota
	// DateUpdated: the record last changed then (last_modified), which
	// says nothing of whether anyone checked it.
	DateUpdated
)

// String says the date as a reply does: "last checked", "last updated".
func (d RecordDate) String() string {
	if d == DateUpdated {
		return "last updated"
	}
	return "last checked"
}

// Key names a service among a directory's: its record's id within its
// feed. A screen that lets someone choose services names them by it.
func (l LocalService) Key() string { return l.Feed + " " + l.ID }

// UseDirectory makes the bot answer questions about local services from d
// as well as the toolkit. Call it before answering. Without it (or with
// nil) every answer is the toolkit's alone.
// It may be called while answering: a refreshed directory replaces the
// old one at once, as a reloaded knowledge base does.
func (b *Bot) UseDirectory(d Directory) { b.dir.Store(&d) }

// maxLocals is how many services a reply lists: as many as a person can
// take in from a chat message or a phone call.
const maxLocals = 3

// NoTimes is what a reply says of a service whose record publishes no
// times.
const NoTimes = "times not published: ring first"

// NoTimesNoContact is NoTimes for a record that gives no contact either.
const NoTimesNoContact = "times not published"

// withLocal decides what the directory adds to the toolkit's answer to a
// new question, and adds it:
//
//   - nothing, when no directory is configured, the message was a
//     command, the bot is asking something back, the question is a
//     group's own ("how do we…", "our group", funding, setting up), it
//     neither asks for a service (seeksService: "is there…", "anything
//     for…", "for my mum", "near BA2", a day, or put as a search, "food
//     bank Twerton") nor is one the toolkit is unsure of or rules out, or
//     no service the directory gives fits the need (fits);
//   - services after the answer, when the toolkit stated an answer and
//     the question names its entry ("is there a PACT meeting in
//     Radstock"), and a service holds every word of the need: the
//     toolkit's answer stays first and whole;
//   - services instead, when the toolkit stated none (not sure, a
//     choice, a council service, not covered), or matched an entry the
//     question does not name, on a word they share ("lonely", "youth"):
//     a Local answer, with the toolkit's entry or guesses offered beneath
//     it to open.
//
// A service never takes a fact from an entry, nor an entry from a
// service: each keeps its own source.
func (b *Bot) withLocal(ix *index, q Question, text string, st *state, a *Answer) {
	dir := b.dir.Load()
	if dir == nil || *dir == nil || a.Prompt != nil || a.Full {
		return
	}
	switch a.Kind {
	case Matched, Unsure, Clarify, Service, Outside:
	default:
		return
	}
	if _, ok := ix.command(text); ok {
		return
	}
	folded := " " + strings.Join(strings.Fields(placeWords(text)), " ") + " "
	if containsAny(folded, ownWords) {
		return
	}
	need := ix.needWords(text)
	browse := len(need) == 0 && containsAny(folded, whatsOnWords)
	if len(need) == 0 && !browse {
		return
	}
	// A question the toolkit has no answer for may be a need told
	// without asking ("hot lunch for OAPs, my dad can't drive"): the
	// services that fit are a better reply than "not sure".
	if !ix.seeksService(text, folded) && a.Kind != Unsure && a.Kind != Outside {
		return
	}
	lq := LocalQuery{Text: text, Now: b.clock()}
	rest, named := ix.withoutPlaces(text)
	if p := ix.geo.in(text); p != nil {
		lq.Place = p.Name
		if named {
			lq.Text = strings.TrimSpace(rest)
		}
	} else {
		lq.Place = b.whereAsker(ix, q, st)
	}
	if browse {
		if lq.Place == "" {
			return // what's on everywhere is the whole directory
		}
		lq.Browse = true
	}
	// The toolkit's answer stays first when the question names its
	// entry ("is there a village agent in Chew Magna"); one it matched on
	// a shared word ("lonely", "youth") gives way to services that fit.
	stated := a.Kind == Matched && namesEntry(text, a.Entry)
	rule := loose
	switch {
	case stated:
		rule = whole
	case a.Kind == Matched:
		rule = firm
	}
	found := fitting(*dir, lq, need, rule, maxLocals)
	if len(found) == 0 {
		return
	}
	a.Locals, a.LocalPlace = found, lq.Place
	if stated {
		return
	}
	a.search = b.searchOf(lq)
	// The toolkit's guesses, when it offered a choice or was unsure,
	// stay on offer as entries to open: a person asking about a lunch
	// club may be starting one, or after the village agents. What it
	// ruled out (a council service, not its subject) it offered nothing
	// for.
	var guesses []*knowledge.Entry
	switch a.Kind {
	case Clarify, Unsure:
		guesses = append(slices.Clip(a.Options), a.Alternatives...)
	case Matched:
		guesses = append([]*knowledge.Entry{a.Entry}, a.Alternatives...)
	}
	a.Kind, a.Entry, a.Options, a.Alternatives, a.Service = Local, nil, nil, nil, ""
	for _, e := range guesses {
		if e.ID != fallbackID && len(a.Alternatives) < 3 {
			a.Alternatives = append(a.Alternatives, e)
		}
	}
}

// namesEntry reports whether text names e: its title (before any ":" or
// "("), word for word as stems ("village agent"), an acronym in it
// ("PACT"), or an alias written as a name, with a capital ("ACV",
// "Healthwatch"). Aliases in lower
// case are words for its subject ("older people", "isolated"), which a
// question about a service shares without asking for the entry.
func namesEntry(text string, e *knowledge.Entry) bool {
	if e == nil {
		return false
	}
	said := " " + stems(text) + " "
	title := e.Title
	if i := strings.IndexAny(title, "(:"); i > 0 {
		title = title[:i]
	}
	names := []string{title}
	for _, w := range strings.Fields(title) {
		if len(w) >= 2 && strings.ToUpper(w) == w && strings.ToLower(w) != w {
			names = append(names, w) // an acronym: "PACT"
		}
	}
	for _, a := range e.Aliases {
		if strings.ToLower(a) != a {
			names = append(names, a)
		}
	}
	for _, name := range names {
		if n := stems(name); n != "" && strings.Contains(said, " "+n+" ") {
			return true
		}
	}
	return false
}

// stems is text's words folded and stemmed, space-separated.
func stems(text string) string {
	words := strings.Fields(placeWords(text))
	for i, w := range words {
		words[i] = stem.Word(w)
	}
	return strings.Join(words, " ")
}

// ServiceSearch is a search of the directory put as a form (the desk's
// Services tab) rather than a question: what the caller needs, the day
// they can go, and where they are.
type ServiceSearch struct {
	// Need is what the caller needs, in anyone's words or as one of the
	// directory's kinds ("lunch club", "befriending", "Older people").
	Need string
	// Day, when OnDay, keeps only services with a session on that day.
	Day   time.Weekday
	OnDay bool
	// Place is a town, village, ward or postcode (outward code, "BA2")
	// to measure from; "" for anywhere.
	Place string
}

// Blank reports whether the search asks nothing yet.
func (s ServiceSearch) Blank() bool {
	return strings.TrimSpace(s.Need) == "" && strings.TrimSpace(s.Place) == "" && !s.OnDay
}

// MaxServices is how many services a search lists: a page a person on
// the phone can read down, where a chat reply lists three.
const MaxServices = 10

// ErrNoDirectory is Services' answer when no directory is configured.
var ErrNoDirectory = errors.New("no directory of local services is configured")

// Services answers a search of the directory with a Local answer for
// staff: up to MaxServices services that fit the need (as a question's
// do, see fits), that have a session on the day when one is asked, and
// measured from the place. A blank search lists nothing. Without a
// directory it is ErrNoDirectory. A search is kept like any answer, from
// q's platform and conversation (its words are not: a Local outcome keeps
// none), so the figures count what the desk's Services tab told staff.
func (b *Bot) Services(q Question, s ServiceSearch) (Answer, error) {
	dir := b.dir.Load()
	if dir == nil || *dir == nil {
		return Answer{}, ErrNoDirectory
	}
	s.Need, s.Place = tidyText(s.Need, maxLocalField), tidyText(s.Place, 60)
	a := Answer{Kind: Local, Audience: Staff, LocalPlace: s.Place}
	if s.Blank() {
		return a, nil
	}
	need := b.ix.Load().needWords(s.Need)
	lq := LocalQuery{Text: s.Need, Place: s.Place, Day: s.Day, OnDay: s.OnDay, Now: b.clock()}
	a.Locals = fitting(*dir, lq, need, loose, MaxServices)
	b.record(q, &state{}, &a)
	return a, nil
}

// strictness is how much of a need a service must hold to be listed.
type strictness int

const (
	// loose: the toolkit has no answer; a question that tells a story
	// needs only what its story is about (see fits).
	loose strictness = iota
	// firm: over a toolkit answer matched on a word the question shares
	// with it, the services must fit as a short question's do, with a
	// need word in their name or kinds: what they are, not a word their
	// description shares ("a public meeting").
	firm
	// whole: beside a toolkit answer the question names, every word.
	whole
)

// fitting are up to most services the directory finds for lq that fit
// the need as rule asks (see fits), and,
// when lq asks for a day, that meet on it. The directory is asked for
// twice as many: some may not fit the need, or meet on the day only by
// its guess.
func fitting(dir Directory, lq LocalQuery, words []string, rule strictness, most int) []LocalService {
	lq.Max = 2 * most
	if pr, ok := dir.(PlaceReader); ok {
		// A place the directory knows and the knowledge base does not
		// ("Twerton") says where, not what.
		if name, ok := pr.PlaceIn(lq.Text); ok {
			words = without(words, name)
		}
	}
	need := widen(dir, words)
	lq.Need = need
	type fit struct {
		l     LocalService
		named int // need words its name or kinds hold
	}
	var found []fit
	for _, l := range dir.Find(lq) {
		l = cleanLocal(l)
		if lq.OnDay && l.Next == "" {
			continue
		}
		n, ok := fits(need, l, rule, len(words) >= longNeed)
		if len(need) > 0 && !ok {
			continue
		}
		found = append(found, fit{l, n})
	}
	// Those whose name or kinds hold more of the need first, each word
	// worth kmPerWord of distance when every one has a distance (the
	// directory ranked one without as it saw fit): the lunch club round
	// the corner before a "friendship lunch club" across the county for
	// a lonely mum. The directory weighs every word of a long question
	// ("nothing in the cupboards till payday"), and a word a description
	// happens to share ("every", "winter") can put a service across the
	// county above the same kind of service nearby.
	near := !slices.ContainsFunc(found, func(f fit) bool { return !f.l.HasDistance })
	slices.SortStableFunc(found, func(a, b fit) int {
		if !near {
			return b.named - a.named
		}
		return cmp.Compare(a.l.Distance-kmPerWord*float64(a.named), b.l.Distance-kmPerWord*float64(b.named))
	})
	var out []LocalService
	for _, f := range found[:min(len(found), most)] {
		out = append(out, f.l)
	}
	return out
}

// widen is the need words with the words a record may use for each
// (internal/needs). With a directory that says which words its services
// use (Vocabulary), each keeps only those, and a misspelt word is read
// as the one it meant; a word no service uses stays as asked, so that a
// "choir" is not answered with any group for adults.
func widen(dir Directory, words []string) [][]string {
	v, ok := dir.(Vocabulary)
	var need [][]string
	for _, w := range words {
		alts := needs.Alternatives(w)
		if ok {
			used := usedOf(v, alts)
			if meant, known := v.Known(w); len(used) == 0 && known && slipFor(w, meant) {
				used = usedOf(v, needs.Alternatives(meant))
			}
			alts = used
			if len(used) == 0 {
				if len(words) >= longNeed {
					continue
				}
				alts = []string{w}
			}
		}
		if !slices.ContainsFunc(need, func(g []string) bool { return slices.Equal(g, alts) }) {
			need = append(need, alts) // "food" and "feed" are one need
		}
	}
	return need
}

// slipFor reports whether meant, a word the directory's services use one
// slip from w, is what w meant: a word for a need (internal/needs) or a
// long one, never a word that only says where, when or what kind, and
// never for a short word the table does not know, which is likely a word
// of its own ("quid" is not "quiz", "soul" not "soup").
func slipFor(w, meant string) bool {
	if kindWords[meant] || timeWords[meant] || softWords[meant] {
		return false
	}
	return needs.Listed(meant) || len(w) >= 6
}

// longNeed is the number of need words from which a question is taken
// to tell a story ("we've got nothing in the cupboards till payday"):
// its words no service uses are then left out, where in a short one
// ("a choir for adults") such a word is what is asked for.
const longNeed = 4

// usedOf are the words of alts the directory's services use as they are.
func usedOf(v Vocabulary, alts []string) []string {
	var used []string
	for _, a := range alts {
		if k, ok := v.Known(a); ok && k == a {
			used = append(used, a)
		}
	}
	return used
}

// kmPerWord is how much nearer a service must be to come before one
// whose name or kinds hold one more word of the need.
const kmPerWord = 5

// whereAsker is where the asker is, when the question names no place:
// the desk's caller, then where they said they are, then the channel's
// area. A place an earlier question named was that question's.
func (b *Bot) whereAsker(ix *index, q Question, st *state) string {
	if p := ix.place(q.Place); p != nil {
		return p.Name
	}
	if st.local != "" {
		return st.local // finer than the town it is in, st.place
	}
	for _, name := range []string{st.place, b.boundTo(q.Channel)} {
		if p := ix.place(name); p != nil {
			return p.Name
		}
	}
	return ""
}

// noteLocal keeps where the asker said they are, a place only the
// directory knows, and the knowledge base's place for the town it is in
// (Twerton is in Bath), so that a toolkit question asked next is
// answered for it rather than asking where again.
func (b *Bot) noteLocal(ix *index, st *state, name string) {
	st.local, st.place = name, "" // a place said before is left behind
	dir := b.dir.Load()
	if dir == nil || *dir == nil {
		return
	}
	if pr, ok := (*dir).(PlaceReader); ok {
		if p := ix.place(pr.TownOf(name)); p != nil {
			st.place = p.Name
		}
	}
}

// ownWords say a question is a group's own, about running, starting or
// paying for something: the toolkit's business, however much it names a
// lunch club or a youth club ("our lunch club needs drivers", "funding
// for a youth club"). Matched on text folded by placeWords, each padded
// with spaces. The list is closed on purpose, as followWords is.
var ownWords = []string{
	" how do we ", " how can we ", " how should we ", " can we ", " could we ", " should we ",
	" we run ", " we are running ", " we re running ", " we want to ", " we d like to ", " we would like to ",
	" our group ", " our club ", " our charity ", " our organisation ", " our committee ", " our lunch club ",
	" our youth club ", " our food bank ", " our cafe ", " our project ",
	" set up ", " setting up ", " start up ", " start a ", " start an ", " starting a ", " run a ", " running a ",
	" fund ", " funds ", " funding ", " funded ", " grant ", " grants ", " apply ", " applying ", " bid ",
	" take over ", " list our ", " raise money ", " fundraising ",
}

// whatsOnWords ask what there is near somewhere, whatever it is.
var whatsOnWords = []string{" whats on ", " what s on ", " what is on ", " anything on ", " anything going on ", " going on in "}

// seekWords say a question asks for a service for someone, not about
// the toolkit: asked as a search ("is there…", "anything for…",
// "where can I find…"), for someone ("for my mum", "who can help"), or
// near somewhere, or on a day.
var seekWords = []string{
	" is there ", " are there ", " anything for ", " something for ", " somewhere ", " anywhere ",
	" where can i ", " where can my ", " where could i ", " where is the nearest ", " where s the nearest ",
	" wheres the nearest ", " nearest ", " near ", " nearby ", " near me ", " round here ", " around here ",
	" local ", " locally ", " looking for a ", " looking for an ", " looking for somewhere ",
	" know of a ", " know any ", " recommend a ", " any good ",
	" for my ", " for her ", " for him ", " for us ", " for me ", " for them ",
	" who can help ", " help with ", " help using ", " needs help ", " need help ", " can i get ",
	" what s on ", " whats on ", " something in ", " where to go ", " support for ", " support with ",
	" how much is the ", " when is the next ", " what time is the ",
	" anything ", " someone ", " anyone ", " any group ", " any groups ",
}

// seeksService reports whether a question asks for a service: in
// seekWords, with a postcode, a day or a time of day, or as a search,
// the need and perhaps a place with nothing asked about them ("youth
// club in Keynsham", "befriending").
func (ix *index) seeksService(text, folded string) bool {
	if containsAny(folded, seekWords) {
		return true
	}
	words := strings.Fields(folded)
	search := len(words) <= maxSearchWords
	for _, w := range words {
		if timeWords[w] || isPostcodeWord(w) {
			return true
		}
		search = search && !askWords[w]
	}
	return search
}

// maxSearchWords is the most words a message put as a search holds:
// "lunch club for older people in Keynsham".
const maxSearchWords = 7

// askWords make a message a question about something rather than a
// search for it: "who runs PACT", "how do we list our pub", "what is a
// Big Local".
var askWords = wordSet(`how what whats who whos whom whose why when which where can could should would will
	do does did is are was were has have we our us i my me you your it`)

func containsAny(s string, phrases []string) bool {
	for _, p := range phrases {
		if strings.Contains(s, p) {
			return true
		}
	}
	return false
}

// timeWords say when, not what: they are no part of a need.
var timeWords = wordSet(`monday mondays tuesday tuesdays wednesday wednesdays thursday thursdays friday fridays
	saturday saturdays sunday sundays mon tue tues wed weds thu thur thurs fri
	today tonight tomorrow weekend weekends weekday weekdays week weekly daily day days
	every regular regularly winter summer autumn christmas term termtime time times opening hours next
	morning mornings afternoon afternoons evening evenings night nights daytime`)

// kindWords name a kind of thing rather than a need ("a service", "a
// group", "something"): "befriending service" needs befriending.
var kindWords = wordSet(`service services group groups session sessions scheme schemes project projects
	activity activities thing things something anything somewhere anywhere someone anyone place places
	people person organisation organisations charity charities provision offer offers available
	find finding looking look want wants need needs know recommend go going join attend like would good nice
	local locally area near nearby nearest close round around within run runs running meet meets council councils
	help helps please`)

// softWords say who a need is for, what it costs or what one would do
// there, not what it is ("my mum has dementia", "free food", "a cheap
// hot meal", "help using her tablet"): left out of a
// need that has other words, kept in one that has none ("a group for
// new mums").
var softWords = wordSet(`mum mums mother dad dads father nan nana nanna gran granny grandma grandmother grandad grandpa
	grandfather grandparent grandparents grandson granddaughter grandchild husband wife partner son sons daughter daughters brother sister
	neighbour neighbours auntie aunt uncle myself ourselves new just really very bit little aged
	free cheap cheaper affordable cost costs price budget
	use using used get getting got take taking sit sitting see seeing pay paying try trying go goes went
	doesn don won can cant isn struggle struggling feel feeling lot lots
	problem problems issue issues trouble difficulty difficulties
	one two three four five six seven eight nine ten live lives living lived
	afford stuff anymore quite mine come coming first during lately`)

// needWords are what a question asks for: its words without stop words,
// places, postcodes, days and times, or words that only name a kind of
// thing, each folded by stem. An age ("my 14 year old") is the need it
// says (a teenager).
func (ix *index) needWords(text string) []string {
	rest, _ := ix.withoutPlaces(text)
	var out, soft []string
	for _, w := range strings.Fields(ageWords(rest)) {
		s := stem.Word(w)
		if len(w) < 2 || ix.geo.stop[w] || ix.geo.stop[s] || timeWords[w] || timeWords[s] || kindWords[w] || kindWords[s] ||
			isPostcodeWord(w) || isNumber(w) {
			continue
		}
		switch {
		case slices.Contains(out, s) || slices.Contains(soft, s):
		case softWords[w] || softWords[s]:
			soft = append(soft, s)
		default:
			out = append(out, s)
		}
	}
	if len(out) == 0 {
		return soft
	}
	return out
}

// ageWords puts an age a question gives ("my 14 year old", "aged 8",
// "she's 78", "I'm 17", "18 months") as the word for people of it, which
// the directory's records use: a baby to 2, a child to 12, a teenager to
// 19, older from 60.
func ageWords(s string) string {
	words := strings.Fields(s)
	for i, w := range words {
		n, err := strconv.Atoi(w)
		if err != nil || n <= 0 || n > 120 {
			continue
		}
		before, after, then := "", "", ""
		if i > 0 {
			before = words[i-1]
		}
		if i+1 < len(words) {
			after = words[i+1]
		}
		if i+2 < len(words) {
			then = words[i+2]
		}
		months := after == "months" || after == "month"
		if !ageUnits[after] && !months && !ageBefore[before] {
			continue
		}
		var who string
		switch {
		case months || n <= 2:
			who = "baby"
		case n <= 12:
			who = "child"
		case n <= 19:
			who = "teenager"
		case n >= 60:
			who = "older"
		default:
			continue
		}
		words[i] = who
		if ageUnits[after] || months {
			words[i+1] = ""
			if then == "old" || then == "olds" {
				words[i+2] = ""
			}
		}
	}
	return strings.Join(words, " ")
}

// ageBefore are the words before a number that make it an age: "aged
// 8", "she's 78" and "I'm 17" (folded to "s 78", "m 17", or typed
// "shes 78", "im 17"), "is 9", "are 16".
var ageBefore = wordSet(`aged age s m im shes hes is are`)

var ageUnits = wordSet(`year years yr yrs yo`)

// isNumber reports whether w is all digits: an age, a count or a time,
// never a need.
func isNumber(w string) bool { return strings.Trim(w, "0123456789") == "" }

// without is need without the words of place.
func without(need []string, place string) []string {
	if place == "" {
		return need
	}
	out := slices.Clone(need)
	for _, w := range strings.Fields(placeWords(place)) {
		out = slices.DeleteFunc(out, func(n string) bool { return n == stem.Word(w) })
	}
	return out
}

// fits reports whether a service answers the need, and how many of the
// need's words its name or kinds hold. Its name, kinds or the sentence
// shown of what it is must hold a word for each need word (the word, or
// one a record may use for it) of a need of one or two words, two in
// three of a longer one, and beside an answer the toolkit stated
// (whole), every one. A long question (long: it tells a story) the
// toolkit has no answer for (loose) needs only one in three, one of them
// in the name or kinds: what the service is, not a
// word its description shares with the story. What a reader sees of
// what the service is justifies it: not a word deep in a long
// description, nor its organisation's name.
func fits(need [][]string, l LocalService, rule strictness, long bool) (named int, ok bool) {
	if len(need) == 0 {
		return 0, false
	}
	has, head := stemSet(l.Name, firstSentence(l.What)), stemSet(append([]string{l.Name}, l.Kinds...)...)
	maps.Copy(has, head)
	found := 0
	for _, alts := range need {
		if slices.ContainsFunc(alts, func(w string) bool { return has[w] }) {
			found++
		}
		if slices.ContainsFunc(alts, func(w string) bool { return head[w] }) {
			named++
		}
	}
	switch {
	case rule == firm && named == 0:
		return 0, false // to come before a toolkit answer, what it is must fit
	case rule == whole || len(need) <= 2:
		return named, found == len(need)
	case long && rule == loose:
		return named, named > 0 && 3*found >= len(need)
	}
	return named, 3*found >= 2*len(need)
}

// stemSet are the stems of texts' words, as a set.
func stemSet(texts ...string) map[string]bool {
	set := map[string]bool{}
	for _, s := range texts {
		for _, w := range strings.Fields(stems(s)) {
			set[w] = true
		}
	}
	return set
}

// isPostcodeWord reports whether a folded word is a postcode's outward
// or inward part ("ba2", "bs31", "3ab") or a whole postcode written as
// one word ("ba23nr"): a place, not a need.
func isPostcodeWord(w string) bool {
	w = strings.ToUpper(w)
	if n := len(w); n >= 5 && n <= 7 && postcode.IsInward(w[n-3:]) && postcode.IsOutward(w[:n-3]) {
		return true
	}
	return postcode.IsOutward(w) || postcode.IsInward(w)
}

// Bounds on a record's text: a directory is third-party data, and a
// record with a novel for a name must not take over a reply.
const (
	maxLocalName  = 120
	maxLocalWhat  = 240
	maxLocalField = 200
	maxContacts   = 4
)

// cleanLocal makes a record's text safe to lay out anywhere: valid UTF-8,
// no control or formatting characters (bidirectional overrides
// included), one line, and cut to a bound. Screens still escape it for
// their markup.
func cleanLocal(l LocalService) LocalService {
	l.Name = tidyText(l.Name, maxLocalName)
	l.What = tidyText(l.What, 4*maxLocalWhat)
	l.Org = tidyText(l.Org, maxLocalField)
	l.Ages = tidyText(l.Ages, 60)
	var kinds []string
	for _, k := range l.Kinds {
		if k = tidyText(k, 60); k != "" && len(kinds) < 10 {
			kinds = append(kinds, k)
		}
	}
	l.Kinds = kinds
	l.Address = tidyText(l.Address, maxLocalField)
	// Near and Covers are the directory's own words, said in a reply's
	// lead and brief, where a screen may not treat them as a record's:
	// they keep only what a place's name needs.
	l.Near = placeOnly(tidyText(l.Near, 60))
	l.Covers = placeOnly(tidyText(l.Covers, 60))
	l.Next = tidyText(l.Next, maxLocalField)
	l.Meets = tidyText(l.Meets, maxLocalField)
	l.Cost = tidyText(l.Cost, maxLocalField)
	var contact []string
	for _, c := range l.Contact {
		if c = tidyText(c, 120); c != "" && len(contact) < maxContacts {
			contact = append(contact, c)
		}
	}
	l.Contact = contact
	l.Feed = tidyText(l.Feed, 120)
	l.ID = tidyText(l.ID, 80)
	l.Stale = tidyText(l.Stale, 60)
	l.Alert = tidyText(l.Alert, maxLocalField)
	if l.Distance != l.Distance || l.Distance < 0 || l.Distance > 1000 {
		l.HasDistance = false
	}
	return l
}

// placeOnly is s with only what a place's name holds: letters, digits,
// spaces and - ' & , . ( ).
func placeOnly(s string) string {
	return strings.Map(func(r rune) rune {
		if unicode.IsLetter(r) || unicode.IsDigit(r) || strings.ContainsRune(" -'&,.()", r) {
			return r
		}
		return -1
	}, s)
}

// tidyText is s on one line, without control or formatting characters,
// cut to at most n runes at a word where it can be.
func tidyText(s string, n int) string {
	if len(s) > 16*n {
		s = s[:16*n]
	}
	s = strings.ToValidUTF8(s, "")
	s = strings.Map(func(r rune) rune {
		switch {
		case r == utf8.RuneError:
			return -1
		case unicode.IsSpace(r):
			return ' '
		case unicode.IsControl(r) || unicode.Is(unicode.Cf, r) || unicode.Is(unicode.Co, r) || unicode.Is(unicode.Cs, r):
			return -1
		}
		return r
	}, s)
	s = strings.Join(strings.Fields(s), " ")
	return clip.AtWord(s, n)
}

// shownWhat is what a reply says a service is: the record's first
// sentence, and any later one that says who may go or what to bring
// ("You need a referral voucher."), which a person would otherwise learn
// at the door; cut to maxLocalWhat characters.
func shownWhat(s string) string {
	first := firstSentence(s)
	rest := strings.TrimSpace(strings.TrimPrefix(s, strings.TrimSuffix(first, "…")))
	out := first
	for _, sentence := range strings.SplitAfter(rest, ". ") {
		sentence = strings.TrimSpace(sentence)
		folded := " " + strings.Join(strings.Fields(placeWords(sentence)), " ") + " "
		if sentence != "" && containsAny(folded, conditionWords) {
			out += " " + sentence
		}
	}
	return clip.AtWord(out, maxLocalWhat)
}

// conditionWords say a sentence sets a condition on going.
var conditionWords = []string{" referral ", " referred ", " voucher ", " vouchers ", " proof ", " book ", " booking ",
	" appointment ", " appointments ", " eligible ", " must ", " only for ", " you need ", " bring ", " register "}

// firstSentence is what a record says it is, in its first sentence, cut
// to maxLocalWhat characters.
func firstSentence(s string) string {
	if i := strings.Index(s, ". "); i > 0 {
		s = s[:i+1]
	}
	return clip.AtWord(s, maxLocalWhat)
}
