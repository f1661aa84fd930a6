package directory

import (
	_ "embed"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"math"
	"sort"
	"strconv"
	"strings"
	"sync"

	"github.com/bathnes/signpost/internal/postcode"
)

// Point is a position in WGS84 decimal degrees, as ORUK's latitude and
// longitude are.
type Point struct {
	Lat, Lon float64
}

// earthRadiusKM is the mean radius of the Earth (IUGG).
const earthRadiusKM = 6371.0088

// Distance is the great-circle distance in kilometres by the haversine
// formula: exact enough for "2.3 km away" and stable for short distances,
// where the spherical law of cosines loses precision.
func Distance(a, b Point) float64 {
	p1, p2 := a.Lat*math.Pi/180, b.Lat*math.Pi/180
	dp, dl := p2-p1, (b.Lon-a.Lon)*math.Pi/180
	h := math.Sin(dp/2)*math.Sin(dp/2) + math.Cos(p1)*math.Cos(p2)*math.Sin(dl/2)*math.Sin(dl/2)
	return 2 * earthRadiusKM * math.Asin(math.Sqrt(min(1, h)))
}

// PlaceKind says what a Place is.
type PlaceKind string

// The kinds of place in places.csv.
const (
	PlaceOutward PlaceKind = "outward" // an outward postcode, "BA2"
	PlaceSector  PlaceKind = "sector"  // a postcode sector, "BA2 3"
	PlaceWard    PlaceKind = "ward"    // a B&NES electoral ward (2014), "Twerton"
	PlaceGroup   PlaceKind = "group"   // wards sharing a name, "Keynsham" for Keynsham East, North and South
	PlaceNamed   PlaceKind = "place"   // a town, village or district of one on the map, "Bath", "Chew Magna", "Larkhall"
)

// Place is somewhere a question can be near, with the centroid of the
// postcode units it covers.
type Place struct {
	Kind     PlaceKind
	Code     string   // "BA2", "BA2 3", the ward's GSS code, or "" for a named place
	Name     string   // "BA2", "BA2 3", "Twerton", "Keynsham", "Chew Magna"
	District string   // the local authority holding most of it
	Wards    []string // for an outward code or sector, the wards holding most of it
	InBANES  float64  // the share of its postcode units in B&NES, 0 to 1
	Point    Point
	// Town is the town or village it is part of, as the Ordnance Survey's
	// civil parishes say ("Bath" for Twerton, "Radstock" for Clandown);
	// "" when it spans several (a rural ward) or is not in B&NES.
	Town string
}

// Label names the place for a person: "BA2 (Widcombe, Bathavon South,
// Combe Down)" or "Twerton".
func (p Place) Label() string {
	if (p.Kind == PlaceOutward || p.Kind == PlaceSector) && len(p.Wards) > 0 {
		return p.Name + " (" + strings.Join(p.Wards, ", ") + ")"
	}
	return p.Name
}

//go:embed places.csv
var placesCSV string

// Places answers "where is BA2 3" and "where is Chew Magna" without a
// network call, from places.csv (Ordnance Survey Code-Point Open and Open
// Map - Local, under the Open Government Licence; the file's header says
// how it was made).
type Places struct {
	all       []Place
	byOutward map[string]int // outward codes and sectors, "BA2", "BA2 3"
	byName    map[string]int // lower-case name to index
	names     []string       // lower-case names, longest first, for free text
}

// DefaultPlaces is the embedded table, parsed once.
var DefaultPlaces = sync.OnceValue(func() *Places {
	ps, err := LoadPlaces(strings.NewReader(placesCSV))
	if err != nil {
		// The embedded file is checked by the tests; a broken build
		// should fail loudly rather than answer "near BA2" wrongly.
		panic("directory: embedded places.csv: " + err.Error())
	}
	return ps
})

// LoadPlaces reads a places table in the form of places.csv. Groups are
// added for wards that share their leading words in a district (Keynsham
// East, North and South make "Keynsham"), centred on the unit-weighted mean
// of their centroids, so that a question naming the town finds it.
func LoadPlaces(r io.Reader) (*Places, error) {
	rows, err := readPlaceRows(r)
	if err != nil {
		return nil, err
	}
	ps := &Places{byOutward: map[string]int{}, byName: map[string]int{}}
	towns := townGroups{byKey: map[string]*town{}}
	for i, rec := range rows {
		p, units, err := parsePlace(rec)
		if err != nil {
			return nil, fmt.Errorf("read places: row %d: %w", i+2, err)
		}
		switch p.Kind {
		case PlaceOutward, PlaceSector:
			ps.byOutward[p.Code] = len(ps.all)
		case PlaceWard:
			towns.add(p, units)
		}
		ps.all = append(ps.all, p)
	}
	towns.addTo(ps)
	ps.indexNames()
	return ps, nil
}

