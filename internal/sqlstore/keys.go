package sqlstore

import (
	"context"
	"database/sql"
	"encoding/base64"
	"encoding/binary"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/habeas-project/habeas"
	"github.com/habeas-project/habeas/internal/vault"
)

// Encryption at rest (issue 13). Every record's document and every
// change's state is sealed (vault.Seal) under the data key of its owner
// before it is stored, and opened after it is read, here and nowhere
// else:
//
//   - a person, and the detentions, casualties and evidence about them,
//     under the person's key, so that destroying it will erase all of
//     them and their history at once (crypto-shredding, still to come);
//   - any other record under a key of its own: a source (so that one can
//     be erased alone), a lawyer, an investigation...
//
// A sealed value is laid out as vault.SealRecord says (its owner's
// identifier, then the document sealed with the record's kind,
// identifier and owner as associated data). A document stored before the
// register was encrypted is JSON, which starts with '{': it is read as it
// is.
//
// Data keys are stored wrapped under the master key (data_keys); the
// master key itself never is, only its check (keyring). Unwrapped keys
// are kept in memory, a bounded number.

const sealedV1 = vault.SealedV1

// maxCachedKeys bounds the unwrapped data keys kept in memory: about 100
// bytes each.
const maxCachedKeys = 1 << 17

// keyring holds the master key of an unlocked register and the data keys
// unwrapped so far.
type keyring struct {
	master *vault.Master
	iin    *vault.Blinder // the blind index of IINs in person_index
	files  *vault.Blinder // the addresses of evidence files (files.go)
	// pinned are the keys of the audit log's texts and of the accounts'
	// second factors: read at unlock, never evicted, so that no query is
	// needed to open them while another query's rows are being read.
	pinned map[string]vault.Key
	// legacy says the register was written in plain text before it was
	// encrypted: values not sealed are read as they are, not refused.
	legacy bool
	mu     sync.RWMutex
	cache  map[string]vault.Key
	// erased are owners whose data keys erasures destroyed (erase.go);
	// erasuresSeq is the last erasure seen, erasuresAt when it was
	// looked for (refreshErasures).
	erased      map[string]bool
	erasuresSeq int64
	erasuresAt  atomic.Int64 // Unix nanoseconds; read without the lock, on every key looked up
}

// ErrUnsealed is a value stored unsealed in a register encrypted from its
// start: not written by Habeas, but by someone writing the database.
var ErrUnsealed = errors.New("a value stored in plain text in a register encrypted from its start: it was not written by Habeas")

// ErrRotated is the failure to make a data key after another process
// rotated the register's master key: this one must start again with the
// new key.
var ErrRotated = errors.New("the register's master key was rotated since this server started: start it again with the new key")

// ErrLocked is the failure to read or write an encrypted register that
// was opened without its key.
var ErrLocked = errors.New("the register is encrypted: open it with its key (--key-file, HABEAS_KEY_FILE, or its passphrase)")

// Locked reports whether the register is encrypted and not unlocked.
func (db *DB) Locked() bool { return db.locked }

// Unlocked reports whether the register is encrypted and unlocked.
func (db *DB) Unlocked() bool { return db.keys != nil }

// KeyMode says how a register's master key is kept: "" for a register not
// encrypted (yet), "file" for a key file, "passphrase" for a key derived
// from a passphrase.
type KeyMode struct {
	Mode   string
	Salt   []byte       // passphrase only
	Params vault.Params // passphrase only
}

// Keyed returns how the register's master key is kept.
func (db *DB) Keyed(ctx context.Context) (KeyMode, error) {
	rows, err := db.db.QueryContext(ctx, `SELECT name, value FROM keyring`)
	if err != nil {
		return KeyMode{}, fmt.Errorf("read keyring: %w", err)
	}
	defer rows.Close()
	var km KeyMode
	for rows.Next() {
		var name, value string
		if err := rows.Scan(&name, &value); err != nil {
			return KeyMode{}, err
		}
		switch name {
		case "mode":
			km.Mode = value
		case "salt":
			if km.Salt, err = hex.DecodeString(value); err != nil {
				return KeyMode{}, fmt.Errorf("keyring salt: %w", err)
			}
		case "params":
			if err := json.Unmarshal([]byte(value), &km.Params); err != nil {
				return KeyMode{}, fmt.Errorf("keyring params: %w", err)
			}
		}
	}
	return km, rows.Err()
}

