package main

import (
	"encoding/json"
	"fmt"
	"html/template"
	"io"
	"strings"

	"github.com/bathnes/signpost/bot"
	"github.com/bathnes/signpost/knowledge"
)

// exportEntry is one entry of `kb export --format json`: the contract in
// docs/design.md ({id, kinds, title, text}) plus the fields a web page needs.
type exportEntry struct {
	ID       string              `json:"id"`
	Kinds    []string            `json:"kinds"`
	Title    string              `json:"title"`
	Text     string              `json:"text"`
	Theme    string              `json:"theme,omitempty"`
	Summary  string              `json:"summary"`
	Details  []string            `json:"details,omitempty"`
	Start    string              `json:"start,omitempty"`
	Guidance []string            `json:"guidance,omitempty"`
	Contacts []knowledge.Contact `json:"contacts,omitempty"`
	Related  []string            `json:"related,omitempty"`
	Places   []string            `json:"places,omitempty"`
	Funding  *knowledge.Funding  `json:"funding,omitempty"`
	Status   string              `json:"status"`
	AsOf     string              `json:"as_of"`
	Sources  []string            `json:"sources"`
	Source   string              `json:"source_line"`
}

func (e env) export(format string) int {
	base, err := e.base()
	if err != nil {
		fmt.Fprintln(e.stderr, "signpost: knowledge base has problems (run signpost kb check):")
		fmt.Fprintln(e.stderr, err)
		return 1
	}
	entries := exportEntries(base)
	switch format {
	case "json":
		enc := json.NewEncoder(e.stdout)
		enc.SetIndent("", "  ")
		err = enc.Encode(entries)
	case "markdown", "md":
		err = exportMarkdown(e.stdout, entries)
	case "html":
		err = htmlPage.Execute(e.stdout, entries)
	default:
		fmt.Fprintf(e.stderr, "signpost kb export: unknown format %q (want json, markdown or html)\n", format)
		return 2
	}
	if err != nil {
		fmt.Fprintln(e.stderr, "signpost kb export:", err)
		return 1
	}
	return 0
}

func exportEntries(base *knowledge.Base) []exportEntry {
	out := make([]exportEntry, 0, len(base.Entries))
	for _, en := range base.Entries {
		out = append(out, exportEntry{
			ID: en.ID, Kinds: en.Kinds, Title: en.Title, Text: en.Text(), Theme: en.Theme,
			Summary: en.Summary, Details: en.Details, Start: en.Start, Guidance: en.Guidance,
			Contacts: en.Contacts, Related: en.Related, Places: en.Places, Funding: en.Funding,
			Status: en.Status, AsOf: en.AsOf, Sources: en.Sources, Source: bot.SourceLine(en, base.SourcesOf(en)),
		})
	}
	return out
}

func exportMarkdown(w io.Writer, entries []exportEntry) error {
	var b strings.Builder
	b.WriteString("# Connecting Communities: the menu and Core Offer\n\n")
	b.WriteString("Bath and North East Somerset. Facts from council documents of 2011–2014; each entry says how old its facts are.\n")
	for _, e := range entries {
		fmt.Fprintf(&b, "\n## %s\n\n`%s` · %s · %s\n\n%s\n", e.Title, e.ID, strings.Join(e.Kinds, ", "), e.Status, e.Summary)
		if len(e.Details) > 0 {
			b.WriteString("\n")
			for _, d := range e.Details {
				fmt.Fprintf(&b, "- %s\n", d)
			}
		}
		if e.Funding != nil {
			fmt.Fprintf(&b, "\n**Funding:** %s. %s\n", e.Funding.Amount, e.Funding.Limits)
		}
		if e.Start != "" {
			fmt.Fprintf(&b, "\n**How to start:** %s\n", e.Start)
		}
		if len(e.Guidance) > 0 {
			fmt.Fprintf(&b, "\n**Guidance:** %s\n", strings.Join(e.Guidance, "; "))
		}
		if len(e.Contacts) > 0 {
			var cs []string
			for _, c := range e.Contacts {
				cs = append(cs, strings.Join(nonEmpty(c.Name, c.Phone, c.Email, c.URL), ", "))
			}
			fmt.Fprintf(&b, "\n**Contacts:** %s\n", strings.Join(cs, "; "))
		}
		fmt.Fprintf(&b, "\n*%s*\n", e.Source)
	}
	_, err := io.WriteString(w, b.String())
	return err
}

func nonEmpty(ss ...string) []string {
	var out []string
	for _, s := range ss {
		if s != "" {
			out = append(out, s)
		}
	}
	return out
}

// htmlPage escapes every value: entries are data edited by many hands.
var htmlPage = template.Must(template.New("menu").Parse(`<!doctype html>
<html lang="en-GB"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Connecting Communities: the menu and Core Offer</title>
<style>body{font-family:sans-serif;max-width:48rem;margin:auto;padding:1rem;line-height:1.5}
.meta{color:#555;font-size:.9rem}section{border-top:1px solid #ccc;padding-top:.5rem}</style>
</head><body>
<h1>Connecting Communities: the menu and Core Offer</h1>
<p>Bath and North East Somerset. Facts from council documents of 2011–2014; each entry says how old its facts are.</p>
<nav><ul>{{range .}}<li><a href="#{{.ID}}">{{.Title}}</a></li>{{end}}</ul></nav>
{{range .}}<section id="{{.ID}}">
<h2>{{.Title}}</h2>
<p class="meta">{{range $i, $k := .Kinds}}{{if $i}}, {{end}}{{$k}}{{end}} · {{.Status}}</p>
<p>{{.Summary}}</p>
{{if .Details}}<ul>{{range .Details}}<li>{{.}}</li>{{end}}</ul>{{end}}
{{with .Funding}}<p><strong>Funding:</strong> {{.Amount}}. {{.Limits}}</p>{{end}}
{{if .Start}}<p><strong>How to start:</strong> {{.Start}}</p>{{end}}
{{if .Guidance}}<p><strong>Guidance:</strong> {{range $i, $g := .Guidance}}{{if $i}}; {{end}}{{$g}}{{end}}</p>{{end}}
{{if .Contacts}}<p><strong>Contacts:</strong> {{range $i, $c := .Contacts}}{{if $i}}; {{end}}{{$c.Name}}{{if $c.Phone}}, {{$c.Phone}}{{end}}{{if $c.Email}}, <a href="mailto:{{$c.Email}}">{{$c.Email}}</a>{{end}}{{if $c.URL}}, <a href="{{$c.URL}}">{{$c.URL}}</a>{{end}}{{end}}</p>{{end}}
{{if .Related}}<p><strong>See also:</strong> {{range $i, $r := .Related}}{{if $i}}, {{end}}<a href="#{{$r}}">{{$r}}</a>{{end}}</p>{{end}}
<p class="meta">{{.Source}}</p>
</section>
{{end}}</body></html>
`))
