package bot

import (
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"slices"
	"strings"
	"time"
)

// Journal keeps what signpost learns from use: a record of each answer
// and each vote on one. The core hands them over and goes on; a journal
// that is slow or down must never hold an answer up, so it buffers,
// counts what it could not keep, and says so in its own logs (store/).
type Journal interface {
	Record(Record)
	Vote(Vote)
}

// Record is what is kept of one answer. No user id or name is ever in it:
// the conversation is a random id. The question's text is kept only when
// signpost could not answer it, and scrubbed first.
type Record struct {
	ID           string    `json:"id"`
	At           time.Time `json:"at"`
	Platform     string    `json:"platform"`
	Conversation string    `json:"conversation"`
	Outcome      Outcome   `json:"outcome"`
	Top          []Result  `json:"top"`
	Confidence   float64   `json:"confidence"`
	Place        string    `json:"place,omitempty"`
	Text         string    `json:"text,omitempty"`
}

// Vote is one person's word on one answer. Voter is a keyed hash of the
// answer and the person's conversation: it allows one vote each without
// saying who. Text, for a "not helpful" vote, is the question, scrubbed.
type Vote struct {
	AnswerID string    `json:"answer_id"`
	Voter    string    `json:"-"`
	Helpful  bool      `json:"helpful"`
	At       time.Time `json:"at"`
	Text     string    `json:"text,omitempty"`
}

// Thanks acknowledges a vote.
const Thanks = "Thanks: we use this to improve answers."

// The words a vote is sent back with: "helpful <answer id>".
const (
	helpfulWord   = "helpful"
	unhelpfulWord = "not helpful"
)

// Keep makes the bot record its answers and votes in j. key keys the
// voters' hashes; keep it secret and the same across restarts, so a
// person votes once on an answer, and their vote cannot be tied to them.
func (b *Bot) Keep(j Journal, key []byte) {
	b.journal, b.voteKey = j, key
}

// newID is a random id for an answer or a conversation: 16 hex digits.
func newID() string {
	var b [8]byte
	rand.Read(b[:])
	return hex.EncodeToString(b[:])
}

// Kept is what a journal holds for a period, oldest first: the answers
// and the votes on them. The store reads it back; learn turns it into
// figures and review groups, so neither learn nor the desk need the store.
// A year of records is too many to hold: the figures read a Tally and
// review a stream of Heard, which the store makes without them.
type Kept struct {
	Records []Record
	Votes   []Vote
}

// Tally is what a journal counts of a period for the figures, made where
// the records are (the store's GROUP BY), so the figures never hold the
// records themselves: answers by day, platform and outcome; answers by
// the entry they led with, and the votes on them; and the votes.
type Tally struct {
	Answers        []Counted
	Led            []Led
	Votes, Helpful int
}

// Counted is how many answers a platform gave on a day (UTC) with one
// outcome, as kept (older names included).
type Counted struct {
	Day      time.Time
	Platform string
	Outcome  Outcome
	Count    int
}

// Led is how many answers with one outcome, as kept, led with an entry
// (the first of their results), and how the votes on them went.
type Led struct {
	Entry                     string
	Outcome                   Outcome
	Asked, Helpful, Unhelpful int
}

// Heard is a question kept with its words, for review: one signpost could
// not answer well (Outcome, as kept), or one whose answer was voted
// unhelpful; Top is what that answer came nearest to.
type Heard struct {
	Text      string
	Outcome   Outcome
	Unhelpful bool
	Top       []Result
}

// heard is a question kept in a conversation's memory, scrubbed, so a
// "not helpful" vote in the next half hour can keep its text.
type heard struct{ id, text string }

// maxHeard bounds the questions a conversation remembers for votes.
const maxHeard = 5

