package knowledge

import (
	"crypto/sha256"
	"embed"
	"errors"
	"fmt"
	"hash"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"
	"unicode"

	"github.com/BurntSushi/toml"
	"github.com/bathnes/signpost/internal/clip"
)

//go:embed kb/*.toml
var embedded embed.FS

// Base is a loaded, validated knowledge base. It is read-only once loaded,
// so one Base may be shared by every goroutine of every adapter.
type Base struct {
	Entries  []*Entry
	Services []Service
	Language Language
	// Concepts are people's words for the toolkit's ideas.
	Concepts []Concept
	// Places are every place the base knows, areas first.
	Places  []*Place
	sources map[string]Source
	byID    map[string]*Entry
	// byName finds a place by its folded name or alias.
	byName map[string]*Place
	// Finder is the funding finder's vocabulary.
	Finder Finder
	// located are the entries with where they were defined, and
	// placesAt the places, for CheckSources.
	located  []located
	placesAt []placeAt
	// Examples are the example bank: questions labelled with the entry
	// that answers them, or Outside.
	Examples []Example
	// Digest identifies the files the base was loaded from: two bases
	// with one digest were loaded from the same bytes, so what is derived
	// from one (the matcher's trained model) holds for the other.
	Digest [sha256.Size]byte
}

// Place finds a place by name or alias, ignoring case.
func (b *Base) Place(name string) (*Place, bool) {
	p, ok := b.byName[FoldName(name)]
	return p, ok
}

// Areas are the places of kind "area", in base order.
func (b *Base) Areas() []*Place {
	var out []*Place
	for _, p := range b.Places {
		if p.Kind == Area {
			out = append(out, p)
		}
	}
	return out
}

// AreaOf is the area a place lies in: itself for an area, nil when no
// source places it.
func (b *Base) AreaOf(p *Place) *Place {
	if p.Kind == Area {
		return p
	}
	a, _ := b.Place(p.Area)
	return a
}

// Covers reports whether a list of place names covers p: it names p, or
// the area p lies in.
func (b *Base) Covers(names []string, p *Place) bool {
	for _, n := range names {
		q, ok := b.Place(n)
		if ok && (q == p || q == b.AreaOf(p)) {
			return true
		}
	}
	return false
}

// FoldName is a place name as compared: lower case, single spaces, no
// hyphens or full stops ("Limpley-Stoke" is "limpley stoke").
func FoldName(s string) string {
	return strings.Join(strings.Fields(nameFolder.Replace(strings.ToLower(s))), " ")
}

var nameFolder = strings.NewReplacer("-", " ", ".", "", "'", "", "’", "")

// Entry returns the entry with the id.
func (b *Base) Entry(id string) (*Entry, bool) {
	e, ok := b.byID[id]
	return e, ok
}

// Sources returns every source document, by id.
func (b *Base) Sources() []Source {
	out := make([]Source, 0, len(b.sources))
	for _, s := range b.sources {
		out = append(out, s)
	}
	slices.SortFunc(out, func(x, y Source) int { return strings.Compare(x.ID, y.ID) })
	return out
}

// SourcesOf returns the documents behind an entry, newest first, so answers
// can say how old their facts are.
func (b *Base) SourcesOf(e *Entry) []Source {
	var out []Source
	for _, id := range e.Sources {
		if s, ok := b.sources[id]; ok {
			out = append(out, s)
		}
	}
	slices.SortStableFunc(out, func(x, y Source) int { return strings.Compare(y.Date, x.Date) })
	return out
}

// Problem is one defect in a knowledge-base file, at a line and column
// (0 when unknown).
type Problem struct {
	File string
	Line int
	Col  int
	Msg  string
	// Rule is the rule of CheckSources that found it, or "" for a
	// problem of loading.
	Rule Rule
}

func (p Problem) Error() string {
	switch {
	case p.Line > 0 && p.Col > 0:
		return fmt.Sprintf("%s:%d:%d: %s", p.File, p.Line, p.Col, p.Msg)
	case p.Line > 0:
		return fmt.Sprintf("%s:%d: %s", p.File, p.Line, p.Msg)
	}
	return fmt.Sprintf("%s: %s", p.File, p.Msg)
}

