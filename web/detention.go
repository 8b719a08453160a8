package web

import (
	"net/http"
	"time"

	"github.com/habeas-project/habeas"
	"github.com/habeas-project/habeas/casework"
	"github.com/habeas-project/habeas/names"
	"github.com/habeas-project/habeas/rules"
)

// detentionView is the data of the case page: the case file, and how the
// page arranges it.
type detentionView struct {
	*casework.CaseFile
	// Intake says what a report just taken at /intake did: new, added or
	// person (intake.done.* messages); empty otherwise.
	Intake string
	Gap    *gap
	Names  []caseName
	// Accounts are the facts that several sources give, each with every
	// account side by side.
	Accounts []accountGroup
	// Court holds the charges, court appearances, trial hearings and
	// verdicts; Access the lawyer requests, visits and refusals;
	// Allegations the allegations of ill-treatment.
	Court       []casework.CaseEvent
	Access      []casework.CaseEvent
	Allegations []casework.CaseEvent
	// Panel is the state of every safeguard at the moment asked for.
	Panel *panelView
	// Forms are the forms that record on the case; nil for a reader who
	// may not write.
	Forms *caseForms
}

// caseName is one spelling of the person's name with its source and, for
// a name in Cyrillic, a transliteration to read it by.
type caseName struct {
	casework.NameSource
	Latin string
	// Anchored cites the source with a link to it in the page's table of
	// sources (the case page), rather than on its own (the person page).
	Anchored bool
}

// gap is how long after the de facto arrest the protocol says it happened.
// Recording arrests late is a known way around the legal time limits.
type gap struct {
	Negative bool // the protocol time is before the arrest
	D        time.Duration
}

func newGap(arrest, protocol time.Time) *gap {
	if arrest.IsZero() || protocol.IsZero() {
		return nil
	}
	d := protocol.Sub(arrest)
	if d < 0 {
		return &gap{Negative: true, D: -d}
	}
	return &gap{D: d}
}

// transliteration is the scheme names in Cyrillic are read by on the case
// page: BGN/PCGN, the spelling international bodies use.
const transliteration = casework.DisplayScheme

// detentionPage serves GET /detentions/{id}: the case page. The safeguards
// are judged now, or at ?at=RFC3339.
func (s *Server) detentionPage(w http.ResponseWriter, r *http.Request) error {
	v, err := s.caseView(r, r.PathValue("id"))
	if err != nil {
		return err
	}
	switch q := r.URL.Query().Get("intake"); q {
	case "new", "added", "person":
		v.Intake = q
	}
	s.render(w, r, http.StatusOK, "detention", v)
	return nil
}

// caseView gathers the case page of detention id: the case file, arranged
// for reading, the safeguards panel and, for a user who may write, the
// forms.
func (s *Server) caseView(r *http.Request, id string) (*detentionView, error) {
	ctx := r.Context()
	at, err := s.work.ParseAt(r.URL.Query())
	if err != nil {
		return nil, err
	}
	// One read of the case file and its safeguards, recorded once.
	cf, sg, err := s.work.FindCasePage(ctx, habeas.UserFrom(ctx), id, at)
	if err != nil {
		return nil, err
	}
	v := &detentionView{CaseFile: cf, Gap: newGap(cf.ArrestedAt, cf.ProtocolAt), Names: caseNames(cf.Names, true), Panel: s.panel(r, sg)}
	s.translateRules(r, v.Panel)
	for _, ev := range cf.Events {
		switch ev.Type {
		case habeas.EventCharge, habeas.EventCourtAppearance, habeas.EventTrialHearing, habeas.EventVerdict:
			v.Court = append(v.Court, ev)
		case habeas.EventLawyerRequested, habeas.EventLawyerAccess, habeas.EventLawyerDenied:
			v.Access = append(v.Access, ev)
		case habeas.EventIllTreatment:
			v.Allegations = append(v.Allegations, ev)
		}
	}
	v.Accounts = accountsOf(cf.Events)
	if s.may(r, "case.assign") {
		v.Forms = s.newCaseForms(r, v)
	}
	return v, nil
}

// caseNames adds a transliteration to each name written in Cyrillic;
// anchored says the page has a table of sources to link to.
func caseNames(nv []casework.NameSource, anchored bool) []caseName {
	out := make([]caseName, len(nv))
	for i, n := range nv {
		out[i].NameSource, out[i].Anchored = n, anchored
		script := n.Script
		if script == "" {
			script = names.DetectScript(n.Text)
		}
		if script == "Cyrl" {
			if latin, err := names.Transliterate(n.Text, transliteration); err == nil && latin != n.Text {
				out[i].Latin = latin
			}
		}
	}
	return out
}

// translateRules gives each rule of the panel its title in the language
// of the request. The explanations stay as the engine wrote them.
func (s *Server) translateRules(r *http.Request, p *panelView) {
	lang := langOf(r.Context())
	titles := map[string]string{}
	for _, rule := range s.work.Rules() {
		titles[rule.ID] = rules.Text(rule.Title, lang)
	}
	for g := range p.Groups {
		for i := range p.Groups[g].Results {
			if t, ok := titles[p.Groups[g].Results[i].RuleID]; ok && t != "" {
				p.Groups[g].Results[i].RuleTitle = t
			}
		}
	}
}
