package demo

import (
	"strings"
	"time"

	"github.com/habeas-project/habeas"
	"github.com/habeas-project/habeas/names"
)

// nameVariants adds to the person record the other ways its own sources
// wrote the name: the police list that gave the protocol, and sometimes a
// caseworker's transliteration.
func (cg *caseGen) nameVariants() {
	r, p, t := cg.r, cg.person, cg.truth
	if cg.protocolID != "" && r.chance(0.4) {
		p.Names = append(p.Names, habeas.NameVariant{Text: t.name.render(pickW(r, stylesFor[habeas.SourceOfficialList]), r),
			Kind: habeas.NameAsWritten, SourceID: cg.protocolID})
		p.Sources = append(p.Sources, cg.protocolID)
		if t.iin != "" && r.chance(0.6) {
			p.IIN, p.Sex = t.iin, t.sex
		}
		if len(p.Citizenships) == 0 {
			p.Citizenships = []string{t.country}
		}
	}
	if r.chance(0.15) {
		style := styleLatinFormal
		if names.DetectScript(p.Names[0].Text) == "Latn" {
			style = styleCourt
		} else if r.chance(0.5) {
			style = styleLatinPress
		}
		p.Names = append(p.Names, habeas.NameVariant{Text: t.name.render(style, r), Kind: habeas.NameTransliteration})
	}
	// The same text twice adds nothing.
	seen := map[string]bool{}
	kept := p.Names[:0]
	for _, n := range p.Names {
		if !seen[n.Text] {
			seen[n.Text] = true
			kept = append(kept, n)
		}
	}
	p.Names = kept
}

// duplicate reports the same detainee again, as another source names them:
// a new, unlinked person record with its own detention report, for the
// deduplication review queue to find.
func (cg *caseGen) duplicate() {
	r, c, h, g := cg.r, cg.c, cg.h, cg.g
	var kind habeas.SourceKind
	for kind == "" || kind == cg.report.src.Kind {
		kind = pickW(r, []choice[habeas.SourceKind]{{30, habeas.SourceOfficialList}, {15, habeas.SourceLawyer},
			{20, habeas.SourceMedia}, {15, habeas.SourceRelative}, {10, habeas.SourceHotlineCall}, {10, habeas.SourceSocialMedia}})
	}
	at := h.at
	dateOnly := r.chance(0.3)
	if dateOnly {
		_, start := dayStart(c, h.at)
		at = start.Add(12 * hour)
	} else if r.chance(0.7) {
		at = at.Add(r.dur(-2*hour, 2*hour))
	}
	var src string
	if kind == habeas.SourceOfficialList {
		src = g.prosecutorList(c, at)
	} else {
		cs := g.caseSource(kind, c, "detainee", at)
		cg.extra = append(cg.extra, cs)
		src = cs.cite(at)
	}
	taken := map[string]bool{}
	for _, n := range cg.person.Names {
		taken[n.Text] = true
	}
	var name string
	for i := 0; i < 6 && (name == "" || taken[name]); i++ {
		name = cg.truth.name.render(pickW(r, stylesFor[kind]), r)
	}
	if taken[name] || r.chance(0.2) {
		name = typo(name, r)
	}
	p := g.personRecord(cg.truth, name, src, kind, at, c)
	if p.IIN == "" && p.Birth.Precision != habeas.PrecisionAge && p.Birth.Precision != habeas.PrecisionUnknown && r.chance(0.05) {
		// A year misread: the record now contradicts the others, as real ones do.
		layout := map[habeas.Precision]string{habeas.PrecisionDay: time.DateOnly, habeas.PrecisionMonth: "2006-01", habeas.PrecisionYear: "2006"}[p.Birth.Precision]
		d, _ := time.Parse(layout, p.Birth.Date)
		p.Birth.Date = d.AddDate(pick(r, []int{-1, 1}), 0, 0).Format(layout)
	}
	d := &habeas.Detention{ID: g.ids.next(habeas.KindDetention), PersonID: p.ID, City: c.Key, Sources: []string{src}}
	if documented(kind) {
		d.Procedure = h.proc
	}
	if r.chance(0.5) {
		d.IncidentID = cg.det.IncidentID
	}
	arrest := habeas.Event{ID: "e1", Type: habeas.EventArrest, At: at, Zone: c.Zone, Place: cg.det.Events[0].Place, Sources: []string{src}}
	if dateOnly {
		arrest.Place = habeas.CityName(c.Key, "en")
		arrest.Note = "only the date is known"
	} else if r.chance(0.5) {
		arrest.Body = cg.det.Events[0].Body
	}
	d.Events = []habeas.Event{arrest}
	if place := cg.heldAt(at.Add(6 * hour)); place != "" && r.chance(0.35) {
		seen := at.Add(r.skewed(2*hour, 3*day))
		if cg.out.IsZero() || seen.Before(cg.out) {
			d.Events = append(d.Events, habeas.Event{ID: "e2", Type: habeas.EventWhereaboutsStated, At: seen, Zone: c.Zone,
				Place: cg.heldAt(seen), Sources: []string{src}})
			if kind != habeas.SourceOfficialList {
				cg.extra[len(cg.extra)-1].cite(seen)
			}
		}
	}
	g.c.detentions = append(g.c.detentions, d)
	g.reports[p.ID] = struct{}{}
}

