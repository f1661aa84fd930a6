// Package knowledge holds the Connecting Communities knowledge base: its TOML
// schema, a strict loader that reports every defect with its file and line,
// and the knowledge base embedded in the binary.
package knowledge

import (
	"slices"
	"strings"
)

// Kind is what sort of thing an entry is. Kinds come from the spec of
// entries: an entry may be more than one (PACT is both part of the Core
// Offer and a tool).
type Kind string

const (
	KindCore    Kind = "core"
	KindTool    Kind = "tool"
	KindFunding Kind = "funding"
	KindPlace   Kind = "place"
	KindContact Kind = "contact"
	KindProject Kind = "project"
)

// Kinds are every Kind, in the order kb check names them.
var Kinds = []Kind{KindCore, KindTool, KindFunding, KindPlace, KindContact, KindProject}

// Status says whether the facts of an entry still hold. The documents date
// from 2011 to 2014, so an answer must say which of these it is. A proposal
// ("proposed", "indicative", "draft") is never current.
type Status string

const (
	Current    Status = "current"
	Historical Status = "historical"
	Unknown    Status = "unknown"
	Proposed   Status = "proposed"
)

// Statuses are every Status, in the order kb check names them.
var Statuses = []Status{Current, Historical, Unknown, Proposed}

// Entry is one thing signpost can point people to: a Core Offer item, a tool
// on the locality menu, a funding route, a forum, a team or a project.
type Entry struct {
	ID    string `toml:"id"`
	Kinds []Kind `toml:"kinds"`
	Title string `toml:"title"`
	// Theme groups tools in the menu ("Buildings, land and services").
	Theme string `toml:"theme"`
	// SummaryClaims are the summary's sentences, each citing its lines;
	// Summary is them joined, for reading.
	SummaryClaims Claims `toml:"summary"`
	Summary       string `toml:"-"`
	// DetailClaims are the local facts the documents give (places,
	// projects, sums and dates), each citing its lines; Details are their
	// texts.
	DetailClaims Claims   `toml:"details"`
	Details      []string `toml:"-"`
	// StartClaims say how to get started, in a sentence or two, each a
	// claim citing its lines or the project's own explanation; Start is
	// them joined, for reading.
	StartClaims Claims `toml:"start" json:"-"`
	Start       string `toml:"-"`
	// GuidanceClaims name the guidance and support the toolkit lists for
	// the tool, each citing the line that names it; Guidance are their
	// texts.
	GuidanceClaims Claims    `toml:"guidance" json:"-"`
	Guidance       []string  `toml:"-"`
	Contacts       []Contact `toml:"contacts"`
	Related        []string  `toml:"related"`
	Places         []string  `toml:"places"`
	// Local are the entry's facts for particular places, given first when
	// the asker is there ("In Radstock: …").
	Local []Local `toml:"local"`
	// OnlyIn names the only places (or areas) the entry is available in,
	// as Big Local is only in Radstock and Westfield; empty means anywhere.
	OnlyIn []string `toml:"only_in"`
	// OnlyCite cites the lines that say "only".
	OnlyCite string `toml:"only_cite"`
	// ByPlace marks an entry whose answer depends on where the asker is
	// (PACT meetings, ward councillors): asked "here" with no place known,
	// signpost asks which area they are in.
	ByPlace bool     `toml:"by_place"`
	Funding *Funding `toml:"funding"`
	// Aliases are other names for the entry: acronyms, the words residents
	// use ("pub", "bobby"). They weigh as much as the title in matching.
	Aliases []string `toml:"aliases"`
	// Phrasings are needs as people put them ("the pub is up for sale"),
	// written from the documents, never copied from an evaluation set.
	Phrasings []string `toml:"phrasings"`
	Status    Status   `toml:"status"`
	// StatusCite cites the lines the status rests on.
	StatusCite string `toml:"status_cite"`
	// AsOf is the date the facts are as of: "2013-05" or "2013".
	AsOf    string   `toml:"as_of"`
	Sources []string `toml:"sources"`
}

