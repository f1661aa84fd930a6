package knowledge

import (
	"fmt"
	"io/fs"
	"os"
	"slices"
	"sort"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/BurntSushi/toml"
)

// mutation is one false edit of the shipped base (testdata/mutations).
type mutation struct {
	Rule    Rule   `toml:"rule"`
	Class   string `toml:"class"`
	Find    string `toml:"find"`
	Replace string `toml:"replace"`
}

// seedsFS is the documents beside the repository; the test is skipped
// without them, except in CI.
func seedsFS(t *testing.T) fs.FS {
	t.Helper()
	docs := "../../shared/seeds"
	if !dirExists(docs) {
		if strings.EqualFold(getenv("CI"), "true") {
			t.Fatalf("%s is missing: CI must check every citation", docs)
		}
		t.Skipf("%s is not beside the repository", docs)
	}
	return os.DirFS(docs)
}

// shippedKB is the knowledge base's files but the example bank, to
// mutate in memory.
func shippedKB(t *testing.T) fstest.MapFS {
	t.Helper()
	out := fstest.MapFS{}
	names, err := fs.Glob(embedded, "kb/*.toml")
	if err != nil {
		t.Fatal(err)
	}
	for _, n := range names {
		// The example bank trains the matcher and holds no claim: a
		// false edit never touches it, and leaving it out makes each
		// load quick.
		if strings.HasPrefix(n, "kb/examples_") {
			continue
		}
		data, err := fs.ReadFile(embedded, n)
		if err != nil {
			t.Fatal(err)
		}
		out[strings.TrimPrefix(n, "kb/")] = &fstest.MapFile{Data: data}
	}
	return out
}

func readMutations(t *testing.T, name string) []mutation {
	t.Helper()
	var f struct {
		Mutation []mutation `toml:"mutation"`
	}
	md, err := toml.DecodeFile("testdata/mutations/"+name, &f)
	if err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	if u := md.Undecoded(); len(u) > 0 {
		t.Fatalf("%s: unknown keys %v", name, u)
	}
	for i, m := range f.Mutation {
		if !slices.Contains(Rules, m.Rule) || m.Find == "" || m.Find == m.Replace {
			t.Fatalf("%s: mutation %d (%s): want a known rule and a find that the replace changes", name, i+1, m.Class)
		}
	}
	return f.Mutation
}

// mutate applies one false edit to the one entry file that holds its find
// text once.
func mutate(kb fstest.MapFS, m mutation) (fstest.MapFS, error) {
	out := fstest.MapFS{}
	hits := 0
	for name, f := range kb {
		data := string(f.Data)
		if n := strings.Count(data, m.Find); n > 0 {
			hits += n
			data = strings.Replace(data, m.Find, m.Replace, 1)
		}
		out[name] = &fstest.MapFile{Data: []byte(data)}
	}
	if hits != 1 {
		return nil, fmt.Errorf("find text occurs %d times in the base; want once", hits)
	}
	return out, nil
}

// caught runs the check on a mutated base: the rules whose problems it
// found.
func caught(t *testing.T, kb fstest.MapFS, ck *Checker, m mutation) ([]Rule, []string, error) {
	t.Helper()
	mut, err := mutate(kb, m)
	if err != nil {
		return nil, nil, err
	}
	b, err := Load(mut)
	if err != nil {
		// A false edit the loader refuses is caught too: say so by
		// its problems.
		return []Rule{"load"}, []string{err.Error()}, nil
	}
	probs, _ := ck.Check(b)
	var rules []Rule
	var msgs []string
	for _, p := range probs {
		if !slices.Contains(rules, p.Rule) {
			rules = append(rules, p.Rule)
		}
		msgs = append(msgs, p.Error())
	}
	return rules, msgs, nil
}

// tally counts, per rule, the mutations caught by that rule and by any.
type tally struct{ n, byRule, byAny int }