// Problems is every defect found in a load. It is returned as the error, so
// `kb check` can print them all rather than stop at the first.
type Problems []Problem

func (ps Problems) Error() string {
	msgs := make([]string, len(ps))
	for i, p := range ps {
		msgs[i] = p.Error()
	}
	return strings.Join(msgs, "\n")
}

// Embedded loads the knowledge base compiled into the binary.
func Embedded() (*Base, error) {
	sub, err := fs.Sub(embedded, "kb")
	if err != nil {
		return nil, err
	}
	return Load(sub)
}

// LoadPath loads a knowledge base from a directory of TOML files or from a
// single TOML file.
func LoadPath(p string) (*Base, error) {
	info, err := os.Stat(p)
	if err != nil {
		return nil, fmt.Errorf("load knowledge: %w", err)
	}
	if info.IsDir() {
		return Load(os.DirFS(p))
	}
	return Load(singleFile{dir: filepath.Dir(p), name: filepath.Base(p)})
}

// singleFile is an fs.FS holding one file, so a lone TOML file loads through
// the same path as a directory.
type singleFile struct{ dir, name string }

func (s singleFile) Open(name string) (fs.File, error) {
	switch name {
	case ".":
		return os.DirFS(s.dir).Open(".")
	case s.name:
		return os.DirFS(s.dir).Open(s.name)
	}
	return nil, &fs.PathError{Op: "open", Path: name, Err: fs.ErrNotExist}
}

func (s singleFile) ReadDir(name string) ([]fs.DirEntry, error) {
	if name != "." {
		return nil, &fs.PathError{Op: "readdir", Path: name, Err: fs.ErrNotExist}
	}
	all, err := fs.ReadDir(os.DirFS(s.dir), ".")
	if err != nil {
		return nil, err
	}
	for _, d := range all {
		if d.Name() == s.name {
			return []fs.DirEntry{d}, nil
		}
	}
	return nil, nil
}

// file is the shape of every knowledge-base file: any file may hold any of
// these tables, so editors can split the base as they like.
type file struct {
	Language *Language  `toml:"language"`
	Source   []Source   `toml:"source"`
	Entry    []Entry    `toml:"entry"`
	Service  []Service  `toml:"service"`
	Concept  []Concept  `toml:"concept"`
	Place    []Place    `toml:"place"`
	Finder   *Finder    `toml:"finder"`
	Examples []examples `toml:"examples"`
	Outside  []outside  `toml:"outside"`
}

// placeAt is a place with where it was defined, for error messages.
type placeAt struct {
	p    *Place
	file string
	line int
	src  *sourceText
}

// located is an entry with where it was defined, for error messages.
type located struct {
	e    *Entry
	file string
	src  *sourceText
	idx  int
}

// Load reads every *.toml file in fsys, in name order, and validates the
// whole. It returns Problems listing every defect, or the Base.
func Load(fsys fs.FS) (*Base, error) {
	names, err := tomlFiles(fsys)
	if err != nil {
		return nil, err
	}
	l := &loader{b: &Base{sources: map[string]Source{}, byID: map[string]*Entry{}, byName: map[string]*Place{}}, digest: sha256.New()}
	for _, name := range names {
		l.read(fsys, name)
	}
	copy(l.b.Digest[:], l.digest.Sum(nil))
	l.note(l.b.addPlaces(l.places)...)
	l.b.placesAt = l.places
	l.addEntries()
	for _, le := range l.entries {
		l.crossCheck(le)
	}
	l.note(checkConcepts(l.b, l.concepts)...)
	l.addExamples()
	for _, id := range l.b.Finder.Standing {
		if _, ok := l.b.byID[id]; !ok {
			l.note(Problem{File: l.finderFile, Msg: fmt.Sprintf("[finder] standing id %q points to no entry", id)})
		}
	}
	if len(l.probs) > 0 {
		return nil, l.probs
	}
	return l.b, nil
}

