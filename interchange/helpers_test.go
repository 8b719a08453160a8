package interchange_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/habeas-project/habeas"
	"github.com/habeas-project/habeas/interchange"
	"github.com/habeas-project/habeas/internal/sqlstore"
	"github.com/habeas-project/habeas/sqlite"
)

// clock is a store clock that moves on by a little over seven minutes at
// every write, so each change records its own time, fractions included.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(7*time.Minute + 1500*time.Microsecond)
	return c.t
}

// openStore opens a fresh SQLite store in dir, closed when tb ends.
func openStore(tb testing.TB, dir string) *sqlstore.DB {
	tb.Helper()
	db, err := openAt(dir)
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { db.Close() })
	return db
}

// openAt opens a fresh SQLite store in dir with a test clock.
func openAt(dir string) (*sqlstore.DB, error) {
	db, err := sqlite.Open(context.Background(), dir)
	if err != nil {
		return nil, err
	}
	db.Now = (&clock{t: time.Date(2022, 1, 5, 10, 0, 0, 0, time.UTC)}).now
	return db, nil
}

func newStore(tb testing.TB) *sqlstore.DB {
	tb.Helper()
	return openStore(tb, tb.TempDir())
}

func must(tb testing.TB, err error) {
	tb.Helper()
	if err != nil {
		tb.Fatal(err)
	}
}

func as(actor string) context.Context {
	return habeas.WithActor(context.Background(), actor)
}

// fixture holds the identifiers of the dataset.
type fixture struct {
	src1, src2, src3, per1, per2, law, inc, det, asg, cas, inv, evd string
}

// almaty is UTC+6, as local times were written in January 2022.
var almaty = time.FixedZone("ALMT", 6*3600)

func at(day, hour, min int) time.Time { return time.Date(2022, 1, day, hour, min, 0, 0, almaty) }

