//go:build !race

package directory_test

const raceDetector = false
