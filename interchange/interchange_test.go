package interchange_test

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/habeas-project/habeas"
	"github.com/habeas-project/habeas/interchange"
	"github.com/habeas-project/habeas/ledger"
)

func TestRoundTrip(t *testing.T) {
	ctx := context.Background()
	src := newStore(t)
	buildDataset(t, src)
	want := lastSeq(t, src)
	a := export(t, src)

	lines := splitLines(a)
	if got, wantHeader := lines[0], fmt.Sprintf(`{"format":"habeas-export","version":3,"changes":%d,"last_seq":%d}`, want, want); got != wantHeader {
		t.Fatalf("header %s, want %s", got, wantHeader)
	}
	if int64(len(lines)-1) != want {
		t.Fatalf("%d change lines, want %d", len(lines)-1, want)
	}
	ops := map[string]bool{}
	for _, l := range lines[1:] {
		var c habeas.Change
		must(t, json.Unmarshal([]byte(l), &c))
		ops[string(c.Op)] = true
	}
	if len(ops) != 3 {
		t.Fatalf("the log holds ops %v, want create, update and delete", ops)
	}
	for _, s := range []string{"Әйгерім Қанатқызы Мысалова", `<b>released</b> & \"home\"\t(tab)`, "<7 января> & дополнения"} {
		if !bytes.Contains(a, []byte(s)) {
			t.Errorf("export does not hold %s as is", s)
		}
	}

	dst := newStore(t)
	n, err := interchange.Import(ctx, dst, bytes.NewReader(a))
	if err != nil {
		t.Fatal(err)
	}
	if int64(n) != want {
		t.Fatalf("imported %d changes, want %d", n, want)
	}
	if b := export(t, dst); !bytes.Equal(a, b) {
		t.Fatalf("export after import differs:\n%s\nwant:\n%s", b, a)
	}
	srcCounts, err := src.Counts(ctx)
	must(t, err)
	dstCounts, err := dst.Counts(ctx)
	must(t, err)
	if !reflect.DeepEqual(srcCounts, dstCounts) {
		t.Fatalf("counts %v, want %v", dstCounts, srcCounts)
	}
}

func TestHistorySurvives(t *testing.T) {
	ctx := context.Background()
	src := newStore(t)
	f := buildDataset(t, src)
	dst := newStore(t)
	if _, err := interchange.Import(ctx, dst, bytes.NewReader(export(t, src))); err != nil {
		t.Fatal(err)
	}
	for _, id := range []string{f.det, f.per1, f.evd, f.src3} {
		want, err := src.History(ctx, id)
		must(t, err)
		got, err := dst.History(ctx, id)
		must(t, err)
		for _, c := range got {
			if c.Imported == nil || c.Imported.File == "" || c.Actor != "system" {
				t.Fatalf("%s: change %d is not recorded as imported from a file by the importer: %s", id, c.Seq, encode(t, c))
			}
		}
		got = asClaimed(got)
		if len(want) < 2 {
			t.Fatalf("%s: history of %d changes, want at least 2", id, len(want))
		}
		if !reflect.DeepEqual(got, want) {
			t.Errorf("%s: history\n%s\nwant\n%s", id, encode(t, got), encode(t, want))
		}
	}
	h, err := dst.History(ctx, f.det)
	must(t, err)
	h = asClaimed(h)
	if h[0].Actor != "operator.dana" || h[1].Actor != "lawyer.gulnar" || !h[1].At.After(h[0].At) {
		t.Errorf("detention history lost its actors or times: %s", encode(t, h))
	}
	if _, err := dst.Find(ctx, habeas.KindEvidence, f.evd); habeas.ErrorCode(err) != habeas.ENOTFOUND {
		t.Errorf("deleted evidence: got %v, want not found", err)
	}
}

func TestEmptyExport(t *testing.T) {
	ctx := context.Background()
	a := export(t, newStore(t))
	if want := "{\"format\":\"habeas-export\",\"version\":3,\"changes\":0,\"last_seq\":0}\n"; string(a) != want {
		t.Fatalf("export of an empty store: got %q, want %q", a, want)
	}
	dst := newStore(t)
	if n, err := interchange.Import(ctx, dst, bytes.NewReader(a)); err != nil || n != 0 {
		t.Fatalf("import of an empty export: got %d, %v; want 0, nil", n, err)
	}
}

