package habeas

import (
	"fmt"
	"time"
)

// InvestigationStatus is where an investigation stands.
type InvestigationStatus string

// Values of InvestigationStatus.
const (
	InvestigationRequested   InvestigationStatus = "requested" // a complaint was filed, nothing opened yet
	InvestigationRefused     InvestigationStatus = "refused"   // the authority refused to open a case
	InvestigationOpen        InvestigationStatus = "open"
	InvestigationSuspended   InvestigationStatus = "suspended"
	InvestigationClosed      InvestigationStatus = "closed" // closed without charges
	InvestigationSentToCourt InvestigationStatus = "sent_to_court"
	InvestigationConcluded   InvestigationStatus = "concluded" // a court reached a verdict
)

// InvestigationStatuses lists every InvestigationStatus.
var InvestigationStatuses = []string{string(InvestigationRequested), string(InvestigationRefused), string(InvestigationOpen),
	string(InvestigationSuspended), string(InvestigationClosed), string(InvestigationSentToCourt), string(InvestigationConcluded)}

// Investigation is an official investigation of a casualty or of an
// ill-treatment allegation on a detention's timeline. Its fields are the ones
// the Minnesota Protocol asks about: who investigates and whether that body is
// implicated, whether the family is informed, whether results are public, and
// whether the investigation was effective and thorough. Every such fact is
// nil while unknown, which is not the same as false.
type Investigation struct {
	ID                  string              `json:"id"`
	CasualtyID          string              `json:"casualty_id,omitempty"`
	DetentionID         string              `json:"detention_id,omitempty"`
	AllegationEventID   string              `json:"allegation_event_id,omitempty"` // the ill-treatment event on the detention
	Authority           string              `json:"authority"`
	AuthorityImplicated *bool               `json:"authority_implicated,omitempty"` // the investigating body is the agency implicated, or answers to it
	Opened              time.Time           `json:"opened,omitzero"`
	CaseNumber          string              `json:"case_number,omitempty"`
	Status              InvestigationStatus `json:"status"`
	FamilyInformed      *bool               `json:"family_informed,omitempty"`
	ResultsPublic       *bool               `json:"results_public,omitempty"`
	Articles            []string            `json:"articles,omitempty"` // articles the case is opened under: "CC 146"
	Notes               string              `json:"notes,omitempty"`
	Sources             []string            `json:"sources,omitempty"`

	// What the Minnesota Protocol asks of an effective and thorough
	// investigation, of the family's part in it and of its outcome; see
	// InvestigationChecks.
	VictimIdentified         *bool `json:"victim_identified,omitempty"`
	EvidencePreserved        *bool `json:"evidence_preserved,omitempty"`          // evidence recovered and preserved
	WitnessesHeard           *bool `json:"witnesses_heard,omitempty"`             // witnesses identified and their evidence taken
	DeathEstablished         *bool `json:"death_established,omitempty"`           // cause, manner, place and time of death established
	PerpetratorsIdentified   *bool `json:"perpetrators_identified,omitempty"`     // everyone involved identified, with their part
	CommandExamined          *bool `json:"command_examined,omitempty"`            // the chain of command and the planning examined
	SceneDocumented          *bool `json:"scene_documented,omitempty"`            // the scene examined and documented
	ChainOfCustody           *bool `json:"chain_of_custody,omitempty"`            // the evidence's chain of custody kept and recorded
	WitnessesProtected       *bool `json:"witnesses_protected,omitempty"`         // witnesses and the family protected from intimidation
	FamilyMayPresentEvidence *bool `json:"family_may_present_evidence,omitempty"` // the family may take part and present evidence
	Accountability           *bool `json:"accountability,omitempty"`              // those responsible held to account; reparation made
}

// InvestigationCheck is one fact the Minnesota Protocol asks of an
// investigation that the record holds as a yes, no or unknown.
type InvestigationCheck struct {
	Name string // the JSON field
	// Pass is the answer that meets the Protocol: false for
	// authority_implicated, true for the others.
	Pass bool
	// Death marks the facts asked only of the investigation of a death.
	Death bool
	// Act marks the acts of an investigation, which cannot have been done
	// while no case is open.
	Act      bool
	Citation string
	// Field returns the field that holds the fact.
	Field func(*Investigation) **bool
}

// Citations of the Minnesota Protocol's elements (confidence M: stated from
// the instrument, not re-checked word for word).
const (
	citeThorough    = "Minnesota Protocol on the Investigation of Potentially Unlawful Death (2016): effective and thorough investigation; HRC General Comment No. 36, §28"
	citeIndependent = "Minnesota Protocol (2016): independence and impartiality; HRC General Comment No. 36, §28"
	citePublic      = "Minnesota Protocol (2016): transparency; HRC General Comment No. 36, §28"
	citeFamily      = "Minnesota Protocol (2016): participation and protection of family members; HRC General Comment No. 36, §28"
	citeEvidence    = "Minnesota Protocol (2016): crime scene investigation and the handling of evidence"
	citeAccount     = "Minnesota Protocol (2016): accountability and remedies; ICCPR art. 2(3)"
)

