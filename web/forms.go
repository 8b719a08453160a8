package web

import (
	"cmp"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/habeas-project/habeas"
)

// form is one form of a page as it is shown: what its fields hold (as
// typed, or the record's values), each field's error in the reader's
// language, and whether it starts unfolded. Every form of the pages is
// one; a formReader fills it from a submission. Field ids are the form's
// name and the field's: "assign-from", "f-status".
type form struct {
	Name   string
	Values url.Values
	// Errors are the form's errors, in the order of its fields: the summary
	// of a refused form lists them, and each field shows its own.
	Errors []formError
	// Open says the form starts unfolded: it was just refused.
	Open bool
	// Conflict, in the reader's language, says the form was not saved
	// because someone else saved the same record first: the page shows the
	// record as it is now, and the form what was typed.
	Conflict string
}

// formError is one field's error in the reader's language, with the label
// the field is known by. ID is the element the summary links to; it is ""
// for a field the form does not show (the domain named it, and the
// summary names it as the domain does) or does not link to (formField).
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
	if i := f.errIndex(field); i >= 0 {
		return f.Errors[i].Message
	}
	return ""
}

func (f *form) errIndex(field string) int {
	return slices.IndexFunc(f.Errors, func(e formError) bool { return e.Field == field })
}

// summary is the form's errors as one line of text after intro, for a page
// that cannot show the form again.
func (f *form) summary(intro string) string {
	parts := make([]string, len(f.Errors))
	for i, e := range f.Errors {
		parts[i] = e.Label + ": " + e.Message
	}
	return intro + " " + strings.Join(parts, "; ")
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

// triField is a yes, no or unknown answer of a form, as the template
// triField draws it: radio buttons, the third labelled Unknown ("not
// recorded", "not observed").
type triField struct {
	Form                 *form
	Name, Label, Unknown string
}

// Tri returns the answer field name of the form, labelled label, its
// unknown answer labelled unknown.
func (f *form) Tri(name, label, unknown string) triField { return triField{f, name, label, unknown} }

// WithHint adds a hint shown under the field's label.
func (v fieldView) WithHint(hint string) fieldView {
	v.Hint = hint
	return v
}

// formReader reads a submitted form field by field into a form, each
// field's error raised where it is found with the message that says it,
// in the language of the request; then, if the domain refuses what the
// form asked to write, its reasons (refused).
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

	// fields are the fields of the form in its order, each with the
	// message id of its label, for the errors the domain gives: one about
	// a field listed here is shown beside it, any other is named as the
	// domain names it. A form whose fields the domain names otherwise (the
	// case page writes events, not forms) lists none.
	fields []formField
	// prefix is cut from the domain's field names: where the form's record
	// sits in what was written ("events[2].monitoring.").
	prefix string
	// area is the area of messages whose wording of the domain's reasons
	// comes first ("inv" looks up inv.reason.<code>; see Server.reason).
	area string
}

// formField is a field of a form as the domain names it, with the message
// id of its label. NoLink keeps the summary from linking to its input,
// which is hidden.
type formField struct {
	Name, Label string
	NoLink      bool
}

func (s *Server) newFormReader(r *http.Request, name, zone string) *formReader {
	loc, err := habeas.LoadZone(zone)
	if err != nil {
		loc, zone = time.UTC, "UTC"
	}
	return &formReader{s: s, r: r, f: newForm(name, r.PostForm), loc: loc, zone: zone}
}

// postedForm reads the body of a POST and returns a reader of the form it
// holds, whose times are in zone.
func (s *Server) postedForm(r *http.Request, name, zone string) (*formReader, error) {
	if err := r.ParseForm(); err != nil {
		return nil, habeas.Errorf(habeas.EINVALID, "the form could not be read")
	}
	return s.newFormReader(r, name, zone), nil
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

// value is what the field holds, trimmed.
func (fr *formReader) value(field string) string { return strings.TrimSpace(fr.f.Value(field)) }

// formVersion reads the hidden field that carries the version of a record
// as the form showed it. A form without one (a page from before versions,
// or a hand-made request) gives -1, which no record has: its save is
// refused as stale, and the page comes back with the record as it is.
func formVersion(fr *formReader, field string) int64 {
	n, err := strconv.ParseInt(fr.value(field), 10, 64)
	if err != nil || n <= 0 {
		return -1
	}
	return n
}

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
	v := fr.value(field)
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
	v := fr.value(field)
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
	v := fr.value(field)
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

// tristate reads yes, no or unknown (empty): nil when unknown. Any other
// value is the error msgID, given the value as {{.Value}}.
func (fr *formReader) tristate(field, labelID, msgID string) *bool {
	switch v := fr.value(field); v {
	case "":
		return nil
	case "yes":
		return new(true)
	case "no":
		return new(false)
	default:
		fr.fail(field, labelID, msgID, "Value", v)
		return nil
	}
}

// number reads a whole number from lo to hi; 0 when empty.
func (fr *formReader) number(field, labelID string, lo, hi int) int {
	v := fr.value(field)
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

// refused reports a write the domain refused (a validation error) as the
// form's errors, and whether it was one: any other error is the caller's.
// Each reason is in the reader's language (see Server.reason); a field
// with several reasons shows them all, unless the form found a problem
// with it first. The errors are then listed in the order of the form's
// fields, those it does not show last.
func (fr *formReader) refused(err error) bool {
	if habeas.ErrorCode(err) != habeas.EINVALID {
		return false
	}
	f := fr.f
	var areas []string
	if fr.area != "" {
		areas = append(areas, fr.area)
	}
	read := len(f.Errors) // the errors the form found itself
	for _, fe := range habeas.ErrorFields(err) {
		name := strings.TrimPrefix(fe.Field, fr.prefix)
		msg := fr.s.reason(fr.r, fe, areas...)
		if i := f.errIndex(name); i >= read {
			f.Errors[i].Message += "; " + msg
			continue
		} else if i >= 0 {
			continue
		}
		e := formError{Field: name, Label: name, Message: msg}
		if i := fr.fieldIndex(name); i >= 0 {
			ff := fr.fields[i]
			e.Label = fr.s.tr(fr.r, ff.Label)
			if !ff.NoLink {
				e.ID = f.ID(name)
			}
		}
		f.Errors = append(f.Errors, e)
	}
	if len(f.Errors) == 0 {
		f.Errors = append(f.Errors, formError{Message: fr.s.errorMessage(fr.r, err)})
	}
	slices.SortStableFunc(f.Errors, func(a, b formError) int {
		return cmp.Compare(fr.order(a.Field), fr.order(b.Field))
	})
	return true
}

func (fr *formReader) fieldIndex(name string) int {
	return slices.IndexFunc(fr.fields, func(ff formField) bool { return ff.Name == name })
}

// order is where a field comes in the form: fields it does not list last.
func (fr *formReader) order(name string) int {
	if i := fr.fieldIndex(name); i >= 0 {
		return i
	}
	return len(fr.fields)
}
