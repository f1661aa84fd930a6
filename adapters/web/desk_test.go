package web

import (
	"context"
	"html"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/bathnes/signpost/bot"
	"github.com/bathnes/signpost/internal/chattest"
)

// copyOf is the text of a page's "Copy for the caller", as the browser
// shows it in the box, or "" when the page has none.
func copyOf(body string) string {
	if !strings.Contains(body, `id="copy-text"`) {
		return ""
	}
	return html.UnescapeString(between(body, `aria-describedby="copy-hint">`, "</textarea>"))
}

// section is the HTML of a card's list under heading, to its end.
func section(body, heading string) string {
	_, after, ok := strings.Cut(body, "<h3>"+heading+"</h3>")
	if !ok {
		return ""
	}
	end := strings.Index(after, "<h3>")
	if end < 0 {
		end = len(after)
	}
	return after[:end]
}

// TestFinderOffersTownsAndVillages: the finder's place list is the
// search's, every place the knowledge base knows grouped by its area, so
// a caller from Radstock or Westfield can be chosen, and Big Local (for
// residents of Radstock and Westfield) fits them and no one else.
func TestFinderOffersTownsAndVillages(t *testing.T) {
	t.Parallel()
	srv := desk(t, Config{})
	base := chattest.Bot().Base()
	_, form, _ := get(t, srv, "/finder")
	where := between(form, `<select class="select" id="where" name="where"`, "</select>")
	for _, p := range base.Places {
		if !strings.Contains(where, `<option value="`+html.EscapeString(p.Name)+`">`) {
			t.Errorf("the finder cannot choose %s", p.Name)
		}
	}
	somer := between(where, `<optgroup label="Somer Valley">`, "</optgroup>")
	for _, name := range []string{"Somer Valley", "Radstock", "Westfield"} {
		if !strings.Contains(somer, `>`+name+`<`) {
			t.Errorf("%s is not in the Somer Valley group: %s", name, somer)
		}
	}
	if n := strings.Count(where, "<optgroup"); n < len(base.Areas()) {
		t.Errorf("%d groups of places; want one an area at least (%d)", n, len(base.Areas()))
	}

	for _, tt := range []struct{ where, chosen string }{{"Radstock", "Radstock"}, {"Westfield", "Westfield"}, {"radstock", "Radstock"}} {
		code, body, _ := get(t, srv, "/finder?who=residents&what=project&where="+url.QueryEscape(tt.where))
		fits := section(body, "These fit")
		if code != 200 || !strings.Contains(fits, "Big Local") || !strings.Contains(fits, "available in "+tt.chosen) {
			t.Errorf("residents in %s: %d, these fit:\n%s\nwant Big Local, available in %s", tt.where, code, fits, tt.chosen)
		}
		if !strings.Contains(body, `<option value="`+tt.chosen+`" selected>`) || !strings.Contains(body, "in "+tt.chosen+".") {
			t.Errorf("residents in %s: the form or the answer does not keep %s", tt.where, tt.chosen)
		}
	}
	_, body, _ := get(t, srv, "/finder?who=residents&what=project&where=Keynsham")
	if fits, almost := section(body, "These fit"), section(body, "These almost fit"); strings.Contains(fits, "Big Local") ||
		!regexp.MustCompile(`Big Local[^<]*only in Radstock and Westfield`).MatchString(almost) {
		t.Errorf("residents in Keynsham: Big Local should almost fit, being only in Radstock and Westfield:\nfit: %s\nalmost: %s", fits, almost)
	}
	code, body, _ := get(t, srv, "/finder?who=residents&where=Atlantis")
	if code != 400 || !strings.Contains(body, `href="#where"`) || !strings.Contains(body, `aria-describedby="where-error"`) {
		t.Errorf("a place the knowledge base does not know: %d; want 400 and the error linked to the place list", code)
	}
}

