package habeas_test

import (
	"fmt"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/habeas-project/habeas"
)

// mustIIN makes a synthetic IIN for the birth date and sex, taking the first
// serial that has a check digit.
func mustIIN(t testing.TB, birth time.Time, sex habeas.Sex) habeas.IIN {
	t.Helper()
	for serial := 1; serial < 10000; serial++ {
		if n, ok := habeas.MakeIIN(birth, sex, serial); ok {
			return n
		}
	}
	t.Fatalf("MakeIIN(%v, %v): no serial has a check digit", birth, sex)
	return ""
}

// otherDigit returns a digit other than d.
func otherDigit(d byte) string {
	return strconv.Itoa((int(d-'0') + 1) % 10)
}

// withCheck appends the right check digit to first11, so that only the rule
// under test can reject the result.
func withCheck(t *testing.T, first11 string) habeas.IIN {
	t.Helper()
	c := habeas.IINCheckDigit(first11)
	if c < 0 {
		t.Fatalf("IINCheckDigit(%q): got -1, want a digit (pick another serial)", first11)
	}
	return habeas.IIN(first11 + strconv.Itoa(c))
}

func TestIINCheckDigit(t *testing.T) {
	for _, tt := range []struct {
		name    string
		first11 string
		want    int
	}{
		// 9·1+0·2+0·3+2·4+1·5+5·6+3·7+0·8+0·9+0·10+0·11 = 73, and 73 mod 11 = 7.
		{"first weights", "90021530000", 7},
		// 84 mod 11 = 7.
		{"first weights, next serial", "90021530001", 7},
		// First weights: 164 mod 11 = 10, so the second weights
		// 3,4,5,6,7,8,9,10,11,1,2 apply: 123 mod 11 = 2.
		{"second weights", "90021530081", 2},
		// First weights: 153 mod 11 = 10; second: 121 mod 11 = 0.
		{"second weights giving 0", "90021530080", 0},
		// First weights: 208 mod 11 = 10; second: 131 mod 11 = 10: no check digit.
		{"no check digit", "90021530085", -1},
		{"ten digits", "9002153000", -1},
		{"twelve digits", "900215300000", -1},
		{"empty", "", -1},
	} {
		t.Run(tt.name, func(t *testing.T) {
			if got := habeas.IINCheckDigit(tt.first11); got != tt.want {
				t.Errorf("IINCheckDigit(%q): got %v, want %v", tt.first11, got, tt.want)
			}
		})
	}
}

func TestMakeIIN(t *testing.T) {
	for _, tt := range []struct {
		name   string
		birth  time.Time
		sex    habeas.Sex
		serial int
		want   habeas.IIN
		wantOK bool
	}{
		{"1900s male", date(1990, 2, 15), habeas.SexMale, 0, "900215300007", true},
		{"second weights", date(1990, 2, 15), habeas.SexMale, 81, "900215300812", true},
		{"no check digit", date(1990, 2, 15), habeas.SexMale, 85, "", false},
		{"2000s female", date(2003, 7, 9), habeas.SexFemale, 1, "030709600019", true},
		{"1800s male", date(1899, 12, 31), habeas.SexMale, 1, "991231100010", true},
		{"1800s female", date(1899, 12, 31), habeas.SexFemale, 1, "991231200017", true},
		{"1900s female", date(1900, 1, 1), habeas.SexFemale, 1, "000101400015", true},
		{"2000 leap day", date(2000, 2, 29), habeas.SexMale, 1, "000229500018", true},
		{"serial wraps at 10000", date(1990, 2, 15), habeas.SexMale, 10000, "900215300007", true},
	} {
		t.Run(tt.name, func(t *testing.T) {
			got, ok := habeas.MakeIIN(tt.birth, tt.sex, tt.serial)
			if got != tt.want || ok != tt.wantOK {
				t.Fatalf("MakeIIN: got %q, %v, want %q, %v", got, ok, tt.want, tt.wantOK)
			}
			if !ok {
				return
			}
			info, err := got.Parse()
			if err != nil {
				t.Fatalf("Parse(%q): got %v, want no error", got, err)
			}
			if !info.BirthDate.Equal(tt.birth) || info.Sex != tt.sex {
				t.Errorf("Parse(%q): got %v %v, want %v %v", got, info.BirthDate.Format(time.DateOnly), info.Sex, tt.birth.Format(time.DateOnly), tt.sex)
			}
		})
	}
}

func TestIINParse(t *testing.T) {
	for _, tt := range []struct {
		name    string
		birth   time.Time
		sex     habeas.Sex
		seventh byte
	}{
		{"1800s male", date(1871, 3, 18), habeas.SexMale, '1'},
		{"1800s female", date(1899, 12, 31), habeas.SexFemale, '2'},
		{"1900s male", date(1900, 1, 1), habeas.SexMale, '3'},
		{"1900s female", date(1976, 10, 31), habeas.SexFemale, '4'},
		{"2000s male", date(2000, 2, 29), habeas.SexMale, '5'},
		{"2000s female", date(2012, 6, 30), habeas.SexFemale, '6'},
	} {
		t.Run(tt.name, func(t *testing.T) {
			n := mustIIN(t, tt.birth, tt.sex)
			if n[6] != tt.seventh {
				t.Errorf("seventh digit of %s: got %c, want %c", n, n[6], tt.seventh)
			}
			info, err := n.Parse()
			if err != nil {
				t.Fatalf("Parse(%q): got %v, want no error", n, err)
			}
			if !info.BirthDate.Equal(tt.birth) {
				t.Errorf("BirthDate: got %v, want %v", info.BirthDate, tt.birth)
			}
			if info.BirthDate.Location() != time.UTC {
				t.Errorf("BirthDate location: got %v, want UTC", info.BirthDate.Location())
			}
			if info.Sex != tt.sex {
				t.Errorf("Sex: got %v, want %v", info.Sex, tt.sex)
			}
			if !n.Valid() {
				t.Errorf("Valid(%q): got false, want true", n)
			}
		})
	}
}

