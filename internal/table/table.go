// Package table runs the commonest table test: a function of one value,
// and what each value should give. Only tests import it.
package table

import "testing"

// Check reports each input for which f does not give its want, as the
// call (name and input), what it gave and what was wanted. The cases are
// a map, so an input written twice does not compile; they run in no
// particular order, so no case may lean on another.
func Check[In, Out comparable](t testing.TB, name string, f func(In) Out, cases map[In]Out) {
	t.Helper()
	for in, want := range cases {
		if got := f(in); got != want {
			t.Errorf("%s(%#v) = %#v; want %#v", name, in, got, want)
		}
	}
}
