package web

import (
	"testing"

	"github.com/bathnes/signpost/bot"
)

// TestCopyKeepsWhatFollowsWithItsLead: in the text copied for a caller,
// a block runs on from the words before it only where the reply says it
// follows on from them, whatever punctuation the words end with.
func TestCopyKeepsWhatFollowsWithItsLead(t *testing.T) {
	t.Parallel()
	facts := bot.Block{Part: bot.Bullets, Items: []bot.Item{{Lines: []string{"PACT meets monthly."}}}}
	tests := []struct {
		name string
		r    bot.Reply
		want string
	}{
		{"following", bot.Reply{Lead: "In Radstock:", Blocks: []bot.Block{{Part: facts.Part, Items: facts.Items, Follows: true}}},
			"In Radstock:\n- PACT meets monthly."},
		{"a colon in the documents", bot.Reply{Lead: "Ask the clerk about:", Blocks: []bot.Block{facts}},
			"Ask the clerk about:\n\n- PACT meets monthly."},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := plain(tt.r); got != tt.want {
				t.Errorf("plain() = %q; want %q", got, tt.want)
			}
		})
	}
}
