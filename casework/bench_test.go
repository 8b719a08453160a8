package casework_test

import (
	"context"
	"io"
	"testing"
	"time"

	"github.com/habeas-project/habeas"
	"github.com/habeas-project/habeas/casework"
	"github.com/habeas-project/habeas/internal/sqlstore"
	"github.com/habeas-project/habeas/postgres"
	"github.com/habeas-project/habeas/postgres/pgtest"
	"github.com/habeas-project/habeas/sqlite"
)

// BenchmarkCaseFileAudit measures what recording the read costs
// FindCaseFile on each store: with the audit log written (audited) and
// with a log that keeps nothing (unaudited). docs/benchmarks.md, "Audited
// reads (issue 12)".
func BenchmarkCaseFileAudit(b *testing.B) {
	stores := map[string]func(b *testing.B) *sqlstore.DB{
		"sqlite": func(b *testing.B) *sqlstore.DB {
			db, err := sqlite.Open(context.Background(), b.TempDir())
			if err != nil {
				b.Fatal(err)
			}
			return db
		},
		"postgres": func(b *testing.B) *sqlstore.DB {
			db, err := postgres.Open(context.Background(), pgtest.Schema(b, pgtest.DSN(b)))
			if err != nil {
				b.Fatal(err)
			}
			return db
		},
	}
	for _, store := range []string{"sqlite", "postgres"} {
		b.Run(store, func(b *testing.B) {
			db := stores[store](b)
			b.Cleanup(func() { db.Close() })
			setup := auditService(b, db, db, 0, io.Discard)
			reg := register(b, setup, 1)[0]
			for _, audited := range []bool{false, true} {
				var audit habeas.AuditService = discardAudit{db}
				name := "unaudited"
				if audited {
					audit, name = db, "audited"
				}
				work := auditService(b, db, audit, 0, io.Discard)
				b.Run(name, func(b *testing.B) {
					for b.Loop() {
						if _, err := work.FindCaseFile(context.Background(), viewer, reg.DetentionID); err != nil {
							b.Fatal(err)
						}
					}
				})
			}
		})
	}
}

// discardAudit is an audit log that keeps nothing, for the cost of a read
// without the write.
type discardAudit struct{ habeas.AuditService }

func (discardAudit) AppendAccesses(context.Context, []*habeas.Access) error { return nil }

// BenchmarkCaseFileByScope measures what a role's scope costs a read of
// the case file (docs/benchmarks.md, "Per-case access (issue 12)"): an
// administrator reads the store directly; a viewer through a reader that
// withholds restricted sources; an analyst through one that also copies
// and empties every record; a lawyer after its cases are found (one
// assignment here, then twenty-one, each to its own detention).
func BenchmarkCaseFileByScope(b *testing.B) {
	db, err := sqlite.Open(context.Background(), b.TempDir())
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { db.Close() })
	work := auditService(b, db, discardAudit{db}, 0, io.Discard)
	regs := register(b, work, 21)
	l := &habeas.Lawyer{Name: "Адвокат Нагрузкин", City: "almaty", Active: true}
	if _, err := work.CreateRecord(context.Background(), admin, l); err != nil {
		b.Fatal(err)
	}
	assign := func(reg *casework.IntakeResult) {
		if _, err := work.Assign(context.Background(), operator, casework.AssignmentRequest{DetentionID: reg.DetentionID, LawyerID: l.ID,
			Kind: habeas.AssignmentLegalAid, From: work.Clock().Add(-time.Hour), SourceID: reg.SourceID}); err != nil {
			b.Fatal(err)
		}
	}
	assign(regs[0])
	lawyer := &habeas.User{Name: "lawyer", Role: habeas.RoleLawyer, LawyerID: l.ID}
	analyst := &habeas.User{Name: "analyst", Role: habeas.RoleAnalyst}
	read := func(b *testing.B, u *habeas.User) {
		for b.Loop() {
			if _, err := work.FindCaseFile(context.Background(), u, regs[0].DetentionID); err != nil {
				b.Fatal(err)
			}
		}
	}
	b.Run("admin", func(b *testing.B) { read(b, admin) })
	b.Run("viewer", func(b *testing.B) { read(b, viewer) })
	b.Run("analyst", func(b *testing.B) { read(b, analyst) })
	b.Run("lawyer-1-case", func(b *testing.B) { read(b, lawyer) })
	for _, reg := range regs[1:] {
		assign(reg)
	}
	b.Run("lawyer-21-cases", func(b *testing.B) { read(b, lawyer) })
}
