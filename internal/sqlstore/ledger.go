package sqlstore

import (
	"bytes"
	"context"
	"crypto/sha256"
	"database/sql"
	"errors"
	"fmt"
	"runtime"
	"slices"
	"strings"
	"sync"
	"time"

	"golang.org/x/sync/errgroup"

	"golang.org/x/mod/sumdb/tlog"

	"github.com/habeas-project/habeas"
	"github.com/habeas-project/habeas/ledger"
)

// The ledger (issue 14). Every change appends its leaf (ledger.Entry) to
// a Merkle tree in the same transaction: the tree's stored hashes
// (tlog.StoredHashes) go into ledger_hashes, and the SHA-256 of the
// change's stored state into changes.data_hash, which stays when an
// erasure blanks the state. Leaf n is the change of sequence n+1:
// sequences are gapless (writers are serialized). Checkpoints of the
// tree, signed with the instance's ledger key, are kept in
// ledger_checkpoints; VerifyLedger recomputes everything from the
// stored changes.

// entryOf is the ledger entry of a change as stored.
func entryOf(seq, atUS int64, actor, kind, id, op string, dataHash []byte, sources, reason string, cl claim) ledger.Entry {
	return ledger.Entry{Seq: seq, AtUS: atUS, Actor: actor, Kind: kind, ID: id, Op: op, DataHash: dataHash, Sources: sources, Reason: reason,
		ClaimedActor: cl.Actor.String, ClaimedAtUS: cl.AtUS.Int64, ImportFile: cl.File.String}
}

// claim is what an imported change's file claimed, as stored (NULL for a
// change made here).
type claim struct {
	Actor sql.NullString
	AtUS  sql.NullInt64
	File  sql.NullString
}

// claimOf is how an import's claim is stored.
func claimOf(im *habeas.Imported) claim {
	if im == nil {
		return claim{}
	}
	return claim{sql.NullString{String: im.Actor, Valid: true}, sql.NullInt64{Int64: im.At.UnixMicro(), Valid: true},
		sql.NullString{String: im.File, Valid: im.File != ""}}
}

// imported is an imported change's claims as read, nil for a change made
// here.
func (cl claim) imported() *habeas.Imported {
	if !cl.Actor.Valid {
		return nil
	}
	return &habeas.Imported{Actor: cl.Actor.String, At: time.UnixMicro(cl.AtUS.Int64).UTC(), File: cl.File.String}
}

// dataHash is the SHA-256 of a stored state; nil for none.
func dataHash(stored []byte) []byte {
	if stored == nil {
		return nil
	}
	h := sha256.Sum256(stored)
	return h[:]
}

// hashCache keeps stored hashes of the tree by index: they never change
// once written, so any process may keep them. It holds the few the next
// leaves need (the tree's right edge) and what was read lately.
type hashCache struct {
	mu sync.Mutex
	m  map[int64]tlog.Hash
}

const maxCachedHashes = 1 << 14

func (c *hashCache) get(i int64) (tlog.Hash, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	h, ok := c.m[i]
	return h, ok
}

func (c *hashCache) put(i int64, h tlog.Hash) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.m == nil || len(c.m) >= maxCachedHashes {
		c.m = map[int64]tlog.Hash{}
	}
	c.m[i] = h
}

// hashReader reads stored hashes through q: the transaction's own first,
// then the cache, then the table. What a transaction reads is not cached:
// it may be its own, and roll back; it caches what it wrote once it
// commits. A check of what is stored reads the table alone (tableReader).
func (db *DB) hashReader(ctx context.Context, q querier, own map[int64]tlog.Hash) tlog.HashReaderFunc {
	return db.readHashes(ctx, q, own, true)
}

// tableReader reads stored hashes from the table, as they are now.
func (db *DB) tableReader(ctx context.Context) tlog.HashReaderFunc {
	return db.readHashes(ctx, db.db, nil, false)
}

