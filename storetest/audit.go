package storetest

import (
	"context"
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/habeas-project/habeas"
)

// testAudit checks the audit log of reads: appended in order with the
// store's time, found by actor, action, record and time, newest first and
// paged, and counted as the distinct records an account was shown.
func testAudit(t *testing.T, open Opener) {
	clk := newClock()
	s := open(t, clk.now)
	ctx := context.Background()
	before := lastSeq(t, s)
	start := clk.t

	view := &habeas.Access{Actor: "viewer", Action: habeas.AccessView, Kind: habeas.KindPerson, ID: "per_a",
		Records: []string{"per_a"}, Count: 1, Client: "192.0.2.7"}
	list := &habeas.Access{Actor: "viewer", Action: habeas.AccessList, Kind: habeas.KindDetention, Query: "City=almaty Limit=3",
		Records: []string{"det_c", "det_b", "det_c", "", "det_a"}, Count: 3, Client: "192.0.2.7"}
	must(t, s.AppendAccesses(ctx, []*habeas.Access{view, list}))
	if view.Seq == 0 || list.Seq <= view.Seq || !view.At.Equal(start) || !list.At.Equal(start) {
		t.Fatalf("appended %d at %v and %d at %v; want increasing sequences at the store's time %v", view.Seq, view.At, list.Seq, list.At, start)
	}
	if want := []string{"det_c", "det_b", "det_a"}; !slices.Equal(list.Records, want) {
		t.Fatalf("records %v, want %v: each once, empty ones dropped", list.Records, want)
	}
	clk.t = start.Add(30 * time.Minute)
	suggest := &habeas.Access{Actor: "viewer", Action: habeas.AccessSuggest, Kind: habeas.KindPerson, Query: "Ерлан",
		Records: []string{"per_x", "per_y"}, Count: 2}
	other := &habeas.Access{Actor: "coordinator", Action: habeas.AccessView, Kind: habeas.KindDetention, ID: "det_a",
		Records: []string{"det_a"}, Count: 1}
	export := &habeas.Access{Actor: "system", Action: habeas.AccessExport, Count: 120, Client: "os user root"}
	must(t, s.AppendAccesses(ctx, []*habeas.Access{suggest, other, export}))
	clk.t = start.Add(2 * time.Hour)
	again := &habeas.Access{Actor: "viewer", Action: habeas.AccessView, Kind: habeas.KindPerson, ID: "per_b", Records: []string{"per_b"}, Count: 1}
	must(t, s.AppendAccesses(ctx, []*habeas.Access{again}))

	err := s.AppendAccesses(ctx, []*habeas.Access{{Actor: "viewer", Action: habeas.AccessView}, {Action: habeas.AccessView}})
	wantField(t, err, "actor")
	wantField(t, s.AppendAccesses(ctx, []*habeas.Access{{Actor: "viewer", Action: "peek"}}), "action")

	seqs := func(f habeas.AccessFilter) ([]int64, int) {
		t.Helper()
		as, total, err := s.FindAccesses(ctx, f)
		must(t, err)
		out := make([]int64, len(as))
		for i, a := range as {
			out[i] = a.Seq
		}
		return out, total
	}
	str := func(s string) *string { return &s }
	action := func(a habeas.AccessAction) *habeas.AccessAction { return &a }
	at := func(d time.Duration) *time.Time { t := start.Add(d); return &t }
	tests := []struct {
		name  string
		f     habeas.AccessFilter
		want  []*habeas.Access
		total int
	}{
		{"all, newest first", habeas.AccessFilter{}, []*habeas.Access{again, export, other, suggest, list, view}, 6},
		{"by actor", habeas.AccessFilter{Actor: str("viewer")}, []*habeas.Access{again, suggest, list, view}, 4},
		{"by action", habeas.AccessFilter{Action: action(habeas.AccessView)}, []*habeas.Access{again, other, view}, 3},
		{"a record viewed or listed", habeas.AccessFilter{Records: []string{"det_a"}}, []*habeas.Access{other, list}, 2},
		{"any of several records", habeas.AccessFilter{Records: []string{"per_a", "per_y"}}, []*habeas.Access{suggest, view}, 2},
		{"a record never read", habeas.AccessFilter{Records: []string{"per_zzz"}}, nil, 0},
		{"by time", habeas.AccessFilter{From: at(time.Minute), To: at(time.Hour)}, []*habeas.Access{export, other, suggest}, 3},
		{"a page", habeas.AccessFilter{Page: habeas.Page{Offset: 1, Limit: 2}}, []*habeas.Access{export, other}, 6},
		{"actor and record", habeas.AccessFilter{Actor: str("coordinator"), Records: []string{"det_a"}}, []*habeas.Access{other}, 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var want []int64
			for _, a := range tt.want {
				want = append(want, a.Seq)
			}
			got, total := seqs(tt.f)
			if !slices.Equal(got, want) || total != tt.total {
				t.Errorf("got %v of %d, want %v of %d", got, total, want, tt.total)
			}
		})
	}

	as, _, err := s.FindAccesses(ctx, habeas.AccessFilter{Records: []string{"det_b"}})
	must(t, err)
	if len(as) != 1 {
		t.Fatalf("found %d accesses that showed det_b, want 1", len(as))
	}
	got := as[0]
	if got.Actor != "viewer" || got.Action != habeas.AccessList || got.Kind != habeas.KindDetention || got.Query != list.Query ||
		got.Client != "192.0.2.7" || got.Count != 3 || !got.At.Equal(start) || !slices.Equal(got.Records, []string{"det_a", "det_b", "det_c"}) {
		t.Errorf("found %+v, want %+v with its records in identifier order", got, list)
	}

	count := func(actor string, since time.Duration) int {
		t.Helper()
		n, err := s.CountReads(ctx, actor, start.Add(since))
		must(t, err)
		return n
	}
	for _, tt := range []struct {
		actor string
		since time.Duration
		want  int
	}{
		{"viewer", 0, 5},           // per_a, three detentions, per_b; not the suggestions
		{"viewer", time.Minute, 1}, // per_b only
		{"coordinator", 0, 1},
		{"system", 0, 0}, // an export shows no records
		{"nobody", 0, 0},
	} {
		if got := count(tt.actor, tt.since); got != tt.want {
			t.Errorf("CountReads(%s, start+%v) = %d, want %d", tt.actor, tt.since, got, tt.want)
		}
	}

	long := &habeas.Access{Actor: "viewer", Action: habeas.AccessSearch, Kind: habeas.KindPerson, Query: longText(habeas.MaxAccessQuery + 50)}
	must(t, s.AppendAccesses(ctx, []*habeas.Access{long}))
	if n := len([]rune(long.Query)); n != habeas.MaxAccessQuery {
		t.Errorf("a query of %d characters was kept as %d, want it cut to %d", habeas.MaxAccessQuery+50, n, habeas.MaxAccessQuery)
	}
	if after := lastSeq(t, s); after != before {
		t.Fatalf("the audit log wrote to the change log: last seq %d, then %d", before, after)
	}
}

