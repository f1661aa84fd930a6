package main

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/bathnes/signpost/internal/chattest"
)

// syncBuffer is a stderr that the test reads while serve writes.
type syncBuffer = chattest.Logs

// listeningOn waits for serve's log to say where who ("adapter=slack",
// "listener=ops") listens: configured on 127.0.0.1:0, the system picks
// the port, so none is guessed and raced for.
func listeningOn(t *testing.T, logs fmt.Stringer, who string) string {
	t.Helper()
	var addr string
	eventually(t, who+" says where it listens", func() bool {
		for _, l := range strings.Split(logs.String(), "\n") {
			if strings.Contains(l, "msg=listening") && strings.Contains(l, who) {
				if _, at, ok := strings.Cut(l, "addr="); ok {
					addr = strings.Fields(at)[0]
					return true
				}
			}
		}
		return false
	})
	return addr
}

// slackHTTPEnv is a clean environment for serve on Slack in HTTP mode:
// a fake Slack Web API, and the bot token and signing secret it takes.
func slackHTTPEnv(t *testing.T) *httptest.Server {
	t.Helper()
	clearEnv(t)
	api := fakeSlackAPI(t)
	t.Setenv("SLACK_BOT_TOKEN", "xoxb-good")
	t.Setenv("SLACK_SIGNING_SECRET", "s3cret")
	return api
}

// slackConfig is a config for Slack in HTTP mode on a port the system
// picks, against the Web API api, logging at info so listeningOn can read
// where it listens; more holds the test's own sections.
func slackConfig(api *httptest.Server, more string) string {
	return fmt.Sprintf(`[log]
level = "info"
%s
[slack]
enabled = true
mode = "http"
listen = "127.0.0.1:0"
api_url = %q
`, more, api.URL+"/api/")
}

// fakeSlackAPI answers auth.test as Slack does, accepting only good.
func fakeSlackAPI(t *testing.T) *httptest.Server {
	t.Helper()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		r.ParseForm()
		good := r.Header.Get("Authorization") == "Bearer xoxb-good" || r.PostForm.Get("token") == "xoxb-good"
		if r.URL.Path == "/api/auth.test" && good {
			io.WriteString(w, `{"ok":true,"user_id":"UBOT","team_id":"T1"}`)
			return
		}
		if r.URL.Path == "/api/chat.postMessage" && good {
			io.WriteString(w, `{"ok":true,"channel":"D1","ts":"2.2"}`)
			return
		}
		io.WriteString(w, `{"ok":false,"error":"invalid_auth"}`)
	}))
	t.Cleanup(srv.Close)
	return srv
}

