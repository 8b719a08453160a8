package sqlstore

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"golang.org/x/mod/sumdb/tlog"

	"github.com/habeas-project/habeas"
	"github.com/habeas-project/habeas/ledger"
)

// querier runs the reads that both the database and a write transaction
// answer: a transaction sees its own writes.
type querier interface {
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
}

// Find implements habeas.RecordService.
func (db *DB) Find(ctx context.Context, k habeas.Kind, id string) (habeas.Entity, error) {
	e, _, err := db.findVersion(ctx, db.db, k, id)
	return e, err
}

// FindVersion implements habeas.RecordService.
func (db *DB) FindVersion(ctx context.Context, k habeas.Kind, id string) (habeas.Entity, int64, error) {
	return db.findVersion(ctx, db.db, k, id)
}

// findVersion reads a live record of kind k and its version through q.
func (db *DB) findVersion(ctx context.Context, q querier, k habeas.Kind, id string) (_ habeas.Entity, seq int64, err error) {
	defer wrap(&err, "find %s %s", k, id)
	var sealed []byte
	err = q.QueryRowContext(ctx, `SELECT seq, doc FROM entities WHERE id = $1 AND kind = $2`, id, string(k)).Scan(&seq, &sealed)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, 0, habeas.Errorf(habeas.ENOTFOUND, "%s %s not found", k, id)
	} else if err != nil {
		return nil, 0, err
	}
	e, err := db.decode(ctx, q, k, id, sealed)
	if err != nil {
		return nil, 0, err
	}
	return e, seq, nil
}

// decode opens what is stored of record id of kind k (keys.go) and
// decodes it, reading a data key through q if it is not in memory.
func (db *DB) decode(ctx context.Context, q querier, k habeas.Kind, id string, sealed []byte) (habeas.Entity, error) {
	doc, err := db.open(ctx, q, k, id, sealed)
	if err != nil {
		return nil, fmt.Errorf("open %s: %w", id, err)
	}
	return decodeDoc(k, id, doc)
}

// decodeDoc decodes a record's opened document.
func decodeDoc(k habeas.Kind, id string, doc []byte) (habeas.Entity, error) {
	e, err := habeas.NewEntity(k)
	if err != nil {
		return nil, err
	}
	if err := json.Unmarshal(doc, e); err != nil {
		return nil, fmt.Errorf("decode %s: %w", id, err)
	}
	return e, nil
}

// FindReferring implements habeas.RecordService.
func (db *DB) FindReferring(ctx context.Context, k habeas.Kind, id string) ([]habeas.Entity, error) {
	return db.findReferring(ctx, db.db, k, id)
}

// findReferring reads the live records of kind k that refer to id through q.
func (db *DB) findReferring(ctx context.Context, q querier, k habeas.Kind, id string) (_ []habeas.Entity, err error) {
	defer wrap(&err, "find %s referring to %s", k, id)
	rows, err := q.QueryContext(ctx, `SELECT e.id, e.doc FROM refs r JOIN entities e ON e.id = r.from_id WHERE r.to_id = $1 AND r.from_kind = $2 ORDER BY e.id`, id, string(k))
	if err != nil {
		return nil, err
	}
	rs, err := readSealed(rows, k)
	if err != nil {
		return nil, err
	}
	return db.decodeAll(ctx, q, rs)
}

// findPersonsByIIN returns the live persons with iin, in identifier order,
// read through q (a transaction, to see its own writes).
func (db *DB) findPersonsByIIN(ctx context.Context, q querier, iin habeas.IIN) (_ []*habeas.Person, err error) {
	defer wrap(&err, "find persons by IIN")
	rows, err := q.QueryContext(ctx, `SELECT e.id, e.doc FROM person_index x JOIN entities e ON e.id = x.id WHERE x.iin = $1 ORDER BY e.id`, db.blindIIN(iin))
	if err != nil {
		return nil, err
	}
	rs, err := readSealed(rows, habeas.KindPerson)
	if err != nil {
		return nil, err
	}
	es, err := db.decodeAll(ctx, q, rs)
	out := make([]*habeas.Person, len(es))
	for i, e := range es {
		out[i] = e.(*habeas.Person)
	}
	return out, err
}

// FindByKind implements habeas.RecordService.
func (db *DB) FindByKind(ctx context.Context, k habeas.Kind, p habeas.Page) (_ []habeas.Entity, _ int, err error) {
	defer wrap(&err, "find %s records", k)
	w := &where{}
	w.add("x.kind = ?", string(k))
	return db.list(ctx, k, "entities", w, []string{"id"}, p, nil)
}

