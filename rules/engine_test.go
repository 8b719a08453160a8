package rules_test

import (
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/habeas-project/habeas"
	"github.com/habeas-project/habeas/rules"
)

// ordinaryArrest returns the time of an arrest in Almaty outside the state
// of emergency: 09:00 on 10 February 2022.
func ordinaryArrest(tb testing.TB) time.Time {
	tb.Helper()
	return local(tb, "almaty", 2022, 2, 10, 9, 0)
}

func TestJudgeDeadlineBoundary(t *testing.T) {
	e := newEngine(t)
	arrest := ordinaryArrest(t)
	court := func(after time.Duration) habeas.Event { return ev(habeas.EventCourtAppearance, arrest.Add(after)) }
	for _, id := range []string{"international.judge-48h", "kz.suspect-48h"} {
		for _, tt := range []struct {
			name  string
			extra []habeas.Event
			at    time.Duration // evaluated at arrest + at
			state rules.State
			by    time.Duration
		}{
			{"1m before the deadline", nil, 47*hour + 59*minute, rules.StatePending, minute},
			// The deadline instant belongs to the time allowed, on both
			// sides: an event then is in time, and with nothing recorded
			// the rule is still pending then, with nothing left; it is
			// overdue from the next instant on.
			{"at the deadline, nothing recorded", nil, 48 * hour, rules.StatePending, 0},
			{"1ns after the deadline", nil, 48*hour + time.Nanosecond, rules.StateOverdue, time.Nanosecond},
			{"1m after the deadline", nil, 48*hour + minute, rules.StateOverdue, minute},
			{"court 1m before the deadline", []habeas.Event{court(47*hour + 59*minute)}, 47*hour + 59*minute, rules.StateMet, 0},
			{"court at the deadline", []habeas.Event{court(48 * hour)}, 48 * hour, rules.StateMet, 0},
			{"court 1m late", []habeas.Event{court(48*hour + minute)}, 50 * hour, rules.StateMetLate, minute},
			{"released in time", []habeas.Event{ev(habeas.EventRelease, arrest.Add(30*hour))}, 50 * hour, rules.StateMet, 0},
		} {
			t.Run(id+"/"+tt.name, func(t *testing.T) {
				d := detention(t, "almaty", habeas.ProcedureCriminal, append([]habeas.Event{ev(habeas.EventArrest, arrest)}, tt.extra...)...)
				c := &rules.Case{Detention: d, Person: adult()}
				r := mustResult(t, e.Evaluate(c, arrest.Add(tt.at)), id)
				wantState(t, r, tt.state, tt.by)
				if got, want := r.Deadline, arrest.Add(48*hour); !got.Equal(want) {
					t.Errorf("deadline got %v, want %v", got, want)
				}
				if r.Exception != nil || r.Emergency || r.Juvenile || r.JuvenilePossible {
					t.Errorf("got exception %v, emergency %v, juvenile %v/%v, want none", r.Exception, r.Emergency, r.Juvenile, r.JuvenilePossible)
				}
				if r.StartBy != "e1" || !r.Start.Equal(arrest) {
					t.Errorf("start got %v by %q, want %v by e1", r.Start, r.StartBy, arrest)
				}
			})
		}
	}
}

func TestEmergencyException(t *testing.T) {
	e := newEngine(t)
	instant := time.Date(2022, 1, 4, 18, 30, 0, 0, time.UTC) // 00:30 on 5 Jan in Almaty, 23:30 on 4 Jan in Aktau
	// The 72 hours of CPC art. 131(4) under a state of emergency are
	// unverified (confidence L): they never lengthen the 48 hours, and are
	// shown beside them, inside the emergency only.
	for _, tt := range []struct {
		name   string
		city   string
		arrest time.Time
		inside bool
	}{
		{"inside, 10 January", "almaty", local(t, "almaty", 2022, 1, 10, 12, 0), true},
		{"last minute before", "almaty", local(t, "almaty", 2022, 1, 4, 23, 59), false},
		{"first minute", "almaty", local(t, "almaty", 2022, 1, 5, 0, 0), true},
		{"last minute", "almaty", local(t, "almaty", 2022, 1, 18, 23, 59), true},
		{"lifted at 00:00 on 19 January", "almaty", local(t, "almaty", 2022, 1, 19, 0, 0), false},
		{"local time: 5 January in Almaty (+06)", "almaty", instant, true},
		{"local time: 4 January in Aktau (+05)", "aktau", instant, false},
		// Lifted early where it was, on the dates reported.
		{"Oral, a minute before the lifting at 07:00 on 13 January", "oral", local(t, "oral", 2022, 1, 13, 6, 59), true},
		{"Oral, at the lifting", "oral", local(t, "oral", 2022, 1, 13, 7, 0), false},
		{"Karaganda, a minute before the lifting at 18:00 on 14 January", "karaganda", local(t, "karaganda", 2022, 1, 14, 17, 59), true},
		{"Karaganda, at the lifting", "karaganda", local(t, "karaganda", 2022, 1, 14, 18, 0), false},
		{"Almaty on 16 January, not lifted early", "almaty", local(t, "almaty", 2022, 1, 16, 12, 0), true},
	} {
		t.Run(tt.name, func(t *testing.T) {
			d := detention(t, tt.city, habeas.ProcedureCriminal, ev(habeas.EventArrest, tt.arrest))
			c := &rules.Case{Detention: d, Person: adult()}
			r := mustResult(t, e.Evaluate(c, tt.arrest.Add(hour)), "kz.suspect-48h")
			if got := r.Deadline.Sub(r.Start); got != 48*hour || r.Exception != nil {
				t.Errorf("limit got %v (exception %v), want the verified 48h", got, r.Exception)
			}
			if r.Emergency != tt.inside {
				t.Errorf("emergency got %v, want %v", r.Emergency, tt.inside)
			}
			wantState(t, r, rules.StatePending, 47*hour)
			switch {
			case tt.inside && (r.Doubt == nil || r.Doubt.Exception == nil):
				t.Fatalf("doubt got %+v, want the state of emergency's 72h", r.Doubt)
			case tt.inside:
				if cit := r.Doubt.Exception.Citation; !strings.Contains(cit, "art. 131(4)") || !strings.Contains(cit, "state of emergency") ||
					r.Doubt.Deadline.Sub(r.Start) != 72*hour || r.Doubt.Reason != rules.DoubtUnverified {
					t.Errorf("doubt got %+v (%q), want CPC art. 131(4) on the state of emergency, 72h, unverified", r.Doubt, cit)
				}
				explained := rules.Explain(r, c)
				if !strings.Contains(explained, "If the unverified exception of 72h") {
					t.Errorf("Explain does not give the unverified reading: %s", explained)
				}
				if !strings.Contains(explained, "state of emergency in force there from "+r.EmergencyWindow.From[:10]) ||
					!strings.Contains(explained, r.EmergencyWindow.To[:10]) || r.EmergencyWindow.Confidence == "" {
					t.Errorf("Explain does not name the window used (%s): %s", r.EmergencyWindow.ID, explained)
				}
			case r.Doubt != nil:
				t.Errorf("doubt got %+v, want none outside the emergency", r.Doubt)
			}
		})
	}
}

