package bot

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
	"unicode"

	"github.com/bathnes/signpost/internal/clip"
	"github.com/bathnes/signpost/knowledge"
)

// Reply is an answer as a reader sees it: every sentence written, nothing
// about any platform. Adapters lay it out (Block Kit, embeds and
// components, plain text, HTML) and add no words of their own, so a
// change of wording is made once, here or in the knowledge base.
type Reply struct {
	// Title heads the reply; short notes have none.
	Title string `json:"title,omitempty"`
	// Lead is the first paragraph: the answer, or what is true for the
	// asker's place.
	Lead string `json:"lead,omitempty"`
	// Blocks follow the lead, in reading order.
	Blocks []Block `json:"blocks"`
	// Brief is the reply in one line, for notifications and previews.
	Brief string `json:"brief"`
}

// Part says what a block is, so each platform can give it its own look.
type Part int

const (
	// Paragraph is Text.
	Paragraph Part = iota
	// Bullets are Label over Items, one bullet (or number) each.
	Bullets
	// Fields are Items whose Name labels them ("How to start",
	// "Contacts"), laid side by side where a platform can.
	Fields
	// Terms are Items read as a term and its meaning (help's commands).
	Terms
	// Notice is Text that must not be missed: an entry's status and how
	// old its facts are.
	Notice
	// Ask is Text: a question back to the reader, answered by the next
	// block's choices.
	Ask
	// Actions are Choices, each a button or a menu option that sends its
	// Reply back as if typed. Label is the line above them.
	Actions
	// Footer is Text: where the facts come from.
	Footer
	// Listings are services from a directory, one Item each: Name over
	// Lines ("Where: …", "Next: …"), under Label, with Text, a note on
	// where they come from, after them. Their names and lines hold
	// third-party text, which a screen must show as text: never read
	// as its markup, never pinging anyone.
	Listings
)

var partNames = [...]string{"paragraph", "bullets", "fields", "terms", "notice", "ask", "actions", "footer", "listings"}

// String names a part, as the JSON API does.
func (p Part) String() string {
	if int(p) >= 0 && int(p) < len(partNames) {
		return partNames[p]
	}
	return "part(" + strconv.Itoa(int(p)) + ")"
}

// MarshalText names a part in JSON: "notice", not 4.
func (p Part) MarshalText() ([]byte, error) { return []byte(p.String()), nil }

// UnmarshalText reads a part's name back.
func (p *Part) UnmarshalText(b []byte) error {
	for i, n := range partNames {
		if n == string(b) {
			*p = Part(i)
			return nil
		}
	}
	return fmt.Errorf("unknown part %q", b)
}

// Block is one part of a reply.
type Block struct {
	Part  Part   `json:"part"`
	Label string `json:"label,omitempty"`
	Text  string `json:"text,omitempty"`
	Items []Item `json:"items,omitempty"`
	// Choices are an Actions block's buttons or menu options.
	Choices []Choice `json:"choices,omitempty"`
	// Numbered lists count their items; numbered choices can be answered
	// by typing their number.
	Numbered bool `json:"numbered,omitempty"`
	// Menu shows many choices as one menu rather than buttons.
	Menu bool `json:"menu,omitempty"`
	// Main marks the choices a reader most likely wants next (answers to
	// a question asked, "did you mean"), for platforms that colour them.
	Main bool `json:"main,omitempty"`
	// Typed says how to do without the choices where nothing can be
	// clicked ("Type about and a name for any of them.").
	Typed string `json:"typed,omitempty"`
	// Follows says the block reads on from the words just before it,
	// which lead into it: "In Radstock:" over the facts for Radstock,
	// help's "type one of these:" over the commands, a question over
	// the choices that answer it. A screen that sets blocks apart as
	// paragraphs keeps this one with what leads into it.
	Follows bool `json:"follows,omitempty"`
}

// Mark is what goes before a list's i-th item: its number when the list
// is Numbered ("2."), else the platform's bullet.
func (b Block) Mark(i int, bullet string) string {
	if b.Numbered {
		return strconv.Itoa(i+1) + "."
	}
	return bullet
}

// Item is one entry of a Bullets, Fields, Terms or Listings block: Name (a
// label, a numbered route's title, a service) over its Lines.
type Item struct {
	Name  string   `json:"name,omitempty"`
	Lines []string `json:"lines"`
}

