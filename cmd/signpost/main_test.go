package main

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/bathnes/signpost/bot"
	"github.com/bathnes/signpost/directory"
	"github.com/bathnes/signpost/knowledge"
)

func runCmd(t *testing.T, stdin string, args ...string) (int, string, string) {
	t.Helper()
	var out, errb bytes.Buffer
	code := run(context.Background(), args, strings.NewReader(stdin), &out, &errb)
	return code, out.String(), errb.String()
}

func TestAskJSONWritesOneObjectPerLine(t *testing.T) {
	in := "how do we list our pub\n\n\xff\xfe bad bytes\nwhen is my bin collected\n" + strings.Repeat("x", 1<<20) + "\nwho runs PACT here"
	code, out, errs := runCmd(t, in, "ask", "--json")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	lines := strings.Split(strings.TrimRight(out, "\n"), "\n")
	if len(lines) != 6 {
		t.Fatalf("got %d JSON lines for 6 input lines:\n%s", len(lines), out)
	}
	var got []jsonAnswer
	for _, l := range lines {
		var a jsonAnswer
		if err := json.Unmarshal([]byte(l), &a); err != nil {
			t.Fatalf("line %q is not JSON: %v", l, err)
		}
		if a.Results == nil {
			t.Errorf("line %q: results is null; want a list", l)
		}
		got = append(got, a)
	}
	if !got[0].Answered || got[0].Results[0].ID != "assets-of-community-value" {
		t.Errorf("pub answer = %+v; want assets-of-community-value first", got[0])
	}
	if got[1].Answered || got[3].Answered {
		t.Errorf("empty line and bin question answered: %+v %+v; want declined", got[1], got[3])
	}
	if got[5].Results[0].ID != "pact" {
		t.Errorf("last line (no newline) = %+v; want pact", got[5])
	}
	// Each line says what the person was shown, and how sure signpost was.
	for i, want := range []bot.Outcome{bot.OutcomeAnswer, bot.OutcomeEmpty, "", bot.OutcomeService, "", bot.OutcomeAnswer} {
		if want != "" && got[i].Outcome != want {
			t.Errorf("line %d outcome = %q; want %q", i+1, got[i].Outcome, want)
		}
	}
	if got[0].Confidence < 0.7 || got[0].Confidence > 1 {
		t.Errorf("pub answer confidence = %v; want at least the answer threshold, at most 1", got[0].Confidence)
	}
}

// TestAskJSONListsTheOptionsOfAChoice: a question that could be either of
// two entries is offered both, and ask --json lists them in order.
func TestAskJSONListsTheOptionsOfAChoice(t *testing.T) {
	dir := t.TempDir()
	for _, f := range []string{"base.toml", "bank.toml"} {
		data, err := os.ReadFile(filepath.Join("..", "..", "internal", "chattest", "testdata", "kb", f))
		if err != nil {
			t.Fatal(err)
		}
		os.WriteFile(filepath.Join(dir, f), data, 0o644)
	}
	code, out, errs := runCmd(t, "can we run the old pub building ourselves\n", "ask", "--json", "--kb", dir)
	var a jsonAnswer
	if code != 0 || json.Unmarshal([]byte(out), &a) != nil {
		t.Fatalf("ask = %d %s %s", code, out, errs)
	}
	if a.Outcome != bot.OutcomeClarify || !a.Answered || len(a.Results) != 2 ||
		a.Results[0].ID != "building-transfer" || a.Results[1].ID != "pub-listing" {
		t.Errorf("ask --json = %+v; want a clarify offering building-transfer, then pub-listing", a)
	}
}

func TestAskPrintsASourcedAnswer(t *testing.T) {
	code, out, _ := runCmd(t, "", "ask", "who runs PACT here")
	if code != 0 || !strings.Contains(out, "PACT meetings") || !strings.Contains(out, "Source:") {
		t.Errorf("ask = %d, %q; want the PACT entry with its source", code, out)
	}
}

