package main

import (
	"context"
	"path/filepath"
	"strings"
	"testing"

	"github.com/habeas-project/habeas"
	"github.com/habeas-project/habeas/storetest"
)

// An export and a record's history read from the command line are in the
// audit log, as system, with the operating-system account that ran them.
func TestCommandReadsRecorded(t *testing.T) {
	dir := t.TempDir()
	ctx := context.Background()
	db := openRegister(t, storeFlags{data: dir})
	src := storetest.ExampleSource()
	if err := db.Create(habeas.WithActor(ctx, "tester"), src); err != nil {
		t.Fatal(err)
	}
	db.Close()
	if code, _, stderr := run(t, "export", "--data", dir, "--out", filepath.Join(t.TempDir(), "x.jsonl")); code != 0 {
		t.Fatalf("export: exit %d: %s", code, stderr)
	}
	if code, _, stderr := run(t, "history", "--data", dir, src.ID); code != 0 {
		t.Fatalf("history: exit %d: %s", code, stderr)
	}
	db = openRegister(t, storeFlags{data: dir})
	defer db.Close()
	as, _, err := db.FindAccesses(ctx, habeas.AccessFilter{})
	if err != nil {
		t.Fatal(err)
	}
	if len(as) != 2 || as[0].Action != habeas.AccessView || as[0].ID != src.ID || as[1].Action != habeas.AccessExport || as[1].Count != 1 {
		t.Fatalf("accesses %+v; want the history's view, then the export of one change", as)
	}
	if !strings.Contains(as[1].Query, "plaintext, to file ") {
		t.Errorf("the export's query %q; want where it went, and that it is plaintext", as[1].Query)
	}
	for _, a := range as {
		if a.Actor != "system" || !strings.HasPrefix(a.Client, "command line, os user ") {
			t.Errorf("access %d by %q from %q; want system, from the command line and its os user", a.Seq, a.Actor, a.Client)
		}
	}
}