// Contact is an organisation, team or person the documents name. A phone
// number, e-mail or web address is present only where a document gives it.
type Contact struct {
	Name  string `toml:"name"`
	Phone string `toml:"phone"`
	Email string `toml:"email"`
	URL   string `toml:"url"`
	// NoteClaim is what an answer says with the contact: the date of the
	// document that names it and that it may have changed since. It rests
	// on Cite unless it cites lines of its own; Note is its text.
	NoteClaim Claim  `toml:"note" json:"-"`
	Note      string `toml:"-"`
	// Cite is where a document names the contact and gives the number or
	// address.
	Cite string `toml:"cite"`
}

// Funding is what a funding route offers and to whom, as the documents say.
type Funding struct {
	// Amount is the sum in words, as the documents put it ("under £5,000").
	Amount     string `toml:"amount"`
	AmountCite string `toml:"amount_cite"`
	// MaxGBP is the most one applicant may get, in pounds, when known;
	// MinGBP the least, when the documents give one.
	MaxGBP     int      `toml:"max_gbp"`
	MinGBP     int      `toml:"min_gbp"`
	Who        []string `toml:"who"`
	WhoCite    string   `toml:"who_cite"`
	Limits     string   `toml:"limits"`
	LimitsCite string   `toml:"limits_cite"`
	// Applicants and Purposes are the funding finder's keys (see
	// [finder]) for who may apply and what for; empty means the
	// documents set no limit.
	Applicants []string `toml:"applicants"`
	Purposes   []string `toml:"purposes"`
	// ApplicantsCite and PurposesCite cite the lines that set the rules:
	// a rule without one is not applied.
	ApplicantsCite string `toml:"applicants_cite"`
	PurposesCite   string `toml:"purposes_cite"`
	// MaxBand is the largest of the finder's bands the documents allow:
	// "medium" for a fund they call investment in small local projects.
	// MaxBandCite cites the lines, which must say "small".
	MaxBand     string `toml:"max_band"`
	MaxBandCite string `toml:"max_band_cite"`
	// Raise marks a way to raise money yourselves (shares, investment
	// from the community), not a fund to apply to: the finder lists it
	// apart, never as a fund that fits. RaiseCite cites the lines.
	Raise     bool   `toml:"raise"`
	RaiseCite string `toml:"raise_cite"`
}

// RuledApplicants are the applicant keys the documents state, or none.
func (f *Funding) RuledApplicants() []string {
	if f.ApplicantsCite == "" {
		return nil
	}
	return f.Applicants
}

// RuledPurposes are the purpose keys the documents state, or none.
func (f *Funding) RuledPurposes() []string {
	if f.PurposesCite == "" {
		return nil
	}
	return f.Purposes
}

// Finder is the funding finder's vocabulary: the answers it offers at each
// step, with the words that mean each, and the advice routes it always
// names. Eligibility itself is data on each funding entry.
type Finder struct {
	Applicants []Option `toml:"applicant"`
	Purposes   []Option `toml:"purpose"`
	Bands      []Band   `toml:"band"`
	// Standing are entries every result ends with: the advice routes.
	Standing []string `toml:"standing"`
}

// Option is one answer to a finder step.
type Option struct {
	Key   string   `toml:"key"`
	Label string   `toml:"label"`
	Words []string `toml:"words"`
}

// Band is a range of amounts, in pounds; Max 0 means no upper end.
type Band struct {
	Key   string `toml:"key"`
	Label string `toml:"label"`
	Min   int    `toml:"min"`
	Max   int    `toml:"max"`
}

// Local is a fact an entry holds for some places.
type Local struct {
	Places []string `toml:"places"`
	Fact   string   `toml:"fact"`
	Cite   string   `toml:"cite"`
}

// Place is an area, town, village, ward, parish or neighbourhood the
// documents name, with the area it lies in where a source says so.
type Place struct {
	Name string `toml:"name"`
	// Kind is one of PlaceKinds.
	Kind PlaceKind `toml:"kind"`
	// Area is the name of the area (a Place of kind "area") the place lies
	// in, or empty when no source places it: it is never guessed.
	Area string `toml:"area"`
	// Aliases are other names and common misspellings.
	Aliases []string `toml:"aliases"`
	// NoteClaim is what the documents say of the place itself, citing its
	// lines; Note is its text.
	NoteClaim Claim    `toml:"note" json:"-"`
	Note      string   `toml:"-"`
	Sources   []string `toml:"sources"`
	// AreaSource is the source (one of Sources) that places it in its
	// area; AreaFrom is that source, resolved when loaded. Where it is a
	// web page, not one of the documents, answers say so.
	AreaSource string  `toml:"area_source"`
	AreaFrom   *Source `toml:"-"`
}

