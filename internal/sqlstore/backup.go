package sqlstore

import (
	"bufio"
	"context"
	"database/sql"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"
	"time"

	"github.com/habeas-project/habeas"
)

// Backups (issue 15): the whole register, every table of it (records,
// the change log, the ledger, accounts and sessions, saved views, the
// audit log, the vault's files, the wrapped data keys) as it stood at one
// moment, written while the server serves and writes, and read back into
// an empty store of either dialect.
//
// The format (habeas-backup-v1) is JSON Lines: a header, then for each
// table a line naming it and its columns followed by one line per row (an
// array of values), then an end line with the counts, so that a backup cut
// short is refused. A value is a JSON number (an integer), a string,
// null, or {"b": base64} for bytes. The caller compresses and encrypts
// the stream (cmd/habeas: zstd, then age).

// BackupFormat names the format.
const BackupFormat = "habeas-backup-v1"

// BackupHeader is a backup's first line.
type BackupHeader struct {
	Format  string    `json:"format"`
	MadeAt  time.Time `json:"made_at"`
	Dialect string    `json:"dialect"`
	Schema  int       `json:"schema"`   // the last migration applied
	LastSeq int64     `json:"last_seq"` // the change log's last sequence
	// Files are files kept beside the register that a restore needs
	// (the key file, the ledger key), by name: the backup is encrypted.
	Files map[string][]byte `json:"files,omitempty"`
}

// BackupSummary says what a backup or a restore held.
type BackupSummary struct {
	Tables  int
	Rows    int64
	LastSeq int64
}

type backupTable struct {
	Table   string   `json:"table"`
	Columns []string `json:"columns"`
}

type backupEnd struct {
	End  bool  `json:"end"`
	Rows int64 `json:"rows"`
}

// Schema returns the last migration applied to the store.
func (db *DB) Schema(ctx context.Context) (int, error) {
	var v sql.NullInt64
	err := db.db.QueryRowContext(ctx, `SELECT max(version) FROM schema_migrations`).Scan(&v)
	return int(v.Int64), err
}

// tables lists the store's tables, but the migrations' own, in name
// order.
func (db *DB) tables(ctx context.Context, q querier) ([]string, error) {
	rows, err := q.QueryContext(ctx, db.dialect.Tables)
	if err != nil {
		return nil, err
	}
	names, err := collect(rows, func(rows *sql.Rows) (string, error) {
		var s string
		return s, rows.Scan(&s)
	})
	names = slices.DeleteFunc(names, func(s string) bool { return s == "schema_migrations" })
	slices.Sort(names)
	return names, err
}

// Backup writes the whole register to w as it is at one moment: every
// table read in one read transaction (a snapshot), which writers do not
// wait for. files go in the header.
func (db *DB) Backup(ctx context.Context, w io.Writer, files map[string][]byte) (sum BackupSummary, err error) {
	defer wrap(&err, "back up")
	conn, err := db.db.Conn(ctx)
	if err != nil {
		return sum, err
	}
	defer conn.Close()
	if _, err := conn.ExecContext(ctx, db.dialect.SnapshotBegin); err != nil {
		return sum, fmt.Errorf("begin the snapshot: %w", err)
	}
	defer conn.ExecContext(context.WithoutCancel(ctx), "ROLLBACK")
	h := BackupHeader{Format: BackupFormat, MadeAt: db.Now().UTC().Truncate(time.Second), Dialect: db.dialect.Name, Files: files}
	var v sql.NullInt64
	if err := conn.QueryRowContext(ctx, `SELECT max(version) FROM schema_migrations`).Scan(&v); err != nil {
		return sum, err
	}
	h.Schema = int(v.Int64)
	if err := conn.QueryRowContext(ctx, `SELECT COALESCE(MAX(seq), 0) FROM changes`).Scan(&h.LastSeq); err != nil {
		return sum, err
	}
	sum.LastSeq = h.LastSeq
	bw := bufio.NewWriterSize(w, 1<<20)
	enc := json.NewEncoder(bw)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(h); err != nil {
		return sum, err
	}
	tables, err := db.tables(ctx, conn)
	if err != nil {
		return sum, err
	}
	for _, t := range tables {
		n, err := backupTableRows(ctx, conn, enc, t)
		if err != nil {
			return sum, fmt.Errorf("table %s: %w", t, err)
		}
		sum.Tables++
		sum.Rows += n
	}
	if err := enc.Encode(backupEnd{End: true, Rows: sum.Rows}); err != nil {
		return sum, err
	}
	return sum, bw.Flush()
}