// Sentences written once, for every screen.
const (
	// NotSure opens every answer that declines to guess.
	NotSure = "I'm not sure the Connecting Communities toolkit covers that."
	// StaffNotSure is NotSure at the desk.
	StaffNotSure = "The toolkit documents do not clearly cover this."
	// StaffNext is what a staff member can do when the documents give
	// nothing more: the desk speaks to staff, never "contact Council
	// Connect".
	StaffNext = "The documents give nothing more on this: note the caller's need."
	// StaffNoContact is NoContactLine at the desk.
	StaffNoContact = "The documents give no contact for this: note the caller's need."
	// More opens the rest of an entry a short reply leaves out.
	More = "More: local facts, guidance and see also"
	// Busy is what an adapter tells someone whose question it cannot queue.
	Busy = "signpost is busy just now: please ask again in a minute."
	// Trimmed ends a reply cut short to fit a platform's limits.
	Trimmed = "Trimmed to fit: ask about a single entry to see the rest."
	// Continued names the second part of a list split to fit a platform.
	Continued = "(continued)"
	// typeAbout is how to open an entry where nothing can be clicked.
	typeAbout = "Type about and a name for any of them."
)

// About is the message that opens an entry in full: what a button or an
// autocomplete choice sends back.
func About(id string) string { return "about " + id }

// YouAsked echoes a question where the platform does not show it (Slack's
// slash commands).
func YouAsked(q string) string { return "You asked: " + clip.Runes(q, 200) }

// For is the answer for another audience: the desk shows staff their
// words, and copies the caller's.
func (a Answer) For(audience Audience) Answer {
	a.Audience = audience
	return a
}

// Reply lays the answer out for reading.
func (a Answer) Reply() Reply {
	var r Reply
	switch a.Kind {
	case Matched:
		r = entryReply(a)
	case Funding:
		r = findingReply(a.Finding, a.Years, a.Audience)
	case Clarify:
		r = clarifyReply(a)
	case Local:
		r = localReply(a)
	case Unsure:
		r.Lead = NotSure
		if a.Audience == Staff {
			r.Lead = StaffNotSure
		}
		r.add(entries(Block{Label: "Did you mean", Main: true, Typed: typeAbout}, a.Alternatives))
		r.add(a.fallback())
	case Service:
		r.Lead = "That sounds like a council service (" + a.Service + ") rather than part of the Connecting Communities toolkit."
		if a.Audience == Staff {
			r.Lead = "A council service (" + a.Service + "), not part of the Connecting Communities toolkit."
		}
		r.add(a.fallback())
	case Outside:
		r.Lead = "Sorry, that's outside what I cover (" + a.Service + "). I help community groups find their way through the B&NES Connecting Communities toolkit: type help to see how."
	case Empty:
		r.Lead = `Ask me about community tools, funding or who to contact, for example "` + askPub + `" or "` + askHere + `". Type help for more.`
	case Help:
		r = helpReply(a)
	case List:
		r = listReply(a)
	case Note:
		if a.Prompt == nil || a.Message != a.Prompt.Text {
			r.Lead = a.Message
		}
	}
	if p := a.Prompt; p != nil {
		r.add(Block{Part: Ask, Text: p.Text})
		r.add(Block{Part: Actions, Choices: p.Choices, Numbered: true, Main: true, Typed: "Type a number or a name.", Follows: true})
	} else if a.ID != "" {
		r.add(feedback(a.ID))
	}
	if r.Brief == "" {
		r.Brief = firstOf(r.Title, r.Lead, a.Message)
	}
	return r
}

// Choose opens a choice between entries, none sure enough to state.
const Choose = "It could be one of these. Which is closer?"

// clarifyReply offers two or three entries, a line each, to pick from by
// number, name or button; the pick opens that entry.
func clarifyReply(a Answer) Reply {
	r := Reply{Lead: Choose, Brief: Choose}
	list := Block{Part: Bullets, Numbered: true}
	for _, e := range a.Options {
		list.Items = append(list.Items, Item{Name: Named(e), Lines: []string{OneLine(e)}})
	}
	r.add(list)
	r.add(Block{Part: Actions, Choices: a.choices(), Main: true, Typed: "Type a number or a name."})
	r.add(a.fallback())
	return r
}

