package sqlstore

import (
	"cmp"
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/habeas-project/habeas"
)

// Erasure by crypto-shredding (issue 13). Erase replaces a person's
// record, and every live record about them, with what habeas.Strip keeps
// of it (one OpErase change each, sealed under erasedOwner's key), then
// destroys the data keys their records were sealed under: every earlier
// state of them, in the change log as in any copy of the database made
// from now on, can no longer be opened by anyone, with any key. Each
// destroyed key leaves a row in erasures, so that a value whose key is
// missing reads as erased, never as a damaged register, and so that no
// key is ever made for that owner again.

// erasedOwner owns the data key that seals what erasure keeps of records
// and the reasons erasures give.
const erasedOwner = "erased"

// errErased says a value's data key was destroyed by an erasure.
var errErased = errors.New("erased")

// Erase implements habeas.ErasureService.
func (db *DB) Erase(ctx context.Context, personID, reason string) (_ []*habeas.Change, err error) {
	defer wrap(&err, "erase %s", personID)
	if reason = strings.TrimSpace(reason); reason == "" {
		return nil, &habeas.Error{Code: habeas.EINVALID, Message: "invalid erasure",
			Fields: []habeas.FieldError{habeas.FieldErrorf("reason", "is required: say why the person is erased")}}
	}
	if db.keys == nil {
		if db.locked {
			return nil, ErrLocked
		}
		return nil, habeas.Errorf(habeas.EINVALID, "erasure destroys a data key, and this register is not encrypted: open it with its key")
	}
	tx, err := db.begin(ctx)
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	cur, ok, err := tx.current(ctx, personID)
	if err != nil {
		return nil, err
	} else if !ok || cur.kind != habeas.KindPerson {
		return nil, habeas.Errorf(habeas.ENOTFOUND, "person %s not found", personID)
	} else if cur.erased {
		return nil, habeas.Errorf(habeas.ECONFLICT, "person %s was erased already", personID)
	}
	set, err := tx.about(ctx, personID, cur)
	if err != nil {
		return nil, err
	}
	actor := habeas.ActorFrom(ctx)
	var changes []*habeas.Change
	for _, r := range set {
		e, err := decodeDoc(r.kind, r.id, r.doc)
		if err != nil {
			return nil, err
		}
		c, err := tx.putErased(ctx, habeas.Strip(e), r.stored, true, tx.now, actor, reason)
		if err != nil {
			return nil, err
		}
		changes = append(changes, c)
		if err := tx.destroy(ctx, ownerOf(r.kind, r.id, r.doc), personID, changes[0].Seq, actor); err != nil {
			return nil, err
		}
		if db.keys.legacy {
			// What was written before the register was encrypted is in
			// plain text: no key to destroy, so it is blanked.
			if _, err := tx.exec(ctx, `UPDATE changes SET data = NULL WHERE entity_id = $1 AND seq < $2 AND data IS NOT NULL AND `+
				fmt.Sprintf(db.dialect.FirstByteHex, "data")+` <> '01'`, r.id, c.Seq); err != nil {
				return nil, fmt.Errorf("blank the plain-text history of %s: %w", r.id, err)
			}
		}
	}
	if err := tx.Commit(); err != nil {
		return nil, fmt.Errorf("commit: %w", err)
	}
	if err := db.shred(ctx); err != nil {
		return changes, fmt.Errorf("%w: %v", habeas.ErrNotShredded, err)
	}
	return changes, nil
}

// aboutRecord is a live record erased with its person.
type aboutRecord struct {
	id string
	stored
}

