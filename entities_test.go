package habeas_test

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/habeas-project/habeas"
)

// Synthetic identifiers shared by the tests; none names a real record.
const (
	srcA = "src_test0001"
	srcB = "src_test0002"
	perA = "per_test0001"
	incA = "inc_test0001"
	lawA = "law_test0001"
	detA = "det_test0001"
	casA = "cas_test0001"
	invA = "inv_test0001"
	asgA = "asg_test0001"
	evdA = "evd_test0001"
)

// t0 is the synthetic moment most fixtures hang off.
var t0 = time.Date(2022, 1, 5, 14, 30, 0, 0, time.UTC)

// wantField fails unless err is a validation error naming field.
func wantField(t *testing.T, err error, field string) {
	t.Helper()
	if err == nil {
		t.Fatalf("got no error, want an invalid error on %q", field)
	}
	if got := habeas.ErrorCode(err); got != habeas.EINVALID {
		t.Fatalf("error code: got %v, want %v (%v)", got, habeas.EINVALID, err)
	}
	var names []string
	for _, f := range habeas.ErrorFields(err) {
		if f.Field == field {
			return
		}
		names = append(names, f.Field)
	}
	t.Errorf("error fields: got %v, want one for %q (%v)", names, field, err)
}

// wantValid fails if err is not nil.
func wantValid(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatalf("got %v, want no error", err)
	}
}

func ptr[T any](v T) *T { return &v }

func validSource() *habeas.Source {
	return &habeas.Source{
		ID:              srcA,
		Kind:            habeas.SourceHotlineCall,
		Title:           "call from the detainee's sister (synthetic)",
		Reliability:     "B",
		Credibility:     2,
		ReceivedAt:      t0,
		ReceivedBy:      "caseworker.one",
		Confidentiality: habeas.ConfidentialityInternal,
	}
}

func validIncident() *habeas.Incident {
	return &habeas.Incident{
		ID:      incA,
		Kind:    habeas.IncidentProtest,
		Title:   "synthetic protest on the central square",
		City:    "almaty",
		Start:   t0.Add(-2 * time.Hour),
		End:     t0.Add(6 * time.Hour),
		Sources: []string{srcA},
	}
}

func validCasualty() *habeas.Casualty {
	return &habeas.Casualty{
		ID:         casA,
		Kind:       habeas.CasualtyInjured,
		PersonID:   perA,
		IncidentID: incA,
		At:         t0,
		Zone:       "Asia/Almaty",
		City:       "almaty",
		Cause:      "gunshot",
		Autopsy:    ptr(false),
		Sources:    []string{srcA},
	}
}

func validInvestigation() *habeas.Investigation {
	return &habeas.Investigation{
		ID:                  invA,
		CasualtyID:          casA,
		Authority:           "regional prosecutor's office (synthetic)",
		AuthorityImplicated: ptr(false),
		Opened:              t0.Add(48 * time.Hour),
		Status:              habeas.InvestigationOpen,
		Articles:            []string{"CC 146"},
		Sources:             []string{srcA},
	}
}

func validLawyer() *habeas.Lawyer {
	return &habeas.Lawyer{ID: lawA, Name: "Дана Примерова", City: "almaty", Languages: []string{"kk", "ru"}, Active: true}
}

func validAssignment() *habeas.Assignment {
	return &habeas.Assignment{
		ID:          asgA,
		LawyerID:    lawA,
		DetentionID: detA,
		Kind:        habeas.AssignmentLegalAid,
		From:        t0.Add(time.Hour),
		To:          t0.Add(72 * time.Hour),
		Sources:     []string{srcA},
	}
}

func validEvidence() *habeas.Evidence {
	return &habeas.Evidence{
		ID:       evdA,
		Kind:     "photo",
		Title:    "photo of bruises (synthetic)",
		PersonID: perA,
		SHA256:   strings.Repeat("ab", 32),
		Sources:  []string{srcA},
	}
}

func validUser() *habeas.User {
	return &habeas.User{Name: "caseworker.one", Role: habeas.RoleCaseworker, PasswordHash: "$argon2id$v=19$m=65536,t=1,p=2$c2FsdA$aGFzaA"}
}

// samples returns one valid, normalized entity of every kind.
func samples(t *testing.T) []habeas.Entity {
	t.Helper()
	es := []habeas.Entity{validSource(), validPerson(t), validIncident(), validLawyer(), validDetention(),
		validCasualty(), validInvestigation(), validAssignment(), validEvidence()}
	for _, e := range es {
		e.Normalize()
	}
	return es
}

func TestSamplesValid(t *testing.T) {
	for _, e := range samples(t) {
		t.Run(string(e.EntityKind()), func(t *testing.T) {
			wantValid(t, e.Validate())
		})
	}
	wantValid(t, validUser().Validate())
}