// Unlock opens the register with its master key: from now on records are
// sealed as they are written and opened as they are read. A register not
// encrypted yet is encrypted from now on under m, which km says how to
// find again (its Mode "file" or "passphrase", with the salt and costs);
// an encrypted one must have been encrypted under m, or Unlock fails and
// the register stays locked.
func (db *DB) Unlock(ctx context.Context, m *vault.Master, km KeyMode) (err error) {
	defer wrap(&err, "unlock")
	var check string
	err = db.db.QueryRowContext(ctx, `SELECT value FROM keyring WHERE name = 'check'`).Scan(&check)
	fresh := errors.Is(err, sql.ErrNoRows)
	if fresh {
		// Two servers may start on a new register at once: the first to
		// record its key's check wins, and the other is then held to it.
		if fresh, err = db.claimKeyring(ctx, m, km); err != nil {
			return err
		}
		if !fresh {
			err = db.db.QueryRowContext(ctx, `SELECT value FROM keyring WHERE name = 'check'`).Scan(&check)
		}
	}
	if err != nil {
		return err
	}
	if !fresh {
		b, err := hex.DecodeString(check)
		if err != nil || !m.Matches(b) {
			return fmt.Errorf("this is not the register's key: the register was encrypted under key %s, this is key %s", check[:min(8, len(check))], m.ID())
		}
	}
	db.keys = &keyring{master: m, cache: map[string]vault.Key{}, pinned: map[string]vault.Key{}, erased: map[string]bool{}}
	db.locked = false
	for _, owner := range []string{auditOwner, accountsOwner, indexOwner, sessionsOwner, erasedOwner, vaultOwner} {
		dk, err := db.ensureKey(ctx, owner)
		if err != nil {
			db.keys, db.locked = nil, true
			return err
		}
		db.keys.pinned[owner] = dk
	}
	db.keys.iin = vault.NewBlinder(db.keys.pinned[indexOwner], "iin")
	db.keys.files = vault.NewBlinder(db.keys.pinned[vaultOwner], "file")
	var legacy int
	if err := db.db.QueryRowContext(ctx, `SELECT count(*) FROM keyring WHERE name = 'legacy'`).Scan(&legacy); err != nil {
		db.keys, db.locked = nil, true
		return err
	}
	db.keys.legacy = legacy > 0
	if fresh {
		// A register written before encryption: its search index loses
		// the names and IINs it kept in plain text.
		return db.blindPersonIndex(ctx)
	}
	return nil
}

// auditOwner owns the data key that seals what the audit log keeps of
// searches and lists: what was typed, which shows who looked for whom.
// accountsOwner's seals the accounts' second factors.
// indexOwner's keys the blind index of IINs: a data key, so that a
// rotation of the master key leaves the index valid and the old master
// key unable to recompute it.
const (
	auditOwner    = "audit-log"
	accountsOwner = "accounts"
	indexOwner    = "blind-index"
	sessionsOwner = "sessions" // what sessions hold: a sign-in under way, a second factor being enrolled
)

// ensureKey returns owner's data key, made if it has none.
func (db *DB) ensureKey(ctx context.Context, owner string) (vault.Key, error) {
	if dk, err := db.dataKey(ctx, db.db, owner); !errors.Is(err, errNoKey) {
		return dk, err
	}
	tx, err := db.begin(ctx)
	if err != nil {
		return vault.Key{}, err
	}
	defer tx.Rollback()
	dk, err := tx.dataKey(ctx, owner)
	if err != nil {
		return vault.Key{}, err
	}
	return dk, tx.Commit()
}

// sealedText starts a text column's sealed value.
const sealedText = "sealed1:"

