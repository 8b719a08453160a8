package web

import (
	"net/http"
	"net/url"
	"strings"

	"github.com/habeas-project/habeas"
	"github.com/habeas-project/habeas/casework"
)

// viewsView is the data of the saved views page.
type viewsView struct {
	Views []savedView
}

// viewsPage serves GET /views: the views the user may open, their own and
// the shared ones, by name in the reader's language, each with what it
// selects; the user's own can be deleted.
func (s *Server) viewsPage(w http.ResponseWriter, r *http.Request) error {
	items, err := s.work.FindViews(r.Context(), habeas.UserFrom(r.Context()))
	if err != nil {
		return err
	}
	s.render(w, r, http.StatusOK, "views", viewsView{Views: s.savedViews(r, items)})
	return nil
}

// viewCreate serves POST /views: the form under the detention list saves
// its filter under a name, for the signed-in user and, if asked, shared
// with the team; then on to the saved views. On invalid input the list is
// shown again with 400, the name as typed and what was wrong with it.
// Every role may save views: a view is a preference, not case data.
func (s *Server) viewCreate(w http.ResponseWriter, r *http.Request) error {
	fr, err := s.postedForm(r, "view", "UTC")
	if err != nil {
		return err
	}
	filter := url.Values{}
	nv := casework.NewView{Name: fr.f.Value("name"), Shared: fr.f.Value("shared") != "", Filter: map[string]string{}}
	for _, k := range casework.ViewKeys {
		if v := fr.value(k); v != "" {
			filter.Set(k, v)
			nv.Filter[k] = v
		}
	}
	_, err = s.work.SaveView(r.Context(), habeas.UserFrom(r.Context()), nv)
	switch habeas.ErrorCode(err) {
	case "":
		http.Redirect(w, r, "/views", http.StatusSeeOther)
		return nil
	case habeas.ECONFLICT:
		fr.fail("name", "queues.save.name", "queues.save.exists")
	case habeas.EINVALID:
		fr.fields = []formField{{Name: "name", Label: "queues.save.name"}}
		fr.refused(err)
		for i, e := range fr.f.Errors {
			if key, ok := strings.CutPrefix(e.Field, "filter."); ok {
				fr.f.Errors[i].Label = s.tr(r, "queues.save.filter") + " " + key
			}
		}
	default:
		return err
	}
	v, status, err := s.listView(r, filter, false)
	if err != nil {
		return err
	}
	if status == http.StatusOK {
		status = http.StatusBadRequest
	}
	v.Save = fr.f
	s.render(w, r, status, "detentions", v)
	return nil
}

// viewOpen serves GET /views/{id}: the detention list the view selects.
func (s *Server) viewOpen(w http.ResponseWriter, r *http.Request) error {
	it, err := s.work.FindView(r.Context(), habeas.UserFrom(r.Context()), r.PathValue("id"))
	if err != nil {
		return err
	}
	http.Redirect(w, r, it.URL, http.StatusSeeOther)
	return nil
}

// viewDelete serves POST /views/{id}/delete: one of the user's own views
// is deleted; then back to the saved views.
func (s *Server) viewDelete(w http.ResponseWriter, r *http.Request) error {
	if err := s.work.DeleteView(r.Context(), habeas.UserFrom(r.Context()), r.PathValue("id")); err != nil {
		return err
	}
	http.Redirect(w, r, "/views", http.StatusSeeOther)
	return nil
}
