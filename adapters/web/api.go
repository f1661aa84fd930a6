package web

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/bathnes/signpost/bot"
	"github.com/bathnes/signpost/knowledge"
)

// answerJSON is GET /api/v1/answer: the reply, and what `ask --json`
// gives (the outcome, the confidence, the ranked entries).
type answerJSON struct {
	Query      string       `json:"query"`
	Cut        bool         `json:"cut,omitempty"`
	Outcome    bot.Outcome  `json:"outcome"`
	Answered   bool         `json:"answered"`
	Confidence float64      `json:"confidence"`
	Results    []bot.Result `json:"results"`
	Place      string       `json:"place,omitempty"`
	Reply      bot.Reply    `json:"reply"`
}

func (a *Adapter) apiAnswer(w http.ResponseWriter, r *http.Request) {
	qs := r.URL.Query()
	q, cut := question(qs.Get("q"), a.placeName(qs.Get("place")), conversation())
	// q is required: with none (or only spaces) there is nothing to
	// answer, and no reply to lay out (openapi.yaml).
	if strings.TrimSpace(q.Text) == "" {
		a.fail(w, r, http.StatusBadRequest, "q is required: the question to answer")
		return
	}
	if qs.Get("place") != "" && q.Place == "" {
		a.fail(w, r, http.StatusBadRequest, "unknown place")
		return
	}
	// What is asked may be kept for the stats: not a vote by GET, and
	// nothing another site's page sends (see home).
	if bot.ReadsAsVote(q.Text) {
		a.fail(w, r, http.StatusBadRequest, "a vote is posted from the desk's answer, not asked")
		return
	}
	if a.fromElsewhere(r) {
		a.fail(w, r, http.StatusForbidden, "cross-origin request refused")
		return
	}
	ctx, cancel := context.WithTimeout(r.Context(), timeout)
	defer cancel()
	arrived := time.Now()
	ans, err := a.desk.Answer(ctx, q)
	if err != nil {
		a.log.Error("answer failed", "err", err)
		a.cfg.Observer.Failed("web", "answer")
		a.fail(w, r, http.StatusServiceUnavailable, "could not answer")
		return
	}
	a.cfg.Observer.Answered("web", ans.Outcome(), time.Since(arrived))
	out := answerJSON{Query: q.Text, Cut: cut, Outcome: ans.Outcome(), Answered: ans.Answered(),
		Confidence: ans.Confidence, Results: ans.Results, Reply: apiReply(ans.Reply())}
	if out.Results == nil {
		out.Results = []bot.Result{}
	}
	if ans.Place != nil {
		out.Place = ans.Place.Name
	}
	writeJSON(w, http.StatusOK, out)
}

func (a *Adapter) apiSuggest(w http.ResponseWriter, r *http.Request) {
	n := 8
	if s := r.URL.Query().Get("max"); s != "" {
		if m, err := strconv.Atoi(s); err == nil && m > 0 && m <= 25 {
			n = m
		}
	}
	out := a.desk.Suggest(r.URL.Query().Get("q"), n)
	if out == nil {
		out = []bot.Suggestion{}
	}
	writeJSON(w, http.StatusOK, out)
}

// entryJSON is an entry as the API lists it.
type entryJSON struct {
	ID     string           `json:"id"`
	Title  string           `json:"title"`
	Kinds  []knowledge.Kind `json:"kinds"`
	Theme  string           `json:"theme,omitempty"`
	Status knowledge.Status `json:"status"`
	AsOf   string           `json:"as_of"`
	Reply  *bot.Reply       `json:"reply,omitempty"`
}

func (a *Adapter) apiEntries(w http.ResponseWriter, r *http.Request) {
	var out []entryJSON
	for _, e := range a.desk.Base().Entries {
		out = append(out, entryJSON{ID: e.ID, Title: e.Title, Kinds: e.Kinds, Theme: e.Theme, Status: e.Status, AsOf: e.AsOf})
	}
	writeJSON(w, http.StatusOK, out)
}

func (a *Adapter) apiEntry(w http.ResponseWriter, r *http.Request) {
	e, ok := a.desk.Base().Entry(r.PathValue("id"))
	if !ok {
		a.fail(w, r, http.StatusNotFound, "no such entry")
		return
	}
	place := r.URL.Query().Get("place")
	q, _ := question(bot.About(e.ID), a.placeName(place), conversation())
	if place != "" && q.Place == "" {
		a.fail(w, r, http.StatusBadRequest, "unknown place")
		return
	}
	ans, err := a.desk.Answer(r.Context(), q)
	if err != nil {
		a.log.Error("answer failed", "err", err)
		a.fail(w, r, http.StatusServiceUnavailable, "could not answer")
		return
	}
	rep := apiReply(ans.Reply())
	writeJSON(w, http.StatusOK, entryJSON{ID: e.ID, Title: e.Title, Kinds: e.Kinds, Theme: e.Theme, Status: e.Status, AsOf: e.AsOf, Reply: &rep})
}

// findingJSON is POST /api/v1/finder's answer.
type findingJSON struct {
	Reply bot.Reply `json:"reply"`
	Fits  []string  `json:"fits"`
	// Almost are the routes one thing rules out, with that thing.
	Almost []almostJSON `json:"almost"`
}

type almostJSON struct {
	ID     string `json:"id"`
	WhyNot string `json:"why_not"`
}

func (a *Adapter) apiFinder(w http.ResponseWriter, r *http.Request) {
	var n bot.Need
	dec := json.NewDecoder(r.Body)
	dec.DisallowUnknownFields()
	if err := dec.Decode(&n); err != nil {
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			a.fail(w, r, http.StatusRequestEntityTooLarge, "body too large")
			return
		}
		a.fail(w, r, http.StatusBadRequest, "body must be a JSON object with who, what, band and place")
		return
	}
	arrived := time.Now()
	q, _ := question("", "", conversation())
	ans, err := a.desk.Find(q, n)
	if err != nil {
		a.fail(w, r, http.StatusBadRequest, err.Error())
		return
	}
	a.cfg.Observer.Answered("web", ans.Outcome(), time.Since(arrived))
	out := findingJSON{Reply: apiReply(ans.For(bot.Staff).Reply()), Fits: []string{}, Almost: []almostJSON{}}
	for _, f := range ans.Finding.Fits {
		out.Fits = append(out.Fits, f.Entry.ID)
	}
	for _, f := range ans.Finding.Almost {
		out.Almost = append(out.Almost, almostJSON{f.Entry.ID, f.WhyNot})
	}
	writeJSON(w, http.StatusOK, out)
}

// apiReply is r as openapi.yaml describes it: blocks, and each item's
// lines, are arrays even when empty (a reply of a lead alone has no
// blocks), never null.
func apiReply(r bot.Reply) bot.Reply {
	blocks := make([]bot.Block, 0, len(r.Blocks))
	for _, b := range r.Blocks {
		items := slices.Clone(b.Items)
		for i := range items {
			if items[i].Lines == nil {
				items[i].Lines = []string{}
			}
		}
		b.Items = items
		blocks = append(blocks, b)
	}
	r.Blocks = blocks
	return r
}

func (a *Adapter) openAPI(w http.ResponseWriter, r *http.Request) {
	b, _ := files.ReadFile("openapi.yaml")
	w.Header().Set("Content-Type", "application/yaml")
	w.Write(b)
}

func writeJSON(w http.ResponseWriter, code int, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(code)
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(true)
	enc.Encode(v)
}
