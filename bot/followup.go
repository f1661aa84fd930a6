package bot

import (
	"regexp"
	"strings"
)

// followWords are all the words a follow-up may hold besides place names:
// question words, words that point back ("it", "that", "them"), and the
// things people ask of whatever was just answered (who to ring, how to
// start, whether it still runs, what it costs, where to apply). A message
// with any other word says something new ("what about the snow wardens",
// "who runs PACT") and is answered as a question of its own. The list is
// closed on purpose: the knowledge base's stop words are not enough,
// since "who are you" is all stop words and no follow-up.
var followWords = wordSet(`
	and but so ok okay also then same thing thanks please
	what whats how hows who whos whom where wheres when which why
	about in for at around near of on to from with by there here
	a an the any some is isnt are was were be been it its that thats this them they their theyre those these one ones
	do does did dont doesnt should can could would will i we me my us our re s m ll ve d
	ring call phone contact speak talk email mail write ask reach touch get getting find out
	runs run running organises organizes organise organize leads lead charge
	start started starting begin apply applying join involved sign up go going about
	still on open available happening exist exists anymore now today currently
	much many cost costs price pay free when deadline long take takes need meet meets
	tell more please anything else details detail number numbers address website info information
	area town village eligible qualify`)

// fillers are follow words that say nothing on their own: "ok thanks" or
// "and?" is no follow-up; it needs a word that asks something, or a place.
var fillers = wordSet(`and but so ok okay also then thanks please a an the s re m ll ve d i we me my us our`)

// moreWords ask for the rest of what was just answered: the follow-up is
// the whole entry, as the More button gives it.
var moreWords = wordSet(`more else details detail`)

// wordSet is a set of the words of s.
func wordSet(s string) map[string]bool {
	out := map[string]bool{}
	for _, w := range strings.Fields(s) {
		out[w] = true
	}
	return out
}

// followsUp reports whether text asks more about the topic just answered
// ("what about in Keynsham", "and Radstock?", "who do I ring about that",
// "where do I apply", "is it free"): it names nothing new but, perhaps, a
// place, and asks something or names a place. A command ("help", "what
// can you do") is never a follow-up.
func (ix *index) followsUp(text string) bool {
	if _, ok := ix.command(text); ok {
		return false
	}
	rest, named := ix.withoutPlaces(text)
	asks := false
	for _, w := range strings.Fields(rest) {
		if !followWords[w] {
			return false
		}
		asks = asks || !fillers[w]
	}
	return asks || named
}

// asksMore reports whether a follow-up asks for the rest of the entry
// ("tell me more", "anything else", "more details").
func asksMore(text string) bool {
	for _, w := range strings.Fields(placeWords(text)) {
		if moreWords[w] {
			return true
		}
	}
	return false
}

// withoutPlaces is text folded as places are read, with every place name
// taken out, and whether it named one.
func (ix *index) withoutPlaces(text string) (string, bool) {
	rest := " " + placeWords(lower(text)) + " "
	named := false
	// Longest names first, in a fixed order: "midsomer norton" goes whole
	// before "midsomer" could leave "norton" behind.
	for _, name := range ix.geo.namesLongestFirst() {
		if strings.Contains(rest, " "+name+" ") {
			rest = strings.ReplaceAll(rest, " "+name+" ", " ")
			named = true
		}
	}
	if !named && ix.geo.in(text) != nil {
		// A misspelt place ("Radstok"): its word is the place.
		named = true
		var kept []string
		for _, w := range strings.Fields(rest) {
			if ix.geo.in(w) == nil {
				kept = append(kept, w)
			}
		}
		rest = strings.Join(kept, " ")
	}
	return rest, named
}

// saysNothingBut reports whether text holds no word but a place's, a stop
// word or one of extra: "in Keynsham", "what about Radstock?", "we're in
// Southdown". A message that says more ("community first in Southdown")
// is a question of its own.
func (ix *index) saysNothingBut(text string, extra map[string]bool) bool {
	rest, _ := ix.withoutPlaces(text)
	for _, w := range strings.Fields(rest) {
		if !extra[w] && !ix.geo.stop[w] {
			return false
		}
	}
	return true
}

// whereWords are the words of saying where one is, besides a follow-up's:
// "we're based in Keynsham", "I live in Paulton".
var whereWords = wordSet(`we re are i m am live living lives based located from calling ringing writing come our my area village town parish ward group is in at near out of`)

// statesArea reports whether the asker says, in so many words, where
// they are: "we're in Radstock", "I live in Keynsham", "our group is
// based in Bath", "we're from Paulton", "our village is Chew Magna". A
// place a question merely names ("who runs PACT in Radstock") is the
// question's, not the asker's.
func (ix *index) statesArea(text string) bool {
	for _, m := range saysWhere.FindAllStringSubmatch(placeWords(text), -1) {
		if ix.geo.startsWith(strings.Fields(m[1])) != nil {
			return true
		}
	}
	return false
}

// saysWhereElse is the words after "we're in …" and the like when they
// start no place the knowledge base knows: a place only a directory may
// know ("we're in Twerton").
func (ix *index) saysWhereElse(text string) string {
	for _, m := range saysWhere.FindAllStringSubmatch(placeWords(text), -1) {
		if ix.geo.startsWith(strings.Fields(m[1])) == nil {
			return m[1]
		}
	}
	return ""
}

// saysWhere is "we're in …" and the like, on text folded by placeWords
// (so "we're" is "we re"); the group is the words that follow, where the
// place must start.
var saysWhere = regexp.MustCompile(` (?:(?:we re|we are|were|i m|im|i am|we|i)(?: all| both| based| living| located)? (?:in|at|near|from|out of)` +
	`|(?:we|i) (?:live|come from|are from)(?: in| at| near)?|based (?:in|at|near)|(?:calling|ringing|writing) from` +
	`|(?:our|my) (?:area|village|town|parish|ward) is) ((?:\S+ ?){1,4})`)
