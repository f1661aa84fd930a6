//go:build unix

package web

import (
	"syscall"
	"time"
)

// processCPU is the CPU time the test process has used. Benchmarks report
// CPU per operation beside wall time because a shared two-core machine
// (CI, or several sessions at once) inflates wall time many times over.
func processCPU() (time.Duration, bool) {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0, false
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano()), true
}
