package habeas_test

import (
	"testing"
	"time"

	"github.com/habeas-project/habeas"
)

func TestAgeGroupAt(t *testing.T) {
	almaty, err := habeas.LoadZone("Asia/Almaty")
	if err != nil {
		t.Fatal(err)
	}
	// 6 January 2022, 02:00 in Almaty; still the 5th in UTC.
	arrest := time.Date(2022, 1, 5, 20, 0, 0, 0, time.UTC)
	tests := []struct {
		name  string
		birth habeas.BirthDate
		loc   *time.Location
		want  habeas.AgeGroup
	}{
		{"18th birthday that day, local", habeas.BirthDate{Precision: habeas.PrecisionDay, Date: "2004-01-06"}, almaty, habeas.AgeAdult},
		{"18th birthday that day is tomorrow in UTC", habeas.BirthDate{Precision: habeas.PrecisionDay, Date: "2004-01-06"}, time.UTC, habeas.AgeJuvenile},
		{"18th birthday the next day", habeas.BirthDate{Precision: habeas.PrecisionDay, Date: "2004-01-07"}, almaty, habeas.AgeJuvenile},
		{"born in January 2004: possibly", habeas.BirthDate{Precision: habeas.PrecisionMonth, Date: "2004-01"}, almaty, habeas.AgePossiblyJuvenile},
		{"born in December 2003: adult", habeas.BirthDate{Precision: habeas.PrecisionMonth, Date: "2003-12"}, almaty, habeas.AgeAdult},
		{"born in 2004: possibly", habeas.BirthDate{Precision: habeas.PrecisionYear, Date: "2004"}, almaty, habeas.AgePossiblyJuvenile},
		{"born in 2005: juvenile", habeas.BirthDate{Precision: habeas.PrecisionYear, Date: "2005"}, almaty, habeas.AgeJuvenile},
		{"aged about 17: possibly", habeas.BirthDate{Precision: habeas.PrecisionAge, Age: 17, AgeAt: "2022-01-06"}, almaty, habeas.AgePossiblyJuvenile},
		{"aged about 15: juvenile", habeas.BirthDate{Precision: habeas.PrecisionAge, Age: 15, AgeAt: "2022-01-06"}, almaty, habeas.AgeJuvenile},
		{"aged about 30: adult", habeas.BirthDate{Precision: habeas.PrecisionAge, Age: 30, AgeAt: "2022-01-06"}, almaty, habeas.AgeAdult},
		{"nothing recorded", habeas.BirthDate{}, almaty, habeas.AgeUnknown},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := &habeas.Person{Birth: tt.birth}
			if got := habeas.AgeGroupAt(p, arrest, tt.loc); got != tt.want {
				t.Errorf("got %q, want %q", got, tt.want)
			}
		})
	}
	if got := habeas.AgeGroupAt(nil, arrest, almaty); got != habeas.AgeUnknown {
		t.Errorf("no person: got %q, want unknown", got)
	}
	d := &habeas.Detention{City: "almaty", Events: []habeas.Event{{Type: habeas.EventArrest, At: arrest}}}
	p := &habeas.Person{Birth: habeas.BirthDate{Precision: habeas.PrecisionDay, Date: "2004-01-06"}}
	if got := habeas.AgeAtArrest(p, d); got != habeas.AgeAdult {
		t.Errorf("AgeAtArrest: got %q, want adult: the day is read in Almaty, where the 18th birthday had come", got)
	}
}

func TestNoLawyerAndIncommunicado(t *testing.T) {
	arrest := time.Date(2022, 1, 5, 10, 0, 0, 0, time.UTC)
	later := func(h int) time.Time { return arrest.Add(time.Duration(h) * time.Hour) }
	det := func(events ...habeas.Event) *habeas.Detention {
		return &habeas.Detention{ID: "det_aaaaaaaaaaaaaaaa", Events: append([]habeas.Event{{Type: habeas.EventArrest, At: arrest}}, events...)}
	}
	open := &habeas.Assignment{DetentionID: "det_aaaaaaaaaaaaaaaa", From: later(1)}
	ended := &habeas.Assignment{DetentionID: "det_aaaaaaaaaaaaaaaa", From: later(1), To: later(5)}
	elsewhere := &habeas.Assignment{DetentionID: "det_bbbbbbbbbbbbbbbb", From: later(1)}
	tests := []struct {
		name             string
		d                *habeas.Detention
		as               []*habeas.Assignment
		noLawyer, incomm bool
	}{
		{"just arrested", det(), nil, true, true},
		{"an open assignment", det(), []*habeas.Assignment{open}, false, true},
		{"only an ended assignment", det(), []*habeas.Assignment{ended}, true, true},
		{"an assignment to another detention", det(), []*habeas.Assignment{elsewhere}, true, true},
		{"a lawyer let in, no assignment", det(habeas.Event{Type: habeas.EventLawyerAccess, At: later(2)}), nil, true, false},
		{"a lawyer refused", det(habeas.Event{Type: habeas.EventLawyerDenied, At: later(2)}), nil, true, true},
		{"family told", det(habeas.Event{Type: habeas.EventFamilyNotified, At: later(2)}), nil, true, false},
		{"consulate told", det(habeas.Event{Type: habeas.EventConsularNotified, At: later(2)}), nil, true, true},
		{"whereabouts confirmed", det(habeas.Event{Type: habeas.EventWhereaboutsStated, At: later(2)}), nil, true, false},
		{"moved to a named place", det(habeas.Event{Type: habeas.EventTransfer, At: later(2), Place: "IVS Almaty"}), nil, true, false},
		{"moved, place not known", det(habeas.Event{Type: habeas.EventTransfer, At: later(2)}), nil, true, true},
		{"released", det(habeas.Event{Type: habeas.EventRelease, At: later(2)}), nil, false, false},
		{"house arrest", det(habeas.Event{Type: habeas.EventCourtAppearance, At: later(2), Decision: &habeas.Decision{Kind: habeas.DecisionHouseArrest}}), nil, false, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := habeas.NoLawyer(tt.d, tt.as); got != tt.noLawyer {
				t.Errorf("NoLawyer: got %v, want %v", got, tt.noLawyer)
			}
			if got := habeas.Incommunicado(tt.d); got != tt.incomm {
				t.Errorf("Incommunicado: got %v, want %v", got, tt.incomm)
			}
		})
	}
}