// choices are a Clarify answer's options as choices that open them.
func (a Answer) choices() []Choice {
	var out []Choice
	for _, e := range a.Options {
		out = append(out, Choice{Label: Named(e), Reply: About(e.ID)})
	}
	return out
}

// OneLine says what an entry is for in one line: the first sentence of
// its summary, cut at a word near 120 characters.
func OneLine(e *knowledge.Entry) string {
	s := e.Summary
	if i := strings.Index(s, ". "); i > 0 {
		s = s[:i+1]
	}
	if r := []rune(s); len(r) > 120 {
		s = string(r[:120])
		if i := strings.LastIndex(s, " "); i > 60 {
			s = s[:i]
		}
		s = strings.TrimRight(s, ",;: ") + "…"
	}
	return s
}

// add appends b, without its empty items, unless nothing is left.
func (r *Reply) add(b Block) {
	b.Items = slices.DeleteFunc(b.Items, func(it Item) bool { return it.Name == "" && len(it.Lines) == 0 })
	if b.Text == "" && len(b.Items) == 0 && len(b.Choices) == 0 && b.Typed == "" {
		return
	}
	r.Blocks = append(r.Blocks, b)
}

func firstOf(ss ...string) string {
	for _, s := range ss {
		if s != "" {
			first, _, _ := strings.Cut(s, "\n")
			return first
		}
	}
	return ""
}

// entries is an Actions block of buttons that open es.
func entries(b Block, es []*knowledge.Entry) Block {
	b.Part = Actions
	for _, e := range es {
		b.Choices = append(b.Choices, Choice{Label: Named(e), Reply: About(e.ID)})
	}
	if len(b.Choices) == 0 {
		return Block{}
	}
	return b
}

// Named is how a list or a button names an entry: its title, and, unless
// it is current, a word on its status, so a route that has ended or was
// only proposed is never named as if it were open.
func Named(e *knowledge.Entry) string {
	switch e.Status {
	case knowledge.Historical:
		return e.Title + " (ended)"
	case knowledge.Proposed:
		return e.Title + " (only proposed)"
	case knowledge.Unknown:
		return e.Title + " (may have ended)"
	}
	return e.Title
}

func lines(ss ...string) []Item {
	var out []Item
	for _, s := range ss {
		if s != "" {
			out = append(out, Item{Lines: []string{s}})
		}
	}
	return out
}

// fallback is where to turn when the documents give nothing more: Council
// Connect for the public, the staff member's own next step at the desk.
func (a Answer) fallback() Block {
	if a.Audience == Staff {
		return Block{Part: Paragraph, Text: StaffNext}
	}
	return Block{Part: Paragraph, Text: FallbackLine(a.Fallback)}
}

