package web

import (
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"io"
	"log/slog"
	"maps"
	"net/http"
	"net/http/httptest"
	"net/url"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/bathnes/signpost/bot"
	"github.com/bathnes/signpost/internal/chattest"
	"github.com/bathnes/signpost/learn"
	"github.com/bathnes/signpost/store"
)

var update = flag.Bool("update", false, "rewrite testdata/*.golden")

// desk is the desk over the real core, served by httptest.
func desk(t testing.TB, cfg Config) *httptest.Server {
	t.Helper()
	a, err := New(cfg, chattest.Bot(), slog.New(slog.DiscardHandler))
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(a.Handler())
	t.Cleanup(srv.Close)
	return srv
}

// get fetches path and returns the status, the body and the response.
func get(t testing.TB, srv *httptest.Server, path string) (int, string, *http.Response) {
	t.Helper()
	resp, err := srv.Client().Get(srv.URL + path)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b), resp
}

func TestSearchAnswersWithSourceStatusAndCopy(t *testing.T) {
	t.Parallel()
	srv := desk(t, Config{})
	code, body, _ := get(t, srv, "/?q="+url.QueryEscape("how do we list our pub"))
	if code != 200 {
		t.Fatalf("status %d", code)
	}
	for _, want := range []string{"Assets of Community Value", "Current as of May 2013", "Source: Connecting Communities Toolkit",
		`id="copy-text"`, "How to start", `href="/entries/community-asset-transfer"`} {
		if !strings.Contains(body, want) {
			t.Errorf("answer page lacks %q", want)
		}
	}
	copyText := between(body, `<textarea id="copy-text" readonly rows="8" aria-describedby="copy-hint">`, "</textarea>")
	if !strings.Contains(copyText, "Source:") || !strings.Contains(copyText, "May 2013") || strings.Contains(copyText, "<") {
		t.Errorf("copy for the caller = %q; want plain text with the source and date", copyText)
	}
}

func between(s, from, to string) string {
	_, after, _ := strings.Cut(s, from)
	inside, _, _ := strings.Cut(after, to)
	return inside
}

// TestCallersPlaceComesFirstAndIsRemembered: with a place chosen, the
// local fact leads; the place is kept for the session in a cookie.
func TestCallersPlaceComesFirstAndIsRemembered(t *testing.T) {
	t.Parallel()
	srv := desk(t, Config{})
	jar := &cookieJar{}
	srv.Client().Jar = jar
	code, body, _ := get(t, srv, "/?place=Radstock&q="+url.QueryEscape("big local"))
	if code != 200 {
		t.Fatalf("status %d", code)
	}
	local, summary := strings.Index(body, "In Radstock"), strings.Index(body, "Big Local lets residents")
	if local < 0 || summary < 0 || local > summary {
		t.Errorf("local fact at %d, summary at %d; want the place first", local, summary)
	}
	_, body, _ = get(t, srv, "/?q="+url.QueryEscape("who runs pact here"))
	if !strings.Contains(body, "for Radstock in particular") || !strings.Contains(body, `<option value="Radstock" selected>`) {
		t.Error("the caller's place was not remembered for the next search")
	}
}

type cookieJar struct{ c []*http.Cookie }

func (j *cookieJar) SetCookies(_ *url.URL, cs []*http.Cookie) { j.c = append(j.c, cs...) }
func (j *cookieJar) Cookies(*url.URL) []*http.Cookie          { return j.c }

func TestAreaQuestionChoicesContinueTheSearch(t *testing.T) {
	t.Parallel()
	srv := desk(t, Config{})
	_, body, _ := get(t, srv, "/?q="+url.QueryEscape("who runs PACT here"))
	m := regexp.MustCompile(`href="(/\?c=[0-9a-f]{32}&amp;q=Keynsham)"`).FindStringSubmatch(body)
	if m == nil {
		t.Fatalf("no Keynsham choice continuing the conversation:\n%s", body)
	}
	_, body, _ = get(t, srv, strings.ReplaceAll(m[1], "&amp;", "&"))
	if !strings.Contains(body, "for Keynsham in particular") {
		t.Error("choosing Keynsham did not answer the question for Keynsham")
	}
}

