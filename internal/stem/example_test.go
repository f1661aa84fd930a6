package stem_test

import (
	"fmt"

	"github.com/bathnes/signpost/internal/stem"
)

// A search finds the word it was asked for in the forms a service's
// record uses, and leaves words that only look plural alone.
func ExampleWord() {
	for _, w := range []string{"clubs", "befriending", "families", "swimming", "swim", "lunches", "classes",
		"carers", "calling", "class", "bus", "tennis", "ties", "sing", "café", "cafés", "naïve"} {
		fmt.Println(w, stem.Word(w))
	}
	// Output:
	// clubs club
	// befriending befriend
	// families family
	// swimming swim
	// swim swim
	// lunches lunch
	// classes class
	// carers carer
	// calling call
	// class class
	// bus bus
	// tennis tennis
	// ties tie
	// sing sing
	// café cafe
	// cafés cafe
	// naïve naive
}