// FindPersonByID implements habeas.PersonService.
func (db *DB) FindPersonByID(ctx context.Context, id string) (*habeas.Person, error) {
	e, err := db.Find(ctx, habeas.KindPerson, id)
	if err != nil {
		return nil, err
	}
	return e.(*habeas.Person), nil
}

// FindPersonsByID implements habeas.PersonService, in one query per 500 ids.
func (db *DB) FindPersonsByID(ctx context.Context, ids []string) (_ map[string]*habeas.Person, err error) {
	defer wrap(&err, "find %d persons", len(ids))
	out := make(map[string]*habeas.Person, len(ids))
	for chunk := range slices.Chunk(ids, 500) {
		w := &where{}
		w.add("kind = ?", string(habeas.KindPerson))
		in(w, "id IN (%s)", chunk)
		rows, err := db.db.QueryContext(ctx, `SELECT id, doc FROM entities`+w.String(), w.args...)
		if err != nil {
			return nil, err
		}
		rs, err := readSealed(rows, habeas.KindPerson)
		if err != nil {
			return nil, err
		}
		es, err := db.decodeAll(ctx, db.db, rs)
		if err != nil {
			return nil, err
		}
		for _, e := range es {
			out[e.GetID()] = e.(*habeas.Person)
		}
	}
	return out, nil
}

// FindDetentionByID implements habeas.DetentionService.
func (db *DB) FindDetentionByID(ctx context.Context, id string) (*habeas.Detention, error) {
	e, err := db.Find(ctx, habeas.KindDetention, id)
	if err != nil {
		return nil, err
	}
	return e.(*habeas.Detention), nil
}

// where builds a WHERE clause from conditions with $n placeholders; values
// are only ever bound, never written into the SQL.
type where struct {
	conds []string
	args  []any
}

func (w *where) add(cond string, arg any) {
	w.args = append(w.args, arg)
	w.conds = append(w.conds, strings.ReplaceAll(cond, "?", "$"+strconv.Itoa(len(w.args))))
}

// in adds a condition on a list of values: format holds one %s, where
// their placeholders go ("id IN (%s)").
func in[T any](w *where, format string, values []T) {
	marks := make([]string, len(values))
	for i, v := range values {
		w.args = append(w.args, v)
		marks[i] = "$" + strconv.Itoa(len(w.args))
	}
	w.conds = append(w.conds, fmt.Sprintf(format, strings.Join(marks, ", ")))
}

func (w *where) String() string {
	if len(w.conds) == 0 {
		return ""
	}
	return " WHERE " + strings.Join(w.conds, " AND ")
}

// list runs a filtered, paged query over an index table joined to entities
// and counts the total that match: with count when given, else by counting
// the index rows. sort names index columns, each with an optional " DESC",
// and must end with id so that the order is total.
//
// The page is chosen in the index alone and only its rows are joined to
// entities: a join before LIMIT and OFFSET read the document of every
// skipped row too.
func (db *DB) list(ctx context.Context, k habeas.Kind, index string, w *where, sort []string, p habeas.Page, count func() (int, error)) ([]habeas.Entity, int, error) {
	if count == nil {
		count = func() (n int, err error) {
			err = db.db.QueryRowContext(ctx, `SELECT count(*) FROM `+index+` x`+w.String(), w.args...).Scan(&n)
			return n, err
		}
	}
	total, err := count()
	if err != nil {
		return nil, 0, fmt.Errorf("count: %w", err)
	}
	limit, offset := p.Bounds()
	n := len(w.args)
	cols := make([]string, len(sort))
	inner := make([]string, len(sort))
	outer := make([]string, len(sort))
	for i, s := range sort {
		col, _, _ := strings.Cut(s, " ")
		cols[i] = "x." + col
		inner[i] = "x." + s
		outer[i] = "p." + s
	}
	q := `SELECT e.id, e.doc FROM (SELECT ` + strings.Join(cols, ", ") + ` FROM ` + index + ` x` + w.String() +
		` ORDER BY ` + strings.Join(inner, ", ") + ` LIMIT $` + strconv.Itoa(n+1) + ` OFFSET $` + strconv.Itoa(n+2) +
		`) p JOIN entities e ON e.id = p.id ORDER BY ` + strings.Join(outer, ", ")
	rows, err := db.db.QueryContext(ctx, q, append(w.args, limit, offset)...)
	if err != nil {
		return nil, 0, fmt.Errorf("list: %w", err)
	}
	rs, err := readSealed(rows, k)
	if err != nil {
		return nil, 0, err
	}
	out, err := db.decodeAll(ctx, db.db, rs)
	return out, total, err
}

