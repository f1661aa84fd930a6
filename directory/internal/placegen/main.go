// Command placegen writes directory/places.csv: the outward postcodes,
// postcode sectors, electoral wards, towns and villages of Bath and North
// East Somerset (and its neighbours' outward codes), each with a position
// in WGS84 latitude and longitude and the town it is part of.
//
// Postcode and ward positions are computed from Ordnance Survey's
// Code-Point Open (version 2014.3.0, August 2014), as published in the
// public repository open-postcode/codepoint (commit
// dd4880a1a6f437477fd6a7a3a6823c944ba6bd2f, files Data/CSV/ba.csv, bs.csv
// and sn.csv, and Doc/Codelist.xls for the names of wards and districts);
// towns and villages, and what each is part of, from OS Open Map - Local
// as clipped to B&NES in BathHacked/banes-geographic-data (commit
// cd6eed166f84793d921f8b1051005304e734cca4, os_place_names.geojson and
// os_parishes.geojson); all under the Open Government Licence v3.0.
// Nothing is typed in by hand: a centroid is the mean of the national grid
// positions of the postcode units it covers, converted from OSGB36 to WGS84;
// a town's point is where the map sets its name.
//
// Usage (Codelist.xls first converted to CSV rows of sheet,name,code, for
// example with python3-xlrd):
//
//	go run ./directory/internal/placegen -codepoint DIR -codelist codelist.csv \
//		-names os_place_names.geojson -parishes os_parishes.geojson > directory/places.csv
package main

import (
	"encoding/csv"
	"errors"
	"flag"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
)

// banes is the GSS code of Bath and North East Somerset in Code-Point Open
// 2014; neighbours are the districts that share a boundary with it.
const banes = "E06000022"

var neighbours = map[string]bool{
	"E06000023": true, // City of Bristol
	"E06000024": true, // North Somerset
	"E06000025": true, // South Gloucestershire
	"E06000054": true, // Wiltshire
	"E07000187": true, // Mendip
}

// nearKM bounds the neighbours' outward codes: one whose centroid lies more
// than this from the centroid of B&NES's own postcodes is left out, so that
// "near" stays near (Wiltshire alone reaches Salisbury, 60 km away).
const nearKM = 30

type acc struct {
	e, n    float64
	units   int
	banes   int
	byDist  map[string]int
	byWard  map[string]int
	byTown  map[string]int // B&NES units only: its town or village
	outward string
}

func newAcc(key string) *acc {
	return &acc{outward: key, byDist: map[string]int{}, byWard: map[string]int{}, byTown: map[string]int{}}
}

func (a *acc) add(u unit) {
	a.e += u.e
	a.n += u.n
	a.units++
	a.byDist[u.dist]++
	a.byWard[u.ward]++
	if u.dist == banes {
		a.banes++
		a.byTown[u.town]++
	}
}

// townShare is the share of its B&NES units that must lie in one town or
// village for it to be part of it: a rural ward spans several villages
// (Bathavon North holds Batheaston, Bathampton, Bathford…) and is part of
// none of them.
const townShare = 0.9

// town is the town or village holding at least townShare of its B&NES
// units, or "".
func (a *acc) town() string {
	if a.banes == 0 {
		return ""
	}
	t := top(a.byTown, 1)[0]
	if float64(a.byTown[t]) < townShare*float64(a.banes) {
		return ""
	}
	return t
}

// unit is one positioned postcode unit.
type unit struct {
	pc         string
	e, n       float64
	dist, ward string
	town       string // in B&NES only: the parish it lies in, or Bath
}

func (a *acc) centroid() (lat, lon float64) {
	return osgbToWGS84(a.e/float64(a.units), a.n/float64(a.units))
}

func main() {
	var src sources
	flag.StringVar(&src.codepoint, "codepoint", "", "directory holding Code-Point Open's ba.csv, bs.csv, sn.csv")
	flag.StringVar(&src.codelist, "codelist", "", "Codelist.xls as CSV rows: sheet,name,code")
	flag.StringVar(&src.names, "names", "", "Open Map Local's named places for B&NES (os_place_names.geojson)")
	flag.StringVar(&src.parishes, "parishes", "", "Open Map Local's civil parishes for B&NES (os_parishes.geojson)")
	flag.Parse()
	if err := run(src, os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "placegen:", err)
		os.Exit(1)
	}
}

// sources are the files the table is made from.
type sources struct {
	codepoint, codelist string // Code-Point Open
	names, parishes     string // Open Map - Local
}

