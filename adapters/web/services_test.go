package web

import (
	"cmp"
	"html"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/bathnes/signpost/bot"
	"github.com/bathnes/signpost/directory"
	"github.com/bathnes/signpost/directory/answer"
	"github.com/bathnes/signpost/directory/synth"
	"github.com/bathnes/signpost/internal/benchcpu"
	"github.com/bathnes/signpost/internal/chattest"
)

// servicesDesk is the desk over the real core answering from services.
func servicesDesk(t testing.TB, services []directory.Service) *httptest.Server {
	t.Helper()
	b := chattest.Bot()
	useServices(b, services)
	a, err := New(Config{}, b, slog.New(slog.DiscardHandler))
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(a.Handler())
	t.Cleanup(srv.Close)
	return srv
}

// useServices gives b a directory of services, indexed as serve's is.
func useServices(b *bot.Bot, services []directory.Service) {
	b.UseDirectory(answer.New(directory.NewIndex(services, directory.Options{K: answer.IndexK}), nil))
}

// fixtureServices are the services of ORUK feed files: the project's own
// fictional v1 feed, and the public ones in directory/testdata/oruk.
func fixtureServices(t testing.TB, paths ...string) []directory.Service {
	t.Helper()
	var out []directory.Service
	for _, p := range paths {
		f, err := os.Open(p)
		if err != nil {
			t.Fatalf("ORUK fixture: %v", err)
		}
		page, err := directory.Parse(f, filepath.Base(p), time.Now())
		f.Close()
		if err != nil {
			t.Fatalf("read %s: %v", p, err)
		}
		out = append(out, page.Services...)
	}
	return out
}

var v1Feed = []string{"../../directory/testdata/v1/services-page1.json", "../../directory/testdata/v1/services-page2.json"}

// synthetic is a synthetic directory of n services, made once per size.
var synthetic = sync.OnceValue(func() []directory.Service { return synth.Services(2000, 1) })

// listed are the services' names on a page, in order.
func listed(body string) []string {
	var out []string
	for _, m := range regexp.MustCompile(`<label for="pick-\d+"><strong>([^<]*)</strong>`).FindAllStringSubmatch(body, -1) {
		out = append(out, html.UnescapeString(m[1]))
	}
	return out
}

// keys are the values of the page's boxes, in order.
func keys(body string) []string {
	var out []string
	for _, m := range regexp.MustCompile(`name="pick" id="pick-\d+" value="([^"]*)"`).FindAllStringSubmatch(body, -1) {
		out = append(out, html.UnescapeString(m[1]))
	}
	return out
}

// TestServicesTabFiltersByNeedDayAndPlace: the tab's form, over the
// fictional v1 feed: a need, a day a service meets on and a postcode
// list it with how far and its next session that day; a day it does not
// meet on lists nothing, and says so.
func TestServicesTabFiltersByNeedDayAndPlace(t *testing.T) {
	t.Parallel()
	srv := servicesDesk(t, fixtureServices(t, v1Feed...))
	code, body, _ := get(t, srv, "/services?need=lunch+club&day=thursday&near=BA2")
	if code != 200 {
		t.Fatalf("status %d", code)
	}
	if got := listed(body); len(got) != 1 || got[0] != "Example Thursday Lunch Club" {
		t.Errorf("lunch club, Thursday, BA2 lists %q; want the Thursday lunch club", got)
	}
	card := between(body, `<section class="card"`, "</section>")
	for _, want := range []string{"Where: Example Hall", "from BA2", "Next: Thursday", "Contact: 01632 960001", "Source: services-page1.json, record b1f0c4de",
		"last checked", html.EscapeString(bot.StaffLocalNote), `<option value="thursday" selected>`} {
		if !strings.Contains(card+body, want) {
			t.Errorf("the results lack %q:\n%s", want, card)
		}
	}
	_, body, _ = get(t, srv, "/services?need=lunch+club&day=monday&near=BA2")
	if got := listed(body); len(got) != 0 || !strings.Contains(body, bot.LocalNone) {
		t.Errorf("lunch club on a Monday lists %q; want none, said plainly", got)
	}
	_, body, _ = get(t, srv, "/services?need=befriending")
	if got := listed(body); len(got) != 1 || !strings.Contains(body, "Name a town or a postcode") {
		t.Errorf("befriending anywhere lists %q; want the befriending service, and a word on where", got)
	}
	code, body, _ = get(t, srv, "/services?need=lunch+club&day=someday")
	if code != 400 || !strings.Contains(body, `href="#day"`) || strings.Contains(body, `class="card"`) {
		t.Errorf("a day not on the list: %d; want 400 with the error summary pointing at the day", code)
	}
	code, body, _ = get(t, srv, "/services")
	if code != 200 || !strings.Contains(body, `id="need"`) || strings.Contains(body, `class="card"`) || !strings.Contains(body, `href="/services" aria-current="page"`) {
		t.Errorf("the tab before a search: %d; want the form alone, the tab current", code)
	}
}

