package web

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"math"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"slices"
	"sort"
	"strconv"
	"strings"
	"testing"

	"github.com/bathnes/signpost/bot"
	"github.com/bathnes/signpost/internal/chattest"
	"github.com/bathnes/signpost/internal/clip"
	"github.com/bathnes/signpost/knowledge"
)

// The API is checked against openapi.yaml as a client reads it: the file
// is read as YAML (the subset it is written in, below, strict enough to
// refuse what a YAML library would read differently from how it looks),
// and every response is checked against the schema documented for its
// status.

// spec is openapi.yaml, read.
func spec(t *testing.T) map[string]any {
	t.Helper()
	b, err := os.ReadFile("openapi.yaml")
	if err != nil {
		t.Fatal(err)
	}
	doc, err := readYAML(string(b))
	if err != nil {
		t.Fatalf("openapi.yaml: %v", err)
	}
	m, ok := doc.(map[string]any)
	if !ok {
		t.Fatal("openapi.yaml is not a mapping")
	}
	return m
}

// apiCase is one request and the status it must get.
type apiCase struct {
	srv            *httptest.Server
	method, target string
	body           string
	header         []string // name, value, …
	status         int
}

// TestAPIMatchesOpenAPI walks every path, method and status openapi.yaml
// documents: each is produced by at least one request here, and each
// response has the documented status, media type, headers and body shape
// (the schema, required fields and enums included). A status the API
// gives that the file does not document fails too.
func TestAPIMatchesOpenAPI(t *testing.T) {
	t.Parallel()
	doc := spec(t)
	plain, locked, broken := desk(t, Config{}), desk(t, Config{Token: "tok"}), brokenDesk(t)
	long := "?q=" + strings.Repeat("x", maxURL+1)
	finder := `{"who":"group","what":"project","band":"small","place":"Radstock"}`
	cases := []apiCase{
		{plain, "GET", "/api/v1/answer?q=pact&place=Radstock", "", nil, 200},
		{plain, "GET", "/api/v1/answer?q=" + url.QueryEscape("how do we list our pub"), "", nil, 200},
		{plain, "GET", "/api/v1/answer?q=xyzzy", "", nil, 200},
		{plain, "GET", "/api/v1/answer?q=" + url.QueryEscape("when is my bin collection day"), "", nil, 200},
		{plain, "GET", "/api/v1/answer?q=" + url.QueryEscape("who won the rugby on saturday"), "", nil, 200},
		{plain, "GET", "/api/v1/answer?q=" + url.QueryEscape("who runs PACT here"), "", nil, 200},
		{plain, "GET", "/api/v1/answer?q=" + url.QueryEscape("can we run the old pub building ourselves"), "", nil, 200},
		{plain, "GET", "/api/v1/answer?q=menu", "", nil, 200},
		{plain, "GET", "/api/v1/answer?q=help", "", nil, 200},
		{plain, "GET", "/api/v1/answer?q=funding", "", nil, 200},
		{plain, "GET", "/api/v1/answer?q=%3F%3F%3F", "", nil, 200}, // nothing to read: a reply with no blocks
		{plain, "GET", "/api/v1/answer?q=" + strings.Repeat("pub+", 600), "", nil, 200},
		{plain, "GET", "/api/v1/answer", "", nil, 400},
		{plain, "GET", "/api/v1/answer?q=", "", nil, 400},
		{plain, "GET", "/api/v1/answer?q=+++", "", nil, 400},
		{plain, "GET", "/api/v1/answer?q=%09%0A&place=Radstock", "", nil, 400},
		{plain, "GET", "/api/v1/answer?place=Radstock", "", nil, 400},
		{plain, "GET", "/api/v1/answer?q=pact&place=Atlantis", "", nil, 400},
		{plain, "GET", "/api/v1/answer?q=" + url.QueryEscape("helpful 0123456789abcdef"), "", nil, 400},
		{locked, "GET", "/api/v1/answer?q=pact", "", nil, 401},
		{plain, "GET", "/api/v1/answer?q=pact", "", []string{"Sec-Fetch-Site", "cross-site"}, 403},
		{plain, "GET", "/api/v1/answer?q=pact", "", []string{"Origin", "https://evil.example"}, 403},
		{plain, "GET", "/api/v1/answer" + long, "", nil, 414},
		{broken, "GET", "/api/v1/answer?q=pact", "", nil, 503},

		{plain, "GET", "/api/v1/suggest?q=acv", "", nil, 200},
		{plain, "GET", "/api/v1/suggest?q=", "", nil, 200},
		{plain, "GET", "/api/v1/suggest?q=communi&max=3", "", nil, 200},
		{locked, "GET", "/api/v1/suggest?q=acv", "", nil, 401},
		{plain, "GET", "/api/v1/suggest" + long, "", nil, 414},

		{plain, "GET", "/api/v1/entries", "", nil, 200},
		{locked, "GET", "/api/v1/entries", "", nil, 401},
		{plain, "GET", "/api/v1/entries" + long, "", nil, 414},

		{plain, "GET", "/api/v1/entries/pact", "", nil, 200},
		{plain, "GET", "/api/v1/entries/big-local?place=Radstock", "", nil, 200},
		{plain, "GET", "/api/v1/entries/performance-reward-grant", "", nil, 200},
		{plain, "GET", "/api/v1/entries/pact?place=Atlantis", "", nil, 400},
		{locked, "GET", "/api/v1/entries/pact", "", nil, 401},
		{plain, "GET", "/api/v1/entries/no-such-entry", "", nil, 404},
		{plain, "GET", "/api/v1/entries/pact" + long, "", nil, 414},
		{broken, "GET", "/api/v1/entries/pact", "", nil, 503},

		{plain, "POST", "/api/v1/finder", finder, nil, 200},
		{plain, "POST", "/api/v1/finder", `{}`, nil, 200},
		{plain, "POST", "/api/v1/finder", `{"who":"dragons"}`, nil, 400},
		{plain, "POST", "/api/v1/finder", `{"place":"Atlantis"}`, nil, 400},
		{plain, "POST", "/api/v1/finder", `{"colour":"blue"}`, nil, 400},
		{plain, "POST", "/api/v1/finder", `not json`, nil, 400},
		{locked, "POST", "/api/v1/finder", finder, nil, 401},
		{plain, "POST", "/api/v1/finder", finder, []string{"Sec-Fetch-Site", "cross-site"}, 403},
		{plain, "POST", "/api/v1/finder", finder, []string{"Origin", "https://evil.example"}, 403},
		{plain, "POST", "/api/v1/finder", `{"who":"` + strings.Repeat("x", maxBody) + `"}`, nil, 413},
		{plain, "POST", "/api/v1/finder" + long, finder, nil, 414},

		{plain, "GET", "/api/v1/openapi.yaml", "", nil, 200},
		{locked, "GET", "/api/v1/openapi.yaml", "", nil, 401},
		{plain, "GET", "/api/v1/openapi.yaml" + long, "", nil, 414},
	}

	documented := map[string]bool{}
	for _, op := range operations(t, doc) {
		for status := range op.responses {
			documented[op.method+" "+op.path+" "+status] = false
		}
	}
	for _, c := range cases {
		path, _, _ := strings.Cut(c.target, "?")
		op, ok := operationFor(t, doc, c.method, path)
		if !ok {
			t.Errorf("%s %s: no operation in openapi.yaml", c.method, path)
			continue
		}
		key := op.method + " " + op.path + " " + strconv.Itoa(c.status)
		if _, ok := documented[key]; !ok {
			t.Errorf("%s: the test expects %d, which openapi.yaml does not document", c.method+" "+clip.Runes(c.target, 80), c.status)
			continue
		}
		documented[key] = true
		checkResponse(t, doc, op, c)
	}
	var missed []string
	for key, seen := range documented {
		if !seen {
			missed = append(missed, key)
		}
	}
	sort.Strings(missed)
	for _, key := range missed {
		t.Errorf("%s is documented but no request here produces it", key)
	}

	// A required query parameter left out gets a documented 400 with the
	// error's shape.
	for _, op := range operations(t, doc) {
		for _, p := range op.params {
			if p["in"] != "query" || p["required"] != true {
				continue
			}
			c := apiCase{plain, op.method, op.path, "", nil, 400}
			if _, ok := op.responses["400"]; !ok {
				t.Errorf("%s %s: required %v, but no 400 documented", op.method, op.path, p["name"])
				continue
			}
			checkResponse(t, doc, op, c)
		}
	}
}

