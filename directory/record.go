package directory

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math"
	"net/mail"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/bathnes/signpost/internal/clip"
)

// conv converts one record's raw fields, collecting a Problem for every
// field it cannot use.
type conv struct {
	feed  string
	id    string
	index int
	probs []Problem
}

// maxQuoted is how much of a bad value a problem quotes, "…" included:
// the problem is shown to operators and stored, so it is cut, between
// characters.
const maxQuoted = 41

// object is one JSON object of a record with its fields kept raw, so that
// a wrongly typed field is reported by name rather than failing the whole
// record, and path, which names it in a Problem
// ("service_at_locations[0].location"; "" for the record itself). Both
// the ORUK 3.0 names and the v1 ones (regular_schedules, eligibilitys,
// service_taxonomys, physical_addresses) are read.
type object struct {
	path   string
	fields map[string]json.RawMessage // keys in lower case
}

// decodeObject reads raw as an object named path. Keys are matched
// ignoring case, as encoding/json matches a struct's fields; where a feed
// writes a key twice in different cases, the lower-case one wins.
func decodeObject(raw json.RawMessage, path string) (object, error) {
	var m map[string]json.RawMessage
	if err := json.Unmarshal(raw, &m); err != nil {
		return object{}, err
	}
	for k, v := range m {
		if lk := strings.ToLower(k); lk != k {
			if _, exact := m[lk]; !exact {
				m[lk] = v
			}
			delete(m, k)
		}
	}
	return object{path: path, fields: m}, nil
}

// field is the raw value of key and the path that names it. An absent
// field has no path: nothing is ever said about it.
func (o object) field(key string) (json.RawMessage, string) {
	raw := o.fields[strings.ToLower(key)]
	if raw == nil {
		return nil, ""
	}
	return raw, o.child(key)
}

// child is the path of o's field key.
func (o object) child(key string) string {
	if o.path == "" {
		return key
	}
	return o.path + "." + key
}

func (c *conv) drop(field, format string, args ...any) {
	c.probs = append(c.probs, Problem{Feed: c.feed, ID: c.id, Index: c.index, Field: field,
		Message: fmt.Sprintf(format, args...)})
}

func (c *conv) skip(field, format string, args ...any) {
	c.probs = append(c.probs, Problem{Feed: c.feed, ID: c.id, Index: c.index, Field: field,
		Message: fmt.Sprintf(format, args...), Skipped: true})
}

func isNull(raw json.RawMessage) bool {
	raw = bytes.TrimSpace(raw)
	return len(raw) == 0 || string(raw) == "null"
}

// kind names a JSON value's type for messages.
func kind(raw json.RawMessage) string {
	raw = bytes.TrimSpace(raw)
	if len(raw) == 0 {
		return "nothing"
	}
	switch raw[0] {
	case '"':
		return "a string"
	case '{':
		return "an object"
	case '[':
		return "an array"
	case 't', 'f':
		return "a boolean"
	case 'n':
		return "null"
	}
	return "a number"
}

// str reads a string field; absent and null are "". Anything else is a
// problem and the field is dropped.
func (c *conv) str(raw json.RawMessage, field string) string {
	if isNull(raw) {
		return ""
	}
	var s string
	if err := json.Unmarshal(raw, &s); err != nil {
		c.drop(field, "want a string, got %s", kind(raw))
		return ""
	}
	return s
}

// text is str made plain: markup removed, spaces tidied.
func (c *conv) text(raw json.RawMessage, field string) string {
	return PlainText(c.str(raw, field))
}

// num reads a number, or a string holding one (feeds differ). ok is false
// when absent, null or empty.
func (c *conv) num(raw json.RawMessage, field string) (v float64, ok bool) {
	if isNull(raw) {
		return 0, false
	}
	raw = bytes.TrimSpace(raw)
	if raw[0] == '"' {
		var s string
		if json.Unmarshal(raw, &s) != nil {
			c.drop(field, "want a number, got a bad string")
			return 0, false
		}
		s = strings.TrimSpace(s)
		if s == "" {
			return 0, false
		}
		f, err := strconv.ParseFloat(s, 64)
		if err != nil || math.IsNaN(f) || math.IsInf(f, 0) {
			c.drop(field, "want a number, got %q", clip.Runes(s, maxQuoted))
			return 0, false
		}
		return f, true
	}
	var f float64
	if err := json.Unmarshal(raw, &f); err != nil {
		c.drop(field, "want a number, got %s", kind(raw))
		return 0, false
	}
	return f, true
}

