// Package observe is how an adapter tells the operator's metrics what it
// does, without knowing what keeps them: cmd hands in ops' metrics, tests
// hand in nothing.
package observe

import (
	"time"

	"github.com/bathnes/signpost/bot"
)

// Observer is told what an adapter does, for metrics: answers sent, with
// their outcome and time from arrival, and failed calls to the platform.
type Observer interface {
	Answered(platform string, outcome bot.Outcome, took time.Duration)
	Failed(platform, what string)
}

// Unobserved is an Observer that tells no one.
type Unobserved struct{}

var _ Observer = Unobserved{}

func (Unobserved) Answered(string, bot.Outcome, time.Duration) {}
func (Unobserved) Failed(string, string)                       {}

// Default is o, or Unobserved when o is nil.
func Default(o Observer) Observer {
	if o == nil {
		return Unobserved{}
	}
	return o
}