func (db *DB) readHashes(ctx context.Context, q querier, own map[int64]tlog.Hash, useCache bool) tlog.HashReaderFunc {
	_, inTx := q.(*Tx)
	return func(indexes []int64) ([]tlog.Hash, error) {
		out := make([]tlog.Hash, len(indexes))
		var missing []int64
		for i, idx := range indexes {
			if h, ok := own[idx]; ok {
				out[i] = h
			} else if h, ok := db.hashes.get(idx); ok && useCache {
				out[i] = h
			} else {
				missing = append(missing, idx)
			}
		}
		if len(missing) == 0 {
			return out, nil
		}
		found := map[int64]tlog.Hash{}
		if err := readStoredHashes(ctx, q, missing, found); err != nil {
			return nil, fmt.Errorf("read the ledger: %w", err)
		}
		for i, idx := range indexes {
			if slices.Contains(missing, idx) {
				h, ok := found[idx]
				if !ok {
					return nil, fmt.Errorf("the ledger has no hash %d: the change log and its ledger disagree", idx)
				}
				out[i] = h
				if !inTx && useCache {
					db.hashes.put(idx, h)
				}
			}
		}
		return out, nil
	}
}

// appendLeaf adds the leaf of a change, as stored, to the tree, writing
// the stored hashes when enough wait.
func (tx *Tx) appendLeaf(ctx context.Context, e ledger.Entry) error {
	if err := tx.addLeaf(ctx, e); err != nil {
		return err
	}
	if len(tx.unwritten) >= maxUnwritten {
		return tx.writeHashes(ctx)
	}
	return nil
}

// takeUnwritten returns the stored hashes not written yet, by index, and
// counts them written: the caller writes them.
func (tx *Tx) takeUnwritten() ([]int64, [][]byte) {
	idx := slices.Clone(tx.unwritten)
	hs := make([][]byte, len(idx))
	for k, i := range idx {
		h := tx.hashes[i]
		hs[k] = h[:]
	}
	tx.unwritten = tx.unwritten[:0]
	return idx, hs
}

// addLeaf computes the stored hashes the leaf of a change adds to the
// tree, to be written.
func (tx *Tx) addLeaf(ctx context.Context, e ledger.Entry) error {
	n := e.Seq - 1
	hashes, err := tlog.StoredHashes(n, e.Leaf(), tx.db.hashReader(ctx, tx, tx.hashes))
	if err != nil {
		return fmt.Errorf("the ledger leaf of change %d: %w", e.Seq, err)
	}
	if tx.hashes == nil {
		tx.hashes = map[int64]tlog.Hash{}
	}
	start := tlog.StoredHashIndex(0, n)
	for i, h := range hashes {
		tx.hashes[start+int64(i)] = h
		tx.unwritten = append(tx.unwritten, start+int64(i))
	}
	return nil
}

// maxUnwritten is how many stored hashes a transaction keeps before it
// writes them (writeHashes): a few statements for a batch, not one a
// hash.
const maxUnwritten = 400

// writeHashes writes the stored hashes the transaction has not written
// yet. Commit calls it; so does anything that reads the table in the
// transaction.
func (tx *Tx) writeHashes(ctx context.Context) error {
	if len(tx.unwritten) == 0 {
		return nil
	}
	defer func() { tx.unwritten = tx.unwritten[:0] }()
	if !tx.db.dialect.MultiRowInsert {
		for _, i := range tx.unwritten {
			h := tx.hashes[i]
			if _, err := tx.exec(ctx, `INSERT INTO ledger_hashes (idx, hash) VALUES ($1, $2)`, i, h[:]); err != nil {
				return fmt.Errorf("write the ledger: %w", err)
			}
		}
		return nil
	}
	// One statement for them all: on PostgreSQL each is a round trip.
	args := make([]any, 0, 2*len(tx.unwritten))
	values := make([]string, len(tx.unwritten))
	for k, i := range tx.unwritten {
		h := tx.hashes[i]
		args = append(args, i, h[:])
		values[k] = fmt.Sprintf("($%d, $%d)", 2*k+1, 2*k+2)
	}
	if _, err := tx.Tx.ExecContext(ctx, `INSERT INTO ledger_hashes (idx, hash) VALUES `+strings.Join(values, ", "), args...); err != nil {
		return fmt.Errorf("write the ledger: %w", err)
	}
	return nil
}

// LedgerCheckpoint is a signed checkpoint as the store keeps it.
type LedgerCheckpoint struct {
	Size   int64
	Root   tlog.Hash
	Signed []byte
	At     time.Time
}

