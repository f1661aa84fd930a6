package tally

import (
	"strings"
	"testing"
	"time"

	"github.com/bathnes/signpost/internal/logtest"
)

// TestTallyLogsALineAnInterval: a thousand events are one log line, with
// their count.
func TestTallyLogsALineAnInterval(t *testing.T) {
	buf, log := logtest.New()
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
