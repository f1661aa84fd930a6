// Package web is the Council Connect desk: pages for staff signposting a
// caller, and a JSON API, both laying out the core's reply. Pages are
// server-rendered and work with JavaScript off; a small script adds
// type-ahead and copying. Every asset is embedded: the page asks nothing
// of any other server.
package web

import (
	"context"
	"crypto/rand"
	"crypto/subtle"
	"embed"
	"encoding/hex"
	"fmt"
	"io/fs"
	"log/slog"
	"net"
	"net/http"
	"strings"
	"time"

	"github.com/bathnes/signpost/adapters/internal/observe"
	"github.com/bathnes/signpost/bot"
	"github.com/bathnes/signpost/internal/listen"
	"github.com/bathnes/signpost/knowledge"
)

// Desk is what the desk needs from the core: answers and suggestions, the
// funding finder in one go, a search of the directory of local services
// and what it can be searched for, and the knowledge base for its lists of places and the finder's
// choices.
type Desk interface {
	bot.Answerer
	Find(bot.Question, bot.Need) (bot.Answer, error)
	Services(bot.Question, bot.ServiceSearch) (bot.Answer, error)
	Needs() []string
	Base() *knowledge.Base
}

// The core is the desk's Desk.
var _ Desk = (*bot.Bot)(nil)

// Config is the desk's part of signpost's configuration.
type Config struct {
	// Listen is the address to serve on; loopback unless configured.
	Listen string
	// Listener, when set, is served on instead of Listen: tests hand down
	// one on 127.0.0.1:0. It is not read from config.toml.
	Listener net.Listener
	// Token, when set, is asked of every request (HTTP Basic password or
	// a Bearer token). It comes from the environment, never config.toml.
	Token string
	// Observer is told of every answer, for metrics; nil tells no one.
	Observer observe.Observer
	// Figures, when set (a store is kept), serves the stats page to
	// those with the token.
	Figures Figures
}

// DefaultListen is where the desk serves unless told otherwise: this
// machine only.
const DefaultListen = "127.0.0.1:8080"

// maxBody bounds a request body (the finder's JSON); maxURL a query.
const (
	maxBody = 16 << 10
	maxURL  = 16 << 10
)

//go:embed static templates openapi.yaml
var files embed.FS

// Adapter serves the desk.
type Adapter struct {
	cfg   Config
	desk  Desk
	log   *slog.Logger
	pages *pages
	// static is the static folder alone: the templates and openapi.yaml
	// beside it in files are not the browser's to read.
	static fs.FS
	// origins refuses what another site's page sends (see fromElsewhere).
	origins *http.CrossOriginProtection
}

// New returns the desk over d.
func New(cfg Config, d Desk, log *slog.Logger) (*Adapter, error) {
	if cfg.Listen == "" {
		cfg.Listen = DefaultListen
	}
	if cfg.Observer == nil {
		cfg.Observer = observe.Unobserved{}
	}
	p, err := newPages()
	if err != nil {
		return nil, fmt.Errorf("web: %w", err)
	}
	static, err := fs.Sub(files, "static")
	if err != nil {
		return nil, fmt.Errorf("web: %w", err)
	}
	a := &Adapter{cfg: cfg, desk: d, log: log.With("adapter", "web"), pages: p, static: static,
		origins: http.NewCrossOriginProtection()}
	// Refused as every other error is: JSON with a message for the API
	// (openapi.yaml), a line of text for a page.
	a.origins.SetDenyHandler(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		a.fail(w, r, http.StatusForbidden, "cross-origin request refused")
	}))
	return a, nil
}

// Serve makes Run serve on ln, already listening, instead of Listen.
func (a *Adapter) Serve(ln net.Listener) { a.cfg.Listener = ln }

// Run serves the desk until ctx ends.
func (a *Adapter) Run(ctx context.Context) error {
	if err := listen.Serve(ctx, a.cfg.Listen, a.cfg.Listener, a.Handler(), a.log); err != nil {
		return fmt.Errorf("web: %w", err)
	}
	return nil
}

// Ready reports whether the desk can answer: it needs no platform.
func (a *Adapter) Ready() bool { return true }

// Queued and Dropped are 0: the desk answers within its request.
func (a *Adapter) Queued() int    { return 0 }
func (a *Adapter) Dropped() int64 { return 0 }

// Handler routes the desk's pages, its API and its assets, behind the
// security headers, the size limits and, when configured, the token.
func (a *Adapter) Handler() http.Handler {
	mux := http.NewServeMux()
	for _, r := range a.routes() {
		mux.HandleFunc(r.method+" "+r.path, r.handle)
	}
	mux.HandleFunc("GET /static/", a.staticFile)
	mux.HandleFunc("/api/", func(w http.ResponseWriter, r *http.Request) {
		a.fail(w, r, http.StatusNotFound, "no such endpoint or method")
	})
	// A vote or a finder request posted from another site's page is
	// refused: a browser that holds the desk's token must not be made to
	// act for someone else (CSRF). GETs pass; those that keep what they
	// carry ask fromElsewhere.
	return a.guard(a.origins.Handler(mux))
}

