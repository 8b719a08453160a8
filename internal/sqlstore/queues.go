package sqlstore

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"github.com/habeas-project/habeas"
)

// The stored queues (habeas.Queue.Stored) live on each detention's index
// row as flags, computed by the domain's definitions (habeas.NoLawyer,
// habeas.Incommunicado, Person.IsForeign, habeas.AgeAtArrest) in the same
// transaction as every write that can change them:
//
//   - a detention: all four, from the detention, its person and, on an
//     update, its assignments (a new detention has none yet);
//   - a person: foreign_national and juvenile of each of their detentions;
//   - an assignment: no_lawyer of its detention (and of the one it left,
//     when an update moves it).
//
// Each queue has a partial index (migration 002) that holds only its
// members, so a queue is listed and counted from that index.

// queueFlags is a detention's membership of the stored queues.
type queueFlags struct {
	noLawyer, incommunicado, foreign bool
	age                              habeas.AgeGroup
}

func flagsOf(d *habeas.Detention, p *habeas.Person, as []*habeas.Assignment) queueFlags {
	f := queueFlags{noLawyer: habeas.NoLawyer(d, as), incommunicado: habeas.Incommunicado(d)}
	if p != nil {
		f.foreign = p.IsForeign()
		f.age = habeas.AgeAtArrest(p, d)
	}
	return f
}

// args are the flags as the columns no_lawyer, incommunicado,
// foreign_national and juvenile hold them.
func (f queueFlags) args() []any {
	return []any{bit(f.noLawyer), bit(f.incommunicado), bit(f.foreign), juvenileColumn(f.age)}
}

func bit(b bool) int {
	if b {
		return 1
	}
	return 0
}

// juvenileColumn is 1 for under 18 at the arrest, for sure or possibly.
func juvenileColumn(a habeas.AgeGroup) int {
	return bit(a == habeas.AgeJuvenile || a == habeas.AgePossiblyJuvenile)
}

// queueCond is the condition of a queue's members, written as its partial
// index's condition is, an equality with a constant, so that the planner
// uses that index and reads nothing else.
func queueCond(q habeas.Queue) (string, error) {
	switch q {
	case habeas.QueueNoLawyer:
		return "x.no_lawyer = 1", nil
	case habeas.QueueIncommunicado:
		return "x.incommunicado = 1", nil
	case habeas.QueueForeign:
		return "x.foreign_national = 1", nil
	case habeas.QueueJuvenile:
		return "x.juvenile = 1", nil
	}
	return "", &habeas.Error{Code: habeas.EINVALID, Message: "invalid filter",
		Fields: []habeas.FieldError{habeas.FieldErrorf("queue", "%q is not a queue the store keeps", q)}}
}

// detentionFlags computes the flags of a detention being written.
func (tx *Tx) detentionFlags(ctx context.Context, d *habeas.Detention, update bool) (queueFlags, error) {
	p, err := tx.person(ctx, d.PersonID)
	if err != nil {
		return queueFlags{}, err
	}
	var as []*habeas.Assignment
	if update { // a new detention has no assignments: they would refer to it
		if as, err = tx.assignmentsOf(ctx, d.ID); err != nil {
			return queueFlags{}, err
		}
	}
	return flagsOf(d, p, as), nil
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
	defer rows.Close()
	var out []*habeas.Assignment
	for rows.Next() {
		var id string
		var sealed []byte
		if err := rows.Scan(&id, &sealed); err != nil {
			return nil, err
		}
		e, err := tx.db.decode(habeas.KindAssignment, id, sealed)
		if err != nil {
			return nil, err
		}
		out = append(out, e.(*habeas.Assignment))
	}
	return out, rows.Err()
}

// requeue keeps the flags of other entities' detentions current after a
// write of e; old is e's state before an update.
func (tx *Tx) requeue(ctx context.Context, op habeas.Op, e habeas.Entity, old []byte) error {
	switch e := e.(type) {
	case *habeas.Person:
		if tx.persons == nil {
			tx.persons = map[string]*habeas.Person{}
		}
		tx.persons[e.ID] = e
		if op == habeas.OpUpdate { // a new person has no detentions yet
			return tx.requeuePerson(ctx, e)
		}
	case *habeas.Assignment:
		if op == habeas.OpCreate {
			if e.To.IsZero() {
				// An open assignment takes its detention off the queue,
				// whatever else is recorded (habeas.NoLawyer).
				_, err := tx.exec(ctx, `UPDATE detention_index SET no_lawyer = 0 WHERE id = $1`, e.DetentionID)
				return err
			}
			return nil // a closed assignment changes nothing
		}
		if err := tx.requeueLawyer(ctx, e.DetentionID); err != nil {
			return err
		}
		var before habeas.Assignment
		if err := json.Unmarshal(old, &before); err != nil {
			return fmt.Errorf("decode %s: %w", e.ID, err)
		}
		if before.DetentionID != e.DetentionID {
			return tx.requeueLawyer(ctx, before.DetentionID)
		}
	}
	return nil
}

