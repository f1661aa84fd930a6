package discord

import (
	"strings"
	"testing"
	"time"

	"github.com/bathnes/signpost/internal/chattest"
)

const acvTitle = "Assets of Community Value (Community Right to Bid)"

func TestRegistersSlashCommandWithAutocomplete(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct{ guild, path string }{
		{"", "/api/v9/applications/APP/commands"},
		{"G1", "/api/v9/applications/APP/guilds/G1/commands"},
	} {
		f := newFakeDiscord(t)
		a, _ := newAdapter(t, f, Config{GuildID: tt.guild}, nil)
		go a.register(t.Context())
		c := f.wait()
		if c.Method != "PUT" || c.Path != tt.path {
			t.Errorf("guild %q: %s %s; want PUT %s", tt.guild, c.Method, c.Path, tt.path)
		}
		var cmds []map[string]any
		if err := jsonUnmarshal(c.Raw, &cmds); err != nil || len(cmds) != 1 || cmds[0]["name"] != "signpost" {
			t.Fatalf("registered %s; want one command, signpost", c.Raw)
		}
		q := cmds[0]["options"].([]any)[0].(map[string]any)
		if q["name"] != "question" || q["autocomplete"] != true {
			t.Errorf("first option %v; want question, with autocomplete", q)
		}
	}
}

func TestGatewayIdentifiesWithIntents(t *testing.T) {
	t.Parallel()
	f := newFakeDiscord(t)
	start(t, f, Config{}, nil)
	f.conn()
	f.mu.Lock()
	defer f.mu.Unlock()
	intents := int(f.identifies[0]["intents"].(float64))
	for name, bit := range map[string]int{"guild messages": 1 << 9, "direct messages": 1 << 12, "message content": 1 << 15} {
		if intents&bit == 0 {
			t.Errorf("identify intents %b lack %s", intents, name)
		}
	}
}

func TestMentionIsAnsweredAsReplyWithoutPings(t *testing.T) {
	t.Parallel()
	f := newGateway(t)
	got := f.send("MESSAGE_CREATE", guildMessage("M1", "<@BOT> how do we list our pub @everyone", true))
	if got.Path != "/api/v9/channels/C1/messages" {
		t.Fatalf("sent %s %s; want a message to C1", got.Method, got.Path)
	}
	if embedTitle(got.Body) != acvTitle {
		t.Errorf("embed title %q; want %q", embedTitle(got.Body), acvTitle)
	}
	ref, _ := got.Body["message_reference"].(map[string]any)
	if ref["message_id"] != "M1" {
		t.Errorf("message_reference = %v; want a reply to M1", ref)
	}
	checkNoPings(t, got.Body)
}

func TestDirectMessageIsAnswered(t *testing.T) {
	t.Parallel()
	f := newGateway(t)
	got := f.send("MESSAGE_CREATE", directMessage("M1", "who runs PACT here"))
	if got.Path != "/api/v9/channels/D1/messages" || !strings.HasPrefix(embedTitle(got.Body), "PACT meetings") {
		t.Errorf("sent %s with title %q; want the PACT entry in D1", got.Path, embedTitle(got.Body))
	}
}

func TestIgnoresBotsAndUnaddressedMessages(t *testing.T) {
	t.Parallel()
	f := newGateway(t)
	c := f.c
	own := directMessage("M1", "who runs PACT here")
	own["author"] = map[string]any{"id": "BOT", "username": "signpost", "bot": true}
	other := guildMessage("M2", "<@BOT> who runs PACT here", true)
	other["author"] = map[string]any{"id": "B2", "username": "otherbot", "bot": true}
	chatter := guildMessage("M3", "who runs PACT here", false)
	for _, m := range []map[string]any{own, other, chatter} {
		c.dispatch("MESSAGE_CREATE", m)
	}
	if got := f.send("MESSAGE_CREATE", directMessage("M4", "how do we list our pub")); embedTitle(got.Body) != acvTitle {
		t.Errorf("answered %q; want only the person's direct message", embedTitle(got.Body))
	}
	f.quiet()
}

func TestSlashCommandAnswersEphemerallyWithinDeadline(t *testing.T) {
	t.Parallel()
	f := newGateway(t)
	sent := time.Now()
	ask := slash(opt("question", "how do we list our pub <@&123> @here"))
	got := f.send("INTERACTION_CREATE", ask)
	if d := time.Since(sent); d > 3*time.Second {
		t.Errorf("first response after %v; Discord fails the interaction after 3s", d)
	} else {
		t.Logf("first response after %v", d)
	}
	if got.Path != "/api/v9/interactions/"+ask["id"].(string)+"/tok/callback" || got.Body["type"] != float64(4) {
		t.Fatalf("sent %s %v; want a type 4 callback", got.Path, got.Body["type"])
	}
	data := got.Body["data"].(map[string]any)
	if data["flags"] != float64(64) {
		t.Errorf("flags = %v; want 64 (only the asker sees it)", data["flags"])
	}
	if embedTitle(got.Body) != acvTitle {
		t.Errorf("title %q; want %q", embedTitle(got.Body), acvTitle)
	}
	checkNoPings(t, got.Body)
}