// list reads an array field as its raw elements.
func (c *conv) list(raw json.RawMessage, field string) []json.RawMessage {
	if isNull(raw) {
		return nil
	}
	var l []json.RawMessage
	if err := json.Unmarshal(raw, &l); err != nil {
		c.drop(field, "want an array, got %s", kind(raw))
		return nil
	}
	return l
}

// object reads an object field. ok is false when it is absent, null, or
// not an object (a problem).
func (c *conv) object(raw json.RawMessage, field string) (object, bool) {
	if isNull(raw) {
		return object{}, false
	}
	o, err := decodeObject(raw, field)
	if err != nil {
		c.drop(field, "want an object, got %s", kind(raw))
		return object{}, false
	}
	return o, true
}

// objects reads an array field of objects, leaving out (with a problem)
// each element that is not one.
func (c *conv) objects(raw json.RawMessage, field string) []object {
	return c.elems(c.list(raw, field), field)
}

// elems reads the elements of the array field as objects, naming each by
// its place in it ("cost_options[2]").
func (c *conv) elems(list []json.RawMessage, field string) []object {
	var out []object
	for i, raw := range list {
		if o, ok := c.object(raw, field+"["+strconv.Itoa(i)+"]"); ok {
			out = append(out, o)
		}
	}
	return out
}

// trimmed is str without surrounding space.
func (c *conv) trimmed(raw json.RawMessage, field string) string {
	return strings.TrimSpace(c.str(raw, field))
}

// checked reads o's string field key when valid accepts it; otherwise it is
// dropped with a problem saying it is not what it should be ("not a web
// address: …").
func (c *conv) checked(o object, key, what string, valid func(string) bool) string {
	s := c.trimmed(o.field(key))
	if s == "" || valid(s) {
		return s
	}
	c.drop(o.child(key), "not %s: %q", what, clip.Runes(s, maxQuoted))
	return ""
}

// firstText is the text of the first of o's fields that has some: feeds
// name the same thing differently ("name" or "term").
func (c *conv) firstText(o object, keys ...string) string {
	for _, k := range keys {
		if t := c.text(o.field(k)); t != "" {
			return t
		}
	}
	return ""
}

// date reads a date or date-time. A time without a zone is taken as UK
// local time: UK feeds write wall-clock times (Bristol's last_modified is
// "2025-09-02T12:06:15.654").
func (c *conv) date(raw json.RawMessage, field string) time.Time {
	s := c.trimmed(raw, field)
	if s == "" {
		return time.Time{}
	}
	t, err := parseTime(s)
	if err != nil {
		c.drop(field, "not a date: %q", clip.Runes(s, maxQuoted))
	}
	return t
}

func parseTime(s string) (time.Time, error) {
	for _, layout := range []string{time.RFC3339Nano, "2006-01-02T15:04:05.999999999Z0700"} {
		if t, err := time.Parse(layout, s); err == nil {
			return t, nil
		}
	}
	for _, layout := range []string{"2006-01-02", "2006-01-02T15:04:05.999999999", "2006-01-02T15:04",
		"2006-01-02 15:04:05.999999999", "02/01/2006"} {
		if t, err := time.ParseInLocation(layout, s, London()); err == nil {
			return t, nil
		}
	}
	return time.Time{}, fmt.Errorf("not a date: %q", s)
}

// idOf reads an id: ORUK ids are strings (UUIDs), but some v1 feeds number
// their records.
func idOf(raw json.RawMessage) (string, bool) {
	raw = bytes.TrimSpace(raw)
	if isNull(raw) {
		return "", false
	}
	if raw[0] == '"' {
		var s string
		if json.Unmarshal(raw, &s) != nil {
			return "", false
		}
		s = strings.TrimSpace(s)
		return s, s != "" && len(s) <= 200 && !strings.ContainsFunc(s, isControl)
	}
	var n json.Number
	if json.Unmarshal(raw, &n) != nil {
		return "", false
	}
	return n.String(), true
}

func isControl(r rune) bool { return r < 0x20 || r == 0x7f }

