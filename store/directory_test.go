package store

import (
	"context"
	"testing"
	"time"

	"github.com/bathnes/signpost/directory"
)

// TestDirectoryCopyIsReplacedWholeOrMerged: a full sync replaces a feed's
// copy (a service the feed dropped goes), an incremental one merges, other
// feeds are untouched, and a feed's sync state is kept, on both databases.
func TestDirectoryCopyIsReplacedWholeOrMerged(t *testing.T) {
	ctx := context.Background()
	at := time.Date(2026, 12, 1, 10, 0, 0, 0, time.UTC)
	svc := func(feed, id, name string) directory.Service {
		return directory.Service{Feed: feed, ID: id, Name: name, FetchedAt: at, AssuredDate: at.AddDate(0, -14, 0)}
	}
	for name, cfg := range stores(t) {
		t.Run(name, func(t *testing.T) {
			s := open(t, cfg)
			must := func(err error) {
				t.Helper()
				if err != nil {
					t.Fatal(err)
				}
			}
			must(s.SaveServices(ctx, "a", []directory.Service{svc("a", "1", "Lunch club"), svc("a", "2", "Youth club")}, true))
			must(s.SaveServices(ctx, "b", []directory.Service{svc("b", "1", "Food bank")}, true))
			must(s.SaveServices(ctx, "a", []directory.Service{svc("a", "2", "Youth club, Thursdays"), svc("a", "3", "Warm space")}, false))
			got, err := s.Services(ctx)
			must(err)
			names := map[string]string{}
			for _, sv := range got {
				names[sv.Feed+"/"+sv.ID] = sv.Name
			}
			if len(got) != 4 || names["a/2"] != "Youth club, Thursdays" || names["a/1"] != "Lunch club" || names["b/1"] != "Food bank" {
				t.Errorf("after a merge: %v", names)
			}
			if !got[0].AssuredDate.Equal(at.AddDate(0, -14, 0)) {
				t.Errorf("assured date read back as %v", got[0].AssuredDate)
			}
			must(s.SaveServices(ctx, "a", []directory.Service{svc("a", "3", "Warm space")}, true))
			got, _ = s.Services(ctx)
			if len(got) != 2 {
				t.Errorf("after a full sync of a: %d services; want a/3 and b/1", len(got))
			}
			must(s.SaveFeed(ctx, FeedState{Feed: "a", Synced: at, Since: at, Failed: at.Add(time.Hour), Error: "page 2: 500", Failures: 2}))
			st, err := s.Feed(ctx, "a")
			must(err)
			if !st.Synced.Equal(at) || st.Failures != 2 || st.Error != "page 2: 500" {
				t.Errorf("feed state %+v", st)
			}
			if st, _ := s.Feed(ctx, "never"); !st.Synced.IsZero() || st.Failures != 0 {
				t.Errorf("a feed never synced: %+v", st)
			}
		})
	}
}