func TestSlashCommandShowsLists(t *testing.T) {
	t.Parallel()
	tests := []struct{ show, title string }{
		{"funding routes", "Funding routes"},
		{"menu", "The Connecting Communities menu for localities"},
		{"help", "What signpost can do"},
	}
	f := newGateway(t)
	c := f.c
	for _, tt := range tests {
		if got := f.send("INTERACTION_CREATE", slash(opt("show", tt.show))); embedTitle(got.Body) != tt.title {
			t.Errorf("show:%s gave %q; want %q", tt.show, embedTitle(got.Body), tt.title)
		}
	}
	c.dispatch("INTERACTION_CREATE", slash()) // no options at all
	if got := f.wait(); embedTitle(got.Body) != "What signpost can do" {
		t.Errorf("bare /signpost gave %q; want help", embedTitle(got.Body))
	}
}

func TestAutocompleteOffersAtMost25Entries(t *testing.T) {
	t.Parallel()
	f := newGateway(t)
	for _, tt := range []struct{ typed, first string }{
		{"acv", "about assets-of-community-value"},
		{"pact", "about pact"},
		{"", ""},
		{"e", ""},
	} {
		got := f.send("INTERACTION_CREATE", autocomplete(tt.typed))
		if got.Body["type"] != float64(8) {
			t.Fatalf("autocomplete answered with type %v; want 8", got.Body["type"])
		}
		choices, _ := got.Body["data"].(map[string]any)["choices"].([]any)
		if len(choices) == 0 || len(choices) > 25 {
			t.Errorf("%q: %d choices; want 1 to 25", tt.typed, len(choices))
			continue
		}
		for _, ch := range choices {
			ch := ch.(map[string]any)
			if n := len([]rune(ch["name"].(string))); n > 100 || len(ch["value"].(string)) > 100 {
				t.Errorf("%q: choice %v over Discord's 100-character limit", tt.typed, ch)
			}
		}
		if first := choices[0].(map[string]any)["value"]; tt.first != "" && first != tt.first {
			t.Errorf("%q: first choice %v; want %s", tt.typed, first, tt.first)
		}
	}
	// Picking a suggestion sends its value as the question.
	if got := f.send("INTERACTION_CREATE", slash(opt("question", "about pact"))); !strings.HasPrefix(embedTitle(got.Body), "PACT meetings") {
		t.Errorf("picked suggestion answered %q; want the PACT entry", embedTitle(got.Body))
	}
}

func TestButtonsAndMenusUpdateTheMessage(t *testing.T) {
	t.Parallel()
	f := newGateway(t)
	click := clickButton(idSend + "about pact")
	got := f.send("INTERACTION_CREATE", click)
	if got.Path != "/api/v9/interactions/"+click["id"].(string)+"/tok2/callback" || got.Body["type"] != float64(7) {
		t.Fatalf("click: %s type %v; want a type 7 (update message) callback", got.Path, got.Body["type"])
	}
	if !strings.HasPrefix(embedTitle(got.Body), "PACT meetings") {
		t.Errorf("click showed %q; want the PACT entry", embedTitle(got.Body))
	}
	checkNoPings(t, got.Body)

	if got := f.send("INTERACTION_CREATE", pickOption(idPick+"0", "about assets-of-community-value")); embedTitle(got.Body) != acvTitle {
		t.Errorf("menu pick showed %q; want %q", embedTitle(got.Body), acvTitle)
	}
	// Messages posted before every choice carried its message still work.
	for _, old := range []map[string]any{clickButton(idAbout + "pact"), pickOption(idOpen+"0", "pact")} {
		if got := f.send("INTERACTION_CREATE", old); !strings.HasPrefix(embedTitle(got.Body), "PACT meetings") {
			t.Errorf("an older button or menu showed %q; want the PACT entry", embedTitle(got.Body))
		}
	}

	got = f.send("INTERACTION_CREATE", clickButton(idMore+"community-hubs"))
	e, _ := testBot().Base().Entry("community-hubs")
	desc := got.Body["data"].(map[string]any)["embeds"].([]any)[0].(map[string]any)["description"].(string)
	for _, d := range e.Details {
		if !strings.Contains(desc, d) {
			t.Errorf("more: description lacks %q", d)
		}
	}
}

