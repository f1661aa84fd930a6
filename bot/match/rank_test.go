package match

import (
	"slices"
	"testing"

	"github.com/bathnes/signpost/knowledge"
)

// The steps of rank, each on its own: what the question weighs (weigh),
// what each entry gathers from the postings (post), the bonus for saying
// an entry's name in full (sayNames), and the top few kept without a sort
// of everything touched (best).

func TestWeighCountsEachTermOnceAndPairsAdjacentWords(t *testing.T) {
	m := fixture(t)
	q := m.reading("village library village library").q
	terms, mass, blind := m.weigh(q)
	seen := map[string]int{}
	for _, tm := range terms {
		seen[tm.t]++
	}
	for tm, n := range seen {
		if n != 1 {
			t.Errorf("term %q weighed %d times; want once", tm, n)
		}
	}
	var pair bool
	for _, tm := range terms {
		pair = pair || !tm.unigram()
	}
	if !pair {
		t.Errorf("no pair of adjacent words among %v; 'village library' should weigh as a pair too", terms)
	}
	if mass <= 0 || blind != 0 {
		t.Errorf("mass %v, blind content %d; want a positive mass and nothing set aside", mass, blind)
	}

	// Words set aside (a service's) weigh in the question's mass but are
	// no term an entry can match.
	q = m.reading("village library").q
	_, all, _ := m.weigh(q)
	for i := range q {
		q[i].blind = true
	}
	terms, aside, blind := m.weigh(q)
	if len(terms) != 0 || aside != all || blind == 0 {
		t.Errorf("all set aside: %d terms, mass %v (want %v), %d blind content; want 0 terms, the same mass, some blind",
			len(terms), aside, all, blind)
	}
}

func TestPostScoresOnlyEntriesThatShareATerm(t *testing.T) {
	m := fixture(t)
	terms, _, _ := m.weigh(m.reading("community library").q)
	b := newBoard(len(m.base.Entries))
	content := m.post(terms, b)
	if content == 0 {
		t.Fatalf("post counted no content words in 'community library'")
	}
	byID := map[string]hits{}
	for _, e := range b.touched {
		byID[m.base.Entries[e].ID] = b.tallies[e]
	}
	lib, ok := byID["village-libraries"]
	if !ok || lib.score <= 0 || lib.evidence < 2 {
		t.Fatalf("village-libraries on the board: %+v (touched %v); want a score and the pair's evidence", lib, ok)
	}
	if _, ok := byID["police-meetings"]; ok {
		t.Errorf("police-meetings touched by 'community library': it shares no word")
	}
	for id, h := range byID {
		if id != "village-libraries" && h.score >= lib.score {
			t.Errorf("%s scores %v, not below village-libraries' %v", id, h.score, lib.score)
		}
	}
}

func TestSayNamesRewardsANameSaidInFullOnce(t *testing.T) {
	m := fixture(t)
	board := func(text string) *board {
		b := newBoard(len(m.base.Entries))
		m.sayNames(m.reading(text).q, b)
		return b
	}
	idx := slices.IndexFunc(m.base.Entries, func(e *knowledge.Entry) bool { return e.ID == "asset-transfer" })
	said := board("community asset transfer or community asset transfer").tallies[idx]
	if !said.said || said.score <= 0 {
		t.Fatalf("'community asset transfer' said in full: %+v; want the bonus", said)
	}
	once := board("community asset transfer").tallies[idx]
	if said.score != once.score {
		t.Errorf("name said twice scores %v, once %v; want the bonus once an entry", said.score, once.score)
	}
	if got := board("transfer asset community").tallies[idx]; got.said {
		t.Errorf("the words out of order earned the name bonus: %+v", got)
	}
}

func TestBestKeepsTheTopFewInOrderWithTiesById(t *testing.T) {
	m := fixture(t)
	b := newBoard(len(m.base.Entries))
	scores := []float64{3, 1, 5, 5, 2, 0}
	for i, s := range scores {
		if i >= len(m.base.Entries) {
			break
		}
		t := b.touch(int32(i))
		t.score, t.matched, t.evidence = s, 1, 2
	}
	got := m.best(b, 1, 2, 3)
	if len(got) != 3 {
		t.Fatalf("best of %d with limit 3 gave %d", len(b.touched), len(got))
	}
	for i := 1; i < len(got); i++ {
		a, z := got[i-1], got[i]
		if a.Score < z.Score || a.Score == z.Score && a.Entry.ID > z.Entry.ID {
			t.Errorf("out of order at %d: %s %v before %s %v", i, a.Entry.ID, a.Score, z.Entry.ID, z.Score)
		}
	}
	if got[0].Score != 5 || got[1].Score != 5 || got[2].Score != 3 {
		t.Errorf("scores %v, %v, %v; want 5, 5, 3", got[0].Score, got[1].Score, got[2].Score)
	}
	if m.best(b, 1, 2, 0) != nil {
		t.Errorf("limit 0 gave matches")
	}
}
