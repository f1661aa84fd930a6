package bot

import (
	"regexp"
	"strings"
)

// followCue recognises a message that asks more about what was just
// answered rather than about something new: "what about in Keynsham",
// "and in Radstock?", "who do I ring about that", "how do we start", "is
// that still going", "how much is it", "tell me more".
var followCue = regexp.MustCompile(`^(?:(?:and|but|so|ok|okay)\s+)?(?:what|how)\s+about\b` +
	`|^(?:and|but|so|ok|okay)\s+(?:in|for|at|around|near)\b` +
	`|\bwho\s+(?:do|should|can|would)\s+(?:i|we)\s+(?:ring|call|phone|contact|speak\s+to|talk\s+to|email|write\s+to|ask)\b` +
	`|\bwho\s+(?:runs|organises|organizes|is\s+in\s+charge\s+of)\s+(?:it|that|this|them)\b` +
	`|\bhow\s+(?:do|can|would|should)\s+(?:i|we)\s+(?:start|apply|join|begin|get\s+involved|sign\s+up|go\s+about\s+it|get\s+started)\b` +
	`|\b(?:is|are)\s+(?:that|it|this|they)\s+still\s+(?:going|running|on|open|available|happening|around)\b` +
	`|\bhow\s+much\s+(?:is|does|do)\s+(?:it|that|this|they)\b` +
	`|\b(?:when|where)\s+(?:is|are|does|do)\s+(?:it|that|this|they)\b` +
	`|^(?:tell\s+me\s+more|more|more\s+please|go\s+on|anything\s+else)$`)

// followWords are the words a follow-up may hold besides its cue's: what
// is left once these, stop words and place names are taken out must be
// nothing, or the message says something new ("what about the snow
// wardens") and is answered as a question of its own.
var followWords = wordSet(`and but so ok okay what how about in for at around near who do should can would i we
	ring call phone contact speak talk to email write ask runs organises organizes is charge of it that this them they
	start apply join begin get involved sign up go started are still going running on open available happening much does
	when where tell me more please anything else there here then one same thing thanks area town village`)

// wordSet is a set of the words of s.
func wordSet(s string) map[string]bool {
	out := map[string]bool{}
	for _, w := range strings.Fields(s) {
		out[w] = true
	}
	return out
}

// followsUp reports whether text asks more about the topic just answered,
// and names nothing new but, perhaps, a place.
func (ix *index) followsUp(text string) bool {
	return followCue.MatchString(lower(text)) && ix.saysNothingBut(text, followWords)
}

// saysNothingBut reports whether text holds no word but a place's, a stop
// word or one of extra: "in Keynsham", "what about Radstock?", "we're in
// Southdown". A message that says more ("community first in Southdown")
// is a question of its own.
func (ix *index) saysNothingBut(text string, extra map[string]bool) bool {
	rest := " " + placeWords(lower(text)) + " "
	for name := range ix.geo.byName {
		if strings.Contains(rest, " "+name+" ") {
			rest = strings.ReplaceAll(rest, " "+name+" ", " ")
		}
	}
	for _, w := range strings.Fields(rest) {
		if !extra[w] && !ix.geo.stop[w] {
			return false
		}
	}
	return true
}