func backupTableRows(ctx context.Context, conn *sql.Conn, enc *json.Encoder, table string) (int64, error) {
	rows, err := conn.QueryContext(ctx, `SELECT * FROM `+table)
	if err != nil {
		return 0, err
	}
	defer rows.Close()
	cols, err := rows.Columns()
	if err != nil {
		return 0, err
	}
	if err := enc.Encode(backupTable{Table: table, Columns: cols}); err != nil {
		return 0, err
	}
	vals := make([]any, len(cols))
	ptrs := make([]any, len(cols))
	for i := range vals {
		ptrs[i] = &vals[i]
	}
	out := make([]any, len(cols))
	var n int64
	for rows.Next() {
		if err := rows.Scan(ptrs...); err != nil {
			return n, err
		}
		for i, v := range vals {
			switch x := v.(type) {
			case []byte:
				out[i] = map[string]string{"b": base64.StdEncoding.EncodeToString(x)}
			case nil, int64, string:
				out[i] = x
			case bool:
				out[i] = map[string]bool{"bool": x}
			default:
				return n, fmt.Errorf("column %s holds a %T, which a backup does not keep", cols[i], v)
			}
		}
		if err := enc.Encode(out); err != nil {
			return n, err
		}
		n++
	}
	return n, rows.Err()
}

// ReadBackupHeader reads a backup's first line from r, which Restore then
// reads on from.
func ReadBackupHeader(r *bufio.Reader) (*BackupHeader, error) {
	line, err := r.ReadBytes('\n')
	if err != nil {
		return nil, fmt.Errorf("not a Habeas backup: %w", err)
	}
	var h BackupHeader
	if err := json.Unmarshal(line, &h); err != nil || h.Format != BackupFormat {
		return nil, errors.New("not a Habeas backup (" + BackupFormat + ")")
	}
	return &h, nil
}

