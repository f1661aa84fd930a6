package main

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/bathnes/signpost/bot"
	"github.com/bathnes/signpost/directory"
	"github.com/bathnes/signpost/knowledge"
	"github.com/bathnes/signpost/ops"
	"github.com/bathnes/signpost/store"
)

// orukFeed is a fake ORUK API: two pages of fictional services in the v3
// envelope, what each request asked, and a switch that breaks page 2.
type orukFeed struct {
	mu     sync.Mutex
	asked  []string
	broken bool
	srv    *httptest.Server
}

func newORUKFeed(t *testing.T) *orukFeed {
	f := &orukFeed{}
	f.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		f.mu.Lock()
		f.asked = append(f.asked, r.URL.RawQuery)
		broken := f.broken
		f.mu.Unlock()
		page := r.URL.Query().Get("page")
		if r.URL.Path != "/api/v3/services" {
			http.NotFound(w, r)
			return
		}
		if broken && page == "2" {
			http.Error(w, "upstream exploded", http.StatusBadGateway)
			return
		}
		n := map[string]int{"1": 1, "2": 3}[page]
		fmt.Fprintf(w, `{"total_items":4,"total_pages":2,"page_number":%s,"size":2,"first_page":%v,"last_page":%v,"empty":false,"contents":[
			{"id":"svc-%d","name":"Lunch club %d","description":"A hot lunch and company, <b>Thursdays</b>.","email":"lunch%d@example.org"},
			{"id":"svc-%d","name":"Youth club %d","email":"not an address"}]}`, page, page == "1", page == "2", n, n, n, n+1, n+1)
	}))
	t.Cleanup(f.srv.Close)
	return f
}

// TestDirectoryImportFromAFeed: `signpost directory import URL` walks the
// pages into the store the config names, reports a mended record by its
// id and field, asks only for changes the next time, and a feed that
// breaks leaves the last good copy and exits 1.
func TestDirectoryImportFromAFeed(t *testing.T) {
	feed := newORUKFeed(t)
	dir := t.TempDir()
	cfg := filepath.Join(dir, "config.toml")
	os.WriteFile(cfg, []byte("[store]\nenabled = true\npath = \"signpost.db\"\n"), 0o600)
	url := feed.srv.URL + "/api/v3"

	code, out, errs := runCmd(t, "", "directory", "import", "--config", cfg, url)
	if code != 0 || !strings.Contains(out, "4 services (read whole)") {
		t.Fatalf("import = %d\n%s%s", code, out, errs)
	}
	if !strings.Contains(out, "svc-2") || !strings.Contains(out, "email") {
		t.Errorf("the report does not name the record and field mended:\n%s", out)
	}
	st, err := store.Open(context.Background(), store.Config{Path: filepath.Join(dir, "signpost.db")}, slog.New(slog.DiscardHandler))
	if err != nil {
		t.Fatal(err)
	}
	services, _ := st.Services(context.Background())
	st.Close()
	if len(services) != 4 || strings.Contains(services[0].Description, "<b>") {
		t.Fatalf("kept %d services (%+v); want 4, as plain text", len(services), services)
	}

	feed.mu.Lock()
	feed.asked = nil
	feed.mu.Unlock()
	if code, out, errs := runCmd(t, "", "directory", "import", "--config", cfg, url); code != 0 || !strings.Contains(out, "changes since the last sync") {
		t.Errorf("second import = %d\n%s%s", code, out, errs)
	}
	feed.mu.Lock()
	if len(feed.asked) == 0 || !strings.Contains(feed.asked[0], "modified_after=") {
		t.Errorf("second import asked %q; want modified_after", feed.asked)
	}
	feed.broken = true
	feed.mu.Unlock()

	code, _, errs = runCmd(t, "", "directory", "import", "--config", cfg, url)
	if code != 1 || !strings.Contains(errs, "last good copy is kept") {
		t.Errorf("a broken feed: %d %q; want exit 1 saying the last copy is kept", code, errs)
	}
	st, _ = store.Open(context.Background(), store.Config{Path: filepath.Join(dir, "signpost.db")}, slog.New(slog.DiscardHandler))
	defer st.Close()
	if services, _ := st.Services(context.Background()); len(services) != 4 {
		t.Errorf("after a broken feed %d services kept; want the 4 of the last good copy", len(services))
	}
	if fs, _ := st.Feed(context.Background(), url); fs.Failures != 1 || fs.Error == "" {
		t.Errorf("feed state %+v; want one failure noted", fs)
	}
}

