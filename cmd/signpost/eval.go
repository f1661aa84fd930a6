package main

import (
	"context"
	"fmt"
	"maps"
	"os"
	"slices"
	"strconv"
	"strings"

	"github.com/BurntSushi/toml"

	"github.com/bathnes/signpost/bot"
)

// evalCase is one labelled question, in the format of shared/eval/dev.toml.
type evalCase struct {
	Q      string   `toml:"q"`
	Expect []string `toml:"expect"`
	Who    string   `toml:"who"`
	Note   string   `toml:"note"`
	// Style groups the figures: chat, staff, long, learner, needs, outside.
	Style string `toml:"style"`
}

// Scores are the figures `signpost eval` reports, defined as score.py does.
type Scores struct {
	Cases int
	// In and Out count the in-scope and out-of-scope cases.
	In, Out      int
	Top1, Top3   float64
	MRR          float64
	Decline      float64
	FalseDecline float64
	// Wrong is the share of all cases where a person was told a wrong
	// thing as the answer: in scope and answered with a wrong entry, or
	// out of scope and answered or offered a choice.
	Wrong float64
	// Clarify is the share of cases offered a choice; ClarifyRight the
	// share of in-scope choices holding a right entry.
	Clarify, ClarifyRight float64
	// Stated is the share of in-scope cases answered with a right entry
	// stated as the answer (not a choice).
	Stated float64
}

func (e env) eval(ctx context.Context, args []string, misses bool, gate string) int {
	if len(args) != 1 {
		fmt.Fprintln(e.stderr, "signpost eval: give one question set, e.g. signpost eval testdata/regression.toml")
		return 2
	}
	var set struct {
		Case []evalCase `toml:"case"`
	}
	data, err := os.ReadFile(args[0])
	if err == nil {
		_, err = toml.Decode(string(data), &set)
	}
	if err != nil {
		fmt.Fprintf(e.stderr, "signpost eval: %v\n", err)
		return 1
	}
	b, ok := e.bot()
	if !ok {
		return 1
	}
	for _, c := range set.Case {
		for _, id := range c.Expect {
			if _, ok := b.Base().Entry(id); !ok {
				fmt.Fprintf(e.stderr, "signpost eval: case %q expects unknown id %q\n", c.Q, id)
				return 1
			}
		}
	}
	s, byStyle, missed, err := score(ctx, b, set.Case)
	if err != nil {
		fmt.Fprintln(e.stderr, "signpost eval:", err)
		return 1
	}
	if misses {
		for _, m := range missed {
			fmt.Fprintln(e.stdout, m)
		}
	}
	for _, st := range slices.Sorted(maps.Keys(byStyle)) {
		fmt.Fprintf(e.stdout, "%-8s %s\n", st, byStyle[st])
	}
	fmt.Fprintln(e.stdout, s)
	if gate != "" {
		failed, err := s.below(gate)
		if err != nil {
			fmt.Fprintln(e.stderr, "signpost eval:", err)
			return 2
		}
		if len(failed) > 0 {
			fmt.Fprintf(e.stdout, "gate failed: %s\n", strings.Join(failed, ", "))
			return 1
		}
	}
	return 0
}

// outcome is how one case went.
type outcome struct {
	style             string
	inScope, answered bool
	top1, top3        bool
	rr                float64
	declined          bool // out of scope and declined or signposted
	wrong, clarify    bool
	clarifyRight      bool
	stated            bool
}

// score runs every case and reports the figures, the figures for each
// style (when the set names styles), and one line per miss.
func score(ctx context.Context, b *bot.Bot, cases []evalCase) (Scores, map[string]Scores, []string, error) {
	var misses []string
	var outs []outcome
	for _, c := range cases {
		a, err := b.Answer(ctx, bot.Question{Text: c.Q})
		if err != nil {
			return Scores{}, nil, nil, err
		}
		var ids []string
		for _, r := range a.Results {
			ids = append(ids, r.ID)
		}
		got := ids[:min(3, len(ids))]
		flag := ""
		if !a.Answered() {
			flag = " (declined)"
		}
		o := outcome{style: c.Style, inScope: len(c.Expect) > 0, answered: a.Answered()}
		switch a.Outcome() {
		case bot.OutcomeClarify:
			o.clarify = true
			o.wrong = !o.inScope
			o.clarifyRight = o.inScope && slices.ContainsFunc(got, func(id string) bool { return slices.Contains(c.Expect, id) })
			flag = " (clarify)"
		case bot.OutcomeAnswer:
			right := len(ids) > 0 && (slices.Contains(c.Expect, ids[0]) || len(c.Expect) == 0 && ids[0] == "council-connect")
			o.wrong = !right
			o.stated = right && o.inScope
		}
		if !o.inScope {
			o.declined = !a.Answered() || len(ids) > 0 && ids[0] == "council-connect"
			if !o.declined {
				misses = append(misses, fmt.Sprintf("MISS %q\n     want decline  got %v%s", c.Q, got, flag))
			}
			outs = append(outs, o)
			continue
		}
		o.top1 = a.Answered() && len(ids) > 0 && slices.Contains(c.Expect, ids[0])
		if !o.top1 {
			misses = append(misses, fmt.Sprintf("MISS %q\n     want %v  got %v%s", c.Q, c.Expect, got, flag))
		}
		for rank, id := range ids {
			if slices.Contains(c.Expect, id) {
				o.top3 = rank < 3
				o.rr = 1 / float64(rank+1)
				break
			}
		}
		outs = append(outs, o)
	}
	byStyle := map[string]Scores{}
	styles := map[string][]outcome{}
	for _, o := range outs {
		if o.style != "" {
			styles[o.style] = append(styles[o.style], o)
		}
	}
	for st, os := range styles {
		byStyle[st] = tally(os)
	}
	return tally(outs), byStyle, misses, nil
}

