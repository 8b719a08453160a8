package habeas_test

import (
	"encoding/json"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"
	_ "time/tzdata" // zone rules from the binary, not the host

	"github.com/habeas-project/habeas"
)

// validDetention returns a valid, normalized administrative detention: an
// arrest, a protocol written five hours later, a court appearance ordering
// ten days of administrative arrest.
func validDetention() *habeas.Detention {
	return &habeas.Detention{
		ID:         detA,
		PersonID:   perA,
		IncidentID: incA,
		City:       "almaty",
		Procedure:  habeas.ProcedureAdministrative,
		Events: []habeas.Event{
			{ID: "e1", Type: habeas.EventArrest, At: t0, Zone: "Asia/Almaty", Place: "central square", Body: "police", Sources: []string{srcA}},
			{ID: "e2", Type: habeas.EventProtocol, At: t0.Add(5 * time.Hour), Zone: "Asia/Almaty", Sources: []string{srcB}},
			{ID: "e3", Type: habeas.EventCourtAppearance, At: t0.Add(30 * time.Hour), Zone: "Asia/Almaty", LawyerID: lawA,
				Decision: &habeas.Decision{Kind: habeas.DecisionAdminArrest, Days: 10, Court: "district court (synthetic)"}},
		},
		Sources: []string{srcA, srcB},
	}
}

// withEvent mutates the i-th event of a detention.
func withEvent(i int, mutate func(*habeas.Event)) func(*habeas.Detention) {
	return func(d *habeas.Detention) { mutate(&d.Events[i]) }
}

// addEvent appends an event of the given type with a fresh identifier.
func addEvent(typ habeas.EventType, mutate func(*habeas.Event)) func(*habeas.Detention) {
	return func(d *habeas.Detention) {
		e := habeas.Event{ID: "e9", Type: typ, At: t0.Add(100 * time.Hour)}
		mutate(&e)
		d.Events = append(d.Events, e)
	}
}

