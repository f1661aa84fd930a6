package bot

import (
	"fmt"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/bathnes/signpost/knowledge"
)

// maxDetails bounds the local facts the desk shows at first (a chat reply
// leaves them all to "more"); "Show all", `about <id>` and the exported
// menu have them all.
const maxDetails = 4

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
	if l := e.Funding.Limits; l != "" {
		return strings.TrimSuffix(l, ".") + ". " + Status(e)
	}
	return Status(e)
}

func capital(s string) string {
	r, n := utf8.DecodeRuneInString(s)
	if n == 0 {
		return s
	}
	return string(unicode.ToUpper(r)) + s[n:]
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

// HasDirectContact reports whether the documents give a phone number,
// e-mail or web address for the entry.
func HasDirectContact(e *knowledge.Entry) bool {
	for _, c := range e.Contacts {
		if c.Phone != "" || c.Email != "" || c.URL != "" {
			return true
		}
	}
	return false
}

// SourceLine names the documents an entry's facts come from, with their
// dates.
func SourceLine(sources []knowledge.Source) string {
	var names []string
	for _, s := range sources {
		names = append(names, s.Title+", "+Month(s.Date))
	}
	return "Source: " + strings.Join(names, "; ") + "."
}

// Status says whether an entry still runs, as far as the documents say,
// and how old its facts are. Every answer and list that names an entry
// shows it.
func Status(e *knowledge.Entry) string { return StatusFor(e, Public) }

// StatusFor is Status in the words of who reads it: at the desk the
// reader is Council Connect, so "check with Council Connect" becomes what
// a staff member does with the caller.
func StatusFor(e *knowledge.Entry, to Audience) string {
	words, ok := statusWords[e.Status]
	if !ok {
		return "Current as of " + Month(e.AsOf) + "; details may have changed since."
	}
	w := words.public
	if to == Staff {
		w = words.staff
	}
	return fmt.Sprintf(w, Month(e.AsOf))
}

// statusWords are what Status says of an entry that may not be running,
// to the public and at the desk, around the month of its facts.
var statusWords = map[knowledge.Status]struct{ public, staff string }{
	knowledge.Historical: {
		"Historical: this has ended (facts as of %s); check with Council Connect whether anything like it is open now.",
		"Historical: this has ended (facts as of %s): do not offer it to the caller as open."},
	knowledge.Unknown: {
		"Facts as of %s; the documents do not say whether it still runs: check with Council Connect.",
		"Facts as of %s; the documents do not say whether it still runs: do not confirm it to the caller as running."},
	knowledge.Proposed: {
		"Proposed in %s; the documents do not say whether it went ahead: check with Council Connect.",
		"Proposed in %s; the documents do not say whether it went ahead: do not confirm it to the caller."},
}

// Month renders "2013-05" as "May 2013" and "2013" as "2013".
func Month(date string) string {
	if t, err := time.Parse("2006-01", date); err == nil {
		return t.Format("January 2006")
	}
	return date
}
