package loadgen

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

// The load generator asks as a browser following a link of the
// application does, so that the server compresses its answers as it does
// for people (web/compress.go).
func TestGetAsksLikeABrowser(t *testing.T) {
	var site, enc string
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		site, enc = r.Header.Get("Sec-Fetch-Site"), r.Header.Get("Accept-Encoding")
	}))
	defer srv.Close()
	if msg := get(context.Background(), srv.Client(), srv.URL); msg != "" {
		t.Fatal(msg)
	}
	if site != "same-origin" || !strings.Contains(enc, "gzip") {
		t.Errorf("Sec-Fetch-Site %q, Accept-Encoding %q; want same-origin and gzip", site, enc)
	}
}
