package bot

import (
	"slices"
	"strings"

	"github.com/bathnes/signpost/knowledge"
	"github.com/sahilm/fuzzy"
)

// Command is something users type besides questions. The same table drives
// matching and the help text.
type Command struct {
	Name        string
	Aliases     []string
	Usage       string
	Description string
	run         func(ix *index, arg string) Answer
	// listed commands are shown in help but read elsewhere (the
	// conversation reads "area" and "start again" first).
	listed bool
	// Shortcut names a command that needs nothing after it, for a
	// platform's list of them (Discord's /signpost show).
	Shortcut string
}

// Shortcuts are the commands a platform may offer as choices: those that
// need nothing typed after them, in help's order.
func Shortcuts() []Command {
	var out []Command
	for _, c := range commands {
		if c.Shortcut != "" {
			out = append(out, c)
		}
	}
	return out
}

// Names of commands, for screens that link to them or suggest them.
const (
	HelpCommand   = "help"
	FinderCommand = "funding"
	MenuCommand   = "menu"
	CoreCommand   = "core offer"
	RoutesCommand = "funding routes"
	// StartAgain forgets the conversation; a screen with a page of its
	// own for a conversation (the desk's finder) may send people there.
	StartAgain = "start again"
)

// commands are what users can type besides questions, in help's order.
var commands = []Command{
	{Name: HelpCommand, Aliases: []string{"?", "commands", "what can you do", "how does this work"},
		Usage: HelpCommand, Description: "what signpost can do", Shortcut: HelpCommand}, // run is nil: see command
	{Name: MenuCommand, Aliases: []string{"the menu", "show menu", "show the menu", "list tools", "tools", "all tools"},
		Usage: "menu", Description: "every tool on the Connecting Communities menu, grouped", run: (*index).menu,
		Shortcut: "the menu of tools"},
	{Name: CoreCommand, Aliases: []string{"core", "the core offer", "show core offer"},
		Usage: "core offer", Description: "what every area gets: the Core Offer", run: (*index).coreOffer,
		Shortcut: "the Core Offer"},
	{Name: FinderCommand, Usage: FinderCommand, Description: "the funding finder: which funding routes fit your group, a step at a time",
		run: (*index).funding, Shortcut: "the funding finder: what fits your group"}, // the finder answers "funding" before commands are read; see startFinder
	{Name: RoutesCommand, Aliases: []string{"list funding", "all funding", "funds", "funding list", "show funding"},
		Usage: "funding routes", Description: "every funding route, current and historical", run: (*index).funding,
		Shortcut: "every funding route"},
	{Name: "about", Usage: "about <id or title>", Description: "one entry in full, by its id or title (acronyms work: about acv)",
		run: (*index).about},
	{Name: "area", Usage: "area <place>", Description: `what "here" means in this channel, for everyone in it (area on its own says what it is now)`,
		listed: true},
	{Name: StartAgain, Usage: StartAgain, Description: "forget this conversation: the place you named and any question half-asked",
		listed: true},
}

// command answers a message that is a command, reporting whether it was.
func (ix *index) command(text string) (Answer, bool) {
	l := lower(text)
	for _, c := range commands {
		if c.listed {
			continue
		}
		if l == c.Name || slices.Contains(c.Aliases, l) {
			if c.run == nil { // help lists the commands, so it cannot be one of their funcs
				return ix.help(), true
			}
			return c.run(ix, ""), true
		}
		// "about £2,000" is a sum, not an entry: a command never
		// captures one.
		if arg, ok := strings.CutPrefix(l, c.Name+" "); ok && c.Name == "about" && !isSum(arg) {
			return c.run(ix, strings.TrimSpace(arg)), true
		}
	}
	return Answer{}, false
}

// isSum reports whether s starts as a sum of money does: "£2,000",
// "2k", "5000", "two grand".
func isSum(s string) bool {
	s = strings.TrimSpace(s)
	if s == "" {
		return false
	}
	if s[0] == '£' || s[0] >= '0' && s[0] <= '9' || strings.HasPrefix(s, "\u00a3") {
		return true
	}
	_, ok := amount(s)
	return ok
}

