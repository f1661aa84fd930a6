package bot

import (
	"fmt"
	"slices"
	"strings"
)

// Words of the replies that list services from the directory.
const (
	// LocalTitle heads a reply the directory answers.
	LocalTitle = "Local services"
	// LocalLabel heads the services listed after a toolkit answer.
	LocalLabel = "Local services from the directory"
	// LocalNote says where services come from, under them.
	LocalNote = "From the local services directory, not the toolkit documents: times and details change, so check with the service before going."
	// StaffLocalNote is LocalNote at the desk.
	StaffLocalNote = "From the local services directory, not the toolkit documents: check times and details with the service before sending the caller."
	// LocalToolkit heads the toolkit's guesses under a Local answer.
	LocalToolkit = "Or, from the toolkit"
	// LocalNone is a search of the directory that finds nothing.
	LocalNone = "Nothing in the local services directory fits that search. Try fewer or other words, any day, or a wider place."
)

// OnlyLocals is a with only the services whose Key is among keys, in
// its order: the ones staff chose to pass on to a caller.
func (a Answer) OnlyLocals(keys []string) Answer {
	var kept []LocalService
	for _, l := range a.Locals {
		if slices.Contains(keys, l.Key()) {
			kept = append(kept, l)
		}
	}
	a.Locals = kept
	return a
}

// Services holds the words of the desk's Services tab around its
// replies: the search form, choosing services for the caller, and what
// it says when no directory is configured.
var Services = struct {
	Tab, Lead, Need, NeedHint, Day, AnyDay, Place, PlaceHint string
	Find, Pick, PickHint, CopyChosen, NonePicked, Copied     string
	NoDirectory                                              string
}{
	Tab:        "Services",
	Lead:       "Local services from the council's directory: lunch clubs, youth groups, befriending, food support and more.",
	Need:       "What does the caller need?",
	NeedHint:   "In the caller's words or yours, for example \"lunch club\", \"befriending\", \"food bank\" or \"older people\".",
	Day:        "Day they can go",
	AnyDay:     "Any day",
	Place:      "Where is the caller?",
	PlaceHint:  "A town, village or ward, or the first half of a postcode, such as BA2.",
	Find:       "Find services",
	PickHint:   "Tick the services to pass on, then copy them for the caller.",
	CopyChosen: "Copy for the caller",
	NonePicked: "No service is ticked: tick the ones to pass on.",
	Copied:     "Copied: paste it into an e-mail or text message.",
	NoDirectory: "This desk has no directory of local services set up, so it cannot list services. " +
		"Ask whoever runs signpost for the council to add the council's Open Referral UK feed (the [directory] section of config.toml).",
}

// localReply lays out services the directory gives for a question the
// toolkit does not answer: where they are near, each service, and the
// toolkit's guesses to open.
func localReply(a Answer) Reply {
	r := Reply{Title: LocalTitle, Brief: LocalTitle}
	near := ""
	if len(a.Locals) > 0 {
		near = a.Locals[0].Near
	}
	switch {
	case len(a.Locals) == 0:
		// Only a search (the desk's Services tab) finds none: a question
		// that finds none is answered by the toolkit alone.
		r.Lead, r.Brief = LocalNone, LocalNone
		return r
	case near != "":
		r.Lead = "The local services directory lists these near " + near + "."
	case a.LocalPlace != "":
		r.Lead = "The local services directory lists these. It cannot say how near they are to " + a.LocalPlace + "."
	default:
		r.Lead = "The local services directory lists these. Name a town or a postcode (such as BA2) to see the nearest first."
	}
	if near != "" {
		r.Brief += " near " + near
	}
	r.add(listings(a, ""))
	r.add(entries(Block{Label: LocalToolkit}, a.Alternatives))
	return r
}

// listings is a Listings block of a's services under label, each with
// what it is, where, its next session, cost, contact and source, and
// what its record does not say, said as such.
func listings(a Answer, label string) Block {
	b := Block{Part: Listings, Label: label, Text: LocalNote}
	if a.Audience == Staff {
		b.Text = StaffLocalNote
	}
	for _, l := range a.Locals {
		b.Items = append(b.Items, Item{Name: l.Name, Lines: localLines(l)})
	}
	return b
}

// localLines are what a reply says of one service, a line each.
func localLines(l LocalService) []string {
	var out []string
	what := shownWhat(l.What)
	if l.Ages != "" {
		what = strings.TrimSpace(what + " For " + l.Ages + ".")
	}
	if l.Org != "" && !strings.Contains(strings.ToLower(l.Name), strings.ToLower(l.Org)) {
		what = strings.TrimSpace(what + " Run by " + strings.TrimSuffix(l.Org, ".") + ".")
	}
	if what != "" {
		out = append(out, what)
	}
	if l.Alert != "" {
		out = append(out, "Notice: "+l.Alert)
	}
	out = append(out, "Where: "+where(l))
	next := l.Next
	switch {
	case next == "" && len(l.Contact) == 0:
		next = NoTimesNoContact // no one to ring
	case next == "":
		next = NoTimes
	}
	if l.Meets != "" && l.Next != "" {
		next += "; meets " + l.Meets
	}
	out = append(out, "Next: "+next)
	cost := l.Cost
	if cost == "" {
		cost = "not given"
	}
	out = append(out, "Cost: "+cost)
	contact := strings.Join(l.Contact, ", ")
	if contact == "" {
		contact = "none given"
	}
	out = append(out, "Contact: "+contact)
	return append(out, "Source: "+recordSource(l))
}

// where says where a service is: its address and how far it is from
// where the asker is, or the area it covers when its record gives no
// place to measure from, or that its record does not say.
func where(l LocalService) string {
	var parts []string
	if l.Address != "" {
		parts = append(parts, l.Address)
	}
	switch {
	case l.HasDistance && l.Near != "":
		parts = append(parts, Distance(l.Distance)+" from "+l.Near)
	case l.Address != "" && l.Near != "":
		parts = append(parts, "distance from "+l.Near+" not known")
	case l.Address == "" && l.Covers != "":
		parts = append(parts, "covers "+l.Covers)
	}
	if len(parts) == 0 {
		return "not given"
	}
	return strings.Join(parts, "; ")
}

// Distance says a distance in kilometres and miles: "1.2 km (0.7 miles)".
func Distance(km float64) string {
	if km < 0.1 {
		return "under 0.1 km"
	}
	miles := km / 1.609344
	f := func(x float64) string {
		if x < 10 {
			return fmt.Sprintf("%.1f", x)
		}
		return fmt.Sprintf("%.0f", x)
	}
	unit := "miles"
	if f(miles) == "1.0" {
		unit = "mile"
	}
	return f(km) + " km (" + f(miles) + " " + unit + ")"
}

// recordSource names where a service's facts come from and how fresh
// they are: the feed, the record's id, and when it was last checked (or,
// when its record says only that, last updated).
func recordSource(l LocalService) string {
	s := l.Feed
	if s == "" {
		s = "the directory"
	}
	if l.ID != "" {
		s += ", record " + l.ID
	}
	switch {
	case l.Checked.IsZero():
		s += "; date last checked not given"
	case l.Stale != "":
		s += "; " + l.Dated.String() + " " + l.Checked.Format("2 January 2006") + ", " + l.Stale + ": it may be out of date"
	default:
		s += "; " + l.Dated.String() + " " + l.Checked.Format("2 January 2006")
	}
	return s + "."
}