// Checkpoint signs, with k, a checkpoint of the ledger as it is now and
// keeps it, unless the newest kept is of the same size already; it
// returns the newest. A register with no change has none (nil).
func (db *DB) Checkpoint(ctx context.Context, k *ledger.Key) (_ *LedgerCheckpoint, err error) {
	defer wrap(&err, "checkpoint the ledger")
	size, err := db.LastSeq(ctx)
	if err != nil || size == 0 {
		return nil, err
	}
	latest, err := db.LatestCheckpoint(ctx)
	if err != nil {
		return nil, err
	}
	if latest != nil && latest.Size >= size {
		return latest, nil
	}
	// A checkpoint is signed only over a log that extends the last one:
	// a ledger rewritten behind the application's back is not signed.
	if latest != nil {
		if _, err := ledger.Open(latest.Signed, k.Public); err != nil {
			return nil, fmt.Errorf("the newest checkpoint kept: %w", err)
		}
		if err := db.ProveExtends(ctx, latest.Size, latest.Root); err != nil {
			return nil, fmt.Errorf("the log no longer extends its checkpoint of %d changes (habeas ledger verify says more): %w", latest.Size, err)
		}
	}
	root, err := tlog.TreeHash(size, db.tableReader(ctx))
	if err != nil {
		return nil, err
	}
	signed, err := k.Sign(size, root)
	if err != nil {
		return nil, err
	}
	cp := &LedgerCheckpoint{Size: size, Root: root, Signed: signed, At: db.Now().UTC()}
	if _, err := db.db.ExecContext(ctx, `INSERT INTO ledger_checkpoints (size, root, signed, at_us) VALUES ($1, $2, $3, $4) ON CONFLICT (size) DO NOTHING`,
		size, root[:], string(signed), cp.At.UnixMicro()); err != nil {
		return nil, err
	}
	return cp, nil
}

// LatestCheckpoint returns the newest checkpoint kept, or nil.
func (db *DB) LatestCheckpoint(ctx context.Context) (*LedgerCheckpoint, error) {
	cps, err := db.checkpoints(ctx, `SELECT size, root, signed, at_us FROM ledger_checkpoints ORDER BY size DESC LIMIT 1`)
	if err != nil || len(cps) == 0 {
		return nil, err
	}
	return cps[0], nil
}

func (db *DB) checkpoints(ctx context.Context, q string) ([]*LedgerCheckpoint, error) {
	rows, err := db.db.QueryContext(ctx, q)
	if err != nil {
		return nil, fmt.Errorf("read checkpoints: %w", err)
	}
	return collect(rows, func(rows *sql.Rows) (*LedgerCheckpoint, error) {
		var c LedgerCheckpoint
		var root []byte
		var signed string
		var atUS int64
		err := rows.Scan(&c.Size, &root, &signed, &atUS)
		copy(c.Root[:], root)
		c.Signed, c.At = []byte(signed), time.UnixMicro(atUS).UTC()
		return &c, err
	})
}

// LedgerPublic returns the public key the register's checkpoints are
// signed under, as recorded when its ledger key was made; "" if none.
func (db *DB) LedgerPublic(ctx context.Context) (string, error) {
	var v string
	err := db.db.QueryRowContext(ctx, `SELECT value FROM keyring WHERE name = 'ledger_public'`).Scan(&v)
	if errors.Is(err, sql.ErrNoRows) {
		return "", nil
	}
	return v, err
}

// SetLedgerPublic records the public key of the register's ledger key,
// once: a register's checkpoints are signed under one key.
func (db *DB) SetLedgerPublic(ctx context.Context, public string) error {
	_, err := db.db.ExecContext(ctx, `INSERT INTO keyring (name, value) VALUES ('ledger_public', $1) ON CONFLICT (name) DO NOTHING`, public)
	return err
}

// LedgerProblem is the first thing found wrong with the ledger.
type LedgerProblem struct {
	Seq    int64 // the first change found wrong; 0 when none is named
	Reason string
}

func (p *LedgerProblem) Error() string {
	if p.Seq == 0 {
		return p.Reason
	}
	return fmt.Sprintf("change %d: %s", p.Seq, p.Reason)
}

// LedgerReport is what VerifyLedger found.
type LedgerReport struct {
	Changes     int64
	Checkpoints int
	Latest      *LedgerCheckpoint
	Problem     *LedgerProblem // nil: the ledger holds
}

