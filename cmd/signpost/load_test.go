package main

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"
)

// TestLoadIsBoundedAndShutdownKeepsItsGrace runs the real binary in Slack
// HTTP mode against a fake Slack whose Web API takes 100 ms a post, sends
// it a flood of signed events over loopback, and checks what an operator
// would: memory stays under 64 MB, and SIGTERM exits 0 within the grace
// plus 2 s, saying how many answers were not sent.
//
// The short form (the default, and CI's) sends 2,000 events;
// SIGNPOST_LOAD=full sends 20,000. Every loop is bounded in count and
// time, and every address is on this machine.
func TestLoadIsBoundedAndShutdownKeepsItsGrace(t *testing.T) {
	if testing.Short() {
		t.Skip("a load test")
	}
	events := 2000
	if os.Getenv("SIGNPOST_LOAD") == "full" {
		events = 20000
	}
	bin := buildSignpost(t)
	var posts atomic.Int64
	api := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/api/auth.test":
			io.WriteString(w, `{"ok":true,"user_id":"UBOT","team_id":"T1"}`)
		case "/api/chat.postMessage":
			time.Sleep(100 * time.Millisecond) // a slow Web API
			posts.Add(1)
			io.WriteString(w, `{"ok":true,"channel":"D1","ts":"2.2"}`)
		}
	}))
	defer api.Close()
	const grace = 2 * time.Second
	r := startWith(t, bin, writeConfig(t, slackConfig(api, fmt.Sprintf(`[serve]
queue = 1000
shutdown_grace = %q
areas_file = ""`, grace.String()))))

	peak := int64(0)
	sample := func() {
		if kb := rssKB(r.cmd.Process.Pid); kb > peak {
			peak = kb
		}
	}
	client := &http.Client{Timeout: 10 * time.Second, Transport: &http.Transport{MaxIdleConnsPerHost: 50, MaxConnsPerHost: 50}}
	var wg sync.WaitGroup
	var refused, failed atomic.Int64
	jobs := make(chan int)
	for range 50 {
		wg.Go(func() {
			for i := range jobs {
				body := fmt.Sprintf(`{"type":"event_callback","event_id":"Ev%d","event":{"type":"message","channel_type":"im","user":"U%d","text":"how do we list our pub %s","ts":"1.%d","channel":"D%d"}}`,
					i, i%500, strings.Repeat("x", 1500), i, i%500)
				// 200 is acknowledged (and will be answered); 503 is
				// refused while the queue is full, and Slack sends it
				// again. Anything else is a failure.
				resp, err := client.Do(signedEvent(r.slack, body))
				switch {
				case err != nil:
					failed.Add(1)
				case resp.StatusCode == http.StatusServiceUnavailable:
					refused.Add(1)
				case resp.StatusCode != 200:
					failed.Add(1)
				}
				if resp != nil {
					io.Copy(io.Discard, resp.Body)
					resp.Body.Close()
				}
			}
		})
	}
	sent := time.Now()
	for i := range events {
		jobs <- i
		if i%500 == 0 {
			sample()
		}
	}
	close(jobs)
	wg.Wait()
	sample()
	t.Logf("%d events acknowledged in %v (%d refused); %d answers posted so far; peak RSS %d KB",
		events, time.Since(sent).Round(time.Millisecond), refused.Load(), posts.Load(), peak)
	if failed.Load() > 0 {
		t.Errorf("%d of %d signed events got neither 200 nor 503", failed.Load(), events)
	}
	if peak > 64*1024 {
		t.Errorf("peak RSS %d KB; want under 64 MB", peak)
	}

	// Requests in flight finish, then the queue drains for at most the
	// grace, and what is left is counted. The verdict is the exit and the
	// count, not how long it took on this machine: the wait below only
	// catches a hang (the grace is 2 s; a hang is forever).
	r.cmd.Process.Signal(syscall.SIGTERM)
	exit := make(chan error, 1)
	go func() { exit <- r.cmd.Wait() }()
	select {
	case err := <-exit:
		if err != nil {
			t.Errorf("exit after SIGTERM: %v; want 0\n%s", err, r.log)
		}
	case <-time.After(grace + 2*time.Minute):
		t.Fatalf("no exit two minutes past the %v grace after SIGTERM: hung\n%s", grace, r.log)
	}
	if !strings.Contains(r.log.String(), "answers not sent") {
		t.Errorf("the log does not say how many queued answers were not sent:\n%s", r.log)
	}
}