// fromElsewhere reports whether a browser sent r from another site's
// page: a link, an image, a script's fetch. The question a search carries
// is kept for the stats when nothing answers it, so a GET that would keep
// text asks this, with the rule CrossOriginProtection applies to a POST
// (Sec-Fetch-Site, else Origin); a request from no browser, or from an
// old one that says neither, is taken as the desk's own.
func (a *Adapter) fromElsewhere(r *http.Request) bool {
	post := r.WithContext(r.Context())
	post.Method = http.MethodPost
	return a.origins.Check(post) != nil
}

// staticFile serves one file of the static folder, and nothing else: a
// path that climbs out once decoded ("/static/%2e%2e/templates/layout.html")
// is refused before anything is opened, and a folder is not listed.
func (a *Adapter) staticFile(w http.ResponseWriter, r *http.Request) {
	name := strings.TrimPrefix(r.URL.Path, "/static/")
	if strings.Contains(name, "..") || strings.Contains(name, `\`) || !fs.ValidPath(name) || name == "." {
		a.fail(w, r, http.StatusNotFound, "no such file")
		return
	}
	if fi, err := fs.Stat(a.static, name); err != nil || fi.IsDir() {
		a.fail(w, r, http.StatusNotFound, "no such file")
		return
	}
	http.ServeFileFS(w, r, a.static, name)
}

// route is one endpoint; the API's are checked against openapi.yaml.
type route struct {
	method, path string
	handle       http.HandlerFunc
}

func (a *Adapter) routes() []route {
	return []route{
		{"GET", "/{$}", a.home},
		{"GET", "/entries/{id}", a.entry},
		{"GET", "/menu", a.list(bot.MenuCommand)},
		{"GET", "/core-offer", a.list(bot.CoreCommand)},
		{"GET", "/funding-routes", a.list(bot.RoutesCommand)},
		{"GET", "/finder", a.finder},
		{"GET", "/services", a.services},
		{"POST", "/vote", a.vote},
		{"GET", "/stats", a.stats},
		{"GET", "/api/v1/answer", a.apiAnswer},
		{"GET", "/api/v1/suggest", a.apiSuggest},
		{"GET", "/api/v1/entries", a.apiEntries},
		{"GET", "/api/v1/entries/{id}", a.apiEntry},
		{"POST", "/api/v1/finder", a.apiFinder},
		{"GET", "/api/v1/openapi.yaml", a.openAPI},
	}
}

// guard sets the security headers on every response, refuses what is too
// big before reading it, and asks for the token when one is set.
func (a *Adapter) guard(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		h.Set("Content-Security-Policy", "default-src 'self'; img-src 'self' data:; form-action 'self'; base-uri 'none'; frame-ancestors 'none'")
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("Referrer-Policy", "no-referrer")
		h.Set("X-Frame-Options", "DENY")
		h.Set("Cache-Control", "no-store")
		if len(r.URL.RawQuery) > maxURL {
			a.fail(w, r, http.StatusRequestURITooLong, "request too long")
			return
		}
		if a.cfg.Token != "" && !a.authorised(r) {
			h.Set("WWW-Authenticate", fmt.Sprintf("%s realm=%q, charset=%q", "Basic", bot.Desk.Name, "UTF-8"))
			a.fail(w, r, http.StatusUnauthorized, "a token is needed")
			return
		}
		r.Body = http.MaxBytesReader(w, r.Body, maxBody)
		next.ServeHTTP(w, r)
	})
}

// authorised accepts the token as a Bearer token or as the password of
// HTTP Basic (any user name), compared in constant time.
func (a *Adapter) authorised(r *http.Request) bool {
	got := ""
	if _, pw, ok := r.BasicAuth(); ok {
		got = pw
	} else if t, ok := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer "); ok {
		got = t
	}
	return subtle.ConstantTimeCompare([]byte(got), []byte(a.cfg.Token)) == 1
}

// fail answers an error: JSON for the API, a page otherwise. The message
// is the error's kind, never a stack trace or the request.
func (a *Adapter) fail(w http.ResponseWriter, r *http.Request, code int, msg string) {
	if strings.HasPrefix(r.URL.Path, "/api/") {
		writeJSON(w, code, map[string]string{"error": msg})
		return
	}
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	w.WriteHeader(code)
	fmt.Fprintln(w, msg)
}

// conversation is a new conversation id: each search starts one, and the
// choices on its page (the area question, the finder's steps) carry it,
// so one caller's place never leaks into the next caller's answer.
func conversation() string {
	b := make([]byte, 16)
	rand.Read(b)
	return hex.EncodeToString(b)
}

// isConversation reports whether s is a conversation id the desk made.
func isConversation(s string) bool {
	return len(s) == 32 && strings.Trim(s, "0123456789abcdef") == ""
}

// question is what the desk asks the core: at most bot.MaxQuestion
// characters of q, and whether it had to cut it.
func question(q, place, conv string) (bot.Question, bool) {
	q = strings.ToValidUTF8(q, "")
	cut := false
	if r := []rune(q); len(r) > bot.MaxQuestion {
		q, cut = string(r[:bot.MaxQuestion]), true
	}
	return bot.Question{Text: q, Place: place, Conversation: "web:" + conv, Channel: "web", Platform: "web", Audience: bot.Staff}, cut
}

// timeout bounds one answer: the core answers in microseconds, so this
// only stops a broken request from holding a connection.
const timeout = 5 * time.Second