func TestSlowAnswerIsDeferredThenEdited(t *testing.T) {
	t.Parallel()
	f := newFakeDiscord(t)
	a, _ := newAdapter(t, f, Config{}, slowBot{testBot(), 300 * time.Millisecond})
	a.deferAfter = 50 * time.Millisecond
	chattest.Running(t, a.Run)
	f.wait() // registration
	c := f.conn()
	c.dispatch("INTERACTION_CREATE", slash(opt("question", "who runs PACT here")))
	first := f.wait()
	if first.Body["type"] != float64(5) {
		t.Fatalf("first response type %v; want 5 (deferred)", first.Body["type"])
	}
	checkNoPings(t, first.Body)
	edit := f.wait()
	if edit.Method != "PATCH" || edit.Path != "/api/v9/webhooks/APP/tok/messages/@original" {
		t.Fatalf("then %s %s; want PATCH of @original", edit.Method, edit.Path)
	}
	if !strings.HasPrefix(embedTitle(edit.Body), "PACT meetings") {
		t.Errorf("edited to %q; want the PACT entry", embedTitle(edit.Body))
	}
	checkNoPings(t, edit.Body)
}

func TestDroppedSocketIsResumed(t *testing.T) {
	t.Parallel()
	f := newGateway(t)
	f.c.heartbeating(t)
	f.c.drop()
	f.c = f.conn()
	f.c.heartbeating(t)
	f.mu.Lock()
	resumes := len(f.resumes)
	session := ""
	if resumes > 0 {
		session, _ = f.resumes[0]["session_id"].(string)
	}
	f.mu.Unlock()
	if resumes != 1 || session != "sess1" {
		t.Fatalf("%d resumes with session %q; want one resume of sess1", resumes, session)
	}
	if got := f.send("MESSAGE_CREATE", directMessage("M1", "who runs PACT here")); !strings.HasPrefix(embedTitle(got.Body), "PACT meetings") {
		t.Errorf("after resume answered %q; want the PACT entry", embedTitle(got.Body))
	}
}

func TestMissingMessageContentIntentIsExplainedAndSlashCommandsWork(t *testing.T) {
	t.Parallel()
	// The gateway connection is the second identify's, without the intent.
	f := newGateway(t, func(f *fakeDiscord) {
		f.closeWith = 4014
		f.refuse = func(intents int) bool { return intents&(1<<15) != 0 }
	})
	l, errc := f.log, f.errc
	if got := f.send("INTERACTION_CREATE", slash(opt("question", "who runs PACT here"))); !strings.HasPrefix(embedTitle(got.Body), "PACT meetings") {
		t.Errorf("slash command answered %q; want the PACT entry", embedTitle(got.Body))
	}
	if !strings.Contains(l.String(), "Message Content Intent") || !strings.Contains(l.String(), "4014") {
		t.Errorf("log does not say what to switch on:\n%s", l)
	}
	f.mu.Lock()
	n := len(f.identifies)
	f.mu.Unlock()
	if n != 2 {
		t.Errorf("%d identifies; want 2 (with the intent, then without)", n)
	}
	select {
	case err := <-errc:
		t.Errorf("Run ended: %v; want it to go on without the intent", err)
	default:
	}
}

