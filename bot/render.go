package bot

import (
	"fmt"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/bathnes/signpost/knowledge"
)

// maxDetails bounds the local facts in a chat reply; `about <id>` and the
// exported menu have them all.
const maxDetails = 4

// NotSure opens every answer that declines to guess.
const NotSure = "I'm not sure the Connecting Communities toolkit covers that."

// Text renders an answer as plain text for a terminal or a plain chat
// message: the summary first, details after, the source last.
func Text(a Answer) string {
	var b strings.Builder
	switch a.Kind {
	case Matched:
		if a.Place != nil {
			b.WriteString(LocalText(a) + "\n")
		}
		renderEntry(&b, a.Entry, a.Sources, a.Related)
	case Note:
		if a.Prompt == nil || a.Message != a.Prompt.Text {
			b.WriteString(a.Message + "\n")
		}
	case Funding:
		renderFinding(&b, a.Finding)
	case Service:
		fmt.Fprintf(&b, "That sounds like a council service (%s) rather than part of the Connecting Communities toolkit.\n", a.Service)
		renderFallback(&b, a.Fallback)
	case Outside:
		fmt.Fprintf(&b, "Sorry, that's outside what I cover (%s). I help community groups find their way through the B&NES Connecting Communities toolkit: type help to see how.\n", a.Service)
	case Unsure:
		b.WriteString(NotSure + "\n")
		if len(a.Alternatives) > 0 {
			b.WriteString("Did you mean:\n")
			for i, e := range a.Alternatives {
				fmt.Fprintf(&b, "  %d. %s  (type: about %s)\n", i+1, e.Title, e.ID)
			}
		}
		renderFallback(&b, a.Fallback)
	case Empty:
		b.WriteString("Ask me about community tools, funding or who to contact, for example \"how do we list our pub\" or \"who runs PACT here\". Type help for more.\n")
	case Help:
		b.WriteString("signpost finds your way through the B&NES Connecting Communities toolkit: ask a question in your own words, or type\n")
		for _, c := range a.Commands {
			fmt.Fprintf(&b, "  %-22s %s\n", c.Usage, c.Description)
		}
		b.WriteString("Facts come from council documents of 2011–2014; every answer says which, and how old.\n")
	case List:
		b.WriteString(a.Title + "\n")
		for _, g := range a.Groups {
			fmt.Fprintf(&b, "\n%s:\n", g.Name)
			for _, e := range g.Entries {
				fmt.Fprintf(&b, "  - %s  (about %s)\n", e.Title, e.ID)
			}
		}
		b.WriteString("\nType about <id> for any of them.\n")
	}
	if a.Prompt != nil {
		if b.Len() > 0 {
			b.WriteString("\n")
		}
		fmt.Fprintf(&b, "%s\n", a.Prompt.Text)
		for i, c := range a.Prompt.Choices {
			fmt.Fprintf(&b, "  %d. %s\n", i+1, c.Label)
		}
		b.WriteString("(Type a number or a name.)\n")
	}
	return strings.TrimRight(b.String(), "\n")
}

func renderFinding(b *strings.Builder, f *Finding) {
	fmt.Fprintf(b, "Funding routes for %s.\n", f.Asked)
	if len(f.Fits) == 0 {
		b.WriteString("\nNo funding route in the documents fits all of that.\n")
	} else {
		b.WriteString("\nThese fit:\n")
		for i, fit := range f.Fits {
			fmt.Fprintf(b, "  %d. %s\n", i+1, fit.Entry.Title)
			if len(fit.Why) > 0 {
				fmt.Fprintf(b, "     Why: %s.\n", strings.Join(fit.Why, "; "))
			}
			fmt.Fprintf(b, "     %s: %s.\n", capital(fit.Entry.Funding.Amount), FitNote(fit.Entry))
		}
	}
	if len(f.Almost) > 0 {
		b.WriteString("\nThese almost fit:\n")
		for _, fit := range f.Almost {
			fmt.Fprintf(b, "  - %s. Not quite: %s. %s.\n", fit.Entry.Title, fit.WhyNot, capital(Status(fit.Entry)))
		}
	}
	if f.See != nil {
		fmt.Fprintf(b, "\nSee also %s: %s\n", f.See.Title, f.See.Summary)
		if m := MoneyFact(f.See); m != "" {
			fmt.Fprintf(b, "  - %s\n", m)
		}
	}
	if len(f.Advice) > 0 {
		b.WriteString("\nAlways worth asking:\n")
		for _, e := range f.Advice {
			fmt.Fprintf(b, "  - %s: %s\n", e.Title, e.Start)
		}
	}
	b.WriteString("\nType about <name> for any of them, or start again to try other answers.\n")
}

