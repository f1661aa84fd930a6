package discord

import (
	"context"
	"testing"

	"github.com/bathnes/signpost/bot"
)

// BenchmarkRender builds the embed and components for an entry, a decline and the
// longest list, the core's answers computed beforehand.
func BenchmarkRender(b *testing.B) {
	var as []bot.Reply
	for _, q := range []string{"how do we list our pub", "xyzzy", "menu"} {
		a, err := testBot().Answer(context.Background(), bot.Question{Text: q})
		if err != nil {
			b.Fatal(err)
		}
		as = append(as, a.Reply())
	}
	for i := 0; b.Loop(); i++ {
		render(as[i%len(as)])
	}
}
