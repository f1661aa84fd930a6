package directory

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
	"sync"
	"time"

	// Europe/London must load on a machine without a zone database (the
	// distroless image, a bare CI runner): the next session of a lunch club
	// is wrong by an hour for half the year otherwise. Go uses the embedded
	// copy only when the system has none.
	_ "time/tzdata"

	"github.com/bathnes/signpost/internal/clip"
)

// London is Europe/London, the zone every ORUK schedule in the UK is written
// in: opens_at "10:00" means ten o'clock on the clock in Bath, summer or
// winter.
var London = sync.OnceValue(func() *time.Location {
	loc, err := time.LoadLocation("Europe/London")
	if err != nil {
		// Unreachable with time/tzdata linked in; UTC is the least wrong.
		return time.UTC
	}
	return loc
})

// NoTimes is what to say when a service publishes no usable times.
const NoTimes = "times not published: ring first"

// Day is a day of the week as a question names it ("on a Thursday").
// AnyDay, the zero value, means the question names none.
type Day int8

// The days, Monday first as in the UK.
const (
	AnyDay Day = iota
	Monday
	Tuesday
	Wednesday
	Thursday
	Friday
	Saturday
	Sunday
)

var dayWords = [...]string{"", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"}

// String names the day ("Thursday"), or "any day".
func (d Day) String() string {
	if d < AnyDay || d > Sunday {
		return fmt.Sprintf("Day(%d)", d)
	}
	if d == AnyDay {
		return "any day"
	}
	return dayWords[d]
}

// Weekday converts to time.Weekday; AnyDay has none and gives -1.
func (d Day) Weekday() time.Weekday {
	if d < Monday || d > Sunday {
		return -1
	}
	return time.Weekday(d % 7)
}

// DayOf gives the Day of a time.Weekday.
func DayOf(w time.Weekday) Day {
	if w == time.Sunday {
		return Sunday
	}
	return Day(w)
}

func (d Day) bit() uint8 {
	if d < Monday || d > Sunday {
		return 0
	}
	return 1 << (d - 1)
}

// ParseDay finds the day a question names ("on a Thursday", "thursdays",
// "Thurs"), or AnyDay. "Today" and "tomorrow" are left to the caller, who
// knows the date.
func ParseDay(text string) Day {
	for _, w := range strings.FieldsFunc(strings.ToLower(text), func(r rune) bool {
		return !(r >= 'a' && r <= 'z')
	}) {
		if d, ok := questionDays[strings.TrimSuffix(w, "s")]; ok {
			return d
		}
	}
	return AnyDay
}

// questionDays are the words a question uses for a day. Short forms that
// are also words ("sat", "sun", "wed") are left out.
var questionDays = map[string]Day{
	"monday": Monday, "tuesday": Tuesday, "tue": Tuesday, "wednesday": Wednesday,
	"thursday": Thursday, "thur": Thursday, "friday": Friday, "saturday": Saturday, "sunday": Sunday,
}

func dayOfCode(code string) Day {
	for d := Monday; d <= Sunday; d++ {
		if strings.EqualFold(dayWords[d][:2], code) {
			return d
		}
	}
	return AnyDay
}

// Session is one occurrence of a service.
type Session struct {
	Start time.Time // in Europe/London
	// End is zero when the schedule gives no closing time.
	End time.Time
	// TimesKnown is false when the schedule gives a day but no opening
	// time: Start is then midnight and only the date means anything.
	TimesKnown bool
	// Description is the schedule's own words, which often qualify it
	// ("term time only").
	Description string
}

// String says the session for a person: "Thursday 12 March, 10:00 to 12:00".
func (s Session) String() string {
	if s.Start.IsZero() {
		return NoTimes
	}
	out := s.Start.Format("Monday 2 January")
	if s.TimesKnown {
		out += ", " + s.Start.Format("15:04")
		if !s.End.IsZero() {
			out += " to " + s.End.Format("15:04")
		}
	}
	return out
}

// Next gives the next session of a schedule at or after now, including one
// under way, in Europe/London time. ok is false when the schedule gives no
// day to go by (only a description, say), needs a start date it lacks to
// know which weeks, or has ended: then say NoTimes.
func Next(s Schedule, now time.Time) (Session, bool) {
	r, err := parseRule(s)
	if err != nil || r.freq == 0 {
		return Session{}, false
	}
	return r.next(now, AnyDay, s.Description)
}

// NextOn is Next restricted to one day of the week: "on a Thursday".
func NextOn(s Schedule, now time.Time, day Day) (Session, bool) {
	r, err := parseRule(s)
	if err != nil || r.freq == 0 {
		return Session{}, false
	}
	return r.next(now, day, s.Description)
}

// NextSession is the earliest next session across a service's schedules,
// on the given day when day is not AnyDay.
func (s *Service) NextSession(now time.Time, day Day) (Session, bool) {
	var best Session
	found := false
	for _, sc := range s.Schedules {
		if got, ok := NextOn(sc, now, day); ok && (!found || got.Start.Before(best.Start)) {
			best, found = got, true
		}
	}
	return best, found
}

// rule is a Schedule made ready to step through days.
type rule struct {
	freq      byte // 'D', 'W', 'M'; 0 when the schedule gives nothing to go by
	interval  int
	days      []dayRule
	monthDays []int
	opens     int // minutes after midnight; -1 unknown
	closes    int
	from, to  time.Time // dates in London, inclusive; zero is open-ended
	start     time.Time // dtstart's date; zero when not given
	mask      uint8     // the weekdays it can fall on; 0x7f when any
}

type dayRule struct {
	day Day
	ord int // 0 every; 1 first; -1 last
}

var errNeedStart = errors.New("an interval above 1 needs dtstart to know which weeks or months")

// parseRule checks and prepares a schedule: how often, on which days,
// at what times, over which dates, then what the rule leaves to its start
// date (settle). A schedule with no freq, byday or bymonthday is not an
// error: it publishes no times (freq is then 0).
func parseRule(s Schedule) (rule, error) {
	r := rule{interval: max(s.Interval, 1)}
	var err error
	if r.freq, err = parseFreq(s); err != nil {
		return rule{}, err
	}
	if r.days, r.mask, err = parseByDay(s.ByDay); err != nil {
		return rule{}, err
	}
	if r.monthDays, err = parseByMonthDay(s.ByMonthDay); err != nil {
		return rule{}, err
	}
	if r.opens, err = parseClock(s.OpensAt); err != nil {
		return rule{}, fmt.Errorf("opens_at: %w", err)
	}
	if r.closes, err = parseClock(s.ClosesAt); err != nil {
		return rule{}, fmt.Errorf("closes_at: %w", err)
	}
	r.from, r.to, r.start = dateOnly(s.ValidFrom), dateOnly(s.ValidTo), dateOnly(s.DTStart)
	if !r.from.IsZero() && !r.to.IsZero() && r.to.Before(r.from) {
		return rule{}, errors.New("valid_to is before valid_from")
	}
	if err := r.settle(); err != nil {
		return rule{}, err
	}
	return r, nil
}

// parseFreq reads freq, v1's "week" and "month" too. A feed that leaves
// freq out but names days means weekly on them, or dates of the month
// monthly.
func parseFreq(s Schedule) (byte, error) {
	switch strings.ToUpper(strings.TrimSpace(s.Freq)) {
	case "WEEKLY", "WEEK":
		return 'W', nil
	case "MONTHLY", "MONTH":
		return 'M', nil
	case "DAILY", "DAY":
		return 'D', nil
	case "":
		if s.ByDay != "" {
			return 'W', nil
		} else if s.ByMonthDay != "" {
			return 'M', nil
		}
		return 0, nil
	}
	return 0, fmt.Errorf("freq %q is not WEEKLY or MONTHLY", clip.Runes(s.Freq, maxQuoted))
}

// parseByDay reads byday's items and the weekdays they fall on.
func parseByDay(byDay string) (days []dayRule, mask uint8, err error) {
	for _, tok := range splitList(byDay) {
		dr, err := parseDayRule(tok)
		if err != nil {
			return nil, 0, err
		}
		days = append(days, dr)
		mask |= dr.day.bit()
	}
	return days, mask, nil
}

// parseByMonthDay reads bymonthday: 1 to 31, or -1 to -31 counting back
// from the month's last day.
func parseByMonthDay(byMonthDay string) ([]int, error) {
	var out []int
	for _, tok := range splitList(byMonthDay) {
		n, err := strconv.Atoi(tok)
		if err != nil || n == 0 || n < -31 || n > 31 {
			return nil, fmt.Errorf("bymonthday %q is not a day of the month", clip.Runes(tok, maxQuoted))
		}
		out = append(out, n)
	}
	return out, nil
}

// settle fills in what a rule leaves to its start date, as RFC 5545 does:
// weekly with no day meets on dtstart's weekday, monthly with no day on
// dtstart's date. Without dtstart such a rule gives nothing to go by, and
// publishes no times (freq 0) rather than guessing. An interval above 1
// needs dtstart to know which weeks or months are meant.
func (r *rule) settle() error {
	switch r.freq {
	case 'W':
		if len(r.days) == 0 {
			if r.start.IsZero() {
				r.freq, r.mask = 0, 0
				return nil
			}
			r.days = []dayRule{{day: DayOf(r.start.Weekday())}}
			r.mask = r.days[0].day.bit()
		}
	case 'M':
		if len(r.days) == 0 && len(r.monthDays) == 0 {
			if r.start.IsZero() {
				r.freq, r.mask = 0, 0
				return nil
			}
			r.monthDays = []int{r.start.Day()}
		}
		if len(r.days) == 0 {
			r.mask = 0x7f // a date of the month falls on any day
		}
	case 'D':
		if len(r.days) == 0 {
			r.mask = 0x7f
		}
	default:
		r.mask = 0
		return nil
	}
	if r.interval > 1 && r.start.IsZero() {
		return errNeedStart
	}
	return nil
}

func splitList(s string) []string {
	var out []string
	for _, tok := range strings.FieldsFunc(s, func(r rune) bool { return r == ',' || r == ';' || r == ' ' }) {
		out = append(out, strings.TrimSpace(tok))
	}
	return out
}

// parseDayRule reads an RFC 5545 BYDAY item: "TH", "1MO", "-1FR", "+2WE".
func parseDayRule(tok string) (dayRule, error) {
	t := strings.ToUpper(tok)
	if len(t) < 2 {
		return dayRule{}, fmt.Errorf("byday %q is not a day", clip.Runes(tok, maxQuoted))
	}
	d := dayOfCode(t[len(t)-2:])
	if d == AnyDay {
		if full, ok := dayNames[strings.ToLower(t)]; ok {
			return dayRule{day: dayOfCode(full)}, nil
		}
		return dayRule{}, fmt.Errorf("byday %q is not a day", clip.Runes(tok, maxQuoted))
	}
	dr := dayRule{day: d}
	if n := strings.TrimPrefix(t[:len(t)-2], "+"); n != "" {
		ord, err := strconv.Atoi(n)
		if err != nil || ord == 0 || ord < -5 || ord > 5 {
			return dayRule{}, fmt.Errorf("byday %q has a bad week number", clip.Runes(tok, maxQuoted))
		}
		dr.ord = ord
	}
	return dr, nil
}

// parseClock reads opens_at and closes_at: "10:00", "10:00:00", "9.30",
// "10:00:00Z", or an old HSDS date-time "2000-01-01T08:00:00.000Z". A zone
// suffix is ignored: UK feeds mean the time on the local clock.
func parseClock(s string) (int, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return -1, nil
	}
	if i := strings.IndexByte(s, 'T'); i >= 0 {
		s = s[i+1:]
	}
	s = strings.NewReplacer(".", ":").Replace(s)
	parts := strings.SplitN(s, ":", 3)
	if len(parts) < 2 {
		return -1, fmt.Errorf("%q is not a time", clip.Runes(s, maxQuoted))
	}
	h, err1 := strconv.Atoi(parts[0])
	m, err2 := strconv.Atoi(parts[1][:min(2, len(parts[1]))])
	if err1 != nil || err2 != nil || h < 0 || h > 24 || m < 0 || m > 59 || (h == 24 && m > 0) {
		return -1, fmt.Errorf("%q is not a time", clip.Runes(s, maxQuoted))
	}
	return h*60 + m, nil
}