// sealText returns what is stored of a text kept in a column of its own
// (an audit log's search, a second factor's secret): sealed under owner's
// pinned key, in base64; the text itself in a register not encrypted.
func (db *DB) sealText(owner, plain string) (string, error) {
	if plain == "" || db.keys == nil {
		if db.locked {
			return "", ErrLocked
		}
		return plain, nil
	}
	return sealedText + base64.RawStdEncoding.EncodeToString(vault.Seal(db.keys.pinned[owner], []byte(owner), []byte(plain))), nil
}

// openText returns a text sealText stored.
func (db *DB) openText(owner, stored string) (string, error) {
	rest, ok := strings.CutPrefix(stored, sealedText)
	if !ok {
		if stored != "" && db.keys != nil && !db.keys.legacy {
			return "", ErrUnsealed
		}
		return stored, nil
	}
	if db.keys == nil {
		return "", ErrLocked
	}
	b, err := base64.RawStdEncoding.DecodeString(rest)
	if err != nil {
		return "", fmt.Errorf("a damaged sealed text: %w", err)
	}
	plain, err := vault.Open(db.keys.pinned[owner], []byte(owner), b)
	return string(plain), err
}

// blindIIN is what person_index keeps of an IIN: its blind index in an
// encrypted register, the IIN itself in one not encrypted; "" for none.
func (db *DB) blindIIN(iin habeas.IIN) string {
	if iin == "" || db.keys == nil {
		return string(iin)
	}
	return db.keys.iin.Sum(string(iin))
}

// blindPersonIndex replaces the names and IINs person_index kept in plain
// text, before the register was encrypted, with nothing and blind
// indexes.
func (db *DB) blindPersonIndex(ctx context.Context) error {
	tx, err := db.begin(ctx)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	rows, err := tx.QueryContext(ctx, `SELECT id, iin FROM person_index WHERE iin <> '' OR name_fold <> '' OR name_keys <> ''`)
	if err != nil {
		return fmt.Errorf("read person_index: %w", err)
	}
	type row struct{ id, iin string }
	rs, err := collect(rows, func(rows *sql.Rows) (row, error) {
		var r row
		return r, rows.Scan(&r.id, &r.iin)
	})
	if err != nil {
		return err
	}
	for _, r := range rs {
		if _, err := tx.exec(ctx, `UPDATE person_index SET name_fold = '', name_keys = '', iin = $1 WHERE id = $2`,
			db.blindIIN(habeas.IIN(r.iin)), r.id); err != nil {
			return fmt.Errorf("blind person_index: %w", err)
		}
	}
	return tx.Commit()
}

// claimKeyring records the check of m and how it is kept, in one
// transaction, if no key has been recorded yet; it reports whether it did.
func (db *DB) claimKeyring(ctx context.Context, m *vault.Master, km KeyMode) (bool, error) {
	tx, err := db.db.BeginTx(ctx, nil)
	if err != nil {
		return false, err
	}
	defer tx.Rollback()
	res, err := tx.ExecContext(ctx, `INSERT INTO keyring (name, value) VALUES ('check', $1) ON CONFLICT (name) DO NOTHING`, hex.EncodeToString(m.Check()))
	if err != nil {
		return false, fmt.Errorf("write keyring: %w", err)
	}
	if n, err := res.RowsAffected(); err != nil || n == 0 {
		return false, err
	}
	// A register that holds data keys but lost its keyring is claimed
	// only by the key its data keys were wrapped under.
	var owner string
	var wrapped []byte
	switch err := tx.QueryRowContext(ctx, `SELECT owner, wrapped FROM data_keys LIMIT 1`).Scan(&owner, &wrapped); {
	case err == nil:
		if _, err := m.Unwrap(wrapped, owner); err != nil {
			return false, fmt.Errorf("this is not the register's key: its data keys do not open under key %s", m.ID())
		}
	case !errors.Is(err, sql.ErrNoRows):
		return false, err
	}
	if err := db.setKeyring(ctx, tx, m, km); err != nil {
		return false, err
	}
	// What was written before, in plain text, stays readable; in a
	// register encrypted from its start, a value not sealed was not
	// written by Habeas and is refused (open).
	var before int
	if err := tx.QueryRowContext(ctx, `SELECT (SELECT count(*) FROM changes) + (SELECT count(*) FROM users)`).Scan(&before); err != nil {
		return false, err
	}
	if before > 0 {
		if _, err := tx.ExecContext(ctx, `INSERT INTO keyring (name, value) VALUES ('legacy', '1')`); err != nil {
			return false, err
		}
	}
	return true, tx.Commit()
}

