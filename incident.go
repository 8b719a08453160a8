package habeas

import (
	"strings"
	"time"
)

// IncidentKind classifies an incident.
type IncidentKind string

// Values of IncidentKind.
const (
	IncidentProtest   IncidentKind = "protest"
	IncidentClash     IncidentKind = "clash"
	IncidentOperation IncidentKind = "operation" // a police or military operation
)

// Incident is an event in which people were detained, injured or killed: a
// protest, a clash, an operation. Its time is a window, as sources rarely
// agree on exact times.
type Incident struct {
	ID          string       `json:"id"`
	Kind        IncidentKind `json:"kind"`
	Title       string       `json:"title"`
	City        string       `json:"city"`
	Place       string       `json:"place,omitempty"`
	Start       time.Time    `json:"start"`
	End         time.Time    `json:"end,omitzero"`
	Description string       `json:"description,omitempty"`
	Sources     []string     `json:"sources,omitempty"`
}

// EntityKind implements Entity.
func (i *Incident) EntityKind() Kind { return KindIncident }

// GetID implements Entity.
func (i *Incident) GetID() string { return i.ID }

// SetID implements Entity.
func (i *Incident) SetID(id string) { i.ID = id }

// Refs implements Entity.
func (i *Incident) Refs() []Ref { return sourceRefs("sources", i.Sources) }

// SourceIDs implements Entity.
func (i *Incident) SourceIDs() []string { return unionSorted(i.Sources) }

// Normalize implements Entity.
func (i *Incident) Normalize() {
	i.Title = strings.TrimSpace(i.Title)
	i.Start, i.End = utc(i.Start), utc(i.End)
	i.Sources = unionSorted(i.Sources)
}

// Validate implements Entity.
func (i *Incident) Validate() error {
	v := &validator{}
	v.optID(KindIncident, "id", i.ID)
	v.oneOf("kind", string(i.Kind), []string{string(IncidentProtest), string(IncidentClash), string(IncidentOperation)}, false)
	v.required("title", i.Title)
	v.city("city", i.City, false)
	v.instant("start", i.Start, false)
	v.instant("end", i.End, true)
	if !i.End.IsZero() && i.End.Before(i.Start) {
		v.add("end", "is before start")
	}
	v.sources("sources", i.Sources)
	return v.err("incident")
}

// utc returns t in UTC, leaving the zero time zero.
func utc(t time.Time) time.Time {
	if t.IsZero() {
		return time.Time{}
	}
	return t.UTC()
}