func TestCouncilServicesAnswerAsInChat(t *testing.T) {
	t.Parallel()
	srv := desk(t, Config{})
	_, body, _ := get(t, srv, "/?q="+url.QueryEscape("when is my bin collection day"))
	if !strings.Contains(body, "council service") || !strings.Contains(body, "Council Connect") {
		t.Errorf("a council service is not signposted to Council Connect:\n%s", body)
	}
}

// TestHostileInputGetsANormalPage: markup, scripts, SQL, control
// characters, invalid UTF-8 and a huge question get a page, escaped.
func TestHostileInputGetsANormalPage(t *testing.T) {
	t.Parallel()
	srv := desk(t, Config{})
	for _, q := range []string{"<script>alert(1)</script>", "'; DROP TABLE entries; --", "\x00\x1b[31mpub", "\xff\xfe pub",
		`"><img src=x onerror=alert(1)>`, strings.Repeat("pub ", 1200), ""} {
		code, body, _ := get(t, srv, "/?q="+url.QueryEscape(q))
		if code != 200 {
			t.Errorf("%.30q: status %d", q, code)
		}
		if strings.Contains(body, "<script>alert") || strings.Contains(body, "<img src=x") {
			t.Errorf("%.30q is echoed unescaped", q)
		}
		if len(q) > 4000 && !strings.Contains(body, bot.Cut) {
			t.Errorf("a question of %d characters is cut without a word", len(q))
		}
	}
}

func TestEveryResponseCarriesTheSecurityHeaders(t *testing.T) {
	t.Parallel()
	srv := desk(t, Config{})
	for _, path := range []string{"/", "/?q=pact", "/finder", "/menu", "/entries/pact", "/static/desk.css", "/api/v1/answer?q=pact", "/api/v1/nope"} {
		_, _, resp := get(t, srv, path)
		for h, want := range map[string]string{"Content-Security-Policy": "default-src 'self'", "X-Content-Type-Options": "nosniff",
			"Referrer-Policy": "no-referrer"} {
			if got := resp.Header.Get(h); !strings.Contains(got, want) {
				t.Errorf("%s: %s = %q; want %q", path, h, got, want)
			}
		}
		if csp := resp.Header.Get("Content-Security-Policy"); !strings.Contains(csp, "frame-ancestors 'none'") {
			t.Errorf("%s: CSP %q lets the page be framed", path, csp)
		}
	}
}

// TestPagesAskNothingOfAnyOtherServer: every script, style, image and
// form of every page is this server's own, and a page with its assets
// weighs under 100 KB.
func TestPagesAskNothingOfAnyOtherServer(t *testing.T) {
	t.Parallel()
	srv := desk(t, Config{})
	assets := 0
	for _, p := range []string{"/static/desk.css", "/static/desk.js"} {
		_, b, _ := get(t, srv, p)
		assets += len(b)
	}
	ref := regexp.MustCompile(`<(script|link|img|form|iframe)[^>]*(src|href|action)="([^"]*)"`)
	for _, path := range []string{"/", "/?q=how+do+we+list+our+pub", "/finder?who=group", "/menu", "/core-offer", "/funding-routes", "/entries/pact?print=1"} {
		_, body, _ := get(t, srv, path)
		for _, m := range ref.FindAllStringSubmatch(body, -1) {
			if !strings.HasPrefix(m[3], "/") || strings.HasPrefix(m[3], "//") {
				t.Errorf("%s: %s %s=%q is not this server's", path, m[1], m[2], m[3])
			}
		}
		if w := len(body) + assets; w > 100<<10 {
			t.Errorf("%s weighs %d bytes with its assets; want under 100 KB", path, w)
		}
	}
}

