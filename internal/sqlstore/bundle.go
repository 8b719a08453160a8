package sqlstore

import (
	"context"
	"encoding/hex"
	"errors"
	"fmt"
	"strings"

	"golang.org/x/mod/sumdb/tlog"

	"github.com/habeas-project/habeas/internal/vault"
	"github.com/habeas-project/habeas/ledger"
)

// BundleChanges returns every change of the records ids in the log's
// first size changes, as a case bundle holds them (ledger.BundleChange):
// the fields their leaves commit to, their states as stored, their
// inclusion proofs in the tree of size changes; and the data keys that
// open those states. A state whose key an erasure destroyed, or that
// only erasure's own key opens, is left out: its hash stays.
func (db *DB) BundleChanges(ctx context.Context, ids []string, size int64) (_ []ledger.BundleChange, _ map[string]vault.Key, err error) {
	defer wrap(&err, "gather the case's changes")
	if len(ids) == 0 {
		return nil, nil, nil
	}
	args := []any{size}
	marks := make([]string, len(ids))
	for i, id := range ids {
		args = append(args, id)
		marks[i] = fmt.Sprintf("$%d", i+2)
	}
	rows, err := db.db.QueryContext(ctx, `SELECT seq, at_us, actor, kind, entity_id, op, data, data_hash, sources, reason, claimed_actor, claimed_at_us, import_file
		FROM changes WHERE seq <= $1 AND entity_id IN (`+strings.Join(marks, ", ")+`) ORDER BY seq`, args...)
	if err != nil {
		return nil, nil, err
	}
	rs, err := collect(rows, scanLedgerRow)
	if err != nil {
		return nil, nil, err
	}
	keys := map[string]vault.Key{}
	read := db.tableReader(ctx)
	out := make([]ledger.BundleChange, 0, len(rs))
	for _, r := range rs {
		c := ledger.BundleChange{Seq: r.seq, AtUS: r.atUS, Actor: r.actor, Kind: r.kind, ID: r.id, Op: r.op, Sources: r.src, Reason: r.rsn,
			ClaimedActor: r.claim.Actor.String, ClaimedAtUS: r.claim.AtUS.Int64, ImportFile: r.claim.File.String}
		if r.hash != nil {
			c.DataHash = hex.EncodeToString(r.hash)
		}
		if r.data != nil {
			c.Stored = r.data
			if vault.IsSealed(r.data) {
				owner, _, err := vault.SplitRecord(r.data)
				if err != nil {
					return nil, nil, fmt.Errorf("change %d: %w", r.seq, err)
				}
				if _, ok := keys[owner]; !ok && owner != erasedOwner {
					switch dk, err := db.dataKey(ctx, db.db, owner); {
					case errors.Is(err, errNoKey):
						owner = erasedOwner
					case err != nil:
						return nil, nil, err
					default:
						keys[owner] = dk
					}
				}
				if owner == erasedOwner {
					c.Stored, c.Erased = nil, true
				}
			}
		}
		p, err := tlog.ProveRecord(size, r.seq-1, read)
		if err != nil {
			return nil, nil, fmt.Errorf("prove change %d: %w", r.seq, err)
		}
		c.Proof = ledger.ProofStrings(p)
		out = append(out, c)
	}
	return out, keys, nil
}
