package sqlstore_test

import (
	"context"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/habeas-project/habeas"
	"github.com/habeas-project/habeas/demo"
	"github.com/habeas-project/habeas/internal/sqlstore"
	"github.com/habeas-project/habeas/sqlite"
)

// A bulk load drops the deferrable indexes, so a statement of the write
// path that reads one of them scans a table for every record written, and
// the load takes quadratic time (as the queues once made it: a million
// detentions were on their way to two hours of CPU and more, where 19
// minutes do). Every
// statement the write path prepares — creating a demo register, then
// updating a person, a detention and an assignment — is planned without
// any of them.
func TestWritePathReadsNoDeferrableIndex(t *testing.T) {
	ctx := habeas.WithActor(context.Background(), "tester")
	db, err := sqlite.Open(ctx, t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var mu sync.Mutex
	queries := map[string]bool{}
	sqlstore.OnPrepare(db, func(q string) {
		mu.Lock()
		defer mu.Unlock()
		queries[q] = true
	})
	if _, err := demo.Generate(ctx, db, demo.Options{Scale: 60, Seed: 3}); err != nil {
		t.Fatal(err)
	}
	first := func(k habeas.Kind) habeas.Entity {
		es, _, err := db.FindByKind(ctx, k, habeas.Page{Limit: 1})
		if err != nil || len(es) == 0 {
			t.Fatalf("no %s in the demo: %v", k, err)
		}
		return es[0]
	}
	p := first(habeas.KindPerson).(*habeas.Person)
	p.Notes = "updated"
	d := first(habeas.KindDetention).(*habeas.Detention)
	d.Notes = "updated"
	a := first(habeas.KindAssignment).(*habeas.Assignment)
	a.Notes = "updated"
	for _, e := range []habeas.Entity{p, d, a} {
		if err := db.Update(ctx, e); err != nil {
			t.Fatalf("update %s: %v", e.GetID(), err)
		}
	}
	if len(queries) < 10 {
		t.Fatalf("saw %d statements prepared; the hook is not called", len(queries))
	}
	params := regexp.MustCompile(`\$(\d+)`)
	uses := regexp.MustCompile(`USING (?:COVERING )?INDEX (\w+)`)
	deferrable := map[string]bool{}
	for _, name := range sqlstore.Deferrable {
		deferrable[name] = true
	}
	for q := range queries {
		n := 0
		for _, m := range params.FindAllStringSubmatch(q, -1) {
			k, _ := strconv.Atoi(m[1])
			n = max(n, k)
		}
		args := make([]any, n) // NULLs: the plan does not depend on them
		rows, err := db.SQL().QueryContext(ctx, "EXPLAIN QUERY PLAN "+q, args...)
		if err != nil {
			t.Fatalf("explain %q: %v", q, err)
		}
		var plan []string
		for rows.Next() {
			var id, parent, unused int
			var detail string
			if err := rows.Scan(&id, &parent, &unused, &detail); err != nil {
				t.Fatal(err)
			}
			plan = append(plan, detail)
		}
		rows.Close()
		for _, step := range plan {
			if m := uses.FindStringSubmatch(step); m != nil && deferrable[m[1]] {
				t.Errorf("the write path reads %s, which a bulk load drops:\n%s\n%s", m[1], q, strings.Join(plan, "\n"))
			}
		}
	}
}
