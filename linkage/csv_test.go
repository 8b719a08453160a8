package linkage_test

import (
	"strings"
	"testing"
	"time"

	"github.com/habeas-project/habeas"
	"github.com/habeas-project/habeas/linkage"
)

func TestReadCSV(t *testing.T) {
	// Columns in another order, an unknown column, a BOM, empty values.
	in := "\ufeffnote,full_name,record_id,birth_date,age,sex,citizenship,region,id_number,address,source\n" +
		"x,Серікбаев Айдос Ерланұлы,a1,1990-05-12,,male,KZ,Алматы,900512300017,\"ул. Абая, 10\",police\n" +
		"y,Aidos Serikbayev,a2,12.05.1990,31,м,Казахстан,,,,lawyer\n" +
		"z,SERIKBAEV A.,a3,19900512,,,,,,,\n" +
		"w,Айдос,a4,1990,,,,,,,\n" +
		"v,Айдос,a5,1990-00-00,,,,,,,\n"
	recs, bad, err := linkage.ReadCSV(strings.NewReader(in), linkage.ReadOptions{})
	if err != nil || len(bad) != 0 {
		t.Fatalf("ReadCSV: %v, bad rows %v", err, bad)
	}
	if len(recs) != 5 {
		t.Fatalf("got %d records, want 5", len(recs))
	}
	want := linkage.Record{ID: "a1", Source: "police", FullName: "Серікбаев Айдос Ерланұлы",
		BirthDate: linkage.Date{Year: 1990, Month: 5, Day: 12}, Sex: habeas.SexMale, Citizenship: "KZ",
		Region: "Алматы", IDNumber: "900512300017", Address: "ул. Абая, 10"}
	if recs[0] != want {
		t.Errorf("got %+v, want %+v", recs[0], want)
	}
	if recs[1].BirthDate != want.BirthDate || recs[2].BirthDate != want.BirthDate {
		t.Errorf("DD.MM.YYYY and YYYYMMDD: got %v and %v, want %v", recs[1].BirthDate, recs[2].BirthDate, want.BirthDate)
	}
	if recs[1].Age != 31 || recs[1].Sex != habeas.SexMale {
		t.Errorf("got age %d sex %q, want 31 male", recs[1].Age, recs[1].Sex)
	}
	for _, r := range recs[3:] {
		if r.BirthDate.Precision() != linkage.PrecisionYear || r.BirthDate.Year != 1990 {
			t.Errorf("%s: got %v (precision %d), want the year 1990 alone", r.ID, r.BirthDate, r.BirthDate.Precision())
		}
	}
}

func TestReadCSVQueryID(t *testing.T) {
	in := "query_id,full_name\nq1,Айдос Серикбаев\n"
	recs, _, err := linkage.ReadCSV(strings.NewReader(in), linkage.ReadOptions{IDColumn: "query_id"})
	if err != nil || len(recs) != 1 || recs[0].ID != "q1" {
		t.Fatalf("got %v, %v; want one record q1", recs, err)
	}
	if _, _, err := linkage.ReadCSV(strings.NewReader(in), linkage.ReadOptions{}); err == nil {
		t.Fatal("a file without record_id read as records: want an error")
	}
}

