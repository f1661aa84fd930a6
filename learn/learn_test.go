package learn

import (
	"strings"
	"testing"
	"time"

	"github.com/bathnes/signpost/bot"
	"github.com/bathnes/signpost/knowledge"
)

func kept() bot.Kept {
	day := time.Date(2026, 11, 23, 10, 0, 0, 0, time.UTC)
	return bot.Kept{
		Records: []bot.Record{
			{ID: "a1", At: day, Platform: "slack", Outcome: "matched", Top: []bot.Result{{ID: "pact", Score: 0.9}}},
			{ID: "a2", At: day, Platform: "web", Outcome: "matched", Top: []bot.Result{{ID: "pact", Score: 0.8}}},
			{ID: "a3", At: day.AddDate(0, 0, 1), Platform: "slack", Outcome: "unsure", Top: []bot.Result{{ID: "community-libraries", Score: 0.3}},
				Text: "can I get free wifi in the library"},
			{ID: "a4", At: day.AddDate(0, 0, 1), Platform: "console", Outcome: "unsure", Top: []bot.Result{{ID: "community-libraries", Score: 0.35}},
				Text: "is there free wifi at our library"},
			{ID: "a5", At: day.AddDate(0, 0, 1), Platform: "console", Outcome: "outside", Text: "who won the rugby"},
			{ID: "a6", At: day.AddDate(0, 0, 1), Platform: "web", Outcome: "service"},
		},
		Votes: []bot.Vote{
			{AnswerID: "a1", Voter: "v1", Helpful: true, At: day},
			{AnswerID: "a2", Voter: "v2", Helpful: false, At: day, Text: "who runs pact"},
		},
	}
}

func TestFiguresCountWhatWasKept(t *testing.T) {
	base, _ := knowledge.Embedded()
	r := Figures(kept(), base, time.Time{}, time.Now())
	// Two answers kept as "matched" (journals before the outcome vocabulary);
	// a council service sent to Council Connect is declined, as in ask --json.
	if r.Questions != 6 || r.Answered != 2 || r.Declined != 4 || r.Unanswered != 2 || r.Votes != 2 || r.Helpful != 1 {
		t.Errorf("report = %+v", r)
	}
	if len(r.ByDay) != 2 || r.ByDay[0].Count != 2 || r.ByPlatform["slack"] != 2 || len(r.ByWeek) != 1 {
		t.Errorf("by day %v, platform %v, week %v", r.ByDay, r.ByPlatform, r.ByWeek)
	}
	if len(r.Entries) != 1 || r.Entries[0].ID != "pact" || r.Entries[0].Asked != 2 || r.Entries[0].Helpful != 1 || r.Entries[0].Unhelpful != 1 {
		t.Errorf("entries = %+v", r.Entries)
	}
}

// TestGroupsAndSuggestionsPassKbCheck: similar questions group together,
// most frequent first, and the suggestions file is one kb check accepts.
func TestGroupsAndSuggestionsPassKbCheck(t *testing.T) {
	base, _ := knowledge.Embedded()
	groups := Groups(kept(), base)
	if len(groups) != 3 || groups[0].Count != 2 || groups[0].Nearest[0].ID != "community-libraries" {
		t.Fatalf("groups = %+v", groups)
	}
	toml := Suggestions(groups, "a week")
	if probs := base.CheckSuggestions("suggestions.toml", []byte(toml)); len(probs) > 0 {
		t.Errorf("kb check refuses the suggestions: %v\n%s", probs, toml)
	}
	for _, want := range []string{"nearest to community-libraries", `perhaps "outside"`, `"who runs pact"`} {
		if !strings.Contains(toml, want) {
			t.Errorf("suggestions lack %q:\n%s", want, toml)
		}
	}
	// The reviewer picks: review never fills in the entry it was unsure of.
	if strings.Contains(toml, `entry = "community-libraries"`) || strings.Count(toml, `entry = ""`) != len(groups) {
		t.Errorf("suggestions pick an entry for the reviewer:\n%s", toml)
	}
}
