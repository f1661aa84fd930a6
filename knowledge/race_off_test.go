//go:build !race

package knowledge

// raceOn: the tests run under the race detector.
const raceOn = false
