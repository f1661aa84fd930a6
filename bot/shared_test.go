package bot_test

import (
	"context"
	"errors"
	"log/slog"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/bathnes/signpost/bot"
	"github.com/bathnes/signpost/knowledge"
	"github.com/bathnes/signpost/store"
)

// replicas are two cores, as two processes would be, sharing one store.
func replicas(t *testing.T) (*bot.Bot, *bot.Bot) {
	t.Helper()
	path := filepath.Join(t.TempDir(), "shared.db")
	base, err := knowledge.Embedded()
	if err != nil {
		t.Fatal(err)
	}
	var out []*bot.Bot
	for range 2 {
		st, err := store.Open(context.Background(), store.Config{Path: path}, slog.New(slog.DiscardHandler))
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { st.Close() })
		b := bot.New(base)
		b.Share(st, []byte("key"), slog.New(slog.DiscardHandler))
		out = append(out, b)
	}
	return out[0], out[1]
}

func TestAConversationContinuesOnAnotherReplica(t *testing.T) {
	a, b := replicas(t)
	ctx := context.Background()
	q := bot.Question{Conversation: "slack:C1:U1", Channel: "slack:C1"}
	q.Text = "funding"
	first, _ := a.Answer(ctx, q)
	q.Text = "A voluntary or community group"
	next, _ := b.Answer(ctx, q)
	if first.Prompt == nil || next.Prompt == nil || !strings.Contains(next.Message, "What is it for?") {
		t.Errorf("replica B answered %q; want the finder's second step", next.Message)
	}
	// A channel bound on one replica is bound on the other.
	a.Answer(ctx, bot.Question{Conversation: "slack:C2:U1", Channel: "slack:C2", Text: "area Keynsham"})
	got, _ := b.Answer(ctx, bot.Question{Conversation: "slack:C2:U2", Channel: "slack:C2", Text: "who runs PACT here"})
	if got.Place == nil || got.Place.Name != "Keynsham" {
		t.Errorf("replica B's place for the channel: %v; want Keynsham", got.Place)
	}
}

// TestAFollowUpContinuesOnAnotherReplica: the topic, the place a
// question named, the area the asker gave and the notices said travel
// with the conversation, turn by turn from one replica to the other.
func TestAFollowUpContinuesOnAnotherReplica(t *testing.T) {
	a, b := replicas(t)
	ctx := context.Background()
	turns := []struct {
		on         *bot.Bot
		say, entry string
		place      string
	}{
		{a, "what is participatory budgeting in Keynsham", "participatory-budgeting", "Keynsham"},
		{b, "how do we start", "participatory-budgeting", "Keynsham"},
		// Said where they are, with a topic: the answer for there, and
		// the notice that the documents say nothing for it in particular.
		{a, "we're based in Peasedown", "participatory-budgeting", "Peasedown St John"},
		// Said once: not again for a place only remembered…
		{b, "how do we list our pub", "assets-of-community-value", ""},
		// …but asked about "here", it is that place.
		{a, "who runs PACT here", "pact", "Peasedown St John"},
	}
	for _, tn := range turns {
		got, _ := tn.on.Answer(ctx, bot.Question{Conversation: "slack:C1:U1", Channel: "slack:C1", Text: tn.say})
		id, place := "", ""
		if got.Entry != nil {
			id = got.Entry.ID
		}
		if got.Place != nil {
			place = got.Place.Name
		}
		if id != tn.entry || place != tn.place {
			t.Errorf("%q: %q for %q; want %q for %q", tn.say, id, place, tn.entry, tn.place)
		}
	}
}

// down is a shared store that cannot be reached.
type down struct{}

func (down) LoadConversation(context.Context, string) ([]byte, error) {
	return nil, errors.New("connection refused")
}
func (down) SaveConversation(context.Context, string, []byte, time.Duration) error {
	return errors.New("connection refused")
}
func (down) Area(context.Context, string) (string, error) {
	return "", errors.New("connection refused")
}
func (down) SaveArea(string, string) error { return errors.New("connection refused") }

// TestLosingTheSharedStoreKeepsAnswering: with the database gone, the bot
// answers from its own memory and says so once in the log.
func TestLosingTheSharedStoreKeepsAnswering(t *testing.T) {
	base, _ := knowledge.Embedded()
	b := bot.New(base)
	var logs strings.Builder
	b.Share(down{}, []byte("k"), slog.New(slog.NewTextHandler(&logs, nil)))
	ctx := context.Background()
	q := bot.Question{Conversation: "c", Text: "funding"}
	b.Answer(ctx, q)
	q.Text = "A voluntary or community group"
	next, err := b.Answer(ctx, q)
	if err != nil || !strings.Contains(next.Message, "What is it for?") {
		t.Errorf("without the shared store: %q, %v; want the conversation kept in memory", next.Message, err)
	}
	if n := strings.Count(logs.String(), "running without shared state"); n != 1 {
		t.Errorf("said %d times that it runs alone; want once a minute:\n%s", n, logs.String())
	}
}