// wantProblems checks that err is an *InvalidError with exactly the given
// problems, matching each reason by substring, and that it is invalid input.
func wantProblems(t *testing.T, err error, want ...interchange.Problem) {
	t.Helper()
	var ie *interchange.InvalidError
	if !errors.As(err, &ie) {
		t.Fatalf("got %v, want an *InvalidError", err)
	}
	if code := habeas.ErrorCode(err); code != habeas.EINVALID {
		t.Errorf("ErrorCode: got %q, want %q", code, habeas.EINVALID)
	}
	if msg := habeas.ErrorMessage(err); msg != ie.Error() {
		t.Errorf("ErrorMessage: got %q, want %q", msg, ie.Error())
	}
	ok := len(ie.Problems) == len(want)
	for i := 0; ok && i < len(want); i++ {
		g, w := ie.Problems[i], want[i]
		ok = g.Line == w.Line && g.Field == w.Field && strings.Contains(g.Reason, w.Reason)
	}
	if !ok {
		var ws []string
		for _, w := range want {
			ws = append(ws, fmt.Sprintf("line %d: %s: …%s…", w.Line, w.Field, w.Reason))
		}
		t.Fatalf("got problems:\n%s\nwant:\n%s", ie.Error(), strings.Join(ws, "\n"))
	}
}

func TestImportAllOrNothing(t *testing.T) {
	ctx := context.Background()
	src := newStore(t)
	buildDataset(t, src)
	lines := splitLines(export(t, src))
	bad := findLine(t, lines, habeas.KindDetention, habeas.OpCreate)
	if bad <= 2 || bad >= len(lines) {
		t.Fatalf("the detention is on line %d of %d: not in the middle", bad, len(lines))
	}
	lines[bad-1] = editLine(t, lines[bad-1], func(m map[string]any) { m["data"].(map[string]any)["city"] = "atlantis" })

	dst := newStore(t)
	n, err := interchange.Import(ctx, dst, bytes.NewReader(joinLines(lines)))
	if n != 0 {
		t.Errorf("imported %d changes, want 0", n)
	}
	wantProblems(t, err, interchange.Problem{Line: bad, Field: "data.city", Reason: `"atlantis" is not a known city`})
	if want := fmt.Sprintf("line %d: data.city: \"atlantis\" is not a known city", bad); err.Error() != want {
		t.Errorf("Error(): got %q, want %q", err.Error(), want)
	}
	if seq := lastSeq(t, dst); seq != 0 {
		t.Fatalf("the target store holds %d changes after a refused import, want 0", seq)
	}
}

func TestImportReportsEveryProblem(t *testing.T) {
	src := newStore(t)
	buildDataset(t, src)
	lines := splitLines(export(t, src))
	srcLine := findLine(t, lines, habeas.KindSource, habeas.OpCreate)
	perLine := findLine(t, lines, habeas.KindPerson, habeas.OpCreate)
	lawLine := findLine(t, lines, habeas.KindLawyer, habeas.OpCreate)
	casLine := findLine(t, lines, habeas.KindCasualty, habeas.OpCreate)
	lastLine := len(lines)

	lines[srcLine-1] = editLine(t, lines[srcLine-1], func(m map[string]any) { m["comment"] = "extra" })
	lines[perLine-1] = editLine(t, lines[perLine-1], func(m map[string]any) { m["op"] = "merge" })
	lines[lawLine-1] = editLine(t, lines[lawLine-1], func(m map[string]any) {
		m["data"].(map[string]any)["name"] = " "
		m["actor"] = ""
	})
	lines[casLine-1] = editLine(t, lines[casLine-1], func(m map[string]any) { m["data"].(map[string]any)["cause"] = "fell" })
	lines[lastLine-1] = lines[lastLine-1][:20]

	dst := newStore(t)
	_, err := interchange.Import(context.Background(), dst, bytes.NewReader(joinLines(lines)))
	wantProblems(t, err,
		interchange.Problem{Line: srcLine, Field: "comment", Reason: "unknown field"},
		interchange.Problem{Line: perLine, Field: "op", Reason: `"merge" is not one of create, update, delete`},
		interchange.Problem{Line: lawLine, Field: "actor", Reason: "is required"},
		interchange.Problem{Line: lawLine, Field: "data.name", Reason: "is required"},
		interchange.Problem{Line: casLine, Field: "data.cause", Reason: `"fell" is not one of gunshot`},
		interchange.Problem{Line: lastLine, Field: "", Reason: "is not valid JSON"},
	)
	if seq := lastSeq(t, dst); seq != 0 {
		t.Fatalf("the target store holds %d changes, want 0", seq)
	}
}