// tomlFiles are the names of fsys's *.toml files, in name order.
func tomlFiles(fsys fs.FS) ([]string, error) {
	var names []string
	err := fs.WalkDir(fsys, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if !d.IsDir() && strings.HasSuffix(p, ".toml") {
			names = append(names, p)
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("load knowledge: %w", err)
	}
	if len(names) == 0 {
		return nil, Problems{{File: ".", Msg: "no .toml files found"}}
	}
	sort.Strings(names)
	return names, nil
}

// loader gathers a base from its files a step at a time (read, merge,
// places, entries, cross-references), noting every problem on the way so
// kb check can list them all at once.
type loader struct {
	b        *Base
	probs    Problems
	entries  []located
	places   []placeAt
	concepts []conceptAt
	examples []exampleAt
	digest   hash.Hash
	// languageFile and finderFile hold the one [language] and [finder].
	languageFile, finderFile string
}

func (l *loader) note(ps ...Problem) { l.probs = append(l.probs, ps...) }

// read decodes one file, names its unknown keys, and merges it in.
func (l *loader) read(fsys fs.FS, name string) {
	data, err := fs.ReadFile(fsys, name)
	if err != nil {
		l.note(Problem{File: name, Msg: err.Error()})
		return
	}
	fmt.Fprintf(l.digest, "%s\x00%d\x00", name, len(data))
	l.digest.Write(data)
	src := newSourceText(string(data))
	var f file
	md, err := toml.Decode(src.text, &f)
	if err != nil {
		l.note(decodeProblem(name, err))
		return
	}
	for _, key := range md.Undecoded() {
		if isClaimKey(key) {
			continue // claims check their own keys
		}
		l.note(Problem{File: name, Line: src.keyLine(key[len(key)-1]), Msg: fmt.Sprintf("unknown key %q", key.String())})
	}
	l.merge(name, src, f)
}

// merge adds one file's tables to the base; places and entries wait for
// every file, since they refer to each other and to sources.
func (l *loader) merge(name string, src *sourceText, f file) {
	if f.Language != nil {
		l.once(&l.languageFile, "language", name, src)
		l.b.Language = *f.Language
	}
	if f.Finder != nil {
		l.once(&l.finderFile, "finder", name, src)
		l.b.Finder = *f.Finder
	}
	for i, s := range f.Source {
		l.addSource(s, Problem{File: name, Line: src.headerLine("source", i)})
	}
	for i, s := range f.Service {
		if s.Name == "" || len(s.Phrases)+len(s.Always) == 0 {
			l.note(Problem{File: name, Line: src.headerLine("service", i), Msg: "service needs a name and phrases"})
		}
	}
	l.b.Services = append(l.b.Services, f.Service...)
	for i, c := range f.Concept {
		if c.Name == "" || len(c.Phrases) == 0 || strings.TrimSpace(c.Means) == "" {
			l.note(Problem{File: name, Line: src.headerLine("concept", i), Msg: "concept needs a name, phrases and means"})
		}
	}
	l.concepts = append(l.concepts, conceptAt{file: name, src: src, n: len(f.Concept)})
	l.b.Concepts = append(l.b.Concepts, f.Concept...)
	for i := range f.Place {
		l.places = append(l.places, placeAt{p: &f.Place[i], file: name, line: src.headerLine("place", i), src: src})
	}
	for i := range f.Entry {
		l.entries = append(l.entries, located{e: &f.Entry[i], file: name, src: src, idx: i})
	}
	l.mergeExamples(name, src, f.Examples, f.Outside)
}

// claimFields are the keys whose values are claims: a string, or a table
// { text, cite, own } whose keys the claim checks itself.
var claimFields = map[string]bool{"summary": true, "details": true, "start": true, "guidance": true, "note": true}

// isClaimKey reports whether a key the decoder left alone lies inside a
// claim.
func isClaimKey(key toml.Key) bool {
	if len(key) < 3 {
		return false
	}
	switch key[len(key)-1] {
	case "text", "cite", "own":
	default:
		return false
	}
	return claimFields[key[len(key)-2]]
}

// once notes a second [table] of one the base holds only once.
func (l *loader) once(first *string, table, name string, src *sourceText) {
	if *first != "" {
		l.note(Problem{File: name, Line: src.headerLine(table, 0), Msg: "second [" + table + "] table (the first is in " + *first + ")"})
	}
	*first = name
}

// addSource checks one [[source]] and adds it; at says where it is.
func (l *loader) addSource(s Source, at Problem) {
	bad := func(msg string) { at.Msg = msg; l.note(at) }
	if s.ID == "" || (s.File == "") == (s.URL == "") || s.Title == "" || !dateRE.MatchString(s.Date) {
		bad("source needs id, title, date (YYYY or YYYY-MM) and either file or url")
		return
	}
	if s.URL != "" && !strings.HasPrefix(s.URL, "https://") && !strings.HasPrefix(s.URL, "http://") {
		bad(fmt.Sprintf("source %q: url %q must start with http:// or https://", s.ID, s.URL))
	}
	if _, dup := l.b.sources[s.ID]; dup {
		bad(fmt.Sprintf("duplicate source id %q", s.ID))
	}
	l.b.sources[s.ID] = s
}

// addEntries checks each entry on its own and adds those with a new id.
func (l *loader) addEntries() {
	firstAt := map[string]string{}
	for _, le := range l.entries {
		le.e.Summary = strings.Join(le.e.SummaryClaims.Texts(), " ")
		le.e.Details = le.e.DetailClaims.Texts()
		le.e.Start = strings.Join(le.e.StartClaims.Texts(), " ")
		le.e.Guidance = le.e.GuidanceClaims.Texts()
		for i := range le.e.Contacts {
			le.e.Contacts[i].Note = le.e.Contacts[i].NoteClaim.Text
		}
		l.note(checkEntry(le, l.b.sources)...)
		id := le.e.ID
		if id == "" {
			continue
		}
		if first, dup := firstAt[id]; dup {
			l.note(le.problem("id", fmt.Sprintf("duplicate id %q (first defined at %s)", id, first)))
			continue
		}
		firstAt[id] = fmt.Sprintf("%s:%d", le.file, le.src.headerLine("entry", le.idx))
		l.b.byID[id] = le.e
		l.b.Entries = append(l.b.Entries, le.e)
		l.b.located = append(l.b.located, le)
	}
}

// crossCheck checks what an entry names elsewhere: related entries,
// places, and the funding finder's keys.
func (l *loader) crossCheck(le located) {
	e := le.e
	for _, r := range e.Related {
		if _, ok := l.b.byID[r]; !ok {
			l.note(le.problem("related", fmt.Sprintf("entry %q: related id %q points to no entry", e.ID, r)))
		}
	}
	// Every place an entry names must be a [[place]], so a question from
	// there finds it and a misspelling in the base is caught.
	named := map[string][]string{"places": e.Places, "only_in": e.OnlyIn}
	for _, loc := range e.Local {
		named["local"] = append(named["local"], loc.Places...)
		if loc.Fact == "" || len(loc.Places) == 0 {
			l.note(le.problem("local", fmt.Sprintf("entry %q: a local fact needs places and a fact", e.ID)))
		}
	}
	for _, field := range []string{"places", "only_in", "local"} {
		for _, n := range named[field] {
			if _, ok := l.b.Place(n); !ok {
				l.note(le.problem(field, fmt.Sprintf("entry %q: place %q is not a [[place]] of the knowledge base", e.ID, n)))
			}
		}
	}
	if fu := e.Funding; fu != nil {
		l.checkKeys(le, "applicants", "[[finder.applicant]]", fu.Applicants, l.b.Finder.Applicants)
		l.checkKeys(le, "purposes", "[[finder.purpose]]", fu.Purposes, l.b.Finder.Purposes)
		// A finder rule counts only with the lines that state it: one
		// without them is a slip, not a rule.
		for _, r := range []struct {
			field string
			set   bool
			cite  string
		}{
			{"applicants", len(fu.Applicants) > 0, fu.ApplicantsCite},
			{"purposes", len(fu.Purposes) > 0, fu.PurposesCite},
			{"max_band", fu.MaxBand != "", fu.MaxBandCite},
			{"raise", fu.Raise, fu.RaiseCite},
		} {
			if r.set && strings.TrimSpace(r.cite) == "" {
				l.note(le.problem(r.field, fmt.Sprintf("entry %q: the finder rule %s needs %s_cite, the lines that state it", e.ID, r.field, r.field)))
			}
		}
		if fu.MaxBand != "" && !slices.ContainsFunc(l.b.Finder.Bands, func(b Band) bool { return b.Key == fu.MaxBand }) {
			l.note(le.problem("max_band", fmt.Sprintf("entry %q: max_band %q is not a [[finder.band]] key", e.ID, fu.MaxBand)))
		}
		if fu.MaxGBP > 0 && fu.MinGBP > fu.MaxGBP {
			l.note(le.problem("min_gbp", fmt.Sprintf("entry %q: min_gbp is above max_gbp", e.ID)))
		}
	}
}

// checkKeys notes each of keys that is not an option of the finder's.
func (l *loader) checkKeys(le located, field, table string, keys []string, opts []Option) {
	for _, k := range keys {
		if !hasKey(opts, k) {
			l.note(le.problem(field, fmt.Sprintf("entry %q: %s %q is not a %s key", le.e.ID, strings.TrimSuffix(field, "s"), k, table)))
		}
	}
}

// conceptAt says how many concepts a file holds, for error lines.
type conceptAt struct {
	file string
	src  *sourceText
	n    int
}

// checkConcepts makes sure every word a concept means is a word some entry
// uses: a concept that expands to words no entry has would point nowhere.
func checkConcepts(b *Base, at []conceptAt) Problems {
	used := map[string]bool{}
	for _, e := range b.Entries {
		for _, w := range strings.FieldsFunc(strings.ToLower(e.Text()), notWordRune) {
			used[w] = true
		}
	}
	var probs Problems
	i := 0
	for _, f := range at {
		for j := 0; j < f.n; j, i = j+1, i+1 {
			c := b.Concepts[i]
			for _, w := range strings.FieldsFunc(strings.ToLower(c.Means), notWordRune) {
				if !used[w] {
					probs = append(probs, Problem{File: f.file, Line: f.src.headerLine("concept", j),
						Msg: fmt.Sprintf("concept %q: %q in means is a word no entry uses", c.Name, w)})
				}
			}
		}
	}
	return probs
}

func notWordRune(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) }

