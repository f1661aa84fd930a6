// Package synth makes synthetic ORUK directories for benchmarks and load
// tests: as many services as asked, shaped like a council's (a need or two
// in the name, a paragraph of description, taxonomy terms, a place for most,
// a weekly or monthly session for many, old and new check dates), and the
// same for the same seed. Nothing in it is real: names are made from a word
// list, and places are the centroids of the embedded places table, moved by
// up to a kilometre or two.
package synth

import (
	"encoding/json"
	"fmt"
	"io"
	"math/rand/v2"
	"strings"
	"time"

	"github.com/bathnes/signpost/directory"
)

var needs = []string{
	"lunch club", "youth club", "befriending", "food bank", "warm space", "walking group",
	"carers support", "toddler group", "men's shed", "community cafe", "debt advice", "memory cafe",
	"knit and natter", "repair cafe", "chair exercise", "bereavement support", "job club",
	"digital help", "choir", "allotment group", "parent support", "homework club", "film club",
	"dementia support", "foodbank referral", "benefits advice", "wellbeing walk", "craft group",
}

var kinds = []string{"club", "group", "service", "session", "drop-in", "project", "network", "circle"}

var audiences = []string{
	"older people", "young people", "families", "carers", "men", "women", "everyone", "children",
	"people living with dementia", "people who feel lonely", "veterans", "new parents",
}

var terms = []string{
	"Older people", "Young people", "Families", "Food", "Loneliness", "Health and wellbeing",
	"Money advice", "Carers", "Learning", "Arts and crafts", "Exercise", "Mental health",
}

// filler is a stock of ordinary words for descriptions, so that the index
// sees a realistic vocabulary rather than a handful of terms.
var filler = strings.Fields(`welcome friendly local volunteers meet share tea coffee chat support
	advice information together weekly monthly free small donation hall church library centre room
	accessible parking bus route wheelchair hearing loop refreshments provided booking needed drop
	just come along everyone new members always join activities games quiz talks trips outings
	garden kitchen cooking skills confidence friendship company conversation listen help practical
	emotional guidance signposting referral partners council charity trust community neighbourhood
	village town city parish ward area residents people families children adults older younger
	morning afternoon evening term holidays sessions course workshop class programme scheme project`)

// Services makes n synthetic services from seed.
func Services(n int, seed uint64) []directory.Service {
	rng := rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15))
	places := directory.DefaultPlaces().All()
	base := time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC)
	days := []string{"MO", "TU", "WE", "TH", "FR", "SA", "SU"}
	out := make([]directory.Service, n)
	var b strings.Builder
	for i := range out {
		need := needs[rng.IntN(len(needs))]
		aud := audiences[rng.IntN(len(audiences))]
		s := directory.Service{
			Feed:         "synthetic",
			ID:           fmt.Sprintf("%08x-0000-4000-8000-%012x", seed&0xffffffff, i),
			Name:         fmt.Sprintf("%s %s %s %d", titleCase(filler[rng.IntN(len(filler))]), titleCase(need), kinds[rng.IntN(len(kinds))], i),
			Organization: titleCase(filler[rng.IntN(len(filler))]) + " Community Trust",
			Status:       "active",
			Taxonomy:     []string{terms[rng.IntN(len(terms))], terms[rng.IntN(len(terms))]},
			FetchedAt:    base,
		}
		b.Reset()
		fmt.Fprintf(&b, "A %s for %s.", need, aud)
		for w := 20 + rng.IntN(60); w > 0; w-- {
			b.WriteByte(' ')
			b.WriteString(filler[rng.IntN(len(filler))])
		}
		b.WriteByte('.')
		s.Description = b.String()
		if rng.IntN(10) < 7 {
			p := places[rng.IntN(len(places))].Point
			p.Lat += (rng.Float64() - 0.5) * 0.02
			p.Lon += (rng.Float64() - 0.5) * 0.03
			s.Locations = []directory.Location{{Name: "Hall " + fmt.Sprint(i), Point: p, HasPoint: true}}
		}
		switch rng.IntN(10) {
		case 0, 1, 2:
			// No schedule: "times not published".
		case 3:
			s.Schedules = []directory.Schedule{{Freq: "MONTHLY", ByDay: fmt.Sprintf("%d%s", 1+rng.IntN(4), days[rng.IntN(7)]),
				OpensAt: fmt.Sprintf("%02d:00", 9+rng.IntN(10)), ClosesAt: fmt.Sprintf("%02d:30", 10+rng.IntN(10))}}
		default:
			s.Schedules = []directory.Schedule{{Freq: "WEEKLY", ByDay: days[rng.IntN(7)],
				OpensAt: fmt.Sprintf("%02d:00", 9+rng.IntN(10)), ClosesAt: fmt.Sprintf("%02d:30", 10+rng.IntN(10))}}
		}
		s.AssuredDate = base.AddDate(0, 0, -rng.IntN(3*365))
		s.LastModified = s.AssuredDate
		out[i] = s
	}
	return out
}

func titleCase(s string) string {
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}

// WriteNDJSON writes services as an ORUK 3.0 format=ndjson stream, one
// service a line, for benchmarking the whole import from bytes.
func WriteNDJSON(w io.Writer, services []directory.Service) error {
	enc := json.NewEncoder(w)
	for _, s := range services {
		if err := enc.Encode(oruk(s)); err != nil {
			return err
		}
	}
	return nil
}

type schedule struct {
	Freq     string `json:"freq,omitempty"`
	ByDay    string `json:"byday,omitempty"`
	OpensAt  string `json:"opens_at,omitempty"`
	ClosesAt string `json:"closes_at,omitempty"`
}

type location struct {
	Name      string  `json:"name"`
	Latitude  float64 `json:"latitude"`
	Longitude float64 `json:"longitude"`
}

type service struct {
	ID           string `json:"id"`
	Name         string `json:"name"`
	Description  string `json:"description"`
	Status       string `json:"status"`
	AssuredDate  string `json:"assured_date"`
	LastModified string `json:"last_modified"`
	Organization struct {
		ID   string `json:"id"`
		Name string `json:"name"`
	} `json:"organization"`
	Schedules []schedule `json:"schedules,omitempty"`
	SALs      []struct {
		Location location `json:"location"`
	} `json:"service_at_locations,omitempty"`
	Attributes []struct {
		TaxonomyTerm struct {
			Name string `json:"name"`
		} `json:"taxonomy_term"`
	} `json:"attributes,omitempty"`
}

func oruk(s directory.Service) service {
	o := service{ID: s.ID, Name: s.Name, Description: "<p>" + s.Description + "</p>", Status: s.Status,
		AssuredDate: s.AssuredDate.Format("2006-01-02"), LastModified: s.LastModified.Format(time.RFC3339)}
	o.Organization.ID, o.Organization.Name = s.ID+"-org", s.Organization
	for _, sc := range s.Schedules {
		o.Schedules = append(o.Schedules, schedule{sc.Freq, sc.ByDay, sc.OpensAt, sc.ClosesAt})
	}
	for _, l := range s.Locations {
		o.SALs = append(o.SALs, struct {
			Location location `json:"location"`
		}{location{l.Name, l.Point.Lat, l.Point.Lon}})
	}
	for _, t := range s.Taxonomy {
		var a struct {
			TaxonomyTerm struct {
				Name string `json:"name"`
			} `json:"taxonomy_term"`
		}
		a.TaxonomyTerm.Name = t
		o.Attributes = append(o.Attributes, a)
	}
	return o
}