// setKeyring records the check of m and how it is kept.
func (db *DB) setKeyring(ctx context.Context, q interface {
	ExecContext(context.Context, string, ...any) (sql.Result, error)
}, m *vault.Master, km KeyMode) error {
	if km.Mode != "file" && km.Mode != "passphrase" {
		return fmt.Errorf("sqlstore: key mode %q", km.Mode)
	}
	params, err := json.Marshal(km.Params)
	if err != nil {
		return err
	}
	if _, err := q.ExecContext(ctx, `DELETE FROM keyring WHERE name NOT IN ('legacy', 'resealed')`); err != nil {
		return err
	}
	for name, value := range map[string]string{"check": hex.EncodeToString(m.Check()), "mode": km.Mode,
		"salt": hex.EncodeToString(km.Salt), "params": string(params)} {
		if _, err := q.ExecContext(ctx, `INSERT INTO keyring (name, value) VALUES ($1, $2)`, name, value); err != nil {
			return fmt.Errorf("write keyring: %w", err)
		}
	}
	return nil
}

// KeyStatus is how a register is encrypted, for `habeas key status`.
type KeyStatus struct {
	Mode     string // as KeyMode
	KeyID    string // the start of the master key's check
	DataKeys int
	// PlainRecords and PlainChanges count what was written before the
	// register was encrypted, and is stored as it was.
	PlainRecords, PlainChanges int
}

// KeyStatus returns how the register is encrypted.
func (db *DB) KeyStatus(ctx context.Context) (st KeyStatus, err error) {
	defer wrap(&err, "key status")
	km, err := db.Keyed(ctx)
	if err != nil {
		return st, err
	}
	st.Mode = km.Mode
	var check string
	if err := db.db.QueryRowContext(ctx, `SELECT value FROM keyring WHERE name = 'check'`).Scan(&check); err == nil {
		st.KeyID = check[:min(8, len(check))]
	}
	plain := func(col string) string { return fmt.Sprintf(db.dialect.FirstByteHex, col) + ` <> '01'` }
	for _, q := range []struct {
		sql string
		n   *int
	}{
		{`SELECT count(*) FROM data_keys`, &st.DataKeys},
		{`SELECT count(*) FROM entities WHERE ` + plain("doc"), &st.PlainRecords},
		{`SELECT count(*) FROM changes WHERE data IS NOT NULL AND ` + plain("data"), &st.PlainChanges},
	} {
		if err := db.db.QueryRowContext(ctx, q.sql).Scan(q.n); err != nil {
			return st, err
		}
	}
	return st, nil
}

// Rotate rewraps every data key under the new master key, in one
// transaction, and records the new key's check: the records stay as they
// are, and only next (and what km says of it) opens the register after.
// The register must be unlocked with its current key.
func (db *DB) Rotate(ctx context.Context, next *vault.Master, km KeyMode) (n int, err error) {
	defer wrap(&err, "rotate the master key")
	if db.keys == nil {
		return 0, ErrLocked
	}
	tx, err := db.begin(ctx)
	if err != nil {
		return 0, err
	}
	defer tx.Rollback()
	rows, err := tx.QueryContext(ctx, `SELECT owner, wrapped FROM data_keys`)
	if err != nil {
		return 0, err
	}
	all, err := collect(rows, scanWrapped)
	if err != nil {
		return 0, err
	}
	for _, k := range all {
		dk, err := db.keys.master.Unwrap(k.wrapped, k.owner)
		if err != nil {
			return 0, err
		}
		if _, err := tx.exec(ctx, `UPDATE data_keys SET wrapped = $1 WHERE owner = $2`, next.Wrap(dk, k.owner), k.owner); err != nil {
			return 0, err
		}
	}
	if err := db.setKeyring(ctx, tx.Tx, next, km); err != nil {
		return 0, err
	}
	if err := tx.Tx.Commit(); err != nil {
		return 0, err
	}
	db.keys.mu.Lock()
	db.keys.master = next
	db.keys.mu.Unlock()
	return len(all), nil
}

