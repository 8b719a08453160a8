package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/habeas-project/habeas"
)

// hourUS is an hour in microseconds, the width of a detention_counts cell.
const hourUS = int64(time.Hour / time.Microsecond)

// hourOf rounds a time in microseconds down to its hour, as migration 004
// does (before 1970 too).
func hourOf(us int64) int64 { return us - ((us%hourUS)+hourUS)%hourUS }

// countDetention adds delta (+1 or -1) to the cell of a detention with
// these index values.
func (tx *Tx) countDetention(ctx context.Context, city, procedure, status string, arrestedUS int64, delta int) error {
	h := hourOf(arrestedUS)
	if delta > 0 {
		_, err := tx.exec(ctx, `INSERT INTO detention_counts (city, procedure, status, hour_us, n) VALUES ($1, $2, $3, $4, 1)
			ON CONFLICT (city, procedure, status, hour_us) DO UPDATE SET n = detention_counts.n + 1`, city, procedure, status, h)
		return err
	}
	if _, err := tx.exec(ctx, `UPDATE detention_counts SET n = n - 1 WHERE city = $1 AND procedure = $2 AND status = $3 AND hour_us = $4`,
		city, procedure, status, h); err != nil {
		return err
	}
	_, err := tx.exec(ctx, `DELETE FROM detention_counts WHERE city = $1 AND procedure = $2 AND status = $3 AND hour_us = $4 AND n <= 0`,
		city, procedure, status, h)
	return err
}

// uncountDetention takes the indexed detention id, if there is one, off
// its cell; call it before its index row is replaced or deleted.
func (tx *Tx) uncountDetention(ctx context.Context, id string) error {
	var city, procedure, status string
	var at int64
	err := tx.queryRow(ctx, `SELECT city, procedure, status, arrested_us FROM detention_index WHERE id = $1`, id).Scan(&city, &procedure, &status, &at)
	if errors.Is(err, sql.ErrNoRows) {
		return nil
	} else if err != nil {
		return fmt.Errorf("read index of %s: %w", id, err)
	}
	if err := tx.countDetention(ctx, city, procedure, status, at, -1); err != nil {
		return fmt.Errorf("uncount %s: %w", id, err)
	}
	return nil
}

// countDetentions returns how many detentions match f. The whole hours of
// the arrest range are summed from detention_counts; only the detentions
// in a partial hour at either end are counted from the index. A filter on
// the person (a handful of rows) is counted from the index.
func (db *DB) countDetentions(ctx context.Context, f habeas.DetentionFilter) (int, error) {
	from, to := micros(f.From), micros(f.To)
	countIndex := func(from, to *int64) (int, error) {
		w := &where{}
		detentionConds(w, f, "x.arrested_us", from, to)
		var n int
		err := db.db.QueryRowContext(ctx, `SELECT count(*) FROM detention_index x`+w.String(), w.args...).Scan(&n)
		return n, err
	}
	// The whole hours are [lo, hi), each nil where the range is open.
	var lo, hi *int64
	if from != nil {
		h := hourOf(*from + hourUS - 1)
		lo = &h
	}
	if to != nil {
		h := hourOf(*to)
		hi = &h
	}
	if f.PersonID != nil || f.IDs != nil || (lo != nil && hi != nil && *lo >= *hi) {
		return countIndex(from, to)
	}
	w := &where{}
	detentionConds(w, f, "x.hour_us", lo, hi) // no person or identifier here: those are counted from the index
	var total int
	if err := db.db.QueryRowContext(ctx, `SELECT COALESCE(SUM(n), 0) FROM detention_counts x`+w.String(), w.args...).Scan(&total); err != nil {
		return 0, err
	}
	if from != nil && *from < *lo {
		n, err := countIndex(from, lo)
		if err != nil {
			return 0, err
		}
		total += n
	}
	if to != nil && *hi < *to {
		n, err := countIndex(hi, to)
		if err != nil {
			return 0, err
		}
		total += n
	}
	return total, nil
}