// consequences draws what follows from the timeline: the casualty record
// of an injury or a death in custody, investigations, the lawyer's
// assignment and items of evidence.
func (cg *caseGen) consequences() {
	r, c, g, h := cg.r, cg.c, cg.g, cg.h
	p, d := cg.person, cg.det
	if h.injured {
		at := h.at.Add(-r.skewed(0, 40*time.Minute))
		circ := "injured during the dispersal, then detained"
		if r.chance(0.5) {
			at = cg.base.Add(r.skewed(10*time.Minute, 24*hour))
			circ = "injured in custody"
			if !cg.out.IsZero() && !at.Before(cg.out) {
				at = cg.base.Add(cg.out.Sub(cg.base) / 2).Truncate(time.Second)
			}
		}
		cas := &habeas.Casualty{ID: g.ids.next(habeas.KindCasualty), Kind: habeas.CasualtyInjured, PersonID: p.ID,
			IncidentID: d.IncidentID, DetentionID: d.ID, At: at, City: c.Key, Place: d.Events[0].Place,
			Cause:              pickW(r, []choice[string]{{50, "blunt_trauma"}, {20, "gunshot"}, {15, "other"}, {15, "unknown"}}),
			Circumstances:      circ,
			AllegedPerpetrator: d.Events[0].Body,
			Sources:            []string{cg.fu(at)},
		}
		g.useOfForce(cas)
		g.c.casualties = append(g.c.casualties, cas)
	}
	for _, e := range d.Events {
		switch e.Type {
		case habeas.EventDeathInCustody:
			cas := &habeas.Casualty{ID: g.ids.next(habeas.KindCasualty), Kind: habeas.CasualtyKilled, PersonID: p.ID,
				DetentionID: d.ID, At: e.At, City: c.Key, Place: e.Place,
				Cause:              pickW(r, []choice[string]{{40, "ill_treatment"}, {25, "medical_neglect"}, {25, "unknown"}, {10, "blunt_trauma"}}),
				Circumstances:      "died in custody at " + e.Place,
				AllegedPerpetrator: pick(r, []string{"custodial staff", "police officers", "unknown"}),
				BodyReturned:       r.tri(0.8, 0.1),
				Autopsy:            r.tri(0.6, 0.2),
				Sources:            e.Sources,
			}
			g.useOfForce(cas)
			g.c.casualties = append(g.c.casualties, cas)
			if r.chance(0.95) {
				g.deathInvestigation(cas, false, func(t time.Time) string { return cg.fu(t) })
			}
			g.evidence("photo", "Photograph of the body", "taken by relatives at the morgue", p.ID, d.ID, cas.ID, e.At.Add(r.skewed(day, 5*day)), "relative", cg.fu)
			if cas.Autopsy != nil && *cas.Autopsy {
				g.evidence("medical_report", "Autopsy report", "copy obtained by the family's lawyer", p.ID, d.ID, cas.ID, e.At.Add(r.skewed(3*day, 30*day)), "lawyer", cg.law)
			}
		case habeas.EventIllTreatment:
			if r.chance(0.8) {
				g.allegationInvestigation(c, d.ID, e, cg.law)
			}
			if r.chance(0.5) && e.Allegation.Injuries != "no visible injuries reported" {
				g.evidence("photo", "Photographs of injuries", "taken after the allegation: "+e.Allegation.Injuries, p.ID, d.ID, "", e.At.Add(r.skewed(day, 10*day)), pick(r, []string{"lawyer", "relative"}), cg.law)
			}
			if r.chance(0.3) {
				g.evidence("testimony", "Written testimony of the detainee", "account of the ill-treatment", p.ID, d.ID, "", e.At.Add(r.skewed(2*day, 20*day)), "lawyer", cg.law)
			}
		case habeas.EventMedicalExam:
			if e.Body == "forensic medical examiner" && r.chance(0.5) {
				g.evidence("medical_report", "Forensic examination report", e.Note, p.ID, d.ID, "", e.At.Add(r.skewed(day, 14*day)), "lawyer", cg.law)
			}
		case habeas.EventCourtAppearance:
			if r.chance(0.03) {
				g.evidence("court_document", "Court decision", "decision: "+strings.ReplaceAll(string(e.Decision.Kind), "_", " ")+", "+e.Decision.Court, p.ID, d.ID, "", e.At.Add(r.skewed(hour, 7*day)), "lawyer", cg.law)
			}
		case habeas.EventArrest:
			if e.ID == "e1" && r.chance(0.03) {
				g.evidence("video", "Video of the arrest", "filmed by a passer-by", p.ID, d.ID, "", e.At.Add(r.skewed(time.Hour, 3*day)), "monitor", func(t time.Time) string { return g.monitor(c, t) })
			}
		}
	}
	if cg.lawyer != nil && !cg.asgFrom.IsZero() {
		a := &habeas.Assignment{ID: g.ids.next(habeas.KindAssignment), LawyerID: cg.lawyer.ID, DetentionID: d.ID, Kind: cg.asgKind,
			From: cg.asgFrom, Sources: []string{cg.law(cg.asgFrom)}}
		if st := d.Status(); (st == habeas.StatusReleased || st == habeas.StatusDied) && cg.final.After(a.From) {
			a.To = cg.final
		}
		a.Notes = map[habeas.AssignmentKind]string{habeas.AssignmentAppointed: "appointed by the investigator",
			habeas.AssignmentLegalAid: "sent by the organisation", habeas.AssignmentRetained: "retained by the family"}[cg.asgKind]
		g.c.assignments = append(g.c.assignments, a)
	}
}
