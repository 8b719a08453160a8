package habeas

import (
	"context"
	"slices"
	"time"
)

// RecordService writes records. Every write appends one change record per
// entity in the same transaction as the projection; there is no other way to
// write. A batch is all or nothing.
type RecordService interface {
	// Create stores a new entity, giving it an identifier if it has none.
	Create(ctx context.Context, e Entity) error
	// Update replaces the state of an existing entity.
	Update(ctx context.Context, e Entity) error
	// Delete removes an entity from the projection, leaving a tombstone in
	// the change log. An entity that others refer to cannot be deleted.
	Delete(ctx context.Context, k Kind, id string) error
	// Apply performs a batch of mutations in one transaction: Transact
	// with one Tx.Apply. A failed item fails the batch with a *BatchError.
	Apply(ctx context.Context, muts []Mutation) ([]*Change, error)
	// Transact runs fn inside one write transaction and returns every
	// change its Tx.Apply calls made, in order. If fn returns an error, or
	// a write in it fails, nothing is written and that error is returned.
	// Writers are serialized, so keep fn short (read, decide, write) and
	// write only through tx: a write through the RecordService itself
	// would wait for the transaction it is inside.
	Transact(ctx context.Context, fn func(tx Tx) error) ([]*Change, error)
	// Find returns the current state of an entity.
	Find(ctx context.Context, k Kind, id string) (Entity, error)
	// FindVersion returns the current state of an entity and its version,
	// the sequence of its last change: pass it back as Mutation.Version to
	// update or delete only what was read.
	FindVersion(ctx context.Context, k Kind, id string) (Entity, int64, error)
	// FindReferring returns the entities of kind k that refer to id, in
	// identifier order: the detentions of a person, the assignments of a
	// detention, the investigations of a casualty.
	FindReferring(ctx context.Context, k Kind, id string) ([]Entity, error)
	// FindByKind returns a page of the live entities of kind k, in
	// identifier order, and how many there are: the lawyers an
	// organisation works with, its incidents.
	FindByKind(ctx context.Context, k Kind, p Page) ([]Entity, int, error)
}

// Tx is one write transaction of RecordService.Transact. Its reads see
// the latest committed state and the transaction's own writes, and no
// other writer can change what they saw before it commits: writers are
// serialized. So a workflow that reads and then appends, such as an intake
// adding a report to a person's open detention, never loses a report
// written at the same moment and never opens a second detention. A Tx is
// for one goroutine and only until fn returns.
type Tx interface {
	// Find returns the state of an entity and its version, as
	// RecordService.FindVersion does, seeing the transaction's own writes.
	Find(ctx context.Context, k Kind, id string) (Entity, int64, error)
	// FindReferring returns the entities of kind k that refer to id, as
	// RecordService.FindReferring does, seeing the transaction's own writes.
	FindReferring(ctx context.Context, k Kind, id string) ([]Entity, error)
	// FindPersonsByIIN returns the live persons with the IIN, in
	// identifier order, seeing the transaction's own writes: one IIN, one
	// person, checked where no other writer can register it meanwhile.
	FindPersonsByIIN(ctx context.Context, iin IIN) ([]*Person, error)
	// Apply performs mutations as RecordService.Apply does; a failed item
	// (a *BatchError) fails the whole transaction, whatever fn returns.
	Apply(ctx context.Context, muts []Mutation) ([]*Change, error)
}

// ChangeService reads the change log and replays it.
type ChangeService interface {
	// History returns every change to one entity, oldest first.
	History(ctx context.Context, id string) ([]*Change, error)
	// Changes returns up to limit changes with a sequence above after.
	Changes(ctx context.Context, after int64, limit int) ([]*Change, error)
	// Import replays changes from another log, keeping their time and actor,
	// in one transaction: all of them are applied or none.
	Import(ctx context.Context, changes []*Change) error
	// LastSeq returns the sequence of the latest change, 0 when empty.
	LastSeq(ctx context.Context) (int64, error)
}

// Page asks for part of a list.
type Page struct {
	Offset int
	Limit  int // 0 means DefaultPageLimit; at most MaxPageLimit
}

// The bounds of every page of every list, in the stores, the casework
// layer and the query strings of the pages and the API alike.
const (
	DefaultPageLimit = 50
	MaxPageLimit     = 1000
)

// Bounds returns the page's limit, DefaultPageLimit when it asks for none
// and at most MaxPageLimit, and its offset, never negative.
func (p Page) Bounds() (limit, offset int) {
	limit = p.Limit
	if limit <= 0 {
		limit = DefaultPageLimit
	}
	return min(limit, MaxPageLimit), max(p.Offset, 0)
}

// PersonService finds persons.
type PersonService interface {
	FindPersonByID(ctx context.Context, id string) (*Person, error)
	// FindPersonsByID returns the live persons among ids, keyed by
	// identifier; an id with no live person is simply absent.
	FindPersonsByID(ctx context.Context, ids []string) (map[string]*Person, error)
	// FindPersons returns a page of persons and the total that match.
	FindPersons(ctx context.Context, f PersonFilter) ([]*Person, int, error)
}

// PersonFilter selects persons. Nil fields do not filter.
type PersonFilter struct {
	// IDs, when not nil, keeps only the persons it names (none when
	// empty): a lawyer's clients.
	IDs []string
	IIN *string
	// Name finds persons by any of their name variants, typed in any
	// script and word order: every word must begin the matching key
	// (names.Keys) of one of the person's name tokens.
	Name *string
	Page
}

// DetentionService finds detentions.
type DetentionService interface {
	FindDetentionByID(ctx context.Context, id string) (*Detention, error)
	// FindDetentions returns a page of detentions, latest arrest first, and
	// the total that match.
	FindDetentions(ctx context.Context, f DetentionFilter) ([]*Detention, int, error)
}

// DetentionFilter selects detentions. Nil fields do not filter; From and To
// bound the de facto arrest time (From inclusive, To exclusive). Queue
// keeps only the detentions of one queue; a store answers the queues that
// are Stored and refuses the others.
type DetentionFilter struct {
	// IDs, when not nil, keeps only the detentions it names (none when
	// empty): the cases a lawyer's account may read.
	IDs       []string
	PersonID  *string
	City      *string
	Procedure *Procedure
	Status    *Status
	From      *time.Time
	To        *time.Time
	Queue     *Queue
	Page
}

// Match reports whether d passes f, its queue and page aside (a queue
// needs the person and the assignments too). It agrees with the stores'
// SQL, which storetest checks, so that a view kept in memory (the overdue
// alerts) selects the same detentions a store lists: arrest times are
// compared in whole microseconds, as the stores keep them.
func (f DetentionFilter) Match(d *Detention) bool {
	if f.IDs != nil && !slices.Contains(f.IDs, d.ID) ||
		f.PersonID != nil && d.PersonID != *f.PersonID ||
		f.City != nil && d.City != *f.City ||
		f.Procedure != nil && d.Procedure != *f.Procedure {
		return false
	}
	if f.From != nil || f.To != nil {
		us := d.ArrestedAt().UnixMicro()
		if f.From != nil && us < f.From.UnixMicro() || f.To != nil && us >= f.To.UnixMicro() {
			return false
		}
	}
	return f.Status == nil || d.Status() == *f.Status
}

// Counts is the number of live entities of each kind.
type Counts map[Kind]int

// StatsService gives counts for dashboards and reports.
type StatsService interface {
	Counts(ctx context.Context) (Counts, error)
}