// TestServicesTabOverPublicFeeds: the public ORUK pages (Bristol's, with
// no locations or schedules) are listed honestly: what the record does
// not say is said as such.
func TestServicesTabOverPublicFeeds(t *testing.T) {
	t.Parallel()
	srv := servicesDesk(t, fixtureServices(t, "../../directory/testdata/oruk/bristol/services-page1.json"))
	_, body, _ := get(t, srv, "/services?need=young+people&near=BA2")
	card := between(body, `<section class="card"`, "</section>")
	if len(listed(body)) == 0 || !strings.Contains(card, "covers B&amp;NES") || !strings.Contains(card, bot.NoTimes) {
		t.Errorf("Bristol's services: %q\n%s", listed(body), card)
	}
}

// TestServicesTabSuggestsWhatTheDirectoryHolds: the need field offers the
// feed's own taxonomy terms (v1's service_taxonomys, Bristol's target
// audiences; a list the browser shows as staff type, no script needed),
// and each finds services: in the fictional feed, the one filed under it
// first.
func TestServicesTabSuggestsWhatTheDirectoryHolds(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		feed  []string
		first map[string]string // each term offered, and the service it lists first ("" for any)
	}{
		{v1Feed, map[string]string{"Lunch clubs": "Example Thursday Lunch Club", "Youth clubs": "Example Youth Club", "Befriending": "Example Befriending Service"}},
		{[]string{"../../directory/testdata/oruk/bristol/services-page1.json"}, map[string]string{"Care leavers": "", "Homeless": ""}},
	} {
		srv := servicesDesk(t, fixtureServices(t, tt.feed...))
		_, body, _ := get(t, srv, "/services")
		var offered []string
		for _, m := range regexp.MustCompile(`<option value="([^"]*)">`).FindAllStringSubmatch(between(body, `<datalist id="needs">`, "</datalist>"), -1) {
			offered = append(offered, html.UnescapeString(m[1]))
		}
		if len(offered) != len(tt.first) || !strings.Contains(body, `list="needs"`) {
			t.Errorf("%s: need suggestions %q; want the feed's %d terms, tied to the field", tt.feed[0], offered, len(tt.first))
		}
		for _, term := range offered {
			_, page, _ := get(t, srv, "/services?need="+url.QueryEscape(term))
			want, ok := tt.first[term]
			if got := listed(page); !ok || len(got) == 0 || want != "" && got[0] != want {
				t.Errorf("%s: need %q lists %q; want %q first", tt.feed[0], term, got, cmp.Or(want, "any service"))
			}
		}
	}
}

// TestServicesTabWithoutADirectory: a desk with no directory says so on
// the tab, with who to ask, as a page: never an error.
func TestServicesTabWithoutADirectory(t *testing.T) {
	t.Parallel()
	srv := desk(t, Config{})
	for _, path := range []string{"/services", "/services?need=lunch+club&day=thursday&near=BA2"} {
		code, body, _ := get(t, srv, path)
		if code != 200 || !strings.Contains(body, html.EscapeString(bot.Services.NoDirectory)) || strings.Contains(body, `id="need"`) {
			t.Errorf("GET %s without a directory: %d; want 200 saying there is none, and no form", path, code)
		}
	}
}

// TestServicesCopyHoldsOnlyTheChosen: without a script, the copy button
// sends the ticks, and the copy comes back holding those services alone,
// in the caller's words; none ticked is said.
func TestServicesCopyHoldsOnlyTheChosen(t *testing.T) {
	t.Parallel()
	srv := servicesDesk(t, synthetic())
	search := "/services?need=lunch+club&near=BA2"
	_, body, _ := get(t, srv, search)
	names, ks := listed(body), keys(body)
	if len(names) < 4 || len(ks) != len(names) {
		t.Fatalf("lunch club near BA2 lists %d services, %d boxes; want several, a box each", len(names), len(ks))
	}
	_, body, _ = get(t, srv, search+"&copy=1&pick="+url.QueryEscape(ks[1])+"&pick="+url.QueryEscape(ks[3]))
	copied := html.UnescapeString(between(body, `<textarea id="copy-text"`, "</textarea>"))
	for i, n := range names {
		if got, want := strings.Contains(copied, n), i == 1 || i == 3; got != want {
			t.Errorf("the copy holds %s: %v; want %v\n%s", n, got, want, copied)
		}
	}
	if !strings.Contains(copied, bot.LocalNote) || strings.Contains(copied, bot.StaffLocalNote) {
		t.Errorf("the copy is not in the caller's words:\n%s", copied)
	}
	if got := len(regexp.MustCompile(`checked>`).FindAllString(body, -1)); got != 2 {
		t.Errorf("%d boxes ticked on the page that came back; want the 2 sent", got)
	}
	_, body, _ = get(t, srv, search+"&copy=1")
	if !strings.Contains(body, bot.Services.NonePicked+"</p>") {
		t.Error("copying with nothing ticked does not say so")
	}
}

