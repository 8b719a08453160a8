package linkage

import (
	"fmt"
	"strings"
)

// Explanation says why a pair scored as it did: per field the level, its
// weight and the term-frequency adjustment, then the prior, the total
// match weight and the probability. Weights are in bits (log2 of a Bayes
// factor): +1 doubles the odds that the two records are one person.
type Explanation struct {
	A, B   string // the records' ids
	Fields []FieldExplanation
	// Prior is log2 of the prior odds that two random records match.
	Prior float64
	// Weight is the total match weight: Prior plus every field's Weight
	// and TF.
	Weight      float64
	Probability float64
	// CannotLink is set when the two records may never share a cluster
	// (different valid IINs, different sex, birth years far apart), and
	// says why.
	CannotLink string
}

// FieldExplanation is one field of an Explanation.
type FieldExplanation struct {
	Field  string
	Level  string
	A, B   string  // the values compared: name keys, dates, canonical forms
	M, U   float64 // the level's probabilities
	Weight float64 // log2(M/U); 0 for null
	TF     float64 // term-frequency adjustment of an exact name agreement
}

// String renders the explanation as a small table.
func (e Explanation) String() string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s ~ %s: probability %.4f, match weight %+.2f bits (prior %+.2f)\n", e.A, e.B, e.Probability, e.Weight, e.Prior)
	for _, f := range e.Fields {
		tf := ""
		if f.TF != 0 {
			tf = fmt.Sprintf(" tf %+.2f", f.TF)
		}
		fmt.Fprintf(&b, "  %-12s %-15s %+7.2f%s  [%s | %s]\n", f.Field, f.Level, f.Weight, tf, f.A, f.B)
	}
	if e.CannotLink != "" {
		fmt.Fprintf(&b, "  cannot link: %s\n", e.CannotLink)
	}
	return b.String()
}

// Explain compares two records with the model and explains the score;
// its probability is the one Link and Match give the pair.
func (m *Model) Explain(a, b Record) Explanation {
	fs := newFeatures()
	pa, pb := parseRecord(&a, nil), parseRecord(&b, nil)
	fa, fb := fs.intern(&pa), fs.intern(&pb)
	c := &comparer{fs: fs, ageRefY: ageRefYear(m.AgeReference)} // no cache for one pair
	pt, ts, tg := c.compare(&fa, &fb)
	e := Explanation{A: a.ID, B: b.ID, Prior: m.prior}
	e.Weight = m.prior
	for f := 0; f < nFields; f++ {
		l := pt.level(f)
		lv := m.Fields[f].Levels[l]
		fe := FieldExplanation{Field: m.Fields[f].Name, Level: lv.Name, M: lv.M, U: lv.U, Weight: m.weights[f][l]}
		if l == 0 {
			fe.M, fe.U = 0, 0
		}
		fe.A, fe.B = shown(f, fs, &fa, &a), shown(f, fs, &fb, &b)
		switch {
		case f == fSurname && ts != 0:
			fe.TF = tfAdjust(m.surnameU, m.keyFreq(m.SurnameFreq, fs.names.strs[ts], m.surnameU))
		case f == fGiven && tg != 0:
			fe.TF = tfAdjust(m.givenU, m.keyFreq(m.GivenFreq, fs.names.strs[tg], m.givenU))
		}
		e.Weight += fe.Weight + fe.TF
		e.Fields = append(e.Fields, fe)
	}
	e.Probability = probability(e.Weight)
	e.CannotLink = whyCannotLink(&fa, &fb)
	return e
}

// shown is the value of field f of a record as the comparison saw it.
func shown(f int, fs *features, x *feat, r *Record) string {
	switch f {
	case fSurname:
		return fs.names.strs[x.sur]
	case fGiven:
		return fs.names.strs[x.given]
	case fPatronymic:
		return fs.names.strs[x.pat]
	case fBirth:
		switch {
		case x.prec != PrecisionNone:
			return Date{int(x.year), int(x.month), int(x.day)}.String()
		case x.age != 0:
			return fmt.Sprintf("age %d", x.age)
		}
		return ""
	case fSex:
		return [...]string{"", "male", "female"}[x.sex]
	case fCitizenship:
		return strings.TrimPrefix(fs.other.strs[x.cit], "c:")
	case fRegion:
		return strings.TrimPrefix(fs.other.strs[x.reg], "r:")
	case fID:
		return fs.other.strs[x.id]
	case fAddress:
		var w []string
		for _, t := range fs.addr[x.addrOff : x.addrOff+uint32(x.addrLen)] {
			w = append(w, fs.words.strs[t])
		}
		return strings.Join(w, " ")
	}
	return ""
}

// whyCannotLink says which constraint keeps two records apart, or "".
func whyCannotLink(a, b *feat) string {
	switch {
	case a.idKind == idIIN && b.idKind == idIIN && a.id != b.id:
		return "different valid IINs"
	case a.sex != 0 && b.sex != 0 && a.sex != b.sex:
		return "different sex"
	case farApart(a.year, b.year):
		return fmt.Sprintf("birth years %d and %d are far apart", a.year, b.year)
	}
	return ""
}