// unqueue keeps the flags current after the delete of an entity whose
// state was doc.
func (tx *Tx) unqueue(ctx context.Context, k habeas.Kind, id string, doc []byte) error {
	switch k {
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

// requeueLawyer recomputes no_lawyer of one detention from its assignments.
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
	_, err = tx.exec(ctx, `UPDATE detention_index SET no_lawyer = $1 WHERE id = $2`, bit(habeas.NoLawyer(&d, as)), detentionID)
	return err
}

// requeuePerson recomputes foreign_national and juvenile of each of a
// person's detentions, from the arrest time and city their index rows keep.
func (tx *Tx) requeuePerson(ctx context.Context, p *habeas.Person) error {
	st, err := tx.stmt(ctx, `SELECT id, city, arrested_us FROM detention_index WHERE person_id = $1`)
	if err != nil {
		return err
	}
	rows, err := st.QueryContext(ctx, p.ID)
	if err != nil {
		return fmt.Errorf("detentions of %s: %w", p.ID, err)
	}
	var ds []*habeas.Detention
	for rows.Next() {
		var d habeas.Detention
		var us int64
		if err := rows.Scan(&d.ID, &d.City, &us); err != nil {
			rows.Close()
			return err
		}
		d.Events = []habeas.Event{{Type: habeas.EventArrest, At: time.UnixMicro(us).UTC()}} // all AgeAtArrest reads
		ds = append(ds, &d)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	for _, d := range ds { // the rows are closed: PostgreSQL runs one statement at a time
		if _, err := tx.exec(ctx, `UPDATE detention_index SET foreign_national = $1, juvenile = $2 WHERE id = $3`,
			bit(p.IsForeign()), juvenileColumn(habeas.AgeAtArrest(p, d)), d.ID); err != nil {
			return fmt.Errorf("requeue %s: %w", d.ID, err)
		}
	}
	return nil
}

// requeueAll computes the flags of every detention: the step of migration
// 002, for detentions stored before it. It reads them in pages in
// identifier order, with their persons and assignments.
func (tx *Tx) requeueAll(ctx context.Context) error {
	const page = 500
	after := ""
	for {
		type row struct {
			d  *habeas.Detention
			p  *habeas.Person
			as []*habeas.Assignment
		}
		var rs []row
		rows, err := tx.QueryContext(ctx, `SELECT x.id, d.doc, p.id, p.doc FROM detention_index x
			JOIN entities d ON d.id = x.id LEFT JOIN entities p ON p.id = x.person_id
			WHERE x.id > $1 ORDER BY x.id LIMIT $2`, after, page)
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
			r := row{}
			e, err := tx.db.decode(habeas.KindDetention, id, ddoc)
			if err == nil && pid != nil {
				var pe habeas.Entity
				if pe, err = tx.db.decode(habeas.KindPerson, *pid, pdoc); err == nil {
					r.p = pe.(*habeas.Person)
				}
			}
			if err != nil {
				rows.Close()
				return err
			}
			r.d = e.(*habeas.Detention)
			rs = append(rs, r)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
		if len(rs) == 0 {
			return nil
		}
		// The assignments of this page of detentions, in one range of refs.
		byDetention := map[string]int{}
		for i, r := range rs {
			byDetention[r.d.ID] = i
		}
		rows, err = tx.QueryContext(ctx, `SELECT r.to_id, e.id, e.doc FROM refs r JOIN entities e ON e.id = r.from_id
			WHERE r.to_id > $1 AND r.to_id <= $2 AND r.from_kind = $3`, after, rs[len(rs)-1].d.ID, string(habeas.KindAssignment))
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
			e, err := tx.db.decode(habeas.KindAssignment, id, doc)
			if err != nil {
				rows.Close()
				return err
			}
			if i, ok := byDetention[to]; ok {
				rs[i].as = append(rs[i].as, e.(*habeas.Assignment))
			}
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
		for _, r := range rs {
			args := append(flagsOf(r.d, r.p, r.as).args(), r.d.ID)
			if _, err := tx.exec(ctx, `UPDATE detention_index SET no_lawyer = $1, incommunicado = $2, foreign_national = $3, juvenile = $4 WHERE id = $5`, args...); err != nil {
				return fmt.Errorf("requeue %s: %w", r.d.ID, err)
			}
		}
		after = rs[len(rs)-1].d.ID
	}
}

// PlanDetentions returns the database's plans for the two queries that
// list detentions matching f: the count, then the page of identifiers in
// list order. SQLite answers EXPLAIN QUERY PLAN, PostgreSQL EXPLAIN. It is
// for tests and diagnostics, to show that every filter and queue is
// answered from an index.
func (db *DB) PlanDetentions(ctx context.Context, f habeas.DetentionFilter) (count, page []string, err error) {
	defer wrap(&err, "plan detentions")
	w, err := detentionWhere(f)
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
	if count, err = plan(`SELECT count(*) FROM detention_index x` + w.String()); err != nil {
		return nil, nil, err
	}
	page, err = plan(`SELECT x.id FROM detention_index x` + w.String() + ` ORDER BY x.arrested_us DESC, x.id LIMIT 50`)
	return count, page, err
}
