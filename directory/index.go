package directory

import (
	"cmp"
	"container/heap"
	"fmt"
	"maps"
	"math"
	"slices"
	"strings"
	"sync"
	"time"
	"unicode"
)

// Options tune an Index. The zero value gives the defaults.
type Options struct {
	// K is how many results a question gets: 3 by default, as many as a
	// person can take in from a chat message or a phone call.
	K int
	// StaleAfter is the age past which a record's last check is said out
	// loud ("last checked 14 months ago"): 12 months by default.
	StaleAfter time.Duration
	// Area is what a service with no coordinates is said to cover: "B&NES"
	// by default, the area the directory is for.
	Area string
	// MaxKM leaves out, when a question names a place, services with
	// coordinates further away than this: 25 km by default.
	MaxKM float64
	// UnplacedKM is the distance at which a service without coordinates is
	// ranked when a question names a place: 10 km by default, so that a
	// B&NES-wide service sits behind one round the corner but ahead of
	// one across the county.
	UnplacedKM float64
}

func (o Options) withDefaults() Options {
	if o.K <= 0 {
		o.K = 3
	}
	if o.StaleAfter <= 0 {
		o.StaleAfter = 365 * 24 * time.Hour
	}
	if o.Area == "" {
		o.Area = "B&NES"
	}
	if o.MaxKM <= 0 {
		o.MaxKM = 25
	}
	if o.UnplacedKM <= 0 {
		o.UnplacedKM = 10
	}
	return o
}

// Query is a question to the directory.
type Query struct {
	Text string // the need, in the asker's words ("lunch club")
	// Need, when given, is searched instead of Text's words: each
	// element one word of the need, as stems, with the words a record
	// may use for it instead (needs.Alternatives). A service matching
	// any of a group counts as matching that word once, by its best.
	Need [][]string
	Near *Point // where the asker is, when known
	// Where is the place Near is, when the question named one: a service
	// with no coordinates whose record says it is there (its location's
	// name, address or postcode) ranks as if there, not Options.UnplacedKM
	// off.
	Where *Place
	Day   Day       // the day asked about, or AnyDay
	Now   time.Time // for next sessions and the age of records; zero means time.Now
}

// Result is one service found, with what to say honestly about it.
type Result struct {
	Service     *Service // the index's own copy: read it, do not change it
	Score       float64
	Distance    float64 // km from Query.Near to the nearest location, when HasDistance
	HasDistance bool
	Next        Session // the next session (on Query.Day, when given), when HasNext
	HasNext     bool
	// NoCoordinates: the record gives no location to measure from, so say
	// it covers the Options' Area rather than a distance.
	NoCoordinates bool
	// NoSchedule: no usable times; say NoTimes.
	NoSchedule bool
	Checked    time.Time // when the record was last checked; zero when not given
	// Dated says whether Checked is a check (assured_date) or only the
	// record's last change (last_modified).
	Dated Dated
	// Stale: Checked is older than Options.StaleAfter, or not given.
	Stale bool
	// Notes are the honest sentences to show with the result, in order:
	// "covers B&NES", "times not published: ring first", "last checked 14
	// months ago", "temporarily closed".
	Notes []string
}

// Index is an in-memory search over services: words of need from the name,
// taxonomy, organization and description; day; and place. It is built once
// (NewIndex) and then read by any number of goroutines; a refresh builds a
// new Index and swaps it in.
//
// A question touches only the services sharing one of its words (an
// inverted index) and keeps the best K in a small heap, so its cost grows
// with the matches, not with the size of the directory, and nothing sorts
// every match.
type Index struct {
	opts     Options
	services []Service
	postings map[string][]posting
	dayMask  []uint8  // the weekdays a service meets on; 0 when unknown
	terms    []string // taxonomy terms, most used first (see Terms)
	ptStart  []int32  // points[ptStart[i]:ptStart[i+1]] are service i's locations
	points   []Point
	first    []point32 // each service's first location, NaN when none: the common case, kept flat
	// spelt are the indexed words by first letter and length, for
	// Known to find the word a misspelt one meant among a few.
	spelt map[spellKey][]string

	scratch sync.Pool
}

type point32 struct{ lat, lon float32 }

type posting struct {
	doc int32
	w   float32 // the BM25 term weight, field weights folded in
}

// Field weights: a word in the name says more about what a service is than
// one in a long description.
const (
	weightName     = 3
	weightTaxonomy = 2
	weightOrg      = 1
	weightDesc     = 1
	bm25K1         = 1.2
	bm25B          = 0.75
)

