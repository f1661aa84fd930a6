package directory

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
	"unicode"
)

var fetched = time.Date(2026, 3, 10, 9, 0, 0, 0, time.UTC)

func readFixture(t testing.TB, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(fixturePath(t, name))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// fixturePath is a fixture in testdata: the public ORUK material (a page
// of Bristol's feed, the uk-profile examples and schemas, OpenReferralApi's
// mock feeds) under oruk/, each file's source and licence in
// testdata/README.md, and our own fictional feed under v1/.
func fixturePath(t testing.TB, name string) string {
	t.Helper()
	if strings.HasPrefix(name, "v1/") {
		return filepath.Join("testdata", name)
	}
	return filepath.Join("testdata", "oruk", name)
}

func parseFixture(t *testing.T, name string) Page {
	t.Helper()
	p, err := ParsePage(readFixture(t, name), name, fetched)
	if err != nil {
		t.Fatalf("ParsePage(%s): %v", name, err)
	}
	return p
}

func TestParseBristolPageV3(t *testing.T) {
	p := parseFixture(t, "bristol/services-page1.json")
	if p.Envelope != EnvelopeV3 || p.TotalItems != 874 || p.TotalPages != 292 || p.Number != 1 || p.Last {
		t.Errorf("paging = %s items %d pages %d number %d last %v; want v3 874 292 1 false",
			p.Envelope, p.TotalItems, p.TotalPages, p.Number, p.Last)
	}
	if len(p.Services) != 3 || len(p.Problems) != 0 {
		t.Fatalf("got %d services, problems %v; want 3 and none", len(p.Services), p.Problems)
	}
	s := p.Services[0]
	if s.ID != "2a3483ea-8966-4f50-9dc3-7bafa1e5c623" || s.Name != "1625 Independent People" ||
		s.Organization != "1625 Independent People" || s.URL != "http://1625ip.co.uk" || s.Email != "enquiries@1625ip.co.uk" {
		t.Errorf("first service = %+v", s)
	}
	if strings.ContainsAny(s.Description, "<>") || strings.Contains(s.Description, "&nbsp;") {
		t.Errorf("description keeps markup: %q", s.Description)
	}
	if !strings.HasPrefix(s.Description, "About Us\n\n1625 Independent People works with young people") {
		t.Errorf("description = %q", s.Description[:80])
	}
	if !strings.Contains(s.Description, "Monday \u2013 Friday 9 \u2013 4.30pm.\n\nOr you can \u2018drop in\u2019") {
		t.Errorf("paragraphs lost: %q", s.Description)
	}
	// Bristol writes -1 for "no age limit".
	if s.Ages != (Ages{}) {
		t.Errorf("ages = %+v; want none (minimum_age -1)", s.Ages)
	}
	if len(s.Locations) != 0 || len(s.Schedules) != 0 {
		t.Errorf("locations %v schedules %v; want none", s.Locations, s.Schedules)
	}
	if got := s.AssuredDate.Format("2006-01-02"); got != "2025-09-02" {
		t.Errorf("assured_date = %s", got)
	}
	// last_modified has no zone: UK wall-clock time.
	if got := s.LastModified.Format(time.RFC3339Nano); got != "2025-09-02T12:06:15.654+01:00" {
		t.Errorf("last_modified = %s", got)
	}
	if strings.Join(s.Taxonomy, "|") != "Homeless|Care leavers" {
		t.Errorf("taxonomy = %q", s.Taxonomy)
	}
	if !s.FetchedAt.Equal(fetched) || s.Feed != "bristol/services-page1.json" {
		t.Errorf("feed %q fetched %v", s.Feed, s.FetchedAt)
	}
	// A link's text is kept, its address is not invented into the text.
	if d := p.Services[1].Description; !strings.Contains(d, "either via Facebook or 07597922718") {
		t.Errorf("second description = %q", d)
	}
	// Open Place's "no e-mail" placeholder is no address.
	if e := p.Services[2].Email; e != "" {
		t.Errorf("placeholder email kept: %q", e)
	}
}

func TestParseBristolSingleService(t *testing.T) {
	p := parseFixture(t, "bristol/service-1625ip.json")
	if p.Envelope != EnvelopeSingle || len(p.Services) != 1 {
		t.Fatalf("envelope %s, %d services", p.Envelope, len(p.Services))
	}
	s := p.Services[0]
	if strings.Join(s.Phones, "|") != "0800 0354213|Bristol Youth MAPS: 0117 332 7111" {
		t.Errorf("phones = %q", s.Phones)
	}
	if strings.Join(s.Areas, "|") != "Bristol|South Gloucestershire" {
		t.Errorf("areas = %q", s.Areas)
	}
}

func TestParseUKProfileFullService(t *testing.T) {
	p := parseFixture(t, "ukprofile/examples/service_full.json")
	if len(p.Services) != 1 {
		t.Fatalf("got %d services, problems %v", len(p.Services), p.Problems)
	}
	s := p.Services[0]
	if len(s.Schedules) != 1 || s.Schedules[0].ByDay != "TH,FR" || s.Schedules[0].OpensAt != "10:00:00" {
		t.Errorf("schedules = %+v", s.Schedules)
	}
	if s.Ages != (Ages{Min: 12, HasMin: true}) {
		t.Errorf("ages = %+v; want 12 and over (100 is no upper limit)", s.Ages)
	}
	if len(s.Costs) != 2 || s.Costs[1] != (Cost{Option: "Under 18s and Over 60s", Amount: 35, HasAmount: true, Description: "per 1 hour session"}) {
		t.Errorf("costs = %+v", s.Costs)
	}
	// The example's location is at latitude 100: kept, without the point.
	if len(s.Locations) != 1 || s.Locations[0].HasPoint || s.Locations[0].Name != "MyCity Civic Center" {
		t.Errorf("locations = %+v", s.Locations)
	}
	wantProblems := map[string]bool{
		"service_at_locations[0].location.latitude":                 false,
		"service_at_locations[0].location.addresses[0].postal_code": false,
	}
	for _, pr := range p.Problems {
		if _, ok := wantProblems[pr.Field]; ok && !pr.Skipped && pr.ID == s.ID {
			wantProblems[pr.Field] = true
		}
	}
	for f, seen := range wantProblems {
		if !seen {
			t.Errorf("no problem reported for %s; got %v", f, p.Problems)
		}
	}
}

func TestParseFailFeedSkipsBadRecords(t *testing.T) {
	p := parseFixture(t, "openreferralapi/fail/service_list.json")
	if len(p.Services) != 0 || p.Records != 4 {
		t.Fatalf("got %d services of %d records; want 0 of 4", len(p.Services), p.Records)
	}
	want := []string{"ac148810-d857-441c-9679-408f346de14b", "b644a0d2-9e8a-4c33-9390-ae9ee93fc056",
		"e85f5bb0-62f0-42cc-a08a-0c5c16273090", "ac148810-d857-441c-9679-408f346de14b"}
	if len(p.Problems) != len(want) {
		t.Fatalf("problems = %v", p.Problems)
	}
	for i, pr := range p.Problems {
		if pr.ID != want[i] || pr.Field != "name" || !pr.Skipped || pr.Index != i {
			t.Errorf("problem %d = %+v; want record %s skipped for name", i, pr, want[i])
		}
	}
	// The Fail service has a name but a bad url and e-mail: kept without them.
	full := parseFixture(t, "openreferralapi/fail/service_full.json")
	if len(full.Services) != 1 || full.Services[0].URL != "" || full.Services[0].Email != "" {
		t.Fatalf("fail service_full: %+v", full.Services)
	}
	fields := ""
	for _, pr := range full.Problems {
		fields += pr.Field + " "
	}
	if !strings.HasPrefix(fields, "url email ") {
		t.Errorf("fail service_full problems = %v", full.Problems)
	}
}

func TestParseWrongTypesDropTheField(t *testing.T) {
	// The Fail feed's wrongly typed e-mails, on records that do have names.
	page := `{"contents": [
		{"id": "a", "name": "A", "email": false},
		{"id": "b", "name": "B", "email": 12345, "url": "example_counselling"},
		{"id": "c", "name": "C", "email": "email-example_com", "minimum_age": "twelve"},
		{"id": 7, "name": "D", "schedules": {"freq": "WEEKLY"}},
		{"name": "no id"},
		"not an object"
	]}`
	p, err := ParsePage([]byte(page), "f", fetched)
	if err != nil {
		t.Fatal(err)
	}
	if len(p.Services) != 4 {
		t.Fatalf("got %d services; want 4", len(p.Services))
	}
	if p.Services[3].ID != "7" {
		t.Errorf("numeric id = %q; want \"7\"", p.Services[3].ID)
	}
	got := map[string]bool{}
	for _, pr := range p.Problems {
		got[pr.ID+" "+pr.Field+" "+map[bool]string{true: "skipped", false: "dropped"}[pr.Skipped]] = true
	}
	for _, w := range []string{"a email dropped", "b email dropped", "b url dropped", "c email dropped",
		"c minimum_age dropped", "7 schedules dropped", " id skipped", " (record) skipped"} {
		if !got[w] {
			t.Errorf("missing problem %q in %v", w, p.Problems)
		}
	}
}

func TestParseV1Envelope(t *testing.T) {
	p := parseFixture(t, "v1/services-page1.json")
	if p.Envelope != EnvelopeV1 || p.TotalPages != 2 || p.TotalItems != 3 || p.Number != 1 || p.Last {
		t.Errorf("paging = %+v", p)
	}
	if len(p.Services) != 2 || len(p.Problems) != 0 {
		t.Fatalf("services %d problems %v", len(p.Services), p.Problems)
	}
	s := p.Services[0]
	if s.Description != "A hot two-course lunch and company for older people, every Thursday.\n\nLifts can be arranged & diets catered for." {
		t.Errorf("description = %q", s.Description)
	}
	if len(s.Locations) != 1 || !s.Locations[0].HasPoint || s.Locations[0].Postcode != "BA2 1AA" {
		t.Errorf("location = %+v", s.Locations)
	}
	if s.Ages != (Ages{Min: 60, HasMin: true}) || s.Eligibility != "Older people" {
		t.Errorf("ages %+v eligibility %q", s.Ages, s.Eligibility)
	}
	if len(s.Costs) != 1 || s.Costs[0].Amount != 4.5 {
		t.Errorf("costs = %+v", s.Costs)
	}
	if len(s.Schedules) != 1 || s.Schedules[0].ByDay != "TH" || s.Schedules[0].Freq != "week" {
		t.Errorf("schedules = %+v", s.Schedules)
	}
	// "weekday": 2 with no byday is weekly on Tuesdays.
	if y := p.Services[1]; len(y.Schedules) != 1 || y.Schedules[0].ByDay != "TU" || !y.Locations[0].HasPoint {
		t.Errorf("youth club = %+v", y)
	}
}

func TestParseNDJSON(t *testing.T) {
	var b bytes.Buffer
	b.WriteString(`{"id":"1","name":"One"}` + "\n\n")
	b.WriteString("{not json\n")
	b.WriteString(`{"id":"3","name":"Three","description":"<b>bold</b>"}` + "\n")
	p, err := Parse(&b, "nd", fetched)
	if err != nil {
		t.Fatal(err)
	}
	if p.Envelope != EnvelopeNDJSON || len(p.Services) != 2 || p.Services[1].Description != "bold" {
		t.Errorf("page = %+v", p)
	}
	if len(p.Problems) != 1 || p.Problems[0].Index != 1 || !p.Problems[0].Skipped {
		t.Errorf("problems = %v", p.Problems)
	}
}

func TestParseNotAFeed(t *testing.T) {
	for _, in := range []string{"", "<html><body>Service unavailable</body></html>", `{"error": "x"}`,
		`{"contents": 3}`, `"just a string"`, "{\n\"a\":\n"} {
		if _, err := Parse(strings.NewReader(in), "f", fetched); !errors.Is(err, ErrNotFeed) {
			t.Errorf("Parse(%q) error = %v; want ErrNotFeed", in, err)
		}
	}
	p, err := Parse(strings.NewReader(`{"contents": [], "total_items": 0, "last_page": true}`), "f", fetched)
	if err != nil || len(p.Services) != 0 || !p.Last {
		t.Errorf("empty page = %+v, %v", p, err)
	}
}

func TestPlainText(t *testing.T) {
	tests := []struct{ name, in, want string }{
		{"plain", "  Lunch   club\tfor all ", "Lunch club for all"},
		{"paragraphs", "<p>One</p>\n\n<p>Two</p>", "One\n\nTwo"},
		{"entities", "Fish &amp; chips &pound;3 &#8211; &nbsp;hot", "Fish & chips £3 – hot"},
		{"script dropped", "Hi<script>alert(1)</script> there", "Hi there"},
		{"script upper case", "a<SCRIPT type=x>evil()</SCRIPT>b", "ab"},
		{"unclosed script", "a<script>evil()", "a"},
		{"style dropped", "<style>p{}</style>Text", "Text"},
		{"comment", "a<!-- hidden -->b", "ab"},
		{"list", "<ul><li>one</li><li>two</li></ul>", "- one\n- two"},
		{"br", "line<br/>next", "line\nnext"},
		{"escaped markup stays text", "&lt;b&gt;not bold&lt;/b&gt;", "<b>not bold</b>"},
		{"lone angle", "for under <5s", "for under <5s"},
		{"attributes", `<a href="javascript:alert(1)" onclick="x">link</a>`, "link"},
		{"controls", "a\x00b\x1bc\u200bd", "abcd"},
		{"tags split words", "<h1>About</h1><p>Us</p>", "About\n\nUs"},
	}
	for _, tt := range tests {
		if got := PlainText(tt.in); got != tt.want {
			t.Errorf("%s: PlainText(%q) = %q; want %q", tt.name, tt.in, got, tt.want)
		}
	}
}

func TestTokens(t *testing.T) {
	tests := []struct{ in, want string }{
		{"Is there a lunch club near BA2?", "lunch club ba2"},
		{"Lunch clubs for families", "lunch club family"},
		{"Befriending for lonely older men's groups", "befriend lonely older men group"},
		{"swimming classes", "swim class"},
	}
	for _, tt := range tests {
		if got := strings.Join(tokens(tt.in, nil), " "); got != tt.want {
			t.Errorf("tokens(%q) = %q; want %q", tt.in, got, tt.want)
		}
	}
}

// FuzzParse checks that no input makes parsing panic, and that what comes
// out keeps its promises: every service has an id and a name, and text is
// free of control characters.
func FuzzParse(f *testing.F) {
	for _, name := range []string{"bristol/services-page1.json", "bristol/service-1625ip.json",
		"ukprofile/examples/service_full.json", "openreferralapi/fail/service_list.json", "v1/services-page1.json"} {
		f.Add(readFixture(f, name))
	}
	f.Add([]byte("{\"id\":\"1\",\"name\":\"a\"}\n{\"id\":2,\"name\":\"<p>b\"}\n"))
	f.Add([]byte(`{"contents":[{"id":"x","name":"y","schedules":[{"freq":"MONTHLY","byday":"-1FR","opens_at":"25:00"}]}]}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		p, err := Parse(bytes.NewReader(data), "fuzz", fetched)
		if err != nil {
			return
		}
		for _, s := range p.Services {
			if s.ID == "" || s.Name == "" {
				t.Fatalf("service without id or name: %+v", s)
			}
			for _, text := range []string{s.Name, s.Description, s.Organization} {
				if strings.ContainsFunc(text, func(r rune) bool { return r != '\n' && unicode.IsControl(r) }) {
					t.Fatalf("control character in %q", text)
				}
			}
			for _, sc := range s.Schedules {
				Next(sc, fetched)
				sc.Summary()
			}
		}
	})
}

func TestParseTellsPagesFromStreams(t *testing.T) {
	tests := []struct {
		name, in string
		want     Envelope
		services int
	}{
		{"one-line v3 page", `{"contents":[{"id":"1","name":"A"},{"id":"2","name":"B"}],"last_page":true}`, EnvelopeV3, 2},
		{"one-line v1 page", `{"content":[{"id":"1","name":"A"}],"last":true}`, EnvelopeV1, 1},
		{"pretty page", "{\n  \"contents\": [\n    {\"id\": \"1\", \"name\": \"A\"}\n  ]\n}\n", EnvelopeV3, 1},
		{"stream with a BOM", "\xef\xbb\xbf{\"id\":\"1\",\"name\":\"A\"}\n{\"id\":\"2\",\"name\":\"B\"}\n", EnvelopeNDJSON, 2},
		{"blank lines first", "\n\n{\"id\":\"1\",\"name\":\"A\"}\n", EnvelopeNDJSON, 1},
		{"bare array", `[{"id":"1","name":"A"}]`, EnvelopeArray, 1},
	}
	for _, tt := range tests {
		p, err := Parse(strings.NewReader(tt.in), "f", fetched)
		if err != nil || p.Envelope != tt.want || len(p.Services) != tt.services {
			t.Errorf("%s: envelope %s, %d services, %v; want %s, %d", tt.name, p.Envelope, len(p.Services), err, tt.want, tt.services)
		}
	}
}