func TestError(t *testing.T) {
	invalid := &habeas.Error{Code: habeas.EINVALID, Message: "invalid person", Fields: []habeas.FieldError{
		{Field: "names", Reason: "at least one name is required"},
		{Field: "sex", Reason: "is wrong"},
	}}
	for _, tt := range []struct {
		name        string
		err         error
		wantCode    string
		wantMessage string
		wantFields  int
	}{
		{"nil", nil, "", "", 0},
		{"plain error", errors.New("disk on fire"), habeas.EINTERNAL, "internal error", 0},
		{"not found", habeas.Errorf(habeas.ENOTFOUND, "person %s not found", perA), habeas.ENOTFOUND, "person per_test0001 not found", 0},
		{"with fields", invalid, habeas.EINVALID, "invalid person: names: at least one name is required; sex: is wrong", 2},
		{"wrapped", fmt.Errorf("create: %w", invalid), habeas.EINVALID, "invalid person: names: at least one name is required; sex: is wrong", 2},
		{"fields without message", &habeas.Error{Code: habeas.EINVALID, Fields: []habeas.FieldError{{Field: "a", Reason: "b"}}}, habeas.EINVALID, "a: b", 1},
	} {
		t.Run(tt.name, func(t *testing.T) {
			if got := habeas.ErrorCode(tt.err); got != tt.wantCode {
				t.Errorf("ErrorCode: got %v, want %v", got, tt.wantCode)
			}
			if got := habeas.ErrorMessage(tt.err); got != tt.wantMessage {
				t.Errorf("ErrorMessage: got %v, want %v", got, tt.wantMessage)
			}
			if got := len(habeas.ErrorFields(tt.err)); got != tt.wantFields {
				t.Errorf("len(ErrorFields): got %v, want %v", got, tt.wantFields)
			}
		})
	}
}

func TestParseKind(t *testing.T) {
	for _, k := range habeas.Kinds {
		got, err := habeas.ParseKind(string(k))
		if err != nil || got != k {
			t.Errorf("ParseKind(%q): got %v, %v, want %v, nil", k, got, err, k)
		}
	}
	for _, s := range []string{"", "user", "Person", "persons"} {
		if _, err := habeas.ParseKind(s); habeas.ErrorCode(err) != habeas.EINVALID {
			t.Errorf("ParseKind(%q): got %v, want an invalid error", s, err)
		}
	}
}

func TestNewEntity(t *testing.T) {
	if got, want := len(habeas.Kinds), 10; got != want {
		t.Fatalf("len(Kinds): got %v, want %v", got, want)
	}
	for _, k := range habeas.Kinds {
		e, err := habeas.NewEntity(k)
		if err != nil {
			t.Fatalf("NewEntity(%q): %v", k, err)
		}
		if got := e.EntityKind(); got != k {
			t.Errorf("NewEntity(%q).EntityKind(): got %v, want %v", k, got, k)
		}
		id := habeas.NewID(k)
		e.SetID(id)
		if got := e.GetID(); got != id {
			t.Errorf("%s GetID after SetID: got %v, want %v", k, got, id)
		}
	}
	if _, err := habeas.NewEntity("user"); habeas.ErrorCode(err) != habeas.EINVALID {
		t.Errorf("NewEntity(user): got %v, want an invalid error", err)
	}
}

func TestNewID(t *testing.T) {
	for _, k := range habeas.Kinds {
		t.Run(string(k), func(t *testing.T) {
			id := habeas.NewID(k)
			if !habeas.ValidID(k, id) {
				t.Errorf("ValidID(%q, %q): got false, want true", k, id)
			}
			if got, ok := habeas.KindOfID(id); !ok || got != k {
				t.Errorf("KindOfID(%q): got %v, %v, want %v, true", id, got, ok, k)
			}
			if other := habeas.NewID(k); other == id {
				t.Errorf("NewID twice: got %v both times, want different identifiers", id)
			}
			for _, o := range habeas.Kinds {
				if o != k && habeas.ValidID(o, id) {
					t.Errorf("ValidID(%q, %q): got true, want false", o, id)
				}
			}
		})
	}
}

func TestValidID(t *testing.T) {
	for _, tt := range []struct {
		name string
		kind habeas.Kind
		id   string
		want bool
	}{
		{"ok", habeas.KindPerson, "per_abcd", true},
		{"digits", habeas.KindPerson, "per_0123456789", true},
		{"forty characters", habeas.KindPerson, "per_" + strings.Repeat("a", 40), true},
		{"too long", habeas.KindPerson, "per_" + strings.Repeat("a", 41), false},
		{"too short", habeas.KindPerson, "per_abc", false},
		{"upper case", habeas.KindPerson, "per_ABCD", false},
		{"wrong prefix", habeas.KindPerson, "det_abcd", false},
		{"no separator", habeas.KindPerson, "perabcd1", false},
		{"empty", habeas.KindPerson, "", false},
		{"trailing space", habeas.KindPerson, "per_abcd ", false},
		{"dash", habeas.KindSource, "src_ab-cd", false},
	} {
		t.Run(tt.name, func(t *testing.T) {
			if got := habeas.ValidID(tt.kind, tt.id); got != tt.want {
				t.Errorf("ValidID(%q, %q): got %v, want %v", tt.kind, tt.id, got, tt.want)
			}
		})
	}
}

