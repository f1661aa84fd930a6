package knowledge

import (
	"errors"
	"os"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/BurntSushi/toml"
)

const goodSource = `
[[source]]
id = "000"
file = "000.txt"
title = "Toolkit"
date = "2013-05"
`

// entry is a valid entry; tests break one field at a time.
const goodEntry = `
[[entry]]
id = "pact"
kinds = ["core"]
title = "PACT meetings"
summary = "Public meetings about local policing."
related = []
status = "current"
as_of = "2013-05"
sources = ["000"]
`

// places is an area and a town in it.
const places = `
[[place]]
name = "Somer Valley"
kind = "area"
sources = ["000"]

[[place]]
name = "Radstock"
kind = "town"
area = "Somer Valley"
aliases = ["Radstoke"]
sources = ["000"]
area_source = "000"
`

func load(t *testing.T, files map[string]string) (*Base, Problems) {
	t.Helper()
	fsys := fstest.MapFS{}
	for name, body := range files {
		fsys[name] = &fstest.MapFile{Data: []byte(body)}
	}
	b, err := Load(fsys)
	if err == nil {
		return b, nil
	}
	var ps Problems
	if !errors.As(err, &ps) {
		t.Fatalf("Load error %v is not Problems", err)
	}
	return nil, ps
}

func TestLoadReportsEachDefectWithItsLine(t *testing.T) {
	tests := []struct {
		name     string
		files    map[string]string
		wantFile string
		wantLine int
		wantMsg  string
	}{
		{"malformed toml", map[string]string{"a.toml": goodSource + "\n[[entry]]\nid = \"x\ntitle = 1\n"},
			"a.toml", 9, "strings cannot contain newlines"},
		{"unknown key", map[string]string{"a.toml": goodSource + strings.Replace(goodEntry, "title =", "titel = \"x\"\ntitle =", 1)},
			"a.toml", 11, `unknown key "entry.titel"`},
		{"duplicate id", map[string]string{"a.toml": goodSource + goodEntry, "b.toml": goodEntry},
			"b.toml", 3, `duplicate id "pact" (first defined at a.toml:8)`},
		{"missing summary", map[string]string{"a.toml": goodSource + strings.Replace(goodEntry, "summary = \"Public meetings about local policing.\"\n", "", 1)},
			"a.toml", 8, "missing required field summary"},
		{"missing title", map[string]string{"a.toml": goodSource + strings.Replace(goodEntry, "title = \"PACT meetings\"\n", "", 1)},
			"a.toml", 8, "missing required field title"},
		{"related points nowhere", map[string]string{"a.toml": goodSource + strings.Replace(goodEntry, "related = []", `related = ["nowhere"]`, 1)},
			"a.toml", 13, `related id "nowhere" points to no entry`},
		{"no source", map[string]string{"a.toml": goodSource + strings.Replace(goodEntry, `sources = ["000"]`, "sources = []", 1)},
			"a.toml", 16, "has no source"},
		{"unknown source", map[string]string{"a.toml": goodSource + strings.Replace(goodEntry, `sources = ["000"]`, `sources = ["999"]`, 1)},
			"a.toml", 16, `source "999" is not a [[source]]`},
		{"bad status", map[string]string{"a.toml": goodSource + strings.Replace(goodEntry, `"current"`, `"ongoing"`, 1)},
			"a.toml", 14, `status "ongoing"`},
		{"bad date", map[string]string{"a.toml": goodSource + strings.Replace(goodEntry, `"2013-05"`, `"May 2013"`, 1)},
			"a.toml", 15, `as_of "May 2013"`},
		{"id too long for a button", map[string]string{"a.toml": goodSource + strings.Replace(goodEntry, `id = "pact"`, `id = "`+strings.Repeat("pact-", 13)+`x"`, 1)},
			"a.toml", 9, "at most 64 fit in a chat button"},
		{"unknown kind", map[string]string{"a.toml": goodSource + strings.Replace(goodEntry, `["core"]`, `["cor"]`, 1)},
			"a.toml", 10, `unknown kind "cor"`},
		{"wrong type", map[string]string{"a.toml": goodSource + strings.Replace(goodEntry, `title = "PACT meetings"`, `title = 7`, 1)},
			"a.toml", 11, "title"},
		{"place the base does not know", map[string]string{"a.toml": goodSource + goodEntry + "places = [\"Atlantis\"]\n"},
			"a.toml", 17, `place "Atlantis" is not a [[place]]`},
		{"local fact in an unknown place", map[string]string{"a.toml": goodSource + places + goodEntry + "local = [{ places = [\"Radstok\"], fact = \"x\" }]\n"},
			"a.toml", 30, `place "Radstok" is not a [[place]]`},
		{"place in an area with no source for it", map[string]string{"a.toml": goodSource + strings.Replace(places, `area_source = "000"`, ``, 1)},
			"a.toml", 13, "area_source must name"},
		{"place in an area that is not an area", map[string]string{"a.toml": goodSource + strings.Replace(places, `area = "Somer Valley"`, `area = "Westfield"`, 1)},
			"a.toml", 13, `area "Westfield" is not a [[place]] of kind "area"`},
		{"two places with one name", map[string]string{"a.toml": goodSource + strings.Replace(places, `aliases = ["Radstoke"]`, `aliases = ["Somer  valley"]`, 1)},
			"a.toml", 13, `name "Somer  valley" is already "Somer Valley"'s`},
		{"place without a source", map[string]string{"a.toml": goodSource + strings.Replace(places, `sources = ["000"]
`, "", 1)},
			"a.toml", 8, "has no source"},
		{"source with neither file nor url", map[string]string{"a.toml": strings.Replace(goodSource, `file = "000.txt"`, "", 1) + goodEntry},
			"a.toml", 2, "either file or url"},
		{"invented-looking e-mail", map[string]string{"a.toml": goodSource + goodEntry + "contacts = [{ name = \"Team\", email = \"team at council\" }]\n"},
			"a.toml", 17, "is not an address"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, ps := load(t, tt.files)
			if len(ps) == 0 {
				t.Fatal("Load succeeded; want a problem")
			}
			for _, p := range ps {
				if p.File == tt.wantFile && p.Line == tt.wantLine && strings.Contains(p.Msg, tt.wantMsg) {
					return
				}
			}
			t.Errorf("problems = %v; want %s:%d containing %q", ps, tt.wantFile, tt.wantLine, tt.wantMsg)
		})
	}
}

