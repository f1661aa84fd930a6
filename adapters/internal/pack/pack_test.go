package pack

import (
	"reflect"
	"testing"
)

// cut shortens s to max bytes; an adapter's own cut ends with an ellipsis.
func cut(s string, max int) string { return s[:min(len(s), max)] }

// TestLines: lines share a chunk while they fit, a line is never split
// across two, one too long alone is cut, and blank lines never open one.
func TestLines(t *testing.T) {
	tests := []struct {
		name  string
		lines []string
		want  []string
	}{
		{"all fit", []string{"one", "two"}, []string{"one\ntwo"}},
		{"next chunk when full", []string{"aaaa", "bbbb", "cc"}, []string{"aaaa\nbbbb", "cc"}},
		{"too long alone is cut", []string{"abcdefghijk"}, []string{"abcdefghi"}},
		{"blank lines open nothing", []string{"", " ", "one"}, []string{"one"}},
		{"nothing", nil, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Lines(tt.lines, 9, cut); !reflect.DeepEqual(got, tt.want) {
				t.Errorf("Lines(%q, 9) = %q; want %q", tt.lines, got, tt.want)
			}
		})
	}
}