// VerifyLedger recomputes the ledger from the stored changes, in order,
// and checks it against what the store keeps and against every signed
// checkpoint (with public, the ledger's public key): a change edited,
// deleted, inserted or reordered behind the store's back, a state
// replaced or removed, a checkpoint forged. The first problem is named
// in the report; an error says the verification could not be made.
func (db *DB) VerifyLedger(ctx context.Context, public string) (rep LedgerReport, err error) {
	defer wrap(&err, "verify the ledger")
	cps, err := db.checkpoints(ctx, `SELECT size, root, signed, at_us FROM ledger_checkpoints ORDER BY size`)
	if err != nil {
		return rep, err
	}
	rep.Checkpoints = len(cps)
	fail := func(seq int64, format string, args ...any) (LedgerReport, error) {
		rep.Problem = &LedgerProblem{Seq: seq, Reason: fmt.Sprintf(format, args...)}
		return rep, nil
	}
	removed := removedStates{}

	// The tree, rebuilt in memory from the changes alone.
	// The tree's stored hashes are appended in index order as it grows.
	var tree []tlog.Hash
	read := tlog.HashReaderFunc(func(idx []int64) ([]tlog.Hash, error) {
		out := make([]tlog.Hash, len(idx))
		for i, x := range idx {
			if x >= int64(len(tree)) {
				return nil, fmt.Errorf("hash %d missing", x)
			}
			out[i] = tree[x]
		}
		return out, nil
	})
	next := 0 // the next checkpoint to check
	var n int64
	// Changes a thousand at a time, with their stored leaf hashes, read
	// while the page before is checked; the states hashed on every core.
	pages := make(chan ledgerPage, 2)
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	go db.readLedgerPages(ctx, pages)
	for pg := range pages {
		if pg.err != nil {
			return rep, pg.err
		}
		rs, stored := pg.rows, pg.stored
		for _, r := range rs {
			if r.seq != n+1 {
				return fail(n+1, "is missing: the log goes from change %d to change %d", n, r.seq)
			}
			// The leaf commits to the state's hash: a state changed or
			// removed without it is caught here, a hash changed with it
			// by the leaf below. (A state imported already erased has
			// neither.)
			if r.op == "delete" && (r.data != nil || r.hash != nil) {
				return fail(r.seq, "a delete with a state")
			}
			if reason := removed.see(ctx, db, r); reason != "" {
				return fail(r.seq, "%s", reason)
			}
			e := entryOf(r.seq, r.atUS, r.actor, r.kind, r.id, r.op, r.hash, r.src, r.rsn, r.claim)
			hashes, err := tlog.StoredHashes(n, e.Leaf(), read)
			if err != nil {
				return rep, err
			}
			start := tlog.StoredHashIndex(0, n)
			tree = append(tree, hashes...)
			if s, ok := stored[start]; !ok {
				return fail(r.seq, "has no leaf in the ledger: it was added behind the application's back")
			} else if s != hashes[0] {
				return fail(r.seq, "is not the change the ledger recorded: it was edited, or put in another's place")
			}
			n++
			for next < len(cps) && cps[next].Size == n {
				if p := db.checkCheckpoint(cps[next], public, read, n); p != nil {
					rep.Problem = p
					return rep, nil
				}
				next++
			}
		}
	}
	rep.Changes = n
	if seq, reason := removed.left(); reason != "" {
		return fail(seq, "%s", reason)
	}
	var stored int64
	if err := db.db.QueryRowContext(ctx, `SELECT count(*) FROM ledger_hashes`).Scan(&stored); err != nil {
		return rep, err
	}
	if want := tlog.StoredHashCount(n); stored != want {
		return fail(n+1, "the ledger holds %d hashes, the log of %d changes needs %d: changes were removed from its end", stored, n, want)
	}
	if next < len(cps) {
		return fail(cps[next].Size, "a checkpoint of %d changes is kept, but the log holds %d: changes were removed", cps[next].Size, n)
	}
	if len(cps) > 0 {
		rep.Latest = cps[len(cps)-1]
	}
	return rep, nil
}