// TestCopyForTheCallerHoldsTheWholeAnswer: on every page with a copy
// button, the text copied holds the whole answer in the caller's words:
// each list entry by name with what it is, an entry's every fact, how to
// start and who to contact, each funding route the card names, and no
// word meant for staff.
func TestCopyForTheCallerHoldsTheWholeAnswer(t *testing.T) {
	t.Parallel()
	srv := desk(t, Config{})
	b := chattest.Bot()
	ask := func(q string) bot.Answer {
		a, err := b.Answer(context.Background(), bot.Question{Text: q})
		if err != nil {
			t.Fatal(err)
		}
		return a
	}
	staffWords := []string{bot.StaffNotSure, bot.StaffNext, bot.StaffNoContact}
	check := func(path string, want ...string) string {
		t.Helper()
		code, body, _ := get(t, srv, path)
		got := copyOf(body)
		if code != 200 || got == "" {
			t.Errorf("%s: %d, no copy for the caller", path, code)
			return ""
		}
		for _, w := range want {
			if w != "" && !strings.Contains(got, w) {
				t.Errorf("%s: the copy lacks %q:\n%s", path, w, got)
			}
		}
		for _, w := range staffWords {
			if strings.Contains(got, w) {
				t.Errorf("%s: the copy for the caller says %q, meant for staff", path, w)
			}
		}
		if markup.MatchString(got) {
			t.Errorf("%s: the copy holds markup:\n%s", path, got)
		}
		return got
	}

	// The lists: every entry, by the name the page shows, with one line
	// on what it is.
	for path, command := range map[string]string{"/menu": bot.MenuCommand, "/core-offer": bot.CoreCommand, "/funding-routes": bot.RoutesCommand} {
		list := ask(command)
		want := []string{list.Reply().Title}
		n := 0
		for _, g := range list.Groups {
			want = append(want, g.Name)
			for _, e := range g.Entries {
				want = append(want, "- "+bot.Named(e)+": "+bot.OneLine(e))
				n++
			}
		}
		if n < 5 {
			t.Fatalf("%s lists %d entries", command, n)
		}
		got := check(path, want...)
		if lines := strings.Count(got, "\n- "); lines != n {
			t.Errorf("%s: %d entries copied; the page lists %d", path, lines, n)
		}
	}

	// An entry, searched for or opened: all of it, as the caller hears it.
	for _, path := range []string{"/?q=pact", "/entries/pact", "/?q=" + url.QueryEscape("how do we list our pub"), "/entries/big-local?place=Radstock"} {
		id := "pact"
		switch {
		case strings.Contains(path, "pub"):
			id = "assets-of-community-value"
		case strings.Contains(path, "big-local"):
			id = "big-local"
		}
		e, _ := b.Base().Entry(id)
		want := append([]string{e.Title, bot.Status(e), e.Start, bot.NoContactLine(e)}, e.Details...)
		want = append(want, bot.ContactLines(e)...)
		got := check(path, want...)
		if !strings.Contains(got, "Source: ") {
			t.Errorf("%s: the copy names no source", path)
		}
	}
	check("/entries/big-local?place=Radstock", "In Radstock")

	// Not sure, a council service, a choice, help: the caller's words.
	unsure := ask("can I get free wifi in the library")
	check("/?q="+url.QueryEscape("can I get free wifi in the library"), bot.NotSure, bot.FallbackLine(unsure.Fallback), "Did you mean: "+unsure.Alternatives[0].Title)
	check("/?q="+url.QueryEscape("when is my bin collection day"), "That sounds like a council service", bot.FallbackLine(unsure.Fallback))
	clarify := ask("can we run the old pub building ourselves")
	if clarify.Kind == bot.Clarify {
		var want []string
		for _, e := range clarify.Options {
			want = append(want, bot.Named(e), bot.OneLine(e))
		}
		check("/?q="+url.QueryEscape("can we run the old pub building ourselves"), append(want, bot.Choose)...)
	}
	var usages []string
	for _, c := range ask("help").Commands {
		usages = append(usages, c.Usage+": "+c.Description)
	}
	check("/?q=help", usages...)
	check("/?q="+url.QueryEscape("who runs PACT here"), "PACT meetings", "Which area are you in?")

	// The finder: every route the card names, fits and near misses, with
	// why.
	path := "/finder?who=group&what=project&band=small&where=Radstock"
	_, body, _ := get(t, srv, path)
	card := between(body, `<section class="card"`, "</section>")
	var routes []string
	for _, m := range regexp.MustCompile(`<li>(?:<strong>)?([^<.:]+)`).FindAllStringSubmatch(card, -1) {
		routes = append(routes, html.UnescapeString(m[1]))
	}
	if len(routes) < 5 {
		t.Fatalf("the finder's card names %d routes: %v", len(routes), routes)
	}
	check(path, append(routes, "These fit:", "These almost fit:", "Why: ", "Not quite: ")...)
}

