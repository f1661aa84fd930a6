package work

import (
	"io"
	"net/http"
	"time"
)

// Signed guards a platform's endpoint. The cheap checks come first: a
// request whose signature headers are missing, malformed or out of date
// (Headers) is refused before its body is read; the body is capped at
// MaxBody; then Verify checks the signature over it. Anything refused
// gets 401 and is counted in Rejected, a log line a minute, not a line
// each.
type Signed struct {
	MaxBody  int64
	Headers  func(h http.Header, now time.Time) error
	Verify   func(h http.Header, body []byte, now time.Time) error
	Rejected *Tally
}

// Handle passes next the body of each request that passes.
func (s Signed) Handle(next func(http.ResponseWriter, *http.Request, []byte)) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if err := s.Headers(r.Header, time.Now()); err != nil {
			s.reject(w)
			return
		}
		body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, s.MaxBody))
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
