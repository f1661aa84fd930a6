package work

import "time"

// Observer is told what an adapter does, for metrics: answers sent, with
// their outcome and time from arrival, and failed calls to the platform.
type Observer interface {
	Answered(platform, outcome string, took time.Duration)
	Failed(platform, what string)
}

// Unobserved is an Observer that tells no one.
type Unobserved struct{}

func (Unobserved) Answered(string, string, time.Duration) {}
func (Unobserved) Failed(string, string)                  {}
