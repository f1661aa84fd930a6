package main

import (
	"bytes"
	"context"
	"encoding/json"
	"log/slog"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/bathnes/signpost/bot"
	"github.com/bathnes/signpost/directory"
	"github.com/bathnes/signpost/directory/answer"
	"github.com/bathnes/signpost/directory/synth"
	"github.com/bathnes/signpost/knowledge"
	"github.com/bathnes/signpost/store"
)

// feedFile is a fictional ORUK 3.0 page written for these tests
// (example.org, Ofcom's drama numbers 01632 960xxx, coordinates near the
// centroids in directory/places.csv): full records, thin ones (no
// location, no times, no cost, no contact, no date checked), a stale one,
// one temporarily closed and one inactive.
const feedFile = "testdata/directory.json"

// testNow is a Monday morning in March 2026, for next sessions and ages.
var testNow = time.Date(2026, 3, 2, 9, 0, 0, 0, directory.London())

// atNow is a directory asked as if it were testNow, so next sessions do
// not depend on the day the tests run.
type atNow struct{ d *answer.Directory }

func (a atNow) Find(q bot.LocalQuery) []bot.LocalService {
	q.Now = testNow
	return a.d.Find(q)
}

func (a atNow) PlaceIn(text string) (string, bool) { return a.d.PlaceIn(text) }
func (a atNow) TownOf(place string) string         { return a.d.TownOf(place) }

func feedDirectory(t testing.TB) *answer.Directory {
	t.Helper()
	ix, probs, err := loadDirectoryFile(feedFile, directory.Options{}, testNow)
	if err != nil {
		t.Fatal(err)
	}
	if len(probs) > 0 {
		t.Fatalf("%s has problems: %v", feedFile, probs)
	}
	return answer.New(ix, nil)
}

func feedBot(t testing.TB) *bot.Bot {
	t.Helper()
	base, err := knowledge.Embedded()
	if err != nil {
		t.Fatal(err)
	}
	b := bot.New(base)
	b.UseDirectory(atNow{feedDirectory(t)})
	return b
}

// TestLocalDirectoryTurnsResultsIntoWhatARepliesSays: each result becomes
// a service as its record gives it, with the distance from the place
// asked, its next session, cost and contact, and what it lacks left
// empty for the core to say.
func TestLocalDirectoryTurnsResultsIntoWhatARepliesSays(t *testing.T) {
	d := feedDirectory(t)
	lunch, youth, warm, food := "lunch club near BA2", "youth club Thursday evening Keynsham", "warm space Radstock", "food bank Twerton"
	found := map[string]map[string]bot.LocalService{}
	for _, q := range []string{lunch, youth, warm, food, "men's shed Midsomer Norton"} {
		found[q] = map[string]bot.LocalService{}
		for _, l := range d.Find(bot.LocalQuery{Text: q, Now: testNow}) {
			found[q][l.ID] = l
		}
	}
	tests := []struct {
		query, id, field, want string
	}{
		{lunch, "svc-lunch-widcombe", "near", "BA2"},
		{lunch, "svc-lunch-widcombe", "address", "St Mark's Hall, Widcombe Hill, Bath, BA2 6AA"},
		{lunch, "svc-lunch-widcombe", "next", "Thursday 5 March, 12:00 to 14:00"},
		{lunch, "svc-lunch-widcombe", "cost", "£4.50 a meal"},
		{lunch, "svc-lunch-widcombe", "contact", "01632 960101, lunch@example.org"},
		{lunch, "svc-lunch-widcombe", "org", "Widcombe Friends (fictional)"},
		{lunch, "svc-lunch-widcombe", "stale", ""},
		{lunch, "svc-lunch-twerton", "next", ""},
		{lunch, "svc-lunch-twerton", "cost", ""},
		{lunch, "svc-lunch-twerton", "contact", ""},
		{lunch, "svc-lunch-twerton", "checked", "0001-01-01"},
		{lunch, "svc-lunch-combe", "covers", "B&NES"},
		{lunch, "svc-lunch-combe", "stale", "18 months ago"},
		{lunch, "svc-lunch-combe", "next", "Wednesday 4 March, 12:30 to 14:00"},
		{youth, "svc-youth-keynsham", "next", "Thursday 5 March, 18:30 to 20:30 (term time only)"},
		{youth, "svc-youth-keynsham", "ages", "ages 11 to 18"},
		{youth, "svc-youth-keynsham", "cost", "free"},
		{youth, "svc-youth-keynsham", "near", "Keynsham"},
		{food, "svc-food-twerton", "next", "Monday 2 March, 10:00 to 12:00"},
		{food, "svc-food-twerton", "near", "Twerton"},
		{warm, "svc-warm-radstock", "alert", "Temporarily closed. Closed until the hall roof is mended."},
		{"men's shed Midsomer Norton", "svc-shed-mn", "cost", "£2 a session"},
	}
	for _, tt := range tests {
		l, ok := found[tt.query][tt.id]
		if !ok {
			t.Errorf("%q: %s not found", tt.query, tt.id)
			continue
		}
		v := map[string]string{"near": l.Near, "address": l.Address, "next": l.Next, "cost": l.Cost, "org": l.Org, "ages": l.Ages,
			"contact": strings.Join(l.Contact, ", "), "stale": l.Stale, "covers": l.Covers, "alert": l.Alert,
			"checked": l.Checked.Format("2006-01-02")}[tt.field]
		if v != tt.want {
			t.Errorf("%q: %s %s = %q; want %q", tt.query, tt.id, tt.field, v, tt.want)
		}
	}
	if l := found[lunch]["svc-lunch-widcombe"]; !l.HasDistance || l.Distance < 2 || l.Distance > 3 || l.Feed != feedFile {
		t.Errorf("Widcombe: %+v; want about 2.4 km from BA2, from %s", l, feedFile)
	}
	for q := range found {
		if _, ok := found[q]["svc-lunch-old"]; ok {
			t.Errorf("%q: an inactive service was offered", q)
		}
	}
}

