package slack

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/bathnes/signpost/internal/chattest"
)

// thread is one Slack thread in channel C1, over the HTTP Events API:
// each turn is a signed app_mention from U1 in the thread, answered there
// with chat.postMessage on the fake Web API. Buttons are signed clicks,
// answered through the response_url. It is one conversation throughout.
type thread struct {
	t   *testing.T
	f   *fakeSlack
	srv *httptest.Server
	ts  string
	n   int
}

func newThread(t *testing.T) *thread {
	t.Helper()
	f := newFakeSlack(t)
	srv, _ := httpAdapter(t, f)
	return &thread{t: t, f: f, srv: srv, ts: "500.1"}
}

// Say mentions signpost in the thread and returns the blocks it posted
// in reply, checking they went to the thread.
func (th *thread) Say(text string) chattest.Said {
	th.t.Helper()
	th.n++
	ev := mention("C1", fmt.Sprintf("500.%d", th.n+1), "<@UBOT> "+text)
	ev["thread_ts"] = th.ts
	body := jsonBody(eventPayload(fmt.Sprintf("EvT%d", th.n), ev))
	if code, _ := post(th.t, th.srv, "/slack/events", "application/json", body, sign(secret, time.Now(), body)); code != 200 {
		th.t.Fatalf("%q: status %d; want 200", text, code)
	}
	th.f.wait(1)
	p := th.f.lastPost()
	if p.Get("channel") != "C1" || p.Get("thread_ts") != th.ts {
		th.t.Fatalf("%q answered in channel %q thread %q; want C1 thread %s", text, p.Get("channel"), p.Get("thread_ts"), th.ts)
	}
	return blocks(blocksOf(th.t, p))
}

// Press clicks a button whose value is value on signpost's last message
// and returns the blocks that replace it.
func (th *thread) Press(value string) chattest.Said {
	th.t.Helper()
	body := url2form(click(th.f.hookURL(), actionReply+":0", value))
	if code, _ := post(th.t, th.srv, "/slack/interactive", "application/x-www-form-urlencoded", body, sign(secret, time.Now(), body)); code != 200 {
		th.t.Fatalf("click %q: status %d; want 200", value, code)
	}
	th.f.wait(1)
	h := th.f.lastHook()
	if h["replace_original"] != true {
		th.t.Errorf("click %q: replace_original %v; want the answer in place of the prompt", value, h["replace_original"])
	}
	return blocks(hookBlocks(th.t, h))
}

// blocks are a message's Block Kit blocks, read as Slack shows them.
type blocks []map[string]any

func (bs blocks) Title() string     { return headerOf(bs) }
func (bs blocks) Has(s string) bool { return contains(bs, s) }

// Part is the text of the section block headed *heading*, or "".
func (bs blocks) Part(heading string) string {
	for _, b := range bs {
		if b["type"] != "section" {
			continue
		}
		tb, _ := b["text"].(map[string]any)
		text, _ := tb["text"].(string)
		if strings.HasPrefix(text, "*"+heading+"*") {
			return text
		}
	}
	return ""
}

// String is the blocks' JSON as Slack reads it.
func (bs blocks) String() string {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	enc.Encode([]map[string]any(bs))
	return strings.TrimSpace(b.String())
}

// TestConversationsInAThread: every conversation script, each in a
// thread of its own.
func TestConversationsInAThread(t *testing.T) {
	t.Parallel()
	chattest.Conversations(t, func(t *testing.T) chattest.Chat { return newThread(t) })
}