func TestKindOfID(t *testing.T) {
	for _, tt := range []struct {
		id     string
		want   habeas.Kind
		wantOK bool
	}{
		{"per_abcd", habeas.KindPerson, true},
		{"src_x", habeas.KindSource, true},
		{"inc_abcd", habeas.KindIncident, true},
		{"det_abcd", habeas.KindDetention, true},
		{"cas_abcd", habeas.KindCasualty, true},
		{"inv_abcd", habeas.KindInvestigation, true},
		{"law_abcd", habeas.KindLawyer, true},
		{"asg_abcd", habeas.KindAssignment, true},
		{"evd_abcd", habeas.KindEvidence, true},
		{"usr_abcd", "", false},
		{"perabcd", "", false},
		{"", "", false},
	} {
		t.Run(tt.id, func(t *testing.T) {
			got, ok := habeas.KindOfID(tt.id)
			if got != tt.want || ok != tt.wantOK {
				t.Errorf("KindOfID(%q): got %v, %v, want %v, %v", tt.id, got, ok, tt.want, tt.wantOK)
			}
		})
	}
}

// TestKindsDependencyOrder checks what Kinds promises: every kind refers only
// to kinds listed before it.
func TestKindsDependencyOrder(t *testing.T) {
	pos := map[habeas.Kind]int{}
	for i, k := range habeas.Kinds {
		pos[k] = i
	}
	for _, e := range samples(t) {
		for _, r := range e.Refs() {
			if pos[r.Kind] >= pos[e.EntityKind()] {
				t.Errorf("%s refers to %s at %s: got position %d, want before %d", e.EntityKind(), r.Kind, r.Field, pos[r.Kind], pos[e.EntityKind()])
			}
			if !habeas.ValidID(r.Kind, r.ID) {
				t.Errorf("%s ref %s: got id %q, want a %s identifier", e.EntityKind(), r.Field, r.ID, r.Kind)
			}
		}
	}
}

func TestSourceValidate(t *testing.T) {
	for _, tt := range []struct {
		name   string
		mutate func(*habeas.Source)
		field  string
	}{
		{"bad id", func(s *habeas.Source) { s.ID = "per_test0001" }, "id"},
		{"no kind", func(s *habeas.Source) { s.Kind = "" }, "kind"},
		{"unknown kind", func(s *habeas.Source) { s.Kind = "rumour" }, "kind"},
		{"no title", func(s *habeas.Source) { s.Title = "  " }, "title"},
		{"title too long", func(s *habeas.Source) { s.Title = strings.Repeat("я", 301) }, "title"},
		{"no reliability", func(s *habeas.Source) { s.Reliability = "" }, "reliability"},
		{"reliability G", func(s *habeas.Source) { s.Reliability = "G" }, "reliability"},
		{"reliability lower case", func(s *habeas.Source) { s.Reliability = "b" }, "reliability"},
		{"credibility 0", func(s *habeas.Source) { s.Credibility = 0 }, "credibility"},
		{"credibility 7", func(s *habeas.Source) { s.Credibility = 7 }, "credibility"},
		{"no received_at", func(s *habeas.Source) { s.ReceivedAt = time.Time{} }, "received_at"},
		{"received_at before 1900", func(s *habeas.Source) { s.ReceivedAt = time.Date(1899, 12, 31, 0, 0, 0, 0, time.UTC) }, "received_at"},
		{"received_at after 2200", func(s *habeas.Source) { s.ReceivedAt = time.Date(2201, 1, 1, 0, 0, 0, 0, time.UTC) }, "received_at"},
		{"no confidentiality", func(s *habeas.Source) { s.Confidentiality = "" }, "confidentiality"},
		{"unknown confidentiality", func(s *habeas.Source) { s.Confidentiality = "secret" }, "confidentiality"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			s := validSource()
			tt.mutate(s)
			wantField(t, s.Validate(), tt.field)
		})
	}
	for _, tt := range []struct {
		name   string
		mutate func(*habeas.Source)
	}{
		{"no id", func(s *habeas.Source) { s.ID = "" }},
		{"title of 300", func(s *habeas.Source) { s.Title = strings.Repeat("я", 300) }},
		{"A1", func(s *habeas.Source) { s.Reliability, s.Credibility = "A", 1 }},
		{"F6", func(s *habeas.Source) { s.Reliability, s.Credibility = "F", 6 }},
		{"restricted", func(s *habeas.Source) { s.Confidentiality = habeas.ConfidentialityRestricted }},
	} {
		t.Run(tt.name, func(t *testing.T) {
			s := validSource()
			tt.mutate(s)
			wantValid(t, s.Validate())
		})
	}
}

func TestSourceNormalize(t *testing.T) {
	almaty, err := time.LoadLocation("Asia/Almaty")
	if err != nil {
		t.Fatal(err)
	}
	s := &habeas.Source{Title: "  list from the police  ", Reliability: " c ", ReceivedAt: time.Date(2022, 1, 6, 9, 0, 0, 0, almaty)}
	s.Normalize()
	if got, want := s.Title, "list from the police"; got != want {
		t.Errorf("Title: got %q, want %q", got, want)
	}
	if got, want := s.Reliability, "C"; got != want {
		t.Errorf("Reliability: got %q, want %q", got, want)
	}
	if got, want := s.ReceivedAt, time.Date(2022, 1, 6, 3, 0, 0, 0, time.UTC); got != want {
		t.Errorf("ReceivedAt: got %v, want %v", got, want)
	}
	if got, want := s.Confidentiality, habeas.ConfidentialityInternal; got != want {
		t.Errorf("Confidentiality: got %v, want %v", got, want)
	}
	s = &habeas.Source{Confidentiality: habeas.ConfidentialityOpen}
	s.Normalize()
	if got, want := s.Confidentiality, habeas.ConfidentialityOpen; got != want {
		t.Errorf("Confidentiality kept: got %v, want %v", got, want)
	}
}