// wrappedKey is a row of data_keys.
type wrappedKey struct {
	owner   string
	wrapped []byte
}

func scanWrapped(rows *sql.Rows) (wrappedKey, error) {
	var k wrappedKey
	return k, rows.Scan(&k.owner, &k.wrapped)
}

// ownerOf returns whose data key seals a record: the person's, for a
// person and for what is about one person (a detention, a casualty,
// evidence about a person); the record's own otherwise.
func ownerOf(k habeas.Kind, id string, doc []byte) string {
	switch k {
	case habeas.KindDetention, habeas.KindCasualty, habeas.KindEvidence:
		var of struct {
			PersonID string `json:"person_id"`
		}
		if json.Unmarshal(doc, &of) == nil && of.PersonID != "" {
			return of.PersonID
		}
	}
	return id
}

// associated is the associated data of a record's sealed value.
func associated(k habeas.Kind, id, owner string) []byte { return vault.RecordAD(string(k), id, owner) }

// seal returns what is stored of a record's document: sealed under its
// owner's data key, which is made in this transaction if the owner has
// none yet; the document as it is in a register not encrypted.
func (tx *Tx) seal(ctx context.Context, k habeas.Kind, id string, doc []byte) ([]byte, error) {
	return tx.sealAs(ctx, k, id, ownerOf(k, id, doc), doc)
}

// sealAs returns what is stored of a record's document sealed under
// owner's data key.
func (tx *Tx) sealAs(ctx context.Context, k habeas.Kind, id, owner string, doc []byte) ([]byte, error) {
	db := tx.db
	if db.keys == nil {
		if db.locked {
			return nil, ErrLocked
		}
		return doc, nil
	}
	dk, err := tx.dataKey(ctx, owner)
	if err != nil {
		return nil, err
	}
	return vault.SealRecord(dk, string(k), id, owner, doc), nil
}

// dataKey returns the owner's data key, making it if it has none.
func (tx *Tx) dataKey(ctx context.Context, owner string) (vault.Key, error) {
	if dk, ok := tx.newKeys[owner]; ok {
		return dk, nil
	}
	dk, err := tx.db.dataKey(ctx, tx, owner)
	if !errors.Is(err, errNoKey) {
		return dk, err
	}
	// No key is made again for an owner whose key an erasure destroyed:
	// nothing more is recorded about an erased person.
	if gone, err := tx.db.isErased(ctx, tx, owner); err != nil {
		return vault.Key{}, err
	} else if gone {
		return vault.Key{}, habeas.Errorf(habeas.ECONFLICT, "%s was erased: nothing more can be recorded about them", owner)
	}
	// A key is wrapped under the register's master key as it is now: if
	// another process rotated it since this one unlocked, a key wrapped
	// under the old one would be lost to the new (writers are serialized,
	// so the check holds until this transaction commits).
	m := tx.db.keys.currentMaster()
	var check string
	if err := tx.queryRow(ctx, `SELECT value FROM keyring WHERE name = 'check'`).Scan(&check); err != nil {
		return vault.Key{}, fmt.Errorf("read the keyring: %w", err)
	}
	if b, err := hex.DecodeString(check); err != nil || !m.Matches(b) {
		return vault.Key{}, ErrRotated
	}
	dk = vault.NewDataKey()
	if _, err := tx.exec(ctx, `INSERT INTO data_keys (owner, wrapped, created_us) VALUES ($1, $2, $3)`,
		owner, m.Wrap(dk, owner), tx.now.UnixMicro()); err != nil {
		return vault.Key{}, fmt.Errorf("store the data key of %s: %w", owner, err)
	}
	if tx.newKeys == nil {
		tx.newKeys = map[string]vault.Key{}
	}
	tx.newKeys[owner] = dk
	return dk, nil
}

