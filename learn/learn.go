// Package learn turns what the store kept into what editors and managers
// act on: figures (questions a day, answered and declined rates, the
// entries asked about most, how helpful each was) and review groups
// (similar unanswered, unsure or unhelpful questions together, with the
// entries signpost came closest to), and a suggestions file that an
// editor checks with `kb check --suggestions` and merges by hand.
package learn

import (
	"cmp"
	"fmt"
	"maps"
	"slices"
	"strings"
	"time"
	"unicode"

	"github.com/bathnes/signpost/bot"
	"github.com/bathnes/signpost/knowledge"
	"github.com/kljensen/snowball/english"
)

// Figures are the report on what was kept between from and to, counted
// from the records in memory: for a few of them. A store's period is
// read as a bot.Tally and given to Summarise.
func Figures(k bot.Kept, base *knowledge.Base, from, to time.Time) bot.Report {
	return Summarise(tally(k), base, from, to)
}

// tally counts records in memory as a store counts them in SQL.
func tally(k bot.Kept) bot.Tally {
	type lead struct {
		entry   string
		outcome bot.Outcome
	}
	var t bot.Tally
	answers := map[bot.Counted]int{}
	led := map[lead]*bot.Led{}
	byAnswer := map[string]lead{}
	for _, rec := range k.Records {
		at := rec.At.UTC()
		day := time.Date(at.Year(), at.Month(), at.Day(), 0, 0, 0, 0, time.UTC)
		answers[bot.Counted{Day: day, Platform: rec.Platform, Outcome: rec.Outcome}]++
		if len(rec.Top) == 0 {
			continue
		}
		l := lead{rec.Top[0].ID, rec.Outcome}
		if led[l] == nil {
			led[l] = &bot.Led{Entry: l.entry, Outcome: l.outcome}
		}
		led[l].Asked++
		byAnswer[rec.ID] = l
	}
	for _, v := range k.Votes {
		t.Votes++
		if v.Helpful {
			t.Helpful++
		}
		if l, ok := byAnswer[v.AnswerID]; ok {
			if v.Helpful {
				led[l].Helpful++
			} else {
				led[l].Unhelpful++
			}
		}
	}
	for c, n := range answers {
		c.Count = n
		t.Answers = append(t.Answers, c)
	}
	for _, l := range led {
		t.Led = append(t.Led, *l)
	}
	return t
}

// Summarise is the report on a tally of what was kept between from and
// to. It reads counts, never records, so a year of them costs no more
// than a day.
func Summarise(t bot.Tally, base *knowledge.Base, from, to time.Time) bot.Report {
	r := bot.Report{From: from, To: to, Period: Period(from, to), Votes: t.Votes, Helpful: t.Helpful,
		ByPlatform: map[string]int{}, ByOutcome: map[string]int{}}
	days, weeks, weekAnswered := map[string]int{}, map[string]int{}, map[string]int{}
	for _, c := range t.Answers {
		r.Questions += c.Count
		r.ByPlatform[c.Platform] += c.Count
		o := c.Outcome.Normal()
		r.ByOutcome[string(o)] += c.Count
		day, week := c.Day.Format("2006-01-02"), weekOf(c.Day)
		days[day] += c.Count
		weeks[week] += c.Count
		switch {
		case o.Answered():
			r.Answered += c.Count
			weekAnswered[week] += c.Count
		default:
			r.Declined += c.Count
		}
		if o == bot.OutcomeUnsure {
			r.Unanswered += c.Count
		}
	}
	// Entries are counted for the answers stated as one: a choice of
	// entries or a "not sure" leads with none.
	led := map[string]*bot.EntryCount{}
	for _, l := range t.Led {
		if l.Outcome.Normal() != bot.OutcomeAnswer {
			continue
		}
		if led[l.Entry] == nil {
			led[l.Entry] = &bot.EntryCount{ID: l.Entry, Title: title(base, l.Entry)}
		}
		e := led[l.Entry]
		e.Asked, e.Helpful, e.Unhelpful = e.Asked+l.Asked, e.Helpful+l.Helpful, e.Unhelpful+l.Unhelpful
	}
	for _, d := range slices.Sorted(maps.Keys(days)) {
		r.ByDay = append(r.ByDay, bot.Count{Name: d, Count: days[d]})
	}
	for _, w := range slices.Sorted(maps.Keys(weeks)) {
		r.ByWeek = append(r.ByWeek, bot.Week{Start: w, Questions: weeks[w], Answered: bot.Share(weekAnswered[w], weeks[w])})
	}
	for _, e := range led {
		r.Entries = append(r.Entries, *e)
	}
	slices.SortFunc(r.Entries, func(a, b bot.EntryCount) int { return cmp.Or(b.Asked-a.Asked, strings.Compare(a.ID, b.ID)) })
	return r
}

// Period names the days from from to to, for a heading.
func Period(from, to time.Time) string {
	return from.Format("2 January 2006") + " to " + to.Format("2 January 2006")
}

// weekOf is the Monday a time's week starts on.
func weekOf(t time.Time) string {
	d := (int(t.Weekday()) + 6) % 7
	return t.AddDate(0, 0, -d).Format("2006-01-02")
}

func title(base *knowledge.Base, id string) string {
	if e, ok := base.Entry(id); ok {
		return e.Title
	}
	return id
}

