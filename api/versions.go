package api

import (
	"net/http"
	"strconv"
	"strings"

	"github.com/habeas-project/habeas"
)

// A record's version is its last change's sequence. GET sends it as a
// strong entity tag, "42"; PUT must send it back in If-Match, so that an
// edit made from a stale read is refused (409, with the record as it is
// now) instead of silently undoing someone else's; DELETE may send it.

// etag is the entity tag of a version.
func etag(version int64) string { return `"` + strconv.FormatInt(version, 10) + `"` }

// ifMatch reads the version the request names in If-Match: 0 when the
// header is absent (an error when required) or "*", which asks for no
// check.
func ifMatch(r *http.Request, required bool) (int64, error) {
	v := strings.TrimSpace(r.Header.Get("If-Match"))
	switch {
	case v == "" && required:
		return 0, invalid("invalid request", "If-Match", "is required: send the ETag of the record as you read it (GET it first)")
	case v == "" || v == "*":
		return 0, nil
	}
	n, err := strconv.ParseInt(strings.Trim(v, `"`), 10, 64)
	if err != nil || n <= 0 || !strings.HasPrefix(v, `"`) || !strings.HasSuffix(v, `"`) || len(v) < 3 {
		return 0, invalid("invalid request", "If-Match", "%q is not the ETag of a record, such as \"42\"", v)
	}
	return n, nil
}

// conflictBody is the answer to a write from a stale read: the error and
// the record as it is now, so the client can show the difference and try
// again on the current version (sent as ETag).
type conflictBody struct {
	errorBody
	Current habeas.Entity `json:"current"`
}

// writeConflict answers err, if it refuses a write made on a stale read,
// with the record as it is now; false for any other error, or if the
// record is gone since.
func (a *API) writeConflict(w http.ResponseWriter, r *http.Request, k habeas.Kind, id string, err error) bool {
	if !habeas.IsStale(err) {
		return false
	}
	current, now, ferr := a.Work.FindRecord(r.Context(), habeas.UserFrom(r.Context()), k, id)
	if ferr != nil {
		return false
	}
	w.Header().Set("ETag", etag(now))
	writeJSON(w, http.StatusConflict, conflictBody{errorBody: newErrorBody(err), Current: current})
	return true
}
