//go:build !unix

package directory_test

import "time"

func processCPU() (time.Duration, bool) { return 0, false }