func TestFinderFormFitsAndSaysWhatIsWrong(t *testing.T) {
	t.Parallel()
	srv := desk(t, Config{})
	code, body, _ := get(t, srv, "/finder?who=parish&what=planning&band=medium&where=Keynsham")
	if code != 200 || !strings.Contains(body, "These fit") || !strings.Contains(body, "Not quite:") {
		t.Errorf("finder: %d, want routes that fit and why others do not", code)
	}
	code, body, _ = get(t, srv, "/finder?who=dragons&band=huge")
	if code != 400 || !strings.Contains(body, bot.Desk.ErrorTitle) || !strings.Contains(body, `href="#who"`) || !strings.Contains(body, `href="#band"`) {
		t.Errorf("bad finder choices: %d; want an error summary linking to each field", code)
	}
	if _, body, _ = get(t, srv, "/finder"); strings.Contains(body, "These fit") {
		t.Error("the empty form already shows results")
	}
}

func TestEntryPagePrintViewAndUnknownEntry(t *testing.T) {
	t.Parallel()
	srv := desk(t, Config{})
	_, body, _ := get(t, srv, "/entries/pact")
	if !strings.Contains(body, `href="/entries/pact?print=1"`) {
		t.Error("an entry page has no print view link")
	}
	_, body, _ = get(t, srv, "/entries/pact?print=1")
	if !strings.Contains(body, `class="print"`) || strings.Contains(body, `role="search"`) {
		t.Error("the print view keeps the search form")
	}
	if code, body, _ := get(t, srv, "/entries/no-such-thing"); code != 404 || !strings.Contains(body, bot.Desk.NotFound) {
		t.Errorf("unknown entry: %d", code)
	}
}

func TestListsArePages(t *testing.T) {
	t.Parallel()
	srv := desk(t, Config{})
	for path, want := range map[string]string{"/menu": "The Connecting Communities menu", "/core-offer": "The Core Offer",
		"/funding-routes": "(ended)"} {
		if _, body, _ := get(t, srv, path); !strings.Contains(body, want) || !strings.Contains(body, `href="/entries/`) {
			t.Errorf("%s lacks %q or links to its entries", path, want)
		}
	}
}

func TestTokenIsAskedWhenSet(t *testing.T) {
	t.Parallel()
	srv := desk(t, Config{Token: "s3cret-token"})
	if code, _, resp := get(t, srv, "/"); code != 401 || resp.Header.Get("WWW-Authenticate") == "" {
		t.Errorf("no token: %d; want 401 with a challenge", code)
	}
	for _, set := range []func(*http.Request){
		func(r *http.Request) { r.SetBasicAuth("staff", "s3cret-token") },
		func(r *http.Request) { r.Header.Set("Authorization", "Bearer s3cret-token") },
	} {
		req, _ := http.NewRequest("GET", srv.URL+"/api/v1/answer?q=pact", nil)
		set(req)
		resp, err := srv.Client().Do(req)
		if err != nil || resp.StatusCode != 200 {
			t.Errorf("with the token: %v %v", resp.StatusCode, err)
		}
		resp.Body.Close()
	}
	req, _ := http.NewRequest("GET", srv.URL+"/", nil)
	req.SetBasicAuth("staff", "wrong")
	if resp, _ := srv.Client().Do(req); resp.StatusCode != 401 {
		t.Errorf("wrong token: %d", resp.StatusCode)
	}
}

