package slack

import (
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/bathnes/signpost/adapters"
	"github.com/bathnes/signpost/bot"
	"github.com/bathnes/signpost/internal/chattest"
)

const acvTitle = "Assets of Community Value (Community Right to Bid)"

func TestSocketModeAnswersMentionInThreadAfterAck(t *testing.T) {
	t.Parallel()
	f := newSocket(t)
	c := f.c
	sent := c.send(t, "events_api", "e1", eventPayload("Ev1", mention("C1", "111.1", "<@UBOT> how do we list our pub")))
	acked := c.acked(t, "e1")
	if d := acked.Sub(sent); d > 3*time.Second {
		t.Errorf("ack took %v; Slack wants it within 3s", d)
	} else {
		t.Logf("acked in %v", d)
	}
	f.wait(1)
	p := f.lastPost()
	if p.Get("channel") != "C1" || p.Get("thread_ts") != "111.1" {
		t.Errorf("posted to channel %q thread %q; want C1 thread 111.1", p.Get("channel"), p.Get("thread_ts"))
	}
	if h := headerOf(blocksOf(t, p)); h != acvTitle {
		t.Errorf("header = %q; want %q", h, acvTitle)
	}
	if !strings.HasPrefix(p.Get("text"), "Assets of Community Value") {
		t.Errorf("fallback text = %q; want the title first, for notifications", p.Get("text"))
	}
	for _, k := range []string{"link_names", "parse"} {
		if p.Has(k) {
			t.Errorf("chat.postMessage sent %s=%q; it must never ask Slack to resolve mentions", k, p.Get(k))
		}
	}
}

func TestSocketModeAnswersDirectMessageInChannel(t *testing.T) {
	t.Parallel()
	p := newSocket(t).event(dm("U1", "who runs PACT here"))
	if p.Get("channel") != "D1" || p.Get("thread_ts") != "" {
		t.Errorf("posted to %q thread %q; want D1, not in a thread", p.Get("channel"), p.Get("thread_ts"))
	}
	if h := headerOf(blocksOf(t, p)); !strings.HasPrefix(h, "PACT meetings") {
		t.Errorf("header = %q; want the PACT entry", h)
	}
}

func TestSlashCommandAnswersPrivatelyAndEchoesEscaped(t *testing.T) {
	t.Parallel()
	f := newSocket(t)
	c := f.c
	sent := c.send(t, "slash_commands", "s1", command(f.hookURL(), "<!channel> <!here> <!everyone> <@U999> & how do we list our pub"))
	if d := c.acked(t, "s1").Sub(sent); d > 3*time.Second {
		t.Errorf("slash command ack took %v; Slack shows an error after 3s", d)
	}
	f.wait(1)
	h := f.lastHook()
	if h["response_type"] != "ephemeral" {
		t.Errorf("response_type = %v; want ephemeral", h["response_type"])
	}
	bs := hookBlocks(t, h)
	if headerOf(bs) != acvTitle {
		t.Errorf("header = %q; want %q", headerOf(bs), acvTitle)
	}
	if !contains(bs, "You asked: &lt;!channel&gt; &lt;!here&gt; &lt;!everyone&gt; &lt;@U999&gt; &amp; how") {
		t.Errorf("question not echoed escaped: %v", bs[0])
	}
	for _, ping := range []string{"<!channel>", "<!here>", "<!everyone>", "<@U999>"} {
		if contains(bs, ping) {
			t.Errorf("answer contains %q, which would ping", ping)
		}
	}
}

// TestSocketModeCommandsAndClicks: what a slash command or a click over
// the socket shows, in the response_url's message.
func TestSocketModeCommandsAndClicks(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name   string
		do     func(s *socket) map[string]any
		header string // the answer's header starts so
		// inPlace: the answer replaces the message clicked on.
		inPlace bool
	}{
		{"an empty command shows help", func(s *socket) map[string]any { return s.command("  ") }, "What signpost can do", false},
		{"a button opens the entry in place", func(s *socket) map[string]any { return s.click(actionAbout, "pact") }, "PACT meetings", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			h := tt.do(newSocket(t))
			if got := headerOf(hookBlocks(t, h)); !strings.HasPrefix(got, tt.header) {
				t.Errorf("header = %q; want %q", got, tt.header)
			}
			if tt.inPlace && h["replace_original"] != true {
				t.Errorf("replace_original = %v; a click should replace the message it was on", h["replace_original"])
			}
		})
	}
}

