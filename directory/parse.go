package directory

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"time"
)

// Envelope says how a feed wrapped its services.
type Envelope string

// The envelopes a feed may use. ORUK v1 feeds (LocalGov Drupal's among them)
// page with Spring-style content/totalElements/totalPages/number/first/last;
// ORUK 3.0 with contents/total_items/total_pages/page_number/size/
// first_page/last_page; format=ndjson streams one service a line, unpaged.
const (
	EnvelopeV1     Envelope = "v1"
	EnvelopeV3     Envelope = "v3"
	EnvelopeArray  Envelope = "array"  // a bare JSON array of services
	EnvelopeSingle Envelope = "single" // one service, as /services/{id} returns
	EnvelopeNDJSON Envelope = "ndjson"
)

// Page is one parsed page of a feed (or a whole ndjson stream).
type Page struct {
	Envelope   Envelope
	Number     int  // the page number the feed reported; 0 when it gave none
	TotalPages int  // 0 when not given
	TotalItems int  // 0 when not given
	Last       bool // the feed says this is the last page, or it is unpaged
	Records    int  // records read, good and bad
	FirstID    string
	Services   []Service
	Problems   []Problem
}

// ErrNotFeed is returned for input that is not an ORUK feed at all: not JSON,
// or JSON without services. The caller keeps its last good copy.
var ErrNotFeed = errors.New("not an ORUK feed")

// Parse reads one page of a feed, or a whole ndjson stream, telling them
// apart by content: a first line that is a whole service is ndjson, read a
// line at a time without holding the stream in memory (a single service on
// one line reads the same way); anything else is read whole as a page.
func Parse(r io.Reader, feed string, fetchedAt time.Time) (Page, error) {
	br := bufio.NewReaderSize(r, 64<<10)
	var head []byte
	for {
		line, err := br.ReadBytes('\n')
		head = append(head, line...)
		if len(bytes.TrimSpace(trimBOM(head))) > 0 || err != nil {
			break
		}
	}
	head = trimBOM(head)
	if first := bytes.TrimSpace(head); len(first) > 0 && first[0] == '{' && json.Valid(first) && isService(first) {
		return ParseNDJSON(io.MultiReader(bytes.NewReader(head), br), feed, fetchedAt)
	}
	rest, err := io.ReadAll(br)
	if err != nil {
		return Page{}, err
	}
	data := append(head, rest...)
	if json.Valid(data) {
		return ParsePage(data, feed, fetchedAt)
	}
	return ParseNDJSON(bytes.NewReader(data), feed, fetchedAt)
}

func trimBOM(b []byte) []byte { return bytes.TrimPrefix(b, []byte("\xef\xbb\xbf")) }

// isService tells a one-line service (it has an id, and is no envelope)
// from a one-line page or an error document.
func isService(line []byte) bool {
	o, err := decodeObject(line, "")
	has := func(key string) bool { raw, _ := o.field(key); return raw != nil }
	return err == nil && has("id") && !has("contents") && !has("content")
}

// ParsePage parses one JSON page in either envelope, a bare array, or a
// single service. Bad records are skipped and reported in Problems; only a
// page that is not a feed at all is an error.
func ParsePage(data []byte, feed string, fetchedAt time.Time) (Page, error) {
	data = bytes.TrimSpace(trimBOM(data))
	if len(data) == 0 {
		return Page{}, fmt.Errorf("%w: empty", ErrNotFeed)
	}
	var p Page
	var records []json.RawMessage
	switch data[0] {
	case '[':
		if err := json.Unmarshal(data, &records); err != nil {
			return Page{}, fmt.Errorf("%w: %v", ErrNotFeed, err)
		}
		p.Envelope, p.Last = EnvelopeArray, true
	case '{':
		env, err := decodeObject(data, "")
		if err != nil {
			return Page{}, fmt.Errorf("%w: %v", ErrNotFeed, err)
		}
		var list json.RawMessage
		p.Envelope, list = envelopeOf(env)
		switch p.Envelope {
		case EnvelopeV3:
			p.TotalItems, p.TotalPages, p.Number = pageInt(env, "total_items"), pageInt(env, "total_pages"), pageInt(env, "page_number")
			p.Last = pageBool(env, "last_page")
		case EnvelopeV1:
			p.TotalItems, p.TotalPages, p.Number = pageInt(env, "totalElements"), pageInt(env, "totalPages"), pageInt(env, "number")
			p.Last = pageBool(env, "last")
		case EnvelopeSingle:
			p.Last = true
			records = []json.RawMessage{data}
		default:
			return Page{}, fmt.Errorf("%w: no contents, content or id", ErrNotFeed)
		}
		if list != nil && !isNull(list) {
			if err := json.Unmarshal(list, &records); err != nil {
				return Page{}, fmt.Errorf("%w: the list of services is not an array", ErrNotFeed)
			}
		}
	default:
		return Page{}, fmt.Errorf("%w: not a JSON object or array", ErrNotFeed)
	}
	for i, raw := range records {
		p.add(raw, i, feed, fetchedAt)
	}
	return p, nil
}

