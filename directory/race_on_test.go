//go:build race

package directory_test

// raceDetector is on: the race detector slows the 50,000-service test
// tenfold and its verdict is on size, not on sharing, so it is skipped.
const raceDetector = true
