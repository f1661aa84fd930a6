// Package bot is signpost's core: it reads a question, matches it to the
// knowledge base and builds an Answer that every adapter renders. It holds no
// platform code and starts no goroutines; adapters own concurrency.
package bot

import (
	"context"
	"fmt"
	"log/slog"
	"strconv"
	"strings"
	"sync/atomic"
	"time"

	"github.com/bathnes/signpost/bot/match"
	"github.com/bathnes/signpost/knowledge"
)

// Question is a message from a user, with the platform's markup (mentions,
// channel links, custom emoji) already taken out by its adapter.
type Question struct {
	Text string
	// Conversation identifies who is talking where ("slack:T1:C1:U1"), so
	// the bot can remember a place and a question it asked back. Empty
	// means no memory.
	Conversation string
	// Channel identifies the channel (or server) the question came from
	// ("slack:C1"), for places bound to a channel.
	Channel string
	// Place is where the asker's screen says they are (the staff desk's
	// "caller is in…"), used when the message names no place.
	Place string
	// Platform names where the question came from ("slack", "web"), for
	// the journal's figures.
	Platform string
	// Audience is who will read the answer.
	Audience Audience
}

// Audience is who reads a reply: a member of the public in chat, or
// Council Connect staff at the desk, signposting a caller. One reply
// document serves both; the words for what to do next differ.
type Audience int

const (
	// Public: people asking for themselves, in chat. Replies are short,
	// with the rest a click away, and send them to Council Connect when
	// the documents give nothing.
	Public Audience = iota
	// Staff: the desk. Replies are whole, and say what the staff member
	// can do next, not "contact Council Connect".
	Staff
)

// Kind says what sort of answer the bot gave.
type Kind int

const (
	// Matched: an entry answers the question.
	Matched Kind = iota
	// Unsure: nothing matched well enough; Alternatives may hold guesses.
	Unsure
	// Service: a general council service, signposted to Council Connect.
	Service
	// Outside: not a council matter at all (weather, sport).
	Outside
	// Empty: the message had nothing to read.
	Empty
	// Help: what the bot can do.
	Help
	// List: a list of entries (menu, core offer, funding).
	List
	// Note: a short message of the bot's own (a channel bound to a
	// place, a conversation cancelled, a funding finder question).
	Note
	// Funding: the funding finder's result, in Finding.
	Funding
	// Clarify: two or three entries may answer the question, none surely
	// enough to state; Options offers them.
	Clarify
	// Local: services from the directory answer the question, which the
	// toolkit does not; Locals holds them, Alternatives the toolkit's
	// guesses.
	Local
)

// String names a kind, for logs.
func (k Kind) String() string {
	names := [...]string{"matched", "unsure", "service", "outside", "empty", "help", "list", "note", "funding", "clarify", "local"}
	if int(k) >= 0 && int(k) < len(names) {
		return names[k]
	}
	return "kind(" + strconv.Itoa(int(k)) + ")"
}