func TestDetentionValidate(t *testing.T) {
	none := func(*habeas.Event) {}
	for _, tt := range []struct {
		name   string
		mutate func(*habeas.Detention)
		field  string
	}{
		{"bad id", func(d *habeas.Detention) { d.ID = perA }, "id"},
		{"no person", func(d *habeas.Detention) { d.PersonID = "" }, "person_id"},
		{"person of another kind", func(d *habeas.Detention) { d.PersonID = srcA }, "person_id"},
		{"bad incident", func(d *habeas.Detention) { d.IncidentID = "inc_ab" }, "incident_id"},
		{"no city", func(d *habeas.Detention) { d.City = "" }, "city"},
		{"unknown city", func(d *habeas.Detention) { d.City = "gotham" }, "city"},
		{"unknown procedure", func(d *habeas.Detention) { d.Procedure = "civil" }, "procedure"},
		{"no events", func(d *habeas.Detention) { d.Events = nil }, "events"},
		{"no arrest event", func(d *habeas.Detention) { d.Events = d.Events[1:] }, "events"},
		{"bad source", func(d *habeas.Detention) { d.Sources = []string{perA} }, "sources[0]"},

		{"no event id", withEvent(1, func(e *habeas.Event) { e.ID = "" }), "events[1].id"},
		{"bad event id", withEvent(0, func(e *habeas.Event) { e.ID = "E1" }), "events[0].id"},
		{"event id too long", withEvent(0, func(e *habeas.Event) { e.ID = "e1234567" }), "events[0].id"},
		{"duplicate event id", withEvent(2, func(e *habeas.Event) { e.ID = "e1" }), "events[2].id"},
		{"no event type", withEvent(1, func(e *habeas.Event) { e.Type = "" }), "events[1].type"},
		{"unknown event type", withEvent(1, func(e *habeas.Event) { e.Type = "interrogation" }), "events[1].type"},
		{"no event time", withEvent(1, func(e *habeas.Event) { e.At = time.Time{} }), "events[1].at"},
		{"event before 1900", withEvent(0, func(e *habeas.Event) { e.At = time.Date(1899, 12, 31, 23, 59, 0, 0, time.UTC) }), "events[0].at"},
		{"event after 2200", withEvent(2, func(e *habeas.Event) { e.At = time.Date(2201, 1, 1, 0, 0, 0, 0, time.UTC) }), "events[2].at"},
		{"unknown zone", withEvent(0, func(e *habeas.Event) { e.Zone = "Asia/Gotham" }), "events[0].zone"},
		{"fixed offset is not a zone", withEvent(0, func(e *habeas.Event) { e.Zone = "+06:00" }), "events[0].zone"},
		{"host zone", withEvent(0, func(e *habeas.Event) { e.Zone = "Local" }), "events[0].zone"},
		{"place too long", withEvent(0, func(e *habeas.Event) { e.Place = strings.Repeat("қ", 301) }), "events[0].place"},
		{"bad lawyer", withEvent(2, func(e *habeas.Event) { e.LawyerID = perA }), "events[2].lawyer_id"},
		{"bad event source", withEvent(1, func(e *habeas.Event) { e.Sources = []string{srcA, "src"} }), "events[1].sources[1]"},

		// Each type carries its own detail, and only its own.
		{"court appearance without decision", withEvent(2, func(e *habeas.Event) { e.Decision = nil }), "events[2].decision"},
		{"charge without charge", addEvent(habeas.EventCharge, none), "events[3].charge"},
		{"verdict without verdict", addEvent(habeas.EventVerdict, none), "events[3].verdict"},
		{"decision on an arrest", withEvent(0, func(e *habeas.Event) { e.Decision = &habeas.Decision{Kind: habeas.DecisionCustody} }), "events[0].decision"},
		{"charge on an arrest", withEvent(0, func(e *habeas.Event) { e.Charge = &habeas.Charge{Code: "CC", Article: "272"} }), "events[0].charge"},
		{"verdict on an arrest", withEvent(0, func(e *habeas.Event) { e.Verdict = &habeas.Verdict{Outcome: "convicted"} }), "events[0].verdict"},
		{"allegation on an arrest", withEvent(0, func(e *habeas.Event) { e.Allegation = &habeas.Allegation{Methods: []string{"beating"}} }), "events[0].allegation"},
		{"charge on a court appearance", withEvent(2, func(e *habeas.Event) { e.Charge = &habeas.Charge{Code: "CAO", Article: "488"} }), "events[2].charge"},
		{"decision on a verdict", addEvent(habeas.EventVerdict, func(e *habeas.Event) {
			e.Verdict = &habeas.Verdict{Outcome: "acquitted"}
			e.Decision = &habeas.Decision{Kind: habeas.DecisionRelease}
		}), "events[3].decision"},
		{"verdict on a charge", addEvent(habeas.EventCharge, func(e *habeas.Event) {
			e.Charge = &habeas.Charge{Code: "CC", Article: "272"}
			e.Verdict = &habeas.Verdict{Outcome: "convicted"}
		}), "events[3].verdict"},

		{"no decision kind", withEvent(2, func(e *habeas.Event) { e.Decision.Kind = "" }), "events[2].decision.kind"},
		{"unknown decision kind", withEvent(2, func(e *habeas.Event) { e.Decision.Kind = "exile" }), "events[2].decision.kind"},
		{"administrative arrest of 0 days", withEvent(2, func(e *habeas.Event) { e.Decision.Days = 0 }), "events[2].decision.days"},
		{"administrative arrest of 91 days", withEvent(2, func(e *habeas.Event) { e.Decision.Days = 91 }), "events[2].decision.days"},
		{"negative custody term", withEvent(2, func(e *habeas.Event) { e.Decision.Kind, e.Decision.Days = habeas.DecisionCustody, -1 }), "events[2].decision.days"},
		{"fine without amount", withEvent(2, func(e *habeas.Event) { e.Decision.Kind, e.Decision.Days = habeas.DecisionFine, 0 }), "events[2].decision.amount"},
		{"negative fine", withEvent(2, func(e *habeas.Event) {
			*e.Decision = habeas.Decision{Kind: habeas.DecisionFine, Amount: -5, Unit: "MCI"}
		}), "events[2].decision.amount"},

		{"no charge code", addEvent(habeas.EventCharge, func(e *habeas.Event) { e.Charge = &habeas.Charge{Article: "272"} }), "events[3].charge.code"},
		{"unknown charge code", addEvent(habeas.EventCharge, func(e *habeas.Event) { e.Charge = &habeas.Charge{Code: "UK", Article: "272"} }), "events[3].charge.code"},
		{"no article", addEvent(habeas.EventCharge, func(e *habeas.Event) { e.Charge = &habeas.Charge{Code: "CC"} }), "events[3].charge.article"},
		{"article with text", addEvent(habeas.EventCharge, func(e *habeas.Event) { e.Charge = &habeas.Charge{Code: "CC", Article: "art. 272"} }), "events[3].charge.article"},
		{"article of five digits", addEvent(habeas.EventCharge, func(e *habeas.Event) { e.Charge = &habeas.Charge{Code: "CC", Article: "27200"} }), "events[3].charge.article"},
		{"article with part in it", addEvent(habeas.EventCharge, func(e *habeas.Event) { e.Charge = &habeas.Charge{Code: "CC", Article: "272(2)"} }), "events[3].charge.article"},

		{"no outcome", addEvent(habeas.EventVerdict, func(e *habeas.Event) { e.Verdict = &habeas.Verdict{} }), "events[3].verdict.outcome"},
		{"unknown outcome", addEvent(habeas.EventVerdict, func(e *habeas.Event) { e.Verdict = &habeas.Verdict{Outcome: "pardoned"} }), "events[3].verdict.outcome"},
		{"negative months", addEvent(habeas.EventVerdict, func(e *habeas.Event) { e.Verdict = &habeas.Verdict{Outcome: "convicted", Months: -1} }), "events[3].verdict.months"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			d := validDetention()
			tt.mutate(d)
			wantField(t, d.Validate(), tt.field)
		})
	}
}

