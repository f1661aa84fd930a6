package directory

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"
)

// schemaValidator checks a JSON value against the ORUK 3.0 JSON Schemas of
// OpenReferralUK/uk-profile (testdata/oruk/ukprofile/schema). It implements the
// keywords those schemas use to constrain (type, properties, required, enum,
// items, format, and $ref to a sibling file); the rest (title, description,
// example, constraints, core, datapackage_*, tabular_required) annotate, and
// an unknown keyword fails the test rather than being skipped silently.
type schemaValidator struct {
	dir   string
	cache map[string]map[string]any
}

var annotations = []string{"name", "title", "description", "example", "constraints", "core", "path",
	"datapackage_metadata", "datapackage_type", "tabular_required", "order", "format_description"}

func (v *schemaValidator) load(file string) (map[string]any, error) {
	if s, ok := v.cache[file]; ok {
		return s, nil
	}
	data, err := os.ReadFile(filepath.Join(v.dir, file))
	if err != nil {
		return nil, err
	}
	var s map[string]any
	if err := json.Unmarshal(data, &s); err != nil {
		return nil, fmt.Errorf("%s: %w", file, err)
	}
	v.cache[file] = s
	return s, nil
}

var uuidRE = regexp.MustCompile(`^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$`)

func (v *schemaValidator) validate(schema map[string]any, val any, at string) []string {
	var errs []string
	if ref, ok := schema["$ref"].(string); ok {
		sub, err := v.load(ref)
		if err != nil {
			return []string{at + ": " + err.Error()}
		}
		errs = append(errs, v.validate(sub, val, at)...)
	}
	for k := range schema {
		switch k {
		case "$ref", "type", "properties", "required", "enum", "items", "format":
		default:
			if !slices.Contains(annotations, k) {
				errs = append(errs, fmt.Sprintf("%s: schema keyword %q is not implemented", at, k))
			}
		}
	}
	if typ, ok := schema["type"].(string); ok {
		if !hasType(val, typ) {
			return append(errs, fmt.Sprintf("%s: want %s, got %T", at, typ, val))
		}
	}
	if enum, ok := schema["enum"].([]any); ok && !slices.Contains(enum, val) {
		errs = append(errs, fmt.Sprintf("%s: %v not in %v", at, val, enum))
	}
	if f, ok := schema["format"].(string); ok {
		if s, isStr := val.(string); isStr && !formatOK(f, s) {
			errs = append(errs, fmt.Sprintf("%s: %q is not a %s", at, s, f))
		}
	}
	obj, isObj := val.(map[string]any)
	if req, ok := schema["required"].([]any); ok && isObj {
		for _, r := range req {
			if _, present := obj[r.(string)]; !present {
				errs = append(errs, fmt.Sprintf("%s: %q is required", at, r))
			}
		}
	}
	if props, ok := schema["properties"].(map[string]any); ok && isObj {
		for k, sub := range props {
			if x, present := obj[k]; present {
				errs = append(errs, v.validate(sub.(map[string]any), x, at+"."+k)...)
			}
		}
	}
	if items, ok := schema["items"].(map[string]any); ok {
		if arr, isArr := val.([]any); isArr {
			for i, x := range arr {
				errs = append(errs, v.validate(items, x, fmt.Sprintf("%s[%d]", at, i))...)
			}
		}
	}
	return errs
}

func hasType(v any, typ string) bool {
	switch typ {
	case "string":
		_, ok := v.(string)
		return ok
	case "number":
		_, ok := v.(float64)
		return ok
	case "integer":
		f, ok := v.(float64)
		return ok && f == math.Trunc(f)
	case "boolean":
		_, ok := v.(bool)
		return ok
	case "object":
		_, ok := v.(map[string]any)
		return ok
	case "array":
		_, ok := v.([]any)
		return ok
	case "null":
		return v == nil
	}
	return false
}

func formatOK(format, s string) bool {
	switch format {
	case "uuid":
		return uuidRE.MatchString(s)
	// Stricter than the schema's formats: what signpost publishes, its
	// own reader must keep (an absolute web address, a plain e-mail
	// address).
	case "uri":
		return isWebURL(s)
	case "email":
		return isEmail(s)
	case "date-time":
		_, err := time.Parse(time.RFC3339, s)
		return err == nil
	case "date":
		_, err := time.Parse("2006-01-02", s)
		return err == nil
	}
	return false
}

func validateService(t *testing.T, raw []byte) []string {
	t.Helper()
	v := &schemaValidator{dir: filepath.Dir(fixturePath(t, "ukprofile/schema/service.json")), cache: map[string]map[string]any{}}
	schema, err := v.load("service.json")
	if err != nil {
		t.Fatal(err)
	}
	var val any
	if err := json.Unmarshal(raw, &val); err != nil {
		t.Fatal(err)
	}
	return v.validate(schema, val, "service")
}

