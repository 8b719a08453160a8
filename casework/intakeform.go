package casework

import (
	"fmt"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/habeas-project/habeas"
)

// intakeForm is an Intake read and checked, ready to become records.
type intakeForm struct {
	in           Intake
	birth        habeas.BirthDate
	sex          habeas.Sex
	citizenships []string
	iin          habeas.IIN
	city         *habeas.City
	arrested     time.Time // UTC
	custodyAt    time.Time // UTC, zero when unknown
	body         string
	kind         habeas.SourceKind
	conf         habeas.Confidentiality
	credibility  int
	errs         []habeas.FieldError
}

func (f *intakeForm) bad(field, format string, args ...any) {
	f.errs = append(f.errs, habeas.FieldErrorf(field, format, args...))
}

func (f *intakeForm) maxLen(field, value string, n int) {
	if len([]rune(value)) > n {
		f.bad(field, "is longer than %d characters", n)
	}
}

var (
	timePattern    = regexp.MustCompile(`^([0-9]{1,2})(?:[:.h ]?([0-9]{2}))?$`)
	dotDate        = regexp.MustCompile(`^([0-9]{1,2})[./]([0-9]{1,2})(?:[./]([0-9]{4}))?$`)
	isoDate        = regexp.MustCompile(`^[0-9]{4}-[0-9]{2}-[0-9]{2}$`)
	ageOnly        = regexp.MustCompile(`^[0-9]{1,3}$`)
	yearOnly       = regexp.MustCompile(`^[0-9]{4}$`)
	isoMonth       = regexp.MustCompile(`^[0-9]{4}-[0-9]{2}$`)
	dotMonth       = regexp.MustCompile(`^([0-9]{1,2})[./]([0-9]{4})$`)
	countrySplit   = regexp.MustCompile(`[\s,;]+`)
	countryPattern = regexp.MustCompile(`^[A-Z]{2}$`)
)

// futureSlack is how far ahead of the clock an arrest time may be: the
// operator's watch and the server's may differ by a few minutes.
const futureSlack = 15 * time.Minute

// parseIntake trims and checks every field, reading local times in the
// city's zone. now is the moment of the report.
func parseIntake(in Intake, now time.Time) *intakeForm {
	for _, s := range []*string{&in.PersonID, &in.Name, &in.Birth, &in.Sex, &in.Citizenship, &in.IIN, &in.City, &in.Date,
		&in.Time, &in.Place, &in.Body, &in.Custody, &in.CustodySince, &in.Note, &in.SourceKind, &in.Caller, &in.Contact,
		&in.Confidentiality, &in.Reliability, &in.Credibility} {
		*s = strings.TrimSpace(*s)
	}
	in.Name = strings.Join(strings.Fields(in.Name), " ")
	in.Reliability = strings.ToUpper(in.Reliability)
	orDefault := func(s *string, def string) {
		if *s == "" {
			*s = def
		}
	}
	orDefault(&in.SourceKind, IntakeDefaults.SourceKind)
	orDefault(&in.Confidentiality, IntakeDefaults.Confidentiality)
	orDefault(&in.Reliability, IntakeDefaults.Reliability)
	orDefault(&in.Credibility, IntakeDefaults.Credibility)
	f := &intakeForm{in: in}
	// When and where first: an age is an age on the day of the arrest.
	day, today := f.parseWhen(now)
	f.parseWho(day, today)
	f.parseCaller()
	return f
}

