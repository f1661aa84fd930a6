package directory

import (
	"crypto/sha1"
	"encoding/json"
	"fmt"
	"io"
	"net/mail"
	"net/url"
	"strings"
	"time"
)

// Entry is what signpost publishes about one of its own entries as an ORUK
// service: plain inputs, nothing more than the caller knows.
type Entry struct {
	// ID is the caller's stable id ("acv"). ORUK wants a UUID, so the
	// service's id is derived from it (StableID) and stays the same from one
	// export to the next.
	ID          string
	Name        string
	Description string
	URL         string // absolute http(s), or ""
	Email       string // or ""
	// Organization is who provides it. ORUK requires an organization with
	// an id, a name and a description; the description is written empty
	// when the caller has none, rather than made up.
	Organization            string
	OrganizationDescription string
	LastModified            time.Time // or zero
	// Inactive marks a service that does not run now (proposed, ended or
	// not known to run): ORUK's "inactive" rather than "active".
	Inactive bool
}

// exportNamespace roots the UUIDs of exported records, so that another
// publisher using StableID with the same ids gets different ones.
const exportNamespace = "https://github.com/bathnes/signpost/"

// StableID is a name-based (version 5, SHA-1) UUID for name in signpost's
// namespace: the same name always gives the same id, as ORUK consumers
// syncing with modified_after need.
func StableID(name string) string {
	// The RFC 4122 URL namespace, 6ba7b811-9dad-11d1-80b4-00c04fd430c8.
	ns := []byte{0x6b, 0xa7, 0xb8, 0x11, 0x9d, 0xad, 0x11, 0xd1, 0x80, 0xb4, 0x00, 0xc0, 0x4f, 0xd4, 0x30, 0xc8}
	h := sha1.New()
	h.Write(ns)
	h.Write([]byte(exportNamespace + name))
	u := h.Sum(nil)[:16]
	u[6] = u[6]&0x0f | 0x50
	u[8] = u[8]&0x3f | 0x80
	return fmt.Sprintf("%x-%x-%x-%x-%x", u[0:4], u[4:6], u[6:8], u[8:10], u[10:16])
}

type orukOrganization struct {
	ID          string `json:"id"`
	Name        string `json:"name"`
	Description string `json:"description"`
}

type orukService struct {
	ID             string            `json:"id"`
	OrganizationID string            `json:"organization_id,omitempty"`
	Name           string            `json:"name"`
	Description    string            `json:"description,omitempty"`
	URL            string            `json:"url,omitempty"`
	Email          string            `json:"email,omitempty"`
	Status         string            `json:"status"`
	LastModified   string            `json:"last_modified,omitempty"`
	Organization   *orukOrganization `json:"organization,omitempty"`
}

// ORUKService builds the ORUK 3.0 service for an entry. It refuses what
// would not validate (no id or name, a URL or e-mail that is not one)
// rather than publishing it.
func ORUKService(e Entry) (json.RawMessage, error) {
	s, err := orukOf(e)
	if err != nil {
		return nil, err
	}
	return json.Marshal(s)
}

func orukOf(e Entry) (orukService, error) {
	if strings.TrimSpace(e.ID) == "" || strings.TrimSpace(e.Name) == "" {
		return orukService{}, fmt.Errorf("export %q: an ORUK service needs an id and a name", e.ID)
	}
	s := orukService{ID: StableID("service/" + e.ID), Name: e.Name, Description: e.Description, Status: "active"}
	if e.Inactive {
		s.Status = "inactive"
	}
	if e.URL != "" {
		u, err := url.Parse(e.URL)
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			return orukService{}, fmt.Errorf("export %q: url %q is not an absolute web address", e.ID, e.URL)
		}
		s.URL = e.URL
	}
	if e.Email != "" {
		if a, err := mail.ParseAddress(e.Email); err != nil || a.Address != e.Email {
			return orukService{}, fmt.Errorf("export %q: %q is not an e-mail address", e.ID, e.Email)
		}
		s.Email = e.Email
	}
	if !e.LastModified.IsZero() {
		s.LastModified = e.LastModified.UTC().Format("2006-01-02T15:04:05.000Z")
	}
	if e.Organization != "" {
		s.Organization = &orukOrganization{ID: StableID("organization/" + e.Organization),
			Name: e.Organization, Description: e.OrganizationDescription}
		s.OrganizationID = s.Organization.ID
	}
	return s, nil
}

// WriteFeed writes entries as one page of an ORUK 3.0 /services response
// (the v3 envelope, every service on the one page), indented for people to
// read.
func WriteFeed(w io.Writer, entries []Entry) error {
	page := struct {
		TotalItems int           `json:"total_items"`
		TotalPages int           `json:"total_pages"`
		PageNumber int           `json:"page_number"`
		Size       int           `json:"size"`
		FirstPage  bool          `json:"first_page"`
		LastPage   bool          `json:"last_page"`
		Empty      bool          `json:"empty"`
		Contents   []orukService `json:"contents"`
	}{TotalItems: len(entries), TotalPages: 1, PageNumber: 1, Size: len(entries), FirstPage: true,
		LastPage: true, Empty: len(entries) == 0, Contents: []orukService{}}
	seen := map[string]string{}
	for _, e := range entries {
		s, err := orukOf(e)
		if err != nil {
			return err
		}
		if prev, dup := seen[s.ID]; dup {
			return fmt.Errorf("export: %q and %q have the same id", prev, e.ID)
		}
		seen[s.ID] = e.ID
		page.Contents = append(page.Contents, s)
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(page)
}
