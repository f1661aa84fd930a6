// Package chattest holds what the adapters' tests share: the real bot over
// the embedded knowledge base, a log sink to read while it is written, and
// a free loopback address. Only tests import it.
package chattest

import (
	"bytes"
	"context"
	"log/slog"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/bathnes/signpost/bot"
	"github.com/bathnes/signpost/internal/logtest"
	"github.com/bathnes/signpost/knowledge"
	"github.com/bathnes/signpost/store"
)

// Bot is a new real core over the embedded knowledge base (loaded once):
// new each call, so one test's conversations never reach another's.
func Bot() *bot.Bot { return bot.New(base()) }

// shared is one core for questions asked with no conversation: building
// an index per question is what made rendering tests slow.
var shared = sync.OnceValue(Bot)

// Fixture is one core over the small knowledge base in testdata/kb, for
// the scenarios, each asked in a conversation and channel of its own.
func Fixture() *bot.Bot { return fixture() }

var fixture = sync.OnceValue(func() *bot.Bot {
	_, here, _, _ := runtime.Caller(0)
	b, err := knowledge.Load(os.DirFS(filepath.Join(filepath.Dir(here), "testdata", "kb")))
	if err != nil {
		panic(err)
	}
	return bot.New(b)
})

// Ask is the core's answer to q, asked on its own.
func Ask(t testing.TB, q string) bot.Answer {
	t.Helper()
	a, err := shared().Answer(context.Background(), bot.Question{Text: q})
	if err != nil {
		t.Fatal(err)
	}
	return a
}

// Every is an answer of every sort, for tests of a platform's limits:
// help, lists, the finder, declines, and every entry in full.
func Every(t testing.TB) []bot.Answer {
	var out []bot.Answer
	for _, q := range []string{"help", "menu", "core offer", "funding", "funding routes", "bin collection day", "xyzzy", "", "who runs PACT here",
		"our community group wants £20k for a new roof on the village hall", "we're a parish council wanting about £20k for a neighbourhood plan"} {
		out = append(out, Ask(t, q))
	}
	for _, e := range base().Entries {
		out = append(out, Ask(t, bot.About(e.ID)))
	}
	return out
}

// Replies are the core's replies to qs, for benchmarks of layout.
func Replies(t testing.TB, qs ...string) []bot.Reply {
	var out []bot.Reply
	for _, q := range qs {
		out = append(out, Ask(t, q).Reply())
	}
	return out
}

var base = sync.OnceValue(func() *knowledge.Base {
	b, err := knowledge.Embedded()
	if err != nil {
		panic(err)
	}
	return b
})

// Logs is a log sink that tests read while the code under test writes.
type Logs = logtest.Logs

// Loopback is a listener on a port the system picks, for a server under
// test: handed down, it is reachable before the server runs, and no port
// is guessed and raced for.
func Loopback(t testing.TB) net.Listener {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ln.Close() })
	return ln
}

// Scenario is a conversation whose last reply is one kind of reply: every
// platform's golden files are the same scenarios, so a kind of reply that
// one platform lays out badly shows beside the others.
type Scenario struct {
	Name string
	// Say is what the person types, in order; the last answer is the
	// scenario's. None means the core failed (bot.Sorry).
	Say []string
}

// Scenarios are one of each kind of reply, asked of the small knowledge
// base in testdata/kb, so a change of wording in the real one never breaks
// a golden file: those are tests of layout, not of content.
var Scenarios = []Scenario{
	{"matched", []string{"how do we take over a council building"}},
	{"matched_more", []string{"how do we list our pub"}},
	{"matched_full", []string{"about pub-listing"}},
	{"matched_historical", []string{"about old-grants"}},
	{"matched_proposed", []string{"about hubs-proposal"}},
	{"unsure", []string{"can I get free wifi in the library"}},
	{"clarify", []string{"can we run the old pub building ourselves"}},
	{"clarify_picked", []string{"can we run the old pub building ourselves", "2"}},
	{"service", []string{"when is my bin collection day"}},
	{"outside", []string{"who won the rugby on saturday"}},
	{"empty", []string{"   "}},
	{"help", []string{"help"}},
	{"list", []string{"menu"}},
	{"list_funding", []string{"funding routes"}},
	{"finder_step", []string{"funding"}},
	{"finder_result", []string{"our community group wants £20k for a new roof on the hall"}},
	{"local", []string{"is there a lottery fund in Radstock"}},
	{"local_not_here", []string{"is there a lottery fund in Keynsham"}},
	{"local_nothing", []string{"who runs PACT in Radstock"}},
	{"area_question", []string{"who runs PACT here"}},
	{"note", []string{"area Keynsham"}},
	{"sorry", nil},
}

// Last is the scenario's last answer, in a conversation and channel of its
// own.
func (s Scenario) Last(t testing.TB) bot.Answer { t.Helper(); return s.LastFor(t, bot.Public) }

