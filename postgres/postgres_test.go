package postgres_test

import (
	"context"
	"sync"
	"testing"
	"time"

	"github.com/habeas-project/habeas/postgres"
	"github.com/habeas-project/habeas/postgres/pgtest"
	"github.com/habeas-project/habeas/storetest"
)

func TestConformance(t *testing.T) {
	dsn := pgtest.DSN(t)
	storetest.Run(t, func(t *testing.T, now func() time.Time) storetest.Store {
		db, err := postgres.Open(context.Background(), pgtest.Schema(t, dsn))
		if err != nil {
			t.Fatal(err)
		}
		db.Now = now
		t.Cleanup(func() { db.Close() })
		return db
	})
}

// The audit log refuses UPDATE, DELETE and TRUNCATE, even straight on
// the database.
func TestAuditAppendOnly(t *testing.T) {
	ctx := context.Background()
	db, err := postgres.Open(ctx, pgtest.Schema(t, pgtest.DSN(t)))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	storetest.AuditAppendOnly(t, db, func(q string) error {
		_, err := db.SQL().ExecContext(ctx, q)
		return err
	})
	if _, err := db.SQL().ExecContext(ctx, `TRUNCATE audit_log, audit_records`); err == nil {
		t.Error("TRUNCATE of the audit log succeeded; it must be refused")
	}
}

// Two servers over one database (two stores opened on one schema), each
// appending to the same detention inside transactions, lose no append:
// the writers' lock is the database's, not a process's.
func TestConcurrentAppendsAcrossServers(t *testing.T) {
	dsn := pgtest.Schema(t, pgtest.DSN(t))
	var stores []storetest.Store
	for range 2 {
		db, err := postgres.Open(context.Background(), dsn)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { db.Close() })
		stores = append(stores, db)
	}
	storetest.ConcurrentAppends(t, stores...)
}

// More concurrent queries than the server allows connections (twice its
// max_connections, as a busy web server may ask) all succeed, and the
// store never opens more than MaxConns connections for them: the rest wait
// for one.
func TestManyConcurrentQueries(t *testing.T) {
	ctx := context.Background()
	db, err := postgres.Open(ctx, pgtest.Schema(t, pgtest.DSN(t)))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var allowed int
	if err := db.SQL().QueryRowContext(ctx, `SELECT setting::int FROM pg_settings WHERE name = 'max_connections'`).Scan(&allowed); err != nil {
		t.Fatal(err)
	}
	done := make(chan struct{})
	peak := make(chan int)
	go func() { // samples how many connections the pool holds open
		p := 0
		for {
			p = max(p, db.SQL().Stats().OpenConnections)
			select {
			case <-done:
				peak <- p
				return
			case <-time.After(time.Millisecond):
			}
		}
	}()
	errs := make(chan error, 2*allowed)
	var wg sync.WaitGroup
	for range 2 * allowed {
		wg.Go(func() {
			_, err := db.SQL().ExecContext(ctx, `SELECT pg_sleep(0.05)`)
			errs <- err
		})
	}
	wg.Wait()
	close(done)
	close(errs)
	for err := range errs {
		if err != nil {
			t.Fatalf("%d queries at once on a server allowing %d connections: %v", 2*allowed, allowed, err)
		}
	}
	if p := <-peak; p > postgres.MaxConns || p == 0 {
		t.Errorf("the pool held %d connections open at once, want at most %d", p, postgres.MaxConns)
	}
}

// The store's sessions run without JIT compilation, which costs more
// than the store's short queries themselves (see Open); a DSN that sets
// jit keeps its value.
func TestJITOff(t *testing.T) {
	ctx := context.Background()
	dsn := pgtest.Schema(t, pgtest.DSN(t))
	for _, tt := range []struct{ dsn, want string }{{dsn, "off"}, {dsn + "&jit=on", "on"}} {
		db, err := postgres.Open(ctx, tt.dsn)
		if err != nil {
			t.Fatal(err)
		}
		var jit string
		if err := db.SQL().QueryRowContext(ctx, `SHOW jit`).Scan(&jit); err != nil {
			t.Fatal(err)
		}
		db.Close()
		if jit != tt.want {
			t.Errorf("%s: jit = %s, want %s", tt.dsn, jit, tt.want)
		}
	}
}
