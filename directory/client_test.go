package directory

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"sync"
	"testing"
	"time"
)

// orukServer is an ORUK feed on loopback, serving real fixture records in
// the v3 envelope with page, per_page, modified_after and format=ndjson, and
// able to fail, break or stall a given page on request.
type orukServer struct {
	t       *testing.T
	records []json.RawMessage

	mu       sync.Mutex
	queries  []url.Values
	failures map[int]int           // page: how many 503s to send first
	broken   map[int]string        // page: a body that is not a feed
	stall    map[int]chan struct{} // page: wait for this (or the client giving up)
	entered  chan int              // told when a stalled page is being served
	gaveUp   chan int              // told when a client abandons a stalled page
	ignorePg bool                  // a feed that does not page
}

func newORUKServer(t *testing.T, records []json.RawMessage) (*orukServer, *httptest.Server) {
	s := &orukServer{t: t, records: records, failures: map[int]int{}, broken: map[int]string{},
		stall: map[int]chan struct{}{}, entered: make(chan int, 10), gaveUp: make(chan int, 10)}
	srv := httptest.NewServer(s)
	t.Cleanup(srv.Close)
	return s, srv
}

func (s *orukServer) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.URL.Path != "/o/OpenReferralService/v3/services" {
		http.NotFound(w, r)
		return
	}
	q := r.URL.Query()
	page, _ := strconv.Atoi(q.Get("page"))
	perPage, _ := strconv.Atoi(q.Get("per_page"))
	s.mu.Lock()
	s.queries = append(s.queries, q)
	fail := s.failures[page]
	if fail > 0 {
		s.failures[page]--
	}
	broken, isBroken := s.broken[page]
	stall := s.stall[page]
	ignore := s.ignorePg
	s.mu.Unlock()

	if fail > 0 {
		http.Error(w, "busy", http.StatusServiceUnavailable)
		return
	}
	if isBroken {
		w.Write([]byte(broken))
		return
	}
	if stall != nil {
		s.entered <- page
		select {
		case <-stall:
		case <-r.Context().Done():
			s.gaveUp <- page
			return
		}
	}
	recs := s.records
	if since := q.Get("modified_after"); since != "" {
		t, err := time.Parse(time.RFC3339, since)
		if err != nil {
			http.Error(w, "bad modified_after", http.StatusBadRequest)
			return
		}
		recs = nil
		for _, raw := range s.records {
			var m struct {
				LastModified string `json:"last_modified"`
			}
			json.Unmarshal(raw, &m)
			if lm, err := parseTime(m.LastModified); err == nil && !lm.Before(t) {
				recs = append(recs, raw)
			}
		}
	}
	if q.Get("format") == "ndjson" {
		for _, raw := range recs {
			var b bytes.Buffer
			json.Compact(&b, raw)
			b.WriteByte('\n')
			w.Write(b.Bytes())
		}
		return
	}
	if ignore {
		page = 1
	}
	if perPage <= 0 {
		perPage = 10
	}
	total := (len(recs) + perPage - 1) / perPage
	from, to := min((page-1)*perPage, len(recs)), min(page*perPage, len(recs))
	body, _ := json.Marshal(map[string]any{
		"total_items": len(recs), "total_pages": total, "page_number": page, "size": to - from,
		"first_page": page == 1, "last_page": page >= total, "empty": to == from, "contents": recs[from:to],
	})
	w.Write(body)
}

func (s *orukServer) query(i int) url.Values {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.queries[i]
}

func (s *orukServer) pagesAsked() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []string
	for _, q := range s.queries {
		out = append(out, q.Get("page"))
	}
	return out
}

// fixtureRecords are the records of real fixtures, raw.
func fixtureRecords(t *testing.T, names ...string) []json.RawMessage {
	t.Helper()
	var out []json.RawMessage
	for _, name := range names {
		var env struct {
			Contents []json.RawMessage `json:"contents"`
			Content  []json.RawMessage `json:"content"`
		}
		data := readFixture(t, name)
		if err := json.Unmarshal(data, &env); err != nil {
			t.Fatal(err)
		}
		out = append(out, env.Contents...)
		out = append(out, env.Content...)
		if env.Contents == nil && env.Content == nil {
			out = append(out, data)
		}
	}
	return out
}

// testClient never sleeps: it records the waits it was asked for.
func testClient(srv *httptest.Server) (*Client, *[]time.Duration) {
	c := NewClient(srv.Client())
	c.PerPage = 2
	c.Now = func() time.Time { return fetched }
	waits := &[]time.Duration{}
	c.Sleep = func(ctx context.Context, d time.Duration) error {
		*waits = append(*waits, d)
		return ctx.Err()
	}
	return c, waits
}

func feedURL(srv *httptest.Server) string { return srv.URL + "/o/OpenReferralService/v3" }

func realRecords(t *testing.T) []json.RawMessage {
	return fixtureRecords(t, "bristol/services-page1.json", "ukprofile/examples/service_full.json",
		"v1/services-page1.json", "v1/services-page2.json")
}