// TestOpenAPIEnumsAreTheCoresVocabularies: the values the file lists for
// an outcome, a block's part, an entry's status and kind are those the
// core and the knowledge base have, no more and no fewer.
func TestOpenAPIEnumsAreTheCoresVocabularies(t *testing.T) {
	t.Parallel()
	doc := spec(t)
	schemas := dig(doc, "components", "schemas").(map[string]any)
	enum := func(path ...string) []string {
		t.Helper()
		var out []string
		vs, ok := dig(schemas, path...).([]any)
		if !ok {
			t.Fatalf("openapi.yaml: no enum at %v", path)
		}
		for _, v := range vs {
			out = append(out, fmt.Sprint(v))
		}
		slices.Sort(out)
		return out
	}
	var outcomes, parts, statuses, kinds []string
	for _, o := range bot.Outcomes {
		outcomes = append(outcomes, string(o))
	}
	for p := bot.Part(0); !strings.HasPrefix(p.String(), "part("); p++ {
		parts = append(parts, p.String())
	}
	for _, s := range knowledge.Statuses {
		statuses = append(statuses, string(s))
	}
	for _, k := range knowledge.Kinds {
		kinds = append(kinds, string(k))
	}
	for _, tt := range []struct {
		name string
		got  []string
		want []string
	}{
		{"Answer.outcome", enum("Answer", "properties", "outcome", "enum"), outcomes},
		{"Reply.blocks.part", enum("Reply", "properties", "blocks", "items", "properties", "part", "enum"), parts},
		{"Entry.status", enum("Entry", "properties", "status", "enum"), statuses},
		{"Entry.kinds", enum("Entry", "properties", "kinds", "items", "enum"), kinds},
	} {
		slices.Sort(tt.want)
		if !slices.Equal(tt.got, tt.want) {
			t.Errorf("openapi.yaml %s = %v; the core has %v", tt.name, tt.got, tt.want)
		}
	}
}

