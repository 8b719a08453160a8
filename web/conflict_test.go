package web_test

import (
	"html"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/habeas-project/habeas"
	"github.com/habeas-project/habeas/web/webtest"
)

// hidden returns the hidden fields of the page at path, as a browser
// that opened it would send them.
func hidden(t *testing.T, c *webtest.Client, path string) url.Values {
	t.Helper()
	rec := c.Get(path)
	if rec.Code != http.StatusOK {
		t.Fatalf("GET %s: status %d", path, rec.Code)
	}
	out := url.Values{}
	for _, f := range []string{"version", "casualty_version", "read"} {
		if _, rest, ok := strings.Cut(rec.Body.String(), `name="`+f+`" value="`); ok {
			v, _, _ := strings.Cut(rest, `"`)
			out.Set(f, html.UnescapeString(v))
		}
	}
	return out
}

func merge(a, b url.Values) url.Values {
	out := url.Values{}
	for _, v := range []url.Values{a, b} {
		for k, vs := range v {
			out[k] = vs
		}
	}
	return out
}

// Two caseworkers open one investigation; the first saves. The second's
// save is refused with 409: the page, in the reader's language, says so,
// shows the investigation as the first left it, and keeps what the second
// typed, with the new version, so that saving again is a choice made
// knowingly — and then lands.
func TestInvestigationFormConflict(t *testing.T) {
	env := webtest.New(t)
	d := newDeaths(t, env)
	first, second := env.As(t, habeas.RoleCaseworker), env.As(t, habeas.RoleCoordinator)
	path := "/investigations/" + d.policeInv.ID
	read1, read2 := hidden(t, first, path), hidden(t, second, path)
	if read1.Get("version") == "" || read1.Get("casualty_version") == "" {
		t.Fatalf("the form carries no versions: %v", read1)
	}
	base := url.Values{"status": {"open"}, "opened": {"2022-01-09T10:00"}, "authority_implicated": {"yes"}, "autopsy": {"no"}}
	if rec := first.PostForm(path, merge(merge(base, url.Values{"case_number": {"FIRST-1"}}), read1)); rec.Code != http.StatusSeeOther {
		t.Fatalf("first save: status %d", rec.Code)
	}
	before := env.State(t)
	rec := second.PostForm(path+"?lang=ru", merge(merge(base, url.Values{"case_number": {"SECOND-2"}}), read2))
	body := html.UnescapeString(rec.Body.String())
	if rec.Code != http.StatusConflict {
		t.Fatalf("second save from the same read: status %d, want 409", rec.Code)
	}
	for _, want := range []string{"Не сохранено: кто-то другой сохранил это расследование", `value="SECOND-2"`, "FIRST-1"} {
		if !strings.Contains(body, want) {
			t.Errorf("the refused page lacks %q", want)
		}
	}
	if after := env.State(t); after.String() != before.String() {
		t.Errorf("the refused save wrote: %v, then %v", before, after)
	}
	// Saving again from the page as it came back lands.
	if again := hidden(t, second, path); again.Get("version") == read2.Get("version") {
		t.Errorf("the version did not move: %v", again)
	}
	_, rest, _ := strings.Cut(body, `name="version" value="`)
	version, _, _ := strings.Cut(rest, `"`)
	_, rest, _ = strings.Cut(body, `name="casualty_version" value="`)
	cversion, _, _ := strings.Cut(rest, `"`)
	resend := merge(base, url.Values{"case_number": {"SECOND-2"}, "version": {version}, "casualty_version": {cversion}})
	if rec := second.PostForm(path, resend); rec.Code != http.StatusSeeOther {
		t.Errorf("saving again from the refused page: status %d", rec.Code)
	}
	// A form that names no version is refused too, never written blind.
	if rec := second.PostForm(path, merge(base, url.Values{"case_number": {"BLIND"}})); rec.Code != http.StatusConflict {
		t.Errorf("a form without versions: status %d, want 409", rec.Code)
	}
}

// A monitor's checklist saved over another monitor's answers given since
// the page was opened is refused, in the reader's language, with the form
// kept. (A report added to the case meanwhile is no conflict:
// casework.TestRecordMonitoringStale.)
func TestTrialFormConflict(t *testing.T) {
	env := webtest.New(t)
	d := newDeaths(t, env)
	first, second := env.As(t, habeas.RoleCaseworker), env.As(t, habeas.RoleCoordinator)
	hearing := "/trials/" + d.detention.ID + "/e4"
	read := hidden(t, second, hearing)
	if read.Get("read") == "" {
		t.Fatal("the checklist form carries no fingerprint")
	}
	if rec := first.Submit(hearing, url.Values{"monitor": {"Monitor A"}, "checks.public_hearing": {"yes"}}); rec.Code != http.StatusSeeOther {
		t.Fatalf("first monitor: status %d", rec.Code)
	}
	rec := second.PostForm(hearing+"?lang=kk", merge(url.Values{"monitor": {"Monitor B"}, "checks.public_hearing": {"no"}}, read))
	body := html.UnescapeString(rec.Body.String())
	if rec.Code != http.StatusConflict || !strings.Contains(body, "Сақталмады: сіз ашқаннан кейін бұл отырыстың") ||
		!strings.Contains(body, `value="Monitor B"`) {
		t.Errorf("second monitor from the same read: status %d, want 409 with the message and the form kept", rec.Code)
	}
	// A form that names no fingerprint is refused too, never written blind.
	if rec := second.PostForm(hearing, url.Values{"monitor": {"Monitor C"}}); rec.Code != http.StatusConflict {
		t.Errorf("a checklist form without its fingerprint: status %d, want 409", rec.Code)
	}
}