func writeConfig(t *testing.T, body string) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "config.toml")
	if err := os.WriteFile(path, []byte(body), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

func clearEnv(t *testing.T) {
	for _, v := range []string{"SLACK_BOT_TOKEN", "SLACK_APP_TOKEN", "SLACK_SIGNING_SECRET", "DISCORD_BOT_TOKEN", "DISCORD_APP_ID", "DISCORD_PUBLIC_KEY"} {
		t.Setenv(v, "")
	}
}

func TestServeWithNothingConfiguredSaysWhatToSet(t *testing.T) {
	clearEnv(t)
	code, _, errs := runCmd(t, "", "serve", "--config", writeConfig(t, ""))
	if code != 2 || !strings.Contains(errs, "SLACK_BOT_TOKEN") || !strings.Contains(errs, "SLACK_APP_TOKEN") || !strings.Contains(errs, "DISCORD_BOT_TOKEN") {
		t.Errorf("serve = %d, %q; want exit 2 naming the variables to set", code, errs)
	}
}

// TestServeRefusesTwoListenersOnOneAddress: the shipped config.toml gives
// each listener its own port, and serve names both keys when two share one
// rather than failing with "address already in use".
func TestServeRefusesTwoListenersOnOneAddress(t *testing.T) {
	clearEnv(t)
	t.Setenv("SLACK_BOT_TOKEN", "xoxb-test")
	t.Setenv("SLACK_SIGNING_SECRET", "s3cret")
	cfg := writeConfig(t, "[slack]\nmode = \"http\"\nlisten = \"127.0.0.1:8080\"\n[web]\nenabled = true\nlisten = \"127.0.0.1:8080\"\n[store]\nenabled = false\n")
	code, _, errs := runCmd(t, "", "serve", "--config", cfg)
	if code != 2 || !strings.Contains(errs, "[slack] listen and [web] listen are both 127.0.0.1:8080") {
		t.Errorf("serve = %d, %q; want 2 and both keys named", code, errs)
	}
	shipped, err := ReadConfigFile("../../config.toml", false)
	if err != nil {
		t.Fatal(err)
	}
	addrs := map[string]bool{}
	for _, a := range []string{shipped.Slack.Listen, shipped.Discord.Listen, shipped.Web.Listen, shipped.Ops.Listen} {
		if a != "" && addrs[a] {
			t.Errorf("config.toml gives %s to two listeners", a)
		}
		addrs[a] = true
	}
}

func TestServeEnabledWithoutTokensNamesThem(t *testing.T) {
	clearEnv(t)
	code, _, errs := runCmd(t, "", "serve", "--config", writeConfig(t, "[slack]\nenabled = true\n"))
	if code != 1 || !strings.Contains(errs, "set SLACK_BOT_TOKEN and SLACK_APP_TOKEN") {
		t.Errorf("serve = %d, %q; want exit 1 naming the missing variables", code, errs)
	}
}

func TestServeRejectedTokenExitsWithClearError(t *testing.T) {
	clearEnv(t)
	api := fakeSlackAPI(t)
	t.Setenv("SLACK_BOT_TOKEN", "xoxb-revoked")
	t.Setenv("SLACK_APP_TOKEN", "xapp-x")
	cfg := writeConfig(t, "[slack]\napi_url = \""+api.URL+"/api/\"\n")
	code, _, errs := runCmd(t, "", "serve", "--config", cfg)
	if code != 1 || !strings.Contains(errs, "SLACK_BOT_TOKEN") || !strings.Contains(errs, "invalid_auth") {
		t.Errorf("serve = %d, %q; want exit 1 naming the token and Slack's error", code, errs)
	}
}

// TestServeRunsSlackHTTPReloadsAndStops runs serve from a config file that
// holds only a [slack] section, as the README describes for hosted use.
func TestServeRunsSlackHTTPReloadsAndStops(t *testing.T) {
	api := slackHTTPEnv(t)
	kb := t.TempDir()
	src, _ := filepath.Glob("../../knowledge/kb/*.toml")
	for _, f := range src {
		b, _ := os.ReadFile(f)
		os.WriteFile(filepath.Join(kb, filepath.Base(f)), b, 0o644)
	}
	cancel, errs, done := startServe(t, writeConfig(t, slackConfig(api, `[knowledge]
path = "`+kb+`"`)))
	addr := listeningOn(t, errs, "adapter=slack")

	var resp *http.Response
	var err error
	eventually(t, "serve answers on "+addr, func() bool {
		resp, err = http.Post("http://"+addr+"/slack/events", "application/json", strings.NewReader(`{"type":"url_verification","challenge":"c"}`))
		return err == nil
	})
	resp.Body.Close()
	if resp.StatusCode != http.StatusUnauthorized {
		t.Errorf("unsigned request: %d; want 401", resp.StatusCode)
	}

	// A broken edit, then SIGHUP: the reload fails and serve goes on.
	os.WriteFile(filepath.Join(kb, "menu.toml"), []byte("[[entry]\nid = "), 0o644)
	syscall.Kill(os.Getpid(), syscall.SIGHUP)
	waitFor(t, errs, "reload failed")
	// Deleting sources.toml breaks every entry: still one short line.
	os.Remove(filepath.Join(kb, "sources.toml"))
	syscall.Kill(os.Getpid(), syscall.SIGHUP)
	eventually(t, "a second reload failed", func() bool { return strings.Count(errs.String(), "reload failed") >= 2 })
	for _, line := range strings.Split(errs.String(), "\n") {
		if strings.Contains(line, "reload failed") && (len(line) > 800 || !strings.Contains(line, "problems=")) {
			t.Errorf("reload failure logged as %d bytes; want one short line with a count:\n%s", len(line), line)
		}
	}
	if resp, err = http.Post("http://"+addr+"/slack/events", "application/json", nil); err != nil {
		t.Fatalf("serve stopped after a bad reload: %v", err)
	}
	resp.Body.Close()

	cancel()
	if code := exited(t, done, errs); code != 0 {
		t.Errorf("serve exit %d after cancel; want 0\n%s", code, errs)
	}
}

func waitFor(t *testing.T, s *syncBuffer, want string) {
	t.Helper()
	eventually(t, "the log says "+want, func() bool { return strings.Contains(s.String(), want) })
}

// exited waits for serve's exit code: the wait only catches a hang.
func exited(t *testing.T, done <-chan int, errs fmt.Stringer) int {
	t.Helper()
	select {
	case code := <-done:
		return code
	case <-time.After(2 * time.Minute):
		t.Fatalf("serve had not exited two minutes on:\n%s", errs)
		return -1
	}
}

// fakeDiscordAPI accepts command registration from the bot token "good".
func fakeDiscordAPI(t *testing.T) *httptest.Server {
	t.Helper()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method == "PUT" && strings.HasSuffix(r.URL.Path, "/commands") && r.Header.Get("Authorization") == "Bot good" {
			body, _ := io.ReadAll(r.Body)
			w.Write(body)
			return
		}
		w.WriteHeader(http.StatusUnauthorized)
		io.WriteString(w, `{"message":"401: Unauthorized","code":0}`)
	}))
	t.Cleanup(srv.Close)
	return srv
}