// NewIndex indexes services, leaving out those whose status says they no
// longer run (inactive, defunct). It keeps the slice it is given, without
// copying, and moves the services it keeps to its front: 50,000 services
// are some 60 MB, and an import should not hold two copies at its peak.
// The caller must not use or change services afterwards.
func NewIndex(services []Service, opts Options) *Index {
	ix := &Index{opts: opts.withDefaults(), postings: map[string][]posting{}}
	kept := services[:0]
	for i := range services {
		switch services[i].Status {
		case "inactive", "defunct":
			continue
		}
		kept = append(kept, services[i])
	}
	clear(services[len(kept):])
	ix.services = kept[:len(kept):len(kept)]
	n := len(ix.services)
	ix.dayMask = make([]uint8, n)
	ix.ptStart = make([]int32, n+1)
	ix.first = make([]point32, n)

	// Two passes over the words: BM25 needs the average length before it
	// can weigh any term.
	lengths := make([]float32, n)
	var total float64
	var buf []string
	for i := range ix.services {
		var l float32
		ix.fields(&ix.services[i], buf, func(_ string, w float32) { l += w })
		lengths[i] = l
		total += float64(l)
	}
	avg := float32(1)
	if n > 0 && total > 0 {
		avg = float32(total / float64(n))
	}
	tf := map[string]float32{}
	for i := range ix.services {
		s := &ix.services[i]
		clear(tf)
		ix.fields(s, buf, func(t string, w float32) { tf[t] += w })
		norm := bm25K1 * (1 - bm25B + bm25B*lengths[i]/avg)
		for t, f := range tf {
			ix.postings[t] = append(ix.postings[t], posting{doc: int32(i), w: f * (bm25K1 + 1) / (f + norm)})
		}
		for _, sc := range s.Schedules {
			if r, err := parseRule(sc); err == nil {
				ix.dayMask[i] |= r.mask
			}
		}
		ix.first[i] = point32{float32(math.NaN()), float32(math.NaN())}
		for _, l := range s.Locations {
			if l.HasPoint {
				if len(ix.points) == int(ix.ptStart[i]) {
					ix.first[i] = point32{float32(l.Point.Lat), float32(l.Point.Lon)}
				}
				ix.points = append(ix.points, l.Point)
			}
		}
		ix.ptStart[i+1] = int32(len(ix.points))
	}
	ix.terms = commonTerms(ix.services, maxTerms)
	ix.spelt = map[spellKey][]string{}
	for t := range ix.postings {
		k := spellKey{t[0], len(t)}
		ix.spelt[k] = append(ix.spelt[k], t)
	}
	// Postings were appended into slices that grew by doubling; trimming
	// them returns up to half their memory.
	for t, p := range ix.postings {
		ix.postings[t] = p[:len(p):len(p)]
	}
	ix.scratch.New = func() any {
		return &scratch{scores: make([]float32, n), hits: make([]uint8, n), best: make([]float32, n)}
	}
	return ix
}

// maxTerms is how many taxonomy terms Terms gives: a list a person picks
// from, not the whole taxonomy.
const maxTerms = 60

// Terms are the taxonomy terms the directory's services carry, those
// most services carry first (then A to Z), at most maxTerms: what staff
// can search the directory for, in its own words. None when the feed
// has no taxonomy.
func (ix *Index) Terms() []string { return ix.terms }

// commonTerms counts terms whatever their case ("Lunch clubs", "lunch
// clubs"), under the spelling met first.
func commonTerms(services []Service, most int) []string {
	count, spelt := map[string]int{}, map[string]string{}
	for i := range services {
		for _, t := range services[i].Taxonomy {
			k := strings.ToLower(strings.TrimSpace(t))
			if k == "" {
				continue
			}
			if _, ok := spelt[k]; !ok {
				spelt[k] = strings.TrimSpace(t)
			}
			count[k]++
		}
	}
	keys := slices.Collect(maps.Keys(count))
	slices.SortFunc(keys, func(a, b string) int { return cmp.Or(count[b]-count[a], strings.Compare(a, b)) })
	terms := make([]string, 0, min(len(keys), most))
	for _, k := range keys[:min(len(keys), most)] {
		terms = append(terms, spelt[k])
	}
	return terms
}

// fields calls fn for every indexed word of a service with its weight.
func (ix *Index) fields(s *Service, buf []string, fn func(term string, w float32)) {
	for _, f := range []struct {
		text string
		w    float32
	}{{s.Name, weightName}, {s.Organization, weightOrg}, {s.Description, weightDesc}} {
		buf = tokens(f.text, buf[:0])
		for _, t := range buf {
			fn(t, f.w)
		}
	}
	for _, term := range s.Taxonomy {
		buf = tokens(term, buf[:0])
		for _, t := range buf {
			fn(t, weightTaxonomy)
		}
	}
}

