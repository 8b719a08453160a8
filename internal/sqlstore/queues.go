package sqlstore

import (
	"context"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/habeas-project/habeas"
)

// The stored queues (habeas.Queue.Stored) are rows of detention_queues, one
// per detention and queue it belongs to, with the list's filter columns.
// Membership follows the domain's definitions (habeas.NoLawyer,
// habeas.Incommunicado, Person.IsForeign, habeas.AgeAtArrest) and is
// rewritten in the same transaction as every write that can change it:
//
//   - a detention: every queue, from the detention, its person and, on an
//     update, its assignments (a new detention has none yet);
//   - a person: foreign and juvenile, for each of their detentions;
//   - an assignment: no_lawyer, for its detention (and the one it left,
//     when an update moves it).
//
// The table's indexes lead with the queue, so a queue is listed and counted
// from an index the size of the queue (migration 002).

// storedQueues are the queues the store keeps, in a fixed order.
var storedQueues = []habeas.Queue{habeas.QueueNoLawyer, habeas.QueueIncommunicado, habeas.QueueForeign, habeas.QueueJuvenile}

// membership says which of some stored queues a detention belongs to.
type membership map[habeas.Queue]bool

// membershipOf is a detention's membership of every stored queue.
func membershipOf(d *habeas.Detention, p *habeas.Person, as []*habeas.Assignment) membership {
	m := membership{habeas.QueueNoLawyer: habeas.NoLawyer(d, as), habeas.QueueIncommunicado: habeas.Incommunicado(d)}
	m.addPerson(p, d)
	return m
}

// addPerson sets the queues that follow from the person: foreign, juvenile.
func (m membership) addPerson(p *habeas.Person, d *habeas.Detention) {
	age := habeas.AgeAtArrest(p, d)
	m[habeas.QueueForeign] = p != nil && p.IsForeign()
	m[habeas.QueueJuvenile] = age == habeas.AgeJuvenile || age == habeas.AgePossiblyJuvenile
}

// queueRow is what a queue's row repeats of the detention's index row.
type queueRow struct {
	id, personID, city, procedure, status string
	arrestedUS                            int64
}

func rowOf(d *habeas.Detention) queueRow {
	return queueRow{d.ID, d.PersonID, d.City, string(d.Procedure), string(d.Status()), d.ArrestedAt().UnixMicro()}
}

// setQueues rewrites the rows of one detention for the queues m names:
// it leaves the queues m does not name alone. fresh says the detention has
// no rows yet, so there is nothing to delete.
func (tx *Tx) setQueues(ctx context.Context, r queueRow, m membership, fresh bool) error {
	args := []any{r.id}
	var names, values []string
	for _, q := range storedQueues {
		member, ok := m[q]
		if !ok {
			continue
		}
		names = append(names, "'"+string(q)+"'") // a constant of the code, never a value from outside
		if member {
			values = append(values, fmt.Sprintf("('%s', $1, $2, $3, $4, $5, $6)", q))
		}
	}
	if !fresh && len(names) > 0 {
		if _, err := tx.exec(ctx, `DELETE FROM detention_queues WHERE queue IN (`+strings.Join(names, ", ")+`) AND id = $1`, args...); err != nil {
			return fmt.Errorf("clear queues of %s: %w", r.id, err)
		}
	}
	if len(values) == 0 {
		return nil
	}
	args = append(args, r.personID, r.city, r.procedure, r.status, r.arrestedUS)
	if _, err := tx.exec(ctx, `INSERT INTO detention_queues (queue, id, person_id, city, procedure, status, arrested_us) VALUES `+strings.Join(values, ", "), args...); err != nil {
		return fmt.Errorf("queue %s: %w", r.id, err)
	}
	return nil
}

// person returns a live person, from this transaction's writes or the
// store; nil if there is none.
func (tx *Tx) person(ctx context.Context, id string) (*habeas.Person, error) {
	if p, ok := tx.persons[id]; ok {
		return p, nil
	}
	s, live, err := tx.current(ctx, id)
	if err != nil || !live || s.kind != habeas.KindPerson {
		return nil, err
	}
	var p habeas.Person
	if err := json.Unmarshal(s.doc, &p); err != nil {
		return nil, fmt.Errorf("decode %s: %w", id, err)
	}
	return &p, nil
}

// assignmentsOf returns the live assignments of a detention.
func (tx *Tx) assignmentsOf(ctx context.Context, detentionID string) ([]*habeas.Assignment, error) {
	st, err := tx.stmt(ctx, `SELECT e.id, e.doc FROM refs r JOIN entities e ON e.id = r.from_id WHERE r.to_id = $1 AND r.from_kind = $2`)
	if err != nil {
		return nil, err
	}
	rows, err := st.QueryContext(ctx, detentionID, string(habeas.KindAssignment))
	if err != nil {
		return nil, fmt.Errorf("assignments of %s: %w", detentionID, err)
	}
	rs, err := readSealed(rows, habeas.KindAssignment)
	if err != nil {
		return nil, err
	}
	es, err := tx.db.decodeAll(ctx, tx, rs)
	out := make([]*habeas.Assignment, len(es))
	for i, e := range es {
		out[i] = e.(*habeas.Assignment)
	}
	return out, err
}

