package demo

import (
	"time"

	"github.com/habeas-project/habeas"
)

// truth is a synthetic person as they really are; each source sees only
// part of it, and writes it its own way.
type truth struct {
	name    personName
	sex     habeas.Sex
	birth   time.Time
	country string // ISO 3166-1 alpha-2
	iin     habeas.IIN
	region  string
}

// role says what happened to a person, which shapes their age and sex.
type role int

const (
	roleDetainee role = iota
	roleKilled
	roleInjured
	roleSecurity // a member of the security forces
)

// reference date for ages: the day the state of emergency was declared.
var ageDate = time.Date(2022, time.January, 5, 0, 0, 0, 0, time.UTC)

func (g *gen) newTruth(c *habeas.City, foreign bool, ro role) *truth {
	r := g.r
	t := &truth{sex: habeas.SexMale, country: "KZ"}
	female := map[role]float64{roleDetainee: 0.07, roleKilled: 0.08, roleInjured: 0.12, roleSecurity: 0.02}[ro]
	if r.chance(female) {
		t.sex = habeas.SexFemale
	}
	var age int
	switch ro {
	case roleKilled:
		age = pickW(r, []choice[int]{{2, r.between(3, 15)}, {3, r.between(16, 17)}, {35, r.between(18, 29)},
			{35, r.between(30, 44)}, {20, r.between(45, 64)}, {5, r.between(65, 80)}})
	case roleSecurity:
		age = r.between(20, 50)
	default:
		age = pickW(r, []choice[int]{{2, r.between(16, 17)}, {28, r.between(18, 24)}, {38, r.between(25, 34)},
			{20, r.between(35, 44)}, {10, r.between(45, 59)}, {2, r.between(60, 75)}})
	}
	t.birth = ageDate.AddDate(-age-1, 0, 1+r.IntN(365))
	group := pickW(r, []choice[nameGroup]{{78, groupKazakh}, {16, groupRussian}, {4, groupUzbek}, {1, groupKyrgyz}, {1, groupTajik}})
	if c.Key == "shymkent" && r.chance(0.15) {
		group = groupUzbek
	}
	t.region = c.Region
	switch {
	case foreign:
		n := pickW(r, foreignNationals)
		t.country, group, t.region = n.country, n.group, pick(r, n.regions)
	case r.chance(0.25):
		t.region = pick(r, regions)
	}
	t.name = r.newName(group, t.sex)
	if t.country == "KZ" && r.chance(0.6) {
		for serial := r.IntN(10000); ; serial++ {
			if iin, ok := habeas.MakeIIN(t.birth, t.sex, serial); ok {
				t.iin = iin
				break
			}
		}
	}
	return t
}

// precisions weighs how precisely each kind of source gives a birth date:
// day, month, year, approximate age, unknown.
var precisions = map[habeas.SourceKind][5]int{
	habeas.SourceOfficialList: {75, 0, 10, 5, 10},
	habeas.SourceCourtRecord:  {85, 0, 5, 0, 10},
	habeas.SourceLawyer:       {70, 2, 10, 8, 10},
	habeas.SourceHotlineCall:  {30, 3, 10, 37, 20},
	habeas.SourceRelative:     {40, 3, 10, 32, 15},
	habeas.SourceMedia:        {0, 0, 10, 55, 35},
	habeas.SourceSocialMedia:  {0, 0, 0, 30, 70},
	habeas.SourceWitness:      {0, 0, 0, 40, 60},
	habeas.SourceOwnMonitor:   {30, 0, 10, 40, 20},
}

// birthAs returns the birth date as a source of kind k gives it, on date at.
func (g *gen) birthAs(t *truth, k habeas.SourceKind, at time.Time, c *habeas.City) habeas.BirthDate {
	w := precisions[k]
	switch g.r.weighted(w[:]) {
	case 0:
		return habeas.BirthDate{Precision: habeas.PrecisionDay, Date: t.birth.Format(time.DateOnly)}
	case 1:
		return habeas.BirthDate{Precision: habeas.PrecisionMonth, Date: t.birth.Format("2006-01")}
	case 2:
		return habeas.BirthDate{Precision: habeas.PrecisionYear, Date: t.birth.Format("2006")}
	case 3:
		date, _ := dayStart(c, at)
		d, _ := time.Parse(time.DateOnly, date)
		age := d.Year() - t.birth.Year()
		if d.YearDay() < t.birth.YearDay() {
			age--
		}
		if k == habeas.SourceWitness || k == habeas.SourceSocialMedia {
			age += g.r.between(-1, 1) // "about thirty"
		}
		return habeas.BirthDate{Precision: habeas.PrecisionAge, Age: max(age, 0), AgeAt: date}
	}
	return habeas.BirthDate{}
}

// documented reports whether a kind of source works from documents that
// carry an IIN and a citizenship.
func documented(k habeas.SourceKind) bool {
	return k == habeas.SourceOfficialList || k == habeas.SourceCourtRecord || k == habeas.SourceLawyer
}

// personRecord makes the person record a source of kind k creates when it
// first reports t on date at, under the name as the source wrote it.
func (g *gen) personRecord(t *truth, name, src string, k habeas.SourceKind, at time.Time, c *habeas.City) *habeas.Person {
	r := g.r
	p := &habeas.Person{
		ID:      g.ids.next(habeas.KindPerson),
		Names:   []habeas.NameVariant{{Text: name, Kind: habeas.NameAsWritten, SourceID: src}},
		Birth:   g.birthAs(t, k, at, c),
		Sources: []string{src},
	}
	if documented(k) || r.chance(0.93) {
		p.Sex = t.sex
	}
	if documented(k) || r.chance(0.7) {
		p.Citizenships = []string{t.country}
	}
	if t.iin != "" && p.Birth.Precision == habeas.PrecisionDay && documented(k) && r.chance(0.8) {
		p.IIN = t.iin
		p.Sex = t.sex
	}
	if r.chance(0.7) {
		p.HomeRegion = t.region
	}
	g.c.persons = append(g.c.persons, p)
	return p
}