func TestImportMissingReference(t *testing.T) {
	s := &habeas.Source{ID: habeas.NewID(habeas.KindSource), Kind: habeas.SourceLawyer, Title: "Адвокат", Reliability: "B", Credibility: 2, ReceivedAt: at(6, 9, 0)}
	missing := habeas.NewID(habeas.KindPerson)
	d := &habeas.Detention{ID: habeas.NewID(habeas.KindDetention), PersonID: missing, City: "taraz",
		Events: []habeas.Event{{Type: habeas.EventArrest, At: at(5, 15, 0), Sources: []string{s.ID}}}}
	file := exportOf(t, encode(t, changeOf(t, 1, habeas.OpCreate, s)), encode(t, changeOf(t, 2, habeas.OpCreate, d)))

	dst := newStore(t)
	_, err := interchange.Import(context.Background(), dst, bytes.NewReader(file))
	wantProblems(t, err, interchange.Problem{Line: 3, Field: "data.person_id",
		Reason: "person " + missing + " does not exist (neither created earlier in the file nor in the target store)"})
	if seq := lastSeq(t, dst); seq != 0 {
		t.Fatalf("the target store holds %d changes, want 0", seq)
	}
}

func TestImportHeader(t *testing.T) {
	src := newStore(t)
	buildDataset(t, src)
	lines := splitLines(export(t, src))
	body := strings.Join(lines[1:], "\n") + "\n"
	n := len(lines) - 1
	header := func(format string, args ...any) string { return fmt.Sprintf(format, args...) + "\n" + body }
	tests := []struct {
		name string
		file string
		want []interchange.Problem
	}{
		{"empty file", "", []interchange.Problem{{1, "", "is missing"}}},
		{"no header", body, []interchange.Problem{{1, "format", "is required: the first line must be the export header"}}},
		{"not JSON", "record_id,full_name\n", []interchange.Problem{{1, "", "is not a JSON object"}, {1, "", "must be the export header"}}},
		{"other format", header(`{"format":"habeas-backup","version":2,"changes":%d,"last_seq":%d}`, n, n),
			[]interchange.Problem{{1, "format", `"habeas-backup" is not habeas-export`}}},
		{"newer version", header(`{"format":"habeas-export","version":5,"changes":%d,"last_seq":%d}`, n, n),
			[]interchange.Problem{{1, "version", "5 is not supported: this build reads versions 1 to 4"}}},
		{"version 0", header(`{"format":"habeas-export","version":0,"changes":%d,"last_seq":%d}`, n, n),
			[]interchange.Problem{{1, "version", "0 is not supported: this build reads versions 1 to 4"}}},
		{"no version", header(`{"format":"habeas-export","changes":%d,"last_seq":%d}`, n, n),
			[]interchange.Problem{{1, "version", "is required"}}},
		{"version as text", header(`{"format":"habeas-export","version":"1","changes":%d,"last_seq":%d}`, n, n),
			[]interchange.Problem{{1, "version", "expected an integer, got JSON string"}}},
		{"unknown field", header(`{"format":"habeas-export","version":2,"changes":%d,"last_seq":%d,"exported_at":"2022-01-20T00:00:00Z"}`, n, n),
			[]interchange.Problem{{1, "exported_at", "unknown field"}}},
		{"no count", header(`{"format":"habeas-export","version":2,"last_seq":%d}`, n),
			[]interchange.Problem{{1, "changes", "is required"}}},
		{"count too high", header(`{"format":"habeas-export","version":2,"changes":%d,"last_seq":%d}`, n+1, n),
			[]interchange.Problem{{1, "changes", fmt.Sprintf("the header says %d changes but the file holds %d", n+1, n)}}},
		{"truncated", strings.Join(lines[:len(lines)-2], "\n") + "\n",
			[]interchange.Problem{{1, "changes", fmt.Sprintf("the header says %d changes but the file holds %d", n, n-2)},
				{1, "last_seq", fmt.Sprintf("the header says %d but the last change has sequence %d", n, n-2)}}},
		{"last_seq wrong", header(`{"format":"habeas-export","version":2,"changes":%d,"last_seq":%d}`, n, n+5),
			[]interchange.Problem{{1, "last_seq", fmt.Sprintf("the header says %d but the last change has sequence %d", n+5, n)}}},
		{"no changes but last_seq", "{\"format\":\"habeas-export\",\"version\":2,\"changes\":0,\"last_seq\":3}\n",
			[]interchange.Problem{{1, "last_seq", "the header says 3 but the file holds no changes"}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dst := newStore(t)
			_, err := interchange.Import(context.Background(), dst, strings.NewReader(tt.file))
			wantProblems(t, err, tt.want...)
			if seq := lastSeq(t, dst); seq != 0 {
				t.Fatalf("the target store holds %d changes, want 0", seq)
			}
		})
	}
}