// Commit commits the transaction, then keeps the data keys it made and
// the ledger hashes it wrote.
func (tx *Tx) Commit() error {
	if err := tx.writeHashes(context.Background()); err != nil {
		return err
	}
	if err := tx.Tx.Commit(); err != nil {
		return err
	}
	if tx.db.keys != nil {
		for owner, dk := range tx.newKeys {
			tx.db.keys.put(owner, dk)
		}
		tx.db.keys.forget(tx.destroyed...)
	}
	if len(tx.hashes) <= maxCachedHashes/4 { // a large import's would only push the tree's edge out
		for i, h := range tx.hashes {
			tx.db.hashes.put(i, h)
		}
	}
	return nil
}

// errNoKey says an owner has no data key: none was made yet, or it was
// destroyed.
var errNoKey = errors.New("no data key")

// dataKey returns the owner's data key, from memory or, unwrapped, from
// the store through q.
func (db *DB) dataKey(ctx context.Context, q querier, owner string) (vault.Key, error) {
	if err := db.refreshErasures(ctx, q, false); err != nil {
		return vault.Key{}, err
	}
	if dk, ok := db.keys.get(owner); ok {
		return dk, nil
	}
	if db.keys.isErased(owner) {
		return vault.Key{}, errNoKey
	}
	var wrapped []byte
	err := q.QueryRowContext(ctx, `SELECT wrapped FROM data_keys WHERE owner = $1`, owner).Scan(&wrapped)
	if errors.Is(err, sql.ErrNoRows) {
		return vault.Key{}, errNoKey
	} else if err != nil {
		return vault.Key{}, fmt.Errorf("read the data key of %s: %w", owner, err)
	}
	db.keys.mu.RLock()
	m := db.keys.master
	db.keys.mu.RUnlock()
	dk, err := m.Unwrap(wrapped, owner)
	if err != nil {
		return vault.Key{}, err
	}
	db.keys.put(owner, dk)
	return dk, nil
}

// currentMaster returns the master key, which Rotate may replace.
func (k *keyring) currentMaster() *vault.Master {
	k.mu.RLock()
	defer k.mu.RUnlock()
	return k.master
}

func (k *keyring) get(owner string) (vault.Key, bool) {
	k.mu.RLock()
	dk, ok := k.cache[owner]
	k.mu.RUnlock()
	return dk, ok
}

func (k *keyring) put(owner string, dk vault.Key) {
	k.mu.Lock()
	if len(k.cache) >= maxCachedKeys {
		for o := range k.cache { // map order: a random one goes
			delete(k.cache, o)
			break
		}
	}
	k.cache[owner] = dk
	k.mu.Unlock()
}

// open returns a record's document from what is stored of it, reading
// its owner's data key through q (a transaction sees the keys it made).
func (db *DB) open(ctx context.Context, q querier, k habeas.Kind, id string, stored []byte) ([]byte, error) {
	if len(stored) == 0 || stored[0] != sealedV1 {
		if db.keys != nil && !db.keys.legacy {
			return nil, fmt.Errorf("%s %s: %w", k, id, ErrUnsealed)
		}
		return stored, nil // written before the register was encrypted
	}
	if db.keys == nil {
		return nil, ErrLocked
	}
	owner, body, err := splitSealed(stored)
	if err != nil {
		return nil, fmt.Errorf("%s %s: %w", k, id, err)
	}
	var dk vault.Key
	if tx, ok := q.(*Tx); ok && tx.newKeys != nil {
		if key, made := tx.newKeys[owner]; made {
			dk = key
		} else {
			dk, err = db.dataKey(ctx, q, owner)
		}
	} else {
		dk, err = db.dataKey(ctx, q, owner)
	}
	if errors.Is(err, errNoKey) {
		if gone, err := db.isErased(ctx, q, owner); err != nil {
			return nil, err
		} else if gone {
			db.keys.forget(owner)
			return nil, fmt.Errorf("%s %s: %w", k, id, errErased)
		}
		return nil, fmt.Errorf("%s %s: the data key of %s is gone", k, id, owner)
	} else if err != nil {
		return nil, err
	}
	doc, err := vault.Open(dk, associated(k, id, owner), body)
	if err != nil {
		return nil, fmt.Errorf("%s %s: %w", k, id, err)
	}
	return doc, nil
}