// Len is the number of services indexed.
func (ix *Index) Len() int { return len(ix.services) }

type scratch struct {
	scores  []float32
	hits    []uint8
	touched []int32
	groups  [][]string
	// best and met hold one need word's best weight for each service
	// while its alternatives are read.
	best []float32
	met  []int32
}

// Search answers a question with at most K services, best first. Words that
// name a day or a postcode are not searched for as needs (use Query.Day and
// Query.Near for them). With no need words it ranks every service by place
// and day alone. It is safe for concurrent use.
func (ix *Index) Search(q Query) []Result {
	if len(ix.services) == 0 {
		return nil
	}
	if q.Now.IsZero() {
		q.Now = time.Now()
	}
	sc := ix.scratch.Get().(*scratch)
	defer ix.scratch.Put(sc)

	sc.groups = sc.groups[:0]
	if len(q.Need) > 0 {
		sc.groups = append(sc.groups, q.Need...)
	} else {
		for _, t := range tokens(q.Text, nil) {
			if questionDays[strings.TrimSuffix(t, "s")] != AnyDay || questionDays[t] != AnyDay {
				continue
			}
			if _, ok := ParsePostcode(t); ok {
				continue
			}
			if !slices.ContainsFunc(sc.groups, func(g []string) bool { return g[0] == t }) {
				sc.groups = append(sc.groups, []string{t})
			}
		}
	}
	sr := searcher{ix: ix, q: q, k: ix.opts.K, floor: -1}
	if q.Near != nil {
		sr.cosLat = math.Cos(q.Near.Lat * math.Pi / 180)
	}
	if len(sc.groups) == 0 {
		for doc := range ix.services {
			sr.consider(int32(doc), 1)
		}
	} else {
		sc.touched = sc.touched[:0]
		for _, g := range sc.groups {
			ix.post(sc, g)
		}
		nt := float64(len(sc.groups))
		for _, doc := range sc.touched {
			// Coordination: a service matching every word of the need beats
			// one matching a single word strongly ("lunch club", not every
			// club).
			score := float64(sc.scores[doc]) * float64(sc.hits[doc]) / nt
			sc.scores[doc], sc.hits[doc] = 0, 0
			sr.consider(doc, score)
		}
	}

	out := make([]Result, len(sr.top))
	for i := len(out) - 1; i >= 0; i-- {
		c := heap.Pop(&sr.top).(candidate)
		out[i] = ix.result(c, q)
	}
	return out
}

// post adds one word of the need to the services' scores: for each
// service, the best of the word's alternatives, weighed by BM25.
func (ix *Index) post(sc *scratch, alts []string) {
	n := float64(len(ix.services))
	sc.met = sc.met[:0]
	for _, t := range alts {
		ps := ix.postings[t]
		if len(ps) == 0 {
			continue
		}
		df := float64(len(ps))
		idf := float32(math.Log(1 + (n-df+0.5)/(df+0.5)))
		for _, p := range ps {
			w := idf * p.w
			if sc.best[p.doc] == 0 {
				sc.met = append(sc.met, p.doc)
			}
			sc.best[p.doc] = max(sc.best[p.doc], w)
		}
	}
	for _, doc := range sc.met {
		if sc.hits[doc] == 0 {
			sc.touched = append(sc.touched, doc)
		}
		sc.hits[doc]++
		sc.scores[doc] += sc.best[doc]
		sc.best[doc] = 0
	}
}

// spellKey files a word by its first letter and length.
type spellKey struct {
	first byte
	n     int
}

// Known is w (a stem, as internal/stem makes them) as the directory's
// records spell it: w itself when a service uses it; else the word of
// a service one slip from it (a letter left out, added, changed, or two
// swapped), the one most services use; false when there is none. Words
// of under four letters are never corrected ("pub" is a slip from too
// much), nor into one ("feed" is not "fee"), nor a first letter (people
// rarely slip on it, and it keeps the look-up to a few words).
func (ix *Index) Known(w string) (string, bool) {
	if len(ix.postings[w]) > 0 {
		return w, true
	}
	if len(w) < 4 {
		return "", false
	}
	best, most := "", 0
	for n := max(len(w)-1, 4); n <= len(w)+1; n++ {
		for _, c := range ix.spelt[spellKey{w[0], n}] {
			df := len(ix.postings[c])
			if (df > most || df == most && c < best) && oneSlip(w, c) { // ties: the first A to Z, never map order
				best, most = c, df
			}
		}
	}
	return best, most > 0
}