// parseService converts one record, in the steps a reader of a record
// takes: what it is called, what it is, how to reach it, what it costs,
// where and when it meets, what kind of thing it is, and who it is for.
// ok is false when the record cannot be used at all: it is not an object,
// or it has no id or no name (ORUK requires both, and a nameless service
// cannot be offered to anyone). Problems come in the order of the fields
// read, the same for every record.
func parseService(raw json.RawMessage, index int, feed string, fetchedAt time.Time) (Service, []Problem, bool) {
	c := &conv{feed: feed, index: index}
	r, err := decodeObject(raw, "")
	if err != nil {
		c.skip("(record)", "not a JSON object")
		return Service{}, c.probs, false
	}
	s, ok := c.named(r, feed, fetchedAt)
	if !ok {
		return Service{ID: s.ID}, c.probs, false
	}
	c.describe(r, &s)
	s.Phones = c.phones(r)
	s.Costs = c.costs(r)
	c.where(r, &s)
	s.Taxonomy = c.terms(r)
	c.eligibility(r, &s)
	return s, c.probs, true
}

// named reads what identifies a record, its id and name: without them it
// is skipped (ok false), with the id when it has one, so that the problem
// names it.
func (c *conv) named(r object, feed string, fetchedAt time.Time) (Service, bool) {
	idRaw, _ := r.field("id")
	id, ok := idOf(idRaw)
	if !ok {
		c.skip("id", "missing or not a usable id (%s)", kind(idRaw))
		return Service{}, false
	}
	c.id = id
	s := Service{Feed: feed, ID: id, FetchedAt: fetchedAt}
	if s.Name = c.text(r.field("name")); s.Name == "" {
		c.skip("name", "missing or empty")
		return Service{ID: id}, false
	}
	return s, true
}

// describe reads what a reply says a service is and how fresh the record
// is: description, status, alert, web and e-mail addresses, the dates it
// was checked, ages, eligibility and the organization running it.
func (c *conv) describe(r object, s *Service) {
	s.Description = c.text(r.field("description"))
	s.Status = strings.ToLower(c.trimmed(r.field("status")))
	s.Alert = c.text(r.field("alert"))
	s.URL = c.checked(r, "url", "a web address", isWebURL)
	if s.Email = c.checked(r, "email", "an e-mail address", isEmail); strings.HasSuffix(strings.ToLower(s.Email), ".invalid") {
		// Open Place writes "Unknown-…@noemail.invalid" where there is
		// none: no address at all.
		s.Email = ""
	}
	s.AssuredDate = c.date(r.field("assured_date"))
	s.LastModified = c.date(r.field("last_modified"))
	s.Ages = c.ages(r)
	s.Eligibility = c.text(r.field("eligibility_description"))
	if org, ok := c.object(r.field("organization")); ok {
		s.Organization = c.text(org.field("name"))
	}
}

// phones are the service's own numbers, then its contacts': feeds put the
// one number a caller needs in either place.
func (c *conv) phones(r object) []string {
	var out []string
	add := func(raw json.RawMessage, field string) {
		for _, ph := range c.objects(raw, field) {
			out = appendNew(out, PlainText(c.str(ph.field("number"))))
		}
	}
	add(r.field("phones"))
	for _, ct := range c.objects(r.field("contacts")) {
		add(ct.field("phones"))
	}
	return out
}

// costs are v1's free-text fees and 3.0's cost options. A negative amount
// is dropped rather than shown as a price, and an option that says nothing
// is no cost at all.
func (c *conv) costs(r object) []Cost {
	var out []Cost
	if fees := c.text(r.field("fees")); fees != "" {
		out = append(out, Cost{Description: fees})
	}
	for _, co := range c.objects(r.field("cost_options")) {
		cost := Cost{Option: c.text(co.field("option"))}
		cost.Amount, cost.HasAmount = c.num(co.field("amount"))
		cost.Description = c.text(co.field("amount_description"))
		if cost.HasAmount && cost.Amount < 0 {
			c.drop(co.child("amount"), "negative")
			cost.HasAmount = false
		}
		if cost != (Cost{}) {
			out = append(out, cost)
		}
	}
	return out
}

// where reads where and when a service meets: schedules on the service
// itself (3.0's schedules, v1's regular_schedules), then each
// service-at-location's location and schedules, then the areas it serves.
// A feed may put a schedule in any of these places, so all are kept.
func (c *conv) where(r object, s *Service) {
	s.Schedules = append(s.Schedules, c.schedules(r.field("schedules"))...)
	s.Schedules = append(s.Schedules, c.schedules(r.field("regular_schedules"))...)
	for _, sal := range c.objects(r.field("service_at_locations")) {
		if loc, ok := c.location(sal.field("location")); ok {
			s.Locations = append(s.Locations, loc)
		}
		s.Schedules = append(s.Schedules, c.schedules(sal.field("schedules"))...)
		s.Schedules = append(s.Schedules, c.schedules(sal.field("regular_schedules"))...)
	}
	for _, sa := range c.objects(r.field("service_areas")) {
		s.Areas = appendNew(s.Areas, c.firstText(sa, "name", "service_area"))
	}
}

