// Package console is signpost in a terminal: it reads questions a line at a
// time and writes plain-text answers. It is the default way to try the bot
// and the harness for end-to-end tests, fed from a bytes.Buffer.
package console

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"log/slog"
	"strings"

	"github.com/bathnes/signpost/bot"
)

// Adapter runs a console conversation.
type Adapter struct {
	bot    bot.Answerer
	in     io.Reader
	out    io.Writer
	prompt string
	log    *slog.Logger
}

// New returns a console adapter reading in and writing out. prompt is shown
// before each question ("" for none, as when input is piped).
func New(b bot.Answerer, in io.Reader, out io.Writer, prompt string, log *slog.Logger) *Adapter {
	return &Adapter{bot: b, in: in, out: out, prompt: prompt, log: log}
}

// Run answers lines until the input ends, the user types quit (or another
// word bot.Leaves knows), or ctx is cancelled.
func (a *Adapter) Run(ctx context.Context) error {
	lines := make(chan string)
	errc := make(chan error, 1)
	go func() {
		// Reading blocks; the goroutine ends with the input, which the
		// process owns, so it is not waited for on cancel.
		r := bufio.NewReader(a.in)
		for {
			line, err := r.ReadString('\n')
			if line != "" || err == nil {
				select {
				case lines <- strings.TrimRight(line, "\r\n"):
				case <-ctx.Done():
					return
				}
			}
			if err != nil {
				if err != io.EOF {
					errc <- fmt.Errorf("read console: %w", err)
				}
				close(lines)
				return
			}
		}
	}()
	a.show(a.prompt)
	for {
		select {
		case <-ctx.Done():
			return nil
		case err := <-errc:
			return err
		case line, ok := <-lines:
			if !ok {
				return nil
			}
			if bot.Leaves(line) {
				return nil
			}
			// One person, one terminal: the whole session is one
			// conversation in one channel, so "area <place>" works here too.
			ans, err := a.bot.Answer(ctx, bot.Question{Text: line, Conversation: "console", Channel: "console", Platform: "console"})
			if err != nil {
				if ctx.Err() != nil {
					return nil
				}
				a.log.Error("answer failed", "adapter", "console", "err", err)
				a.show(Text(bot.Sorry().Reply(), Width) + "\n\n" + a.prompt)
				continue
			}
			a.log.Debug("answered", "adapter", "console", "kind", ans.Kind, "confidence", ans.Confidence)
			a.show(Text(ans.Reply(), Width) + "\n\n" + a.prompt)
		}
	}
}

func (a *Adapter) show(s string) {
	if s != "" {
		io.WriteString(a.out, s)
	}
}
