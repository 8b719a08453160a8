package demo

import (
	"strings"
	"time"

	"github.com/habeas-project/habeas"
)

// bySecurityForces reads who is alleged to have caused a casualty: the
// police, the National Guard, the army, custodial staff or security
// forces are security forces; alleged rioters are not; "unknown" and
// armed men nobody identified leave it unknown.
func bySecurityForces(perpetrator string) *bool {
	p := strings.ToLower(perpetrator)
	switch {
	case strings.Contains(p, "rioters"):
		return new(false)
	case p == "" || p == "unknown" || strings.Contains(p, "unidentified armed men"):
		return nil
	}
	for _, w := range []string{"security forces", "police", "national guard", "army", "custodial", "knb", "sobr", "omon", "officers"} {
		if strings.Contains(p, w) {
			return new(true)
		}
	}
	return nil
}

// useOfForce draws who caused a casualty and, for one by security forces,
// what the record says of how force was used, fact by fact, each from one
// of the casualty's sources: a warning rarely recorded as given (January
// 2022 had a televised order to fire without warning), a threat to life
// rarely recorded, medical aid and the family's notice often recorded
// with a time, hours or days later, the report to superiors seldom known.
// A third of the accounts record nothing. Synthetic proportions only.
func (g *gen) useOfForce(cas *habeas.Casualty) {
	r := g.force
	cas.BySecurityForces = bySecurityForces(cas.AllegedPerpetrator)
	if cas.BySecurityForces == nil || !*cas.BySecurityForces || len(cas.Sources) == 0 || r.chance(1.0/3) {
		return
	}
	fact := func(pYes, pNo float64) *habeas.ForceFact {
		b := r.tri(pYes, pNo)
		if b == nil {
			return nil
		}
		a := habeas.AnswerNo
		if *b {
			a = habeas.AnswerYes
		}
		return &habeas.ForceFact{Answer: a, Sources: []string{pick(r, cas.Sources)}}
	}
	timed := func(f *habeas.ForceFact, pTime float64, lo, hi time.Duration) {
		if f.Yes() && r.chance(pTime) {
			f.At = cas.At.Add(r.skewed(lo, hi)).Truncate(time.Minute)
			if f.At.Before(cas.At) {
				f.At = cas.At
			}
		}
	}
	u := &habeas.UseOfForce{}
	if cas.Cause == "gunshot" || cas.Cause == "unknown" || cas.Cause == "" {
		u.Warning = fact(0.1, 0.45)
		if u.Warning.Yes() {
			u.TimeToHeed = fact(0.4, 0.3)
		}
		u.ImminentThreat = fact(0.08, 0.27)
		u.LessExtremeMeans = fact(0.2, 0.08)
	}
	u.MedicalAid = fact(0.4, 0.2)
	if u.MedicalAid != nil {
		timed(u.MedicalAid, 0.8, 10*time.Minute, 12*hour)
	}
	if cas.Kind == habeas.CasualtyKilled {
		u.RelativesTold = fact(0.55, 0.1)
	} else {
		u.RelativesTold = fact(0.3, 0.1)
	}
	if u.RelativesTold != nil {
		timed(u.RelativesTold, 0.7, 3*hour, 10*day)
	}
	u.Reported = fact(0.12, 0.08)
	if u.Reported != nil {
		timed(u.Reported, 0.5, hour, 5*day)
	}
	if *u != (habeas.UseOfForce{}) {
		cas.UseOfForce = u
	}
}

// statementObtained draws whether an allegation says a statement was
// obtained by the ill-treatment, more often when it was to obtain a
// confession or during questioning.
func (g *gen) statementObtained(note string) *bool {
	r := g.force
	switch note {
	case "alleged ill-treatment to obtain a confession":
		return r.tri(0.7, 0.05)
	case "alleged ill-treatment during questioning":
		return r.tri(0.4, 0.1)
	}
	return r.tri(0.08, 0.3)
}

// statementAdmitted draws whether a monitor saw a statement of the
// accused admitted as evidence, often when the defendant said the
// confession was obtained under duress.
func (g *gen) statementAdmitted(note string) *bool {
	r := g.force
	if note == "defendant says the confession was obtained under duress" {
		return r.tri(0.85, 0.05)
	}
	return r.tri(0.3, 0.4)
}
