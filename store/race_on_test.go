//go:build race

package store

// raceOn: the tests run under the race detector.
const raceOn = true