// requeue keeps the queues current after a write of e; old is e's state
// before an update.
func (tx *Tx) requeue(ctx context.Context, op habeas.Op, e habeas.Entity, old []byte) error {
	switch e := e.(type) {
	case *habeas.Detention:
		p, err := tx.person(ctx, e.PersonID)
		if err != nil {
			return err
		}
		var as []*habeas.Assignment
		if op == habeas.OpUpdate { // a new detention has no assignments: they would refer to it
			if as, err = tx.assignmentsOf(ctx, e.ID); err != nil {
				return err
			}
		}
		return tx.setQueues(ctx, rowOf(e), membershipOf(e, p, as), op == habeas.OpCreate)
	case *habeas.Person:
		if tx.persons == nil {
			tx.persons = map[string]*habeas.Person{}
		}
		tx.persons[e.ID] = e
		if op == habeas.OpUpdate { // a new person has no detentions yet
			return tx.requeuePerson(ctx, e)
		}
	case *habeas.Assignment:
		if op == habeas.OpCreate && !e.To.IsZero() {
			return nil // a closed assignment changes nothing
		}
		if err := tx.requeueLawyer(ctx, e.DetentionID); err != nil {
			return err
		}
		if op == habeas.OpUpdate {
			var before habeas.Assignment
			if err := json.Unmarshal(old, &before); err != nil {
				return fmt.Errorf("decode %s: %w", e.ID, err)
			}
			if before.DetentionID != e.DetentionID {
				return tx.requeueLawyer(ctx, before.DetentionID)
			}
		}
	}
	return nil
}

// unqueue keeps the queues current after the delete of an entity whose
// state was doc.
func (tx *Tx) unqueue(ctx context.Context, k habeas.Kind, id string, doc []byte) error {
	switch k {
	case habeas.KindDetention:
		return tx.setQueues(ctx, queueRow{id: id}, membership{habeas.QueueNoLawyer: false,
			habeas.QueueIncommunicado: false, habeas.QueueForeign: false, habeas.QueueJuvenile: false}, false)
	case habeas.KindPerson:
		delete(tx.persons, id)
	case habeas.KindAssignment:
		var a habeas.Assignment
		if err := json.Unmarshal(doc, &a); err != nil {
			return fmt.Errorf("decode %s: %w", id, err)
		}
		return tx.requeueLawyer(ctx, a.DetentionID)
	}
	return nil
}

// requeueLawyer rewrites one detention's membership of QueueNoLawyer from
// its assignments.
func (tx *Tx) requeueLawyer(ctx context.Context, detentionID string) error {
	s, live, err := tx.current(ctx, detentionID)
	if err != nil || !live {
		return err
	}
	var d habeas.Detention
	if err := json.Unmarshal(s.doc, &d); err != nil {
		return fmt.Errorf("decode %s: %w", detentionID, err)
	}
	as, err := tx.assignmentsOf(ctx, detentionID)
	if err != nil {
		return err
	}
	return tx.setQueues(ctx, rowOf(&d), membership{habeas.QueueNoLawyer: habeas.NoLawyer(&d, as)}, false)
}