// terms are what kind of thing a service is, as a caller asks by it: 3.0's
// attributes' taxonomy terms, v1's service_taxonomys, and Open Place's
// target audiences ("Homeless", "Care leavers"), which are not ORUK.
func (c *conv) terms(r object) []string {
	var out []string
	for _, at := range c.objects(r.field("attributes")) {
		if tt, ok := c.object(at.field("taxonomy_term")); ok {
			out = appendNew(out, c.firstText(tt, "name", "term"))
		}
	}
	for _, st := range c.objects(r.field("service_taxonomys")) {
		if tx, ok := c.object(st.field("taxonomy")); ok {
			out = appendNew(out, c.text(tx.field("name")))
		}
	}
	for _, ta := range c.objects(r.field("pc_targetAudience")) {
		out = appendNew(out, c.text(ta.field("audienceType")))
	}
	return out
}

// eligibility adds v1's eligibilitys to who a service is for: their text
// joins eligibility_description, and their ages count only when the
// service gave none of its own.
func (c *conv) eligibility(r object, s *Service) {
	for _, el := range c.objects(r.field("eligibilitys")) {
		if e := c.text(el.field("eligibility")); e != "" {
			s.Eligibility = joinText(s.Eligibility, e)
		}
		if a := c.ages(el); a != (Ages{}) && s.Ages == (Ages{}) {
			s.Ages = a
		}
	}
}

func appendNew(l []string, s string) []string {
	if s == "" {
		return l
	}
	for _, x := range l {
		if x == s {
			return l
		}
	}
	return append(l, s)
}

func joinText(a, b string) string {
	if a == "" {
		return b
	}
	return a + "\n" + b
}

// ages reads an object's minimum_age and maximum_age. A negative age means
// "no limit" (Bristol writes -1 for both), as does an absent one.
func (c *conv) ages(o object) Ages {
	var a Ages
	if v, ok := c.num(o.field("minimum_age")); ok && v >= 0 {
		if v > 130 {
			c.drop(o.child("minimum_age"), "%v is not an age", v)
		} else {
			a.Min, a.HasMin = int(v), v > 0
		}
	}
	if v, ok := c.num(o.field("maximum_age")); ok && v >= 0 {
		// Feeds write 99, 100, 120 or 999 for "no upper limit".
		if v < 99 {
			a.Max, a.HasMax = int(v), true
		}
	}
	if a.HasMin && a.HasMax && a.Max < a.Min {
		c.drop(o.child("maximum_age"), "below minimum_age")
		a.Max, a.HasMax = 0, false
	}
	return a
}

// isWebURL accepts only absolute http(s) addresses: signpost never shows a
// link it cannot vouch is one (the Fail fixture's "example_counselling").
func isWebURL(s string) bool {
	u, err := url.Parse(s)
	return err == nil && (u.Scheme == "http" || u.Scheme == "https") && u.Host != "" && !strings.ContainsFunc(s, isControl)
}

// isEmail accepts a plausible address: one mail.ParseAddress reads as
// itself, with a dot in its domain.
func isEmail(s string) bool {
	a, err := mail.ParseAddress(s)
	return err == nil && a.Address == s && strings.Contains(s[strings.LastIndexByte(s, '@'):], ".")
}

func (c *conv) location(raw json.RawMessage, field string) (Location, bool) {
	l, ok := c.object(raw, field)
	if !ok {
		return Location{}, false
	}
	loc := Location{Name: c.text(l.field("name"))}
	loc.Point, loc.HasPoint = c.point(l)
	// v1 feeds write physical_addresses; 3.0 feeds addresses.
	field, list := l.child("addresses"), c.list(l.field("addresses"))
	if len(list) == 0 {
		field, list = l.child("physical_addresses"), c.list(l.field("physical_addresses"))
	}
	for _, a := range c.elems(list, field) {
		var parts []string
		for _, key := range []string{"address_1", "address_2", "city"} {
			if v := c.text(a.field(key)); v != "" {
				parts = append(parts, v)
			}
		}
		pc := c.trimmed(a.field("postal_code"))
		if loc.Address == "" {
			loc.Address = strings.Join(parts, ", ")
		}
		if loc.Postcode == "" && pc != "" {
			if p, ok := ParsePostcode(pc); ok && p.Inward != "" {
				loc.Postcode = p.String()
			} else {
				c.drop(a.child("postal_code"), "not a UK postcode: %q", clip.Runes(pc, maxQuoted))
			}
		}
	}
	return loc, loc != (Location{})
}

