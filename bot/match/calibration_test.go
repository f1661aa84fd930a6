package match

import (
	"fmt"
	"math"
	"slices"
	"strings"
	"testing"

	"github.com/bathnes/signpost/knowledge"
)

// TestConfidenceIsCalibrated: on the third of the example bank kept aside
// (never trained or tuned on), the confidence signpost gives its first
// entry is the share of first entries that are right, bin by bin. The
// calibration was fitted on out-of-fold predictions over the bank, so this
// is the check that it holds for questions the model has not seen.
func TestConfidenceIsCalibrated(t *testing.T) {
	base, err := knowledge.Embedded()
	if err != nil {
		t.Fatal(err)
	}
	ix := New(base)
	const bins = 5
	var n [bins]int
	var said, right [bins]float64
	var ece float64
	total := 0
	for _, l := range ownSet(t, "../../testdata/own/aside.toml") {
		d := ix.Decide(l.q, 5)
		if d.Verdict == Empty || d.Verdict == Service || d.Verdict == Outside || len(d.Matches) == 0 {
			continue // no probability was given: the index's verdict stood
		}
		b := min(bins-1, int(d.Confidence*bins))
		n[b]++
		said[b] += d.Confidence
		if slices.Contains(l.expect, d.Matches[0].Entry.ID) {
			right[b]++
		}
		total++
	}
	var report strings.Builder
	for b := range bins {
		if n[b] == 0 {
			continue
		}
		p, o := said[b]/float64(n[b]), right[b]/float64(n[b])
		fmt.Fprintf(&report, "\n  %.1f-%.1f: %4d questions, said %.2f, right %.2f", float64(b)/bins, float64(b+1)/bins, n[b], p, o)
		ece += float64(n[b]) / float64(total) * math.Abs(p-o)
		if n[b] >= 40 && math.Abs(p-o) > 0.15 {
			t.Errorf("confidence %.1f-%.1f: said %.2f, right %.2f of %d", float64(b)/bins, float64(b+1)/bins, p, o, n[b])
		}
	}
	t.Logf("calibration on the aside third (expected calibration error %.3f):%s", ece, report.String())
	if ece > 0.08 {
		t.Errorf("expected calibration error %.3f; want at most 0.08:%s", ece, report.String())
	}
}
