package bot

import "time"

// The figures and review groups of what the journal kept: learn makes
// them, and the CLI and the desk's stats page show them, so they are the
// core's words for them, not learn's (the desk links no store and no
// learn).

// Report is the figures for a period.
type Report struct {
	From, To time.Time `json:"-"`
	Period   string    `json:"period"`
	// Questions counts every answer kept; Answered those matched or
	// signposted, Declined those signpost was unsure of or did not cover.
	Questions  int            `json:"questions"`
	Answered   int            `json:"answered"`
	Declined   int            `json:"declined"`
	Unanswered int            `json:"unanswered"`
	ByDay      []Count        `json:"by_day"`
	ByWeek     []Week         `json:"by_week"`
	ByPlatform map[string]int `json:"by_platform"`
	ByOutcome  map[string]int `json:"by_outcome"`
	// Entries are the entries answers led with, most asked first, with
	// their votes.
	Entries []EntryCount `json:"entries"`
	Votes   int          `json:"votes"`
	Helpful int          `json:"helpful"`
}

// Count is a number for a name (a day, a platform).
type Count struct {
	Name  string `json:"name"`
	Count int    `json:"count"`
}

// Week is a week's questions and the share answered.
type Week struct {
	Start     string  `json:"start"`
	Questions int     `json:"questions"`
	Answered  float64 `json:"answered_rate"`
}

// EntryCount is how often an entry led an answer, and how it was voted.
type EntryCount struct {
	ID        string `json:"id"`
	Title     string `json:"title"`
	Asked     int    `json:"asked"`
	Helpful   int    `json:"helpful"`
	Unhelpful int    `json:"unhelpful"`
}

// AnsweredRate is the share of questions answered, 0 to 1.
func (r Report) AnsweredRate() float64 { return Share(r.Answered, r.Questions) }

// DeclinedRate is the share declined, 0 to 1.
func (r Report) DeclinedRate() float64 { return Share(r.Declined, r.Questions) }

// HelpfulRate is the share of votes that said helpful, 0 to 1.
func (r Report) HelpfulRate() float64 { return Share(r.Helpful, r.Votes) }

// Share is n as a share of of, 0 to 1; 0 when of is 0.
func Share(n, of int) float64 {
	if of == 0 {
		return 0
	}
	return float64(n) / float64(of)
}

// ReviewGroup is similar questions signpost could not answer well, together.
type ReviewGroup struct {
	Count int `json:"count"`
	// Why counts the group's questions by what happened: unsure,
	// outside, unhelpful.
	Why map[string]int `json:"why"`
	// Examples are up to five of its questions, as kept (scrubbed).
	Examples []string `json:"examples"`
	// Nearest are the entries signpost came closest to, closest first.
	Nearest []Near `json:"nearest"`
}

// Near is an entry a group came close to, with its best score.
type Near struct {
	ID    string  `json:"id"`
	Title string  `json:"title"`
	Score float64 `json:"score"`
}