func TestAPIAnswersInJSON(t *testing.T) {
	t.Parallel()
	srv := desk(t, Config{})
	var ans answerJSON
	getJSON(t, srv, "/api/v1/answer?place=Radstock&q="+url.QueryEscape("who runs pact"), 200, &ans)
	if ans.Outcome != bot.OutcomeAnswer || len(ans.Results) == 0 || ans.Results[0].ID != "pact" || ans.Place != "Radstock" || ans.Reply.Title == "" {
		t.Errorf("answer = %+v", ans)
	}
	var sug []bot.Suggestion
	getJSON(t, srv, "/api/v1/suggest?q=acv", 200, &sug)
	if len(sug) == 0 || sug[0].ID != "assets-of-community-value" {
		t.Errorf("suggest acv = %v", sug)
	}
	var entries []entryJSON
	getJSON(t, srv, "/api/v1/entries", 200, &entries)
	if len(entries) != len(chattest.Bot().Base().Entries) {
		t.Errorf("%d entries listed", len(entries))
	}
	var one entryJSON
	getJSON(t, srv, "/api/v1/entries/performance-reward-grant", 200, &one)
	if one.Status != "historical" || one.Reply == nil || !strings.Contains(one.Reply.Blocks[0].Text+one.Reply.Lead, "") {
		t.Errorf("entry = %+v", one)
	}
	for path, code := range map[string]int{"/api/v1/entries/nope": 404, "/api/v1/nope": 404, "/api/v1/answer?q=pact&place=Atlantis": 400} {
		var e map[string]string
		getJSON(t, srv, path, code, &e)
		if e["error"] == "" {
			t.Errorf("%s: no error message", path)
		}
	}
}

func getJSON(t *testing.T, srv *httptest.Server, path string, code int, v any) {
	t.Helper()
	got, body, resp := get(t, srv, path)
	if got != code || !strings.HasPrefix(resp.Header.Get("Content-Type"), "application/json") {
		t.Fatalf("%s: %d %s; want %d JSON", path, got, resp.Header.Get("Content-Type"), code)
	}
	if err := json.Unmarshal([]byte(body), v); err != nil {
		t.Fatalf("%s: %v in %s", path, err, body)
	}
}

func TestAPIFinder(t *testing.T) {
	t.Parallel()
	srv := desk(t, Config{})
	post := func(body string) (int, map[string]any) {
		resp, err := srv.Client().Post(srv.URL+"/api/v1/finder", "application/json", strings.NewReader(body))
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		var out map[string]any
		json.NewDecoder(resp.Body).Decode(&out)
		return resp.StatusCode, out
	}
	code, out := post(`{"who":"group","what":"project","band":"small","place":"Keynsham"}`)
	if code != 200 || len(out["fits"].([]any)) == 0 {
		t.Errorf("finder: %d %v", code, out)
	}
	for _, bad := range []string{`{"who":"dragons"}`, `{"colour":"blue"}`, `not json`, `{"who":"` + strings.Repeat("x", 20<<10) + `"}`} {
		if code, out := post(bad); code < 400 || out["error"] == nil || strings.Contains(out["error"].(string), "goroutine") {
			t.Errorf("%.20q: %d %v; want a JSON error", bad, code, out)
		}
	}
}

// TestOpenAPIDescribesEveryEndpoint: openapi.yaml and the API's routes
// name the same paths and methods.
func TestOpenAPIDescribesEveryEndpoint(t *testing.T) {
	t.Parallel()
	var described []string
	for _, op := range operations(t, spec(t)) {
		described = append(described, op.method+" "+op.path)
	}
	var served []string
	for _, r := range (&Adapter{}).routes() {
		if strings.HasPrefix(r.path, "/api/") {
			served = append(served, r.method+" "+r.path)
		}
	}
	slices.Sort(described)
	slices.Sort(served)
	if !slices.Equal(described, served) {
		t.Errorf("openapi.yaml describes %v; the API serves %v", described, served)
	}
}

// TestRepliesGolden lays out one reply of each kind as the desk shows it.
func TestRepliesGolden(t *testing.T) {
	t.Parallel()
	a, err := New(Config{}, chattest.Fixture(), slog.New(slog.DiscardHandler))
	if err != nil {
		t.Fatal(err)
	}
	chattest.GoldensFor(t, *update, bot.Staff, func(ans bot.Answer) []byte {
		rep := ans.Reply()
		v := view{Words: bot.Desk, Reply: &rep, Conv: strings.Repeat("0", 32)}
		v.Links, v.ByLabel = a.links(rep, v)
		var b bytes.Buffer
		if err := a.pages.t.ExecuteTemplate(&b, "reply", v); err != nil {
			t.Fatal(err)
		}
		return b.Bytes()
	})
}

