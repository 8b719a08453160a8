package sqlstore

import (
	"bytes"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/habeas-project/habeas"
)

// Create implements habeas.RecordService.
func (db *DB) Create(ctx context.Context, e habeas.Entity) error {
	_, err := db.Apply(ctx, []habeas.Mutation{{Op: habeas.OpCreate, Entity: e}})
	return unbatch(err)
}

// Update implements habeas.RecordService.
func (db *DB) Update(ctx context.Context, e habeas.Entity) error {
	_, err := db.Apply(ctx, []habeas.Mutation{{Op: habeas.OpUpdate, Entity: e}})
	return unbatch(err)
}

// Delete implements habeas.RecordService.
func (db *DB) Delete(ctx context.Context, k habeas.Kind, id string) error {
	_, err := db.Apply(ctx, []habeas.Mutation{{Op: habeas.OpDelete, Kind: k, ID: id}})
	return unbatch(err)
}

// unbatch drops the batch position of a single-item batch's error.
func unbatch(err error) error {
	var be *habeas.BatchError
	if errors.As(err, &be) {
		return be.Err
	}
	return err
}

// Apply implements habeas.RecordService: every mutation, with its change
// record, in one transaction, or none of them.
func (db *DB) Apply(ctx context.Context, muts []habeas.Mutation) ([]*habeas.Change, error) {
	return db.Transact(ctx, func(tx habeas.Tx) error {
		_, err := tx.Apply(ctx, muts)
		return err
	})
}

// apply performs mutations in order, appending their changes to changes;
// a failed item is a *habeas.BatchError with its position in muts.
func (tx *Tx) apply(ctx context.Context, muts []habeas.Mutation, changes []*habeas.Change) ([]*habeas.Change, error) {
	actor := habeas.ActorFrom(ctx)
	for i, m := range muts {
		c, err := tx.mutate(ctx, m, tx.now, actor)
		if err != nil {
			return changes, &habeas.BatchError{Index: i, Err: err}
		}
		if c != nil {
			changes = append(changes, c)
		}
	}
	return changes, nil
}

// Import implements habeas.ChangeService: it replays changes from another
// log through the same path as Apply, each recorded as made now by the
// importing account (habeas.ActorFrom), with the time and actor the log
// gives it kept as its claims, and the file's hash if the context says it
// (habeas.WithImportFile).
func (db *DB) Import(ctx context.Context, changes []*habeas.Change) (err error) {
	defer wrap(&err, "import")
	tx, err := db.begin(ctx)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	// The erasures in the file, by record: a record whose states were
	// erased takes at once what its erasure keeps, so that what refers to
	// it meanwhile finds it.
	erasures := map[string]*habeas.Change{}
	for _, c := range changes {
		if c.Op == habeas.OpErase {
			erasures[c.ID] = c
		}
	}
	// Each change is recorded as imported now, by the account importing
	// it, with what the file claims kept beside (Change.Imported).
	file := habeas.ImportFileFrom(ctx)
	defer func() { tx.claim = nil }()
	for i, c := range changes {
		tx.claim = &habeas.Imported{Actor: c.Actor, At: c.At.UTC().Truncate(time.Microsecond), File: file}
		var err error
		switch {
		case c.Erased:
			err = tx.importErased(ctx, c, erasures[c.ID])
		case c.Op == habeas.OpErase:
			err = tx.importErasure(ctx, c)
		case c.Op == habeas.OpDelete && tx.ghosts[c.ID] == c.Kind && c.Kind != "":
			// Deleted after its states were erased: only the log says so.
			delete(tx.ghosts, c.ID)
			err = tx.appendChange(ctx, &habeas.Change{Seq: tx.seq + 1, At: tx.now, Actor: habeas.ActorFrom(ctx),
				Kind: c.Kind, ID: c.ID, Op: c.Op}, nil)
		default:
			var m habeas.Mutation
			if m, err = mutationOf(c); err == nil {
				_, err = tx.mutate(ctx, m, tx.now, habeas.ActorFrom(ctx))
			}
		}
		if err != nil {
			return &habeas.BatchError{Index: i, Err: err}
		}
	}
	if err := tx.checkImportedErasures(ctx); err != nil {
		return err
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("commit: %w", err)
	}
	if len(tx.destroyed) > 0 {
		if err := db.shred(ctx); err != nil {
			return fmt.Errorf("%w: %v", habeas.ErrNotShredded, err)
		}
	}
	return nil
}

