package main

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"
)

// TestServeOpsEndpoints runs serve with [ops] listen and scrapes it as an
// operator's monitoring would: alive, ready once Slack is connected, and
// every metric named, counting an answered question, with no question
// text or user id anywhere in it.
func TestServeOpsEndpoints(t *testing.T) {
	clearEnv(t)
	api := fakeSlackAPI(t)
	t.Setenv("SLACK_BOT_TOKEN", "xoxb-good")
	t.Setenv("SLACK_SIGNING_SECRET", "s3cret")
	cfg := writeConfig(t, `[log]
level = "info"
[ops]
listen = "127.0.0.1:0"
[serve]
areas_file = ""
[slack]
enabled = true
mode = "http"
listen = "127.0.0.1:0"
api_url = "`+api.URL+`/api"
`)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	errs := &syncBuffer{}
	done := make(chan int)
	go func() { done <- run(ctx, []string{"serve", "--config", cfg}, strings.NewReader(""), io.Discard, errs) }()
	addr, opsAddr := listeningOn(t, errs, "adapter=slack"), listeningOn(t, errs, "listener=ops")

	get := func(path string) (int, string) {
		var resp *http.Response
		var err error
		for range 100 {
			if resp, err = http.Get("http://" + opsAddr + path); err == nil {
				break
			}
			time.Sleep(20 * time.Millisecond)
		}
		if err != nil {
			t.Fatalf("GET %s: %v\n%s", path, err, errs)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, string(b)
	}
	if code, _ := get("/healthz"); code != 200 {
		t.Errorf("/healthz: %d; want 200", code)
	}
	deadline := time.Now().Add(5 * time.Second)
	for {
		code, _ := get("/readyz")
		if code == 200 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("/readyz: %d; want 200 once Slack is connected", code)
		}
		time.Sleep(20 * time.Millisecond)
	}

	// A signed direct message, answered.
	body := `{"type":"event_callback","event_id":"Ev1","event":{"type":"message","channel_type":"im","user":"U123SECRETUSER","text":"how do we list our pub","ts":"1.1","channel":"D1"}}`
	stamp := fmt.Sprint(time.Now().Unix())
	mac := hmac.New(sha256.New, []byte("s3cret"))
	fmt.Fprintf(mac, "v0:%s:%s", stamp, body)
	req, _ := http.NewRequest("POST", "http://"+addr+"/slack/events", strings.NewReader(body))
	req.Header.Set("X-Slack-Request-Timestamp", stamp)
	req.Header.Set("X-Slack-Signature", "v0="+hex.EncodeToString(mac.Sum(nil)))
	if resp, err := http.DefaultClient.Do(req); err != nil || resp.StatusCode != 200 {
		t.Fatalf("signed event: %v %v", resp, err)
	}

	var metrics string
	deadline = time.Now().Add(5 * time.Second)
	for {
		_, metrics = get("/metrics")
		if strings.Contains(metrics, `signpost_questions_total{outcome="matched",platform="slack"} 1`) || time.Now().After(deadline) {
			break
		}
		time.Sleep(50 * time.Millisecond)
	}
	for _, name := range []string{"signpost_questions_total", "signpost_answer_seconds", "signpost_queue_depth",
		"signpost_dropped_total", "signpost_platform_errors_total", "signpost_reloads_total", "signpost_knowledge_entries"} {
		if !strings.Contains(metrics, "# TYPE "+name) {
			t.Errorf("/metrics does not name %s", name)
		}
	}
	if !strings.Contains(metrics, `signpost_questions_total{outcome="matched",platform="slack"} 1`) ||
		!strings.Contains(metrics, `signpost_answer_seconds_count{platform="slack"} 1`) {
		t.Errorf("/metrics did not count the answered question:\n%s", grep(metrics, "signpost_"))
	}
	if strings.Contains(metrics, "U123SECRETUSER") || strings.Contains(metrics, "list our pub") {
		t.Error("/metrics holds a user id or question text")
	}
	cancel()
	if code := <-done; code != 0 {
		t.Errorf("serve exit %d; want 0\n%s", code, errs)
	}
}

func grep(s, prefix string) string {
	var out []string
	for _, l := range strings.Split(s, "\n") {
		if strings.HasPrefix(l, prefix) {
			out = append(out, l)
		}
	}
	return strings.Join(out, "\n")
}