func TestSourceGradeAndRefs(t *testing.T) {
	s := validSource()
	if got, want := s.Grade(), "B2"; got != want {
		t.Errorf("Grade: got %v, want %v", got, want)
	}
	if got := s.Refs(); len(got) != 0 {
		t.Errorf("Refs: got %v, want none", got)
	}
	if got, want := s.SourceIDs(), []string{srcA}; !slices.Equal(got, want) {
		t.Errorf("SourceIDs: got %v, want %v", got, want)
	}
	if got := (&habeas.Source{}).SourceIDs(); got != nil {
		t.Errorf("SourceIDs without id: got %v, want nil", got)
	}
}

func TestIncidentValidate(t *testing.T) {
	for _, tt := range []struct {
		name   string
		mutate func(*habeas.Incident)
		field  string
	}{
		{"bad id", func(i *habeas.Incident) { i.ID = "inc_X" }, "id"},
		{"no kind", func(i *habeas.Incident) { i.Kind = "" }, "kind"},
		{"unknown kind", func(i *habeas.Incident) { i.Kind = "riot" }, "kind"},
		{"no title", func(i *habeas.Incident) { i.Title = "" }, "title"},
		{"no city", func(i *habeas.Incident) { i.City = "" }, "city"},
		{"unknown city", func(i *habeas.Incident) { i.City = "atlantis" }, "city"},
		{"no start", func(i *habeas.Incident) { i.Start = time.Time{} }, "start"},
		{"start out of range", func(i *habeas.Incident) { i.Start = time.Date(1850, 1, 1, 0, 0, 0, 0, time.UTC) }, "start"},
		{"end out of range", func(i *habeas.Incident) { i.End = time.Date(2300, 1, 1, 0, 0, 0, 0, time.UTC) }, "end"},
		{"end before start", func(i *habeas.Incident) { i.End = i.Start.Add(-time.Minute) }, "end"},
		{"bad source", func(i *habeas.Incident) { i.Sources = []string{srcA, "per_test0001"} }, "sources[1]"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			i := validIncident()
			tt.mutate(i)
			wantField(t, i.Validate(), tt.field)
		})
	}
	for _, tt := range []struct {
		name   string
		mutate func(*habeas.Incident)
	}{
		{"open ended", func(i *habeas.Incident) { i.End = time.Time{} }},
		{"instant", func(i *habeas.Incident) { i.End = i.Start }},
		{"operation", func(i *habeas.Incident) { i.Kind = habeas.IncidentOperation }},
		{"clash", func(i *habeas.Incident) { i.Kind = habeas.IncidentClash }},
	} {
		t.Run(tt.name, func(t *testing.T) {
			i := validIncident()
			tt.mutate(i)
			wantValid(t, i.Validate())
		})
	}
}

func TestIncidentNormalize(t *testing.T) {
	aqtau, err := time.LoadLocation("Asia/Aqtau")
	if err != nil {
		t.Fatal(err)
	}
	i := &habeas.Incident{Title: " clash at the gate ", Start: time.Date(2022, 1, 5, 10, 0, 0, 0, aqtau), Sources: []string{srcB, srcA, srcB, ""}}
	i.Normalize()
	if got, want := i.Title, "clash at the gate"; got != want {
		t.Errorf("Title: got %q, want %q", got, want)
	}
	if got, want := i.Start, time.Date(2022, 1, 5, 5, 0, 0, 0, time.UTC); got != want {
		t.Errorf("Start: got %v, want %v", got, want)
	}
	if !i.End.IsZero() {
		t.Errorf("End: got %v, want the zero time", i.End)
	}
	if got, want := i.Sources, []string{srcA, srcB}; !slices.Equal(got, want) {
		t.Errorf("Sources: got %v, want %v", got, want)
	}
	if got, want := i.SourceIDs(), []string{srcA, srcB}; !slices.Equal(got, want) {
		t.Errorf("SourceIDs: got %v, want %v", got, want)
	}
	if got, want := len(i.Refs()), 2; got != want {
		t.Errorf("len(Refs): got %v, want %v", got, want)
	}
}