// buildDataset writes a small register through the store: every kind of
// entity, Cyrillic and Kazakh names, updates and deletes, several actors.
// All names are synthetic.
func buildDataset(tb testing.TB, db *sqlstore.DB) fixture {
	tb.Helper()
	var f fixture
	op := as("operator.dana")
	src1 := &habeas.Source{Kind: habeas.SourceHotlineCall, Title: "Звонок сестры задержанного", Reliability: "b", Credibility: 2,
		ReceivedAt: at(5, 18, 2), ReceivedBy: "operator.dana", Contact: "+7 700 000 0000"}
	src2 := &habeas.Source{Kind: habeas.SourceOfficialList, Title: "Список ДП г. Алматы <7 января> & дополнения", Reliability: "C", Credibility: 3,
		ReceivedAt: at(7, 9, 0), Confidentiality: habeas.ConfidentialityOpen, ConsentToPublish: true}
	src3 := &habeas.Source{Kind: habeas.SourceSocialMedia, Title: "Пост в Telegram", Reliability: "F", Credibility: 6, ReceivedAt: at(6, 1, 0)}
	_, err := db.Apply(op, []habeas.Mutation{{Op: habeas.OpCreate, Entity: src1}, {Op: habeas.OpCreate, Entity: src2}, {Op: habeas.OpCreate, Entity: src3}})
	must(tb, err)
	f.src1, f.src2, f.src3 = src1.ID, src2.ID, src3.ID

	per1 := &habeas.Person{Names: []habeas.NameVariant{
		{Text: "Ерлан  Серікұлы Тестов", SourceID: f.src1},
		{Text: "Yerlan Testov", Kind: habeas.NameTransliteration},
	}, Birth: habeas.BirthDate{Precision: habeas.PrecisionYear, Date: "1990"}, Sex: habeas.SexMale, Citizenships: []string{"kz"}, Sources: []string{f.src1}}
	must(tb, db.Create(op, per1))
	f.per1 = per1.ID
	birth := time.Date(1995, 3, 14, 0, 0, 0, 0, time.UTC)
	var iin habeas.IIN
	for serial, ok := 1, false; !ok; serial++ {
		iin, ok = habeas.MakeIIN(birth, habeas.SexFemale, serial)
	}
	per2 := &habeas.Person{Names: []habeas.NameVariant{{Text: "Әйгерім Қанатқызы Мысалова", SourceID: f.src2}},
		Birth: habeas.BirthDate{Precision: habeas.PrecisionDay, Date: "1995-03-14"}, Sex: habeas.SexFemale, IIN: iin,
		HomeRegion: "Маңғыстау", Sources: []string{f.src2}}
	must(tb, db.Create(op, per2))
	f.per2 = per2.ID

	coord := as("coordinator.marat")
	law := &habeas.Lawyer{Name: "Гүлнар Заңгерова", Bar: "Алматинская городская коллегия адвокатов", City: "almaty", Languages: []string{"kk", "ru"}, Active: true}
	must(tb, db.Create(coord, law))
	f.law = law.ID
	inc := &habeas.Incident{Kind: habeas.IncidentProtest, Title: "Митинг на площади Республики", City: "almaty", Start: at(5, 10, 0), End: at(5, 23, 0), Sources: []string{f.src2}}
	must(tb, db.Create(coord, inc))
	f.inc = inc.ID
	det := &habeas.Detention{PersonID: f.per1, IncidentID: f.inc, City: "almaty", Procedure: habeas.ProcedureAdministrative,
		Events: []habeas.Event{
			{Type: habeas.EventProtocol, At: at(6, 2, 0), Body: "УП г. Алматы", Sources: []string{f.src2}},
			{Type: habeas.EventArrest, At: at(5, 16, 30), Place: "пл. Республики", Body: "полиция", Sources: []string{f.src1}},
			{Type: habeas.EventTransfer, At: at(6, 3, 0), Place: "ИВС ДП г. Алматы"},
			{Type: habeas.EventLawyerDenied, At: at(6, 10, 0), LawyerID: f.law, Note: "«адвоката не пустили»"},
			{Type: habeas.EventCourtAppearance, At: at(7, 11, 0), Decision: &habeas.Decision{Kind: habeas.DecisionAdminArrest, Days: 10, Court: "Медеуский районный суд"}},
		}, Sources: []string{f.src1}}
	must(tb, db.Create(op, det))
	f.det = det.ID
	asg := &habeas.Assignment{LawyerID: f.law, DetentionID: f.det, Kind: habeas.AssignmentLegalAid, From: at(6, 12, 0)}
	must(tb, db.Create(coord, asg))
	f.asg = asg.ID
	cas := &habeas.Casualty{Kind: habeas.CasualtyInjured, PersonID: f.per2, City: "zhanaozen", At: at(5, 20, 15), Cause: "gunshot",
		Circumstances: "ранение в ногу", Sources: []string{f.src2}, BySecurityForces: new(true),
		UseOfForce: &habeas.UseOfForce{Warning: &habeas.ForceFact{Answer: habeas.AnswerNo, Sources: []string{f.src1}},
			MedicalAid: &habeas.ForceFact{Answer: habeas.AnswerYes, At: at(5, 22, 0), Sources: []string{f.src2}, Note: "скорая помощь"}}}
	must(tb, db.Create(op, cas))
	f.cas = cas.ID
	inv := &habeas.Investigation{CasualtyID: f.cas, Authority: "Прокуратура Мангистауской области", Status: habeas.InvestigationRequested}
	must(tb, db.Create(coord, inv))
	f.inv = inv.ID
	evd := &habeas.Evidence{Kind: "photo", Title: "Фото ранения", PersonID: f.per2, SHA256: strings.Repeat("ab", 32)}
	must(tb, db.Create(op, evd))
	f.evd = evd.ID

	lawyer := as("lawyer.gulnar")
	det.Events = append(det.Events,
		habeas.Event{Type: habeas.EventIllTreatment, At: at(8, 9, 0), Allegation: &habeas.Allegation{Methods: []string{"beating"}, Place: "ИВС"}},
		habeas.Event{Type: habeas.EventRelease, At: at(17, 8, 0), Note: `<b>released</b> & "home"	(tab)`},
	)
	must(tb, db.Update(lawyer, det))
	per1.Names = append(per1.Names, habeas.NameVariant{Text: "Ерлан Т.", Kind: habeas.NameAlias})
	must(tb, db.Update(op, per1))
	must(tb, db.Delete(coord, habeas.KindEvidence, f.evd))
	must(tb, db.Delete(coord, habeas.KindSource, f.src3))
	return f
}