func TestDetentionValidateValid(t *testing.T) {
	none := func(*habeas.Event) {}
	for _, tt := range []struct {
		name   string
		mutate func(*habeas.Detention)
	}{
		{"as given", func(*habeas.Detention) {}},
		{"no id, incident or procedure", func(d *habeas.Detention) { d.ID, d.IncidentID, d.Procedure = "", "", "" }},
		{"criminal", func(d *habeas.Detention) { d.Procedure = habeas.ProcedureCriminal }},
		{"only an arrest", func(d *habeas.Detention) { d.Events = d.Events[:1] }},
		{"two arrests", func(d *habeas.Detention) {
			d.Events = append(d.Events, habeas.Event{ID: "e4", Type: habeas.EventArrest, At: t0.Add(-3 * time.Hour)})
		}},
		{"event id e999999", withEvent(1, func(e *habeas.Event) { e.ID = "e999999" })},
		{"no zone", withEvent(0, func(e *habeas.Event) { e.Zone = "" })},
		{"UTC zone", withEvent(0, func(e *habeas.Event) { e.Zone = "UTC" })},
		{"place of 300", withEvent(0, func(e *habeas.Event) { e.Place = strings.Repeat("қ", 300) })},
		{"administrative arrest of 1 day", withEvent(2, func(e *habeas.Event) { e.Decision.Days = 1 })},
		{"administrative arrest of 90 days", withEvent(2, func(e *habeas.Event) { e.Decision.Days = 90 })},
		{"custody without term", withEvent(2, func(e *habeas.Event) { e.Decision.Kind, e.Decision.Days = habeas.DecisionCustody, 0 })},
		{"fine", withEvent(2, func(e *habeas.Event) {
			*e.Decision = habeas.Decision{Kind: habeas.DecisionFine, Amount: 50, Unit: "MCI"}
		})},
		{"adjourned", withEvent(2, func(e *habeas.Event) { *e.Decision = habeas.Decision{Kind: habeas.DecisionAdjourned} })},
		{"charge", addEvent(habeas.EventCharge, func(e *habeas.Event) { e.Charge = &habeas.Charge{Code: "CC", Article: "272", Part: "2"} })},
		{"charge with sub-article", addEvent(habeas.EventCharge, func(e *habeas.Event) { e.Charge = &habeas.Charge{Code: "CAO", Article: "488-1"} })},
		{"verdict without term", addEvent(habeas.EventVerdict, func(e *habeas.Event) { e.Verdict = &habeas.Verdict{Outcome: "amnestied"} })},
		{"verdict with term", addEvent(habeas.EventVerdict, func(e *habeas.Event) {
			e.Verdict = &habeas.Verdict{Outcome: "convicted", Sentence: "5 years' imprisonment", Months: 60}
		})},
		{"ill-treatment allegation", addEvent(habeas.EventIllTreatment, func(e *habeas.Event) {
			e.Allegation = &habeas.Allegation{Methods: []string{"beating"}, Place: "police station"}
		})},
		{"ill-treatment without details", addEvent(habeas.EventIllTreatment, none)},
		{"every plain type", func(d *habeas.Detention) {
			for i, typ := range []habeas.EventType{habeas.EventTransfer, habeas.EventWhereaboutsStated, habeas.EventFamilyNotified,
				habeas.EventLawyerRequested, habeas.EventLawyerAccess, habeas.EventLawyerDenied, habeas.EventConsularNotified,
				habeas.EventMedicalExam, habeas.EventInterpreter, habeas.EventRelease, habeas.EventTrialHearing, habeas.EventDeathInCustody} {
				d.Events = append(d.Events, habeas.Event{ID: "e" + strconv.Itoa(10+i), Type: typ, At: t0.Add(time.Duration(i) * time.Hour)})
			}
		}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			d := validDetention()
			tt.mutate(d)
			wantValid(t, d.Validate())
		})
	}
}

// TestDetentionValidateDeterministic checks that the same record always gives
// the same error, fields in a fixed order.
func TestDetentionValidateDeterministic(t *testing.T) {
	d := validDetention()
	d.Events[0].Decision = &habeas.Decision{Kind: habeas.DecisionCustody}
	d.Events[0].Charge = &habeas.Charge{Code: "CC", Article: "272"}
	d.Events[0].Verdict = &habeas.Verdict{Outcome: "convicted"}
	d.Events[0].Allegation = &habeas.Allegation{}
	first := d.Validate().Error()
	for range 100 {
		if got := d.Validate().Error(); got != first {
			t.Fatalf("Error: got %q, want %q", got, first)
		}
	}
	var fields []string
	for _, f := range habeas.ErrorFields(d.Validate()) {
		fields = append(fields, f.Field)
	}
	want := []string{"events[0].decision", "events[0].charge", "events[0].verdict", "events[0].allegation"}
	if !slices.Equal(fields, want) {
		t.Errorf("fields: got %v, want %v", fields, want)
	}
}

