package sqlstore

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"errors"
	"sync"
	"time"

	"github.com/habeas-project/habeas"
	"github.com/habeas-project/habeas/internal/vault"
)

// Sessions is the session store in the database (an scs.CtxStore), and the
// listing and ending of an account's sessions (habeas.SessionService).
// A session is kept under the SHA-256 of its token, so a copy of the
// database gives no one a session; with the account it belongs to, read
// from the session's data, so that an account's sessions can be listed
// and ended.
type Sessions struct {
	db     *DB
	userOf func(data []byte) string // the account a session's data is of
	period time.Duration

	mu    sync.Mutex
	swept time.Time
}

// Sessions returns the session store of db. userOf reads the signed-in
// account's name from a session's data ("" for none): the store does not
// know how the session manager encodes it (web.SessionUser does).
func (db *DB) Sessions(userOf func(data []byte) string) *Sessions {
	return &Sessions{db: db, userOf: userOf, period: time.Minute}
}

// hashToken is what the table keeps of a token.
func hashToken(token string) string {
	h := sha256.Sum256([]byte(token))
	return hex.EncodeToString(h[:])
}

// FindCtx implements scs.CtxStore.
func (s *Sessions) FindCtx(ctx context.Context, token string) ([]byte, bool, error) {
	var data []byte
	hash := hashToken(token)
	err := s.db.db.QueryRowContext(ctx, `SELECT data FROM sessions WHERE token_hash = $1 AND expiry_us > $2`,
		hash, s.db.Now().UnixMicro()).Scan(&data)
	if err == nil && s.db.keys != nil {
		// Sealed under the sessions' key, bound to the session; one that
		// does not open (written before encryption) is no session.
		if data, err = vault.Open(s.db.keys.pinned[sessionsOwner], []byte(hash), data); err != nil {
			return nil, false, nil
		}
	}
	if errors.Is(err, sql.ErrNoRows) {
		return nil, false, nil
	}
	return data, err == nil, err
}

// CommitCtx implements scs.CtxStore. Expired sessions are swept at most
// once a period, while committing.
func (s *Sessions) CommitCtx(ctx context.Context, token string, data []byte, expiry time.Time) error {
	now := s.db.Now()
	s.mu.Lock()
	sweep := now.Sub(s.swept) > s.period
	if sweep {
		s.swept = now
	}
	s.mu.Unlock()
	if sweep {
		if _, err := s.db.db.ExecContext(ctx, `DELETE FROM sessions WHERE expiry_us <= $1`, now.UnixMicro()); err != nil {
			return err
		}
	}
	user := s.userOf(data)
	hash := hashToken(token)
	if s.db.keys != nil {
		// A session holds what a sign-in is in the middle of, such as a
		// second factor being enrolled: sealed, like the records.
		data = vault.Seal(s.db.keys.pinned[sessionsOwner], []byte(hash), data)
	} else if s.db.locked {
		return ErrLocked
	}
	_, err := s.db.db.ExecContext(ctx, `INSERT INTO sessions (token_hash, user_name, data, created_us, expiry_us) VALUES ($1, $2, $3, $4, $5)
		ON CONFLICT (token_hash) DO UPDATE SET user_name = excluded.user_name, data = excluded.data, expiry_us = excluded.expiry_us`,
		hash, user, data, now.UnixMicro(), expiry.UnixMicro())
	return err
}

// DeleteCtx implements scs.CtxStore.
func (s *Sessions) DeleteCtx(ctx context.Context, token string) error {
	_, err := s.db.db.ExecContext(ctx, `DELETE FROM sessions WHERE token_hash = $1`, hashToken(token))
	return err
}

// Find implements scs.Store.
func (s *Sessions) Find(token string) ([]byte, bool, error) {
	return s.FindCtx(context.Background(), token)
}

// Commit implements scs.Store.
func (s *Sessions) Commit(token string, data []byte, expiry time.Time) error {
	return s.CommitCtx(context.Background(), token, data, expiry)
}

// Delete implements scs.Store.
func (s *Sessions) Delete(token string) error { return s.DeleteCtx(context.Background(), token) }

// ListSessions implements habeas.SessionService.
func (s *Sessions) ListSessions(ctx context.Context, user string) (_ []habeas.Session, err error) {
	defer wrap(&err, "list sessions of %s", user)
	rows, err := s.db.db.QueryContext(ctx, `SELECT token_hash, created_us, expiry_us FROM sessions
		WHERE user_name = $1 AND expiry_us > $2 ORDER BY created_us DESC`, user, s.db.Now().UnixMicro())
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []habeas.Session
	for rows.Next() {
		var hash string
		var created, expiry int64
		if err := rows.Scan(&hash, &created, &expiry); err != nil {
			return nil, err
		}
		out = append(out, habeas.Session{ID: hash[:16], User: user, Created: time.UnixMicro(created).UTC(), Expiry: time.UnixMicro(expiry).UTC()})
	}
	return out, rows.Err()
}

// EndSessions implements habeas.SessionService.
func (s *Sessions) EndSessions(ctx context.Context, user, id string) (n int, err error) {
	defer wrap(&err, "end sessions of %s", user)
	q, args := `DELETE FROM sessions WHERE user_name = $1`, []any{user}
	if id != "" {
		if len(id) != 16 {
			return 0, habeas.Errorf(habeas.ENOTFOUND, "session %s not found", id)
		}
		q, args = q+` AND substr(token_hash, 1, 16) = $2`, append(args, id)
	}
	res, err := s.db.db.ExecContext(ctx, q, args...)
	if err != nil {
		return 0, err
	}
	m, err := res.RowsAffected()
	return int(m), err
}
