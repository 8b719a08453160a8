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
	u.ChangedAt = u.CreatedAt
	var n int
	if err := db.db.QueryRowContext(ctx, `SELECT count(*) FROM users WHERE name = $1`, u.Name).Scan(&n); err != nil {
		return err
	} else if n > 0 {
		return habeas.Errorf(habeas.ECONFLICT, "user %s already exists", u.Name)
	}
	_, err = db.db.ExecContext(ctx, `INSERT INTO users (name, role, password_hash, created_us, disabled, changed_us, lawyer_id, restricted)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
		u.Name, string(u.Role), u.PasswordHash, u.CreatedAt.UnixMicro(), boolInt(u.Disabled), u.ChangedAt.UnixMicro(), u.LawyerID, boolInt(u.Restricted))
	return err
}

// SetPassword implements habeas.UserService.
func (db *DB) SetPassword(ctx context.Context, name, hash string) (err error) {
	defer wrap(&err, "set password of %s", name)
	return db.changeUser(ctx, name, `password_hash = $1`, hash)
}

// SetRole implements habeas.UserService.
func (db *DB) SetRole(ctx context.Context, name string, role habeas.Role) (err error) {
	defer wrap(&err, "set role of %s", name)
	u := habeas.User{Name: name, Role: role, PasswordHash: "-"}
	if err := u.Validate(); err != nil {
		return err
	}
	return db.changeUser(ctx, name, `role = $1`, string(role))
}

// SetDisabled implements habeas.UserService.
func (db *DB) SetDisabled(ctx context.Context, name string, disabled bool) (err error) {
	defer wrap(&err, "set disabled of %s", name)
	return db.changeUser(ctx, name, `disabled = $1`, boolInt(disabled))
}

// SetLawyer implements habeas.UserService.
func (db *DB) SetLawyer(ctx context.Context, name, lawyerID string) (err error) {
	defer wrap(&err, "set lawyer of %s", name)
	return db.changeUser(ctx, name, `lawyer_id = $1`, lawyerID)
}

// SetRestricted implements habeas.UserService.
func (db *DB) SetRestricted(ctx context.Context, name string, granted bool) (err error) {
	defer wrap(&err, "set restricted of %s", name)
	return db.changeUser(ctx, name, `restricted = $1`, boolInt(granted))
}

// changeUser sets one column of an account (set names it as $1) and dates
// the change, which ends the account's sessions. The date moves forward
// even when the clock has not, so that two changes in one microsecond
// still differ.
func (db *DB) changeUser(ctx context.Context, name, set string, value any) error {
	now := db.Now().UnixMicro()
	res, err := db.db.ExecContext(ctx, `UPDATE users SET `+set+`,
		changed_us = CASE WHEN changed_us >= $2 THEN changed_us + 1 ELSE $2 END WHERE name = $3`, value, now, name)
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

// userColumns are the columns scanUser reads, in its order.
const userColumns = `name, role, password_hash, disabled, created_us, changed_us, totp_secret, lawyer_id, restricted`

func scanUser(row interface{ Scan(...any) error }) (*habeas.User, error) {
	u := &habeas.User{}
	var role string
	var disabled, restricted int
	var created, changed int64
	if err := row.Scan(&u.Name, &role, &u.PasswordHash, &disabled, &created, &changed, &u.TOTPSecret, &u.LawyerID, &restricted); err != nil {
		return nil, err
	}
	u.Role, u.Disabled, u.Restricted = habeas.Role(role), disabled != 0, restricted != 0
	u.CreatedAt, u.ChangedAt = time.UnixMicro(created).UTC(), time.UnixMicro(changed).UTC()
	return u, nil
}

// FindUser implements habeas.UserService.
func (db *DB) FindUser(ctx context.Context, name string) (_ *habeas.User, err error) {
	defer wrap(&err, "find user %s", name)
	u, err := scanUser(db.db.QueryRowContext(ctx, `SELECT `+userColumns+` FROM users WHERE name = $1`, name))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, habeas.Errorf(habeas.ENOTFOUND, "user %s not found", name)
	} else if err != nil {
		return nil, err
	}
	u.TOTPSecret, err = db.openText(accountsOwner, u.TOTPSecret)
	return u, err
}

// ListUsers implements habeas.UserService.
func (db *DB) ListUsers(ctx context.Context) (_ []*habeas.User, err error) {
	defer wrap(&err, "list users")
	rows, err := db.db.QueryContext(ctx, `SELECT `+userColumns+` FROM users ORDER BY name`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []*habeas.User
	for rows.Next() {
		u, err := scanUser(rows)
		if err != nil {
			return nil, err
		}
		if u.TOTPSecret, err = db.openText(accountsOwner, u.TOTPSecret); err != nil {
			return nil, err
		}
		out = append(out, u)
	}
	return out, rows.Err()
}

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}

// SetTOTP implements habeas.UserService.
func (db *DB) SetTOTP(ctx context.Context, name, secret string, recoveryHashes []string) (err error) {
	defer wrap(&err, "set the second factor of %s", name)
	tx, err := db.db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	var res sql.Result
	if secret == "" { // removed: the account's sessions end
		res, err = tx.ExecContext(ctx, `UPDATE users SET totp_secret = '', totp_step = 0,
			changed_us = CASE WHEN changed_us >= $1 THEN changed_us + 1 ELSE $1 END WHERE name = $2`, db.Now().UnixMicro(), name)
	} else {
		var sealed string
		if sealed, err = db.sealText(accountsOwner, secret); err != nil {
			return err
		}
		res, err = tx.ExecContext(ctx, `UPDATE users SET totp_secret = $1, totp_step = 0 WHERE name = $2`, sealed, name)
	}
	if err != nil {
		return err
	}
	if n, err := res.RowsAffected(); err != nil {
		return err
	} else if n == 0 {
		return habeas.Errorf(habeas.ENOTFOUND, "user %s not found", name)
	}
	if _, err := tx.ExecContext(ctx, `DELETE FROM recovery_codes WHERE user_name = $1`, name); err != nil {
		return err
	}
	for _, h := range recoveryHashes {
		if _, err := tx.ExecContext(ctx, `INSERT INTO recovery_codes (user_name, code_hash) VALUES ($1, $2)`, name, h); err != nil {
			return err
		}
	}
	return tx.Commit()
}

// UseTOTPStep implements habeas.UserService.
func (db *DB) UseTOTPStep(ctx context.Context, name string, step int64) (_ bool, err error) {
	defer wrap(&err, "use a code of %s", name)
	res, err := db.db.ExecContext(ctx, `UPDATE users SET totp_step = $1 WHERE name = $2 AND totp_step < $1`, step, name)
	if err != nil {
		return false, err
	}
	n, err := res.RowsAffected()
	return n == 1, err
}

// UseRecoveryCode implements habeas.UserService.
func (db *DB) UseRecoveryCode(ctx context.Context, name, hash string) (_ bool, err error) {
	defer wrap(&err, "use a recovery code of %s", name)
	res, err := db.db.ExecContext(ctx, `UPDATE recovery_codes SET used_us = $1 WHERE user_name = $2 AND code_hash = $3 AND used_us = 0`,
		db.Now().UnixMicro(), name, hash)
	if err != nil {
		return false, err
	}
	n, err := res.RowsAffected()
	return n == 1, err
}
