package server

import (
	"net/http"
	"strings"

	"github.com/klauspost/compress/gzhttp"
)

// compress compresses answers (zstd or gzip, as the client accepts) for
// people on poor connections: a demo case page of 72 KB in Kazakh travels
// as 11.5 KB of gzip.
//
// Compression lets a network observer who can also make the victim's
// browser send requests carrying chosen text learn secrets in a page from
// its compressed size (BREACH). So only requests that the browser marks
// as coming from the application itself (Sec-Fetch-Site: same-origin) or
// from the person (none: typed, bookmarked) are compressed; a request a
// foreign site caused (cross-site, same-site) or one without the header
// (an old browser, a script) gets the page as it is. Compressed answers
// also carry a few bytes of padding that depend on their content
// (gzhttp.RandomJitter, "Heal the Breach"), which blurs their size.
//
// Files sent as they are (application/octet-stream: evidence files,
// mostly photos and videos compressed already) and media are not
// compressed: a gigabyte of video would cost the server a CPU for
// nothing.
func compress(h http.Handler) (http.Handler, error) {
	wrap, err := gzhttp.NewWrapper(gzhttp.MinSize(1024), gzhttp.RandomJitter(32, 0, false),
		gzhttp.ContentTypeFilter(func(ct string) bool {
			return !strings.HasPrefix(ct, "application/octet-stream") && gzhttp.DefaultContentTypeFilter(ct)
		}))
	if err != nil {
		return nil, err
	}
	zipped := wrap(h)
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.Header.Get("Sec-Fetch-Site") {
		case "same-origin", "none":
			zipped.ServeHTTP(w, r)
		default:
			h.ServeHTTP(w, r)
		}
	}), nil
}
