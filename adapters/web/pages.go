package web

import (
	"bytes"
	"context"
	"fmt"
	"html/template"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"time"

	"github.com/bathnes/signpost/bot"
	"github.com/bathnes/signpost/knowledge"
)

// pages are the desk's templates, parsed once.
type pages struct{ t *template.Template }

func newPages() (*pages, error) {
	t, err := template.New("").Funcs(template.FuncMap{
		"part":    func(b bot.Block) string { return b.Part.String() },
		"isVote":  isVote,
		"linked":  linked,
		"percent": func(f float64) string { return fmt.Sprintf("%.0f%%", 100*f) },
		"add":     func(a, b int) int { return a + b },
	}).ParseFS(files, "templates/*.html")
	if err != nil {
		return nil, err
	}
	return &pages{t: t}, nil
}

// view is everything a page lays out.
type view struct {
	Words any
	// ServiceWords are the Services tab's (bot.Services), for its page
	// and its link in the menu.
	ServiceWords any
	// Page names the page, for <title> and the current link.
	Page string
	// Q, Place and Conv are the search: what was asked, where the caller
	// is, and the conversation its choices continue.
	Q, Place, Conv string
	Groups         []placeGroup
	// Reply is the answer, laid out by the reply template; Links turn its
	// choices into addresses (ByLabel, a list's menu by the names the list
	// shows), and Copy is it as plain text, in the caller's words.
	Reply   *bot.Reply
	Links   map[string]string
	ByLabel map[string]string
	Copy    string
	// Continues makes the search form carry Conv: the next search on a
	// page with an answer is the next turn of its conversation, so a
	// follow-up ("what about in Keynsham", "how do we start") is read
	// against what was just answered, and a question waiting for an area
	// or a finder step gets its reply. The menu's Search starts afresh.
	Continues bool
	// EntryID is set on an entry's own page, for its print view.
	EntryID string
	// Notice is a word at the top of the page: a question cut short, an
	// entry not found, thanks for a vote.
	Notice string
	// Finder is the finder's form; Errors its problems, by field.
	Finder *finderForm
	Errors []fieldError
	// Print lays out an entry alone, for paper.
	Print bool
	// ServicesForm is the Services tab's search; Picks its services'
	// boxes to tick for the caller.
	ServicesForm *servicesForm
	Picks        *picks
}

type placeGroup struct {
	Area   string
	Places []string
}

type fieldError struct{ Field, Msg string }

// ErrorFor is the problem with a form field, or "".
func (v view) ErrorFor(field string) string {
	for _, e := range v.Errors {
		if e.Field == field {
			return e.Msg
		}
	}
	return ""
}

// links finds web and e-mail addresses in text.
var links = regexp.MustCompile(`https?://[^\s<>"]+[^\s<>".,;:)]|[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)+`)

// linked is text, escaped, with its web and e-mail addresses as links.
func linked(s string) template.HTML {
	var b strings.Builder
	last := 0
	for _, m := range links.FindAllStringIndex(s, -1) {
		b.WriteString(template.HTMLEscapeString(s[last:m[0]]))
		addr := s[m[0]:m[1]]
		href := addr
		if !strings.Contains(addr, "://") {
			href = "mailto:" + addr
		}
		fmt.Fprintf(&b, `<a href="%s">%s</a>`, template.HTMLEscapeString(href), template.HTMLEscapeString(addr))
		last = m[1]
	}
	b.WriteString(template.HTMLEscapeString(s[last:]))
	return template.HTML(b.String())
}

