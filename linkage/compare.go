package linkage

import "github.com/habeas-project/habeas/names"

// The fields compared and their levels. Level 0 of every field is "null":
// one record or both lack the value, and the field then weighs nothing.
// A pair's levels are packed in a pattern, levelBits bits per field.
const (
	fSurname = iota
	fGiven
	fPatronymic
	fBirth
	fSex
	fCitizenship
	fRegion
	fID
	fAddress
	nFields
)

const levelBits = 3

// pattern packs one level per field.
type pattern uint32

func (p pattern) level(f int) int { return int(p>>(levelBits*f)) & (1<<levelBits - 1) }

func (p *pattern) set(f, l int) { *p |= pattern(l) << (levelBits * f) }

// Levels of the name fields.
const (
	nameNull = iota
	nameExact
	nameClose   // Jaro-Winkler of the keys ≥ closeJW
	nameSimilar // Jaro-Winkler ≥ similarJW
	nameInitial // an initial agrees with the name it begins
	nameDiff
)

// Jaro-Winkler bands of the name levels.
const (
	closeJW    = 0.94
	similarJW  = 0.85
	patCloseJW = 0.88
)

// Levels of the birth date.
const (
	birthNull = iota
	birthExact
	birthNear     // one day apart, or day and month transposed
	birthSameYear // same year (or the same partial date)
	birthWithin2  // years at most two apart
	birthAge      // an age agrees with the other's age or birth year
	birthDiff
)

// Levels of the fields that agree or not.
const (
	eqNull = iota
	eqAgree
	eqDiff
)

// Levels of the identity number.
const (
	idLevelNull = iota
	idLevelIINEqual
	idLevelOtherEqual
	idLevelClose    // one digit wrong or two adjacent digits swapped
	idLevelConflict // two different valid IINs
	idLevelDiff
)

// Levels of the address.
const (
	addrNull = iota
	addrExact
	addrOverlap // at least half of the words of the shorter address
	addrDiff
)

// fieldInfo names a field and its levels, for the model and explanations.
type fieldInfo struct {
	name   string
	levels []string
}

var fieldInfos = [nFields]fieldInfo{
	fSurname:     {"surname", []string{"null", "exact", "close", "similar", "initial", "different"}},
	fGiven:       {"given_name", []string{"null", "exact", "close", "similar", "initial", "different"}},
	fPatronymic:  {"patronymic", []string{"null", "exact", "close", "similar", "initial", "different"}},
	fBirth:       {"birth_date", []string{"null", "exact", "near", "same_year", "within_2_years", "age_agrees", "different"}},
	fSex:         {"sex", []string{"null", "agree", "different"}},
	fCitizenship: {"citizenship", []string{"null", "agree", "different"}},
	fRegion:      {"region", []string{"null", "agree", "different"}},
	fID:          {"id_number", []string{"null", "iin_equal", "id_equal", "one_digit_off", "iin_conflict", "different"}},
	fAddress:     {"address", []string{"null", "exact", "overlap", "different"}},
}

// comparer compares records of one feature set, or a query (b) against
// it. It is not safe for concurrent use: each goroutine has its own, for its
// cache of Jaro-Winkler scores.
type comparer struct {
	fs      *features
	qnames  []string // names of the query side missing from fs.names: ids ^0, ^1, ...
	qother  []string
	qaddr   []uint32
	ageRefY int // year of the age reference, 0 when unknown
	cache   []jwEntry
}

type jwEntry struct {
	a, b uint32
	s    float32
}

const jwCacheSize = 1 << 14

func newComparer(fs *features, ageRefYear int) *comparer {
	return &comparer{fs: fs, ageRefY: ageRefYear, cache: make([]jwEntry, jwCacheSize)}
}

func (c *comparer) name(id uint32) string {
	if int(id) < len(c.fs.names.strs) {
		return c.fs.names.strs[id]
	}
	return c.qnames[^id]
}

