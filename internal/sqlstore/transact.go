package sqlstore

import (
	"context"
	"fmt"
	"slices"

	"github.com/habeas-project/habeas"
)

// Transact implements habeas.RecordService: fn reads and writes through
// one write transaction, which commits only if fn and every write in it
// succeed. Writers are serialized at its start (begin), so what fn reads
// stays true until it commits.
func (db *DB) Transact(ctx context.Context, fn func(habeas.Tx) error) (_ []*habeas.Change, err error) {
	defer wrap(&err, "transact")
	tx, err := db.begin(ctx)
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	rt := &recordTx{tx: tx}
	if err := fn(rt); err != nil {
		return nil, err
	}
	if rt.err != nil {
		return nil, rt.err
	}
	if err := tx.Commit(); err != nil {
		return nil, fmt.Errorf("commit: %w", err)
	}
	return rt.changes, nil
}

// recordTx is the habeas.Tx that Transact hands its function: the store's
// write transaction seen through the domain's interface, which offers no
// way to commit or roll back.
type recordTx struct {
	tx      *Tx
	changes []*habeas.Change // every change written so far, in order
	// err is the first failure of the transaction. It fails Transact even
	// if fn ignores it, so that half a workflow is never committed, and
	// ends the transaction's use: after a failed statement PostgreSQL
	// refuses every other.
	err error
}

// Find implements habeas.Tx.
func (rt *recordTx) Find(ctx context.Context, k habeas.Kind, id string) (habeas.Entity, int64, error) {
	if rt.err != nil {
		return nil, 0, rt.err
	}
	e, seq, err := rt.tx.db.findVersion(ctx, rt.tx, k, id)
	return e, seq, rt.failed(err)
}

// FindReferring implements habeas.Tx.
func (rt *recordTx) FindReferring(ctx context.Context, k habeas.Kind, id string) ([]habeas.Entity, error) {
	if rt.err != nil {
		return nil, rt.err
	}
	es, err := rt.tx.db.findReferring(ctx, rt.tx, k, id)
	return es, rt.failed(err)
}

// FindPersonsByIIN implements habeas.Tx.
func (rt *recordTx) FindPersonsByIIN(ctx context.Context, iin habeas.IIN) ([]*habeas.Person, error) {
	if rt.err != nil {
		return nil, rt.err
	}
	ps, err := rt.tx.db.findPersonsByIIN(ctx, rt.tx, iin)
	return ps, rt.failed(err)
}

// Apply implements habeas.Tx.
func (rt *recordTx) Apply(ctx context.Context, muts []habeas.Mutation) ([]*habeas.Change, error) {
	if rt.err != nil {
		return nil, rt.err
	}
	n := len(rt.changes)
	changes, err := rt.tx.apply(ctx, muts, rt.changes)
	if err != nil {
		rt.err = err
		return nil, err
	}
	rt.changes = changes
	return slices.Clip(changes[n:]), nil
}

// failed records a read's failure if it ends the transaction: a record
// not found leaves it usable, a failing database does not.
func (rt *recordTx) failed(err error) error {
	if habeas.ErrorCode(err) == habeas.EINTERNAL {
		rt.err = err
	}
	return err
}
