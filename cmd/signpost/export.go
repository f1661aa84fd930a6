package main

import (
	"encoding/json"
	"fmt"
	"html/template"
	"io"
	"slices"
	"strings"

	"github.com/bathnes/signpost/bot"
	"github.com/bathnes/signpost/directory"
	"github.com/bathnes/signpost/knowledge"
)

// exportEntry is one entry of `kb export --format json`: the contract in
// docs/design.md ({id, kinds, title, text}) plus the fields a web page needs.
type exportEntry struct {
	ID       string              `json:"id"`
	Kinds    []knowledge.Kind    `json:"kinds"`
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
	Status   knowledge.Status    `json:"status"`
	Said     string              `json:"status_line"`
	AsOf     string              `json:"as_of"`
	Sources  []string            `json:"sources"`
	Source   string              `json:"source_line"`
	// SeeAlso are Related by title, for pages.
	SeeAlso []seeAlso `json:"-"`
}

type seeAlso struct{ ID, Title string }

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
		err = exportMarkdown(e.stdout, exportGroups(entries))
	case "html":
		err = htmlPage.Execute(e.stdout, exportGroups(entries))
	case "oruk":
		err = directory.WriteFeed(e.stdout, orukEntries(base))
	default:
		fmt.Fprintf(e.stderr, "signpost kb export: unknown format %q (want json, markdown, html or oruk)\n", format)
		return 2
	}
	if err != nil {
		fmt.Fprintln(e.stderr, "signpost kb export:", err)
		return 1
	}
	return 0
}

// publisher is who publishes the toolkit: the council whose documents
// every entry cites.
const publisher = "Bath and North East Somerset Council"

// orukEntries are the entries as Open Referral UK 3.0 services: the
// summary, its status line and sources as the description, the first web
// address and e-mail its contacts give, and "inactive" for what does not
// run now, so a directory that takes the feed never lists a proposal as
// a service.
func orukEntries(base *knowledge.Base) []directory.Entry {
	out := make([]directory.Entry, 0, len(base.Entries))
	for _, en := range base.Entries {
		d := directory.Entry{ID: en.ID, Name: en.Title, Organization: publisher, Inactive: en.Status != knowledge.Current,
			Description: strings.Join(nonEmpty(en.Summary, bot.Status(en), bot.SourceLine(base.SourcesOf(en))), "\n\n")}
		for _, c := range en.Contacts {
			if d.URL == "" && strings.HasPrefix(c.URL, "http") {
				d.URL = c.URL
			}
			if d.Email == "" && c.Email != "" {
				d.Email = c.Email
			}
		}
		out = append(out, d)
	}
	return out
}

func seeAlsoOf(base *knowledge.Base, en *knowledge.Entry) []seeAlso {
	var out []seeAlso
	for _, id := range en.Related {
		if r, ok := base.Entry(id); ok {
			out = append(out, seeAlso{r.ID, r.Title})
		}
	}
	return out
}

func exportEntries(base *knowledge.Base) []exportEntry {
	out := make([]exportEntry, 0, len(base.Entries))
	for _, en := range base.Entries {
		out = append(out, exportEntry{
			ID: en.ID, Kinds: en.Kinds, Title: en.Title, Text: en.Text(), Theme: en.Theme,
			Summary: en.Summary, Details: en.Details, Start: en.Start, Guidance: en.Guidance,
			Contacts: en.Contacts, Related: en.Related, Places: en.Places, Funding: en.Funding,
			SeeAlso: seeAlsoOf(base, en), Status: en.Status, Said: bot.Status(en), AsOf: en.AsOf, Sources: en.Sources, Source: bot.SourceLine(base.SourcesOf(en)),
		})
	}
	return out
}

// exportGroup is a heading of the exported menu and its entries.
type exportGroup struct {
	Name    string
	Entries []exportEntry
}

