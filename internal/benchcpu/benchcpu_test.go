package benchcpu

import "testing"

// BenchmarkSpin reports a CPU time per operation near its wall time: the
// work is all on the CPU.
func BenchmarkSpin(b *testing.B) {
	report := Start(b)
	x := 0
	for b.Loop() {
		for i := range 100000 {
			x += i
		}
	}
	report("cpu-ns/op")
	_ = x
}

func TestProcessCPUIsReadHere(t *testing.T) {
	if d, ok := processCPU(); !ok || d <= 0 {
		t.Errorf("processCPU = %v, %v; want the time this test has used", d, ok)
	}
}