// readStoredHashes reads the stored hashes at idx into into. The leaves
// of consecutive changes lie close together (with the interior hashes
// between them), so they are read as one range of the table, which SQLite
// walks in order; a thousand parameters in a list cost more to parse than
// the query to run.
func readStoredHashes(ctx context.Context, q querier, idx []int64, into map[int64]tlog.Hash) error {
	if len(idx) == 0 {
		return nil
	}
	want := make(map[int64]bool, len(idx))
	for _, i := range idx {
		want[i] = true
	}
	if lo, hi := slices.Min(idx), slices.Max(idx); hi-lo < 4*int64(len(idx)) {
		rows, err := q.QueryContext(ctx, `SELECT idx, hash FROM ledger_hashes WHERE idx >= $1 AND idx <= $2`, lo, hi)
		if err != nil {
			return err
		}
		return scanHashes(rows, want, into)
	}
	for chunk := range slices.Chunk(idx, 100) {
		w := &where{}
		in(w, "idx IN (%s)", chunk)
		rows, err := q.QueryContext(ctx, `SELECT idx, hash FROM ledger_hashes`+w.String(), w.args...)
		if err != nil {
			return err
		}
		if err := scanHashes(rows, want, into); err != nil {
			return err
		}
	}
	return nil
}

// scanHashes reads rows of (idx, hash) into into, those wanted, and
// closes rows.
func scanHashes(rows *sql.Rows, want map[int64]bool, into map[int64]tlog.Hash) error {
	defer rows.Close()
	for rows.Next() {
		var i int64
		var b []byte
		if err := rows.Scan(&i, &b); err != nil {
			return err
		}
		if want[i] {
			var h tlog.Hash
			copy(h[:], b)
			into[i] = h
		}
	}
	return rows.Err()
}

// checkCheckpoint checks a kept checkpoint of size n against the tree
// rebuilt so far: its signature, then its root.
func (db *DB) checkCheckpoint(cp *LedgerCheckpoint, public string, read tlog.HashReader, n int64) *LedgerProblem {
	if public == "" {
		return &LedgerProblem{Reason: "no public key to verify the checkpoints with"}
	}
	opened, err := ledger.Open(cp.Signed, public)
	if err != nil {
		return &LedgerProblem{Seq: n, Reason: fmt.Sprintf("the checkpoint at %d changes: %v", n, err)}
	}
	if opened.Size != n || opened.Root != cp.Root {
		return &LedgerProblem{Seq: n, Reason: fmt.Sprintf("the checkpoint at %d changes is not what its signature says", n)}
	}
	root, err := tlog.TreeHash(n, read)
	if err != nil {
		return &LedgerProblem{Seq: n, Reason: err.Error()}
	}
	if root != opened.Root {
		return &LedgerProblem{Seq: n, Reason: fmt.Sprintf("the log of its first %d changes is not the one signed on %s: one of them was changed, and the ledger rewritten to hide it",
			n, cp.At.Format(time.RFC3339))}
	}
	return nil
}

// backfillLedger builds the ledger of the changes written before it
// existed (migration 014), a thousand at a time, in order.
func (tx *Tx) backfillLedger(ctx context.Context) error {
	var n int64
	for {
		rows, err := tx.QueryContext(ctx, `SELECT seq, at_us, actor, kind, entity_id, op, data, sources, reason FROM changes WHERE seq > $1 ORDER BY seq LIMIT 1000`, n)
		if err != nil {
			return err
		}
		type row struct {
			seq, atUS                     int64
			actor, kind, id, op, src, rsn string
			data                          []byte
		}
		rs, err := collect(rows, func(rows *sql.Rows) (row, error) {
			var r row
			return r, rows.Scan(&r.seq, &r.atUS, &r.actor, &r.kind, &r.id, &r.op, &r.data, &r.src, &r.rsn)
		})
		if err != nil || len(rs) == 0 {
			return err
		}
		for _, r := range rs {
			if r.seq != n+1 {
				return fmt.Errorf("the change log skips from %d to %d: its ledger cannot be built", n, r.seq)
			}
			h := dataHash(r.data)
			if h != nil {
				if _, err := tx.exec(ctx, `UPDATE changes SET data_hash = $1 WHERE seq = $2`, h, r.seq); err != nil {
					return err
				}
			}
			if err := tx.appendLeaf(ctx, entryOf(r.seq, r.atUS, r.actor, r.kind, r.id, r.op, h, r.src, r.rsn, claim{})); err != nil {
				return err
			}
			n = r.seq
		}
		if err := tx.writeHashes(ctx); err != nil {
			return err
		}
		clear(tx.hashes) // what the next leaves need is read back
	}
}

