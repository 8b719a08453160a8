// Package httpstatus maps the domain's error codes to HTTP statuses, in one
// place, for the JSON API and the HTML pages alike.
//
// It depends only on the domain (the root package) and net/http.
package httpstatus

import (
	"net/http"

	"github.com/habeas-project/habeas"
)

// Of returns the HTTP status for the code of err: 400 for invalid input,
// 404, 409 for a conflict (a stale version, a duplicate), 401, 403, and
// 500 for anything that is not a *habeas.Error.
func Of(err error) int {
	switch habeas.ErrorCode(err) {
	case habeas.EINVALID:
		return http.StatusBadRequest
	case habeas.ENOTFOUND:
		return http.StatusNotFound
	case habeas.ECONFLICT:
		return http.StatusConflict
	case habeas.EUNAUTHORIZED:
		return http.StatusUnauthorized
	case habeas.EFORBIDDEN:
		return http.StatusForbidden
	}
	return http.StatusInternalServerError
}
