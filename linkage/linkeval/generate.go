package linkeval

import (
	"encoding/csv"
	"fmt"
	"io"
	"math/rand/v2"
	"strconv"
	"strings"
	"time"

	"github.com/habeas-project/habeas"
)

// Row is one input record in the format of the `habeas link` and `habeas
// match` contracts (docs in DESIGN.md), every field as text.
type Row struct {
	RecordID    string
	Source      string
	FullName    string
	BirthDate   string // YYYY-MM-DD, DD.MM.YYYY, YYYYMMDD, a year alone (YYYY) or empty
	Age         string // years at the reference date, or empty
	Sex         string // male, female or empty
	Citizenship string // ISO 3166 alpha-2, or empty
	Region      string
	IDNumber    string // an IIN or another national identifier
	Address     string
}

// Columns is the header WriteCSV writes, in the contract's order.
var Columns = []string{"record_id", "source", "full_name", "birth_date", "age", "sex", "citizenship", "region", "id_number", "address"}

func (r Row) fields() []string {
	return []string{r.RecordID, r.Source, r.FullName, r.BirthDate, r.Age, r.Sex, r.Citizenship, r.Region, r.IDNumber, r.Address}
}

// WriteCSV writes rows with a header, in the input format of `habeas link`.
func WriteCSV(w io.Writer, rows []Row) error {
	cw := csv.NewWriter(w)
	if err := cw.Write(Columns); err != nil {
		return err
	}
	for _, r := range rows {
		if err := cw.Write(r.fields()); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}

// Truth maps a record id to the id of the entity (person) it describes.
type Truth map[string]string

// AgeReference is the date the synthetic sources give ages at: the middle
// of January 2022, when the lists were written.
var AgeReference = time.Date(2022, 1, 15, 0, 0, 0, 0, time.UTC)

// GenOptions says how much to generate.
type GenOptions struct {
	// Persons is the number of invented persons, hard negatives included.
	// Each is reported 1-5 times (2.5 on average).
	Persons int
	// Seed makes the data reproducible: the same options always give the
	// same rows.
	Seed int64
	// MinReports, when above 1, reports every person at least that many
	// times (the matching benchmark needs a second report as a query).
	MinReports int
	// Crowded draws surnames uniformly from the short lists of common
	// ones only (about 75 per tradition) instead of the long tail, so that
	// far more persons share a name: a stress test of namesakes.
	Crowded bool
}

// Source kinds and the sources of each kind.
type sourceKind int

const (
	official sourceKind = iota // a police or prosecutor's list: ЕРЛАНҰЛЫ / -ОВИЧ, capitals
	court                      // a court record: Серикбаев Айдос Ерланович
	relative                   // a relative's call: russified, no patronymic, an age
	lawyer                     // a lawyer: passport Latin (Yerlan, Assel, Kassym)
	press                      // the press: another Latin (Tokayev / Toqaev) or Russian
)

var sourceWeights = []int{28, 12, 22, 16, 22}

var sourceNames = [][]string{
	official: {"official-mvd", "official-gp", "official-kns"},
	court:    {"court-records"},
	relative: {"relatives-hotline", "relatives-appeals"},
	lawyer:   {"lawyers-network", "lawyers-bar"},
	press:    {"press-en", "press-kz", "press-ru"},
}

type rng struct{ *rand.Rand }

func (r *rng) chance(p float64) bool { return r.Float64() < p }

func (r *rng) weighted(ws []int) int {
	t := 0
	for _, w := range ws {
		t += w
	}
	n := r.IntN(t)
	for i, w := range ws {
		if n < w {
			return i
		}
		n -= w
	}
	return len(ws) - 1
}

func pick[T any](r *rng, xs []T) T { return xs[r.IntN(len(xs))] }

// person is one invented individual: the truth behind the reports.
type person struct {
	id      string
	name    personName
	birth   time.Time
	iin     string
	region  place
	street  place
	house   int
	flat    int
	citizen string
}

// Generate invents opt.Persons persons and the reports sources made of them,
// returns the reports shuffled with record ids that say nothing of the
// person, and the truth. About one person in twelve has a sibling in the
// data (same surname and patronymic, another given name, a close birth date,
// another IIN) and one in twenty-five a namesake (the same given name and
// surname, half the time the same patronymic, born 3 to 30 years apart).
func Generate(opt GenOptions) ([]Row, Truth) {
	_, rows, truth := generate(opt)
	return rows, truth
}

func generate(opt GenOptions) (*generator, []Row, Truth) {
	r := &rng{rand.New(rand.NewPCG(uint64(opt.Seed), 0x6c696e6b))}
	g := &generator{r: r, usedIIN: map[string]bool{}, crowded: opt.Crowded}
	for len(g.persons) < opt.Persons {
		p := g.newPerson()
		if len(g.persons) < opt.Persons && r.chance(0.08) {
			for k := 0; k < 1+r.IntN(2) && len(g.persons) < opt.Persons; k++ {
				g.sibling(p)
			}
		}
		if len(g.persons) < opt.Persons && r.chance(0.04) {
			g.namesake(p)
		}
	}
	var rows []Row
	truth := Truth{}
	for _, p := range g.persons {
		n := 1 + r.weighted([]int{30, 25, 20, 15, 10})
		n = max(n, opt.MinReports)
		for k := 0; k < n; k++ {
			row := g.report(p, sourceKind(r.weighted(sourceWeights)))
			rows = append(rows, row)
		}
	}
	r.Shuffle(len(rows), func(i, j int) { rows[i], rows[j] = rows[j], rows[i] })
	// Entity ids were kept in RecordID until now; give records opaque ids.
	for k := range rows {
		id := fmt.Sprintf("r%07d", k+1)
		truth[id] = rows[k].RecordID
		rows[k].RecordID = id
	}
	return g, rows, truth
}

type generator struct {
	crowded bool
	r       *rng
	persons []*person
	usedIIN map[string]bool
}

func (g *generator) add(p *person) *person {
	p.id = fmt.Sprintf("p%07d", len(g.persons)+1)
	p.iin = g.makeIIN(p.birth, p.name.female)
	g.persons = append(g.persons, p)
	return p
}

func (g *generator) makeIIN(birth time.Time, female bool) string {
	sex := habeas.SexMale
	if female {
		sex = habeas.SexFemale
	}
	for {
		iin, ok := habeas.MakeIIN(birth, sex, g.r.IntN(10000))
		if ok && !g.usedIIN[string(iin)] {
			g.usedIIN[string(iin)] = true
			return string(iin)
		}
	}
}

func (g *generator) tradition() tradition {
	ts := []tradition{kazakh, russian, kyrgyz, uzbek}
	ws := make([]int, len(ts))
	for i, t := range ts {
		ws[i] = traditions[t].weight
	}
	return ts[g.r.weighted(ws)]
}

func (g *generator) place() place {
	ws := make([]int, len(places))
	for i, p := range places {
		ws[i] = p.w
	}
	return places[g.r.weighted(ws)].p
}

// birth draws a birth date for someone 16 to 70 years old in January 2022,
// most of them young.
func (g *generator) birth() time.Time {
	u := g.r.Float64()
	days := int((16 + 54*u*u) * 365.25)
	return AgeReference.AddDate(0, 0, -days-g.r.IntN(365))
}

func (g *generator) newPerson() *person {
	r := g.r
	t := g.tradition()
	parts := traditions[t]
	n := personName{trad: t, female: r.chance(0.15), father: pick(r, parts.male)}
	if g.crowded {
		n.surname = pick(r, parts.surnames)
	} else {
		n.surname = surnamePools[t].pick(r)
	}
	if n.female {
		n.given = pick(r, parts.female)
		n.surname = feminine(n.surname)
	} else {
		n.given = pick(r, parts.male)
	}
	p := &person{name: n, birth: g.birth(), region: g.place(), street: pick(r, streets),
		house: 1 + r.IntN(200), flat: r.IntN(150)}
	if parts.citizenship != "" && r.chance(0.5) {
		p.citizen = parts.citizenship
	} else {
		p.citizen = "KZ"
	}
	return g.add(p)
}

// sibling adds a brother or sister of p: the same surname and father, a
// different given name, born close to p (a twin one time in ten).
func (g *generator) sibling(p *person) {
	r := g.r
	parts := traditions[p.name.trad]
	n := p.name
	n.female = r.chance(0.2)
	n.surname = p.name.surname
	if n.female != p.name.female {
		// Rebuild the surname for the sibling's sex.
		male := strings.TrimSuffix(n.surname, "а")
		if strings.HasSuffix(n.surname, "ая") {
			male = strings.TrimSuffix(n.surname, "ая") + "ий"
		}
		if n.female {
			n.surname = feminine(n.surname)
		} else {
			n.surname = male
		}
	}
	for n.given == p.name.given || n.given == "" {
		if n.female {
			n.given = pick(r, parts.female)
		} else {
			n.given = pick(r, parts.male)
		}
	}
	birth := p.birth
	if !r.chance(0.1) {
		years := 1 + r.IntN(6)
		if r.chance(0.5) {
			years = -years
		}
		birth = birth.AddDate(years, 0, r.IntN(300)-150)
	}
	s := &person{name: n, birth: birth, region: p.region, street: p.street, house: p.house, flat: p.flat, citizen: p.citizen}
	if r.chance(0.3) {
		s.region = g.place()
		s.street, s.house, s.flat = pick(r, streets), 1+r.IntN(200), r.IntN(150)
	}
	g.add(s)
}

// namesake adds someone with p's given name and surname (and half the time
// p's patronymic), born 3 to 30 years apart.
func (g *generator) namesake(p *person) {
	r := g.r
	n := p.name
	if r.chance(0.5) {
		n.father = pick(r, traditions[n.trad].male)
	}
	years := 3 + r.IntN(28)
	birth := p.birth.AddDate(-years, 0, r.IntN(365))
	if AgeReference.Sub(birth) > 75*365*24*time.Hour {
		birth = p.birth.AddDate(years, 0, r.IntN(365))
	}
	if AgeReference.Sub(birth) < 16*365*24*time.Hour {
		birth = p.birth.AddDate(-3, 0, -r.IntN(365))
	}
	s := &person{name: n, birth: birth, region: g.place(), street: pick(r, streets),
		house: 1 + r.IntN(200), flat: r.IntN(150), citizen: p.citizen}
	g.add(s)
}

// ageAt is the age in whole years at ref.
func ageAt(birth, ref time.Time) int {
	a := ref.Year() - birth.Year()
	if ref.Month() < birth.Month() || (ref.Month() == birth.Month() && ref.Day() < birth.Day()) {
		a--
	}
	return a
}

func sexOf(p *person) string {
	if p.name.female {
		return "female"
	}
	return "male"
}

// dateStyle is how a source writes dates.
type dateStyle int

const (
	dateDots    dateStyle = iota // 02.01.1995
	dateISO                      // 1995-01-02
	dateCompact                  // 19950102
)

// birthDate writes a birth date with the errors sources make: day and
// month swapped, a day off, or the year alone.
func (g *generator) birthDate(d time.Time, style dateStyle, pErr float64, row *Row) {
	r := g.r
	if r.chance(pErr) {
		switch r.IntN(3) {
		case 0:
			if d.Day() <= 12 && d.Day() != int(d.Month()) {
				d = time.Date(d.Year(), time.Month(d.Day()), int(d.Month()), 0, 0, 0, 0, time.UTC)
			} else {
				d = d.AddDate(0, 0, 1)
			}
		case 1:
			if r.chance(0.5) {
				d = d.AddDate(0, 0, 1)
			} else {
				d = d.AddDate(0, 0, -1)
			}
		case 2:
			// The year alone: the source says "born in 1995".
			row.BirthDate = yearOnly(d.Year())
			return
		}
	}
	switch style {
	case dateISO:
		row.BirthDate = d.Format("2006-01-02")
	case dateCompact:
		row.BirthDate = d.Format("20060102")
	default:
		row.BirthDate = d.Format("02.01.2006")
	}
}

// yearOnly is how a birth year without day and month is written.
func yearOnly(year int) string { return strconv.Itoa(year) }

// age writes an age, approximate with probability pOff.
func (g *generator) age(p *person, pOff float64, row *Row) {
	a := ageAt(p.birth, AgeReference)
	if g.r.chance(pOff) {
		if g.r.chance(0.8) {
			a += pick(g.r, []int{-1, 1})
		} else {
			a += pick(g.r, []int{-2, 2})
		}
	}
	row.Age = strconv.Itoa(a)
}

func (g *generator) corrupt(name string, pTypo, pMix float64) string {
	if g.r.chance(pTypo) {
		name = typo(name, g.r)
		if g.r.chance(0.15) {
			name = typo(name, g.r)
		}
	}
	if pMix > 0 && g.r.chance(pMix) {
		name = mixScript(name, g.r)
	}
	return name
}

// report renders one report of p by a source of the kind. The returned
// row's RecordID is p's entity id; Generate replaces it.
func (g *generator) report(p *person, kind sourceKind) Row {
	r := g.r
	n := p.name
	row := Row{RecordID: p.id, Source: pick(r, sourceNames[kind])}
	native := n.trad != russian
	switch kind {
	case official:
		var name string
		switch {
		case native && r.chance(0.5):
			name = n.surname + " " + n.given + " " + n.patronymicNative()
		default:
			name = russify(n.surname + " " + n.given + " " + n.patronymicRussian())
		}
		if r.chance(0.08) {
			name = n.surname + " " + n.given // no patronymic
			if r.chance(0.5) {
				name = russify(name)
			}
		}
		row.FullName = g.corrupt(strings.ToUpper(name), 0.03, 0.02)
		if r.chance(0.92) {
			g.birthDate(p.birth, dateDots, 0.05, &row)
		}
		if r.chance(0.6) {
			row.IDNumber = p.iin
		}
		if r.chance(0.9) {
			row.Sex = sexOf(p)
		}
		if r.chance(0.85) {
			row.Citizenship = p.citizen
		}
		if r.chance(0.95) {
			row.Region = p.region.cyr
		}
		if r.chance(0.2) {
			row.Address = g.addressCyr(p)
		}
	case court:
		name := russify(n.surname + " " + n.given + " " + n.patronymicRussian())
		row.FullName = g.corrupt(name, 0.03, 0.02)
		if r.chance(0.85) {
			g.birthDate(p.birth, dateDots, 0.04, &row)
		}
		if r.chance(0.4) {
			row.IDNumber = p.iin
		}
		if r.chance(0.6) {
			row.Sex = sexOf(p)
		}
		if r.chance(0.5) {
			row.Citizenship = p.citizen
		}
		if r.chance(0.9) {
			row.Region = p.region.cyr
		}
	case relative:
		given, surname := n.given, n.surname
		if d, ok := diminutives[given]; ok && r.chance(0.25) {
			given = pick(r, d)
		}
		name := given + " " + surname
		if r.chance(0.35) {
			name = surname + " " + given
		}
		if !(n.trad == kazakh && r.chance(0.3)) {
			name = russify(name)
		}
		if r.chance(0.15) {
			name = strings.ToLower(name)
		}
		row.FullName = g.corrupt(name, 0.10, 0.02)
		if r.chance(0.85) {
			g.age(p, 0.3, &row)
		}
		if r.chance(0.25) {
			g.birthDate(p.birth, dateDots, 0.2, &row)
		}
		if r.chance(0.7) {
			row.Sex = sexOf(p)
		}
		if r.chance(0.3) {
			row.Citizenship = p.citizen
		}
		if r.chance(0.8) {
			row.Region = p.region.cyr
		}
		if r.chance(0.4) {
			row.Address = g.addressCyr(p)
		}
		if r.chance(0.03) {
			row.IDNumber = p.iin
		}
	case lawyer:
		sc := schemePassport
		if r.chance(0.2) {
			sc = schemeICAO
		}
		var name string
		switch u := r.Float64(); {
		case u < 0.4:
			name = strings.ToUpper(n.surname + " " + n.given)
		case u < 0.7:
			name = n.surname + " " + n.given
		default:
			name = n.given + " " + n.surname
		}
		row.FullName = g.corrupt(romanise(name, sc), 0.04, 0)
		if r.chance(0.85) {
			g.birthDate(p.birth, dateISO, 0.03, &row)
		}
		if r.chance(0.45) {
			row.IDNumber = p.iin
		}
		if r.chance(0.8) {
			row.Sex = sexOf(p)
		}
		if r.chance(0.7) {
			row.Citizenship = p.citizen
		}
		if r.chance(0.8) {
			row.Region = p.region.lat
		}
		if r.chance(0.15) {
			row.Address = g.addressLat(p)
		}
	case press:
		name := n.given + " " + n.surname
		if r.chance(0.15) {
			name = n.surname + " " + n.given
		}
		switch u := r.Float64(); {
		case u < 0.1:
			name = russify(name) // the Russian-language press
			row.Source = "press-ru"
		case n.trad == kazakh && u < 0.3:
			name = romanise(name, schemeQazaq)
			row.Source = "press-kz"
		case n.trad == kazakh && u < 0.35:
			name = romanise(name, schemeKZ2021)
			row.Source = "press-kz"
		case u < 0.7:
			name = romanise(russify(name), schemeBGN)
			row.Source = "press-en"
		default:
			name = romanise(russify(name), schemeSimple)
			row.Source = "press-en"
		}
		row.FullName = g.corrupt(name, 0.07, 0)
		if r.chance(0.6) {
			g.age(p, 0.1, &row)
		}
		if r.chance(0.1) {
			g.birthDate(p.birth, dateCompact, 0.4, &row)
		}
		if r.chance(0.3) {
			row.Sex = sexOf(p)
		}
		if r.chance(0.8) {
			if row.Source == "press-ru" {
				row.Region = p.region.cyr
			} else {
				row.Region = p.region.lat
			}
		}
	}
	return row
}

func (g *generator) addressCyr(p *person) string {
	s := fmt.Sprintf("г. %s, ул. %s, д. %d", p.region.cyr, p.street.cyr, p.house)
	if p.flat > 0 {
		s += fmt.Sprintf(", кв. %d", p.flat)
	}
	return s
}

func (g *generator) addressLat(p *person) string {
	s := fmt.Sprintf("%s, %s str. %d", p.region.lat, p.street.lat, p.house)
	if p.flat > 0 {
		s += fmt.Sprintf("-%d", p.flat)
	}
	return s
}