func dateOnly(t time.Time) time.Time {
	if t.IsZero() {
		return t
	}
	t = t.In(London())
	return time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, London())
}

// horizon bounds the search for the next session: two years covers a rule
// that meets once a year.
const horizon = 2 * 366

func (r rule) next(now time.Time, want Day, desc string) (Session, bool) {
	now = now.In(London())
	day := time.Date(now.Year(), now.Month(), now.Day(), 0, 0, 0, 0, London())
	if !r.from.IsZero() && r.from.After(day) {
		day = r.from
	}
	if !r.start.IsZero() && r.start.After(day) {
		day = r.start
	}
	for i := 0; i < horizon; i++ {
		if !r.to.IsZero() && day.After(r.to) {
			return Session{}, false
		}
		if (want == AnyDay || DayOf(day.Weekday()) == want) && r.occurs(day) {
			s := Session{Start: day, TimesKnown: r.opens >= 0, Description: desc}
			if r.opens >= 0 {
				s.Start = at(day, r.opens)
			}
			if r.closes >= 0 {
				s.End = at(day, r.closes)
				if r.opens >= 0 && r.closes <= r.opens {
					s.End = at(day.AddDate(0, 0, 1), r.closes) // past midnight
				}
			}
			// Today's session counts until it closes; with no closing
			// time, until the end of the day.
			end := s.End
			if end.IsZero() {
				end = day.AddDate(0, 0, 1)
			}
			if end.After(now) {
				return s, true
			}
		}
		day = day.AddDate(0, 0, 1)
	}
	return Session{}, false
}

