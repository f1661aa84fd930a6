package chattest

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/bathnes/signpost/internal/logtest"
)

// hang is how long a fake waits for what must come before it calls the
// wait a hang: a backstop for a broken adapter, never a verdict on speed.
const hang = 2 * time.Minute

// Next is the next value from ch; the test fails, naming what never came,
// if the wait hangs.
func Next[T any](t testing.TB, ch <-chan T, what string) T {
	t.Helper()
	select {
	case v := <-ch:
		return v
	case <-time.After(hang):
		t.Fatalf("%s never came", what)
		var zero T
		return zero
	}
}

// Quiet fails the test if ch gives a value within a moment: what an
// adapter must not send, it sends at once if it sends it at all.
func Quiet[T any](t testing.TB, ch <-chan T) {
	t.Helper()
	select {
	case v := <-ch:
		t.Fatalf("sent %v, which should not have been sent", v)
	case <-time.After(300 * time.Millisecond):
	}
}

// Running runs run until the test ends, then cancels it and waits for it
// to return. The channel has run's error if it returns first.
func Running(t testing.TB, run func(context.Context) error) <-chan error {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	errc := make(chan error, 1)
	done := make(chan struct{})
	go func() { errc <- run(ctx); close(done) }()
	t.Cleanup(func() {
		cancel()
		select {
		case <-done:
		case <-time.After(hang):
			t.Error("Run did not return after cancel")
		}
	})
	return errc
}

// Logger logs at Info, the default level, into the Logs returned: what a
// test reads there is what an operator would see.
func Logger() (*slog.Logger, *Logs) {
	l, lg := logtest.New()
	return lg, l
}

// ErrSays fails the test unless err, what call returned, says want; or,
// when want is "", unless err is nil.
func ErrSays(t testing.TB, call string, err error, want string) {
	t.Helper()
	if want == "" {
		if err != nil {
			t.Errorf("%s = %v; want nil", call, err)
		}
		return
	}
	if err == nil || !strings.Contains(err.Error(), want) {
		t.Errorf("%s = %v; want it to say %q", call, err, want)
	}
}

// Refused fails the test unless a request was refused as unverified: a
// 401, and a line in the log that says so.
func Refused(t testing.TB, status int, l *Logs) {
	t.Helper()
	if status != http.StatusUnauthorized {
		t.Errorf("status %d; want 401", status)
	}
	if !strings.Contains(l.String(), "rejected unverified request") {
		t.Errorf("no log line for the rejected request:\n%s", l)
	}
}

// BodyUnread serves a POST to path with each set of signature headers
// (missing, malformed or out of date) and fails the test unless h
// refuses each with 401 before reading its body.
func BodyUnread(t testing.TB, h http.Handler, path string, headers ...http.Header) {
	t.Helper()
	for _, hd := range headers {
		spy := &readSpy{}
		r := httptest.NewRequest("POST", path, spy)
		r.Header = hd
		w := httptest.NewRecorder()
		h.ServeHTTP(w, r)
		if w.Code != http.StatusUnauthorized || spy.read {
			t.Errorf("headers %v: status %d, body read %v; want 401 and the body unread", hd, w.Code, spy.read)
		}
	}
}

// readSpy is a request body that says whether it was read.
type readSpy struct{ read bool }

func (r *readSpy) Read([]byte) (int, error) { r.read = true; return 0, io.EOF }
