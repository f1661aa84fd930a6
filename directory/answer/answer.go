// Package answer answers the core's questions about local services
// (bot.Directory) from a directory index: where the directory's results
// (records, distances, next sessions) become what a reply says of each
// service, as the record gives it. It is apart from package directory,
// which knows nothing of the bot, and from cmd, so that every user of a
// directory (serve, chat, the desk's tests) answers the same way.
package answer

import (
	"cmp"
	"fmt"
	"math"
	"slices"
	"strings"

	"github.com/bathnes/signpost/bot"
	"github.com/bathnes/signpost/directory"
)

// Directory answers the bot's questions about local services
// (bot.Directory) from a directory.Index, turning the directory's results
// into what a reply says. It is safe for concurrent use, as the Index is.
type Directory struct {
	ix     *directory.Index
	places *directory.Places
}

var (
	_ bot.Directory   = (*Directory)(nil)
	_ bot.PlaceReader = (*Directory)(nil)
	_ bot.NeedLister  = (*Directory)(nil)
	_ bot.Vocabulary  = (*Directory)(nil)
)

// New makes ix the bot's directory of local services, with places
// (directory.DefaultPlaces() when nil) to read "near BA2" and "Twerton"
// by.
func New(ix *directory.Index, places *directory.Places) *Directory {
	if places == nil {
		places = directory.DefaultPlaces()
	}
	return &Directory{ix: ix, places: places}
}

// Needs are the taxonomy terms the directory's services carry, the
// commonest first.
func (d *Directory) Needs() []string { return d.ix.Terms() }

// ListK is how many services a search returns: more than a reply lists
// (3), so that the bot, which drops those that do not fit the need, still
// has three to show. IndexK is how many an index should keep
// (directory.Options.K), for a search that asks for more (the desk's
// Services tab asks for twice the ten it lists).
const (
	ListK  = 6
	IndexK = 20
)

// Find searches the index for a question: near the place it names, or
// else the asker's place, on the day asked for or else the day it names.
func (d *Directory) Find(q bot.LocalQuery) []bot.LocalService {
	dq, where, placed := directory.ParseQuery(q.Text, d.places, q.Now)
	dq.Need = q.Need
	if q.Browse {
		dq.Text, dq.Need = "", nil // the place and day are read: rank by them alone
	}
	if q.OnDay {
		dq.Day = directory.DayOf(q.Day)
	}
	if !placed && q.Place != "" {
		if p, ok := d.places.Find(q.Place); ok {
			pt := p.Point
			dq.Near, dq.Where, where, placed = &pt, &p, p, true
		}
	}
	results := d.ix.Search(dq)
	if n := cmp.Or(q.Max, ListK); len(results) > n {
		results = results[:n]
	}
	var out []bot.LocalService
	for _, r := range results {
		l := localOf(r, dq.Near)
		if placed {
			l.Near = where.Name
		}
		out = append(out, l)
	}
	return out
}

// localOf is what a reply says of one result, as the record gives it.
func localOf(r directory.Result, near *directory.Point) bot.LocalService {
	s := r.Service
	l := bot.LocalService{
		Name: s.Name, What: s.Description, Org: s.Organization, Ages: s.Ages.String(), Kinds: s.Taxonomy,
		Feed: s.Feed, ID: s.ID, Checked: r.Checked, Dated: datedOf(r.Dated), Alert: s.Alert,
		Distance: r.Distance, HasDistance: r.HasDistance && !math.IsInf(r.Distance, 0),
	}
	if s.Status == "temporarily closed" {
		l.Alert = strings.TrimSpace("Temporarily closed. " + l.Alert)
	}
	if r.NoCoordinates {
		l.Covers = coveredArea(r.Notes)
	}
	l.Address = address(s, near)
	if r.HasNext {
		l.Next = r.Next.String()
		if r.Next.Description != "" {
			l.Next += " (" + r.Next.Description + ")"
		}
	}
	var meets []string
	for _, sc := range s.Schedules {
		if m := sc.Summary(); m != "" && !slices.Contains(meets, m) {
			meets = append(meets, m)
		}
	}
	l.Meets = strings.Join(meets, "; ")
	l.Cost = costOf(s.Costs)
	l.Contact = append(l.Contact, s.Phones...)
	for _, c := range []string{s.Email, s.URL} {
		if c != "" {
			l.Contact = append(l.Contact, c)
		}
	}
	if r.Stale && !r.Checked.IsZero() {
		for _, n := range r.Notes {
			if ago, ok := strings.CutPrefix(n, r.Dated.String()+" "); ok {
				l.Stale = ago
			}
		}
	}
	return l
}