// parseWhen reads when and where the person was taken and where they are
// held. It returns the local day of the arrest (zero when the date is
// invalid) and today, both at midnight in the city's zone.
func (f *intakeForm) parseWhen(now time.Time) (day, today time.Time) {
	in := f.in
	if in.City == "" {
		f.bad("city", "is required")
	} else if c, ok := habeas.FindCity(in.City); !ok {
		f.bad("city", "%q is not a known city", in.City)
	} else {
		f.city = c
	}
	loc := time.UTC
	if f.city != nil {
		loc = f.city.Location()
	}
	today = now.In(loc)
	today = time.Date(today.Year(), today.Month(), today.Day(), 0, 0, 0, 0, loc)
	if in.Date == "" {
		day = today
	} else if d, ok := parseDay(in.Date, today); ok {
		day = d
	} else {
		f.bad("date", "%q is not a date such as 2022-01-05 or 05.01.2022", in.Date)
	}
	var hour, minute int
	timeOK := false
	if in.Time == "" {
		f.bad("time", "is required")
	} else if hour, minute, timeOK = parseClock(in.Time); !timeOK {
		f.bad("time", "%q is not a time such as 14:30", in.Time)
	}
	if !day.IsZero() && timeOK && f.city != nil {
		f.arrested = time.Date(day.Year(), day.Month(), day.Day(), hour, minute, 0, 0, loc).UTC()
		if f.arrested.After(now.Add(futureSlack)) {
			f.bad("time", "is in the future")
		}
	}
	f.maxLen("place", in.Place, 300)
	if in.Body != "" {
		i := slices.IndexFunc(ArrestingBodies, func(b ArrestingBody) bool { return b.Key == in.Body })
		if i < 0 {
			keys := make([]string, len(ArrestingBodies))
			for j, b := range ArrestingBodies {
				keys[j] = b.Key
			}
			f.bad("body", "%q is not one of %s", in.Body, strings.Join(keys, ", "))
		} else {
			f.body = ArrestingBodies[i].Text
		}
	}
	f.maxLen("custody", in.Custody, 300)
	if in.CustodySince != "" {
		h, m, ok := parseClock(in.CustodySince)
		switch {
		case !ok:
			f.bad("custody_since", "%q is not a time such as 14:30", in.CustodySince)
		case in.Custody == "":
			f.bad("custody_since", "needs the place of custody")
		case !f.arrested.IsZero():
			at := time.Date(day.Year(), day.Month(), day.Day(), h, m, 0, 0, loc).UTC()
			if at.Before(f.arrested) { // brought there after midnight
				at = time.Date(day.Year(), day.Month(), day.Day()+1, h, m, 0, 0, loc).UTC()
			}
			if at.After(now.Add(futureSlack)) {
				f.bad("custody_since", "is in the future")
			}
			f.custodyAt = at
		}
	}
	f.maxLen("note", in.Note, 2000)
	return day, today
}

// parseWho reads who was taken.
func (f *intakeForm) parseWho(day, today time.Time) {
	in := f.in
	if in.PersonID != "" && !habeas.ValidID(habeas.KindPerson, in.PersonID) {
		f.bad("person_id", "%q is not a person identifier", in.PersonID)
	}
	if in.Name == "" {
		f.bad("name", "is required")
	}
	f.maxLen("name", in.Name, 200)
	f.parseBirth(day, today)
	switch habeas.Sex(in.Sex) {
	case habeas.SexUnknown, habeas.SexMale, habeas.SexFemale:
		f.sex = habeas.Sex(in.Sex)
	default:
		f.bad("sex", "%q is not one of male, female", in.Sex)
	}
	for _, c := range countrySplit.Split(strings.ToUpper(in.Citizenship), -1) {
		if c == "" || slices.Contains(f.citizenships, c) {
			continue
		}
		if !countryPattern.MatchString(c) {
			f.bad("citizenship", "%q is not an ISO 3166-1 alpha-2 country code", c)
			continue
		}
		f.citizenships = append(f.citizenships, c)
	}
	f.parseIIN()
}

// parseCaller reads who is calling: the source.
func (f *intakeForm) parseCaller() {
	in := f.in
	f.kind = habeas.SourceKind(in.SourceKind)
	if !slices.Contains(habeas.SourceKinds, in.SourceKind) {
		f.bad("source_kind", "%q is not one of %s", in.SourceKind, strings.Join(habeas.SourceKinds, ", "))
	}
	f.maxLen("caller", in.Caller, 300)
	f.maxLen("contact", in.Contact, 300)
	f.conf = habeas.Confidentiality(in.Confidentiality)
	if !slices.Contains([]string{"open", "internal", "restricted"}, in.Confidentiality) {
		f.bad("confidentiality", "%q is not one of open, internal, restricted", in.Confidentiality)
	}
	if len(in.Reliability) != 1 || in.Reliability[0] < 'A' || in.Reliability[0] > 'F' {
		f.bad("reliability", "%q is not a reliability grade A-F", in.Reliability)
	}
	if n, err := strconv.Atoi(in.Credibility); err != nil || n < 1 || n > 6 {
		f.bad("credibility", "%q is not a credibility grade 1-6", in.Credibility)
	} else {
		f.credibility = n
	}
}

