package web

import (
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/habeas-project/habeas"
)

// form is the state of one form on a page: what was typed and, after a
// refused submission, each field's error in the reader's language. Field
// ids are the form's name and the field's: "visit-at".
type form struct {
	Name   string
	Values url.Values
	Errors []formError
	// Open says the form starts unfolded: it was just refused.
	Open bool
}

// formError is one field's error, with the label it is known by, for the
// summary at the top of the page and the message beside the field.
type formError struct {
	Field, ID, Label, Message string
}

func newForm(name string, values url.Values) *form {
	if values == nil {
		values = url.Values{}
	}
	return &form{Name: name, Values: values}
}

// ID is the element id of a field.
func (f *form) ID(field string) string { return f.Name + "-" + field }

// Value is what the field holds.
func (f *form) Value(field string) string { return f.Values.Get(field) }

// Checked reports whether value is among the values of field.
func (f *form) Checked(field, value string) bool { return slices.Contains(f.Values[field], value) }

// Err is the field's error, "" when it has none.
func (f *form) Err(field string) string {
	for _, e := range f.Errors {
		if e.Field == field {
			return e.Message
		}
	}
	return ""
}

// fieldView is what the field templates need to draw one input: its label,
// value and error, linked for assistive technology.
type fieldView struct {
	ID, Name, Type, Label, Value, Error, Hint string
	Required                                  bool
	Options                                   []option
}

// Field describes an input of the form: typ is an input type or
// "textarea"; flags may hold "required".
func (f *form) Field(name, typ, label string, flags ...string) fieldView {
	return fieldView{ID: f.ID(name), Name: name, Type: typ, Label: label, Value: f.Value(name), Error: f.Err(name),
		Required: slices.Contains(flags, "required")}
}

// Select describes a select box of the form with its options; the flag
// "blank" puts an empty choice first.
func (f *form) Select(name, label string, opts []option, flags ...string) fieldView {
	v := f.Field(name, "select", label, flags...)
	if slices.Contains(flags, "blank") {
		opts = append([]option{{"", "—"}}, opts...)
	}
	v.Options = opts
	return v
}

// WithHint adds a hint shown under the field's label.
func (v fieldView) WithHint(hint string) fieldView {
	v.Hint = hint
	return v
}

// formProblem is the summary of a refused form, shown at the top of the
// page with a link to each field.
type formProblem struct {
	Errors []formError
}

// formReader reads a submitted form field by field, collecting each
// field's error in the language of the request.
type formReader struct {
	s    *Server
	r    *http.Request
	f    *form
	loc  *time.Location
	zone string
	// err is a failure to read a record the form names, which is no
	// fault of the form: the request fails with it.
	err error
	// choicesFor holds the lawyers a typed name fits when it fits
	// several, to offer as choices.
	choicesFor []option
}

func (s *Server) newFormReader(r *http.Request, name, zone string) *formReader {
	loc, err := habeas.LoadZone(zone)
	if err != nil {
		loc, zone = time.UTC, "UTC"
	}
	return &formReader{s: s, r: r, f: newForm(name, r.PostForm), loc: loc, zone: zone}
}

// fail records the error of field, whose label is the message labelID,
// with the message msgID and its data.
func (fr *formReader) fail(field, labelID, msgID string, kv ...any) {
	if fr.f.Err(field) != "" {
		return // the first problem of a field is the one to fix
	}
	fr.f.Errors = append(fr.f.Errors, formError{Field: field, ID: fr.f.ID(field),
		Label: fr.s.tr(fr.r, labelID), Message: fr.s.tr(fr.r, msgID, kv...)})
}

func (fr *formReader) failed() bool { return len(fr.f.Errors) > 0 }

// lookupFailed reports a record the form names that could not be found as
// the field's error; any other failure fails the request.
func (fr *formReader) lookupFailed(err error, field, labelID, msgID string) {
	if habeas.ErrorCode(err) == habeas.ENOTFOUND {
		fr.fail(field, labelID, msgID)
	} else if fr.err == nil {
		fr.err = err
	}
}

