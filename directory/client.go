package directory

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"
)

// Client fetches ORUK feeds. The zero value is not ready: use NewClient,
// then change fields before the first Sync.
type Client struct {
	// HTTP makes the requests; tests point it at an httptest server.
	HTTP *http.Client
	// PerPage is the per_page asked for (the feed may give fewer).
	PerPage int
	// NDJSON asks for format=ndjson, one unpaged stream, where the feed
	// supports it; a feed that ignores it and pages is still read.
	NDJSON bool
	// MaxPages stops a feed that never says it has ended.
	MaxPages int
	// MaxBytes bounds one response body.
	MaxBytes int64
	// Attempts is how many times a page is tried before the sync fails.
	Attempts int
	// Backoff is the wait before attempt n+1 (n from 1).
	Backoff func(n int) time.Duration
	// Sleep waits; tests replace it so that no test sleeps.
	Sleep func(ctx context.Context, d time.Duration) error
	// Now stamps FetchedAt.
	Now func() time.Time
	// UserAgent names signpost to the publisher.
	UserAgent string
}

// NewClient returns a Client with the defaults: 100 a page, 5 attempts a
// page with backoff from 1 s doubling to a cap of 30 s, 10,000 pages and
// 64 MiB a response at most. A nil hc means a client with a 60 s timeout.
func NewClient(hc *http.Client) *Client {
	if hc == nil {
		hc = &http.Client{Timeout: 60 * time.Second}
	}
	return &Client{
		HTTP:      hc,
		PerPage:   100,
		MaxPages:  10000,
		MaxBytes:  64 << 20,
		Attempts:  5,
		Backoff:   CappedBackoff(time.Second, 30*time.Second),
		Sleep:     sleepCtx,
		Now:       time.Now,
		UserAgent: "signpost (ORUK reader; +https://github.com/bathnes/signpost)",
	}
}

// CappedBackoff doubles from base before each retry, never beyond limit.
func CappedBackoff(base, limit time.Duration) func(n int) time.Duration {
	return func(n int) time.Duration {
		d := base
		for i := 1; i < n && d < limit; i++ {
			d *= 2
		}
		return min(d, limit)
	}
}

func sleepCtx(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// SyncResult is what one Sync brought back.
type SyncResult struct {
	Feed     string
	Envelope Envelope
	// Services are every good record, in feed order. With a non-zero
	// since they are only the records changed since then: merge them into
	// the last copy rather than replacing it (an incremental sync cannot
	// see deletions, so run a full one now and then).
	Services    []Service
	Problems    []Problem
	Pages       int
	Retries     int // failed attempts that a later one made good
	Since       time.Time
	Incremental bool
	FetchedAt   time.Time
}

// FeedError is a feed that could not be read whole. The caller keeps its
// last good copy and shows Err to the operator.
type FeedError struct {
	Feed     string
	Page     int
	Attempts int
	Err      error
}

// Error says which feed and page failed, and why.
func (e *FeedError) Error() string {
	if e.Attempts > 1 {
		return fmt.Sprintf("feed %s: page %d: %v (after %d attempts)", e.Feed, e.Page, e.Err, e.Attempts)
	}
	return fmt.Sprintf("feed %s: page %d: %v", e.Feed, e.Page, e.Err)
}

// Unwrap gives the cause, so that errors.Is finds ErrNotFeed or
// context.Canceled.
func (e *FeedError) Unwrap() error { return e.Err }

// errRetry marks a failure worth trying again: the feed was unreachable or
// said it was busy or broken for now (429, 5xx).
type errRetry struct{ err error }

func (e errRetry) Error() string { return e.err.Error() }
func (e errRetry) Unwrap() error { return e.err }

// Sync reads a whole feed, page by page, in whichever envelope it uses, or
// as one ndjson stream. feedURL is the feed's /services address (a base
// address without /services has it added). A non-zero since asks only for
// records modified since then (modified_after). A page that cannot be had
// after Attempts tries, a page that is not a feed, or a feed that repeats a
// page fails the whole sync with a *FeedError and no services, so that the
// caller never replaces a good copy with part of one. Bad records are not
// failures: they are skipped and listed in Problems.
func (c *Client) Sync(ctx context.Context, feedURL string, since time.Time) (SyncResult, error) {
	base, err := servicesURL(feedURL)
	if err != nil {
		return SyncResult{}, &FeedError{Feed: feedURL, Err: err}
	}
	res := SyncResult{Feed: feedURL, Since: since, Incremental: !since.IsZero(), FetchedAt: c.Now()}
	seen := map[string]bool{}
	prevFirst := ""
	for page := 1; ; page++ {
		if page > c.MaxPages {
			return SyncResult{}, &FeedError{Feed: feedURL, Page: page, Err: fmt.Errorf("more than %d pages", c.MaxPages)}
		}
		u := c.pageURL(base, page, since)
		p, attempts, err := c.fetch(ctx, u, feedURL, res.FetchedAt)
		res.Retries += attempts - 1
		if err != nil {
			return SyncResult{}, &FeedError{Feed: feedURL, Page: page, Attempts: attempts, Err: err}
		}
		res.Pages++
		if res.Envelope == "" {
			res.Envelope = p.Envelope
		}
		if page > 1 && p.Records > 0 && p.FirstID != "" && p.FirstID == prevFirst {
			return SyncResult{}, &FeedError{Feed: feedURL, Page: page,
				Err: errors.New("the feed sent the same page again: it does not page with page=")}
		}
		prevFirst = p.FirstID
		for _, s := range p.Services {
			if seen[s.ID] {
				res.Problems = append(res.Problems, Problem{Feed: feedURL, ID: s.ID, Page: page, Field: "id",
					Message: "appears twice in the feed; the first is kept", Skipped: true})
				continue
			}
			seen[s.ID] = true
			res.Services = append(res.Services, s)
		}
		for _, pr := range p.Problems {
			pr.Page = page
			res.Problems = append(res.Problems, pr)
		}
		if p.Last || p.Records == 0 || (p.TotalPages > 0 && page >= p.TotalPages) ||
			p.Envelope == EnvelopeArray || p.Envelope == EnvelopeSingle || p.Envelope == EnvelopeNDJSON {
			return res, nil
		}
	}
}

func servicesURL(feed string) (*url.URL, error) {
	u, err := url.Parse(strings.TrimSpace(feed))
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return nil, fmt.Errorf("%q is not an http(s) address", feed)
	}
	if !strings.HasSuffix(strings.TrimSuffix(u.Path, "/"), "/services") {
		u.Path = strings.TrimSuffix(u.Path, "/") + "/services"
	}
	return u, nil
}