func TestImportLine(t *testing.T) {
	s := &habeas.Source{ID: habeas.NewID(habeas.KindSource), Kind: habeas.SourceWitness, Title: "Свидетель", Reliability: "C", Credibility: 3, ReceivedAt: at(6, 9, 0)}
	p := &habeas.Person{ID: habeas.NewID(habeas.KindPerson), Names: []habeas.NameVariant{{Text: "Бауыржан Үлгіұлы", SourceID: s.ID}}}
	base := []string{encode(t, changeOf(t, 1, habeas.OpCreate, s)), encode(t, changeOf(t, 2, habeas.OpCreate, p))}
	// third returns the line of a change at seq 3.
	third := func(op habeas.Op, e habeas.Entity) *habeas.Change { return changeOf(t, 3, op, e) }
	edit := func(c *habeas.Change, fn func(m map[string]any)) string { return editLine(t, encode(t, c), fn) }
	renamed := *p
	renamed.Names = []habeas.NameVariant{{Text: "Бауыржан Ү.", SourceID: s.ID}}
	missing := habeas.NewID(habeas.KindPerson)
	det := &habeas.Detention{ID: habeas.NewID(habeas.KindDetention), PersonID: p.ID, City: "oral",
		Events: []habeas.Event{{Type: habeas.EventArrest, At: at(5, 15, 0)}}}

	tests := []struct {
		name  string
		lines []string
		want  []interchange.Problem
	}{
		{"not JSON", []string{`{"seq":3,`}, []interchange.Problem{{4, "", "is not valid JSON"}}},
		{"not an object", []string{`[3]`}, []interchange.Problem{{4, "", "is not a JSON object"}}},
		{"not UTF-8", []string{"{\"seq\":3,\"actor\":\"\xff\"}"}, []interchange.Problem{{4, "", "is not valid UTF-8"}}},
		{"blank in the middle", []string{"", encode(t, third(habeas.OpUpdate, &renamed))}, []interchange.Problem{{4, "", "is blank"}}},
		{"unknown field", []string{edit(third(habeas.OpUpdate, &renamed), func(m map[string]any) { m["Seq"] = 3 })},
			[]interchange.Problem{{4, "Seq", "unknown field"}}},
		{"unknown kind", []string{edit(deleteOf(3, habeas.KindPerson, p.ID), func(m map[string]any) { m["entity"] = "prisoner" })},
			[]interchange.Problem{{4, "entity", `"prisoner" is not an entity kind`}}},
		{"bad id", []string{encode(t, deleteOf(3, habeas.KindPerson, "per_X!"))},
			[]interchange.Problem{{4, "id", `"per_X!" is not a person identifier`}}},
		{"id of another kind", []string{encode(t, deleteOf(3, habeas.KindDetention, p.ID))},
			[]interchange.Problem{{4, "id", "is not a detention identifier"}}},
		{"missing fields", []string{`{"seq":3,"entity":"person","id":"` + p.ID + `","op":"delete"}`},
			[]interchange.Problem{{4, "at", "is required"}, {4, "actor", "is required"}}},
		{"wrong types", []string{edit(deleteOf(3, habeas.KindPerson, p.ID), func(m map[string]any) { m["seq"] = "3"; m["at"] = 12 })},
			[]interchange.Problem{{4, "seq", "expected an integer, got JSON string"}, {4, "at", ""}}},
		{"seq repeats", []string{encode(t, changeOf(t, 2, habeas.OpUpdate, &renamed))},
			[]interchange.Problem{{4, "seq", "2 does not follow 2 (line 3)"}}},
		{"create twice", []string{encode(t, third(habeas.OpCreate, &renamed))},
			[]interchange.Problem{{4, "id", "person " + p.ID + " already exists (created at line 3)"}}},
		{"update after delete", []string{encode(t, deleteOf(3, habeas.KindPerson, p.ID)), encode(t, changeOf(t, 4, habeas.OpUpdate, &renamed))},
			[]interchange.Problem{{5, "id", "person " + p.ID + " was deleted at line 4"}}},
		{"update of nothing", []string{encode(t, third(habeas.OpUpdate, &habeas.Person{ID: missing, Names: []habeas.NameVariant{{Text: "Тест"}}}))},
			[]interchange.Problem{{4, "id", "person " + missing + " does not exist"}}},
		{"reuse of a deleted id", []string{encode(t, deleteOf(3, habeas.KindPerson, p.ID)), encode(t, changeOf(t, 4, habeas.OpCreate, &renamed))},
			[]interchange.Problem{{5, "id", p.ID + " belonged to a record deleted at line 4 and is not reused"}}},
		{"delete of a referenced record", []string{encode(t, deleteOf(3, habeas.KindSource, s.ID))},
			[]interchange.Problem{{4, "id", "source " + s.ID + " is still referred to by person " + p.ID + " (line 3)"}}},
		{"reference to a deleted record", []string{encode(t, deleteOf(3, habeas.KindPerson, p.ID)), encode(t, changeOf(t, 4, habeas.OpCreate, det))},
			[]interchange.Problem{{5, "data.person_id", "person " + p.ID + " was deleted at line 4"}}},
		{"delete with data", []string{edit(deleteOf(3, habeas.KindPerson, p.ID), func(m map[string]any) { m["data"] = map[string]any{"id": p.ID} })},
			[]interchange.Problem{{4, "data", "a delete carries no data"}}},
		{"create without data", []string{edit(third(habeas.OpCreate, det), func(m map[string]any) { delete(m, "data") })},
			[]interchange.Problem{{4, "data", "is required for a create"}}},
		{"sources differ from data", []string{edit(third(habeas.OpUpdate, &renamed), func(m map[string]any) { m["sources"] = []string{} })},
			[]interchange.Problem{{4, "sources", "lists none but the data cites [" + s.ID + "]"}}},
		{"unknown field in data", []string{edit(third(habeas.OpUpdate, &renamed), func(m map[string]any) { m["data"].(map[string]any)["nickname"] = "Бака" })},
			[]interchange.Problem{{4, "data", `unknown field "nickname"`}}},
		{"wrong type in data", []string{edit(third(habeas.OpUpdate, &renamed), func(m map[string]any) { m["data"].(map[string]any)["names"] = "Бауыржан" })},
			[]interchange.Problem{{4, "data.names", "expected an array, got JSON string"}}},
		{"data of another id", []string{edit(third(habeas.OpUpdate, &renamed), func(m map[string]any) { m["data"].(map[string]any)["id"] = missing })},
			[]interchange.Problem{{4, "data.id", "differs from the change's id"}}},
		{"invalid data", []string{edit(third(habeas.OpUpdate, &renamed), func(m map[string]any) {
			m["data"].(map[string]any)["birth"] = map[string]any{"precision": "day", "date": "1990-02-30"}
			m["data"].(map[string]any)["sex"] = "m"
		})}, []interchange.Problem{{4, "data.birth.date", `"1990-02-30" is not a date`}, {4, "data.sex", `"m" is not one of male, female`}}},
		{"update that changes nothing", []string{encode(t, third(habeas.OpUpdate, p))},
			[]interchange.Problem{{4, "data", "is the state recorded at line 3: an update must change something"}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dst := newStore(t)
			_, err := interchange.Import(context.Background(), dst, bytes.NewReader(exportOf(t, append(base[:2:2], tt.lines...)...)))
			wantProblems(t, err, tt.want...)
			if seq := lastSeq(t, dst); seq != 0 {
				t.Fatalf("the target store holds %d changes, want 0", seq)
			}
		})
	}
}

