package rules

import "github.com/habeas-project/habeas"

// StatementCitation is the legal source of the statement flag: a
// statement made as a result of torture may not be invoked as evidence in
// any proceedings (confidence M: stated from the instruments).
const StatementCitation = "Convention against Torture (1984), art. 15; ICCPR arts. 7 and 14(3)(g); UN Human Rights Committee, General Comment No. 32 (2007), para. 41"

// StatementConfidence is the confidence of StatementCitation.
const StatementConfidence = "M"

// StatementAllegations flags a hearing for the trial monitor under the
// Convention against Torture, art. 15: it returns the identifiers of the
// detention's allegations of ill-treatment that say a statement was
// obtained by it (habeas.Allegation.StatementObtained) and began at or
// before the hearing, when the hearing's monitor recorded that a statement
// of the accused was admitted as evidence (habeas.TrialMonitoring
// .StatementAdmitted). None otherwise: an allegation of ill-treatment
// after the hearing cannot have produced what was used there, and one that
// does not say a statement was obtained, or a hearing where none was
// admitted or where the monitor did not say, flags nothing. The flag is a
// question the court must examine, not a finding that the statement was
// so obtained.
func StatementAllegations(hearing *habeas.Event, events []habeas.Event) []string {
	if m := hearing.Monitoring; m == nil || m.StatementAdmitted == nil || !*m.StatementAdmitted {
		return nil
	}
	var out []string
	for i := range events {
		e := &events[i]
		a := e.Allegation
		if e.Type != habeas.EventIllTreatment || a == nil || a.StatementObtained == nil || !*a.StatementObtained {
			continue
		}
		if !e.At.After(hearing.At) {
			out = append(out, e.ID)
		}
	}
	return out
}
