package directory

import (
	"math"
	"strings"
	"testing"

	"github.com/bathnes/signpost/internal/table"
)

func TestEmbeddedPlacesCoverBANES(t *testing.T) {
	ps := DefaultPlaces()
	// Every outward code with a B&NES postcode unit in Code-Point Open.
	for _, code := range []string{"BA1", "BA2", "BA3", "BS31", "BS39", "BS40", "BS14", "BS41", "BA15"} {
		p, ok := ps.Outward(code)
		if !ok {
			t.Errorf("Outward(%s) missing", code)
			continue
		}
		if p.InBANES <= 0 {
			t.Errorf("%s InBANES = %v; want > 0", code, p.InBANES)
		}
	}
	// And its neighbours.
	for _, code := range []string{"BA11", "BA14", "BS30", "SN13", "BS48"} {
		if p, ok := ps.Outward(code); !ok || p.InBANES != 0 {
			t.Errorf("neighbour %s = %+v, %v", code, p, ok)
		}
	}
	n := 0
	for _, p := range ps.All() {
		if p.InBANES > 0.5 && p.Kind == PlaceOutward {
			n++
		}
		// Every place lies within 40 km of Bath: nothing was typed in
		// wrongly by a digit.
		if d := Distance(p.Point, Point{51.3811, -2.3590}); d > 40 {
			t.Errorf("%s is %.0f km from Bath", p.Name, d)
		}
	}
	if n != 5 {
		t.Errorf("%d outward codes mostly in B&NES; want 5 (BA1 BA2 BA3 BS31 BS39)", n)
	}
	if tw, ok := ps.Named("twerton"); !ok || tw.Kind != PlaceWard {
		t.Errorf("Named(twerton) = %+v, %v", tw, ok)
	}
	k, ok := ps.Named("Keynsham")
	if !ok || k.Kind != PlaceGroup {
		t.Fatalf("Named(Keynsham) = %+v, %v", k, ok)
	}
	// The group lies among its wards.
	for _, w := range []string{"Keynsham East", "Keynsham North", "Keynsham South"} {
		p, _ := ps.Named(w)
		if d := Distance(k.Point, p.Point); d > 2 {
			t.Errorf("Keynsham group is %.1f km from %s", d, w)
		}
	}
	if _, ok := ps.Named("Midsomer"); ok {
		t.Error(`"Midsomer" made a group; only the last word is dropped`)
	}
	if bs40, _ := ps.Outward("bs40"); bs40.Label() != "BS40 (Blagdon and Churchill, Wrington, Chew Valley North)" {
		t.Errorf("BS40 label = %q", bs40.Label())
	}
}

// findIn is what field says of the place ps.Find finds in text, "" when
// it finds none.
func findIn(ps *Places, field func(Place) string) func(string) string {
	return func(text string) string {
		if p, ok := ps.Find(text); ok {
			return field(p)
		}
		return ""
	}
}

func TestPlacesFind(t *testing.T) {
	ps := DefaultPlaces()
	table.Check(t, "Find", findIn(ps, func(p Place) string { return p.Name }), map[string]string{
		"is there a lunch club near BA2 on a Thursday?":    "BA2",
		"my postcode is ba2 3ab":                           "BA2 3",
		"BS311AA":                                          "BS31 1",
		"I need a food bank near BA2 3NR":                  "BA2 3",
		"food bank ba23nr":                                 "BA2 3",
		"baby group near BS31 3":                           "BS31 3",
		"lunch club near BS1 4DJ":                          "BS1", // a sector outside B&NES: its outward code
		"lunch club chew magna":                            "Chew Magna",
		"befriending for older people in Bath":             "Bath",
		"youth club in Bathampton":                         "Bathampton",
		"my mum lives in Larkhall":                         "Larkhall",
		"food bank Twerton":                                "Twerton",
		"youth club Thursday evening Keynsham":             "Keynsham",
		"anything for lonely older men in Midsomer Norton": "Midsomer Norton",
		"in midsomer norton redfield":                      "Midsomer Norton Redfield",
		"near the M4":                                      "",
		"Weston-super-Mare":                                "",
		"lunch club":                                       "",
		"SW1A 1AA or BA1":                                  "BA1",
	})
}

func TestParsePostcode(t *testing.T) {
	tests := []struct {
		in   string
		want string
		ok   bool
	}{
		{"BA2 3AB", "BA2 3AB", true},
		{"ba23ab", "BA2 3AB", true},
		{" bs31  1aa ", "BS31 1AA", true},
		{"BA2", "BA2", true},
		{"EC1A 1BB", "EC1A 1BB", true},
		{"W1A", "W1A", true},
		{"M4", "M4", true},
		{"A4", "", false},  // a road: A is no postcode area
		{"QQ1", "", false}, // no such area
		{"BA", "", false},
		{"ABC 1234", "", false},
		{"BA2 3A", "", false},
	}
	for _, tt := range tests {
		p, ok := ParsePostcode(tt.in)
		if ok != tt.ok || (ok && p.String() != tt.want) {
			t.Errorf("ParsePostcode(%q) = %q, %v; want %q, %v", tt.in, p, ok, tt.want, tt.ok)
		}
	}
	if p, ok := FindPostcode("near BA2, or BA1 1AA"); !ok || p.String() != "BA1 1AA" {
		t.Errorf("FindPostcode prefers a full postcode: got %q", p)
	}
	if _, ok := FindPostcode("on the A4 at junction 18"); ok {
		t.Error("FindPostcode found a road")
	}
}

