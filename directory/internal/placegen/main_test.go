package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// run on a few units made up for the test (at real grid positions): B&NES's
// outward codes and wards are written; a neighbour's outward code is
// written when near and left out when far; a unit with no position counts
// for nothing.
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
	var out bytes.Buffer
	if err := run(dir, codelist, &out); err != nil {
		t.Fatal(err)
	}
	var rows []string
	for _, l := range strings.Split(out.String(), "\n") {
		if l != "" && !strings.HasPrefix(l, "#") {
			rows = append(rows, l)
		}
	}
	want := []string{
		"kind,code,name,district,in_banes,lat,lon,units,wards",
		"outward,BA2,,Bath and North East Somerset,1.0000,51.37209,-2.36437,3,Widcombe; Twerton",
		"outward,BS1,,Bristol,0.0000,51.45267,-2.59431,1,Cabot",
		"ward,E05001962,Twerton,Bath and North East Somerset,1,51.37445,-2.37492,1,",
		"ward,E05001955,Widcombe,Bath and North East Somerset,1,51.37091,-2.35909,2,",
	}
	if strings.Join(rows, "\n") != strings.Join(want, "\n") {
		t.Errorf("run wrote\n%s\nwant\n%s", strings.Join(rows, "\n"), strings.Join(want, "\n"))
	}
}