func (c *comparer) otherStr(id uint32) string {
	if int(id) < len(c.fs.other.strs) {
		return c.fs.other.strs[id]
	}
	return c.qother[^id]
}

// jw is the Jaro-Winkler similarity of two name keys by id, cached. It is
// rounded to float32 whether cached or not, so that a level never depends
// on what the cache held.
func (c *comparer) jw(a, b uint32) float64 {
	if a > b {
		a, b = b, a
	}
	if c.cache == nil || int(b) >= len(c.fs.names.strs) { // a query's own key: not cached
		return float64(float32(names.JaroWinkler(c.name(a), c.name(b))))
	}
	h := (a*0x9E3779B1 ^ b*0x85EBCA77) >> (32 - 14)
	e := &c.cache[h]
	if e.a == a && e.b == b && a != 0 {
		return float64(e.s)
	}
	s := names.JaroWinkler(c.name(a), c.name(b))
	*e = jwEntry{a, b, float32(s)}
	return float64(float32(s))
}

// nameLevel compares two keys of one role; initials are matched against
// the key they begin when the role allows them.
func (c *comparer) nameLevel(a, b uint32, aInit, bInit bool, close float64) (int, float64) {
	switch {
	case a == 0 || b == 0:
		return nameNull, 0
	case a == b:
		return nameExact, 1
	case aInit || bInit:
		x, y := c.name(a), c.name(b)
		if bInit {
			x, y = y, x
		}
		if len(x) <= len(y) && y[:len(x)] == x {
			return nameInitial, 0.5
		}
		return nameDiff, 0
	}
	s := c.jw(a, b)
	switch {
	case s >= close:
		return nameClose, s
	case s >= similarJW:
		return nameSimilar, s
	}
	return nameDiff, s
}

// compare returns the levels of a pair and the key ids whose frequency
// adjusts an exact surname and given-name agreement (0 when none).
func (c *comparer) compare(a, b *feat) (p pattern, tfSur, tfGiven uint32) {
	// Names: surname with surname and given with given, unless the roles
	// were read the other way round in one record and crossing them fits
	// better.
	aGI, bGI := a.flags&flagGivenInitial != 0, b.flags&flagGivenInitial != 0
	sl, ss := c.nameLevel(a.sur, b.sur, false, false, closeJW)
	gl, gs := c.nameLevel(a.given, b.given, aGI, bGI, closeJW)
	tfSur, tfGiven = a.sur, a.given
	if (sl != nameExact || gl != nameExact) && !aGI && !bGI &&
		(a.sur != 0 && a.sur == b.given || a.given != 0 && a.given == b.sur) {
		xl, xs := c.nameLevel(a.sur, b.given, false, false, closeJW)
		yl, ys := c.nameLevel(a.given, b.sur, false, false, closeJW)
		if xs+ys > ss+gs+0.05 {
			sl, gl = xl, yl
			tfSur, tfGiven = a.sur, a.given
			if sl == nameExact {
				tfSur = 0 // a surname read as a given name elsewhere: no frequency
			}
			if gl == nameExact {
				tfGiven = 0
			}
		}
	}
	if sl != nameExact {
		tfSur = 0
	}
	if gl != nameExact {
		tfGiven = 0
	}
	p.set(fSurname, sl)
	p.set(fGiven, gl)
	pl, _ := c.nameLevel(a.pat, b.pat, a.flags&flagPatInitial != 0, b.flags&flagPatInitial != 0, patCloseJW)
	p.set(fPatronymic, pl)
	p.set(fBirth, c.birthLevel(a, b))
	p.set(fSex, eqLevel(uint32(a.sex), uint32(b.sex)))
	p.set(fCitizenship, eqLevel(a.cit, b.cit))
	p.set(fRegion, eqLevel(a.reg, b.reg))
	p.set(fID, c.idLevel(a, b))
	p.set(fAddress, c.addrLevel(a, b))
	return p, tfSur, tfGiven
}

func eqLevel(a, b uint32) int {
	switch {
	case a == 0 || b == 0:
		return eqNull
	case a == b:
		return eqAgree
	}
	return eqDiff
}