func runMutations(t *testing.T, name string, strict bool) map[Rule]*tally {
	if raceOn {
		// One goroutine loads and checks a base per false edit: the
		// race detector finds nothing here and makes it ten times
		// slower. The plain run checks every edit.
		t.Skip("the mutation corpus runs without -race")
	}
	ck := NewChecker(seedsFS(t))
	kb := shippedKB(t)
	counts := map[Rule]*tally{}
	for _, m := range readMutations(t, name) {
		c := counts[m.Rule]
		if c == nil {
			c = &tally{}
			counts[m.Rule] = c
		}
		c.n++
		rules, msgs, err := caught(t, kb, ck, m)
		if err != nil {
			t.Errorf("%s: %s (%s): %v", name, m.Rule, m.Class, err)
			continue
		}
		if len(rules) > 0 {
			c.byAny++
		}
		if slices.Contains(rules, m.Rule) {
			c.byRule++
			continue
		}
		report := t.Logf
		if strict {
			report = t.Errorf
		}
		report("%s: %s (%s) not caught by its rule; problems: %q", name, m.Rule, m.Class, msgs)
	}
	return counts
}

func logTally(t *testing.T, name string, counts map[Rule]*tally) (int, int, int) {
	var rules []string
	for r := range counts {
		rules = append(rules, string(r))
	}
	sort.Strings(rules)
	var n, byRule, byAny int
	for _, r := range rules {
		c := counts[Rule(r)]
		t.Logf("%s: %-10s %d/%d caught by the rule, %d/%d by any", name, r, c.byRule, c.n, c.byAny, c.n)
		n, byRule, byAny = n+c.n, byRule+c.byRule, byAny+c.byAny
	}
	t.Logf("%s: all        %d/%d caught by their rule, %d/%d by any", name, byRule, n, byAny, n)
	return n, byRule, byAny
}

// TestMutationsTune: every false edit of the tuning set is caught by the
// rule it tests, and the claims it edits pass unmutated (the shipped base
// is clean: TestEmbeddedClaimsAreAllCited).
func TestMutationsTune(t *testing.T) {
	counts := runMutations(t, "tune.toml", true)
	logTally(t, "tune", counts)
	for _, r := range Rules {
		if c := counts[r]; c == nil || c.n < 3 {
			t.Errorf("rule %s has fewer than three mutations in tune.toml", r)
		}
	}
}

// TestMutationsHeldBack reports the catch rate on the held-back third,
// which no rule was adjusted to; the issue asks for 15 in 17 of a set held
// back from us, so the same share is asked of ours.
func TestMutationsHeldBack(t *testing.T) {
	n, _, byAny := logTally(t, "holdout", runMutations(t, "holdout.toml", false))
	if float64(byAny) < 15.0/17.0*float64(n) {
		t.Errorf("held-back false edits caught: %d of %d; want at least 15 in 17", byAny, n)
	}
}

// TestCheckerReusedAgreesWithFresh: a Checker that has checked other
// bases finds on a base what a fresh check finds, so the corpus's shared
// Checker tests what `kb check --sources` does.
func TestCheckerReusedAgreesWithFresh(t *testing.T) {
	if raceOn {
		t.Skip("one goroutine: runs without -race")
	}
	docs := seedsFS(t)
	kb := shippedKB(t)
	shared := NewChecker(docs)
	for i, m := range readMutations(t, "tune.toml") {
		if i%6 != 0 {
			continue // a sample keeps it quick
		}
		mut, err := mutate(kb, m)
		if err != nil {
			t.Fatal(err)
		}
		b, err := Load(mut)
		if err != nil {
			continue
		}
		got, n := shared.Check(b)
		want, wn := b.CheckSources(docs)
		if got.Error() != want.Error() || n != wn {
			t.Errorf("%s (%s): reused Checker found %v (%d claims); a fresh one %v (%d)", m.Rule, m.Class, got, n, want, wn)
		}
	}
}
