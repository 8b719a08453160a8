package web

import (
	"fmt"
	"net/http"
	"regexp"
	"slices"
	"strings"
	"time"

	"github.com/habeas-project/habeas"
)

// caseForms are the forms of the case page that record facts on it, with
// the choices they offer.
type caseForms struct {
	// Access records a visit or, with its other button, a refusal of access.
	Assign, Access, Hearing, Allegation *form
	// Evidence uploads a file into the vault.
	Evidence *form
	// Problem is the form just refused, if any, whose errors the top of
	// the page sums up.
	Problem *form

	// Lawyers are the lawyers on the case, by name in the reader's order;
	// any other is chosen by typing the name.
	Lawyers      []option
	Replace      []option // the assignments in force, which a reassignment ends
	Kinds        []option // footings of an assignment
	Sources      []option // the sources the case cites
	SourceKinds  []option
	HearingTypes []option
	Decisions    []option
	Units        []option
	Methods      []option
	Tristate     []option
	Consistency  []option
	// EvidenceKinds offers the kinds of evidence, or one from the file.
	EvidenceKinds []option
}

// hearingTypes are the events the hearing form records.
var hearingTypes = []string{string(habeas.EventCourtAppearance), string(habeas.EventTrialHearing)}

// decisionKinds are the decisions a court may take at an appearance.
var decisionKinds = []string{string(habeas.DecisionCustody), string(habeas.DecisionHouseArrest), string(habeas.DecisionRelease),
	string(habeas.DecisionAdminArrest), string(habeas.DecisionFine), string(habeas.DecisionWarning), string(habeas.DecisionAdjourned)}

// assignmentKinds are the footings a lawyer may act on.
var assignmentKinds = []string{string(habeas.AssignmentLegalAid), string(habeas.AssignmentRetained), string(habeas.AssignmentAppointed)}

// newCaseForms returns the forms of the case page, empty but for what can
// be guessed: the time now in the zone of the place, the lawyer acting
// now, the place the person is held.
func (s *Server) newCaseForms(r *http.Request, v *detentionView) *caseForms {
	now := s.work.Clock()
	f := &caseForms{}
	f.Lawyers = s.caseLawyers(r, v)
	current := ""
	for _, a := range v.Assignments {
		if a.Current {
			name := a.LawyerID
			if a.Lawyer != nil {
				name = a.Lawyer.Name
			}
			f.Replace = append(f.Replace, option{a.ID, s.tr(r, "case.assign.replace.option", "Name", name, "From", localTime(a.From, v.Zone))})
			current = a.LawyerID
		}
	}
	for _, src := range v.CaseSources {
		if src.Kind != "" {
			f.Sources = append(f.Sources, option{src.ID, src.Title + " (" + s.tr(r, "source."+string(src.Kind)) + ", " + src.Grade() + ")"})
		}
	}
	f.Kinds = s.options(r, "case.assignment.", assignmentKinds)
	f.SourceKinds = s.options(r, "source.", habeas.SourceKinds)
	f.HearingTypes = s.options(r, "event.", hearingTypes)
	f.Decisions = s.options(r, "case.decision.", decisionKinds)
	f.Units = []option{{"MCI", s.tr(r, "case.unit.MCI")}, {"KZT", s.tr(r, "case.unit.KZT")}}
	f.Methods = s.options(r, "case.method.", habeas.IllTreatmentMethods)
	f.Tristate = []option{{"", s.tr(r, "common.unknown")}, {"yes", s.tr(r, "common.yes")}, {"no", s.tr(r, "common.no")}}
	f.Consistency = s.options(r, "case.consistency.", habeas.ConsistencyGrades)

	at := habeas.LocalTime(now, v.Zone).Format("2006-01-02T15:04")
	place := heldAt(v.Detention)
	f.Assign = newForm("assign", values(map[string]string{"from": at, "kind": string(habeas.AssignmentLegalAid)}))
	f.Access = newForm("access", values(map[string]string{"at": at, "lawyer": current, "place": place}))
	f.Hearing = newForm("hearing", values(map[string]string{"at": at, "type": string(habeas.EventCourtAppearance)}))
	f.Allegation = newForm("allegation", values(map[string]string{"place": place}))
	f.Evidence = newForm("evidence", nil)
	f.EvidenceKinds = append([]option{{"", s.tr(r, "case.ev.kind.auto")}}, s.options(r, "case.evidencekind.", habeas.EvidenceKinds)...)
	return f
}