// TestAPIAnswerNeedsAQuestion: with no q, or a blank one, the answer is
// a 400 in the error's shape, never a 200 with no blocks; a question with
// nothing the core can read is a 200 whose blocks are an array.
func TestAPIAnswerNeedsAQuestion(t *testing.T) {
	t.Parallel()
	srv := desk(t, Config{})
	for _, path := range []string{"/api/v1/answer", "/api/v1/answer?q=", "/api/v1/answer?q=%20", "/api/v1/answer?q=%0A%09%20",
		"/api/v1/answer?place=Radstock", "/api/v1/answer?q=&place=Radstock"} {
		code, body, resp := get(t, srv, path)
		var e map[string]any
		if code != 400 || !strings.HasPrefix(resp.Header.Get("Content-Type"), "application/json") || json.Unmarshal([]byte(body), &e) != nil ||
			len(e) != 1 || !strings.Contains(fmt.Sprint(e["error"]), "q is required") {
			t.Errorf("GET %s: %d %s; want 400 {\"error\": \"q is required…\"}", path, code, body)
		}
	}
	_, body, _ := get(t, srv, "/api/v1/answer?q=%3F%3F")
	var ans map[string]any
	if err := json.Unmarshal([]byte(body), &ans); err != nil {
		t.Fatal(err)
	}
	if blocks, ok := ans["reply"].(map[string]any)["blocks"].([]any); !ok || ans["outcome"] != "empty" {
		t.Errorf(`GET /api/v1/answer?q=??: outcome %v, blocks %#v; want "empty" and an array`, ans["outcome"], blocks)
	}
}