// TestIssueQuestionsAreAnsweredFromTheFeed: the questions of issue 24
// through the real core and the feed: the directory's services; the
// toolkit's own questions keep their answers alone.
func TestIssueQuestionsAreAnsweredFromTheFeed(t *testing.T) {
	b := feedBot(t)
	tests := []struct {
		query   string
		outcome bot.Outcome
		first   string   // the toolkit entry stated, for an answer
		ids     []string // the services, in order
	}{
		// The Combe Down lunch gives no coordinates, but its postcode
		// is in BA2: the directory ranks it as if there; its name holds
		// "lunch" but not "club", so the two named lunch clubs lead.
		{"lunch club near BA2", bot.OutcomeLocal, "", []string{"svc-lunch-twerton", "svc-lunch-widcombe", "svc-lunch-combe"}},
		// Not the Combe Down lunch, on Wednesdays; the Twerton one
		// publishes no times, so it may meet on a Thursday.
		{"is there a lunch club near BA2 on a Thursday?", bot.OutcomeLocal, "", []string{"svc-lunch-widcombe", "svc-lunch-twerton"}},
		// The toolkit matched Village Agents on "lonely" and "older
		// people"; the question names no tool, so the services lead.
		{"anything for lonely older men in Midsomer Norton", bot.OutcomeLocal, "", []string{"svc-shed-mn", "svc-befriend", "svc-lunch-combe"}},
		{"youth club Thursday evening Keynsham", bot.OutcomeLocal, "", []string{"svc-youth-keynsham"}},
		{"food bank Twerton", bot.OutcomeLocal, "", []string{"svc-food-twerton"}},
		{"how do we list our pub", bot.OutcomeAnswer, "assets-of-community-value", nil},
		{"who runs PACT here", bot.OutcomeAnswer, "pact", nil},
		{"when is my bin collection day", bot.OutcomeService, "", nil},
	}
	for _, tt := range tests {
		t.Run(tt.query, func(t *testing.T) {
			a, err := b.Answer(context.Background(), bot.Question{Text: tt.query})
			if err != nil {
				t.Fatal(err)
			}
			if a.Outcome() != tt.outcome {
				t.Errorf("outcome %s; want %s", a.Outcome(), tt.outcome)
			}
			if tt.first != "" && (a.Entry == nil || a.Entry.ID != tt.first) {
				t.Errorf("entry %v; want %s first", a.Entry, tt.first)
			}
			var ids []string
			for _, l := range a.Locals {
				ids = append(ids, l.ID)
			}
			if !slices.Equal(ids, tt.ids) {
				t.Errorf("services %q; want %q", ids, tt.ids)
			}
		})
	}
}

