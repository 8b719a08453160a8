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
// from now on, can no longer be opened by anyone, with any key. An
// earlier state sealed under a key the erasure does not destroy (a
// detention first filed under another person) is blanked instead.
//
// Each erased record leaves a row in erasures, with the owner of the key
// destroyed for it: a value whose key is missing reads as erased, never
// as a damaged register; no key is ever made for that owner again; and
// nothing new may refer to an erased record.

// erasedOwner owns the data key that seals what erasure keeps of records
// and the reasons erasures give.
const erasedOwner = "erased"

// erasedHead starts what is stored of every erased record: sealedV1 and
// erasedOwner, as sealAs writes them.
var erasedHead = append([]byte{sealedV1, byte(len(erasedOwner))}, erasedOwner...)

// erased notes, for checkRefs, that record id is erased.
func (tx *Tx) erased(id string) {
	if tx.erasedIDs == nil {
		tx.erasedIDs = map[string]bool{}
	}
	tx.erasedIDs[id] = true
}

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
	if err := db.sealedThrough(ctx); err != nil {
		return nil, err
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
		if err := tx.markErased(ctx, r.id, ownerOf(r.kind, r.id, r.doc), personID, changes[0].Seq, actor); err != nil {
			return nil, err
		}
	}
	for _, r := range set {
		if err := tx.blankUnshredded(ctx, r.id); err != nil {
			return nil, err
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

// sealedThrough fails for a register written before it was encrypted
// whose plain text was not sealed yet (habeas key seal): plain text has
// no key to destroy, so nothing in it could be erased.
func (db *DB) sealedThrough(ctx context.Context) error {
	if !db.keys.legacy {
		return nil
	}
	var n int
	if err := db.db.QueryRowContext(ctx, `SELECT count(*) FROM keyring WHERE name = 'resealed'`).Scan(&n); err != nil {
		return err
	}
	if n == 0 {
		return habeas.Errorf(habeas.EINVALID, "this register holds what was written before it was encrypted, in plain text, which erasure cannot destroy: seal it first (habeas key seal)")
	}
	return nil
}

// aboutRecord is a live record erased with its person.
type aboutRecord struct {
	id string
	stored
}

// about returns the person's record and every live record about them:
// the detentions, casualties, evidence and identity decisions that name
// them, and the evidence and casualties of those that name no other
// person; in the order of habeas.Kinds, so that each refers only to
// records before it (an export replays them in that order).
func (tx *Tx) about(ctx context.Context, personID string, person stored) ([]aboutRecord, error) {
	out := []aboutRecord{{personID, person}}
	seen := map[string]bool{personID: true}
	for i := 0; i < len(out); i++ {
		refs, err := tx.referring(ctx, out[i].id)
		if err != nil {
			return nil, err
		}
		for _, r := range refs {
			if seen[r.id] || !habeas.Erasable(r.kind) {
				continue
			}
			seen[r.id] = true
			s, ok, err := tx.current(ctx, r.id)
			if err != nil {
				return nil, err
			} else if !ok || s.erased {
				continue
			}
			var of struct {
				PersonID string `json:"person_id"`
			}
			if err := json.Unmarshal(s.doc, &of); err != nil {
				return nil, fmt.Errorf("decode %s: %w", r.id, err)
			}
			if of.PersonID == "" || of.PersonID == personID {
				out = append(out, aboutRecord{r.id, s})
			}
		}
	}
	slices.SortStableFunc(out[1:], func(a, b aboutRecord) int {
		return cmp.Or(cmp.Compare(slices.Index(habeas.Kinds, a.kind), slices.Index(habeas.Kinds, b.kind)), strings.Compare(a.id, b.id))
	})
	return out, nil
}

// ref is a record that refers to another.
type ref struct {
	id   string
	kind habeas.Kind
}

// referring returns the live records that refer to id.
func (tx *Tx) referring(ctx context.Context, id string) ([]ref, error) {
	rows, err := tx.QueryContext(ctx, `SELECT from_id, from_kind FROM refs WHERE to_id = $1 ORDER BY from_id`, id)
	if err != nil {
		return nil, fmt.Errorf("read references to %s: %w", id, err)
	}
	return collect(rows, func(rows *sql.Rows) (ref, error) {
		var r ref
		return r, rows.Scan(&r.id, &r.kind)
	})
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
	if err := tx.writeEntity(ctx, k, id, c.Seq, sealed, exists); err != nil {
		return nil, err
	}
	if err := tx.project(ctx, e, exists, cur.doc); err != nil {
		return nil, err
	}
	tx.erased(id)
	return c, nil
}

// project writes what is kept beside a record's state: its references,
// its index rows, its queues. replace says the record had a state, old.
func (tx *Tx) project(ctx context.Context, e habeas.Entity, replace bool, old []byte) error {
	if err := tx.writeRefs(ctx, e, replace); err != nil {
		return err
	}
	if err := tx.writeIndex(ctx, e, replace); err != nil {
		return err
	}
	op := habeas.OpCreate
	if replace {
		op = habeas.OpUpdate
	}
	if err := tx.requeue(ctx, op, e, old); err != nil {
		return err
	}
	tx.known[e.GetID()] = e.EntityKind()
	return nil
}

// markErased records that record id was erased with person in change
// seq, and destroys the data key of owner, which sealed it, if it has
// one. The store forgets the key once the transaction commits.
func (tx *Tx) markErased(ctx context.Context, id, owner, person string, seq int64, actor string) error {
	if _, err := tx.exec(ctx, `INSERT INTO erasures (id, owner, person_id, seq, at_us, actor) VALUES ($1, $2, $3, $4, $5, $6)`,
		id, owner, person, seq, tx.now.UnixMicro(), actor); err != nil {
		return fmt.Errorf("record the erasure of %s: %w", id, err)
	}
	if _, err := tx.exec(ctx, `DELETE FROM data_keys WHERE owner = $1`, owner); err != nil {
		return fmt.Errorf("destroy the data key of %s: %w", owner, err)
	}
	if err := tx.forgetFiles(ctx, owner); err != nil {
		return fmt.Errorf("forget the files of %s: %w", owner, err)
	}
	delete(tx.newKeys, owner)
	if !slices.Contains(tx.destroyed, owner) {
		tx.destroyed = append(tx.destroyed, owner)
	}
	return nil
}

// blankUnshredded empties every earlier state of record id that is not
// sealed under a key this transaction destroyed: one sealed under another
// person's key (the record was first filed under them), or in plain text.
func (tx *Tx) blankUnshredded(ctx context.Context, id string) error {
	rows, err := tx.QueryContext(ctx, `SELECT seq, data FROM changes WHERE entity_id = $1 AND op <> $2 AND data IS NOT NULL`, id, string(habeas.OpErase))
	if err != nil {
		return fmt.Errorf("read the history of %s: %w", id, err)
	}
	type state struct {
		seq  int64
		data []byte
	}
	states, err := collect(rows, func(rows *sql.Rows) (state, error) {
		var s state
		return s, rows.Scan(&s.seq, &s.data)
	})
	if err != nil {
		return err
	}
	for _, s := range states {
		if s.data[0] == sealedV1 {
			if owner, _, err := splitSealed(s.data); err == nil && slices.Contains(tx.destroyed, owner) {
				continue
			}
		}
		if _, err := tx.exec(ctx, `UPDATE changes SET data = NULL WHERE seq = $1`, s.seq); err != nil {
			return fmt.Errorf("blank change %d: %w", s.seq, err)
		}
	}
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

// erasuresEvery is how often a server looks for the erasures other
// servers made, to forget the keys they destroyed (refreshErasures).
const erasuresEvery = time.Second

// refreshErasures forgets the keys destroyed by erasures made since it
// last looked, by this process or another sharing the database: at most
// once every erasuresEvery, unless now. A server thus stops opening an
// erased person's records within a second, whatever it reads.
func (db *DB) refreshErasures(ctx context.Context, q querier, now bool) error {
	k := db.keys
	last, at := k.erasuresAt.Load(), time.Now().UnixNano()
	if !now && (at-last < int64(erasuresEvery) || !k.erasuresAt.CompareAndSwap(last, at)) {
		return nil // looked lately, or another goroutine is looking
	}
	k.erasuresAt.Store(at)
	k.mu.RLock()
	after := k.erasuresSeq
	k.mu.RUnlock()
	rows, err := q.QueryContext(ctx, `SELECT owner, seq FROM erasures WHERE seq > $1`, after)
	if err != nil {
		return fmt.Errorf("read erasures: %w", err)
	}
	type row struct {
		owner string
		seq   int64
	}
	rs, err := collect(rows, func(rows *sql.Rows) (row, error) {
		var r row
		return r, rows.Scan(&r.owner, &r.seq)
	})
	if err != nil {
		return err
	}
	for _, r := range rs {
		k.forget(r.owner)
		k.mu.Lock()
		k.erasuresSeq = max(k.erasuresSeq, r.seq)
		k.mu.Unlock()
	}
	return nil
}

// shred removes from the database's files what is left of the data keys
// just destroyed (Dialect.Shred). A reader holding SQLite's write-ahead
// log may keep its checkpoint from finishing, and a transaction of
// PostgreSQL begun before the erasure keeps the deleted rows alive: shred
// waits a few seconds for them, and says if it could not.
func (db *DB) shred(ctx context.Context) error {
	if db.dialect.Shred == "" {
		return nil
	}
	var since time.Time
	var err error
	for try := range 50 {
		if try > 0 {
			time.Sleep(100 * time.Millisecond)
		}
		if db.dialect.Name == "sqlite" {
			var busy, logFrames, done int
			if err = db.db.QueryRowContext(ctx, db.dialect.Shred).Scan(&busy, &logFrames, &done); err == nil && busy == 0 {
				return nil
			} else if err == nil {
				err = errors.New("a reader holds the write-ahead log")
			}
			continue
		}
		if since.IsZero() {
			if err = db.db.QueryRowContext(ctx, `SELECT clock_timestamp()`).Scan(&since); err != nil {
				return err
			}
		}
		var older int
		if err = db.db.QueryRowContext(ctx, `SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()
			AND backend_xmin IS NOT NULL AND xact_start < $1`, since).Scan(&older); err != nil {
			return err
		}
		if older == 0 || try == 49 {
			if _, err = db.db.ExecContext(ctx, db.dialect.Shred); err == nil && older > 0 {
				err = errors.New("a transaction begun before the erasure may still see the destroyed keys")
			}
			if err == nil || older > 0 {
				break
			}
		}
	}
	if err == nil {
		return nil
	}
	return fmt.Errorf("clear the destroyed keys from the database's files: %w", err)
}

// Erasures implements habeas.ErasureService.
func (db *DB) Erasures(ctx context.Context) (_ []habeas.Erasure, err error) {
	defer wrap(&err, "erasures")
	rows, err := db.db.QueryContext(ctx, `SELECT e.person_id, e.seq, e.at_us, e.actor, c.reason FROM erasures e JOIN changes c ON c.seq = e.seq
		WHERE e.id = e.person_id ORDER BY e.seq DESC`)
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
// data key of what it replaces destroyed, as here. checkImportedErasures
// then makes sure no live record is left under a destroyed key.
func (tx *Tx) importErasure(ctx context.Context, c *habeas.Change) error {
	if err := checkHead(c); err != nil {
		return err
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
	if err := habeas.ValidateStripped(e); err != nil {
		return err
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
	} else if k := c.Kind; k == habeas.KindDetention || k == habeas.KindCasualty || k == habeas.KindEvidence {
		owner = ownerOf(k, c.ID, c.Data)
	}
	ch, err := tx.putErased(ctx, e, cur, exists, tx.now, habeas.ActorFrom(ctx), c.Reason)
	if err != nil {
		return err
	}
	delete(tx.placed, c.ID) // erased now: nothing more may refer to it
	// Erase writes the person's change first, then those about them: a
	// record that names no person (evidence about a detention) is about
	// the person erased last.
	person := c.ID
	if c.Kind == habeas.KindPerson {
		tx.lastErased = *ch
	} else if p := ownerOf(c.Kind, c.ID, c.Data); p != c.ID {
		person = p
	} else if tx.lastErased.ID != "" {
		person = tx.lastErased.ID
	}
	seq := ch.Seq
	if person == tx.lastErased.ID {
		seq = tx.lastErased.Seq
	}
	return tx.markErased(ctx, c.ID, owner, person, seq, c.Actor)
}

// checkImportedErasures fails if an import's erasures destroyed a key
// that a live record not erased is still sealed under: an erasure of a
// person's detention alone, or of a person without their detentions,
// would leave records no key opens.
func (tx *Tx) checkImportedErasures(ctx context.Context) error {
	for _, owner := range tx.destroyed {
		if k, ok := habeas.KindOfID(owner); !ok || k != habeas.KindPerson {
			continue // a record's own key: that record is erased
		}
		s, live, err := tx.current(ctx, owner)
		if err != nil {
			return err
		}
		if live && !s.erased {
			return habeas.Errorf(habeas.EINVALID, "the file erases records of person %s, but not the person", owner)
		}
		refs, err := tx.referring(ctx, owner)
		if err != nil {
			return err
		}
		for _, r := range refs {
			s, live, err := tx.current(ctx, r.id)
			if err != nil {
				return err
			}
			if live && !s.erased && ownerOf(r.kind, r.id, s.doc) == owner {
				return habeas.Errorf(habeas.EINVALID, "the file erases person %s, but not %s %s about them", owner, r.kind, r.id)
			}
		}
	}
	return nil
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
// the log alone, until a later state of it, not erased, brings it back.
func (tx *Tx) importErased(ctx context.Context, c, erasure *habeas.Change) error {
	if err := checkErased(c); err != nil {
		return err
	}
	if err := tx.appendChange(ctx, &habeas.Change{Seq: tx.seq + 1, At: tx.now, Actor: habeas.ActorFrom(ctx),
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
	if err := habeas.ValidateStripped(e); err != nil {
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
	if err := tx.writeEntity(ctx, c.Kind, c.ID, tx.seq, sealed, false); err != nil {
		return err
	}
	if err := tx.project(ctx, e, false, nil); err != nil {
		return err
	}
	tx.erased(c.ID)
	if tx.placed == nil {
		tx.placed = map[string]bool{}
	}
	tx.placed[c.ID] = true
	return nil
}