// Groups gathers the unanswered, unsure and unhelpful questions kept into
// groups of similar ones, most frequent first, from records in memory. A
// store streams its period into a Review instead.
func Groups(k bot.Kept, base *knowledge.Base) []bot.ReviewGroup {
	r := NewReview(base)
	tops := map[string][]bot.Result{}
	for _, rec := range k.Records {
		tops[rec.ID] = rec.Top
		if rec.Text != "" {
			r.Add(bot.Heard{Text: rec.Text, Outcome: rec.Outcome, Top: rec.Top})
		}
	}
	for _, v := range k.Votes {
		if !v.Helpful && v.Text != "" {
			r.Add(bot.Heard{Text: v.Text, Unhelpful: true, Top: tops[v.AnswerID]})
		}
	}
	return r.Groups()
}

// Review gathers questions into groups of similar ones as they are read,
// in the order they were kept: it holds the groups, never the questions,
// so a store can stream a year of them through Add.
type Review struct {
	base   *knowledge.Base
	stop   map[string]bool
	groups []*group
}

// NewReview is an empty review against base's stopwords and titles.
func NewReview(base *knowledge.Base) *Review {
	stop := map[string]bool{}
	for _, w := range base.Language.Stopwords {
		stop[strings.ToLower(w)] = true
	}
	return &Review{base: base, stop: stop}
}

// Add puts a question in the first group it is like, or a new one.
func (r *Review) Add(h bot.Heard) {
	words := wordsOf(h.Text, r.stop)
	var into *group
	for _, g := range r.groups {
		if similar(words, g.words) {
			into = g
			break
		}
	}
	if into == nil {
		into = &group{ReviewGroup: bot.ReviewGroup{Why: map[string]int{}}, words: words}
		r.groups = append(r.groups, into)
	}
	why := string(h.Outcome.Normal())
	if h.Unhelpful {
		why = "unhelpful"
	}
	into.Count++
	into.Why[why]++
	if len(into.Examples) < 5 && !slices.Contains(into.Examples, h.Text) {
		into.Examples = append(into.Examples, h.Text)
	}
	for _, t := range h.Top {
		into.near(t, r.base)
	}
}

// Groups are the groups so far, most frequent first, each with the three
// entries it came nearest to.
func (r *Review) Groups() []bot.ReviewGroup {
	out := make([]bot.ReviewGroup, 0, len(r.groups))
	for _, g := range r.groups {
		c := g.ReviewGroup
		c.Nearest = slices.Clone(g.Nearest)
		slices.SortFunc(c.Nearest, func(a, b bot.Near) int { return cmp.Compare(b.Score, a.Score) })
		c.Nearest = c.Nearest[:min(len(c.Nearest), 3)]
		out = append(out, c)
	}
	slices.SortStableFunc(out, func(a, b bot.ReviewGroup) int { return b.Count - a.Count })
	return out
}

// group is a review group as it gathers, with the words a question must
// share to join it.
type group struct {
	bot.ReviewGroup
	words map[string]bool
}

func (g *group) near(t bot.Result, base *knowledge.Base) {
	for i := range g.Nearest {
		if g.Nearest[i].ID == t.ID {
			g.Nearest[i].Score = max(g.Nearest[i].Score, t.Score)
			return
		}
	}
	g.Nearest = append(g.Nearest, bot.Near{ID: t.ID, Title: title(base, t.ID), Score: t.Score})
}

// wordsOf is a question's content words, stemmed.
func wordsOf(text string, stop map[string]bool) map[string]bool {
	out := map[string]bool{}
	for _, w := range strings.FieldsFunc(strings.ToLower(text), func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) }) {
		if len(w) > 2 && !stop[w] {
			out[english.Stem(w, false)] = true
		}
	}
	return out
}

// similar reports whether two questions share at least half their words.
func similar(a, b map[string]bool) bool {
	if len(a) == 0 || len(b) == 0 {
		return len(a) == len(b)
	}
	shared := 0
	for w := range a {
		if b[w] {
			shared++
		}
	}
	return 2*shared >= min(len(a), len(b)) && shared > 0
}

// Suggestions is a TOML file of suggestions from groups, for a reviewer:
// each group's questions, to add to the example bank under the entry the
// reviewer picks, or to the out-of-scope bank. Review never picks: the
// entries signpost came nearest to are listed as a comment, because the
// nearest entry is the one it was not sure of (a cake recipe would go to
// whatever shares "cake"). `kb check --suggestions` checks the file;
// nothing here changes the knowledge base by itself.
func Suggestions(groups []bot.ReviewGroup, period string) string {
	var b strings.Builder
	fmt.Fprintf(&b, "# Suggestions from signpost review, %s.\n", period)
	b.WriteString("# For each group, set entry to the id of the entry that answers its questions,\n" +
		"# or to \"outside\" when the toolkit does not cover them; leave it empty to decide\n" +
		"# later. Check with `signpost kb check --suggestions FILE`, then add each decided\n" +
		"# group to knowledge/kb as [[examples]] (or [[outside]]) and run kb check again.\n" +
		"# Questions are as kept: scrubbed.\n")
	for _, g := range groups {
		b.WriteString("\n[[suggestion]]\n")
		var near []string
		for _, n := range g.Nearest {
			near = append(near, fmt.Sprintf("%s (%.2f)", n.ID, n.Score))
		}
		if len(near) > 0 {
			fmt.Fprintf(&b, "# signpost came nearest to %s: a guess, not a pick\n", strings.Join(near, ", "))
		} else {
			b.WriteString("# nothing in the knowledge base came near\n")
		}
		if g.Why["outside"] == g.Count {
			b.WriteString("# signpost said it does not cover these: perhaps \"outside\"\n")
		}
		fmt.Fprintf(&b, "entry = \"\"\ncount = %d\nquestions = [\n", g.Count)
		for _, ex := range g.Examples {
			fmt.Fprintf(&b, "  %q,\n", ex)
		}
		b.WriteString("]\n")
	}
	return b.String()
}
