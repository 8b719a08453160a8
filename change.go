package habeas

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"time"
)

// Op is what a change did to an entity.
type Op string

// Values of Op.
const (
	OpCreate Op = "create"
	OpUpdate Op = "update"
	OpDelete Op = "delete" // a tombstone: the projection row goes, the history stays
	// OpErase (erase.go) replaces a record about a person with what
	// erasure keeps of it.
)

// Change is one immutable record in the append-only change log. Every
// create, update and delete writes exactly one, in the same transaction as
// the projection rows it explains. History, export and (later) the ledger
// read it.
type Change struct {
	Seq     int64           `json:"seq"`
	At      time.Time       `json:"at"`
	Actor   string          `json:"actor"`
	Kind    Kind            `json:"entity"`
	ID      string          `json:"id"`
	Op      Op              `json:"op"`
	Data    json.RawMessage `json:"data,omitempty"`    // canonical JSON of the new state; absent for a delete
	Sources []string        `json:"sources,omitempty"` // every source the new state cites
	// Erased says the state this change recorded was erased with its
	// person (see OpErase): it has no Data, and can never be read again.
	Erased bool `json:"erased,omitempty"`
	// Reason is why an erasure (OpErase) was made.
	Reason string `json:"reason,omitempty"`
	// Unverified says the ledger does not vouch for this change as it is
	// stored: it was changed behind the application's back (habeas ledger
	// verify says more). Set in histories, never stored or exported.
	Unverified bool `json:"unverified,omitempty"`
	// Imported says the change came from a file (habeas import): Actor
	// and At are who imported it and when, and Imported what the file
	// claims. An export writes the claims back in Actor and At.
	Imported *Imported `json:"imported,omitempty"`
}

// Imported is what an imported change's file claimed, and which file it
// was.
type Imported struct {
	Actor string    `json:"claimed_actor"`
	At    time.Time `json:"claimed_at"`
	File  string    `json:"file,omitempty"` // SHA-256 of the file, in hex
}

type importFileKey struct{}

// WithImportFile returns a context whose imports record that their
// changes came from the file whose SHA-256 is sum (hex).
func WithImportFile(ctx context.Context, sum string) context.Context {
	return context.WithValue(ctx, importFileKey{}, sum)
}

// ImportFileFrom returns the SHA-256 of the file being imported, or "".
func ImportFileFrom(ctx context.Context) string {
	s, _ := ctx.Value(importFileKey{}).(string)
	return s
}

// Entity decodes the state the change recorded. It fails for a delete.
func (c *Change) Entity() (Entity, error) {
	if c.Op == OpDelete {
		return nil, Errorf(EINVALID, "a delete records no state")
	}
	if c.Erased {
		return nil, Errorf(EINVALID, "change %d of %s %s was erased", c.Seq, c.Kind, c.ID)
	}
	e, err := NewEntity(c.Kind)
	if err != nil {
		return nil, err
	}
	dec := json.NewDecoder(bytes.NewReader(c.Data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(e); err != nil {
		return nil, &Error{Code: EINVALID, Message: "invalid " + string(c.Kind), Fields: []FieldError{{Field: "data", Reason: jsonReason(err)}}}
	}
	if dec.More() {
		return nil, &Error{Code: EINVALID, Message: "invalid " + string(c.Kind), Fields: []FieldError{FieldErrorf("data", "unexpected data after the record")}}
	}
	return e, nil
}

// jsonReason turns a decoding error into a reason that names the field.
func jsonReason(err error) string {
	if te, ok := err.(*json.UnmarshalTypeError); ok && te.Field != "" {
		return te.Field + ": expected " + te.Type.String() + ", got JSON " + te.Value
	}
	return err.Error()
}

// Canonical returns the canonical JSON of e: e normalized, then encoded with
// fields in declaration order, times in UTC (RFC 3339), no HTML escaping and
// no trailing newline. The same state always gives the same bytes, which is
// what export round trips and (later) ledger hashes rely on. It normalizes e
// in place.
func Canonical(e Entity) ([]byte, error) {
	e.Normalize()
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(e); err != nil {
		return nil, err
	}
	return bytes.TrimSuffix(buf.Bytes(), []byte("\n")), nil
}

// Mutation is one write in a batch: a create or update carries the entity,
// a delete carries the kind and identifier.
type Mutation struct {
	Op     Op
	Entity Entity
	Kind   Kind   // for a delete
	ID     string // for a delete
	// Version, for an update or a delete, is the version of the record the
	// caller read (Seq of its last change, as FindVersion returns it). If
	// the record has changed since, the write is refused with ECONFLICT, so
	// that an edit made on a stale copy never silently undoes another; 0
	// checks nothing (imports, the demo, writes that read nothing first).
	// A create ignores it.
	Version int64
}

// BatchError says which item of a batch failed, so that callers can point
// at it (a line of an import, an item of an API batch); Err is the item's
// error, an *Error when the input was at fault.
type BatchError struct {
	Index int // 0-based position in the batch
	Err   error
}

// Error names the item, counting from 1, and its error.
func (e *BatchError) Error() string { return fmt.Sprintf("item %d: %v", e.Index+1, e.Err) }

// Unwrap returns the error of the item, so ErrorCode sees its code.
func (e *BatchError) Unwrap() error { return e.Err }

type actorKey struct{}

// WithActor returns a context whose writes are recorded as made by actor.
func WithActor(ctx context.Context, actor string) context.Context {
	return context.WithValue(ctx, actorKey{}, actor)
}

// ActorFrom returns the actor recorded in ctx, or "system".
func ActorFrom(ctx context.Context) string {
	if a, ok := ctx.Value(actorKey{}).(string); ok && a != "" {
		return a
	}
	return "system"
}

// Follow reads the change log after the sequence after, a page at a time,
// and hands each page to apply, in order, until it is up to date. It
// returns the last sequence applied. In-memory views (safeguard clocks, the
// duplicate review queue) use it to stay current with every write, from any
// server or import.
func Follow(ctx context.Context, cs ChangeService, after int64, apply func(page []*Change) error) (int64, error) {
	for {
		page, err := cs.Changes(ctx, after, 5000)
		if err != nil {
			return after, fmt.Errorf("follow the change log: %w", err)
		}
		if len(page) == 0 {
			return after, nil
		}
		if err := apply(page); err != nil {
			return after, err
		}
		after = page[len(page)-1].Seq
	}
}