// checkHead checks what every change from another log says of itself:
// its kind, identifier, time and actor.
func checkHead(c *habeas.Change) error {
	if _, err := habeas.ParseKind(string(c.Kind)); err != nil {
		return fieldError("entity", "%q is not an entity kind", c.Kind)
	}
	if !habeas.ValidID(c.Kind, c.ID) {
		return fieldError("id", "%q is not a %s identifier", c.ID, c.Kind)
	}
	if c.At.IsZero() {
		return fieldError("at", "is required")
	}
	if strings.TrimSpace(c.Actor) == "" {
		return fieldError("actor", "is required")
	}
	return nil
}

// checkErased checks a change whose state was erased in another log: it
// made or changed a record about a person, and carries no state.
func checkErased(c *habeas.Change) error {
	if err := checkHead(c); err != nil {
		return err
	}
	if c.Op != habeas.OpCreate && c.Op != habeas.OpUpdate {
		return fieldError("erased", "only a create or an update is erased, not %q", c.Op)
	}
	if len(c.Data) > 0 && string(c.Data) != "null" {
		return fieldError("data", "an erased change carries no data")
	}
	return nil
}

// mutationOf turns a change from another log back into the mutation that
// made it, checking what the log itself says.
func mutationOf(c *habeas.Change) (habeas.Mutation, error) {
	if err := checkHead(c); err != nil {
		return habeas.Mutation{}, err
	}
	switch c.Op {
	case habeas.OpDelete:
		if len(c.Data) > 0 && string(c.Data) != "null" {
			return habeas.Mutation{}, fieldError("data", "a delete carries no data")
		}
		return habeas.Mutation{Op: c.Op, Kind: c.Kind, ID: c.ID}, nil
	case habeas.OpCreate, habeas.OpUpdate:
		e, err := c.Entity()
		if err != nil {
			return habeas.Mutation{}, err
		}
		if e.GetID() != c.ID {
			return habeas.Mutation{}, fieldError("data.id", "%q differs from the change's id %q", e.GetID(), c.ID)
		}
		return habeas.Mutation{Op: c.Op, Entity: e}, nil
	}
	return habeas.Mutation{}, fieldError("op", "%q is not one of create, update, delete, erase", c.Op)
}

func fieldError(field, format string, args ...any) error {
	return &habeas.Error{Code: habeas.EINVALID, Message: "invalid change",
		Fields: []habeas.FieldError{habeas.FieldErrorf(field, format, args...)}}
}

// mutate performs one mutation and appends its change record. An update
// that changes nothing records nothing and returns a nil change.
func (tx *Tx) mutate(ctx context.Context, m habeas.Mutation, at time.Time, actor string) (*habeas.Change, error) {
	switch m.Op {
	case habeas.OpCreate, habeas.OpUpdate:
		if m.Entity == nil {
			return nil, habeas.Errorf(habeas.EINVALID, "%s without an entity", m.Op)
		}
		return tx.put(ctx, m.Op, m.Entity, m.Version, at, actor)
	case habeas.OpDelete:
		return tx.remove(ctx, m.Kind, m.ID, m.Version, at, actor)
	}
	return nil, habeas.Errorf(habeas.EINVALID, "unknown operation %q", m.Op)
}