// run writes the table in three steps: count every postcode unit into its
// outward code, its sector and (in B&NES) its ward and town, find the
// centre of B&NES, then write the outward codes near it, B&NES's sectors,
// its wards and its named towns and villages.
func run(src sources, w io.Writer) error {
	if src.codepoint == "" || src.codelist == "" || src.names == "" || src.parishes == "" {
		return errors.New("need -codepoint, -codelist, -names and -parishes")
	}
	names, err := readNames(src.codelist)
	if err != nil {
		return err
	}
	parishes, err := readParishes(src.parishes)
	if err != nil {
		return err
	}
	settlements, err := readNamedPlaces(src.names)
	if err != nil {
		return err
	}
	c, err := accumulate(src.codepoint, parishes)
	if err != nil {
		return err
	}
	clat, clon := centreOf(c.wards)
	cw := csv.NewWriter(w)
	fmt.Fprint(w, header)
	cw.Write([]string{"kind", "code", "name", "district", "in_banes", "lat", "lon", "units", "wards", "town"})
	writeOutward(cw, c.outward, names, clat, clon)
	writeSectors(cw, c.sectors, names)
	writeWards(cw, c.wards, names)
	writePlaces(cw, settlements, parishes)
	cw.Flush()
	return cw.Error()
}

// counts are the postcode units counted into each outward code, sector
// and B&NES ward.
type counts struct {
	outward, sectors, wards map[string]*acc
}

// accumulate counts every positioned postcode unit of Code-Point's ba, bs
// and sn files into its outward code and sector, and a B&NES unit into its
// ward too: the files hold the neighbours' units, but the wards are
// B&NES's alone. A B&NES unit's town is the parish its position lies in.
func accumulate(dir string, parishes []parish) (counts, error) {
	c := counts{outward: map[string]*acc{}, sectors: map[string]*acc{}, wards: map[string]*acc{}}
	into := func(m map[string]*acc, key string) *acc {
		a := m[key]
		if a == nil {
			a = newAcc(key)
			m[key] = a
		}
		return a
	}
	for _, f := range []string{"ba.csv", "bs.csv", "sn.csv"} {
		if err := readUnits(filepath.Join(dir, f), func(u unit) {
			if u.dist == banes {
				lat, lon := osgbToWGS84(u.e, u.n)
				u.town = townAt(parishes, lat, lon)
				into(c.wards, u.ward).add(u)
			}
			into(c.outward, outwardOf(u.pc)).add(u)
			into(c.sectors, sectorOf(u.pc)).add(u)
		}); err != nil {
			return counts{}, err
		}
	}
	return c, nil
}

// centreOf is the centroid of B&NES itself, from all its postcode units:
// what "near" is measured from for the neighbours' outward codes.
func centreOf(wards map[string]*acc) (lat, lon float64) {
	all := newAcc("")
	for _, a := range wards {
		all.e += a.e
		all.n += a.n
		all.units += a.units
	}
	return all.centroid()
}

// writeOutward writes the outward codes in postcode order: every one with
// a B&NES unit, and a neighbour's within nearKM of B&NES's centre.
func writeOutward(cw *csv.Writer, outward map[string]*acc, names map[string]string, clat, clon float64) {
	var keys []string
	for k := range outward {
		keys = append(keys, k)
	}
	sort.Slice(keys, func(i, j int) bool { return lessOutward(keys[i], keys[j]) })
	for _, k := range keys {
		a := outward[k]
		lat, lon := a.centroid()
		if a.banes == 0 && (!a.inNeighbour() || haversine(clat, clon, lat, lon) > nearKM) {
			continue
		}
		dist := top(a.byDist, 1)[0]
		var wardNames []string
		for _, wc := range top(a.byWard, 3) {
			wardNames = append(wardNames, wardName(names[wc]))
		}
		cw.Write([]string{"outward", k, "", districtName(names[dist]), share(a.banes, a.units),
			coord(lat), coord(lon), strconv.Itoa(a.units), strings.Join(wardNames, "; "), ""})
	}
}

// inNeighbour reports whether any of an outward code's units lies in a
// district bordering B&NES.
func (a *acc) inNeighbour() bool {
	for d := range a.byDist {
		if neighbours[d] {
			return true
		}
	}
	return false
}

