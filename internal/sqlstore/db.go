// Package sqlstore implements the Habeas services over database/sql, for
// both SQLite and PostgreSQL: the SQL is written once, with $n placeholders
// that both understand, and the small differences live in a Dialect.
//
// The sqlite and postgres packages open connections, embed their own
// numbered migrations and hand them here. Nothing above the store writes
// around it: every write goes through Transact (Apply is one) or Import,
// which append a change record in the same transaction as the projection
// rows.
package sqlstore

import (
	"context"
	"database/sql"
	"fmt"
	"io/fs"
	"path"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/habeas-project/habeas"
	"github.com/habeas-project/habeas/internal/vault"
	"golang.org/x/mod/sumdb/tlog"
)

// Dialect holds what differs between the databases.
type Dialect struct {
	Name string
	// FirstByteHex is an SQL expression, with %s for a binary column, of
	// the column's first byte in lower-case hex: to count what is sealed.
	FirstByteHex string
	// Migrations holds numbered files NNN_name.sql at its root.
	Migrations fs.FS
	// LockWriters, when set, runs at the start of every write transaction to
	// serialise writers, so change sequences are gapless and ordered.
	LockWriters string
	// Analyze refreshes the query planner's statistics.
	Analyze string
	// IndexDef returns the CREATE INDEX statement of the index named $1,
	// so that BulkLoad can drop an index and build it again as it was.
	IndexDef string
	// MultiRowInsert writes the rows of one record in one INSERT. It
	// saves round trips on a server; SQLite has none to save, and would
	// keep a statement journal for a statement of several rows.
	MultiRowInsert bool
	// Tables lists the store's tables (backup.go); SnapshotBegin begins
	// the read transaction a backup reads in, a snapshot writers do not
	// wait for; RestoreBegin, RestoreInsert (between an INSERT's columns
	// and its VALUES) and RestoreEnd let a restore write rows as they
	// were, identifiers included.
	Tables, SnapshotBegin, RestoreBegin, RestoreInsert, RestoreEnd string
	// CachesStatements says the driver keeps each connection's prepared
	// statements (pgx does, by their text): statements are not prepared
	// again in each transaction.
	CachesStatements bool
	// StreamConn, run on the connection that streams an evidence file in
	// or out, keeps the file's pages from filling the connection's page
	// cache; StreamConnDone undoes it before the connection returns to
	// the pool.
	StreamConn, StreamConnDone string
	// Shred, run after an erasure commits, removes from the database's
	// files the copies of the data keys it deleted: old page images in
	// SQLite's write-ahead log, dead row versions in PostgreSQL.
	Shred string
}

// DB is a Habeas store over one database.
type DB struct {
	db      *sql.DB
	dialect Dialect
	// keys is the keyring of an unlocked encrypted register (keys.go);
	// locked says the register is encrypted and was not unlocked, so
	// nothing is read or written.
	keys   *keyring
	locked bool
	// persons is the person search's index, in memory (personindex.go).
	persons *personIndex
	// hashes caches the ledger's stored hashes (ledger.go).
	hashes hashCache
	// Now returns the current time; tests replace it to control time.
	Now func() time.Time
	// onPrepare, when set (by tests), sees every statement the write path
	// prepares.
	onPrepare func(query string)
	// migrated counts the migrations this DB applied when it opened.
	migrated int
	// noLedger, set by benchmarks alone, writes no ledger leaves: the
	// cost of the ledger, side by side.
	noLedger bool
}

// New wraps an open database. Call Migrate before use.
func New(db *sql.DB, d Dialect) *DB {
	return &DB{db: db, dialect: d, Now: time.Now, persons: newPersonIndex()}
}

// SQL returns the underlying database, for benchmarks and diagnostics.
func (db *DB) SQL() *sql.DB { return db.db }

// Dialect returns the name of the database dialect: "sqlite" or "postgres".
func (db *DB) Dialect() string { return db.dialect.Name }

