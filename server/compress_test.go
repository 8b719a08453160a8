package server_test

import (
	"bytes"
	"compress/gzip"
	"io"
	"net/http"
	"testing"
	"time"

	"github.com/habeas-project/habeas"
	"github.com/habeas-project/habeas/web/webtest"
)

// Pages travel compressed when the browser says the request comes from
// the application or from the person, and as they are when a foreign site
// caused it or nothing says where it comes from (BREACH, compress.go).
func TestCompression(t *testing.T) {
	env := webtest.New(t)
	src := webtest.Source("Call from the detainee's sister", habeas.SourceRelative, "C", 3)
	person := webtest.Person("Серик Жумабаев", src)
	det := webtest.Detention(person, "almaty", habeas.ProcedureCriminal, time.Date(2022, 1, 5, 9, 0, 0, 0, time.UTC), src)
	env.Create(t, src, person, det)
	viewer := env.As(t, habeas.RoleViewer)
	path := "/detentions/" + det.ID
	plain := viewer.Get(path)
	if plain.Code != http.StatusOK || plain.Body.Len() < 2048 {
		t.Fatalf("case page: status %d, %d bytes", plain.Code, plain.Body.Len())
	}
	get := func(site string) *http.Response {
		req := viewer.Request(http.MethodGet, path, "")
		req.Header.Set("Accept-Encoding", "gzip")
		if site != "" {
			req.Header.Set("Sec-Fetch-Site", site)
		}
		return env.Serve(req).Result()
	}
	for _, site := range []string{"same-origin", "none"} {
		res := get(site)
		if res.Header.Get("Content-Encoding") != "gzip" {
			t.Fatalf("Sec-Fetch-Site %s: Content-Encoding %q, want gzip", site, res.Header.Get("Content-Encoding"))
		}
		zipped, _ := io.ReadAll(res.Body)
		zr, err := gzip.NewReader(bytes.NewReader(zipped))
		if err != nil {
			t.Fatal(err)
		}
		page, err := io.ReadAll(zr)
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Contains(page, []byte(det.ID)) || len(page) < plain.Body.Len()-200 || len(zipped)*3 > len(page) {
			t.Errorf("Sec-Fetch-Site %s: %d bytes compressed to %d; want the page, at least 3 times smaller", site, len(page), len(zipped))
		}
		if res.Header.Get("Content-Security-Policy") == "" {
			t.Errorf("Sec-Fetch-Site %s: the compressed page lost its security headers", site)
		}
	}
	for _, site := range []string{"cross-site", "same-site", ""} {
		res := get(site)
		body, _ := io.ReadAll(res.Body)
		if enc := res.Header.Get("Content-Encoding"); enc != "" || !bytes.Contains(body, []byte(det.ID)) {
			t.Errorf("Sec-Fetch-Site %q: Content-Encoding %q; want the page uncompressed", site, enc)
		}
	}
}