func TestAdministrativeDetentionEmergency(t *testing.T) {
	e := newEngine(t)
	for _, tt := range []struct {
		name   string
		arrest time.Time
		limit  time.Duration
		doubt  time.Duration // the unverified exception's limit, shown beside; 0: none
	}{
		{"outside", ordinaryArrest(t), 3 * hour, 0},
		// The 72 hours of the emergency are unverified (confidence L): they
		// never lengthen the 3 hours, and are shown beside them.
		{"inside", local(t, "almaty", 2022, 1, 6, 15, 0), 3 * hour, 72 * hour},
	} {
		t.Run(tt.name, func(t *testing.T) {
			d := detention(t, "almaty", habeas.ProcedureAdministrative, ev(habeas.EventArrest, tt.arrest))
			c := &rules.Case{Detention: d, Person: adult()}
			rs := e.Evaluate(c, tt.arrest.Add(60*hour))
			r := mustResult(t, rs, "kz.admin-detention-3h")
			if got := r.Deadline.Sub(r.Start); got != tt.limit {
				t.Errorf("limit got %v, want %v", got, tt.limit)
			}
			wantState(t, r, rules.StateOverdue, 57*hour)
			switch {
			case tt.doubt == 0 && r.Doubt != nil:
				t.Errorf("doubt got %+v, want none", r.Doubt)
			case tt.doubt != 0 && (r.Doubt == nil || r.Doubt.Reason != rules.DoubtUnverified || r.Doubt.Deadline.Sub(r.Start) != tt.doubt ||
				r.Doubt.State != rules.StatePending || r.Doubt.By != 12*hour):
				t.Errorf("doubt got %+v, want the unverified 72h, pending with 12h left", r.Doubt)
			case tt.doubt != 0 && !strings.Contains(rules.Explain(r, c), "If the unverified exception of 72h"):
				t.Errorf("Explain does not give the unverified reading: %s", rules.Explain(r, c))
			}
			for _, id := range []string{"international.judge-48h", "kz.suspect-48h", "kz.protocol-3h", "kz.pretrial-custody"} {
				if _, ok := result(rs, id); ok {
					t.Errorf("criminal rule %s applies to an administrative detention", id)
				}
			}
		})
	}
}