// FindDetentions implements habeas.DetentionService.
func (db *DB) FindDetentions(ctx context.Context, f habeas.DetentionFilter) (_ []*habeas.Detention, _ int, err error) {
	defer wrap(&err, "find detentions")
	table, w, err := detentionWhere(f)
	if err != nil {
		return nil, 0, err
	}
	// Outside a queue, the total comes from hourly cells (countDetentions)
	// rather than counting index rows; a queue's rows are few enough to count.
	var count func() (int, error)
	if f.Queue == nil {
		count = func() (int, error) { return db.countDetentions(ctx, f) }
	}
	es, total, err := db.list(ctx, habeas.KindDetention, table, w, []string{"arrested_us DESC", "id"}, f.Page, count)
	out := make([]*habeas.Detention, len(es))
	for i, e := range es {
		out[i] = e.(*habeas.Detention)
	}
	return out, total, err
}

// detentionWhere returns the index table to read for f, detention_index
// or, for a queue, detention_queues (they have the same filter columns),
// and the condition of its rows that match f.
func detentionWhere(f habeas.DetentionFilter) (string, *where, error) {
	table, w := "detention_index", &where{}
	if f.Queue != nil {
		if !f.Queue.Stored() {
			return "", nil, &habeas.Error{Code: habeas.EINVALID, Message: "invalid filter",
				Fields: []habeas.FieldError{habeas.FieldErrorf("queue", "%q is not a queue the store keeps", *f.Queue)}}
		}
		table = "detention_queues"
		w.add("x.queue = ?", string(*f.Queue))
	}
	detentionConds(w, f, "x.arrested_us", micros(f.From), micros(f.To))
	return table, w, nil
}

// detentionConds adds to w the conditions of f, its queue and page aside,
// on a table of detentions aliased x, with the arrest range [from, to) in
// microseconds on column at: it is the one place the detention filter
// becomes SQL, for the lists, their totals and the hourly cells
// (detention_counts, whose column at is the hour and which has no person
// or identifier),
// so they agree with each other and with DetentionFilter.Match.
func detentionConds(w *where, f habeas.DetentionFilter, at string, from, to *int64) {
	switch {
	case f.IDs != nil && len(f.IDs) == 0:
		w.conds = append(w.conds, "1 = 0")
	case f.IDs != nil:
		in(w, "x.id IN (%s)", f.IDs)
	}
	if f.PersonID != nil {
		w.add("x.person_id = ?", *f.PersonID)
	}
	if f.City != nil {
		w.add("x.city = ?", *f.City)
	}
	if f.Procedure != nil {
		w.add("x.procedure = ?", string(*f.Procedure))
	}
	if f.Status != nil {
		w.add("x.status = ?", string(*f.Status))
	}
	addRange(w, at, from, to)
}

// addRange bounds column col to [from, to), in microseconds where given.
func addRange(w *where, col string, from, to *int64) {
	if from != nil {
		w.add(col+" >= ?", *from)
	}
	if to != nil {
		w.add(col+" < ?", *to)
	}
}

// micros is t in microseconds, as the stores keep times; nil stays nil.
func micros(t *time.Time) *int64 {
	if t == nil {
		return nil
	}
	us := t.UnixMicro()
	return &us
}

