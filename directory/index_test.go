package directory

import (
	"slices"
	"strings"
	"testing"
	"time"
)

// fixtureServices are the real fixtures and the fictional v1 feed together,
// as one directory.
func fixtureServices(t *testing.T) []Service {
	t.Helper()
	var all []Service
	for _, name := range []string{"bristol/services-page1.json", "ukprofile/examples/service_full.json",
		"v1/services-page1.json", "v1/services-page2.json", "openreferralapi/fail/service_list.json"} {
		all = append(all, parseFixture(t, name).Services...)
	}
	return all
}

func TestSearchLunchClubNearBA2OnAThursday(t *testing.T) {
	ix := NewIndex(fixtureServices(t), Options{})
	now := london(2026, 3, 10, 11, 0)
	q, where, ok := ParseQuery("is there a lunch club near BA2 on a Thursday?", DefaultPlaces(), now)
	if !ok || where.Name != "BA2" || q.Day != Thursday {
		t.Fatalf("ParseQuery = %+v, %+v, %v", q, where, ok)
	}
	res := ix.Search(q)
	if len(res) == 0 || res[0].Service.Name != "Example Thursday Lunch Club" {
		t.Fatalf("Search = %v", names(res))
	}
	r := res[0]
	if !r.HasNext || r.Next.String() != "Thursday 12 March, 12:00 to 14:00" {
		t.Errorf("next = %q, %v", r.Next, r.HasNext)
	}
	if !r.HasDistance || r.Distance < 1 || r.Distance > 3 {
		t.Errorf("distance = %.2f, %v; want about 2 km (Twerton from the BA2 centroid)", r.Distance, r.HasDistance)
	}
	if r.Stale || r.NoCoordinates || r.NoSchedule || len(r.Notes) != 0 {
		t.Errorf("flags = %+v", r)
	}
}

func TestSearchIsHonestAboutThinRecords(t *testing.T) {
	ix := NewIndex(fixtureServices(t), Options{})
	now := london(2026, 3, 10, 11, 0)
	res := ix.Search(Query{Text: "homeless young people", Now: now})
	if len(res) == 0 || res[0].Service.Name != "1625 Independent People" {
		t.Fatalf("Search = %v", names(res))
	}
	r := res[0]
	// Bristol's record: no locations, no schedule, checked 2 September 2025.
	if !r.NoCoordinates || !r.NoSchedule || r.Stale || r.HasDistance {
		t.Errorf("flags = %+v", r)
	}
	if got := strings.Join(r.Notes, "; "); got != "covers B&NES; "+NoTimes {
		t.Errorf("notes = %q", got)
	}
	// A year on, it is stale.
	later := ix.Search(Query{Text: "homeless young people", Now: london(2026, 11, 10, 11, 0)})
	if got := strings.Join(later[0].Notes, "; "); !strings.HasSuffix(got, "last checked 14 months ago") || !later[0].Stale {
		t.Errorf("notes = %q", got)
	}
	// The area is the caller's to name.
	other := NewIndex(fixtureServices(t), Options{Area: "Bristol and South Gloucestershire"})
	if got := other.Search(Query{Text: "homeless", Now: now})[0].Notes[0]; got != "covers Bristol and South Gloucestershire" {
		t.Errorf("note = %q", got)
	}
	// No date of a check at all is said too.
	bef := ix.Search(Query{Text: "befriending", Now: now})
	if len(bef) != 1 || !bef[0].Stale || bef[0].Checked.IsZero() {
		// The befriending record has last_modified but no assured_date.
		t.Errorf("befriending = %+v", bef)
	}
}

func TestSearchDayAndPlace(t *testing.T) {
	ix := NewIndex(fixtureServices(t), Options{})
	now := london(2026, 3, 10, 11, 0)
	// The youth club meets on Tuesdays: not on a Thursday.
	for _, r := range ix.Search(Query{Text: "youth club", Day: Thursday, Now: now}) {
		if r.Service.Name == "Example Youth Club" {
			t.Errorf("youth club offered for Thursday: %+v", r)
		}
	}
	res := ix.Search(Query{Text: "youth club", Day: Tuesday, Now: now})
	if len(res) == 0 || res[0].Service.Name != "Example Youth Club" || res[0].Next.String() != "Tuesday 10 March, 18:30 to 20:30" {
		t.Errorf("Tuesday youth club = %v", names(res))
	}
	// Far away is left out when a place is named.
	far := Point{Lat: 53.48, Lon: -2.24} // Manchester
	for _, r := range ix.Search(Query{Text: "youth club", Near: &far, Now: now}) {
		if r.HasDistance {
			t.Errorf("%s offered %.0f km away", r.Service.Name, r.Distance)
		}
	}
	// Words that match nothing find nothing, rather than anything.
	if res := ix.Search(Query{Text: "xylophone repairs", Now: now}); len(res) != 0 {
		t.Errorf("nonsense found %v", names(res))
	}
	// No need words: ranked by place alone.
	keynsham, _ := DefaultPlaces().Named("Keynsham")
	res = ix.Search(Query{Text: "anything near BS31?", Near: &keynsham.Point, Now: now})
	if len(res) != 3 || res[0].Service.Name != "Example Youth Club" {
		t.Errorf("near Keynsham = %v", names(res))
	}
}

