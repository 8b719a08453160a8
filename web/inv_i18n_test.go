package web

import (
	"testing"

	"github.com/habeas-project/habeas"
	"github.com/habeas-project/habeas/casework"
)

// Every value the casualty register, the investigations tracker and trial
// monitoring show through {{enum}} or by a computed id has a message in
// every language, so none shows as a bracketed id.
func TestInvestigationMessagesComplete(t *testing.T) {
	c, err := loadCatalog()
	if err != nil {
		t.Fatal(err)
	}
	var fields, reasons []string
	for _, ch := range habeas.InvestigationChecks {
		fields = append(fields, ch.Name)
	}
	for _, ch := range habeas.CasualtyChecks {
		fields = append(fields, ch.Name)
	}
	fields = append(fields, "status", "opened", "case_number", "monitor", "notes")
	// The reasons the domain gives for what these pages write, which they
	// word in their own way.
	for _, fe := range []habeas.FieldError{
		habeas.FieldErrorf("f", "is longer than %d characters", 5),
		habeas.FieldErrorf("f", "%q is not a detention identifier", "x"),
	} {
		reasons = append(reasons, fe.Code)
	}
	for _, err := range []error{
		(&habeas.Investigation{ID: "inv_x"}).Validate(),
		(&habeas.Investigation{CasualtyID: "cas_x", DetentionID: "det_x", Status: "open", Authority: "a"}).Validate(),
		(&habeas.Investigation{DetentionID: "det_x", AllegationEventID: "e1", Authority: "a", Status: habeas.InvestigationRefused,
			VictimIdentified: new(true), EvidencePreserved: new(true)}).Validate(),
		(&habeas.Detention{Events: []habeas.Event{{ID: "e1", Type: habeas.EventArrest,
			Monitoring: &habeas.TrialMonitoring{Checks: map[string]habeas.Answer{"x": "maybe", "appeal": "maybe"}}}}}).Validate(),
	} {
		for _, fe := range habeas.ErrorFields(err) {
			switch fe.Field {
			case "opened", "victim_identified", "evidence_preserved", "status", "authority",
				"events[0].monitoring", "events[0].monitoring.monitor", "events[0].monitoring.checks.x", "events[0].monitoring.checks.appeal":
				reasons = append(reasons, fe.Code)
			}
		}
	}
	decisions := []string{string(habeas.DecisionCustody), string(habeas.DecisionHouseArrest), string(habeas.DecisionRelease),
		string(habeas.DecisionAdminArrest), string(habeas.DecisionFine), string(habeas.DecisionWarning), string(habeas.DecisionAdjourned)}
	sets := map[string][]string{
		"inv.kind":     casework.CasualtyKinds,
		"inv.cause":    habeas.Causes,
		"inv.status":   habeas.InvestigationStatuses,
		"inv.of":       casework.InvestigationSubjects,
		"inv.check":    casework.CheckNames,
		"inv.field":    fields,
		"inv.odihr":    casework.TrialCheckNames,
		"inv.hearing":  casework.HearingTypes,
		"inv.decision": decisions,
		"inv.reason":   reasons,
	}
	for set, values := range sets {
		if len(values) == 0 {
			t.Errorf("%s: no values", set)
		}
		for _, v := range values {
			for _, l := range Languages {
				if !c.has(l, set+"."+v) {
					t.Errorf("%s has no message %s.%s", l, set, v)
				}
			}
		}
	}
	for _, s := range casework.Standings {
		for _, l := range Languages {
			if !c.has(l, "inv.standing."+s) {
				t.Errorf("%s has no message inv.standing.%s", l, s)
			}
		}
	}
}
