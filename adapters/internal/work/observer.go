package work

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

func (Unobserved) Answered(string, bot.Outcome, time.Duration) {}
func (Unobserved) Failed(string, string)                       {}

// Defaults fills what an adapter's configuration leaves unset: a queue of
// 1,000 answers, a grace of 10 s, and an observer that tells no one.
func Defaults(queue, workers *int, grace *time.Duration, obs *Observer) {
	if *queue <= 0 {
		*queue = 1000
	}
	if *workers <= 0 {
		*workers = 16
	}
	if *grace <= 0 {
		*grace = 10 * time.Second
	}
	if *obs == nil {
		*obs = Unobserved{}
	}
}
