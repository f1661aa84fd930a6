// Command signpost is the Connecting Communities signposting assistant:
// `signpost chat` in a terminal, `signpost serve` in Slack and Discord,
// `signpost web` for the Council Connect desk, `signpost ask` for one
// answer or the JSON contract, `signpost eval` to score a question set,
// `signpost kb` to check and export the knowledge base, `signpost
// directory import` to read Open Referral UK feeds, and `signpost review`,
// `stats` and `store purge` for what the store keeps. It is the wiring:
// every other package is handed what it needs here.
package main

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"math"
	"os"
	"os/signal"
	"strings"
	"syscall"

	"github.com/bathnes/signpost/adapters/console"
	"github.com/bathnes/signpost/bot"
	"github.com/bathnes/signpost/bot/match"
	"github.com/bathnes/signpost/knowledge"
)

const usage = `signpost: the Connecting Communities signposting assistant for B&NES

Usage:
  signpost chat                      talk to signpost in this terminal
  signpost serve                     answer in Slack and Discord (tokens from the environment; see README)
  signpost web [--listen ADDR]       the Council Connect desk in a browser (default 127.0.0.1:8080)
  signpost store purge               delete question text older than [store] keep_days now
  signpost review [--days N] [--format markdown] [--out FILE]
                                     group what signpost could not answer well, and write
                                     suggestions for editors (checked by kb check --suggestions)
  signpost stats [--days N] [--json] questions, answered and declined rates, entries asked
                                     about most, helpful rate per entry
  signpost ask "question"            print one answer
  signpost ask --json [question]     JSON lines: questions from stdin, one a line
                                     (chat and ask: --directory FILE also answers questions
                                     about local services from an Open Referral UK file)
  signpost eval FILE                 score a question set (top1, top3, MRR, declines)
  signpost kb check [--sources DIR] [--suggestions FILE] [PATH]
                                     check a knowledge base; with --sources, check every
                                     claim's citation against the documents; exit 1 on any problem
  signpost kb export --format json|markdown|html|oruk
  signpost directory import [FILE|URL…]
                                     read Open Referral UK feeds (default: [directory] feeds)
                                     into the store; report each record skipped or mended

Flags for every command:
  --config FILE   configuration (default: config.toml if present)
  --kb PATH       knowledge base directory or file (default: the embedded one)
`

func main() {
	// The first SIGINT or SIGTERM stops signpost gracefully (serve drains
	// its queues for [serve] shutdown_grace); a second exits at once.
	ctx, cancel := context.WithCancel(context.Background())
	sig := make(chan os.Signal, 2)
	signal.Notify(sig, os.Interrupt, syscall.SIGTERM)
	go func() {
		<-sig
		cancel()
		<-sig
		fmt.Fprintln(os.Stderr, "signpost: second signal; exiting now")
		os.Exit(1)
	}()
	code := run(ctx, os.Args[1:], os.Stdin, os.Stdout, os.Stderr)
	signal.Stop(sig)
	os.Exit(code)
}

// env is what a command runs with: its streams, config and logger.
type env struct {
	stdin          io.Reader
	stdout, stderr io.Writer
	cfg            Config
	log            *slog.Logger
}