// put creates or updates e; an update of a record whose version is not
// version (unless 0) is refused.
func (tx *Tx) put(ctx context.Context, op habeas.Op, e habeas.Entity, version int64, at time.Time, actor string) (*habeas.Change, error) {
	k := e.EntityKind()
	if op == habeas.OpCreate && e.GetID() == "" {
		e.SetID(habeas.NewID(k))
	}
	e.Normalize()
	if err := e.Validate(); err != nil {
		return nil, err
	}
	id := e.GetID()
	if id == "" {
		return nil, &habeas.Error{Code: habeas.EINVALID, Message: "invalid " + string(k), Fields: []habeas.FieldError{habeas.FieldErrorf("id", "is required for an update")}}
	}
	// A create needs only to know the identifier was never used: one
	// lookup in the change log, which also covers live records.
	var current stored
	var exists bool
	var err error
	if op == habeas.OpCreate {
		used, err := tx.everUsed(ctx, id)
		if err != nil {
			return nil, err
		}
		if used {
			if _, live, err := tx.current(ctx, id); err != nil {
				return nil, err
			} else if live {
				return nil, habeas.Errorf(habeas.ECONFLICT, "%s %s already exists", k, id)
			}
			return nil, habeas.Errorf(habeas.ECONFLICT, "identifier %s belonged to a deleted record and is not reused", id)
		}
	} else if current, exists, err = tx.current(ctx, id); err != nil {
		return nil, err
	}
	// A ghost (importErased) comes back with its first state not erased.
	ghost := op == habeas.OpUpdate && !exists && tx.ghosts[id] == k
	switch {
	case op == habeas.OpCreate, ghost:
	case !exists:
		return nil, habeas.Errorf(habeas.ENOTFOUND, "%s %s not found", k, id)
	case current.kind != k:
		return nil, habeas.Errorf(habeas.ECONFLICT, "%s is a %s, not a %s", id, current.kind, k)
	case current.erased:
		return nil, wasErased(k, id)
	case stale(version, current):
		return nil, changedSince(k, id, version, current)
	}
	if err := tx.checkRefs(ctx, e); err != nil {
		return nil, err
	}
	if idn, ok := e.(*habeas.Identity); ok {
		if err := tx.checkPair(ctx, idn); err != nil {
			return nil, err
		}
	}
	doc, err := habeas.Canonical(e)
	if err != nil {
		return nil, fmt.Errorf("encode %s: %w", id, err)
	}
	if op == habeas.OpUpdate && bytes.Equal(doc, current.doc) {
		return nil, nil
	}
	c := &habeas.Change{Seq: tx.seq + 1, At: at, Actor: actor, Kind: k, ID: id, Op: op, Data: doc, Sources: e.SourceIDs()}
	sealed, err := tx.seal(ctx, k, id, doc)
	if err != nil {
		return nil, fmt.Errorf("seal %s: %w", id, err)
	}
	if err := tx.appendChange(ctx, c, sealed); err != nil {
		return nil, err
	}
	if err := tx.writeEntity(ctx, k, id, c.Seq, sealed, exists); err != nil {
		return nil, err
	}
	delete(tx.ghosts, id)
	if err := tx.project(ctx, e, exists, current.doc); err != nil {
		return nil, err
	}
	return c, nil
}

// writeEntity writes the stored state of record id as of change seq: in
// place of its state if it exists, as a new row otherwise.
func (tx *Tx) writeEntity(ctx context.Context, k habeas.Kind, id string, seq int64, sealed []byte, exists bool) error {
	var err error
	if exists {
		_, err = tx.exec(ctx, `UPDATE entities SET seq = $1, doc = $2 WHERE id = $3`, seq, sealed, id)
	} else {
		_, err = tx.exec(ctx, `INSERT INTO entities (id, kind, seq, doc) VALUES ($1, $2, $3, $4)`, id, string(k), seq, sealed)
	}
	if err != nil {
		return fmt.Errorf("write entity %s: %w", id, err)
	}
	return nil
}

// remove deletes the record id of kind k, leaving a tombstone; a record
// whose version is not version (unless 0) is kept.
func (tx *Tx) remove(ctx context.Context, k habeas.Kind, id string, version int64, at time.Time, actor string) (*habeas.Change, error) {
	current, exists, err := tx.current(ctx, id)
	if err != nil {
		return nil, err
	} else if !exists || current.kind != k {
		return nil, habeas.Errorf(habeas.ENOTFOUND, "%s %s not found", k, id)
	} else if current.erased {
		return nil, wasErased(k, id)
	} else if stale(version, current) {
		return nil, changedSince(k, id, version, current)
	}
	var from, fromKind string
	err = tx.queryRow(ctx, `SELECT from_id, from_kind FROM refs WHERE to_id = $1 ORDER BY from_id LIMIT 1`, id).Scan(&from, &fromKind)
	if err == nil {
		return nil, habeas.Errorf(habeas.ECONFLICT, "%s %s is referred to by %s %s; change that record first", k, id, fromKind, from)
	} else if !errors.Is(err, sql.ErrNoRows) {
		return nil, fmt.Errorf("check references to %s: %w", id, err)
	}
	c := &habeas.Change{Seq: tx.seq + 1, At: at, Actor: actor, Kind: k, ID: id, Op: habeas.OpDelete}
	if err := tx.appendChange(ctx, c, nil); err != nil {
		return nil, err
	}
	if k == habeas.KindDetention {
		if err := tx.uncountDetention(ctx, id); err != nil {
			return nil, err
		}
	}
	for _, q := range []string{
		`DELETE FROM entities WHERE id = $1`,
		`DELETE FROM refs WHERE from_id = $1`,
		`DELETE FROM detention_index WHERE id = $1`,
		`DELETE FROM person_index WHERE id = $1`,
	} {
		if _, err := tx.exec(ctx, q, id); err != nil {
			return nil, fmt.Errorf("delete %s: %w", id, err)
		}
	}
	if err := tx.unqueue(ctx, k, id, current.doc); err != nil {
		return nil, err
	}
	delete(tx.known, id)
	return c, nil
}

