package habeas_test

import (
	"strings"
	"testing"
	"time"

	"github.com/habeas-project/habeas"
)

// Strip keeps what it says and nothing else: no text of a full record of
// each kind survives it, what the counts need does, and it is idempotent;
// ValidateStripped accepts its output and refuses a state that keeps more,
// or whose kept fields are not valid.
func TestStrip(t *testing.T) {
	at := time.Date(2022, 1, 6, 4, 0, 0, 0, time.UTC)
	yes := true
	src := habeas.NewID(habeas.KindSource)
	p := &habeas.Person{ID: habeas.NewID(habeas.KindPerson), Names: []habeas.NameVariant{{Text: "SECRET name"}}, IIN: "SECRETIIN",
		Birth: habeas.BirthDate{Precision: habeas.PrecisionDay, Date: "2005-03-09"}, Sex: habeas.SexFemale, Citizenships: []string{"KZ"},
		HomeRegion: "SECRET region", Notes: "SECRET notes", Sources: []string{src}}
	d := &habeas.Detention{ID: habeas.NewID(habeas.KindDetention), PersonID: p.ID, City: "almaty", Procedure: habeas.ProcedureCriminal,
		Notes: "SECRET notes", Sources: []string{src}, Events: []habeas.Event{
			{ID: "e1", Type: habeas.EventArrest, At: at, Zone: "Asia/Almaty", Place: "SECRET street", Body: "police", Note: "SECRET", Sources: []string{src}},
			{ID: "e2", Type: habeas.EventTransfer, At: at.Add(time.Hour), Place: "ИВС ДП г. Алматы"},
			{ID: "e3", Type: habeas.EventIllTreatment, At: at, Allegation: &habeas.Allegation{Circumstances: "SECRET", Perpetrators: "SECRET",
				Methods: []string{"beating"}, Sexual: true, StatementObtained: &yes, Medical: &habeas.MedicalFile{Examiner: "SECRET", Findings: "SECRET", Photographs: &yes}}},
			{ID: "e4", Type: habeas.EventCourtAppearance, At: at, Decision: &habeas.Decision{Kind: habeas.DecisionCustody, Days: 60, Court: "court", Judge: "SECRET judge"},
				Monitoring: &habeas.TrialMonitoring{Monitor: "SECRET monitor", Notes: "SECRET", StatementAdmitted: &yes}},
		}}
	c := &habeas.Casualty{ID: habeas.NewID(habeas.KindCasualty), Kind: habeas.CasualtyKilled, PersonID: p.ID, At: at, City: "almaty",
		Place: "SECRET", Cause: "gunshot", Circumstances: "SECRET", AllegedPerpetrator: "SECRET", BySecurityForces: &yes,
		UseOfForce: &habeas.UseOfForce{Warning: &habeas.ForceFact{Answer: habeas.AnswerNo, Sources: []string{src}, Note: "SECRET"}}}
	ev := &habeas.Evidence{ID: habeas.NewID(habeas.KindEvidence), Kind: "photo", Title: "SECRET", Description: "SECRET", PersonID: p.ID,
		CollectedBy: "SECRET", SHA256: strings.Repeat("ab", 32)}
	idn := &habeas.Identity{ID: habeas.NewID(habeas.KindIdentity), PersonA: p.ID, PersonB: habeas.NewID(habeas.KindPerson),
		Judgement: habeas.SamePerson, Probability: 0.9, Evidence: "SECRET", Note: "SECRET"}
	for _, e := range []habeas.Entity{p, d, c, ev, idn} {
		s := habeas.Strip(e)
		doc, err := habeas.Canonical(s)
		if err != nil {
			t.Fatal(err)
		}
		if strings.Contains(string(doc), "SECRET") || strings.Contains(string(doc), src) || strings.Contains(string(doc), strings.Repeat("ab", 32)) {
			t.Errorf("%s: Strip keeps %s", e.EntityKind(), doc)
		}
		again, _ := habeas.Canonical(habeas.Strip(s))
		if string(again) != string(doc) {
			t.Errorf("%s: Strip is not idempotent:\n%s\n%s", e.EntityKind(), doc, again)
		}
		if err := habeas.ValidateStripped(s); err != nil {
			t.Errorf("%s: ValidateStripped refuses Strip's output: %v", e.EntityKind(), err)
		}
		if err := habeas.ValidateStripped(e); err == nil {
			t.Errorf("%s: ValidateStripped accepts the whole record", e.EntityKind())
		}
	}
	sd := habeas.Strip(d).(*habeas.Detention)
	byID := map[string]habeas.Event{}
	for _, e := range sd.Events {
		byID[e.ID] = e
	}
	if sd.City != "almaty" || len(sd.Events) != 4 || byID["e2"].Place == "" || byID["e1"].Place != "" || byID["e4"].Decision.Days != 60 ||
		!byID["e3"].Allegation.Sexual || !*byID["e3"].Allegation.StatementObtained || !*byID["e4"].Monitoring.StatementAdmitted ||
		habeas.Incommunicado(sd) != habeas.Incommunicado(d) {
		t.Errorf("Strip loses what the counts need: %+v", sd)
	}
	if sp := habeas.Strip(p).(*habeas.Person); sp.Birth.Date != "2005" || !sp.Erased || sp.Sex != habeas.SexFemale {
		t.Errorf("the stripped person: %+v", sp)
	}
	sd.City = "SECRET city"
	if err := habeas.ValidateStripped(sd); err == nil {
		t.Error("ValidateStripped accepts a city that is no city")
	}
	if habeas.Strip(&habeas.Source{}) != nil {
		t.Error("a source is stripped")
	}
}