// brokenDesk is the desk over a core that fails every answer.
func brokenDesk(t *testing.T) *httptest.Server {
	t.Helper()
	a, err := New(Config{}, failing{chattest.Bot()}, slog.New(slog.DiscardHandler))
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(a.Handler())
	t.Cleanup(srv.Close)
	return srv
}

type failing struct{ *bot.Bot }

func (failing) Answer(context.Context, bot.Question) (bot.Answer, error) {
	return bot.Answer{}, errors.New("the core is down")
}

// operation is one method of one path of the file.
type operation struct {
	method, path string
	params       []map[string]any
	responses    map[string]any
}

func operations(t *testing.T, doc map[string]any) []operation {
	t.Helper()
	var out []operation
	for path, item := range dig(doc, "paths").(map[string]any) {
		for method, o := range item.(map[string]any) {
			om := o.(map[string]any)
			op := operation{method: strings.ToUpper(method), path: path, responses: om["responses"].(map[string]any)}
			if ps, ok := om["parameters"].([]any); ok {
				for _, p := range ps {
					op.params = append(op.params, p.(map[string]any))
				}
			}
			for status, r := range op.responses {
				if _, err := strconv.Atoi(status); err != nil {
					t.Errorf("%s %s: response %q is not a status", op.method, path, status)
				}
				checkKeys(t, op.method+" "+path+" "+status, resolve(t, doc, r), "description", "content", "headers")
			}
			out = append(out, op)
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].path+out[i].method < out[j].path+out[j].method })
	return out
}

// operationFor is the operation that serves method and path, with its
// path template ("/api/v1/entries/{id}") matched.
func operationFor(t *testing.T, doc map[string]any, method, path string) (operation, bool) {
	for _, op := range operations(t, doc) {
		if op.method == method && templateMatches(op.path, path) {
			return op, true
		}
	}
	return operation{}, false
}

func templateMatches(tmpl, path string) bool {
	ts, ps := strings.Split(tmpl, "/"), strings.Split(path, "/")
	if len(ts) != len(ps) {
		return false
	}
	for i := range ts {
		if !(strings.HasPrefix(ts[i], "{") && ps[i] != "") && ts[i] != ps[i] {
			return false
		}
	}
	return true
}

// checkResponse makes c's request and checks the response against what
// the file documents for its status.
func checkResponse(t *testing.T, doc map[string]any, op operation, c apiCase) {
	t.Helper()
	name := c.method + " " + clip.Runes(c.target, 80)
	req, err := http.NewRequest(c.method, c.srv.URL+c.target, strings.NewReader(c.body))
	if err != nil {
		t.Fatal(err)
	}
	if c.body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	for i := 0; i+1 < len(c.header); i += 2 {
		req.Header.Set(c.header[i], c.header[i+1])
	}
	resp, err := c.srv.Client().Do(req)
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != c.status {
		t.Errorf("%s: %d %.200s; want %d", name, resp.StatusCode, body, c.status)
		return
	}
	r := resolve(t, doc, op.responses[strconv.Itoa(c.status)]).(map[string]any)
	if hs, ok := r["headers"].(map[string]any); ok {
		for h := range hs {
			if resp.Header.Get(h) == "" {
				t.Errorf("%s: no %s header; openapi.yaml documents one", name, h)
			}
		}
	}
	content, _ := r["content"].(map[string]any)
	if len(content) != 1 {
		t.Errorf("%s: %d media types documented for %d; want one", name, len(content), c.status)
		return
	}
	for media, m := range content {
		if got := resp.Header.Get("Content-Type"); !strings.HasPrefix(got, media) {
			t.Errorf("%s: Content-Type %q; openapi.yaml says %s", name, got, media)
		}
		schema, ok := m.(map[string]any)["schema"]
		if !ok {
			continue
		}
		var v any
		if err := json.Unmarshal(body, &v); err != nil {
			t.Errorf("%s: %v in %.200s", name, err, body)
			continue
		}
		for _, problem := range validate(doc, schema, v, "") {
			t.Errorf("%s: %s", name, problem)
		}
	}
}