func TestMoreButtonShowsEveryDetail(t *testing.T) {
	t.Parallel()
	s := newSocket(t)
	short := blocksOf(t, s.event(dm("U1", "what are community hubs")))
	if !contains(short, bot.More) || !contains(short, `"value":"about community-hubs"`) {
		t.Fatalf("an entry with more facts than fit shows no more button: %v", short)
	}
	// The button sends back what it carries, as if typed.
	full := hookBlocks(t, s.click(actionSend+":0", "about community-hubs"))
	if contains(full, "Show all") || contains(full, bot.More) {
		t.Error("the full entry still offers more")
	}
	e, _ := testBot().Base().Entry("community-hubs")
	for _, d := range e.Details {
		if !contains(full, esc(d)) {
			t.Errorf("full entry lacks detail %q", d)
		}
	}
}

func TestEventRetriesAreAnsweredOnce(t *testing.T) {
	t.Parallel()
	f := newSocket(t)
	c := f.c
	ev := eventPayload("Ev1", dm("U1", "who runs PACT here"))
	c.send(t, "events_api", "e1", ev)
	c.send(t, "events_api", "e2", ev) // Slack's retry: new envelope, same event id
	c.send(t, "events_api", "e2", ev) // the same envelope again
	c.acked(t, "e2")
	f.wait(1)
	f.quiet()
}

func TestIgnoresItselfAndOtherBots(t *testing.T) {
	t.Parallel()
	f := newSocket(t)
	c := f.c
	own := dm("UBOT", "who runs PACT here")
	other := dm("U2", "who runs PACT here")
	other["bot_id"] = "B2"
	edited := dm("U1", "who runs PACT here")
	edited["subtype"] = "message_changed"
	botMention := mention("C1", "1.1", "<@UBOT> who runs PACT here")
	botMention["bot_id"] = "B2"
	for i, ev := range []map[string]any{own, other, edited, botMention} {
		c.send(t, "events_api", "x", eventPayload("Ignored"+string(rune('a'+i)), ev))
	}
	c.send(t, "events_api", "e1", eventPayload("Ev1", dm("U1", "how do we list our pub")))
	f.wait(1)
	if h := headerOf(blocksOf(t, f.lastPost())); h != acvTitle {
		t.Errorf("answered %q; want only the person's question answered", h)
	}
	f.quiet()
}

func TestReconnectsAfterSocketDrops(t *testing.T) {
	t.Parallel()
	f := newSocket(t)
	f.c.drop()
	c := f.conn()
	c.send(t, "events_api", "e1", eventPayload("Ev1", dm("U1", "who runs PACT here")))
	f.wait(1)
}

func TestReconnectsWhenSocketGoesQuiet(t *testing.T) {
	t.Parallel()
	f := newSocket(t)
	close(f.c.quiet) // Slack stops pinging: the connection is dead
	c := f.conn()
	c.send(t, "events_api", "e1", eventPayload("Ev1", dm("U1", "who runs PACT here")))
	f.wait(1)
}

func TestRevokedTokenEndsWithClearError(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name         string
		auth, open   string
		wantA, wantB string
	}{
		{"bot token", "invalid_auth", "", "SLACK_BOT_TOKEN", "invalid_auth"},
		{"app token", "", "token_revoked", "SLACK_APP_TOKEN", "token_revoked"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newFakeSlack(t)
			f.authError, f.openError = tt.auth, tt.open
			_, _, errc := start(t, f, Config{})
			if err := chattest.Next(t, errc, "Run's return with a rejected token"); err == nil || !strings.Contains(err.Error(), tt.wantA) || !strings.Contains(err.Error(), tt.wantB) {
				t.Errorf("Run = %v; want an error naming %s and %s", err, tt.wantA, tt.wantB)
			}
		})
	}
}

func TestRateLimitedSendIsRetried(t *testing.T) {
	t.Parallel()
	f := newSocket(t, func(f *fakeSlack) { f.limited = 1 })
	c := f.c
	c.send(t, "events_api", "e1", eventPayload("Ev1", dm("U1", "who runs PACT here")))
	f.wait(1)
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.attempts != 2 || len(f.posts) != 1 {
		t.Errorf("%d attempts, %d posts; want the 429 waited out and one post", f.attempts, len(f.posts))
	}
}