func (tx *Tx) appendChange(ctx context.Context, c *habeas.Change, sealed []byte) error {
	reason, err := tx.db.sealText(erasedOwner, c.Reason)
	if err != nil {
		return err
	}
	sources, hash, cl := strings.Join(c.Sources, ","), dataHash(sealed), claimOf(tx.claim)
	c.Imported = tx.claim
	const insert = `INSERT INTO changes (seq, at_us, actor, kind, entity_id, op, data, sources, reason, data_hash, claimed_actor, claimed_at_us, import_file)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)`
	args := []any{c.Seq, c.At.UnixMicro(), c.Actor, string(c.Kind), c.ID, string(c.Op), sealed, sources, reason, hash, cl.Actor, cl.AtUS, cl.File}
	leaf := entryOf(c.Seq, c.At.UnixMicro(), c.Actor, string(c.Kind), c.ID, string(c.Op), hash, sources, reason, cl)
	if !tx.db.noLedger && tx.db.dialect.MultiRowInsert && !tx.appended {
		// On a server, the first change's leaf goes in the change's own
		// statement, so that a transaction of one change (most) spends
		// no round trip on the ledger; a batch's later leaves are
		// written many a statement (appendLeaf).
		if err := tx.addLeaf(ctx, leaf); err != nil {
			return err
		}
		idx, hs := tx.takeUnwritten()
		_, err = tx.exec(ctx, `WITH ledger AS (INSERT INTO ledger_hashes (idx, hash) SELECT * FROM unnest($14::bigint[], $15::bytea[])) `+insert, append(args, idx, hs)...)
		if err != nil {
			return fmt.Errorf("append change %d: %w", c.Seq, err)
		}
		tx.seq, tx.appended = c.Seq, true
		return nil
	}
	tx.appended = true
	if _, err = tx.exec(ctx, insert, args...); err != nil {
		return fmt.Errorf("append change %d: %w", c.Seq, err)
	}
	if !tx.db.noLedger {
		if err := tx.appendLeaf(ctx, leaf); err != nil {
			return err
		}
	}
	tx.seq = c.Seq
	return nil
}

type stored struct {
	kind habeas.Kind
	seq  int64  // the version: the sequence of the record's last change
	doc  []byte // opened, canonical JSON
	// erased says the record holds what an erasure kept of it, and can
	// no longer be changed.
	erased bool
}

// wasErased is the refusal of a write to an erased record.
func wasErased(k habeas.Kind, id string) error {
	return habeas.Errorf(habeas.ECONFLICT, "%s %s was erased: it can no longer be changed", k, id)
}

// stale reports whether a write made on version (0: unchecked) of a
// record would overwrite a later change to it.
func stale(version int64, s stored) bool { return version != 0 && version != s.seq }

// changedSince is the refusal of a write made on a stale read.
func changedSince(k habeas.Kind, id string, version int64, s stored) error {
	return habeas.Stale(k, id, version, s.seq)
}

// current returns the stored state of id, if it is live.
func (tx *Tx) current(ctx context.Context, id string) (stored, bool, error) {
	var s stored
	var kind string
	var sealed []byte
	err := tx.queryRow(ctx, `SELECT kind, seq, doc FROM entities WHERE id = $1`, id).Scan(&kind, &s.seq, &sealed)
	if errors.Is(err, sql.ErrNoRows) {
		return s, false, nil
	} else if err != nil {
		return s, false, fmt.Errorf("read %s: %w", id, err)
	}
	s.kind = habeas.Kind(kind)
	if len(sealed) > 0 && sealed[0] == sealedV1 {
		owner, _, err := splitSealed(sealed)
		s.erased = err == nil && owner == erasedOwner
	}
	s.doc, err = tx.db.open(ctx, tx, s.kind, id, sealed)
	if err != nil {
		return s, false, fmt.Errorf("open %s: %w", id, err)
	}
	return s, true, nil
}

