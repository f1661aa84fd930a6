package web

import (
	"errors"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/bathnes/signpost/bot"
)

// servicesForm is the Services tab's search: what the caller needs, the
// day they can go and where they are, as typed or chosen.
type servicesForm struct {
	Need, Day, Near string
	// Needs are suggestions for Need: what the directory's services are
	// filed under, in its words.
	Needs []string
	// NoDirectory says the desk has no directory to search.
	NoDirectory bool
}

// weekdays are the days the form offers, Monday first as in the UK, by
// the value the form sends.
var weekdays = []time.Weekday{time.Monday, time.Tuesday, time.Wednesday, time.Thursday, time.Friday, time.Saturday, time.Sunday}

// Days are the day list's options, with the one chosen.
func (f servicesForm) Days() []option {
	var out []option
	for _, d := range weekdays {
		v := strings.ToLower(d.String())
		out = append(out, option{v, d.String(), v == f.Day})
	}
	return out
}

// search is the form as the core's search, and false when the day is not
// one of the list's.
func (f servicesForm) search() (bot.ServiceSearch, bool) {
	s := bot.ServiceSearch{Need: f.Need, Place: f.Near}
	if f.Day == "" {
		return s, true
	}
	for _, d := range weekdays {
		if f.Day == strings.ToLower(d.String()) {
			s.Day, s.OnDay = d, true
			return s, true
		}
	}
	return s, false
}

// picks are the services listed, to tick for the caller: each one's key,
// its text in the caller's copy and whether it is ticked; and the copy's
// text before and after the services, so that the page's script makes
// the copy of any choice as the server would (see copyParts).
type picks struct {
	Items      []pick
	Head, Tail string
	// Asked says the copy was asked for (the form posted without a
	// script), so that none ticked is said.
	Asked, None bool
}

type pick struct {
	Key, Copy string
	Checked   bool
}

// Pick is the i-th service's box, or nil.
func (v view) Pick(i int) *pick {
	if v.Picks == nil || i < 0 || i >= len(v.Picks.Items) {
		return nil
	}
	return &v.Picks.Items[i]
}

// services is the Services tab: the form, the services that fit it, each
// with a box to tick, and the copy for the caller of those ticked. With
// no directory it says so, as a page, never an error.
func (a *Adapter) services(w http.ResponseWriter, r *http.Request) {
	qs := r.URL.Query()
	f := &servicesForm{Need: qs.Get("need"), Day: qs.Get("day"), Near: qs.Get("near"), Needs: a.desk.Needs()}
	v := view{Page: "services", ServicesForm: f}
	if !qs.Has("near") {
		// The caller's place from the search, when there is one: the
		// same caller, most likely.
		if c, err := r.Cookie("place"); err == nil {
			p, _ := url.QueryUnescape(c.Value)
			f.Near = a.placeName(p)
		}
	}
	s, ok := f.search()
	if !ok {
		v.Errors = []fieldError{{"day", bot.Desk.Problems}}
		a.render(w, http.StatusBadRequest, "services.html", v)
		return
	}
	arrived := time.Now()
	q, _ := question("", "", "")
	ans, err := a.desk.Services(q, s)
	switch {
	case errors.Is(err, bot.ErrNoDirectory):
		f.NoDirectory = true
		a.render(w, http.StatusOK, "services.html", v)
		return
	case err != nil:
		a.log.Error("services failed", "err", err)
		a.fail(w, r, http.StatusInternalServerError, "services failed")
		return
	case s.Blank():
		a.render(w, http.StatusOK, "services.html", v)
		return
	}
	a.cfg.Observer.Answered("web", ans.Outcome(), time.Since(arrived))
	a.log.Info("services", "found", len(ans.Locals), "day", s.OnDay, "place", s.Place != "")
	rep := ans.Reply()
	v.Reply = &rep
	if len(ans.Locals) > 0 {
		chosen := qs["pick"]
		v.Picks = copyParts(ans, chosen)
		v.Picks.Asked = qs.Has("copy")
		v.Picks.None = v.Picks.Asked && len(chosen) == 0
		if len(chosen) > 0 {
			v.Copy = copyText(ans.OnlyLocals(chosen))
		}
	}
	a.render(w, http.StatusOK, "services.html", v)
}

// copyParts cuts the caller's copy of a services answer so that any
// choice of its services can be copied without asking again: Head, then
// the chosen services' Copy joined by new lines, then Tail, is
// copyText(ans.OnlyLocals(chosen)). Each service is one item of the
// reply's listings, and nothing else in the reply depends on which are
// listed, so the copy of a choice is the copy of all with the others'
// items taken out.
func copyParts(ans bot.Answer, chosen []string) *picks {
	p := &picks{}
	rep := ans.For(bot.Public).Reply()
	var texts []string
	for _, b := range rep.Blocks {
		if b.Part != bot.Listings {
			continue
		}
		for _, it := range b.Items {
			texts = append(texts, plainBlock(bot.Block{Part: bot.Listings, Items: []bot.Item{it}}))
		}
		break
	}
	for i, l := range ans.Locals {
		k := pick{Key: l.Key()}
		for _, c := range chosen {
			k.Checked = k.Checked || c == k.Key
		}
		if i < len(texts) {
			k.Copy = texts[i]
		}
		p.Items = append(p.Items, k)
	}
	p.Head, p.Tail, _ = strings.Cut(copyText(ans), strings.Join(texts, "\n"))
	return p
}