func TestSearchLeavesOutClosedServices(t *testing.T) {
	s := []Service{{ID: "1", Name: "Old lunch club", Status: "defunct"}, {ID: "2", Name: "Lunch club", Status: "temporarily closed"}}
	ix := NewIndex(s, Options{})
	res := ix.Search(Query{Text: "lunch club", Now: time.Now()})
	if ix.Len() != 1 || len(res) != 1 || res[0].Service.ID != "2" || res[0].Notes[len(res[0].Notes)-1] != "temporarily closed" {
		t.Errorf("Search = %+v", res)
	}
}

func TestParseQueryTakesThePlaceOutOfTheNeed(t *testing.T) {
	q, where, ok := ParseQuery("food bank Twerton", DefaultPlaces(), time.Now())
	if !ok || where.Name != "Twerton" || q.Text != "food bank" {
		t.Errorf("ParseQuery = %q, %q, %v", q.Text, where.Name, ok)
	}
}

func TestMonthsAgo(t *testing.T) {
	now := london(2026, 11, 10, 12, 0)
	tests := []struct {
		then time.Time
		want string
	}{
		{london(2025, 9, 2, 0, 0), "14 months ago"},
		{london(2025, 11, 11, 0, 0), "11 months ago"},
		{london(2026, 10, 1, 0, 0), "1 month ago"},
		{london(2023, 1, 1, 0, 0), "3 years ago"},
	}
	for _, tt := range tests {
		if got := monthsAgo(tt.then, now); got != tt.want {
			t.Errorf("monthsAgo(%v) = %q; want %q", tt.then, got, tt.want)
		}
	}
}

func names(rs []Result) []string {
	var out []string
	for _, r := range rs {
		out = append(out, r.Service.Name)
	}
	return out
}

// TestTermsAreWhatTheDirectoryCanBeSearchedFor: the desk suggests the
// taxonomy terms services carry, the commonest first, one entry whatever
// their case, none of a closed service's; a feed without a taxonomy
// suggests nothing.
func TestTermsAreWhatTheDirectoryCanBeSearchedFor(t *testing.T) {
	svc := func(status string, terms ...string) Service {
		return Service{ID: "s", Name: "s", Status: status, Taxonomy: terms}
	}
	for _, tt := range []struct {
		name     string
		services []Service
		want     []string
	}{
		{"commonest first, case folded", []Service{svc("", "Youth", "Lunch clubs"), svc("", "lunch clubs"), svc("", " Food banks ", "Youth"), svc("", "Lunch Clubs")},
			[]string{"Lunch clubs", "Youth", "Food banks"}},
		{"closed services left out", []Service{svc("active", "Befriending"), svc("inactive", "Warm spaces")}, []string{"Befriending"}},
		{"no taxonomy", []Service{svc(""), svc("")}, []string{}},
	} {
		got := NewIndex(tt.services, Options{}).Terms()
		if !slices.Equal(got, tt.want) {
			t.Errorf("%s: Terms() = %q; want %q", tt.name, got, tt.want)
		}
	}
}

// TestSearchFoldsAccents: people type "cafe" for a record's "café", and
// the other way round.
func TestSearchFoldsAccents(t *testing.T) {
	ix := NewIndex([]Service{{ID: "1", Name: "Dementia Café"}, {ID: "2", Name: "Youth cafe"}}, Options{})
	for q, want := range map[string]string{"dementia cafe": "1", "youth café": "2"} {
		if res := ix.Search(Query{Text: q, Now: time.Now()}); len(res) == 0 || res[0].Service.ID != want {
			t.Errorf("%q finds %v; want record %s first", q, res, want)
		}
	}
}

