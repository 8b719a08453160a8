package habeas

import (
	"strings"
	"time"
)

// UseOfForce is what the record says of how security forces used force or
// firearms against a casualty, fact by fact: the facts the UN Basic
// Principles on the Use of Force and Firearms by Law Enforcement Officials
// (1990) ask about (package rules judges them). A fact is nil while nothing
// is recorded, which is unknown, never "no"; a recorded fact carries its
// answer and the sources that give it.
type UseOfForce struct {
	// Warning: the officers identified themselves and gave a clear
	// warning of their intent to use firearms.
	Warning *ForceFact `json:"warning,omitempty"`
	// TimeToHeed: the warning left sufficient time to be observed.
	TimeToHeed *ForceFact `json:"time_to_heed,omitempty"`
	// ImminentThreat: the person posed an imminent threat of death or
	// serious injury (yes), or did not (no).
	ImminentThreat *ForceFact `json:"imminent_threat,omitempty"`
	// LessExtremeMeans: less extreme means were available and would have
	// sufficed (yes), or were not (no).
	LessExtremeMeans *ForceFact `json:"less_extreme_means_available,omitempty"`
	// MedicalAid: assistance and medical aid were rendered; At says when.
	MedicalAid *ForceFact `json:"medical_aid,omitempty"`
	// RelativesTold: relatives or close friends were notified; At says when.
	RelativesTold *ForceFact `json:"relatives_told,omitempty"`
	// Reported: the use of force was reported to the officers' superiors;
	// At says when.
	Reported *ForceFact `json:"reported,omitempty"`
}

// ForceFact is one recorded fact of a use-of-force account: yes or no,
// when it happened (for the facts that have a time), and its sources.
type ForceFact struct {
	Answer  Answer    `json:"answer"`         // yes or no
	At      time.Time `json:"at,omitzero"`    // when, for a timed fact answered yes; optional
	Sources []string  `json:"sources"`        // at least one
	Note    string    `json:"note,omitempty"` // what the sources say, where they disagree
}

// ForceFactField names one fact of UseOfForce.
type ForceFactField struct {
	Name string // the JSON field
	// Timed marks the facts that happen at a moment (medical aid,
	// relatives told, the report), which may carry At.
	Timed bool
	// Field returns the field that holds the fact.
	Field func(*UseOfForce) **ForceFact
}

// ForceFacts lists the facts of a use-of-force account, in the order of
// the form.
var ForceFacts = []ForceFactField{
	{"warning", false, func(u *UseOfForce) **ForceFact { return &u.Warning }},
	{"time_to_heed", false, func(u *UseOfForce) **ForceFact { return &u.TimeToHeed }},
	{"imminent_threat", false, func(u *UseOfForce) **ForceFact { return &u.ImminentThreat }},
	{"less_extreme_means_available", false, func(u *UseOfForce) **ForceFact { return &u.LessExtremeMeans }},
	{"medical_aid", true, func(u *UseOfForce) **ForceFact { return &u.MedicalAid }},
	{"relatives_told", true, func(u *UseOfForce) **ForceFact { return &u.RelativesTold }},
	{"reported", true, func(u *UseOfForce) **ForceFact { return &u.Reported }},
}

// ForceAnswers are the answers a use-of-force fact may have.
var ForceAnswers = []string{string(AnswerYes), string(AnswerNo)}

// maxForceNote bounds the note of one fact.
const maxForceNote = 2000

// Yes reports whether the fact is recorded and answered yes.
func (f *ForceFact) Yes() bool { return f != nil && f.Answer == AnswerYes }

// No reports whether the fact is recorded and answered no.
func (f *ForceFact) No() bool { return f != nil && f.Answer == AnswerNo }

// refs returns the sources of every recorded fact, named by field.
func (u *UseOfForce) refs() []Ref {
	var refs []Ref
	for _, ff := range ForceFacts {
		if f := *ff.Field(u); f != nil {
			refs = append(refs, sourceRefs("use_of_force."+ff.Name+".sources", f.Sources)...)
		}
	}
	return refs
}

// sourceIDs returns the sources of every recorded fact.
func (u *UseOfForce) sourceIDs() []string {
	var out []string
	for _, ff := range ForceFacts {
		if f := *ff.Field(u); f != nil {
			out = append(out, f.Sources...)
		}
	}
	return out
}

func (u *UseOfForce) normalize() {
	for _, ff := range ForceFacts {
		if f := *ff.Field(u); f != nil {
			f.At = utc(f.At)
			f.Sources = unionSorted(f.Sources)
			f.Note = strings.TrimSpace(f.Note)
		}
	}
}

// validate checks each recorded fact: answered yes or no, from at least
// one source; a time only on a timed fact answered yes, and not before the
// casualty (at); time to heed a warning only if one may have been given.
func (u *UseOfForce) validate(v *validator, at time.Time) {
	for _, ff := range ForceFacts {
		f := *ff.Field(u)
		if f == nil {
			continue
		}
		v.nested(ff.Name, func(v *validator) {
			v.oneOf("answer", string(f.Answer), ForceAnswers, false)
			v.instant("at", f.At, true)
			switch {
			case f.At.IsZero():
			case !ff.Timed:
				v.add("at", "is recorded only for medical aid, relatives told and the report")
			case f.Answer != AnswerYes:
				v.add("at", "is the time of what happened: only with the answer yes")
			case !at.IsZero() && f.At.Before(at):
				v.add("at", "%s is before the casualty (%s)", f.At.Format(time.RFC3339), at.Format(time.RFC3339))
			}
			if len(f.Sources) == 0 {
				v.add("sources", "is required: every answer is tied to its sources")
			}
			v.sources("sources", f.Sources)
			v.maxLen("note", f.Note, maxForceNote)
		})
	}
	if u.Warning.No() && u.TimeToHeed.Yes() {
		v.add("time_to_heed.answer", "cannot be yes when no warning was given")
	}
}
