package server_test

import (
	"bytes"
	"log/slog"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/habeas-project/habeas"
	"github.com/habeas-project/habeas/server"
	"github.com/habeas-project/habeas/web/webtest"
)

// The access log has a line for each request, with its route, status and
// time, and nothing of what was asked for: no path with its identifier,
// no query with the name searched, no name of a person shown.
func TestAccessLogNamesNoOne(t *testing.T) {
	var logs bytes.Buffer
	env := webtest.NewWith(t, func(c *server.Config) {
		c.Logger = slog.New(slog.NewJSONHandler(&logs, nil))
		c.AccessLog = true
	})
	src := webtest.Source("звонок брата", habeas.SourceHotlineCall, "B", 2)
	p := webtest.Person("Ержан Журналов", src)
	d := webtest.Detention(p, "almaty", habeas.ProcedureCriminal, time.Date(2022, 1, 6, 3, 0, 0, 0, time.UTC), src)
	env.Create(t, src, p, d)
	c := env.As(t, habeas.RoleCaseworker)
	logs.Reset()
	c.Get("/detentions/" + d.ID)
	c.Get("/persons?q=" + url.QueryEscape("Журналов"))
	c.Get("/api/v1/persons/" + p.ID)
	out := logs.String()
	for _, want := range []string{`"msg":"request"`, `"route":"detention"`, `"route":"persons"`, `"status":200`, `"ms":`} {
		if !strings.Contains(out, want) {
			t.Errorf("the access log lacks %s:\n%s", want, out)
		}
	}
	for _, secret := range []string{d.ID, p.ID, "Журналов", url.QueryEscape("Журналов"), "Ержан"} {
		if strings.Contains(out, secret) {
			t.Errorf("the access log holds %q:\n%s", secret, out)
		}
	}
}