// Counts implements habeas.StatsService.
func (db *DB) Counts(ctx context.Context) (_ habeas.Counts, err error) {
	defer wrap(&err, "counts")
	rows, err := db.db.QueryContext(ctx, `SELECT kind, count(*) FROM entities GROUP BY kind`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	c := habeas.Counts{}
	for rows.Next() {
		var k string
		var n int
		if err := rows.Scan(&k, &n); err != nil {
			return nil, err
		}
		c[habeas.Kind(k)] = n
	}
	return c, rows.Err()
}

// History implements habeas.ChangeService.
func (db *DB) History(ctx context.Context, id string) (_ []*habeas.Change, err error) {
	defer wrap(&err, "history of %s", id)
	return db.readChanges(ctx, true, `SELECT seq, at_us, actor, kind, entity_id, op, data, sources, reason, data_hash, claimed_actor, claimed_at_us, import_file FROM changes WHERE entity_id = $1 ORDER BY seq`, id)
}

// Changes implements habeas.ChangeService.
func (db *DB) Changes(ctx context.Context, after int64, limit int) (_ []*habeas.Change, err error) {
	defer wrap(&err, "changes after %d", after)
	return db.readChanges(ctx, false, `SELECT seq, at_us, actor, kind, entity_id, op, data, sources, reason, data_hash, claimed_actor, claimed_at_us, import_file FROM changes WHERE seq > $1 ORDER BY seq LIMIT $2`, after, limit)
}

// readChanges reads changes and opens them; with check (a history, not
// the log followed at start), each is marked Unverified if the ledger
// does not vouch for it as stored.
func (db *DB) readChanges(ctx context.Context, check bool, q string, args ...any) ([]*habeas.Change, error) {
	rows, err := db.db.QueryContext(ctx, q, args...)
	if err != nil {
		return nil, err
	}
	type row struct {
		c       *habeas.Change
		sealed  []byte
		entry   ledger.Entry
		stateOK bool // the state is the one its hash records
	}
	rs, err := collect(rows, func(rows *sql.Rows) (row, error) {
		c := &habeas.Change{}
		var atUS int64
		var kind, op, sources string
		var sealed, hash []byte
		var cl claim
		if err := rows.Scan(&c.Seq, &atUS, &c.Actor, &kind, &c.ID, &op, &sealed, &sources, &c.Reason, &hash, &cl.Actor, &cl.AtUS, &cl.File); err != nil {
			return row{}, err
		}
		c.Imported = cl.imported()
		c.At = time.UnixMicro(atUS).UTC()
		c.Kind, c.Op = habeas.Kind(kind), habeas.Op(op)
		if sources != "" {
			c.Sources = strings.Split(sources, ",")
		}
		r := row{c: c, sealed: sealed, entry: entryOf(c.Seq, atUS, c.Actor, kind, c.ID, op, hash, sources, c.Reason, cl)}
		r.stateOK = !check || sealed == nil || bytes.Equal(dataHash(sealed), hash)
		return r, nil
	})
	if err != nil {
		return nil, err
	}
	for i, r := range rs {
		if !r.stateOK {
			// Sealed since it was recorded (habeas key seal), or erased.
			doc, err := db.open(ctx, db.db, r.c.Kind, r.c.ID, r.sealed)
			rs[i].stateOK = errors.Is(err, errErased) || err == nil && bytes.Equal(dataHash(doc), r.entry.DataHash)
		}
	}
	out := make([]*habeas.Change, len(rs))
	stored := make([][]byte, len(rs))
	erasure := false
	for i, r := range rs {
		out[i], stored[i] = r.c, r.sealed
		erasure = erasure || r.c.Op == habeas.OpErase
	}
	if erasure && db.keys != nil {
		// Made by another process, perhaps: the keys it destroyed are
		// dropped from memory before anything is opened.
		if err := db.refreshErasures(ctx, db.db, true); err != nil {
			return nil, err
		}
	}
	// The keys after the rows: a connection serves one query at a time.
	if err := db.prefetch(ctx, db.db, stored); err != nil {
		return nil, err
	}
	for i, c := range out {
		var err error
		if c.Reason, err = db.openText(erasedOwner, c.Reason); err != nil {
			return nil, fmt.Errorf("open the reason of change %d: %w", c.Seq, err)
		}
		if stored[i] == nil {
			// A delete records no state; any other change without one
			// was blanked by an erasure, or imported already erased.
			c.Erased = c.Op != habeas.OpDelete
			continue
		}
		if !rs[i].stateOK {
			continue // not the state recorded: shown as unverified, not opened
		}
		doc, err := db.open(ctx, db.db, c.Kind, c.ID, stored[i])
		if errors.Is(err, errErased) {
			c.Erased = true
			continue
		} else if err != nil {
			return nil, fmt.Errorf("open change %d: %w", c.Seq, err)
		}
		c.Data = doc
	}
	if !check {
		return out, nil
	}
	entries := make([]ledger.Entry, len(rs))
	for i, r := range rs {
		entries[i] = r.entry
		out[i].Unverified = !r.stateOK
	}
	return out, db.vouch(ctx, out, entries)
}

// vouch marks the changes whose ledger leaf is not the one recomputed
// from them as stored (Change.Unverified): changed behind the
// application's back.
func (db *DB) vouch(ctx context.Context, cs []*habeas.Change, entries []ledger.Entry) error {
	idx := make([]int64, len(cs))
	for i, c := range cs {
		idx[i] = tlog.StoredHashIndex(0, c.Seq-1)
	}
	leaves := map[int64]tlog.Hash{}
	if err := readStoredHashes(ctx, db.db, idx, leaves); err != nil {
		return err
	}
	for i, c := range cs {
		if leaf, ok := leaves[idx[i]]; !ok || leaf != entries[i].Hash() {
			c.Unverified = true
		}
	}
	return nil
}

// LastSeq implements habeas.ChangeService.
func (db *DB) LastSeq(ctx context.Context) (seq int64, err error) {
	defer wrap(&err, "last sequence")
	err = db.db.QueryRowContext(ctx, `SELECT COALESCE(MAX(seq), 0) FROM changes`).Scan(&seq)
	return seq, err
}
