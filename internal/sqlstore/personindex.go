package sqlstore

import (
	"cmp"
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"runtime"
	"slices"
	"strings"
	"sync"

	"github.com/google/btree"
	"golang.org/x/sync/errgroup"

	"github.com/habeas-project/habeas"
	"github.com/habeas-project/habeas/internal/vault"
	"github.com/habeas-project/habeas/names"
)

// The person search (FindPersons) reads an index kept in memory, built
// from the records after the register is opened and brought up to the
// change log before every search, so that it sees what other servers
// sharing the database wrote. Names, their keys and IINs are therefore
// never stored outside the sealed records (issue 13): the person_index
// table keeps, for the lookup by IIN inside a write transaction, only a
// blind index of the IIN (an HMAC under a data key of its own; the IIN
// itself in a register not encrypted).

// indexedPerson is what the search needs of a person.
type indexedPerson struct {
	id, fold string   // fold orders the lists: FoldName of the first name variant
	keys     []string // the keys of every spelling's tokens (names.Keys), sorted, once each
	iin      string
}

func lessPerson(a, b *indexedPerson) bool {
	if c := cmp.Compare(a.fold, b.fold); c != 0 {
		return c < 0
	}
	return a.id < b.id
}

// personIndex is the search's index of every live person.
type personIndex struct {
	mu     sync.RWMutex
	built  bool
	seq    int64 // the change log is applied up to here
	byID   map[string]*indexedPerson
	byIIN  map[string][]*indexedPerson
	sorted *btree.BTreeG[*indexedPerson]
	// vocab holds every name key in order, postings the persons with each:
	// a search for a word finds the keys it begins, then their persons.
	vocab    *btree.BTreeG[string]
	postings map[string][]*indexedPerson
}

func newPersonIndex() *personIndex {
	return &personIndex{byID: map[string]*indexedPerson{}, byIIN: map[string][]*indexedPerson{}, sorted: btree.NewG(32, lessPerson),
		vocab: btree.NewG(32, func(a, b string) bool { return a < b }), postings: map[string][]*indexedPerson{}}
}

// minPrefix is the shortest word looked up through the keys: a shorter
// one begins too many keys, and the walk over every person is quicker.
const minPrefix = 3

// candidates returns the persons with a key beginning with prefix, each
// once. Call with mu held.
func (x *personIndex) candidates(prefix string) []*indexedPerson {
	seen := map[*indexedPerson]bool{}
	var out []*indexedPerson
	x.vocab.AscendGreaterOrEqual(prefix, func(k string) bool {
		if !strings.HasPrefix(k, prefix) {
			return false
		}
		for _, p := range x.postings[k] {
			if !seen[p] {
				seen[p] = true
				out = append(out, p)
			}
		}
		return true
	})
	return out
}

func indexed(p *habeas.Person) *indexedPerson {
	var keys []string
	for _, n := range p.Names {
		keys = append(keys, names.Keys(n.Text)...)
	}
	slices.Sort(keys)
	return &indexedPerson{id: p.ID, fold: FoldName(p.DisplayName()), keys: slices.Compact(keys), iin: string(p.IIN)}
}

// put adds or replaces a person. Call with mu held.
func (x *personIndex) put(p *indexedPerson) {
	x.remove(p.id)
	x.byID[p.id] = p
	x.sorted.ReplaceOrInsert(p)
	if p.iin != "" {
		x.byIIN[p.iin] = append(x.byIIN[p.iin], p)
	}
	for _, k := range p.keys {
		if _, ok := x.postings[k]; !ok {
			x.vocab.ReplaceOrInsert(k)
		}
		x.postings[k] = append(x.postings[k], p)
	}
}

// remove drops a person. Call with mu held.
func (x *personIndex) remove(id string) {
	old, ok := x.byID[id]
	if !ok {
		return
	}
	x.sorted.Delete(old)
	delete(x.byID, id)
	if old.iin != "" {
		rest := slices.DeleteFunc(x.byIIN[old.iin], func(q *indexedPerson) bool { return q == old })
		if len(rest) == 0 {
			delete(x.byIIN, old.iin)
		} else {
			x.byIIN[old.iin] = rest
		}
	}
	for _, k := range old.keys {
		rest := slices.DeleteFunc(x.postings[k], func(q *indexedPerson) bool { return q == old })
		if len(rest) == 0 {
			delete(x.postings, k)
			x.vocab.Delete(k)
		} else {
			x.postings[k] = rest
		}
	}
}