// about returns the person's record and every live record about them:
// the detentions, casualties and evidence that name them, and the
// evidence and casualties of those that name no other person; in the
// order of habeas.Kinds, so that each refers only to records before it
// (an export replays them in that order).
func (tx *Tx) about(ctx context.Context, personID string, person stored) ([]aboutRecord, error) {
	out := []aboutRecord{{personID, person}}
	seen := map[string]bool{personID: true}
	for i := 0; i < len(out); i++ {
		rows, err := tx.QueryContext(ctx, `SELECT from_id, from_kind FROM refs WHERE to_id = $1 ORDER BY from_id`, out[i].id)
		if err != nil {
			return nil, fmt.Errorf("read references to %s: %w", out[i].id, err)
		}
		refs, err := collect(rows, func(rows *sql.Rows) ([2]string, error) {
			var r [2]string
			return r, rows.Scan(&r[0], &r[1])
		})
		if err != nil {
			return nil, err
		}
		for _, r := range refs {
			if seen[r[0]] || !habeas.Erasable(habeas.Kind(r[1])) {
				continue
			}
			seen[r[0]] = true
			s, ok, err := tx.current(ctx, r[0])
			if err != nil {
				return nil, err
			} else if !ok || s.erased {
				continue
			}
			var of struct {
				PersonID string `json:"person_id"`
			}
			if err := json.Unmarshal(s.doc, &of); err != nil {
				return nil, fmt.Errorf("decode %s: %w", r[0], err)
			}
			if of.PersonID == "" || of.PersonID == personID {
				out = append(out, aboutRecord{r[0], s})
			}
		}
	}
	slices.SortStableFunc(out[1:], func(a, b aboutRecord) int {
		return cmp.Or(cmp.Compare(slices.Index(habeas.Kinds, a.kind), slices.Index(habeas.Kinds, b.kind)), strings.Compare(a.id, b.id))
	})
	return out, nil
}

// putErased writes e, a state as habeas.Strip leaves it, as an OpErase
// change of its record, sealed under erasedOwner's key: in place of the
// record's current state cur if it exists, as a new record otherwise (an
// erasure imported from another register).
func (tx *Tx) putErased(ctx context.Context, e habeas.Entity, cur stored, exists bool, at time.Time, actor, reason string) (*habeas.Change, error) {
	k, id := e.EntityKind(), e.GetID()
	doc, err := habeas.Canonical(e)
	if err != nil {
		return nil, fmt.Errorf("encode %s: %w", id, err)
	}
	c := &habeas.Change{Seq: tx.seq + 1, At: at, Actor: actor, Kind: k, ID: id, Op: habeas.OpErase, Data: doc, Reason: reason}
	sealed, err := tx.sealAs(ctx, k, id, erasedOwner, doc)
	if err != nil {
		return nil, fmt.Errorf("seal %s: %w", id, err)
	}
	if err := tx.appendChange(ctx, c, sealed); err != nil {
		return nil, err
	}
	if exists {
		_, err = tx.exec(ctx, `UPDATE entities SET seq = $1, doc = $2 WHERE id = $3`, c.Seq, sealed, id)
	} else {
		_, err = tx.exec(ctx, `INSERT INTO entities (id, kind, seq, doc) VALUES ($1, $2, $3, $4)`, id, string(k), c.Seq, sealed)
	}
	if err != nil {
		return nil, fmt.Errorf("write entity %s: %w", id, err)
	}
	if err := tx.writeRefs(ctx, e, exists); err != nil {
		return nil, err
	}
	if err := tx.writeIndex(ctx, e, exists); err != nil {
		return nil, err
	}
	op := habeas.OpCreate
	if exists {
		op = habeas.OpUpdate
	}
	if err := tx.requeue(ctx, op, e, cur.doc); err != nil {
		return nil, err
	}
	tx.known[id] = k
	return c, nil
}

// destroy deletes owner's data key, if it has one, and records that it
// was destroyed by the erasure of person in change seq. The store forgets
// the key once the transaction commits.
func (tx *Tx) destroy(ctx context.Context, owner, person string, seq int64, actor string) error {
	if _, err := tx.exec(ctx, `INSERT INTO erasures (owner, person_id, seq, at_us, actor) VALUES ($1, $2, $3, $4, $5) ON CONFLICT (owner) DO NOTHING`,
		owner, person, seq, tx.now.UnixMicro(), actor); err != nil {
		return fmt.Errorf("record the erasure of %s: %w", owner, err)
	}
	if _, err := tx.exec(ctx, `DELETE FROM data_keys WHERE owner = $1`, owner); err != nil {
		return fmt.Errorf("destroy the data key of %s: %w", owner, err)
	}
	delete(tx.newKeys, owner)
	tx.destroyed = append(tx.destroyed, owner)
	return nil
}