func hasKey(opts []Option, key string) bool {
	for _, o := range opts {
		if o.Key == key {
			return true
		}
	}
	return false
}

// addPlaces validates places and indexes them by name and alias: names are
// unique, kinds known, areas real, sources named.
func (b *Base) addPlaces(ps []placeAt) Problems {
	var probs Problems
	bad := func(at placeAt, msg string) {
		probs = append(probs, Problem{File: at.file, Line: at.line, Msg: fmt.Sprintf("place %q: %s", at.p.Name, msg)})
	}
	// Areas first, so the list offered to people starts with them.
	slices.SortStableFunc(ps, func(x, y placeAt) int {
		return boolInt(y.p.Kind == Area) - boolInt(x.p.Kind == Area)
	})
	for _, at := range ps {
		p := at.p
		p.Note = p.NoteClaim.Text
		if p.Name == "" {
			bad(at, "missing required field name")
			continue
		}
		if !slices.Contains(PlaceKinds, p.Kind) {
			bad(at, fmt.Sprintf("kind %q must be one of %s", p.Kind, joinOf(PlaceKinds)))
		}
		if len(p.Sources) == 0 {
			bad(at, "has no source: say which document names the place")
		}
		for _, s := range p.Sources {
			if _, ok := b.sources[s]; !ok {
				bad(at, fmt.Sprintf("source %q is not a [[source]] of the knowledge base", s))
			}
		}
		for _, n := range append([]string{p.Name}, p.Aliases...) {
			k := FoldName(n)
			if other, dup := b.byName[k]; dup {
				bad(at, fmt.Sprintf("name %q is already %q's", n, other.Name))
				continue
			}
			b.byName[k] = p
		}
		b.Places = append(b.Places, p)
	}
	for _, at := range ps {
		if at.p.Area == "" {
			continue
		}
		a, ok := b.Place(at.p.Area)
		switch {
		case !ok || a.Kind != Area:
			bad(at, fmt.Sprintf("area %q is not a [[place]] of kind \"area\"", at.p.Area))
		case at.p.Kind == Area:
			bad(at, "an area lies in no other area")
		case at.p.AreaSource == "" || !slices.Contains(at.p.Sources, at.p.AreaSource):
			bad(at, "area_source must name the one of its sources that places it in its area")
		default:
			src := b.sources[at.p.AreaSource]
			at.p.AreaFrom = &src
		}
	}
	return probs
}

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}