func abs(x int) int {
	if x < 0 {
		return -x
	}
	return x
}

// birthLevel compares birth dates, falling back to ages: an age a at the
// reference year R means a birth year of R-a-1 or R-a.
func (c *comparer) birthLevel(a, b *feat) int {
	if a.prec != PrecisionNone && b.prec != PrecisionNone {
		if a.prec == PrecisionDay && b.prec == PrecisionDay {
			d := a.days - b.days
			switch {
			case d == 0:
				return birthExact
			case d == 1 || d == -1:
				return birthNear
			case a.year == b.year && a.month == b.day && a.day == b.month:
				return birthNear
			}
		}
		dy := abs(int(a.year) - int(b.year))
		switch {
		case dy == 0:
			return birthSameYear
		case dy <= 2:
			return birthWithin2
		}
		return birthDiff
	}
	switch {
	case a.age != 0 && b.age != 0:
		switch d := abs(int(a.age) - int(b.age)); {
		case d <= 1:
			return birthAge
		case d <= 3:
			return birthWithin2
		}
		return birthDiff
	case c.ageRefY == 0:
		return birthNull
	case a.age != 0 && b.prec != PrecisionNone:
		return ageVersusYear(c.ageRefY, int(a.age), int(b.year))
	case b.age != 0 && a.prec != PrecisionNone:
		return ageVersusYear(c.ageRefY, int(b.age), int(a.year))
	}
	return birthNull
}

func ageVersusYear(refYear, age, year int) int {
	hi := refYear - age
	lo := hi - 1
	d := 0
	if year < lo {
		d = lo - year
	} else if year > hi {
		d = year - hi
	}
	switch {
	case d == 0:
		return birthAge
	case d <= 2:
		return birthWithin2
	}
	return birthDiff
}

func (c *comparer) idLevel(a, b *feat) int {
	switch {
	case a.id == 0 || b.id == 0:
		return idLevelNull
	case a.id == b.id:
		if a.idKind == idIIN {
			return idLevelIINEqual
		}
		return idLevelOtherEqual
	case a.idKind == idIIN && b.idKind == idIIN:
		// Two valid IINs one slip apart are all but impossible: the
		// check digit catches single slips.
		return idLevelConflict
	case oneEdit(c.otherStr(a.id), c.otherStr(b.id)):
		return idLevelClose
	}
	return idLevelDiff
}

// oneEdit reports whether two strings of equal length differ in one
// position or by one swap of adjacent characters.
func oneEdit(x, y string) bool {
	if len(x) != len(y) {
		return false
	}
	i := 0
	for i < len(x) && x[i] == y[i] {
		i++
	}
	if i == len(x) {
		return true
	}
	if x[i+1:] == y[i+1:] {
		return true
	}
	return i+1 < len(x) && x[i] == y[i+1] && x[i+1] == y[i] && x[i+2:] == y[i+2:]
}

func (c *comparer) addr(f *feat) []uint32 {
	if f.addrLen == 0 {
		return nil
	}
	if int(f.addrOff) < len(c.fs.addr) || c.qaddr == nil {
		return c.fs.addr[f.addrOff : f.addrOff+uint32(f.addrLen)]
	}
	off := f.addrOff - uint32(len(c.fs.addr))
	return c.qaddr[off : off+uint32(f.addrLen)]
}

func (c *comparer) addrLevel(a, b *feat) int {
	if a.addrLen == 0 || b.addrLen == 0 {
		return addrNull
	}
	x, y := c.addr(a), c.addr(b)
	common := 0
	for i, j := 0, 0; i < len(x) && j < len(y); {
		switch {
		case x[i] == y[j]:
			common++
			i++
			j++
		case x[i] < y[j]:
			i++
		default:
			j++
		}
	}
	switch {
	case common == len(x) && common == len(y):
		return addrExact
	case 2*common >= min(len(x), len(y)):
		return addrOverlap
	}
	return addrDiff
}
