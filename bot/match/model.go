package match

import (
	"math"
	"math/rand/v2"

	"github.com/bathnes/signpost/knowledge"
)

// model is a multinomial logistic regression trained on the example bank:
// many questions per entry, in the ways people ask, and a bank of
// questions the toolkit does not cover as a class of its own. The index
// knows what each entry says about itself; the model knows how people ask
// for it, and what they ask that is nobody's entry. Both are read from the
// same analysed words (stems, corrected typos, concepts), so the model
// learns from the index's reading of a question, not from raw spelling.
//
// It is written here rather than taken from a library: training is eighty
// lines of stochastic gradient descent on sparse rows, deterministic (a
// fixed seed), and a library would bring dense matrices we do not need.
type model struct {
	set settings
	// feats maps a feature to its row of weights.
	feats map[string]int32
	// w holds a row of classes weights per feature; bias a weight per
	// class. Class i < len(entries) is entry i; the last is Outside.
	w       []float32
	bias    []float32
	classes int
}

// Training settings, chosen by five-fold cross-validation on the bank
// (see TestTuneModel): more epochs or less decay overfit the
// bank's phrasings.
var training = settings{epochs: 10, rate: 3, decay: 1e-4, char: 0.6, negated: 0.5, grams: []int{4}}

// settings are the model's training settings.
type settings struct {
	epochs      int
	rate, decay float64
	// char scales a word's character n-grams against its stem: they
	// carry spelling ("libary", "neighbour hood") where the stem does
	// not, and weigh less for it. grams are the n-grams' lengths.
	char  float64
	grams []int
	// negated scales what a question says it is not about.
	negated float64
}

// feature is one active feature of a question and its value.
type feature struct {
	row int32
	v   float32
}

// featureNames reads a question into named features with values: its
// terms as the index reads them, the pairs of adjacent terms, the
// character 4-grams of its longer words, and, marked apart, the terms it
// says it is not about. The values are scaled to unit length, so a long
// letter and a four-word note weigh alike.
func (ix *Matcher) featureNames(r reading, set settings, visit func(name string, v float64)) {
	kept, negated, q := r.kept, r.negated, r.q
	type kv struct {
		k string
		v float64
	}
	var fs []kv
	seen := map[string]int{}
	add := func(k string, v float64) {
		if i, ok := seen[k]; ok {
			fs[i].v = max(fs[i].v, v)
			return
		}
		seen[k] = len(fs)
		fs = append(fs, kv{k, v})
	}
	// A place says where, not what: people name their place whatever
	// they ask ("who runs PACT in Radstock"), while the bank's questions
	// about a place's own entry (Big Local in Radstock) name it often.
	// Places weigh as the index weighs them, and are not spelt out.
	for i, t := range q {
		w := t.w
		if ix.places[t.stem] {
			w *= placeWeight
		}
		add("w:"+t.stem, w)
		if i > 0 && t.join && !ix.places[t.stem] && !ix.places[q[i-1].stem] {
			add("b:"+q[i-1].stem+"_"+t.stem, min(t.w, q[i-1].w))
		}
	}
	// The words as written, stemmed but not corrected: the index
	// corrects a word it does not know to one it does ("boozer"), and
	// the bank teaches words no entry uses. Each word is read once,
	// however often a long message repeats it.
	done := map[string]bool{}
	for _, w := range words(kept) {
		if done[w] {
			continue
		}
		done[w] = true
		if syn := ix.an.synonymOf(w); syn != "" && !ix.an.stop[syn] {
			if st := ix.an.stem(syn); !ix.places[st] {
				add("r:"+st, 1)
			}
		}
		if len(w) < 4 || len(w) > 30 || ix.an.stop[w] || ix.places[ix.an.stem(w)] {
			continue
		}
		g := "^" + w + "$"
		for _, n := range set.grams {
			for i := 0; i+n <= len(g); i++ {
				add("c:"+g[i:i+n], set.char)
			}
		}
	}
	if negated != "" {
		for _, t := range ix.an.terms(negated) {
			add("n:"+t.stem, set.negated)
		}
	}
	var norm float64
	for _, f := range fs {
		norm += f.v * f.v
	}
	if norm == 0 {
		return
	}
	norm = 1 / math.Sqrt(norm)
	for _, f := range fs {
		visit(f.k, f.v*norm)
	}
}