// TestKnownReadsASlipAsTheWordMeant: a word one slip from one the records
// use is read as it ("luch" is lunch, "frienship" friendship), the one
// most services use when two are near; a short word, a first letter or
// two slips are never corrected.
func TestKnownReadsASlipAsTheWordMeant(t *testing.T) {
	ix := NewIndex(fixtureServices(t), Options{})
	tests := []struct {
		word, want string
		ok         bool
	}{
		{"lunch", "lunch", true},
		{"luch", "lunch", true},   // a letter left out
		{"lunnch", "lunch", true}, // one added
		{"lnuch", "lunch", true},  // two swapped
		{"lanch", "lunch", true},  // one changed
		{"punch", "", false},      // the first letter is never corrected
		{"lnuhc", "", false},      // two slips
		{"pub", "", false},        // too short to correct
		{"xylophone", "", false},
	}
	for _, tt := range tests {
		got, ok := ix.Known(tt.word)
		if got != tt.want || ok != tt.ok {
			t.Errorf("Known(%q) = %q, %v; want %q, %v", tt.word, got, ok, tt.want, tt.ok)
		}
	}
}

// TestSearchByNeedWords: a need given as words with the words a record
// may use for each finds services in the records' words, and a service
// holding two words of one group counts that word once.
func TestSearchByNeedWords(t *testing.T) {
	ix := NewIndex(fixtureServices(t), Options{})
	now := london(2026, 3, 10, 11, 0)
	asked := ix.Search(Query{Text: "dinner club", Now: now})
	widened := ix.Search(Query{Need: [][]string{{"dinner", "lunch", "meal"}, {"club"}}, Now: now})
	if len(widened) == 0 || widened[0].Service.Name != "Example Thursday Lunch Club" {
		t.Fatalf("Search(dinner or lunch or meal, club) = %v; want the lunch club first", names(widened))
	}
	if len(asked) > 0 && asked[0].Service.Name == "Example Thursday Lunch Club" && asked[0].Score >= widened[0].Score {
		t.Errorf("the lunch club scores %v for dinner club and %v widened; want widening to help", asked[0].Score, widened[0].Score)
	}
	once := ix.Search(Query{Need: [][]string{{"lunch", "club"}}, Now: now})
	twice := ix.Search(Query{Need: [][]string{{"lunch"}, {"club"}}, Now: now})
	if len(once) == 0 || len(twice) == 0 || once[0].Score >= twice[0].Score {
		t.Errorf("a group's words count once: %v against %v", once, twice)
	}
}

// TestSearchRanksARecordInThePlaceAskedAsIfThere: a service with no
// coordinates whose location names the place asked (its town, or a
// postcode in the sector asked) ranks as if there, ahead of an equal one
// a few kilometres off; one that names another place still ranks as
// unplaced, behind it; nearer comes first among equals; and a service
// past MaxKM stays out.
func TestSearchRanksARecordInThePlaceAskedAsIfThere(t *testing.T) {
	at := func(lat, lon float64) []Location {
		return []Location{{Name: "Hall", Point: Point{Lat: lat, Lon: lon}, HasPoint: true}}
	}
	services := []Service{
		{ID: "radstock", Name: "Radstock Youth Club", Locations: at(51.2920, -2.4481)},
		{ID: "midsomer", Name: "Midsomer Norton Youth Club", Locations: at(51.2856, -2.4829)},
		{ID: "paulton", Name: "Paulton Youth Club", Locations: []Location{{Name: "Jubilee Hall", Address: "Park Road, Paulton", Postcode: "BS39 7QQ"}}},
		{ID: "keynsham", Name: "Keynsham Youth Club", Locations: []Location{{Name: "Hub", Address: "Keynsham", Postcode: "BS31 1HA"}}},
		{ID: "far", Name: "Swindon Youth Club", Locations: at(51.5558, -1.7797)},
	}
	ix := NewIndex(services, Options{K: 5})
	now := london(2026, 3, 10, 11, 0)
	for _, tt := range []struct {
		question string
		want     []string
	}{
		{"youth club paulton", []string{"Paulton Youth Club", "Midsomer Norton Youth Club", "Radstock Youth Club", "Keynsham Youth Club"}},
		{"youth club near BS39 7QQ", []string{"Paulton Youth Club", "Midsomer Norton Youth Club", "Radstock Youth Club", "Keynsham Youth Club"}},
		{"youth club in Radstock", []string{"Radstock Youth Club", "Midsomer Norton Youth Club", "Paulton Youth Club", "Keynsham Youth Club"}},
	} {
		q, _, ok := ParseQuery(tt.question, DefaultPlaces(), now)
		if !ok {
			t.Fatalf("ParseQuery(%q) found no place", tt.question)
		}
		if got := names(ix.Search(q)); !slices.Equal(got, tt.want) {
			t.Errorf("Search(%q) = %v; want %v", tt.question, got, tt.want)
		}
	}
}