// PlaceKinds are the kinds of place: the four areas the documents use, and
// the smaller places within them.
var PlaceKinds = []PlaceKind{Area, "town", "village", "parish", "ward", "neighbourhood", "place"}

// PlaceKind is what sort of place a Place is. Only Area changes what
// signpost does; the others say what the documents call a place.
type PlaceKind string

// Area is one of the four areas the documents use (Bath, Keynsham, Chew
// Valley, Somer Valley): every other place lies in one, where a source
// says so.
const Area PlaceKind = "area"

// Source is a council document the facts come from, or a public web page
// that an entry names for a fact the documents lack (where a place lies).
type Source struct {
	ID    string `toml:"id"`
	File  string `toml:"file"`
	URL   string `toml:"url"`
	Title string `toml:"title"`
	// Date is when the document was written or decided: "2013-05".
	Date string `toml:"date"`
	// Short is how an answer names a web page in passing ("the
	// council's Local Plan Options pages").
	Short string `toml:"short"`
}

// Service is a general council service (bins, council tax, parking…) that is
// not part of the toolkit. Questions about one are signposted to Council
// Connect rather than matched to a tool.
type Service struct {
	Name    string   `toml:"name"`
	Phrases []string `toml:"phrases"`
	// Always are phrases no toolkit question uses ("broken boiler"): the
	// service is signposted whatever else the question matches. A
	// question with only a Phrases phrase still gets a tool when the rest
	// of it matches one squarely ("take over the swimming pool").
	Always []string `toml:"always"`
	// Outside marks things that are not council services at all (weather,
	// sport): the bot says they are outside what it covers.
	Outside bool `toml:"outside"`
}

// Language tunes how messages are read: words to ignore and words that mean
// the same thing here (British and American spellings, "bobby" and "police").
type Language struct {
	Stopwords []string   `toml:"stopwords"`
	Synonyms  [][]string `toml:"synonyms"`
	// Here are the ways people say "where I am" ("here", "our area"): a
	// question using one depends on a place.
	Here []string `toml:"here"`
	// Common are everyday words that say little about which tool a
	// question needs ("time", "good", "new"): they weigh less, so sharing
	// one with an entry is weak evidence that the question is about it.
	Common []string `toml:"common"`
}

// Concept maps the words people use for a need ("chip in", "no bus") to
// the words of the toolkit that meet it ("community shares", "isolated
// rural transport"), so a question in everyday words finds the tool.
type Concept struct {
	Name string `toml:"name"`
	// Phrases are people's words: a phrase matches when its words appear
	// in order, with at most two other words between.
	Phrases []string `toml:"phrases"`
	// With, when given, are words of which one must also be in the
	// question: "who do I tell" means Healthwatch only with a GP, a
	// hospital or a care home in it.
	With []string `toml:"with"`
	// Means are the toolkit's words a matching question is read as also
	// saying. Every word must be one an entry uses.
	Means string `toml:"means"`
}

// Is reports whether the entry has the kind.
func (e *Entry) Is(kind Kind) bool { return slices.Contains(e.Kinds, kind) }

// Text is all of the entry's searchable text, one field a line.
func (e *Entry) Text() string {
	var b strings.Builder
	add := func(s ...string) {
		for _, x := range s {
			if x != "" {
				b.WriteString(x)
				b.WriteByte('\n')
			}
		}
	}
	add(e.Title, e.Summary)
	add(e.Details...)
	add(e.Start)
	add(e.Guidance...)
	for _, c := range e.Contacts {
		add(c.Name, c.Note)
	}
	add(e.Places...)
	if e.Funding != nil {
		add(e.Funding.Amount, e.Funding.Limits)
		add(e.Funding.Who...)
	}
	add(e.Aliases...)
	add(e.Phrasings...)
	return strings.TrimRight(b.String(), "\n")
}

// joinOf lists names for a message: "a, b, c".
func joinOf[S ~string](names []S) string {
	ss := make([]string, len(names))
	for i, n := range names {
		ss[i] = string(n)
	}
	return strings.Join(ss, ", ")
}
