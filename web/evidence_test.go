package web_test

import (
	"bytes"
	"context"
	"html"
	"io"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"net/textproto"
	"strings"
	"testing"
	"time"

	"github.com/habeas-project/habeas"
	"github.com/habeas-project/habeas/internal/sqlstore"
	"github.com/habeas-project/habeas/internal/vault"
	"github.com/habeas-project/habeas/web/webtest"
)

// upload posts the case page's evidence form: fields, then (unless name
// is "") the file, as a browser sends it.
func upload(c *webtest.Client, detention string, fields [][2]string, name, declared string, content []byte) *httptest.ResponseRecorder {
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	for _, f := range fields {
		mw.WriteField(f[0], f[1])
	}
	if name != "" {
		h := textproto.MIMEHeader{}
		h.Set("Content-Disposition", `form-data; name="file"; filename="`+name+`"`)
		h.Set("Content-Type", declared)
		w, _ := mw.CreatePart(h)
		w.Write(content)
	}
	mw.Close()
	req := httptest.NewRequest(http.MethodPost, "/detentions/"+detention+"/evidence", &body)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	if c.Cookie != nil {
		req.AddCookie(c.Cookie)
	}
	return c.Env.Serve(req)
}

// The case page's vault: a caseworker uploads a file (a page disguised as
// a photo: kept, and flagged); a form without a file or with a capture
// time in the future changes nothing; readers download the file as an
// attachment in a sandbox, never inline, each download in the chain of
// custody; an analyst and a lawyer not on the case get nothing, and
// leave no trace in the chain; no one writes a file or a chain of
// custody through the API.
func TestEvidenceVault(t *testing.T) {
	env := webtest.New(t)
	if err := env.Store.Unlock(context.Background(), vault.NewMaster(), sqlstore.KeyMode{Mode: "file"}); err != nil {
		t.Fatal(err)
	}
	src := webtest.Source("звонок брата", habeas.SourceHotlineCall, "B", 2)
	p := webtest.Person("Ерлан Доказов", src)
	d := webtest.Detention(p, "almaty", habeas.ProcedureCriminal, time.Date(2022, 1, 6, 3, 0, 0, 0, time.UTC), src)
	env.Create(t, src, p, d)

	cw := env.As(t, habeas.RoleCaseworker)
	disguised := []byte("<html><body><script>fetch('/admin/users')</script>" + strings.Repeat("<p>padding</p>", 300) + "</body></html>")
	before := env.State(t)
	for what, rec := range map[string]*httptest.ResponseRecorder{
		"no file":         upload(cw, d.ID, [][2]string{{"title", "t"}}, "", "", nil),
		"a future moment": upload(cw, d.ID, [][2]string{{"captured_at", "2099-01-01T10:00"}}, "a.jpg", "image/jpeg", disguised),
		"a bad kind":      upload(cw, d.ID, [][2]string{{"kind", "rumour"}}, "a.jpg", "image/jpeg", disguised),
	} {
		if rec.Code != http.StatusBadRequest {
			t.Errorf("%s: status %d", what, rec.Code)
		}
	}
	if after := env.State(t); after.String() != before.String() {
		t.Fatalf("a refused upload changed the register: %s, then %s", before, after)
	}
	viewer := env.As(t, habeas.RoleViewer)
	if rec := upload(viewer, d.ID, nil, "a.jpg", "image/jpeg", disguised); rec.Code != http.StatusForbidden {
		t.Errorf("a viewer uploads: status %d", rec.Code)
	}

	rec := upload(cw, d.ID, [][2]string{{"title", "фото у РОВД"}, {"captured_at", "2022-01-06T09:15"}, {"device", "Redmi Note 9"},
		{"location", "Алматы, у РОВД"}, {"source", src.ID}}, "IMG_0042.jpg", "image/jpeg", disguised)
	if rec.Code != http.StatusSeeOther || rec.Header().Get("Location") != "/detentions/"+d.ID+"#evidence" {
		t.Fatalf("upload: status %d:\n%s", rec.Code, rec.Body)
	}
	es, err := env.Store.FindReferring(context.Background(), habeas.KindEvidence, d.ID)
	if err != nil || len(es) != 1 {
		t.Fatalf("evidence of the case: %d, %v", len(es), err)
	}
	ev := es[0].(*habeas.Evidence)
	if ev.File == nil || !strings.HasPrefix(ev.File.MediaType, "text/html") || ev.File.Declared != "image/jpeg" || ev.PersonID != p.ID ||
		ev.File.Device != "Redmi Note 9" || ev.File.CapturedAt != time.Date(2022, 1, 6, 3, 15, 0, 0, time.UTC) || ev.Kind != "document" ||
		len(ev.Sources) != 1 || len(ev.Custody) != 1 || ev.Custody[0].Event != habeas.CustodyReceived || ev.Custody[0].By != cw.Name {
		t.Fatalf("the record kept: %+v %+v", ev, ev.File)
	}
	page := html.UnescapeString(cw.Get("/detentions/" + d.ID).Body.String())
	for _, want := range []string{"IMG_0042.jpg", "Its name says image/jpeg; its content is text/html", `action="/evidence/` + ev.ID + `/download"`,
		"Chain of custody (1)", ev.SHA256, `enctype="multipart/form-data"`} {
		if !strings.Contains(page, want) {
			t.Errorf("the case page lacks %q", want)
		}
	}

	dl := viewer.Do(http.MethodPost, "/evidence/"+ev.ID+"/download", "")
	if dl.Code != http.StatusOK || !bytes.Equal(dl.Body.Bytes(), disguised) {
		t.Fatalf("download: status %d, %q", dl.Code, dl.Body)
	}
	h := dl.Header()
	if h.Get("Content-Type") != "application/octet-stream" || !strings.HasPrefix(h.Get("Content-Disposition"), "attachment;") ||
		!strings.Contains(h.Get("Content-Disposition"), "IMG_0042.jpg") || !strings.HasPrefix(h.Get("Content-Security-Policy"), "sandbox") ||
		h.Get("X-Content-Type-Options") != "nosniff" || h.Get("Cache-Control") != "no-store" {
		t.Errorf("the download's headers let a browser show it: %v", h)
	}
	// Not compressed, even for a browser that would take it: a video
	// would cost a CPU for nothing.
	req := viewer.Request(http.MethodPost, "/evidence/"+ev.ID+"/download", "")
	req.Header.Set("Accept-Encoding", "gzip")
	req.Header.Set("Sec-Fetch-Site", "same-origin")
	if rec := env.Serve(req); rec.Header().Get("Content-Encoding") != "" || !bytes.Equal(rec.Body.Bytes(), disguised) {
		t.Errorf("a file is sent compressed (%q)", rec.Header().Get("Content-Encoding"))
	}
	if rec := viewer.Get("/evidence/" + ev.ID + "/download"); rec.Code == http.StatusOK {
		t.Error("a GET downloads: a link on any site could add to the chain of custody")
	}
	lawyer := env.As(t, habeas.RoleLawyer)
	for who, c := range map[string]*webtest.Client{"analyst": env.As(t, habeas.RoleAnalyst), "lawyer not on the case": lawyer, "no one": env.Anonymous()} {
		if rec := c.Do(http.MethodPost, "/evidence/"+ev.ID+"/download", ""); rec.Code == http.StatusOK || bytes.Contains(rec.Body.Bytes(), disguised) {
			t.Errorf("%s downloads: status %d", who, rec.Code)
		}
	}
	got, _, err := env.Store.FindVersion(context.Background(), habeas.KindEvidence, ev.ID)
	if err != nil {
		t.Fatal(err)
	}
	chain := got.(*habeas.Evidence).Custody
	if len(chain) != 3 || chain[1].Event != habeas.CustodyViewed || chain[1].By != viewer.Name {
		t.Errorf("the chain of custody after two downloads, and three refused: %+v", chain)
	}

	// The API writes neither a file nor a chain of custody.
	coord := env.As(t, habeas.RoleCoordinator)
	made := &habeas.Evidence{Kind: "photo", Title: "made up", DetentionID: d.ID, SHA256: ev.SHA256, File: ev.File,
		Custody: []habeas.CustodyEvent{{Event: habeas.CustodyReceived, At: time.Now().UTC(), By: "someone"}}}
	if code := coord.JSON(t, http.MethodPost, "/api/v1/evidence", made, nil); code != http.StatusBadRequest {
		t.Errorf("a file's record made up through the API: status %d", code)
	}
	rewritten := *got.(*habeas.Evidence)
	rewritten.Custody = rewritten.Custody[:1]
	if code := coord.Put(t, "/api/v1/evidence/"+ev.ID, &rewritten, nil); code != http.StatusBadRequest {
		t.Errorf("the chain of custody cut through the API: status %d", code)
	}
	// Moved to another person, the file would open for no one, and
	// erasing that person would leave it (the review's finding 4).
	other := webtest.Person("Другой Человек", src)
	env.Create(t, other)
	moved := *got.(*habeas.Evidence)
	moved.PersonID = other.ID
	if code := coord.Put(t, "/api/v1/evidence/"+ev.ID, &moved, nil); code != http.StatusBadRequest {
		t.Errorf("a file moved to another person through the API: status %d", code)
	}
	retitled := *got.(*habeas.Evidence)
	retitled.Title = "фото у РОВД, 6 января"
	if code := coord.Put(t, "/api/v1/evidence/"+ev.ID, &retitled, nil); code != http.StatusOK {
		t.Errorf("a title changed through the API: status %d", code)
	}
	if rec := coord.Do(http.MethodPost, "/evidence/"+ev.ID+"/download", ""); rec.Code != http.StatusOK {
		t.Errorf("download after the title changed: %d", rec.Code)
	} else if b, _ := io.ReadAll(rec.Body); !bytes.Equal(b, disguised) {
		t.Error("another file")
	}
}