// requeuePerson rewrites the foreign and juvenile membership of each of a
// person's detentions, from what their index rows keep: the arrest time
// (Detention.ArrestedAt) and the city are all AgeAtArrest reads.
func (tx *Tx) requeuePerson(ctx context.Context, p *habeas.Person) error {
	st, err := tx.stmt(ctx, `SELECT id, city, procedure, status, arrested_us FROM detention_index WHERE person_id = $1`)
	if err != nil {
		return err
	}
	rows, err := st.QueryContext(ctx, p.ID)
	if err != nil {
		return fmt.Errorf("detentions of %s: %w", p.ID, err)
	}
	var rs []queueRow
	for rows.Next() {
		r := queueRow{personID: p.ID}
		if err := rows.Scan(&r.id, &r.city, &r.procedure, &r.status, &r.arrestedUS); err != nil {
			rows.Close()
			return err
		}
		rs = append(rs, r)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	for _, r := range rs { // the rows are closed: PostgreSQL runs one statement at a time
		d := &habeas.Detention{ID: r.id, City: r.city, Events: []habeas.Event{{Type: habeas.EventArrest, At: time.UnixMicro(r.arrestedUS).UTC()}}}
		m := membership{}
		m.addPerson(p, d)
		if err := tx.setQueues(ctx, r, m, false); err != nil {
			return err
		}
	}
	return nil
}

// requeueAll queues every detention: the step of migration 002, for
// detentions stored before it. It reads them in pages in identifier order,
// with their persons and assignments.
func (tx *Tx) requeueAll(ctx context.Context) error {
	const page = 500
	after := ""
	for {
		type detention struct {
			d  *habeas.Detention
			p  *habeas.Person
			as []*habeas.Assignment
		}
		var ds []detention
		rows, err := tx.QueryContext(ctx, `SELECT x.id, d.doc, p.id, p.doc FROM detention_index x
			JOIN entities d ON d.id = x.id LEFT JOIN entities p ON p.id = x.person_id
			WHERE x.id > $1 ORDER BY x.id LIMIT `+strconv.Itoa(page), after)
		if err != nil {
			return fmt.Errorf("read detentions: %w", err)
		}
		for rows.Next() {
			var id string
			var pid *string
			var ddoc, pdoc []byte
			if err := rows.Scan(&id, &ddoc, &pid, &pdoc); err != nil {
				rows.Close()
				return err
			}
			var r detention
			e, err := tx.db.decode(ctx, tx, habeas.KindDetention, id, ddoc)
			if err == nil && pid != nil {
				var pe habeas.Entity
				if pe, err = tx.db.decode(ctx, tx, habeas.KindPerson, *pid, pdoc); err == nil {
					r.p = pe.(*habeas.Person)
				}
			}
			if err != nil {
				rows.Close()
				return err
			}
			r.d = e.(*habeas.Detention)
			ds = append(ds, r)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
		if len(ds) == 0 {
			return nil
		}
		// The assignments of this page of detentions, in one range of refs.
		// (This step runs when migration 002 does, before a register can be
		// encrypted: its documents are JSON, opened without a query.)
		index := map[string]int{}
		for i, r := range ds {
			index[r.d.ID] = i
		}
		last := ds[len(ds)-1].d.ID
		rows, err = tx.QueryContext(ctx, `SELECT r.to_id, e.id, e.doc FROM refs r JOIN entities e ON e.id = r.from_id
			WHERE r.to_id > $1 AND r.to_id <= $2 AND r.from_kind = $3`, after, last, string(habeas.KindAssignment))
		if err != nil {
			return fmt.Errorf("read assignments: %w", err)
		}
		for rows.Next() {
			var to, id string
			var doc []byte
			if err := rows.Scan(&to, &id, &doc); err != nil {
				rows.Close()
				return err
			}
			e, err := tx.db.decode(ctx, tx, habeas.KindAssignment, id, doc)
			if err != nil {
				rows.Close()
				return err
			}
			if i, ok := index[to]; ok {
				ds[i].as = append(ds[i].as, e.(*habeas.Assignment))
			}
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
		for _, r := range ds {
			if err := tx.setQueues(ctx, rowOf(r.d), membershipOf(r.d, r.p, r.as), true); err != nil {
				return err
			}
		}
		after = last
	}
}

// PlanDetentions returns the database's plans for the two queries that
// list detentions matching f: the count, then the page of identifiers in
// list order. SQLite answers EXPLAIN QUERY PLAN, PostgreSQL EXPLAIN. It is
// for tests and diagnostics, to show that every filter and queue is
// answered from an index.
func (db *DB) PlanDetentions(ctx context.Context, f habeas.DetentionFilter) (count, page []string, err error) {
	defer wrap(&err, "plan detentions")
	table, w, err := detentionWhere(f)
	if err != nil {
		return nil, nil, err
	}
	explain := "EXPLAIN "
	if db.dialect.Name == "sqlite" {
		explain = "EXPLAIN QUERY PLAN "
	}
	plan := func(q string) ([]string, error) {
		rows, err := db.db.QueryContext(ctx, explain+q, w.args...)
		if err != nil {
			return nil, err
		}
		defer rows.Close()
		cols, err := rows.Columns()
		if err != nil {
			return nil, err
		}
		var out []string
		for rows.Next() {
			vals := make([]any, len(cols))
			ptrs := make([]any, len(cols))
			for i := range vals {
				ptrs[i] = &vals[i]
			}
			if err := rows.Scan(ptrs...); err != nil {
				return nil, err
			}
			out = append(out, fmt.Sprint(vals[len(vals)-1])) // the step's text is the last column in both
		}
		return out, rows.Err()
	}
	if count, err = plan(`SELECT count(*) FROM ` + table + ` x` + w.String()); err != nil {
		return nil, nil, err
	}
	page, err = plan(`SELECT x.id FROM ` + table + ` x` + w.String() + ` ORDER BY x.arrested_us DESC, x.id LIMIT 50`)
	return count, page, err
}