// oneSlip reports whether a and b differ by one edit: a letter left out,
// added or changed, or two neighbours swapped.
func oneSlip(a, b string) bool {
	if len(a) > len(b) {
		a, b = b, a
	}
	i := 0
	for i < len(a) && a[i] == b[i] {
		i++
	}
	switch {
	case len(b)-len(a) > 1:
		return false
	case len(a) < len(b): // one added
		return a[i:] == b[i+1:]
	case i == len(a): // the same
		return false
	case a[i+1:] == b[i+1:]: // one changed
		return true
	}
	// two swapped
	return i+1 < len(a) && a[i] == b[i+1] && a[i+1] == b[i] && a[i+2:] == b[i+2:]
}

// searcher holds one question's best K so far.
type searcher struct {
	ix     *Index
	q      Query
	k      int
	top    resultHeap
	cosLat float64
	// floor is the score a candidate must beat to enter the full heap, -1
	// until it is full. Day and distance only ever lower a score, so a
	// candidate whose need score is already below the floor is dropped
	// before they are worked out: exact pruning, which matters when a
	// common word touches thousands of services.
	floor float64
}

const kmPerDegree = math.Pi / 180 * earthRadiusKM

func (sr *searcher) consider(doc int32, score float64) {
	if score < sr.floor {
		return
	}
	ix, q := sr.ix, &sr.q
	if q.Day != AnyDay {
		switch m := ix.dayMask[doc]; {
		case m == 0:
			score *= 0.5 // it may meet that day; the record does not say
		case m&q.Day.bit() == 0:
			return
		}
		if score < sr.floor {
			return
		}
	}
	if q.Near != nil {
		var d2 float64
		ok := true
		// Most services have one location: read it flat, not through
		// ptStart.
		if pt := ix.first[doc]; ix.ptStart[doc+1]-ix.ptStart[doc] <= 1 {
			if pt.lat != pt.lat { // NaN: no location
				ok = false
			} else {
				x := (float64(pt.lon) - q.Near.Lon) * sr.cosLat
				y := float64(pt.lat) - q.Near.Lat
				d2 = x*x + y*y
			}
		} else {
			d2, ok = ix.nearest2(doc, *q.Near, sr.cosLat)
		}
		var d float64
		switch {
		case !ok && sr.there(doc):
			d = 0
		case !ok:
			d = ix.opts.UnplacedKM
		default:
			// Compare squared distances first: most services are too
			// far to matter, and they need no square root.
			limit := ix.opts.MaxKM
			if sr.floor > 0 {
				limit = min(limit, 5*(score/sr.floor-1))
			}
			if limit < 0 || d2*(kmPerDegree*kmPerDegree) > limit*limit {
				return
			}
			d = math.Sqrt(d2) * kmPerDegree
		}
		score /= 1 + d/5
	}
	switch {
	case len(sr.top) < sr.k:
		heap.Push(&sr.top, candidate{doc, score})
	case score > sr.top[0].score || (score == sr.top[0].score && doc < sr.top[0].doc):
		sr.top[0] = candidate{doc, score}
		heap.Fix(&sr.top, 0)
	default:
		return
	}
	if len(sr.top) == sr.k {
		sr.floor = sr.top[0].score
	}
}

// there reports whether a service's record says it is at the place asked
// about: a location's postcode in the outward code or sector asked, or
// its name or address naming the ward, town or village asked.
func (sr *searcher) there(doc int32) bool {
	w := sr.q.Where
	if w == nil {
		return false
	}
	for _, l := range sr.ix.services[doc].Locations {
		switch w.Kind {
		case PlaceOutward:
			if strings.HasPrefix(l.Postcode, w.Code+" ") {
				return true
			}
			continue
		case PlaceSector:
			if strings.HasPrefix(l.Postcode, w.Code) {
				return true
			}
			continue
		}
		if strings.Contains(" "+foldWords(l.Name+" "+l.Address)+" ", " "+foldWords(w.Name)+" ") {
			return true
		}
	}
	return false
}

// foldWords is s in lower case, its words of letters and digits one space
// apart.
func foldWords(s string) string {
	return strings.Join(strings.FieldsFunc(strings.ToLower(s), func(r rune) bool {
		return !unicode.IsLetter(r) && !unicode.IsDigit(r)
	}), " ")
}

