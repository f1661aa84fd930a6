package directory_test

import (
	"bytes"
	"runtime"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/bathnes/signpost/directory"
	"github.com/bathnes/signpost/directory/synth"
	"github.com/bathnes/signpost/internal/benchcpu"
	"github.com/bathnes/signpost/internal/needs"
	"github.com/bathnes/signpost/internal/stem"
)

// The scale: a council directory of 50,000 services.
const scale = 50000

var (
	big     = sync.OnceValue(func() []directory.Service { return synth.Services(scale, 1) })
	bigFeed = sync.OnceValue(func() []byte {
		var b bytes.Buffer
		// Not big(): the import benchmark should hold no services but
		// those it reads.
		if err := synth.WriteNDJSON(&b, synth.Services(scale, 1)); err != nil {
			panic(err)
		}
		return b.Bytes()
	})
	bigIndex = sync.OnceValue(func() *directory.Index { return directory.NewIndex(big(), directory.Options{}) })
)

var questions = []string{
	"is there a lunch club near BA2 on a Thursday?",
	"anything for lonely older men in Midsomer Norton",
	"youth club Thursday evening Keynsham",
	"food bank Twerton",
	"community cafe",
	"debt advice BS31",
	"support for carers",
	"anything near BA1",
}

var now = time.Date(2026, 3, 10, 11, 0, 0, 0, directory.London())

// BenchmarkSearch is one question, read and answered, over 50,000
// services: ParseQuery then Search, for each question in turn. The target
// is under 2 ms.
func BenchmarkSearch(b *testing.B) {
	ix := bigIndex()
	places := directory.DefaultPlaces()
	for _, text := range questions {
		b.Run(text, func(b *testing.B) {
			b.ReportAllocs()
			report := benchcpu.Start(b)
			for b.Loop() {
				q, _, _ := directory.ParseQuery(text, places, now)
				if len(ix.Search(q)) == 0 {
					b.Fatalf("no answer to %q", text)
				}
			}
			report("cpu-ns/op")
		})
	}
}

// BenchmarkSearchWidened is the search the core makes of a question:
// each word read as the word a record uses when one slip from it
// (Known), and searched with the words a record may use for it instead
// (internal/needs), over 50,000 services. Widening touches more
// postings ("lonely" is eight words); the target is still under 2 ms.
func BenchmarkSearchWidened(b *testing.B) {
	ix := bigIndex()
	places := directory.DefaultPlaces()
	for _, text := range []string{"anything for lonely older men in Midsomer Norton", "teenagers Keynsham", "hungry families Twerton", "luch club BA2"} {
		b.Run(text, func(b *testing.B) {
			b.ReportAllocs()
			report := benchcpu.Start(b)
			for b.Loop() {
				q, _, _ := directory.ParseQuery(text, places, now)
				q.Need = nil
				for _, w := range strings.Fields(strings.ToLower(q.Text)) {
					w = stem.Word(w)
					if meant, ok := ix.Known(w); ok {
						w = meant
					}
					q.Need = append(q.Need, needs.Alternatives(w))
				}
				if len(ix.Search(q)) == 0 {
					b.Fatalf("no answer to %q", text)
				}
			}
			report("cpu-ns/op")
		})
	}
}

// BenchmarkImport reads a 50,000-service ndjson feed and indexes it: the
// whole of an import but the store. The target is under 60 s. It reports
// the heap that the indexed services hold once built (MB-held) and the
// memory the process took from the system (MB-sys); the target is under
// 500 MB.
func BenchmarkImport(b *testing.B) {
	feed := bigFeed()
	b.SetBytes(int64(len(feed)))
	b.ReportAllocs()
	report := benchcpu.Start(b)
	for b.Loop() {
		p, err := directory.Parse(bytes.NewReader(feed), "synthetic", now)
		if err != nil || len(p.Services) != scale {
			b.Fatalf("parsed %d services: %v", len(p.Services), err)
		}
		runtime.KeepAlive(directory.NewIndex(p.Services, directory.Options{}))
	}
	b.StopTimer()
	report("cpu-s/op")
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	p, _ := directory.Parse(bytes.NewReader(feed), "synthetic", now)
	ix := directory.NewIndex(p.Services, directory.Options{})
	p = directory.Page{}
	runtime.GC()
	runtime.ReadMemStats(&after)
	b.ReportMetric(float64(after.HeapAlloc-before.HeapAlloc)/(1<<20), "MB-held")
	// Sys is all the memory the Go runtime has taken from the system over
	// the benchmark process, which holds the feed itself and, after
	// BenchmarkSearch, a second index of 50,000: a loose upper bound on
	// the import's peak. (`signpost directory import` of the same feed
	// into SQLite peaked at 189 MB resident, December 2025.)
	b.ReportMetric(float64(after.Sys)/(1<<20), "MB-sys")
	b.ReportMetric(float64(ix.Len()), "services")
	runtime.KeepAlive(ix)
}