// BenchmarkAnswerPage is the server's time for one answer page.
func BenchmarkAnswerPage(b *testing.B) {
	a, err := New(Config{}, chattest.Bot(), slog.New(slog.DiscardHandler))
	if err != nil {
		b.Fatal(err)
	}
	h := a.Handler()
	req := httptest.NewRequest("GET", "/?place=Radstock&q="+url.QueryEscape("how do we list our pub"), nil)
	for b.Loop() {
		h.ServeHTTP(httptest.NewRecorder(), req)
	}
}

// BenchmarkSuggestRoundTrip is one type-ahead keystroke over loopback.
func BenchmarkSuggestRoundTrip(b *testing.B) {
	srv := desk(b, Config{})
	c := srv.Client()
	for b.Loop() {
		resp, err := c.Get(srv.URL + "/api/v1/suggest?q=communi")
		if err != nil {
			b.Fatal(err)
		}
		io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
	}
}

// TestFinderCopyNamesTheRoutesAndStartAgainIsTheForm: the text for the
// caller names the routes that fit; starting again is an empty form.
func TestFinderCopyNamesTheRoutesAndStartAgainIsTheForm(t *testing.T) {
	t.Parallel()
	srv := desk(t, Config{})
	_, body, _ := get(t, srv, "/finder?who=group&what=project&band=small&where=Keynsham")
	copyText := between(body, `<textarea id="copy-text" readonly rows="8" aria-describedby="copy-hint">`, "</textarea>")
	if !strings.Contains(copyText, "These fit:") || !strings.Contains(copyText, "1. ") || !strings.Contains(copyText, "Ward Councillors Initiative") {
		t.Errorf("copy for the caller lacks the routes that fit:\n%s", copyText)
	}
	if !strings.Contains(body, `<a href="/finder">Start again</a>`) {
		t.Error("start again is not the empty finder form")
	}
}

// TestVotesArePostedAndKept: with a store, each answer asks whether it
// helped; the vote is a form post, thanked, and kept in the store.
func TestVotesArePostedAndKept(t *testing.T) {
	t.Parallel()
	st, err := store.Open(context.Background(), store.Config{Path: filepath.Join(t.TempDir(), "s.db")}, slog.New(slog.DiscardHandler))
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	b := chattest.Bot()
	key, _ := st.Key(context.Background())
	b.Keep(st, key)
	a, _ := New(Config{}, b, slog.New(slog.DiscardHandler))
	srv := httptest.NewServer(a.Handler())
	defer srv.Close()
	_, body, _ := get(t, srv, "/?q="+url.QueryEscape("can I get free wifi in the library"))
	m := regexp.MustCompile(`name="c" value="([0-9a-f]{32})"[\s\S]*?value="(not helpful [0-9a-f]{16})"`).FindStringSubmatch(body)
	if m == nil || !strings.Contains(body, `<form class="vote" action="/vote" method="post">`) {
		t.Fatalf("no vote form on the answer:\n%s", body)
	}
	resp, err := srv.Client().PostForm(srv.URL+"/vote", url.Values{"c": {m[1]}, "q": {m[2]}})
	if err != nil {
		t.Fatal(err)
	}
	thanks, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 200 || !strings.Contains(string(thanks), bot.Thanks) {
		t.Errorf("vote: %d; want the thanks", resp.StatusCode)
	}
	if resp, _ := srv.Client().PostForm(srv.URL+"/vote", url.Values{"c": {m[1]}, "q": {"how do we list our pub"}}); resp.StatusCode != 400 {
		t.Errorf("a question posted as a vote: %d; want 400", resp.StatusCode)
	}
	st.Flush(context.Background())
	kept, _ := st.Since(context.Background(), time.Time{})
	if len(kept.Votes) != 1 || kept.Votes[0].Helpful || !strings.Contains(kept.Votes[0].Text, "wifi") {
		t.Errorf("kept votes %+v; want one, unhelpful, with the question", kept.Votes)
	}
	if len(kept.Records) != 1 || kept.Records[0].Platform != "web" || kept.Records[0].Outcome != "unsure" {
		t.Errorf("kept records %+v", kept.Records)
	}
}