// The CAO's 48 hours of administrative detention where the offence may
// be punished by arrest are unverified (confidence L): shown beside the 3
// hours when a charge under an article the pack lists with a maximum of
// arrest was recorded within the 3 hours, never applied.
func TestAdministrativeDetentionArrestableCharge(t *testing.T) {
	e := newEngine(t)
	arrest := ordinaryArrest(t)
	charge := func(after time.Duration, article string) habeas.Event {
		return ev(habeas.EventCharge, arrest.Add(after), withCAO(article, ""))
	}
	for _, tt := range []struct {
		name      string
		arrest    time.Time
		events    []habeas.Event
		at        time.Duration
		state     rules.State
		by        time.Duration
		doubt     time.Duration // the limit shown beside; 0: none
		doubtWhat rules.State
		doubtBy   time.Duration
	}{
		{"no charge", arrest, nil, 3*hour + minute, rules.StateOverdue, minute, 0, "", 0},
		{"art. 488 at the first hour, 3 hours and a minute", arrest, []habeas.Event{charge(hour, "488")}, 3*hour + minute,
			rules.StateOverdue, minute, 48 * hour, rules.StatePending, 45*hour - minute},
		{"art. 488, at the 3rd hour itself", arrest, []habeas.Event{charge(hour, "488")}, 3 * hour,
			rules.StatePending, 0, 48 * hour, rules.StatePending, 45 * hour},
		{"art. 476", arrest, []habeas.Event{charge(hour, "476")}, 3*hour + minute,
			rules.StateOverdue, minute, 48 * hour, rules.StatePending, 45*hour - minute},
		{"art. 488, 48 hours and a minute", arrest, []habeas.Event{charge(hour, "488")}, 48*hour + minute,
			rules.StateOverdue, 45*hour + minute, 48 * hour, rules.StateOverdue, minute},
		{"art. 488, before a judge at hour 10", arrest, []habeas.Event{charge(hour, "488"), ev(habeas.EventCourtAppearance, arrest.Add(10*hour))}, 11 * hour,
			rules.StateMetLate, 7 * hour, 48 * hour, rules.StateMet, 0},
		{"art. 488 charged at the 3rd hour: in time", arrest, []habeas.Event{charge(3*hour, "488")}, 4 * hour,
			rules.StateOverdue, hour, 48 * hour, rules.StatePending, 44 * hour},
		{"art. 488 charged a minute after the 3rd hour: too late", arrest, []habeas.Event{charge(3*hour+minute, "488")}, 4 * hour,
			rules.StateOverdue, hour, 0, "", 0},
		{"art. 488 charged at hour 2, judged at hour 1: not yet charged", arrest, []habeas.Event{charge(2*hour, "488")}, hour,
			rules.StatePending, 2 * hour, 0, "", 0},
		{"an article the pack does not list (CAO 667)", arrest, []habeas.Event{charge(hour, "667")}, 3*hour + minute,
			rules.StateOverdue, minute, 0, "", 0},
		{"art. 488 inside the state of emergency: the 48 hours, listed first", local(t, "almaty", 2022, 1, 6, 15, 0),
			[]habeas.Event{ev(habeas.EventCharge, local(t, "almaty", 2022, 1, 6, 16, 0), withCAO("488", ""))}, 3*hour + minute,
			rules.StateOverdue, minute, 48 * hour, rules.StatePending, 45*hour - minute},
	} {
		t.Run(tt.name, func(t *testing.T) {
			d := detention(t, "almaty", habeas.ProcedureAdministrative, append([]habeas.Event{ev(habeas.EventArrest, tt.arrest)}, tt.events...)...)
			c := &rules.Case{Detention: d, Person: adult()}
			r := mustResult(t, e.Evaluate(c, tt.arrest.Add(tt.at)), "kz.admin-detention-3h")
			if r.Exception != nil || r.Deadline.Sub(r.Start) != 3*hour {
				t.Errorf("limit %v with exception %+v, want the rule's 3h", r.Deadline.Sub(r.Start), r.Exception)
			}
			wantState(t, r, tt.state, tt.by)
			switch {
			case tt.doubt == 0 && r.Doubt != nil:
				t.Errorf("doubt got %+v, want none", r.Doubt)
			case tt.doubt != 0 && (r.Doubt == nil || r.Doubt.Reason != rules.DoubtUnverified || r.Doubt.Deadline.Sub(r.Start) != tt.doubt ||
				r.Doubt.State != tt.doubtWhat || (tt.doubtWhat != rules.StateMet && r.Doubt.By != tt.doubtBy) ||
				!strings.Contains(r.Doubt.Exception.Citation, "art. 789")):
				t.Errorf("doubt got %+v, want CAO art. 789's %v: %v by %v", r.Doubt, tt.doubt, tt.doubtWhat, tt.doubtBy)
			case tt.doubt != 0 && !strings.Contains(rules.Explain(r, c), "If the unverified exception of 48h"):
				t.Errorf("Explain does not give the unverified reading: %s", rules.Explain(r, c))
			}
		})
	}
}

// The 72 hours of CPC art. 131(4) for CC 272 and the like are confidence
// M: beside the verified 48 hours, never instead of them.
func TestOffenceException(t *testing.T) {
	e := newEngine(t)
	arrest := ordinaryArrest(t)
	for _, tt := range []struct {
		name   string
		charge []habeas.Event
		doubt  bool // the 72h shown beside
	}{
		{"no charge", nil, false},
		{"CC 272 mass riots", []habeas.Event{ev(habeas.EventCharge, arrest.Add(2*hour), withCharge("272", "2"))}, true},
		{"CC 272 without a part", []habeas.Event{ev(habeas.EventCharge, arrest.Add(2*hour), withCharge("272", ""))}, true},
		{"CC 188 theft", []habeas.Event{ev(habeas.EventCharge, arrest.Add(2*hour), withCharge("188", ""))}, false},
		{"CC 272 charged after the moment of evaluation", []habeas.Event{ev(habeas.EventCharge, arrest.Add(5*hour), withCharge("272", "2"))}, false},
	} {
		t.Run(tt.name, func(t *testing.T) {
			d := detention(t, "almaty", habeas.ProcedureCriminal, append([]habeas.Event{ev(habeas.EventArrest, arrest)}, tt.charge...)...)
			r := mustResult(t, e.Evaluate(&rules.Case{Detention: d, Person: adult()}, arrest.Add(3*hour)), "kz.suspect-48h")
			if got := r.Deadline.Sub(r.Start); got != 48*hour || r.Exception != nil {
				t.Errorf("limit got %v (exception %v), want the verified 48h", got, r.Exception)
			}
			if got := r.Doubt != nil && r.Doubt.Deadline.Sub(r.Start) == 72*hour; got != tt.doubt {
				t.Errorf("doubt got %+v, want the 72h beside: %v", r.Doubt, tt.doubt)
			}
			if r.Emergency {
				t.Errorf("emergency got true, want false")
			}
		})
	}
}

