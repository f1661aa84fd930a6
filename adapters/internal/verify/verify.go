// Package verify guards a platform's HTTP endpoint: Slack and Discord sign
// every request they send, and anything unsigned, forged or replayed past
// its five minutes must be refused before it costs anything (the body is
// read only once the headers pass, and only so much of it).
package verify

import (
	"errors"
	"io"
	"net/http"
	"strconv"
	"time"

	"github.com/bathnes/signpost/adapters/internal/tally"
)

// Window is how old (or new) a signed request may be.
const Window = 5 * time.Minute

// MaxBody bounds a request body; Slack's and Discord's are a few
// kilobytes.
const MaxBody = 256 << 10

// Signed guards a platform's endpoint. The cheap checks come first: a
// request whose signature headers are missing, malformed or out of date
// (Headers) is refused before its body is read; the body is capped at
// MaxBody; then Verify checks the signature over it. Anything refused
// gets 401 and is counted in Rejected, a log line a minute, not a line
// each.
type Signed struct {
	Headers  func(h http.Header, now time.Time) error
	Verify   func(h http.Header, body []byte, now time.Time) error
	Rejected *tally.Tally
}

// Handle passes next the body of each request that passes.
func (s Signed) Handle(next func(http.ResponseWriter, *http.Request, []byte)) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if err := s.Headers(r.Header, time.Now()); err != nil {
			s.reject(w)
			return
		}
		body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, MaxBody))
		if err != nil {
			http.Error(w, "body too large", http.StatusRequestEntityTooLarge)
			return
		}
		if err := s.Verify(r.Header, body, time.Now()); err != nil {
			s.reject(w)
			return
		}
		next(w, r, body)
	}
}

func (s Signed) reject(w http.ResponseWriter) {
	s.Rejected.Add()
	http.Error(w, "unauthorized", http.StatusUnauthorized)
}

// Fresh checks a request's timestamp header, in Unix seconds: present,
// a number, and within Window of now.
func Fresh(stamp string, now time.Time) error {
	secs, err := strconv.ParseInt(stamp, 10, 64)
	if err != nil {
		return errors.New("missing or malformed timestamp")
	}
	if d := now.Sub(time.Unix(secs, 0)); d > Window || d < -Window {
		return errors.New("timestamp outside five minutes")
	}
	return nil
}
