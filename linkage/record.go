package linkage

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/habeas-project/habeas"
)

// Record is one report of a person, as one source gave it. Only ID and
// FullName are required; every other field may be empty.
type Record struct {
	ID       string // record_id (query_id for queries); unique within a run
	Source   string // who reported it; carried through, never compared
	FullName string // in any script and word order
	// BirthDate is the date of birth as far as the source knew it.
	BirthDate Date
	// Age is the age in whole years at the reference date (ReadOptions and
	// Options AgeReference); 0 means unknown. It is used only where the
	// birth date is unknown.
	Age         int
	Sex         habeas.Sex
	Citizenship string // a country name in any script, or an ISO code
	Region      string
	// IDNumber is an IIN or another national identifier. A valid IIN also
	// gives the birth date and sex when the record lacks them.
	IDNumber string
	Address  string
}

// Precision says how much of a Date is known.
type Precision uint8

// Precisions of a Date, from none to the day.
const (
	PrecisionNone  Precision = iota // the date is unknown
	PrecisionYear                   // only the year
	PrecisionMonth                  // year and month
	PrecisionDay                    // the full date
)

// Date is a calendar date that may be known only in part: a source that
// writes 1990-00-00 or 1990 knows the year only.
type Date struct {
	Year  int // 0 when unknown
	Month int // 1-12; 0 when unknown
	Day   int // 1-31; 0 when unknown
}

// Precision reports how much of the date is known.
func (d Date) Precision() Precision {
	switch {
	case d.Year == 0:
		return PrecisionNone
	case d.Month == 0:
		return PrecisionYear
	case d.Day == 0:
		return PrecisionMonth
	}
	return PrecisionDay
}

// IsZero reports whether nothing of the date is known.
func (d Date) IsZero() bool { return d.Year == 0 }

// String formats the date as YYYY-MM-DD, YYYY-MM or YYYY, or "" when unknown.
func (d Date) String() string {
	switch d.Precision() {
	case PrecisionYear:
		return fmt.Sprintf("%04d", d.Year)
	case PrecisionMonth:
		return fmt.Sprintf("%04d-%02d", d.Year, d.Month)
	case PrecisionDay:
		return fmt.Sprintf("%04d-%02d-%02d", d.Year, d.Month, d.Day)
	}
	return ""
}

// DateOf returns the Date of a time, to the day.
func DateOf(t time.Time) Date {
	return Date{Year: t.Year(), Month: int(t.Month()), Day: t.Day()}
}

// ParseDate reads a birth date written as YYYY-MM-DD, DD.MM.YYYY or
// YYYYMMDD. A partial date is accepted as YYYY, YYYY-MM or MM.YYYY, or with
// zeros for the unknown parts (1990-00-00, 00.05.1990). An empty string is
// the zero Date. Years before 1900 or after 2100 and days that do not exist
// are errors.
func ParseDate(s string) (Date, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return Date{}, nil
	}
	var y, m, d string
	switch {
	case len(s) == 4 && digits(s):
		y = s
	case len(s) == 8 && digits(s):
		y, m, d = s[:4], s[4:6], s[6:]
	case strings.Count(s, "-") == 2 && len(s) == 10 && s[4] == '-' && s[7] == '-':
		y, m, d = s[:4], s[5:7], s[8:]
	case strings.Count(s, "-") == 1 && len(s) == 7 && s[4] == '-':
		y, m = s[:4], s[5:]
	case strings.Count(s, ".") == 2 && len(s) == 10 && s[2] == '.' && s[5] == '.':
		d, m, y = s[:2], s[3:5], s[6:]
	case strings.Count(s, ".") == 1 && len(s) == 7 && s[2] == '.':
		m, y = s[:2], s[3:]
	default:
		return Date{}, fmt.Errorf("%q is not a date (YYYY-MM-DD, DD.MM.YYYY or YYYYMMDD)", s)
	}
	num := func(p string) (int, bool) {
		if p == "" {
			return 0, true
		}
		if !digits(p) {
			return 0, false
		}
		n, err := strconv.Atoi(p)
		return n, err == nil
	}
	yy, ok1 := num(y)
	mm, ok2 := num(m)
	dd, ok3 := num(d)
	if !ok1 || !ok2 || !ok3 {
		return Date{}, fmt.Errorf("%q is not a date (YYYY-MM-DD, DD.MM.YYYY or YYYYMMDD)", s)
	}
	if yy < 1900 || yy > 2100 {
		return Date{}, fmt.Errorf("year %d is out of range 1900-2100", yy)
	}
	if mm > 12 {
		return Date{}, fmt.Errorf("month %d does not exist", mm)
	}
	if mm == 0 {
		dd = 0 // a day without its month says nothing
	}
	if dd > 0 {
		t := time.Date(yy, time.Month(mm), dd, 0, 0, 0, 0, time.UTC)
		if t.Day() != dd {
			return Date{}, fmt.Errorf("%04d-%02d-%02d does not exist", yy, mm, dd)
		}
	}
	return Date{Year: yy, Month: mm, Day: dd}, nil
}

func digits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return s != ""
}

// ParseSex reads sex as written in English, Russian or Kazakh (male, m,
// муж, мужской, м, ер, еркек; female, f, жен, женский, ж, әйел). Empty,
// "unknown" and "?" are unknown.
func ParseSex(s string) (habeas.Sex, error) {
	switch strings.ToLower(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(s), "."))) {
	case "", "unknown", "u", "?", "-", "неизвестно", "белгісіз":
		return habeas.SexUnknown, nil
	case "male", "m", "man", "м", "муж", "мужской", "мужчина", "ер", "еркек":
		return habeas.SexMale, nil
	case "female", "f", "woman", "ж", "жен", "женский", "женщина", "әйел":
		return habeas.SexFemale, nil
	}
	return habeas.SexUnknown, fmt.Errorf("%q is not male or female", s)
}