func TestKBCheckReportsProblemsWithLines(t *testing.T) {
	dir := t.TempDir()
	write := func(name, body string) {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write("s.toml", "[[source]]\nid = \"000\"\nfile = \"f\"\ntitle = \"t\"\ndate = \"2013-05\"\n")
	write("e.toml", `[[entry]]
id = "a"
kinds = ["core"]
title = "A"
summary = "S"
related = ["missing"]
status = "current"
as_of = "2013"
sources = []
colour = "red"
`)
	code, out, _ := runCmd(t, "", "kb", "check", dir)
	if code != 1 {
		t.Errorf("kb check exit = %d; want 1", code)
	}
	for _, want := range []string{"e.toml:6:", `related id "missing"`, "e.toml:9:", "has no source", "e.toml:10:", `unknown key "entry.colour"`} {
		if !strings.Contains(out, want) {
			t.Errorf("kb check output lacks %q:\n%s", want, out)
		}
	}
}

func TestKBCheckEmbeddedIsClean(t *testing.T) {
	if code, out, _ := runCmd(t, "", "kb", "check"); code != 0 || !strings.Contains(out, "no problems") {
		t.Errorf("kb check = %d, %q", code, out)
	}
}

func TestKBExport(t *testing.T) {
	code, out, _ := runCmd(t, "", "kb", "export", "--format", "json")
	var entries []map[string]any
	if code != 0 || json.Unmarshal([]byte(out), &entries) != nil || len(entries) < 50 {
		t.Fatalf("export json = %d, %d entries", code, len(entries))
	}
	for _, k := range []string{"id", "kinds", "title", "text"} {
		if _, ok := entries[0][k]; !ok {
			t.Errorf("exported entry lacks %q", k)
		}
	}
	for _, f := range []string{"markdown", "html"} {
		code, out, _ := runCmd(t, "", "kb", "export", "--format", f)
		if code != 0 || !strings.Contains(out, "Assets of Community Value") {
			t.Errorf("export %s = %d, %d bytes", f, code, len(out))
		}
	}
	if code, _, _ := runCmd(t, "", "kb", "export", "--format", "pdf"); code != 2 {
		t.Errorf("export pdf exit = %d; want 2", code)
	}
}

func TestEvalGate(t *testing.T) {
	set := filepath.Join(t.TempDir(), "set.toml")
	os.WriteFile(set, []byte("[[case]]\nq = \"how do we list our pub\"\nexpect = [\"assets-of-community-value\"]\n[[case]]\nq = \"bin day\"\nexpect = []\n"), 0o644)
	code, out, _ := runCmd(t, "", "eval", "--gate", "top1=1,decline=1,false_decline=0", set)
	if code != 0 || !strings.Contains(out, "top1 1.000") {
		t.Errorf("eval = %d, %q; want a pass at top1 1.000", code, out)
	}
	os.WriteFile(set, []byte("[[case]]\nq = \"bin day\"\nexpect = [\"pact\"]\n"), 0o644)
	if code, out, _ := runCmd(t, "", "eval", "--gate", "top1=0.5", set); code != 1 || !strings.Contains(out, "MISS") {
		t.Errorf("eval with a miss = %d, %q; want exit 1 listing the miss", code, out)
	}
}

func TestEvalReportsEachStyle(t *testing.T) {
	set := filepath.Join(t.TempDir(), "set.toml")
	os.WriteFile(set, []byte("[[case]]\nq = \"how do we list our pub\"\nexpect = [\"assets-of-community-value\"]\nstyle = \"chat\"\n"+
		"[[case]]\nq = \"when is my bin day\"\nexpect = []\nstyle = \"outside\"\n"), 0o644)
	code, out, _ := runCmd(t, "", "eval", set)
	lines := strings.Split(strings.TrimSpace(out), "\n")
	if code != 0 || len(lines) != 3 {
		t.Fatalf("eval = %d, %q; want a line for each style and the total", code, out)
	}
	if !strings.HasPrefix(lines[0], "chat     top1 1.000") || !strings.HasPrefix(lines[1], "outside ") ||
		strings.Contains(lines[1], "top1") || !strings.Contains(lines[1], "decline 1.000") || !strings.HasPrefix(lines[2], "top1 1.000") {
		t.Errorf("eval output:\n%s\nwant chat with top1, outside with decline only, then the total", out)
	}
}

func TestChatConsole(t *testing.T) {
	code, out, _ := runCmd(t, "how do we list our pub\nhelp\nquit\nwho runs PACT here\n", "chat")
	if code != 0 {
		t.Fatalf("chat exit %d", code)
	}
	if !strings.Contains(out, "Assets of Community Value") || !strings.Contains(out, "about <id or title>") {
		t.Errorf("chat output lacks the answer or help:\n%s", out)
	}
	if strings.Contains(out, "PACT meetings") {
		t.Error("chat answered after quit")
	}
	// The greeting is laid out as a reply is: it says how to leave, and
	// fits the terminal.
	greeting, _, _ := strings.Cut(out, "\n\n")
	if !strings.Contains(greeting, " "+bot.Quit+" ") {
		t.Errorf("the greeting does not say to type %s:\n%s", bot.Quit, greeting)
	}
	for _, l := range strings.Split(greeting, "\n") {
		if len(l) > 80 {
			t.Errorf("greeting line of %d columns: %q", len(l), l)
		}
	}
}

func TestConfigRejectsUnknownKeys(t *testing.T) {
	path := filepath.Join(t.TempDir(), "c.toml")
	os.WriteFile(path, []byte("[knowledge]\npaht = \"x\"\n"), 0o644)
	if code, _, errs := runCmd(t, "", "ask", "--config", path, "pub"); code != 1 || !strings.Contains(errs, "paht") {
		t.Errorf("bad config = %d, %q; want exit 1 naming the key", code, errs)
	}
}

func TestRepoConfigIsValid(t *testing.T) {
	if _, err := ReadConfigFile("../../config.toml", false); err != nil {
		t.Errorf("config.toml: %v", err)
	}
}

// TestExportAsOpenReferralUK: `kb export --format oruk` is a feed another
// directory can take: every entry a service with a stable id, read back
// by our own ORUK reader without a problem, and what does not run now
// (a proposal, an ended fund) marked inactive, never listed as running.
func TestExportAsOpenReferralUK(t *testing.T) {
	export := func() string {
		code, out, errs := runCmd(t, "", "kb", "export", "--format", "oruk")
		if code != 0 {
			t.Fatalf("kb export --format oruk = %d: %s", code, errs)
		}
		return out
	}
	out := export()
	if again := export(); again != out {
		t.Error("two exports differ; ids must be stable for consumers syncing with modified_after")
	}
	page, err := directory.Parse(strings.NewReader(out), "export", time.Now())
	if err != nil {
		t.Fatal(err)
	}
	base, _ := knowledge.Embedded()
	if len(page.Services) != len(base.Entries) || len(page.Problems) != 0 {
		t.Fatalf("%d services, problems %v; want %d and none", len(page.Services), page.Problems, len(base.Entries))
	}
	byName := map[string]directory.Service{}
	for _, s := range page.Services {
		byName[s.Name] = s
	}
	for _, en := range base.Entries {
		s, ok := byName[en.Title]
		if !ok {
			t.Errorf("%s: not exported", en.ID)
			continue
		}
		if want := en.Status == knowledge.Current; (s.Status == "active") != want {
			t.Errorf("%s (%s): ORUK status %q", en.ID, en.Status, s.Status)
		}
		if !strings.Contains(s.Description, en.Summary[:min(40, len(en.Summary))]) {
			t.Errorf("%s: description %q lacks the summary", en.ID, s.Description)
		}
	}
}

// Each command takes its own flags: one meant for another command is
// refused with the command's own usage, not silently ignored.
func TestEachCommandTakesOnlyItsOwnFlags(t *testing.T) {
	tests := []struct {
		args []string
		want string // in the error output
	}{
		{[]string{"chat", "--days", "3"}, "flag provided but not defined: -days"},
		{[]string{"ask", "--listen", ":1", "how do we list our pub"}, "flag provided but not defined: -listen"},
		{[]string{"kb", "export", "--json"}, "flag provided but not defined: -json"},
		{[]string{"stats", "--format", "markdown"}, "flag provided but not defined: -format"},
		{[]string{"eval", "--directory", "x.json"}, "flag provided but not defined: -directory"},
	}
	for _, tt := range tests {
		code, _, errs := runCmd(t, "", tt.args...)
		if code != 2 || !strings.Contains(errs, tt.want) || !strings.Contains(errs, "Usage of signpost "+tt.args[0]) {
			t.Errorf("%q: exit %d, %q; want 2 and %q with the command's usage", tt.args, code, errs, tt.want)
		}
	}
	// Flags every command takes still work everywhere, and a command's
	// own flags work.
	if code, out, errs := runCmd(t, "", "ask", "--kb", "../../knowledge/kb", "--json", "how do we list our pub"); code != 0 || !strings.Contains(out, `"outcome"`) {
		t.Errorf("ask --kb --json: exit %d, %q, %q", code, out, errs)
	}
	if code, _, errs := runCmd(t, "", "unknown"); code != 2 || !strings.Contains(errs, `unknown command "unknown"`) {
		t.Errorf("unknown command: exit %d, %q", code, errs)
	}
}
