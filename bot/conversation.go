package bot

import (
	"container/list"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/bathnes/signpost/bot/match"
	"github.com/bathnes/signpost/internal/clip"
	"github.com/bathnes/signpost/knowledge"
)

// Prompt is a question back to the asker, with the answers to pick from.
// Adapters show the choices as buttons or a numbered list; a pick is sent
// back as the user's next message (its Reply), so every adapter works the
// same way and typing works too.
type Prompt struct {
	Text    string
	Choices []Choice
}

// Choice is one answer to a Prompt.
type Choice struct {
	Label string `json:"label"`
	// Reply is the message choosing it sends back, as if typed.
	Reply string `json:"reply"`
}

// Conversations are remembered for this long after their last message,
// and at most this many at once: the least recently used go first, so
// memory stays flat however many people write.
const (
	conversationTTL  = 30 * time.Minute
	maxConversations = 10000
	// maxBindings bounds the channels bound to places: far more channels
	// than a council's workspaces hold, at about 100 bytes each.
	maxBindings = 100000
)

// state is what the bot remembers of one conversation: as little as it
// needs, and never the text of anything but a question waiting for an
// answer.
type state struct {
	// place is where the asker said they are: in reply to "Which area
	// are you in?" or the finder's "Where is it?", or in so many words
	// ("we're in Radstock"). It holds for the conversation.
	place string
	// topic is the id of the entry last answered, or service the council
	// service last signposted: a follow-up ("what about in Keynsham",
	// "who do I ring about that") is about it.
	topic, service string
	// near is the place a question named for the topic ("who runs PACT
	// in Peasedown"). It leads only while the topic does: a follow-up
	// keeps it, a new question drops it.
	near string
	// local is where the asker said they are when only the directory of
	// local services knows the place ("we're in Twerton", a ward): it
	// places the services they ask about, never the toolkit's answers.
	local string
	// search is the directory search of the services just listed: a
	// follow-up ("what about on a Friday", "how much is it") is about
	// them.
	search search
	// told are the places the conversation has heard "the documents give
	// nothing about this for …" of: a remembered place does not say it
	// again.
	told []string
	// waiting is a question put aside while the bot asks which area.
	waiting string
	// asked counts unexpected replies to the area question: one re-ask,
	// then the bot answers normally.
	asked int
	// offered are the choices of the last prompt, so "2" picks the second.
	offered []Choice
	// finder is the funding finder's progress, when one is under way.
	finder *finder
	// id stands for the conversation in the journal: random, never the
	// platform's ids. heard are its last questions, scrubbed, for votes.
	id    string
	heard []heard
}

// maxTold bounds the places a conversation remembers being told of.
const maxTold = 8

func (s state) empty() bool {
	return s.place == "" && s.topic == "" && s.service == "" && s.near == "" && s.local == "" && s.search == (search{}) && len(s.told) == 0 && s.waiting == "" &&
		s.asked == 0 && len(s.offered) == 0 && s.finder == nil && len(s.heard) == 0
}

// memory holds conversations with a time limit and a size bound.
type memory struct {
	mu    sync.Mutex
	ttl   time.Duration
	max   int
	now   func() time.Time
	byKey map[string]*list.Element
	lru   *list.List // of *remembered, most recent first
}

type remembered struct {
	key string
	at  time.Time
	s   state
}

func newMemory(ttl time.Duration, max int) *memory {
	return &memory{ttl: ttl, max: max, now: time.Now, byKey: map[string]*list.Element{}, lru: list.New()}
}