// writeWards writes B&NES's wards in order of name.
func writeWards(cw *csv.Writer, wards map[string]*acc, names map[string]string) {
	var keys []string
	for k := range wards {
		keys = append(keys, k)
	}
	sort.Slice(keys, func(i, j int) bool { return names[keys[i]] < names[keys[j]] })
	for _, k := range keys {
		a := wards[k]
		lat, lon := a.centroid()
		cw.Write([]string{"ward", k, wardName(names[k]), districtName(names[banes]), "1",
			coord(lat), coord(lon), strconv.Itoa(a.units), "", a.town()})
	}
}

// writeSectors writes the postcode sectors ("BA2 3") with a B&NES unit,
// in postcode order: a question giving a whole postcode is measured from
// its sector, the finest place signpost keeps (the bot reads no further
// into a postcode than its sector).
func writeSectors(cw *csv.Writer, sectors map[string]*acc, names map[string]string) {
	var keys []string
	for k, a := range sectors {
		if a.banes > 0 {
			keys = append(keys, k)
		}
	}
	sort.Slice(keys, func(i, j int) bool {
		oi, si, _ := strings.Cut(keys[i], " ")
		oj, sj, _ := strings.Cut(keys[j], " ")
		if oi != oj {
			return lessOutward(oi, oj)
		}
		return si < sj
	})
	for _, k := range keys {
		a := sectors[k]
		lat, lon := a.centroid()
		var wardNames []string
		for _, wc := range top(a.byWard, 3) {
			wardNames = append(wardNames, wardName(names[wc]))
		}
		cw.Write([]string{"sector", k, "", districtName(names[top(a.byDist, 1)[0]]), share(a.banes, a.units),
			coord(lat), coord(lon), strconv.Itoa(a.units), strings.Join(wardNames, "; "), a.town()})
	}
}

// writePlaces writes B&NES's named towns, villages and districts of towns,
// each at the point where the map sets its name, with the town it is part
// of. They cover no postcode units (units is 0).
func writePlaces(cw *csv.Writer, places []namedPlace, parishes []parish) {
	for _, p := range places {
		cw.Write([]string{"place", "", p.name, districtName("Bath and North East Somerset"), "1",
			coord(p.lat), coord(p.lon), "0", "", townOf(parishes, p)})
	}
}

const header = `# Outward postcodes, postcode sectors, electoral wards, towns and villages of
# Bath and North East Somerset (B&NES), and the outward postcodes of its
# neighbours, with positions in WGS84 (EPSG:4326) decimal degrees.
#
# Sources:
# 1. Ordnance Survey Code-Point Open, version 2014.3.0 (August 2014), as
#    published in github.com/open-postcode/codepoint at commit
#    dd4880a1a6f437477fd6a7a3a6823c944ba6bd2f (Data/CSV/ba.csv, bs.csv, sn.csv;
#    ward and district names from Doc/Codelist.xls): outward codes, sectors,
#    wards.
# 2. Ordnance Survey OS Open Map - Local (retrieved 21 January 2016), clipped
#    to B&NES by Bath: Hacked and published in
#    github.com/BathHacked/banes-geographic-data at commit
#    cd6eed166f84793d921f8b1051005304e734cca4 (os_place_names.geojson, named
#    places; os_parishes.geojson, civil parishes): towns and villages, and
#    the "town" column.
# Licence: Open Government Licence v3.0
# (https://www.nationalarchives.gov.uk/doc/open-government-licence/version/3/).
# Contains OS data (c) Crown copyright and database right 2014, 2016.
# Contains Royal Mail data (c) Royal Mail copyright and database right 2014.
# Contains National Statistics data (c) Crown copyright and database right 2014.
#
# Derived by directory/internal/placegen; no coordinate is typed in by hand.
# outward, sector, ward: lat/lon is the mean of the national grid positions
# of the postcode units (positional quality 10 to 50), converted from OSGB36
# to WGS84 by a Helmert transformation (a few metres of error, nothing beside
# the size of a sector). Outward codes: every one with a B&NES postcode unit,
# and the outward codes of its neighbouring districts (Bristol, North
# Somerset, South Gloucestershire, Wiltshire, Mendip) whose centroid lies
# within 30 km of the centroid of B&NES's postcodes. Sectors ("BA2 3", an
# outward code and the inward code's digit): every one with a B&NES unit.
# "district" is the district holding most of its units, "in_banes" the share
# of its units in B&NES, "wards" the (2014) wards holding most of its units.
# Wards: the 37 B&NES electoral wards of 2014 (boundaries changed in 2019;
# outward codes did not). Codelist.xls writes a comma in a name as "|"; it is
# put back.
# place: the map's named places of B&NES classed "Populated Place" and set in
# medium or large type (villages, towns, districts of Bath; small type names
# farms and houses), at the point where the map sets the name (a label's
# point, not a centroid); a name the map sets twice (Bloomfield, Claverton
# Down, Hillside, Tyning) is left out.
# "Bath" is the city's name as the map sets it, in its centre.
# town: the town or village a ward, sector or place is part of. A place's is
# the civil parish of its name, or else the one its point lies in; a ward's or
# sector's, the one holding at least 90% of its B&NES units ("" when none
# does: a rural ward spans several parishes). B&NES's one unparished area is
# the city of Bath, so a point in no parish is Bath's: Bath is its 16 wards
# that lie in no parish (Abbey … Widcombe). Parish names are written as the
# map writes villages ("St John", not "St. John").
# Columns are comma-separated, RFC 4180.
`

