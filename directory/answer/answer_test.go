package answer

import (
	"strings"
	"testing"
	"time"

	"github.com/bathnes/signpost/bot"
	"github.com/bathnes/signpost/directory"
)

// TestCostSaysWhatTheRecordSaysOnce: a cost reads as the record gives
// it, without saying "free" twice when its description says so too.
func TestCostSaysWhatTheRecordSaysOnce(t *testing.T) {
	for _, tt := range []struct {
		cost directory.Cost
		want string
	}{
		{directory.Cost{Amount: 0, HasAmount: true}, "free"},
		{directory.Cost{Amount: 0, HasAmount: true, Description: "free", Option: "Session"}, "free (Session)"},
		{directory.Cost{Amount: 0, HasAmount: true, Description: "Free with a referral", Option: "Food parcel"}, "Free with a referral (Food parcel)"},
		{directory.Cost{Amount: 0, HasAmount: true, Description: "donations welcome"}, "free, donations welcome"},
		{directory.Cost{Amount: 4.5, HasAmount: true, Description: "per meal", Option: "Lunch"}, "£4.50 per meal (Lunch)"},
		{directory.Cost{Amount: 2, HasAmount: true}, "£2"},
		{directory.Cost{Option: "Entry"}, "Entry"},
	} {
		if got := costOf([]directory.Cost{tt.cost}); got != tt.want {
			t.Errorf("costOf(%+v) = %q; want %q", tt.cost, got, tt.want)
		}
	}
}

// TestRecordDateSaysCheckedOnlyWhenAssured: a record with assured_date
// was checked then; one with only last_modified was changed then, and a
// reader is told "last updated", not "last checked", whether recent or
// stale.
func TestRecordDateSaysCheckedOnlyWhenAssured(t *testing.T) {
	now := time.Date(2026, 10, 1, 12, 0, 0, 0, time.UTC)
	assured := time.Date(2026, 9, 14, 0, 0, 0, 0, time.UTC)
	old := time.Date(2024, 11, 2, 0, 0, 0, 0, time.UTC)
	ix := directory.NewIndex([]directory.Service{
		{ID: "a", Name: "Assured Lunch Club", AssuredDate: assured, LastModified: now},
		{ID: "m", Name: "Modified Lunch Club", LastModified: assured},
		{ID: "o", Name: "Old Lunch Club", LastModified: old},
	}, directory.Options{K: 5})
	want := map[string]string{
		"Assured Lunch Club":  "record a; last checked 14 September 2026.",
		"Modified Lunch Club": "record m; last updated 14 September 2026.",
		"Old Lunch Club":      "record o; last updated 2 November 2024, 22 months ago: it may be out of date.",
	}
	found := New(ix, nil).Find(bot.LocalQuery{Text: "lunch club", Now: now})
	if len(found) != len(want) {
		t.Fatalf("Find gave %d services; want %d", len(found), len(want))
	}
	r := bot.Answer{Kind: bot.Local, Locals: found}.Reply()
	seen := 0
	for _, b := range r.Blocks {
		for _, it := range b.Items {
			src := it.Lines[len(it.Lines)-1]
			if w, ok := want[it.Name]; ok {
				seen++
				if !strings.HasSuffix(src, w) {
					t.Errorf("%s: source line %q; want it to end %q", it.Name, src, w)
				}
			}
		}
	}
	if seen != len(want) {
		t.Errorf("reply listed %d of the %d services", seen, len(want))
	}
}
