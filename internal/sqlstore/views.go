package sqlstore

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/base32"
	"errors"
	"strings"
	"time"

	"github.com/habeas-project/habeas"
)

// Saved views are kept in their own table, not in the change log: the log
// is the register of case data that exports, bundles and the ledger carry
// and that import replays, and a saved view is a user's preference. Who
// made a view and when is on its row; a delete keeps the row with who
// deleted it and when.

// newViewID returns a fresh random view identifier, "view_" and 16 letters
// or digits, as entity identifiers are made.
func newViewID() string {
	var b [10]byte
	rand.Read(b[:]) // never fails on supported platforms
	return "view_" + strings.ToLower(base32.StdEncoding.WithPadding(base32.NoPadding).EncodeToString(b[:]))
}

// CreateView implements habeas.ViewService.
func (db *DB) CreateView(ctx context.Context, v *habeas.SavedView) (err error) {
	defer wrap(&err, "create view %q", v.Name)
	v.Normalize()
	if err := v.Validate(); err != nil {
		return err
	}
	taken := func() error {
		var n int
		if err := db.db.QueryRowContext(ctx, `SELECT count(*) FROM saved_views WHERE owner = $1 AND name = $2 AND deleted_us = 0`, v.Owner, v.Name).Scan(&n); err != nil {
			return err
		} else if n > 0 {
			return habeas.Errorf(habeas.ECONFLICT, "you already have a view named %q", v.Name)
		}
		return nil
	}
	if err := taken(); err != nil {
		return err
	}
	shared := 0
	if v.Shared {
		shared = 1
	}
	v.ID = newViewID()
	v.CreatedAt = db.Now().UTC().Truncate(time.Microsecond)
	if _, err := db.db.ExecContext(ctx, `INSERT INTO saved_views (id, owner, name, query, shared, created_us) VALUES ($1, $2, $3, $4, $5, $6)`,
		v.ID, v.Owner, v.Name, v.Query, shared, v.CreatedAt.UnixMicro()); err != nil {
		if terr := taken(); terr != nil { // the same name saved at the same moment: the unique index refused it
			return terr
		}
		return err
	}
	return nil
}

const viewColumns = `id, owner, name, query, shared, created_us`

func scanView(row interface{ Scan(...any) error }) (*habeas.SavedView, error) {
	var v habeas.SavedView
	var shared int
	var created int64
	if err := row.Scan(&v.ID, &v.Owner, &v.Name, &v.Query, &shared, &created); err != nil {
		return nil, err
	}
	v.Shared = shared == 1
	v.CreatedAt = time.UnixMicro(created).UTC()
	return &v, nil
}

// FindViews implements habeas.ViewService.
func (db *DB) FindViews(ctx context.Context, user string) (_ []*habeas.SavedView, err error) {
	defer wrap(&err, "find views of %s", user)
	// Two index lookups, one per partial index, rather than an OR that
	// would read the table.
	rows, err := db.db.QueryContext(ctx, `SELECT `+viewColumns+` FROM saved_views WHERE owner = $1 AND deleted_us = 0
		UNION SELECT `+viewColumns+` FROM saved_views WHERE shared = 1 AND deleted_us = 0 ORDER BY 3, 2, 1`, user)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []*habeas.SavedView
	for rows.Next() {
		v, err := scanView(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, v)
	}
	return out, rows.Err()
}

// FindView implements habeas.ViewService.
func (db *DB) FindView(ctx context.Context, user, id string) (_ *habeas.SavedView, err error) {
	defer wrap(&err, "find view %s", id)
	v, err := scanView(db.db.QueryRowContext(ctx, `SELECT `+viewColumns+` FROM saved_views WHERE id = $1 AND deleted_us = 0`, id))
	if errors.Is(err, sql.ErrNoRows) || err == nil && v.Owner != user && !v.Shared {
		return nil, habeas.Errorf(habeas.ENOTFOUND, "view %s not found", id)
	}
	return v, err
}

// DeleteView implements habeas.ViewService.
func (db *DB) DeleteView(ctx context.Context, user, id string) (err error) {
	defer wrap(&err, "delete view %s", id)
	v, err := db.FindView(ctx, user, id)
	if err != nil {
		return err
	}
	if v.Owner != user {
		return habeas.Errorf(habeas.EFORBIDDEN, "only %s, who saved the view, may delete it", v.Owner)
	}
	_, err = db.db.ExecContext(ctx, `UPDATE saved_views SET deleted_us = $1, deleted_by = $2 WHERE id = $3 AND deleted_us = 0`,
		db.Now().UTC().UnixMicro(), user, id)
	return err
}