// render writes a page, or a plain 500 if the template fails (never half
// a page).
func (a *Adapter) render(w http.ResponseWriter, code int, name string, v view) {
	v.Words, v.ServiceWords = bot.Desk, bot.Services
	var b bytes.Buffer
	if err := a.pages.t.ExecuteTemplate(&b, name, v); err != nil {
		a.log.Error("page failed", "page", name, "err", err)
		http.Error(w, "page failed", http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.WriteHeader(code)
	w.Write(b.Bytes())
}

// home is the search: the form, and the answer when something was asked.
func (a *Adapter) home(w http.ResponseWriter, r *http.Request) {
	v := a.searchView(w, r, "home")
	raw := r.URL.Query().Get("q")
	if strings.TrimSpace(raw) == "" {
		a.render(w, http.StatusOK, "home.html", v)
		return
	}
	q, cut := question(raw, v.Place, v.Conv)
	if cut {
		v.Notice = bot.Cut
	}
	v.Q = q.Text
	// A search is kept for the stats (its words, when nothing answers
	// it), and a GET is what any link or image can send. A vote is
	// posted from its answer's form (POST /vote), never made by a link;
	// a search another site's page sent is shown in the box, unasked,
	// for the person to ask if they mean to.
	switch {
	case bot.ReadsAsVote(q.Text):
		a.render(w, http.StatusBadRequest, "home.html", v)
	case a.fromElsewhere(r):
		a.render(w, http.StatusOK, "home.html", v)
	default:
		a.answer(w, r, q, v)
	}
}

// answer asks the core and lays out its reply on the search page.
func (a *Adapter) answer(w http.ResponseWriter, r *http.Request, q bot.Question, v view) {
	arrived := time.Now()
	ctx, cancel := context.WithTimeout(r.Context(), timeout)
	defer cancel()
	ans, err := a.desk.Answer(ctx, q)
	if err != nil {
		a.log.Error("answer failed", "err", err)
		ans = bot.Sorry()
	}
	a.cfg.Observer.Answered("web", ans.Outcome(), time.Since(arrived))
	a.log.Info("answered", "kind", ans.Kind, "confidence", ans.Confidence)
	rep := ans.Reply()
	// The desk reads the staff's words; the caller is copied theirs.
	v.Reply, v.Copy, v.Continues = &rep, copyText(ans), true
	v.Links, v.ByLabel = a.links(rep, v)
	a.render(w, http.StatusOK, "home.html", v)
}

// searchView is a page with the search form filled in: the place from the
// query, else the one remembered for this browser session, and a
// conversation that continues the page's choices or starts afresh.
func (a *Adapter) searchView(w http.ResponseWriter, r *http.Request, page string) view {
	qs := r.URL.Query()
	place := ""
	if qs.Has("place") {
		place = a.placeName(qs.Get("place"))
		http.SetCookie(w, &http.Cookie{Name: "place", Value: url.QueryEscape(place), Path: "/",
			HttpOnly: true, SameSite: http.SameSiteStrictMode})
	} else if c, err := r.Cookie("place"); err == nil {
		p, _ := url.QueryUnescape(c.Value)
		place = a.placeName(p)
	}
	conv := qs.Get("c")
	if !isConversation(conv) {
		conv = conversation()
	}
	return view{Page: page, Place: place, Conv: conv, Groups: a.placeGroups()}
}

// placeName is the base's name for a place typed or chosen, or "".
func (a *Adapter) placeName(s string) string {
	if p, ok := a.desk.Base().Place(s); ok {
		return p.Name
	}
	return ""
}

// placeGroups are the places for the selector: each area with the places
// the documents put in it, then those whose area is not known.
func (a *Adapter) placeGroups() []placeGroup {
	base := a.desk.Base()
	var out []placeGroup
	for _, area := range base.Areas() {
		g := placeGroup{Area: area.Name, Places: []string{area.Name}}
		for _, p := range base.Places {
			if p.Kind != knowledge.Area && p.Area == area.Name {
				g.Places = append(g.Places, p.Name)
			}
		}
		out = append(out, g)
	}
	other := placeGroup{Area: bot.Desk.OtherPlaces}
	for _, p := range base.Places {
		if p.Kind != knowledge.Area && p.Area == "" {
			other.Places = append(other.Places, p.Name)
		}
	}
	if len(other.Places) > 0 {
		out = append(out, other)
	}
	return out
}

// links are the addresses of a reply's choices: an entry's own page, or
// the search asked again with what the choice sends, in the same
// conversation and place.
func (a *Adapter) links(r bot.Reply, v view) (bySend, byLabel map[string]string) {
	bySend, byLabel = map[string]string{}, map[string]string{}
	for _, b := range r.Blocks {
		for _, c := range b.Choices {
			bySend[c.Reply] = a.link(c.Reply, v)
			if b.Menu {
				byLabel[c.Label] = bySend[c.Reply]
			}
		}
	}
	return bySend, byLabel
}

func (a *Adapter) link(send string, v view) string {
	if send == bot.StartAgain {
		// The desk's conversations are its pages: starting again is the
		// page afresh.
		if v.Page == "finder" {
			return "/finder"
		}
		return "/"
	}
	q := url.Values{}
	if v.Place != "" {
		q.Set("place", v.Place)
	}
	if id, ok := strings.CutPrefix(send, bot.About("")); ok {
		if _, known := a.desk.Base().Entry(id); known {
			return "/entries/" + url.PathEscape(id) + query(q)
		}
	}
	q.Set("q", send)
	q.Set("c", v.Conv)
	return "/" + query(q)
}

func query(q url.Values) string {
	if len(q) == 0 {
		return ""
	}
	return "?" + q.Encode()
}

// entry is one entry's page, or its print view.
func (a *Adapter) entry(w http.ResponseWriter, r *http.Request) {
	id := r.PathValue("id")
	v := a.searchView(w, r, "entry")
	if _, ok := a.desk.Base().Entry(id); !ok {
		v.Notice = bot.Desk.NotFound
		a.render(w, http.StatusNotFound, "home.html", v)
		return
	}
	q, _ := question(bot.About(id), v.Place, v.Conv)
	v.EntryID, v.Print = id, r.URL.Query().Get("print") != ""
	a.answer(w, r, q, v)
}

// vote takes a vote from an answer's form, posted so that no link
// prefetch or crawler ever votes, and thanks for it.
func (a *Adapter) vote(w http.ResponseWriter, r *http.Request) {
	v := a.searchView(w, r, "home")
	conv := r.PostFormValue("c")
	say := r.PostFormValue("q")
	if !isConversation(conv) || !bot.IsVote(say) {
		a.fail(w, r, http.StatusBadRequest, "not a vote")
		return
	}
	ans, err := a.desk.Answer(r.Context(), bot.Question{Text: say, Conversation: "web:" + conv, Channel: "web", Platform: "web", Audience: bot.Staff})
	if err != nil || !ans.Ack {
		a.fail(w, r, http.StatusBadRequest, "not a vote")
		return
	}
	v.Notice = ans.Message
	// The vote is a turn of the conversation it is about: the next
	// search carries on from it.
	v.Conv, v.Continues = conv, true
	a.render(w, http.StatusOK, "home.html", v)
}

// list is a page of one of the core's lists (the menu, the Core Offer,
// the funding routes).
func (a *Adapter) list(command string) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		v := a.searchView(w, r, command)
		q, _ := question(command, v.Place, v.Conv)
		a.answer(w, r, q, v)
	}
}