// TestSyntheticDirectoryAnswersNearAPlace: over a synthetic directory of
// 5,000 services, a question for a need near a place gets three services
// of that need, each near the place or said to cover B&NES, and the
// toolkit's questions get none.
func TestSyntheticDirectoryAnswersNearAPlace(t *testing.T) {
	base, err := knowledge.Embedded()
	if err != nil {
		t.Fatal(err)
	}
	b := bot.New(base)
	b.UseDirectory(atNow{answer.New(directory.NewIndex(synth.Services(5000, 7), directory.Options{K: answer.ListK}), nil)})
	for _, q := range []string{"lunch club near BA2", "food bank Twerton", "dementia support in Keynsham", "knit and natter near BS31"} {
		a, err := b.Answer(context.Background(), bot.Question{Text: q})
		if err != nil {
			t.Fatal(err)
		}
		if len(a.Locals) != 3 {
			t.Fatalf("%q: %d services; want 3", q, len(a.Locals))
		}
		need := strings.ToLower(strings.Fields(q)[0])
		for _, l := range a.Locals {
			if !strings.Contains(strings.ToLower(l.Name), need) || l.Near == "" || (!l.HasDistance && l.Covers == "" && l.Address == "") {
				t.Errorf("%q: %+v; want a %s near the place", q, l, need)
			}
		}
	}
	for _, q := range []string{"how do we list our pub", "who runs PACT in Radstock", "what funding could our parish council get"} {
		if a, _ := b.Answer(context.Background(), bot.Question{Text: q}); len(a.Locals) > 0 {
			t.Errorf("%q: services %v; the toolkit's question wants none", q, a.Locals)
		}
	}
}

// TestAskJSONMarksDirectoryResults: `ask --json --directory FILE` lists
// the services shown, each marked as the directory's with its record id;
// without a directory the contract is as before, with no services key.
func TestAskJSONMarksDirectoryResults(t *testing.T) {
	code, out, errs := runCmd(t, "food bank Twerton\nhow do we list our pub\n", "ask", "--json", "--directory", feedFile)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	lines := strings.Split(strings.TrimRight(out, "\n"), "\n")
	if len(lines) != 2 {
		t.Fatalf("%d lines; want 2:\n%s", len(lines), out)
	}
	var food, pub map[string]any
	json.Unmarshal([]byte(lines[0]), &food)
	json.Unmarshal([]byte(lines[1]), &pub)
	services, _ := food["services"].([]any)
	if food["outcome"] != "local" || food["answered"] != true || len(services) != 1 {
		t.Fatalf("food bank Twerton: %s; want outcome local with one service", lines[0])
	}
	s := services[0].(map[string]any)
	if s["source"] != "directory" || s["id"] != "svc-food-twerton" || s["feed"] != feedFile || s["name"] != "Twerton Food Bank" {
		t.Errorf("service %v; want source directory, id svc-food-twerton, feed %s", s, feedFile)
	}
	if _, ok := pub["services"]; ok || pub["outcome"] != "answer" {
		t.Errorf("how do we list our pub: %s; want the toolkit's answer, no services", lines[1])
	}
	_, plain, _ := runCmd(t, "food bank Twerton\n", "ask", "--json")
	if strings.Contains(plain, "services") || strings.Contains(plain, "directory") {
		t.Errorf("without a directory: %s; want the contract as before", plain)
	}
}