// validate checks v against schema, for the JSON Schema keywords the file
// uses; a keyword it does not know is a problem, so a schema is never
// passed by being misread.
func validate(doc map[string]any, schema, v any, at string) []string {
	s, ok := schema.(map[string]any)
	if !ok {
		return []string{at + ": schema is not a mapping"}
	}
	if ref, ok := s["$ref"].(string); ok {
		target, err := lookup(doc, ref)
		if err != nil {
			return []string{at + ": " + err.Error()}
		}
		return validate(doc, target, v, at)
	}
	var out []string
	bad := func(format string, args ...any) { out = append(out, at+": "+fmt.Sprintf(format, args...)) }
	at0 := at
	if at0 == "" {
		at0 = "body"
	}
	for k := range s {
		switch k {
		case "type", "properties", "required", "additionalProperties", "items", "enum", "minimum", "maximum", "minLength", "description", "default":
		default:
			bad("schema keyword %q is not checked", k)
		}
	}
	switch s["type"] {
	case "object":
		m, ok := v.(map[string]any)
		if !ok {
			bad("%s is %s; want an object", at0, kind(v))
			return out
		}
		props, _ := s["properties"].(map[string]any)
		if req, ok := s["required"].([]any); ok {
			for _, r := range req {
				if _, ok := m[r.(string)]; !ok {
					bad("%s lacks required %q", at0, r)
				}
			}
		}
		for k, x := range m {
			if p, ok := props[k]; ok {
				out = append(out, validate(doc, p, x, at+"."+k)...)
			} else if s["additionalProperties"] == false {
				bad("%s has %q, which the schema does not describe", at0, k)
			}
		}
	case "array":
		a, ok := v.([]any)
		if !ok {
			bad("%s is %s; want an array", at0, kind(v))
			return out
		}
		for i, x := range a {
			out = append(out, validate(doc, s["items"], x, fmt.Sprintf("%s[%d]", at, i))...)
		}
	case "string":
		str, ok := v.(string)
		if !ok {
			bad("%s is %s; want a string", at0, kind(v))
			return out
		}
		if n, ok := s["minLength"].(int); ok && len([]rune(str)) < n {
			bad("%s is %q; want at least %d characters", at0, str, n)
		}
	case "number", "integer":
		f, ok := v.(float64)
		if !ok || s["type"] == "integer" && f != math.Trunc(f) {
			bad("%s is %s; want %s", at0, kind(v), s["type"])
			return out
		}
		if m, ok := number(s["minimum"]); ok && f < m {
			bad("%s is %v; want at least %v", at0, f, m)
		}
		if m, ok := number(s["maximum"]); ok && f > m {
			bad("%s is %v; want at most %v", at0, f, m)
		}
	case "boolean":
		if _, ok := v.(bool); !ok {
			bad("%s is %s; want a boolean", at0, kind(v))
		}
	default:
		bad("schema type %v is not checked", s["type"])
	}
	if enum, ok := s["enum"].([]any); ok && !slices.Contains(enum, v) {
		bad("%s is %v; want one of %v", at0, v, enum)
	}
	return out
}

func number(v any) (float64, bool) {
	switch n := v.(type) {
	case int:
		return float64(n), true
	case float64:
		return n, true
	}
	return 0, false
}

func kind(v any) string {
	switch v.(type) {
	case nil:
		return "null"
	case map[string]any:
		return "an object"
	case []any:
		return "an array"
	case string:
		return "a string"
	case float64:
		return "a number"
	case bool:
		return "a boolean"
	}
	return fmt.Sprintf("%T", v)
}

// resolve follows a {$ref: …} to what it names.
func resolve(t *testing.T, doc map[string]any, v any) any {
	t.Helper()
	if m, ok := v.(map[string]any); ok {
		if ref, ok := m["$ref"].(string); ok {
			target, err := lookup(doc, ref)
			if err != nil {
				t.Fatal(err)
			}
			return target
		}
	}
	return v
}

