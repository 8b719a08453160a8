package web

import (
	"net/http"

	"github.com/habeas-project/habeas"
	"github.com/habeas-project/habeas/casework"
)

// personView is the data of a person's page: the person file, with
// names to read in Latin and the decisions the reader may undo.
type personView struct {
	*casework.PersonFile
	P               *habeas.Person
	Names           []caseName
	Same, Different []identityView
	// Audit is whether the reader may see who read the person.
	Audit bool
}

// identityView is one decision about the person and another record.
type identityView struct {
	casework.IdentityDecision
	// Back is the person whose page shows the decision, to return to
	// after undoing it, and CanUndo whether the user may.
	Back    string
	CanUndo bool
}

// personPage serves GET /persons/{id}: the person with every spelling of
// their name, all their detentions and casualties.
func (s *Server) personPage(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	pf, err := s.work.FindPersonFile(ctx, habeas.UserFrom(ctx), r.PathValue("id"))
	if err != nil {
		return err
	}
	v := personView{PersonFile: pf, P: pf.Person, Names: caseNames(pf.Names, false), Audit: s.may(r, "admin.audit")}
	canUndo := s.may(r, "identity.undo")
	view := func(ds []casework.IdentityDecision) []identityView {
		out := make([]identityView, len(ds))
		for i, d := range ds {
			out[i] = identityView{IdentityDecision: d, Back: pf.Person.ID, CanUndo: canUndo}
		}
		return out
	}
	v.Same, v.Different = view(pf.Same), view(pf.Different)
	s.render(w, r, http.StatusOK, "person", v)
	return nil
}