func TestJuveniles(t *testing.T) {
	e := newEngine(t)
	arrest := ordinaryArrest(t) // 10 February 2022
	// 20:00 UTC on 4 January is 02:00 on 5 January in Almaty; 18:30 UTC is
	// 00:30 on 5 January in Almaty (+06) but 23:30 on 4 January in Aktau (+05).
	lateUTC := time.Date(2022, 1, 4, 20, 0, 0, 0, time.UTC)
	straddle := time.Date(2022, 1, 4, 18, 30, 0, 0, time.UTC)
	for _, tt := range []struct {
		name     string
		city     string
		arrest   time.Time
		person   *habeas.Person
		juvenile bool // sure
		possible bool
	}{
		{"18th birthday on the day of arrest", "almaty", arrest, bornOn(habeas.PrecisionDay, "2004-02-10"), false, false},
		{"day before the 18th birthday", "almaty", arrest, bornOn(habeas.PrecisionDay, "2004-02-11"), true, false},
		{"birthday reached in local time only", "almaty", lateUTC, bornOn(habeas.PrecisionDay, "2004-01-05"), false, false},
		{"birthday the next local day", "almaty", lateUTC, bornOn(habeas.PrecisionDay, "2004-01-06"), true, false},
		{"birthday already in Almaty", "almaty", straddle, bornOn(habeas.PrecisionDay, "2004-01-05"), false, false},
		{"birthday not yet in Aktau", "aktau", straddle, bornOn(habeas.PrecisionDay, "2004-01-05"), true, false},
		{"unknown birth date", "almaty", arrest, bornOn(habeas.PrecisionUnknown, ""), false, true},
		{"no person record", "almaty", arrest, nil, false, true},
		{"birth year straddles", "almaty", arrest, bornOn(habeas.PrecisionYear, "2004"), false, true},
		{"birth year all adult", "almaty", arrest, bornOn(habeas.PrecisionYear, "2003"), false, false},
		{"birth year all juvenile", "almaty", arrest, bornOn(habeas.PrecisionYear, "2005"), true, false},
		{"birth month before", "almaty", arrest, bornOn(habeas.PrecisionMonth, "2004-01"), false, false},
		{"birth month straddles", "almaty", arrest, bornOn(habeas.PrecisionMonth, "2004-02"), false, true},
	} {
		t.Run(tt.name, func(t *testing.T) {
			d := detention(t, tt.city, habeas.ProcedureCriminal, ev(habeas.EventArrest, tt.arrest))
			c := &rules.Case{Detention: d, Person: tt.person}
			rs := e.Evaluate(c, tt.arrest.Add(hour))
			strict := tt.juvenile || tt.possible
			judge := mustResult(t, rs, "international.judge-48h")
			kzJuvenile, applies := result(rs, "kz.juvenile-suspect-24h")
			if applies != strict {
				t.Fatalf("kz.juvenile-suspect-24h applies got %v, want %v", applies, strict)
			}
			// A juvenile for sure gets the juvenile limits. Possibly a
			// juvenile is judged as an adult, the juvenile reading beside:
			// a rule only for juveniles cannot be judged for want of the
			// birth date, and neither counts as a breach.
			wantLimit := 48 * hour
			switch {
			case tt.juvenile:
				wantLimit = 24 * hour
				if got := kzJuvenile.Deadline.Sub(kzJuvenile.Start); got != 24*hour || kzJuvenile.State != rules.StatePending {
					t.Errorf("kz.juvenile-suspect-24h limit got %v (%v), want 24h, pending", got, kzJuvenile.State)
				}
				if judge.Exception == nil || judge.Doubt != nil {
					t.Errorf("international.judge-48h: exception got %v, doubt %+v, want the juvenile exception and no doubt", judge.Exception, judge.Doubt)
				}
			case tt.possible:
				if kzJuvenile.State != rules.StateUnknown || kzJuvenile.Missing != "birth_date" || kzJuvenile.Doubt == nil ||
					kzJuvenile.Doubt.Reason != rules.DoubtJuvenile || kzJuvenile.Doubt.State != rules.StatePending {
					t.Errorf("kz.juvenile-suspect-24h got %v (missing %q, doubt %+v), want unknown for want of the birth date, pending if a juvenile",
						kzJuvenile.State, kzJuvenile.Missing, kzJuvenile.Doubt)
				}
				if judge.Exception != nil || judge.Doubt == nil || judge.Doubt.Reason != rules.DoubtJuvenile ||
					judge.Doubt.Deadline.Sub(judge.Start) != 24*hour {
					t.Errorf("international.judge-48h: exception %v, doubt %+v, want none and the juvenile 24h beside", judge.Exception, judge.Doubt)
				}
			default:
				if judge.Exception != nil || judge.Doubt != nil {
					t.Errorf("international.judge-48h: exception %v, doubt %+v, want none for an adult", judge.Exception, judge.Doubt)
				}
			}
			if got := judge.Deadline.Sub(judge.Start); got != wantLimit {
				t.Errorf("international.judge-48h limit got %v, want %v", got, wantLimit)
			}
			if judge.Juvenile != tt.juvenile || judge.JuvenilePossible != tt.possible {
				t.Errorf("international.judge-48h juvenile got %v/%v, want %v/%v", judge.Juvenile, judge.JuvenilePossible, tt.juvenile, tt.possible)
			}
			explained := rules.Explain(judge, c)
			if strict != strings.Contains(explained, "under 18") {
				t.Errorf("Explain mentions under 18 = %v, want %v: %s", !strict, strict, explained)
			}
			if tt.possible && !strings.Contains(explained, "does not rule it out") {
				t.Errorf("Explain does not give the juvenile reading: %s", explained)
			}
		})
	}
}