// startServe runs serve with cfg until the test cancels it.
func startServe(t *testing.T, cfg string) (context.CancelFunc, *syncBuffer, <-chan int) {
	t.Helper()
	return start(t, "serve", "--config", cfg)
}

// start runs signpost with args in the test's process until the test
// cancels it, and returns its log, read while it is written, and a
// channel that gets its exit code.
func start(t *testing.T, args ...string) (context.CancelFunc, *syncBuffer, <-chan int) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	t.Cleanup(cancel)
	errs := &syncBuffer{}
	done := make(chan int, 1)
	go func() { done <- run(ctx, args, strings.NewReader(""), io.Discard, errs) }()
	return cancel, errs, done
}

// reachable waits until url answers, and returns its status.
func reachable(t *testing.T, url string) int {
	t.Helper()
	code := 0
	eventually(t, url+" answers", func() bool {
		resp, err := http.Post(url, "application/json", strings.NewReader(`{"type":1}`))
		if err == nil {
			resp.Body.Close()
			code = resp.StatusCode
		}
		return err == nil
	})
	return code
}

func TestServeRunsSlackAndDiscordTogether(t *testing.T) {
	slackAPI, discordAPI := slackHTTPEnv(t), fakeDiscordAPI(t)
	t.Setenv("DISCORD_BOT_TOKEN", "good")
	t.Setenv("DISCORD_APP_ID", "123")
	t.Setenv("DISCORD_PUBLIC_KEY", strings.Repeat("ab", 32))
	cancel, errs, done := startServe(t, writeConfig(t, `[log]
level = "info"
[slack]
mode = "http"
listen = "127.0.0.1:0"
api_url = "`+slackAPI.URL+`/api/"
[discord]
mode = "http"
listen = "127.0.0.1:0"
api_url = "`+discordAPI.URL+`/api/v9"
`))
	slackAddr, discordAddr := listeningOn(t, errs, "adapter=slack"), listeningOn(t, errs, "adapter=discord")
	select {
	case code := <-done:
		t.Fatalf("serve exited %d:\n%s", code, errs)
	case <-time.After(100 * time.Millisecond):
	}
	if code := reachable(t, "http://"+slackAddr+"/slack/events"); code != http.StatusUnauthorized {
		t.Errorf("Slack, unsigned: %d; want 401\n%s", code, errs)
	}
	if code := reachable(t, "http://"+discordAddr+"/discord/interactions"); code != http.StatusUnauthorized {
		t.Errorf("Discord, unsigned: %d; want 401", code)
	}
	if !strings.Contains(errs.String(), "answering on Slack (http mode) and Discord (http mode)") {
		t.Errorf("serve did not say what it is answering on:\n%s", errs)
	}
	cancel()
	if code := exited(t, done, errs); code != 0 {
		t.Errorf("serve exit %d; want 0\n%s", code, errs)
	}
}

func TestServeStopsEverythingWhenOnePlatformFails(t *testing.T) {
	slackAPI, discordAPI := slackHTTPEnv(t), fakeDiscordAPI(t)
	t.Setenv("DISCORD_BOT_TOKEN", "revoked")
	t.Setenv("DISCORD_APP_ID", "123")
	_, errs, done := startServe(t, writeConfig(t, `[slack]
mode = "http"
listen = "127.0.0.1:0"
api_url = "`+slackAPI.URL+`/api/"
[discord]
api_url = "`+discordAPI.URL+`/api/v9"
`))
	if code := exited(t, done, errs); code != 1 || !strings.Contains(errs.String(), "DISCORD_BOT_TOKEN") || !strings.Contains(errs.String(), "401") {
		t.Errorf("serve = %d, %q; want exit 1 naming the Discord token and the 401", code, errs)
	}
}