func TestCasualtyValidate(t *testing.T) {
	for _, tt := range []struct {
		name   string
		mutate func(*habeas.Casualty)
		field  string
	}{
		{"bad id", func(c *habeas.Casualty) { c.ID = "det_test0001" }, "id"},
		{"no kind", func(c *habeas.Casualty) { c.Kind = "" }, "kind"},
		{"unknown kind", func(c *habeas.Casualty) { c.Kind = "missing" }, "kind"},
		{"no person", func(c *habeas.Casualty) { c.PersonID = "" }, "person_id"},
		{"bad person", func(c *habeas.Casualty) { c.PersonID = srcA }, "person_id"},
		{"bad incident", func(c *habeas.Casualty) { c.IncidentID = perA }, "incident_id"},
		{"bad detention", func(c *habeas.Casualty) { c.DetentionID = "det_" }, "detention_id"},
		{"no time", func(c *habeas.Casualty) { c.At = time.Time{} }, "at"},
		{"time out of range", func(c *habeas.Casualty) { c.At = time.Date(1800, 1, 1, 0, 0, 0, 0, time.UTC) }, "at"},
		{"bad zone", func(c *habeas.Casualty) { c.Zone = "Asia/Atlantis" }, "zone"},
		{"host zone", func(c *habeas.Casualty) { c.Zone = "Local" }, "zone"},
		{"no city", func(c *habeas.Casualty) { c.City = "" }, "city"},
		{"unknown city", func(c *habeas.Casualty) { c.City = "Almaty" }, "city"},
		{"unknown cause", func(c *habeas.Casualty) { c.Cause = "bad luck" }, "cause"},
		{"bad source", func(c *habeas.Casualty) { c.Sources = []string{"src_"} }, "sources[0]"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			c := validCasualty()
			tt.mutate(c)
			wantField(t, c.Validate(), tt.field)
		})
	}
	for _, tt := range []struct {
		name   string
		mutate func(*habeas.Casualty)
	}{
		{"killed in custody", func(c *habeas.Casualty) { c.Kind, c.DetentionID = habeas.CasualtyKilled, detA }},
		{"no cause", func(c *habeas.Casualty) { c.Cause = "" }},
		{"no zone", func(c *habeas.Casualty) { c.Zone = "" }},
		{"unknown facts", func(c *habeas.Casualty) { c.BodyReturned, c.Autopsy = nil, nil }},
	} {
		t.Run(tt.name, func(t *testing.T) {
			c := validCasualty()
			tt.mutate(c)
			wantValid(t, c.Validate())
		})
	}
}

func TestCasualtyNormalize(t *testing.T) {
	for _, tt := range []struct {
		name     string
		city     string
		zone     string
		wantZone string
	}{
		{"zone from aktau", "aktau", "", "Asia/Aqtau"},
		{"zone from almaty", "almaty", "", "Asia/Almaty"},
		{"zone from zhanaozen", "zhanaozen", "", "Asia/Aqtau"},
		{"zone kept", "aktau", "Asia/Almaty", "Asia/Almaty"},
		{"unknown city", "atlantis", "", ""},
	} {
		t.Run(tt.name, func(t *testing.T) {
			c := &habeas.Casualty{City: tt.city, Zone: tt.zone, Cause: " gunshot\n", At: time.Date(2022, 1, 5, 12, 0, 0, 0, time.FixedZone("+05", 5*3600))}
			c.Normalize()
			if c.Zone != tt.wantZone {
				t.Errorf("Zone: got %q, want %q", c.Zone, tt.wantZone)
			}
			if got, want := c.Cause, "gunshot"; got != want {
				t.Errorf("Cause: got %q, want %q", got, want)
			}
			if got, want := c.At, time.Date(2022, 1, 5, 7, 0, 0, 0, time.UTC); got != want {
				t.Errorf("At: got %v, want %v", got, want)
			}
		})
	}
}

func TestCasualtyRefs(t *testing.T) {
	c := validCasualty()
	c.DetentionID = detA
	want := []habeas.Ref{
		{Field: "person_id", Kind: habeas.KindPerson, ID: perA},
		{Field: "incident_id", Kind: habeas.KindIncident, ID: incA},
		{Field: "detention_id", Kind: habeas.KindDetention, ID: detA},
		{Field: "sources", Kind: habeas.KindSource, ID: srcA},
	}
	if got := c.Refs(); !slices.Equal(got, want) {
		t.Errorf("Refs: got %v, want %v", got, want)
	}
	c.IncidentID, c.DetentionID, c.Sources = "", "", nil
	if got, want := c.Refs(), want[:1]; !slices.Equal(got, want) {
		t.Errorf("Refs without optional: got %v, want %v", got, want)
	}
}

func TestInvestigationValidate(t *testing.T) {
	ofAllegation := func(i *habeas.Investigation) {
		i.CasualtyID, i.DetentionID, i.AllegationEventID = "", detA, "e4"
	}
	for _, tt := range []struct {
		name   string
		mutate func(*habeas.Investigation)
		field  string
	}{
		{"bad id", func(i *habeas.Investigation) { i.ID = "inv-1" }, "id"},
		{"of nothing", func(i *habeas.Investigation) { i.CasualtyID = "" }, "casualty_id"},
		{"of both", func(i *habeas.Investigation) { i.DetentionID, i.AllegationEventID = detA, "e1" }, "detention_id"},
		{"bad casualty", func(i *habeas.Investigation) { i.CasualtyID = perA }, "casualty_id"},
		{"bad detention", func(i *habeas.Investigation) { ofAllegation(i); i.DetentionID = casA }, "detention_id"},
		{"no allegation event", func(i *habeas.Investigation) { ofAllegation(i); i.AllegationEventID = "" }, "allegation_event_id"},
		{"bad allegation event", func(i *habeas.Investigation) { ofAllegation(i); i.AllegationEventID = "event4" }, "allegation_event_id"},
		{"no authority", func(i *habeas.Investigation) { i.Authority = " " }, "authority"},
		{"no status", func(i *habeas.Investigation) { i.Status = "" }, "status"},
		{"unknown status", func(i *habeas.Investigation) { i.Status = "forgotten" }, "status"},
		{"opened out of range", func(i *habeas.Investigation) { i.Opened = time.Date(2500, 1, 1, 0, 0, 0, 0, time.UTC) }, "opened"},
		{"open without date", func(i *habeas.Investigation) { i.Opened = time.Time{} }, "opened"},
		{"closed without date", func(i *habeas.Investigation) { i.Status, i.Opened = habeas.InvestigationClosed, time.Time{} }, "opened"},
		{"empty article", func(i *habeas.Investigation) { i.Articles = []string{"CC 146", ""} }, "articles[1]"},
		{"bad source", func(i *habeas.Investigation) { i.Sources = []string{srcA, srcB, "x"} }, "sources[2]"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			i := validInvestigation()
			tt.mutate(i)
			wantField(t, i.Validate(), tt.field)
		})
	}
	for _, tt := range []struct {
		name   string
		mutate func(*habeas.Investigation)
	}{
		{"of an allegation", ofAllegation},
		{"requested without date", func(i *habeas.Investigation) { i.Status, i.Opened = habeas.InvestigationRequested, time.Time{} }},
		{"refused without date", func(i *habeas.Investigation) { i.Status, i.Opened = habeas.InvestigationRefused, time.Time{} }},
		{"no articles", func(i *habeas.Investigation) { i.Articles = nil }},
	} {
		t.Run(tt.name, func(t *testing.T) {
			i := validInvestigation()
			tt.mutate(i)
			wantValid(t, i.Validate())
		})
	}
}

