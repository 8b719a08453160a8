package demo

import (
	"fmt"
	"time"

	"github.com/habeas-project/habeas"
)

// casualtyCase draws a death or injury outside custody: the person as the
// first source names them, the casualty, and for deaths usually an
// investigation and some evidence.
func (g *gen) casualtyCase(h *casualtyHead) {
	r, c := g.r, h.city
	ro := roleInjured
	switch {
	case h.security:
		ro = roleSecurity
	case h.kind == habeas.CasualtyKilled:
		ro = roleKilled
	}
	t := g.newTruth(c, false, ro)
	var src string
	var kind habeas.SourceKind
	var family *caseSource
	if h.kind == habeas.CasualtyKilled {
		kind = pickW(r, []choice[habeas.SourceKind]{{60, habeas.SourceOfficialList}, {25, habeas.SourceRelative}, {15, habeas.SourceMedia}})
	} else {
		kind = pickW(r, []choice[habeas.SourceKind]{{50, habeas.SourceOfficialList}, {30, habeas.SourceRelative}, {10, habeas.SourceMedia}, {10, habeas.SourceSocialMedia}})
	}
	subject := map[habeas.CasualtyKind]string{habeas.CasualtyKilled: "deceased", habeas.CasualtyInjured: "injured person"}[h.kind]
	cited := func(t time.Time) string { // the family, for later facts
		if family == nil {
			family = g.caseSource(habeas.SourceRelative, c, subject, h.at)
		}
		return family.cite(t)
	}
	var own *caseSource
	switch {
	case kind == habeas.SourceOfficialList && h.kind == habeas.CasualtyKilled:
		src = g.deadList()
	case kind == habeas.SourceOfficialList:
		src = g.hospitalList(c, h.at)
	case kind == habeas.SourceRelative:
		src = cited(h.at)
	default:
		own = g.caseSource(kind, c, subject, h.at)
		src = own.cite(h.at)
	}
	name := t.name.render(pickW(r, stylesFor[kind]), r)
	p := g.personRecord(t, name, src, kind, h.at, c)
	if h.security {
		p.Notes = "member of the security forces"
	}
	cas := &habeas.Casualty{ID: g.ids.next(habeas.KindCasualty), Kind: h.kind, PersonID: p.ID, At: h.at, City: c.Key,
		Place: arrestPlace(r, c, h.plan, 5), SecurityForces: h.security, Sources: []string{src}}
	if incs := g.incidents[c.Key+"|"+localDate(c, h.at)]; len(incs) > 0 && r.chance(0.85) {
		cas.IncidentID = pick(r, incs).ID
	}
	if r.chance(0.4) {
		cas.Sources = append(cas.Sources, g.media(c, h.at))
	}
	switch {
	case h.security:
		cas.Cause = pickW(r, []choice[string]{{60, "gunshot"}, {15, "stab_wound"}, {15, "blunt_trauma"}, {10, "burns"}})
		cas.Circumstances = pick(r, []string{"killed during the storming of the akimat", "killed while guarding a public building", "killed at a checkpoint", "killed in a clash with armed men"})
		cas.AllegedPerpetrator = pick(r, []string{"armed rioters (alleged)", "unidentified armed men", "unknown"})
	case h.kind == habeas.CasualtyKilled:
		cas.Cause = pickW(r, []choice[string]{{80, "gunshot"}, {7, "blunt_trauma"}, {2, "explosion"}, {3, "stab_wound"}, {2, "burns"}, {6, "unknown"}})
		cas.Circumstances = pick(r, []string{"shot during the dispersal of a rally", "shot at a checkpoint", "shot in a car while driving through the city",
			"hit by a stray bullet near home", "shot near the akimat", "found dead after the clashes"})
		cas.AllegedPerpetrator = pickW(r, []choice[string]{{30, "security forces (unidentified)"}, {20, "police"}, {15, "National Guard"}, {10, "army"},
			{10, "unidentified armed men in civilian clothes"}, {15, "unknown"}})
	default:
		cas.Cause = pickW(r, []choice[string]{{35, "gunshot"}, {35, "blunt_trauma"}, {10, "other"}, {5, "stab_wound"}, {5, "burns"}, {2, "explosion"}, {8, "unknown"}})
		cas.Circumstances = pick(r, []string{"injured during the dispersal of a rally", "wounded by gunfire", "beaten by men in uniform", "hit by a stun grenade", "injured in a crush"})
		cas.AllegedPerpetrator = pickW(r, []choice[string]{{40, "security forces (unidentified)"}, {25, "police"}, {15, "National Guard"}, {20, "unknown"}})
	}
	if h.kind == habeas.CasualtyKilled {
		cas.BodyReturned = r.tri(0.7, 0.1)
		cas.Autopsy = r.tri(0.55, 0.15)
	}
	g.useOfForce(cas)
	g.c.casualties = append(g.c.casualties, cas)
	if h.kind == habeas.CasualtyKilled {
		if h.security || r.chance(0.85) {
			g.deathInvestigation(cas, h.security, cited)
		}
		if r.chance(0.5) {
			k := pickW(r, []choice[string]{{4, "photo"}, {3, "video"}, {2, "document"}, {2, "testimony"}})
			title := map[string]string{"photo": "Photograph of the scene", "video": "Video of the shooting",
				"document": "Death certificate", "testimony": "Testimony of a relative"}[k]
			g.evidence(k, title, cas.Circumstances, p.ID, "", cas.ID, h.at.Add(r.skewed(hour, 20*day)), pick(r, []string{"relative", "monitor", "lawyer"}), cited)
		}
		if cas.Autopsy != nil && *cas.Autopsy && r.chance(0.3) {
			g.evidence("medical_report", "Autopsy report", "copy obtained by the family", p.ID, "", cas.ID, h.at.Add(r.skewed(3*day, 40*day)), "relative", cited)
		}
	} else if r.chance(0.08) {
		g.evidence(pick(r, []string{"medical_report", "photo"}), "Hospital record of the injury", cas.Circumstances, p.ID, "", cas.ID, h.at.Add(r.skewed(hour, 10*day)), "relative", cited)
	}
	g.settle(family)
	g.settle(own)
}

