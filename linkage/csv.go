package linkage

import (
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/habeas-project/habeas"
)

// Columns are the input columns of `habeas link` and `habeas match`, as
// DESIGN.md fixes them; queries use query_id for record_id.
var Columns = []string{"record_id", "source", "full_name", "birth_date", "age", "sex", "citizenship", "region", "id_number", "address"}

// Limits on field lengths, in characters; longer values are bad rows.
const (
	maxNameLen  = 300
	maxFieldLen = 1000
)

// ReadOptions says how ReadCSV reads a file.
type ReadOptions struct {
	// IDColumn names the id column: "record_id" (the default) or "query_id".
	IDColumn string
	// AgeReference is the date the age column refers to. When set, a birth
	// date after it is a bad row.
	AgeReference time.Time
	// SkipBad skips bad rows: ReadCSV then returns the good records, the
	// row errors as warnings and a nil error.
	SkipBad bool
}

// RowError is one bad row: its line in the file (the line the row starts
// on, counting the header as line 1), the column and why.
type RowError struct {
	Line   int
	Field  string
	Reason string
}

func (e RowError) Error() string {
	if e.Field == "" {
		return fmt.Sprintf("line %d: %s", e.Line, e.Reason)
	}
	return fmt.Sprintf("line %d: %s: %s", e.Line, e.Field, e.Reason)
}

// ReadCSV reads records from CSV in the format of DESIGN.md: a header row,
// columns in any order, unknown columns ignored, every column optional and
// any value empty except the id column and full_name. It returns the
// records, in file order, and every bad row. Without SkipBad any bad row
// makes the error non-nil (an invalid-input *habeas.Error); with SkipBad the
// bad rows are left out and only an unreadable file or header is an error.
func ReadCSV(r io.Reader, opt ReadOptions) ([]Record, []RowError, error) {
	idCol := opt.IDColumn
	if idCol == "" {
		idCol = "record_id"
	}
	cr := csv.NewReader(r)
	cr.FieldsPerRecord = -1
	cr.ReuseRecord = true
	header, err := cr.Read()
	if err == io.EOF {
		return nil, nil, habeas.Errorf(habeas.EINVALID, "the file is empty: a header row is required")
	}
	if err != nil {
		return nil, nil, csvError(err)
	}
	header = slices.Clone(header) // the reader reuses its slice
	cols := make(map[string]int)
	for i, h := range header {
		h = strings.ToLower(strings.TrimSpace(strings.TrimPrefix(h, "\ufeff")))
		if h == "" {
			continue
		}
		if _, dup := cols[h]; dup {
			return nil, nil, habeas.Errorf(habeas.EINVALID, "line 1: column %s appears twice in the header", h)
		}
		cols[h] = i
	}
	for _, need := range []string{idCol, "full_name"} {
		if _, ok := cols[need]; !ok {
			return nil, nil, habeas.Errorf(habeas.EINVALID, "line 1: the header has no %s column", need)
		}
	}
	idx := func(name string) int {
		if i, ok := cols[name]; ok {
			return i
		}
		return -1
	}
	var (
		cID, cName                      = cols[idCol], cols["full_name"]
		cSource, cBirth, cAge, cSex     = idx("source"), idx("birth_date"), idx("age"), idx("sex")
		cCit, cRegion, cIDNum, cAddress = idx("citizenship"), idx("region"), idx("id_number"), idx("address")
	)
	var (
		recs    []Record
		bad     []RowError
		seen    = make(map[string]int) // id → line
		refDate Date
	)
	if !opt.AgeReference.IsZero() {
		refDate = DateOf(opt.AgeReference)
	}
	for {
		row, err := cr.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			var pe *csv.ParseError
			if !errors.As(err, &pe) {
				return nil, bad, fmt.Errorf("read csv: %w", err)
			}
			bad = append(bad, RowError{Line: pe.StartLine, Reason: pe.Err.Error()})
			continue
		}
		line, _ := cr.FieldPos(0)
		if len(row) != len(header) {
			bad = append(bad, RowError{Line: line, Reason: fmt.Sprintf("has %d fields, the header has %d", len(row), len(header))})
			continue
		}
		rowBad := func(field, format string, args ...any) {
			bad = append(bad, RowError{Line: line, Field: field, Reason: fmt.Sprintf(format, args...)})
		}
		get := func(i int) string {
			if i < 0 {
				return ""
			}
			return strings.TrimSpace(row[i])
		}
		n := len(bad)
		for i, v := range row {
			if !utf8.ValidString(v) {
				rowBad(strings.ToLower(strings.TrimSpace(header[i])), "is not valid UTF-8")
			} else if len(v) > maxFieldLen && utf8.RuneCountInString(v) > maxFieldLen {
				rowBad(strings.ToLower(strings.TrimSpace(header[i])), "is longer than %d characters", maxFieldLen)
			}
		}
		if len(bad) > n {
			continue
		}
		rec := Record{
			ID: get(cID), Source: get(cSource), FullName: get(cName),
			Citizenship: get(cCit), Region: get(cRegion), IDNumber: get(cIDNum), Address: get(cAddress),
		}
		if rec.ID == "" {
			rowBad(idCol, "is required")
		} else if prev, dup := seen[rec.ID]; dup {
			rowBad(idCol, "%q is also the id on line %d", rec.ID, prev)
		}
		if rec.FullName == "" {
			rowBad("full_name", "is required")
		} else if utf8.RuneCountInString(rec.FullName) > maxNameLen {
			rowBad("full_name", "is longer than %d characters", maxNameLen)
		} else if !hasLetter(rec.FullName) {
			rowBad("full_name", "has no letters")
		}
		if v := get(cBirth); v != "" {
			d, err := ParseDate(v)
			switch {
			case err != nil:
				rowBad("birth_date", "%v", err)
			case refDate.Year != 0 && dateAfter(d, refDate):
				rowBad("birth_date", "%s is after the age reference date %s", d, refDate)
			default:
				rec.BirthDate = d
			}
		}
		if v := get(cAge); v != "" {
			a, err := strconv.Atoi(v)
			if err != nil || a < 0 || a > 130 {
				rowBad("age", "%q is not an age in whole years (0-130)", v)
			} else {
				rec.Age = a
			}
		}
		if v := get(cSex); v != "" {
			s, err := ParseSex(v)
			if err != nil {
				rowBad("sex", "%v", err)
			}
			rec.Sex = s
		}
		if len(bad) > n {
			continue
		}
		seen[rec.ID] = line
		recs = append(recs, rec)
	}
	if len(bad) > 0 && !opt.SkipBad {
		return nil, bad, habeas.Errorf(habeas.EINVALID, "%d bad rows", len(bad))
	}
	return recs, bad, nil
}

// csvError turns an error reading the header into an invalid-input error.
func csvError(err error) error {
	var pe *csv.ParseError
	if errors.As(err, &pe) {
		return habeas.Errorf(habeas.EINVALID, "line %d: %v", pe.StartLine, pe.Err)
	}
	return fmt.Errorf("read csv: %w", err)
}

// dateAfter reports whether d is certainly after ref.
func dateAfter(d, ref Date) bool {
	switch {
	case d.Year != ref.Year:
		return d.Year > ref.Year
	case d.Month == 0 || d.Month != ref.Month:
		return d.Month > ref.Month
	}
	return d.Day > ref.Day
}

func hasLetter(s string) bool {
	for _, r := range s {
		if unicode.IsLetter(r) {
			return true
		}
	}
	return false
}