// readPlaceRows reads the table's rows after its header, which must be
// there: a file without one is not a places table at all.
func readPlaceRows(r io.Reader) ([][]string, error) {
	cr := csv.NewReader(r)
	cr.Comment = '#'
	cr.FieldsPerRecord = 10
	recs, err := cr.ReadAll()
	if err != nil {
		return nil, fmt.Errorf("read places: %w", err)
	}
	if len(recs) < 2 || recs[0][0] != "kind" {
		return nil, errors.New("read places: no header row")
	}
	return recs[1:], nil
}

// parsePlace reads one row: kind, code, name, district, in_banes, lat,
// lon, units, wards, town. A centroid outside Great Britain is an error, not a
// place: a swapped latitude and longitude would otherwise put "near BA2"
// in the sea. units, the postcode units it covers, weighs a ward in its
// town.
func parsePlace(rec []string) (p Place, units float64, err error) {
	lat, err1 := strconv.ParseFloat(rec[5], 64)
	lon, err2 := strconv.ParseFloat(rec[6], 64)
	share, err3 := strconv.ParseFloat(rec[4], 64)
	units, err4 := strconv.ParseFloat(rec[7], 64)
	if err := errors.Join(err1, err2, err3, err4); err != nil {
		return Place{}, 0, err
	}
	if lat < 49 || lat > 61 || lon < -9 || lon > 2 {
		return Place{}, 0, fmt.Errorf("%v,%v is not in Great Britain", lat, lon)
	}
	p = Place{Kind: PlaceKind(rec[0]), Code: rec[1], Name: rec[2], District: rec[3], InBANES: share,
		Point: Point{Lat: lat, Lon: lon}, Town: rec[9]}
	switch p.Kind {
	case PlaceOutward, PlaceSector:
		p.Name = p.Code
		for _, w := range strings.Split(rec[8], ";") {
			if w = strings.TrimSpace(w); w != "" {
				p.Wards = append(p.Wards, w)
			}
		}
	case PlaceWard, PlaceNamed:
	default:
		return Place{}, 0, fmt.Errorf("unknown kind %q", rec[0])
	}
	if p.Name == "" {
		return Place{}, 0, errors.New("no name")
	}
	return p, units, nil
}

// townGroups gathers the wards that make a town, in the order first seen
// so that the table is the same on every load.
type townGroups struct {
	byKey map[string]*town // district, NUL, town name
	order []string
}

type town struct {
	name, district  string
	lat, lon, units float64
	members         int
	partOf          string // the Town its wards share, or ""
}

// townOf is the town a ward's name says it is part of: its name without
// the last word. Only the last word is dropped: "Midsomer Norton North"
// makes "Midsomer Norton", never "Midsomer". A one-word ward is no part of
// a town.
func townOf(ward string) string {
	words := strings.Fields(ward)
	if len(words) < 2 {
		return ""
	}
	return strings.Join(words[:len(words)-1], " ")
}

// add counts a ward towards its town, weighted by its postcode units.
func (g *townGroups) add(ward Place, units float64) {
	name := townOf(ward.Name)
	if name == "" {
		return
	}
	key := ward.District + "\x00" + name
	t := g.byKey[key]
	if t == nil {
		t = &town{name: name, district: ward.District, partOf: ward.Town}
		g.byKey[key] = t
		g.order = append(g.order, key)
	}
	if t.partOf != ward.Town {
		t.partOf = ""
	}
	t.lat += ward.Point.Lat * units
	t.lon += ward.Point.Lon * units
	t.units += units
	t.members++
}

// addTo adds to ps the towns of two wards or more whose name no ward or
// earlier town already has: a ward called "Keynsham" would be the better
// answer to "Keynsham".
func (g *townGroups) addTo(ps *Places) {
	for _, key := range g.order {
		t := g.byKey[key]
		if t.members < 2 {
			continue
		}
		if _, taken := ps.lookupName(t.name); taken {
			continue
		}
		ps.all = append(ps.all, Place{Kind: PlaceGroup, Code: t.name, Name: t.name, District: t.district, InBANES: 1,
			Point: Point{Lat: t.lat / t.units, Lon: t.lon / t.units}, Town: t.partOf})
		ps.byName[strings.ToLower(t.name)] = len(ps.all) - 1
	}
}

// indexNames indexes every ward and town by its lower-case name, the first
// of a name winning, and lists the names longest first, so that free text
// naming "Midsomer Norton" finds the town before any shorter name inside
// it.
func (ps *Places) indexNames() {
	for i, p := range ps.all {
		if p.postal() {
			continue
		}
		if _, dup := ps.byName[strings.ToLower(p.Name)]; !dup {
			ps.byName[strings.ToLower(p.Name)] = i
		}
	}
	for n := range ps.byName {
		ps.names = append(ps.names, n)
	}
	sort.Slice(ps.names, func(i, j int) bool {
		if len(ps.names[i]) != len(ps.names[j]) {
			return len(ps.names[i]) > len(ps.names[j])
		}
		return ps.names[i] < ps.names[j]
	})
}

// lookupName finds a ward or group by name. A named place of the same
// name gives way to a group: the group's centre is its postcodes', the
// place's only where the map sets its name.
func (ps *Places) lookupName(name string) (int, bool) {
	for i, p := range ps.all {
		if !p.postal() && p.Kind != PlaceNamed && strings.EqualFold(p.Name, name) {
			return i, true
		}
	}
	return 0, false
}