// everUsed reports whether the change log has ever mentioned id. It asks
// whether one change exists rather than counting them: a count, on a
// PostgreSQL table whose statistics lag (during a bulk load), was planned
// as a parallel scan of tens of thousands of rows for every record
// written.
func (tx *Tx) everUsed(ctx context.Context, id string) (bool, error) {
	var used bool
	if err := tx.queryRow(ctx, `SELECT EXISTS (SELECT 1 FROM changes WHERE entity_id = $1)`, id).Scan(&used); err != nil {
		return false, fmt.Errorf("check identifier %s: %w", id, err)
	}
	return used, nil
}

// checkRefs fails unless every entity e refers to exists with the right kind.
func (tx *Tx) checkRefs(ctx context.Context, e habeas.Entity) error {
	var fields []habeas.FieldError
	for _, r := range e.Refs() {
		k, ok := tx.known[r.ID]
		erased := tx.erasedIDs[r.ID]
		if !ok {
			// The start of what is stored says whether the record was
			// erased (its state sealed under erasedOwner's key).
			var kind string
			var head []byte
			err := tx.queryRow(ctx, `SELECT kind, substr(doc, 1, $2) FROM entities WHERE id = $1`, r.ID, len(erasedHead)).Scan(&kind, &head)
			if errors.Is(err, sql.ErrNoRows) {
				fields = append(fields, habeas.FieldErrorf(r.Field, "%s %s does not exist", r.Kind, r.ID))
				continue
			} else if err != nil {
				return fmt.Errorf("check reference %s: %w", r.ID, err)
			}
			k, erased = habeas.Kind(kind), bytes.Equal(head, erasedHead)
			if erased {
				tx.erased(r.ID)
			}
			tx.known[r.ID] = k
		}
		switch {
		case k != r.Kind:
			fields = append(fields, habeas.FieldErrorf(r.Field, "%s is a %s, not a %s", r.ID, k, r.Kind))
		case erased && !tx.erasing && !tx.placed[r.ID]: // placed by an import before its erasure, which follows
			fields = append(fields, habeas.FieldErrorf(r.Field, "%s %s was erased: nothing more can be recorded about it", r.Kind, r.ID))
		}
	}
	if len(fields) > 0 {
		return &habeas.Error{Code: habeas.EINVALID, Message: "invalid " + string(e.EntityKind()), Fields: fields}
	}
	return nil
}

// writeRefs records every distinct entity e refers to.
func (tx *Tx) writeRefs(ctx context.Context, e habeas.Entity, replace bool) error {
	id := e.GetID()
	if replace {
		if _, err := tx.exec(ctx, `DELETE FROM refs WHERE from_id = $1`, id); err != nil {
			return fmt.Errorf("clear references of %s: %w", id, err)
		}
	}
	seen := map[string]bool{}
	var ids []string
	for _, r := range e.Refs() {
		if !seen[r.ID] {
			seen[r.ID] = true
			ids = append(ids, r.ID)
		}
	}
	if len(ids) == 0 {
		return nil
	}
	if !tx.db.dialect.MultiRowInsert {
		for _, to := range ids {
			if _, err := tx.exec(ctx, `INSERT INTO refs (from_id, to_id, from_kind) VALUES ($1, $2, $3)`, id, to, string(e.EntityKind())); err != nil {
				return fmt.Errorf("write reference of %s to %s: %w", id, to, err)
			}
		}
		return nil
	}
	// One statement for all of them: on PostgreSQL each statement is a
	// round trip.
	args := []any{id, string(e.EntityKind())}
	rows := make([]string, len(ids))
	for i, to := range ids {
		args = append(args, to)
		rows[i] = fmt.Sprintf("($1, $%d, $2)", len(args))
	}
	if _, err := tx.exec(ctx, `INSERT INTO refs (from_id, to_id, from_kind) VALUES `+strings.Join(rows, ", "), args...); err != nil {
		return fmt.Errorf("write references of %s: %w", id, err)
	}
	return nil
}

