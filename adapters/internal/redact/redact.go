// Package redact keeps credentials out of logs. A Slack response_url or a
// Discord interaction token in a URL lets whoever reads it post as the app,
// and net/http puts the whole URL in its errors.
package redact

import (
	"errors"
	"net/url"
	"regexp"
)

// urlRE finds URLs in error text.
var urlRE = regexp.MustCompile(`https?://[^\s"']+`)

// Error is err's text with every URL cut to its scheme and host: the host
// says which service failed, the path may hold a token.
func Error(err error) string {
	if err == nil {
		return ""
	}
	var ue *url.Error
	if errors.As(err, &ue) {
		// Keep what failed (the operation and the cause), not where.
		return Error(errors.New(ue.Op + " " + host(ue.URL) + ": " + ue.Err.Error()))
	}
	return urlRE.ReplaceAllStringFunc(err.Error(), host)
}

// host is a URL's scheme and host, or "(url)" when it does not parse.
func host(raw string) string {
	u, err := url.Parse(raw)
	if err != nil || u.Host == "" {
		return "(url)"
	}
	return u.Scheme + "://" + u.Host + "/…"
}