// syncPersons brings the index up to the change log: built from the
// records the first time, then from the changes to persons since.
func (db *DB) syncPersons(ctx context.Context) error {
	x := db.persons
	var last int64
	if err := db.db.QueryRowContext(ctx, `SELECT COALESCE(MAX(seq), 0) FROM changes`).Scan(&last); err != nil {
		return fmt.Errorf("read last sequence: %w", err)
	}
	x.mu.RLock()
	current := x.built && x.seq >= last
	x.mu.RUnlock()
	if current {
		return nil
	}
	x.mu.Lock()
	defer x.mu.Unlock()
	if !x.built {
		// The records as they are; the changes from last on are applied
		// after, each holding a whole state, so a record read after last
		// and its change applied again agree.
		if err := db.buildPersons(ctx, x); err != nil {
			return err
		}
		x.built, x.seq = true, last
		return nil
	}
	for x.seq < last {
		rows, err := db.db.QueryContext(ctx, `SELECT seq, entity_id, op, data FROM changes WHERE seq > $1 AND seq <= $2 AND kind = $3 ORDER BY seq LIMIT 1000`,
			x.seq, last, string(habeas.KindPerson))
		if err != nil {
			return fmt.Errorf("read changes to persons: %w", err)
		}
		type change struct {
			seq    int64
			id, op string
			stored []byte
		}
		cs, err := collect(rows, func(rows *sql.Rows) (change, error) {
			var c change
			return c, rows.Scan(&c.seq, &c.id, &c.op, &c.stored)
		})
		if err != nil {
			return err
		}
		stored := make([][]byte, len(cs))
		for i, c := range cs {
			stored[i] = c.stored
		}
		if err := db.prefetch(ctx, db.db, stored); err != nil {
			return err
		}
		for _, c := range cs {
			if habeas.Op(c.op) == habeas.OpDelete {
				x.remove(c.id)
				continue
			}
			doc, err := db.open(ctx, db.db, habeas.KindPerson, c.id, c.stored)
			if errors.Is(err, errErased) || err == nil && doc == nil {
				continue // its erasure, later in the log, says what is left
			} else if err != nil {
				return fmt.Errorf("open change %d: %w", c.seq, err)
			}
			var p habeas.Person
			if err := json.Unmarshal(doc, &p); err != nil {
				return fmt.Errorf("decode change %d: %w", c.seq, err)
			}
			x.put(indexed(&p))
		}
		if len(cs) < 1000 {
			x.seq = last
		} else {
			x.seq = cs[len(cs)-1].seq
		}
	}
	return nil
}

// buildPersons puts every live person into x, which must be empty. Call
// with x.mu held.
//
// The persons are read in one query, in the order they are stored, each
// with its own data key (ownerOf) read beside it by the join: at a
// million persons, reading them in identifier order instead made SQLite
// look for pages all over a file twenty times its cache (36 s), and a key
// lookup per person took 140 s. Opening, decoding and parsing the names
// are shared among the cores, a thousand persons at a time; the query
// holds one connection, and a key not read beside its record is looked up
// on another.
func (db *DB) buildPersons(ctx context.Context, x *personIndex) error {
	type row struct {
		id           string
		doc, wrapped []byte
	}
	workers := runtime.GOMAXPROCS(0)
	g, gctx := errgroup.WithContext(ctx)
	batches := make(chan []row, workers)
	results := make(chan []*indexedPerson, workers)
	g.Go(func() error {
		defer close(batches)
		rows, err := db.db.QueryContext(gctx, `SELECT e.id, e.doc, k.wrapped FROM entities e LEFT JOIN data_keys k ON k.owner = e.id WHERE e.kind = $1`,
			string(habeas.KindPerson))
		if err != nil {
			return fmt.Errorf("read persons: %w", err)
		}
		defer rows.Close()
		batch := make([]row, 0, 1000)
		for rows.Next() {
			var r row
			if err := rows.Scan(&r.id, &r.doc, &r.wrapped); err != nil {
				return err
			}
			if batch = append(batch, r); len(batch) == cap(batch) {
				select {
				case batches <- batch:
				case <-gctx.Done():
					return gctx.Err()
				}
				batch = make([]row, 0, 1000)
			}
		}
		if err := rows.Err(); err != nil {
			return fmt.Errorf("read persons: %w", err)
		}
		if len(batch) > 0 {
			select {
			case batches <- batch:
			case <-gctx.Done():
				return gctx.Err()
			}
		}
		return nil
	})
	var working sync.WaitGroup
	for range workers {
		working.Add(1)
		g.Go(func() error {
			defer working.Done()
			for batch := range batches {
				out := make([]*indexedPerson, len(batch))
				for i, r := range batch {
					p, err := db.openPerson(gctx, r.id, r.doc, r.wrapped)
					if err != nil {
						return err
					}
					out[i] = indexed(p)
				}
				results <- out
			}
			return nil
		})
	}
	go func() {
		working.Wait()
		close(results)
	}()
	for out := range results {
		for _, p := range out {
			x.put(p)
		}
	}
	if err := g.Wait(); err != nil {
		// What was built is thrown away: the next search builds again.
		fresh := newPersonIndex()
		x.byID, x.byIIN, x.sorted, x.vocab, x.postings = fresh.byID, fresh.byIIN, fresh.sorted, fresh.vocab, fresh.postings
		return err
	}
	return nil
}