// caseLawyers are the lawyers who are or were assigned to the case or
// appear on its timeline, as choices by name in the reader's order. The
// forms offer them, and take any other lawyer by name: an organisation
// may work with thousands, too many to list on every case.
func (s *Server) caseLawyers(r *http.Request, v *detentionView) []option {
	lang := langOf(r.Context())
	seen := map[string]bool{}
	var ls []*habeas.Lawyer
	add := func(l *habeas.Lawyer) {
		if l != nil && !seen[l.ID] {
			seen[l.ID] = true
			ls = append(ls, l)
		}
	}
	for _, a := range v.Assignments {
		add(a.Lawyer)
	}
	for _, e := range v.Events {
		add(e.Lawyer)
	}
	sortBy(lang, ls, func(l *habeas.Lawyer) string { return l.Name })
	out := []option{{"", s.tr(r, "case.lawyer.other")}}
	for _, l := range ls {
		out = append(out, s.lawyerOption(r, l))
	}
	return out
}

// lawyerOption is a lawyer as a choice: the name, the city, and whether
// they still work with the organisation.
func (s *Server) lawyerOption(r *http.Request, l *habeas.Lawyer) option {
	label := l.Name
	if l.City != "" {
		label += " (" + cityName(l.City, langOf(r.Context())) + ")"
	}
	if !l.Active {
		label += " — " + s.tr(r, "case.lawyer.inactive")
	}
	return option{l.ID, label}
}

// options are the values of a closed list, each labelled by the message
// prefix+value.
func (s *Server) options(r *http.Request, prefix string, values []string) []option {
	out := make([]option, len(values))
	for i, v := range values {
		out[i] = option{v, s.tr(r, prefix+v)}
	}
	return out
}

// values makes form values of single values, leaving out empty ones.
func values(m map[string]string) map[string][]string {
	out := make(map[string][]string, len(m))
	for k, v := range m {
		if v != "" {
			out[k] = []string{v}
		}
	}
	return out
}

// heldAt is the place the person was last known to be held: the place of
// the latest transfer or confirmed whereabouts.
func heldAt(d *habeas.Detention) string {
	place := ""
	for _, e := range d.Events {
		if (e.Type == habeas.EventTransfer || e.Type == habeas.EventWhereaboutsStated) && e.Place != "" {
			place = e.Place
		}
	}
	return place
}

// caseWrite handles the submission of one of the case page's forms. read
// turns the form into the writes it asks for, given the detention as it
// is now; when any field is wrong the case page comes back with 400, the
// form as typed and each field's error, and nothing is written.
// Otherwise the writes are applied in one batch, recorded as made by the
// signed-in user, and the browser goes back to the case page, at the
// section the form is in.
func (s *Server) caseWrite(w http.ResponseWriter, r *http.Request, name, section string,
	read func(fr *formReader, d *habeas.Detention) []habeas.Mutation) error {
	id := r.PathValue("id")
	if !habeas.ValidID(habeas.KindDetention, id) {
		return habeas.Errorf(habeas.ENOTFOUND, "detention %s not found", id)
	}
	if err := r.ParseForm(); err != nil {
		return habeas.Errorf(habeas.EINVALID, "the form could not be read")
	}
	fr, err := s.writeCase(r, id, name, read)
	if err != nil {
		return err
	}
	if fr.failed() {
		return s.refuse(w, r, id, fr.f, fr.choicesFor)
	}
	http.Redirect(w, r, "/detentions/"+id+"#"+section, http.StatusSeeOther)
	return nil
}