// MaxIDLen bounds an entry id: buttons carry ids, and Discord allows 100
// characters in a button's custom id and in an autocomplete value.
const MaxIDLen = 64

var (
	idRE    = regexp.MustCompile(`^[a-z0-9]+(-[a-z0-9]+)*$`)
	dateRE  = regexp.MustCompile(`^\d{4}(-(0[1-9]|1[0-2]))?$`)
	phoneRE = regexp.MustCompile(`^[0-9 +()]{6,}$`)
)

func checkEntry(l located, sources map[string]Source) []Problem {
	e := l.e
	var probs []Problem
	bad := func(field, msg string) {
		name := e.ID
		if name == "" {
			name = "(no id)"
		}
		probs = append(probs, l.problem(field, fmt.Sprintf("entry %s: %s", name, msg)))
	}
	switch {
	case e.ID == "":
		bad("id", "missing required field id")
	case !idRE.MatchString(e.ID):
		bad("id", fmt.Sprintf("id %q must be lowercase words joined by hyphens", e.ID))
	case len(e.ID) > MaxIDLen:
		bad("id", fmt.Sprintf("id %q is %d characters; at most %d fit in a chat button", e.ID, len(e.ID), MaxIDLen))
	}
	if e.Title == "" {
		bad("title", "missing required field title")
	}
	if e.Summary == "" {
		bad("summary", "missing required field summary")
	}
	if len(e.Kinds) == 0 {
		bad("kinds", "missing required field kinds")
	}
	for _, k := range e.Kinds {
		if !slices.Contains(Kinds, k) {
			bad("kinds", fmt.Sprintf("unknown kind %q (want one of %s)", k, joinOf(Kinds)))
		}
	}
	if !slices.Contains(Statuses, e.Status) {
		bad("status", fmt.Sprintf("status %q must be one of %s", e.Status, joinOf(Statuses)))
	}
	if !dateRE.MatchString(e.AsOf) {
		bad("as_of", fmt.Sprintf("as_of %q must be a date, YYYY or YYYY-MM", e.AsOf))
	}
	if len(e.Sources) == 0 {
		bad("sources", "has no source: every fact must name the document it comes from")
	}
	for _, s := range e.Sources {
		if _, ok := sources[s]; !ok {
			bad("sources", fmt.Sprintf("source %q is not a [[source]] of the knowledge base", s))
		}
	}
	if e.Is(KindTool) && e.Theme == "" {
		bad("kinds", "a tool needs a theme, so the menu can group it")
	}
	if e.Is(KindFunding) && e.Funding == nil {
		bad("kinds", "a funding route needs a [entry.funding] table (amount, who may apply)")
	}
	for _, c := range e.Contacts {
		if msg := checkContact(c); msg != "" {
			bad("contacts", msg)
		}
	}
	return probs
}