func TestTransferRestartsFamilyNotice(t *testing.T) {
	e := newEngine(t)
	arrest := ordinaryArrest(t)
	transfer := arrest.Add(30 * hour)
	base := []habeas.Event{
		ev(habeas.EventArrest, arrest, withID("e1")),
		ev(habeas.EventFamilyNotified, arrest.Add(2*hour), withID("e2")),
		ev(habeas.EventTransfer, transfer, withID("e3")),
	}
	for _, tt := range []struct {
		name    string
		extra   []habeas.Event
		at      time.Time
		id      string
		state   rules.State
		by      time.Duration
		startBy string
	}{
		{"before the transfer", nil, arrest.Add(20 * hour), "kz.family-notice", rules.StateMet, 0, "e1"},
		{"11h after the transfer", nil, transfer.Add(11 * hour), "kz.family-notice", rules.StatePending, hour, "e3"},
		{"13h after the transfer", nil, transfer.Add(13 * hour), "kz.family-notice", rules.StateOverdue, hour, "e3"},
		{"notified again after the transfer", []habeas.Event{ev(habeas.EventFamilyNotified, transfer.Add(5*hour))},
			transfer.Add(13 * hour), "kz.family-notice", rules.StateMet, 0, ""},
		{"notified again, late", []habeas.Event{ev(habeas.EventFamilyNotified, transfer.Add(14*hour), withID("e4"))},
			transfer.Add(20 * hour), "kz.family-notice", rules.StateMetLate, 2 * hour, "e3"},
		{"international 24h, 13h after the transfer", nil, transfer.Add(13 * hour), "international.family-notice", rules.StatePending, 11 * hour, "e3"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			d := detention(t, "almaty", habeas.ProcedureCriminal, append(append([]habeas.Event{}, base...), tt.extra...)...)
			r := mustResult(t, e.Evaluate(&rules.Case{Detention: d, Person: adult()}, tt.at), tt.id)
			wantState(t, r, tt.state, tt.by)
			if tt.startBy != "" && r.StartBy != tt.startBy {
				t.Errorf("started by got %s, want %s", r.StartBy, tt.startBy)
			}
		})
	}
}

func TestLawyerDenied(t *testing.T) {
	e := newEngine(t)
	arrest := ordinaryArrest(t)
	denied := ev(habeas.EventLawyerDenied, arrest.Add(30*minute))
	for _, tt := range []struct {
		name     string
		events   []habeas.Event
		at       time.Duration
		state    rules.State
		by       time.Duration
		deadline time.Duration
	}{
		{"no lawyer yet", nil, 45 * minute, rules.StatePending, 15 * minute, hour},
		{"denied, 15m after the denial", []habeas.Event{denied}, 45 * minute, rules.StateOverdue, 15 * minute, 30 * minute},
		{"denied, then granted", []habeas.Event{denied, ev(habeas.EventLawyerAccess, arrest.Add(3*hour))}, 4 * hour, rules.StateMetLate, 150 * minute, 30 * minute},
		{"granted in time", []habeas.Event{ev(habeas.EventLawyerAccess, arrest.Add(30*minute))}, 4 * hour, rules.StateMet, 0, hour},
		{"denied after the evaluation moment", []habeas.Event{ev(habeas.EventLawyerDenied, arrest.Add(50*minute))}, 45 * minute, rules.StatePending, 15 * minute, hour},
	} {
		t.Run(tt.name, func(t *testing.T) {
			d := detention(t, "almaty", habeas.ProcedureCriminal, append([]habeas.Event{ev(habeas.EventArrest, arrest)}, tt.events...)...)
			r := mustResult(t, e.Evaluate(&rules.Case{Detention: d, Person: adult()}, arrest.Add(tt.at)), "kz.lawyer")
			wantState(t, r, tt.state, tt.by)
			if got, want := r.Deadline, arrest.Add(tt.deadline); !got.Equal(want) {
				t.Errorf("deadline got %v, want %v", got, want)
			}
		})
	}
}

func TestWhereabouts(t *testing.T) {
	e := newEngine(t)
	arrest := ordinaryArrest(t)
	for _, tt := range []struct {
		name   string
		events []habeas.Event
		at     time.Duration
		state  rules.State
		by     time.Duration
	}{
		{"only an arrest, 23h", nil, 23 * hour, rules.StatePending, hour},
		{"only an arrest, 25h", nil, 25 * hour, rules.StateOverdue, hour},
		{"transfer to a named place", []habeas.Event{ev(habeas.EventTransfer, arrest.Add(2*hour), func(e *habeas.Event) { e.Place = "temporary detention facility" })}, 25 * hour, rules.StateMet, 0},
		{"whereabouts confirmed late", []habeas.Event{ev(habeas.EventWhereaboutsStated, arrest.Add(30*hour))}, 31 * hour, rules.StateMetLate, 6 * hour},
	} {
		t.Run(tt.name, func(t *testing.T) {
			d := detention(t, "almaty", habeas.ProcedureAdministrative, append([]habeas.Event{ev(habeas.EventArrest, arrest)}, tt.events...)...)
			r := mustResult(t, e.Evaluate(&rules.Case{Detention: d, Person: adult()}, arrest.Add(tt.at)), "international.whereabouts-24h")
			wantState(t, r, tt.state, tt.by)
			if r.Rule.Severity != rules.SeverityUrgent {
				t.Errorf("severity got %v, want %v", r.Rule.Severity, rules.SeverityUrgent)
			}
		})
	}
}