func TestMalformedTOMLNamesLineAndColumn(t *testing.T) {
	_, ps := load(t, map[string]string{"kb.toml": "[[entry]]\nid = \"a\"\ntitle = [\n"})
	if len(ps) != 1 || ps[0].Line == 0 || ps[0].Col == 0 {
		t.Fatalf("problems = %v; want one with line and column", ps)
	}
	if got := ps[0].Error(); !strings.HasPrefix(got, "kb.toml:") {
		t.Errorf("Error() = %q; want it to start with the file name", got)
	}
}

func TestLoadReportsEveryProblemNotJustTheFirst(t *testing.T) {
	bad := strings.Replace(goodEntry, `sources = ["000"]`, "sources = []", 1)
	bad = strings.Replace(bad, `related = []`, `related = ["gone"]`, 1)
	_, ps := load(t, map[string]string{"a.toml": goodSource + bad})
	if len(ps) < 2 {
		t.Errorf("problems = %v; want both the missing source and the dangling related id", ps)
	}
}

func TestLoadGood(t *testing.T) {
	b, ps := load(t, map[string]string{"s.toml": goodSource, "e.toml": goodEntry})
	if ps != nil {
		t.Fatalf("problems = %v", ps)
	}
	if e, ok := b.Entry("pact"); !ok || e.Title != "PACT meetings" {
		t.Errorf("Entry(pact) = %v, %v", e, ok)
	}
}

func TestLoadPathSingleFile(t *testing.T) {
	dir := t.TempDir()
	path := dir + "/kb.toml"
	if err := os.WriteFile(path, []byte(goodSource+goodEntry), 0o644); err != nil {
		t.Fatal(err)
	}
	os.WriteFile(dir+"/other.toml", []byte("not toml ["), 0o644)
	if _, err := LoadPath(path); err != nil {
		t.Errorf("LoadPath(%s) = %v; want only that file read", path, err)
	}
	if _, err := LoadPath(dir); err == nil {
		t.Errorf("LoadPath(dir) succeeded; want the broken other.toml reported")
	}
}

// TestEmbeddedHoldsEverySpecEntry checks the shipped base against the spec
// of entry ids the evaluation sets are labelled with.
func TestEmbeddedHoldsEverySpecEntry(t *testing.T) {
	b, err := Embedded()
	if err != nil {
		t.Fatalf("Embedded() = %v", err)
	}
	var spec struct {
		Entry []struct {
			ID    string   `toml:"id"`
			Kinds []string `toml:"kinds"`
		} `toml:"entry"`
	}
	if _, err := toml.DecodeFile("../../shared/spec/entries.toml", &spec); err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatalf("CI must check the spec of entries: %v", err)
		}
		t.Skipf("no spec beside the repository: %v", err)
	}
	for _, s := range spec.Entry {
		e, ok := b.Entry(s.ID)
		if !ok {
			t.Errorf("entry %q from the spec is missing", s.ID)
			continue
		}
		for _, k := range s.Kinds {
			if !e.Is(Kind(k)) {
				t.Errorf("entry %q lacks kind %q", s.ID, k)
			}
		}
	}
}

