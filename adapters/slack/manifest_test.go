package slack

import (
	"encoding/json"
	"os"
	"slices"
	"testing"
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
		Features struct {
			SlashCommands []struct {
				Command string `json:"command"`
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
		t.Errorf("slash commands = %+v; want /signpost", m.Features.SlashCommands)
	}
	if !m.Settings.Interactivity.Enabled {
		t.Error("interactivity is off: buttons would do nothing")
	}
	if !m.Settings.SocketMode {
		t.Error("socket mode is off, but it is the default mode")
	}
}