func TestReadCSVBadRows(t *testing.T) {
	ref := time.Date(2022, 1, 15, 0, 0, 0, 0, time.UTC)
	header := "record_id,full_name,birth_date,age,sex\n"
	tests := []struct {
		name  string
		row   string
		field string
	}{
		{"no id", ",Айдос Серикбаев,,,", "record_id"},
		{"no name", "r2,,,,", "full_name"},
		{"name without letters", "r2,12345,,,", "full_name"},
		{"impossible date", "r2,Айдос Серикбаев,1990-02-30,,", "birth_date"},
		{"not a date", "r2,Айдос Серикбаев,May 1990,,", "birth_date"},
		{"month 13", "r2,Айдос Серикбаев,13.13.1990,,", "birth_date"},
		{"year out of range", "r2,Айдос Серикбаев,1850-01-01,,", "birth_date"},
		{"born after the reference", "r2,Айдос Серикбаев,2023-01-01,,", "birth_date"},
		{"negative age", "r2,Айдос Серикбаев,,-3,", "age"},
		{"age in words", "r2,Айдос Серикбаев,,thirty,", "age"},
		{"unknown sex", "r2,Айдос Серикбаев,,,x", "sex"},
		{"duplicate id", "r1,Айдос Серикбаев,,,", "record_id"},
		{"too few fields", "r2,Айдос Серикбаев", ""},
		{"bad quote", "r2,Айдос \"Серикбаев,,,", ""},
		{"invalid UTF-8", "r2,Айдос \xff,,,", "full_name"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			in := header + "r1,Ерлан Касымов,1985-03-04,,\n" + tt.row + "\nr3,Асель Нурланова,,,\n"
			recs, bad, err := linkage.ReadCSV(strings.NewReader(in), linkage.ReadOptions{AgeReference: ref})
			if err == nil || habeas.ErrorCode(err) != habeas.EINVALID || recs != nil {
				t.Fatalf("got %d records, error %v; want an invalid-input error and no records", len(recs), err)
			}
			if len(bad) != 1 || bad[0].Line != 3 || bad[0].Field != tt.field {
				t.Fatalf("got bad rows %v, want one on line 3, field %q", bad, tt.field)
			}
			recs, bad, err = linkage.ReadCSV(strings.NewReader(in), linkage.ReadOptions{AgeReference: ref, SkipBad: true})
			if err != nil || len(bad) != 1 {
				t.Fatalf("with SkipBad: got error %v and bad rows %v, want no error and the row as a warning", err, bad)
			}
			if tt.name == "bad quote" {
				return // an open quote runs to the end of the file: nothing after it is read
			}
			if len(recs) != 2 || recs[0].ID != "r1" || recs[1].ID != "r3" {
				t.Fatalf("with SkipBad: got %v, want r1 and r3", recs)
			}
		})
	}
}

func TestReadCSVHeader(t *testing.T) {
	tests := []struct{ name, in string }{
		{"empty file", ""},
		{"no full_name", "record_id,name\nr1,Айдос\n"},
		{"column twice", "record_id,full_name,full_name\nr1,a,b\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, _, err := linkage.ReadCSV(strings.NewReader(tt.in), linkage.ReadOptions{SkipBad: true})
			if habeas.ErrorCode(err) != habeas.EINVALID {
				t.Fatalf("got %v, want an invalid-input error", err)
			}
		})
	}
}

func TestParseDate(t *testing.T) {
	tests := []struct {
		in   string
		want linkage.Date
		bad  bool
	}{
		{"", linkage.Date{}, false},
		{"1990-05-12", linkage.Date{Year: 1990, Month: 5, Day: 12}, false},
		{"12.05.1990", linkage.Date{Year: 1990, Month: 5, Day: 12}, false},
		{"19900512", linkage.Date{Year: 1990, Month: 5, Day: 12}, false},
		{"1990", linkage.Date{Year: 1990}, false},
		{"1990-05", linkage.Date{Year: 1990, Month: 5}, false},
		{"05.1990", linkage.Date{Year: 1990, Month: 5}, false},
		{"00.05.1990", linkage.Date{Year: 1990, Month: 5}, false},
		{"1990-00-12", linkage.Date{Year: 1990}, false},
		{"2000-02-29", linkage.Date{Year: 2000, Month: 2, Day: 29}, false},
		{"1900-02-29", linkage.Date{}, true},
		{"1990-13-01", linkage.Date{}, true},
		{"1990/05/12", linkage.Date{}, true},
		{"90-05-12", linkage.Date{}, true},
		{"1990-5-12", linkage.Date{}, true},
		{"+990-05-12", linkage.Date{}, true},
	}
	for _, tt := range tests {
		got, err := linkage.ParseDate(tt.in)
		if (err != nil) != tt.bad || got != tt.want {
			t.Errorf("ParseDate(%q) = %v, %v; want %v (error %v)", tt.in, got, err, tt.want, tt.bad)
		}
	}
}
