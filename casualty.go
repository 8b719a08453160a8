package habeas

import (
	"strings"
	"time"
)

// CasualtyKind says whether a person was killed or injured.
type CasualtyKind string

// Values of CasualtyKind.
const (
	CasualtyKilled  CasualtyKind = "killed"
	CasualtyInjured CasualtyKind = "injured"
)

// Casualty is a death or injury: when, where, how, and by whom it is alleged
// to have been caused. Tri-state facts (body returned, autopsy, caused by
// security forces) are nil when unknown, which is not the same as false.
// For a casualty caused by security forces, UseOfForce records what is
// known of how force was used, fact by fact with its sources.
type Casualty struct {
	ID                 string       `json:"id"`
	Kind               CasualtyKind `json:"kind"`
	PersonID           string       `json:"person_id"`
	IncidentID         string       `json:"incident_id,omitempty"`
	DetentionID        string       `json:"detention_id,omitempty"` // set when it happened in custody
	At                 time.Time    `json:"at"`
	Zone               string       `json:"zone,omitempty"`
	City               string       `json:"city"`
	Place              string       `json:"place,omitempty"`
	Cause              string       `json:"cause,omitempty"` // gunshot, blunt trauma, ...
	Circumstances      string       `json:"circumstances,omitempty"`
	AllegedPerpetrator string       `json:"alleged_perpetrator,omitempty"`
	SecurityForces     bool         `json:"security_forces,omitempty"` // the casualty was a member of the security forces
	// BySecurityForces says the casualty is alleged to have been caused by
	// security forces: police, National Guard, army or any other officials
	// exercising police powers for the state (yes), or by someone else, such
	// as a civilian (no); nil while the record does not say.
	BySecurityForces *bool       `json:"by_security_forces,omitempty"`
	UseOfForce       *UseOfForce `json:"use_of_force,omitempty"`
	BodyReturned     *bool       `json:"body_returned,omitempty"`
	Autopsy          *bool       `json:"autopsy,omitempty"`
	Sources          []string    `json:"sources,omitempty"`
}

// Causes lists the causes the register distinguishes.
var Causes = []string{"gunshot", "blunt_trauma", "explosion", "stab_wound", "burns", "asphyxia", "ill_treatment", "medical_neglect", "other", "unknown"}

// EntityKind implements Entity.
func (c *Casualty) EntityKind() Kind { return KindCasualty }

// GetID implements Entity.
func (c *Casualty) GetID() string { return c.ID }

// SetID implements Entity.
func (c *Casualty) SetID(id string) { c.ID = id }

// Refs implements Entity.
func (c *Casualty) Refs() []Ref {
	refs := []Ref{{Field: "person_id", Kind: KindPerson, ID: c.PersonID}}
	if c.IncidentID != "" {
		refs = append(refs, Ref{Field: "incident_id", Kind: KindIncident, ID: c.IncidentID})
	}
	if c.DetentionID != "" {
		refs = append(refs, Ref{Field: "detention_id", Kind: KindDetention, ID: c.DetentionID})
	}
	refs = append(refs, sourceRefs("sources", c.Sources)...)
	if c.UseOfForce != nil {
		refs = append(refs, c.UseOfForce.refs()...)
	}
	return refs
}

// SourceIDs implements Entity.
func (c *Casualty) SourceIDs() []string {
	if c.UseOfForce == nil {
		return unionSorted(c.Sources)
	}
	return unionSorted(c.Sources, c.UseOfForce.sourceIDs())
}

// Normalize implements Entity.
func (c *Casualty) Normalize() {
	c.At = utc(c.At)
	if city, ok := FindCity(c.City); ok && c.Zone == "" {
		c.Zone = city.Zone
	}
	c.Cause = strings.TrimSpace(c.Cause)
	c.Sources = unionSorted(c.Sources)
	if c.UseOfForce != nil {
		c.UseOfForce.normalize()
		if *c.UseOfForce == (UseOfForce{}) {
			c.UseOfForce = nil // an account with no fact recorded is no account
		}
	}
}

// Validate implements Entity.
func (c *Casualty) Validate() error {
	v := &validator{}
	v.optID(KindCasualty, "id", c.ID)
	v.oneOf("kind", string(c.Kind), []string{string(CasualtyKilled), string(CasualtyInjured)}, false)
	v.id(KindPerson, "person_id", c.PersonID)
	v.optID(KindIncident, "incident_id", c.IncidentID)
	v.optID(KindDetention, "detention_id", c.DetentionID)
	v.instant("at", c.At, false)
	v.zone("zone", c.Zone)
	v.city("city", c.City, false)
	v.oneOf("cause", c.Cause, Causes, true)
	v.sources("sources", c.Sources)
	if c.UseOfForce != nil {
		v.nested("use_of_force", func(v *validator) { c.UseOfForce.validate(v, c.At) })
	}
	return v.err("casualty")
}

// CasualtyCheck is one fact the Minnesota Protocol asks about a death that
// the casualty record holds as a yes, no or unknown.
type CasualtyCheck struct {
	Name     string // the JSON field
	Citation string
	// Field returns the field that holds the fact.
	Field func(*Casualty) **bool
}

// CasualtyChecks lists the facts of a death on the Minnesota Protocol's
// checklist that belong to the casualty rather than to an investigation.
var CasualtyChecks = []CasualtyCheck{
	{"autopsy", "Minnesota Protocol (2016): autopsy, by default in a potentially unlawful death",
		func(c *Casualty) **bool { return &c.Autopsy }},
	{"body_returned", citeFamily, func(c *Casualty) **bool { return &c.BodyReturned }},
}