func TestServeRejectsAnAreaItDoesNotKnow(t *testing.T) {
	clearEnv(t)
	t.Setenv("SLACK_BOT_TOKEN", "xoxb-good")
	t.Setenv("SLACK_APP_TOKEN", "xapp-x")
	code, _, errs := runCmd(t, "", "serve", "--config", writeConfig(t, "[areas.slack]\nC1 = \"Atlantis\"\n"))
	if code != 1 || !strings.Contains(errs, "[areas.slack]") || !strings.Contains(errs, `"Atlantis"`) {
		t.Errorf("serve = %d, %q; want exit 1 naming the section and the place", code, errs)
	}
}

// TestServeOpsEndpoints runs serve with [ops] listen and scrapes it as an
// operator's monitoring would: alive, ready once Slack is connected, and
// every metric named, counting an answered question, with no question
// text or user id anywhere in it.
func TestServeOpsEndpoints(t *testing.T) {
	api := slackHTTPEnv(t)
	cancel, errs, done := startServe(t, writeConfig(t, slackConfig(api, `[ops]
listen = "127.0.0.1:0"
[serve]
areas_file = ""`)))
	addr, opsAddr := listeningOn(t, errs, "adapter=slack"), listeningOn(t, errs, "listener=ops")

	get := func(path string) (int, string) {
		var resp *http.Response
		var err error
		eventually(t, "GET "+path, func() bool {
			resp, err = http.Get("http://" + opsAddr + path)
			return err == nil
		})
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, string(b)
	}
	if code, _ := get("/healthz"); code != 200 {
		t.Errorf("/healthz: %d; want 200", code)
	}
	// Each wait below is for a state (ready, counted), however busy the
	// machine; its bound only ends a test that would hang.
	eventually(t, "/readyz is 200 once Slack is connected", func() bool { code, _ := get("/readyz"); return code == 200 })

	// A signed direct message, answered.
	body := `{"type":"event_callback","event_id":"Ev1","event":{"type":"message","channel_type":"im","user":"U123SECRETUSER","text":"how do we list our pub","ts":"1.1","channel":"D1"}}`
	if resp, err := http.DefaultClient.Do(signedEvent(addr, body)); err != nil || resp.StatusCode != 200 {
		t.Fatalf("signed event: %v %v", resp, err)
	}

	var metrics string
	eventually(t, "the answer counted and timed", func() bool {
		_, metrics = get("/metrics")
		// The count and the latency are two updates: wait for both.
		return strings.Contains(metrics, `signpost_questions_total{outcome="answer",platform="slack"} 1`) &&
			strings.Contains(metrics, `signpost_answer_seconds_count{platform="slack"} 1`)
	})
	for _, name := range []string{"signpost_questions_total", "signpost_answer_seconds", "signpost_queue_depth",
		"signpost_dropped_total", "signpost_platform_errors_total", "signpost_reloads_total", "signpost_knowledge_entries",
		"signpost_refused_total", "signpost_store_spooled", "signpost_store_not_kept_total"} {
		if !strings.Contains(metrics, "# TYPE "+name) {
			t.Errorf("/metrics does not name %s", name)
		}
	}
	if !strings.Contains(metrics, `signpost_questions_total{outcome="answer",platform="slack"} 1`) ||
		!strings.Contains(metrics, `signpost_answer_seconds_count{platform="slack"} 1`) {
		t.Errorf("/metrics did not count the answered question:\n%s", grep(metrics, "signpost_"))
	}
	if strings.Contains(metrics, "U123SECRETUSER") || strings.Contains(metrics, "list our pub") {
		t.Error("/metrics holds a user id or question text")
	}
	cancel()
	if code := exited(t, done, errs); code != 0 {
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

// TestWebServesTheDeskWithNoTokens: `signpost web` on the embedded base
// says where the desk is, and serves it there.
func TestWebServesTheDeskWithNoTokens(t *testing.T) {
	clearEnv(t)
	cancel, errs, done := start(t, "web", "--listen", "127.0.0.1:0")
	var addr string
	eventually(t, "web says where the desk is", func() bool {
		_, after, ok := strings.Cut(errs.String(), "the desk is at http://")
		addr, _, _ = strings.Cut(after, "/")
		return ok
	})
	resp, err := http.Get("http://" + addr + "/?q=pact")
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 200 || !strings.Contains(string(body), "PACT meetings") {
		t.Errorf("desk answered %d without the PACT entry", resp.StatusCode)
	}
	cancel()
	if code := exited(t, done, errs); code != 0 {
		t.Errorf("web exit %d after cancel; want 0\n%s", code, errs)
	}
}