// TestFiftyThousandServicesAreHeldInUnder500MB is issue 24's memory
// target as a size verdict: a directory of 50,000 services, read from its
// feed and indexed, holds under 500 MB of heap once the import's garbage
// is collected. (BenchmarkImport reports the figure; this keeps it.)
func TestFiftyThousandServicesAreHeldInUnder500MB(t *testing.T) {
	if testing.Short() || raceDetector {
		t.Skip("reads 50,000 services: not in -short or -race")
	}
	feed := bigFeed()
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	p, err := directory.Parse(bytes.NewReader(feed), "synthetic", now)
	if err != nil || len(p.Services) != scale {
		t.Fatalf("parsed %d services: %v", len(p.Services), err)
	}
	ix := directory.NewIndex(p.Services, directory.Options{})
	p = directory.Page{}
	runtime.GC()
	runtime.ReadMemStats(&after)
	held := int64(after.HeapAlloc) - int64(before.HeapAlloc)
	t.Logf("%d services hold %.1f MB", ix.Len(), float64(held)/(1<<20))
	if held > 500<<20 {
		t.Errorf("%d services hold %.0f MB; want under 500 MB", ix.Len(), float64(held)/(1<<20))
	}
	runtime.KeepAlive(ix)
}

// The index keeps the best K in a heap instead of sorting every match; it
// must choose exactly the first K of the full ranking, for every question.
func TestTopKIsTheHeadOfTheFullRanking(t *testing.T) {
	services := synth.Services(3000, 7)
	top := directory.NewIndex(slices.Clone(services), directory.Options{})
	all := directory.NewIndex(services, directory.Options{K: len(services)})
	places := directory.DefaultPlaces()
	for _, text := range append(questions, "club", "group for everyone", "walking", "") {
		q, _, _ := directory.ParseQuery(text, places, now)
		got, full := top.Search(q), all.Search(q)
		if len(full) > 3 {
			full = full[:3]
		}
		if len(got) != len(full) {
			t.Fatalf("%q: %d results; the full ranking starts with %d", text, len(got), len(full))
		}
		for i := range got {
			if got[i].Service.ID != full[i].Service.ID || got[i].Score != full[i].Score {
				t.Errorf("%q: result %d = %s (%.4f); full ranking has %s (%.4f)", text, i,
					got[i].Service.ID, got[i].Score, full[i].Service.ID, full[i].Score)
			}
		}
		for i := 1; i < len(full); i++ {
			if full[i].Score > full[i-1].Score {
				t.Errorf("%q: ranking not in order at %d", text, i)
			}
		}
	}
}

// Search is read by many goroutines at once (the desk, Slack, Discord);
// run with -race this checks that it shares nothing unsafely.
func TestSearchConcurrently(t *testing.T) {
	ix := directory.NewIndex(synth.Services(2000, 3), directory.Options{})
	places := directory.DefaultPlaces()
	want := map[string]string{}
	for _, text := range questions {
		q, _, _ := directory.ParseQuery(text, places, now)
		if r := ix.Search(q); len(r) > 0 {
			want[text] = r[0].Service.ID
		}
	}
	var wg sync.WaitGroup
	for g := 0; g < 8; g++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; i < 50; i++ {
				text := questions[(g+i)%len(questions)]
				q, _, _ := directory.ParseQuery(text, places, now)
				r := ix.Search(q)
				if len(r) > 0 && r[0].Service.ID != want[text] {
					t.Errorf("%q: got %s; want %s", text, r[0].Service.ID, want[text])
				}
			}
		}()
	}
	wg.Wait()
}

func TestSyntheticFeedRoundTrips(t *testing.T) {
	services := synth.Services(200, 5)
	var b bytes.Buffer
	if err := synth.WriteNDJSON(&b, services); err != nil {
		t.Fatal(err)
	}
	p, err := directory.Parse(&b, "synthetic", now)
	if err != nil || len(p.Services) != 200 || len(p.Problems) != 0 {
		t.Fatalf("parsed %d, problems %v, err %v", len(p.Services), p.Problems, err)
	}
	for i, s := range p.Services {
		w := services[i]
		if s.ID != w.ID || s.Name != w.Name || s.Description != w.Description || len(s.Schedules) != len(w.Schedules) ||
			s.HasCoordinates() != w.HasCoordinates() {
			t.Fatalf("service %d: got %+v\nwant %+v", i, s, w)
		}
	}
}