// datedOf is what the bot calls a directory record's date.
func datedOf(d directory.Dated) bot.RecordDate {
	if d == directory.DatedUpdated {
		return bot.DateUpdated
	}
	return bot.DateChecked
}

// coveredArea is the area the directory says a service without a location
// covers: its "covers B&NES" note.
func coveredArea(notes []string) string {
	for _, n := range notes {
		if area, ok := strings.CutPrefix(n, "covers "); ok {
			return area
		}
	}
	return ""
}

// address is where a service meets as its record says: the location
// nearest near when the question gave a place, or else its first.
func address(s *directory.Service, near *directory.Point) string {
	if len(s.Locations) == 0 {
		return ""
	}
	loc := s.Locations[0]
	if near != nil {
		best := math.Inf(1)
		for _, l := range s.Locations {
			if d := directory.Distance(*near, l.Point); l.HasPoint && d < best {
				best, loc = d, l
			}
		}
	}
	var parts []string
	for _, p := range []string{loc.Name, loc.Address, loc.Postcode} {
		if p != "" && !containsFold(strings.Join(parts, ", "), p) {
			parts = append(parts, p)
		}
	}
	return strings.Join(parts, ", ")
}

func containsFold(s, sub string) bool {
	return strings.Contains(strings.ToLower(s), strings.ToLower(sub))
}

// costOf says a service's costs as its record gives them: "£3 per
// session (Under 18s)", "free", or "" when it gives none.
func costOf(costs []directory.Cost) string {
	var out []string
	for _, c := range costs {
		var parts []string
		switch {
		case c.HasAmount && c.Amount == 0 && strings.Contains(strings.ToLower(c.Description), "free"):
			// "free with a referral" says it already.
		case c.HasAmount && c.Amount == 0 && c.Description != "":
			parts = append(parts, "free,") // "free, donations welcome"
		case c.HasAmount && c.Amount == 0:
			parts = append(parts, "free")
		case c.HasAmount && c.Amount == math.Trunc(c.Amount):
			parts = append(parts, fmt.Sprintf("£%.0f", c.Amount))
		case c.HasAmount:
			parts = append(parts, fmt.Sprintf("£%.2f", c.Amount))
		}
		if c.Description != "" {
			parts = append(parts, c.Description)
		}
		s := strings.Join(parts, " ")
		if c.Option != "" {
			if s == "" {
				s = c.Option
			} else {
				s += " (" + c.Option + ")"
			}
		}
		if s != "" {
			out = append(out, s)
		}
	}
	return strings.Join(out, "; ")
}

// Known is a word as the directory's services spell it (see
// directory.Index.Known).
func (d *Directory) Known(w string) (string, bool) { return d.ix.Known(w) }

// PlaceIn is the place text names by the directory's places: a ward, a
// town or an outward code the knowledge base may not know.
func (d *Directory) PlaceIn(text string) (string, bool) {
	p, ok := d.places.Find(text)
	return p.Name, ok
}

// TownOf is the town a place PlaceIn named is part of, as places.csv
// says ("Bath" for Twerton), "" when it does not.
func (d *Directory) TownOf(place string) string {
	p, ok := d.places.Find(place)
	if !ok || p.Town == p.Name {
		return ""
	}
	return p.Town
}