func TestFatalCloseCodeEndsRunWithoutLooping(t *testing.T) {
	t.Parallel()
	f := newFakeDiscord(t)
	f.closeWith = 4004
	_, _, errc := start(t, f, Config{}, nil)
	if err := chattest.Next(t, errc, "Run's return after close code 4004"); err == nil || !strings.Contains(err.Error(), "DISCORD_BOT_TOKEN") || !strings.Contains(err.Error(), "4004") {
		t.Errorf("Run = %v; want an error naming DISCORD_BOT_TOKEN and 4004", err)
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	if len(f.identifies) != 1 {
		t.Errorf("%d identifies; want 1: a fatal close code must not be retried", len(f.identifies))
	}
}

func TestRateLimitIsWaitedOutThenGivenUp(t *testing.T) {
	t.Parallel()
	f := newGateway(t)
	c, l := f.c, f.log
	f.mu.Lock()
	f.limited = 1
	f.mu.Unlock()
	if got := f.send("MESSAGE_CREATE", directMessage("M1", "who runs PACT here")); got.Path != "/api/v9/channels/D1/messages" {
		t.Fatalf("after a 429, sent %s; want the message retried", got.Path)
	}

	f.mu.Lock()
	f.limited = 100
	f.calls = nil
	f.mu.Unlock()
	c.dispatch("MESSAGE_CREATE", directMessage("M2", "who runs PACT here"))
	l.Await(t, "rate limited; gave up")
	f.mu.Lock()
	attempts := len(f.calls)
	f.mu.Unlock()
	if attempts != retries+1 || !strings.Contains(l.String(), "rate limited; gave up") {
		t.Errorf("%d attempts, log:\n%s\nwant %d attempts and a log line saying it gave up", attempts, l, retries+1)
	}
	if strings.Contains(l.String(), "PACT") {
		t.Error("the log holds message text")
	}
}

func TestConfigCheckNamesWhatIsMissing(t *testing.T) {
	t.Parallel()
	key := strings.Repeat("ab", 32)
	tests := []struct {
		name string
		cfg  Config
		want string
	}{
		{"nothing", Config{}, "set DISCORD_BOT_TOKEN, DISCORD_APP_ID"},
		{"http without key", Config{Mode: "http", Token: "t", AppID: "1", Listen: ":8081"}, "set DISCORD_PUBLIC_KEY"},
		{"http without listen", Config{Mode: "http", Token: "t", AppID: "1", PublicKey: key}, "listen"},
		{"bad key", Config{Mode: "http", Token: "t", AppID: "1", PublicKey: "xyz", Listen: ":1"}, "64 hex digits"},
		{"bad mode", Config{Mode: "rpc", Token: "t", AppID: "1"}, `mode "rpc"`},
		{"bad api_url", Config{Token: "t", AppID: "1", APIURL: "not a url"}, "api_url"},
		{"gateway, complete", Config{Token: "t", AppID: "1"}, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) { chattest.ErrSays(t, "Check()", tt.cfg.Check(), tt.want) })
	}
}

func TestAreaQuestionIsAnsweredByAButton(t *testing.T) {
	t.Parallel()
	f := newGateway(t)
	got := f.send("INTERACTION_CREATE", slash(opt("question", "who runs PACT here")))
	if !strings.Contains(string(got.Raw), `"custom_id":"signpost:send:Somer Valley"`) {
		t.Fatalf("no area buttons in %s", got.Raw)
	}
	got = f.send("INTERACTION_CREATE", clickButton(idSend+"Somer Valley"))
	desc := got.Body["data"].(map[string]any)["embeds"].([]any)[0].(map[string]any)["description"].(string)
	if got.Body["type"] != float64(7) || !strings.HasPrefix(embedTitle(got.Body), "PACT meetings") || !strings.Contains(desc, "for Somer Valley in particular") {
		t.Errorf("after the click: type %v, %q, %q; want the PACT answer for Somer Valley in place", got.Body["type"], embedTitle(got.Body), desc)
	}
}

func TestChannelBoundToAnAreaAnswersLocally(t *testing.T) {
	t.Parallel()
	f := newGateway(t)
	if got := f.send("MESSAGE_CREATE", guildMessage("M1", "<@BOT> area Chew Valley", true)); !strings.Contains(string(got.Raw), `means Chew Valley`) {
		t.Fatalf("binding reply: %s", got.Raw)
	}
	if got := f.send("MESSAGE_CREATE", guildMessage("M2", "<@BOT> are there village agents here", true)); !strings.Contains(string(got.Raw), "In Chew Valley:") {
		t.Errorf("answer in the bound channel lacks the local facts: %s", got.Raw)
	}
}

func TestFundingFinderByButtons(t *testing.T) {
	t.Parallel()
	f := newGateway(t)
	if got := f.send("INTERACTION_CREATE", slash(opt("show", "funding"))); !strings.Contains(string(got.Raw), "Who is applying?") {
		t.Fatalf("first step: %s", got.Raw)
	}
	steps := []struct{ click, next string }{
		{"Residents, no group yet", "What is it for?"},
		{"skip", "Roughly how much"},
		{"Under £5,000", "Where is it?"},
		{"Somer Valley", `"title":"Funding routes"`},
	}
	for _, s := range steps {
		got := f.send("INTERACTION_CREATE", clickButton(idSend+s.click))
		if got.Body["type"] != float64(7) || !strings.Contains(string(got.Raw), s.next) {
			t.Fatalf("after %q: type %v %s; want %q in place", s.click, got.Body["type"], got.Raw, s.next)
		}
	}
}

func TestBigLocalFromKeynshamSaysWhereItRunsAndOffersWhatDoes(t *testing.T) {
	t.Parallel()
	f := newGateway(t)
	got := f.send("MESSAGE_CREATE", directMessage("M1", "can we get Big Local money in Keynsham"))
	if !strings.Contains(string(got.Raw), "covers Radstock and Westfield only, not Keynsham") || !strings.Contains(string(got.Raw), `"custom_id":"signpost:send:about `) {
		t.Errorf("answer lacks where Big Local runs or buttons for what runs in Keynsham: %s", got.Raw)
	}
}