// LastFor is Last, asked by the audience the screen is for: the desk asks
// as staff.
func (s Scenario) LastFor(t testing.TB, audience bot.Audience) bot.Answer {
	t.Helper()
	if s.Say == nil {
		return bot.Sorry()
	}
	var a bot.Answer
	for _, say := range s.Say {
		var err error
		q := bot.Question{Text: say, Conversation: "test:" + s.Name + ":u", Channel: "test:" + s.Name, Audience: audience}
		if a, err = fixture().Answer(context.Background(), q); err != nil {
			t.Fatal(err)
		}
	}
	return a
}

// Golden compares got with testdata/<name>.golden, or writes it there when
// update is set.
func Golden(t testing.TB, name string, got []byte, update bool) {
	t.Helper()
	path := filepath.Join("testdata", name+".golden")
	if update {
		if err := os.MkdirAll("testdata", 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test -update to create it)", err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("%s differs; run go test -update and review the diff. Got:\n%s", path, got)
	}
}

// Run runs an adapter's Run until the returned stop is called; stop
// fails the test if Run then errs or takes over 5 s to return.
func Run(t testing.TB, run func(context.Context) error) (stop func()) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	errc := make(chan error, 1)
	go func() { errc <- run(ctx) }()
	return func() {
		t.Helper()
		cancel()
		select {
		case err := <-errc:
			if err != nil {
				t.Errorf("Run = %v after cancel; want nil", err)
			}
		case <-time.After(5 * time.Second):
			t.Fatal("Run did not return after cancel")
		}
	}
}

// Unsigned posts body to url with no signature and reports the status.
func Unsigned(t testing.TB, url, body string) int {
	t.Helper()
	resp, err := http.Post(url, "application/json", strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	return resp.StatusCode
}

// Goldens lays out every scenario's last answer with lay and compares it
// with testdata/<scenario>.golden (written instead when update is set):
// one golden file per kind of reply, per platform.
func Goldens(t *testing.T, update bool, lay func(bot.Answer) []byte) {
	GoldensFor(t, update, bot.Public, lay)
}

// GoldensFor is Goldens, asked by the audience the screen is for.
func GoldensFor(t *testing.T, update bool, audience bot.Audience, lay func(bot.Answer) []byte) {
	for _, sc := range Scenarios {
		t.Run(sc.Name, func(t *testing.T) {
			Golden(t, sc.Name, lay(sc.LastFor(t, audience)), update)
		})
	}
}

// Keeping is a core that keeps its answers and votes in a real SQLite
// store in a temporary directory, and the store, for tests of voting.
func Keeping(t testing.TB) (*bot.Bot, *store.Store) {
	t.Helper()
	st, err := store.Open(context.Background(), store.Config{Path: filepath.Join(t.TempDir(), "signpost.db")}, slog.New(slog.DiscardHandler))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	key, err := st.Key(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	b := Bot()
	b.Keep(st, key)
	return b, st
}

// Kept is what st holds once its writes are made.
func Kept(t testing.TB, st *store.Store) bot.Kept {
	t.Helper()
	if err := st.Flush(context.Background()); err != nil {
		t.Fatal(err)
	}
	k, err := st.Since(context.Background(), time.Time{})
	if err != nil {
		t.Fatal(err)
	}
	return k
}

// Sum is an amount as people write it, and the finder's band for it.
type Sum struct{ Say, Band string }

// Sums are thirteen ways people write an amount, and the band the
// finder must read each as: every screen's finder test types them all,
// so a spelling read wrong on one screen is read wrong everywhere.
var Sums = []Sum{
	{"about £2,000", "under £5,000"},
	{"2k", "under £5,000"},
	{"two grand", "under £5,000"},
	{"under 5k", "under £5,000"},
	{"up to £5,000", "under £5,000"},
	{"less than five thousand", "under £5,000"},
	{"around 250k", "more than £50,000"},
	{"£1m", "more than £50,000"},
	{"2000", "under £5,000"},
	{"£2,000", "under £5,000"},
	{"5 thousand", "£5,000 to £50,000"},
	{"between £1,000 and £3,000", "under £5,000"},
	{"between £3,000 and £8,000", "£5,000 to £50,000"},
}

// FollowUp is a way of asking more about the answer just given, and the
// place it names ("" for none).
type FollowUp struct{ Say, Place string }

// FollowUps are the ways of asking more that every screen's conversation
// test sends after an answer: each must keep the topic, for the place it
// names if it names one.
var FollowUps = []FollowUp{
	{"what about in Keynsham", "Keynsham"},
	{"and in Radstock?", "Radstock"},
	{"and Radstock?", "Radstock"},
	{"who do I ring about that", ""},
	{"how do we start", ""},
	{"is that still going", ""},
	{"how much is it", ""},
	{"who runs it", ""},
	{"where do I apply", ""},
	{"who do I contact", ""},
	{"how do I get in touch", ""},
	{"is it free", ""},
	{"what does it cost", ""},
	{"tell me more", ""},
	{"is there one in Paulton?", "Paulton"},
	{"what about Paulton?", "Paulton"},
	{"and Paulton?", "Paulton"},
}
