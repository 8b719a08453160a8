package habeas

import (
	"fmt"
	"time"
)

// IIN is a Kazakhstan individual identification number: twelve digits, the
// first six the birth date (YYMMDD), the seventh the century and sex, the last
// a check digit.
type IIN string

// IINInfo is what an IIN says about its holder.
type IINInfo struct {
	BirthDate time.Time
	Sex       Sex
}

var iinWeights1 = [11]int{1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11}
var iinWeights2 = [11]int{3, 4, 5, 6, 7, 8, 9, 10, 11, 1, 2}

// IINCheckDigit returns the check digit for the first eleven digits of an
// IIN, or -1 when none exists (such numbers are never issued).
func IINCheckDigit(first11 string) int {
	if len(first11) != 11 {
		return -1
	}
	sum := func(w [11]int) int {
		s := 0
		for i := 0; i < 11; i++ {
			s += int(first11[i]-'0') * w[i]
		}
		return s % 11
	}
	c := sum(iinWeights1)
	if c == 10 {
		c = sum(iinWeights2)
		if c == 10 {
			return -1
		}
	}
	return c
}

// Parse validates the IIN and returns the birth date and sex it encodes. The
// error says which rule failed.
func (n IIN) Parse() (IINInfo, error) {
	s := string(n)
	if len(s) != 12 {
		return IINInfo{}, fmt.Errorf("must have 12 digits, has %d characters", len(s))
	}
	for i := 0; i < 12; i++ {
		if s[i] < '0' || s[i] > '9' {
			return IINInfo{}, fmt.Errorf("character %d is not a digit", i+1)
		}
	}
	var century int
	var sex Sex
	switch s[6] {
	case '1', '2':
		century = 1800
	case '3', '4':
		century = 1900
	case '5', '6':
		century = 2000
	default:
		return IINInfo{}, fmt.Errorf("seventh digit %c is not a century and sex code (1-6)", s[6])
	}
	if (s[6]-'0')%2 == 1 {
		sex = SexMale
	} else {
		sex = SexFemale
	}
	yy := int(s[0]-'0')*10 + int(s[1]-'0')
	mm := int(s[2]-'0')*10 + int(s[3]-'0')
	dd := int(s[4]-'0')*10 + int(s[5]-'0')
	d := time.Date(century+yy, time.Month(mm), dd, 0, 0, 0, 0, time.UTC)
	if mm < 1 || mm > 12 || d.Day() != dd || d.Month() != time.Month(mm) {
		return IINInfo{}, fmt.Errorf("first six digits %s are not a date (YYMMDD)", s[:6])
	}
	want := IINCheckDigit(s[:11])
	if want < 0 {
		return IINInfo{}, fmt.Errorf("no valid check digit exists for %s", s[:11])
	}
	if int(s[11]-'0') != want {
		return IINInfo{}, fmt.Errorf("check digit is %c, expected %d", s[11], want)
	}
	return IINInfo{BirthDate: d, Sex: sex}, nil
}

// Valid reports whether the IIN is well formed with a correct check digit.
func (n IIN) Valid() bool {
	_, err := n.Parse()
	return err == nil
}

// MakeIIN returns a valid IIN for the birth date, sex and serial number
// (0-9999). It exists for synthetic data and tests; ok is false when the
// serial has no valid check digit, in which case the next serial will do.
func MakeIIN(birth time.Time, sex Sex, serial int) (IIN, bool) {
	code := 0
	switch {
	case birth.Year() >= 2000:
		code = 5
	case birth.Year() >= 1900:
		code = 3
	default:
		code = 1
	}
	if sex == SexFemale {
		code++
	}
	first := fmt.Sprintf("%02d%02d%02d%d%04d", birth.Year()%100, int(birth.Month()), birth.Day(), code, serial%10000)
	c := IINCheckDigit(first)
	if c < 0 {
		return "", false
	}
	return IIN(first + fmt.Sprint(c)), true
}
