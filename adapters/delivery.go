package adapters

import (
	"time"

	"github.com/bathnes/signpost/adapters/internal/dedup"
	"github.com/bathnes/signpost/adapters/internal/observe"
)

// Delivery is how an adapter that answers in the background (Slack,
// Discord) queues, sends and counts its answers: one struct both embed in
// their Config, so that what [serve] sets is filled once, in one place,
// for both. Zero values take the queue's defaults.
type Delivery struct {
	// Queue bounds the answers waiting to be sent; when it is full, new
	// ones are refused (a slash command is told so) and counted. 0 means
	// 1,000.
	Queue int
	// Workers bounds the answers being sent at once, so a flood queues
	// instead of opening a connection each. 0 means 16.
	Workers int
	// Grace is how long a shutdown waits for queued answers. 0 means 10 s.
	Grace time.Duration
	// Observer is told of every answer and failure, for metrics; nil
	// tells no one. It is not read from config.toml.
	Observer observe.Observer
	// Claims, when set (replicas sharing PostgreSQL), decides which
	// replica answers each request; nil decides in this process.
	Claims dedup.Claimer
}
