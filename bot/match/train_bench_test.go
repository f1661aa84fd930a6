package match

import (
	"testing"

	"github.com/bathnes/signpost/knowledge"
)

// BenchmarkLoadAndTrain loads the embedded base, indexes it and trains its
// model, as a start or a reload of a changed base does (the cache of
// trained models bypassed).
func BenchmarkLoadAndTrain(b *testing.B) {
	for b.Loop() {
		base, err := knowledge.Embedded()
		if err != nil {
			b.Fatal(err)
		}
		exs := base.Examples
		base.Examples = nil
		ix := New(base)
		ix.model = trainModel(ix, exs, training)
	}
}
