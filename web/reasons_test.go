package web_test

import (
	"context"
	"encoding/json"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/habeas-project/habeas"
	"github.com/habeas-project/habeas/casework"
	"github.com/habeas-project/habeas/internal/sqlstore"
	"github.com/habeas-project/habeas/web"
	"github.com/habeas-project/habeas/web/webtest"
)

// The layers under the pages (the domain's validators, casework's
// parsers and workflows, the store) refuse input with field errors whose
// reason the pages show as the message reason.<code>, or a form's own
// wording of it, <area>.reason.<code> (web.Server's reason). The pages cannot
// know which reasons exist but by meeting them, so refusals makes every
// layer refuse, on purpose, for every reason it gives; the tests check
// the messages against what comes back. A reason added to the code
// without a refusal here shows in English until one is added.

// refusal is one input the layers under the pages refuse, for one reason
// or several.
type refusal struct {
	name string
	err  func(ctx context.Context, env *reasonEnv) error
}

// reasonEnv is a store and the workflows over it, with a person already
// registered under an IIN.
type reasonEnv struct {
	db   *sqlstore.DB
	work *casework.Service
	iin  habeas.IIN // the registered person's
}

func newReasonEnv(t *testing.T) *reasonEnv {
	t.Helper()
	db := webtest.New(t).Store
	now := time.Date(2022, 1, 7, 12, 0, 0, 0, time.UTC)
	env := &reasonEnv{db: db, iin: iinOf(t, time.Date(1987, 4, 2, 0, 0, 0, 0, time.UTC), habeas.SexMale),
		work: casework.New(casework.Config{Records: db, Changes: db, Persons: db, Detentions: db, Stats: db, Views: db,
			Alerts: webtest.Watcher(db), Audit: db, Now: func() time.Time { return now }})}
	p := &habeas.Person{Names: []habeas.NameVariant{{Text: "Aidos Serikbayev", Script: "Latn", Kind: habeas.NameAsWritten}}, IIN: env.iin}
	if err := db.Create(habeas.WithActor(context.Background(), "test"), p); err != nil {
		t.Fatal(err)
	}
	return env
}

// iinOf is a valid IIN of someone born on birth.
func iinOf(t *testing.T, birth time.Time, sex habeas.Sex) habeas.IIN {
	t.Helper()
	for serial := 1; serial < 100; serial++ {
		if iin, ok := habeas.MakeIIN(birth, sex, serial); ok {
			return iin
		}
	}
	t.Fatalf("no IIN for %v", birth)
	return ""
}

// validSource is a source every layer accepts.
func validSource() *habeas.Source {
	return &habeas.Source{Kind: habeas.SourceHotlineCall, Title: "call", Reliability: "F", Credibility: 3,
		ReceivedAt: time.Date(2022, 1, 6, 0, 0, 0, 0, time.UTC), Confidentiality: habeas.ConfidentialityInternal}
}

// validReport is an intake every layer accepts.
func validReport() casework.Intake {
	return casework.Intake{Name: "Ерлан Сатпаев", City: "almaty", Date: "2022-01-06", Time: "14:30",
		SourceKind: "hotline_call", Confidentiality: "internal", Reliability: "F", Credibility: "3"}
}

func badReport(change func(*casework.Intake)) func(ctx context.Context, env *reasonEnv) error {
	return func(ctx context.Context, env *reasonEnv) error {
		in := validReport()
		change(&in)
		_, err := env.work.Intake(ctx, casework.System, in)
		return err
	}
}

// assignedOnce registers a detention with a lawyer assigned, and returns
// the request that assigned them.
func assignedOnce(ctx context.Context, env *reasonEnv) (casework.AssignmentRequest, error) {
	res, err := env.work.Intake(ctx, casework.System, validReport())
	if err != nil {
		return casework.AssignmentRequest{}, err
	}
	l := &habeas.Lawyer{Name: "Dana Sadykova", Active: true}
	if _, err := env.work.CreateRecord(ctx, casework.System, l); err != nil {
		return casework.AssignmentRequest{}, err
	}
	req := casework.AssignmentRequest{DetentionID: res.DetentionID, LawyerID: l.ID, Kind: habeas.AssignmentLegalAid,
		From: time.Date(2022, 1, 6, 12, 0, 0, 0, time.UTC)}
	_, err = env.work.Assign(ctx, casework.System, req)
	return req, err
}