func TestArrestedAtAndProtocolAt(t *testing.T) {
	almaty, err := time.LoadLocation("Asia/Almaty")
	if err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct {
		name         string
		events       []habeas.Event
		wantArrest   time.Time
		wantProtocol time.Time
	}{
		{"none", nil, time.Time{}, time.Time{}},
		{"no arrest", []habeas.Event{{Type: habeas.EventProtocol, At: t0}}, time.Time{}, t0},
		{"one of each", []habeas.Event{{Type: habeas.EventArrest, At: t0}, {Type: habeas.EventProtocol, At: t0.Add(5 * time.Hour)}}, t0, t0.Add(5 * time.Hour)},
		{"conflicting sources, earliest last", []habeas.Event{
			{Type: habeas.EventArrest, At: t0, Sources: []string{srcA}},
			{Type: habeas.EventProtocol, At: t0.Add(9 * time.Hour)},
			{Type: habeas.EventArrest, At: t0.Add(-2 * time.Hour), Sources: []string{srcB}},
			{Type: habeas.EventProtocol, At: t0.Add(7 * time.Hour)},
		}, t0.Add(-2 * time.Hour), t0.Add(7 * time.Hour)},
		{"conflicting sources, earliest first", []habeas.Event{
			{Type: habeas.EventArrest, At: t0.Add(-2 * time.Hour)},
			{Type: habeas.EventArrest, At: t0},
		}, t0.Add(-2 * time.Hour), time.Time{}},
		// 18:00 in Almaty (+06) is 12:00 UTC, before the 14:30 UTC arrest.
		{"conflicting sources in different zones", []habeas.Event{
			{Type: habeas.EventArrest, At: t0},
			{Type: habeas.EventArrest, At: time.Date(2022, 1, 5, 18, 0, 0, 0, almaty)},
		}, time.Date(2022, 1, 5, 12, 0, 0, 0, time.UTC), time.Time{}},
		{"other types ignored", []habeas.Event{
			{Type: habeas.EventTransfer, At: t0.Add(-10 * time.Hour)},
			{Type: habeas.EventArrest, At: t0},
		}, t0, time.Time{}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			d := &habeas.Detention{Events: tt.events}
			if got := d.ArrestedAt(); !got.Equal(tt.wantArrest) {
				t.Errorf("ArrestedAt: got %v, want %v", got, tt.wantArrest)
			}
			if got := d.ProtocolAt(); !got.Equal(tt.wantProtocol) {
				t.Errorf("ProtocolAt: got %v, want %v", got, tt.wantProtocol)
			}
		})
	}
}

func TestDetentionStatus(t *testing.T) {
	arrest := habeas.Event{Type: habeas.EventArrest}
	court := func(k habeas.DecisionKind) habeas.Event {
		return habeas.Event{Type: habeas.EventCourtAppearance, Decision: &habeas.Decision{Kind: k, Days: 10, Amount: 50}}
	}
	verdict := func(months int) habeas.Event {
		return habeas.Event{Type: habeas.EventVerdict, Verdict: &habeas.Verdict{Outcome: "convicted", Months: months}}
	}
	release := habeas.Event{Type: habeas.EventRelease}
	death := habeas.Event{Type: habeas.EventDeathInCustody}
	for _, tt := range []struct {
		name   string
		events []habeas.Event
		want   habeas.Status
	}{
		{"arrest only", []habeas.Event{arrest}, habeas.StatusInCustody},
		{"protocol and transfer", []habeas.Event{arrest, {Type: habeas.EventProtocol}, {Type: habeas.EventTransfer}}, habeas.StatusInCustody},
		{"pre-trial custody", []habeas.Event{arrest, court(habeas.DecisionCustody)}, habeas.StatusInCustody},
		{"administrative arrest", []habeas.Event{arrest, court(habeas.DecisionAdminArrest)}, habeas.StatusInCustody},
		{"house arrest", []habeas.Event{arrest, court(habeas.DecisionHouseArrest)}, habeas.StatusHouseArrest},
		{"released by court", []habeas.Event{arrest, court(habeas.DecisionRelease)}, habeas.StatusReleased},
		{"fine", []habeas.Event{arrest, court(habeas.DecisionFine)}, habeas.StatusReleased},
		{"warning", []habeas.Event{arrest, court(habeas.DecisionWarning)}, habeas.StatusReleased},
		{"adjourned keeps custody", []habeas.Event{arrest, court(habeas.DecisionAdjourned)}, habeas.StatusInCustody},
		{"adjourned keeps house arrest", []habeas.Event{arrest, court(habeas.DecisionHouseArrest), court(habeas.DecisionAdjourned)}, habeas.StatusHouseArrest},
		{"court appearance without decision", []habeas.Event{arrest, court(habeas.DecisionHouseArrest), {Type: habeas.EventCourtAppearance}}, habeas.StatusHouseArrest},
		{"release event", []habeas.Event{arrest, release}, habeas.StatusReleased},
		{"house arrest then custody", []habeas.Event{arrest, court(habeas.DecisionHouseArrest), court(habeas.DecisionCustody)}, habeas.StatusInCustody},
		{"released then custody again", []habeas.Event{arrest, release, court(habeas.DecisionCustody)}, habeas.StatusInCustody},
		{"verdict with months", []habeas.Event{arrest, court(habeas.DecisionHouseArrest), verdict(60)}, habeas.StatusInCustody},
		{"verdict of one month", []habeas.Event{arrest, court(habeas.DecisionHouseArrest), verdict(1)}, habeas.StatusInCustody},
		{"verdict without months", []habeas.Event{arrest, court(habeas.DecisionCustody), verdict(0)}, habeas.StatusReleased},
		{"verdict without verdict", []habeas.Event{arrest, court(habeas.DecisionHouseArrest), {Type: habeas.EventVerdict}}, habeas.StatusHouseArrest},
		{"release after verdict", []habeas.Event{arrest, verdict(12), release}, habeas.StatusReleased},
		{"death", []habeas.Event{arrest, death}, habeas.StatusDied},
		{"death is final", []habeas.Event{arrest, death, release, court(habeas.DecisionHouseArrest)}, habeas.StatusDied},
		{"no events", nil, habeas.StatusInCustody},
	} {
		t.Run(tt.name, func(t *testing.T) {
			d := &habeas.Detention{Events: tt.events}
			if got := d.Status(); got != tt.want {
				t.Errorf("Status: got %v, want %v", got, tt.want)
			}
		})
	}
}

