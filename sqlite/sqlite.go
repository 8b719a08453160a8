// Package sqlite opens the embedded SQLite store, Habeas's default: one file
// in the data directory, pure Go (modernc.org/sqlite), WAL journal, foreign
// keys on, a busy timeout, and synchronous=FULL so that an acknowledged write
// survives a crash or power loss. The queries live in internal/sqlstore.
package sqlite

import (
	"context"
	"database/sql"
	"embed"
	"fmt"
	"io/fs"
	"net/url"
	"os"
	"path/filepath"

	"github.com/habeas-project/habeas/internal/sqlstore"
	_ "modernc.org/sqlite" // registers the "sqlite" driver
)

//go:embed migrations/*.sql
var migrations embed.FS

// MaxConns bounds the connections of one store.
const MaxConns = 16

// FileName is the database file inside the data directory.
const FileName = "habeas.db"

// Open opens (creating if needed) the store in the data directory dir and
// applies pending migrations.
func Open(ctx context.Context, dir string) (*sqlstore.DB, error) {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, fmt.Errorf("create data directory: %w", err)
	}
	return OpenFile(ctx, filepath.Join(dir, FileName))
}

// Holds reports whether dir holds a register's database, without making
// one.
func Holds(dir string) bool {
	info, err := os.Stat(filepath.Join(dir, FileName))
	return err == nil && info.Mode().IsRegular()
}

// OpenFile opens the store in one database file.
func OpenFile(ctx context.Context, path string) (*sqlstore.DB, error) {
	q := url.Values{}
	// Each connection caches up to 64 MiB of pages (SQLite's default is
	// 2 MiB): at a million detentions the indexes are gigabytes, and
	// random identifiers spread reads and writes all over them.
	for _, p := range []string{"journal_mode(WAL)", "foreign_keys(1)", "busy_timeout(10000)", "synchronous(FULL)", "cache_size(-65536)",
		// A deleted row is overwritten with zeros where that costs no
		// more writes: an erased person's data key leaves no copy in the
		// file (erasure's Shred clears the write-ahead log).
		"secure_delete(FAST)"} {
		q.Add("_pragma", p)
	}
	// Write transactions take the write lock at BEGIN, so two writers queue
	// on the busy timeout instead of failing on a lock upgrade.
	q.Set("_txlock", "immediate")
	sdb, err := sql.Open("sqlite", "file:"+path+"?"+q.Encode())
	if err != nil {
		return nil, fmt.Errorf("open %s: %w", path, err)
	}
	// The pool keeps its connections: database/sql keeps two idle by
	// default, so under concurrent requests it opened and closed a
	// connection per query, throwing its page cache away each time (a
	// sixth of the server's time at 50 users). The bound keeps the page
	// caches to 1 GiB; more concurrent queries than that would only queue
	// for the two or so cores anyway.
	sdb.SetMaxOpenConns(MaxConns)
	sdb.SetMaxIdleConns(MaxConns)
	sub, _ := fs.Sub(migrations, "migrations")
	db := sqlstore.New(sdb, sqlstore.Dialect{Name: "sqlite", Migrations: sub, FirstByteHex: "lower(hex(substr(%s, 1, 1)))",
		// A bounded sample keeps this fast on large databases.
		Analyze:       "PRAGMA analysis_limit=1000; ANALYZE",
		Shred:         "PRAGMA wal_checkpoint(TRUNCATE)",
		Tables:        "SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite_%'",
		SnapshotBegin: "BEGIN DEFERRED", RestoreBegin: "PRAGMA defer_foreign_keys = ON",
		// A file streams through 2 MiB of cache, not 64.
		StreamConn: "PRAGMA cache_size = -2048", StreamConnDone: "PRAGMA cache_size = -65536",
		IndexDef: "SELECT sql FROM sqlite_schema WHERE type = 'index' AND name = $1"})
	// The planner's statistics are refreshed when the schema changed;
	// otherwise by serve at its start, a bulk load, an import and a
	// restore: ANALYZE holds the write lock, and at a million detentions
	// for longer than a serving register's writers wait (a command run
	// beside the server made its sign-ins fail).
	if err := db.Migrate(ctx); err == nil && db.Migrated() > 0 {
		err = db.Analyze(ctx)
	}
	if err != nil {
		sdb.Close()
		return nil, err
	}
	return db, nil
}