// MoneyFact is an entry's first local fact that names a sum, so a tool
// the finder points to shows where money has come from before.
func MoneyFact(e *knowledge.Entry) string {
	for _, l := range e.Local {
		if strings.Contains(l.Fact, "£") {
			return l.Fact
		}
	}
	return ""
}

// FitNote is a route's limits and status in one line.
func FitNote(e *knowledge.Entry) string {
	s := Status(e)
	if l := e.Funding.Limits; l != "" {
		s = strings.TrimSuffix(l, ".") + "; " + s
	}
	return s
}

func capital(s string) string {
	r, n := utf8.DecodeRuneInString(s)
	if n == 0 {
		return s
	}
	return string(unicode.ToUpper(r)) + s[n:]
}

// LocalText is what an answer says for the asker's place, first: its
// local facts, or that the entry is not available there and what is, or
// that the documents give nothing for that place.
func LocalText(a Answer) string {
	var b strings.Builder
	name := a.Place.Name
	switch {
	case a.NotHere:
		fmt.Fprintf(&b, "%s covers %s only, not %s.", a.Entry.Title, joinAnd(a.Entry.OnlyIn), name)
		if len(a.Instead) > 0 {
			fmt.Fprintf(&b, " For %s, see: %s.", name, titles(a.Instead))
		}
	case len(a.Local) > 0:
		if a.Place.Area != "" {
			name += " (" + a.Place.Area + AreaFrom(a.Place) + ")"
		}
		fmt.Fprintf(&b, "In %s:", name)
		for _, f := range a.Local {
			b.WriteString("\n  - " + f)
		}
	default:
		fmt.Fprintf(&b, "The documents give nothing about this for %s in particular: Council Connect can tell you who to contact there.", name)
		if len(a.AlsoHere) > 0 {
			fmt.Fprintf(&b, " What they do give for %s: %s.", name, titles(a.AlsoHere))
		}
	}
	return b.String()
}

func titles(es []*knowledge.Entry) string {
	var ts []string
	for _, e := range es {
		ts = append(ts, e.Title)
	}
	return strings.Join(ts, "; ")
}

// Nearby are the entries an answer points to for the asker's place: what
// is open there instead, or what else the documents give for it.
func (a Answer) Nearby() []*knowledge.Entry {
	if a.NotHere {
		return a.Instead
	}
	return a.AlsoHere
}

// joinAnd joins names as "a, b and c".
func joinAnd(names []string) string {
	if len(names) < 2 {
		return strings.Join(names, "")
	}
	return strings.Join(names[:len(names)-1], ", ") + " and " + names[len(names)-1]
}

