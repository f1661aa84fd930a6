package main

import (
	"database/sql"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/bathnes/signpost/internal/pgtest"
	_ "modernc.org/sqlite"
)

func TestMain(m *testing.M) {
	code := m.Run()
	pgtest.Stop()
	os.Exit(code)
}

// TestLearningFromUse is the whole loop, on SQLite and on PostgreSQL: ask
// three questions signpost cannot answer and mark one answer unhelpful in
// the terminal; review groups them and writes suggestions kb check
// accepts; stats counts them; and no e-mail or phone number given in a
// question is kept.
func TestLearningFromUse(t *testing.T) {
	for name, store := range map[string]func(t *testing.T) string{
		"sqlite":     func(*testing.T) string { return `path = "signpost.db"` },
		"postgresql": func(t *testing.T) string { return `url = "` + pgtest.Database(t) + `"` },
	} {
		t.Run(name, func(t *testing.T) {
			clearEnv(t)
			cfg := writeConfig(t, "[store]\nenabled = true\nconsole = true\n"+store(t)+"\n")
			chat := strings.Join([]string{
				"can I get free wifi in the library? email me at jo.bloggs@example.org",
				"is there wifi at our library, ring 07700 900123",
				"where can I hire a bouncy castle for the fete",
				"how do we list our pub",
				"not helpful",
				"quit",
			}, "\n")
			if code, _, errs := runCmd(t, chat, "chat", "--config", cfg); code != 0 {
				t.Fatalf("chat = %d: %s", code, errs)
			}
			out := filepath.Join(t.TempDir(), "suggestions.toml")
			code, review, errs := runCmd(t, "", "review", "--config", cfg, "--out", out)
			if code != 0 || !strings.Contains(review, "2 question(s) (unsure 2)") || !strings.Contains(review, "bouncy castle") ||
				!strings.Contains(review, "(unhelpful 1)") {
				t.Fatalf("review = %d %s %s; want the wifi questions grouped, the castle and the unhelpful pub", code, review, errs)
			}
			if code, check, _ := runCmd(t, "", "kb", "check", "--suggestions", out); code != 0 || !strings.Contains(check, "suggestions") {
				t.Errorf("kb check --suggestions = %d %s", code, check)
			}
			// The reviewer picks: an entry for one group, the
			// out-of-scope bank for the next. A pick that is no entry
			// is a problem of the suggestions file, named so.
			written := readAll(t, out)
			if strings.Count(written, `entry = ""`) < 2 {
				t.Fatalf("suggestions pick for the reviewer:\n%s", written)
			}
			picked := strings.Replace(strings.Replace(written, `entry = ""`, `entry = "community-libraries"`, 1), `entry = ""`, `entry = "outside"`, 1)
			os.WriteFile(out, []byte(picked), 0o600)
			if code, check, _ := runCmd(t, "", "kb", "check", "--suggestions", out); code != 0 {
				t.Errorf("kb check --suggestions with picks = %d %s", code, check)
			}
			os.WriteFile(out, []byte(strings.Replace(written, `entry = ""`, `entry = "no-such-entry"`, 1)), 0o600)
			if code, check, _ := runCmd(t, "", "kb", "check", "--suggestions", out); code != 1 || !strings.Contains(check, "problem(s) in "+out) ||
				strings.Contains(check, "problem(s) in embedded") {
				t.Errorf("kb check --suggestions with a bad pick = %d %s; want the suggestions file named", code, check)
			}
			code, stats, _ := runCmd(t, "", "stats", "--config", cfg, "--json")
			var figures struct {
				Questions, Unanswered, Votes int
				ByPlatform                   map[string]int `json:"by_platform"`
			}
			if code != 0 || json.Unmarshal([]byte(stats), &figures) != nil || figures.Questions != 4 || figures.Unanswered != 3 ||
				figures.Votes != 1 || figures.ByPlatform["console"] != 4 {
				t.Errorf("stats = %d %s", code, stats)
			}
			for _, leak := range []string{"jo.bloggs", "example.org", "07700", "900123"} {
				if strings.Contains(review, leak) || strings.Contains(readAll(t, out), leak) {
					t.Errorf("%q was kept", leak)
				}
			}
			if name == "sqlite" {
				db, _ := sql.Open("sqlite", filepath.Join(filepath.Dir(cfg), "signpost.db"))
				defer db.Close()
				var texts string
				db.QueryRow(`SELECT group_concat(coalesce(text, ''), '|') FROM answers`).Scan(&texts)
				if !strings.Contains(texts, "[email]") || !strings.Contains(texts, "[phone]") || strings.Contains(texts, "example.org") {
					t.Errorf("stored text %q; want the details replaced", texts)
				}
			}
		})
	}
}

func readAll(t *testing.T, path string) string {
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func TestStorePurgeCommand(t *testing.T) {
	clearEnv(t)
	cfg := writeConfig(t, "[store]\nenabled = true\nkeep_days = 30\n")
	if code, out, errs := runCmd(t, "", "store", "purge", "--config", cfg); code != 0 || !strings.Contains(out, "more than 30 days") {
		t.Errorf("store purge = %d %s %s", code, out, errs)
	}
	if code, _, _ := runCmd(t, "", "store", "vacuum", "--config", cfg); code != 2 {
		t.Error("an unknown store command is not refused")
	}
}
