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
// implicated, whether the family is informed, whether results are public.
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
	if i.Opened.IsZero() && i.Status != InvestigationRequested && i.Status != InvestigationRefused {
		v.add("opened", "is required when the status is %s", i.Status)
	}
	for n, a := range i.Articles {
		if a == "" {
			v.add(fmt.Sprintf("articles[%d]", n), "is empty")
		}
	}
	v.sources("sources", i.Sources)
	return v.err("investigation")
}