// TestStatusAfterNormalize checks that Status reads the timeline in time
// order, not in the order events were entered.
func TestStatusAfterNormalize(t *testing.T) {
	d := validDetention()
	d.Events = append(d.Events, habeas.Event{Type: habeas.EventRelease, At: t0.Add(10 * 24 * time.Hour)})
	d.Events = append([]habeas.Event{d.Events[3]}, d.Events[:3]...)
	d.Normalize()
	if got, want := d.Status(), habeas.StatusReleased; got != want {
		t.Errorf("Status: got %v, want %v", got, want)
	}
}

func TestDetentionNormalizeOrder(t *testing.T) {
	almaty, err := time.LoadLocation("Asia/Almaty")
	if err != nil {
		t.Fatal(err)
	}
	d := &habeas.Detention{City: "almaty", Events: []habeas.Event{
		{Note: "court", Type: habeas.EventCourtAppearance, At: t0.Add(30 * time.Hour), Decision: &habeas.Decision{Kind: habeas.DecisionRelease}},
		{Note: "protocol", Type: habeas.EventProtocol, At: t0.Add(5 * time.Hour)},
		{Note: "arrest, source A", Type: habeas.EventArrest, At: t0},
		{Note: "transfer", Type: habeas.EventTransfer, At: t0.Add(5 * time.Hour)},
		// 20:30 in Almaty (+06) is 14:30 UTC: the same instant as the first arrest.
		{Note: "arrest, source B", Type: habeas.EventArrest, At: time.Date(2022, 1, 5, 20, 30, 0, 0, almaty)},
	}}
	d.Normalize()
	var notes []string
	for _, e := range d.Events {
		notes = append(notes, e.Note)
	}
	want := []string{"arrest, source A", "arrest, source B", "protocol", "transfer", "court"}
	if !slices.Equal(notes, want) {
		t.Errorf("order: got %v, want %v", notes, want)
	}
	ids := map[string]bool{}
	for _, e := range d.Events {
		if e.ID == "" || ids[e.ID] {
			t.Errorf("event %q: got id %q, want a fresh one", e.Note, e.ID)
		}
		ids[e.ID] = true
		if e.At.Location() != time.UTC {
			t.Errorf("event %q: got location %v, want UTC", e.Note, e.At.Location())
		}
		if e.Zone != "Asia/Almaty" {
			t.Errorf("event %q: got zone %q, want Asia/Almaty", e.Note, e.Zone)
		}
	}
	if got, want := d.Events[1].At, t0; got != want {
		t.Errorf("converted time: got %v, want %v", got, want)
	}
	d.PersonID = perA
	wantValid(t, d.Validate())
}

// TestDetentionNormalizeStable checks that events at the same time keep the
// order they were entered in, on a timeline long enough that an unstable sort
// would reorder them.
func TestDetentionNormalizeStable(t *testing.T) {
	d := &habeas.Detention{}
	for i := range 60 {
		at := t0.Add(time.Duration((i*7)%3) * time.Hour) // three instants, interleaved
		d.Events = append(d.Events, habeas.Event{Type: habeas.EventTransfer, At: at, Note: strconv.Itoa(i)})
	}
	d.Normalize()
	last := map[time.Time]int{}
	for k, e := range d.Events {
		if k > 0 && e.At.Before(d.Events[k-1].At) {
			t.Fatalf("events[%d] at %v: got it after %v, want time order", k, e.At, d.Events[k-1].At)
		}
		i, _ := strconv.Atoi(e.Note)
		if prev, ok := last[e.At]; ok && i < prev {
			t.Errorf("events at %v: got %d after %d, want the order of entry", e.At, i, prev)
		}
		last[e.At] = i
	}
}

func TestDetentionNormalizeIDs(t *testing.T) {
	for _, tt := range []struct {
		name string
		ids  []string
		want []string
	}{
		{"all new", []string{"", "", ""}, []string{"e1", "e2", "e3"}},
		{"all kept", []string{"e7", "e3", "e5"}, []string{"e7", "e3", "e5"}},
		{"gaps filled around existing", []string{"", "e1", "", "e3", ""}, []string{"e2", "e1", "e4", "e3", "e5"}},
		{"existing later in the list", []string{"", "", "e2"}, []string{"e1", "e3", "e2"}},
		{"high existing id", []string{"e10", "", ""}, []string{"e10", "e1", "e2"}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			d := &habeas.Detention{}
			for i, id := range tt.ids {
				// Increasing times keep the order, so ids can be read by position.
				d.Events = append(d.Events, habeas.Event{ID: id, Type: habeas.EventTransfer, At: t0.Add(time.Duration(i) * time.Minute)})
			}
			d.Normalize()
			var got []string
			for _, e := range d.Events {
				got = append(got, e.ID)
			}
			if !slices.Equal(got, tt.want) {
				t.Errorf("ids: got %v, want %v", got, tt.want)
			}
		})
	}
}

