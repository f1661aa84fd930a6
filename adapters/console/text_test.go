package console

import (
	"strings"
	"testing"

	"github.com/bathnes/signpost/bot"
)

// TestBlocksStandApartUnlessTheyFollow: a block reads as one paragraph
// with the words before it only when the reply says it follows on from
// them; a sentence that happens to end in a colon or start like a bullet
// is laid out as the sentence it is.
func TestBlocksStandApartUnlessTheyFollow(t *testing.T) {
	t.Parallel()
	long := strings.Repeat("word ", 20)
	tests := []struct {
		name string
		r    bot.Reply
		want string
	}{
		{"a lead that leads into its list", bot.Reply{Lead: "In Radstock:", Blocks: []bot.Block{
			{Part: bot.Bullets, Items: []bot.Item{{Lines: []string{"PACT meets monthly."}}}, Follows: true}}},
			"In Radstock:\n  - PACT meets monthly."},
		{"a colon in the documents", bot.Reply{Lead: "Ask the clerk about:", Blocks: []bot.Block{
			{Part: bot.Notice, Text: "Current as of May 2013."}}},
			"Ask the clerk about:\n\nCurrent as of May 2013."},
		{"a question and its choices", bot.Reply{Blocks: []bot.Block{
			{Part: bot.Ask, Text: "Which area are you in?"},
			{Part: bot.Actions, Numbered: true, Choices: []bot.Choice{{Label: "Bath"}}, Follows: true}}},
			"Which area are you in?\n  1. Bath"},
		{"a sentence that starts like a bullet", bot.Reply{Lead: "- " + long},
			"- word word word word word word word word word word word word word word word\nword word word word word"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Text(tt.r, Width); got != tt.want {
				t.Errorf("Text() = %q; want %q", got, tt.want)
			}
		})
	}
}