// rssKB is a process's resident memory, from /proc.
func rssKB(pid int) int64 {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		return 0
	}
	for _, l := range strings.Split(string(b), "\n") {
		if f := strings.Fields(l); len(f) >= 2 && f[0] == "VmRSS:" {
			n, _ := strconv.ParseInt(f[1], 10, 64)
			return n
		}
	}
	return 0
}

// TestSecondSignalExitsAtOnce: with answers stuck on a hung Web API and a
// long grace, a second SIGTERM ends signpost at once.
func TestSecondSignalExitsAtOnce(t *testing.T) {
	if testing.Short() {
		t.Skip("runs the binary")
	}
	bin := buildSignpost(t)
	hung := make(chan struct{})
	stuck := make(chan struct{}, 1)
	api := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/api/auth.test" {
			io.WriteString(w, `{"ok":true,"user_id":"UBOT","team_id":"T1"}`)
			return
		}
		select {
		case stuck <- struct{}{}:
		default:
		}
		select { // a Web API that does not answer while the test runs
		case <-hung:
		case <-r.Context().Done():
		}
	}))
	defer api.Close()
	defer close(hung) // before Close, which waits for the handlers
	r := startWith(t, bin, writeConfig(t, slackConfig(api, "[serve]\nshutdown_grace = \"10m\"\nareas_file = \"\"")))
	body := `{"type":"event_callback","event_id":"Ev1","event":{"type":"message","channel_type":"im","user":"U1","text":"how do we list our pub","ts":"1.1","channel":"D1"}}`
	if resp, err := http.DefaultClient.Do(signedEvent(r.slack, body)); err == nil {
		resp.Body.Close()
	}
	<-stuck // the answer is now stuck on the Web API
	exit := make(chan error, 1)
	go func() { exit <- r.cmd.Wait() }()
	r.cmd.Process.Signal(syscall.SIGTERM)
	// Shutdown has begun once the listener is closed; with an answer in
	// flight and ten minutes of grace, signpost is then still draining.
	for {
		c, err := net.Dial("tcp", r.slack)
		if err != nil {
			break
		}
		c.Close()
		select {
		case err := <-exit:
			t.Fatalf("exited on the first SIGTERM (%v) with an answer in flight and 10 minutes of grace", err)
		case <-time.After(20 * time.Millisecond):
		}
	}
	select {
	case err := <-exit:
		t.Fatalf("exited on the first SIGTERM (%v) with an answer in flight and 10 minutes of grace", err)
	default:
	}
	r.cmd.Process.Signal(syscall.SIGTERM)
	select {
	case <-exit:
	case <-time.After(2 * time.Minute): // far short of the grace: only a hang
		t.Fatal("a second SIGTERM did not end signpost")
	}
	if !strings.Contains(r.log.String(), "second signal") {
		t.Errorf("the log does not say the second signal ended it:\n%s", r.log)
	}
}

// buildSignpost builds this command into the test's temporary directory,
// for the tests that run the real binary and signal it as an operator's
// supervisor would, and returns its path.
func buildSignpost(t *testing.T) string {
	t.Helper()
	bin := filepath.Join(t.TempDir(), "signpost")
	if out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput(); err != nil {
		t.Fatalf("build: %v\n%s", err, out)
	}
	return bin
}

// signedEvent is an Events API request for body, signed with the test
// signing secret as Slack signs it.
func signedEvent(addr, body string) *http.Request {
	stamp := strconv.FormatInt(time.Now().Unix(), 10)
	mac := hmac.New(sha256.New, []byte("s3cret"))
	fmt.Fprintf(mac, "v0:%s:%s", stamp, body)
	req, _ := http.NewRequest("POST", "http://"+addr+"/slack/events", strings.NewReader(body))
	req.Header.Set("X-Slack-Request-Timestamp", stamp)
	req.Header.Set("X-Slack-Signature", "v0="+hex.EncodeToString(mac.Sum(nil)))
	return req
}
