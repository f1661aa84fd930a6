package bot

import (
	"strings"
	"time"
)

// search is the directory search a Local answer made, kept for the
// conversation's next message: "what about on a Friday", "and near
// BS31?" search again for the same need, another day or place; "how much
// is it", "what time does it start" say the same services again, whose
// listing holds the times, cost and contact.
type search struct {
	// Need is what was asked for, without its place, postcode or day.
	Need string `json:"need"`
	// Place is where, as the directory reads it ("Keynsham", "BA2",
	// "Twerton"); "" for nowhere.
	Place string `json:"place,omitempty"`
	// Day is the day asked for, "" for any. A day kept for a follow-up
	// keeps only services that meet on it.
	Day string `json:"day,omitempty"`
}

// localFollowWords are the words a follow-up about services may hold
// besides a follow-up's own (followWords), days and times: asking when
// one opens or how often it meets names nothing new.
var localFollowWords = wordSet(`time times open opens opening close closes closing finish finishes end ends
	session sessions held happen happens next often every club group service services venue there`)

// days are the words for a day a follow-up may name, by the day.
var days = map[string]time.Weekday{
	"monday": time.Monday, "mondays": time.Monday, "mon": time.Monday,
	"tuesday": time.Tuesday, "tuesdays": time.Tuesday, "tue": time.Tuesday, "tues": time.Tuesday,
	"wednesday": time.Wednesday, "wednesdays": time.Wednesday, "wed": time.Wednesday, "weds": time.Wednesday,
	"thursday": time.Thursday, "thursdays": time.Thursday, "thu": time.Thursday, "thur": time.Thursday, "thurs": time.Thursday,
	"friday": time.Friday, "fridays": time.Friday, "fri": time.Friday,
	"saturday": time.Saturday, "saturdays": time.Saturday, "sat": time.Saturday,
	"sunday": time.Sunday, "sundays": time.Sunday, "sun": time.Sunday,
}

// searchOf is the search lq made, to keep: its place as the directory
// read it (the question's postcode or ward before the asker's place, as
// the directory reads them), and its words without place or day.
func (b *Bot) searchOf(lq LocalQuery) search {
	s := search{Place: lq.Place}
	if name, ok := b.directoryPlaceIn(lq.Text); ok {
		s.Place = name
	}
	placeWord := wordSet(placeWords(s.Place))
	var need []string
	for _, w := range strings.Fields(placeWords(lq.Text)) {
		if d, ok := days[w]; ok {
			s.Day = strings.ToLower(d.String())
			continue
		}
		if !isPostcodeWord(w) && !placeWord[w] {
			need = append(need, w)
		}
	}
	s.Need = strings.Join(need, " ")
	return s
}

// directoryPlaceIn is the place text names that the directory knows (a
// postcode, a ward), when it reads places.
func (b *Bot) directoryPlaceIn(text string) (string, bool) {
	dir := b.dir.Load()
	if dir == nil || *dir == nil {
		return "", false
	}
	if pr, ok := (*dir).(PlaceReader); ok {
		return pr.PlaceIn(text)
	}
	return "", false
}

// followLocal answers a follow-up to services just listed: another day
// or place searches again for the same need; a question about them (when,
// how much, who to ring) lists them again. ok is false when text is not
// such a follow-up (it names something new, or is a command), and the
// message is answered as a question of its own.
func (b *Bot) followLocal(ix *index, text string, st *state) (Answer, bool) {
	dir := b.dir.Load()
	if st.search.Need == "" || dir == nil || *dir == nil {
		return Answer{}, false
	}
	if _, ok := ix.command(text); ok {
		return Answer{}, false
	}
	rest, namedKB := ix.withoutPlaces(text)
	dirPlace := ""
	if !namedKB {
		dirPlace, _ = b.directoryPlaceIn(rest)
	}
	placeWord := wordSet(placeWords(dirPlace))
	s, asks := st.search, false
	for _, w := range strings.Fields(rest) {
		d, isDay := days[w]
		switch {
		case isDay:
			s.Day, asks = strings.ToLower(d.String()), true
		case isPostcodeWord(w) || placeWord[w]:
		case followWords[w] || localFollowWords[w] || timeWords[w]:
			asks = asks || !fillers[w]
		default:
			return Answer{}, false
		}
	}
	switch p := ix.geo.in(text); {
	case namedKB && p != nil:
		s.Place = p.Name
		if ix.statesArea(text) {
			st.place, st.local = p.Name, ""
		}
	case dirPlace != "":
		s.Place = dirPlace
		if ix.saysWhereElse(text) != "" {
			b.noteLocal(ix, st, dirPlace)
		}
	case !asks:
		return Answer{}, false
	}
	lq := LocalQuery{Text: s.Need, Place: s.Place, Now: b.clock()}
	if s.Day != "" {
		lq.Day, lq.OnDay = days[s.Day], true
	}
	a := Answer{Kind: Local, LocalPlace: s.Place, Confidence: 1, search: s}
	a.Locals = fitting(*dir, lq, ix.needWords(s.Need), loose, maxLocals)
	return a, true
}