// statsDesk is a desk over a core that keeps its answers in a real store,
// with a token, and the figures page fed from that store.
func statsDesk(t testing.TB, token string) (*httptest.Server, *bot.Bot) {
	t.Helper()
	b, st := chattest.Keeping(t)
	figures := func(ctx context.Context, days int) (bot.Report, []bot.ReviewGroup, error) {
		st.Flush(ctx)
		k, err := st.Since(ctx, time.Now().AddDate(0, 0, -days))
		return learn.Figures(k, b.Base(), time.Now().AddDate(0, 0, -days), time.Now()), learn.Groups(k, b.Base()), err
	}
	a, err := New(Config{Token: token, Figures: figures}, b, slog.New(slog.DiscardHandler))
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(a.Handler())
	t.Cleanup(srv.Close)
	return srv, b
}

// TestStatsPageNeedsTheTokenAndShowsFiguresChartAndGroups.
func TestStatsPageNeedsTheTokenAndShowsFiguresChartAndGroups(t *testing.T) {
	t.Parallel()
	if code, _, _ := get(t, desk(t, Config{}), "/stats"); code != 404 {
		t.Errorf("stats with no token configured: %d; want it not served", code)
	}
	srv, b := statsDesk(t, "tok")
	for _, q := range []string{"can I get free wifi in the library", "is there free wifi at the library", "how do we list our pub"} {
		b.Answer(context.Background(), bot.Question{Text: q, Conversation: "x", Platform: "web"})
	}
	if code, _, _ := get(t, srv, "/stats"); code != 401 {
		t.Errorf("stats without the token: %d; want 401", code)
	}
	req, _ := http.NewRequest("GET", srv.URL+"/stats", nil)
	req.SetBasicAuth("staff", "tok")
	resp, err := srv.Client().Do(req)
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	page := string(body)
	for _, want := range []string{"<dd>3</dd>", "<svg", "<rect", "free wifi", "Community Libraries programme", "Assets of Community Value"} {
		if !strings.Contains(page, want) {
			t.Errorf("stats page lacks %q", want)
		}
	}
}

// TestPostsFromOtherSitesAreRefused: a vote posted by another site's page
// (cross-site request forgery) is refused; the desk's own form works.
func TestPostsFromOtherSitesAreRefused(t *testing.T) {
	t.Parallel()
	srv := desk(t, Config{})
	for site, want := range map[string]int{"cross-site": 403, "same-origin": 400} {
		req, _ := http.NewRequest("POST", srv.URL+"/vote", strings.NewReader("c=x&q=y"))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		req.Header.Set("Sec-Fetch-Site", site)
		resp, err := srv.Client().Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != want {
			t.Errorf("%s vote: %d; want %d", site, resp.StatusCode, want)
		}
	}
}

