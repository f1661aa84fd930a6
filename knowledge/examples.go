package knowledge

import "fmt"

// Outside labels an example question the toolkit does not cover (the
// weather, a recipe, a council service such as bins): the matcher learns
// it as a class of its own, so such a question is declined, not answered
// with whichever entry shares a word with it.
const Outside = ""

// Example is a question people ask, labelled with the entry that answers
// it, or Outside. The examples train the matcher's model; they are never
// shown to anyone.
type Example struct {
	// Entry is the id of the entry that answers Text, or Outside.
	Entry string
	Text  string
}

// examples is an [[examples]] table: questions for one entry.
type examples struct {
	Entry     string   `toml:"entry"`
	Questions []string `toml:"questions"`
}

// outside is an [[outside]] table: questions on one subject the toolkit
// does not cover. Kind says whether it is a council service ("service",
// signposted to Council Connect) or not the council's at all ("outside");
// it documents the bank, as the matcher learns both as one class.
type outside struct {
	Topic     string   `toml:"topic"`
	Kind      string   `toml:"kind"`
	Questions []string `toml:"questions"`
}

// exampleAt is a bank table with where it was defined.
type exampleAt struct {
	entry     string
	questions []string
	file      string
	line      int
}

// addExamples checks the example bank and adds it to the base: every
// entry id must exist, and a question may appear once in the whole bank
// (twice under one entry is a slip; under two, the model could never
// learn it).
func (l *loader) addExamples() {
	first := map[string]string{}
	for _, at := range l.examples {
		if at.entry != Outside {
			if _, ok := l.b.byID[at.entry]; !ok {
				l.note(Problem{File: at.file, Line: at.line, Msg: fmt.Sprintf("[[examples]] entry %q points to no entry", at.entry)})
				continue
			}
		}
		for _, q := range at.questions {
			key := exampleKey(q)
			if key == "" {
				l.note(Problem{File: at.file, Line: at.line, Msg: "empty example question"})
				continue
			}
			label := labelName(at.entry)
			if prev, dup := first[key]; dup {
				l.note(Problem{File: at.file, Line: at.line, Msg: fmt.Sprintf("example %q is also given for %s", q, prev)})
				continue
			}
			first[key] = label
			l.b.Examples = append(l.b.Examples, Example{Entry: at.entry, Text: q})
		}
	}
}

// mergeExamples notes one file's bank tables.
func (l *loader) mergeExamples(name string, src *sourceText, ex []examples, out []outside) {
	for i, e := range ex {
		line := src.headerLine("examples", i)
		if e.Entry == "" {
			l.note(Problem{File: name, Line: line, Msg: "[[examples]] needs an entry id"})
			continue
		}
		l.examples = append(l.examples, exampleAt{entry: e.Entry, questions: e.Questions, file: name, line: line})
	}
	for i, o := range out {
		line := src.headerLine("outside", i)
		if o.Kind != "service" && o.Kind != "outside" {
			l.note(Problem{File: name, Line: line, Msg: fmt.Sprintf("[[outside]] kind %q: want \"service\" or \"outside\"", o.Kind)})
		}
		l.examples = append(l.examples, exampleAt{entry: Outside, questions: o.Questions, file: name, line: line})
	}
}