// InvestigationChecks lists the facts an investigation record holds for
// the Minnesota Protocol's checklist, in the Protocol's order. The checks
// that depend on time (opened promptly, not refused) are the rules
// engine's; autopsy and return of the body are facts of the casualty.
var InvestigationChecks = []InvestigationCheck{
	{Name: "authority_implicated", Pass: false, Citation: citeIndependent,
		Field: func(i *Investigation) **bool { return &i.AuthorityImplicated }},
	{Name: "victim_identified", Pass: true, Death: true, Act: true, Citation: citeThorough,
		Field: func(i *Investigation) **bool { return &i.VictimIdentified }},
	{Name: "evidence_preserved", Pass: true, Act: true, Citation: citeThorough,
		Field: func(i *Investigation) **bool { return &i.EvidencePreserved }},
	{Name: "witnesses_heard", Pass: true, Act: true, Citation: citeThorough,
		Field: func(i *Investigation) **bool { return &i.WitnessesHeard }},
	{Name: "death_established", Pass: true, Death: true, Act: true, Citation: citeThorough,
		Field: func(i *Investigation) **bool { return &i.DeathEstablished }},
	{Name: "perpetrators_identified", Pass: true, Act: true, Citation: citeThorough,
		Field: func(i *Investigation) **bool { return &i.PerpetratorsIdentified }},
	{Name: "command_examined", Pass: true, Act: true, Citation: citeThorough,
		Field: func(i *Investigation) **bool { return &i.CommandExamined }},
	{Name: "scene_documented", Pass: true, Act: true, Citation: citeEvidence,
		Field: func(i *Investigation) **bool { return &i.SceneDocumented }},
	{Name: "chain_of_custody", Pass: true, Act: true, Citation: citeEvidence,
		Field: func(i *Investigation) **bool { return &i.ChainOfCustody }},
	{Name: "results_public", Pass: true, Citation: citePublic,
		Field: func(i *Investigation) **bool { return &i.ResultsPublic }},
	{Name: "family_informed", Pass: true, Citation: citeFamily,
		Field: func(i *Investigation) **bool { return &i.FamilyInformed }},
	{Name: "family_may_present_evidence", Pass: true, Citation: citeFamily,
		Field: func(i *Investigation) **bool { return &i.FamilyMayPresentEvidence }},
	{Name: "witnesses_protected", Pass: true, Citation: citeFamily,
		Field: func(i *Investigation) **bool { return &i.WitnessesProtected }},
	{Name: "accountability", Pass: true, Citation: citeAccount,
		Field: func(i *Investigation) **bool { return &i.Accountability }},
}

// Opened reports whether the status says a case was opened: anything but
// requested or refused.
func (s InvestigationStatus) Opened() bool {
	return s != InvestigationRequested && s != InvestigationRefused
}

// EntityKind implements Entity.
func (i *Investigation) EntityKind() Kind { return KindInvestigation }

// GetID implements Entity.
func (i *Investigation) GetID() string { return i.ID }

// SetID implements Entity.
func (i *Investigation) SetID(id string) { i.ID = id }

// Refs implements Entity.
func (i *Investigation) Refs() []Ref {
	var refs []Ref
	if i.CasualtyID != "" {
		refs = append(refs, Ref{Field: "casualty_id", Kind: KindCasualty, ID: i.CasualtyID})
	}
	if i.DetentionID != "" {
		refs = append(refs, Ref{Field: "detention_id", Kind: KindDetention, ID: i.DetentionID})
	}
	return append(refs, sourceRefs("sources", i.Sources)...)
}

// SourceIDs implements Entity.
func (i *Investigation) SourceIDs() []string { return unionSorted(i.Sources) }

// Normalize implements Entity.
func (i *Investigation) Normalize() {
	i.Opened = utc(i.Opened)
	i.Sources = unionSorted(i.Sources)
}

// Validate implements Entity.
func (i *Investigation) Validate() error {
	v := &validator{}
	v.optID(KindInvestigation, "id", i.ID)
	switch {
	case i.CasualtyID == "" && i.DetentionID == "":
		v.add("casualty_id", "an investigation is of a casualty or of an allegation on a detention")
	case i.CasualtyID != "" && i.DetentionID != "":
		v.add("detention_id", "an investigation is of a casualty or of an allegation, not both")
	}
	v.optID(KindCasualty, "casualty_id", i.CasualtyID)
	v.optID(KindDetention, "detention_id", i.DetentionID)
	if i.DetentionID != "" && !eventIDPattern.MatchString(i.AllegationEventID) {
		v.add("allegation_event_id", "%q does not name an event of the detention", i.AllegationEventID)
	}
	v.required("authority", i.Authority)
	v.oneOf("status", string(i.Status), InvestigationStatuses, false)
	v.instant("opened", i.Opened, true)
	if i.Opened.IsZero() && i.Status.Opened() {
		v.add("opened", "is required when the status is %s", i.Status)
	}
	for _, c := range InvestigationChecks {
		b := *c.Field(i)
		switch {
		case b == nil:
		case c.Death && i.DetentionID != "":
			v.add(c.Name, "is asked only of the investigation of a death")
		case c.Act && *b && !i.Status.Opened():
			v.add(c.Name, "cannot be yes while no case is open")
		}
	}
	for n, a := range i.Articles {
		if a == "" {
			v.add(fmt.Sprintf("articles[%d]", n), "is empty")
		}
	}
	v.sources("sources", i.Sources)
	return v.err("investigation")
}