func TestForeignNationals(t *testing.T) {
	e := newEngine(t)
	arrest := ordinaryArrest(t)
	consular := []string{"kz.embassy-24h", "international.consular"}
	for _, tt := range []struct {
		name   string
		person *habeas.Person
		events []habeas.Event
		state  rules.State // "" when the rules must not apply
		by     time.Duration
	}{
		{"Kyrgyz citizen, consulate not told", citizenOf("KG"), nil, rules.StateOverdue, hour},
		{"Kyrgyz citizen, consulate told", citizenOf("KG"), []habeas.Event{ev(habeas.EventConsularNotified, arrest.Add(5*hour))}, rules.StateMet, 0},
		{"dual citizen", citizenOf("KZ", "RU"), nil, rules.StateOverdue, hour},
		{"citizen of Kazakhstan", citizenOf("KZ"), nil, "", 0},
		{"citizenship not recorded", citizenOf(), nil, rules.StateUnknown, 0},
		{"no person record", nil, nil, rules.StateUnknown, 0},
	} {
		t.Run(tt.name, func(t *testing.T) {
			d := detention(t, "almaty", habeas.ProcedureCriminal, append([]habeas.Event{ev(habeas.EventArrest, arrest)}, tt.events...)...)
			c := &rules.Case{Detention: d, Person: tt.person}
			rs := e.Evaluate(c, arrest.Add(25*hour))
			for _, id := range consular {
				r, ok := result(rs, id)
				if tt.state == "" {
					if ok {
						t.Errorf("%s applies to a citizen: %v", id, r.State)
					}
					continue
				}
				if !ok {
					t.Fatalf("no result for %s among %s", id, ids(rs))
				}
				wantState(t, r, tt.state, tt.by)
				if tt.state == rules.StateUnknown {
					if r.Missing != "citizenship" {
						t.Errorf("%s: missing got %q, want citizenship", id, r.Missing)
					}
					if got := rules.Explain(r, c); !strings.Contains(got, "citizenship is not recorded") {
						t.Errorf("Explain got %q, want it to say the citizenship is not recorded", got)
					}
				}
			}
		})
	}
}

func TestUnknownProcedure(t *testing.T) {
	e := newEngine(t)
	arrest := ordinaryArrest(t)
	d := detention(t, "almaty", habeas.ProcedureUnknown, ev(habeas.EventArrest, arrest))
	c := &rules.Case{Detention: d, Person: adult()}
	rs := e.Evaluate(c, arrest.Add(10*hour))
	for _, id := range []string{"international.judge-48h", "kz.suspect-48h", "kz.protocol-3h", "kz.pretrial-custody",
		"kz.admin-detention-3h", "kz.admin-arrest"} {
		r := mustResult(t, rs, id)
		if r.State != rules.StateUnknown || r.Missing != "procedure" {
			t.Errorf("%s: got %v missing %q, want %v missing procedure", id, r.State, r.Missing, rules.StateUnknown)
		}
		if got := rules.Explain(r, c); !strings.Contains(got, "procedure (administrative or criminal) is not recorded") {
			t.Errorf("%s: Explain got %q", id, got)
		}
	}
	wantState(t, mustResult(t, rs, "kz.court-sanction-72h"), rules.StatePending, 62*hour)
	wantState(t, mustResult(t, rs, "international.whereabouts-24h"), rules.StatePending, 14*hour)
}

func TestTimeZonesInBothPeriods(t *testing.T) {
	for _, tt := range []struct {
		name   string
		at     time.Time
		zone   string
		offset int // hours
	}{
		{"Almaty, January 2022", time.Date(2022, 1, 10, 6, 0, 0, 0, time.UTC), "Asia/Almaty", 6},
		{"Almaty, February 2024", time.Date(2024, 2, 15, 6, 0, 0, 0, time.UTC), "Asia/Almaty", 6},
		{"Almaty, after 1 March 2024", time.Date(2024, 3, 10, 6, 0, 0, 0, time.UTC), "Asia/Almaty", 5},
		{"Aktau, January 2022", time.Date(2022, 1, 10, 6, 0, 0, 0, time.UTC), "Asia/Aqtau", 5},
		{"Aktau, 2024", time.Date(2024, 3, 10, 6, 0, 0, 0, time.UTC), "Asia/Aqtau", 5},
	} {
		t.Run(tt.name, func(t *testing.T) {
			if _, off := habeas.LocalTime(tt.at, tt.zone).Zone(); off != tt.offset*3600 {
				t.Errorf("offset got %+dh, want %+dh", off/3600, tt.offset)
			}
		})
	}

	e := newEngine(t)
	for _, tt := range []struct {
		name  string
		city  string
		at    time.Time
		shown string // the arrest as Explain shows it
	}{
		{"Almaty 2022", "almaty", time.Date(2022, 2, 10, 6, 0, 0, 0, time.UTC), "2022-02-10 12:00 +06"},
		{"Almaty 2024", "almaty", time.Date(2024, 3, 10, 6, 0, 0, 0, time.UTC), "2024-03-10 11:00 +05"},
		{"Aktau 2022", "aktau", time.Date(2022, 2, 10, 6, 0, 0, 0, time.UTC), "2022-02-10 11:00 +05"},
	} {
		t.Run("Explain "+tt.name, func(t *testing.T) {
			c := &rules.Case{Detention: detention(t, tt.city, habeas.ProcedureCriminal, ev(habeas.EventArrest, tt.at)), Person: adult()}
			got := rules.Explain(mustResult(t, e.Evaluate(c, tt.at.Add(hour)), "kz.suspect-48h"), c)
			if !strings.Contains(got, "Clock started "+tt.shown) {
				t.Errorf("Explain got %q, want the arrest shown as %s", got, tt.shown)
			}
		})
	}
}

