package demo

import (
	"fmt"
	"strings"
	"time"

	"github.com/habeas-project/habeas"
)

// makeIncidents draws the incidents of each city: protests in the first
// days, clashes at the peak, security operations after it. Each covers one
// local day; detentions and casualties of that day refer to one of them.
func (g *gen) makeIncidents() {
	r := g.r
	for i := range cityPlans {
		p := &cityPlans[i]
		c, _ := habeas.FindCity(p.key)
		name := habeas.CityName(c.Key, "en")
		for d := 2; d < len(p.days); d++ {
			if p.days[d] < 6 && !(p.key == "almaty" && p.days[d] >= 2) {
				continue
			}
			n := 1
			if p.key == "almaty" && d >= 5 && d <= 7 {
				n = 3
			} else if p.big && d >= 5 && d <= 6 {
				n = 2
			}
			for j := 0; j < n; j++ {
				var kind habeas.IncidentKind
				var tmpl incidentTemplate
				switch {
				case d < 5 || (d == 5 && j == 0):
					kind, tmpl = habeas.IncidentProtest, pick(r, protests)
				case d <= 7:
					kind, tmpl = habeas.IncidentClash, pick(r, clashes)
					if c.Key == "almaty" && r.chance(0.3) {
						tmpl = pick(r, almatyClashes)
					}
				default:
					kind, tmpl = habeas.IncidentOperation, pick(r, operations)
				}
				title, place := strings.ReplaceAll(tmpl.title, "%s", name), strings.ReplaceAll(tmpl.place, "%s", name)
				if place == "" {
					place = arrestPlace(r, c, p, 7)
				}
				start := local(c, d, 0, 0, 0)
				if kind == habeas.IncidentProtest {
					start = local(c, d, r.between(9, 12), 0, 0)
				}
				inc := &habeas.Incident{
					ID: g.ids.next(habeas.KindIncident), Kind: kind, City: c.Key,
					Title:       fmt.Sprintf("%s, %d January 2022", title, d),
					Place:       place,
					Start:       start,
					End:         local(c, d+1, 0, 0, 0).Add(-time.Second),
					Description: "Synthetic demo incident.",
					Sources:     []string{g.media(c, start)},
				}
				if r.chance(0.5) {
					inc.Sources = append(inc.Sources, g.monitor(c, start))
				}
				g.c.incidents = append(g.c.incidents, inc)
				key := c.Key + "|" + localDate(c, start)
				g.incidents[key] = append(g.incidents[key], inc)
			}
		}
	}
}

// incidentTemplate is the title of an incident and its place; %s stands
// for the city, and an empty place is drawn like an arrest's.
type incidentTemplate struct{ title, place string }

var (
	protests = []incidentTemplate{{"Protest on the central square of %s", "central square, %s"}, {"Rally against gas prices in %s", ""},
		{"Protest outside the %s akimat", "near the akimat, %s"}, {"March through the centre of %s", "city centre, %s"}}
	clashes = []incidentTemplate{{"Clashes near the %s akimat", "near the akimat, %s"}, {"Storming of the %s akimat", "akimat building, %s"},
		{"Shooting in the centre of %s", "city centre, %s"}, {"Looting of shops in %s", ""}, {"Clashes near the police department in %s", "near the city police department, %s"}}
	almatyClashes = []incidentTemplate{{"Clashes at Almaty airport", "Almaty airport, Almaty"}, {"Shooting on Republic Square, %s", "Republic Square, %s"},
		{"Seizure of the television centre, %s", "near the television centre, %s"}}
	operations = []incidentTemplate{{"Security sweep in %s", ""}, {"Counter-terrorist operation in %s", ""},
		{"Night raids in the suburbs of %s", "suburbs of %s"}, {"Checkpoint arrests in %s", "checkpoints around %s"}}
)

// makeLawyers draws the lawyers the organisation works with: about one for
// every forty detentions, at least five, mostly in the big cities.
func (g *gen) makeLawyers() {
	r := g.r
	n := max(5, g.opt.Scale/40)
	weights := make([]int, len(cityPlans))
	for i, p := range cityPlans {
		weights[i] = p.weight
	}
	for i := 0; i < n; i++ {
		c, _ := habeas.FindCity(cityPlans[r.weighted(weights)].key)
		name := r.newName(pickW(r, []choice[nameGroup]{{7, groupKazakh}, {3, groupRussian}}), pickW(r, []choice[habeas.Sex]{{55, habeas.SexMale}, {45, habeas.SexFemale}}))
		l := &habeas.Lawyer{
			ID:        g.ids.next(habeas.KindLawyer),
			Name:      name.render(styleCourt, r),
			Bar:       pickW(r, []choice[string]{{85, "Bar Association of " + c.Region}, {15, "Republican Chamber of Legal Consultants"}}),
			Phone:     fmt.Sprintf("+7 000 %03d %04d", r.IntN(1000), r.IntN(10000)),
			City:      c.Key,
			Languages: pickW(r, []choice[[]string]{{60, []string{"kk", "ru"}}, {30, []string{"ru"}}, {10, []string{"en", "kk", "ru"}}}),
			Active:    r.chance(0.92),
		}
		g.lawyers = append(g.lawyers, l)
		g.lawyersIn[c.Key] = append(g.lawyersIn[c.Key], l)
		g.c.lawyers = append(g.c.lawyers, l)
	}
}

// pickLawyer returns a lawyer from the city, or one who travels there.
func (g *gen) pickLawyer(c *habeas.City) *habeas.Lawyer {
	if ls := g.lawyersIn[c.Key]; len(ls) > 0 && g.r.chance(0.9) {
		return pick(g.r, ls)
	}
	return pick(g.r, g.lawyers)
}