func (c *Client) pageURL(base *url.URL, page int, since time.Time) string {
	u := *base
	q := u.Query()
	if c.NDJSON {
		q.Set("format", "ndjson")
	}
	q.Set("page", strconv.Itoa(page))
	q.Set("per_page", strconv.Itoa(c.PerPage))
	if !since.IsZero() {
		q.Set("modified_after", since.UTC().Format(time.RFC3339))
	}
	u.RawQuery = q.Encode()
	return u.String()
}

// fetch gets and parses one page, retrying what may pass.
func (c *Client) fetch(ctx context.Context, u, feed string, fetchedAt time.Time) (Page, int, error) {
	attempts := max(c.Attempts, 1)
	var last error
	for n := 1; ; n++ {
		body, err := c.get(ctx, u)
		if err == nil {
			p, perr := Parse(bytes.NewReader(body), feed, fetchedAt)
			if perr != nil {
				return Page{}, n, perr
			}
			return p, n, nil
		}
		last = err
		var retry errRetry
		if !errors.As(err, &retry) || n >= attempts || ctx.Err() != nil {
			if ctx.Err() != nil {
				return Page{}, n, ctx.Err()
			}
			return Page{}, n, last
		}
		if err := c.Sleep(ctx, c.Backoff(n)); err != nil {
			return Page{}, n, err
		}
	}
}

func (c *Client) get(ctx context.Context, u string) ([]byte, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
	if err != nil {
		return nil, err
	}
	req.Header.Set("Accept", "application/json, application/x-ndjson")
	req.Header.Set("User-Agent", c.UserAgent)
	resp, err := c.HTTP.Do(req)
	if err != nil {
		if ctx.Err() != nil {
			return nil, ctx.Err()
		}
		return nil, errRetry{fmt.Errorf("unreachable: %w", err)}
	}
	defer resp.Body.Close()
	switch {
	case resp.StatusCode == http.StatusTooManyRequests || resp.StatusCode >= 500:
		io.Copy(io.Discard, io.LimitReader(resp.Body, 64<<10))
		return nil, errRetry{fmt.Errorf("HTTP %d", resp.StatusCode)}
	case resp.StatusCode != http.StatusOK:
		return nil, fmt.Errorf("HTTP %d", resp.StatusCode)
	}
	body, err := io.ReadAll(io.LimitReader(resp.Body, c.MaxBytes+1))
	if err != nil {
		if ctx.Err() != nil {
			return nil, ctx.Err()
		}
		return nil, errRetry{fmt.Errorf("reading the response: %w", err)}
	}
	if int64(len(body)) > c.MaxBytes {
		return nil, fmt.Errorf("response over %d bytes", c.MaxBytes)
	}
	return body, nil
}
