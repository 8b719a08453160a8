package habeas

import (
	"fmt"
	"regexp"
	"strings"
	"time"
)

// Lawyer is a defence lawyer the organisation works with.
type Lawyer struct {
	ID        string   `json:"id"`
	Name      string   `json:"name"`
	Bar       string   `json:"bar,omitempty"`   // bar association or legal consultants' chamber
	Phone     string   `json:"phone,omitempty"` // sensitive
	City      string   `json:"city,omitempty"`
	Languages []string `json:"languages,omitempty"` // BCP 47: kk, ru, en
	Active    bool     `json:"active"`
}

// languagePattern matches a BCP 47 primary language subtag: kk, ru, en, uz.
var languagePattern = regexp.MustCompile(`^[a-z]{2,3}$`)

// EntityKind implements Entity.
func (l *Lawyer) EntityKind() Kind { return KindLawyer }

// GetID implements Entity.
func (l *Lawyer) GetID() string { return l.ID }

// SetID implements Entity.
func (l *Lawyer) SetID(id string) { l.ID = id }

// Refs implements Entity.
func (l *Lawyer) Refs() []Ref { return nil }

// SourceIDs implements Entity.
func (l *Lawyer) SourceIDs() []string { return nil }

// Normalize implements Entity.
func (l *Lawyer) Normalize() {
	l.Name = strings.Join(strings.Fields(l.Name), " ")
	l.Bar, l.Phone = strings.TrimSpace(l.Bar), strings.TrimSpace(l.Phone)
}

// Validate implements Entity.
func (l *Lawyer) Validate() error {
	v := &validator{}
	v.optID(KindLawyer, "id", l.ID)
	v.required("name", l.Name)
	v.maxLen("name", l.Name, 200)
	v.maxLen("bar", l.Bar, 200)
	v.maxLen("phone", l.Phone, 50)
	v.city("city", l.City, true)
	for i, lang := range l.Languages {
		if !languagePattern.MatchString(lang) {
			v.add(fmt.Sprintf("languages[%d]", i), "%q is not a language code such as kk, ru or en", lang)
		}
	}
	return v.err("lawyer")
}

// AssignmentKind says on what footing a lawyer acts.
type AssignmentKind string

// Values of AssignmentKind.
const (
	AssignmentRetained  AssignmentKind = "retained"  // by the family
	AssignmentLegalAid  AssignmentKind = "legal_aid" // by this organisation
	AssignmentAppointed AssignmentKind = "appointed" // by the state
)

// Assignment is a lawyer acting for a detainee from one time to another.
type Assignment struct {
	ID          string         `json:"id"`
	LawyerID    string         `json:"lawyer_id"`
	DetentionID string         `json:"detention_id"`
	Kind        AssignmentKind `json:"kind"`
	From        time.Time      `json:"from"`
	To          time.Time      `json:"to,omitzero"`
	Notes       string         `json:"notes,omitempty"`
	Sources     []string       `json:"sources,omitempty"`
}

// EntityKind implements Entity.
func (a *Assignment) EntityKind() Kind { return KindAssignment }

// GetID implements Entity.
func (a *Assignment) GetID() string { return a.ID }

// SetID implements Entity.
func (a *Assignment) SetID(id string) { a.ID = id }

// Refs implements Entity.
func (a *Assignment) Refs() []Ref {
	return append([]Ref{
		{Field: "lawyer_id", Kind: KindLawyer, ID: a.LawyerID},
		{Field: "detention_id", Kind: KindDetention, ID: a.DetentionID},
	}, sourceRefs("sources", a.Sources)...)
}

// SourceIDs implements Entity.
func (a *Assignment) SourceIDs() []string { return unionSorted(a.Sources) }

// ActiveAt reports whether the assignment is in force at t.
func (a *Assignment) ActiveAt(t time.Time) bool {
	return !t.Before(a.From) && (a.To.IsZero() || t.Before(a.To))
}

// Normalize implements Entity.
func (a *Assignment) Normalize() {
	a.From, a.To = utc(a.From), utc(a.To)
	a.Sources = unionSorted(a.Sources)
}

// Validate implements Entity.
func (a *Assignment) Validate() error {
	v := &validator{}
	v.optID(KindAssignment, "id", a.ID)
	v.id(KindLawyer, "lawyer_id", a.LawyerID)
	v.id(KindDetention, "detention_id", a.DetentionID)
	v.oneOf("kind", string(a.Kind), []string{string(AssignmentRetained), string(AssignmentLegalAid), string(AssignmentAppointed)}, false)
	v.instant("from", a.From, false)
	v.instant("to", a.To, true)
	if !a.To.IsZero() && a.To.Before(a.From) {
		v.add("to", "is before from")
	}
	v.sources("sources", a.Sources)
	return v.err("assignment")
}