func at(day time.Time, minutes int) time.Time {
	return time.Date(day.Year(), day.Month(), day.Day(), minutes/60, minutes%60, 0, 0, London())
}

func (r rule) occurs(day time.Time) bool {
	switch r.freq {
	case 'D':
		if r.interval > 1 && daysBetween(r.start, day)%r.interval != 0 {
			return false
		}
		return r.mask&DayOf(day.Weekday()).bit() != 0
	case 'W':
		if r.interval > 1 && (daysBetween(mondayOf(r.start), mondayOf(day))/7)%r.interval != 0 {
			return false
		}
		for _, d := range r.days {
			if d.day.Weekday() == day.Weekday() {
				return true
			}
		}
		return false
	case 'M':
		if r.interval > 1 {
			months := (day.Year()-r.start.Year())*12 + int(day.Month()) - int(r.start.Month())
			if months%r.interval != 0 {
				return false
			}
		}
		last := time.Date(day.Year(), day.Month()+1, 0, 0, 0, 0, 0, London()).Day()
		if len(r.monthDays) > 0 {
			hit := false
			for _, md := range r.monthDays {
				if md == day.Day() || (md < 0 && last+md+1 == day.Day()) {
					hit = true
				}
			}
			if !hit {
				return false
			}
		}
		if len(r.days) == 0 {
			return true
		}
		for _, d := range r.days {
			if d.day.Weekday() != day.Weekday() {
				continue
			}
			switch {
			case d.ord == 0,
				d.ord > 0 && (day.Day()-1)/7+1 == d.ord,
				d.ord < 0 && (last-day.Day())/7+1 == -d.ord:
				return true
			}
		}
	}
	return false
}