func TestDetentionNormalizeZone(t *testing.T) {
	for _, tt := range []struct {
		name     string
		city     string
		zone     string
		wantZone string
	}{
		{"aktau", "aktau", "", "Asia/Aqtau"},
		{"zhanaozen", "zhanaozen", "", "Asia/Aqtau"},
		{"almaty", "almaty", "", "Asia/Almaty"},
		{"astana", "astana", "", "Asia/Almaty"},
		{"aktobe", "aktobe", "", "Asia/Aqtobe"},
		{"oral", "oral", "", "Asia/Oral"},
		{"explicit zone kept", "aktau", "Asia/Almaty", "Asia/Almaty"},
		{"unknown city", "gotham", "", ""},
		{"no city", "", "", ""},
	} {
		t.Run(tt.name, func(t *testing.T) {
			d := &habeas.Detention{City: tt.city, Events: []habeas.Event{{Type: habeas.EventArrest, At: t0, Zone: tt.zone}}}
			d.Normalize()
			if got := d.Events[0].Zone; got != tt.wantZone {
				t.Errorf("Zone: got %q, want %q", got, tt.wantZone)
			}
		})
	}
}

func TestDetentionNormalizeIdempotent(t *testing.T) {
	d := validDetention()
	d.Events[0].ID, d.Events[2].ID = "", ""
	d.Events[0].Sources = []string{srcB, srcA, srcB}
	d.Sources = []string{srcB, srcA, srcA, ""}
	d.Events = append(d.Events, habeas.Event{Type: habeas.EventArrest, At: t0.Add(-time.Hour)})
	d.Normalize()
	if got, want := d.Events[1].Sources, []string{srcA, srcB}; !slices.Equal(got, want) {
		t.Errorf("event sources: got %v, want %v", got, want)
	}
	if got, want := d.Sources, []string{srcA, srcB}; !slices.Equal(got, want) {
		t.Errorf("sources: got %v, want %v", got, want)
	}
	once, err := habeas.Canonical(d)
	if err != nil {
		t.Fatal(err)
	}
	d.Normalize()
	twice, err := habeas.Canonical(d)
	if err != nil {
		t.Fatal(err)
	}
	if string(once) != string(twice) {
		t.Errorf("Normalize twice: got %s, want %s", twice, once)
	}
	wantValid(t, d.Validate())
}

func TestDetentionRefs(t *testing.T) {
	d := validDetention()
	want := []habeas.Ref{
		{Field: "person_id", Kind: habeas.KindPerson, ID: perA},
		{Field: "incident_id", Kind: habeas.KindIncident, ID: incA},
		{Field: "sources", Kind: habeas.KindSource, ID: srcA},
		{Field: "sources", Kind: habeas.KindSource, ID: srcB},
		{Field: "events[0].sources", Kind: habeas.KindSource, ID: srcA},
		{Field: "events[1].sources", Kind: habeas.KindSource, ID: srcB},
		{Field: "events[2].lawyer_id", Kind: habeas.KindLawyer, ID: lawA},
	}
	if got := d.Refs(); !slices.Equal(got, want) {
		t.Errorf("Refs: got %v, want %v", got, want)
	}
	d.Sources = nil
	d.Events[2].Sources = []string{"src_test0003"}
	if got, want := d.SourceIDs(), []string{srcA, srcB, "src_test0003"}; !slices.Equal(got, want) {
		t.Errorf("SourceIDs: got %v, want %v", got, want)
	}
}

func TestEventsOf(t *testing.T) {
	d := validDetention()
	d.Events = append(d.Events, habeas.Event{ID: "e4", Type: habeas.EventArrest, At: t0.Add(time.Hour)})
	got := d.EventsOf(habeas.EventArrest)
	if len(got) != 2 || got[0].ID != "e1" || got[1].ID != "e4" {
		t.Errorf("EventsOf(arrest): got %v, want e1 and e4", got)
	}
	if got := d.EventsOf(habeas.EventVerdict); len(got) != 0 {
		t.Errorf("EventsOf(verdict): got %v, want none", got)
	}
}

func TestEventTypes(t *testing.T) {
	seen := map[string]bool{}
	for _, s := range habeas.EventTypes {
		if seen[s] {
			t.Errorf("EventTypes: got %q twice, want each once", s)
		}
		seen[s] = true
	}
	if got, want := len(habeas.EventTypes), 18; got != want {
		t.Errorf("len(EventTypes): got %v, want %v", got, want)
	}
	if got, want := habeas.EventTypes[0], string(habeas.EventArrest); got != want {
		t.Errorf("EventTypes[0]: got %v, want %v", got, want)
	}
}

