package match

import "github.com/bathnes/signpost/knowledge"

// Verdict is what signpost should do with a question.
type Verdict int

const (
	// Answer: the first match answers the question.
	Answer Verdict = iota
	// Unsure: nothing matched well enough; the matches are guesses.
	Unsure
	// Service: a general council service, signposted to Council Connect.
	Service
	// Outside: a subject signpost does not cover at all.
	Outside
	// Empty: the question had nothing to read.
	Empty
	// Clarify: two or three entries may answer it, and none surely
	// enough to be stated as the answer: the asker is offered a choice.
	Clarify
)

// Decision is a question's verdict and the ranking behind it.
type Decision struct {
	Verdict Verdict
	// Matches are the ranked entries the verdict rests on, best first.
	Matches []Match
	// Confidence is the first match's, from 0 to 1.
	Confidence float64
	// Service is the service or subject of a Service or Outside verdict.
	Service *knowledge.Service
	// Options are the entries a Clarify verdict offers, best first.
	Options []Match
	// Outside is the model's probability that the question is outside
	// the toolkit.
	Outside float64
	// always says the question used a service's phrase that no toolkit
	// question uses ("my boiler is broken"): its verdict stands.
	always bool
}

// Decline calibration, from the project's own tune set: an answer needs
// the top entry to cover enough of the question, or to score well in
// absolute terms; and a near-tie between the top two at modest confidence
// is called a tie rather than guessed.
const (
	minConfidence = 0.25
	tieRatio      = 0.99
	tieConfidence = 0.35
	// serviceOverride: a question naming a council service ("bin day") is
	// signposted to Council Connect unless, without the service's words,
	// an entry still matches it this confidently, as "salt bins for snow
	// wardens" or "can we take over the swimming pool" would.
	serviceOverride = 0.5
	// serviceOverrideSure: less is needed without the service's words
	// when the whole question matches the same entry this surely: the
	// service's words were part of the tool's subject ("secondary school
	// pupils" for the Pupil Parliament).
	serviceOverrideSure = 0.4
	sureConfidence      = 0.7
)

// decideIndex is the index's own verdict: the ranking by what entries say
// of themselves, with council services and outside subjects told apart by
// their phrases.
func (ix *Matcher) decideIndex(r reading, limit int) Decision {
	res := ix.search(r, limit)
	if res.Terms == 0 {
		return Decision{Verdict: Empty}
	}
	d := Decision{Matches: res.Matches, always: res.always}
	if res.Service != nil {
		// A question naming a council service is signposted to Council
		// Connect, unless without the service's words it still matches a
		// tool squarely ("can we take over the swimming pool").
		rest, all := res.Rest, res.Matches
		if len(rest) > 0 && (!rest[0].Lone && Confidence(rest[0]) >= serviceOverride ||
			Confidence(rest[0]) >= serviceOverrideSure && len(all) > 0 && !all[0].Lone &&
				all[0].Entry == rest[0].Entry && Confidence(all[0]) >= sureConfidence) {
			d.Matches = res.Rest
		} else {
			d.Verdict, d.Service = Service, res.Service
			if res.Service.Outside {
				d.Verdict = Outside
			}
		}
	}
	m := d.Matches
	if len(m) > 0 {
		d.Confidence = Confidence(m[0])
	}
	switch {
	case d.Service != nil:
	case len(m) == 0 || d.Confidence < minConfidence || m[0].Lone:
		d.Verdict = Unsure
	case len(m) > 1 && m[1].Score >= tieRatio*m[0].Score && d.Confidence < tieConfidence:
		d.Verdict = Unsure
	}
	return d
}

// Confidence maps a match to 0..1: the share of the question it covers,
// lifted by how strongly it matched (a long question may cover little of
// its words yet match one entry's aliases squarely).
func Confidence(m Match) float64 {
	strength := m.Score / (m.Score + 12)
	return min(1, 0.6*m.Coverage+0.6*strength)
}
