package web_test

import (
	"net/url"
	"strings"
	"testing"

	"github.com/habeas-project/habeas"
	"github.com/habeas-project/habeas/web/webtest"
)

func TestPersonSearchInAnyScript(t *testing.T) {
	env := webtest.New(t)
	src := webtest.Source("Official list", habeas.SourceOfficialList, "B", 2)
	p := webtest.Person("СЕРІКБАЕВ АЙДОС ЕРЛАНҰЛЫ", src)
	other := webtest.Person("Айдар Серікбаев", src)
	env.Create(t, src, p, other)
	c := env.As(t, habeas.RoleViewer)
	for _, tt := range []struct {
		q          string
		want, deny []string
	}{
		{"Serikbayev Aidos", []string{"/persons/" + p.ID, "1 person found"}, []string{other.ID}},
		{"айдос", []string{"/persons/" + p.ID}, []string{other.ID}},
		{"Serikbaev", []string{p.ID, other.ID, "2 persons found"}, nil},
		{"Tokayev", []string{"0 persons found"}, []string{p.ID, other.ID}},
	} {
		t.Run(tt.q, func(t *testing.T) {
			w := c.Get("/persons?q=" + url.QueryEscape(tt.q))
			body := w.Body.String()
			if w.Code != 200 {
				t.Fatalf("status %d", w.Code)
			}
			for _, s := range tt.want {
				if !strings.Contains(body, s) {
					t.Errorf("search %q: page lacks %q", tt.q, s)
				}
			}
			for _, s := range tt.deny {
				if strings.Contains(body, s) {
					t.Errorf("search %q: page shows %q", tt.q, s)
				}
			}
		})
	}
}
