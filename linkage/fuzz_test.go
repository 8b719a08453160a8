package linkage_test

import (
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/habeas-project/habeas/linkage"
)

// FuzzReadCSV checks that ReadCSV never panics, that every record it
// returns has an id and a name and that ids are unique, that every bad row
// names a line inside the input, and that with SkipBad the good records
// are the same whether or not bad rows were present.
func FuzzReadCSV(f *testing.F) {
	f.Add("record_id,full_name,birth_date,age,sex\nr1,Айдос Серикбаев,1990-05-12,31,male\n")
	f.Add("full_name,record_id,id_number\n\"Serikbayev, Aidos\",r1,900512300017\nr2,x,\n")
	f.Add("record_id,full_name,birth_date\nr1,A,12.05.1990\nr1,B,19900512\nr3,\"C\nD\",1990\n")
	f.Add("record_id,full_name,age,sex\nr1,Асель,abc,ж\n,Б,,\n")
	f.Fuzz(func(t *testing.T, in string) {
		recs, bad, err := linkage.ReadCSV(strings.NewReader(in), linkage.ReadOptions{SkipBad: true})
		if err != nil {
			return
		}
		lines := strings.Count(in, "\n") + 1
		for _, b := range bad {
			if b.Line < 2 || b.Line > lines {
				t.Fatalf("bad row on line %d of a %d-line input", b.Line, lines)
			}
		}
		seen := map[string]bool{}
		for _, r := range recs {
			if r.ID == "" || r.FullName == "" || !utf8.ValidString(r.FullName) {
				t.Fatalf("record %+v lacks an id or a valid name", r)
			}
			if seen[r.ID] {
				t.Fatalf("id %q returned twice", r.ID)
			}
			seen[r.ID] = true
			if r.Age < 0 || r.Age > 130 || r.BirthDate.Precision() > linkage.PrecisionDay {
				t.Fatalf("record %+v has an impossible age or date", r)
			}
		}
		strict, _, err := linkage.ReadCSV(strings.NewReader(in), linkage.ReadOptions{})
		if len(bad) == 0 && (err != nil || len(strict) != len(recs)) {
			t.Fatalf("without bad rows, strict reading gave %d records and %v, lenient %d", len(strict), err, len(recs))
		}
		if len(bad) > 0 && err == nil {
			t.Fatal("strict reading accepted a file with bad rows")
		}
	})
}
