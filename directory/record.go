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
)

// conv converts one record's raw fields, collecting a Problem for every
// field it cannot use.
type conv struct {
	feed  string
	id    string
	index int
	probs []Problem
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
			c.drop(field, "want a number, got %q", clip(s))
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

// object reads an object field into v, whose fields are raw messages.
func (c *conv) object(raw json.RawMessage, field string, v any) bool {
	if isNull(raw) {
		return false
	}
	if err := json.Unmarshal(raw, v); err != nil {
		c.drop(field, "want an object, got %s", kind(raw))
		return false
	}
	return true
}

// date reads a date or date-time. A time without a zone is taken as UK
// local time: UK feeds write wall-clock times (Bristol's last_modified is
// "2025-09-02T12:06:15.654").
func (c *conv) date(raw json.RawMessage, field string) time.Time {
	s := strings.TrimSpace(c.str(raw, field))
	if s == "" {
		return time.Time{}
	}
	t, err := parseTime(s)
	if err != nil {
		c.drop(field, "not a date: %q", clip(s))
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

func clip(s string) string {
	if len(s) > 40 {
		return s[:40] + "…"
	}
	return s
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

// parseService converts one record. ok is false when the record cannot be
// used at all: it is not an object, or it has no id or no name (ORUK
// requires both, and a nameless service cannot be offered to anyone).
func parseService(raw json.RawMessage, index int, feed string, fetchedAt time.Time) (Service, []Problem, bool) {
	c := &conv{feed: feed, index: index}
	var r rawService
	if err := json.Unmarshal(raw, &r); err != nil {
		c.skip("(record)", "not a JSON object")
		return Service{}, c.probs, false
	}
	id, ok := idOf(r.ID)
	if !ok {
		c.skip("id", "missing or not a usable id (%s)", kind(r.ID))
		return Service{}, c.probs, false
	}
	c.id = id
	s := Service{Feed: feed, ID: id, FetchedAt: fetchedAt}
	s.Name = c.text(r.Name, "name")
	if s.Name == "" {
		c.skip("name", "missing or empty")
		return Service{ID: id}, c.probs, false
	}
	s.Description = c.text(r.Description, "description")
	s.Status = strings.ToLower(strings.TrimSpace(c.str(r.Status, "status")))
	s.Alert = c.text(r.Alert, "alert")
	s.URL = c.webURL(r.URL, "url")
	s.Email = c.email(r.Email, "email")
	s.AssuredDate = c.date(r.AssuredDate, "assured_date")
	s.LastModified = c.date(r.LastModified, "last_modified")
	s.Ages = c.ages(r.MinimumAge, r.MaximumAge, "")
	s.Eligibility = c.text(r.EligibilityDesc, "eligibility_description")

	var org struct{ Name json.RawMessage }
	if c.object(r.Organization, "organization", &org) {
		s.Organization = c.text(org.Name, "organization.name")
	}
	s.Phones = c.phones(r.Phones, "phones", s.Phones)
	for i, raw := range c.list(r.Contacts, "contacts") {
		var ct struct{ Phones json.RawMessage }
		if c.object(raw, fmt.Sprintf("contacts[%d]", i), &ct) {
			s.Phones = c.phones(ct.Phones, fmt.Sprintf("contacts[%d].phones", i), s.Phones)
		}
	}
	if fees := c.text(r.Fees, "fees"); fees != "" {
		s.Costs = append(s.Costs, Cost{Description: fees})
	}
	for i, raw := range c.list(r.CostOptions, "cost_options") {
		var co struct {
			Option            json.RawMessage `json:"option"`
			Amount            json.RawMessage `json:"amount"`
			AmountDescription json.RawMessage `json:"amount_description"`
		}
		f := fmt.Sprintf("cost_options[%d]", i)
		if !c.object(raw, f, &co) {
			continue
		}
		var cost Cost
		cost.Option = c.text(co.Option, f+".option")
		cost.Amount, cost.HasAmount = c.num(co.Amount, f+".amount")
		cost.Description = c.text(co.AmountDescription, f+".amount_description")
		if cost.HasAmount && cost.Amount < 0 {
			c.drop(f+".amount", "negative")
			cost.HasAmount = false
		}
		if cost != (Cost{}) {
			s.Costs = append(s.Costs, cost)
		}
	}
	s.Schedules = c.schedules(r.Schedules, "schedules", s.Schedules)
	s.Schedules = c.schedules(r.RegularSchedules, "regular_schedules", s.Schedules)
	for i, raw := range c.list(r.ServiceAtLocations, "service_at_locations") {
		var sal struct {
			Location         json.RawMessage `json:"location"`
			Schedules        json.RawMessage `json:"schedules"`
			RegularSchedules json.RawMessage `json:"regular_schedules"`
		}
		f := fmt.Sprintf("service_at_locations[%d]", i)
		if !c.object(raw, f, &sal) {
			continue
		}
		if loc, ok := c.location(sal.Location, f+".location"); ok {
			s.Locations = append(s.Locations, loc)
		}
		s.Schedules = c.schedules(sal.Schedules, f+".schedules", s.Schedules)
		s.Schedules = c.schedules(sal.RegularSchedules, f+".regular_schedules", s.Schedules)
	}
	for i, raw := range c.list(r.ServiceAreas, "service_areas") {
		var sa struct {
			Name        json.RawMessage `json:"name"`
			ServiceArea json.RawMessage `json:"service_area"`
		}
		f := fmt.Sprintf("service_areas[%d]", i)
		if c.object(raw, f, &sa) {
			name := c.text(sa.Name, f+".name")
			if name == "" {
				name = c.text(sa.ServiceArea, f+".service_area")
			}
			s.Areas = appendNew(s.Areas, name)
		}
	}
	for i, raw := range c.list(r.Attributes, "attributes") {
		var at struct {
			TaxonomyTerm json.RawMessage `json:"taxonomy_term"`
		}
		f := fmt.Sprintf("attributes[%d]", i)
		if !c.object(raw, f, &at) {
			continue
		}
		var tt struct{ Name, Term json.RawMessage }
		if c.object(at.TaxonomyTerm, f+".taxonomy_term", &tt) {
			name := c.text(tt.Name, f+".taxonomy_term.name")
			if name == "" {
				name = c.text(tt.Term, f+".taxonomy_term.term")
			}
			s.Taxonomy = appendNew(s.Taxonomy, name)
		}
	}
	for i, raw := range c.list(r.ServiceTaxonomys, "service_taxonomys") {
		var st struct{ Taxonomy json.RawMessage }
		f := fmt.Sprintf("service_taxonomys[%d]", i)
		var tx struct{ Name json.RawMessage }
		if c.object(raw, f, &st) && c.object(st.Taxonomy, f+".taxonomy", &tx) {
			s.Taxonomy = appendNew(s.Taxonomy, c.text(tx.Name, f+".taxonomy.name"))
		}
	}
	// Open Place's target audiences ("Homeless", "Care leavers") are not
	// ORUK, but they are what a caller asks by, so they index as terms.
	for i, raw := range c.list(r.TargetAudience, "pc_targetAudience") {
		var ta struct {
			AudienceType json.RawMessage `json:"audienceType"`
		}
		f := fmt.Sprintf("pc_targetAudience[%d]", i)
		if c.object(raw, f, &ta) {
			s.Taxonomy = appendNew(s.Taxonomy, c.text(ta.AudienceType, f+".audienceType"))
		}
	}
	for i, raw := range c.list(r.Eligibilitys, "eligibilitys") {
		var el struct {
			Eligibility json.RawMessage `json:"eligibility"`
			MinimumAge  json.RawMessage `json:"minimum_age"`
			MaximumAge  json.RawMessage `json:"maximum_age"`
		}
		f := fmt.Sprintf("eligibilitys[%d]", i)
		if !c.object(raw, f, &el) {
			continue
		}
		if e := c.text(el.Eligibility, f+".eligibility"); e != "" {
			s.Eligibility = joinText(s.Eligibility, e)
		}
		if a := c.ages(el.MinimumAge, el.MaximumAge, f+"."); a != (Ages{}) && s.Ages == (Ages{}) {
			s.Ages = a
		}
	}
	return s, c.probs, true
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

// ages reads minimum_age and maximum_age. A negative age means "no limit"
// (Bristol writes -1 for both), as does an absent one.
func (c *conv) ages(minRaw, maxRaw json.RawMessage, prefix string) Ages {
	var a Ages
	if v, ok := c.num(minRaw, prefix+"minimum_age"); ok && v >= 0 {
		if v > 130 {
			c.drop(prefix+"minimum_age", "%v is not an age", v)
		} else {
			a.Min, a.HasMin = int(v), v > 0
		}
	}
	if v, ok := c.num(maxRaw, prefix+"maximum_age"); ok && v >= 0 {
		// Feeds write 99, 100, 120 or 999 for "no upper limit".
		if v < 99 {
			a.Max, a.HasMax = int(v), true
		}
	}
	if a.HasMin && a.HasMax && a.Max < a.Min {
		c.drop(prefix+"maximum_age", "below minimum_age")
		a.Max, a.HasMax = 0, false
	}
	return a
}

// webURL keeps only absolute http(s) addresses: signpost never shows a link
// it cannot vouch is one (the Fail fixture's "example_counselling").
func (c *conv) webURL(raw json.RawMessage, field string) string {
	s := strings.TrimSpace(c.str(raw, field))
	if s == "" {
		return ""
	}
	u, err := url.Parse(s)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || strings.ContainsFunc(s, isControl) {
		c.drop(field, "not a web address: %q", clip(s))
		return ""
	}
	return s
}

// email keeps a plausible address. Addresses at .invalid (Open Place writes
// "Unknown-…@noemail.invalid" where there is none) are no address at all.
func (c *conv) email(raw json.RawMessage, field string) string {
	s := strings.TrimSpace(c.str(raw, field))
	if s == "" {
		return ""
	}
	a, err := mail.ParseAddress(s)
	if err != nil || a.Address != s || !strings.Contains(s[strings.LastIndexByte(s, '@'):], ".") {
		c.drop(field, "not an e-mail address: %q", clip(s))
		return ""
	}
	if strings.HasSuffix(strings.ToLower(s), ".invalid") {
		return ""
	}
	return s
}

func (c *conv) phones(raw json.RawMessage, field string, out []string) []string {
	for i, p := range c.list(raw, field) {
		var ph struct{ Number json.RawMessage }
		if c.object(p, fmt.Sprintf("%s[%d]", field, i), &ph) {
			out = appendNew(out, PlainText(c.str(ph.Number, fmt.Sprintf("%s[%d].number", field, i))))
		}
	}
	return out
}

func (c *conv) location(raw json.RawMessage, field string) (Location, bool) {
	var l struct {
		Name              json.RawMessage `json:"name"`
		Latitude          json.RawMessage `json:"latitude"`
		Longitude         json.RawMessage `json:"longitude"`
		Addresses         json.RawMessage `json:"addresses"`
		PhysicalAddresses json.RawMessage `json:"physical_addresses"`
	}
	if !c.object(raw, field, &l) {
		return Location{}, false
	}
	loc := Location{Name: c.text(l.Name, field+".name")}
	lat, okLat := c.num(l.Latitude, field+".latitude")
	lon, okLon := c.num(l.Longitude, field+".longitude")
	switch {
	case !okLat || !okLon:
	case lat < -90 || lat > 90:
		c.drop(field+".latitude", "%v is out of range", lat)
	case lon < -180 || lon > 180:
		c.drop(field+".longitude", "%v is out of range", lon)
	case lat == 0 && lon == 0:
		// 0,0 is a placeholder, not a place in the Gulf of Guinea.
	default:
		loc.Point, loc.HasPoint = Point{Lat: lat, Lon: lon}, true
	}
	addrs := c.list(l.Addresses, field+".addresses")
	name := ".addresses"
	if len(addrs) == 0 {
		addrs, name = c.list(l.PhysicalAddresses, field+".physical_addresses"), ".physical_addresses"
	}
	for i, raw := range addrs {
		var a struct {
			Address1   json.RawMessage `json:"address_1"`
			Address2   json.RawMessage `json:"address_2"`
			City       json.RawMessage `json:"city"`
			PostalCode json.RawMessage `json:"postal_code"`
		}
		f := fmt.Sprintf("%s%s[%d]", field, name, i)
		if !c.object(raw, f, &a) {
			continue
		}
		var parts []string
		for _, p := range []struct {
			raw  json.RawMessage
			name string
		}{{a.Address1, "address_1"}, {a.Address2, "address_2"}, {a.City, "city"}} {
			if v := c.text(p.raw, f+"."+p.name); v != "" {
				parts = append(parts, v)
			}
		}
		pc := strings.TrimSpace(c.str(a.PostalCode, f+".postal_code"))
		if loc.Address == "" {
			loc.Address = strings.Join(parts, ", ")
		}
		if loc.Postcode == "" && pc != "" {
			if p, ok := ParsePostcode(pc); ok && p.Inward != "" {
				loc.Postcode = p.String()
			} else {
				c.drop(f+".postal_code", "not a UK postcode: %q", clip(pc))
			}
		}
	}
	return loc, loc != (Location{})
}

func (c *conv) schedules(raw json.RawMessage, field string, out []Schedule) []Schedule {
	for i, r := range c.list(raw, field) {
		f := fmt.Sprintf("%s[%d]", field, i)
		var rs struct {
			Freq        json.RawMessage `json:"freq"`
			Interval    json.RawMessage `json:"interval"`
			Byday       json.RawMessage `json:"byday"`
			Bymonthday  json.RawMessage `json:"bymonthday"`
			Weekday     json.RawMessage `json:"weekday"`
			Description json.RawMessage `json:"description"`
			OpensAt     json.RawMessage `json:"opens_at"`
			ClosesAt    json.RawMessage `json:"closes_at"`
			ValidFrom   json.RawMessage `json:"valid_from"`
			ValidTo     json.RawMessage `json:"valid_to"`
			Until       json.RawMessage `json:"until"`
			DTStart     json.RawMessage `json:"dtstart"`
		}
		if !c.object(r, f, &rs) {
			continue
		}
		s := Schedule{
			Freq:        strings.TrimSpace(c.str(rs.Freq, f+".freq")),
			ByDay:       strings.TrimSpace(c.str(rs.Byday, f+".byday")),
			ByMonthDay:  c.intList(rs.Bymonthday, f+".bymonthday"),
			OpensAt:     strings.TrimSpace(c.str(rs.OpensAt, f+".opens_at")),
			ClosesAt:    strings.TrimSpace(c.str(rs.ClosesAt, f+".closes_at")),
			DTStart:     c.date(rs.DTStart, f+".dtstart"),
			ValidFrom:   c.date(rs.ValidFrom, f+".valid_from"),
			ValidTo:     c.date(rs.ValidTo, f+".valid_to"),
			Description: c.text(rs.Description, f+".description"),
		}
		if until := c.date(rs.Until, f+".until"); !until.IsZero() && (s.ValidTo.IsZero() || until.Before(s.ValidTo)) {
			s.ValidTo = until
		}
		if v, ok := c.num(rs.Interval, f+".interval"); ok {
			if v < 1 || v > 52 || v != math.Trunc(v) {
				c.drop(f+".interval", "%v is not a whole number from 1 to 52", v)
			} else {
				s.Interval = int(v)
			}
		}
		// v1 regular_schedules name the day as "weekday" ("Thursday", or 1
		// for Monday); it means weekly on that day when byday is absent.
		if s.ByDay == "" && !isNull(rs.Weekday) {
			if d, ok := weekdayOf(rs.Weekday); ok {
				s.ByDay = d
				if s.Freq == "" {
					s.Freq = "WEEKLY"
				}
			} else {
				c.drop(f+".weekday", "not a day of the week")
			}
		}
		if _, err := parseRule(s); err != nil {
			c.drop(f, "%v", err)
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
