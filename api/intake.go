package api

import (
	"net/http"

	"github.com/habeas-project/habeas"
	"github.com/habeas-project/habeas/casework"
)

// postIntake serves POST /api/v1/intake: the intake form's report as JSON
// (the fields of Intake). It answers 201 with what was written.
func (a *API) postIntake(w http.ResponseWriter, r *http.Request) error {
	body, err := readBody(w, r)
	if err != nil {
		return err
	}
	var in casework.Intake
	if err := decodeStrict(body, &in, "invalid report", ""); err != nil {
		return err
	}
	res, err := a.Work.Intake(r.Context(), habeas.UserFrom(r.Context()), in)
	if err != nil {
		return err
	}
	w.Header().Set("Location", Prefix+"/detentions/"+res.DetentionID)
	writeJSON(w, http.StatusCreated, res)
	return nil
}
