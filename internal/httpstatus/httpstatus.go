// Package httpstatus maps the domain's error codes to HTTP statuses, in one
// place, for the JSON API and the HTML pages alike.
//
// It depends only on the domain (the root package) and net/http.
package httpstatus

import (
	"errors"
	"net/http"
	"strings"
	"syscall"

	"github.com/habeas-project/habeas"
)

// Of returns the HTTP status for the code of err: 400 for invalid input,
// 404, 409 for a conflict (a stale version, a duplicate), 401, 403, 507
// when the disk is full, and 500 for anything else that is not a
// *habeas.Error.
func Of(err error) int {
	if DiskFull(err) {
		return http.StatusInsufficientStorage
	}
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

// DiskFull reports whether err is a write refused for want of space: the
// system's ENOSPC, PostgreSQL's disk_full (SQLSTATE 53100), SQLite's
// SQLITE_FULL. Nothing was written; the administrator must free space.
func DiskFull(err error) bool {
	if err == nil {
		return false
	}
	if errors.Is(err, syscall.ENOSPC) {
		return true
	}
	var st interface{ SQLState() string }
	if errors.As(err, &st) && st.SQLState() == "53100" {
		return true
	}
	return strings.Contains(err.Error(), "database or disk is full")
}
