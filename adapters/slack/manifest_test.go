package slack

import (
	"encoding/json"
	"os"
	"slices"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/bathnes/signpost/bot"
)

// TestManifestGrantsWhatTheAdapterUses keeps the app manifest people
// install from in step with what the adapter listens for and calls.
func TestManifestGrantsWhatTheAdapterUses(t *testing.T) {
	t.Parallel()
	raw, err := os.ReadFile("manifest.json")
	if err != nil {
		t.Fatal(err)
	}
	var m struct {
		Display struct {
			Description     string `json:"description"`
			LongDescription string `json:"long_description"`
		} `json:"display_information"`
		Features struct {
			SlashCommands []struct {
				Command     string `json:"command"`
				Description string `json:"description"`
				Hint        string `json:"usage_hint"`
			} `json:"slash_commands"`
		} `json:"features"`
		OAuth struct {
			Scopes struct {
				Bot []string `json:"bot"`
			} `json:"scopes"`
		} `json:"oauth_config"`
		Settings struct {
			Events struct {
				Bot []string `json:"bot_events"`
			} `json:"event_subscriptions"`
			Interactivity struct {
				Enabled bool `json:"is_enabled"`
			} `json:"interactivity"`
			SocketMode bool `json:"socket_mode_enabled"`
		} `json:"settings"`
	}
	if err := json.Unmarshal(raw, &m); err != nil {
		t.Fatalf("manifest.json: %v", err)
	}
	for _, s := range []string{"app_mentions:read", "chat:write", "commands", "im:history"} {
		if !slices.Contains(m.OAuth.Scopes.Bot, s) {
			t.Errorf("manifest lacks bot scope %s", s)
		}
	}
	for _, e := range []string{"app_mention", "message.im"} {
		if !slices.Contains(m.Settings.Events.Bot, e) {
			t.Errorf("manifest does not subscribe to %s", e)
		}
	}
	if len(m.Features.SlashCommands) != 1 || m.Features.SlashCommands[0].Command != "/signpost" {
		t.Fatalf("slash commands = %+v; want /signpost", m.Features.SlashCommands)
	}
	checkWording(t, m.Display.Description, m.Display.LongDescription, m.Features.SlashCommands[0].Description, m.Features.SlashCommands[0].Hint)
	if !m.Settings.Interactivity.Enabled {
		t.Error("interactivity is off: buttons would do nothing")
	}
	if !m.Settings.SocketMode {
		t.Error("socket mode is off, but it is the default mode")
	}
}

// checkWording holds the words people read in Slack before they ask
// anything (the app's descriptions, the slash command's description and
// usage hint) to bot's, so that they say what Discord and the replies say
// and name only commands signpost answers.
func checkWording(t *testing.T, description, long, slash, hint string) {
	t.Helper()
	for _, c := range []struct{ what, got, want string }{
		{"display_information.description", description, bot.App.Description},
		{"display_information.long_description", long, bot.App.LongDescription},
		{"the slash command's description", slash, bot.Slash.About},
		{"the slash command's usage_hint", hint, bot.Slash.Hint},
	} {
		if c.got != c.want {
			t.Errorf("manifest.json: %s = %q; want bot's %q", c.what, c.got, c.want)
		}
	}
	// Slack rejects a manifest whose long description is outside these.
	if n := utf8.RuneCountInString(long); n < 174 || n > 4000 {
		t.Errorf("long_description has %d characters; Slack wants 174 to 4,000", n)
	}
	_, commands, _ := strings.Cut(hint, " | ")
	for _, c := range strings.Split(commands, " | ") {
		if !slices.ContainsFunc(bot.Shortcuts(), func(s bot.Command) bool { return s.Usage == c }) {
			t.Errorf("usage_hint suggests %q, which is not a command signpost answers on its own", c)
		}
	}
}