func entryReply(a Answer) Reply {
	e := a.Entry
	r := Reply{Title: e.Title, Brief: e.Title + ": " + e.Summary}
	details := e.Details
	// In chat, an answer is short: what it is, how to start, who to
	// contact and the source; the rest is a click (or "about <id>")
	// away. The desk shows the rest too, but for local facts past
	// maxDetails; an entry asked for by name (Full) is shown whole.
	short := a.Audience == Public && !a.Full
	summary := e.Summary
	if short && len(e.SummaryClaims) > 1 {
		summary = e.SummaryClaims[0].Text
	}
	if a.Place != nil {
		var here Block
		a.Local, details = toldOnce(a.Local, details)
		r.Lead, here = localLead(a)
		r.add(here)
		r.add(Block{Part: Paragraph, Text: summary})
	} else {
		r.Lead = summary
	}
	r.add(Block{Part: Notice, Text: StatusFor(e, a.Audience)})
	shown := details
	if short {
		shown = nil
	} else if !a.Full && len(shown) > maxDetails {
		shown = shown[:maxDetails]
	}
	r.add(Block{Part: Bullets, Items: lines(shown...)})
	if more := len(details) - len(shown); more > 0 && !short {
		r.add(Block{Part: Actions, Choices: []Choice{{Label: "Show all " + strconv.Itoa(len(e.Details)) + " local facts", Reply: About(e.ID)}},
			Typed: strconv.Itoa(more) + " more: type " + About(e.ID)})
	}
	if f := e.Funding; f != nil {
		amount := Item{Name: "Amount", Lines: []string{f.Amount}}
		if short {
			r.add(Block{Part: Fields, Items: []Item{amount}})
		} else {
			r.add(Block{Part: Fields, Items: append([]Item{amount}, named("Who", f.Who...), named("Limits", f.Limits))})
		}
	}
	noContact := NoContactLine(e)
	if a.Audience == Staff && noContact != "" {
		noContact = StaffNoContact
	}
	contacts := append(ContactLines(e), noContact)
	if short {
		r.add(Block{Part: Fields, Items: []Item{named("How to start", e.Start), named("Contacts", contacts...)}})
		r.add(Block{Part: Actions, Choices: []Choice{{Label: More, Reply: About(e.ID)}}, Typed: "For more, type " + About(e.ID) + "."})
	} else {
		r.add(Block{Part: Fields, Items: []Item{named("How to start", e.Start), named("Contacts", contacts...), named("Guidance", e.Guidance...)}})
	}
	// What else the documents give for a place is part of "more" in
	// chat, unless the entry is not there at all: then it is the answer.
	if near := a.Nearby(); len(near) > 0 && (a.NotHere || !short) {
		label := "For " + a.Place.Name + ", see"
		if !a.NotHere {
			label = "What the documents do give for " + a.Place.Name
		}
		r.add(entries(Block{Label: label}, near))
	}
	if !short {
		r.add(entries(Block{Label: "See also"}, a.Related))
	}
	r.add(entries(Block{Label: "Or did you mean", Main: true}, a.Alternatives))
	sources := a.Sources
	if short && len(sources) > 1 {
		// The newest source, and how many more the full answer names.
		r.add(Block{Part: Footer, Text: strings.TrimSuffix(SourceLine(sources[:1]), ".") + MoreSources(len(sources)-1)})
	} else {
		r.add(Block{Part: Footer, Text: SourceLine(sources)})
	}
	// Services the directory gives come after the entry, whole and
	// apart: the toolkit's answer stays first.
	if len(a.Locals) > 0 {
		r.add(listings(a, LocalLabel))
	}
	return r
}

// MoreSources counts the sources a short answer leaves to its full form.
func MoreSources(n int) string {
	if n == 1 {
		return ", and one more document."
	}
	return ", and " + strconv.Itoa(n) + " more documents."
}

// toldOnce keeps a fact told once in a local answer: where a detail tells
// a local fact in full (it holds most of the fact's words), the detail
// stands among the local facts in its place and is not repeated below.
func toldOnce(local, details []string) ([]string, []string) {
	local, details = slices.Clone(local), slices.Clone(details)
	for i, fact := range local {
		for j, d := range details {
			if tells(d, fact) {
				local[i] = d
				details = slices.Delete(details, j, j+1)
				break
			}
		}
	}
	return local, details
}

// tells reports whether text holds at least 70% of fact's words of four
// letters or more.
func tells(text, fact string) bool {
	has := map[string]bool{}
	for _, w := range strings.FieldsFunc(strings.ToLower(text), notLetter) {
		has[w] = true
	}
	n, found := 0, 0
	for _, w := range strings.FieldsFunc(strings.ToLower(fact), notLetter) {
		if len(w) >= 4 {
			n++
			if has[w] {
				found++
			}
		}
	}
	return n > 0 && found*10 >= n*7
}

func notLetter(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) }

// named is a Fields item, or nothing when it has no lines.
func named(name string, ss ...string) Item {
	var ls []string
	for _, s := range ss {
		if s != "" {
			ls = append(ls, s)
		}
	}
	if len(ls) == 0 {
		return Item{}
	}
	return Item{Name: name, Lines: ls}
}

// localLead is what an answer says for the asker's place, first: that the
// entry is not available there, or its facts there, or that the documents
// give nothing for that place.
func localLead(a Answer) (string, Block) {
	name := a.Place.Name
	switch {
	case a.NotHere:
		return a.Entry.Title + " covers " + joinAnd(a.Entry.OnlyIn) + " only, not " + name + ".", Block{}
	case len(a.Local) > 0:
		if a.Place.Area != "" {
			name += " (" + a.Place.Area + AreaFrom(a.Place) + ")"
		}
		return "In " + name + ":", Block{Part: Bullets, Items: lines(a.Local...), Follows: true}
	}
	if a.Audience == Staff {
		return "The documents give nothing about this for " + name + " in particular: note the caller's need.", Block{}
	}
	return "The documents give nothing about this for " + name + " in particular: Council Connect can tell you who to contact there.", Block{}
}