// checkContact says what is wrong with a contact, or "": the documents'
// numbers and addresses must at least be well formed.
func checkContact(c Contact) string {
	switch {
	case c.Name == "":
		return "contact without a name"
	case c.Email != "" && (!strings.Contains(c.Email, "@") || strings.ContainsAny(c.Email, " \t")):
		return fmt.Sprintf("contact %q: e-mail %q is not an address", c.Name, c.Email)
	case c.URL != "" && !strings.HasPrefix(c.URL, "https://") && !strings.HasPrefix(c.URL, "http://"):
		return fmt.Sprintf("contact %q: url %q must start with http:// or https://", c.Name, c.URL)
	case c.Phone != "" && !phoneRE.MatchString(c.Phone):
		return fmt.Sprintf("contact %q: phone %q is not a phone number", c.Name, c.Phone)
	}
	return ""
}

// problem places a message at the line of field within the entry, or at the
// entry's header when the field is absent.
func (l located) problem(field, msg string) Problem {
	return Problem{File: l.file, Line: l.src.fieldLine("entry", l.idx, field), Msg: msg}
}

var lineInMsg = regexp.MustCompile(`line (\d+)`)

// decodeProblem turns a TOML decode error into a Problem with a line and,
// for syntax errors, a column.
func decodeProblem(name string, err error) Problem {
	var pe toml.ParseError
	if errors.As(err, &pe) {
		return Problem{File: name, Line: pe.Position.Line, Col: pe.Position.Col, Msg: pe.Message}
	}
	p := Problem{File: name, Msg: err.Error()}
	if m := lineInMsg.FindStringSubmatch(err.Error()); m != nil {
		p.Line, _ = strconv.Atoi(m[1])
	}
	return p
}

