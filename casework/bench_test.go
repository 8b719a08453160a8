package casework_test

import (
	"context"
	"io"
	"testing"

	"github.com/habeas-project/habeas"
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