// features are a question's features that the model knows.
func (m *model) features(ix *Matcher, r reading) []feature {
	var out []feature
	ix.featureNames(r, m.set, func(name string, v float64) {
		if r, ok := m.feats[name]; ok {
			out = append(out, feature{r, float32(v)})
		}
	})
	return out
}

// classOf is the model's class for an example's label.
func classOf(ix *Matcher, label string) (int, bool) {
	if label == knowledge.Outside {
		return len(ix.base.Entries), true
	}
	e, ok := ix.base.Entry(label)
	if !ok {
		return 0, false
	}
	return ix.pos[e], true
}

// trainModel trains a model on examples, read by ix. Each entry's own
// names (title, aliases, phrasings) are examples too, so an entry with a
// thin bank is still known by name.
func trainModel(ix *Matcher, exs []knowledge.Example, set settings) *model {
	m := &model{set: set, feats: map[string]int32{}, classes: len(ix.base.Entries) + 1}
	var rows [][]feature
	var labels []int
	addRow := func(text string, class int) {
		var row []feature
		ix.featureNames(ix.reading(text), set, func(name string, v float64) {
			r, ok := m.feats[name]
			if !ok {
				r = int32(len(m.feats))
				m.feats[name] = r
			}
			row = append(row, feature{r, float32(v)})
		})
		if len(row) > 0 {
			rows = append(rows, row)
			labels = append(labels, class)
		}
	}
	for i, e := range ix.base.Entries {
		addRow(shortTitle(e.Title), i)
		for _, a := range e.Aliases {
			addRow(a, i)
		}
		for _, p := range e.Phrasings {
			addRow(p, i)
		}
	}
	for _, ex := range exs {
		if c, ok := classOf(ix, ex.Entry); ok {
			addRow(ex.Text, c)
		}
	}
	m.w = make([]float32, len(m.feats)*m.classes)
	m.bias = make([]float32, m.classes)
	m.fit(rows, labels)
	return m
}

// fit runs stochastic gradient descent on the softmax loss, rows in a
// shuffled order that is the same every time, so a base always trains to
// the same model.
func (m *model) fit(rows [][]feature, labels []int) {
	order := make([]int, len(rows))
	for i := range order {
		order[i] = i
	}
	rng := rand.New(rand.NewPCG(1, 2))
	p := make([]float32, m.classes)
	step := 0
	for epoch := 0; epoch < m.set.epochs; epoch++ {
		rng.Shuffle(len(order), func(i, j int) { order[i], order[j] = order[j], order[i] })
		for _, i := range order {
			rate := float32(m.set.rate / (1 + float64(step)/float64(len(rows))))
			step++
			m.probs(rows[i], p)
			p[labels[i]]--
			keep := 1 - rate*float32(m.set.decay)
			for _, f := range rows[i] {
				w := m.w[int(f.row)*m.classes : int(f.row+1)*m.classes]
				g := rate * f.v
				for c := range w {
					w[c] = w[c]*keep - g*p[c]
				}
			}
			for c := range m.bias {
				m.bias[c] -= rate * p[c]
			}
		}
	}
}

// probs fills p with the model's probability of each class for a row.
func (m *model) probs(row []feature, p []float32) {
	copy(p, m.bias)
	for _, f := range row {
		w := m.w[int(f.row)*m.classes : int(f.row+1)*m.classes]
		for c, x := range w {
			p[c] += f.v * x
		}
	}
	top := p[0]
	for _, x := range p {
		top = max(top, x)
	}
	var sum float32
	for c, x := range p {
		p[c] = float32(math.Exp(float64(x - top)))
		sum += p[c]
	}
	for c := range p {
		p[c] /= sum
	}
}

// predict is the model's probability for each entry of the base (by
// index) and, last, for a question the toolkit does not cover. Without a
// model every entry is equally likely.
func (ix *Matcher) predict(r reading) []float32 {
	p := make([]float32, len(ix.base.Entries)+1)
	if ix.model == nil {
		for i := range p {
			p[i] = 1 / float32(len(p))
		}
		return p
	}
	ix.model.probs(ix.model.features(ix, r), p)
	return p
}