func TestInvestigationRefs(t *testing.T) {
	i := validInvestigation()
	want := []habeas.Ref{{Field: "casualty_id", Kind: habeas.KindCasualty, ID: casA}, {Field: "sources", Kind: habeas.KindSource, ID: srcA}}
	if got := i.Refs(); !slices.Equal(got, want) {
		t.Errorf("Refs: got %v, want %v", got, want)
	}
	i.CasualtyID, i.DetentionID, i.Sources = "", detA, nil
	want = []habeas.Ref{{Field: "detention_id", Kind: habeas.KindDetention, ID: detA}}
	if got := i.Refs(); !slices.Equal(got, want) {
		t.Errorf("Refs: got %v, want %v", got, want)
	}
	i.Opened = time.Date(2022, 1, 7, 12, 0, 0, 0, time.FixedZone("+06", 6*3600))
	i.Sources = []string{srcB, srcA, srcA}
	i.Normalize()
	if got, want := i.Opened, time.Date(2022, 1, 7, 6, 0, 0, 0, time.UTC); got != want {
		t.Errorf("Opened: got %v, want %v", got, want)
	}
	if got, want := i.SourceIDs(), []string{srcA, srcB}; !slices.Equal(got, want) {
		t.Errorf("SourceIDs: got %v, want %v", got, want)
	}
}

func TestLawyerValidate(t *testing.T) {
	for _, tt := range []struct {
		name   string
		mutate func(*habeas.Lawyer)
		field  string
	}{
		{"bad id", func(l *habeas.Lawyer) { l.ID = perA }, "id"},
		{"no name", func(l *habeas.Lawyer) { l.Name = "" }, "name"},
		{"name too long", func(l *habeas.Lawyer) { l.Name = strings.Repeat("ә", 201) }, "name"},
		{"unknown city", func(l *habeas.Lawyer) { l.City = "springfield" }, "city"},
		{"bar too long", func(l *habeas.Lawyer) { l.Bar = strings.Repeat("ә", 201) }, "bar"},
		{"phone too long", func(l *habeas.Lawyer) { l.Phone = strings.Repeat("7", 51) }, "phone"},
		{"language name", func(l *habeas.Lawyer) { l.Languages = []string{"kk", "Russian"} }, "languages[1]"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			l := validLawyer()
			tt.mutate(l)
			wantField(t, l.Validate(), tt.field)
		})
	}
	for _, tt := range []struct {
		name   string
		mutate func(*habeas.Lawyer)
	}{
		{"no city", func(l *habeas.Lawyer) { l.City = "" }},
		{"name of 200", func(l *habeas.Lawyer) { l.Name = strings.Repeat("ә", 200) }},
		{"three-letter language", func(l *habeas.Lawyer) { l.Languages = []string{"kaa"} }},
	} {
		t.Run(tt.name, func(t *testing.T) {
			l := validLawyer()
			tt.mutate(l)
			wantValid(t, l.Validate())
		})
	}
	l := &habeas.Lawyer{Name: "  Дана \t Примерова\n"}
	l.Normalize()
	if got, want := l.Name, "Дана Примерова"; got != want {
		t.Errorf("Normalize Name: got %q, want %q", got, want)
	}
	if l.Refs() != nil || l.SourceIDs() != nil {
		t.Errorf("Refs, SourceIDs: got %v, %v, want nil, nil", l.Refs(), l.SourceIDs())
	}
}

