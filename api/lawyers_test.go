package api_test

import (
	"net/http"
	"slices"
	"testing"
	"time"

	"github.com/habeas-project/habeas"
	"github.com/habeas-project/habeas/web/webtest"
)

// The lawyers list counts only assignments in force at the moment asked
// for, each detention once.
func TestListLawyers(t *testing.T) {
	env := webtest.New(t)
	w := newWorld(t, env)
	other := webtest.Detention(w.person, "aktau", habeas.ProcedureAdministrative, time.Date(2022, 1, 4, 8, 0, 0, 0, time.UTC), w.src)
	busy := &habeas.Lawyer{ID: habeas.NewID(habeas.KindLawyer), Name: "Dana Sadykova", City: "almaty", Active: true}
	idle := &habeas.Lawyer{ID: habeas.NewID(habeas.KindLawyer), Name: "Асет Нұров", City: "aktau", Active: true}
	day := func(d int) time.Time { return time.Date(2022, 1, d, 9, 0, 0, 0, time.UTC) }
	env.Create(t, other, busy, idle,
		&habeas.Assignment{LawyerID: busy.ID, DetentionID: w.det.ID, Kind: habeas.AssignmentLegalAid, From: day(6)},
		&habeas.Assignment{LawyerID: busy.ID, DetentionID: other.ID, Kind: habeas.AssignmentRetained, From: day(5), To: day(8)},
		&habeas.Assignment{LawyerID: idle.ID, DetentionID: other.ID, Kind: habeas.AssignmentAppointed, From: day(8)})
	viewer := env.As(t, habeas.RoleViewer)
	type item struct {
		ID       string   `json:"id"`
		Name     string   `json:"name"`
		Caseload int      `json:"caseload"`
		Current  []string `json:"current_detentions"`
	}
	for _, tt := range []struct {
		at       string
		busy     []string
		idleLoad int
	}{
		{"2022-01-07T00:00:00Z", sorted(w.det.ID, other.ID), 0},
		{"2022-01-09T00:00:00Z", []string{w.det.ID}, 1},
		{"2022-01-05T00:00:00Z", []string{}, 0},
	} {
		var list struct {
			Items []item `json:"items"`
			Total int    `json:"total"`
		}
		if code := viewer.JSON(t, "GET", "/api/v1/lawyers?at="+tt.at, nil, &list); code != http.StatusOK {
			t.Fatalf("at %s: status %d, want 200", tt.at, code)
		}
		if list.Total != 2 || len(list.Items) != 2 {
			t.Fatalf("at %s: %d items of %d, want 2 of 2", tt.at, len(list.Items), list.Total)
		}
		for _, it := range list.Items {
			switch it.ID {
			case busy.ID:
				if !slices.Equal(it.Current, tt.busy) || it.Caseload != len(tt.busy) {
					t.Errorf("at %s: %s acts in %v (caseload %d), want %v", tt.at, it.Name, it.Current, it.Caseload, tt.busy)
				}
			case idle.ID:
				if it.Caseload != tt.idleLoad {
					t.Errorf("at %s: %s has caseload %d, want %d", tt.at, it.Name, it.Caseload, tt.idleLoad)
				}
			}
		}
	}
	var bad webtest.ErrorBody
	if code := viewer.JSON(t, "GET", "/api/v1/lawyers?at=yesterday", nil, &bad); code != http.StatusBadRequest || !bad.HasField("at", "") {
		t.Errorf("bad at: status %d, error %+v; want 400 naming at", code, bad.Error)
	}
}

func sorted(ids ...string) []string {
	slices.Sort(ids)
	return ids
}