// ProveExtends proves, by a consistency proof (tlog.ProveTree, checked
// with tlog.CheckTree), that the log as stored now extends the log of
// size changes whose root was root: a checkpoint published earlier.
func (db *DB) ProveExtends(ctx context.Context, size int64, root tlog.Hash) error {
	n, err := db.LastSeq(ctx)
	if err != nil {
		return err
	}
	if size > n {
		return fmt.Errorf("the checkpoint is of %d changes; the log holds %d", size, n)
	}
	r := db.tableReader(ctx)
	now, err := tlog.TreeHash(n, r)
	if err != nil {
		return err
	}
	proof, err := tlog.ProveTree(n, size, r)
	if err != nil {
		return err
	}
	return tlog.CheckTree(proof, n, now, size, root)
}

// CheckLedgerTail is the check a server makes at start, quicker than
// VerifyLedger: the last `last` changes against the leaves the ledger
// stored for them (and their states against their hashes), the stored
// tree against the newest signed checkpoint (with public), and the stored
// tree's size against the log's. It returns the first problem, or nil.
func (db *DB) CheckLedgerTail(ctx context.Context, public string, last int64) (_ *LedgerProblem, err error) {
	defer wrap(&err, "check the ledger")
	n, err := db.LastSeq(ctx)
	if err != nil || n == 0 {
		return nil, err
	}
	var stored int64
	if err := db.db.QueryRowContext(ctx, `SELECT count(*) FROM ledger_hashes`).Scan(&stored); err != nil {
		return nil, err
	}
	if want := tlog.StoredHashCount(n); stored != want {
		return &LedgerProblem{Seq: n, Reason: fmt.Sprintf("the ledger holds %d hashes, the log of %d changes needs %d", stored, n, want)}, nil
	}
	from := max(n-last, 0)
	rows, err := db.db.QueryContext(ctx, `SELECT seq, at_us, actor, kind, entity_id, op, data, data_hash, sources, reason, claimed_actor, claimed_at_us, import_file FROM changes WHERE seq > $1 ORDER BY seq`, from)
	if err != nil {
		return nil, err
	}
	rs, err := collect(rows, scanLedgerRow)
	if err != nil {
		return nil, err
	}
	idx := make([]int64, len(rs))
	for i, r := range rs {
		idx[i] = tlog.StoredHashIndex(0, r.seq-1)
	}
	leaves := map[int64]tlog.Hash{}
	if err := readStoredHashes(ctx, db.db, idx, leaves); err != nil {
		return nil, err
	}
	removed := removedStates{}
	for i, r := range rs {
		r.dataHash = dataHash(r.data)
		if r.seq != from+int64(i)+1 {
			return &LedgerProblem{Seq: from + int64(i) + 1, Reason: "is missing"}, nil
		}
		if reason := removed.see(ctx, db, r); reason != "" {
			return &LedgerProblem{Seq: r.seq, Reason: reason}, nil
		}
		if entryOf(r.seq, r.atUS, r.actor, r.kind, r.id, r.op, r.hash, r.src, r.rsn, r.claim).Hash() != leaves[idx[i]] {
			return &LedgerProblem{Seq: r.seq, Reason: "is not the change the ledger recorded: it was edited, or put in another's place"}, nil
		}
	}
	if seq, reason := removed.left(); reason != "" {
		return &LedgerProblem{Seq: seq, Reason: reason}, nil
	}
	cp, err := db.LatestCheckpoint(ctx)
	if err != nil || cp == nil {
		return nil, err
	}
	if p := db.checkCheckpoint(cp, public, db.tableReader(ctx), cp.Size); p != nil {
		return p, nil
	}
	if cp.Size > n {
		return &LedgerProblem{Seq: n + 1, Reason: fmt.Sprintf("a checkpoint of %d changes is kept, but the log holds %d: changes were removed", cp.Size, n)}, nil
	}
	return nil, nil
}

// scanLedgerRow reads a change as the ledger's checks read it.
func scanLedgerRow(rows *sql.Rows) (ledgerRow, error) {
	var r ledgerRow
	return r, rows.Scan(&r.seq, &r.atUS, &r.actor, &r.kind, &r.id, &r.op, &r.data, &r.hash, &r.src, &r.rsn, &r.claim.Actor, &r.claim.AtUS, &r.claim.File)
}