// TestImportIntoStore imports into a store that already holds records: the
// file may refer to them, and the store's own refusals come back with the
// line that caused them.
func TestImportIntoStore(t *testing.T) {
	ctx := context.Background()
	dst := newStore(t)
	s := &habeas.Source{Kind: habeas.SourceRelative, Title: "Мать задержанного", Reliability: "B", Credibility: 2, ReceivedAt: at(6, 9, 0)}
	must(t, dst.Create(as("operator.dana"), s))
	p := &habeas.Person{Names: []habeas.NameVariant{{Text: "Нұрлан Сынақов", SourceID: s.ID}}}
	must(t, dst.Create(as("operator.dana"), p))
	d := &habeas.Detention{PersonID: p.ID, City: "aktau", Events: []habeas.Event{{Type: habeas.EventArrest, At: at(5, 21, 0)}}}
	must(t, dst.Create(as("operator.dana"), d))
	before := export(t, dst)

	t.Run("store refuses", func(t *testing.T) {
		file := exportOf(t, encode(t, deleteOf(1, habeas.KindPerson, p.ID)))
		_, err := interchange.Import(ctx, dst, bytes.NewReader(file))
		wantProblems(t, err, interchange.Problem{Line: 2, Field: "id", Reason: "person " + p.ID + " is referred to by detention " + d.ID})
		if after := export(t, dst); !bytes.Equal(after, before) {
			t.Fatalf("the store changed after a refused import:\n%s", after)
		}
	})
	t.Run("store checked before", func(t *testing.T) {
		file := exportOf(t, encode(t, changeOf(t, 1, habeas.OpCreate, p)), encode(t, deleteOf(2, habeas.KindDetention, habeas.NewID(habeas.KindDetention))))
		_, err := interchange.Import(ctx, dst, bytes.NewReader(file))
		wantProblems(t, err,
			interchange.Problem{Line: 2, Field: "id", Reason: "person " + p.ID + " already exists (created in the target store)"},
			interchange.Problem{Line: 3, Field: "id", Reason: "does not exist (neither created earlier in the file nor in the target store)"})
		if after := export(t, dst); !bytes.Equal(after, before) {
			t.Fatalf("the store changed after a refused import:\n%s", after)
		}
	})
	t.Run("refers to the store", func(t *testing.T) {
		d2 := &habeas.Detention{ID: habeas.NewID(habeas.KindDetention), PersonID: p.ID, City: "aktau",
			Events: []habeas.Event{{Type: habeas.EventArrest, At: at(9, 7, 0), Sources: []string{s.ID}}}}
		file := exportOf(t, encode(t, changeOf(t, 7, habeas.OpCreate, d2)))
		if n, err := interchange.Import(as("importer"), dst, bytes.NewReader(file)); err != nil || n != 1 {
			t.Fatalf("got %d, %v; want 1, nil", n, err)
		}
		h, err := dst.History(ctx, d2.ID)
		must(t, err)
		sum := sha256.Sum256(file)
		if len(h) != 1 || h[0].Seq != 4 || h[0].Actor != "importer" || h[0].Imported == nil || h[0].Imported.Actor != "tester" ||
			!h[0].Imported.At.Equal(time.Date(2022, 1, 6, 0, 7, 0, 0, time.UTC)) || h[0].Imported.File != hex.EncodeToString(sum[:]) {
			t.Fatalf("history %s: want one change at seq 4 (after the store's own), imported by importer from this file, made by tester as it says", encode(t, h))
		}
	})
}