// run is the whole program, minus signals and exit, so tests can call it.
func run(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	if len(args) == 0 || args[0] == "help" || args[0] == "-h" || args[0] == "--help" {
		fmt.Fprint(stdout, usage)
		return 0
	}
	cmd, args := args[0], args[1:]
	if cmd == "kb" || cmd == "store" || cmd == "directory" {
		if len(args) == 0 {
			fmt.Fprint(stderr, usage)
			return 2
		}
		cmd, args = cmd+" "+args[0], args[1:]
	}
	flags, ok := commands[cmd]
	if !ok {
		fmt.Fprintf(stderr, "signpost: unknown command %q\n\n%s", cmd, usage)
		return 2
	}

	// Each command has its own flag set: --days means nothing to chat,
	// and a flag another command takes is an error here, not ignored.
	fs := flag.NewFlagSet("signpost "+cmd, flag.ContinueOnError)
	fs.SetOutput(stderr)
	configPath := fs.String("config", "", "configuration file")
	kbPath := fs.String("kb", "", "knowledge base directory or file")
	do := flags(fs)
	if err := fs.Parse(args); err != nil {
		return 2
	}

	cfg, err := ReadConfigFile(orDefault(*configPath, "config.toml"), *configPath == "")
	if err != nil {
		fmt.Fprintln(stderr, "signpost:", err)
		return 1
	}
	if *kbPath != "" {
		cfg.Knowledge.Path = *kbPath
	}
	level, _ := cfg.level()
	e := env{stdin: stdin, stdout: stdout, stderr: stderr, cfg: cfg,
		log: slog.New(slog.NewTextHandler(stderr, &slog.HandlerOptions{Level: level}))}
	return do(ctx, e, fs.Args())
}

// action is a command ready to run, its flags parsed.
type action func(ctx context.Context, e env, args []string) int

// commands gives each command its own flags (beside --config and --kb,
// which every command takes) and what it does with them.
var commands = map[string]func(fs *flag.FlagSet) action{
	"chat": func(fs *flag.FlagSet) action {
		dir := directoryFlag(fs)
		return func(ctx context.Context, e env, _ []string) int { return e.chat(ctx, *dir) }
	},
	"ask": func(fs *flag.FlagSet) action {
		dir := directoryFlag(fs)
		asJSON := fs.Bool("json", false, "JSON lines: questions from stdin, one a line")
		return func(ctx context.Context, e env, args []string) int { return e.ask(ctx, args, *asJSON, *dir) }
	},
	"serve": func(*flag.FlagSet) action {
		return func(ctx context.Context, e env, _ []string) int { return e.serve(ctx) }
	},
	"web": func(fs *flag.FlagSet) action {
		listen := fs.String("listen", "", "address to serve the desk on")
		return func(ctx context.Context, e env, _ []string) int { return e.web(ctx, *listen) }
	},
	"store purge": func(*flag.FlagSet) action {
		return func(ctx context.Context, e env, _ []string) int { return e.storePurge(ctx) }
	},
	"eval": func(fs *flag.FlagSet) action {
		misses := fs.Bool("misses", true, "list every miss")
		gate := fs.String("gate", "", "fail below these figures, e.g. top1=0.8,top3=0.9,decline=0.8,false_decline=0.1")
		return func(ctx context.Context, e env, args []string) int { return e.eval(ctx, args, *misses, *gate) }
	},
	"kb check": func(fs *flag.FlagSet) action {
		sources := fs.String("sources", "", "verify every claim's citation against the documents in this directory")
		suggestions := fs.String("suggestions", "", "also check this suggestions file from signpost review")
		return func(_ context.Context, e env, args []string) int { return e.check(args, *sources, *suggestions) }
	},
	"kb export": func(fs *flag.FlagSet) action {
		format := fs.String("format", "json", "json, markdown, html or oruk")
		return func(_ context.Context, e env, _ []string) int { return e.export(*format) }
	},
	"review": func(fs *flag.FlagSet) action {
		days := daysFlag(fs)
		format := fs.String("format", "", "text or markdown")
		out := fs.String("out", "signpost-suggestions.toml", "where to write the suggestions file")
		return func(ctx context.Context, e env, _ []string) int { return e.review(ctx, *days, *format, *out) }
	},
	"stats": func(fs *flag.FlagSet) action {
		days := daysFlag(fs)
		asJSON := fs.Bool("json", false, "the figures as JSON")
		return func(ctx context.Context, e env, _ []string) int { return e.stats(ctx, *days, *asJSON) }
	},
	"directory import": func(*flag.FlagSet) action {
		return func(ctx context.Context, e env, args []string) int { return e.directoryImport(ctx, args) }
	},
}

func directoryFlag(fs *flag.FlagSet) *string {
	return fs.String("directory", "", "also answer questions about local services from this Open Referral UK file")
}

