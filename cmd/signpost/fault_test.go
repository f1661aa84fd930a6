package main

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"regexp"
	"runtime"
	"strconv"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/bathnes/signpost/internal/pgtest"
	"github.com/bathnes/signpost/store"
)

// TestFaultsLoseNothingAcknowledged is the load-and-fault test: the real
// binary, fake Slack and a real PostgreSQL, all on loopback. Through
// SIGTERM in the middle of a burst of 10,000 events sent 100 at a time, a
// minute's PostgreSQL outage, and two replicas given every event twice
// while the CPU is hogged, it checks by counting, never by timing: every
// event acknowledged with 200 is answered exactly once, every refusal is
// a 503 that signpost counts too, and every record reaches the database.
func TestFaultsLoseNothingAcknowledged(t *testing.T) {
	if testing.Short() {
		t.Skip("a load-and-fault test")
	}
	bin := buildSignpost(t)

	t.Run("a burst of 10,000 at 100 concurrent", func(t *testing.T) {
		slack := newSlackPosts(t)
		r := startWith(t, bin, writeConfig(t, slackConfig(slack.srv, burstServe)))
		b := burst(t, r, "burst", 10000, -1)
		b.check(t, r, slack)
	})

	t.Run("SIGTERM in the middle of a burst", func(t *testing.T) {
		slack := newSlackPosts(t)
		r := startWith(t, bin, writeConfig(t, slackConfig(slack.srv, burstServe)))
		b := burst(t, r, "term", 10000, 5000)
		b.check(t, r, slack)
	})

	t.Run("a minute's PostgreSQL outage", func(t *testing.T) {
		outage := time.Minute
		srv, url := pgtest.Start(t)
		slack := newSlackPosts(t)
		r := startWith(t, bin, writeConfig(t, slackConfig(slack.srv, fmt.Sprintf(`[serve]
areas_file = ""
[store]
url = %q`, url))))
		client := &http.Client{}
		sent := 0
		send := func() {
			if code := r.send(client, fmt.Sprintf("Ev-pg-%d", sent), fmt.Sprintf("P%d", sent), "how do we list our pub"); code != 200 {
				t.Fatalf("event %d: %d; want 200 (the store is off the answer's path)", sent, code)
			}
			sent++
		}
		for range 100 {
			send()
		}
		if err := srv.Stop(); err != nil {
			t.Fatal(err)
		}
		during := sent
		for end := time.Now().Add(outage); time.Now().Before(end); time.Sleep(50 * time.Millisecond) {
			send()
		}
		during = sent - during
		if err := srv.Resume(); err != nil {
			t.Fatal(err)
		}
		for range 100 {
			send()
		}
		r.cmd.Process.Signal(syscall.SIGTERM)
		if err := r.cmd.Wait(); err != nil {
			t.Errorf("exit after SIGTERM: %v; want 0\n%s", err, r.log)
		}
		once, twice := slack.answered("P", sent)
		st, err := store.Open(context.Background(), store.Config{URL: url}, slog.New(slog.DiscardHandler))
		if err != nil {
			t.Fatal(err)
		}
		defer st.Close()
		kept, err := st.Since(context.Background(), time.Time{})
		if err != nil {
			t.Fatal(err)
		}
		t.Logf("%d events, %d during a %v outage: answered once %d, twice %d; records kept %d", sent, during, outage, once, twice, len(kept.Records))
		if once != sent || twice != 0 {
			t.Errorf("answered once %d, twice %d of %d", once, twice, sent)
		}
		if len(kept.Records) != sent {
			t.Errorf("%d records kept of %d answers\n%s", len(kept.Records), sent, r.log)
		}
		if !regexp.MustCompile(`store reachable again.*not_kept_meanwhile=0`).MatchString(r.log.String()) {
			t.Errorf("the log does not say the store came back with nothing lost:\n%s", r.log)
		}
	})

	t.Run("two replicas given every event twice, the CPU hogged", func(t *testing.T) {
		stop := hogCPU()
		defer stop()
		slack := newSlackPosts(t)
		cfg := writeConfig(t, slackConfig(slack.srv, fmt.Sprintf(`[serve]
areas_file = ""
[store]
url = %q`, pgtest.Database(t))))
		a, b := startWith(t, bin, cfg), startWith(t, bin, cfg)
		const events = 1000
		var wg sync.WaitGroup
		jobs := make(chan int)
		client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 32, MaxConnsPerHost: 32}}
		var acked atomic.Int64
		for range 32 {
			wg.Go(func() {
				for i := range jobs {
					r := []*replica{a, b}[i%2]
					if r.send(client, fmt.Sprintf("Ev-twice-%d", i/2), fmt.Sprintf("T%d", i/2), "how do we list our pub") == 200 {
						acked.Add(1)
					}
				}
			})
		}
		for i := range 2 * events {
			jobs <- i
		}
		close(jobs)
		wg.Wait()
		// Both drain and exit: any answer on its way has been sent.
		for _, r := range []*replica{a, b} {
			r.cmd.Process.Signal(syscall.SIGTERM)
			if err := r.cmd.Wait(); err != nil {
				t.Errorf("exit after SIGTERM: %v\n%s", err, r.log)
			}
		}
		once, twice := slack.answered("T", events)
		t.Logf("%d events given to both replicas (%d deliveries acknowledged) beside %d spinning goroutines: answered once %d, more than once %d",
			events, acked.Load(), runtime.NumCPU(), once, twice)
		if once != events || twice != 0 {
			t.Errorf("answered once %d, more than once %d; want all %d once", once, twice, events)
		}
	})
}

// burstServe is the [serve] and [store] of the burst tests: the default
// queue, a grace long enough to drain it, no records.
const burstServe = `[serve]
shutdown_grace = "2m"
areas_file = ""
[store]
enabled = false`