func TestImportLongLine(t *testing.T) {
	ctx := context.Background()
	src := newStore(t)
	s := &habeas.Source{Kind: habeas.SourceCourtRecord, Title: "Протокол", Reliability: "A", Credibility: 1, ReceivedAt: at(20, 9, 0),
		Notes: strings.Repeat("Длинная стенограмма заседания. ", 100_000)} // about 5.6 MB
	must(t, src.Create(ctx, s))
	a := export(t, src)
	if len(a) < 5<<20 {
		t.Fatalf("export of %d bytes, want a record of several MB", len(a))
	}
	dst := newStore(t)
	if _, err := interchange.Import(ctx, dst, bytes.NewReader(a)); err != nil {
		t.Fatal(err)
	}
	if b := export(t, dst); !bytes.Equal(a, b) {
		t.Fatal("export after import differs")
	}
}

func TestImportToleratesTrailingBlankLines(t *testing.T) {
	src := newStore(t)
	buildDataset(t, src)
	a := export(t, src)
	for _, tail := range []string{"\n", "\n\n  \n", "\r\n"} {
		file := append(bytes.TrimSuffix(bytes.Clone(a), []byte("\n")), tail...)
		if _, err := interchange.Import(context.Background(), newStore(t), bytes.NewReader(file)); err != nil {
			t.Errorf("tail %q: %v", tail, err)
		}
	}
	noNewline := bytes.TrimSuffix(a, []byte("\n"))
	if _, err := interchange.Import(context.Background(), newStore(t), bytes.NewReader(noNewline)); err != nil {
		t.Errorf("without a final newline: %v", err)
	}
}