func TestEventsAfterTheMomentIgnored(t *testing.T) {
	e := newEngine(t)
	arrest := ordinaryArrest(t)
	d := detention(t, "almaty", habeas.ProcedureCriminal,
		ev(habeas.EventArrest, arrest),
		ev(habeas.EventTransfer, arrest.Add(20*hour)),
		ev(habeas.EventCourtAppearance, arrest.Add(60*hour)),
		ev(habeas.EventIllTreatment, arrest.Add(70*hour)),
		ev(habeas.EventRelease, arrest.Add(100*hour)))
	c := &rules.Case{Detention: d, Person: adult()}
	for _, tt := range []struct {
		name  string
		at    time.Duration
		id    string
		state rules.State
		by    time.Duration
	}{
		{"judge, before the hearing", 10 * hour, "international.judge-48h", rules.StatePending, 38 * hour},
		{"judge, overdue before the hearing", 50 * hour, "international.judge-48h", rules.StateOverdue, 2 * hour},
		{"judge, after the late hearing", 61 * hour, "international.judge-48h", rules.StateMetLate, 12 * hour},
		{"whereabouts, before the transfer", 10 * hour, "international.whereabouts-24h", rules.StatePending, 14 * hour},
		{"whereabouts, after the transfer", 21 * hour, "international.whereabouts-24h", rules.StateMet, 0},
		{"medical, before release", 50 * hour, "international.medical-exam", rules.StateOverdue, 26 * hour},
		{"medical, after release", 101 * hour, "international.medical-exam", rules.StateMetLate, 76 * hour},
	} {
		t.Run(tt.name, func(t *testing.T) {
			wantState(t, mustResult(t, e.Evaluate(c, arrest.Add(tt.at)), tt.id), tt.state, tt.by)
		})
	}
	if _, ok := result(e.Evaluate(c, arrest.Add(69*hour)), "international.ill-treatment-investigation"); ok {
		t.Errorf("an allegation made after the moment of evaluation is evaluated")
	}
	if _, ok := result(e.Evaluate(c, arrest.Add(71*hour)), "international.ill-treatment-investigation"); !ok {
		t.Errorf("an allegation made before the moment of evaluation is not evaluated")
	}
}

func TestEvaluateOrder(t *testing.T) {
	e := newEngine(t)
	arrest := local(t, "almaty", 2022, 1, 7, 14, 0)
	for _, tt := range []struct {
		name   string
		person *habeas.Person
		order  []string // must appear in this order
	}{
		{"adult in the emergency", adult(), []string{"international.judge-48h", "kz.suspect-48h", "kz.court-sanction-72h"}},
		{"juvenile in the emergency", bornOn(habeas.PrecisionDay, "2005-03-01"),
			[]string{"international.judge-48h", "kz.juvenile-suspect-24h", "kz.suspect-48h", "kz.court-sanction-72h"}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			d := detention(t, "almaty", habeas.ProcedureCriminal, ev(habeas.EventArrest, arrest))
			c := &rules.Case{Detention: d, Person: tt.person}
			rs := e.Evaluate(c, arrest.Add(hour))
			pos := map[string]int{}
			for i, r := range rs {
				pos[r.Rule.ID] = i
			}
			for i := 1; i < len(tt.order); i++ {
				a, b := tt.order[i-1], tt.order[i]
				if _, ok := pos[a]; !ok {
					t.Fatalf("no result for %s", a)
				}
				if _, ok := pos[b]; !ok {
					t.Fatalf("no result for %s", b)
				}
				if pos[a] > pos[b] {
					t.Errorf("%s comes after %s: %s", a, b, ids(rs))
				}
			}
			for i := 1; i < len(rs); i++ { // results of one safeguard stay together
				if rs[i-1].Rule.Safeguard > rs[i].Rule.Safeguard {
					t.Errorf("safeguard %s after %s: %s", rs[i].Rule.Safeguard, rs[i-1].Rule.Safeguard, ids(rs))
				}
			}
			// Append gives the same results, unsorted, into a reused buffer.
			buf := make([]rules.Result, 0, 64)
			buf = e.Append(buf, c, arrest.Add(hour))
			rules.SortForDisplay(buf)
			if got, want := ids(buf), ids(rs); got != want {
				t.Errorf("Append then SortForDisplay got %s, want %s", got, want)
			}
		})
	}
}

func TestFormatDuration(t *testing.T) {
	for _, tt := range []struct {
		d    time.Duration
		want string
	}{
		{0, "0m"},
		{45 * minute, "45m"},
		{47*hour + 59*minute, "1d 23h 59m"},
		{48 * hour, "2d"},
		{2*day + 4*hour, "2d 4h"},
		{-90 * minute, "1h 30m"},
		{29 * time.Second, "0m"},
		{30 * time.Second, "1m"},
	} {
		t.Run(tt.d.String(), func(t *testing.T) {
			if got := rules.FormatDuration(tt.d); got != tt.want {
				t.Errorf("got %v, want %v", got, tt.want)
			}
		})
	}
}