func TestLocalTime(t *testing.T) {
	// A host zone far from UTC, so that a result in it cannot pass for UTC.
	host := time.Local
	time.Local = time.FixedZone("HOST", -7*3600)
	t.Cleanup(func() { time.Local = host })
	for _, tt := range []struct {
		name       string
		at         time.Time
		zone       string
		want       string // local wall clock and offset
		wantOffset int    // seconds east of UTC
	}{
		{"Almaty in 2022", time.Date(2022, 1, 5, 0, 0, 0, 0, time.UTC), "Asia/Almaty", "2022-01-05T06:00 +06", 6 * 3600},
		{"Aqtau in 2022", time.Date(2022, 1, 5, 0, 0, 0, 0, time.UTC), "Asia/Aqtau", "2022-01-05T05:00 +05", 5 * 3600},
		{"Almaty in June 2024", time.Date(2024, 6, 1, 0, 0, 0, 0, time.UTC), "Asia/Almaty", "2024-06-01T05:00 +05", 5 * 3600},
		// Almaty moved from +06 to +05 at 00:00 local on 1 March 2024.
		{"Almaty a minute before the switch", time.Date(2024, 2, 29, 17, 59, 0, 0, time.UTC), "Asia/Almaty", "2024-02-29T23:59 +06", 6 * 3600},
		{"Almaty at the switch", time.Date(2024, 2, 29, 18, 0, 0, 0, time.UTC), "Asia/Almaty", "2024-02-29T23:00 +05", 5 * 3600},
		{"Aqtau in June 2024", time.Date(2024, 6, 1, 0, 0, 0, 0, time.UTC), "Asia/Aqtau", "2024-06-01T05:00 +05", 5 * 3600},
		{"input zone ignored", time.Date(2022, 1, 5, 5, 0, 0, 0, time.FixedZone("X", 5*3600)), "Asia/Almaty", "2022-01-05T06:00 +06", 6 * 3600},
		{"no zone", time.Date(2022, 1, 5, 6, 0, 0, 0, time.FixedZone("X", 6*3600)), "", "2022-01-05T00:00 UTC", 0},
		{"unknown zone", time.Date(2022, 1, 5, 0, 0, 0, 0, time.UTC), "Asia/Gotham", "2022-01-05T00:00 UTC", 0},
		{"host zone", time.Date(2022, 1, 5, 0, 0, 0, 0, time.UTC), "Local", "2022-01-05T00:00 UTC", 0},
	} {
		t.Run(tt.name, func(t *testing.T) {
			got := habeas.LocalTime(tt.at, tt.zone)
			if s := got.Format("2006-01-02T15:04 MST"); s != tt.want {
				t.Errorf("LocalTime: got %v, want %v", s, tt.want)
			}
			if _, off := got.Zone(); off != tt.wantOffset {
				t.Errorf("offset: got %v, want %v", off, tt.wantOffset)
			}
			if !got.Equal(tt.at) {
				t.Errorf("instant: got %v, want %v", got, tt.at)
			}
		})
	}
}

func TestChargeArticleLabel(t *testing.T) {
	for _, tt := range []struct {
		name   string
		charge habeas.Charge
		want   string
	}{
		{"with part", habeas.Charge{Code: "CC", Article: "272", Part: "2"}, "CC 272(2)"},
		{"without part", habeas.Charge{Code: "CAO", Article: "488"}, "CAO 488"},
		{"sub-article", habeas.Charge{Code: "CAO", Article: "488-1", Part: "1"}, "CAO 488-1(1)"},
		{"no code", habeas.Charge{Article: "272"}, "272"},
		{"empty", habeas.Charge{}, ""},
	} {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.charge.ArticleLabel(); got != tt.want {
				t.Errorf("ArticleLabel: got %q, want %q", got, tt.want)
			}
		})
	}
}

func TestCheckZones(t *testing.T) {
	if err := habeas.CheckZones(); err != nil {
		t.Fatal(err)
	}
}

// allegationDetention returns a valid detention with an ill-treatment
// allegation as its fourth event, documented under every Istanbul
// Protocol heading, after mutate.
func allegationDetention(mutate func(*habeas.Allegation)) *habeas.Detention {
	yes, no := true, false
	a := &habeas.Allegation{
		Circumstances: "taken for questioning after refusing to sign the protocol",
		Period:        "two nights, 6 and 7 January",
		Methods:       []string{"beating", "threats", "other"},
		MethodsOther:  "made to stand facing a wall",
		Perpetrators:  "three officers in black uniforms without insignia",
		Questions:     "asked who paid the protesters; told to confess",
		Routine:       "no food for a day; lights on all night",
		Place:         "temporary detention facility",
		Objects:       "rubber baton",
		Injuries:      "bruises on the back",
		Witnesses:     "two cellmates",
		ReportedTo:    "defence lawyer",
		Medical: &habeas.MedicalFile{ExaminedAt: t0.Add(120 * time.Hour), Examiner: "independent forensic doctor (synthetic)",
			Consent: &yes, PrivateInterview: &no, Photographs: &yes, BodyDiagrams: &yes, PsychologicalEvaluation: &no,
			Findings: "bruising consistent in age", Consistency: "highly_consistent"},
	}
	if mutate != nil {
		mutate(a)
	}
	d := validDetention()
	d.Events = append(d.Events, habeas.Event{ID: "e4", Type: habeas.EventIllTreatment, At: t0.Add(50 * time.Hour), Allegation: a})
	return d
}

