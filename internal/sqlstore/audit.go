package sqlstore

import (
	"context"
	"database/sql"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/habeas-project/habeas"
)

// The audit log of reads lives in its own tables, audit_log and
// audit_records (migration 007_audit.sql), apart from the change log: it
// records reads, not changes to the register, so exports, bundles and
// import do not carry it. The tables are append-only: this file only ever
// inserts and selects, and triggers refuse UPDATE and DELETE whoever asks.

// AppendAccesses implements habeas.AuditService. It takes no writers'
// lock: accesses have their own sequence, so they never wait for a write
// to the register on PostgreSQL (SQLite has one writer at a time anyway).
func (db *DB) AppendAccesses(ctx context.Context, as []*habeas.Access) (err error) {
	defer wrap(&err, "append %d accesses", len(as))
	for _, a := range as {
		a.Normalize()
		if err := a.Validate(); err != nil {
			return err
		}
	}
	tx, err := db.db.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("begin: %w", err)
	}
	defer tx.Rollback()
	now := db.Now().UTC().Truncate(time.Microsecond)
	queries := make([]string, len(as)) // as stored: sealed in an encrypted register
	for i, a := range as {
		if queries[i], err = db.sealText(auditOwner, a.Query); err != nil {
			return err
		}
	}
	log, err := tx.PrepareContext(ctx, `INSERT INTO audit_log (at_us, actor, action, kind, record_id, query, client, item_count)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING seq`)
	if err != nil {
		return err
	}
	defer log.Close()
	var one *sql.Stmt // one record of an access, for SQLite
	for i, a := range as {
		a.At = now
		if err := log.QueryRowContext(ctx, now.UnixMicro(), a.Actor, string(a.Action), string(a.Kind), a.ID, queries[i], a.Client, a.Count).Scan(&a.Seq); err != nil {
			return fmt.Errorf("insert access: %w", err)
		}
		if len(a.Records) == 0 {
			continue
		}
		if !db.dialect.MultiRowInsert {
			if one == nil {
				if one, err = tx.PrepareContext(ctx, `INSERT INTO audit_records (seq, record_id) VALUES ($1, $2)`); err != nil {
					return err
				}
				defer one.Close()
			}
			for _, id := range a.Records {
				if _, err := one.ExecContext(ctx, a.Seq, id); err != nil {
					return fmt.Errorf("insert record of access: %w", err)
				}
			}
			continue
		}
		// On PostgreSQL each statement is a round trip: one per 500 records.
		for chunk := range slices.Chunk(a.Records, 500) {
			args := []any{a.Seq}
			rows := make([]string, len(chunk))
			for i, id := range chunk {
				args = append(args, id)
				rows[i] = "($1, $" + strconv.Itoa(len(args)) + ")"
			}
			if _, err := tx.ExecContext(ctx, `INSERT INTO audit_records (seq, record_id) VALUES `+strings.Join(rows, ", "), args...); err != nil {
				return fmt.Errorf("insert records of access: %w", err)
			}
		}
	}
	return tx.Commit()
}

// accessColumns are the columns scanAccess reads, in its order.
const accessColumns = `a.seq, a.at_us, a.actor, a.action, a.kind, a.record_id, a.query, a.client, a.item_count`

func scanAccess(row interface{ Scan(...any) error }) (*habeas.Access, error) {
	var a habeas.Access
	var at int64
	var action, kind string
	if err := row.Scan(&a.Seq, &at, &a.Actor, &action, &kind, &a.ID, &a.Query, &a.Client, &a.Count); err != nil {
		return nil, err
	}
	a.At, a.Action, a.Kind = time.UnixMicro(at).UTC(), habeas.AccessAction(action), habeas.Kind(kind)
	a.Records = []string{}
	return &a, nil
}

// FindAccesses implements habeas.AuditService. Each access's records come
// back in identifier order.
func (db *DB) FindAccesses(ctx context.Context, f habeas.AccessFilter) (_ []*habeas.Access, _ int, err error) {
	defer wrap(&err, "find accesses")
	w := &where{}
	if f.Actor != nil {
		w.add("a.actor = ?", *f.Actor)
	}
	if f.Action != nil {
		w.add("a.action = ?", string(*f.Action))
	}
	addRange(w, "a.at_us", micros(f.From), micros(f.To))
	if len(f.Records) > 0 {
		in(w, "a.seq IN (SELECT r.seq FROM audit_records r WHERE r.record_id IN (%s))", f.Records)
	}
	var total int
	if err := db.db.QueryRowContext(ctx, `SELECT count(*) FROM audit_log a`+w.String(), w.args...).Scan(&total); err != nil {
		return nil, 0, err
	}
	limit, offset := f.Bounds()
	n := len(w.args)
	rows, err := db.db.QueryContext(ctx, `SELECT `+accessColumns+` FROM audit_log a`+w.String()+
		` ORDER BY a.seq DESC LIMIT $`+strconv.Itoa(n+1)+` OFFSET $`+strconv.Itoa(n+2), append(w.args, limit, offset)...)
	if err != nil {
		return nil, 0, err
	}
	defer rows.Close()
	var out []*habeas.Access
	bySeq := map[int64]*habeas.Access{}
	for rows.Next() {
		a, err := scanAccess(rows)
		if err != nil {
			return nil, 0, err
		}
		out = append(out, a)
		bySeq[a.Seq] = a
	}
	if err := rows.Err(); err != nil {
		return nil, 0, err
	}
	rows.Close()
	for _, a := range out {
		if a.Query, err = db.openText(auditOwner, a.Query); err != nil {
			return nil, 0, err
		}
	}
	return out, total, db.accessRecords(ctx, out, bySeq)
}

// accessRecords fills in the records of each access, in one query per
// 500 accesses.
func (db *DB) accessRecords(ctx context.Context, as []*habeas.Access, bySeq map[int64]*habeas.Access) error {
	for chunk := range slices.Chunk(as, 500) {
		seqs := make([]int64, len(chunk))
		for i, a := range chunk {
			seqs[i] = a.Seq
		}
		w := &where{}
		in(w, "seq IN (%s)", seqs)
		rows, err := db.db.QueryContext(ctx, `SELECT seq, record_id FROM audit_records`+w.String()+` ORDER BY seq, record_id`, w.args...)
		if err != nil {
			return err
		}
		for rows.Next() {
			var seq int64
			var id string
			if err := rows.Scan(&seq, &id); err != nil {
				rows.Close()
				return err
			}
			if a := bySeq[seq]; a != nil {
				a.Records = append(a.Records, id)
			}
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
	}
	return nil
}

// CountReads implements habeas.AuditService.
func (db *DB) CountReads(ctx context.Context, actor string, since time.Time) (n int, err error) {
	defer wrap(&err, "count the reads of %s", actor)
	w := &where{}
	w.add("a.actor = ?", actor)
	w.add("a.at_us >= ?", since.UnixMicro())
	actions := make([]string, len(habeas.ReadActions))
	for i, a := range habeas.ReadActions {
		actions[i] = string(a)
	}
	in(w, "a.action IN (%s)", actions)
	err = db.db.QueryRowContext(ctx, `SELECT count(DISTINCT r.record_id) FROM audit_log a JOIN audit_records r ON r.seq = a.seq`+w.String(), w.args...).Scan(&n)
	return n, err
}