// get returns the conversation's state, empty when new or expired.
func (m *memory) get(key string) state {
	if key == "" {
		return state{}
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	el, ok := m.byKey[key]
	if !ok {
		return state{}
	}
	r := el.Value.(*remembered)
	if m.now().Sub(r.at) > m.ttl {
		m.lru.Remove(el)
		delete(m.byKey, key)
		return state{}
	}
	return r.s
}

// put stores the conversation's state; an empty state forgets it.
func (m *memory) put(key string, s state) {
	if key == "" {
		return
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	el, ok := m.byKey[key]
	if s.empty() {
		if ok {
			m.lru.Remove(el)
			delete(m.byKey, key)
		}
		return
	}
	if ok {
		r := el.Value.(*remembered)
		r.s, r.at = s, m.now()
		m.lru.MoveToFront(el)
		return
	}
	m.byKey[key] = m.lru.PushFront(&remembered{key: key, at: m.now(), s: s})
	// Expired conversations go first, then the least recently used.
	for m.lru.Len() > m.max {
		old := m.lru.Back()
		m.lru.Remove(old)
		delete(m.byKey, old.Value.(*remembered).key)
	}
	for old := m.lru.Back(); old != nil && m.now().Sub(old.Value.(*remembered).at) > m.ttl; old = m.lru.Back() {
		m.lru.Remove(old)
		delete(m.byKey, old.Value.(*remembered).key)
	}
}

// len is how many conversations are remembered.
func (m *memory) len() int {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.lru.Len()
}

// bindings are the places channels are bound to.
type bindings struct {
	mu sync.RWMutex
	m  map[string]string
}

func (b *bindings) get(channel string) string {
	b.mu.RLock()
	defer b.mu.RUnlock()
	return b.m[channel]
}

func (b *bindings) set(channel, place string) bool {
	b.mu.Lock()
	defer b.mu.Unlock()
	if _, ok := b.m[channel]; !ok && len(b.m) >= maxBindings {
		return false
	}
	b.m[channel] = place
	return true
}

// cancelWords end whatever the conversation was doing.
var cancelWords = []string{"cancel", "start again", "start over", "restart", "reset", "stop", "never mind", "nevermind", "forget it"}

// skipWords pass over a question the bot asked.
var skipWords = []string{"skip", "not sure", "don't know", "dont know"}

// pick resolves a reply to a prompt's choices: its number, its label or
// its reply text.
func pick(reply string, choices []Choice) (Choice, bool) {
	if len(choices) == 0 {
		return Choice{}, false
	}
	l := lower(reply)
	if n, err := strconv.Atoi(l); err == nil && n >= 1 && n <= len(choices) {
		return choices[n-1], true
	}
	for _, c := range choices {
		if l == strings.ToLower(c.Label) || l == strings.ToLower(c.Reply) {
			return c, true
		}
	}
	return Choice{}, false
}

// converse answers a message in its conversation: a cancel, a channel's
// area, a reply to a question the bot asked, or a new question, made
// local where the asker's place is known.
func (b *Bot) converse(ix *index, q Question, text string, st *state) Answer {
	// A reply to the last prompt ("2", a label, a button) becomes what it
	// stands for.
	if c, ok := pick(text, st.offered); ok {
		text = c.Reply
	} else if n, err := strconv.Atoi(lower(text)); err == nil && len(st.offered) == 0 {
		// A number with nothing to choose from is a pick from a list
		// that has gone (answered, or forgotten), not a question.
		st.offered = nil
		return Answer{Kind: Note, Message: fmt.Sprintf("There is no list to choose %d from just now. Ask me a question, or type help.", n)}
	}
	st.offered = nil
	a := b.turn(ix, q, text, st)
	st.follow(a)
	if a.Prompt != nil {
		st.offered = a.Prompt.Choices
	} else if a.Kind == Clarify {
		st.offered = a.choices()
	}
	return a
}

func (b *Bot) turn(ix *index, q Question, text string, st *state) Answer {
	l := lower(text)
	if slices.Contains(cancelWords, l) {
		*st = state{}
		return Answer{Kind: Note, Message: "Done: I have forgotten where we were. Ask me anything, or type help."}
	}
	if arg, ok := areaCommand(l); ok && ix.isPlaceArg(arg) {
		return b.areaTurn(ix, q, text, arg, st)
	}
	// A command ("menu", "help") leaves any question the bot asked.
	if st.finder != nil || st.waiting != "" {
		if _, ok := ix.command(text); ok {
			st.finder, st.waiting = nil, ""
		}
	}
	if st.finder != nil {
		if a, ok := b.continueFinder(ix, text, st); ok {
			return a
		}
	}
	if st.waiting != "" {
		if a, ok := b.resume(ix, text, st); ok {
			return a
		}
	}
	if a, ok := b.startFinder(ix, q, text, st); ok {
		st.waiting = ""
		return a
	}
	if a, ok := b.followLocal(ix, text, st); ok {
		return a
	}
	// "What about in Keynsham?", "who do I ring about that?": more about
	// the entry just answered, for the place the follow-up names if any.
	// Saying where one is ("we're based in Keynsham") is a follow-up too:
	// the answer for there.
	states := ix.statesArea(text) && ix.saysNothingBut(text, whereWords)
	if (st.topic != "" || st.service != "") && (states || ix.followsUp(text)) {
		if e, ok := ix.base.Entry(st.topic); ok {
			a := ix.matched(e)
			a.Full, a.Confidence = asksMore(text), 1
			b.localise(ix, q, text, st, &a)
			return a
		}
		if st.service != "" {
			return Answer{Kind: Service, Service: st.service, Fallback: ix.fallback(), Confidence: 1}
		}
		// The entry has gone in a reload: the message is read as it is.
	}
	if p := ix.geo.in(text); p != nil && states {
		// "We're in Radstock", with nothing asked: noted for what comes.
		st.place, st.local = p.Name, ""
		return Answer{Kind: Note, Message: fmt.Sprintf(`Noted: you are in %s. Ask me anything, for example "who runs PACT here".`, PlaceLabel(ix.base, p))}
	}
	if name, ok := b.directoryPlace(ix, text); ok {
		b.noteLocal(ix, st, name)
		if st.place != "" {
			name += ", " + st.place // "Twerton, Bath": the toolkit's answers are for Bath
		}
		return Answer{Kind: Note, Message: fmt.Sprintf(NotedLocal, name)}
	}
	a := ix.reply(text)
	b.localise(ix, q, text, st, &a)
	b.withLocal(ix, q, text, st, &a)
	return a
}

// areaTurn answers "area Keynsham": the channel is bound to the place,
// and a question put aside while the bot asked which area is answered
// for it.
func (b *Bot) areaTurn(ix *index, q Question, text, arg string, st *state) Answer {
	// The place as typed, for the reply; lower() only folds case and
	// trims, so the tail of the trimmed text is it.
	orig := strings.Trim(strings.TrimSpace(text), " ?!.,")
	if len(orig) >= len(arg) && strings.EqualFold(orig[len(orig)-len(arg):], arg) {
		arg = orig[len(orig)-len(arg):]
	}
	a, p := b.area(ix, q, arg)
	if p != nil && st.waiting != "" {
		// "area Keynsham" in reply to "Which area are you in?" answers
		// the question put aside, for the new place.
		waiting := st.waiting
		st.waiting = ""
		a = ix.reply(waiting)
		a.question = waiting
		if a.Kind == Matched {
			ix.placed(st, &a, p, true)
		}
	}
	return a
}

// follow keeps the topic of what was just answered, for follow-ups: an
// entry, a council service, or the search that listed services. Anything else that answers (a list, a
// choice, a finding, "not sure") ends the topic; a note or a prompt
// leaves it.
func (st *state) follow(a Answer) {
	switch a.Kind {
	case Matched:
		st.topic, st.service, st.search = a.Entry.ID, "", search{}
	case Service:
		st.topic, st.service, st.near, st.search = "", a.Service, "", search{}
	case Local:
		st.topic, st.service, st.near, st.search = "", "", "", a.search
	case Unsure, Outside, Clarify, Funding, List, Help:
		st.topic, st.service, st.near, st.search = "", "", "", search{}
	}
}

// localise makes a matched answer local. The place is, in order: the one
// the message names, the screen's ("caller is in…"), the one a question
// named for this same topic, the one the asker said they are in, the
// channel's. A place only remembered (not named, not asked for with
// "here") does not repeat "the documents give nothing about this for …"
// to a conversation that has heard it. With no place, an entry that
// depends on place, asked about "here", gets "Which area are you in?".
func (b *Bot) localise(ix *index, q Question, text string, st *state, a *Answer) {
	named := ix.geo.in(text)
	if named != nil && ix.statesArea(text) {
		st.place = named.Name
	}
	if a.Kind != Matched {
		return
	}
	// The place a question named leads while its topic does: a follow-up
	// keeps it, a new question that names none drops it.
	same := st.topic == a.Entry.ID
	earlier := st.near
	if named != nil {
		st.near = named.Name
	} else if !same {
		st.near = ""
	}
	here := ix.geo.saysHere(text)
	p, asked := named, named != nil
	if p == nil && q.Place != "" {
		p, asked = ix.place(q.Place), true
	}
	if p == nil && st.near != "" {
		p, asked = ix.place(st.near), here
	}
	if p == nil && st.place != "" {
		p, asked = ix.place(st.place), here
	}
	if p == nil {
		p, asked = ix.place(b.boundTo(q.Channel)), here
	}
	if p != nil {
		ix.placed(st, a, p, asked)
		return
	}
	if a.Entry.ByPlace && here {
		// A place named for the last question is offered first: it may
		// be where the asker is, but only they can say so.
		a.Prompt = ix.areaPrompt("Which area are you in?", earlier)
		st.waiting, st.asked = text, 0
	}
}

// place is the knowledge base's place of that name, or nil.
func (ix *index) place(name string) *knowledge.Place {
	if name == "" {
		return nil
	}
	p, _ := ix.base.Place(name)
	return p
}

// placed makes a matched answer local to p. When the documents give
// nothing for p in particular, the answer says so once a conversation:
// after that, a place the asker did not ask about by name is left out
// and the answer is the general one, so a place said once does not hang
// a notice on every answer after it.
func (ix *index) placed(st *state, a *Answer, p *knowledge.Place, asked bool) {
	ix.geo.localise(a, p)
	if len(a.Local) > 0 || a.NotHere {
		return
	}
	if slices.Contains(st.told, p.Name) {
		if !asked {
			a.Place, a.AlsoHere = nil, nil
		}
		return
	}
	// Clipped, so the append never writes into the array the remembered
	// state shares with another message of the same conversation.
	st.told = append(slices.Clip(st.told), p.Name)
	if len(st.told) > maxTold {
		st.told = st.told[1:]
	}
}

// resume handles a reply while the bot waits to know the asker's area. A
// place (by number, name or button) answers the question put aside, made
// local; "skip" answers it generally; anything else is asked again once,
// then taken as a new question.
func (b *Bot) resume(ix *index, text string, st *state) (Answer, bool) {
	prompt := ix.areaPrompt("Which area are you in?")
	var p *knowledge.Place
	if c, ok := pick(text, prompt.Choices); ok {
		p, _ = ix.base.Place(c.Reply)
	} else {
		p = ix.geo.in(text)
	}
	waiting := st.waiting
	switch {
	case p != nil && !ix.saysNothingBut(text, followWords) && ix.isNewQuestion(text):
		// A question that names a place ("community first in
		// Southdown") is a new question, not the place for the one put
		// aside.
		st.waiting = ""
		return Answer{}, false
	case p != nil:
		st.place, st.waiting = p.Name, ""
		a := ix.reply(waiting)
		a.question = waiting
		if a.Kind == Matched {
			ix.placed(st, &a, p, true)
		}
		return a, true
	case slices.Contains(skipWords, lower(text)):
		st.waiting = ""
		a := ix.reply(waiting)
		a.question = waiting
		return a, true
	case ix.isNewQuestion(text):
		// A new question, not a reply: answer it, and drop the one
		// put aside.
		st.waiting = ""
		return Answer{}, false
	case st.asked == 0:
		st.asked++
		again := ix.areaPrompt("Sorry, I did not catch a place. Which area are you in? (Or type skip.)")
		return Answer{Kind: Note, Message: again.Text, Prompt: again}, true
	}
	st.waiting = ""
	return Answer{}, false
}

// isQuestion reports whether a message is a question signpost answers on
// its own (a tool, a council service, something it does not cover),
// rather than a reply to what it asked: it is put as a question ("how do
// we list our pub", "is there…?") and answered as one. A reply in words
// ("solar panels on the school roof") is not.
func (ix *index) isQuestion(text string) bool {
	return match.Asks(text) && ix.isNewQuestion(text)
}

// isNewQuestion reports whether a message, however it is put, names an
// entry, a council service or a subject signpost answers: "community
// first southdown" after "Which area are you in?" is a question.
func (ix *index) isNewQuestion(text string) bool {
	switch ix.reply(text).Kind {
	case Matched, Clarify, Service, Outside, List, Help, Funding:
		return true
	}
	return false
}

// areaPrompt offers the areas, each a choice whose reply is its name;
// the places in first, if any, come before them.
func (ix *index) areaPrompt(text string, first ...string) *Prompt {
	p := &Prompt{Text: text}
	for _, name := range first {
		if name != "" {
			p.Choices = append(p.Choices, Choice{Label: name, Reply: name})
		}
	}
	for _, a := range ix.base.Areas() {
		if !slices.Contains(first, a.Name) {
			p.Choices = append(p.Choices, Choice{Label: a.Name, Reply: a.Name})
		}
	}
	p.Choices = append(p.Choices, Choice{Label: "Skip", Reply: "skip"})
	return p
}

// isPlaceArg reports whether what follows "area" is meant as a place: a
// word or two ("area Radstock", "area chew vally", "area Atlantis", which
// gets "I do not know a place called…"), or a place's full name. Anything
// longer ("area forum in Keynsham") is a question that starts with the
// word area, and is answered as one.
func (ix *index) isPlaceArg(arg string) bool {
	if len(strings.Fields(arg)) <= 2 {
		return true
	}
	_, ok := ix.base.Place(arg)
	return ok
}

// areaCommand recognises "area <place>", with or without "signpost".
func areaCommand(l string) (string, bool) {
	l = strings.TrimPrefix(l, "signpost ")
	if l == "area" {
		return "", true
	}
	arg, ok := strings.CutPrefix(l, "area ")
	return strings.TrimSpace(arg), ok
}

// area binds the channel to a place, so "here" means that place for
// everyone in it; with no place it says what the channel is bound to.
func (b *Bot) area(ix *index, q Question, arg string) (Answer, *knowledge.Place) {
	if q.Channel == "" {
		return Answer{Kind: Note, Message: `Areas are set for a chat channel. Here, just name the place in your question, for example "who runs PACT in Radstock".`}, nil
	}
	offer := func(text string) Answer {
		pr := ix.areaPrompt(text)
		pr.Choices = pr.Choices[:len(pr.Choices)-1] // no "skip" here
		for i := range pr.Choices {
			pr.Choices[i].Reply = "area " + pr.Choices[i].Reply
		}
		return Answer{Kind: Note, Message: text, Prompt: pr}
	}
	switch arg {
	case "":
		if name := b.boundTo(q.Channel); name != "" {
			return Answer{Kind: Note, Message: fmt.Sprintf(`In this channel, "here" means %s. Type area <place> to change it, or area none.`, name)}, nil
		}
		return offer(`This channel has no area yet. Which area is it for? (Or type area <town or village>.)`), nil
	case "none", "clear", "off":
		b.bound.set(q.Channel, "")
		if !b.keep(q.Channel, "") {
			return Answer{Kind: Note, Message: `This channel has no area now, until signpost restarts: I could not save the change.`}, nil
		}
		return Answer{Kind: Note, Message: `This channel has no area now: I will ask where people are when it matters.`}, nil
	}
	p, ok := ix.base.Place(arg)
	if !ok {
		p = ix.geo.in(arg)
	}
	if p == nil {
		return offer(fmt.Sprintf("I do not know a place called %q. Which area is this channel for?", clip.Runes(arg, 60))), nil
	}
	if !b.bound.set(q.Channel, p.Name) {
		return Answer{Kind: Note, Message: "Sorry, I cannot remember areas for any more channels. Name the place in your question instead."}, nil
	}
	if !b.keep(q.Channel, p.Name) {
		return Answer{Kind: Note, Message: fmt.Sprintf(`Done: in this channel, "here" means %s, until signpost restarts: I could not save it.`, PlaceLabel(ix.base, p))}, p
	}
	return Answer{Kind: Note, Message: fmt.Sprintf(`Done: in this channel, "here" means %s.`, PlaceLabel(ix.base, p))}, p
}

// AreaStore keeps the areas channels are bound to (with `area <place>`)
// across restarts. An empty place unbinds the channel.
type AreaStore interface {
	SaveArea(channel, place string) error
}

// KeepAreas saves every binding made with `area <place>` to s from now on.
// Call it before answering, with the bindings already loaded through Bind.
func (b *Bot) KeepAreas(s AreaStore) { b.store = s }

// keep saves a binding, and reports whether it was saved (or there is no
// store to save it in).
func (b *Bot) keep(channel, place string) bool {
	if b.store == nil {
		return true
	}
	return b.store.SaveArea(channel, place) == nil
}

// Bind binds a channel to a place from configuration; the place must be
// one the knowledge base knows.
func (b *Bot) Bind(channel, place string) error {
	ix := b.ix.Load()
	p, ok := ix.base.Place(place)
	if !ok {
		return fmt.Errorf("bind %s: no place %q in the knowledge base", channel, place)
	}
	if !b.bound.set(channel, p.Name) {
		return fmt.Errorf("bind %s: too many bound channels", channel)
	}
	return nil
}

// AreaFrom says where a place's area comes from when that is a web page,
// not one of the council documents: ", according to Wikipedia, October
// 2023". Otherwise it is empty.
func AreaFrom(p *knowledge.Place) string {
	if s := p.AreaFrom; s != nil && s.URL != "" {
		name := s.Short
		if name == "" {
			name = s.Title
		}
		return ", according to " + name + ", " + Month(s.Date)
	}
	return ""
}

// PlaceLabel names a place with its area: "Radstock (Somer Valley)", or
// says the documents do not give one.
func PlaceLabel(base *knowledge.Base, p *knowledge.Place) string {
	switch a := base.AreaOf(p); {
	case p.Kind == knowledge.Area:
		return p.Name
	case a != nil:
		return p.Name + " (" + a.Name + AreaFrom(p) + ")"
	}
	return p.Name + " (the documents do not say which area)"
}