// exportGroups arranges entries as a reader looks for them: the Core
// Offer, the menu by theme, the funding routes, then everything else.
// Each entry appears once, under the first group that takes it.
func exportGroups(entries []exportEntry) []exportGroup {
	var groups []exportGroup
	done := map[string]bool{}
	take := func(name string, keep func(exportEntry) bool) {
		g := exportGroup{Name: name}
		for _, e := range entries {
			if !done[e.ID] && keep(e) {
				g.Entries = append(g.Entries, e)
				done[e.ID] = true
			}
		}
		if len(g.Entries) > 0 {
			groups = append(groups, g)
		}
	}
	is := func(k knowledge.Kind) func(exportEntry) bool {
		return func(e exportEntry) bool { return slices.Contains(e.Kinds, k) }
	}
	take("The Core Offer", is(knowledge.KindCore))
	var themes []string
	for _, e := range entries {
		if slices.Contains(e.Kinds, knowledge.KindTool) && !slices.Contains(themes, e.Theme) {
			themes = append(themes, e.Theme)
		}
	}
	for _, th := range themes {
		take("The menu: "+th, func(e exportEntry) bool { return is(knowledge.KindTool)(e) && e.Theme == th })
	}
	take("Funding routes", is(knowledge.KindFunding))
	take("Teams, forums and projects", func(exportEntry) bool { return true })
	return groups
}

func exportMarkdown(w io.Writer, groups []exportGroup) error {
	var b strings.Builder
	b.WriteString("# Connecting Communities: the menu and Core Offer\n\n")
	b.WriteString("Bath and North East Somerset. Facts from council documents; each entry says how old its facts are.\n")
	for _, g := range groups {
		fmt.Fprintf(&b, "\n## %s\n", g.Name)
		for _, e := range g.Entries {
			fmt.Fprintf(&b, "\n### %s\n\n%s\n\n**%s**\n", e.Title, e.Summary, e.Said)
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
.meta{color:#505a5f;font-size:.9rem}.status{font-weight:bold}section{border-top:1px solid #ccc;padding-top:.5rem}</style>
</head><body>
<h1>Connecting Communities: the menu and Core Offer</h1>
<p>Bath and North East Somerset. Facts from council documents; each entry says how old its facts are.</p>
<nav><ul>{{range $i, $g := .}}<li><a href="#group-{{$i}}">{{$g.Name}}</a></li>{{end}}</ul></nav>
{{range $i, $g := .}}<h2 id="group-{{$i}}">{{$g.Name}}</h2>
{{range .Entries}}<section id="{{.ID}}">
<h3>{{.Title}}</h3>
<p>{{.Summary}}</p>
<p class="status">{{.Said}}</p>
{{if .Details}}<ul>{{range .Details}}<li>{{.}}</li>{{end}}</ul>{{end}}
{{with .Funding}}<p><strong>Funding:</strong> {{.Amount}}. {{.Limits}}</p>{{end}}
{{if .Start}}<p><strong>How to start:</strong> {{.Start}}</p>{{end}}
{{if .Guidance}}<p><strong>Guidance:</strong> {{range $i, $g := .Guidance}}{{if $i}}; {{end}}{{$g}}{{end}}</p>{{end}}
{{if .Contacts}}<p><strong>Contacts:</strong> {{range $i, $c := .Contacts}}{{if $i}}; {{end}}{{$c.Name}}{{if $c.Phone}}, {{$c.Phone}}{{end}}{{if $c.Email}}, <a href="mailto:{{$c.Email}}">{{$c.Email}}</a>{{end}}{{if $c.URL}}, <a href="{{$c.URL}}">{{$c.URL}}</a>{{end}}{{end}}</p>{{end}}
{{if .SeeAlso}}<p><strong>See also:</strong> {{range $i, $r := .SeeAlso}}{{if $i}}, {{end}}<a href="#{{$r.ID}}">{{$r.Title}}</a>{{end}}</p>{{end}}
<p class="meta">{{.Source}}</p>
</section>
{{end}}{{end}}</body></html>
`))