// caseSubmit handles a case form whose write is one casework operation,
// made by do, which checks again inside its transaction what the form
// checked against the case: the form is read against the detention as it
// is, and a refusal, the form's or the operation's, shows the case page
// again with 400 and the form's errors.
func (s *Server) caseSubmit(w http.ResponseWriter, r *http.Request, name, section string,
	do func(fr *formReader, d *habeas.Detention) error) error {
	id := r.PathValue("id")
	if err := r.ParseForm(); err != nil {
		return habeas.Errorf(habeas.EINVALID, "the form could not be read")
	}
	ctx := r.Context()
	e, _, err := s.work.FindRecord(ctx, habeas.UserFrom(ctx), habeas.KindDetention, id)
	if err != nil {
		return err
	}
	d := e.(*habeas.Detention)
	zone := ""
	if c, ok := habeas.FindCity(d.City); ok {
		zone = c.Zone
	}
	fr := s.newFormReader(r, name, zone)
	err = do(fr, d)
	if fr.err != nil {
		return fr.err
	}
	if err != nil && !fr.refused(err) {
		return err
	}
	if fr.failed() {
		return s.refuse(w, r, id, fr.f, fr.choicesFor)
	}
	http.Redirect(w, r, "/detentions/"+id+"#"+section, http.StatusSeeOther)
	return nil
}

// writeCase reads the form against the detention as it is now and, if
// the form is valid, applies its writes (casework.EditDetention): should
// another write to the case land first, the form is read again against
// the newer state, so nothing recorded at the same moment is lost. A
// form the domain refuses comes back with the domain's reasons.
func (s *Server) writeCase(r *http.Request, id, name string,
	read func(fr *formReader, d *habeas.Detention) []habeas.Mutation) (*formReader, error) {
	ctx := r.Context()
	var fr *formReader
	_, err := s.work.EditDetention(ctx, habeas.UserFrom(ctx), id, func(d *habeas.Detention, _ int64) ([]habeas.Mutation, error) {
		zone := ""
		if c, ok := habeas.FindCity(d.City); ok {
			zone = c.Zone
		}
		fr = s.newFormReader(r, name, zone)
		muts := read(fr, d)
		if fr.err != nil || fr.failed() {
			return nil, fr.err
		}
		return muts, nil
	})
	if habeas.ErrorCode(err) == habeas.EINVALID && fr != nil {
		fr.refused(err)
	} else if err != nil {
		return nil, err
	}
	return fr, nil
}

// refuse shows the case page again with status 400 and the refused form
// as it was typed, unfolded, with its errors.
func (s *Server) refuse(w http.ResponseWriter, r *http.Request, id string, f *form, lawyers []option) error {
	v, err := s.caseView(r, id)
	if err != nil {
		return err
	}
	if v.Forms == nil {
		return habeas.Errorf(habeas.EFORBIDDEN, "your role may not record on this case")
	}
	f.Open = true
	switch f.Name {
	case "assign":
		v.Forms.Assign = f
	case "access":
		v.Forms.Access = f
	case "hearing":
		v.Forms.Hearing = f
	case "allegation":
		v.Forms.Allegation = f
	case "evidence":
		v.Forms.Evidence = f
	default:
		panic(fmt.Sprintf("web: no case form %q", f.Name)) // a programming error, caught by tests
	}
	v.Forms.Problem = f
	for _, o := range lawyers { // the lawyers a typed name fits, to choose from
		if !slices.ContainsFunc(v.Forms.Lawyers, func(x option) bool { return x.Value == o.Value }) {
			v.Forms.Lawyers = append(v.Forms.Lawyers, o)
		}
	}
	s.render(w, r, http.StatusBadRequest, "detention", v)
	return nil
}