func TestSyncWalksV3Pages(t *testing.T) {
	s, srv := newORUKServer(t, realRecords(t))
	c, waits := testClient(srv)
	res, err := c.Sync(context.Background(), feedURL(srv), time.Time{})
	if err != nil {
		t.Fatal(err)
	}
	if res.Envelope != EnvelopeV3 || res.Pages != 4 || len(res.Services) != 7 || res.Incremental {
		t.Errorf("result: envelope %s pages %d services %d incremental %v", res.Envelope, res.Pages, len(res.Services), res.Incremental)
	}
	if got := fmt.Sprint(s.pagesAsked()); got != "[1 2 3 4]" {
		t.Errorf("pages asked %s", got)
	}
	if res.Services[0].Name != "1625 Independent People" || !res.Services[0].FetchedAt.Equal(fetched) {
		t.Errorf("first = %+v", res.Services[0])
	}
	if len(*waits) != 0 || res.Retries != 0 {
		t.Errorf("waited %v", *waits)
	}
	// The uk-profile example's bad latitude is reported, not fatal.
	if len(res.Problems) == 0 {
		t.Error("no problems reported")
	}
}

func TestSyncReadsV1Pages(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Write(readFixture(t, "v1/services-page"+r.URL.Query().Get("page")+".json"))
	}))
	defer srv.Close()
	c, _ := testClient(srv)
	res, err := c.Sync(context.Background(), srv.URL+"/openreferral/v1/services", time.Time{})
	if err != nil {
		t.Fatal(err)
	}
	if res.Envelope != EnvelopeV1 || res.Pages != 2 || len(res.Services) != 3 {
		t.Errorf("envelope %s pages %d services %d", res.Envelope, res.Pages, len(res.Services))
	}
}

func TestSyncReadsNDJSON(t *testing.T) {
	s, srv := newORUKServer(t, realRecords(t))
	c, _ := testClient(srv)
	c.NDJSON = true
	res, err := c.Sync(context.Background(), feedURL(srv)+"/services", time.Time{})
	if err != nil {
		t.Fatal(err)
	}
	if res.Envelope != EnvelopeNDJSON || res.Pages != 1 || len(res.Services) != 7 {
		t.Errorf("envelope %s pages %d services %d", res.Envelope, res.Pages, len(res.Services))
	}
	if got := s.query(0).Get("format"); got != "ndjson" {
		t.Errorf("format = %q", got)
	}
}

func TestSyncAsksOnlyForChangesSince(t *testing.T) {
	s, srv := newORUKServer(t, realRecords(t))
	c, _ := testClient(srv)
	since := time.Date(2025, 8, 1, 0, 0, 0, 0, time.UTC)
	res, err := c.Sync(context.Background(), feedURL(srv), since)
	if err != nil {
		t.Fatal(err)
	}
	if got := s.query(0).Get("modified_after"); got != "2025-08-01T00:00:00Z" {
		t.Errorf("modified_after = %q", got)
	}
	// Bristol's 1625 (Sept 2025) and the lunch club (Nov 2025) changed since.
	var got []string
	for _, sv := range res.Services {
		got = append(got, sv.Name)
	}
	if fmt.Sprint(got) != "[1625 Independent People Example Thursday Lunch Club]" || !res.Incremental || !res.Since.Equal(since) {
		t.Errorf("changed = %v, incremental %v", got, res.Incremental)
	}
}

func TestSyncFailsWholeOnABrokenPage(t *testing.T) {
	s, srv := newORUKServer(t, realRecords(t))
	s.broken[2] = "<html><body>Proxy error</body></html>"
	c, waits := testClient(srv)
	res, err := c.Sync(context.Background(), feedURL(srv), time.Time{})
	var fe *FeedError
	if !errors.As(err, &fe) || fe.Page != 2 || !errors.Is(err, ErrNotFeed) {
		t.Fatalf("err = %v; want a FeedError on page 2 wrapping ErrNotFeed", err)
	}
	// Nothing half-read is handed back to replace the last good copy.
	if len(res.Services) != 0 || len(*waits) != 0 {
		t.Errorf("services %d, waits %v", len(res.Services), *waits)
	}
}

func TestSyncRetriesABusyPageWithCappedBackoff(t *testing.T) {
	s, srv := newORUKServer(t, realRecords(t))
	s.failures[3] = 3
	c, waits := testClient(srv)
	c.Backoff = CappedBackoff(time.Second, 3*time.Second)
	res, err := c.Sync(context.Background(), feedURL(srv), time.Time{})
	if err != nil {
		t.Fatal(err)
	}
	if fmt.Sprint(*waits) != "[1s 2s 3s]" || res.Retries != 3 || len(res.Services) != 7 {
		t.Errorf("waits %v retries %d services %d", *waits, res.Retries, len(res.Services))
	}
}