func TestInvalidError(t *testing.T) {
	err := &interchange.InvalidError{Problems: []interchange.Problem{{3, "data.city", `"x" is not a known city`}, {7, "", "is not valid JSON"}}}
	if want := "line 3: data.city: \"x\" is not a known city\nline 7: is not valid JSON"; err.Error() != want {
		t.Errorf("Error(): got %q, want %q", err.Error(), want)
	}
	wrapped := fmt.Errorf("import export.jsonl: %w", err)
	if code := habeas.ErrorCode(wrapped); code != habeas.EINVALID {
		t.Errorf("ErrorCode: got %q, want %q", code, habeas.EINVALID)
	}
}

// TestFormatExample keeps the example in docs/format.md true: it imports
// and exports again to the same bytes.
func TestFormatExample(t *testing.T) {
	doc, err := os.ReadFile("../docs/format.md")
	must(t, err)
	_, block, ok := strings.Cut(string(doc), "```jsonl\n")
	block, _, ok2 := strings.Cut(block, "```")
	if !ok || !ok2 {
		t.Fatal("docs/format.md has no ```jsonl example")
	}
	dst := newStore(t)
	if _, err := interchange.Import(context.Background(), dst, strings.NewReader(block)); err != nil {
		t.Fatal(err)
	}
	if got := export(t, dst); string(got) != block {
		t.Fatalf("the example exports as\n%s\nwant\n%s", got, block)
	}
}

// TestImportVersion2 imports the example as a version 2 file, written
// before casualties held a use-of-force account: it reads as it is, and
// exports again as the current version with the same records.
func TestImportVersion2(t *testing.T) {
	doc, err := os.ReadFile("../docs/format.md")
	must(t, err)
	_, block, _ := strings.Cut(string(doc), "```jsonl\n")
	block, _, _ = strings.Cut(block, "```")
	old := strings.Replace(block, `"version":3,`, `"version":2,`, 1)
	dst := newStore(t)
	if _, err := interchange.Import(context.Background(), dst, strings.NewReader(old)); err != nil {
		t.Fatalf("importing version 2: %v", err)
	}
	if got := export(t, dst); string(got) != block {
		t.Fatalf("the version 2 file exports as\n%s\nwant\n%s", got, block)
	}
}