func TestDistance(t *testing.T) {
	// One degree along a meridian, and along the equator, is R·π/180.
	deg := earthRadiusKM * math.Pi / 180
	tests := []struct {
		a, b Point
		want float64
	}{
		{Point{51, -2}, Point{52, -2}, deg},
		{Point{0, 10}, Point{0, 11}, deg},
		{Point{51.38, -2.36}, Point{51.38, -2.36}, 0},
		{Point{0, 0}, Point{0, 180}, math.Pi * earthRadiusKM},
	}
	for _, tt := range tests {
		if got := Distance(tt.a, tt.b); math.Abs(got-tt.want) > 1e-6 {
			t.Errorf("Distance(%v, %v) = %v; want %v", tt.a, tt.b, got, tt.want)
		}
	}
	// Bath (Abbey ward) to Keynsham, about 10 km by road sign.
	ps := DefaultPlaces()
	a, _ := ps.Named("Abbey")
	k, _ := ps.Named("Keynsham")
	if d := Distance(a.Point, k.Point); d < 8 || d > 12 {
		t.Errorf("Bath to Keynsham = %.1f km", d)
	}
}

func TestLoadPlacesRejectsBadRows(t *testing.T) {
	head := "kind,code,name,district,in_banes,lat,lon,units,wards,town\n"
	for _, body := range []string{
		"outward,BA1,,B,1,0,0,1,,\n",        // not in Great Britain
		"ward,E1,,B,1,51.3,-2.3,1,,\n",      // no name
		"county,X,Y,B,1,51.3,-2.3,1,\n",     // unknown kind
		"outward,BA1,,B,1,fifty,-2.3,1,,\n", // not a number
		"outward,BA1,,B,1,51.3,-2.3,1,\n",   // a column short
	} {
		if _, err := LoadPlaces(strings.NewReader(head + body)); err == nil {
			t.Errorf("LoadPlaces(%q) accepted it", body)
		}
	}
}

// A town is the wards that share its name but the last word, two or more
// in one district: "Keynsham" is found, "Midsomer" never is.
func TestTownsAreWardsSharingTheirLeadingWords(t *testing.T) {
	const head = "kind,code,name,district,in_banes,lat,lon,units,wards,town\n"
	tests := []struct {
		name, rows string
		town       string // the town "Find" should give, "" for none
		not        string // a name that must not be a place
	}{
		{"two wards make a town", "ward,a,Keynsham East,B,1,51.41,-2.49,10,,\nward,b,Keynsham North,B,1,51.42,-2.50,30,,\n", "Keynsham", ""},
		{"only the last word goes", "ward,a,Midsomer Norton North,B,1,51.29,-2.48,10,,\nward,b,Midsomer Norton Redfield,B,1,51.28,-2.49,10,,\n", "Midsomer Norton", "Midsomer"},
		{"one ward is no town", "ward,a,Keynsham East,B,1,51.41,-2.49,10,,\n", "", "Keynsham"},
		{"districts do not mix", "ward,a,Keynsham East,B,1,51.41,-2.49,10,,\nward,b,Keynsham West,W,0,51.42,-2.50,30,,\n", "", "Keynsham"},
	}
	for _, tt := range tests {
		ps, err := LoadPlaces(strings.NewReader(head + tt.rows))
		if err != nil {
			t.Fatalf("%s: %v", tt.name, err)
		}
		if tt.town != "" {
			if p, ok := ps.Named(tt.town); !ok || p.Kind != PlaceGroup {
				t.Errorf("%s: Named(%q) = %+v, %v; want a town", tt.name, tt.town, p, ok)
			}
		}
		if _, ok := ps.Named(tt.not); tt.not != "" && ok {
			t.Errorf("%s: %q is a place; want none", tt.name, tt.not)
		}
	}
	// The town's centre is weighed by postcode units: three quarters of
	// Keynsham's units are in its North ward.
	ps, _ := LoadPlaces(strings.NewReader(head + tests[0].rows))
	if p, _ := ps.Named("Keynsham"); math.Abs(p.Point.Lat-51.4175) > 1e-9 {
		t.Errorf("Keynsham at %v; want latitude 51.4175", p.Point)
	}
}

// TestPlacesSayWhatTownTheyArePartOf: a ward, a district of a town or a
// village says which town it is part of, so "we're in Twerton" can be
// read as Bath; a ward spanning several villages is part of none.
func TestPlacesSayWhatTownTheyArePartOf(t *testing.T) {
	ps := DefaultPlaces()
	if _, ok := ps.Named("Bathavon North"); !ok {
		t.Error("Bathavon North, a ward of several villages, is not found")
	}
	table.Check(t, "town of", findIn(ps, func(p Place) string { return p.Town }), map[string]string{
		"Twerton":           "Bath", // the ward
		"Larkhall":          "Bath",
		"Oldfield Park":     "Bath",
		"Bath":              "Bath",
		"Clandown":          "Radstock",
		"Welton":            "Midsomer Norton",
		"Keynsham":          "Keynsham", // the wards' group
		"Chew Magna":        "Chew Magna",
		"Peasedown St John": "Peasedown St John",
		"Bathavon North":    "",
	})
	if p, _ := ps.Outward("BA2 3"); p.Kind != PlaceSector || p.Town != "Bath" {
		t.Errorf(`Outward("BA2 3") = %+v; want the sector, in Bath`, p)
	}
}