// bursting is what a burst sent and what came back.
type bursting struct {
	prefix                 string
	events                 int
	ok                     []atomic.Bool
	acked, refused, unsent atomic.Int64
	took                   time.Duration
}

// burst sends events signed DM events, 100 at a time, each in a channel
// of its own, and SIGTERMs r when the term-th is sent (never if term <
// 0); then it waits for r to exit.
func burst(t *testing.T, r *replica, prefix string, events, term int) *bursting {
	t.Helper()
	b := &bursting{prefix: prefix, events: events, ok: make([]atomic.Bool, events)}
	var wg sync.WaitGroup
	jobs := make(chan int)
	// At most one connection a sender: a client holding more than its
	// workers (idle ones kept while new ones are dialled) can pass
	// signpost's bound of 128 from one address, and the connections signpost then closes
	// to make room fail a POST that reuses one (Go's client does not
	// resend a POST); that is the sender's excess, not a refusal.
	client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 100, MaxConnsPerHost: 100}}
	for range 100 {
		wg.Go(func() {
			for i := range jobs {
				switch code := r.send(client, fmt.Sprintf("Ev-%s-%d", prefix, i), prefix+strconv.Itoa(i), "how do we list our pub"); code {
				case 200:
					b.acked.Add(1)
					b.ok[i].Store(true)
				case 503:
					b.refused.Add(1)
				default:
					if term < 0 {
						t.Errorf("event %d: status %d with the listener open (%v); want 200 or 503", i, code, lastSendErr.Load())
					}
					b.unsent.Add(1) // the listener closed: Slack would send it again
				}
			}
		})
	}
	start := time.Now()
	for i := range events {
		if i == term {
			r.cmd.Process.Signal(syscall.SIGTERM)
		}
		jobs <- i
	}
	close(jobs)
	wg.Wait()
	b.took = time.Since(start)
	if term < 0 {
		r.cmd.Process.Signal(syscall.SIGTERM) // once: a second signal exits at once
	}
	if err := r.cmd.Wait(); err != nil {
		t.Errorf("exit after SIGTERM: %v; want 0\n%s", err, r.log)
	}
	return b
}

// check counts, once r has exited, what each event came to: every one
// acknowledged answered once, none answered that was not, and signpost's
// own count of refusals the sender's.
func (b *bursting) check(t *testing.T, r *replica, slack *slackPosts) {
	t.Helper()
	once, twice, lost := 0, 0, 0
	slack.mu.Lock()
	for i := range b.events {
		n := len(slack.posts[b.prefix+strconv.Itoa(i)])
		switch {
		case n > 1:
			twice++
		case n == 1 && b.ok[i].Load():
			once++
		case n == 0 && b.ok[i].Load():
			lost++
		case n == 1:
			t.Errorf("event %d was answered though not acknowledged", i)
		}
	}
	slack.mu.Unlock()
	t.Logf("last send error: %v", lastSendErr.Load())
	t.Logf("%d events in %v (%.0f a second): %d acknowledged, %d refused (503), %d not sent after the listener closed; answered once %d, twice %d, acknowledged and lost %d",
		b.events, b.took.Round(time.Millisecond), float64(b.events)/b.took.Seconds(), b.acked.Load(), b.refused.Load(), b.unsent.Load(), once, twice, lost)
	if lost != 0 || twice != 0 || int64(once) != b.acked.Load() {
		t.Errorf("acknowledged %d, answered once %d, twice %d, lost %d; want every acknowledged event answered once", b.acked.Load(), once, twice, lost)
	}
	if got := logTotal(r.log.String(), "refused events"); got != b.refused.Load() {
		t.Errorf("signpost counted %d refusals; the sender saw %d", got, b.refused.Load())
	}
	if got := logTotal(r.log.String(), "answers lost"); got != 0 {
		t.Errorf("signpost logged %d answers lost", got)
	}
}

// send delivers a signed DM event and returns the status, 0 when it could
// not be delivered at all.
func (r *replica) send(client *http.Client, id, channel, text string) int {
	body := fmt.Sprintf(`{"type":"event_callback","event_id":%q,"event":{"type":"message","channel_type":"im","user":"U1","text":%q,"ts":"1.1","channel":%q}}`, id, text, channel)
	resp, err := client.Do(signedEvent(r.slack, body))
	if err != nil {
		lastSendErr.Store(err.Error())
		return 0
	}
	io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	return resp.StatusCode
}

var lastSendErr atomic.Value

// answered counts the channels prefix0…prefix(n-1) sent one answer, and
// those sent more than one.
func (s *slackPosts) answered(prefix string, n int) (once, twice int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for i := range n {
		switch len(s.posts[prefix+strconv.Itoa(i)]) {
		case 0:
		case 1:
			once++
		default:
			twice++
		}
	}
	return once, twice
}

// logTotal is the last total a tally logged for msg, 0 if it never did.
func logTotal(log, msg string) int64 {
	m := regexp.MustCompile(regexp.QuoteMeta(msg)+`[^\n]*total=(\d+)`).FindAllStringSubmatch(log, -1)
	if len(m) == 0 {
		return 0
	}
	n, _ := strconv.ParseInt(m[len(m)-1][1], 10, 64)
	return n
}

// hogCPU spins a goroutine on every core until stopped: the contention
// CI's shared machine brings, made on purpose.
func hogCPU() (stop func()) {
	var done atomic.Bool
	var wg sync.WaitGroup
	for range runtime.NumCPU() {
		wg.Go(func() {
			for x := 0; !done.Load(); x++ {
			}
		})
	}
	return func() { done.Store(true); wg.Wait() }
}