// TestImportVersion1 imports a version 1 file, written before the list of
// ill-treatment methods was closed: its free-text method is kept, in
// methods_other, and the file is otherwise read as it is.
func TestImportVersion1(t *testing.T) {
	ctx := context.Background()
	dst := newStore(t)
	file := []byte(`{"format":"habeas-export","version":1,"changes":3,"last_seq":3}
{"seq":1,"at":"2022-01-06T04:03:12Z","actor":"operator.dana","entity":"source","id":"src_0a1b2c3d","op":"create","data":{"id":"src_0a1b2c3d","kind":"lawyer","title":"Lawyer's note","reliability":"B","credibility":2,"received_at":"2022-01-06T03:55:00Z","consent_to_publish":false,"confidentiality":"internal"},"sources":["src_0a1b2c3d"]}
{"seq":2,"at":"2022-01-06T04:06:24Z","actor":"operator.dana","entity":"person","id":"per_4e5f6a7b","op":"create","data":{"id":"per_4e5f6a7b","names":[{"text":"Ерлан Тестов","script":"Cyrl","kind":"as_written","source_id":"src_0a1b2c3d"}],"birth":{}},"sources":["src_0a1b2c3d"]}
{"seq":3,"at":"2022-01-06T04:12:48Z","actor":"operator.dana","entity":"detention","id":"det_8c9d0e1f","op":"create","data":{"id":"det_8c9d0e1f","person_id":"per_4e5f6a7b","city":"almaty","events":[{"id":"e1","type":"arrest","at":"2022-01-05T10:30:00Z","zone":"Asia/Almaty","sources":["src_0a1b2c3d"]},{"id":"e2","type":"ill_treatment_allegation","at":"2022-01-06T02:00:00Z","zone":"Asia/Almaty","allegation":{"methods":["beating","held in a cage"],"injuries":"bruises"},"sources":["src_0a1b2c3d"]}]},"sources":["src_0a1b2c3d"]}
`)
	if n, err := interchange.Import(ctx, dst, bytes.NewReader(file)); err != nil || n != 3 {
		t.Fatalf("importing version 1: %d, %v", n, err)
	}
	d, err := dst.FindDetentionByID(ctx, "det_8c9d0e1f")
	must(t, err)
	a := d.Events[1].Allegation
	if a == nil || !slices.Equal(a.Methods, []string{"beating", "other"}) || a.MethodsOther != "held in a cage" || a.Injuries != "bruises" {
		t.Errorf("the allegation read from version 1: %+v", a)
	}
	// Exported again, the file is the current version.
	if out := export(t, dst); !bytes.HasPrefix(out, []byte(`{"format":"habeas-export","version":3,`)) {
		t.Errorf("export after import starts %.60q", out)
	}
}

// asClaimed returns imported changes as their file claimed them made.
func asClaimed(cs []*habeas.Change) []*habeas.Change {
	out := make([]*habeas.Change, len(cs))
	for i, c := range cs {
		cc := *c
		if im := c.Imported; im != nil {
			cc.Actor, cc.At, cc.Imported = im.Actor, im.At, nil
		}
		out[i] = &cc
	}
	return out
}

// A signed export says whose it is on import, and is refused if a byte of
// it changed or its last line was cut; without a signer, an export stays
// version 3 and byte-identical.
func TestSignedExport(t *testing.T) {
	ctx := context.Background()
	src := newStore(t)
	buildDataset(t, src)
	k, _, err := ledger.NewKey("habeas-register-test")
	must(t, err)
	var signed bytes.Buffer
	if _, err := interchange.Export(interchange.SignWith(ctx, k), src, &signed); err != nil {
		t.Fatal(err)
	}
	plain := export(t, src)
	if !bytes.HasPrefix(signed.Bytes(), []byte(`{"format":"habeas-export","version":4,`)) {
		t.Fatalf("a signed export's header: %.80s", signed.Bytes())
	}
	if bytes.Contains(plain, []byte(`"signature"`)) {
		t.Fatal("an export not signed holds a signature")
	}
	n, signer, err := interchange.ImportSigned(as("importer"), newStore(t), bytes.NewReader(signed.Bytes()))
	if err != nil || n == 0 || signer == nil || signer.Origin != "habeas-register-test" || signer.Key != k.Public {
		t.Fatalf("import of a signed export: %d, %+v, %v", n, signer, err)
	}
	if _, signer, err := interchange.ImportSigned(ctx, newStore(t), bytes.NewReader(plain)); err != nil || signer != nil {
		t.Fatalf("import of an export not signed: %+v, %v", signer, err)
	}
	// A byte changed in a change line (a name's letter), or the last line cut.
	b := signed.Bytes()
	i := bytes.Index(b, []byte(`"actor":"`)) + len(`"actor":"`)
	changed := bytes.Clone(b)
	changed[i] ^= 0x01
	cut := b[:bytes.LastIndexByte(b[:len(b)-1], '\n')+1]
	for name, file := range map[string][]byte{"changed": changed, "cut": cut} {
		if _, _, err := interchange.ImportSigned(ctx, newStore(t), bytes.NewReader(file)); err == nil || !strings.Contains(err.Error(), "signature") {
			t.Errorf("%s: %v", name, err)
		}
	}
}