// copyText is "Copy for the caller": the whole answer in the caller's
// words (bot.Public), as plain text to read out or paste into an e-mail
// or a text message. The caller gets all of it: an entry in full, not the
// short form chat begins with (there is no "more" to click in an
// e-mail), and a list names each entry with what it is for, since a
// title alone tells a caller nothing.
func copyText(ans bot.Answer) string {
	pub := ans.For(bot.Public)
	pub.Full = true
	if pub.Kind == bot.List {
		return listText(pub)
	}
	return plain(pub.Reply())
}

// listText is a list (the menu, the Core Offer, the funding routes) as
// plain text: its title, then each group with each entry's name and, in
// one line, what it is.
func listText(a bot.Answer) string {
	paras := []string{a.Reply().Title}
	for _, g := range a.Groups {
		var ls []string
		if g.Name != "" {
			ls = append(ls, g.Name+":")
		}
		for _, e := range g.Entries {
			ls = append(ls, "- "+bot.Named(e)+": "+bot.OneLine(e))
		}
		paras = append(paras, strings.Join(ls, "\n"))
	}
	return strings.Join(slices.DeleteFunc(paras, func(p string) bool { return p == "" }), "\n\n")
}

// plain is a reply as plain text: every block that says something, in
// order, a paragraph each, but a block that follows on from the words
// before it ("In Radstock:" and the facts for Radstock) reads as one with
// them. Of the choices, only those
// a line names (see also, did you mean) are content; buttons that move
// the screen on (more, start again, a vote, a menu, a prompt's answers)
// are not.
func plain(r bot.Reply) string {
	var paras []string
	if head := strings.TrimSpace(r.Title + "\n" + r.Lead); head != "" {
		paras = append(paras, head)
	}
	for _, b := range r.Blocks {
		s := plainBlock(b)
		switch n := len(paras); {
		case s == "":
		case n > 0 && b.Follows:
			paras[n-1] += "\n" + s
		default:
			paras = append(paras, s)
		}
	}
	return strings.Join(paras, "\n\n")
}

