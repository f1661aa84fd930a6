// Package logtest is a log that a test reads while the code under test
// writes it from other goroutines. Apart from chattest so that packages
// chattest imports (the store) and the small plumbing packages can use it
// too. Only tests import it.
package logtest

import (
	"bytes"
	"log/slog"
	"sync"
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
