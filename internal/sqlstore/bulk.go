package sqlstore

import (
	"context"
	"errors"
	"fmt"
)

// deferrable are the secondary indexes that the write path never reads:
// lists, searches and the checks of deletes use them, creates do not. A
// bulk load drops them and builds each once at the end, by sorting, instead
// of inserting into each of them at a random place for every record.
// Dropping an index never changes a result, only how fast it comes — but
// an index the write path reads, dropped, turns each of its lookups into a
// scan, and the load into quadratic time: the queues read refs_to (the
// assignments of a detention) and detention_index_person (the detentions
// of a person), so those stay. TestWritePathReadsNoDeferrableIndex keeps
// this list honest.
var deferrable = []string{
	"entities_kind",
	"detention_index_arrested", "detention_index_city", "detention_index_status", "detention_index_procedure",
	"person_index_name", "person_index_iin",
}

// BulkLoad runs load, which writes many records through Apply or Import,
// with the deferrable indexes dropped; then it builds them again, as they
// were, and refreshes the planner's statistics. Reads during load are slow,
// and another process writing at the same time is not sped up, so it is
// meant for filling a fresh store (the demo at scale). The indexes are
// rebuilt even if load fails.
func (db *DB) BulkLoad(ctx context.Context, load func(ctx context.Context) error) (err error) {
	if db.dialect.IndexDef == "" {
		return load(ctx)
	}
	var defs []string
	for _, name := range deferrable {
		var def string
		if err := db.db.QueryRowContext(ctx, db.dialect.IndexDef, name).Scan(&def); err != nil {
			return fmt.Errorf("bulk load: read index %s: %w", name, err)
		}
		defs = append(defs, def)
	}
	defer func() {
		// Rebuild with a context of its own, so that a cancelled load
		// still leaves every index in place.
		rctx := context.WithoutCancel(ctx)
		for i, def := range defs {
			if _, rerr := db.db.ExecContext(rctx, def); rerr != nil {
				err = errors.Join(err, fmt.Errorf("bulk load: rebuild index %s: %w", deferrable[i], rerr))
			}
		}
		err = errors.Join(err, db.Analyze(rctx))
	}()
	for i, name := range deferrable {
		if _, err := db.db.ExecContext(ctx, `DROP INDEX `+name); err != nil {
			defs = defs[:i] // only those dropped are rebuilt
			return fmt.Errorf("bulk load: drop index %s: %w", name, err)
		}
	}
	return load(ctx)
}