func helpReply(a Answer) Reply {
	r := Reply{Title: "What signpost can do",
		Lead: "signpost finds your way through the B&NES Connecting Communities toolkit. Ask a question in your own words (in chat: message me, mention me, or use /signpost), or type one of these:"}
	var cmds []Item
	for _, c := range a.Commands {
		cmds = append(cmds, Item{Name: c.Usage, Lines: []string{c.Description}})
	}
	r.add(Block{Part: Terms, Items: cmds, Follows: true})
	r.add(Block{Part: Footer, Text: "Facts come from council documents of " + a.Years + "; every answer says which, and how old."})
	return r
}

func listReply(a Answer) Reply {
	r := Reply{Title: a.Title}
	var all []*knowledge.Entry
	for _, g := range a.Groups {
		var items []Item
		for _, e := range g.Entries {
			items = append(items, Item{Lines: []string{Named(e)}})
		}
		r.add(Block{Part: Bullets, Label: g.Name, Items: items})
		all = append(all, g.Entries...)
	}
	r.add(entries(Block{Label: "Open one…", Menu: true, Typed: typeAbout}, all))
	return r
}

// findingReply lays out the funding finder's answer: what fits and why,
// what almost fits and why not, a tool the question is about, and the
// advice routes. Every route named carries its status.
func findingReply(f *Finding, years string, to Audience) Reply {
	// "For a building or land", not "For for a building or land" when
	// who is applying was not said.
	asked := strings.TrimPrefix(f.Asked, "for ")
	r := Reply{Title: "Funding routes", Lead: "For " + asked + ".", Brief: "Funding routes for " + asked}
	if len(f.Fits) == 0 {
		r.add(Block{Part: Paragraph, Text: "No funding route in the documents fits all of that."})
	}
	var fits []Item
	var open []*knowledge.Entry
	for _, fit := range f.Fits {
		it := Item{Name: fit.Entry.Title}
		if len(fit.Why) > 0 {
			it.Lines = append(it.Lines, "Why: "+strings.Join(fit.Why, "; ")+".")
		}
		it.Lines = append(it.Lines, capital(fit.Entry.Funding.Amount)+". "+FitNote(fit.Entry))
		fits = append(fits, it)
		open = append(open, fit.Entry)
	}
	r.add(Block{Part: Bullets, Label: "These fit", Items: fits, Numbered: true})
	var almost []Item
	for _, fit := range f.Almost {
		almost = append(almost, Item{Lines: []string{fit.Entry.Title + ". Not quite: " + fit.WhyNot + ". " + StatusFor(fit.Entry, to)}})
	}
	r.add(Block{Part: Bullets, Label: "These almost fit", Items: almost})
	var raise []Item
	for _, e := range f.Raise {
		raise = append(raise, Item{Lines: []string{e.Title + ": " + capital(e.Funding.Amount) + ". " + e.Funding.Limits}})
	}
	r.add(Block{Part: Bullets, Label: "Ways to raise money yourselves, not funds to apply to", Items: raise})
	if f.See != nil {
		r.add(Block{Part: Bullets, Label: "See also " + f.See.Title, Items: lines(f.See.Summary, MoneyFact(f.See))})
	}
	var advice []Item
	for _, e := range f.Advice {
		advice = append(advice, Item{Lines: []string{e.Title + ": " + e.Start}})
	}
	r.add(Block{Part: Bullets, Label: "Always worth asking", Items: advice})
	again := entries(Block{}, open)
	again.Part = Actions
	again.Choices = append(again.Choices, Choice{Label: "Start again", Reply: StartAgain})
	again.Typed = "Type about and a name for any of them, or start again to try other answers."
	r.add(again)
	footer := "Facts from council documents of " + years + ": check a route is still open with Council Connect before you apply."
	if to == Staff {
		footer = "Facts from council documents of " + years + ": check a route is still open before the caller applies."
	}
	r.add(Block{Part: Footer, Text: footer})
	return r
}