// maxLine bounds one ndjson record: a service is a few kilobytes, and a
// feed that sends a gigabyte without a newline is broken.
const maxLine = 8 << 20

// ParseNDJSON reads a format=ndjson stream: one service a line, unpaged. A
// line that is not JSON is a skipped record; a stream in which no line is
// JSON is not a feed.
func ParseNDJSON(r io.Reader, feed string, fetchedAt time.Time) (Page, error) {
	p := Page{Envelope: EnvelopeNDJSON, Last: true}
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 0, 64<<10), maxLine)
	bad := 0
	for i := 0; sc.Scan(); {
		line := bytes.TrimSpace(sc.Bytes())
		if len(line) == 0 {
			continue
		}
		if !json.Valid(line) || line[0] != '{' {
			bad++
			p.Records++
			p.Problems = append(p.Problems, Problem{Feed: feed, Index: i, Field: "(record)",
				Message: "not a JSON object", Skipped: true})
			i++
			continue
		}
		// The scanner reuses its buffer; records keep no reference to it
		// because every field is copied out while parsing.
		p.add(line, i, feed, fetchedAt)
		i++
	}
	if err := sc.Err(); err != nil {
		return Page{}, fmt.Errorf("%w: %v", ErrNotFeed, err)
	}
	if p.Records == 0 {
		// An empty body is more often a broken server than an empty
		// directory; either way the last good copy is the better answer.
		return Page{}, fmt.Errorf("%w: empty", ErrNotFeed)
	}
	if bad == p.Records {
		return Page{}, fmt.Errorf("%w: no line is a JSON object", ErrNotFeed)
	}
	return p, nil
}

func (p *Page) add(raw json.RawMessage, i int, feed string, fetchedAt time.Time) {
	p.Records++
	s, probs, ok := parseService(raw, i, feed, fetchedAt)
	p.Problems = append(p.Problems, probs...)
	if p.Records == 1 {
		p.FirstID = s.ID
	}
	if ok {
		p.Services = append(p.Services, s)
	}
}

// envelopeOf tells a page's envelope by the key that holds its services
// (3.0's contents, v1's content) or, for a single service, its id; list is
// the services' array, nil for a single service.
func envelopeOf(env object) (e Envelope, list json.RawMessage) {
	for _, k := range []struct {
		key string
		env Envelope
	}{{"contents", EnvelopeV3}, {"content", EnvelopeV1}, {"id", EnvelopeSingle}} {
		if raw, _ := env.field(k.key); raw != nil {
			if k.env == EnvelopeSingle {
				raw = nil
			}
			return k.env, raw
		}
	}
	return "", nil
}

// pageInt reads a paging number, which some feeds send as a string; 0 when
// absent or unreadable (paging then falls back to counting records).
func pageInt(env object, key string) int {
	var c conv
	v, ok := c.num(env.field(key))
	if !ok || len(c.probs) > 0 || v < 0 || v > math.MaxInt32 {
		return 0
	}
	return int(v)
}

func pageBool(env object, key string) bool {
	raw, _ := env.field(key)
	var b bool
	return json.Unmarshal(raw, &b) == nil && b
}
