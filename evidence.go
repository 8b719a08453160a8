package habeas

import (
	"regexp"
	"strings"
	"time"
)

// Evidence describes an item of evidence: a photo, a video, a medical
// report. Only metadata lives here; encrypted files and chain of custody
// arrive with the vault.
type Evidence struct {
	ID          string    `json:"id"`
	Kind        string    `json:"kind"`
	Title       string    `json:"title"`
	Description string    `json:"description,omitempty"`
	PersonID    string    `json:"person_id,omitempty"`
	DetentionID string    `json:"detention_id,omitempty"`
	CasualtyID  string    `json:"casualty_id,omitempty"`
	CollectedAt time.Time `json:"collected_at,omitzero"`
	CollectedBy string    `json:"collected_by,omitempty"`
	SHA256      string    `json:"sha256,omitempty"` // of the file, when one exists
	Sources     []string  `json:"sources,omitempty"`
}

// EvidenceKinds lists the kinds of evidence.
var EvidenceKinds = []string{"photo", "video", "audio", "document", "medical_report", "court_document", "testimony", "other"}

var sha256Pattern = regexp.MustCompile(`^[0-9a-f]{64}$`)

// EntityKind implements Entity.
func (e *Evidence) EntityKind() Kind { return KindEvidence }

// GetID implements Entity.
func (e *Evidence) GetID() string { return e.ID }

// SetID implements Entity.
func (e *Evidence) SetID(id string) { e.ID = id }

// Refs implements Entity.
func (e *Evidence) Refs() []Ref {
	var refs []Ref
	if e.PersonID != "" {
		refs = append(refs, Ref{Field: "person_id", Kind: KindPerson, ID: e.PersonID})
	}
	if e.DetentionID != "" {
		refs = append(refs, Ref{Field: "detention_id", Kind: KindDetention, ID: e.DetentionID})
	}
	if e.CasualtyID != "" {
		refs = append(refs, Ref{Field: "casualty_id", Kind: KindCasualty, ID: e.CasualtyID})
	}
	return append(refs, sourceRefs("sources", e.Sources)...)
}

// SourceIDs implements Entity.
func (e *Evidence) SourceIDs() []string { return unionSorted(e.Sources) }

// Normalize implements Entity.
func (e *Evidence) Normalize() {
	e.Title = strings.TrimSpace(e.Title)
	e.SHA256 = strings.ToLower(strings.TrimSpace(e.SHA256))
	e.CollectedAt = utc(e.CollectedAt)
	e.Sources = unionSorted(e.Sources)
}

// Validate implements Entity.
func (e *Evidence) Validate() error {
	v := &validator{}
	v.optID(KindEvidence, "id", e.ID)
	v.oneOf("kind", e.Kind, EvidenceKinds, false)
	v.required("title", e.Title)
	if e.PersonID == "" && e.DetentionID == "" && e.CasualtyID == "" {
		v.add("person_id", "evidence must concern a person, a detention or a casualty")
	}
	v.optID(KindPerson, "person_id", e.PersonID)
	v.optID(KindDetention, "detention_id", e.DetentionID)
	v.optID(KindCasualty, "casualty_id", e.CasualtyID)
	v.instant("collected_at", e.CollectedAt, true)
	if e.SHA256 != "" && !sha256Pattern.MatchString(e.SHA256) {
		v.add("sha256", "is not 64 lower-case hexadecimal digits")
	}
	v.sources("sources", e.Sources)
	return v.err("evidence")
}