// isErased reports whether owner's data key was destroyed by an
// erasure.
func (db *DB) isErased(ctx context.Context, q querier, owner string) (bool, error) {
	if db.keys != nil && db.keys.isErased(owner) {
		return true, nil
	}
	var n int
	if err := q.QueryRowContext(ctx, `SELECT count(*) FROM erasures WHERE owner = $1`, owner).Scan(&n); err != nil {
		return false, fmt.Errorf("read erasures: %w", err)
	}
	return n > 0, nil
}

// shred removes from the database's files what is left of the data keys
// just destroyed (Dialect.Shred). A reader holding the write-ahead log
// may keep SQLite's checkpoint from finishing: it is tried a few times.
func (db *DB) shred(ctx context.Context) error {
	if db.dialect.Shred == "" {
		return nil
	}
	var err error
	for range 5 {
		var busy, logFrames, done int
		if db.dialect.Name == "sqlite" {
			err = db.db.QueryRowContext(ctx, db.dialect.Shred).Scan(&busy, &logFrames, &done)
		} else {
			_, err = db.db.ExecContext(ctx, db.dialect.Shred)
		}
		if err == nil && busy == 0 {
			return nil
		}
		time.Sleep(100 * time.Millisecond)
	}
	if err == nil {
		err = errors.New("the database was busy")
	}
	return fmt.Errorf("clear the destroyed keys from the database's files: %w", err)
}