// TestDirectoryImportWithoutAStoreSaysWhy: with the store off there is
// nowhere to keep services, and the command says so.
func TestDirectoryImportWithoutAStoreSaysWhy(t *testing.T) {
	cfg := writeConfig(t, "[store]\nenabled = false\n")
	code, _, errs := runCmd(t, "", "directory", "import", "--config", cfg, "feed.json")
	if code != 1 || !strings.Contains(errs, "store is off") {
		t.Errorf("= %d %q", code, errs)
	}
}

// TestFeedsRefreshIntoTheAnswersAndReadyz: serve's refresh reads the feeds
// into the store and hands every service kept to the answers; a feed that
// breaks later is a line on /readyz and a failed sync in the metrics, and
// signpost stays ready on the last good copy.
func TestFeedsRefreshIntoTheAnswersAndReadyz(t *testing.T) {
	feed := newORUKFeed(t)
	st, err := store.Open(context.Background(), store.Config{Path: filepath.Join(t.TempDir(), "s.db")}, slog.New(slog.DiscardHandler))
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	var cfg Config
	cfg.Directory.Feeds = []string{feed.srv.URL + "/api/v3"}
	cfg.Directory.Refresh = duration(time.Hour)
	e := env{cfg: cfg, log: slog.New(slog.DiscardHandler), stderr: io.Discard}
	m := ops.New()
	round := func() []directory.Service {
		ctx, cancel := context.WithCancel(context.Background())
		defer cancel()
		var got []directory.Service
		done := make(chan struct{})
		go func() {
			defer close(done)
			e.refreshFeeds(ctx, st, m, func(s []directory.Service) { got = s; cancel() })
		}()
		// A round that loads nothing waits for the next: end it once the
		// sync is noted, by state.
		for deadline := time.Now().Add(time.Minute); ctx.Err() == nil; time.Sleep(10 * time.Millisecond) {
			if strings.Contains(scrape(t, m, "/metrics"), `signpost_directory_syncs_total{feed="`+cfg.Directory.Feeds[0]+`",result="failed"} 1`) || time.Now().After(deadline) {
				cancel()
			}
		}
		<-done
		return got
	}
	if got := round(); len(got) != 4 {
		t.Fatalf("loaded %d services; want 4", len(got))
	}
	if r := scrape(t, m, "/readyz"); r != "ready\n" {
		t.Errorf("/readyz = %q; want ready and nothing more", r)
	}
	feed.mu.Lock()
	feed.broken = true
	feed.mu.Unlock()
	round()
	if r := scrape(t, m, "/readyz"); !strings.HasPrefix(r, "ready\n") || !strings.Contains(r, "last sync failed") || !strings.Contains(r, "last good copy") {
		t.Errorf("/readyz = %q; want ready, with the failed feed noted", r)
	}
	if kept, _ := st.Services(context.Background()); len(kept) != 4 {
		t.Errorf("%d services kept after a failed sync; want the last good 4", len(kept))
	}
}

func scrape(t *testing.T, m *ops.Metrics, path string) string {
	t.Helper()
	rec := httptest.NewRecorder()
	m.Handler(func() bool { return true }).ServeHTTP(rec, httptest.NewRequest("GET", path, nil))
	return rec.Body.String()
}

// TestServeAnswersFromTheServicesKept: what `directory import` kept is
// what serve and web answer local-service questions from, with no feed
// reachable at all.
func TestServeAnswersFromTheServicesKept(t *testing.T) {
	dir := t.TempDir()
	cfgPath := filepath.Join(dir, "config.toml")
	os.WriteFile(cfgPath, []byte("[store]\nenabled = true\npath = \"signpost.db\"\n"), 0o600)
	if code, out, errs := runCmd(t, "", "directory", "import", "--config", cfgPath, "testdata/directory.json"); code != 0 {
		t.Fatalf("import = %d\n%s%s", code, out, errs)
	}
	st, err := store.Open(context.Background(), store.Config{Path: filepath.Join(dir, "signpost.db")}, slog.New(slog.DiscardHandler))
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	base, _ := knowledge.Embedded()
	b := bot.New(base)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	e := env{log: slog.New(slog.DiscardHandler), stderr: io.Discard}
	e.answerFromDirectory(ctx, b, st, nil)
	a, err := b.Answer(ctx, bot.Question{Platform: "console", Conversation: "t", Text: "is there a lunch club near BA2"})
	if err != nil {
		t.Fatal(err)
	}
	found := false
	for _, l := range a.Locals {
		found = found || l.Name == "Widcombe Lunch Club" && l.Feed == "testdata/directory.json"
	}
	if !found {
		t.Errorf("locals %+v; want the lunch clubs kept by the import", a.Locals)
	}
}
