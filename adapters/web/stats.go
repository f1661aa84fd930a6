package web

import (
	"bytes"
	"context"
	"fmt"
	"net/http"

	"github.com/bathnes/signpost/bot"
)

// Figures reads what the store kept for the last days, as figures and
// review groups: cmd gives one when a store is kept.
type Figures func(ctx context.Context, days int) (bot.Report, []bot.ReviewGroup, error)

// statsView is the stats page.
type statsView struct {
	view
	Report bot.Report
	Groups []bot.ReviewGroup
	Chart  chart
}

// chart is the weeks as an SVG bar chart with the answered rate as a line,
// drawn by the server: no script, no library.
type chart struct {
	Width, Height int
	Bars          []bar
	Line          string
}

type bar struct {
	X, Y, W, H int
	Label      string
	Title      string
}

func drawChart(weeks []bot.Week) chart {
	c := chart{Width: 640, Height: 200}
	if len(weeks) == 0 {
		return c
	}
	most := 1
	for _, w := range weeks {
		most = max(most, w.Questions)
	}
	step := c.Width / len(weeks)
	plot := c.Height - 30
	for i, w := range weeks {
		h := w.Questions * plot / most
		b := bar{X: i*step + step/6, W: step * 2 / 3, H: h, Y: plot - h, Label: w.Start[5:],
			Title: fmt.Sprintf("%s: %d questions, %.0f%% answered", w.Start, w.Questions, 100*w.Answered)}
		c.Bars = append(c.Bars, b)
		y := plot - int(w.Answered*float64(plot))
		c.Line += fmt.Sprintf("%d,%d ", i*step+step/2, y)
	}
	return c
}

// stats is the figures page. It shows what residents asked, so it always
// needs the desk's token: without one configured, it is not served.
func (a *Adapter) stats(w http.ResponseWriter, r *http.Request) {
	if a.cfg.Token == "" || a.cfg.Figures == nil {
		a.fail(w, r, http.StatusNotFound, "the stats page needs [web] auth and a store")
		return
	}
	v := statsView{view: a.searchView(w, r, "stats")}
	rep, groups, err := a.cfg.Figures(r.Context(), 30)
	if err != nil {
		a.log.Error("stats failed", "err", err)
		a.fail(w, r, http.StatusServiceUnavailable, "the store could not be read")
		return
	}
	v.Report, v.Groups, v.Chart = rep, groups, drawChart(rep.ByWeek)
	v.Words, v.ServiceWords = bot.Desk, bot.Services
	var b bytes.Buffer
	if err := a.pages.t.ExecuteTemplate(&b, "stats.html", v); err != nil {
		a.log.Error("page failed", "page", "stats", "err", err)
		http.Error(w, "page failed", http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Write(b.Bytes())
}