// Close closes the database.
func (db *DB) Close() error { return db.db.Close() }

// Migrate applies the dialect's migrations that have not been applied yet,
// each in its own transaction, in order, recording each in schema_migrations.
func (db *DB) Migrate(ctx context.Context) error {
	if _, err := db.db.ExecContext(ctx, `CREATE TABLE IF NOT EXISTS schema_migrations (version BIGINT PRIMARY KEY, name TEXT NOT NULL, applied_us BIGINT NOT NULL)`); err != nil {
		return fmt.Errorf("create schema_migrations: %w", err)
	}
	entries, err := fs.ReadDir(db.dialect.Migrations, ".")
	if err != nil {
		return fmt.Errorf("read migrations: %w", err)
	}
	type migration struct {
		version int
		name    string
	}
	var ms []migration
	for _, e := range entries {
		num, _, ok := strings.Cut(e.Name(), "_")
		v, err := strconv.Atoi(num)
		if !ok || err != nil || path.Ext(e.Name()) != ".sql" {
			return fmt.Errorf("migration %q is not named NNN_name.sql", e.Name())
		}
		ms = append(ms, migration{v, e.Name()})
	}
	sort.Slice(ms, func(i, j int) bool { return ms[i].version < ms[j].version })
	for _, m := range ms {
		if err := db.migrate(ctx, m.version, m.name); err != nil {
			return fmt.Errorf("migration %s: %w", m.name, err)
		}
	}
	// An encrypted register stays locked until Unlock. (A register
	// migrated only part of the way, in tests, has no keyring.)
	var keyring int
	if err := db.db.QueryRowContext(ctx, `SELECT count(*) FROM schema_migrations WHERE version = 12`).Scan(&keyring); err != nil || keyring == 0 {
		return err
	}
	km, err := db.Keyed(ctx)
	if err != nil {
		return err
	}
	// A register that holds data keys is encrypted even if its keyring is
	// gone (deleted by someone writing the database): it stays locked
	// until a key that opens its data keys unlocks it.
	var keys int
	if err := db.db.QueryRowContext(ctx, `SELECT count(*) FROM (SELECT 1 FROM data_keys LIMIT 1) k`).Scan(&keys); err != nil {
		return err
	}
	db.locked = (km.Mode != "" || keys > 0) && db.keys == nil
	return nil
}

func (db *DB) migrate(ctx context.Context, version int, name string) error {
	tx, err := db.db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	if db.dialect.LockWriters != "" {
		if _, err := tx.ExecContext(ctx, db.dialect.LockWriters); err != nil {
			return err
		}
	}
	var n int
	if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM schema_migrations WHERE version = $1`, version).Scan(&n); err != nil {
		return err
	} else if n > 0 {
		return nil
	}
	body, err := fs.ReadFile(db.dialect.Migrations, name)
	if err != nil {
		return err
	}
	if _, err := tx.ExecContext(ctx, string(body)); err != nil {
		return err
	}
	if step, ok := migrationSteps[stepName(name)]; ok {
		t := &Tx{Tx: tx, db: db, now: db.Now().UTC().Truncate(time.Microsecond), known: map[string]habeas.Kind{}, stmts: map[string]*sql.Stmt{}}
		if err := step(ctx, t); err != nil {
			return err
		}
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO schema_migrations (version, name, applied_us) VALUES ($1, $2, $3)`,
		version, name, db.Now().UnixMicro()); err != nil {
		return err
	}
	if err := tx.Commit(); err != nil {
		return err
	}
	db.migrated++
	return nil
}

// migrationSteps are the steps of migrations that SQL alone cannot take,
// such as filling a new index column from the stored documents, keyed by
// the migration's name without its number ("002_queues.sql": "queues"),
// so that renumbering a migration keeps its step. A step runs once, in
// the migration's transaction, after its SQL.
var migrationSteps = map[string]func(context.Context, *Tx) error{
	"queues": func(ctx context.Context, tx *Tx) error { return tx.requeueAll(ctx) },
	"ledger": func(ctx context.Context, tx *Tx) error { return tx.backfillLedger(ctx) },
}