func TestSyncGivesUpOnAnUnreachableFeed(t *testing.T) {
	srv := httptest.NewServer(http.NotFoundHandler())
	srv.Close() // nothing listens there now: every dial is refused
	c, waits := testClient(srv)
	c.Backoff = CappedBackoff(time.Second, 4*time.Second)
	_, err := c.Sync(context.Background(), feedURL(srv), time.Time{})
	var fe *FeedError
	if !errors.As(err, &fe) || fe.Attempts != 5 || fe.Page != 1 {
		t.Fatalf("err = %v", err)
	}
	if fmt.Sprint(*waits) != "[1s 2s 4s 4s]" {
		t.Errorf("waits = %v; want doubling, capped at 4s", *waits)
	}
}

func TestSyncDoesNotRetryAMissingFeed(t *testing.T) {
	srv := httptest.NewServer(http.NotFoundHandler())
	defer srv.Close()
	c, waits := testClient(srv)
	_, err := c.Sync(context.Background(), srv.URL+"/nothing", time.Time{})
	var fe *FeedError
	if !errors.As(err, &fe) || fe.Attempts != 1 || len(*waits) != 0 {
		t.Errorf("err = %v, waits %v", err, *waits)
	}
}

func TestSyncWaitsForASlowPage(t *testing.T) {
	s, srv := newORUKServer(t, realRecords(t))
	release := make(chan struct{})
	s.stall[2] = release
	c, _ := testClient(srv)
	done := make(chan error, 1)
	var res SyncResult
	go func() {
		var err error
		res, err = c.Sync(context.Background(), feedURL(srv), time.Time{})
		done <- err
	}()
	if got := <-s.entered; got != 2 {
		t.Fatalf("stalled page %d", got)
	}
	// The client is now inside page 2; it must still be waiting.
	select {
	case err := <-done:
		t.Fatalf("Sync returned during a slow page: %v", err)
	default:
	}
	close(release)
	if err := <-done; err != nil || len(res.Services) != 7 {
		t.Fatalf("after release: %v, %d services", err, len(res.Services))
	}
}

func TestSyncStopsWhenCancelledDuringASlowPage(t *testing.T) {
	s, srv := newORUKServer(t, realRecords(t))
	s.stall[2] = make(chan struct{}) // never released
	c, waits := testClient(srv)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() {
		_, err := c.Sync(ctx, feedURL(srv), time.Time{})
		done <- err
	}()
	<-s.entered
	cancel()
	err := <-done
	if !errors.Is(err, context.Canceled) {
		t.Errorf("err = %v; want context.Canceled", err)
	}
	if got := <-s.gaveUp; got != 2 {
		t.Errorf("server saw page %d abandoned", got)
	}
	if len(*waits) != 0 {
		t.Errorf("a cancelled page was retried: %v", *waits)
	}
}

func TestSyncRefusesAFeedThatRepeatsItsFirstPage(t *testing.T) {
	s, srv := newORUKServer(t, realRecords(t))
	s.ignorePg = true
	c, _ := testClient(srv)
	_, err := c.Sync(context.Background(), feedURL(srv), time.Time{})
	var fe *FeedError
	if !errors.As(err, &fe) || fe.Page != 2 {
		t.Errorf("err = %v; want a FeedError on page 2", err)
	}
}

func TestSyncReportsDuplicateIDs(t *testing.T) {
	recs := append(realRecords(t), fixtureRecords(t, "openreferralapi/default/service_list.json")...)
	_, srv := newORUKServer(t, recs)
	c, _ := testClient(srv)
	res, err := c.Sync(context.Background(), feedURL(srv), time.Time{})
	if err != nil {
		t.Fatal(err)
	}
	found := false
	for _, p := range res.Problems {
		found = found || (p.ID == "ac148810-d857-441c-9679-408f346de14b" && p.Field == "id" && p.Skipped)
	}
	if !found || len(res.Services) != 7 {
		t.Errorf("services %d, problems %v", len(res.Services), res.Problems)
	}
}

func TestSyncBoundsTheResponse(t *testing.T) {
	_, srv := newORUKServer(t, realRecords(t))
	c, _ := testClient(srv)
	c.MaxBytes = 100
	if _, err := c.Sync(context.Background(), feedURL(srv), time.Time{}); err == nil {
		t.Error("an oversized page was accepted")
	}
	if _, err := c.Sync(context.Background(), "ftp://example.org/feed", time.Time{}); err == nil {
		t.Error("a non-http feed was accepted")
	}
}

func TestSleepStopsWithTheContext(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if err := sleepCtx(ctx, time.Hour); !errors.Is(err, context.Canceled) {
		t.Errorf("sleepCtx = %v", err)
	}
}

func TestCappedBackoff(t *testing.T) {
	b := CappedBackoff(time.Second, 30*time.Second)
	var got []time.Duration
	for n := 1; n <= 7; n++ {
		got = append(got, b(n))
	}
	if fmt.Sprint(got) != "[1s 2s 4s 8s 16s 30s 30s]" {
		t.Errorf("backoff = %v", got)
	}
}
