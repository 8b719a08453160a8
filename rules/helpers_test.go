package rules_test

import (
	"slices"
	"strings"
	"sync"
	"testing"
	"time"
	_ "time/tzdata" // zone rules from the binary, not the host

	"github.com/habeas-project/habeas"
	"github.com/habeas-project/habeas/rules"
)

// Synthetic identifiers: no real person, detention or source.
const (
	testDetention = "det_test0001"
	testPerson    = "per_test0001"
)

// loadEngine builds the engine over the real embedded packs once.
var loadEngine = sync.OnceValues(func() (*rules.Engine, error) {
	packs, err := rules.DefaultPacks()
	if err != nil {
		return nil, err
	}
	return rules.NewEngine(packs...)
})

// newEngine returns the engine over the embedded packs.
func newEngine(tb testing.TB) *rules.Engine {
	tb.Helper()
	e, err := loadEngine()
	if err != nil {
		tb.Fatalf("engine over the default packs: %v", err)
	}
	return e
}

// local returns the instant of a wall-clock time in the time zone of city.
func local(tb testing.TB, city string, year int, month time.Month, day, hour, min int) time.Time {
	tb.Helper()
	c, ok := habeas.FindCity(city)
	if !ok {
		tb.Fatalf("unknown city %q", city)
	}
	return time.Date(year, month, day, hour, min, 0, 0, c.Location()).UTC()
}

// ev returns an event of the given type at the given time; opts fill in the rest.
func ev(typ habeas.EventType, at time.Time, opts ...func(*habeas.Event)) habeas.Event {
	e := habeas.Event{Type: typ, At: at}
	switch typ { // the detail each type needs to be valid
	case habeas.EventCourtAppearance:
		e.Decision = &habeas.Decision{Kind: habeas.DecisionCustody, Days: 60}
	case habeas.EventCharge:
		e.Charge = &habeas.Charge{Code: "CC", Article: "272", Part: "2"}
	}
	for _, o := range opts {
		o(&e)
	}
	return e
}

// withID gives an event a fixed identifier.
func withID(id string) func(*habeas.Event) { return func(e *habeas.Event) { e.ID = id } }

// withSources sets the sources of an event.
func withSources(ids ...string) func(*habeas.Event) {
	return func(e *habeas.Event) { e.Sources = ids }
}

// withDecision sets the decision of a court appearance.
func withDecision(kind habeas.DecisionKind, days int) func(*habeas.Event) {
	return func(e *habeas.Event) { e.Decision = &habeas.Decision{Kind: kind, Days: days} }
}

// withCharge sets the charge of a charge event: "272", "380" part "3".
func withCharge(article, part string) func(*habeas.Event) {
	return func(e *habeas.Event) { e.Charge = &habeas.Charge{Code: "CC", Article: article, Part: part} }
}

// withCAO sets a Code of Administrative Offences charge: "488", part "6".
func withCAO(article, part string) func(*habeas.Event) {
	return func(e *habeas.Event) { e.Charge = &habeas.Charge{Code: "CAO", Article: article, Part: part} }
}

// detention returns a normalized detention in city on the given procedure;
// events without an id are numbered e1, e2... in the order given.
func detention(tb testing.TB, city string, proc habeas.Procedure, events ...habeas.Event) *habeas.Detention {
	tb.Helper()
	d := &habeas.Detention{ID: testDetention, PersonID: testPerson, City: city, Procedure: proc, Events: events}
	d.Normalize()
	if err := d.Validate(); err != nil {
		tb.Fatalf("synthetic detention is invalid: %v", err)
	}
	return d
}

// adult returns a person of 31 in 2022, a citizen of Kazakhstan.
func adult() *habeas.Person {
	return bornOn(habeas.PrecisionDay, "1990-05-17")
}

// bornOn returns a citizen of Kazakhstan with the given birth date.
func bornOn(p habeas.Precision, date string) *habeas.Person {
	return &habeas.Person{
		ID:           testPerson,
		Names:        []habeas.NameVariant{{Text: "Test Person"}},
		Birth:        habeas.BirthDate{Precision: p, Date: date},
		Citizenships: []string{"KZ"},
	}
}

// citizenOf returns an adult with the given citizenships.
func citizenOf(codes ...string) *habeas.Person {
	p := adult()
	p.Citizenships = codes
	return p
}

// result returns the result of rule id (and subject, when given) and
// whether there is one.
func result(rs []rules.Result, id string, subject ...string) (rules.Result, bool) {
	for _, r := range rs {
		if r.Rule.ID == id && (len(subject) == 0 || r.Subject == subject[0]) {
			return r, true
		}
	}
	return rules.Result{}, false
}

// mustResult returns the result of rule id, failing the test if there is none.
func mustResult(tb testing.TB, rs []rules.Result, id string, subject ...string) rules.Result {
	tb.Helper()
	r, ok := result(rs, id, subject...)
	if !ok {
		tb.Fatalf("no result for %s %v among %s", id, subject, ids(rs))
	}
	return r
}

// ids lists the rule ids of results, for messages.
func ids(rs []rules.Result) string {
	var s []string
	for _, r := range rs {
		s = append(s, r.Rule.ID)
	}
	return strings.Join(s, " ")
}

// wantState checks the state of a result and, for states that carry one,
// its By.
func wantState(tb testing.TB, r rules.Result, state rules.State, by time.Duration) {
	tb.Helper()
	if r.State != state {
		tb.Errorf("%s: state got %v, want %v (by %v, missing %q, failed %v)", r.Rule.ID, r.State, state, r.By, r.Missing, r.Failed)
		return
	}
	if state != rules.StateMet && state != rules.StateUnknown && r.By != by {
		tb.Errorf("%s: by got %v, want %v", r.Rule.ID, r.By, by)
	}
}

// hasAll reports whether every want is in got.
func hasAll(got []string, want ...string) bool {
	for _, w := range want {
		if !slices.Contains(got, w) {
			return false
		}
	}
	return true
}

func ptr[T any](v T) *T { return &v }

const (
	minute = time.Minute
	hour   = time.Hour
	day    = 24 * time.Hour
)
