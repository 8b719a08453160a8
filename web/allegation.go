package web

import (
	"net/http"

	"github.com/habeas-project/habeas"
)

// caseAllegation serves POST /detentions/{id}/allegations: an allegation
// of torture or ill-treatment, documented under the Istanbul Protocol's
// headings, with the medical file when there is one. Every heading but
// the time is optional: an allegation is recorded as it comes and
// completed later.
func (s *Server) caseAllegation(w http.ResponseWriter, r *http.Request) error {
	return s.caseWrite(w, r, "allegation", "allegations", func(fr *formReader, d *habeas.Detention) []habeas.Mutation {
		at := fr.when("at", "case.allegation.at", true)
		fr.notBefore("at", "case.allegation.at", at, d.ArrestedAt(), "case.error.before_arrest")
		fr.notFuture("at", "case.allegation.at", at)
		text := func(field, label string) string { return fr.text(field, label, 4000, false) }
		a := &habeas.Allegation{
			Circumstances:     text("circumstances", "case.allegation.circumstances"),
			Period:            text("period", "case.allegation.period"),
			Methods:           fr.choices("methods", "case.allegation.methods", habeas.IllTreatmentMethods),
			MethodsOther:      text("methods_other", "case.allegation.methods_other"),
			Perpetrators:      text("perpetrators", "case.allegation.perpetrators"),
			Questions:         text("questions", "case.allegation.questions"),
			Routine:           text("routine", "case.allegation.routine"),
			Place:             fr.text("place", "case.form.place", 300, false),
			Objects:           text("objects", "case.allegation.objects"),
			Injuries:          text("injuries", "case.allegation.injuries"),
			Sexual:            fr.f.Value("sexual_violence") == "yes",
			Witnesses:         text("witnesses", "case.allegation.witnesses"),
			ReportedTo:        text("reported_to", "case.allegation.reported_to"),
			StatementObtained: fr.tristate("statement_obtained", "case.allegation.statement_obtained", "case.error.choice"),
		}
		if a.MethodsOther == "" && fr.f.Checked("methods", "other") {
			fr.fail("methods_other", "case.allegation.methods_other", "case.error.other")
		}
		m := &habeas.MedicalFile{
			ExaminedAt:              fr.when("examined_at", "case.medical.examined_at", false),
			Examiner:                fr.text("examiner", "case.medical.examiner", 300, false),
			Consent:                 fr.tristate("consent", "case.medical.consent", "case.error.choice"),
			PrivateInterview:        fr.tristate("private_interview", "case.medical.private_interview", "case.error.choice"),
			Photographs:             fr.tristate("photographs", "case.medical.photographs", "case.error.choice"),
			BodyDiagrams:            fr.tristate("body_diagrams", "case.medical.body_diagrams", "case.error.choice"),
			PsychologicalEvaluation: fr.tristate("psychological_evaluation", "case.medical.psychological_evaluation", "case.error.choice"),
			Findings:                text("findings", "case.medical.findings"),
			Consistency:             fr.choice("consistency", "case.medical.consistency", habeas.ConsistencyGrades, false),
		}
		fr.notBefore("examined_at", "case.medical.examined_at", m.ExaminedAt, at, "case.error.before_allegation")
		fr.notFuture("examined_at", "case.medical.examined_at", m.ExaminedAt)
		if *m != (habeas.MedicalFile{}) {
			a.Medical = m
		}
		srcID, muts := fr.source(true)
		if fr.failed() {
			return nil
		}
		e := habeas.Event{Type: habeas.EventIllTreatment, At: at, Zone: fr.zone, Place: a.Place, Allegation: a,
			Note: fr.text("note", "case.form.note", 2000, false), Sources: []string{srcID}}
		return append(muts, addEvent(d, e))
	})
}