// nearest2 is the squared distance, in degrees of arc, to the nearest of a
// service's locations by the equirectangular approximation: within a
// fraction of a per cent at these distances, and far cheaper than haversine
// for ranking thousands. The distance shown is haversine's.
func (ix *Index) nearest2(doc int32, p Point, cosLat float64) (float64, bool) {
	if ix.ptStart[doc+1] == ix.ptStart[doc] {
		return 0, false
	}
	best := math.Inf(1)
	for _, l := range ix.points[ix.ptStart[doc]:ix.ptStart[doc+1]] {
		x := (l.Lon - p.Lon) * cosLat
		y := l.Lat - p.Lat
		best = min(best, x*x+y*y)
	}
	return best, true
}

func (ix *Index) result(c candidate, q Query) Result {
	s := &ix.services[c.doc]
	r := Result{Service: s, Score: c.score}
	r.Checked, r.Dated = s.Checked()
	pts := ix.points[ix.ptStart[c.doc]:ix.ptStart[c.doc+1]]
	if len(pts) == 0 {
		r.NoCoordinates = true
		r.Notes = append(r.Notes, "covers "+ix.opts.Area)
	} else if q.Near != nil {
		r.HasDistance, r.Distance = true, math.Inf(1)
		for _, p := range pts {
			r.Distance = min(r.Distance, Distance(*q.Near, p))
		}
	}
	r.Next, r.HasNext = s.NextSession(q.Now, q.Day)
	if !r.HasNext {
		r.NoSchedule = true
		r.Notes = append(r.Notes, NoTimes)
	}
	switch {
	case r.Checked.IsZero():
		r.Stale = true
		r.Notes = append(r.Notes, "date last checked not given")
	case q.Now.Sub(r.Checked) > ix.opts.StaleAfter:
		r.Stale = true
		r.Notes = append(r.Notes, r.Dated.String()+" "+monthsAgo(r.Checked, q.Now))
	}
	if s.Status == "temporarily closed" {
		r.Notes = append(r.Notes, "temporarily closed")
	}
	return r
}

// monthsAgo says how long ago in whole months ("14 months ago"), counting
// calendar months as a person would.
func monthsAgo(then, now time.Time) string {
	then, now = then.In(London()), now.In(London())
	m := (now.Year()-then.Year())*12 + int(now.Month()) - int(then.Month())
	if now.Day() < then.Day() {
		m--
	}
	switch {
	case m <= 0:
		return "this month"
	case m == 1:
		return "1 month ago"
	case m < 24:
		return fmt.Sprintf("%d months ago", m)
	}
	return fmt.Sprintf("%d years ago", m/12)
}

type candidate struct {
	doc   int32
	score float64
}

// resultHeap is a min-heap on score, so its root is the weakest of the best
// K: a new match need only beat the root. Ties go to the earlier service,
// so results do not depend on map order.
type resultHeap []candidate

func (h resultHeap) Len() int { return len(h) }
func (h resultHeap) Less(i, j int) bool {
	if h[i].score != h[j].score {
		return h[i].score < h[j].score
	}
	return h[i].doc > h[j].doc
}
func (h resultHeap) Swap(i, j int) { h[i], h[j] = h[j], h[i] }
func (h *resultHeap) Push(x any)   { *h = append(*h, x.(candidate)) }
func (h *resultHeap) Pop() any {
	old := *h
	x := old[len(old)-1]
	*h = old[:len(old)-1]
	return x
}

// ParseQuery reads a question in a person's words into a Query: the place
// it names (a postcode, outward code, ward or town in places), the day, and
// the rest as the need. where is the place found, for saying "near BA2
// (Widcombe, …)"; placed is false when the question names none.
func ParseQuery(text string, places *Places, now time.Time) (q Query, where Place, placed bool) {
	q = Query{Text: text, Day: ParseDay(text), Now: now}
	if places != nil {
		if p, named, ok := places.find(text); ok {
			pt, at := p.Point, p
			q.Near, q.Where, where, placed = &pt, &at, p, true
			// A town's name says where, not what: "food bank Twerton"
			// should not rank the Twerton youth club.
			q.Text = removeWords(q.Text, named)
		}
	}
	return q, where, placed
}

// removeWords takes a phrase out of text, ignoring case, where it stands as
// whole words.
func removeWords(text, phrase string) string {
	if phrase == "" {
		return text
	}
	lower := strings.ToLower(text)
	for i := strings.Index(lower, phrase); i >= 0; {
		end := i + len(phrase)
		before := i == 0 || !isWordByte(lower[i-1])
		after := end == len(lower) || !isWordByte(lower[end])
		if before && after {
			return strings.TrimSpace(text[:i] + " " + text[end:])
		}
		j := strings.Index(lower[i+1:], phrase)
		if j < 0 {
			break
		}
		i += 1 + j
	}
	return text
}

func isWordByte(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-' || c >= 0x80
}
