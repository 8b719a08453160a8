package web

import (
	"net/http"
	"strings"

	"github.com/habeas-project/habeas"
)

// formState is a checklist form as submitted: the values typed, to show
// again, and what is wrong with them in the reader's language. The
// investigation and trial-monitoring forms share it.
type formState struct {
	Values   map[string]string
	Problems []fieldProblem
}

// fieldProblem is one field of a form that is not valid.
type fieldProblem struct {
	Field  string // the form field's name; its input's id is "f-" + Field
	Label  string // the field's label, for the summary at the top of the form
	Reason string
}

// labelProblems names each problem's field for the summary, by the message id
// fn gives for it; a field the form does not show keeps its name.
func (s *Server) labelProblems(r *http.Request, f *formState, fn func(field string) string) {
	lang := langOf(r.Context())
	for i, p := range f.Problems {
		f.Problems[i].Label = p.Field
		if id := fn(p.Field); id != "" && s.i18n.has(lang, id) {
			f.Problems[i].Label = s.i18n.tr(lang, id, nil, nil)
		}
	}
}

// Err returns the problem with a field, or "".
func (f *formState) Err(field string) string {
	if f == nil {
		return ""
	}
	for _, p := range f.Problems {
		if p.Field == field {
			return p.Reason
		}
	}
	return ""
}

// Value returns what was typed in a field.
func (f *formState) Value(field string) string {
	if f == nil {
		return ""
	}
	return f.Values[field]
}

// badField records a problem the handler found before the domain saw the
// record, with its reason kept as a code for translation.
func (f *formState) badField(s *Server, r *http.Request, field, format string, args ...any) {
	f.Problems = append(f.Problems, fieldProblem{Field: field, Reason: s.reason(r, habeas.FieldErrorf(field, format, args...), "inv")})
}

// addErr records the domain's field errors of err, their paths cut to the
// form's field names by trimming prefix. It reports whether err was a
// validation error; any other error is for the caller.
func (f *formState) addErr(s *Server, r *http.Request, err error, prefix string) bool {
	if habeas.ErrorCode(err) != habeas.EINVALID {
		return false
	}
	fs := habeas.ErrorFields(err)
	if len(fs) == 0 {
		fs = []habeas.FieldError{{Field: "", Reason: habeas.ErrorMessage(err)}}
	}
	for _, fe := range fs {
		f.Problems = append(f.Problems, fieldProblem{Field: strings.TrimPrefix(fe.Field, prefix), Reason: s.reason(r, fe, "inv")})
	}
	return true
}

// triState reads a yes, no or unknown answer ("" is unknown).
func (f *formState) triState(s *Server, r *http.Request, field string) *bool {
	switch v := f.Values[field]; v {
	case "":
		return nil
	case "yes":
		return new(true)
	case "no":
		return new(false)
	default:
		f.badField(s, r, field, "%q is not yes, no or unknown", v)
		return nil
	}
}

// readForm reads the named fields of a POSTed form, trimmed.
func readForm(r *http.Request, names ...string) (*formState, error) {
	if err := r.ParseForm(); err != nil {
		return nil, habeas.Errorf(habeas.EINVALID, "the form could not be read")
	}
	f := &formState{Values: map[string]string{}}
	for _, n := range names {
		f.Values[n] = strings.TrimSpace(r.PostForm.Get(n))
	}
	return f, nil
}

// tri shows a tri-state fact as a form value: "yes", "no" or "".
func tri(b *bool) string {
	switch {
	case b == nil:
		return ""
	case *b:
		return "yes"
	}
	return "no"
}

// invProblemOf is problemOf with this area's translations of the reasons
// first, for the lists of casualties, investigations and hearings.
func (s *Server) invProblemOf(r *http.Request, err error) *filterProblem {
	fs := habeas.ErrorFields(err)
	p := &filterProblem{Fields: make([]habeas.FieldError, len(fs))}
	for i, f := range fs {
		p.Fields[i] = habeas.FieldError{Field: f.Field, Reason: s.reason(r, f, "inv")}
	}
	return p
}