// TestCopyPartsMakeTheCopyOfAnyChoice: what the page's script joins, for
// every choice of the services listed, is what the server copies.
func TestCopyPartsMakeTheCopyOfAnyChoice(t *testing.T) {
	t.Parallel()
	b := chattest.Bot()
	b.UseDirectory(answer.New(directory.NewIndex(synth.Services(2000, 2), directory.Options{K: answer.IndexK}), nil))
	ans, err := b.Services(bot.Question{}, bot.ServiceSearch{Need: "lunch club", Place: "BA2"})
	if err != nil || len(ans.Locals) < 4 {
		t.Fatalf("Services: %d, %v", len(ans.Locals), err)
	}
	ans.Locals = ans.Locals[:4]
	p := copyParts(ans, nil)
	for set := 1; set < 1<<len(ans.Locals); set++ {
		var chosen, texts []string
		for i, it := range p.Items {
			if set&(1<<i) != 0 {
				chosen, texts = append(chosen, it.Key), append(texts, it.Copy)
			}
		}
		if got, want := p.Head+strings.Join(texts, "\n")+p.Tail, copyText(ans.OnlyLocals(chosen)); got != want {
			t.Fatalf("choice %b: the script makes\n%s\nwant\n%s", set, got, want)
		}
	}
}

// bigDesk is the desk over a synthetic directory at the scale,
// 50,000 services, built once for the benchmarks.
var bigDesk = sync.OnceValue(func() http.Handler {
	b := chattest.Bot()
	b.UseDirectory(answer.New(directory.NewIndex(synth.Services(50000, 1), directory.Options{K: answer.IndexK}), nil))
	a, err := New(Config{}, b, slog.New(slog.DiscardHandler))
	if err != nil {
		panic(err)
	}
	return a.Handler()
})

// benchPage is the server's time for one page, request to last byte,
// with no network: the target for each is under 10 ms. It reports the
// process's CPU per page (cpu-ns/op) beside wall time, which a shared
// two-core machine inflates many times over.
func benchPage(b *testing.B, path, want string) {
	h := bigDesk()
	req := httptest.NewRequest("GET", path, nil)
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	if rec.Code != 200 || !strings.Contains(rec.Body.String(), want) {
		b.Fatalf("GET %s: %d, without %q", path, rec.Code, want)
	}
	// The directory just built leaves garbage that is not this page's.
	runtime.GC()
	b.ReportAllocs()
	b.ResetTimer()
	report := benchcpu.Start(b)
	for b.Loop() {
		h.ServeHTTP(httptest.NewRecorder(), req)
	}
	report("cpu-ns/op")
}

// BenchmarkServicesPage is the Services tab's results over 50,000
// services: the search, ten services laid out with their boxes, and the
// copy's pieces.
func BenchmarkServicesPage(b *testing.B) {
	for _, tt := range []struct{ name, query string }{
		{"need day place", "need=lunch+club&day=thursday&near=BA2"},
		{"need place, two ticked", "need=food+bank&near=Keynsham&copy=1&pick=x&pick=y"},
		{"common word anywhere", "need=support"},
		{"day and place alone", "day=monday&near=BA1"},
	} {
		b.Run(tt.name, func(b *testing.B) { benchPage(b, "/services?"+tt.query, `class="card"`) })
	}
}

// BenchmarkAnswerPageWithDirectory is the search page answering a
// question about local services over 50,000 services.
func BenchmarkAnswerPageWithDirectory(b *testing.B) {
	for _, q := range []string{"is there a lunch club near BA2 on a Thursday?", "food bank Twerton", "how do we list our pub"} {
		b.Run(q, func(b *testing.B) { benchPage(b, "/?q="+url.QueryEscape(q), `class="card"`) })
	}
}