// Answer is everything an adapter needs to render a reply.
type Answer struct {
	Kind Kind
	// Entry answers the question (Matched).
	Entry *knowledge.Entry
	// Sources are the documents behind Entry, newest first.
	Sources []knowledge.Source
	// Related are the entries Entry points to ("see also"), resolved so
	// adapters can offer them as buttons.
	Related []*knowledge.Entry
	// Confidence is from 0 to 1.
	Confidence float64
	// Alternatives are other entries the question may mean ("Did you mean…").
	Alternatives []*knowledge.Entry
	// Options are the entries a Clarify answer offers, best first.
	Options []*knowledge.Entry
	// Results are the ranked entry ids with scores, best first.
	Results []Result
	// Service names the council service a Service answer is about.
	Service string
	// Fallback is the Council Connect entry, signposted when unsure.
	Fallback *knowledge.Entry
	// Title and Groups hold a List answer.
	Title  string
	Groups []Group
	// Commands is filled for Help.
	Commands []Command
	// Place is where the answer is for, when known; Local are the entry's
	// facts for it, shown first. NotHere says the entry is not available
	// there, Instead what is; AlsoHere are other entries with facts there.
	Place    *knowledge.Place
	Local    []string
	NotHere  bool
	Instead  []*knowledge.Entry
	AlsoHere []*knowledge.Entry
	// Prompt is a question back to the asker ("Which area are you in?").
	Prompt *Prompt
	// Message is a Note's text.
	Message string
	// Finding is the funding finder's result.
	Finding *Finding
	// Full shows every local fact of Entry: it was asked for by name.
	Full bool
	// Years are those the documents span ("2011–2014"), for Help and
	// Funding answers.
	Years string
	// ID names the answer in the journal, when one is kept, so a vote can
	// say which answer it is about.
	ID string
	// Ack marks a short acknowledgement (a vote's thanks): platforms show
	// it beside the message it is about, not in its place.
	Ack bool
	// question is what the answer answers when that is not the message
	// just sent: the question put aside while the bot asked for an area.
	question string
	// Audience is who the reply is for (the question's).
	Audience Audience
	// Locals are services from the directory (UseDirectory), best first:
	// a Local answer's, or listed after a Matched one's entry. Their
	// text is the records' own, cleaned; they share nothing with Entry.
	Locals []LocalService
	// LocalPlace is where the services were asked to be near (the
	// question's place or the asker's), "" when nowhere.
	LocalPlace string
	// search is the directory search a Local answer made, for the
	// conversation's follow-ups.
	search search
}

// Result is one ranked entry.
type Result struct {
	ID    string  `json:"id"`
	Score float64 `json:"score"`
}

// Group is a named list of entries.
type Group struct {
	Name    string
	Entries []*knowledge.Entry
}

// fallbackID is the entry signposted when the bot cannot help: the Core
// Offer names Council Connect as the point of contact for local services.
const fallbackID = "council-connect"

// Answerer is what every adapter needs from the core: answers, and
// suggestions as someone types (autocomplete). Tests put a failing or
// slow one in its place.
type Answerer interface {
	Answer(ctx context.Context, q Question) (Answer, error)
	Suggest(typed string, max int) []Suggestion
}

// The Bot is what every adapter needs.
var _ Answerer = (*Bot)(nil)

// Bot answers questions from a knowledge base. It is safe for concurrent
// use, and its knowledge base can be replaced while it runs.
type Bot struct {
	ix atomic.Pointer[index]
	// journal, when set, is told of every answer and vote (Keep).
	journal Journal
	voteKey []byte
	// shared, when set, holds conversations and channel areas for every
	// replica (Share); aloneAt is when the bot last said it could not
	// reach it.
	shared   Shared
	shareKey []byte
	log      *slog.Logger
	aloneAt  atomic.Int64
	mem      *memory
	bound    *bindings
	// store keeps channel areas across restarts; nil keeps them in
	// memory only.
	store AreaStore
	// dir, when set, answers questions about local services beside the
	// toolkit (UseDirectory); clock is the time its next sessions are
	// worked out from.
	dir   atomic.Pointer[Directory]
	clock func() time.Time
}

// New returns a Bot over base.
func New(base *knowledge.Base) *Bot {
	b := &Bot{mem: newMemory(conversationTTL, maxConversations), bound: &bindings{m: map[string]string{}}, clock: time.Now}
	b.Replace(base)
	return b
}

// Replace swaps in a new knowledge base. Questions already being answered
// finish on the old one.
func (b *Bot) Replace(base *knowledge.Base) { b.ix.Store(newIndex(base)) }

// Reload loads a knowledge base with load and swaps it in. If loading fails
// the bot keeps the base it has and returns the error, so a bad edit never
// takes the bot down.
func (b *Bot) Reload(load func() (*knowledge.Base, error)) error {
	base, err := load()
	if err != nil {
		return fmt.Errorf("reload knowledge: %w", err)
	}
	b.Replace(base)
	return nil
}

