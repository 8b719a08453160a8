package habeas

import (
	"fmt"
	"regexp"
	"strings"
	"time"

	"github.com/habeas-project/habeas/names"
)

// Sex is recorded as the sources give it.
type Sex string

// Values of Sex.
const (
	SexUnknown Sex = ""
	SexMale    Sex = "male"
	SexFemale  Sex = "female"
)

// NameKind says how a name variant came about.
type NameKind string

// Values of NameKind.
const (
	NameAsWritten       NameKind = "as_written"      // as a source wrote it
	NameTransliteration NameKind = "transliteration" // produced from another variant
	NameAlias           NameKind = "alias"           // another name the person is known by
)

// NameVariant is one way a person's name was written, and who wrote it so.
type NameVariant struct {
	Text     string   `json:"text"`
	Script   string   `json:"script"` // ISO 15924: Cyrl, Latn, Arab, Zyyy (mixed or none)
	Kind     NameKind `json:"kind"`
	SourceID string   `json:"source_id,omitempty"`
}

// Precision says how much of a birth date is known.
type Precision string

// Values of Precision.
const (
	PrecisionUnknown Precision = ""
	PrecisionDay     Precision = "day"
	PrecisionMonth   Precision = "month"
	PrecisionYear    Precision = "year"
	PrecisionAge     Precision = "age" // an approximate age on a given date
)

// BirthDate is a birth date known to some precision. Date holds the known
// part (YYYY-MM-DD, YYYY-MM or YYYY); for PrecisionAge, Age is the age in
// years as stated on AgeAt (YYYY-MM-DD).
type BirthDate struct {
	Precision Precision `json:"precision,omitempty"`
	Date      string    `json:"date,omitempty"`
	Age       int       `json:"age,omitempty"`
	AgeAt     string    `json:"age_at,omitempty"`
}

// Person is someone detained, injured or killed, as far as the sources know
// them. A person may have many name variants from many sources.
type Person struct {
	ID           string        `json:"id"`
	Names        []NameVariant `json:"names"`
	Birth        BirthDate     `json:"birth"`
	Sex          Sex           `json:"sex,omitempty"`
	Citizenships []string      `json:"citizenships,omitempty"` // ISO 3166-1 alpha-2
	IIN          IIN           `json:"iin,omitempty"`
	HomeRegion   string        `json:"home_region,omitempty"`
	Sources      []string      `json:"sources,omitempty"`
	Notes        string        `json:"notes,omitempty"`
	// Erased says the person was erased (`habeas erase`): the record
	// keeps what Strip keeps, and can no longer be changed.
	Erased bool `json:"erased,omitempty"`
}

// EntityKind implements Entity.
func (p *Person) EntityKind() Kind { return KindPerson }

// GetID implements Entity.
func (p *Person) GetID() string { return p.ID }

// SetID implements Entity.
func (p *Person) SetID(id string) { p.ID = id }

// DisplayName returns the first name variant, the one the record was made with.
func (p *Person) DisplayName() string {
	if len(p.Names) == 0 {
		return ""
	}
	return p.Names[0].Text
}

// IsForeign reports whether the person holds a citizenship other than KZ.
func (p *Person) IsForeign() bool {
	for _, c := range p.Citizenships {
		if c != "KZ" {
			return true
		}
	}
	return false
}

// Refs implements Entity.
func (p *Person) Refs() []Ref {
	refs := sourceRefs("sources", p.Sources)
	for i, n := range p.Names {
		if n.SourceID != "" {
			refs = append(refs, Ref{Field: fmt.Sprintf("names[%d].source_id", i), Kind: KindSource, ID: n.SourceID})
		}
	}
	return refs
}

// SourceIDs implements Entity.
func (p *Person) SourceIDs() []string {
	var ns []string
	for _, n := range p.Names {
		ns = append(ns, n.SourceID)
	}
	return unionSorted(p.Sources, ns)
}

// Normalize implements Entity: it trims text, fills in scripts and puts
// citizenships in upper case.
func (p *Person) Normalize() {
	for i := range p.Names {
		n := &p.Names[i]
		n.Text = strings.Join(strings.Fields(n.Text), " ")
		if n.Script == "" {
			n.Script = names.DetectScript(n.Text)
		}
		if n.Kind == "" {
			n.Kind = NameAsWritten
		}
	}
	for i, c := range p.Citizenships {
		p.Citizenships[i] = strings.ToUpper(strings.TrimSpace(c))
	}
	p.IIN = IIN(strings.TrimSpace(string(p.IIN)))
	p.Sources = unionSorted(p.Sources)
}

var countryCode = regexp.MustCompile(`^[A-Z]{2}$`)