// Restore reads the tables of a backup from r (after its header) into
// this store, which must be new (made by the same migrations as the
// backup, and holding no record), in one transaction: all of it, or none.
func (db *DB) Restore(ctx context.Context, r *bufio.Reader) (sum BackupSummary, err error) {
	defer wrap(&err, "restore")
	tx, err := db.db.BeginTx(ctx, nil)
	if err != nil {
		return sum, err
	}
	defer tx.Rollback()
	if db.dialect.RestoreBegin != "" {
		if _, err := tx.ExecContext(ctx, db.dialect.RestoreBegin); err != nil {
			return sum, err
		}
	}
	var n int
	if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM changes`).Scan(&n); err != nil {
		return sum, err
	} else if n > 0 {
		return sum, invalidBackup("the store holds a register already: a backup is restored into an empty one")
	}
	have, err := db.tables(ctx, tx)
	if err != nil {
		return sum, err
	}
	dec := json.NewDecoder(r)
	dec.UseNumber()
	var table string
	var cols []string
	var insert *sql.Stmt
	done := false
	for !done {
		var raw json.RawMessage
		if err := dec.Decode(&raw); err == io.EOF {
			return sum, invalidBackup("the backup is cut short: it has no end")
		} else if err != nil {
			return sum, invalidBackup("the backup is damaged: " + err.Error())
		}
		switch raw[0] {
		case '{':
			var t struct {
				backupTable
				backupEnd
			}
			if err := json.Unmarshal(raw, &t); err != nil {
				return sum, invalidBackup("the backup is damaged: " + err.Error())
			}
			if t.End {
				if t.Rows != sum.Rows {
					return sum, invalidBackup(fmt.Sprintf("the backup says it holds %d rows, and %d were read", t.Rows, sum.Rows))
				}
				done = true
				continue
			}
			if !slices.Contains(have, t.Table) {
				return sum, invalidBackup(fmt.Sprintf("the backup has a table %s this version does not", t.Table))
			}
			// Rows a migration made (a default, say) give way to the
			// backup's. (An append-only table is empty in a new store,
			// and refuses even an empty delete.)
			var any bool
			if err := tx.QueryRowContext(ctx, `SELECT EXISTS (SELECT 1 FROM `+t.Table+`)`).Scan(&any); err != nil {
				return sum, err
			}
			if any {
				if _, err := tx.ExecContext(ctx, `DELETE FROM `+t.Table); err != nil {
					return sum, fmt.Errorf("empty %s: %w", t.Table, err)
				}
			}
			table, cols = t.Table, t.Columns
			marks := make([]string, len(cols))
			for i := range cols {
				marks[i] = fmt.Sprintf("$%d", i+1)
			}
			if insert != nil {
				insert.Close()
			}
			if insert, err = tx.PrepareContext(ctx, `INSERT INTO `+table+` (`+strings.Join(cols, ", ")+`) `+db.dialect.RestoreInsert+
				`VALUES (`+strings.Join(marks, ", ")+`)`); err != nil {
				return sum, fmt.Errorf("table %s: %w", table, err)
			}
			sum.Tables++
		case '[':
			if insert == nil {
				return sum, invalidBackup("the backup is damaged: a row before its table")
			}
			args, err := restoreValues(raw, len(cols))
			if err != nil {
				return sum, invalidBackup(fmt.Sprintf("the backup is damaged: a row of %s: %v", table, err))
			}
			if _, err := insert.ExecContext(ctx, args...); err != nil {
				return sum, fmt.Errorf("table %s, row %v: %w", table, args[0], err)
			}
			sum.Rows++
		default:
			return sum, invalidBackup("the backup is damaged")
		}
	}
	if insert != nil {
		insert.Close()
	}
	if db.dialect.RestoreEnd != "" {
		if _, err := tx.ExecContext(ctx, db.dialect.RestoreEnd); err != nil {
			return sum, err
		}
	}
	if err := tx.QueryRowContext(ctx, `SELECT COALESCE(MAX(seq), 0) FROM changes`).Scan(&sum.LastSeq); err != nil {
		return sum, err
	}
	return sum, tx.Commit()
}

// restoreValues decodes a row's values: integers as int64, bytes from
// {"b": base64}.
func restoreValues(raw json.RawMessage, n int) ([]any, error) {
	var items []json.RawMessage
	if err := json.Unmarshal(raw, &items); err != nil || len(items) != n {
		return nil, errors.New("not a row")
	}
	out := make([]any, n)
	for i, it := range items {
		switch {
		case string(it) == "null":
			out[i] = nil
		case it[0] == '"':
			var s string
			if err := json.Unmarshal(it, &s); err != nil {
				return nil, err
			}
			out[i] = s
		case it[0] == '{':
			var b struct {
				B    *string `json:"b"`
				Bool *bool   `json:"bool"`
			}
			if err := json.Unmarshal(it, &b); err != nil {
				return nil, err
			}
			switch {
			case b.B != nil:
				v, err := base64.StdEncoding.DecodeString(*b.B)
				if err != nil {
					return nil, err
				}
				out[i] = v
			case b.Bool != nil:
				out[i] = *b.Bool
			default:
				return nil, errors.New("a value of no known type")
			}
		default:
			var num json.Number
			if err := json.Unmarshal(it, &num); err != nil {
				return nil, err
			}
			v, err := num.Int64()
			if err != nil {
				return nil, err
			}
			out[i] = v
		}
	}
	return out, nil
}

func invalidBackup(msg string) error { return habeas.Errorf(habeas.EINVALID, "%s", msg) }
