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

	"github.com/bathnes/signpost/bot"
	"github.com/bathnes/signpost/knowledge"
)

var update = flag.Bool("update", false, "rewrite testdata/*.golden")

// TestTranscripts runs each testdata/*.input, a line a turn, through the
// console as one conversation, and compares what a user would see with
// the .golden file beside it: "> " and what they typed, then the answer.
func TestTranscripts(t *testing.T) {
	inputs, _ := filepath.Glob("testdata/*.input")
	if len(inputs) == 0 {
		t.Fatal("no transcripts in testdata")
	}
	for _, in := range inputs {
		name := strings.TrimSuffix(filepath.Base(in), ".input")
		t.Run(name, func(t *testing.T) {
			raw, err := os.ReadFile(in)
			if err != nil {
				t.Fatal(err)
			}
			// A fresh bot each transcript: conversations and bound
			// channels must not leak between them.
			base, err := knowledge.Embedded()
			if err != nil {
				t.Fatal(err)
			}
			b := bot.New(base)
			var got bytes.Buffer
			for _, line := range strings.Split(strings.TrimRight(string(raw), "\n"), "\n") {
				got.WriteString("> " + line + "\n")
				if err := New(b, strings.NewReader(line+"\n"), &got, "", slog.New(slog.DiscardHandler)).Run(context.Background()); err != nil {
					t.Fatal(err)
				}
			}
			golden := strings.TrimSuffix(in, ".input") + ".golden"
			if *update {
				os.WriteFile(golden, got.Bytes(), 0o644)
			}
			want, err := os.ReadFile(golden)
			if err != nil {
				t.Fatalf("%v (run go test -update to create it)", err)
			}
			if !bytes.Equal(got.Bytes(), want) {
				t.Errorf("transcript differs from %s; run go test -update and review the diff\n%s", golden, got.Bytes())
			}
		})
	}
}