// TestLongRateLimitIsWaitedOut: Slack asking to wait 12 s (longer than
// the old 10 s answer deadline) delays the answer; it does not drop it.
func TestLongRateLimitIsWaitedOut(t *testing.T) {
	t.Parallel()
	if testing.Short() {
		t.Skip("waits 12 s")
	}
	f := newSocket(t, func(f *fakeSlack) { f.limited, f.retryAfter = 1, "12" })
	c := f.c
	c.send(t, "events_api", "e1", eventPayload("Ev1", dm("U1", "who runs PACT here")))
	chattest.Next(t, f.sent, "the answer after Slack's Retry-After was waited out")
}

func TestFailedSendIsLoggedAndAdapterGoesOn(t *testing.T) {
	t.Parallel()
	f := newSocket(t, func(f *fakeSlack) { f.failPost["C9"] = "channel_not_found" })
	c, l := f.c, f.log
	c.send(t, "events_api", "e1", eventPayload("Ev1", mention("C9", "1.1", "<@UBOT> who runs PACT here")))
	c.send(t, "events_api", "e2", eventPayload("Ev2", dm("U1", "how do we list our pub")))
	f.wait(1)
	l.Await(t, "send failed")
	log := l.String()
	if !strings.Contains(log, "channel=C9") || !strings.Contains(log, "channel_not_found") {
		t.Errorf("log lacks the failed send and its channel:\n%s", log)
	}
	for _, private := range []string{"PACT", "pub", "U1"} {
		if strings.Contains(log, private) {
			t.Errorf("log contains %q; message text and user ids stay out of logs:\n%s", private, log)
		}
	}
}

func TestHTTPModeShutsDownCleanly(t *testing.T) {
	t.Parallel()
	f := newFakeSlack(t)
	ln := chattest.Loopback(t)
	cfg := Config{Mode: "http", Listener: ln, SigningSecret: "s3cret", BotToken: "xoxb-test", APIURL: f.srv.URL + "/api"}
	a, err := New(cfg, testBot(), slog.New(slog.DiscardHandler))
	if err != nil {
		t.Fatal(err)
	}
	stop := chattest.Run(t, a.Run)
	if code := chattest.Unsigned(t, "http://"+ln.Addr().String()+"/slack/events", "{}"); code != http.StatusUnauthorized {
		t.Errorf("unsigned request: %d; want 401", code)
	}
	stop()
}

func TestConfigCheckNamesWhatIsMissing(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		cfg  Config
		want string
	}{
		{"socket, nothing", Config{}, "set SLACK_BOT_TOKEN and SLACK_APP_TOKEN"},
		{"socket, no app token", Config{BotToken: "x"}, "set SLACK_APP_TOKEN"},
		{"http, no secret", Config{Mode: "http", BotToken: "x", Listen: ":8080"}, "set SLACK_SIGNING_SECRET"},
		{"http, no listen", Config{Mode: "http", BotToken: "x", SigningSecret: "s"}, "listen"},
		{"bad mode", Config{Mode: "rtm", BotToken: "x"}, `mode "rtm"`},
		{"socket, complete", Config{BotToken: "x", AppToken: "y"}, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) { chattest.ErrSays(t, "Check()", tt.cfg.Check(), tt.want) })
	}
}

func TestAreaQuestionIsAnsweredByAButton(t *testing.T) {
	t.Parallel()
	s := newSocket(t)
	if bs := hookBlocks(t, s.command("who runs PACT here")); !contains(bs, "Which area are you in?") || !contains(bs, `"value":"Somer Valley"`) {
		t.Fatalf("no area buttons in %v", bs)
	}
	h := s.click(actionReply+":3", "Somer Valley")
	if bs := hookBlocks(t, h); h["replace_original"] != true || !strings.HasPrefix(headerOf(bs), "PACT meetings") || !contains(bs, "for Somer Valley in particular") {
		t.Errorf("after the click: replace %v, %q; want the PACT answer for Somer Valley in place", h["replace_original"], headerOf(bs))
	}
}

