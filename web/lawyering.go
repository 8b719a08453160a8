package web

import (
	"net/http"

	"github.com/habeas-project/habeas"
	"github.com/habeas-project/habeas/casework"
)

// Lawyer coordination on the case page: assigning and reassigning a
// lawyer, and recording visits, refusals of access and hearings. Each is
// a plain form posted to its own route; see caseWrite for what happens
// to it.

// caseAssign serves POST /detentions/{id}/assignments: a lawyer starts
// acting for the detainee. With replace naming an assignment in force,
// it is a reassignment: that assignment ends when the new one starts,
// in the same batch, so the case never shows both or neither. The form's
// checks against the case's assignments are made again by casework.Assign
// inside its transaction, so two people assigning at the same moment
// cannot both succeed.
func (s *Server) caseAssign(w http.ResponseWriter, r *http.Request) error {
	return s.caseSubmit(w, r, "assign", "lawyers", func(fr *formReader, d *habeas.Detention) error {
		ctx := r.Context()
		l := fr.lawyer(true)
		kind := fr.choice("kind", "case.assign.kind", assignmentKinds, true)
		from := fr.when("from", "case.assign.from", true)
		fr.notBefore("from", "case.assign.from", from, d.ArrestedAt(), "case.error.before_arrest")
		notes := fr.text("notes", "case.form.note", 2000, false)
		srcID, newSource := fr.source(false)
		current, err := s.work.FindAssignments(ctx, habeas.UserFrom(ctx), d.ID)
		if err != nil {
			return err
		}
		var replaced *habeas.Assignment
		if id := fr.f.Value("replace"); id != "" {
			for _, a := range current {
				if a.ID == id && a.To.IsZero() {
					replaced = a
				}
			}
			if replaced == nil {
				fr.fail("replace", "case.assign.replace", "case.error.replace")
			} else if !from.IsZero() && !from.After(replaced.From) {
				fr.fail("from", "case.assign.from", "case.error.replace_before",
					"From", localTime(replaced.From, fr.zone))
			}
		}
		if l != nil {
			for _, a := range current {
				if a.LawyerID == l.ID && a.To.IsZero() && (replaced == nil || a.ID != replaced.ID) {
					fr.fail("lawyer", "case.form.lawyer", "case.error.already_assigned")
				}
			}
		}
		if fr.failed() {
			return nil
		}
		req := casework.AssignmentRequest{DetentionID: d.ID, LawyerID: l.ID, Kind: habeas.AssignmentKind(kind), From: from,
			Notes: notes, SourceID: srcID, Replace: fr.f.Value("replace")}
		if len(newSource) > 0 {
			req.NewSource = newSource[0].Entity.(*habeas.Source)
		}
		_, err = s.work.Assign(ctx, habeas.UserFrom(ctx), req)
		return err
	})
}

// caseVisit serves POST /detentions/{id}/visits: a lawyer saw the
// detainee (lawyer_access_granted). The access form posts here, or with
// its other button to caseRefusal.
func (s *Server) caseVisit(w http.ResponseWriter, r *http.Request) error {
	return s.caseWrite(w, r, "access", "access", func(fr *formReader, d *habeas.Detention) []habeas.Mutation {
		l := fr.lawyer(true)
		e := fr.accessEvent(d, habeas.EventLawyerAccess)
		srcID, muts := fr.source(true)
		if fr.failed() {
			return nil
		}
		e.LawyerID, e.Sources = l.ID, []string{srcID}
		return append(muts, addEvent(d, e))
	})
}

// caseRefusal serves POST /detentions/{id}/refusals: a lawyer was refused
// access to the detainee (lawyer_access_denied), by whom and why.
func (s *Server) caseRefusal(w http.ResponseWriter, r *http.Request) error {
	return s.caseWrite(w, r, "access", "access", func(fr *formReader, d *habeas.Detention) []habeas.Mutation {
		l := fr.lawyer(true)
		e := fr.accessEvent(d, habeas.EventLawyerDenied)
		srcID, muts := fr.source(true)
		if fr.failed() {
			return nil
		}
		e.LawyerID, e.Sources = l.ID, []string{srcID}
		return append(muts, addEvent(d, e))
	})
}

// accessEvent reads what a visit and a refusal share: when, where, the
// official who allowed or refused access, and a note (for a refusal, the
// reason given). Neither can precede the arrest or lie in the future.
func (fr *formReader) accessEvent(d *habeas.Detention, t habeas.EventType) habeas.Event {
	at := fr.when("at", "case.form.at", true)
	fr.notBefore("at", "case.form.at", at, d.ArrestedAt(), "case.error.before_arrest")
	fr.notFuture("at", "case.form.at", at)
	return habeas.Event{Type: t, At: at, Zone: fr.zone,
		Place: fr.text("place", "case.form.place", 300, false),
		Body:  fr.text("by", "case.access.by", 300, false),
		Note:  fr.text("note", "case.access.note", 2000, false)}
}

// caseHearing serves POST /detentions/{id}/hearings: a court appearance
// with the court's decision, or a hearing of the trial. A hearing may be
// recorded ahead of its date.
func (s *Server) caseHearing(w http.ResponseWriter, r *http.Request) error {
	return s.caseWrite(w, r, "hearing", "court", func(fr *formReader, d *habeas.Detention) []habeas.Mutation {
		t := habeas.EventType(fr.choice("type", "case.hearing.type", hearingTypes, true))
		at := fr.when("at", "case.form.at", true)
		fr.notBefore("at", "case.form.at", at, d.ArrestedAt(), "case.error.before_arrest")
		court := fr.text("court", "case.hearing.court", 300, false)
		e := habeas.Event{Type: t, At: at, Zone: fr.zone, Place: court, Body: court,
			Note: fr.text("note", "case.form.note", 2000, false)}
		if t == habeas.EventCourtAppearance {
			e.Decision = fr.decision(court)
		}
		srcID, muts := fr.source(true)
		if fr.failed() {
			return nil
		}
		e.Sources = []string{srcID}
		return append(muts, addEvent(d, e))
	})
}

// decision reads the court's decision at an appearance, with the term of
// an administrative arrest and the amount of a fine.
func (fr *formReader) decision(court string) *habeas.Decision {
	kind := fr.choice("decision", "case.hearing.decision", decisionKinds, true)
	d := &habeas.Decision{Kind: habeas.DecisionKind(kind), Court: court,
		Judge: fr.text("judge", "case.hearing.judge", 200, false)}
	d.Days = fr.number("days", "case.hearing.days", 0, 3650)
	if d.Kind == habeas.DecisionAdminArrest && (d.Days < 1 || d.Days > 90) && fr.f.Err("days") == "" {
		fr.fail("days", "case.hearing.days", "case.error.number", "Min", 1, "Max", 90)
	}
	if d.Kind == habeas.DecisionFine {
		d.Amount = int64(fr.number("amount", "case.hearing.amount", 1, 1_000_000_000))
		if d.Amount == 0 && fr.f.Err("amount") == "" {
			fr.fail("amount", "case.hearing.amount", "case.error.required")
		}
		d.Unit = fr.choice("unit", "case.hearing.unit", []string{"MCI", "KZT"}, true)
	}
	return d
}