// TestStaticServesOnlyTheStaticFolder: however ".." is spelt, a path under
// /static/ never reaches the templates or openapi.yaml beside the folder,
// and the folder is not listed.
func TestStaticServesOnlyTheStaticFolder(t *testing.T) {
	t.Parallel()
	srv := desk(t, Config{})
	for _, path := range []string{
		"/static/%2e%2e/templates/layout.html", "/static/%2E%2E/templates/layout.html", "/static/.%2e/templates/layout.html",
		"/static/%2e./templates/layout.html", "/static/..%2ftemplates/layout.html", "/static/%2e%2e%2ftemplates%2flayout.html",
		"/static/%2e%2e/openapi.yaml", "/static/..%5ctemplates%5clayout.html", "/static/%252e%252e/templates/layout.html",
		"/static/../templates/layout.html", "/static/desk.css/../../templates/layout.html", "/static/templates/layout.html",
		"/static/", "/static/.", "/static/%2e",
	} {
		code, body, _ := get(t, srv, path)
		if code != 404 || strings.Contains(body, "{{") || strings.Contains(body, "openapi:") || strings.Contains(body, "desk.css") {
			t.Errorf("GET %s: %d %.60q; want 404 and no template, spec or listing", path, code, body)
		}
	}
	for _, path := range []string{"/static/desk.css", "/static/desk.js"} {
		if code, body, resp := get(t, srv, path); code != 200 || len(body) == 0 || resp.Header.Get("Content-Type") == "" {
			t.Errorf("GET %s: %d; want the asset", path, code)
		}
	}
}

// TestOtherSitesCannotKeepQuestionsOrVote: a search is kept for the stats
// (its words, when nothing answers it), and a GET is what a link or an
// image on any page can send with the desk's cached token. A search another
// site's page sends is shown, not asked; a vote is never made by a GET, in
// any spelling; only the desk's own searches and posted votes are kept.
func TestOtherSitesCannotKeepQuestionsOrVote(t *testing.T) {
	t.Parallel()
	b, st := chattest.Keeping(t)
	a, err := New(Config{}, b, slog.New(slog.DiscardHandler))
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(a.Handler())
	defer srv.Close()
	fetch := func(path string, header ...string) (int, string) {
		t.Helper()
		req, _ := http.NewRequest("GET", srv.URL+path, nil)
		for i := 0; i+1 < len(header); i += 2 {
			req.Header.Set(header[i], header[i+1])
		}
		resp, err := srv.Client().Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		body, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, string(body)
	}

	code, body := fetch("/?q="+url.QueryEscape("can I get free wifi in the library"), "Sec-Fetch-Site", "same-origin")
	m := regexp.MustCompile(`name="c" value="([0-9a-f]{32})"[\s\S]*?value="not helpful ([0-9a-f]{16})"`).FindStringSubmatch(body)
	if code != 200 || m == nil {
		t.Fatalf("the desk's own search: %d, no vote form:\n%s", code, body)
	}
	conv, id := m[1], m[2]

	const planted = "zzplanted cheap watches at spam dot example"
	for _, from := range [][]string{
		{"Sec-Fetch-Site", "cross-site"}, {"Sec-Fetch-Site", "same-site"}, {"Origin", "https://evil.example"},
	} {
		code, body := fetch("/?q="+url.QueryEscape(planted), from...)
		if code != 200 || !strings.Contains(body, `value="`+planted+`"`) || strings.Contains(body, "Was this helpful?") {
			t.Errorf("search from %v: %d; want the search form holding the words, unasked", from, code)
		}
		if code, _ := fetch("/api/v1/answer?q="+url.QueryEscape(planted), from...); code != 403 {
			t.Errorf("API search from %v: %d; want 403", from, code)
		}
	}
	for _, vote := range []string{"not helpful " + id, "helpful " + id, "HELPFUL " + id, " Not Helpful\t" + id + "!", "helpful" + id,
		"not helpful", "helpful\xff " + id} {
		for _, site := range []string{"same-origin", "cross-site"} {
			if code, _ := fetch("/?c="+conv+"&q="+url.QueryEscape(vote), "Sec-Fetch-Site", site); code == 200 {
				t.Errorf("GET /?q=%q (%s): 200; want it refused", vote, site)
			}
			if code, _ := fetch("/api/v1/answer?q="+url.QueryEscape(vote), "Sec-Fetch-Site", site); code == 200 {
				t.Errorf("GET /api/v1/answer?q=%q (%s): 200; want it refused", vote, site)
			}
		}
	}
	// Typed or bookmarked (Sec-Fetch-Site: none), and from no browser at
	// all, a search is the desk's own; a question that starts with the
	// word helpful is still a question.
	for _, q := range []string{"how do we list our pub", "helpful contacts for a youth club"} {
		if code, body := fetch("/?q="+url.QueryEscape(q), "Sec-Fetch-Site", "none"); code != 200 || !strings.Contains(body, "Was this helpful?") {
			t.Errorf("typed search %q: %d; want it answered", q, code)
		}
	}
	if code, _ := fetch("/api/v1/answer?q=" + url.QueryEscape("how do we list our pub")); code != 200 {
		t.Errorf("API search from no browser: %d; want 200", code)
	}

	kept := chattest.Kept(t, st)
	if len(kept.Votes) != 0 {
		t.Errorf("votes kept from GETs: %+v; want none", kept.Votes)
	}
	if len(kept.Records) != 4 {
		t.Errorf("%d records kept: %+v; want 4, the desk's own searches", len(kept.Records), kept.Records)
	}
	for _, r := range kept.Records {
		if strings.Contains(r.Text, "zzplanted") {
			t.Errorf("another site's words kept: %+v", r)
		}
	}
}