func daysFlag(fs *flag.FlagSet) *int { return fs.Int("days", 30, "the last this many days") }

func orDefault(s, def string) string {
	if s == "" {
		return def
	}
	return s
}

// base loads the configured knowledge base, or the embedded one.
func (e env) base() (*knowledge.Base, error) {
	if e.cfg.Knowledge.Path == "" {
		return knowledge.Embedded()
	}
	return knowledge.LoadPath(e.cfg.Knowledge.Path)
}

func (e env) bot() (*bot.Bot, bool) {
	base, err := e.base()
	if err != nil {
		fmt.Fprintln(e.stderr, "signpost: knowledge base has problems (run signpost kb check):")
		fmt.Fprintln(e.stderr, err)
		return nil, false
	}
	return bot.New(base), true
}

// botWith is the bot, answering about local services from the Open
// Referral UK file directory names too, when it names one.
func (e env) botWith(directory string) (*bot.Bot, bool) {
	b, ok := e.bot()
	if !ok {
		return nil, false
	}
	if err := e.useDirectoryFile(b, directory); err != nil {
		fmt.Fprintln(e.stderr, "signpost:", err)
		return nil, false
	}
	return b, true
}

func (e env) chat(ctx context.Context, directory string) int {
	b, ok := e.botWith(directory)
	if !ok {
		return 1
	}
	if e.cfg.Store.Console {
		s, err := e.openStore(ctx)
		if err != nil {
			fmt.Fprintln(e.stderr, "signpost:", err)
			return 1
		}
		if s != nil {
			defer s.Close()
			defer e.keep(ctx, b, s)() // stops the purge before the store closes
		}
	}
	fmt.Fprint(e.stdout, console.Text(bot.Greeting(len(b.Base().Entries)), console.Width)+"\n\n")
	if err := console.New(b, e.stdin, e.stdout, "> ", e.log).Run(ctx); err != nil {
		fmt.Fprintln(e.stderr, "signpost:", err)
		return 1
	}
	return 0
}

// jsonAnswer is the `ask --json` contract in docs/design.md.
type jsonAnswer struct {
	Query    string      `json:"query"`
	Answered bool        `json:"answered"`
	Outcome  bot.Outcome `json:"outcome"`
	// Confidence is the probability that the first result is right.
	Confidence float64 `json:"confidence"`
	// Results are the ranked entries; for a clarify, the options offered,
	// in order.
	Results []bot.Result `json:"results"`
	// Services are those the directory gave, as shown, each marked with
	// its source; none without a directory.
	Services []jsonService `json:"services,omitempty"`
}

func (e env) ask(ctx context.Context, args []string, asJSON bool, directory string) int {
	b, ok := e.botWith(directory)
	if !ok {
		return 1
	}
	if !asJSON {
		if len(args) == 0 {
			fmt.Fprintln(e.stderr, `signpost ask: give a question, e.g. signpost ask "how do we list our pub"`)
			return 2
		}
		a, err := b.Answer(ctx, bot.Question{Text: strings.Join(args, " ")})
		if err != nil {
			fmt.Fprintln(e.stderr, "signpost:", err)
			return 1
		}
		fmt.Fprintln(e.stdout, console.Text(a.Reply(), console.Width))
		return 0
	}
	out := bufio.NewWriter(e.stdout)
	defer out.Flush()
	enc := json.NewEncoder(out)
	answer := func(q string) error {
		a, err := b.Answer(ctx, bot.Question{Text: q})
		if err != nil {
			return err
		}
		res := a.Results
		if res == nil {
			res = []bot.Result{}
		}
		return enc.Encode(jsonAnswer{Query: strings.ToValidUTF8(q, "\uFFFD"), Answered: a.Answered(), Outcome: a.Outcome(),
			Confidence: round3(a.Confidence), Results: res, Services: servicesJSON(a.Locals)})
	}
	if len(args) > 0 {
		if err := answer(strings.Join(args, " ")); err != nil {
			fmt.Fprintln(e.stderr, "signpost:", err)
			return 1
		}
		return 0
	}
	// One JSON object for every input line, however long or malformed.
	r := bufio.NewReader(e.stdin)
	for {
		line, err := r.ReadString('\n')
		if line != "" || err == nil {
			if aerr := answer(strings.TrimRight(line, "\r\n")); aerr != nil {
				fmt.Fprintln(e.stderr, "signpost:", aerr)
				return 1
			}
		}
		if errors.Is(err, io.EOF) {
			return 0
		}
		if err != nil {
			fmt.Fprintln(e.stderr, "signpost: read questions:", err)
			return 1
		}
	}
}

