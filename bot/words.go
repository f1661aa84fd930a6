package bot

import (
	"strconv"
	"strings"
)

// The words of the screens around the replies: a terminal's greeting, and
// how a chat platform presents signpost and its slash command. They are
// written here, with every other sentence a user reads, so that the
// adapters, and the Slack app manifest people install from (its test holds
// it to these), say the same.

// Questions shown as examples of how to ask.
const (
	askPub  = "how do we list our pub"
	askHere = "who runs PACT here"
)

// Slash is the wording of a platform's slash command (/signpost): what it
// does, its options, and Hint, the usage Slack shows as it is typed (a
// question, then commands that need nothing after them).
var Slash = struct{ About, Question, Show, Hint string }{
	About:    "Ask about the B&NES Connecting Communities toolkit (only you see the answer)",
	Question: "Your question in your own words, or pick a tool as you type",
	Show:     "A list instead of a question",
	Hint:     strings.Join([]string{askPub, MenuCommand, FinderCommand, HelpCommand}, " | "),
}

// App is how a platform's directory of apps presents signpost: a line, and
// a paragraph (Slack's manifest).
var App = struct{ Description, LongDescription string }{
	Description: "Finds your way through the B&NES Connecting Communities toolkit",
	LongDescription: `Ask signpost in your own words, for example "` + askPub + `" or "` + askHere + `", and it answers ` +
		`with the right tool from the Bath and North East Somerset Connecting Communities toolkit: what it is, how to start, ` +
		`who to contact, and which council document the facts come from. Message it directly, mention it in a channel, or use /signpost.`,
}

// Quit ends a terminal session, as do its aliases (see Leaves).
const Quit = "quit"

// Greeting opens a terminal session: what signpost answers, from how many
// entries, and how to get help or leave.
func Greeting(entries int) Reply {
	s := "signpost: ask about the B&NES Connecting Communities toolkit (" + strconv.Itoa(entries) + " entries). Type " +
		HelpCommand + ", or " + Quit + " to leave."
	return Reply{Lead: s, Brief: s}
}

// Leaves reports whether a line typed in a terminal ends the session.
func Leaves(line string) bool {
	switch strings.ToLower(strings.TrimSpace(line)) {
	case Quit, "exit", "bye":
		return true
	}
	return false
}