func plainBlock(b bot.Block) string {
	var out []string
	switch b.Part {
	case bot.Bullets, bot.Listings:
		if b.Label != "" {
			out = append(out, b.Label+":")
		}
		for i, it := range b.Items {
			mark := b.Mark(i, "-")
			ls := it.Lines
			if it.Name != "" {
				ls = append([]string{it.Name}, ls...)
			}
			for j, l := range ls {
				if j == 0 {
					out = append(out, mark+" "+l)
				} else {
					out = append(out, strings.Repeat(" ", len(mark)+1)+l)
				}
			}
		}
		// Services end with where they come from and what to check
		// first: the caller needs that as much as staff do.
		if b.Part == bot.Listings && b.Text != "" {
			out = append(out, "", b.Text)
		}
	case bot.Fields:
		for _, it := range b.Items {
			out = append(out, it.Name+": "+strings.Join(it.Lines, "; "))
		}
	case bot.Terms:
		for _, it := range b.Items {
			out = append(out, it.Name+": "+strings.Join(it.Lines, " "))
		}
	case bot.Actions:
		if b.Label != "" && !b.Menu && !isVote(b) {
			var names []string
			for _, c := range b.Choices {
				names = append(names, c.Label)
			}
			out = append(out, b.Label+": "+strings.Join(names, "; "))
		}
	default:
		out = append(out, b.Text)
	}
	return strings.TrimSpace(strings.Join(out, "\n"))
}

// isVote reports whether b asks whether an answer helped.
func isVote(b bot.Block) bool { return len(b.Choices) > 0 && bot.IsVote(b.Choices[0].Reply) }

// finderForm is the funding finder as one form.
type finderForm struct {
	Who, What, Band, Place string
	Applicants, Purposes   []knowledge.Option
	Bands                  []knowledge.Band
	// Places are where a fund may run, as the search offers them: each
	// area with its towns and villages, so a caller from Radstock is
	// told of what runs only in Radstock.
	Places []placeGroup
}

// selectField is one of the form's lists, as the template lays it out:
// Options, or Options in Groups.
type selectField struct {
	ID, Label, Error, Any string
	Options               []option
	Groups                []optionGroup
}

type option struct {
	Value, Label string
	Selected     bool
}

type optionGroup struct {
	Label   string
	Options []option
}

