package web

import (
	"net/http"
	"net/url"
	"slices"
	"time"

	"github.com/habeas-project/habeas"
	"github.com/habeas-project/habeas/casework"
)

// detentionListView is the data of the detention list and of the queues
// overview, which share the page: the filter, the queues as tabs, then
// either one page of detentions or the size of every queue, and the
// user's saved views.
type detentionListView struct {
	// Overview is set on /queues: the size of every queue instead of a list.
	Overview   bool
	Form       map[string]string // the filter as submitted, to fill the form again
	Cities     []option
	Procedures []string
	Statuses   []string
	Queues     []string
	Queue      string // the queue listed; "" for every detention
	Tabs       []queueTab
	CountsURL  string
	ShowAt     bool // the moment of judgement matters here: the overdue queue or the overview
	Problem    *filterProblem
	Items      []casework.DetentionItem
	Pager      pager
	Counts     []queueCount
	// At is the moment the overdue queue is judged at, shown in Zone: the
	// chosen city's, or UTC.
	At   time.Time
	Zone string
	// Views are the saved views the user may open; CanSave offers the form
	// that saves the current filter as one, Save, with the filter in
	// SaveFields.
	Views      []savedView
	CanSave    bool
	Save       *form
	SaveFields []field
}

// queueTab is one tab of the list: every detention, or one queue, with
// the current filter.
type queueTab struct {
	Queue   string
	URL     string
	Current bool
}

// queueCount is one row of the overview.
type queueCount struct {
	Queue string
	Total int
	URL   string
}

// savedView is a saved view as the list shows it.
type savedView struct {
	casework.ViewItem
	Mine bool
}

// field is a hidden field of a form.
type field struct{ Name, Value string }

// listKeys are the parameters the list's form and links carry.
var listKeys = append(slices.Clone(casework.ViewKeys), "at")

// detentionList serves GET /detentions: the register of detentions, latest
// arrest first, filtered by city, arrest date, procedure, status and queue;
// the overdue queue is the longest overdue first.
func (s *Server) detentionList(w http.ResponseWriter, r *http.Request) error {
	v, status, err := s.listView(r, r.URL.Query(), false)
	if err != nil {
		return err
	}
	s.render(w, r, status, "detentions", v)
	return nil
}

// queuesOverview serves GET /queues: how many detentions each queue holds
// under the filter, each linked to its list.
func (s *Server) queuesOverview(w http.ResponseWriter, r *http.Request) error {
	v, status, err := s.listView(r, r.URL.Query(), true)
	if err != nil {
		return err
	}
	s.render(w, r, status, "detentions", v)
	return nil
}

// listView builds the list, or the overview, for the query q; an invalid
// filter gives the view with its problem and 400.
func (s *Server) listView(r *http.Request, q url.Values, overview bool) (detentionListView, int, error) {
	ctx := r.Context()
	lang := langOf(ctx)
	v := detentionListView{
		Overview:   overview,
		Form:       formValues(q, listKeys...),
		Cities:     cityOptions(),
		Procedures: casework.Procedures,
		Statuses:   habeas.Statuses,
		Queues:     habeas.Queues,
		CanSave:    s.may(r, "view.create"),
		Save:       newForm("view", nil),
		Zone:       "UTC",
	}
	if overview {
		delete(v.Form, "queue")
	}
	v.Queue = v.Form["queue"]
	v.ShowAt = overview || v.Queue == string(habeas.QueueOverdue)
	sortBy(lang, v.Cities, func(o option) string { return cityName(o.Value, lang) })
	v.Tabs, v.CountsURL = s.tabs(v.Form, overview)
	views, err := s.work.FindViews(ctx, habeas.UserFrom(ctx))
	if err != nil {
		return v, 0, err
	}
	v.Views = s.savedViews(r, views)

	for _, k := range casework.ViewKeys {
		if val := v.Form[k]; val != "" {
			v.SaveFields = append(v.SaveFields, field{k, val})
		}
	}
	dq, err := s.work.ParseDetentionQuery(q)
	if habeas.ErrorCode(err) == habeas.EINVALID {
		v.Problem = s.problemOf(r, err)
		return v, http.StatusBadRequest, nil
	} else if err != nil {
		return v, 0, err
	}
	if overview {
		dq.Queue = nil
	}
	v.At = dq.At
	if c, ok := habeas.FindCity(v.Form["city"]); ok {
		v.Zone = c.Zone
	}
	if overview {
		counts, err := s.work.CountQueues(ctx, habeas.UserFrom(ctx), dq)
		if err != nil {
			return v, 0, err
		}
		for _, c := range counts.Queues {
			v.Counts = append(v.Counts, queueCount{Queue: string(c.Queue), Total: c.Total, URL: listURL("/detentions", v.Form, "queue", string(c.Queue))})
		}
		return v, http.StatusOK, nil
	}
	var total int
	if v.Items, total, err = s.work.FindDetentionList(ctx, habeas.UserFrom(ctx), dq); err != nil {
		return v, 0, err
	}
	v.Pager = newPager("/detentions", trimLang(q), total, len(v.Items), dq.Page)
	return v, http.StatusOK, nil
}

// tabs returns the queue tabs and the overview's address, each keeping the
// filter of form.
func (s *Server) tabs(form map[string]string, overview bool) ([]queueTab, string) {
	tabs := []queueTab{{Queue: "", URL: listURL("/detentions", form, "queue", ""), Current: !overview && form["queue"] == ""}}
	for _, q := range habeas.Queues {
		tabs = append(tabs, queueTab{Queue: q, URL: listURL("/detentions", form, "queue", q), Current: !overview && form["queue"] == q})
	}
	return tabs, listURL("/queues", form, "queue", "")
}

// listURL is path with the filter of form, key set to value (or dropped
// when value is empty).
func listURL(path string, form map[string]string, key, value string) string {
	q := url.Values{}
	for _, k := range listKeys {
		if v := form[k]; v != "" {
			q.Set(k, v)
		}
	}
	if value == "" {
		q.Del(key)
	} else {
		q.Set(key, value)
	}
	if len(q) == 0 {
		return path
	}
	return path + "?" + q.Encode()
}

// savedViews marks the user's own views and sorts them by name in the
// reader's language.
func (s *Server) savedViews(r *http.Request, items []casework.ViewItem) []savedView {
	user := ""
	if u := habeas.UserFrom(r.Context()); u != nil {
		user = u.Name
	}
	out := make([]savedView, len(items))
	for i, it := range items {
		out[i] = savedView{ViewItem: it, Mine: it.Owner == user}
	}
	sortBy(langOf(r.Context()), out, func(v savedView) string { return v.Name })
	return out
}

func formValues(q map[string][]string, names ...string) map[string]string {
	m := make(map[string]string, len(names))
	for _, n := range names {
		if vs := q[n]; len(vs) > 0 {
			m[n] = vs[0]
		}
	}
	return m
}