func TestAllegationValidate(t *testing.T) {
	long := strings.Repeat("ә", 4001)
	for _, tt := range []struct {
		name   string
		mutate func(*habeas.Allegation)
		field  string // "" for valid
	}{
		{"every heading", nil, ""},
		{"nothing but the event", func(a *habeas.Allegation) { *a = habeas.Allegation{} }, ""},
		{"every method of the list", func(a *habeas.Allegation) { a.Methods = habeas.IllTreatmentMethods }, ""},
		{"method as words", func(a *habeas.Allegation) { a.Methods = []string{"Electric shock", "sleep-deprivation"} }, ""},
		{"method off the list, described", func(a *habeas.Allegation) { a.Methods = []string{"beating", "waterboarding"} }, ""}, // normalize moves it to methods_other
		{"every consistency grade", func(a *habeas.Allegation) { a.Medical.Consistency = "diagnostic" }, ""},
		{"unknown consistency grade", func(a *habeas.Allegation) { a.Medical.Consistency = "likely" }, "events[3].allegation.medical.consistency"},
		{"no medical file", func(a *habeas.Allegation) { a.Medical = nil }, ""},
		{"empty medical file", func(a *habeas.Allegation) { a.Medical = &habeas.MedicalFile{} }, ""},
		{"examination before 1900", func(a *habeas.Allegation) { a.Medical.ExaminedAt = time.Date(1800, 1, 1, 0, 0, 0, 0, time.UTC) }, "events[3].allegation.medical.examined_at"},
		{"circumstances too long", func(a *habeas.Allegation) { a.Circumstances = long }, "events[3].allegation.circumstances"},
		{"questions too long", func(a *habeas.Allegation) { a.Questions = long }, "events[3].allegation.questions"},
		{"routine too long", func(a *habeas.Allegation) { a.Routine = long }, "events[3].allegation.routine"},
		{"witnesses too long", func(a *habeas.Allegation) { a.Witnesses = long }, "events[3].allegation.witnesses"},
		{"findings too long", func(a *habeas.Allegation) { a.Medical.Findings = long }, "events[3].allegation.medical.findings"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			d := allegationDetention(tt.mutate)
			d.Normalize()
			if tt.field == "" {
				wantValid(t, d.Validate())
			} else {
				wantField(t, d.Validate(), tt.field)
			}
		})
	}
}

func TestAllegationNormalize(t *testing.T) {
	d := allegationDetention(func(a *habeas.Allegation) {
		a.Methods = []string{" Threats ", "sexual violence", "beating", "threats", ""}
		a.MethodsOther = "  cold water poured over the head "
		a.Sexual = false
	})
	d.Normalize()
	a := d.Events[3].Allegation
	if want := []string{"beating", "sexual_violence", "threats", "other"}; !slices.Equal(a.Methods, want) {
		t.Errorf("methods: got %q, want %q", a.Methods, want)
	}
	if a.MethodsOther != "cold water poured over the head" {
		t.Errorf("methods_other: got %q", a.MethodsOther)
	}
	if !a.Sexual {
		t.Errorf("sexual_violence among the methods: got Sexual false, want true")
	}
	first, err := habeas.Canonical(d)
	if err != nil {
		t.Fatal(err)
	}
	again, err := habeas.Canonical(d)
	if err != nil {
		t.Fatal(err)
	}
	if string(first) != string(again) {
		t.Errorf("normalize is not idempotent:\n%s\n%s", first, again)
	}
}

// A method the closed list lacks — as records of export format version 1,
// with free-text methods, have — is described in methods_other, not lost
// and not refused; normalizing twice changes nothing more.
func TestAllegationFreeTextMethod(t *testing.T) {
	d := allegationDetention(func(a *habeas.Allegation) {
		a.Methods = []string{"beating", "Waterboarding", "held in a cage"}
		a.MethodsOther = "cold water"
	})
	d.Normalize()
	a := d.Events[3].Allegation
	if want := []string{"beating", "other"}; !slices.Equal(a.Methods, want) {
		t.Errorf("methods: got %q, want %q", a.Methods, want)
	}
	if want := "cold water; Waterboarding; held in a cage"; a.MethodsOther != want {
		t.Errorf("methods_other: got %q, want %q", a.MethodsOther, want)
	}
	if err := d.Validate(); err != nil {
		t.Errorf("the normalized record is refused: %v", err)
	}
	before := a.MethodsOther
	d.Normalize()
	if d.Events[3].Allegation.MethodsOther != before {
		t.Errorf("normalizing again changed methods_other to %q", d.Events[3].Allegation.MethodsOther)
	}
}

// TestAllegationJSONCompatible checks that an allegation recorded before
// the Istanbul Protocol fields existed reads and writes as it did.
func TestAllegationJSONCompatible(t *testing.T) {
	old := `{"methods":["beating"],"perpetrators":"police officers","place":"ИВС","injuries":"bruises","sexual_violence":true,"reported_to":"lawyer"}`
	var a habeas.Allegation
	if err := json.Unmarshal([]byte(old), &a); err != nil {
		t.Fatal(err)
	}
	got, err := json.Marshal(&a)
	if err != nil {
		t.Fatal(err)
	}
	if string(got) != old {
		t.Errorf("round trip:\ngot  %s\nwant %s", got, old)
	}
}
