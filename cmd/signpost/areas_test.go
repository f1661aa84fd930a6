package main

import (
	"context"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/bathnes/signpost/bot"
	"github.com/bathnes/signpost/knowledge"
)

// TestAreasSurviveARestart: a channel bound with `area <place>` is still
// bound after signpost restarts, and unbinding is kept too.
func TestAreasSurviveARestart(t *testing.T) {
	path := filepath.Join(t.TempDir(), "areas.json")
	base, err := knowledge.Embedded()
	if err != nil {
		t.Fatal(err)
	}
	var cfg Config
	cfg.Serve.AreasFile = path
	e := env{cfg: cfg, log: slog.New(slog.DiscardHandler), stderr: io.Discard}
	ctx := context.Background()

	first := bot.New(base)
	if err := e.keepAreas(first); err != nil {
		t.Fatal(err)
	}
	a, _ := first.Answer(ctx, bot.Question{Text: "area Radstock", Channel: "slack:C1", Conversation: "slack:C1:U1"})
	if !strings.HasPrefix(a.Message, "Done") || strings.Contains(a.Message, "could not save") {
		t.Fatalf("area Radstock: %q", a.Message)
	}
	first.Answer(ctx, bot.Question{Text: "area Keynsham", Channel: "slack:C2", Conversation: "slack:C2:U1"})
	first.Answer(ctx, bot.Question{Text: "area none", Channel: "slack:C2", Conversation: "slack:C2:U1"})

	restarted := bot.New(base)
	if err := e.keepAreas(restarted); err != nil {
		t.Fatal(err)
	}
	a, _ = restarted.Answer(ctx, bot.Question{Text: "who runs PACT here", Channel: "slack:C1", Conversation: "slack:C1:U2"})
	if a.Place == nil || a.Place.Name != "Radstock" {
		t.Errorf("after a restart, here in C1 = %v; want Radstock", a.Place)
	}
	a, _ = restarted.Answer(ctx, bot.Question{Text: "area", Channel: "slack:C2", Conversation: "slack:C2:U2"})
	if !strings.Contains(a.Message, "no area yet") {
		t.Errorf("after a restart, C2 says %q; want it unbound", a.Message)
	}
	data, _ := os.ReadFile(path)
	if strings.Contains(string(data), "U1") || !strings.Contains(string(data), "Radstock") {
		t.Errorf("areas file %s; want channel ids and places only", data)
	}
}

// TestUnsavedAreaSaysSo: when the file cannot be written, the person is
// told the area lasts until restart.
func TestUnsavedAreaSaysSo(t *testing.T) {
	base, _ := knowledge.Embedded()
	b := bot.New(base)
	b.KeepAreas(&areaFile{path: filepath.Join(t.TempDir(), "no", "such", "dir", "areas.json"), m: map[string]string{}})
	a, _ := b.Answer(context.Background(), bot.Question{Text: "area Radstock", Channel: "slack:C1", Conversation: "c"})
	if !strings.Contains(a.Message, "until signpost restarts") {
		t.Errorf("unsaved area: %q; want it to say it lasts until restart", a.Message)
	}
}
