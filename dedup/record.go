package dedup

import (
	"time"

	"github.com/habeas-project/habeas"
	"github.com/habeas-project/habeas/linkage"
	"github.com/habeas-project/habeas/names"
)

// record returns the linkage record of a person. Ages are given in years
// at ref, the run's age reference; a zero ref leaves them out.
func record(p *habeas.Person, ref time.Time) linkage.Record {
	r := linkage.Record{ID: p.ID, Sex: p.Sex, Region: p.HomeRegion, IDNumber: string(p.IIN)}
	if n, ok := bestName(p.Names); ok {
		r.FullName = n.Text
		r.Source = n.SourceID
	}
	if r.Source == "" && len(p.Sources) > 0 {
		r.Source = p.Sources[0]
	}
	if len(p.Citizenships) > 0 {
		r.Citizenship = p.Citizenships[0]
	}
	switch b := p.Birth; b.Precision {
	case habeas.PrecisionDay, habeas.PrecisionMonth, habeas.PrecisionYear:
		// Date holds YYYY-MM-DD, YYYY-MM or YYYY, all of which ParseDate
		// reads at their precision; a date it refuses (a year before
		// 1900) is left out rather than failing the run.
		if d, err := linkage.ParseDate(b.Date); err == nil {
			r.BirthDate = d
		}
	case habeas.PrecisionAge:
		r.Age = ageAt(b, ref)
	}
	return r
}

// ageAt returns the age in years at ref of someone said to be b.Age on
// b.AgeAt, or 0 (unknown) when it cannot tell.
func ageAt(b habeas.BirthDate, ref time.Time) int {
	at, err := time.Parse(time.DateOnly, b.AgeAt)
	if err != nil || ref.IsZero() || b.Age <= 0 {
		return 0
	}
	years := ref.Year() - at.Year()
	if ref.YearDay() < at.YearDay() {
		years--
	}
	if a := b.Age + years; a > 0 {
		return a
	}
	return 0
}

// ageReference returns the date the records' ages refer to: the latest
// date any person's age was stated on, so that converting the others
// shifts them as little as possible. It is zero when no age is recorded.
func ageReference(ps map[string]*habeas.Person) time.Time {
	var ref time.Time
	for _, p := range ps {
		if p.Birth.Precision != habeas.PrecisionAge {
			continue
		}
		if at, err := time.Parse(time.DateOnly, p.Birth.AgeAt); err == nil && at.After(ref) {
			ref = at
		}
	}
	return ref
}

// bestName picks the name variant that tells the matcher the most: the
// one naming most of surname, given name and patronymic in full (an
// initial counts for half), then as a source wrote it over a
// transliteration over an alias, then the first recorded.
func bestName(ns []habeas.NameVariant) (habeas.NameVariant, bool) {
	if len(ns) == 1 {
		return ns[0], true // most persons; parsing the name would tell nothing
	}
	best, bestScore := -1, -1
	for i, n := range ns {
		if s := nameScore(n); s > bestScore {
			best, bestScore = i, s
		}
	}
	if best < 0 {
		return habeas.NameVariant{}, false
	}
	return ns[best], true
}

// kindRank orders name kinds from most to least useful for matching.
var kindRank = map[habeas.NameKind]int{habeas.NameAsWritten: 2, habeas.NameTransliteration: 1, habeas.NameAlias: 0}

func nameScore(n habeas.NameVariant) int {
	parts := map[names.Role]int{}
	for _, t := range names.Parse(n.Text).Tokens {
		switch t.Role {
		case names.RoleGiven, names.RoleSurname, names.RolePatronymic:
			v := 2
			if t.Initial {
				v = 1
			}
			parts[t.Role] = max(parts[t.Role], v)
		}
	}
	score := 0
	for _, v := range parts {
		score += v
	}
	return score*4 + kindRank[n.Kind]
}
