// Package postgres opens the PostgreSQL store, for coalitions and several
// application servers over one database. It shares its queries with SQLite
// (internal/sqlstore); writers are serialised with a transaction-scoped
// advisory lock so that change sequences stay gapless and ordered.
package postgres

import (
	"context"
	"embed"
	"fmt"
	"io/fs"

	"github.com/habeas-project/habeas/internal/sqlstore"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/stdlib"
)

//go:embed migrations/*.sql
var migrations embed.FS

// MaxConns bounds the connections of one store. PostgreSQL serves each
// connection with a process of its own and allows 100 by default, shared
// with every other client; without a bound, a server under load opened one
// per concurrent query (200 in a test). More concurrent queries than that
// would only queue for the cores anyway.
const MaxConns = 16

// writerLock is the advisory lock key every write transaction takes.
const writerLock = `SELECT pg_advisory_xact_lock(7342511)`

// Open connects to the database at dsn (postgres://...) and applies pending
// migrations. A search_path parameter in the DSN selects the schema.
func Open(ctx context.Context, dsn string) (*sqlstore.DB, error) {
	cfg, err := pgx.ParseConfig(dsn)
	if err != nil {
		return nil, fmt.Errorf("open postgres: %w", err)
	}
	// The store's queries are short, but on a large table whose statistics
	// lag (during a bulk load, before the first ANALYZE) the planner
	// overestimates them, and past jit_above_cost it compiles each one:
	// milliseconds per lookup, which took a million-detention demo load
	// from 470 to 60 records a second. A DSN that sets jit keeps its value.
	if _, set := cfg.RuntimeParams["jit"]; !set {
		cfg.RuntimeParams["jit"] = "off"
	}
	sdb := stdlib.OpenDB(*cfg)
	sdb.SetMaxOpenConns(MaxConns)
	sdb.SetMaxIdleConns(MaxConns)
	if err := sdb.PingContext(ctx); err != nil {
		sdb.Close()
		return nil, fmt.Errorf("connect to postgres: %w", err)
	}
	sub, _ := fs.Sub(migrations, "migrations")
	db := sqlstore.New(sdb, sqlstore.Dialect{Name: "postgres", Migrations: sub, FirstByteHex: "encode(substring(%s from 1 for 1), 'hex')", LockWriters: writerLock, Analyze: "ANALYZE",
		IndexDef:       "SELECT indexdef FROM pg_indexes WHERE schemaname = current_schema() AND indexname = $1",
		MultiRowInsert: true, CachesStatements: true,
		// Tables, not their partitions (a partitioned table reads whole).
		Tables:        "SELECT c.relname::text FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = current_schema() AND c.relkind IN ('r', 'p') AND NOT c.relispartition",
		SnapshotBegin: "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY",
		RestoreInsert: "OVERRIDING SYSTEM VALUE ",
		// Identity columns go on from the rows restored.
		RestoreEnd: `DO $$ DECLARE r record; BEGIN
FOR r IN SELECT table_name, column_name FROM information_schema.columns WHERE table_schema = current_schema() AND is_identity = 'YES' LOOP
	EXECUTE format('SELECT setval(pg_get_serial_sequence(%L, %L), COALESCE((SELECT max(%I) FROM %I), 0) + 1, false)', r.table_name, r.column_name, r.column_name, r.table_name);
END LOOP; END $$`,
		// Rewrites the table without the dead versions of deleted keys.
		Shred: "VACUUM FULL data_keys"})
	if err := db.Migrate(ctx); err != nil {
		sdb.Close()
		return nil, err
	}
	return db, nil
}

// Holds reports whether the database dsn names holds a register (its
// migrations table, in the schema the DSN's search path gives), without
// making one.
func Holds(ctx context.Context, dsn string) (bool, error) {
	cfg, err := pgx.ParseConfig(dsn)
	if err != nil {
		return false, fmt.Errorf("open postgres: %w", err)
	}
	conn, err := pgx.ConnectConfig(ctx, cfg)
	if err != nil {
		return false, fmt.Errorf("connect to postgres: %w", err)
	}
	defer conn.Close(ctx)
	var holds bool
	err = conn.QueryRow(ctx, `SELECT to_regclass('schema_migrations') IS NOT NULL AND to_regclass('changes') IS NOT NULL`).Scan(&holds)
	return holds, err
}
