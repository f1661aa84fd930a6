package console

import (
	"bytes"
	"context"
	"errors"
	"io"
	"log/slog"
	"strings"
	"testing"

	"github.com/bathnes/signpost/bot"
	"github.com/bathnes/signpost/internal/chattest"
)

type failing struct{}

func (failing) Answer(context.Context, bot.Question) (bot.Answer, error) {
	return bot.Answer{}, errors.New("index on fire")
}

func (failing) Suggest(string, int) []bot.Suggestion { return nil }

func TestAnswererErrorGetsAFriendlySentence(t *testing.T) {
	var out, logs bytes.Buffer
	a := New(failing{}, strings.NewReader("pub\n"), &out, "", slog.New(slog.NewTextHandler(&logs, nil)))
	if err := a.Run(context.Background()); err != nil {
		t.Fatalf("Run = %v", err)
	}
	if !strings.Contains(out.String(), "Sorry, something went wrong") || strings.Contains(out.String(), "fire") {
		t.Errorf("output = %q; want a friendly sentence without internals", out.String())
	}
	if !strings.Contains(logs.String(), "index on fire") || strings.Contains(logs.String(), "pub") {
		t.Errorf("log = %q; want the error, never the message text", logs.String())
	}
}

func TestRunReturnsWhenContextEnds(t *testing.T) {
	r, w := io.Pipe() // input that never ends
	defer w.Close()
	stop := chattest.Run(t, New(failing{}, r, io.Discard, "> ", slog.New(slog.DiscardHandler)).Run)
	stop()
}