// parseDay reads a day as YYYY-MM-DD, DD.MM.YYYY or DD.MM; a day without a
// year is the latest such day not after today.
func parseDay(s string, today time.Time) (time.Time, bool) {
	loc := today.Location()
	if isoDate.MatchString(s) {
		d, err := time.ParseInLocation(time.DateOnly, s, loc)
		return d, err == nil
	}
	m := dotDate.FindStringSubmatch(s)
	if m == nil {
		return time.Time{}, false
	}
	dd, _ := strconv.Atoi(m[1])
	mm, _ := strconv.Atoi(m[2])
	yy := today.Year()
	if m[3] != "" {
		yy, _ = strconv.Atoi(m[3])
	}
	d := time.Date(yy, time.Month(mm), dd, 0, 0, 0, 0, loc)
	if d.Day() != dd || int(d.Month()) != mm {
		return time.Time{}, false // 31.02
	}
	if m[3] == "" && d.After(today) {
		d = d.AddDate(-1, 0, 0)
	}
	return d, true
}

// parseClock reads a time of day: 14:30, 14.30, 1430, 930 or 14.
func parseClock(s string) (hour, minute int, ok bool) {
	m := timePattern.FindStringSubmatch(s)
	if m == nil {
		return 0, 0, false
	}
	hour, _ = strconv.Atoi(m[1])
	if m[2] != "" {
		minute, _ = strconv.Atoi(m[2])
	}
	return hour, minute, hour < 24 && minute < 60
}

// parseBirth reads an age in years on the day of the arrest, or a birth
// date to the day, month or year.
func (f *intakeForm) parseBirth(day, today time.Time) {
	s := f.in.Birth
	if day.IsZero() {
		day = today
	}
	var b habeas.BirthDate
	switch {
	case s == "":
		return
	case ageOnly.MatchString(s):
		n, _ := strconv.Atoi(s)
		if n > 120 {
			f.bad("birth", "%d is not an age in years (0-120)", n)
			return
		}
		f.birth = habeas.BirthDate{Precision: habeas.PrecisionAge, Age: n, AgeAt: day.Format(time.DateOnly)}
		return
	case yearOnly.MatchString(s):
		b = habeas.BirthDate{Precision: habeas.PrecisionYear, Date: s}
	case isoMonth.MatchString(s):
		b = habeas.BirthDate{Precision: habeas.PrecisionMonth, Date: s}
	case dotMonth.MatchString(s):
		m := dotMonth.FindStringSubmatch(s)
		mm, _ := strconv.Atoi(m[1])
		b = habeas.BirthDate{Precision: habeas.PrecisionMonth, Date: fmt.Sprintf("%s-%02d", m[2], mm)}
	case isoDate.MatchString(s) || dotDate.MatchString(s) && dotDate.FindStringSubmatch(s)[3] != "":
		d, ok := parseDay(s, today)
		if !ok {
			f.bad("birth", "%q is not an age or a birth date such as 34 or 02.04.1990", s)
			return
		}
		b = habeas.BirthDate{Precision: habeas.PrecisionDay, Date: d.Format(time.DateOnly)}
	default:
		f.bad("birth", "%q is not an age or a birth date such as 34 or 02.04.1990", s)
		return
	}
	lo, _, ok := b.Range()
	switch {
	case !ok:
		f.bad("birth", "%q is not an age or a birth date such as 34 or 02.04.1990", s)
	case lo.Year() < 1900:
		f.bad("birth", "%q is before 1900", s)
	case lo.After(day.UTC()):
		f.bad("birth", "is after the arrest")
	default:
		f.birth = b
	}
}

// parseIIN checks an IIN and takes from it the birth date and sex the
// caller did not give.
func (f *intakeForm) parseIIN() {
	s := strings.Join(strings.Fields(f.in.IIN), "")
	if s == "" {
		return
	}
	if len(s) != 12 || strings.Trim(s, "0123456789") != "" {
		f.bad("iin", "must be 12 digits")
		return
	}
	info, err := habeas.IIN(s).Parse()
	if err != nil {
		f.bad("iin", "%s is not a valid IIN: its date or check digit is wrong", s)
		return
	}
	f.iin = habeas.IIN(s)
	if f.birth.Precision == habeas.PrecisionUnknown {
		f.birth = habeas.BirthDate{Precision: habeas.PrecisionDay, Date: info.BirthDate.Format(time.DateOnly)}
	}
	if f.sex == habeas.SexUnknown {
		f.sex = info.Sex
	}
}

func (f *intakeForm) err() error {
	if len(f.errs) == 0 {
		return nil
	}
	return &habeas.Error{Code: habeas.EINVALID, Message: "invalid report", Fields: f.errs}
}