func TestAssignmentValidate(t *testing.T) {
	for _, tt := range []struct {
		name   string
		mutate func(*habeas.Assignment)
		field  string
	}{
		{"bad id", func(a *habeas.Assignment) { a.ID = lawA }, "id"},
		{"no lawyer", func(a *habeas.Assignment) { a.LawyerID = "" }, "lawyer_id"},
		{"bad lawyer", func(a *habeas.Assignment) { a.LawyerID = perA }, "lawyer_id"},
		{"no detention", func(a *habeas.Assignment) { a.DetentionID = "" }, "detention_id"},
		{"bad detention", func(a *habeas.Assignment) { a.DetentionID = casA }, "detention_id"},
		{"no kind", func(a *habeas.Assignment) { a.Kind = "" }, "kind"},
		{"unknown kind", func(a *habeas.Assignment) { a.Kind = "pro_bono" }, "kind"},
		{"no from", func(a *habeas.Assignment) { a.From = time.Time{} }, "from"},
		{"to out of range", func(a *habeas.Assignment) { a.To = time.Date(2201, 1, 1, 0, 0, 0, 0, time.UTC) }, "to"},
		{"to before from", func(a *habeas.Assignment) { a.To = a.From.Add(-time.Second) }, "to"},
		{"bad source", func(a *habeas.Assignment) { a.Sources = []string{"SRC_TEST0001"} }, "sources[0]"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			a := validAssignment()
			tt.mutate(a)
			wantField(t, a.Validate(), tt.field)
		})
	}
	for _, tt := range []struct {
		name   string
		mutate func(*habeas.Assignment)
	}{
		{"open ended", func(a *habeas.Assignment) { a.To = time.Time{} }},
		{"retained", func(a *habeas.Assignment) { a.Kind = habeas.AssignmentRetained }},
		{"appointed", func(a *habeas.Assignment) { a.Kind = habeas.AssignmentAppointed }},
	} {
		t.Run(tt.name, func(t *testing.T) {
			a := validAssignment()
			tt.mutate(a)
			wantValid(t, a.Validate())
		})
	}
}

func TestAssignmentActiveAt(t *testing.T) {
	from, to := t0, t0.Add(24*time.Hour)
	for _, tt := range []struct {
		name string
		to   time.Time
		at   time.Time
		want bool
	}{
		{"before", to, from.Add(-time.Second), false},
		{"at from", to, from, true},
		{"between", to, from.Add(time.Hour), true},
		{"at to", to, to, false},
		{"after", to, to.Add(time.Hour), false},
		{"open ended, years later", time.Time{}, from.AddDate(3, 0, 0), true},
		{"open ended, before", time.Time{}, from.Add(-time.Second), false},
	} {
		t.Run(tt.name, func(t *testing.T) {
			a := &habeas.Assignment{From: from, To: tt.to}
			if got := a.ActiveAt(tt.at); got != tt.want {
				t.Errorf("ActiveAt(%v): got %v, want %v", tt.at, got, tt.want)
			}
		})
	}
}

func TestAssignmentRefs(t *testing.T) {
	a := validAssignment()
	want := []habeas.Ref{
		{Field: "lawyer_id", Kind: habeas.KindLawyer, ID: lawA},
		{Field: "detention_id", Kind: habeas.KindDetention, ID: detA},
		{Field: "sources", Kind: habeas.KindSource, ID: srcA},
	}
	if got := a.Refs(); !slices.Equal(got, want) {
		t.Errorf("Refs: got %v, want %v", got, want)
	}
}

func TestEvidenceValidate(t *testing.T) {
	for _, tt := range []struct {
		name   string
		mutate func(*habeas.Evidence)
		field  string
	}{
		{"bad id", func(e *habeas.Evidence) { e.ID = "evd_!" }, "id"},
		{"no kind", func(e *habeas.Evidence) { e.Kind = "" }, "kind"},
		{"unknown kind", func(e *habeas.Evidence) { e.Kind = "hologram" }, "kind"},
		{"no title", func(e *habeas.Evidence) { e.Title = "" }, "title"},
		{"concerns nothing", func(e *habeas.Evidence) { e.PersonID = "" }, "person_id"},
		{"bad person", func(e *habeas.Evidence) { e.PersonID = detA }, "person_id"},
		{"bad detention", func(e *habeas.Evidence) { e.DetentionID = perA }, "detention_id"},
		{"bad casualty", func(e *habeas.Evidence) { e.CasualtyID = perA }, "casualty_id"},
		{"collected out of range", func(e *habeas.Evidence) { e.CollectedAt = time.Date(1066, 10, 14, 0, 0, 0, 0, time.UTC) }, "collected_at"},
		{"sha256 too short", func(e *habeas.Evidence) { e.SHA256 = strings.Repeat("a", 63) }, "sha256"},
		{"sha256 upper case", func(e *habeas.Evidence) { e.SHA256 = strings.Repeat("AB", 32) }, "sha256"},
		{"sha256 not hex", func(e *habeas.Evidence) { e.SHA256 = strings.Repeat("g", 64) }, "sha256"},
		{"bad source", func(e *habeas.Evidence) { e.Sources = []string{srcA, ""} }, "sources[1]"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			e := validEvidence()
			tt.mutate(e)
			wantField(t, e.Validate(), tt.field)
		})
	}
	for _, tt := range []struct {
		name   string
		mutate func(*habeas.Evidence)
	}{
		{"of a detention", func(e *habeas.Evidence) { e.PersonID, e.DetentionID = "", detA }},
		{"of a casualty", func(e *habeas.Evidence) { e.PersonID, e.CasualtyID = "", casA }},
		{"no file", func(e *habeas.Evidence) { e.SHA256 = "" }},
		{"collected", func(e *habeas.Evidence) { e.CollectedAt = t0 }},
	} {
		t.Run(tt.name, func(t *testing.T) {
			e := validEvidence()
			tt.mutate(e)
			wantValid(t, e.Validate())
		})
	}
}