// tally adds outcomes up into the figures score.py reports.
func tally(outs []outcome) Scores {
	s := Scores{Cases: len(outs), Decline: 1}
	var in, out, top1, top3, declinedIn, declinedOut, wrong, clar, clarRight, stated int
	for _, o := range outs {
		if o.wrong {
			wrong++
		}
		if o.clarify {
			clar++
		}
		if o.clarifyRight {
			clarRight++
		}
		if o.stated {
			stated++
		}
		if !o.inScope {
			out++
			if o.declined {
				declinedOut++
			}
			continue
		}
		in++
		if !o.answered {
			declinedIn++
		}
		if o.top1 {
			top1++
		}
		if o.top3 {
			top3++
		}
		s.MRR += o.rr
	}
	if in > 0 {
		s.Top1, s.Top3, s.MRR = float64(top1)/float64(in), float64(top3)/float64(in), s.MRR/float64(in)
		s.FalseDecline = float64(declinedIn) / float64(in)
		s.Stated = float64(stated) / float64(in)
	}
	if len(outs) > 0 {
		s.Wrong, s.Clarify = float64(wrong)/float64(len(outs)), float64(clar)/float64(len(outs))
	}
	s.ClarifyRight = 1
	if clar > 0 {
		s.ClarifyRight = float64(clarRight) / float64(clar)
	}
	if out > 0 {
		s.Decline = float64(declinedOut) / float64(out)
	}
	s.In, s.Out = in, out
	return s
}

// String is the figures as score.py prints them.
func (s Scores) String() string {
	if s.In == 0 && s.Out > 0 {
		// Only questions to decline: the other figures mean nothing.
		return fmt.Sprintf("%35sdecline %.3f  %21scases %d", "", s.Decline, "", s.Cases)
	}
	return fmt.Sprintf("top1 %.3f  top3 %.3f  mrr %.3f  decline %.3f  false_decline %.3f  confident_wrong %.3f  clarify %.3f  clarify_right %.3f  stated %.3f  cases %d",
		s.Top1, s.Top3, s.MRR, s.Decline, s.FalseDecline, s.Wrong, s.Clarify, s.ClarifyRight, s.Stated, s.Cases)
}

// below lists the figures that miss a gate such as
// "top1=0.8,top3=0.9,decline=0.8,false_decline=0.1" (false_decline,
// confident_wrong and clarify are ceilings, the others floors).
func (s Scores) below(gate string) ([]string, error) {
	var failed []string
	for _, part := range strings.Split(gate, ",") {
		name, val, ok := strings.Cut(strings.TrimSpace(part), "=")
		bar, err := strconv.ParseFloat(val, 64)
		if !ok || err != nil {
			return nil, fmt.Errorf("gate %q: want name=number", part)
		}
		var got float64
		switch name {
		case "top1":
			got = s.Top1
		case "top3":
			got = s.Top3
		case "mrr":
			got = s.MRR
		case "decline":
			got = s.Decline
		case "false_decline", "confident_wrong", "clarify":
			ceiling := map[string]float64{"false_decline": s.FalseDecline, "confident_wrong": s.Wrong, "clarify": s.Clarify}[name]
			if ceiling > bar {
				failed = append(failed, fmt.Sprintf("%s %.3f > %.3f", name, ceiling, bar))
			}
			continue
		case "stated":
			got = s.Stated
		case "clarify_right":
			got = s.ClarifyRight
		default:
			return nil, fmt.Errorf("gate %q: unknown figure", name)
		}
		if got < bar {
			failed = append(failed, fmt.Sprintf("%s %.3f < %.3f", name, got, bar))
		}
	}
	return failed, nil
}