func badQuery(parse func(url.Values) error, q url.Values) func(context.Context, *reasonEnv) error {
	return func(context.Context, *reasonEnv) error { return parse(q) }
}

func badRecord(e interface{ Validate() error }) func(context.Context, *reasonEnv) error {
	return func(context.Context, *reasonEnv) error { return e.Validate() }
}

func badChange(c habeas.Change) func(ctx context.Context, env *reasonEnv) error {
	return func(ctx context.Context, env *reasonEnv) error { return env.db.Import(ctx, []*habeas.Change{&c}) }
}

var (
	refusedAt     = time.Date(2022, 1, 6, 9, 0, 0, 0, time.UTC)
	tooLong       = strings.Repeat("x", 5001)
	anArrest      = habeas.Event{ID: "e1", Type: habeas.EventArrest, At: refusedAt}
	unknownPerson = habeas.NewID(habeas.KindPerson)
	unknownSource = habeas.NewID(habeas.KindSource)
)

var refusals = []refusal{
	// The domain's validators.
	{"a detention without person, city or arrest", badRecord(&habeas.Detention{ID: "bad", Procedure: "civil", Sources: []string{"bad"}})},
	{"a detention whose events are wrong", badRecord(&habeas.Detention{PersonID: "per_bad", City: "atlantis", Events: []habeas.Event{
		{ID: "x", Type: "rumour", At: time.Date(1800, 1, 1, 0, 0, 0, 0, time.UTC), Zone: "Mars/Base", Place: tooLong},
		{ID: "e1", Type: habeas.EventArrest, At: refusedAt, Decision: &habeas.Decision{Kind: habeas.DecisionAdminArrest}},
		{ID: "e1", Type: habeas.EventCourtAppearance, At: refusedAt},
		{ID: "e3", Type: habeas.EventCourtAppearance, At: refusedAt, Decision: &habeas.Decision{Kind: habeas.DecisionFine, Days: -1}},
		{ID: "e4", Type: habeas.EventCharge, At: refusedAt, Charge: &habeas.Charge{Code: "XX", Article: "one"}},
		{ID: "e5", Type: habeas.EventVerdict, At: refusedAt, Verdict: &habeas.Verdict{Months: -1}},
		{ID: "e6", Type: habeas.EventIllTreatment, At: refusedAt, Allegation: &habeas.Allegation{Methods: []string{"flying"}}},
		{ID: "e7", Type: habeas.EventArrest, At: refusedAt, Monitoring: &habeas.TrialMonitoring{
			Checks: map[string]habeas.Answer{"x": habeas.AnswerYes, "appeal": "maybe"}}},
	}})},
	{"a person without a name, born in a week", badRecord(&habeas.Person{Birth: habeas.BirthDate{Precision: "week"}, Citizenships: []string{"kz"}, IIN: "123"})},
	{"a person whose name and birth are wrong", badRecord(&habeas.Person{Names: []habeas.NameVariant{{}}, Sex: "x",
		Birth: habeas.BirthDate{Precision: habeas.PrecisionDay, Date: "1990-13", Age: 3}})},
	{"a person whose age is wrong", badRecord(&habeas.Person{Birth: habeas.BirthDate{Precision: habeas.PrecisionAge, Age: 200, AgeAt: "x", Date: "1990"}})},
	{"a person with a date but no precision", badRecord(&habeas.Person{Birth: habeas.BirthDate{Date: "1990"}})},
	{"a person the IIN contradicts", func(context.Context, *reasonEnv) error {
		iin, _ := habeas.MakeIIN(time.Date(1987, 4, 2, 0, 0, 0, 0, time.UTC), habeas.SexFemale, 1)
		return (&habeas.Person{IIN: iin, Sex: habeas.SexMale, Birth: habeas.BirthDate{Precision: habeas.PrecisionYear, Date: "1990"}}).Validate()
	}},
	{"an investigation of nothing", badRecord(&habeas.Investigation{})},
	{"an investigation of both", badRecord(&habeas.Investigation{CasualtyID: habeas.NewID(habeas.KindCasualty),
		DetentionID: habeas.NewID(habeas.KindDetention), AllegationEventID: "x", Authority: "police",
		Status: habeas.InvestigationOpen, VictimIdentified: new(true), Articles: []string{""}})},
	{"an act of an investigation never opened", badRecord(&habeas.Investigation{CasualtyID: habeas.NewID(habeas.KindCasualty),
		Authority: "police", Status: habeas.InvestigationRequested, EvidencePreserved: new(true)})},
	{"a use-of-force account answered wrongly", badRecord(&habeas.Casualty{At: refusedAt, UseOfForce: &habeas.UseOfForce{
		Warning:    &habeas.ForceFact{Answer: habeas.AnswerNo, At: refusedAt},
		TimeToHeed: &habeas.ForceFact{Answer: habeas.AnswerYes, Sources: []string{habeas.NewID(habeas.KindSource)}},
		MedicalAid: &habeas.ForceFact{Answer: habeas.AnswerNo, At: refusedAt.Add(time.Hour)},
		Reported:   &habeas.ForceFact{Answer: habeas.AnswerYes, At: refusedAt.Add(-time.Hour)}}})},
	{"evidence of nothing", badRecord(&habeas.Evidence{SHA256: "abc"})},
	{"a person judged against themselves", badRecord(&habeas.Identity{PersonA: unknownPerson, PersonB: unknownPerson, Probability: 2})},
	{"an incident that ends before it starts", badRecord(&habeas.Incident{Start: refusedAt, End: refusedAt.Add(-time.Hour)})},
	{"an assignment that ends before it starts", badRecord(&habeas.Assignment{LawyerID: habeas.NewID(habeas.KindLawyer),
		DetentionID: habeas.NewID(habeas.KindDetention), Kind: habeas.AssignmentLegalAid, From: refusedAt, To: refusedAt.Add(-time.Hour)})},
	{"a lawyer without a name", badRecord(&habeas.Lawyer{Languages: []string{"klingon"}})},
	{"a source of no credibility", badRecord(&habeas.Source{Credibility: 9})},
	{"an account named badly", badRecord(&habeas.User{Name: "A"})},
	{"a caseworker's account linked to a lawyer", badRecord(&habeas.User{Name: "omar", Role: habeas.RoleCaseworker, PasswordHash: "-",
		LawyerID: habeas.NewID(habeas.KindLawyer)})},
	{"a view without a name", badRecord(&habeas.SavedView{})},
	{"a change with more than a record", func(context.Context, *reasonEnv) error {
		_, err := (&habeas.Change{Kind: habeas.KindSource, Op: habeas.OpCreate, Data: json.RawMessage(`{} {}`)}).Entity()
		return err
	}},

	// Casework's parsers of the lists' filters.
	{"a filter of the detention list", func(_ context.Context, env *reasonEnv) error {
		_, err := env.work.ParseDetentionQuery(url.Values{"city": {"atlantis"}, "from": {"x"}, "limit": {"0"}, "status": {"lost"}, "at": {"noon"}})
		return err
	}},
	{"a range of days backwards", badQuery(func(q url.Values) error { _, err := casework.ParseDetentionFilter(q); return err },
		url.Values{"from": {"2022-01-06"}, "to": {"2022-01-01"}})},
	{"a filter of the alerts", func(_ context.Context, env *reasonEnv) error {
		_, err := env.work.ParseAlertQuery(url.Values{"rule": {"no.such.rule"}, "unknown": {"maybe"}, "within": {"soon"}})
		return err
	}},
	{"a saved view of what the list does not filter", badQuery(func(q url.Values) error { _, err := casework.ParseViewFilter(q); return err },
		url.Values{"page": {"2"}})},
	{"a filter of the trials", badQuery(func(q url.Values) error { _, err := casework.ParseTrialQuery(q); return err },
		url.Values{"detention": {"x"}})},
	{"a filter of the audit log", badQuery(func(q url.Values) error { _, err := casework.ParseAccessFilter(q); return err },
		url.Values{"record": {"someone"}, "action": {"peek"}, "from": {"yesterday"}})},

	// The intake.
	{"a report all wrong", badReport(func(in *casework.Intake) {
		*in = casework.Intake{PersonID: "x", City: "atlantis", Date: "31.02.2022", Time: "25:70", Body: "aliens", CustodySince: "10:00",
			Sex: "x", Citizenship: "Kazakhstan", IIN: "12345", Birth: "old", SourceKind: "x", Confidentiality: "x", Reliability: "Z",
			Credibility: "9", Note: tooLong}
	})},
	{"a report of nowhere and no time", badReport(func(in *casework.Intake) { in.City, in.Time = "", "" })},
	{"a report from the future", badReport(func(in *casework.Intake) {
		in.Date, in.Custody, in.CustodySince, in.Birth, in.IIN = "2022-01-07", "ROVD", "23:00", "200", "870402300001"
	})},
	{"a report of someone born too early", badReport(func(in *casework.Intake) { in.Birth, in.CustodySince, in.Custody = "1850", "x", "ROVD" })},
	{"a report of someone born after", badReport(func(in *casework.Intake) { in.Birth = "2023" })},
	{"a report about a person not registered", badReport(func(in *casework.Intake) { in.PersonID = habeas.NewID(habeas.KindPerson) })},
	{"a report under a registered IIN", func(ctx context.Context, env *reasonEnv) error {
		return badReport(func(in *casework.Intake) { in.IIN = string(env.iin) })(ctx, env)
	}},

	// The assignment of a lawyer, checked again inside its transaction.
	{"an assignment of a lawyer already acting, replacing none in force", func(ctx context.Context, env *reasonEnv) error {
		req, err := assignedOnce(ctx, env)
		if err != nil {
			return err
		}
		req.Replace = habeas.NewID(habeas.KindAssignment)
		_, err = env.work.Assign(ctx, casework.System, req)
		return err
	}},
	{"a reassignment starting before the assignment it replaces", func(ctx context.Context, env *reasonEnv) error {
		req, err := assignedOnce(ctx, env)
		if err != nil {
			return err
		}
		as, err := env.work.FindAssignments(ctx, casework.System, req.DetentionID)
		if err != nil {
			return err
		}
		req.Replace, req.From = as[0].ID, as[0].From.Add(-time.Hour)
		_, err = env.work.Assign(ctx, casework.System, req)
		return err
	}},

	// The administration of accounts.
	{"an account linked to a lawyer not in the register", func(ctx context.Context, env *reasonEnv) error {
		return web.AddUser(ctx, env.db, func(ctx context.Context, id string) (*habeas.Lawyer, error) {
			return env.work.FindLawyer(ctx, casework.System, id)
		}, web.Account{Name: "lena", Role: habeas.RoleLawyer, LawyerID: habeas.NewID(habeas.KindLawyer)}, "a long enough passphrase")
	}},
	{"a grant of no name", func(ctx context.Context, env *reasonEnv) error {
		return web.SetUserGrant(ctx, env.db, "lena", "everything", true)
	}},

	// The store.
	{"a record of a person not registered", func(ctx context.Context, env *reasonEnv) error {
		_, err := env.db.Apply(ctx, []habeas.Mutation{{Op: habeas.OpCreate, Entity: &habeas.Detention{PersonID: unknownPerson, City: "almaty",
			Events: []habeas.Event{anArrest}}}})
		return err
	}},
	{"an update of no record", func(ctx context.Context, env *reasonEnv) error {
		_, err := env.db.Apply(ctx, []habeas.Mutation{{Op: habeas.OpUpdate, Entity: validSource()}})
		return err
	}},
	{"a queue the store does not keep", func(ctx context.Context, env *reasonEnv) error {
		q := habeas.QueueOverdue
		_, _, err := env.db.FindDetentions(ctx, habeas.DetentionFilter{Queue: &q})
		return err
	}},
	{"a change of no kind", badChange(habeas.Change{Kind: "rumour"})},
	{"a change of a bad identifier", badChange(habeas.Change{Kind: habeas.KindSource, ID: "x"})},
	{"a change of no time", badChange(habeas.Change{Kind: habeas.KindSource, ID: unknownSource})},
	{"a change by nobody", badChange(habeas.Change{Kind: habeas.KindSource, ID: unknownSource, At: refusedAt})},
	{"a deletion with data", badChange(habeas.Change{Kind: habeas.KindSource, ID: unknownSource, At: refusedAt, Actor: "a", Op: habeas.OpDelete,
		Data: json.RawMessage(`{}`)})},
	{"a change of another record", badChange(habeas.Change{Kind: habeas.KindSource, ID: unknownSource, At: refusedAt, Actor: "a", Op: habeas.OpCreate,
		Data: json.RawMessage(`{"id":"` + habeas.NewID(habeas.KindSource) + `"}`)})},
	{"a change that is no operation", badChange(habeas.Change{Kind: habeas.KindSource, ID: unknownSource, At: refusedAt, Actor: "a", Op: "merge"})},
}

