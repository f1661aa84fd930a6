package bot

// Outcome is what a person was shown, in one word. It is the one
// vocabulary of `ask --json`, the journal, the stats, the desk's API and
// the metrics.
type Outcome string

const (
	// OutcomeAnswer: one entry, stated as the answer.
	OutcomeAnswer Outcome = "answer"
	// OutcomeClarify: a short choice of two or three entries, none stated
	// as the answer.
	OutcomeClarify Outcome = "clarify"
	// OutcomeUnsure: signpost declined to guess, and signposted Council
	// Connect.
	OutcomeUnsure Outcome = "unsure"
	// OutcomeOutside: not a council matter at all.
	OutcomeOutside Outcome = "outside"
	// OutcomeService: a general council service, signposted to Council
	// Connect.
	OutcomeService Outcome = "service"
	// OutcomeEmpty: the message had nothing to read.
	OutcomeEmpty Outcome = "empty"
	// OutcomeOther: help, a list, a note or the funding finder.
	OutcomeOther Outcome = "other"
	// OutcomeLocal: services from the local services directory, where
	// the toolkit stated no answer. (Services listed after a toolkit
	// answer leave it an answer.)
	OutcomeLocal Outcome = "local"
)

// Outcomes are every Outcome, in the order figures list them.
var Outcomes = []Outcome{OutcomeAnswer, OutcomeClarify, OutcomeUnsure, OutcomeOutside, OutcomeService, OutcomeEmpty, OutcomeOther, OutcomeLocal}

// Answered says whether signpost answered: with an entry, a choice of
// entries, what was asked for (help, a list, the finder), or services
// from the directory. A council service sent to Council Connect, "not
// sure", "not something I cover" and an empty message are declined. Every count of answered questions
// (`ask --json`, stats, the desk, metrics) uses this one definition.
func (o Outcome) Answered() bool {
	switch o {
	case OutcomeAnswer, OutcomeClarify, OutcomeOther, OutcomeLocal, outcomeMatched:
		return true
	}
	return false
}

// outcomeMatched is what journals before the outcome vocabulary called
// an answer; read as OutcomeAnswer.
const outcomeMatched Outcome = "matched"

// Normal reads an outcome as kept, older names included.
func (o Outcome) Normal() Outcome {
	if o == outcomeMatched {
		return OutcomeAnswer
	}
	return o
}

// Outcome says what an answer showed.
func (a Answer) Outcome() Outcome {
	switch a.Kind {
	case Matched:
		return OutcomeAnswer
	case Clarify:
		return OutcomeClarify
	case Unsure:
		return OutcomeUnsure
	case Service:
		return OutcomeService
	case Outside:
		return OutcomeOutside
	case Empty:
		return OutcomeEmpty
	case Local:
		return OutcomeLocal
	}
	return OutcomeOther
}

// Answered reports whether the bot answered rather than declined.
func (a Answer) Answered() bool { return a.Outcome().Answered() }