// TestAskWithDirectoryPrintsServices: `signpost ask --directory FILE`
// prints the services with their source; a missing file is an error.
func TestAskWithDirectoryPrintsServices(t *testing.T) {
	code, out, errs := runCmd(t, "", "ask", "--directory", feedFile, "lunch club near BA2")
	if code != 0 || !strings.Contains(out, bot.LocalTitle) || !strings.Contains(out, "record svc-lunch-widcombe") {
		t.Errorf("ask = %d, %q, %q; want the lunch clubs with their records", code, out, errs)
	}
	if code, _, errs := runCmd(t, "", "ask", "--directory", "testdata/no-such-feed.json", "lunch club"); code != 1 || !strings.Contains(errs, "no-such-feed.json") {
		t.Errorf("missing feed: exit %d, %q; want 1 and the file named", code, errs)
	}
}

// TestHostileFeedRecordIsInert: a record written to attack the screens
// (markup, mentions, escape sequences, a name of 100,000 characters) is
// shown as text, cleaned and cut, by `ask`.
func TestHostileFeedRecordIsInert(t *testing.T) {
	name := "Lunch Club <script>alert(1)</script> <!channel> @everyone *bold* [x](https://evil.example) \x1b[2J\u202e" +
		strings.Repeat(" lunch club", 10000)
	rec := map[string]any{"id": "svc-hostile\u202e", "name": name, "description": "<b>A lunch club</b> \x1b]0;pwned\x07 " + strings.Repeat("x", 100000),
		"status": "active", "phones": []any{map[string]any{"number": "01632 960999 <@U123>"}},
		"service_at_locations": []any{map[string]any{"location": map[string]any{"name": "Hall \x1b[31m", "latitude": 51.3759, "longitude": -2.3585}}}}
	raw, _ := json.Marshal(map[string]any{"contents": []any{rec}, "total_items": 1, "total_pages": 1, "page_number": 1, "first_page": true, "last_page": true})
	path := filepath.Join(t.TempDir(), "hostile.json")
	if err := os.WriteFile(path, raw, 0o644); err != nil {
		t.Fatal(err)
	}
	code, out, errs := runCmd(t, "", "ask", "--directory", path, "lunch club near BA2")
	if code != 0 || !strings.Contains(out, bot.LocalTitle) {
		t.Fatalf("ask = %d, %q, %q; want the directory's answer", code, out, errs)
	}
	if strings.ContainsAny(out, "\x1b\x07\u202e") || strings.Contains(out, "<script>") {
		t.Errorf("output keeps markup or control characters: %q", out)
	}
	if len(out) > 4000 {
		t.Errorf("%d bytes from one record; want it cut", len(out))
	}
}

// BenchmarkDirectoryImportToStore is issue 24's import whole, as an
// operator runs it: `signpost directory import FILE` of a 50,000-service
// ndjson feed into SQLite (import-s), then what serve does with the
// store, reading every service back and indexing it (load-s). The target
// is under 60 s for both.
func BenchmarkDirectoryImportToStore(b *testing.B) {
	const n = 50000
	dir := b.TempDir()
	feed := filepath.Join(dir, "feed.ndjson")
	var buf bytes.Buffer
	if err := synth.WriteNDJSON(&buf, synth.Services(n, 1)); err != nil {
		b.Fatal(err)
	}
	cfg := filepath.Join(dir, "config.toml")
	if os.WriteFile(feed, buf.Bytes(), 0o644) != nil || os.WriteFile(cfg, []byte("[store]\nenabled = true\npath = \"signpost.db\"\n"), 0o600) != nil {
		b.Fatal("cannot write the feed or the config")
	}
	buf = bytes.Buffer{}
	ctx := context.Background()
	var importS, loadS float64
	for b.Loop() {
		t0 := time.Now()
		var out, errs bytes.Buffer
		if code := run(ctx, []string{"directory", "import", "--config", cfg, feed}, strings.NewReader(""), &out, &errs); code != 0 {
			b.Fatalf("import = %d: %s%s", code, out.String(), errs.String())
		}
		t1 := time.Now()
		st, err := store.Open(ctx, store.Config{Path: filepath.Join(dir, "signpost.db")}, slog.New(slog.DiscardHandler))
		if err != nil {
			b.Fatal(err)
		}
		services, err := st.Services(ctx)
		st.Close()
		if ix := directory.NewIndex(services, directory.Options{K: answer.ListK}); err != nil || ix.Len() != n {
			b.Fatalf("loaded %d services: %v", ix.Len(), err)
		}
		importS += t1.Sub(t0).Seconds()
		loadS += time.Since(t1).Seconds()
	}
	b.ReportMetric(importS/float64(b.N), "import-s/op")
	b.ReportMetric(loadS/float64(b.N), "load-s/op")
}