// removedStates follows, change by change in order, the states that are
// not there to check: removed (blanked), or sealed under a key destroyed
// since. Each is allowed only if its record is erased later in the log,
// which the log says at its end (an erasure comes after the states it
// removed).
type removedStates struct {
	pending map[string]int64 // record: the first change whose state is not there
	erased  map[string]bool
}

// see checks the state of change r, whose dataHash is computed, against
// the hash the ledger recorded: it returns what is wrong, or "".
func (w *removedStates) see(ctx context.Context, db *DB, r ledgerRow) string {
	if r.op == string(habeas.OpErase) {
		if w.erased == nil {
			w.erased = map[string]bool{}
		}
		w.erased[r.id] = true
	}
	switch {
	case r.data == nil && r.hash == nil: // a delete, or a state imported already erased
		return ""
	case r.data != nil && bytes.Equal(r.dataHash, r.hash):
		return ""
	case r.data != nil:
		// Sealed since it was recorded in plain text (habeas key seal),
		// or under a key an erasure destroyed.
		doc, err := db.open(ctx, db.db, habeas.Kind(r.kind), r.id, r.data)
		switch {
		case err == nil && bytes.Equal(dataHash(doc), r.hash):
			return ""
		case !errors.Is(err, errErased):
			return "its stored state is not the one recorded: it was changed"
		}
	}
	if w.pending == nil {
		w.pending = map[string]int64{}
	}
	if _, ok := w.pending[r.id]; !ok {
		w.pending[r.id] = r.seq
	}
	return ""
}

// left returns the first change whose state is not there though its
// record was never erased, and what is wrong with it.
func (w *removedStates) left() (int64, string) {
	var first int64
	var id string
	for rec, seq := range w.pending {
		if !w.erased[rec] && (first == 0 || seq < first) {
			first, id = seq, rec
		}
	}
	if first == 0 {
		return 0, ""
	}
	return first, fmt.Sprintf("its state was removed, and %s was never erased", id)
}

// ledgerRow is a change as VerifyLedger reads it, with the hash of its
// stored state computed.
type ledgerRow struct {
	seq, atUS                     int64
	actor, kind, id, op, src, rsn string
	data, hash, dataHash          []byte
	claim                         claim
}

// ledgerPage is a page of changes with their stored leaf hashes, or the
// failure to read it.
type ledgerPage struct {
	rows   []ledgerRow
	stored map[int64]tlog.Hash
	err    error
}

// readLedgerPages reads the change log in order, a thousand changes a
// page, hashing their states on every core, into pages, which it closes
// at the end.
func (db *DB) readLedgerPages(ctx context.Context, pages chan<- ledgerPage) {
	defer close(pages)
	send := func(p ledgerPage) bool {
		select {
		case pages <- p:
			return true
		case <-ctx.Done():
			return false
		}
	}
	var after int64
	for {
		rows, err := db.db.QueryContext(ctx, `SELECT seq, at_us, actor, kind, entity_id, op, data, data_hash, sources, reason, claimed_actor, claimed_at_us, import_file FROM changes
			WHERE seq > $1 ORDER BY seq LIMIT 1000`, after)
		if err != nil {
			send(ledgerPage{err: err})
			return
		}
		rs, err := collect(rows, scanLedgerRow)
		if err != nil || len(rs) == 0 {
			if err != nil {
				send(ledgerPage{err: err})
			}
			return
		}
		var g errgroup.Group
		workers := runtime.GOMAXPROCS(0)
		for w := range workers {
			g.Go(func() error {
				for i := w; i < len(rs); i += workers {
					rs[i].dataHash = dataHash(rs[i].data)
				}
				return nil
			})
		}
		g.Wait()
		idx := make([]int64, len(rs))
		for i, r := range rs {
			idx[i] = tlog.StoredHashIndex(0, r.seq-1)
		}
		stored := map[int64]tlog.Hash{}
		if err := readStoredHashes(ctx, db.db, idx, stored); err != nil {
			send(ledgerPage{err: err})
			return
		}
		if !send(ledgerPage{rows: rs, stored: stored}) {
			return
		}
		after = rs[len(rs)-1].seq
	}
}