// regionalProsecutor names the prosecutor's office of a city's region.
func regionalProsecutor(c *habeas.City) string { return "Prosecutor's Office, " + c.Region }

// deathInvestigation opens (or fails to open) an investigation of a death.
func (g *gen) deathInvestigation(cas *habeas.Casualty, security bool, cite func(time.Time) string) {
	r := g.r
	c, _ := habeas.FindCity(cas.City)
	inv := &habeas.Investigation{ID: g.ids.next(habeas.KindInvestigation), CasualtyID: cas.ID}
	byState := cas.AllegedPerpetrator != "unknown" && cas.AllegedPerpetrator != "unidentified armed men" &&
		cas.AllegedPerpetrator != "armed rioters (alleged)"
	if security {
		inv.Authority = pickW(r, []choice[string]{{50, "National Security Committee (KNB)"}, {30, "Prosecutor General's Office"}, {20, habeas.CityName(c.Key, "en") + " Police Department"}})
		inv.Articles = pick(r, [][]string{{"CC 255"}, {"CC 272"}, {"CC 255", "CC 272"}})
		inv.Status = pickW(r, []choice[habeas.InvestigationStatus]{{30, habeas.InvestigationOpen}, {30, habeas.InvestigationSentToCourt}, {30, habeas.InvestigationConcluded}, {10, habeas.InvestigationSuspended}})
		inv.AuthorityImplicated = r.tri(0, 0.6)
	} else {
		inv.Authority = pickW(r, []choice[string]{{40, "Prosecutor General's Office"}, {25, regionalProsecutor(c)}, {15, habeas.CityName(c.Key, "en") + " Police Department"},
			{10, "National Security Committee (KNB)"}, {10, "Anti-Corruption Agency"}})
		inv.Articles = pickW(r, []choice[[]string]{{40, []string{"CC 362"}}, {25, []string{"CC 99"}}, {20, []string{"CC 272"}}, {15, []string{"CC 99", "CC 362"}}})
		inv.Status = pickW(r, []choice[habeas.InvestigationStatus]{{8, habeas.InvestigationRequested}, {12, habeas.InvestigationRefused}, {30, habeas.InvestigationOpen},
			{15, habeas.InvestigationSuspended}, {20, habeas.InvestigationClosed}, {9, habeas.InvestigationSentToCourt}, {6, habeas.InvestigationConcluded}})
		switch {
		case !byState:
			inv.AuthorityImplicated = nil
		case inv.Authority == "National Security Committee (KNB)" || inv.Authority == habeas.CityName(c.Key, "en")+" Police Department":
			inv.AuthorityImplicated = r.tri(0.9, 0)
		default:
			inv.AuthorityImplicated = r.tri(0.1, 0.6)
		}
	}
	g.finishInvestigation(inv, cas.At, cite)
}