func TestEvidenceNormalize(t *testing.T) {
	e := validEvidence()
	e.Title = "\tmedical report "
	e.SHA256 = " " + strings.Repeat("AB", 32) + "\n"
	e.CollectedAt = time.Date(2022, 1, 8, 10, 0, 0, 0, time.FixedZone("+06", 6*3600))
	e.Sources = []string{srcB, srcA, srcB}
	e.Normalize()
	wantValid(t, e.Validate())
	if got, want := e.Title, "medical report"; got != want {
		t.Errorf("Title: got %q, want %q", got, want)
	}
	if got, want := e.SHA256, strings.Repeat("ab", 32); got != want {
		t.Errorf("SHA256: got %q, want %q", got, want)
	}
	if got, want := e.CollectedAt, time.Date(2022, 1, 8, 4, 0, 0, 0, time.UTC); got != want {
		t.Errorf("CollectedAt: got %v, want %v", got, want)
	}
	if got, want := e.SourceIDs(), []string{srcA, srcB}; !slices.Equal(got, want) {
		t.Errorf("SourceIDs: got %v, want %v", got, want)
	}
	e.DetentionID, e.CasualtyID = detA, casA
	want := []habeas.Ref{
		{Field: "person_id", Kind: habeas.KindPerson, ID: perA},
		{Field: "detention_id", Kind: habeas.KindDetention, ID: detA},
		{Field: "casualty_id", Kind: habeas.KindCasualty, ID: casA},
		{Field: "sources", Kind: habeas.KindSource, ID: srcA},
		{Field: "sources", Kind: habeas.KindSource, ID: srcB},
	}
	if got := e.Refs(); !slices.Equal(got, want) {
		t.Errorf("Refs: got %v, want %v", got, want)
	}
}

func TestUserValidate(t *testing.T) {
	for _, tt := range []struct {
		name   string
		mutate func(*habeas.User)
		field  string
	}{
		{"no name", func(u *habeas.User) { u.Name = "" }, "name"},
		{"one letter", func(u *habeas.User) { u.Name = "a" }, "name"},
		{"41 characters", func(u *habeas.User) { u.Name = "a" + strings.Repeat("b", 40) }, "name"},
		{"upper case", func(u *habeas.User) { u.Name = "Admin" }, "name"},
		{"starts with a digit", func(u *habeas.User) { u.Name = "1admin" }, "name"},
		{"space", func(u *habeas.User) { u.Name = "case worker" }, "name"},
		{"cyrillic", func(u *habeas.User) { u.Name = "админ" }, "name"},
		{"no role", func(u *habeas.User) { u.Role = "" }, "role"},
		{"unknown role", func(u *habeas.User) { u.Role = "root" }, "role"},
		{"no password hash", func(u *habeas.User) { u.PasswordHash = " " }, "password_hash"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			u := validUser()
			tt.mutate(u)
			wantField(t, u.Validate(), tt.field)
		})
	}
	for _, tt := range []struct {
		name string
		user string
		role habeas.Role
	}{
		{"two characters", "ab", habeas.RoleAdmin},
		{"40 characters", "a" + strings.Repeat("b", 39), habeas.RoleViewer},
		{"punctuation", "a.b-c_d9", habeas.RoleLawyer},
		{"coordinator", "coord", habeas.RoleCoordinator},
	} {
		t.Run(tt.name, func(t *testing.T) {
			u := validUser()
			u.Name, u.Role = tt.user, tt.role
			wantValid(t, u.Validate())
		})
	}
}

func TestCities(t *testing.T) {
	keys := habeas.CityKeys()
	if !slices.IsSorted(keys) {
		t.Errorf("CityKeys: got %v, want sorted", keys)
	}
	if got, want := len(keys), len(habeas.Cities); got != want {
		t.Errorf("len(CityKeys): got %v, want %v", got, want)
	}
	for _, c := range habeas.Cities {
		if loc := c.Location(); loc.String() != c.Zone {
			t.Errorf("%s Location: got %v, want %v", c.Key, loc, c.Zone)
		}
		if c.Name["en"] == "" || c.Name["ru"] == "" || c.Name["kk"] == "" {
			t.Errorf("%s: got names %v, want en, ru and kk", c.Key, c.Name)
		}
	}
	if got := (&habeas.City{Zone: "Nowhere/Nothing"}).Location(); got != time.UTC {
		t.Errorf("Location of an unknown zone: got %v, want UTC", got)
	}
	for _, tt := range []struct {
		key, lang, want string
	}{
		{"aktau", "kk", "Ақтау"},
		{"aktau", "ru", "Актау"},
		{"oral", "en", "Oral (Uralsk)"},
		{"oral", "de", "Oral (Uralsk)"},
		{"gotham", "en", "gotham"},
	} {
		t.Run(tt.key+"/"+tt.lang, func(t *testing.T) {
			if got := habeas.CityName(tt.key, tt.lang); got != tt.want {
				t.Errorf("CityName(%q, %q): got %v, want %v", tt.key, tt.lang, got, tt.want)
			}
		})
	}
	if c, ok := habeas.FindCity("zhanaozen"); !ok || c.Zone != "Asia/Aqtau" || c.Region != "Mangystau" {
		t.Errorf("FindCity(zhanaozen): got %v, %v, want Mangystau in Asia/Aqtau", c, ok)
	}
	if _, ok := habeas.FindCity("Almaty"); ok {
		t.Errorf("FindCity(Almaty): got found, want keys to be case-sensitive")
	}
}