func TestStateRankAndViolation(t *testing.T) {
	order := []rules.State{rules.StateOverdue, rules.StatePending, rules.StateUnknown, rules.StateViolated, rules.StateMetLate, rules.StateMet}
	for i, s := range order {
		if got := s.Rank(); got != i {
			t.Errorf("%s.Rank() got %v, want %v", s, got, i)
		}
		want := s == rules.StateOverdue || s == rules.StateMetLate || s == rules.StateViolated
		if got := s.Violation(); got != want {
			t.Errorf("%s.Violation() got %v, want %v", s, got, want)
		}
	}
}

// A transfer restarts the clock but never hides a breach before it: the late
// notice of the first window is reported beside the pending second one.
func TestTransferKeepsEarlierBreach(t *testing.T) {
	e := newEngine(t)
	arrest := ordinaryArrest(t)
	transfer := arrest.Add(30 * hour)
	d := detention(t, "almaty", habeas.ProcedureCriminal,
		ev(habeas.EventArrest, arrest, withID("e1")),
		ev(habeas.EventFamilyNotified, arrest.Add(14*hour), withID("e2")),
		ev(habeas.EventTransfer, transfer, withID("e3")),
	)
	rs := e.Evaluate(&rules.Case{Detention: d, Person: adult()}, transfer.Add(5*hour))
	wantState(t, mustResult(t, rs, "kz.family-notice", "e1"), rules.StateMetLate, 2*hour)
	wantState(t, mustResult(t, rs, "kz.family-notice", "e3"), rules.StatePending, 7*hour)
	// Without the earlier breach only the current window is reported.
	d.Events[1].At = arrest.Add(2 * hour)
	rs = e.Evaluate(&rules.Case{Detention: d, Person: adult()}, transfer.Add(5*hour))
	n := 0
	for _, r := range rs {
		if r.Rule.ID == "kz.family-notice" {
			n++
		}
	}
	if n != 1 {
		t.Fatalf("got %d family-notice results, want only the current window", n)
	}
}

// Judged as known at the time: an exception that depends on a charge
// holds only if the charge came within the rule's own limit. A CC 272
// charge brought at hour 60 does not excuse a breach of the 48 hours at
// any later moment, not even as a reading beside the state; one brought
// at hour 40, or at the 48th hour itself, gives the 72 hours of
// art. 131(4) as that reading (confidence M, so never instead).
func TestChargeExceptionNoHindsight(t *testing.T) {
	e := newEngine(t)
	arrest := ordinaryArrest(t)
	for _, tt := range []struct {
		name      string
		chargeAt  time.Duration
		at        time.Duration
		doubt     bool
		doubtBy   time.Duration
		doubtWhat rules.State
	}{
		{"charge at hour 60, judged at 50", 60 * hour, 50 * hour, false, 0, ""},
		{"charge at hour 60, judged at 74", 60 * hour, 74 * hour, false, 0, ""},
		{"charge at hour 40, judged at 50", 40 * hour, 50 * hour, true, 22 * hour, rules.StatePending},
		{"charge at hour 40, judged at 74", 40 * hour, 74 * hour, true, 2 * hour, rules.StateOverdue},
		{"charge at the 48th hour, judged at 50", 48 * hour, 50 * hour, true, 22 * hour, rules.StatePending},
		{"charge 1m after the 48th hour, judged at 50", 48*hour + minute, 50 * hour, false, 0, ""},
	} {
		t.Run(tt.name, func(t *testing.T) {
			d := detention(t, "almaty", habeas.ProcedureCriminal, ev(habeas.EventArrest, arrest),
				ev(habeas.EventCharge, arrest.Add(tt.chargeAt), withCharge("272", "2")))
			r := mustResult(t, e.Evaluate(&rules.Case{Detention: d, Person: adult()}, arrest.Add(tt.at)), "kz.suspect-48h")
			wantState(t, r, rules.StateOverdue, tt.at-48*hour)
			switch {
			case tt.doubt && (r.Doubt == nil || r.Doubt.State != tt.doubtWhat || r.Doubt.By != tt.doubtBy):
				t.Errorf("doubt got %+v, want %v by %v under the 72h", r.Doubt, tt.doubtWhat, tt.doubtBy)
			case !tt.doubt && r.Doubt != nil:
				t.Errorf("doubt got %+v, want none: the charge came too late", r.Doubt)
			}
		})
	}
}

// Flags are judged at the moment asked for, as the rules are: a protocol
// written late is flagged only once it has been written.
func TestFlagsKnownAtTheTime(t *testing.T) {
	arrest := ordinaryArrest(t)
	d := detention(t, "almaty", habeas.ProcedureCriminal, ev(habeas.EventArrest, arrest), ev(habeas.EventProtocol, arrest.Add(5*hour)),
		ev(habeas.EventArrest, arrest.Add(6*hour)))
	for _, tt := range []struct {
		at   time.Duration
		want []string
	}{
		{4 * hour, nil},
		{5 * hour, []string{rules.FlagProtocolGap}},
		{6 * hour, []string{rules.FlagProtocolGap, rules.FlagConflictingArrest}},
	} {
		var got []string
		for _, f := range rules.Flags(d, nil, arrest.Add(tt.at)) {
			got = append(got, f.Code)
		}
		if !slices.Equal(got, tt.want) {
			t.Errorf("at hour %v: flags %v, want %v", tt.at.Hours(), got, tt.want)
		}
	}
}