// sourceText finds lines in a TOML file. The decoder gives no positions for
// decoded values, so entry and field lines are found by scanning: the i-th
// [[entry]] header is the i-th entry.
type sourceText struct {
	text  string
	lines []string
}

func newSourceText(text string) *sourceText {
	return &sourceText{text: text, lines: strings.Split(text, "\n")}
}

func isHeader(line, table string) bool {
	t := strings.TrimSpace(line)
	return strings.HasPrefix(t, "[[") && strings.TrimSpace(strings.Trim(strings.SplitN(t, "]]", 2)[0], "[")) == table ||
		strings.HasPrefix(t, "[") && !strings.HasPrefix(t, "[[") && strings.TrimSpace(strings.Trim(strings.SplitN(t, "]", 2)[0], "[")) == table
}

// headerLine is the 1-based line of the i-th header of table, or 0.
func (s *sourceText) headerLine(table string, i int) int {
	n := 0
	for ln, line := range s.lines {
		if isHeader(line, table) {
			if n == i {
				return ln + 1
			}
			n++
		}
	}
	return 0
}

// fieldLine is the line of `field =` inside the i-th table, or its header.
func (s *sourceText) fieldLine(table string, i int, field string) int {
	start := s.headerLine(table, i)
	if start == 0 {
		return 0
	}
	for ln := start; ln < len(s.lines); ln++ {
		t := strings.TrimSpace(s.lines[ln])
		if isHeader(s.lines[ln], table) {
			break
		}
		if k, _, ok := strings.Cut(t, "="); ok && strings.TrimSpace(k) == field {
			return ln + 1
		}
	}
	return start
}

// lineOf is the first line at or after from that holds the start of
// text as written in TOML, or from.
func (s *sourceText) lineOf(text string, from int) int {
	snippet := strings.ReplaceAll(clip.Runes(text, 40), `"`, `\"`)
	snippet = strings.TrimSuffix(snippet, "…")
	for ln := max(from-1, 0); ln < len(s.lines); ln++ {
		if strings.Contains(s.lines[ln], snippet) {
			return ln + 1
		}
	}
	return from
}

// keyLine is the first line that sets key, as `key =` or a `[...key]` header.
func (s *sourceText) keyLine(key string) int {
	for ln, line := range s.lines {
		t := strings.TrimSpace(line)
		if k, _, ok := strings.Cut(t, "="); ok && strings.Trim(strings.TrimSpace(k), `"`) == key {
			return ln + 1
		}
		if h := strings.Trim(t, "[] "); strings.HasPrefix(t, "[") && h[strings.LastIndex(h, ".")+1:] == key {
			return ln + 1
		}
	}
	return 0
}