func longText(n int) string {
	b := make([]rune, n)
	for i := range b {
		b[i] = 'я'
	}
	return string(b)
}

// AuditAppendOnly checks that the audit log refuses to be changed: exec
// runs a statement directly on the store's database, as its administrator
// or an intruder with the application's credentials could, and every
// UPDATE and DELETE on the log's tables must fail and leave it as it was.
func AuditAppendOnly(t *testing.T, s Store, exec func(query string) error) {
	t.Helper()
	ctx := context.Background()
	a := &habeas.Access{Actor: "viewer", Action: habeas.AccessList, Kind: habeas.KindPerson, Query: "every person",
		Records: []string{"per_a", "per_b"}, Count: 2, Client: "198.51.100.4"}
	must(t, s.AppendAccesses(ctx, []*habeas.Access{a}))
	for _, q := range []string{
		`DELETE FROM audit_log`,
		fmt.Sprintf(`DELETE FROM audit_log WHERE seq = %d`, a.Seq),
		`UPDATE audit_log SET actor = 'someone else'`,
		`UPDATE audit_log SET client = ''`,
		`DELETE FROM audit_records`,
		`UPDATE audit_records SET record_id = 'per_zzzzzzzzzzzzzzzz'`,
	} {
		if err := exec(q); err == nil {
			t.Errorf("%s: succeeded; the audit log must refuse it", q)
		}
	}
	as, total, err := s.FindAccesses(ctx, habeas.AccessFilter{})
	must(t, err)
	if total != 1 || as[0].Actor != "viewer" || as[0].Client != a.Client || !slices.Equal(as[0].Records, a.Records) {
		t.Fatalf("after the refused statements the log holds %d accesses, first %+v; want %+v", total, as[0], a)
	}
}
