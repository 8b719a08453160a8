package habeas

import (
	"strconv"
	"strings"
	"time"
)

// SourceKind says where information came from.
type SourceKind string

// Values of SourceKind.
const (
	SourceHotlineCall  SourceKind = "hotline_call"
	SourceRelative     SourceKind = "relative"
	SourceLawyer       SourceKind = "lawyer"
	SourceOfficialList SourceKind = "official_list"
	SourceCourtRecord  SourceKind = "court_record"
	SourceMedia        SourceKind = "media"
	SourceSocialMedia  SourceKind = "social_media"
	SourceWitness      SourceKind = "witness"
	SourceOwnMonitor   SourceKind = "own_monitor"
)

// SourceKinds lists every SourceKind.
var SourceKinds = []string{string(SourceHotlineCall), string(SourceRelative), string(SourceLawyer),
	string(SourceOfficialList), string(SourceCourtRecord), string(SourceMedia),
	string(SourceSocialMedia), string(SourceWitness), string(SourceOwnMonitor)}

// Confidentiality says who may see a source's identity.
type Confidentiality string

// Values of Confidentiality.
const (
	ConfidentialityOpen       Confidentiality = "open"       // may be named in reports
	ConfidentialityInternal   Confidentiality = "internal"   // staff only
	ConfidentialityRestricted Confidentiality = "restricted" // named staff only; identity endangers the source
)

// Source is where a fact came from: a call, a list, a court record. Its
// grading follows the Admiralty system: Reliability of the source (A
// completely reliable ... E unreliable, F cannot be judged) and Credibility
// of the information (1 confirmed ... 5 improbable, 6 cannot be judged).
type Source struct {
	ID               string          `json:"id"`
	Kind             SourceKind      `json:"kind"`
	Title            string          `json:"title"` // "call from the detainee's sister", "Almaty police list 7 Jan"
	Reliability      string          `json:"reliability"`
	Credibility      int             `json:"credibility"`
	ReceivedAt       time.Time       `json:"received_at"`
	ReceivedBy       string          `json:"received_by,omitempty"`
	Contact          string          `json:"contact,omitempty"` // sensitive: how to reach the source
	ConsentToPublish bool            `json:"consent_to_publish"`
	Confidentiality  Confidentiality `json:"confidentiality"`
	Reference        string          `json:"reference,omitempty"` // a URL, document number or archive reference
	Notes            string          `json:"notes,omitempty"`
}

// EntityKind implements Entity.
func (s *Source) EntityKind() Kind { return KindSource }

// GetID implements Entity.
func (s *Source) GetID() string { return s.ID }

// SetID implements Entity.
func (s *Source) SetID(id string) { s.ID = id }

// Refs implements Entity.
func (s *Source) Refs() []Ref { return nil }

// SourceIDs implements Entity: a source cites only itself.
func (s *Source) SourceIDs() []string {
	if s.ID == "" {
		return nil
	}
	return []string{s.ID}
}

// Grade returns the Admiralty grade, such as "B2".
func (s *Source) Grade() string { return s.Reliability + strconv.Itoa(s.Credibility) }

// Normalize implements Entity.
func (s *Source) Normalize() {
	s.Title = strings.TrimSpace(s.Title)
	s.Reliability = strings.ToUpper(strings.TrimSpace(s.Reliability))
	s.ReceivedAt = s.ReceivedAt.UTC()
	if s.Confidentiality == "" {
		s.Confidentiality = ConfidentialityInternal
	}
}

// Validate implements Entity.
func (s *Source) Validate() error {
	v := &validator{}
	v.optID(KindSource, "id", s.ID)
	v.oneOf("kind", string(s.Kind), SourceKinds, false)
	v.required("title", s.Title)
	v.maxLen("title", s.Title, 300)
	v.oneOf("reliability", s.Reliability, []string{"A", "B", "C", "D", "E", "F"}, false)
	if s.Credibility < 1 || s.Credibility > 6 {
		v.add("credibility", "%d is not a credibility grade 1-6", s.Credibility)
	}
	v.instant("received_at", s.ReceivedAt, false)
	v.oneOf("confidentiality", string(s.Confidentiality), []string{string(ConfidentialityOpen), string(ConfidentialityInternal), string(ConfidentialityRestricted)}, false)
	return v.err("source")
}