// Fields are the form's four lists, with what was chosen and what is
// wrong with it.
func (v view) Fields() []selectField {
	f := v.Finder
	field := func(id, label, chosen string, values, labels []string) selectField {
		sf := selectField{ID: id, Label: label, Error: v.ErrorFor(id), Any: bot.Desk.Any}
		for i, val := range values {
			sf.Options = append(sf.Options, option{val, labels[i], val == chosen})
		}
		return sf
	}
	keys := func(opts []knowledge.Option) (ks, ls []string) {
		for _, o := range opts {
			ks, ls = append(ks, o.Key), append(ls, o.Label)
		}
		return ks, ls
	}
	whoK, whoL := keys(f.Applicants)
	whatK, whatL := keys(f.Purposes)
	var bandK, bandL []string
	for _, b := range f.Bands {
		bandK, bandL = append(bandK, b.Key), append(bandL, b.Label)
	}
	where := field("where", bot.Desk.Where, "", nil, nil)
	for _, g := range f.Places {
		og := optionGroup{Label: g.Area}
		for _, p := range g.Places {
			og.Options = append(og.Options, option{p, p, p == f.Place})
		}
		where.Groups = append(where.Groups, og)
	}
	return []selectField{
		field("who", bot.Desk.Who, f.Who, whoK, whoL),
		field("what", bot.Desk.What, f.What, whatK, whatL),
		field("band", bot.Desk.Band, f.Band, bandK, bandL),
		where,
	}
}

// finder is the funding finder's page: the form, and the routes when it
// was filled in.
func (a *Adapter) finder(w http.ResponseWriter, r *http.Request) {
	v := a.searchView(w, r, "finder")
	qs := r.URL.Query()
	fv := a.desk.Base().Finder
	f := &finderForm{Who: qs.Get("who"), What: qs.Get("what"), Band: qs.Get("band"), Place: qs.Get("where"),
		Applicants: fv.Applicants, Purposes: fv.Purposes, Bands: fv.Bands, Places: v.Groups}
	v.Finder = f
	if !qs.Has("who") && !qs.Has("what") && !qs.Has("band") && !qs.Has("where") {
		a.render(w, http.StatusOK, "finder.html", v)
		return
	}
	// A place typed into the address in other letters ("radstock") is
	// the base's place.
	if name := a.placeName(f.Place); name != "" {
		f.Place = name
	}
	need := bot.Need{Who: f.Who, What: f.What, Band: f.Band, Place: f.Place}
	v.Errors = checkNeed(need, f)
	if len(v.Errors) > 0 {
		a.render(w, http.StatusBadRequest, "finder.html", v)
		return
	}
	arrived := time.Now()
	q, _ := question("", "", v.Conv)
	ans, err := a.desk.Find(q, need)
	if err != nil {
		v.Errors = []fieldError{{"who", bot.Desk.Problems}}
		a.render(w, http.StatusBadRequest, "finder.html", v)
		return
	}
	a.cfg.Observer.Answered("web", ans.Outcome(), time.Since(arrived))
	rep := ans.For(bot.Staff).Reply()
	v.Reply, v.Copy = &rep, copyText(ans)
	v.Links, v.ByLabel = a.links(rep, v)
	a.render(w, http.StatusOK, "finder.html", v)
}

// checkNeed names each field whose value is not one of its choices.
func checkNeed(n bot.Need, f *finderForm) []fieldError {
	var errs []fieldError
	check := func(field, got string, keys []string) {
		if got != "" && !slices.Contains(keys, got) {
			errs = append(errs, fieldError{field, bot.Desk.Problems})
		}
	}
	var who, what, band, where []string
	for _, o := range f.Applicants {
		who = append(who, o.Key)
	}
	for _, o := range f.Purposes {
		what = append(what, o.Key)
	}
	for _, b := range f.Bands {
		band = append(band, b.Key)
	}
	for _, g := range f.Places {
		where = append(where, g.Places...)
	}
	check("who", n.Who, who)
	check("what", n.What, what)
	check("band", n.Band, band)
	check("where", n.Place, where)
	return errs
}
