package web

import (
	"net/http"
	"net/url"
	"strconv"

	"github.com/habeas-project/habeas"
)

// pager is the position of a page in a list, with links to its neighbours
// that keep the filter.
type pager struct {
	Total       int
	First, Last int // 1-based positions of the first and last item shown
	PrevURL     string
	NextURL     string
}

func newPager(path string, q url.Values, total, shown int, p habeas.Page) pager {
	pg := pager{Total: total}
	if shown > 0 {
		pg.First, pg.Last = p.Offset+1, p.Offset+shown
	}
	link := func(offset int) string {
		v := url.Values{}
		for k, vs := range q {
			if k != "offset" && len(vs) > 0 && vs[0] != "" {
				v.Set(k, vs[0])
			}
		}
		if offset > 0 {
			v.Set("offset", strconv.Itoa(offset))
		}
		if len(v) == 0 {
			return path
		}
		return path + "?" + v.Encode()
	}
	if p.Offset > 0 {
		pg.PrevURL = link(max(p.Offset-p.Limit, 0))
	}
	if p.Offset+p.Limit < total {
		pg.NextURL = link(p.Offset + p.Limit)
	}
	return pg
}

// option is one choice of a select box.
type option struct {
	Value, Label string
}

// cityOptions lists the cities in the order the domain keeps them.
func cityOptions() []option {
	opts := make([]option, len(habeas.Cities))
	for i, c := range habeas.Cities {
		opts[i] = option{c.Key, habeas.CityName(c.Key, "en")}
	}
	return opts
}

// filterProblem is what a list shows when its filter is invalid.
type filterProblem struct {
	Fields []habeas.FieldError // each Reason in the reader's language
}

// problemOf is the validation error err for the reader of r, with the
// wording of the reasons of areas first (see Server.reason).
func (s *Server) problemOf(r *http.Request, err error, areas ...string) *filterProblem {
	fs := habeas.ErrorFields(err)
	p := &filterProblem{Fields: make([]habeas.FieldError, len(fs))}
	for i, f := range fs {
		p.Fields[i] = habeas.FieldError{Field: f.Field, Reason: s.reason(r, f, areas...)}
	}
	return p
}