// Erasures implements habeas.ErasureService.
func (db *DB) Erasures(ctx context.Context) (_ []habeas.Erasure, err error) {
	defer wrap(&err, "erasures")
	rows, err := db.db.QueryContext(ctx, `SELECT e.person_id, e.seq, e.at_us, e.actor, c.reason FROM erasures e JOIN changes c ON c.seq = e.seq
		WHERE e.owner = e.person_id ORDER BY e.seq DESC`)
	if err != nil {
		return nil, err
	}
	out, err := collect(rows, func(rows *sql.Rows) (habeas.Erasure, error) {
		var e habeas.Erasure
		var atUS int64
		err := rows.Scan(&e.PersonID, &e.Seq, &atUS, &e.Actor, &e.Reason)
		e.At = time.UnixMicro(atUS).UTC()
		return e, err
	})
	if err != nil {
		return nil, err
	}
	for i := range out {
		if out[i].Reason, err = db.openText(erasedOwner, out[i].Reason); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// importErasure replays an erasure from another register's log (Import):
// its state must be one erasure leaves, and the record takes it, with the
// data key of what it replaces destroyed, as here.
func (tx *Tx) importErasure(ctx context.Context, c *habeas.Change) error {
	if err := checkHead(c); err != nil {
		return err
	}
	if !habeas.Erasable(c.Kind) {
		return fieldError("entity", "a %s is not erased", c.Kind)
	}
	if strings.TrimSpace(c.Reason) == "" {
		return fieldError("reason", "an erasure says why it was made")
	}
	e, err := c.Entity()
	if err != nil {
		return err
	}
	if e.GetID() != c.ID {
		return fieldError("data.id", "%q differs from the change's id %q", e.GetID(), c.ID)
	}
	want, err := habeas.Canonical(habeas.Strip(e))
	if err != nil {
		return err
	}
	if got, err := habeas.Canonical(e); err != nil || string(got) != string(want) {
		return fieldError("data", "keeps more than an erasure keeps")
	}
	if tx.db.keys == nil {
		return habeas.Errorf(habeas.EINVALID, "an erasure destroys a data key, and this register is not encrypted: open it with its key")
	}
	cur, exists, err := tx.current(ctx, c.ID)
	if err != nil {
		return err
	}
	switch {
	case exists && cur.kind != c.Kind:
		return habeas.Errorf(habeas.ECONFLICT, "%s is a %s, not a %s", c.ID, cur.kind, c.Kind)
	case exists && cur.erased && !tx.placed[c.ID]:
		return nil // erased here already
	}
	// What it refers to must be here (its person erased, perhaps).
	tx.erasing = true
	err = tx.checkRefs(ctx, e)
	tx.erasing = false
	if err != nil {
		return err
	}
	owner := c.ID
	if exists {
		owner = ownerOf(c.Kind, c.ID, cur.doc)
	}
	ch, err := tx.putErased(ctx, e, cur, exists, c.At.UTC().Truncate(time.Microsecond), c.Actor, c.Reason)
	if err != nil {
		return err
	}
	// Erase writes the person's change first, then those about them: a
	// record that names no person (evidence about a detention) is about
	// the person erased last.
	if c.Kind == habeas.KindPerson {
		tx.lastErased = *ch
	} else {
		var of struct {
			PersonID string `json:"person_id"`
		}
		if json.Unmarshal(c.Data, &of) == nil && of.PersonID != "" && of.PersonID != tx.lastErased.ID {
			return tx.destroy(ctx, owner, of.PersonID, ch.Seq, c.Actor)
		}
	}
	return tx.destroy(ctx, owner, cmp.Or(tx.lastErased.ID, c.ID), cmp.Or(tx.lastErased.Seq, ch.Seq), c.Actor)
}

// forget drops destroyed data keys from memory, and remembers that they
// were.
func (k *keyring) forget(owners ...string) {
	k.mu.Lock()
	defer k.mu.Unlock()
	for _, o := range owners {
		delete(k.cache, o)
		k.erased[o] = true
	}
}

// isErased reports whether owner's key is known to have been destroyed.
func (k *keyring) isErased(owner string) bool {
	k.mu.RLock()
	defer k.mu.RUnlock()
	return k.erased[owner]
}

// importErased replays a change whose state was erased in the other
// register (Import): the log keeps that it was made, with no state. A
// record not here takes what its erasure in the file (erasure, nil if
// none) keeps of it; one with no erasure in the file is a ghost, known to
// the log alone.
func (tx *Tx) importErased(ctx context.Context, c, erasure *habeas.Change) error {
	if err := checkErased(c); err != nil {
		return err
	}
	if err := tx.appendChange(ctx, &habeas.Change{Seq: tx.seq + 1, At: c.At.UTC().Truncate(time.Microsecond), Actor: c.Actor,
		Kind: c.Kind, ID: c.ID, Op: c.Op, Sources: c.Sources}, nil); err != nil {
		return err
	}
	if _, live, err := tx.current(ctx, c.ID); err != nil || live || tx.ghosts[c.ID] != "" {
		return err
	}
	if erasure == nil || erasure.Kind != c.Kind {
		if tx.ghosts == nil {
			tx.ghosts = map[string]habeas.Kind{}
		}
		tx.ghosts[c.ID] = c.Kind
		return nil
	}
	e, err := erasure.Entity()
	if err != nil {
		return err
	}
	doc, err := habeas.Canonical(e)
	if err != nil {
		return err
	}
	sealed, err := tx.sealAs(ctx, c.Kind, c.ID, erasedOwner, doc)
	if err != nil {
		return err
	}
	if _, err := tx.exec(ctx, `INSERT INTO entities (id, kind, seq, doc) VALUES ($1, $2, $3, $4)`, c.ID, string(c.Kind), tx.seq, sealed); err != nil {
		return fmt.Errorf("write entity %s: %w", c.ID, err)
	}
	if err := tx.writeRefs(ctx, e, false); err != nil {
		return err
	}
	if err := tx.writeIndex(ctx, e, false); err != nil {
		return err
	}
	if err := tx.requeue(ctx, habeas.OpCreate, e, nil); err != nil {
		return err
	}
	if tx.placed == nil {
		tx.placed = map[string]bool{}
	}
	tx.placed[c.ID], tx.known[c.ID] = true, c.Kind
	return nil
}
