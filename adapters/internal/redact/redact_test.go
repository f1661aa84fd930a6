package redact

import (
	"errors"
	"net/http"
	"strings"
	"testing"
)

func TestErrorKeepsOnlyTheHost(t *testing.T) {
	_, err := http.Get("http://127.0.0.1:1/commands/T1/B1/SECRETTOKEN")
	if err == nil {
		t.Skip("something listens on port 1")
	}
	got := Error(err)
	if strings.Contains(got, "SECRETTOKEN") || !strings.Contains(got, "127.0.0.1:1") {
		t.Errorf("Error = %q; want the host and no path", got)
	}
	got = Error(errors.New(`Post "https://discord.com/api/v9/webhooks/1/tok-123/messages/@original": timeout`))
	if strings.Contains(got, "tok-123") || !strings.Contains(got, "discord.com") {
		t.Errorf("Error = %q; want the host and no token", got)
	}
	if Error(nil) != "" {
		t.Error("Error(nil) is not empty")
	}
}
