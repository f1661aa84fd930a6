package main

import (
	"encoding/json"
	"fmt"
	"os"
	"sort"
	"strings"
)

// The towns and villages come from OS Open Map - Local, as clipped to
// B&NES by Bath: Hacked in github.com/BathHacked/banes-geographic-data
// (os_place_names.geojson, the named places, and os_parishes.geojson, the
// civil parishes; both WGS84): a named place's point is where the map
// sets its name, the parishes say which town or village a place is part
// of.

// bathArea is what a point in no civil parish is part of: B&NES's one
// unparished area is the city of Bath (its charter trustees stand in for
// a parish council), which Open Map Local marks as a non-civil-parish area.
const bathArea = "Bath"

// namedPlace is a settlement named on the map.
type namedPlace struct {
	name     string
	lat, lon float64
}

type geoFeatures struct {
	Features []struct {
		Properties map[string]any `json:"properties"`
		Geometry   struct {
			Type        string          `json:"type"`
			Coordinates json.RawMessage `json:"coordinates"`
		} `json:"geometry"`
	} `json:"features"`
}

func readGeoJSON(path string) (geoFeatures, error) {
	var g geoFeatures
	b, err := os.ReadFile(path)
	if err != nil {
		return g, err
	}
	if err := json.Unmarshal(b, &g); err != nil {
		return g, fmt.Errorf("%s: %w", path, err)
	}
	return g, nil
}

func prop(p map[string]any, k string) string {
	s, _ := p[k].(string)
	return s
}

// readNamedPlaces reads the settlements of os_place_names.geojson: its
// "Populated Place" names set in medium or large type, the villages,
// towns and districts of towns (small type names farms and houses). A
// name the map sets twice (two Bloomfields) says nothing of which is
// meant, so neither is kept. Names set in capitals (BATH) are written as
// names are.
func readNamedPlaces(path string) ([]namedPlace, error) {
	g, err := readGeoJSON(path)
	if err != nil {
		return nil, err
	}
	count := map[string]int{}
	var all []namedPlace
	for _, f := range g.Features {
		p := f.Properties
		if prop(p, "classifica") != "Populated Place" || prop(p, "fontheight") == "Small" || f.Geometry.Type != "Point" {
			continue
		}
		var pt [2]float64
		if err := json.Unmarshal(f.Geometry.Coordinates, &pt); err != nil {
			return nil, fmt.Errorf("%s: %s: %w", path, prop(p, "distname"), err)
		}
		name := titleCase(prop(p, "distname"))
		count[name]++
		all = append(all, namedPlace{name: name, lat: pt[1], lon: pt[0]})
	}
	var out []namedPlace
	for _, np := range all {
		if count[np.name] == 1 {
			out = append(out, np)
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].name < out[j].name })
	return out, nil
}

// titleCase writes a name set in capitals ("MIDSOMER NORTON") as a name.
func titleCase(s string) string {
	if s != strings.ToUpper(s) {
		return s
	}
	words := strings.Fields(strings.ToLower(s))
	for i, w := range words {
		words[i] = strings.ToUpper(w[:1]) + w[1:]
	}
	return strings.Join(words, " ")
}

// parish is a civil parish's outline: rings of lon, lat.
type parish struct {
	name  string
	rings [][][2]float64
	box   [4]float64 // min lon, min lat, max lon, max lat
}

// readParishes reads os_parishes.geojson's civil parishes; its
// non-civil-parish area (Bath) is left out, so a point in none is Bath's.
func readParishes(path string) ([]parish, error) {
	g, err := readGeoJSON(path)
	if err != nil {
		return nil, err
	}
	var out []parish
	for _, f := range g.Features {
		name := prop(f.Properties, "name")
		if prop(f.Properties, "area_code") != "CPC" || name == "" {
			continue
		}
		var polys [][][][2]float64
		switch f.Geometry.Type {
		case "Polygon":
			var rings [][][2]float64
			err = json.Unmarshal(f.Geometry.Coordinates, &rings)
			polys = append(polys, rings)
		case "MultiPolygon":
			err = json.Unmarshal(f.Geometry.Coordinates, &polys)
		default:
			err = fmt.Errorf("geometry %s", f.Geometry.Type)
		}
		if err != nil {
			return nil, fmt.Errorf("%s: %s: %w", path, name, err)
		}
		// "Peasedown St. John CP" is written as its village is on the
		// map, "Peasedown St John".
		p := parish{name: strings.ReplaceAll(strings.TrimSuffix(name, " CP"), "St. ", "St "), box: [4]float64{180, 90, -180, -90}}
		for _, rings := range polys {
			p.rings = append(p.rings, rings...)
		}
		for _, r := range p.rings {
			for _, c := range r {
				p.box = [4]float64{min(p.box[0], c[0]), min(p.box[1], c[1]), max(p.box[2], c[0]), max(p.box[3], c[1])}
			}
		}
		out = append(out, p)
	}
	return out, nil
}

// contains reports whether lon, lat lies inside the parish, by the even-odd
// rule over all its rings (so a hole is outside).
func (p parish) contains(lon, lat float64) bool {
	if lon < p.box[0] || lon > p.box[2] || lat < p.box[1] || lat > p.box[3] {
		return false
	}
	in := false
	for _, r := range p.rings {
		for i, j := 0, len(r)-1; i < len(r); j, i = i, i+1 {
			a, b := r[i], r[j]
			if (a[1] > lat) != (b[1] > lat) && lon < (b[0]-a[0])*(lat-a[1])/(b[1]-a[1])+a[0] {
				in = !in
			}
		}
	}
	return in
}

// townOf is the town or village a named place is part of: the parish of
// its name, when there is one (the map sets RADSTOCK's name just inside
// Westfield), or else the one its point lies in.
func townOf(parishes []parish, p namedPlace) string {
	for _, pa := range parishes {
		if strings.EqualFold(pa.name, p.name) {
			return pa.name
		}
	}
	return townAt(parishes, p.lat, p.lon)
}

// townAt is the town or village a point is part of: its civil parish, or
// Bath where it lies in none.
func townAt(parishes []parish, lat, lon float64) string {
	for _, p := range parishes {
		if p.contains(lon, lat) {
			return p.name
		}
	}
	return bathArea
}