// raised makes every refusal and returns the field errors they gave; a
// refusal that gives none is an error of the test.
func raised(t *testing.T) []habeas.FieldError {
	t.Helper()
	env := newReasonEnv(t)
	ctx := habeas.WithActor(context.Background(), "test")
	var out []habeas.FieldError
	for _, r := range refusals {
		fs := habeas.ErrorFields(r.err(ctx, env))
		if len(fs) == 0 {
			t.Errorf("%s: refused for no reason", r.name)
		}
		out = append(out, fs...)
	}
	return out
}

var (
	reasonID    = regexp.MustCompile(`^(?:[a-z]+\.)?reason\.(.+)$`) // reason.<code>, <area>.reason.<code>
	placeholder = regexp.MustCompile(`\{\{\s*\.A(\d+)\s*\}\}`)
)

// Every reason the layers under the pages give has a message in every
// language, using only the arguments it comes with; the English message
// with them is the reason exactly as the code words it; and every
// message of a reason, reason.<code> or an area's <area>.reason.<code>,
// is the wording of a reason some refusal gives, so none is left over
// from a reason the code no longer gives. A reason whose code is "x"
// passes on a sentence made elsewhere (the IIN check's, a duration
// parser's) and is shown as it came.
func TestReasonsTranslated(t *testing.T) {
	c := web.LoadCatalog(t)
	args := map[string]int{} // code -> how many arguments its reason has
	for _, fe := range raised(t) {
		if fe.Code == "x" || fe.Code == "" {
			t.Logf("%s: %q is shown as it came", fe.Field, fe.Reason)
			continue
		}
		if n, ok := args[fe.Code]; ok {
			if n != len(fe.Args) {
				t.Errorf("reason %s comes with %d arguments and with %d", fe.Code, n, len(fe.Args))
			}
			continue
		}
		args[fe.Code] = len(fe.Args)
		for _, lang := range web.Languages {
			if !c.Has(lang, "reason."+fe.Code) {
				t.Errorf("reasons.%s.json lacks reason.%s, for %q", lang, fe.Code, fe.Reason)
			}
		}
		if got := c.Reason("en", fe); got != fe.Reason {
			t.Errorf("reasons.en.json: reason.%s reads %q; want the reason as the code words it, %q", fe.Code, got, fe.Reason)
		}
	}
	if len(args) < 60 {
		t.Fatalf("the refusals give only %d reasons; are they all made?", len(args))
	}
	for area, byLang := range web.MessageFiles(t) {
		for lang, msgs := range byLang {
			for id, forms := range msgs {
				m := reasonID.FindStringSubmatch(id)
				if m == nil {
					continue
				}
				n, used := args[m[1]]
				if !used {
					if lang == "en" { // the other languages have the same messages (TestMessagesComplete)
						t.Errorf("%s.en.json: %s is the wording of no reason the code gives; remove it from every language", area, id)
					}
					continue
				}
				for _, text := range forms {
					for _, m := range placeholder.FindAllStringSubmatch(text, -1) {
						if i, _ := strconv.Atoi(m[1]); i < 1 || i > n {
							t.Errorf("%s.%s.json: %s uses {{.A%s}}, but the reason has %d arguments", area, lang, id, m[1], n)
						}
					}
					if rest := placeholder.ReplaceAllString(text, ""); strings.Contains(rest, "{{") {
						t.Errorf("%s.%s.json: %s has data other than the reason's arguments: %q", area, lang, id, text)
					}
				}
			}
		}
	}
}
