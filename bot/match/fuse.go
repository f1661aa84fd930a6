package match

import (
	"math"
	"slices"
)

// policy is how the index and the model are joined, and what the joint
// confidence must be to answer or to offer a choice.
type policy struct {
	// share is the model's share of an entry's fused score; the index's
	// confidence in the entry has the rest.
	share float64
	// answer: a first entry whose calibrated probability of being right
	// is at least this is stated as the answer.
	answer float64
	// clarify: below answer, a question whose calibrated probability of
	// having a right entry among the first two or three is at least this
	// is offered them to choose from.
	clarify float64
	// outside: a question the model reads as outside the toolkit with at
	// least this probability is declined, never offered a choice.
	outside float64
	// service: a question the index reads as a council service is
	// answered with an entry only when the first entry's probability of
	// being right is at least this.
	service float64
	// cal are the weights of the logistic regression (Platt scaling over
	// several signals) that turns a fused ranking into the probability
	// that its first entry is right: a bias, then one for each signal.
	cal [1 + signalCount]float64
	// among are the weights of the probability that a right entry is
	// among the options a choice would offer.
	among [1 + signalCount]float64
}

// decidePolicy was set by TestTuneFusion on out-of-fold predictions over
// the example bank and on the project's own tune sets, never on an
// evaluation set; the third of the bank kept aside (testdata/own/aside.toml)
// and the holdout sets measure it.
var decidePolicy = policy{share: 0.7, answer: 0.7, clarify: 0.6, outside: 0.5, service: 0.95,
	cal:   [...]float64{-0.4793329313985828, -0.39475634117185543, 0.1385680501441185, 5.315979145781871, -3.631457052769813, -0.15242208684872385, 0.43988446685692945, -0.6649987580623478},
	among: [...]float64{-0.6254939625281097, 5.086854048324604, 2.1457596976383164, -2.725276222404139, -3.773434928328884, 0.07486374024304934, 0.356862547457523, -0.8574462542296706}}

// optionShare: a third entry joins a choice when its fused score is at
// least this share of the first's.
const optionShare = 0.5

// depth is how many of the index's matches are read for fusion.
const depth = 12

// signals are what the calibration reads of a fused ranking.
type signals struct {
	model, index, margin, outside float64
	indexAgrees, modelAgrees      bool
	// service says the index read the question as a council service or
	// a subject outside the toolkit.
	service bool
}

const signalCount = 7

func (s signals) vector() [signalCount]float64 {
	return [...]float64{s.model, s.index, s.margin, s.outside, b2f(s.indexAgrees), b2f(s.modelAgrees), b2f(s.service)}
}

func b2f(b bool) float64 {
	if b {
		return 1
	}
	return 0
}

// probability is the calibrated probability that the first entry is right.
func (s signals) probability(w [1 + signalCount]float64) float64 {
	z := w[0]
	for i, x := range s.vector() {
		z += w[i+1] * x
	}
	return 1 / (1 + math.Exp(-z))
}

// fused is a fused ranking and the signals behind its first entry.
type fused struct {
	matches []Match
	sig     signals
}

// fuse ranks the entries by the model's probability p and the index's
// confidence (its decision d) together, the model having share of it.
func (ix *Matcher) fuse(d Decision, p []float32, share float64) fused {
	n := len(ix.base.Entries)
	index := make([]float64, n)
	found := make([]Match, n)
	for _, m := range d.Matches {
		i := ix.pos[m.Entry]
		c := Confidence(m)
		if m.Lone {
			c /= 2
		}
		index[i], found[i] = c, m
	}
	type scored struct {
		i int
		s float64
	}
	all := make([]scored, 0, n)
	modelTop := 0
	for i := 0; i < n; i++ {
		if p[i] > p[modelTop] {
			modelTop = i
		}
		if s := share*float64(p[i]) + (1-share)*index[i]; s > 0 {
			all = append(all, scored{i, s})
		}
	}
	slices.SortFunc(all, func(a, b scored) int {
		if a.s != b.s {
			if a.s > b.s {
				return -1
			}
			return 1
		}
		return a.i - b.i
	})
	f := fused{sig: signals{outside: float64(p[n]), service: d.Verdict == Service || d.Verdict == Outside}}
	for _, sc := range all {
		m := found[sc.i]
		m.Entry = ix.base.Entries[sc.i]
		m.Score = sc.s
		f.matches = append(f.matches, m)
	}
	if len(all) == 0 {
		return f
	}
	top := all[0].i
	f.sig.model, f.sig.index, f.sig.margin = float64(p[top]), index[top], all[0].s
	f.sig.modelAgrees = modelTop == top
	if len(all) > 1 {
		f.sig.margin = all[0].s - all[1].s
	}
	f.sig.indexAgrees = len(d.Matches) > 0 && d.Verdict == Answer && d.Matches[0].Entry == ix.base.Entries[top]
	return f
}

// Decide ranks the entries for text, at most limit, and says what to do:
// answer with the first, offer a choice, or decline. The index and the
// model each rank the entries; their fused ranking's first entry is
// stated as the answer only when its calibrated probability of being
// right is high. A council service or a subject the index knows to be
// outside is declined unless the fused ranking is that sure of an entry;
// a question the model reads as outside the toolkit is declined, never
// offered a choice.
func (ix *Matcher) Decide(text string, limit int) Decision {
	r := ix.reading(text)
	d := ix.decideIndex(r, max(limit, depth))
	if d.Verdict != Empty && !d.always && ix.model != nil {
		d = ix.decide(d, ix.predict(r), decidePolicy)
	}
	d.Matches = d.Matches[:min(limit, len(d.Matches))]
	return d
}

// Lookup ranks the entries for text by the index alone, at most limit:
// what the entries say of themselves, which is what type-ahead wants of a
// half-typed phrase ("village ag"), where the model would lean to
// whatever its few letters resemble.
func (ix *Matcher) Lookup(text string, limit int) []Match {
	d := ix.decideIndex(ix.reading(text), limit)
	return d.Matches
}

// decide is Decide's verdict on the index's decision d and the model's
// prediction p, under a policy.
func (ix *Matcher) decide(d Decision, p []float32, pol policy) Decision {
	f := ix.fuse(d, p, pol.share)
	d.Matches, d.Options, d.Outside = f.matches, nil, f.sig.outside
	d.Confidence = 0
	if len(f.matches) == 0 {
		if !f.sig.service {
			d.Verdict = Unsure
		}
		return d
	}
	d.Confidence = f.sig.probability(pol.cal)
	switch {
	case d.Confidence >= pol.answer && (!f.sig.service || d.Confidence >= pol.service):
		d.Verdict, d.Service = Answer, nil
	case f.sig.service:
		// The index's service or outside verdict stands: a council
		// service is signposted, never offered as a choice of tools.
	case f.sig.outside >= pol.outside || f.sig.probability(pol.among) < pol.clarify || len(options(f.matches)) < 2:
		d.Verdict = Unsure
	default:
		d.Verdict, d.Options = Clarify, options(f.matches)
	}
	return d
}

// options are the entries a choice offers: the first two, and a third
// near enough the first.
func options(ms []Match) []Match {
	out := ms[:min(2, len(ms))]
	if len(ms) > 2 && ms[2].Score >= optionShare*ms[0].Score {
		out = ms[:3]
	}
	return out
}