func lookup(doc map[string]any, ref string) (any, error) {
	rest, ok := strings.CutPrefix(ref, "#/")
	if !ok {
		return nil, fmt.Errorf("$ref %q is not in this file", ref)
	}
	if v := dig(doc, strings.Split(rest, "/")...); v != nil {
		return v, nil
	}
	return nil, fmt.Errorf("$ref %q names nothing", ref)
}

// dig is the value at path in nested mappings, or nil.
func dig(v any, path ...string) any {
	for _, k := range path {
		m, ok := v.(map[string]any)
		if !ok {
			return nil
		}
		v = m[k]
	}
	return v
}

// checkKeys fails when m, a mapping, has a key outside allowed: in
// openapi.yaml that is a plain scalar a comma cut in two ("best first").
func checkKeys(t *testing.T, where string, v any, allowed ...string) {
	t.Helper()
	m, ok := v.(map[string]any)
	if !ok {
		t.Errorf("%s: not a mapping", where)
		return
	}
	for k := range m {
		if !slices.Contains(allowed, k) {
			t.Errorf("%s: unexpected key %q (a comma in an unquoted string?)", where, k)
		}
	}
}

// TestOpenAPIIsReadAsWritten: every description, summary and parameter
// in the file is read whole, so none is cut at a comma into a stray key.
func TestOpenAPIIsReadAsWritten(t *testing.T) {
	t.Parallel()
	doc := spec(t)
	for _, op := range operations(t, doc) {
		for _, p := range op.params {
			checkKeys(t, op.method+" "+op.path+" parameter", p, "name", "in", "required", "schema", "description")
		}
	}
	var walk func(where string, v any)
	walk = func(where string, v any) {
		switch x := v.(type) {
		case map[string]any:
			for k, y := range x {
				if y == nil {
					t.Errorf("%s.%s is empty (a comma in an unquoted string?)", where, k)
				}
				walk(where+"."+k, y)
			}
		case []any:
			for i, y := range x {
				walk(fmt.Sprintf("%s[%d]", where, i), y)
			}
		}
	}
	walk("openapi.yaml", doc)
}

// readYAML reads the YAML openapi.yaml is written in: block mappings and
// sequences by indentation, flow mappings and sequences ({…}, […]),
// quoted and plain scalars, and folded text (>). Flow collections follow
// YAML's rule that a comma ends a plain scalar, as a YAML library reads
// them.
func readYAML(src string) (any, error) {
	var lines []yamlLine
	for i, l := range strings.Split(src, "\n") {
		trimmed := strings.TrimLeft(l, " ")
		if strings.TrimSpace(trimmed) == "" || strings.HasPrefix(trimmed, "#") {
			continue
		}
		if strings.Contains(l, "\t") {
			return nil, fmt.Errorf("line %d: a tab", i+1)
		}
		lines = append(lines, yamlLine{len(l) - len(trimmed), strings.TrimRight(trimmed, " "), i + 1})
	}
	p := &yamlReader{lines: lines}
	if len(lines) == 0 {
		return nil, nil
	}
	v, err := p.node(lines[0].indent)
	if err != nil {
		return nil, err
	}
	if p.i < len(p.lines) {
		return nil, fmt.Errorf("line %d: not expected here", p.lines[p.i].n)
	}
	return v, nil
}

type yamlLine struct {
	indent int
	text   string
	n      int
}

type yamlReader struct {
	lines []yamlLine
	i     int
}

// node reads the block at indent: a sequence, a mapping, or one scalar.
func (p *yamlReader) node(indent int) (any, error) {
	l := p.lines[p.i]
	if l.indent != indent {
		return nil, fmt.Errorf("line %d: indented %d; want %d", l.n, l.indent, indent)
	}
	switch {
	case l.text == "-" || strings.HasPrefix(l.text, "- "):
		return p.sequence(indent)
	case keyOf(l.text) >= 0:
		return p.mapping(indent)
	}
	p.i++
	return flowValue(l.text, l.n)
}