// text reads a text field, trimmed, at most max characters.
func (fr *formReader) text(field, labelID string, max int, required bool) string {
	v := strings.TrimSpace(fr.f.Value(field))
	switch {
	case v == "" && required:
		fr.fail(field, labelID, "case.error.required")
	case len([]rune(v)) > max:
		fr.fail(field, labelID, "case.error.too_long", "Max", max)
	}
	return v
}

// timeLayouts are the forms a time may be typed in: what a
// datetime-local input sends, and the same with a space.
var timeLayouts = []string{"2006-01-02T15:04", "2006-01-02T15:04:05", "2006-01-02 15:04"}

// when reads a date and time typed in the zone of the place.
func (fr *formReader) when(field, labelID string, required bool) time.Time {
	v := strings.TrimSpace(fr.f.Value(field))
	if v == "" {
		if required {
			fr.fail(field, labelID, "case.error.required")
		}
		return time.Time{}
	}
	for _, layout := range timeLayouts {
		if t, err := time.ParseInLocation(layout, v, fr.loc); err == nil {
			if t.Year() < 1900 || t.Year() > 2200 {
				break
			}
			return t.UTC()
		}
	}
	fr.fail(field, labelID, "case.error.time", "Zone", fr.zone)
	return time.Time{}
}

// notBefore checks that t, read from field, is not before bound; msgID
// says what the bound is, given as {{.Bound}}.
func (fr *formReader) notBefore(field, labelID string, t, bound time.Time, msgID string) {
	if !t.IsZero() && !bound.IsZero() && t.Before(bound) {
		fr.fail(field, labelID, msgID, "Bound", localTime(bound, fr.zone))
	}
}

// notFuture checks that t, read from field, is not after now: what is
// recorded as having happened cannot lie ahead.
func (fr *formReader) notFuture(field, labelID string, t time.Time) {
	if now := fr.s.work.Clock(); !t.IsZero() && t.After(now) {
		fr.fail(field, labelID, "case.error.future", "Now", localTime(now, fr.zone))
	}
}

// choice reads a value from a closed list.
func (fr *formReader) choice(field, labelID string, allowed []string, required bool) string {
	v := strings.TrimSpace(fr.f.Value(field))
	switch {
	case v == "":
		if required {
			fr.fail(field, labelID, "case.error.required")
		}
	case !slices.Contains(allowed, v):
		fr.fail(field, labelID, "case.error.choice")
		return ""
	}
	return v
}

// choices reads the checked values of a group of boxes from a closed list.
func (fr *formReader) choices(field, labelID string, allowed []string) []string {
	var out []string
	for _, v := range fr.f.Values[field] {
		if !slices.Contains(allowed, v) {
			fr.fail(field, labelID, "case.error.choice")
			return nil
		}
		out = append(out, v)
	}
	return out
}

// tristate reads yes, no or unknown (empty): nil when unknown.
func (fr *formReader) tristate(field, labelID string) *bool {
	switch fr.choice(field, labelID, []string{"yes", "no"}, false) {
	case "yes":
		b := true
		return &b
	case "no":
		b := false
		return &b
	}
	return nil
}

// number reads a whole number from lo to hi; 0 when empty.
func (fr *formReader) number(field, labelID string, lo, hi int) int {
	v := strings.TrimSpace(fr.f.Value(field))
	if v == "" {
		return 0
	}
	n, err := strconv.Atoi(v)
	if err != nil || n < lo || n > hi {
		fr.fail(field, labelID, "case.error.number", "Min", lo, "Max", hi)
		return 0
	}
	return n
}

// refused reports a write the domain refused as the form's errors: each
// field as the domain names it, with its reason in the reader's language
// where there is a translation.
func (fr *formReader) refused(err error) {
	for _, fe := range habeas.ErrorFields(err) {
		fr.f.Errors = append(fr.f.Errors, formError{Field: fe.Field, Label: fe.Field, Message: fr.s.reason(fr.r, fe)})
	}
	if len(fr.f.Errors) == 0 {
		fr.f.Errors = append(fr.f.Errors, formError{Message: fr.s.errorMessage(fr.r, err)})
	}
}