// TestPagesWithoutAnAnswerHaveNoCopy: the empty search, the empty finder
// form and the print view have nothing to copy, and say nothing of it.
func TestPagesWithoutAnAnswerHaveNoCopy(t *testing.T) {
	t.Parallel()
	srv := desk(t, Config{})
	for _, path := range []string{"/", "/finder", "/entries/pact?print=1", "/finder?who=dragons"} {
		if _, body, _ := get(t, srv, path); strings.Contains(body, `id="copy-button"`) {
			t.Errorf("%s has a copy button", path)
		}
	}
}

// TestTheSearchFormContinuesTheConversation: on a page with an answer,
// the search form carries its conversation, so the next search is the
// next turn (a follow-up, a reply to "Which area are you in?"); the empty
// search page, and Search in the menu, start afresh.
func TestTheSearchFormContinuesTheConversation(t *testing.T) {
	t.Parallel()
	srv := desk(t, Config{})
	hidden := regexp.MustCompile(`<form class="search"[\s\S]*?<input type="hidden" name="c" value="([0-9a-f]{32})">[\s\S]*?</form>`)
	_, body, _ := get(t, srv, "/")
	if hidden.MatchString(body) {
		t.Error("the empty search page carries a conversation")
	}
	if !strings.Contains(body, `<a href="/" aria-current="page">`) {
		t.Error("Search in the menu is not the page afresh")
	}
	_, body, _ = get(t, srv, "/?q="+url.QueryEscape("who runs PACT"))
	m := hidden.FindStringSubmatch(body)
	if m == nil {
		t.Fatalf("the answer's search form does not carry its conversation")
	}
	for _, tt := range []struct{ say, want string }{
		{"what about in Keynsham", "Keynsham"},
		{"who do I ring about that", "Contacts"},
		{"and in Radstock?", "Radstock"},
	} {
		_, body, _ = get(t, srv, "/?c="+m[1]+"&place=&q="+url.QueryEscape(tt.say))
		if title := between(body, `<h2 id="answer-title">`, "</h2>"); !strings.HasPrefix(title, "PACT meetings") || !strings.Contains(body, tt.want) {
			t.Errorf("%q after who runs PACT: %q; want PACT again, with %s", tt.say, title, tt.want)
		}
		if n := hidden.FindStringSubmatch(body); n == nil || n[1] != m[1] {
			t.Errorf("%q: the next search leaves the conversation", tt.say)
		}
	}
	_, body, _ = get(t, srv, "/entries/big-local")
	if m := hidden.FindStringSubmatch(body); m == nil {
		t.Error("an entry's page does not carry its conversation")
	} else if _, body, _ = get(t, srv, "/?c="+m[1]+"&q="+url.QueryEscape("what about in Keynsham")); !strings.Contains(body, "not Keynsham") {
		t.Errorf("what about in Keynsham, after Big Local's page: %s", between(body, `<p class="lead">`, "</p>"))
	}
}

// markup is a tag of the page's, which plain text never holds ("<id or
// title>" in help is words).
var markup = regexp.MustCompile(`</?(a|p|li|ul|ol|strong|br|h[1-6]|dl|dt|dd|code|div|section|span|textarea)\b[^>]*>`)