// writeIndex maintains the per-kind index rows that lists filter on.
func (tx *Tx) writeIndex(ctx context.Context, e habeas.Entity, replace bool) error {
	var del, ins string
	var args []any
	switch e := e.(type) {
	case *habeas.Detention:
		del = `DELETE FROM detention_index WHERE id = $1`
		ins = `INSERT INTO detention_index (id, person_id, city, procedure, status, arrested_us) VALUES ($1, $2, $3, $4, $5, $6)`
		args = []any{e.ID, e.PersonID, e.City, string(e.Procedure), string(e.Status()), e.ArrestedAt().UnixMicro()}
	case *habeas.Person:
		del = `DELETE FROM person_index WHERE id = $1`
		// Names are searched in memory (personindex.go); the IIN is kept
		// blind, for the lookup inside a write transaction.
		ins = `INSERT INTO person_index (id, name_fold, name_keys, iin) VALUES ($1, '', '', $2)`
		args = []any{e.ID, tx.db.blindIIN(e.IIN)}
	default:
		return nil
	}
	d, isDetention := e.(*habeas.Detention)
	if replace {
		if isDetention {
			if err := tx.uncountDetention(ctx, d.ID); err != nil {
				return err
			}
		}
		if _, err := tx.exec(ctx, del, e.GetID()); err != nil {
			return fmt.Errorf("clear index of %s: %w", e.GetID(), err)
		}
	}
	if _, err := tx.exec(ctx, ins, args...); err != nil {
		return fmt.Errorf("index %s: %w", e.GetID(), err)
	}
	if isDetention {
		if err := tx.countDetention(ctx, d.City, string(d.Procedure), string(d.Status()), d.ArrestedAt().UnixMicro(), 1); err != nil {
			return fmt.Errorf("count %s: %w", d.ID, err)
		}
	}
	return nil
}

// FoldName returns the form of a name that lists sort by: lower case,
// single spaces.
func FoldName(s string) string {
	return strings.ToLower(strings.Join(strings.Fields(s), " "))
}

// exec runs a statement prepared once per transaction: a batch runs the same
// few statements thousands of times. A driver that keeps its connections'
// prepared statements itself (Dialect.CachesStatements) is handed the
// statement as it is: preparing it again in every transaction would cost
// a round trip each.
func (tx *Tx) exec(ctx context.Context, query string, args ...any) (sql.Result, error) {
	if tx.db.dialect.CachesStatements {
		tx.seen(query)
		return tx.ExecContext(ctx, query, args...)
	}
	st, err := tx.stmt(ctx, query)
	if err != nil {
		return nil, err
	}
	return st.ExecContext(ctx, args...)
}

// queryRow is exec's counterpart for queries of one row.
func (tx *Tx) queryRow(ctx context.Context, query string, args ...any) *sql.Row {
	if tx.db.dialect.CachesStatements {
		tx.seen(query)
		return tx.QueryRowContext(ctx, query, args...)
	}
	st, err := tx.stmt(ctx, query)
	if err != nil {
		return tx.QueryRowContext(ctx, query, args...) // reports the same error on Scan
	}
	return st.QueryRowContext(ctx, args...)
}

// seen tells onPrepare of a statement's first use in the transaction, as
// stmt does.
func (tx *Tx) seen(query string) {
	if _, ok := tx.stmts[query]; !ok {
		tx.stmts[query] = nil
		if tx.db.onPrepare != nil {
			tx.db.onPrepare(query)
		}
	}
}

func (tx *Tx) stmt(ctx context.Context, query string) (*sql.Stmt, error) {
	if st, ok := tx.stmts[query]; ok {
		return st, nil
	}
	if tx.db.onPrepare != nil {
		tx.db.onPrepare(query)
	}
	st, err := tx.PrepareContext(ctx, query)
	if err != nil {
		return nil, fmt.Errorf("prepare: %w", err)
	}
	tx.stmts[query] = st
	return st, nil
}

// checkPair refuses a second judgement on the same two persons: a pair is
// judged once, and changing one's mind is an undo (a recorded delete)
// followed by a new judgement.
func (tx *Tx) checkPair(ctx context.Context, idn *habeas.Identity) error {
	var other string
	err := tx.queryRow(ctx, `SELECT a.from_id FROM refs a JOIN refs b ON b.from_id = a.from_id
		WHERE a.from_kind = $1 AND a.to_id = $2 AND b.to_id = $3 AND a.from_id <> $4 LIMIT 1`,
		string(habeas.KindIdentity), idn.PersonA, idn.PersonB, idn.ID).Scan(&other)
	if errors.Is(err, sql.ErrNoRows) {
		return nil
	} else if err != nil {
		return fmt.Errorf("check judgements of %s and %s: %w", idn.PersonA, idn.PersonB, err)
	}
	return habeas.Errorf(habeas.ECONFLICT, "%s and %s are already judged in %s; undo that judgement first", idn.PersonA, idn.PersonB, other)
}
