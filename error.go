package habeas

import (
	"errors"
	"fmt"
	"regexp"
	"strings"
)

// Error codes form a closed set; each maps to one HTTP status and one exit
// code in exactly one place.
const (
	EINVALID      = "invalid"
	ENOTFOUND     = "not_found"
	ECONFLICT     = "conflict"
	EUNAUTHORIZED = "unauthorized"
	EFORBIDDEN    = "forbidden"
	EINTERNAL     = "internal"
)

// Error is an error whose message is safe to show to a user. Anything that is
// not an *Error is an internal error and is shown as "internal error".
type Error struct {
	Code    string
	Message string
	// Fields lists the fields that failed validation, each with its reason.
	Fields []FieldError
	// Current is set on a conflict over a stale read (see Stale): the
	// version the record has now, which the writer did not see.
	Current int64
}

// Stale returns the refusal of a write made on version read of record
// id, which has changed since: it is now at version now.
func Stale(k Kind, id string, read, now int64) *Error {
	return &Error{Code: ECONFLICT, Message: fmt.Sprintf("%s %s has changed since you read it (version %d, now %d)", k, id, read, now), Current: now}
}

// IsStale reports whether err refuses a write made on a stale read, so
// the writer may read again and decide anew.
func IsStale(err error) bool {
	var e *Error
	return errors.As(err, &e) && e.Code == ECONFLICT && e.Current > 0
}

// FieldError names one field that failed validation and why.
type FieldError struct {
	Field  string `json:"field"`
	Reason string `json:"reason"` // in English
	// Code names the form of the reason, for interfaces that show it in
	// another language: the format it was made from as a slug, each verb
	// an x ("x_is_not_one_of_x"). Args are the arguments, each formatted
	// by its verb.
	Code string   `json:"code,omitempty"`
	Args []string `json:"args,omitempty"`
}

// FieldErrorf returns the error of one field, with the reason formatted
// and its code and arguments kept for translation.
func FieldErrorf(field, format string, args ...any) FieldError {
	fe := FieldError{Field: field, Reason: fmt.Sprintf(format, args...), Code: ReasonCode(format)}
	verbs := verbRE.FindAllString(format, -1)
	for i, a := range args {
		verb := "%v"
		if i < len(verbs) {
			verb = verbs[i]
		}
		fe.Args = append(fe.Args, fmt.Sprintf(verb, a))
	}
	return fe
}

var (
	verbRE    = regexp.MustCompile(`%[-+# 0-9.]*[a-zA-Z]`)
	nonWordRE = regexp.MustCompile(`[^a-z0-9]+`)
)

// ReasonCode is the code of a reason's format: "%q is not one of %s"
// gives "x_is_not_one_of_x".
func ReasonCode(format string) string {
	s := verbRE.ReplaceAllString(strings.ToLower(format), "x")
	s = strings.Trim(nonWordRE.ReplaceAllString(s, "_"), "_")
	if len(s) > 60 {
		s = strings.TrimRight(s[:60], "_")
	}
	return s
}

func (e *Error) Error() string {
	if len(e.Fields) == 0 {
		return e.Message
	}
	parts := make([]string, len(e.Fields))
	for i, f := range e.Fields {
		parts[i] = f.Field + ": " + f.Reason
	}
	if e.Message == "" {
		return strings.Join(parts, "; ")
	}
	return e.Message + ": " + strings.Join(parts, "; ")
}

// Errorf returns an *Error with the given code and formatted message.
func Errorf(code, format string, args ...any) *Error {
	return &Error{Code: code, Message: fmt.Sprintf(format, args...)}
}

// ErrorCode returns the code of err, EINTERNAL for anything that is not an
// *Error, and "" for nil.
func ErrorCode(err error) string {
	var e *Error
	if err == nil {
		return ""
	} else if errors.As(err, &e) {
		return e.Code
	}
	return EINTERNAL
}

// ErrorMessage returns the message of err that is safe to show to a user.
func ErrorMessage(err error) string {
	var e *Error
	if err == nil {
		return ""
	} else if errors.As(err, &e) {
		return e.Error()
	}
	return "internal error"
}

// ErrorFields returns the field errors of err, if it is a validation error.
func ErrorFields(err error) []FieldError {
	var e *Error
	if errors.As(err, &e) {
		return e.Fields
	}
	return nil
}

// validator collects field errors; a record is valid only when none were
// collected. Field paths use dots and indexes: "events[2].at".
type validator struct {
	prefix string
	errs   []FieldError
}

func (v *validator) add(field, format string, args ...any) {
	v.errs = append(v.errs, FieldErrorf(v.prefix+field, format, args...))
}

func (v *validator) required(field, value string) {
	if strings.TrimSpace(value) == "" {
		v.add(field, "is required")
	}
}

func (v *validator) maxLen(field, value string, n int) {
	if len([]rune(value)) > n {
		v.add(field, "is longer than %d characters", n)
	}
}

func (v *validator) oneOf(field, value string, allowed []string, optional bool) {
	if value == "" && optional {
		return
	}
	for _, a := range allowed {
		if value == a {
			return
		}
	}
	if value == "" {
		v.add(field, "is required (one of %s)", strings.Join(allowed, ", "))
		return
	}
	v.add(field, "%q is not one of %s", value, strings.Join(allowed, ", "))
}

// sub returns a validator for a nested record whose errors land in v.
func (v *validator) nested(prefix string, fn func(*validator)) {
	n := &validator{prefix: v.prefix + prefix + "."}
	fn(n)
	v.errs = append(v.errs, n.errs...)
}

func (v *validator) err(kind string) error {
	if len(v.errs) == 0 {
		return nil
	}
	return &Error{Code: EINVALID, Message: "invalid " + kind, Fields: v.errs}
}
