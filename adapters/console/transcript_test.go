package console

import (
	"bytes"
	"context"
	"flag"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/bathnes/signpost/bot"
	"github.com/bathnes/signpost/internal/chattest"
)

var update = flag.Bool("update", false, "rewrite testdata/*.golden")

// TestTranscripts runs each testdata/*.input, a line a turn, through the
// console as one conversation, and compares what a user would see with
// the .golden file beside it: "> " and what they typed, then the answer.
func TestTranscripts(t *testing.T) {
	transcripts(t, "", func(t *testing.T) *bot.Bot { return bot.New(mustEmbedded(t)) })
}

// transcripts runs each testdata/<dir>/*.input through the console as one
// conversation with a fresh bot from newBot (conversations and bound
// channels must not leak between transcripts), and compares it with the
// .golden beside it.
func transcripts(t *testing.T, dir string, newBot func(*testing.T) *bot.Bot) {
	inputs, _ := filepath.Glob(filepath.Join("testdata", dir, "*.input"))
	if len(inputs) == 0 {
		t.Fatalf("no transcripts in testdata/%s", dir)
	}
	for _, in := range inputs {
		name := strings.TrimSuffix(filepath.Base(in), ".input")
		t.Run(name, func(t *testing.T) {
			raw, err := os.ReadFile(in)
			if err != nil {
				t.Fatal(err)
			}
			b := newBot(t)
			var got bytes.Buffer
			for _, line := range strings.Split(strings.TrimRight(string(raw), "\n"), "\n") {
				got.WriteString("> " + line + "\n")
				if err := New(b, strings.NewReader(line+"\n"), &got, "", slog.New(slog.DiscardHandler)).Run(context.Background()); err != nil {
					t.Fatal(err)
				}
			}
			chattest.Golden(t, filepath.Join(dir, name), got.Bytes(), *update)
		})
	}
}

// TestRepliesGolden lays out one reply of each kind as a terminal shows
// it, wrapped to 80 columns.
func TestRepliesGolden(t *testing.T) {
	t.Parallel()
	chattest.Goldens(t, *update, func(a bot.Answer) []byte {
		return []byte(Text(a.Reply(), Width) + "\n")
	})
}

// TestWrapNeverBreaksAWord: every line of every reply fits in 80 columns
// unless it is one word too long to, and wrapping loses no word.
func TestWrapNeverBreaksAWord(t *testing.T) {
	t.Parallel()
	for _, sc := range chattest.Scenarios {
		r := sc.Last(t).Reply()
		wrapped, flat := Text(r, Width), Text(r, 0)
		if strings.Join(strings.Fields(wrapped), " ") != strings.Join(strings.Fields(flat), " ") {
			t.Errorf("%s: wrapping changed the words", sc.Name)
		}
		for _, l := range strings.Split(wrapped, "\n") {
			if n := utf8.RuneCountInString(l); n > Width && strings.Contains(strings.TrimSpace(l), " ") {
				t.Errorf("%s: line of %d columns: %q", sc.Name, n, l)
			}
		}
	}
}
