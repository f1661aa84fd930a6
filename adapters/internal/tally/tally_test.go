package tally

import (
	"bytes"
	"log/slog"
	"strings"
	"sync"
	"testing"
	"time"
)

// TestTallyLogsALineAnInterval: a thousand events are one log line, with
// their count.
func TestTallyLogsALineAnInterval(t *testing.T) {
	var buf bytes.Buffer
	var mu sync.Mutex
	log := slog.New(slog.NewTextHandler(lockedWriter{&mu, &buf}, nil))
	tl := New(log, "rejected", time.Hour)
	for range 1000 {
		tl.Add()
	}
	tl.Flush()
	lines := strings.Count(buf.String(), "\n")
	if lines != 2 || !strings.Contains(buf.String(), "count=999") {
		t.Errorf("log:\n%s\nwant the first event, then one line counting the other 999", buf.String())
	}
}

type lockedWriter struct {
	mu *sync.Mutex
	b  *bytes.Buffer
}

func (w lockedWriter) Write(p []byte) (int, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.b.Write(p)
}
