package verify

import (
	"strconv"
	"testing"
	"time"
)

// TestFresh: a request signed within five minutes either way passes; an
// older or later one, or one without a number, is refused.
func TestFresh(t *testing.T) {
	now := time.Date(2026, 1, 1, 12, 0, 0, 0, time.UTC)
	at := func(d time.Duration) string { return strconv.FormatInt(now.Add(d).Unix(), 10) }
	tests := []struct {
		name, stamp string
		ok          bool
	}{
		{"now", at(0), true},
		{"five minutes old", at(-Window), true},
		{"five minutes ahead", at(Window), true},
		{"a replay six minutes on", at(-6 * time.Minute), false},
		{"a clock far ahead", at(6 * time.Minute), false},
		{"missing", "", false},
		{"not a number", "yesterday", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if err := Fresh(tt.stamp, now); (err == nil) != tt.ok {
				t.Errorf("Fresh(%q) = %v; want ok %v", tt.stamp, err, tt.ok)
			}
		})
	}
}
