package web

import (
	"testing"

	"github.com/habeas-project/habeas"
)

// Every value of the closed lists the case page and the lawyers page name
// has a name in every language, so {{enum}} never shows a bracketed id.
func TestCaseEnumsComplete(t *testing.T) {
	c, err := loadCatalog()
	if err != nil {
		t.Fatal(err)
	}
	sets := map[string][]string{
		"case.method":        habeas.IllTreatmentMethods,
		"case.consistency":   habeas.ConsistencyGrades,
		"case.decision":      decisionKinds,
		"case.assignment":    assignmentKinds,
		"case.cause":         habeas.Causes,
		"case.evidencekind":  habeas.EvidenceKinds,
		"case.investigation": habeas.InvestigationStatuses,
		"case.casualty":      {string(habeas.CasualtyKilled), string(habeas.CasualtyInjured)},
		"case.outcome":       {"convicted", "acquitted", "dismissed", "amnestied"},
		"case.reliability":   {"A", "B", "C", "D", "E", "F"},
		"case.credibility":   {"1", "2", "3", "4", "5", "6"},
		"case.unit":          {"MCI", "KZT"},
		"lawyer.language":    lawyerLanguages,
		"event":              hearingTypes,
	}
	for set, values := range sets {
		for _, v := range values {
			for _, l := range Languages {
				if !c.has(l, set+"."+v) {
					t.Errorf("%s has no name for %s %q", l, set, v)
				}
			}
		}
	}
}