// splitSealed returns the owner a sealed value names and the sealed
// bytes after it.
func splitSealed(stored []byte) (owner string, body []byte, err error) {
	return vault.SplitRecord(stored)
}

// sealedRow is a record as a query returns it, not yet opened.
type sealedRow struct {
	kind   habeas.Kind
	id     string
	stored []byte
}

// readSealed reads every row of (id, doc) and closes rows. The records
// are opened after, since opening may read a data key and a connection (a
// transaction's, PostgreSQL's) serves one query at a time.
func readSealed(rows *sql.Rows, k habeas.Kind) ([]sealedRow, error) {
	return collect(rows, func(rows *sql.Rows) (sealedRow, error) {
		r := sealedRow{kind: k}
		return r, rows.Scan(&r.id, &r.stored)
	})
}

// collect reads every row with scan and closes rows. Code that queries
// again for each row (a data key, an update) does so after: a
// connection (a transaction's, PostgreSQL's) serves one query at a time.
func collect[T any](rows *sql.Rows, scan func(*sql.Rows) (T, error)) ([]T, error) {
	defer rows.Close()
	var out []T
	for rows.Next() {
		v, err := scan(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, v)
	}
	return out, rows.Err()
}

// decodeAll opens and decodes records read together, their data keys
// read in one query.
func (db *DB) decodeAll(ctx context.Context, q querier, rs []sealedRow) ([]habeas.Entity, error) {
	stored := make([][]byte, len(rs))
	for i, r := range rs {
		stored[i] = r.stored
	}
	if err := db.prefetch(ctx, q, stored); err != nil {
		return nil, err
	}
	out := make([]habeas.Entity, len(rs))
	for i, r := range rs {
		e, err := db.decode(ctx, q, r.kind, r.id, r.stored)
		if err != nil {
			return nil, err
		}
		out[i] = e
	}
	return out, nil
}

// prefetch reads into memory, in one query per 500, the data keys of the
// sealed values that memory does not hold yet.
func (db *DB) prefetch(ctx context.Context, q querier, stored [][]byte) error {
	if db.keys == nil {
		return nil
	}
	tx, _ := q.(*Tx)
	seen := map[string]bool{}
	var owners []string
	for _, s := range stored {
		if len(s) == 0 || s[0] != sealedV1 {
			continue
		}
		n, w := binary.Uvarint(s[1:])
		if w <= 0 || uint64(len(s)-1-w) < n {
			continue // open reports it
		}
		owner := string(s[1+w : 1+w+int(n)])
		if seen[owner] {
			continue
		}
		seen[owner] = true
		if _, ok := db.keys.get(owner); ok {
			continue
		}
		if tx != nil {
			if _, ok := tx.newKeys[owner]; ok {
				continue
			}
		}
		owners = append(owners, owner)
	}
	db.keys.mu.RLock()
	m := db.keys.master
	db.keys.mu.RUnlock()
	for chunk := range slices.Chunk(owners, 500) {
		w := &where{}
		in(w, "owner IN (%s)", chunk)
		rows, err := q.QueryContext(ctx, `SELECT owner, wrapped FROM data_keys`+w.String(), w.args...)
		if err != nil {
			return fmt.Errorf("read data keys: %w", err)
		}
		ws, err := collect(rows, scanWrapped)
		if err != nil {
			return err
		}
		for _, k := range ws {
			dk, err := m.Unwrap(k.wrapped, k.owner)
			if err != nil {
				return err
			}
			db.keys.put(k.owner, dk)
		}
	}
	return nil
}
