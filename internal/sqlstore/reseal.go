package sqlstore

import (
	"context"
	"database/sql"
	"fmt"
	"strconv"
	"strings"

	"github.com/habeas-project/habeas"
)

// Resealed says what Reseal sealed.
type Resealed struct {
	Records, Changes, Secrets int
	// Compacted says the database's files were rewritten without the
	// space the plain text was in.
	Compacted bool
}

// resealBatch is how many rows Reseal seals in one transaction.
const resealBatch = 500

// Reseal seals what a register kept in plain text from before it was
// encrypted (KeyStatus counts it): every record's document, every
// change's state and every account's second factor, a few hundred rows a
// transaction, each sealed as it would be written now. Then it compacts
// the database (SQLite's VACUUM, PostgreSQL's VACUUM FULL) so that the
// pages the plain text was in are not left behind. progress, if not nil,
// is told how many rows are done. The audit log's search texts stay as
// they were: the log is append-only.
func (db *DB) Reseal(ctx context.Context, progress func(done int)) (r Resealed, err error) {
	defer wrap(&err, "seal what was in plain text")
	if db.keys == nil {
		return r, ErrLocked
	}
	plain := func(col string) string { return fmt.Sprintf(db.dialect.FirstByteHex, col) + ` <> '01'` }
	for _, step := range []struct {
		query string
		n     *int
		seal  func(ctx context.Context, tx *Tx, key, kind, id string, doc []byte) error
	}{
		{`SELECT id, kind, id, doc FROM entities WHERE ` + plain("doc") + ` LIMIT $1`, &r.Records,
			func(ctx context.Context, tx *Tx, key, kind, id string, doc []byte) error {
				sealed, err := tx.seal(ctx, habeas.Kind(kind), id, doc)
				if err == nil {
					_, err = tx.exec(ctx, `UPDATE entities SET doc = $1 WHERE id = $2`, sealed, key)
				}
				return err
			}},
		{`SELECT seq, kind, entity_id, data FROM changes WHERE data IS NOT NULL AND ` + plain("data") + ` LIMIT $1`, &r.Changes,
			func(ctx context.Context, tx *Tx, key, kind, id string, doc []byte) error {
				seq, err := strconv.ParseInt(key, 10, 64)
				if err != nil {
					return err
				}
				sealed, err := tx.seal(ctx, habeas.Kind(kind), id, doc)
				if err == nil {
					_, err = tx.exec(ctx, `UPDATE changes SET data = $1 WHERE seq = $2`, sealed, seq)
				}
				return err
			}},
		{`SELECT name, '', name, totp_secret FROM users WHERE totp_secret <> '' AND totp_secret NOT LIKE '` + sealedText + `%' LIMIT $1`, &r.Secrets,
			func(ctx context.Context, tx *Tx, key, _, _ string, secret []byte) error {
				sealed, err := db.sealText(accountsOwner, string(secret))
				if err == nil {
					_, err = tx.exec(ctx, `UPDATE users SET totp_secret = $1 WHERE name = $2`, sealed, key)
				}
				return err
			}},
	} {
		for {
			n, err := db.resealBatch(ctx, step.query, step.seal)
			if err != nil {
				return r, err
			}
			if n == 0 {
				break
			}
			*step.n += n
			if progress != nil {
				progress(r.Records + r.Changes + r.Secrets)
			}
		}
	}
	// From now on erasure can destroy all there is of a person.
	if _, err := db.db.ExecContext(ctx, `INSERT INTO keyring (name, value) VALUES ('resealed', '1') ON CONFLICT (name) DO NOTHING`); err != nil {
		return r, err
	}
	if r.Records+r.Changes+r.Secrets == 0 {
		return r, nil
	}
	compact := `VACUUM`
	if db.dialect.Name == "postgres" {
		compact = `VACUUM FULL entities, changes, users`
	}
	if _, err := db.db.ExecContext(ctx, compact); err != nil {
		return r, fmt.Errorf("compact the database: %w", err)
	}
	if err := db.shred(ctx); err != nil {
		return r, err
	}
	r.Compacted = true
	return r, nil
}

// resealBatch seals, in one transaction, up to resealBatch of the rows
// query selects (key, kind, id, value), and returns how many it sealed.
func (db *DB) resealBatch(ctx context.Context, query string, seal func(ctx context.Context, tx *Tx, key, kind, id string, value []byte) error) (int, error) {
	tx, err := db.begin(ctx)
	if err != nil {
		return 0, err
	}
	defer tx.Rollback()
	rows, err := tx.QueryContext(ctx, query, resealBatch)
	if err != nil {
		return 0, err
	}
	type row struct {
		key, kind, id string
		value         []byte
	}
	rs, err := collect(rows, func(rows *sql.Rows) (row, error) {
		var r row
		return r, rows.Scan(&r.key, &r.kind, &r.id, &r.value)
	})
	if err != nil {
		return 0, err
	}
	for _, r := range rs {
		if err := seal(ctx, tx, r.key, r.kind, r.id, r.value); err != nil {
			return 0, fmt.Errorf("seal %s: %w", strings.TrimSpace(r.key), err)
		}
	}
	return len(rs), tx.Commit()
}
