package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"time"

	"github.com/habeas-project/habeas"
)

// CreateUser implements habeas.UserService.
func (db *DB) CreateUser(ctx context.Context, u *habeas.User) (err error) {
	defer wrap(&err, "create user %s", u.Name)
	if err := u.Validate(); err != nil {
		return err
	}
	if u.CreatedAt.IsZero() {
		u.CreatedAt = db.Now().UTC()
	}
	var n int
	if err := db.db.QueryRowContext(ctx, `SELECT count(*) FROM users WHERE name = $1`, u.Name).Scan(&n); err != nil {
		return err
	} else if n > 0 {
		return habeas.Errorf(habeas.ECONFLICT, "user %s already exists", u.Name)
	}
	_, err = db.db.ExecContext(ctx, `INSERT INTO users (name, role, password_hash, created_us) VALUES ($1, $2, $3, $4)`,
		u.Name, string(u.Role), u.PasswordHash, u.CreatedAt.UnixMicro())
	return err
}

// SetPassword implements habeas.UserService.
func (db *DB) SetPassword(ctx context.Context, name, hash string) (err error) {
	defer wrap(&err, "set password of %s", name)
	res, err := db.db.ExecContext(ctx, `UPDATE users SET password_hash = $1 WHERE name = $2`, hash, name)
	if err != nil {
		return err
	}
	if n, err := res.RowsAffected(); err != nil {
		return err
	} else if n == 0 {
		return habeas.Errorf(habeas.ENOTFOUND, "user %s not found", name)
	}
	return nil
}

// FindUser implements habeas.UserService.
func (db *DB) FindUser(ctx context.Context, name string) (_ *habeas.User, err error) {
	defer wrap(&err, "find user %s", name)
	u := &habeas.User{Name: name}
	var role string
	var created int64
	err = db.db.QueryRowContext(ctx, `SELECT role, password_hash, created_us FROM users WHERE name = $1`, name).Scan(&role, &u.PasswordHash, &created)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, habeas.Errorf(habeas.ENOTFOUND, "user %s not found", name)
	} else if err != nil {
		return nil, err
	}
	u.Role = habeas.Role(role)
	u.CreatedAt = time.UnixMicro(created).UTC()
	return u, nil
}