// renderEntry writes an entry; related are its see-also entries, named by
// title.
func renderEntry(b *strings.Builder, e *knowledge.Entry, sources []knowledge.Source, related []*knowledge.Entry) {
	fmt.Fprintf(b, "%s\n%s\n", e.Title, e.Summary)
	if len(e.Details) > 0 {
		b.WriteString("\n")
		for i, d := range e.Details {
			if i == maxDetails {
				fmt.Fprintf(b, "  (%d more: type about %s)\n", len(e.Details)-maxDetails, e.ID)
				break
			}
			fmt.Fprintf(b, "  - %s\n", d)
		}
	}
	if f := e.Funding; f != nil {
		fmt.Fprintf(b, "\nAmount: %s.", f.Amount)
		if len(f.Who) > 0 {
			fmt.Fprintf(b, " Who: %s.", strings.Join(f.Who, "; "))
		}
		if f.Limits != "" {
			fmt.Fprintf(b, " %s", f.Limits)
		}
		b.WriteString("\n")
	}
	if e.Start != "" {
		fmt.Fprintf(b, "\nHow to start: %s\n", e.Start)
	}
	if len(e.Guidance) > 0 {
		fmt.Fprintf(b, "Guidance: %s\n", strings.Join(e.Guidance, "; "))
	}
	if lines := ContactLines(e); len(lines) > 0 {
		fmt.Fprintf(b, "Contacts: %s\n", strings.Join(lines, "; "))
	}
	if line := NoContactLine(e); line != "" {
		b.WriteString(line + "\n")
	}
	if len(related) > 0 {
		fmt.Fprintf(b, "See also: %s\n", titles(related))
	}
	fmt.Fprintf(b, "\n%s\n", SourceLine(e, sources))
}

func renderFallback(b *strings.Builder, cc *knowledge.Entry) {
	if line := FallbackLine(cc); line != "" {
		b.WriteString(line + "\n")
	}
}

// FallbackLine signposts Council Connect, the Core Offer's point of contact
// for local services; it is empty if the base has no such entry.
func FallbackLine(cc *knowledge.Entry) string {
	if cc == nil {
		return ""
	}
	return "Council Connect and the One Stop Shops are the point of contact for local services: " + cc.Start
}

// ContactLines renders an entry's contacts, one string each, with only the
// numbers and addresses the documents give.
func ContactLines(e *knowledge.Entry) []string {
	var out []string
	for _, c := range e.Contacts {
		parts := []string{c.Name}
		for _, x := range []string{c.Phone, c.Email, c.URL} {
			if x != "" {
				parts = append(parts, x)
			}
		}
		s := strings.Join(parts, ", ")
		if c.Note != "" {
			s += " (" + strings.TrimSuffix(c.Note, ".") + ")"
		}
		out = append(out, s)
	}
	return out
}

// HasDirectContact reports whether the documents give a phone number,
// e-mail or web address for the entry.
// NoContactLine says, for an entry with no phone number, e-mail or web
// address in the documents, where to turn instead; it is empty when the
// documents give one. Council Connect's own entry does not send people
// to itself.
func NoContactLine(e *knowledge.Entry) string {
	switch {
	case HasDirectContact(e):
		return ""
	case e.ID == fallbackID:
		return "The documents give no phone number or e-mail for it: the council's website has them."
	}
	return "The documents give no phone number or e-mail for this: ask Council Connect."
}

func HasDirectContact(e *knowledge.Entry) bool {
	for _, c := range e.Contacts {
		if c.Phone != "" || c.Email != "" || c.URL != "" {
			return true
		}
	}
	return false
}

// SourceLine says where the facts come from and how old they are, in the
// words of the entry's status.
func SourceLine(e *knowledge.Entry, sources []knowledge.Source) string {
	var names []string
	for _, s := range sources {
		names = append(names, fmt.Sprintf("%s, %s", s.Title, Month(s.Date)))
	}
	src := "Source: " + strings.Join(names, "; ") + "."
	switch e.Status {
	case "historical":
		return src + fmt.Sprintf(" Historical: this has ended (facts as of %s); check with Council Connect whether anything like it is open now.", Month(e.AsOf))
	case "unknown":
		return src + fmt.Sprintf(" Facts as of %s; the documents do not say whether it still runs: check with Council Connect.", Month(e.AsOf))
	case "proposed":
		return src + fmt.Sprintf(" Proposed in %s; the documents do not say whether it went ahead: check with Council Connect.", Month(e.AsOf))
	}
	return src + fmt.Sprintf(" As described in %s; details may have changed since.", Month(e.AsOf))
}

// Month renders "2013-05" as "May 2013" and "2013" as "2013".
func Month(date string) string {
	if t, err := time.Parse("2006-01", date); err == nil {
		return t.Format("January 2006")
	}
	return date
}