func readUnits(path string, fn func(unit)) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	r := csv.NewReader(f)
	for {
		rec, err := r.Read()
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return fmt.Errorf("%s: %w", path, err)
		}
		pq, _ := strconv.Atoi(rec[1])
		e, _ := strconv.ParseFloat(rec[2], 64)
		n, _ := strconv.ParseFloat(rec[3], 64)
		// Quality 90 has no position at all.
		if pq >= 90 || e == 0 || n == 0 {
			continue
		}
		fn(unit{pc: rec[0], e: e, n: n, dist: rec[8], ward: rec[9]})
	}
}

func readNames(path string) (map[string]string, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	recs, err := csv.NewReader(f).ReadAll()
	if err != nil {
		return nil, err
	}
	m := map[string]string{}
	for _, r := range recs {
		if len(r) >= 3 {
			m[r[2]] = r[1]
		}
	}
	return m, nil
}

// outwardOf takes Code-Point's 7-character postcode ("BA1 0AQ", "BS311AA").
func outwardOf(pc string) string {
	pc = strings.ReplaceAll(pc, " ", "")
	return pc[:len(pc)-3]
}

// sectorOf is a postcode's sector: its outward code and the inward code's
// digit ("BA1 0AQ" is in "BA1 0").
func sectorOf(pc string) string {
	pc = strings.ReplaceAll(pc, " ", "")
	return pc[:len(pc)-3] + " " + pc[len(pc)-3:len(pc)-2]
}

func lessOutward(a, b string) bool {
	ai, bi := strings.IndexAny(a, "0123456789"), strings.IndexAny(b, "0123456789")
	if a[:ai] != b[:bi] {
		return a[:ai] < b[:bi]
	}
	an, _ := strconv.Atoi(strings.TrimRight(a[ai:], "ABCDEFGHIJKLMNOPQRSTUVWXYZ"))
	bn, _ := strconv.Atoi(strings.TrimRight(b[bi:], "ABCDEFGHIJKLMNOPQRSTUVWXYZ"))
	if an != bn {
		return an < bn
	}
	return a < b
}

func top(m map[string]int, k int) []string {
	var keys []string
	for key := range m {
		keys = append(keys, key)
	}
	sort.Slice(keys, func(i, j int) bool {
		if m[keys[i]] != m[keys[j]] {
			return m[keys[i]] > m[keys[j]]
		}
		return keys[i] < keys[j]
	})
	if len(keys) > k {
		keys = keys[:k]
	}
	return keys
}

// wardName drops the kind suffix; Codelist.xls writes a comma inside a name
// as "|" (it is a CSV-friendly export), so it is put back.
func wardName(s string) string {
	s = strings.ReplaceAll(s, "|", ",")
	for _, suf := range []string{" Ward", " ED"} {
		s = strings.TrimSuffix(s, suf)
	}
	return s
}

func districtName(s string) string {
	for _, suf := range []string{" District (B)", " District", " (B)"} {
		s = strings.TrimSuffix(s, suf)
	}
	return strings.TrimPrefix(s, "City of ")
}

func share(part, whole int) string {
	return strconv.FormatFloat(float64(part)/float64(whole), 'f', 4, 64)
}

func coord(x float64) string { return strconv.FormatFloat(x, 'f', 5, 64) }

func haversine(lat1, lon1, lat2, lon2 float64) float64 {
	const r = 6371.0088
	p1, p2 := lat1*math.Pi/180, lat2*math.Pi/180
	dp, dl := p2-p1, (lon2-lon1)*math.Pi/180
	h := math.Sin(dp/2)*math.Sin(dp/2) + math.Cos(p1)*math.Cos(p2)*math.Sin(dl/2)*math.Sin(dl/2)
	return 2 * r * math.Asin(math.Sqrt(h))
}