// allegationInvestigation opens (or fails to open) an investigation of an
// allegation of ill-treatment.
func (g *gen) allegationInvestigation(c *habeas.City, detentionID string, e habeas.Event, cite func(time.Time) string) {
	r := g.r
	inv := &habeas.Investigation{ID: g.ids.next(habeas.KindInvestigation), DetentionID: detentionID, AllegationEventID: e.ID}
	police := habeas.CityName(c.Key, "en") + " Police Department, internal security"
	inv.Authority = pickW(r, []choice[string]{{60, regionalProsecutor(c)}, {25, police}, {5, "Anti-Corruption Agency"}, {10, "National Security Committee (KNB)"}})
	switch {
	case inv.Authority == police:
		inv.AuthorityImplicated = r.tri(0.9, 0)
	case inv.Authority == "National Security Committee (KNB)" && e.Allegation.Perpetrators == "KNB officers":
		inv.AuthorityImplicated = r.tri(1, 0)
	default:
		inv.AuthorityImplicated = r.tri(0.15, 0.5)
	}
	inv.Articles = pickW(r, []choice[[]string]{{70, []string{"CC 146"}}, {30, []string{"CC 362"}}})
	inv.Status = pickW(r, []choice[habeas.InvestigationStatus]{{12, habeas.InvestigationRequested}, {18, habeas.InvestigationRefused}, {25, habeas.InvestigationOpen},
		{10, habeas.InvestigationSuspended}, {20, habeas.InvestigationClosed}, {10, habeas.InvestigationSentToCourt}, {5, habeas.InvestigationConcluded}})
	g.finishInvestigation(inv, e.At, cite)
}

// finishInvestigation fills in what every investigation has: when it was
// opened, its number, what the family and the public know, and its source.
func (g *gen) finishInvestigation(inv *habeas.Investigation, after time.Time, cite func(time.Time) string) {
	r := g.r
	known := after.Add(r.skewed(2*day, 60*day))
	if inv.Status != habeas.InvestigationRequested && inv.Status != habeas.InvestigationRefused {
		inv.Opened = after.Add(r.skewed(day, 45*day)).Truncate(time.Hour)
		inv.CaseNumber = fmt.Sprintf("22%04d%09d", r.between(1000, 9999), r.IntN(1e9))
		known = inv.Opened.Add(r.skewed(day, 120*day))
	}
	inv.FamilyInformed = r.tri(0.4, 0.35)
	g.minnesota(inv)
	if inv.Status == habeas.InvestigationConcluded {
		inv.ResultsPublic = r.tri(0.4, 0.4)
	} else {
		inv.ResultsPublic = r.tri(0.05, 0.65)
	}
	switch inv.Status {
	case habeas.InvestigationClosed:
		inv.Notes = pick(r, []string{"closed: use of force found lawful", "closed for lack of evidence of a crime", "closed: perpetrators not identified"})
	case habeas.InvestigationRefused:
		inv.Notes = "the authority refused to open a case"
	case habeas.InvestigationSuspended:
		inv.Notes = "suspended: suspect not identified"
	}
	if r.chance(0.4) {
		inv.Sources = []string{g.prosecutorStatement(known)}
	} else {
		inv.Sources = []string{cite(known)}
	}
	g.c.investigations = append(g.c.investigations, inv)
}

// evidence queues an item of evidence about a person, a detention or a
// casualty; most have a file, whose hash is a stand-in.
func (g *gen) evidence(kind, title, desc, personID, detentionID, casualtyID string, at time.Time, by string, cite func(time.Time) string) {
	r := g.r
	e := &habeas.Evidence{ID: g.ids.next(habeas.KindEvidence), Kind: kind, Title: title, Description: desc,
		PersonID: personID, DetentionID: detentionID, CasualtyID: casualtyID,
		CollectedAt: at, CollectedBy: by, Sources: []string{cite(at)}}
	if kind != "testimony" || r.chance(0.5) {
		if r.chance(0.75) {
			e.SHA256 = r.hex64()
		}
	}
	g.c.evidence = append(g.c.evidence, e)
}

// minnesota draws what the record says of the Minnesota Protocol's
// checklist (habeas.InvestigationChecks): nothing of the acts of an
// investigation never opened; for one opened, acts answered more often
// and more often yes the further it went, many left unknown; the facts
// asked only of a death, only of a death; accountability only once the
// case is over.
func (g *gen) minnesota(inv *habeas.Investigation) {
	r := g.side
	var yes, no float64 // the chances of an act answered yes and no
	switch inv.Status {
	case habeas.InvestigationSentToCourt, habeas.InvestigationConcluded:
		yes, no = 0.55, 0.2
	case habeas.InvestigationOpen:
		yes, no = 0.3, 0.2
	case habeas.InvestigationSuspended, habeas.InvestigationClosed:
		yes, no = 0.2, 0.45
	}
	death := inv.CasualtyID != ""
	for _, c := range habeas.InvestigationChecks {
		f := c.Field(inv)
		switch {
		case *f != nil, c.Death && !death:
			// set already (authority, family, results), or not asked
		case c.Act && inv.Status.Opened():
			*f = r.tri(yes, no)
		case c.Act:
			// never opened: no act to speak of
		case c.Name == "family_may_present_evidence":
			*f = r.tri(0.15, 0.45)
		case c.Name == "witnesses_protected":
			*f = r.tri(0.1, 0.3)
		case c.Name == "accountability" && inv.Status == habeas.InvestigationConcluded:
			*f = r.tri(0.35, 0.45)
		case c.Name == "accountability" && inv.Status == habeas.InvestigationClosed:
			*f = r.tri(0, 0.6)
		}
	}
}