// daysBetween counts calendar days, immune to the 23- and 25-hour days of
// the clock changes.
func daysBetween(a, b time.Time) int {
	ua := time.Date(a.Year(), a.Month(), a.Day(), 0, 0, 0, 0, time.UTC)
	ub := time.Date(b.Year(), b.Month(), b.Day(), 0, 0, 0, 0, time.UTC)
	return int(ub.Sub(ua).Hours() / 24)
}

func mondayOf(t time.Time) time.Time {
	return t.AddDate(0, 0, -((int(t.Weekday()) + 6) % 7))
}

// Summary says a schedule in words, for when there is no next session to
// give but the record still says something ("Thursdays, every 2 weeks, 10:00
// to 12:00"). It is "" when the schedule says nothing usable.
func (s Schedule) Summary() string {
	r, err := parseRule(s)
	if err != nil && !errors.Is(err, errNeedStart) {
		return s.Description
	}
	if err != nil {
		// Keep what can be said even though the weeks are unknown.
		r2 := s
		r2.Interval = 0
		r, _ = parseRule(r2)
		r.interval = max(s.Interval, 1)
	}
	var parts []string
	if len(r.days) > 0 {
		var names []string
		for _, d := range r.days {
			name := d.day.String() + "s"
			switch {
			case d.ord == -1:
				name = "last " + d.day.String() + " of the month"
			case d.ord < 0:
				name = fmt.Sprintf("%s %s from the end of the month", ordinal(-d.ord), d.day)
			case d.ord > 0:
				name = fmt.Sprintf("%s %s of the month", ordinal(d.ord), d.day)
			}
			names = append(names, name)
		}
		parts = append(parts, strings.Join(names, ", "))
	} else if len(r.monthDays) > 0 {
		var names []string
		for _, md := range r.monthDays {
			if md == -1 {
				names = append(names, "the last day")
			} else {
				names = append(names, "the "+ordinal(md))
			}
		}
		parts = append(parts, strings.Join(names, ", ")+" of the month")
	}
	if r.interval > 1 {
		unit := "weeks"
		if r.freq == 'M' {
			unit = "months"
		}
		parts = append(parts, fmt.Sprintf("every %d %s", r.interval, unit))
	}
	if r.opens >= 0 {
		t := clock(r.opens)
		if r.closes >= 0 {
			t += " to " + clock(r.closes)
		}
		parts = append(parts, t)
	}
	out := strings.Join(parts, ", ")
	if s.Description != "" {
		if out == "" {
			return s.Description
		}
		out += " (" + s.Description + ")"
	}
	return out
}

func clock(m int) string { return fmt.Sprintf("%02d:%02d", m/60, m%60) }

func ordinal(n int) string {
	suffix := "th"
	switch {
	case n%100 >= 11 && n%100 <= 13:
	case n%10 == 1:
		suffix = "st"
	case n%10 == 2:
		suffix = "nd"
	case n%10 == 3:
		suffix = "rd"
	}
	return strconv.Itoa(n) + suffix
}