// openPerson opens a person's record with the data key read beside it,
// or as any other record if it is not sealed under the person's own.
func (db *DB) openPerson(ctx context.Context, id string, stored, wrapped []byte) (*habeas.Person, error) {
	doc, err := db.openWithKey(ctx, id, stored, wrapped)
	if err != nil {
		return nil, fmt.Errorf("open person %s: %w", id, err)
	}
	var p habeas.Person
	if err := json.Unmarshal(doc, &p); err != nil {
		return nil, fmt.Errorf("decode person %s: %w", id, err)
	}
	return &p, nil
}

// openWithKey opens a person's record with its own data key as read
// beside it (wrapped), or as open does any other.
func (db *DB) openWithKey(ctx context.Context, id string, stored, wrapped []byte) ([]byte, error) {
	if len(stored) == 0 || stored[0] != sealedV1 || db.keys == nil || wrapped == nil {
		return db.open(ctx, db.db, habeas.KindPerson, id, stored)
	}
	owner, body, err := splitSealed(stored)
	if err != nil || owner != id {
		return db.open(ctx, db.db, habeas.KindPerson, id, stored)
	}
	dk, err := db.keys.currentMaster().Unwrap(wrapped, owner)
	if err != nil {
		return nil, err
	}
	return vault.Open(dk, associated(habeas.KindPerson, id, owner), body)
}

// WarmSearch builds the person search's index now, rather than at the
// first search: a server calls it at start, in the background.
func (db *DB) WarmSearch(ctx context.Context) error { return db.syncPersons(ctx) }

// FindPersons implements habeas.PersonService, from the index in memory:
// persons in the order of their folded names, every word typed beginning
// one of a person's name keys (any script, any order, the last word
// possibly half typed).
func (db *DB) FindPersons(ctx context.Context, f habeas.PersonFilter) (_ []*habeas.Person, _ int, err error) {
	defer wrap(&err, "find persons")
	if f.IDs != nil && len(f.IDs) == 0 {
		return []*habeas.Person{}, 0, nil
	}
	var typed []string
	if f.Name != nil {
		if typed = names.Keys(*f.Name); len(typed) == 0 {
			return nil, 0, nil
		}
	}
	if err := db.syncPersons(ctx); err != nil {
		return nil, 0, err
	}
	var only map[string]bool
	if f.IDs != nil {
		only = make(map[string]bool, len(f.IDs))
		for _, id := range f.IDs {
			only[id] = true
		}
	}
	match := func(p *indexedPerson) bool {
		if only != nil && !only[p.id] || f.IIN != nil && p.iin != *f.IIN {
			return false
		}
		for _, k := range typed {
			if !hasKeyPrefix(p.keys, k) {
				return false
			}
		}
		return true
	}
	limit, offset := f.Page.Bounds()
	filtered := only != nil || f.IIN != nil || typed != nil
	var ids []string
	total := 0
	x := db.persons
	x.mu.RLock()
	take := func(p *indexedPerson) bool {
		if !match(p) {
			return true
		}
		if total >= offset && len(ids) < limit {
			ids = append(ids, p.id)
		}
		total++
		// Unfiltered, the total is the index's size: stop at the page's end.
		return filtered || len(ids) < limit
	}
	longest := ""
	for _, k := range typed {
		if len(k) > len(longest) {
			longest = k
		}
	}
	var some []*indexedPerson // the persons to look at, when not all
	narrowed := true
	switch {
	case f.IIN != nil: // one IIN: a person or (in error) a few
		some = slices.Clone(x.byIIN[*f.IIN])
	case only != nil && len(f.IDs) < x.sorted.Len()/16: // a lawyer's few clients
		for id := range only {
			if p, ok := x.byID[id]; ok {
				some = append(some, p)
			}
		}
	case len(longest) >= minPrefix: // those with a key the longest word begins
		some = x.candidates(longest)
	default:
		narrowed = false
	}
	if narrowed {
		slices.SortFunc(some, func(a, b *indexedPerson) int {
			if lessPerson(a, b) {
				return -1
			}
			return 1
		})
		for _, p := range some {
			take(p)
		}
	} else {
		x.sorted.Ascend(take)
	}
	if !filtered {
		total = x.sorted.Len()
	}
	x.mu.RUnlock()
	if len(ids) == 0 {
		return []*habeas.Person{}, total, nil
	}
	ps, err := db.FindPersonsByID(ctx, ids)
	if err != nil {
		return nil, 0, err
	}
	out := make([]*habeas.Person, 0, len(ids))
	for _, id := range ids {
		if p, ok := ps[id]; ok { // deleted since: left out
			out = append(out, p)
		}
	}
	return out, total, nil
}

// hasKeyPrefix reports whether one of keys begins with k.
func hasKeyPrefix(keys []string, k string) bool {
	for _, key := range keys {
		if strings.HasPrefix(key, k) {
			return true
		}
	}
	return false
}