func (e env) check(args []string, sources, suggestions string) int {
	path := e.cfg.Knowledge.Path
	if len(args) > 0 {
		path = args[0]
	}
	var base *knowledge.Base
	var err error
	if path == "" {
		path = "embedded knowledge base"
		base, err = knowledge.Embedded()
	} else {
		base, err = knowledge.LoadPath(path)
	}
	if err != nil {
		var ps knowledge.Problems
		if errors.As(err, &ps) {
			for _, p := range ps {
				fmt.Fprintln(e.stdout, p)
			}
			fmt.Fprintf(e.stdout, "%d problem(s) in %s\n", len(ps), path)
		} else {
			fmt.Fprintln(e.stdout, err)
		}
		return 1
	}
	probs := match.Check(base)
	cited := 0
	if sources != "" {
		// A wrong or missing folder is one problem, not one for every
		// citation in the base.
		if st, err := os.Stat(sources); err != nil || !st.IsDir() {
			fmt.Fprintf(e.stdout, "the documents folder %s is missing or not a folder (--sources names the folder that holds the [[source]] files, e.g. ../shared/seeds)\n", sources)
			return 1
		}
		var ps knowledge.Problems
		ps, cited = base.CheckSources(os.DirFS(sources))
		for _, p := range ps {
			probs = append(probs, p.Error())
		}
	}
	nSuggest := 0
	if suggestions != "" {
		data, err := os.ReadFile(suggestions)
		if err != nil {
			fmt.Fprintln(e.stdout, err)
			return 1
		}
		// The suggestions file's problems are its own, and named so:
		// the knowledge base itself may be fine.
		if ps := base.CheckSuggestions(suggestions, data); len(ps) > 0 {
			for _, p := range append(probs, errorsOf(ps)...) {
				fmt.Fprintln(e.stdout, p)
			}
			fmt.Fprintf(e.stdout, "%d problem(s) in %s\n", len(ps), suggestions)
			if len(probs) > 0 {
				fmt.Fprintf(e.stdout, "%d problem(s) in %s\n", len(probs), path)
			}
			return 1
		}
		nSuggest = strings.Count(string(data), "[[suggestion]]")
	}
	if len(probs) > 0 {
		for _, p := range probs {
			fmt.Fprintln(e.stdout, p)
		}
		fmt.Fprintf(e.stdout, "%d problem(s) in %s\n", len(probs), path)
		return 1
	}
	if suggestions != "" {
		fmt.Fprintf(e.stdout, "%s: %d suggestions, each undecided or picking an entry, \"outside\" or a new id, with questions not yet in the bank\n", suggestions, nSuggest)
	}
	if sources != "" {
		fmt.Fprintf(e.stdout, "%s: %d claims, each cited and found in %s\n", path, cited, sources)
	}
	fmt.Fprintf(e.stdout, "%s: %d entries, %d places, %d sources, %d service topics, %d concepts: no problems\n",
		path, len(base.Entries), len(base.Places), len(base.Sources()), len(base.Services), len(base.Concepts))
	return 0
}

func round3(f float64) float64 { return math.Round(f*1000) / 1000 }

// errorsOf are problems as lines.
func errorsOf(ps knowledge.Problems) []string {
	var out []string
	for _, p := range ps {
		out = append(out, p.Error())
	}
	return out
}
