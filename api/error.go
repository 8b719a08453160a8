package api

import (
	"encoding/json"
	"errors"
	"log/slog"
	"net/http"

	"github.com/habeas-project/habeas"
	"github.com/habeas-project/habeas/internal/httpstatus"
)

// errorBody is the JSON shape of every error the API returns.
type errorBody struct {
	Error errorDetail `json:"error"`
}

type errorDetail struct {
	Code    string              `json:"code"`
	Message string              `json:"message"`
	Fields  []habeas.FieldError `json:"fields,omitempty"`
}

// WriteError writes err as {"error":{"code","message","fields"}} with the
// status of its code. An internal error is logged with its cause and shown
// only as "internal error".
func WriteError(w http.ResponseWriter, r *http.Request, log *slog.Logger, err error) {
	status := httpstatus.Of(err)
	body := newErrorBody(err)
	switch {
	case status == http.StatusInternalServerError && log != nil:
		log.ErrorContext(r.Context(), "internal error", "method", r.Method, "path", r.URL.Path, "err", err)
	case status == http.StatusInsufficientStorage:
		if log != nil {
			log.ErrorContext(r.Context(), "the disk is full: nothing more can be written until space is freed", "err", err)
		}
		body.Error.Message = "the server's disk is full: nothing was saved; try again once its administrator has freed space"
	}
	writeJSON(w, status, body)
}

// newErrorBody is the JSON shape of err, safe to show.
func newErrorBody(err error) errorBody {
	detail := errorDetail{Code: habeas.ErrorCode(err), Message: habeas.ErrorMessage(err), Fields: habeas.ErrorFields(err)}
	var he *habeas.Error
	if errors.As(err, &he) && he.Message != "" && len(he.Fields) > 0 {
		detail.Message = he.Message // the fields are listed beside it, not repeated in it
	}
	return errorBody{Error: detail}
}

// writeJSON writes v with the given status. Encoding a value built here
// cannot fail in a way the client could act on, so errors are dropped.
func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(status)
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	_ = enc.Encode(v)
}

// invalid returns a validation error for one field.
func invalid(message, field, format string, args ...any) *habeas.Error {
	return &habeas.Error{Code: habeas.EINVALID, Message: message, Fields: []habeas.FieldError{habeas.FieldErrorf(field, format, args...)}}
}