func export(tb testing.TB, cs habeas.ChangeService) []byte {
	tb.Helper()
	var buf bytes.Buffer
	if _, err := interchange.Export(context.Background(), cs, &buf); err != nil {
		tb.Fatal(err)
	}
	return buf.Bytes()
}

func lastSeq(tb testing.TB, cs habeas.ChangeService) int64 {
	tb.Helper()
	n, err := cs.LastSeq(context.Background())
	must(tb, err)
	return n
}

// splitLines returns the lines of an export, without their newlines.
func splitLines(b []byte) []string {
	return strings.Split(strings.TrimSuffix(string(b), "\n"), "\n")
}

func joinLines(lines []string) []byte { return []byte(strings.Join(lines, "\n") + "\n") }

// editLine decodes a line, lets fn change it and encodes it again.
func editLine(tb testing.TB, line string, fn func(m map[string]any)) string {
	tb.Helper()
	var m map[string]any
	must(tb, json.Unmarshal([]byte(line), &m))
	fn(m)
	return encode(tb, m)
}

// encode writes v as one line of JSON, the way an export does.
func encode(tb testing.TB, v any) string {
	tb.Helper()
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	must(tb, enc.Encode(v))
	return strings.TrimSuffix(buf.String(), "\n")
}

// findLine returns the 1-based line number of the first change of kind
// with op.
func findLine(tb testing.TB, lines []string, k habeas.Kind, op habeas.Op) int {
	tb.Helper()
	for i, l := range lines[1:] {
		var c habeas.Change
		must(tb, json.Unmarshal([]byte(l), &c))
		if c.Kind == k && c.Op == op {
			return i + 2
		}
	}
	tb.Fatalf("no %s of a %s", op, k)
	return 0
}

// changeOf returns the change that records op on e at seq.
func changeOf(tb testing.TB, seq int64, op habeas.Op, e habeas.Entity) *habeas.Change {
	tb.Helper()
	doc, err := habeas.Canonical(e)
	must(tb, err)
	return &habeas.Change{Seq: seq, At: time.Date(2022, 1, 6, 0, 0, 0, 0, time.UTC).Add(time.Duration(seq) * time.Minute),
		Actor: "tester", Kind: e.EntityKind(), ID: e.GetID(), Op: op, Data: doc, Sources: e.SourceIDs()}
}

func deleteOf(seq int64, k habeas.Kind, id string) *habeas.Change {
	return &habeas.Change{Seq: seq, At: time.Date(2022, 1, 6, 0, 0, 0, 0, time.UTC).Add(time.Duration(seq) * time.Minute),
		Actor: "tester", Kind: k, ID: id, Op: habeas.OpDelete}
}

// exportOf writes lines under a header that counts them and names the
// sequence of the last one, as an honest exporter would.
func exportOf(tb testing.TB, lines ...string) []byte {
	tb.Helper()
	var n, last int64
	for _, l := range lines {
		if strings.TrimSpace(l) == "" {
			continue
		}
		n++
		var c struct{ Seq int64 }
		if json.Unmarshal([]byte(l), &c) == nil {
			last = c.Seq
		} else {
			last = 0
		}
	}
	h := fmt.Sprintf(`{"format":"habeas-export","version":3,"changes":%d,"last_seq":%d}`, n, last)
	return joinLines(append([]string{h}, lines...))
}