func TestIINParseInvalid(t *testing.T) {
	for _, tt := range []struct {
		name string
		iin  habeas.IIN
		want string // a phrase the error must contain: it says which rule failed
	}{
		{"empty", "", "12 digits"},
		{"eleven digits", "90021530000", "12 digits"},
		{"thirteen digits", "9002153000070", "12 digits"},
		{"surrounding space", " 900215300007", "12 digits"},
		{"letter", "90021530000A", "character 12 is not a digit"},
		{"space inside", "900215 00007", "character 7 is not a digit"},
		{"dash", "900-15300007", "character 4 is not a digit"},
		// Twelve bytes, but the last two are one non-ASCII digit.
		{"arabic-indic digit", "9002153000" + "٧", "character 11 is not a digit"},
		{"century 0", withCheck(t, "90021500000"), "seventh digit 0"},
		{"century 7", withCheck(t, "90021570000"), "seventh digit 7"},
		{"century 8", withCheck(t, "90021580000"), "seventh digit 8"},
		{"century 9", withCheck(t, "90021590000"), "seventh digit 9"},
		{"Feb 30", withCheck(t, "90023030000"), "not a date"},
		{"Feb 29, 1990", withCheck(t, "90022930000"), "not a date"},
		{"Feb 29, 1900 (not a leap year)", withCheck(t, "00022930000"), "not a date"},
		{"Apr 31", withCheck(t, "90043130000"), "not a date"},
		{"day 00", withCheck(t, "90020030000"), "not a date"},
		{"day 32", withCheck(t, "90013230000"), "not a date"},
		{"month 00", withCheck(t, "90001530000"), "not a date"},
		{"month 13", withCheck(t, "90131530000"), "not a date"},
		{"month 99", withCheck(t, "90991530000"), "not a date"},
		{"no check digit exists", "900215300850", "no valid check digit"},
		{"second weights, first-weights digit", "900215300810", "check digit is 0, expected 2"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			_, err := tt.iin.Parse()
			if err == nil {
				t.Fatalf("Parse(%q): got no error, want one containing %q", tt.iin, tt.want)
			}
			if !strings.Contains(err.Error(), tt.want) {
				t.Errorf("Parse(%q): got %v, want an error containing %q", tt.iin, err, tt.want)
			}
			if tt.iin.Valid() {
				t.Errorf("Valid(%q): got true, want false", tt.iin)
			}
		})
	}
}

// TestIINWrongCheckDigit checks that every wrong last digit is caught.
func TestIINWrongCheckDigit(t *testing.T) {
	for _, good := range []habeas.IIN{"900215300007", "900215300812", "030709600019", "991231200017"} {
		for d := '0'; d <= '9'; d++ {
			n := good[:11] + habeas.IIN(d)
			t.Run(string(n), func(t *testing.T) {
				_, err := n.Parse()
				if n == good {
					if err != nil {
						t.Errorf("Parse(%q): got %v, want no error", n, err)
					}
					return
				}
				if err == nil || !strings.Contains(err.Error(), "check digit") {
					t.Errorf("Parse(%q): got %v, want a check digit error", n, err)
				}
			})
		}
	}
}

// FuzzIINParse checks that Parse never panics and that whatever it accepts
// is exactly what MakeIIN makes for the same birth date, sex and serial.
func FuzzIINParse(f *testing.F) {
	for _, s := range []string{"900215300007", "900215300812", "030709600019", "991231200017", "000229500018",
		"900230300000", "900215700000", "900215300850", "", "90021530000A", "٧٧٧٧٧٧", "000000000000", "999999999999"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		n := habeas.IIN(s)
		info, err := n.Parse()
		if n.Valid() != (err == nil) {
			t.Fatalf("Valid(%q): got %v, want %v", s, n.Valid(), err == nil)
		}
		if err != nil {
			return
		}
		serial, aerr := strconv.Atoi(s[7:11])
		if aerr != nil {
			t.Fatalf("Parse(%q) accepted a non-digit serial: %v", s, aerr)
		}
		got, ok := habeas.MakeIIN(info.BirthDate, info.Sex, serial)
		if !ok || got != n {
			t.Fatalf("MakeIIN(%v, %v, %d): got %q, %v, want %q, true", info.BirthDate.Format(time.DateOnly), info.Sex, serial, got, ok, s)
		}
		if y := info.BirthDate.Year(); y < 1800 || y > 2099 {
			t.Fatalf("Parse(%q): got year %d, want 1800-2099", s, y)
		}
		if info.Sex != habeas.SexMale && info.Sex != habeas.SexFemale {
			t.Fatalf("Parse(%q): got sex %q, want male or female", s, info.Sex)
		}
		if want := fmt.Sprintf("%02d%02d%02d", info.BirthDate.Year()%100, info.BirthDate.Month(), info.BirthDate.Day()); s[:6] != want {
			t.Fatalf("Parse(%q): got date %v, want one written %s", s, info.BirthDate.Format(time.DateOnly), s[:6])
		}
	})
}
