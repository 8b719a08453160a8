package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"time"

	"github.com/habeas-project/habeas"
)

// CreateToken implements habeas.TokenService.
func (db *DB) CreateToken(ctx context.Context, t *habeas.APIToken, hash string) (err error) {
	defer wrap(&err, "create token for %s", t.Owner)
	if t.Created.IsZero() {
		t.Created = db.Now().UTC()
	}
	_, err = db.db.ExecContext(ctx, `INSERT INTO api_tokens (id, token_hash, owner, role, label, created_us, expires_us) VALUES ($1, $2, $3, $4, $5, $6, $7)`,
		t.ID, hash, t.Owner, string(t.Role), t.Label, t.Created.UnixMicro(), t.Expires.UnixMicro())
	return err
}

const tokenColumns = `id, owner, role, label, created_us, expires_us, revoked_us`

func scanToken(row interface{ Scan(...any) error }) (*habeas.APIToken, error) {
	t := &habeas.APIToken{}
	var role string
	var created, expires, revoked int64
	if err := row.Scan(&t.ID, &t.Owner, &role, &t.Label, &created, &expires, &revoked); err != nil {
		return nil, err
	}
	t.Role = habeas.Role(role)
	t.Created, t.Expires = time.UnixMicro(created).UTC(), time.UnixMicro(expires).UTC()
	if revoked != 0 {
		t.Revoked = time.UnixMicro(revoked).UTC()
	}
	return t, nil
}

// FindToken implements habeas.TokenService.
func (db *DB) FindToken(ctx context.Context, hash string) (_ *habeas.APIToken, err error) {
	defer wrap(&err, "find token")
	t, err := scanToken(db.db.QueryRowContext(ctx, `SELECT `+tokenColumns+` FROM api_tokens WHERE token_hash = $1`, hash))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, habeas.Errorf(habeas.ENOTFOUND, "no such token")
	}
	return t, err
}

// ListTokens implements habeas.TokenService.
func (db *DB) ListTokens(ctx context.Context, owner string) (_ []*habeas.APIToken, err error) {
	defer wrap(&err, "list tokens of %s", owner)
	rows, err := db.db.QueryContext(ctx, `SELECT `+tokenColumns+` FROM api_tokens WHERE owner = $1 ORDER BY created_us DESC, id`, owner)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []*habeas.APIToken
	for rows.Next() {
		t, err := scanToken(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, t)
	}
	return out, rows.Err()
}

// RevokeToken implements habeas.TokenService.
func (db *DB) RevokeToken(ctx context.Context, owner, id string) (err error) {
	defer wrap(&err, "revoke token %s", id)
	res, err := db.db.ExecContext(ctx, `UPDATE api_tokens SET revoked_us = $1 WHERE owner = $2 AND id = $3 AND revoked_us = 0`,
		db.Now().UnixMicro(), owner, id)
	if err != nil {
		return err
	}
	if n, err := res.RowsAffected(); err != nil {
		return err
	} else if n == 0 {
		return habeas.Errorf(habeas.ENOTFOUND, "token %s not found", id)
	}
	return nil
}