func (p *yamlReader) sequence(indent int) (any, error) {
	out := []any{}
	for p.i < len(p.lines) && p.lines[p.i].indent == indent && (p.lines[p.i].text == "-" || strings.HasPrefix(p.lines[p.i].text, "- ")) {
		l := p.lines[p.i]
		rest := strings.TrimLeft(strings.TrimPrefix(l.text, "-"), " ")
		if rest == "" {
			p.i++
			if p.i >= len(p.lines) || p.lines[p.i].indent <= indent {
				out = append(out, nil)
				continue
			}
			v, err := p.node(p.lines[p.i].indent)
			if err != nil {
				return nil, err
			}
			out = append(out, v)
			continue
		}
		// The item's own block starts on this line, after "- ".
		p.lines[p.i] = yamlLine{indent + len(l.text) - len(rest), rest, l.n}
		v, err := p.node(p.lines[p.i].indent)
		if err != nil {
			return nil, err
		}
		out = append(out, v)
	}
	return out, nil
}

func (p *yamlReader) mapping(indent int) (any, error) {
	out := map[string]any{}
	for p.i < len(p.lines) && p.lines[p.i].indent == indent {
		l := p.lines[p.i]
		at := keyOf(l.text)
		if at < 0 {
			return nil, fmt.Errorf("line %d: want key: value", l.n)
		}
		key, err := scalarKey(l.text[:at], l.n)
		if err != nil {
			return nil, err
		}
		if _, dup := out[key]; dup {
			return nil, fmt.Errorf("line %d: %q twice", l.n, key)
		}
		rest := strings.TrimSpace(l.text[at+1:])
		p.i++
		switch {
		case rest == ">" || rest == ">-":
			var words []string
			for p.i < len(p.lines) && p.lines[p.i].indent > indent {
				words = append(words, p.lines[p.i].text)
				p.i++
			}
			s := strings.Join(words, " ")
			if rest == ">" {
				s += "\n"
			}
			out[key] = s
		case rest == "":
			if p.i < len(p.lines) && p.lines[p.i].indent > indent {
				v, err := p.node(p.lines[p.i].indent)
				if err != nil {
					return nil, err
				}
				out[key] = v
			} else if p.i < len(p.lines) && p.lines[p.i].indent == indent && strings.HasPrefix(p.lines[p.i].text, "- ") {
				v, err := p.sequence(indent)
				if err != nil {
					return nil, err
				}
				out[key] = v
			} else {
				out[key] = nil
			}
		default:
			v, err := flowValue(rest, l.n)
			if err != nil {
				return nil, err
			}
			out[key] = v
		}
	}
	return out, nil
}

// keyOf is where a block mapping's key ends (its colon), or -1.
func keyOf(s string) int {
	if strings.HasPrefix(s, `"`) {
		end := strings.Index(s[1:], `"`)
		if end < 0 || !strings.HasPrefix(s[end+2:], ":") {
			return -1
		}
		if rest := s[end+3:]; rest != "" && rest[0] != ' ' {
			return -1
		}
		return end + 2
	}
	if strings.HasPrefix(s, "{") || strings.HasPrefix(s, "[") || strings.HasPrefix(s, "'") {
		return -1
	}
	if i := strings.Index(s, ": "); i >= 0 {
		return i
	}
	if strings.HasSuffix(s, ":") {
		return len(s) - 1
	}
	return -1
}

func scalarKey(s string, n int) (string, error) {
	v, err := flowValue(s, n)
	if err != nil {
		return "", err
	}
	switch k := v.(type) {
	case string:
		return k, nil
	case nil:
		return "", fmt.Errorf("line %d: an empty key", n)
	}
	return fmt.Sprint(v), nil
}

// flowValue reads one whole value: a flow collection, a quoted string, or
// a plain scalar.
func flowValue(s string, n int) (any, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return nil, nil
	}
	if c := s[0]; c != '{' && c != '[' && c != '"' && c != '\'' {
		return plainScalar(s), nil // block context: commas are text
	}
	f := &flowReader{s: s, n: n}
	v, err := f.value()
	if err != nil {
		return nil, err
	}
	f.space()
	if f.i != len(f.s) {
		return nil, fmt.Errorf("line %d: %q after the value", n, f.s[f.i:])
	}
	return v, nil
}