func (ix *index) help() Answer {
	return Answer{Kind: Help, Commands: commands, Fallback: ix.fallback(), Years: ix.years}
}

func (ix *index) fallback() *knowledge.Entry {
	e, _ := ix.base.Entry(fallbackID)
	return e
}

func (ix *index) list(title string, groups ...Group) Answer {
	var out []Group
	for _, g := range groups {
		if len(g.Entries) > 0 {
			out = append(out, g)
		}
	}
	return Answer{Kind: List, Title: title, Groups: out}
}

func (ix *index) where(keep func(e *knowledge.Entry) bool) []*knowledge.Entry {
	var out []*knowledge.Entry
	for _, e := range ix.base.Entries {
		if keep(e) {
			out = append(out, e)
		}
	}
	return out
}

func (ix *index) menu(string) Answer {
	tools := ix.where(func(e *knowledge.Entry) bool { return e.Is(knowledge.KindTool) })
	var groups []Group
	for _, theme := range themes(tools) {
		groups = append(groups, Group{Name: theme, Entries: slices.DeleteFunc(slices.Clone(tools),
			func(e *knowledge.Entry) bool { return e.Theme != theme })})
	}
	return ix.list("The Connecting Communities menu for localities", groups...)
}

// themes lists the themes of entries in the order they first appear.
func themes(es []*knowledge.Entry) []string {
	var out []string
	for _, e := range es {
		if !slices.Contains(out, e.Theme) {
			out = append(out, e.Theme)
		}
	}
	return out
}

func (ix *index) coreOffer(string) Answer {
	return ix.list("The Core Offer: what public services offer every area",
		Group{Name: "Core Offer", Entries: ix.where(func(e *knowledge.Entry) bool { return e.Is(knowledge.KindCore) })})
}

func (ix *index) funding(string) Answer {
	with := func(status knowledge.Status) []*knowledge.Entry {
		return ix.where(func(e *knowledge.Entry) bool { return e.Is(knowledge.KindFunding) && e.Status == status })
	}
	current, unknown, proposed, historical := with(knowledge.Current), with(knowledge.Unknown), with(knowledge.Proposed), with(knowledge.Historical)
	// Every heading says how old its facts are.
	return ix.list("Funding routes",
		Group{Name: "Current as of " + asOf(current), Entries: current},
		Group{Name: "Status unknown (facts as of " + asOf(unknown) + "): check with Council Connect", Entries: unknown},
		Group{Name: "Proposed (" + asOf(proposed) + "); the documents do not say whether they went ahead", Entries: proposed},
		Group{Name: "Historical: ended (facts as of " + asOf(historical) + "), kept for reference", Entries: historical},
	)
}

// asOf is the date, or span of dates, the entries' facts are as of: "May
// 2013", or "May 2013 to July 2014".
func asOf(es []*knowledge.Entry) string {
	if len(es) == 0 {
		return ""
	}
	first, last := es[0].AsOf, es[0].AsOf
	for _, e := range es {
		first, last = min(first, e.AsOf), max(last, e.AsOf)
	}
	if first == last {
		return Month(first)
	}
	return Month(first) + " to " + Month(last)
}

// about finds one entry by id, then by title or alias with fuzzy matching
// (so acronyms such as "acv" work), then by an ordinary search.
func (ix *index) about(arg string) Answer {
	if arg == "" {
		return Answer{Kind: Empty, Fallback: ix.fallback()}
	}
	if e, ok := ix.base.Entry(arg); ok {
		return ix.matched(e)
	}
	if ms := fuzzy.Find(arg, ix.names); len(ms) > 0 {
		return ix.matched(ix.owners[ms[0].Index])
	}
	return ix.answer(arg)
}

func (ix *index) matched(e *knowledge.Entry) Answer {
	return Answer{Kind: Matched, Entry: e, Sources: ix.base.SourcesOf(e), Related: ix.related(e), Confidence: 1,
		Results: []Result{{ID: e.ID, Score: 1}}, Fallback: ix.fallback(), Full: true}
}