// Validate implements Entity.
func (p *Person) Validate() error {
	v := &validator{}
	v.optID(KindPerson, "id", p.ID)
	if p.Erased {
		v.add("erased", "only an erasure (habeas erase) erases a person")
	}
	if len(p.Names) == 0 {
		v.add("names", "at least one name is required")
	}
	for i, n := range p.Names {
		v.nested(fmt.Sprintf("names[%d]", i), func(v *validator) {
			v.required("text", n.Text)
			v.maxLen("text", n.Text, 200)
			v.oneOf("script", n.Script, []string{"Cyrl", "Latn", "Arab", "Zyyy"}, false)
			v.oneOf("kind", string(n.Kind), []string{string(NameAsWritten), string(NameTransliteration), string(NameAlias)}, false)
			v.optID(KindSource, "source_id", n.SourceID)
		})
	}
	v.nested("birth", func(v *validator) { p.Birth.validate(v) })
	v.oneOf("sex", string(p.Sex), []string{string(SexMale), string(SexFemale)}, true)
	for i, c := range p.Citizenships {
		if !countryCode.MatchString(c) {
			v.add(fmt.Sprintf("citizenships[%d]", i), "%q is not an ISO 3166-1 alpha-2 country code", c)
		}
	}
	if p.IIN != "" {
		info, err := p.IIN.Parse()
		if err != nil {
			v.add("iin", "%v", err)
		} else {
			if p.Sex != SexUnknown && p.Sex != info.Sex {
				v.add("iin", "encodes sex %s but the record says %s", info.Sex, p.Sex)
			}
			if !p.Birth.Consistent(info.BirthDate) {
				v.add("iin", "encodes birth date %s, which the recorded birth date contradicts", info.BirthDate.Format(time.DateOnly))
			}
		}
	}
	v.maxLen("home_region", p.HomeRegion, 100)
	v.sources("sources", p.Sources)
	return v.err("person")
}

func (b BirthDate) validate(v *validator) {
	switch b.Precision {
	case PrecisionUnknown:
		if b.Date != "" || b.Age != 0 || b.AgeAt != "" {
			v.add("precision", "is required when a date or age is given")
		}
	case PrecisionDay, PrecisionMonth, PrecisionYear:
		layout := map[Precision]string{PrecisionDay: "2006-01-02", PrecisionMonth: "2006-01", PrecisionYear: "2006"}[b.Precision]
		if _, err := time.Parse(layout, b.Date); err != nil {
			v.add("date", "%q is not a date of the form %s for precision %s", b.Date, strings.NewReplacer("2006", "YYYY", "01", "MM", "02", "DD").Replace(layout), b.Precision)
		}
		if b.Age != 0 || b.AgeAt != "" {
			v.add("age", "is only for precision age")
		}
	case PrecisionAge:
		if b.Age < 0 || b.Age > 120 {
			v.add("age", "%d is not an age in years (0-120)", b.Age)
		}
		if _, err := time.Parse(time.DateOnly, b.AgeAt); err != nil {
			v.add("age_at", "%q is not a date YYYY-MM-DD", b.AgeAt)
		}
		if b.Date != "" {
			v.add("date", "is not used with precision age")
		}
	default:
		v.add("precision", "%q is not one of day, month, year, age", b.Precision)
	}
}

// Range returns the earliest and latest birth date the record allows;
// ok is false when nothing is known.
func (b BirthDate) Range() (lo, hi time.Time, ok bool) {
	switch b.Precision {
	case PrecisionDay:
		d, err := time.Parse(time.DateOnly, b.Date)
		return d, d, err == nil
	case PrecisionMonth:
		d, err := time.Parse("2006-01", b.Date)
		return d, d.AddDate(0, 1, -1), err == nil
	case PrecisionYear:
		d, err := time.Parse("2006", b.Date)
		return d, d.AddDate(1, 0, -1), err == nil
	case PrecisionAge:
		at, err := time.Parse(time.DateOnly, b.AgeAt)
		if err != nil {
			return time.Time{}, time.Time{}, false
		}
		// Someone aged N on date D was born after D-(N+1)y and on or before D-Ny.
		// An approximate age is widened by a year either side.
		return at.AddDate(-b.Age-2, 0, 1), at.AddDate(-b.Age+1, 0, 0), true
	}
	return time.Time{}, time.Time{}, false
}

// Consistent reports whether date d is possible under what is recorded.
func (b BirthDate) Consistent(d time.Time) bool {
	lo, hi, ok := b.Range()
	if !ok {
		return true
	}
	return !d.Before(lo) && !d.After(hi)
}
