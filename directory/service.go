// Package directory reads local services from Open Referral UK (ORUK) feeds,
// works out when they next meet, finds them near a place, and writes the
// toolkit's own entries back out as ORUK services.
//
// Councils publish their community directories (lunch clubs, youth groups,
// befriending, food support) as ORUK: a JSON API of paged /services, in two
// paging envelopes (v1 and v3) or as newline-delimited JSON. This package
// turns a feed into plain Service records, keeping what signpost needs to be
// honest about them: where the record came from, when it was fetched, and
// when its publisher last checked it. It starts no goroutines and keeps no
// global state; the caller owns storage, refresh and concurrency.
package directory

import (
	"fmt"
	"time"
)

// Service is one ORUK service, reduced to what signpost shows and searches.
// Text fields are plain text: markup in the feed (Bristol's descriptions are
// HTML) is removed on parsing, so a renderer only has to escape.
type Service struct {
	Feed         string // the feed URL or file it came from
	ID           string // the record's id in that feed
	Name         string
	Description  string
	Organization string // the organization's name
	URL          string
	Email        string
	Phones       []string
	Status       string // active, inactive, defunct, temporarily closed, or ""
	Alert        string // a short-term notice, such as a closure
	Costs        []Cost
	Eligibility  string // free text, as the record gives it
	Ages         Ages
	Areas        []string // the names of its service areas
	Locations    []Location
	Schedules    []Schedule
	Taxonomy     []string // the names of its taxonomy terms
	AssuredDate  time.Time
	LastModified time.Time
	FetchedAt    time.Time
}

// Key identifies a service across feeds: ids are unique only within a feed.
func (s *Service) Key() string { return s.Feed + "\x00" + s.ID }

// Dated says what a record's date is, so a reply says it as it is: a
// reader takes "last checked" for a check, which last_modified is not.
type Dated uint8

// What a record's date can be.
const (
	DatedChecked Dated = iota // ORUK's assured_date: someone checked it
	DatedUpdated              // only last_modified: when it last changed
)

// String says the date as a reply does: "last checked", "last updated".
func (d Dated) String() string {
	if d == DatedUpdated {
		return "last updated"
	}
	return "last checked"
}

// Checked is when the record was last checked: ORUK's assured_date, which
// says exactly that, or failing it last_modified, when it was last
// changed (dated says which). Zero when the feed gives neither.
func (s *Service) Checked() (at time.Time, dated Dated) {
	if !s.AssuredDate.IsZero() {
		return s.AssuredDate, DatedChecked
	}
	return s.LastModified, DatedUpdated
}

// HasCoordinates reports whether any location has a latitude and longitude.
func (s *Service) HasCoordinates() bool {
	for _, l := range s.Locations {
		if l.HasPoint {
			return true
		}
	}
	return false
}

// Ages is the age range a service is for. Feeds mark "no limit" in several
// ways (absent, null, and Bristol's -1); all of them leave HasMin or HasMax
// false, so a zero Ages means open to all ages.
type Ages struct {
	Min, Max       int
	HasMin, HasMax bool
}

// String says the range in words, or "" when it is open.
func (a Ages) String() string {
	switch {
	case a.HasMin && a.HasMax:
		return fmt.Sprintf("ages %d to %d", a.Min, a.Max)
	case a.HasMin:
		return fmt.Sprintf("ages %d and over", a.Min)
	case a.HasMax:
		return fmt.Sprintf("ages up to %d", a.Max)
	}
	return ""
}

// Cost is one ORUK cost option.
type Cost struct {
	Option      string // who or what it applies to ("Under 18s and Over 60s")
	Amount      float64
	HasAmount   bool
	Description string // ORUK's amount_description ("per 1 hour session")
}

// Location is where a service is delivered. Many records give none, or give
// one without coordinates; HasPoint says whether Point can be used.
type Location struct {
	Name     string
	Address  string // one line, as the record gives it
	Postcode string // normalised ("BA2 3AB"), or "" when absent or not a postcode
	Point    Point
	HasPoint bool
}

// Schedule is one ORUK schedule: an RFC 5545 style rule (freq, interval,
// byday, bymonthday) with opening times and a period of validity. Fields are
// kept as the feed gave them; Next interprets them.
type Schedule struct {
	Freq        string // WEEKLY or MONTHLY (v1 feeds write "week", "month")
	Interval    int    // every Interval weeks or months; 0 means 1
	ByDay       string // "MO,TH", "1MO", "-1FR"
	ByMonthDay  string // "1,15", "-1"
	OpensAt     string // "10:00", "10:00:00"
	ClosesAt    string
	DTStart     time.Time // the first occurrence's date, when given
	ValidFrom   time.Time
	ValidTo     time.Time // the last date it applies, inclusive
	Description string    // free text ("10am to 6pm weekdays, not bank holidays")
}

// Problem is something wrong with one record of a feed, named by the
// record's id and the field at fault. Skipped says whether the whole record
// was dropped or only the bad field.
type Problem struct {
	Feed    string
	ID      string // "" when the record has no usable id
	Page    int    // the page it was on, from 1, when read by Sync
	Index   int    // the record's position in its page or stream, from 0
	Field   string // "email", "service_at_locations[0].location.latitude"
	Message string
	Skipped bool
}

// String says the problem for an operator's log or the import report.
func (p Problem) String() string {
	what := "field dropped"
	if p.Skipped {
		what = "record skipped"
	}
	id := p.ID
	if id == "" {
		id = fmt.Sprintf("#%d", p.Index)
		if p.Page > 0 {
			id = fmt.Sprintf("#%d on page %d", p.Index, p.Page)
		}
	}
	return fmt.Sprintf("%s: record %s: %s: %s (%s)", p.Feed, id, p.Field, p.Message, what)
}