// The validator is itself checked on the profile's own example, which is
// valid (its latitude of 100 is a number, which is all the schema asks),
// and on the Fail mocks: names missing, a bad url, e-mails of the wrong type.
func TestSchemaValidatorOnTheProfilesExamples(t *testing.T) {
	if errs := validateService(t, readFixture(t, "ukprofile/examples/service_full.json")); len(errs) != 0 {
		t.Errorf("uk-profile example: %v", errs)
	}
	errs := validateService(t, readFixture(t, "openreferralapi/fail/service_full.json"))
	var list struct{ Contents []json.RawMessage }
	if err := json.Unmarshal(readFixture(t, "openreferralapi/fail/service_list.json"), &list); err != nil {
		t.Fatal(err)
	}
	for _, c := range list.Contents {
		errs = append(errs, validateService(t, c)...)
	}
	joined := strings.Join(errs, "\n")
	for _, want := range []string{`service: "name" is required`, `service.url: "example/counselling" is not a uri`,
		`service.email: "email-example_com" is not a email`, "service.email: want string, got bool",
		"service.email: want string, got float64"} {
		if !strings.Contains(joined, want) {
			t.Errorf("Fail mock: missing %q in\n%s", want, joined)
		}
	}
}

func TestORUKServiceIsValidORUK30(t *testing.T) {
	entries := []Entry{
		{ID: "acv", Name: "Assets of Community Value", Description: "List a building or land as an asset of community value.",
			URL: "https://www.bathnes.gov.uk/", Email: "councilconnect@bathnes.gov.uk", Organization: "Bath and North East Somerset Council",
			LastModified: time.Date(2014, 7, 1, 0, 0, 0, 0, time.UTC)},
		{ID: "pact", Name: "PACT meetings"},
		{ID: "bare", Name: "Only a name", Organization: "Someone"},
	}
	for _, e := range entries {
		raw, err := ORUKService(e)
		if err != nil {
			t.Fatalf("ORUKService(%s): %v", e.ID, err)
		}
		if errs := validateService(t, raw); len(errs) != 0 {
			t.Errorf("ORUKService(%s) = %s\ninvalid: %v", e.ID, raw, errs)
		}
	}
	var b bytes.Buffer
	if err := WriteFeed(&b, entries); err != nil {
		t.Fatal(err)
	}
	var page struct {
		Contents []json.RawMessage `json:"contents"`
	}
	if err := json.Unmarshal(b.Bytes(), &page); err != nil || len(page.Contents) != 3 {
		t.Fatalf("feed = %s, %v", b.String(), err)
	}
	for _, c := range page.Contents {
		if errs := validateService(t, c); len(errs) != 0 {
			t.Errorf("feed service invalid: %v", errs)
		}
	}
	// What signpost publishes, signpost reads back the same.
	p, err := ParsePage(b.Bytes(), "self", fetched)
	if err != nil || len(p.Services) != 3 || len(p.Problems) != 0 {
		t.Fatalf("read back: %+v, %v", p, err)
	}
	s := p.Services[0]
	if s.Name != entries[0].Name || s.Description != entries[0].Description || s.URL != entries[0].URL ||
		s.Email != entries[0].Email || s.Organization != entries[0].Organization || !s.LastModified.Equal(entries[0].LastModified) {
		t.Errorf("round trip = %+v", s)
	}
}

func TestORUKServiceRefusesWhatWouldNotValidate(t *testing.T) {
	for _, e := range []Entry{{Name: "no id"}, {ID: "x"}, {ID: "x", Name: "n", URL: "www.example.org"},
		{ID: "x", Name: "n", Email: "not an address"}} {
		if _, err := ORUKService(e); err == nil {
			t.Errorf("ORUKService(%+v) accepted it", e)
		}
	}
	if err := WriteFeed(&bytes.Buffer{}, []Entry{{ID: "a", Name: "A"}, {ID: "a", Name: "B"}}); err == nil {
		t.Error("WriteFeed accepted two entries with one id")
	}
}

func TestStableID(t *testing.T) {
	// Python: uuid.uuid5(uuid.NAMESPACE_URL, "https://github.com/bathnes/signpost/service/acv")
	if got := StableID("service/acv"); got != "53651990-cd6d-55fe-9452-f83d37c843df" {
		t.Errorf("StableID = %s", got)
	}
	if StableID("a") == StableID("b") {
		t.Error("two names, one id")
	}
}