// record hands an answer to the journal and offers a vote on it.
func (b *Bot) record(q Question, st *state, a *Answer) {
	// A question is recorded once, when answered: not while the bot asks
	// back (the area, a finder step), nor for notes, help or votes.
	if b.journal == nil || a.Prompt != nil || a.Kind == Empty || a.Kind == Note || a.Kind == Help {
		return
	}
	if st.id == "" {
		st.id = newID()
	}
	a.ID = newID()
	r := Record{ID: a.ID, At: time.Now().UTC(), Platform: q.Platform, Conversation: st.id, Outcome: a.Outcome(),
		Top: a.Results, Confidence: a.Confidence}
	if a.Place != nil {
		r.Place = a.Place.Name
	}
	// Scrubbed from what was asked, so what was taken out is marked
	// ([phone]), then cleaned as the question was. A reply to the area
	// question stands for the question put aside; a finding for what the
	// finder was told.
	said := q.Text
	switch {
	case a.question != "":
		said = a.question
	case a.Finding != nil:
		said = a.Finding.Asked
	}
	scrubbed := Clean(Scrub(said))
	if a.Kind == Unsure || a.Kind == Outside || a.Kind == Clarify {
		r.Text = scrubbed
	}
	b.journal.Record(r)
	// Clipped: the remembered state may share its array with another
	// message of the same conversation, answered at the same time.
	st.heard = append(slices.Clip(st.heard), heard{a.ID, scrubbed})
	if len(st.heard) > maxHeard {
		st.heard = st.heard[1:]
	}
}

// vote reads "helpful <id>" and "not helpful <id>" (or the words alone,
// for the last answer, as in a terminal), keeps the vote, and thanks.
func (b *Bot) vote(q Question, text string, st *state) (Answer, bool) {
	if b.journal == nil {
		return Answer{}, false
	}
	l := lower(text)
	helpful := true
	rest, ok := strings.CutPrefix(l, unhelpfulWord)
	if ok {
		helpful = false
	} else if rest, ok = strings.CutPrefix(l, helpfulWord); !ok {
		return Answer{}, false
	}
	id := strings.TrimSpace(rest)
	if id == "" && len(st.heard) > 0 {
		id = st.heard[len(st.heard)-1].id
	}
	if len(id) != 16 || strings.Trim(id, "0123456789abcdef") != "" {
		return Answer{}, false
	}
	mac := hmac.New(sha256.New, b.voteKey)
	mac.Write([]byte(id + "\x00" + q.Conversation))
	v := Vote{AnswerID: id, Voter: hex.EncodeToString(mac.Sum(nil)), Helpful: helpful, At: time.Now().UTC()}
	if !helpful {
		for _, a := range st.heard {
			if a.id == id {
				v.Text = a.text
			}
		}
	}
	b.journal.Vote(v)
	return Answer{Kind: Note, Message: Thanks, Ack: true}, true
}

// IsVote reports whether a choice's reply is a vote, for screens that send
// votes differently from questions (the desk posts them).
func IsVote(reply string) bool {
	return strings.HasPrefix(reply, helpfulWord+" ") || strings.HasPrefix(reply, unhelpfulWord+" ")
}

// ReadsAsVote reports whether the core would take text as a vote, in any
// form it accepts: "helpful" or "not helpful", any case, then an answer's
// id or nothing (the last answer). The desk refuses such text in a search,
// so a link from another site cannot vote.
func ReadsAsVote(text string) bool {
	l := strings.Trim(strings.ToLower(strings.TrimSpace(text)), " ?!.,")
	rest, ok := strings.CutPrefix(l, unhelpfulWord)
	if !ok {
		if rest, ok = strings.CutPrefix(l, helpfulWord); !ok {
			return false
		}
	}
	id := strings.TrimSpace(rest)
	return id == "" || len(id) == 16 && strings.Trim(id, "0123456789abcdef") == ""
}

// feedback is the block that asks whether an answer helped.
func feedback(id string) Block {
	return Block{Part: Actions, Label: "Was this helpful?", Choices: []Choice{
		{Label: "Helpful", Reply: helpfulWord + " " + id},
		{Label: "Not helpful", Reply: unhelpfulWord + " " + id},
	}, Typed: "Type helpful or not helpful."}
}