func TestChannelBoundToAnAreaAnswersLocally(t *testing.T) {
	t.Parallel()
	s := newSocket(t)
	if bs := blocksOf(t, s.event(mention("C7", "1.1", "<@UBOT> area Chew Valley"))); !contains(bs, `means Chew Valley`) {
		t.Fatalf("binding reply: %v", bs)
	}
	if bs := blocksOf(t, s.event(mention("C7", "2.1", "<@UBOT> are there village agents here"))); !contains(bs, "In Chew Valley:") {
		t.Errorf("answer in the bound channel lacks the local facts: %v", bs)
	}
}

func TestFundingFinderByButtons(t *testing.T) {
	t.Parallel()
	s := newSocket(t)
	if bs := hookBlocks(t, s.command("funding")); !contains(bs, "Who is applying?") || !contains(bs, `"value":"Residents, no group yet"`) {
		t.Fatalf("first step: %v", bs)
	}
	steps := []struct{ click, next string }{
		{"Residents, no group yet", "What is it for?"},
		{"skip", "Roughly how much"},
		{"Under £5,000", "Where is it?"},
		{"Somer Valley", "Funding routes"},
	}
	var bs []map[string]any
	for _, st := range steps {
		h := s.click(actionReply+":2", st.click)
		if bs = hookBlocks(t, h); !contains(bs, st.next) || h["replace_original"] != true {
			t.Fatalf("after %q: %v; want %q in place", st.click, bs, st.next)
		}
	}
	if !contains(bs, "Big Local") || !contains(bs, "Fundraising support") {
		t.Errorf("result lacks Big Local or the advice routes: %v", bs)
	}
}

func TestBigLocalFromKeynshamSaysWhereItRunsAndOffersWhatDoes(t *testing.T) {
	t.Parallel()
	bs := blocksOf(t, newSocket(t).event(dm("U1", "can we get Big Local money in Keynsham")))
	if !contains(bs, "covers Radstock and Westfield only, not Keynsham") || !contains(bs, "For Keynsham, see") {
		t.Errorf("answer lacks where Big Local runs or what runs in Keynsham: %v", bs)
	}
}

// TestShutdownAnswersEverythingAcknowledged: events keep arriving while the
// adapter shuts down; each one acknowledged with 200 is answered before Run
// returns, and none that was refused or cut off is. The server finishes
// its requests in flight before the queue closes.
func TestShutdownAnswersEverythingAcknowledged(t *testing.T) {
	t.Parallel()
	f := newFakeSlack(t)
	ln := chattest.Loopback(t)
	cfg := Config{Mode: "http", Listener: ln, SigningSecret: secret, BotToken: "xoxb-test", APIURL: f.srv.URL + "/api", Delivery: adapters.Delivery{Grace: time.Minute}}
	a, err := New(cfg, testBot(), slog.New(slog.DiscardHandler))
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	ran := make(chan error, 1)
	go func() { ran <- a.Run(ctx) }()
	url := "http://" + ln.Addr().String() + "/slack/events"
	var acked atomic.Int64
	var wg sync.WaitGroup
	const senders, each = 8, 10 // 80 answers: within the fake's buffer
	for s := range senders {
		wg.Go(func() {
			for i := range each {
				if s == 0 && i == each/2 {
					cancel() // the shutdown begins mid-burst
				}
				body := jsonBody(eventPayload(fmt.Sprintf("Ev%d-%d", s, i), dm("U1", "how do we list our pub")))
				req, _ := http.NewRequest("POST", url, strings.NewReader(body))
				req.Header = sign(secret, time.Now(), body)
				req.Header.Set("Content-Type", "application/json")
				resp, err := http.DefaultClient.Do(req)
				if err != nil {
					continue // refused at the door: never acknowledged
				}
				if resp.StatusCode == 200 {
					acked.Add(1)
				}
				resp.Body.Close()
			}
		})
	}
	wg.Wait()
	if err := <-ran; err != nil {
		t.Fatalf("Run = %v", err)
	}
	f.mu.Lock()
	sent := len(f.posts)
	f.mu.Unlock()
	if int64(sent) != acked.Load() || a.q.Lost.Total() != 0 {
		t.Errorf("%d events acknowledged, %d answered, %d lost; want every acknowledged event answered", acked.Load(), sent, a.q.Lost.Total())
	}
}
