package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// run on a few units and places made up for the test (at real grid
// positions): B&NES's outward codes, sectors and wards are written, each
// ward with the town it lies in; a neighbour's outward code is written
// when near and left out when far; a unit with no position counts for
// nothing; named towns and villages are written with the parish they are
// part of, Bath where they lie in none.
func TestRunWritesBANESAndTheNearNeighbours(t *testing.T) {
	dir := t.TempDir()
	units := map[string]string{
		// Bath (BA2) in two B&NES wards; Salisbury (SP1) is Wiltshire's,
		// 60 km off; Bristol (BS1) is near.
		"ba.csv": `"BA2 3AA",10,375000,163500,E92000001,,,,E06000022,E05001955
"BA2 3AB",10,375200,163700,E92000001,,,,E06000022,E05001955
"BA2 4AA",10,374000,164000,E92000001,,,,E06000022,E05001962
"BA2 9ZZ",90,0,0,E92000001,,,,E06000022,E05001962
`,
		"bs.csv": `"BS1 1AA",10,358800,172800,E92000001,,,,E06000023,E05001979
`,
		"sn.csv": `"SP1 1AA",10,414500,130000,E92000001,,,,E06000054,E05008000
`,
	}
	for name, body := range units {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	codelist := filepath.Join(dir, "codelist.csv")
	os.WriteFile(codelist, []byte(`DIS,Bath and North East Somerset,E06000022
DIS,City of Bristol (B),E06000023
DIS,Wiltshire,E06000054
WARD,Widcombe Ward,E05001955
WARD,Twerton Ward,E05001962
WARD,Cabot Ward,E05001979
`), 0o644)
	// Twerton's unit (BA2 4AA, about 51.374N 2.375W) lies in a parish
	// drawn round it; Widcombe's units lie in none, so are Bath's. Of the
	// named places, a small-type farm and a name set twice are left out.
	parishes := filepath.Join(dir, "parishes.geojson")
	os.WriteFile(parishes, []byte(`{"type":"FeatureCollection","features":[
{"type":"Feature","properties":{"name":"Newton St. Loe CP","area_code":"CPC"},"geometry":{"type":"Polygon",
 "coordinates":[[[-2.38,51.37],[-2.37,51.37],[-2.37,51.38],[-2.38,51.38],[-2.38,51.37]]]}},
{"type":"Feature","properties":{"name":null,"area_code":"NCP"},"geometry":{"type":"Polygon",
 "coordinates":[[[-2.5,51.3],[-2.2,51.3],[-2.2,51.5],[-2.5,51.5],[-2.5,51.3]]]}}]}`), 0o644)
	named := filepath.Join(dir, "names.geojson")
	os.WriteFile(named, []byte(`{"type":"FeatureCollection","features":[
{"type":"Feature","properties":{"distname":"BATH","classifica":"Populated Place","fontheight":"Large"},"geometry":{"type":"Point","coordinates":[-2.35929,51.38280]}},
{"type":"Feature","properties":{"distname":"Newton St Loe","classifica":"Populated Place","fontheight":"Medium"},"geometry":{"type":"Point","coordinates":[-2.3,51.4]}},
{"type":"Feature","properties":{"distname":"Tyning","classifica":"Populated Place","fontheight":"Medium"},"geometry":{"type":"Point","coordinates":[-2.49,51.33]}},
{"type":"Feature","properties":{"distname":"Tyning","classifica":"Populated Place","fontheight":"Medium"},"geometry":{"type":"Point","coordinates":[-2.43,51.30]}},
{"type":"Feature","properties":{"distname":"Abbey Farm","classifica":"Populated Place","fontheight":"Small"},"geometry":{"type":"Point","coordinates":[-2.33,51.33]}},
{"type":"Feature","properties":{"distname":"River Avon","classifica":"Hydrography","fontheight":"Large"},"geometry":{"type":"Point","coordinates":[-2.34,51.39]}}]}`), 0o644)
	var out bytes.Buffer
	if err := run(sources{codepoint: dir, codelist: codelist, names: named, parishes: parishes}, &out); err != nil {
		t.Fatal(err)
	}
	var rows []string
	for _, l := range strings.Split(out.String(), "\n") {
		if l != "" && !strings.HasPrefix(l, "#") {
			rows = append(rows, l)
		}
	}
	want := []string{
		"kind,code,name,district,in_banes,lat,lon,units,wards,town",
		"outward,BA2,,Bath and North East Somerset,1.0000,51.37209,-2.36437,3,Widcombe; Twerton,",
		"outward,BS1,,Bristol,0.0000,51.45267,-2.59431,1,Cabot,",
		"sector,BA2 3,,Bath and North East Somerset,1.0000,51.37091,-2.35909,2,Widcombe,Bath",
		"sector,BA2 4,,Bath and North East Somerset,1.0000,51.37445,-2.37492,1,Twerton,Newton St Loe",
		"ward,E05001962,Twerton,Bath and North East Somerset,1,51.37445,-2.37492,1,,Newton St Loe",
		"ward,E05001955,Widcombe,Bath and North East Somerset,1,51.37091,-2.35909,2,,Bath",
		// A place named as a parish is that parish's, wherever its
		// name is set.
		"place,,Bath,Bath and North East Somerset,1,51.38280,-2.35929,0,,Bath",
		"place,,Newton St Loe,Bath and North East Somerset,1,51.40000,-2.30000,0,,Newton St Loe",
	}
	if strings.Join(rows, "\n") != strings.Join(want, "\n") {
		t.Errorf("run wrote\n%s\nwant\n%s", strings.Join(rows, "\n"), strings.Join(want, "\n"))
	}
}
