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
	PlaceWard    PlaceKind = "ward"    // a B&NES electoral ward (2014), "Twerton"
	PlaceGroup   PlaceKind = "group"   // wards sharing a name, "Keynsham" for Keynsham East, North and South
)

// Place is somewhere a question can be near, with the centroid of the
// postcode units it covers.
type Place struct {
	Kind     PlaceKind
	Code     string   // "BA2", or the ward's GSS code
	Name     string   // "BA2", "Twerton", "Keynsham"
	District string   // the local authority holding most of it
	Wards    []string // for an outward code, the wards holding most of it
	InBANES  float64  // the share of its postcode units in B&NES, 0 to 1
	Point    Point
}

// Label names the place for a person: "BA2 (Widcombe, Bathavon South,
// Combe Down)" or "Twerton".
func (p Place) Label() string {
	if p.Kind == PlaceOutward && len(p.Wards) > 0 {
		return p.Name + " (" + strings.Join(p.Wards, ", ") + ")"
	}
	return p.Name
}

//go:embed places.csv
var placesCSV string

// Places answers "where is BA2" and "where is Twerton" without a network
// call, from places.csv (Ordnance Survey Code-Point Open, under the Open
// Government Licence; the file's header says how it was made).
type Places struct {
	all       []Place
	byOutward map[string]int
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
	cr := csv.NewReader(r)
	cr.Comment = '#'
	cr.FieldsPerRecord = 9
	recs, err := cr.ReadAll()
	if err != nil {
		return nil, fmt.Errorf("read places: %w", err)
	}
	if len(recs) < 2 || recs[0][0] != "kind" {
		return nil, errors.New("read places: no header row")
	}
	ps := &Places{byOutward: map[string]int{}, byName: map[string]int{}}
	type weighted struct {
		lat, lon, units float64
		district        string
		members         int
	}
	groups := map[string]*weighted{}
	var groupOrder []string
	for i, rec := range recs[1:] {
		lat, err1 := strconv.ParseFloat(rec[5], 64)
		lon, err2 := strconv.ParseFloat(rec[6], 64)
		share, err3 := strconv.ParseFloat(rec[4], 64)
		units, err4 := strconv.ParseFloat(rec[7], 64)
		if err := errors.Join(err1, err2, err3, err4); err != nil {
			return nil, fmt.Errorf("read places: row %d: %w", i+2, err)
		}
		if lat < 49 || lat > 61 || lon < -9 || lon > 2 {
			return nil, fmt.Errorf("read places: row %d: %v,%v is not in Great Britain", i+2, lat, lon)
		}
		p := Place{Kind: PlaceKind(rec[0]), Code: rec[1], Name: rec[2], District: rec[3], InBANES: share,
			Point: Point{Lat: lat, Lon: lon}}
		switch p.Kind {
		case PlaceOutward:
			p.Name = p.Code
			for _, w := range strings.Split(rec[8], ";") {
				if w = strings.TrimSpace(w); w != "" {
					p.Wards = append(p.Wards, w)
				}
			}
			ps.byOutward[p.Code] = len(ps.all)
		case PlaceWard:
			// Only the last word is dropped: "Midsomer Norton North" makes
			// "Midsomer Norton", never "Midsomer".
			if words := strings.Fields(p.Name); len(words) > 1 {
				key := p.District + "\x00" + strings.Join(words[:len(words)-1], " ")
				g := groups[key]
				if g == nil {
					g = &weighted{district: p.District}
					groups[key] = g
					groupOrder = append(groupOrder, key)
				}
				g.lat += lat * units
				g.lon += lon * units
				g.units += units
				g.members++
			}
		default:
			return nil, fmt.Errorf("read places: row %d: unknown kind %q", i+2, rec[0])
		}
		if p.Name == "" {
			return nil, fmt.Errorf("read places: row %d: no name", i+2)
		}
		ps.all = append(ps.all, p)
	}
	for _, key := range groupOrder {
		g := groups[key]
		name := key[strings.IndexByte(key, 0)+1:]
		if g.members < 2 {
			continue
		}
		if _, taken := ps.lookupName(name); taken {
			continue
		}
		ps.all = append(ps.all, Place{Kind: PlaceGroup, Code: name, Name: name, District: g.district, InBANES: 1,
			Point: Point{Lat: g.lat / g.units, Lon: g.lon / g.units}})
		ps.byName[strings.ToLower(name)] = len(ps.all) - 1
	}
	for i, p := range ps.all {
		if p.Kind == PlaceOutward {
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
	return ps, nil
}

func (ps *Places) lookupName(name string) (int, bool) {
	for i, p := range ps.all {
		if p.Kind != PlaceOutward && strings.EqualFold(p.Name, name) {
			return i, true
		}
	}
	return 0, false
}

// All lists every place: outward codes, then wards, then groups.
func (ps *Places) All() []Place { return append([]Place(nil), ps.all...) }

// Outward finds an outward code ("ba2" works).
func (ps *Places) Outward(code string) (Place, bool) {
	i, ok := ps.byOutward[strings.ToUpper(strings.TrimSpace(code))]
	if !ok {
		return Place{}, false
	}
	return ps.all[i], true
}

// Named finds a ward or group by name, ignoring case.
func (ps *Places) Named(name string) (Place, bool) {
	i, ok := ps.byName[strings.ToLower(strings.Join(strings.Fields(name), " "))]
	if !ok {
		return Place{}, false
	}
	return ps.all[i], true
}

// Find finds the place a question names: a postcode or outward code in the
// table first ("near BA2", "BA2 3AB"), then a ward or town name ("food bank
// Twerton", "Keynsham"). A hyphenated name is one word, so "Weston-super-
// Mare" is not Bath's Weston ward.
func (ps *Places) Find(text string) (Place, bool) {
	p, _, ok := ps.find(text)
	return p, ok
}

// find is Find that also says which name it matched ("" for a postcode).
func (ps *Places) find(text string) (Place, string, bool) {
	for _, pc := range postcodesIn(text) {
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

// Postcode is a UK postcode, or only its outward part when Inward is "".
type Postcode struct {
	Outward string // "BA2"
	Inward  string // "3AB", or ""
}

// String writes the postcode in its usual form, "BA2 3AB" or "BA2".
func (p Postcode) String() string {
	if p.Inward == "" {
		return p.Outward
	}
	return p.Outward + " " + p.Inward
}

// postcodeAreas are the postcode areas of Great Britain, as listed in
// Code-Point Open's metadata (2014), plus Northern Ireland's BT. A bare
// outward code counts only in one of these, so "A4" (a road) is not one.
var postcodeAreas = wordSet(`AB AL B BA BB BD BH BL BN BR BS BT CA CB CF CH CM CO CR CT CV CW DA DD DE DG DH DL
	DN DT DY E EC EH EN EX FK FY G GL GU HA HD HG HP HR HS HU HX IG IP IV KA KT KW KY L LA LD LE LL LN LS LU M
	ME MK ML N NE NG NN NP NR NW OL OX PA PE PH PL PO PR RG RH RM S SA SE SG SK SL SM SN SO SP SR SS ST SW SY
	TA TD TF TN TQ TR TS TW UB W WA WC WD WF WN WR WS WV YO ZE`)

// ParsePostcode reads a whole postcode ("BA2 3AB", "ba23ab") or outward code
// ("BA2"). It checks the form and the area, not that the postcode exists.
func ParsePostcode(s string) (Postcode, bool) {
	s = strings.ToUpper(strings.Join(strings.Fields(s), ""))
	if isOutward(s) {
		return Postcode{Outward: s}, true
	}
	if len(s) >= 5 && len(s) <= 7 && isInward(s[len(s)-3:]) && isOutward(s[:len(s)-3]) {
		return Postcode{Outward: s[:len(s)-3], Inward: s[len(s)-3:]}, true
	}
	return Postcode{}, false
}

// FindPostcode finds the first postcode in free text, preferring a full one
// ("my postcode is BA2 3AB") to a bare outward code ("near BA2").
func FindPostcode(text string) (Postcode, bool) {
	found := postcodesIn(text)
	for _, p := range found {
		if p.Inward != "" {
			return p, true
		}
	}
	if len(found) > 0 {
		return found[0], true
	}
	return Postcode{}, false
}

// postcodesIn lists the postcodes and outward codes in text, in order.
func postcodesIn(text string) []Postcode {
	words := strings.FieldsFunc(strings.ToUpper(text), func(r rune) bool {
		return !(r >= 'A' && r <= 'Z' || r >= '0' && r <= '9')
	})
	var out []Postcode
	for i := 0; i < len(words); i++ {
		w := words[i]
		if isOutward(w) && i+1 < len(words) && isInward(words[i+1]) {
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

// isOutward checks the outward forms A9, A99, AA9, AA99, A9A and AA9A.
func isOutward(s string) bool {
	n := len(s)
	if n < 2 || n > 4 {
		return false
	}
	i := 0
	for i < n && i < 2 && isUpper(s[i]) {
		i++
	}
	if i == 0 || !postcodeAreas[s[:i]] {
		return false
	}
	rest := s[i:]
	switch len(rest) {
	case 1:
		return isDigit(rest[0])
	case 2:
		return isDigit(rest[0]) && (isDigit(rest[1]) || isUpper(rest[1]))
	}
	return false
}

func isInward(s string) bool {
	return len(s) == 3 && isDigit(s[0]) && isUpper(s[1]) && isUpper(s[2])
}

func isUpper(c byte) bool { return c >= 'A' && c <= 'Z' }
func isDigit(c byte) bool { return c >= '0' && c <= '9' }