// point reads a location's latitude and longitude, when both are there and
// in range.
func (c *conv) point(l object) (Point, bool) {
	lat, okLat := c.num(l.field("latitude"))
	lon, okLon := c.num(l.field("longitude"))
	switch {
	case !okLat || !okLon:
	case lat < -90 || lat > 90:
		c.drop(l.child("latitude"), "%v is out of range", lat)
	case lon < -180 || lon > 180:
		c.drop(l.child("longitude"), "%v is out of range", lon)
	case lat == 0 && lon == 0:
		// 0,0 is a placeholder, not a place in the Gulf of Guinea.
	default:
		return Point{Lat: lat, Lon: lon}, true
	}
	return Point{}, false
}

func (c *conv) schedules(raw json.RawMessage, field string) []Schedule {
	var out []Schedule
	for _, o := range c.objects(raw, field) {
		s := Schedule{
			Freq:        c.trimmed(o.field("freq")),
			ByDay:       c.trimmed(o.field("byday")),
			ByMonthDay:  c.intList(o.field("bymonthday")),
			OpensAt:     c.trimmed(o.field("opens_at")),
			ClosesAt:    c.trimmed(o.field("closes_at")),
			DTStart:     c.date(o.field("dtstart")),
			ValidFrom:   c.date(o.field("valid_from")),
			ValidTo:     c.date(o.field("valid_to")),
			Description: c.text(o.field("description")),
		}
		if until := c.date(o.field("until")); !until.IsZero() && (s.ValidTo.IsZero() || until.Before(s.ValidTo)) {
			s.ValidTo = until
		}
		if v, ok := c.num(o.field("interval")); ok {
			if v < 1 || v > 52 || v != math.Trunc(v) {
				c.drop(o.child("interval"), "%v is not a whole number from 1 to 52", v)
			} else {
				s.Interval = int(v)
			}
		}
		// v1 regular_schedules name the day as "weekday" ("Thursday", or 1
		// for Monday); it means weekly on that day when byday is absent.
		if wd, _ := o.field("weekday"); s.ByDay == "" && !isNull(wd) {
			if d, ok := weekdayOf(wd); ok {
				s.ByDay = d
				if s.Freq == "" {
					s.Freq = "WEEKLY"
				}
			} else {
				c.drop(o.child("weekday"), "not a day of the week")
			}
		}
		if _, err := parseRule(s); err != nil {
			c.drop(o.path, "%v", err)
		}
		out = append(out, s)
	}
	return out
}

// intList reads bymonthday, which feeds write as "2,3,4", as a number, or
// as an array of numbers.
func (c *conv) intList(raw json.RawMessage, field string) string {
	if isNull(raw) {
		return ""
	}
	raw = bytes.TrimSpace(raw)
	switch raw[0] {
	case '"':
		return strings.TrimSpace(c.str(raw, field))
	case '[':
		var l []int
		if json.Unmarshal(raw, &l) != nil {
			c.drop(field, "want numbers")
			return ""
		}
		parts := make([]string, len(l))
		for i, n := range l {
			parts[i] = strconv.Itoa(n)
		}
		return strings.Join(parts, ",")
	}
	if v, ok := c.num(raw, field); ok {
		return strconv.Itoa(int(v))
	}
	return ""
}

var dayNames = map[string]string{
	"monday": "MO", "tuesday": "TU", "wednesday": "WE", "thursday": "TH", "friday": "FR",
	"saturday": "SA", "sunday": "SU", "mon": "MO", "tue": "TU", "tues": "TU", "wed": "WE",
	"thu": "TH", "thur": "TH", "thurs": "TH", "fri": "FR", "sat": "SA", "sun": "SU",
}

func weekdayOf(raw json.RawMessage) (string, bool) {
	var s string
	if json.Unmarshal(raw, &s) == nil {
		s = strings.ToLower(strings.TrimSpace(s))
		if d, ok := dayNames[s]; ok {
			return d, true
		}
		if n, err := strconv.Atoi(s); err == nil {
			return weekdayNumber(n)
		}
		return "", false
	}
	var n int
	if json.Unmarshal(raw, &n) == nil {
		return weekdayNumber(n)
	}
	return "", false
}

// weekdayNumber reads the v1 convention, 1 for Monday to 7 for Sunday.
func weekdayNumber(n int) (string, bool) {
	if n < 1 || n > 7 {
		return "", false
	}
	return [...]string{"MO", "TU", "WE", "TH", "FR", "SA", "SU"}[n-1], true
}
