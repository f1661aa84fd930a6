// Package bot is signpost's core: it reads a question, matches it to the
// knowledge base and builds an Answer that every adapter renders. It holds no
// platform code and starts no goroutines; adapters own concurrency.
package bot

import (
	"context"
	"fmt"
	"strings"
	"sync/atomic"

	"github.com/bathnes/signpost/knowledge"
)

// Question is a message from a user, with its platform markup still in it:
// the bot strips mentions and emoji itself so every adapter behaves alike.
type Question struct {
	Text string
	// Conversation identifies who is talking where ("slack:T1:C1:U1"), so
	// the bot can remember a place and a question it asked back. Empty
	// means no memory.
	Conversation string
	// Channel identifies the channel (or server) the question came from
	// ("slack:C1"), for places bound to a channel.
	Channel string
}

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
)

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
}

// Answered reports whether the bot answered rather than declined.
func (a Answer) Answered() bool {
	return a.Kind == Matched || a.Kind == Help || a.Kind == List || a.Kind == Note || a.Kind == Funding
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

// Bot answers questions from a knowledge base. It is safe for concurrent
// use, and its knowledge base can be replaced while it runs.
type Bot struct {
	ix    atomic.Pointer[index]
	mem   *memory
	bound *bindings
}

// New returns a Bot over base.
func New(base *knowledge.Base) *Bot {
	b := &Bot{mem: newMemory(conversationTTL, maxConversations), bound: &bindings{m: map[string]string{}}}
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
	st := b.mem.get(q.Conversation)
	a := b.converse(ix, q, text, &st)
	b.mem.put(q.Conversation, st)
	return a, nil
}

// reply answers one message on its own: a command or a question.
func (ix *index) reply(text string) Answer {
	if a, ok := ix.command(text); ok {
		return a
	}
	return ix.answer(text)
}

// Decline calibration, from the regression set: an answer needs the top
// entry to cover enough of the question, or to score well in absolute
// terms; and a near-tie between the top two at modest confidence is called
// a tie rather than guessed.
const (
	minConfidence = 0.25
	tieRatio      = 0.99
	tieConfidence = 0.35
	maxResults    = 5
	// serviceOverride: a question naming a council service ("bin day") is
	// signposted to Council Connect unless, without the service's words,
	// an entry still matches it this confidently, as "salt bins for snow
	// wardens" or "can we take over the swimming pool" would.
	serviceOverride = 0.5
	// serviceOverrideSure: less is needed without the service's words
	// when the whole question matches the same entry this surely: the
	// service's words were part of the tool's subject ("secondary school
	// pupils" for the Pupil Parliament).
	serviceOverrideSure = 0.4
	sureConfidence      = 0.7
)

func (ix *index) answer(text string) Answer {
	fallback, _ := ix.base.Entry(fallbackID)
	res := ix.search(text, maxResults)
	if res.terms == 0 {
		return Answer{Kind: Empty, Fallback: fallback}
	}
	a := Answer{Fallback: fallback}
	matches := res.matches
	if res.service != nil {
		// A question naming a council service is signposted to Council
		// Connect, unless without the service's words it still matches a
		// tool squarely ("can we take over the swimming pool").
		if len(res.rest) > 0 && (confidence(res.rest[0]) >= serviceOverride ||
			confidence(res.rest[0]) >= serviceOverrideSure && len(res.matches) > 0 &&
				res.matches[0].Entry == res.rest[0].Entry && confidence(res.matches[0]) >= sureConfidence) {
			matches = res.rest
		} else {
			a.Kind, a.Service = Service, res.service.Name
			if res.service.Outside {
				a.Kind = Outside
			}
		}
	}
	if len(matches) > 0 {
		a.Confidence = confidence(matches[0])
		for _, m := range matches {
			a.Results = append(a.Results, Result{ID: m.Entry.ID, Score: round3(a.Confidence * m.Score / matches[0].Score)})
		}
	}
	switch {
	case a.Kind == Service || a.Kind == Outside:
	case len(matches) == 0 || a.Confidence < minConfidence || matches[0].Lone:
		a.Kind = Unsure
	case len(matches) > 1 && matches[1].Score >= tieRatio*matches[0].Score && a.Confidence < tieConfidence:
		a.Kind = Unsure
	default:
		a.Kind = Matched
		a.Entry = matches[0].Entry
		a.Sources = ix.base.SourcesOf(a.Entry)
		a.Related = ix.related(a.Entry)
	}
	start := 1
	if a.Kind != Matched {
		start = 0
	}
	for i := start; i < len(matches) && len(a.Alternatives) < 3; i++ {
		m := matches[i]
		if m.Entry.ID != fallbackID && m.Score >= 0.5*matches[0].Score {
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

// confidence maps a match to 0..1: the share of the question it covers,
// lifted by how strongly it matched (a long question may cover little of
// its words yet match one entry's aliases squarely).
func confidence(m Match) float64 {
	strength := m.Score / (m.Score + 12)
	return min(1, 0.6*m.Coverage+0.6*strength)
}

func round3(f float64) float64 { return float64(int(f*1000+0.5)) / 1000 }

// lower is the command form of a message: folded, without the punctuation
// people end a line with.
func lower(text string) string {
	return strings.Trim(strings.ToLower(strings.TrimSpace(text)), " ?!.,")
}
