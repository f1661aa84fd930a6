package bot

import (
	"context"
	"strings"
	"sync"
	"testing"
)

// notebook is a Journal that keeps everything in memory, for the core's
// own tests; store/ has the real ones.
type notebook struct {
	mu      sync.Mutex
	records []Record
	votes   []Vote
}

func (n *notebook) Record(r Record) { n.mu.Lock(); n.records = append(n.records, r); n.mu.Unlock() }
func (n *notebook) Vote(v Vote)     { n.mu.Lock(); n.votes = append(n.votes, v); n.mu.Unlock() }

// keeping is the embedded base's bot, keeping its journal in a notebook.
func keeping(t *testing.T) (*Bot, *notebook) {
	t.Helper()
	b := newBot(t)
	nb := &notebook{}
	b.Keep(nb, []byte("key"))
	return b, nb
}

func TestJournalKeepsTextOnlyOfUnansweredQuestionsScrubbed(t *testing.T) {
	b, nb := keeping(t)
	ctx := context.Background()
	q := Question{Conversation: "slack:C1:U024BE7LH", Platform: "slack"}
	for _, text := range []string{"how do we list our pub", "can I get free wifi in the library? email jo@example.org or ring 01225 394041"} {
		q.Text = text
		if _, err := b.Answer(ctx, q); err != nil {
			t.Fatal(err)
		}
	}
	if len(nb.records) != 2 {
		t.Fatalf("%d records; want 2", len(nb.records))
	}
	matched, unsure := nb.records[0], nb.records[1]
	if matched.Text != "" || matched.Outcome != OutcomeAnswer || matched.Platform != "slack" || len(matched.Top) == 0 {
		t.Errorf("answered question kept as %+v; want no text", matched)
	}
	if unsure.Outcome != "unsure" || !strings.Contains(unsure.Text, "free wifi") ||
		strings.Contains(unsure.Text, "jo@example.org") || strings.Contains(unsure.Text, "394041") {
		t.Errorf("unanswered question kept as %q; want its words, scrubbed", unsure.Text)
	}
	for _, r := range nb.records {
		if strings.Contains(r.Conversation, "U024BE7LH") || strings.Contains(r.Conversation, "slack") || r.Conversation != nb.records[0].Conversation {
			t.Errorf("conversation kept as %q; want one random id, no platform ids", r.Conversation)
		}
	}
}

func TestVotesAreKeptOncePerPersonWithTheQuestionWhenUnhelpful(t *testing.T) {
	b, nb := keeping(t)
	ctx := context.Background()
	alice := Question{Conversation: "discord:C1:alice", Text: "who runs PACT in Radstock"}
	a, _ := b.Answer(ctx, alice)
	var vote []Choice
	for _, blk := range a.Reply().Blocks {
		if blk.Label == "Was this helpful?" {
			vote = blk.Choices
		}
	}
	if a.ID == "" || len(vote) != 2 || !strings.HasSuffix(vote[1].Reply, a.ID) {
		t.Fatalf("answer %q offers votes %v; want helpful and not helpful for it", a.ID, vote)
	}
	for range 2 {
		alice.Text = vote[1].Reply
		thanks, _ := b.Answer(ctx, alice)
		if !thanks.Ack || thanks.Message != Thanks {
			t.Errorf("vote answered %+v; want the thanks, as an acknowledgement", thanks)
		}
	}
	bob := Question{Conversation: "discord:C1:bob", Text: vote[0].Reply}
	b.Answer(ctx, bob)
	if len(nb.votes) != 3 {
		t.Fatalf("%d votes passed on; want 3 (the journal keeps one each)", len(nb.votes))
	}
	if nb.votes[0].Voter != nb.votes[1].Voter || nb.votes[0].Voter == nb.votes[2].Voter || strings.Contains(nb.votes[0].Voter, "alice") {
		t.Error("voters are not one hash each, or name who voted")
	}
	if nb.votes[0].Helpful || !strings.Contains(nb.votes[0].Text, "PACT") || !nb.votes[2].Helpful || nb.votes[2].Text != "" {
		t.Errorf("votes %+v; want the question kept only with not helpful", nb.votes)
	}
	// In a terminal, the words alone vote on the last answer.
	b.Answer(ctx, Question{Conversation: "console", Text: "how do we list our pub"})
	b.Answer(ctx, Question{Conversation: "console", Text: "not helpful"})
	if last := nb.votes[len(nb.votes)-1]; last.AnswerID != nb.records[len(nb.records)-1].ID || last.Helpful {
		t.Errorf("'not helpful' alone voted %+v; want the last answer, unhelpful", last)
	}
}

func TestNoJournalNoVotes(t *testing.T) {
	b := newBot(t)
	a, _ := b.Answer(context.Background(), Question{Text: "how do we list our pub"})
	if a.ID != "" || strings.Contains(words(a), "Was this helpful?") {
		t.Error("without a journal, answers offer votes")
	}
}

// TestAQuestionPutAsideIsRecordedOnceAsAsked: "who runs PACT here", then
// "1" for the area, is one question, kept as asked.
func TestAQuestionPutAsideIsRecordedOnceAsAsked(t *testing.T) {
	b, nb := keeping(t)
	ctx := context.Background()
	for _, text := range []string{"who runs PACT here", "1", "not helpful"} {
		b.Answer(ctx, Question{Conversation: "c", Text: text})
	}
	if len(nb.records) != 1 || nb.records[0].Place != "Bath" {
		t.Fatalf("records = %+v; want one, for Bath", nb.records)
	}
	if len(nb.votes) != 1 || nb.votes[0].Text != "who runs PACT here" {
		t.Errorf("votes = %+v; want the question put aside kept with the vote", nb.votes)
	}
}
