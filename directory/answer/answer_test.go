package answer

import (
	"testing"

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