// TestAPlaceOnlyTheDirectoryKnowsPlacesTheListing: a ward the knowledge
// base does not know (Twerton) or knows by another name (Peasedown, for
// the village of Peasedown St John, which the directory knows too) still
// places the services listed: near it, with distances from it, the one
// round the corner first.
func TestAPlaceOnlyTheDirectoryKnowsPlacesTheListing(t *testing.T) {
	b := feedBot(t)
	tests := []struct {
		query, near, first string
		km                 float64 // from the place to the first service, roughly
	}{
		{"lunch club in Twerton", "Twerton", "svc-lunch-twerton", 0.5},
		{"is there a lunch club in Peasedown?", "Peasedown St John", "svc-lunch-twerton", 7.3},
	}
	for _, tt := range tests {
		a, err := b.Answer(context.Background(), bot.Question{Text: tt.query})
		if err != nil || len(a.Locals) == 0 {
			t.Fatalf("%q: %v, no services", tt.query, err)
		}
		l := a.Locals[0]
		if l.ID != tt.first || l.Near != tt.near || !l.HasDistance || math.Abs(l.Distance-tt.km) > 0.5 {
			t.Errorf("%q: first %s near %q, %.1f km (%v); want %s near %s, about %.1f km", tt.query,
				l.ID, l.Near, l.Distance, l.HasDistance, tt.first, tt.near, tt.km)
		}
	}
}

// TestAPlaceOnlyTheDirectoryKnowsIsRemembered: "we're in Twerton", a ward
// the knowledge base does not know, is noted, and places the services the
// conversation asks about next; a toolkit answer is placed in the town it
// is in (Bath), and a message that asks something as well is answered
// as a question.
func TestAPlaceOnlyTheDirectoryKnowsIsRemembered(t *testing.T) {
	b := feedBot(t)
	ask := func(conv, text string) bot.Answer {
		t.Helper()
		a, err := b.Answer(context.Background(), bot.Question{Text: text, Conversation: conv})
		if err != nil {
			t.Fatal(err)
		}
		return a
	}
	for _, said := range []string{"we're in Twerton", "I live in Twerton", "our group is based in Twerton"} {
		conv := "c-" + said
		if a := ask(conv, said); a.Kind != bot.Note || !strings.Contains(a.Message, "you are in Twerton") {
			t.Errorf("%q: %v %q; want it noted", said, a.Kind, a.Message)
			continue
		}
		a := ask(conv, "is there a lunch club?")
		if len(a.Locals) == 0 || a.Locals[0].ID != "svc-lunch-twerton" || a.Locals[0].Near != "Twerton" || !a.Locals[0].HasDistance {
			t.Errorf("after %q, a lunch club: %+v; want the Twerton one first, near Twerton", said, a.Locals)
		}
		if p := ask(conv, "who runs PACT here"); p.Prompt != nil || p.Place == nil || p.Place.Name != "Bath" {
			t.Errorf("after %q, PACT here: prompt %v, place %v; want it answered for Bath, the town Twerton is in", said, p.Prompt, p.Place)
		}
	}
	// Asked along with where: a question, not a note.
	if a := ask("c-both", "we're in Twerton and need a food bank"); a.Kind == bot.Note {
		t.Errorf("a place and a need together were only noted: %q", a.Message)
	}
	// Somewhere neither knows: not noted.
	if a := ask("c-nowhere", "we're in Atlantis"); a.Kind == bot.Note {
		t.Errorf("an unknown place was noted: %q", a.Message)
	}
}