// Base returns the knowledge base in use.
func (b *Bot) Base() *knowledge.Base { return b.ix.Load().base }

// Answer answers one question.
func (b *Bot) Answer(ctx context.Context, q Question) (Answer, error) {
	if err := ctx.Err(); err != nil {
		return Answer{}, err
	}
	ix := b.ix.Load()
	text := Clean(q.Text)
	st := b.load(ctx, q.Conversation)
	// A vote is read as sent: its answer id is no question to clean.
	a, voted := b.vote(q, q.Text, &st)
	if !voted {
		a = b.converse(ix, q, text, &st)
		b.record(q, &st, &a)
	}
	a.Audience = q.Audience
	b.save(ctx, q.Conversation, st)
	return a, nil
}

// reply answers one message on its own: a command or a question.
func (ix *index) reply(text string) Answer {
	if a, ok := ix.command(text); ok {
		return a
	}
	return ix.answer(text)
}

// maxResults bounds the ranked entries an answer carries.
const maxResults = 5

func (ix *index) answer(text string) Answer {
	fallback, _ := ix.base.Entry(fallbackID)
	d := ix.m.Decide(text, maxResults)
	a := Answer{Fallback: fallback, Confidence: d.Confidence}
	for _, m := range d.Matches {
		a.Results = append(a.Results, Result{ID: m.Entry.ID, Score: round3(d.Confidence * m.Score / d.Matches[0].Score)})
	}
	switch d.Verdict {
	case match.Empty:
		return Answer{Kind: Empty, Fallback: fallback}
	case match.Service, match.Outside:
		a.Kind, a.Service = Service, d.Service.Name
		if d.Verdict == match.Outside {
			a.Kind = Outside
		}
	case match.Unsure:
		a.Kind = Unsure
	case match.Clarify:
		a.Kind = Clarify
		a.Results = a.Results[:0]
		for _, m := range d.Options {
			a.Options = append(a.Options, m.Entry)
			a.Results = append(a.Results, Result{ID: m.Entry.ID, Score: round3(d.Confidence * m.Score / d.Options[0].Score)})
		}
		return a
	default:
		a.Kind = Matched
		a.Entry = d.Matches[0].Entry
		a.Sources = ix.base.SourcesOf(a.Entry)
		a.Related = ix.related(a.Entry)
	}
	start := 1
	if a.Kind != Matched {
		start = 0
	}
	for i := start; i < len(d.Matches) && len(a.Alternatives) < 3; i++ {
		m := d.Matches[i]
		// "Did you mean" offers what the index found in the question's
		// words: an entry only the model leans to is no suggestion for
		// "banana".
		if m.Entry.ID != fallbackID && m.Score >= 0.5*d.Matches[0].Score && m.Coverage > 0 {
			a.Alternatives = append(a.Alternatives, m.Entry)
		}
	}
	return a
}

// related resolves e's see-also ids; the loader has checked they exist.
func (ix *index) related(e *knowledge.Entry) []*knowledge.Entry {
	var out []*knowledge.Entry
	for _, id := range e.Related {
		if r, ok := ix.base.Entry(id); ok {
			out = append(out, r)
		}
	}
	return out
}

func round3(f float64) float64 { return float64(int(f*1000+0.5)) / 1000 }

// lower is the command form of a message: folded, without the punctuation
// people end a line with.
func lower(text string) string {
	return strings.Trim(strings.ToLower(strings.TrimSpace(text)), " ?!.,")
}

// Sorry is the answer when the bot fails: an apology that signposts
// Council Connect, so nobody is left with silence or a greeting.
func Sorry() Answer {
	return Answer{Kind: Note, Message: "Sorry, something went wrong on my side. Please ask again in a minute, or contact Council Connect, the council's point of contact for local services."}
}
