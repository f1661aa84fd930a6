package directory

import (
	"strings"
	"testing"
	"unicode/utf8"
)

// A contact a reply shows must be one a person can use: a link that opens
// and an address that can be written to.
func TestOnlyUsableContactsAreKept(t *testing.T) {
	tests := []struct {
		name  string
		valid func(string) bool
		in    string
		want  bool
	}{
		{"web page", isWebURL, "https://example.org/lunch", true},
		{"plain http", isWebURL, "http://example.org", true},
		{"no scheme", isWebURL, "example_counselling", false},
		{"not the web", isWebURL, "ftp://example.org/", false},
		{"no host", isWebURL, "https:///lunch", false},
		{"javascript", isWebURL, "javascript:alert(1)", false},
		{"control character", isWebURL, "https://example.org/\x07", false},
		{"address", isEmail, "lunch@example.org", true},
		{"no dot in the domain", isEmail, "lunch@localhost", false},
		{"a name with it", isEmail, "Lunch Club <lunch@example.org>", false},
		{"no at", isEmail, "lunch.example.org", false},
	}
	for _, tt := range tests {
		if got := tt.valid(tt.in); got != tt.want {
			t.Errorf("%s: valid(%q) = %v; want %v", tt.name, tt.in, got, tt.want)
		}
	}
}

// A record with a Welsh id and a bad web address in Welsh is reported by
// that id, with the address quoted whole characters only.
func TestProblemWithNonASCIIIDIsValidUTF8(t *testing.T) {
	id := "gwasanaeth-cinio-ŵyl-" + strings.Repeat("ŷ", 10)
	url := "gwefan://" + strings.Repeat("a", 30) + "ŵŵŵŵŵ"
	rec := `{"id":"` + id + `","name":"Clwb Cinio","url":"` + url + `"}`
	s, probs, ok := parseService([]byte(rec), 0, "test", fetched)
	if !ok || s.ID != id || s.URL != "" {
		t.Fatalf("parsed %+v, %v; want the record kept without its url", s, ok)
	}
	if len(probs) != 1 || probs[0].ID != id || probs[0].Field != "url" {
		t.Fatalf("problems %v; want one, for url, naming %s", probs, id)
	}
	if msg := probs[0].String(); !utf8.ValidString(msg) || !strings.Contains(msg, "ŵ…") {
		t.Errorf("problem %q; want valid UTF-8 with the address cut after a whole ŵ", msg)
	}
}

// Keys are read ignoring case, as encoding/json reads a struct's fields: a
// feed that writes "Name" or "Latitude" loses nothing.
func TestRecordKeysIgnoreCase(t *testing.T) {
	rec := `{"ID":"x1","Name":"Lunch Club","Service_At_Locations":[{"Location":{"Latitude":51.38,"LONGITUDE":-2.36}}],
		"pc_targetaudience":[{"AudienceType":"Older people"}]}`
	s, probs, ok := parseService([]byte(rec), 0, "test", fetched)
	if !ok || s.Name != "Lunch Club" || len(probs) != 0 || !s.HasCoordinates() || len(s.Taxonomy) != 1 {
		t.Errorf("parsed %+v, %v, %v; want the name, the point and the audience", s, probs, ok)
	}
}
