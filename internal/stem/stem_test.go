package stem

import "testing"

func TestWordFindsTheWordSearchedFor(t *testing.T) {
	tests := []struct{ in, want string }{
		{"clubs", "club"},
		{"befriending", "befriend"},
		{"families", "family"},
		{"swimming", "swim"},
		{"swim", "swim"},
		{"lunches", "lunch"},
		{"classes", "class"},
		{"carers", "carer"},
		{"calling", "call"}, // a double l stays
		{"class", "class"},
		{"bus", "bus"},
		{"tennis", "tennis"},
		{"ties", "tie"},
		{"sing", "sing"},
	}
	for _, tt := range tests {
		if got := Word(tt.in); got != tt.want {
			t.Errorf("Word(%q) = %q; want %q", tt.in, got, tt.want)
		}
	}
}
