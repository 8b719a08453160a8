package api

import (
	"net/http"
	"time"

	"github.com/habeas-project/habeas"
	"github.com/habeas-project/habeas/casework"
)

// lawyerList is the JSON shape of the lawyers list: a page of the usual
// list shape and the moment caseloads were counted at.
type lawyerList struct {
	listBody[casework.LawyerItem]
	At time.Time `json:"at"`
}

// listLawyers serves GET /api/v1/lawyers: every lawyer with their current
// caseload, paged (offset, limit) in identifier order; ?at=RFC3339 counts
// caseloads at another moment than now.
func (a *API) listLawyers(w http.ResponseWriter, r *http.Request) error {
	q, err := a.Work.ParseLawyerQuery(r.URL.Query())
	if err != nil {
		return err
	}
	items, total, err := a.Work.FindLawyerItems(r.Context(), habeas.UserFrom(r.Context()), q.Page, q.At)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, lawyerList{listBody: newListBody(items, total, q.Page), At: q.At})
	return nil
}