// postal reports whether p is named by a postcode (an outward code or a
// sector), found by Outward rather than Named.
func (p Place) postal() bool { return p.Kind == PlaceOutward || p.Kind == PlaceSector }

// All lists every place: outward codes, sectors, wards, named places, then
// groups.
func (ps *Places) All() []Place { return append([]Place(nil), ps.all...) }

// Outward finds an outward code or sector ("ba2", "BA2 3").
func (ps *Places) Outward(code string) (Place, bool) {
	i, ok := ps.byOutward[strings.ToUpper(strings.Join(strings.Fields(code), " "))]
	if !ok {
		return Place{}, false
	}
	return ps.all[i], true
}

// Named finds a ward, group, town or village by name, ignoring case.
func (ps *Places) Named(name string) (Place, bool) {
	i, ok := ps.byName[strings.ToLower(strings.Join(strings.Fields(name), " "))]
	if !ok {
		return Place{}, false
	}
	return ps.all[i], true
}

// Find finds the place a question names: a postcode in the table first,
// by its sector where the table has it ("BA2 3AB", "BS31 3") or else its
// outward code ("near BA2"), then a ward, town or village name ("food bank
// Twerton", "Keynsham", "Chew Magna"). A hyphenated name is one word, so
// "Weston-super-Mare" is not Bath's Weston ward.
func (ps *Places) Find(text string) (Place, bool) {
	p, _, ok := ps.find(text)
	return p, ok
}

// find is Find that also says which name it matched ("" for a postcode).
func (ps *Places) find(text string) (Place, string, bool) {
	for _, pc := range postcodesIn(text) {
		if p, ok := ps.Outward(pc.Sector()); ok && pc.Inward != "" {
			return p, "", true
		}
		if p, ok := ps.Outward(pc.Outward); ok {
			return p, "", true
		}
	}
	words := " " + strings.Join(strings.FieldsFunc(strings.ToLower(text), func(r rune) bool {
		return !(r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r == '-' || r == '\'' || r > 127)
	}), " ") + " "
	for _, n := range ps.names {
		if strings.Contains(words, " "+n+" ") {
			return ps.all[ps.byName[n]], n, true
		}
	}
	return Place{}, "", false
}

// Postcode is a UK postcode, or only its outward part when Inward is "",
// or its sector when Inward is only the inward code's digit ("BS31 3").
type Postcode struct {
	Outward string // "BA2"
	Inward  string // "3AB", "3", or ""
}

// Sector is the postcode's sector, "BA2 3", or "" when only the outward
// code is known.
func (p Postcode) Sector() string {
	if p.Inward == "" {
		return ""
	}
	return p.Outward + " " + p.Inward[:1]
}

// String writes the postcode in its usual form, "BA2 3AB" or "BA2".
func (p Postcode) String() string {
	if p.Inward == "" {
		return p.Outward
	}
	return p.Outward + " " + p.Inward
}

// ParsePostcode reads a whole postcode ("BA2 3AB", "ba23ab") or outward code
// ("BA2"). It checks the form and the area, not that the postcode exists.
func ParsePostcode(s string) (Postcode, bool) {
	s = strings.ToUpper(strings.Join(strings.Fields(s), ""))
	if postcode.IsOutward(s) {
		return Postcode{Outward: s}, true
	}
	if len(s) >= 5 && len(s) <= 7 && postcode.IsInward(s[len(s)-3:]) && postcode.IsOutward(s[:len(s)-3]) {
		return Postcode{Outward: s[:len(s)-3], Inward: s[len(s)-3:]}, true
	}
	return Postcode{}, false
}

// FindPostcode finds the first postcode in free text, preferring a full one
// ("my postcode is BA2 3AB") to a bare outward code ("near BA2").
func FindPostcode(text string) (Postcode, bool) {
	found := postcodesIn(text)
	for _, p := range found {
		if len(p.Inward) == 3 {
			return p, true
		}
	}
	if len(found) > 0 {
		return found[0], true
	}
	return Postcode{}, false
}

// postcodesIn lists the postcodes, sectors and outward codes in text, in
// order. A sector is an outward code followed by a lone digit ("near BS31
// 3").
func postcodesIn(text string) []Postcode {
	words := strings.FieldsFunc(strings.ToUpper(text), func(r rune) bool {
		return !(r >= 'A' && r <= 'Z' || r >= '0' && r <= '9')
	})
	var out []Postcode
	for i := 0; i < len(words); i++ {
		w := words[i]
		if postcode.IsOutward(w) && i+1 < len(words) && (postcode.IsInward(words[i+1]) || isDigitWord(words[i+1])) {
			out = append(out, Postcode{Outward: w, Inward: words[i+1]})
			i++
			continue
		}
		if p, ok := ParsePostcode(w); ok {
			out = append(out, p)
		}
	}
	return out
}

func isDigitWord(w string) bool { return len(w) == 1 && w[0] >= '0' && w[0] <= '9' }
