package api

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/http"

	"github.com/habeas-project/habeas"
)

// batchItem is one write in a batch: {"op":"create","entity":"person",
// "data":{...}}, {"op":"update","entity":"person","data":{"id":...}} or
// {"op":"delete","entity":"person","id":"per_..."}; an update or a delete
// may name the "version" it read.
type batchItem struct {
	Op     habeas.Op       `json:"op"`
	Entity string          `json:"entity"`
	ID     string          `json:"id,omitempty"`
	Data   json.RawMessage `json:"data,omitempty"`
	// Version is the version the client read (the record's ETag,
	// unquoted): required for an update, optional for a delete. A record
	// changed since fails the batch with a conflict.
	Version int64 `json:"version,omitempty"`
}

// batch serves POST /api/v1/batch: a JSON array of items applied in one
// transaction, all or nothing. On failure nothing is written and the error
// names the item, 0-based, in its message and in every field path
// ("[2].data.names[0].text"). On success it returns the change records.
func (a *API) batch(w http.ResponseWriter, r *http.Request) error {
	body, err := readBody(w, r)
	if err != nil {
		return err
	}
	var raw []json.RawMessage
	if err := decodeStrict(body, &raw, "invalid batch", ""); err != nil {
		return err
	}
	if len(raw) == 0 {
		return invalid("invalid batch", "body", "holds no items")
	}
	muts := make([]habeas.Mutation, len(raw))
	for i, data := range raw {
		if muts[i], err = mutation(itemPath(i), data); err != nil {
			return inItem(i, "", err)
		}
	}
	changes, err := a.Work.ApplyBatch(r.Context(), habeas.UserFrom(r.Context()), muts)
	var be *habeas.BatchError
	if errors.As(err, &be) {
		if m := muts[be.Index]; m.Op != habeas.OpCreate {
			k, id := m.Kind, m.ID
			if m.Entity != nil {
				k, id = m.Entity.EntityKind(), m.Entity.GetID()
			}
			if a.writeConflict(w, r, k, id, inItem(be.Index, "", err)) {
				return nil
			}
		}
		return inItem(be.Index, itemPath(be.Index)+".data", err)
	} else if err != nil {
		return err
	}
	if changes == nil {
		changes = []*habeas.Change{} // every item was an update that changed nothing
	}
	writeJSON(w, http.StatusOK, map[string]any{"changes": changes})
	return nil
}

func itemPath(i int) string { return fmt.Sprintf("[%d]", i) }

// mutation decodes and checks one item; field paths start with at.
func mutation(at string, data []byte) (habeas.Mutation, error) {
	var it batchItem
	if err := decodeStrict(data, &it, "invalid batch item", at); err != nil {
		return habeas.Mutation{}, err
	}
	k, err := habeas.ParseKind(it.Entity)
	if err != nil {
		return habeas.Mutation{}, invalid("invalid batch item", at+".entity", "%q is not an entity kind", it.Entity)
	}
	hasData := len(it.Data) > 0 && string(it.Data) != "null"
	switch it.Op {
	case habeas.OpDelete:
		if hasData {
			return habeas.Mutation{}, invalid("invalid batch item", at+".data", "a delete carries no data")
		}
		if !habeas.ValidID(k, it.ID) {
			return habeas.Mutation{}, invalid("invalid batch item", at+".id", "%q is not a %s identifier", it.ID, k)
		}
		return habeas.Mutation{Op: it.Op, Kind: k, ID: it.ID, Version: it.Version}, nil
	case habeas.OpCreate, habeas.OpUpdate:
		if !hasData {
			return habeas.Mutation{}, invalid("invalid batch item", at+".data", "is required for %s", it.Op)
		}
		if it.Op == habeas.OpUpdate && it.Version <= 0 {
			return habeas.Mutation{}, invalid("invalid batch item", at+".version", "is required for an update: the version you read (the record's ETag)")
		}
		e, err := decodeEntity(k, it.Data, at+".data")
		if err != nil {
			return habeas.Mutation{}, err
		}
		switch got := e.GetID(); {
		case it.ID == "":
		case got == "":
			e.SetID(it.ID)
		case got != it.ID:
			return habeas.Mutation{}, invalid("invalid batch item", at+".data.id", "%q differs from the item's id %q", got, it.ID)
		}
		return habeas.Mutation{Op: it.Op, Entity: e, Version: it.Version}, nil
	}
	return habeas.Mutation{}, invalid("invalid batch item", at+".op", "%q is not one of create, update, delete", it.Op)
}

// inItem rewrites err to say which item of the batch it concerns, with
// field paths under prefix (none when they already have it). An internal
// error stays as it is, to be logged.
func inItem(i int, prefix string, err error) error {
	var he *habeas.Error
	if !errors.As(err, &he) {
		return err
	}
	fields := make([]habeas.FieldError, len(he.Fields))
	for n, f := range he.Fields {
		if prefix != "" {
			f.Field = joinField(prefix, f.Field)
		}
		fields[n] = f
	}
	return &habeas.Error{Code: he.Code, Message: fmt.Sprintf("batch item %d: %s", i, he.Message), Fields: fields, Current: he.Current}
}
