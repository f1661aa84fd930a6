// Package logtest is a log that a test reads while the code under test
// writes it from other goroutines. Apart from chattest so that packages
// chattest imports (the store) and the small plumbing packages can use it
// too. Only tests import it.
package logtest

import (
	"bytes"
	"log/slog"
	"strings"
	"sync"
	"testing"
	"time"
)

// Logs is a log sink safe to write and read at once.
type Logs struct {
	mu sync.Mutex
	b  bytes.Buffer
}

// New is an empty log and a text logger writing to it (info and above).
func New() (*Logs, *slog.Logger) {
	l := &Logs{}
	return l, slog.New(slog.NewTextHandler(l, nil))
}

func (l *Logs) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

// String is what has been written so far.
func (l *Logs) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

// Await waits until the log says s; the test fails if it never does. The
// two-minute bound only catches a hang: on a busy machine a line may be
// slow to come, and the verdict is whether it comes.
func (l *Logs) Await(t testing.TB, s string) {
	t.Helper()
	for end := time.Now().Add(2 * time.Minute); !strings.Contains(l.String(), s); time.Sleep(20 * time.Millisecond) {
		if time.Now().After(end) {
			t.Fatalf("the log never said %q:\n%s", s, l)
		}
	}
}