// counted is an observer that counts the answers it is told of, by
// outcome, as the metrics do.
type counted struct {
	mu sync.Mutex
	by map[bot.Outcome]int
}

func (c *counted) Answered(_ string, o bot.Outcome, _ time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.by == nil {
		c.by = map[bot.Outcome]int{}
	}
	c.by[o]++
}
func (c *counted) Failed(string, string) {}

// TestEveryWayToAnswerIsKeptAndCounted: a finding from the desk's finder
// page or the API, an API answer and a search of the Services tab are in
// the store's records and the metrics like a search is, so the figures
// are of everything the desk said.
func TestEveryWayToAnswerIsKeptAndCounted(t *testing.T) {
	t.Parallel()
	b, st := chattest.Keeping(t)
	useServices(b, fixtureServices(t, v1Feed...))
	obs := &counted{}
	a, err := New(Config{Observer: obs}, b, slog.New(slog.DiscardHandler))
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(a.Handler())
	defer srv.Close()
	if code, _, _ := get(t, srv, "/finder?who=group&what=project&band=small&where=Keynsham"); code != 200 {
		t.Fatalf("finder page: %d", code)
	}
	resp, err := srv.Client().Post(srv.URL+"/api/v1/finder", "application/json", strings.NewReader(`{"who":"parish","what":"planning"}`))
	if err != nil || resp.StatusCode != 200 {
		t.Fatalf("api finder: %v %v", resp, err)
	}
	resp.Body.Close()
	if code, _, _ := get(t, srv, "/api/v1/answer?q="+url.QueryEscape("how do we list our pub")); code != 200 {
		t.Fatalf("api answer: %d", code)
	}
	if code, _, _ := get(t, srv, "/?q="+url.QueryEscape("how do we list our pub")); code != 200 {
		t.Fatalf("search: %d", code)
	}
	if code, _, _ := get(t, srv, "/services?need=lunch+club&near=BA2"); code != 200 {
		t.Fatalf("services: %d", code)
	}
	if code, _, _ := get(t, srv, "/services"); code != 200 {
		t.Fatalf("services, blank: %d", code)
	}
	st.Flush(context.Background())
	kept, _ := st.Since(context.Background(), time.Time{})
	by := map[bot.Outcome]int{}
	for _, r := range kept.Records {
		if r.Platform != "web" {
			t.Errorf("record from %q; want web", r.Platform)
		}
		by[r.Outcome]++
	}
	want := map[bot.Outcome]int{bot.OutcomeOther: 2, bot.OutcomeAnswer: 2, bot.OutcomeLocal: 1}
	if !maps.Equal(by, want) {
		t.Errorf("records by outcome %v; want %v (two findings, two answers, one search of services; the blank form none)", by, want)
	}
	obs.mu.Lock()
	defer obs.mu.Unlock()
	if !maps.Equal(obs.by, want) {
		t.Errorf("answers counted %v; want %v", obs.by, want)
	}
}
