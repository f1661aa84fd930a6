package chattest

import (
	"context"
	"log/slog"
	"testing"
	"time"
)

// hang is how long a fake waits for what must come before it calls the
// wait a hang: a backstop for a broken adapter, never a verdict on speed.
const hang = 10 * time.Second

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
	l := &Logs{}
	return slog.New(slog.NewTextHandler(l, &slog.HandlerOptions{Level: slog.LevelInfo})), l
}