// source reads the source of what a form records: one the case already
// cites, or a new one described in the form, which is then created in
// the same batch. It returns the source's identifier and, for a new one,
// the mutation that creates it.
func (fr *formReader) source(required bool) (string, []habeas.Mutation) {
	ctx := fr.r.Context()
	if id := fr.f.Value("source"); id != "" {
		if !habeas.ValidID(habeas.KindSource, id) {
			fr.fail("source", "case.source.label", "case.error.source")
			return "", nil
		}
		if _, err := fr.s.work.FindSource(ctx, habeas.UserFrom(ctx), id); err != nil {
			fr.lookupFailed(err, "source", "case.source.label", "case.error.source")
			return "", nil
		}
		return id, nil
	}
	title := fr.text("source_title", "case.source.title", 300, false)
	if title == "" {
		if required {
			fr.fail("source", "case.source.label", "case.error.source")
		}
		return "", nil
	}
	kind := fr.choice("source_kind", "case.source.kind", habeas.SourceKinds, true)
	grade := strings.ToUpper(fr.text("source_grade", "case.source.grade", 2, true))
	if grade != "" && !gradePattern.MatchString(grade) && fr.f.Err("source_grade") == "" {
		fr.fail("source_grade", "case.source.grade", "case.error.grade")
	}
	if fr.failed() {
		return "", nil
	}
	rel, n := grade[:1], int(grade[1]-'0')
	src := &habeas.Source{ID: habeas.NewID(habeas.KindSource), Kind: habeas.SourceKind(kind), Title: title,
		Reliability: rel, Credibility: n, ReceivedAt: fr.s.work.Clock().UTC().Truncate(time.Second), ReceivedBy: habeas.ActorFrom(ctx),
		Confidentiality: habeas.ConfidentialityInternal}
	return src.ID, []habeas.Mutation{{Op: habeas.OpCreate, Entity: src}}
}

// lawyer reads the lawyer a form names: chosen from the case's lawyers
// (lawyer), or typed by name in any script (lawyer_name), which must fit
// exactly one lawyer. When several fit, they become choices of the form
// shown again. required says a lawyer must be named.
func (fr *formReader) lawyer(required bool) *habeas.Lawyer {
	ctx := fr.r.Context()
	if name := strings.TrimSpace(fr.f.Value("lawyer_name")); name != "" {
		fit, err := fr.s.work.FindLawyers(ctx, habeas.UserFrom(ctx), "", name)
		if err != nil {
			fr.err = err
			return nil
		}
		switch {
		case len(fit) == 1:
			return fit[0]
		case len(fit) == 0:
			fr.fail("lawyer_name", "case.form.lawyer_name", "case.error.no_lawyer")
		default:
			sortBy(langOf(ctx), fit, func(l *habeas.Lawyer) string { return l.Name })
			for _, l := range fit[:min(len(fit), 20)] {
				fr.choicesFor = append(fr.choicesFor, fr.s.lawyerOption(fr.r, l))
			}
			fr.fail("lawyer_name", "case.form.lawyer_name", "case.error.several_lawyers", "Count", len(fit))
		}
		return nil
	}
	id := fr.f.Value("lawyer")
	if id == "" {
		if required {
			fr.fail("lawyer", "case.form.lawyer", "case.error.required")
		}
		return nil
	}
	if !habeas.ValidID(habeas.KindLawyer, id) {
		fr.fail("lawyer", "case.form.lawyer", "case.error.lawyer")
		return nil
	}
	l, err := fr.s.work.FindLawyer(ctx, habeas.UserFrom(ctx), id)
	if err != nil {
		fr.lookupFailed(err, "lawyer", "case.form.lawyer", "case.error.lawyer")
		return nil
	}
	return l
}

// addEvent returns the update that adds e to the timeline of d.
func addEvent(d *habeas.Detention, e habeas.Event) habeas.Mutation {
	d.Events = append(d.Events, e)
	return habeas.Mutation{Op: habeas.OpUpdate, Entity: d}
}

// sourceFields is what the source part of a form draws: the case's
// sources to choose from, and the fields that describe a new one.
type sourceFields struct {
	Form           *form
	Sources, Kinds []option
	Required       bool
}

// Source returns the source part of form f; required says the form
// refuses a fact without a source.
func (cf *caseForms) Source(f *form, required bool) sourceFields {
	return sourceFields{Form: f, Sources: cf.Sources, Kinds: cf.SourceKinds, Required: required}
}

// gradePattern is an Admiralty grade: the reliability of the source, A to
// F, and the credibility of the information, 1 to 6.
var gradePattern = regexp.MustCompile(`^[A-F][1-6]$`)

// lawyerFields is what the lawyer part of a form draws.
type lawyerFields struct {
	Form    *form
	Lawyers []option
}

// LawyerOf returns the lawyer part of form f.
func (cf *caseForms) LawyerOf(f *form) lawyerFields {
	return lawyerFields{Form: f, Lawyers: cf.Lawyers}
}
