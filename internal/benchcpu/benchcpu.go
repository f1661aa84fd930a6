// Package benchcpu reports the CPU a benchmark used per operation beside
// its wall time: a shared two-core machine (CI, or several sessions at
// once) inflates wall time many times over, and CPU time is what a
// target such as "a question under 2 ms" is about.
package benchcpu

import (
	"testing"
	"time"
)

// Start notes the process's CPU time; the func it returns reports the CPU
// used since, per operation of b, in unit ("cpu-ns/op", or "cpu-s/op"
// for whole seconds). Where the system cannot say, nothing is reported.
func Start(b *testing.B) (report func(unit string)) {
	before, ok := processCPU()
	return func(unit string) {
		after, ok1 := processCPU()
		if !ok || !ok1 || b.N == 0 {
			return
		}
		per := float64(after-before) / float64(b.N)
		if unit == "cpu-s/op" {
			per /= float64(time.Second)
		}
		b.ReportMetric(per, unit)
	}
}