type flowReader struct {
	s string
	i int
	n int
}

func (f *flowReader) space() {
	for f.i < len(f.s) && f.s[f.i] == ' ' {
		f.i++
	}
}

func (f *flowReader) fail(what string) error {
	return fmt.Errorf("line %d, column %d: %s", f.n, f.i+1, what)
}

func (f *flowReader) value() (any, error) {
	f.space()
	if f.i >= len(f.s) {
		return nil, f.fail("a value is missing")
	}
	switch f.s[f.i] {
	case '{':
		f.i++
		out := map[string]any{}
		for {
			f.space()
			if f.i < len(f.s) && f.s[f.i] == '}' {
				f.i++
				return out, nil
			}
			k, err := f.value()
			if err != nil {
				return nil, err
			}
			key := fmt.Sprint(k)
			if _, dup := out[key]; dup {
				return nil, f.fail(fmt.Sprintf("%q twice", key))
			}
			f.space()
			var v any
			if f.i < len(f.s) && f.s[f.i] == ':' {
				f.i++
				f.space()
				if f.i < len(f.s) && f.s[f.i] != ',' && f.s[f.i] != '}' {
					if v, err = f.value(); err != nil {
						return nil, err
					}
				}
			}
			out[key] = v // a key without a colon is a key whose value is null, as in YAML
			f.space()
			if f.i < len(f.s) && f.s[f.i] == ',' {
				f.i++
			} else if f.i >= len(f.s) || f.s[f.i] != '}' {
				return nil, f.fail("want , or }")
			}
		}
	case '[':
		f.i++
		out := []any{}
		for {
			f.space()
			if f.i < len(f.s) && f.s[f.i] == ']' {
				f.i++
				return out, nil
			}
			v, err := f.value()
			if err != nil {
				return nil, err
			}
			out = append(out, v)
			f.space()
			if f.i < len(f.s) && f.s[f.i] == ',' {
				f.i++
			} else if f.i >= len(f.s) || f.s[f.i] != ']' {
				return nil, f.fail("want , or ]")
			}
		}
	case '"':
		end := f.i + 1
		for end < len(f.s) && f.s[end] != '"' {
			if f.s[end] == '\\' {
				end++
			}
			end++
		}
		if end >= len(f.s) {
			return nil, f.fail("an unclosed string")
		}
		s, err := strconv.Unquote(f.s[f.i : end+1])
		if err != nil {
			return nil, f.fail(err.Error())
		}
		f.i = end + 1
		return s, nil
	case '\'':
		var b strings.Builder
		for j := f.i + 1; j < len(f.s); j++ {
			if f.s[j] == '\'' {
				if j+1 < len(f.s) && f.s[j+1] == '\'' {
					b.WriteByte('\'')
					j++
					continue
				}
				f.i = j + 1
				return b.String(), nil
			}
			b.WriteByte(f.s[j])
		}
		return nil, f.fail("an unclosed string")
	}
	// A plain scalar in a flow collection ends at a comma, a closing
	// bracket, or a colon that a space or the end follows.
	start := f.i
	for f.i < len(f.s) {
		c := f.s[f.i]
		if c == ',' || c == '}' || c == ']' {
			break
		}
		if c == ':' && (f.i+1 == len(f.s) || strings.ContainsRune(" ,}]", rune(f.s[f.i+1]))) {
			break
		}
		f.i++
	}
	return plainScalar(strings.TrimSpace(f.s[start:f.i])), nil
}

// plainScalar is a plain scalar's value: null, a boolean, a number, or
// the text itself.
func plainScalar(s string) any {
	switch s {
	case "", "~", "null":
		return nil
	case "true":
		return true
	case "false":
		return false
	}
	if n, err := strconv.Atoi(s); err == nil {
		return n
	}
	if f, err := strconv.ParseFloat(s, 64); err == nil && strings.Trim(s, "0123456789.-+eE") == "" {
		return f
	}
	return s
}
