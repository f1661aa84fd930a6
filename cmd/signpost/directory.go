package main

import (
	"fmt"
	"os"
	"time"

	"github.com/bathnes/signpost/bot"
	"github.com/bathnes/signpost/directory"
	"github.com/bathnes/signpost/directory/answer"
)

// loadDirectoryFile reads an Open Referral UK file (a page of a feed, a
// bare array or ndjson) into an index, with the problems of the records
// it skipped or mended.
func loadDirectoryFile(path string, opts directory.Options, now time.Time) (*directory.Index, []directory.Problem, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, nil, fmt.Errorf("read directory %s: %w", path, err)
	}
	defer f.Close()
	page, err := directory.Parse(f, path, now)
	if err != nil {
		return nil, nil, fmt.Errorf("read directory %s: %w", path, err)
	}
	opts.K = max(opts.K, answer.IndexK)
	return directory.NewIndex(page.Services, opts), page.Problems, nil
}

// useDirectoryFile makes b answer local-service questions from the ORUK
// file at path too (`--directory FILE`), saying on stderr how many
// records were skipped or mended.
func (e env) useDirectoryFile(b *bot.Bot, path string) error {
	if path == "" {
		return nil
	}
	ix, probs, err := loadDirectoryFile(path, directory.Options{StaleAfter: time.Duration(e.cfg.Directory.StaleAfter)}, time.Now())
	if err != nil {
		return err
	}
	if len(probs) > 0 {
		fmt.Fprintf(e.stderr, "signpost: %s: %d services, %d records skipped or mended (signpost directory import lists them)\n", path, ix.Len(), len(probs))
	}
	b.UseDirectory(answer.New(ix, nil))
	return nil
}

// jsonService is a service in `ask --json`: marked as the directory's,
// with its record's id and feed, apart from the toolkit's entries.
type jsonService struct {
	Source string `json:"source"`
	ID     string `json:"id"`
	Feed   string `json:"feed"`
	Name   string `json:"name"`
	// DistanceKM is from the place asked about, when both it and the
	// record give one.
	DistanceKM *float64 `json:"distance_km,omitempty"`
}

// servicesJSON are an answer's services for `ask --json`.
func servicesJSON(ls []bot.LocalService) []jsonService {
	var out []jsonService
	for _, l := range ls {
		s := jsonService{Source: "directory", ID: l.ID, Feed: l.Feed, Name: l.Name}
		if l.HasDistance {
			d := round3(l.Distance)
			s.DistanceKM = &d
		}
		out = append(out, s)
	}
	return out
}