// stepName is a migration's name without its number and extension.
func stepName(file string) string {
	_, name, _ := strings.Cut(strings.TrimSuffix(file, path.Ext(file)), "_")
	return name
}

// Migrated reports how many migrations opening the store applied: none
// for a register already up to date.
func (db *DB) Migrated() int { return db.migrated }

// Analyze refreshes the query planner's statistics, so that filtered lists
// use the most selective index. Run it after bulk loads (demo, import,
// restore), after migrations, and when a server starts.
func (db *DB) Analyze(ctx context.Context) error {
	if db.dialect.Analyze == "" {
		return nil
	}
	if _, err := db.db.ExecContext(ctx, db.dialect.Analyze); err != nil {
		return fmt.Errorf("analyze: %w", err)
	}
	return nil
}

// Tx is a write transaction; it carries the time every change in it records.
type Tx struct {
	*sql.Tx
	db  *DB
	now time.Time
	// known caches identifiers confirmed to exist in this transaction, with
	// their kind, so a batch does not look the same reference up twice.
	known map[string]habeas.Kind
	seq   int64
	stmts map[string]*sql.Stmt
	// persons holds the persons written in this transaction, so that a
	// detention written after its person in a batch finds the person's
	// queue facts without reading them back (see queues.go).
	persons map[string]*habeas.Person
	// newKeys are the data keys made in this transaction: the store's
	// cache takes them once it commits (keys.go).
	newKeys map[string]vault.Key
	// appended says the transaction appended a change already.
	appended bool
	// destroyed are the owners whose data keys this transaction destroyed
	// (erase.go): the store forgets them once it commits.
	destroyed []string
	// erasing lets an imported erasure refer to an erased person;
	// lastErased is the change of the last person an import erased.
	erasing    bool
	lastErased habeas.Change
	// placed are the records an import gave what their erasure keeps
	// before it came; ghosts those whose states were all erased, and
	// that no erasure in the file brings back (deleted since).
	placed map[string]bool
	ghosts map[string]habeas.Kind
	// claim is what the file being imported claims of the change being
	// written (Import), nil otherwise.
	claim *habeas.Imported
	// erasedIDs are the erased records this transaction met or made.
	erasedIDs map[string]bool
	// hashes are the ledger's stored hashes this transaction made;
	// unwritten, those not in the table yet (ledger.go).
	hashes    map[int64]tlog.Hash
	unwritten []int64
}

// begin starts a write transaction, serialising writers where the dialect
// needs it, and reads the last change sequence.
func (db *DB) begin(ctx context.Context) (*Tx, error) {
	tx, err := db.db.BeginTx(ctx, nil)
	if err != nil {
		return nil, fmt.Errorf("begin: %w", err)
	}
	if db.dialect.LockWriters != "" {
		if _, err := tx.ExecContext(ctx, db.dialect.LockWriters); err != nil {
			tx.Rollback()
			return nil, fmt.Errorf("lock writers: %w", err)
		}
	}
	t := &Tx{Tx: tx, db: db, now: db.Now().UTC().Truncate(time.Microsecond), known: map[string]habeas.Kind{}, stmts: map[string]*sql.Stmt{}}
	if err := tx.QueryRowContext(ctx, `SELECT COALESCE(MAX(seq), 0) FROM changes`).Scan(&t.seq); err != nil {
		tx.Rollback()
		return nil, fmt.Errorf("read last sequence: %w", err)
	}
	return t, nil
}

// wrap adds context to a non-nil error: defer wrap(&err, "Apply").
func wrap(errp *error, format string, args ...any) {
	if *errp != nil && habeas.ErrorCode(*errp) == habeas.EINTERNAL {
		*errp = fmt.Errorf("%s: %w", fmt.Sprintf(format, args...), *errp)
	}
}