func TestEmbeddedFacts(t *testing.T) {
	b, err := Embedded()
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct{ id, want string }{
		{"assets-of-community-value", "Pack Horse Inn"},
		{"assets-of-community-value", "Bath City Farm"},
		{"community-first", "£17,000"},
		{"big-local", "Radstock and Westfield"},
		{"small-grants-fund", "£5,000"},
		{"neighbourhood-planning", "£20,000"},
	}
	for _, tt := range tests {
		e, _ := b.Entry(tt.id)
		if e == nil || !strings.Contains(e.Text(), tt.want) {
			t.Errorf("entry %s does not mention %q", tt.id, tt.want)
		}
	}
	for _, e := range b.Entries {
		if e.Is("tool") && e.Theme == "" {
			t.Errorf("tool %s has no theme, so the menu cannot group it", e.ID)
		}
	}
	if e, _ := b.Entry("performance-reward-grant"); e.Status != "historical" {
		t.Errorf("performance-reward-grant status = %q; want historical", e.Status)
	}
}

func BenchmarkEmbedded(b *testing.B) {
	for b.Loop() {
		if _, err := Embedded(); err != nil {
			b.Fatal(err)
		}
	}
}

func FuzzLoad(f *testing.F) {
	f.Add(goodSource + goodEntry)
	f.Add("[[entry]]\nid = \"x\"\n[entry.funding]\namount = 3\n")
	f.Add("[language]\nsynonyms = [[]]\n")
	f.Add("[[service]]\nname = \"x\"\nphrases = [\"\"]\n")
	f.Fuzz(func(t *testing.T, s string) {
		b, err := Load(fstest.MapFS{"f.toml": &fstest.MapFile{Data: []byte(s)}})
		if (b == nil) == (err == nil) {
			t.Fatalf("Load = %v, %v; want exactly one", b, err)
		}
	})
}

func TestPlacesFindByNameAliasAndArea(t *testing.T) {
	b, ps := load(t, map[string]string{"a.toml": goodSource + places + strings.Replace(goodEntry, "related = []", `related = []
only_in = ["Somer Valley"]`, 1)})
	if ps != nil {
		t.Fatal(ps)
	}
	tests := []struct{ name, want, area string }{
		{"Radstock", "Radstock", "Somer Valley"},
		{"radstoke", "Radstock", "Somer Valley"},
		{"SOMER   valley", "Somer Valley", "Somer Valley"},
	}
	for _, tt := range tests {
		p, ok := b.Place(tt.name)
		if !ok || p.Name != tt.want || b.AreaOf(p) == nil || b.AreaOf(p).Name != tt.area {
			t.Errorf("Place(%q) = %v, %v; want %s in %s", tt.name, p, ok, tt.want, tt.area)
		}
	}
	if _, ok := b.Place("Atlantis"); ok {
		t.Error("Place(Atlantis) found a place")
	}
	r, _ := b.Place("Radstock")
	e, _ := b.Entry("pact")
	if !b.Covers(e.OnlyIn, r) {
		t.Error("an entry only in Somer Valley does not cover Radstock, which lies in it")
	}
	if got := b.Areas(); len(got) != 1 || got[0].Name != "Somer Valley" {
		t.Errorf("Areas() = %v; want Somer Valley", got)
	}
}

// TestEmbeddedPlaces: every place the issue names is known, and
// the areas the documents do not give are left unknown, not guessed.
func TestEmbeddedPlaces(t *testing.T) {
	b, err := Embedded()
	if err != nil {
		t.Fatal(err)
	}
	if got := len(b.Areas()); got != 4 {
		t.Errorf("%d areas; want Bath, Keynsham, Chew Valley and Somer Valley", got)
	}
	for name, area := range map[string]string{
		"Radstock": "Somer Valley", "Westfield": "Somer Valley", "Midsomer Norton": "Somer Valley",
		"Southdown": "Bath", "London Road": "Bath", "Keynsham South": "Keynsham", "Chew Stoke": "Chew Valley",
		"Foxhill": "", "Whiteway": "", "Odd Down": "", "Combe Down": "", "Larkhall": "", "Snow Hill": "",
		"Timsbury": "", "Farmborough": "", "Camerton": "", "Saltford": "", "Freshford": "",
		"Limpley Stoke": "", "Southstoke": "", "Combe Hay": "",
	} {
		p, ok := b.Place(name)
		if !ok {
			t.Errorf("no place %s", name)
			continue
		}
		if p.Area != area {
			t.Errorf("%s lies in %q; want %q", name, p.Area, area)
		}
	}
}
