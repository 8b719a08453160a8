package habeas

import "strings"

// Judgement is a caseworker's judgement on two person records.
type Judgement string

// Values of Judgement.
const (
	SamePerson       Judgement = "same"      // the two records are one person: merged
	DifferentPersons Judgement = "different" // they are two people: never propose them again
)

// Identity records a caseworker's decision that two person records are, or
// are not, the same person. Merging never rewrites or deletes either record:
// the persons stay as their sources gave them, and a merge is this record.
// Deleting it (a recorded change) undoes the merge. The persons a chain of
// "same" decisions connects are one person.
type Identity struct {
	ID        string    `json:"id"`
	PersonA   string    `json:"person_a"` // the smaller identifier of the two
	PersonB   string    `json:"person_b"`
	Judgement Judgement `json:"judgement"`
	// Probability is what the matcher gave the pair when it was decided,
	// and Evidence its explanation, kept so the decision can be reviewed.
	Probability float64  `json:"probability,omitempty"`
	Evidence    string   `json:"evidence,omitempty"`
	Note        string   `json:"note,omitempty"`
	Sources     []string `json:"sources,omitempty"`
}

// EntityKind implements Entity.
func (i *Identity) EntityKind() Kind { return KindIdentity }

// GetID implements Entity.
func (i *Identity) GetID() string { return i.ID }

// SetID implements Entity.
func (i *Identity) SetID(id string) { i.ID = id }

// Refs implements Entity.
func (i *Identity) Refs() []Ref {
	return append([]Ref{
		{Field: "person_a", Kind: KindPerson, ID: i.PersonA},
		{Field: "person_b", Kind: KindPerson, ID: i.PersonB},
	}, sourceRefs("sources", i.Sources)...)
}

// SourceIDs implements Entity.
func (i *Identity) SourceIDs() []string { return unionSorted(i.Sources) }

// Normalize implements Entity: the pair is stored in identifier order, so
// the same two persons always make the same pair.
func (i *Identity) Normalize() {
	if i.PersonB < i.PersonA {
		i.PersonA, i.PersonB = i.PersonB, i.PersonA
	}
	i.Note = strings.TrimSpace(i.Note)
	i.Sources = unionSorted(i.Sources)
}

// Validate implements Entity.
func (i *Identity) Validate() error {
	v := &validator{}
	v.optID(KindIdentity, "id", i.ID)
	v.id(KindPerson, "person_a", i.PersonA)
	v.id(KindPerson, "person_b", i.PersonB)
	if i.PersonA != "" && i.PersonA == i.PersonB {
		v.add("person_b", "is the same record as person_a")
	}
	v.oneOf("judgement", string(i.Judgement), []string{string(SamePerson), string(DifferentPersons)}, false)
	if i.Probability < 0 || i.Probability > 1 {
		v.add("probability", "%v is not between 0 and 1", i.Probability)
	}
	v.maxLen("evidence", i.Evidence, 4000)
	v.maxLen("note", i.Note, 2000)
	v.sources("sources", i.Sources)
	return v.err("identity")
}
