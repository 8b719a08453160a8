package sqlstore

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"database/sql/driver"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"hash"
	"io"
	"strconv"
	"sync"
	"time"

	"github.com/habeas-project/habeas"
	"github.com/habeas-project/habeas/internal/vault"
)

// The evidence vault (issue 14): evidence files, each kept once however
// many records hold it, encrypted at rest (vault.EncryptFile: age's
// format, a random file key per file) in chunks of chunkSize, so that a
// file of any size streams in and out through a fixed buffer.
//
//   - vault_files: one row per file; its address is a blind index of its
//     SHA-256 (HMAC under the vault's data key), so that a seized
//     database does not confirm that it holds a known file. A file being
//     uploaded has no address yet, and its file key sealed under the
//     vault's key (staged_key).
//   - vault_chunks: the encrypted content, in order.
//   - vault_keys: the file key sealed under the data key of each owner
//     (the person, for evidence about one) whose records hold the file.
//     An erasure destroys the owner's data key and deletes the row; a
//     file no owner holds any more is deleted with it.

// vaultOwner owns the data key that blinds files' addresses and seals the
// keys of files being uploaded.
const vaultOwner = "vault"

// chunkSize is how much encrypted content one row of vault_chunks holds.
const chunkSize = 1 << 20

// stagedTTL is how long a staged file never attached is kept.
const stagedTTL = 24 * time.Hour

var errVaultPlain = habeas.Errorf(habeas.EINVALID,
	"this register is not encrypted, and evidence files are kept only encrypted: encrypt it first (habeas key seal)")

// vaultReady fails unless files can be stored and read: the register
// encrypted and unlocked.
func (db *DB) vaultReady() error {
	if db.keys == nil {
		if db.locked {
			return ErrLocked
		}
		return errVaultPlain
	}
	return nil
}

// fileAddress is what vault_files keeps of a file's SHA-256 (hex).
func (db *DB) fileAddress(sum string) string { return db.keys.files.Sum(sum) }

// stagedAD is the associated data of a staged file's key.
func stagedAD(id int64) []byte { return []byte("vault-staged/" + strconv.FormatInt(id, 10)) }

// fileKeyAD is the associated data of a file key sealed for an owner.
func fileKeyAD(address, owner string) []byte { return []byte("vault-file/" + address + "/" + owner) }

// StageFile implements habeas.FileService.
func (db *DB) StageFile(ctx context.Context, r io.Reader, declared string) (_ *habeas.StagedFile, err error) {
	defer wrap(&err, "stage a file")
	if err := db.vaultReady(); err != nil {
		return nil, err
	}
	db.sweepStaged(ctx)
	conn, err := db.streamConn(ctx)
	if err != nil {
		return nil, err
	}
	defer db.releaseStream(conn)
	cw := &chunkWriter{ctx: ctx, conn: conn, buf: make([]byte, 0, chunkSize)}
	w, fk, err := vault.EncryptFile(cw)
	if err != nil {
		return nil, err
	}
	var id int64
	if err := conn.QueryRowContext(ctx, `INSERT INTO vault_files (size, staged_key, at_us) VALUES (0, $1, $2) RETURNING id`,
		[]byte{}, db.Now().UnixMicro()).Scan(&id); err != nil {
		return nil, err
	}
	cw.id = id
	defer func() {
		if err != nil {
			db.discard(context.WithoutCancel(ctx), id)
		}
	}()
	if _, err := db.db.ExecContext(ctx, `UPDATE vault_files SET staged_key = $1 WHERE id = $2`,
		vault.SealFileKey(db.keys.pinned[vaultOwner], stagedAD(id), fk), id); err != nil {
		return nil, err
	}
	h := sha256.New()
	head := make([]byte, 0, vault.SniffLen)
	buf := make([]byte, 64<<10)
	var size int64
	for {
		n, rerr := r.Read(buf)
		if n > 0 {
			if len(head) < vault.SniffLen {
				head = append(head, buf[:min(n, vault.SniffLen-len(head))]...)
			}
			h.Write(buf[:n])
			if _, err := w.Write(buf[:n]); err != nil {
				return nil, err
			}
			size += int64(n)
		}
		if rerr == io.EOF {
			break
		}
		if rerr != nil {
			return nil, rerr
		}
	}
	if err := w.Close(); err != nil {
		return nil, err
	}
	if err := cw.flush(); err != nil {
		return nil, err
	}
	if _, err := db.db.ExecContext(ctx, `UPDATE vault_files SET size = $1 WHERE id = $2`, size, id); err != nil {
		return nil, err
	}
	mt, agrees := vault.MediaType(head, declared)
	return &habeas.StagedFile{ID: id, SHA256: hex.EncodeToString(h.Sum(nil)), Size: size, MediaType: mt, Agrees: agrees}, nil
}

// chunkWriter writes encrypted content to vault_chunks, a chunk at a time,
// each in a statement of its own: an upload never holds the writers'
// lock.
type chunkWriter struct {
	ctx  context.Context
	conn *sql.Conn
	id   int64
	n    int64
	buf  []byte
}

func (w *chunkWriter) Write(p []byte) (int, error) {
	written := 0
	for len(p) > 0 {
		k := min(len(p), chunkSize-len(w.buf))
		w.buf = append(w.buf, p[:k]...)
		p, written = p[k:], written+k
		if len(w.buf) == chunkSize {
			if err := w.flush(); err != nil {
				return written, err
			}
		}
	}
	return written, nil
}

func (w *chunkWriter) flush() error {
	if len(w.buf) == 0 {
		return nil
	}
	if w.id == 0 {
		return errors.New("a chunk before its file")
	}
	if _, err := w.conn.ExecContext(w.ctx, `INSERT INTO vault_chunks (file_id, n, data) VALUES ($1, $2, $3)`, w.id, w.n, w.buf); err != nil {
		return fmt.Errorf("write chunk %d: %w", w.n, err)
	}
	w.n++
	w.buf = w.buf[:0]
	return nil
}

// streamConn returns a connection of its own for streaming a file, set
// up for it (Dialect.StreamConn); releaseStream gives it back.
func (db *DB) streamConn(ctx context.Context) (*sql.Conn, error) {
	conn, err := db.db.Conn(ctx)
	if err != nil {
		return nil, err
	}
	if db.dialect.StreamConn != "" {
		if _, err := conn.ExecContext(ctx, db.dialect.StreamConn); err != nil {
			conn.Close()
			return nil, err
		}
	}
	return conn, nil
}

func (db *DB) releaseStream(conn *sql.Conn) {
	if db.dialect.StreamConnDone != "" {
		if _, err := conn.ExecContext(context.Background(), db.dialect.StreamConnDone); err != nil {
			conn.Raw(func(any) error { return driver.ErrBadConn }) // not back to the pool as it is
		}
	}
	conn.Close()
}

// DiscardStaged implements habeas.FileService.
func (db *DB) DiscardStaged(ctx context.Context, f *habeas.StagedFile) error {
	return db.discard(ctx, f.ID)
}

// discard removes a staged file.
func (db *DB) discard(ctx context.Context, id int64) error {
	if _, err := db.db.ExecContext(ctx, `DELETE FROM vault_chunks WHERE file_id = $1 AND EXISTS (SELECT 1 FROM vault_files WHERE id = $1 AND address IS NULL)`, id); err != nil {
		return err
	}
	_, err := db.db.ExecContext(ctx, `DELETE FROM vault_files WHERE id = $1 AND address IS NULL`, id)
	return err
}

// sweepStaged removes the files staged more than stagedTTL ago and never
// attached: uploads cut off, a server stopped mid-way. It is best effort.
func (db *DB) sweepStaged(ctx context.Context) {
	cutoff := db.Now().Add(-stagedTTL).UnixMicro()
	rows, err := db.db.QueryContext(ctx, `SELECT id FROM vault_files WHERE address IS NULL AND at_us < $1`, cutoff)
	if err != nil {
		return
	}
	ids, err := collect(rows, func(rows *sql.Rows) (int64, error) {
		var id int64
		return id, rows.Scan(&id)
	})
	if err != nil {
		return
	}
	for _, id := range ids {
		db.discard(ctx, id)
	}
}

// AttachFile implements habeas.FileTx.
func (rt *recordTx) AttachFile(ctx context.Context, f *habeas.StagedFile, e *habeas.Evidence) error {
	if rt.err != nil {
		return rt.err
	}
	err := rt.tx.attachFile(ctx, f, e)
	if err != nil {
		rt.err = err
	}
	return err
}

// attachFile makes staged file f the file of evidence e: its key sealed
// under the data key of e's owner. A file the vault already holds (the
// same SHA-256) is kept once: the staged copy goes, and the owner gets
// the key of the one kept.
func (tx *Tx) attachFile(ctx context.Context, f *habeas.StagedFile, e *habeas.Evidence) error {
	db := tx.db
	if err := db.vaultReady(); err != nil {
		return err
	}
	if e.SHA256 != f.SHA256 {
		return habeas.Errorf(habeas.EINVALID, "evidence %s says its file is %s, and the file uploaded is %s", e.ID, e.SHA256, f.SHA256)
	}
	doc, err := json.Marshal(e)
	if err != nil {
		return err
	}
	owner := ownerOf(habeas.KindEvidence, e.ID, doc)
	dk, err := tx.dataKey(ctx, owner)
	if err != nil {
		return err
	}
	addr := db.fileAddress(f.SHA256)
	var held int64
	switch err := tx.queryRow(ctx, `SELECT id FROM vault_files WHERE address = $1`, addr).Scan(&held); {
	case errors.Is(err, sql.ErrNoRows):
	case err != nil:
		return fmt.Errorf("look the file up: %w", err)
	default:
		fk, ok, err := tx.heldKey(ctx, held, addr)
		if err != nil {
			return err
		}
		if ok {
			if _, err := tx.exec(ctx, `INSERT INTO vault_keys (file_id, owner, sealed) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING`,
				held, owner, vault.SealFileKey(dk, fileKeyAD(addr, owner), fk)); err != nil {
				return fmt.Errorf("keep the file's key: %w", err)
			}
			return tx.dropFile(ctx, f.ID)
		}
		// Every owner that held it was erased: it goes, and the new
		// copy takes its place.
		if err := tx.dropFile(ctx, held); err != nil {
			return err
		}
	}
	var sealed []byte
	if err := tx.queryRow(ctx, `SELECT staged_key FROM vault_files WHERE id = $1 AND address IS NULL`, f.ID).Scan(&sealed); err != nil {
		return fmt.Errorf("find the staged file %d: %w", f.ID, err)
	}
	fk, err := vault.OpenFileKey(db.keys.pinned[vaultOwner], stagedAD(f.ID), sealed)
	if err != nil {
		return fmt.Errorf("open the staged file's key: %w", err)
	}
	if _, err := tx.exec(ctx, `UPDATE vault_files SET address = $1, staged_key = NULL WHERE id = $2`, addr, f.ID); err != nil {
		return fmt.Errorf("keep the file: %w", err)
	}
	if _, err := tx.exec(ctx, `INSERT INTO vault_keys (file_id, owner, sealed) VALUES ($1, $2, $3)`,
		f.ID, owner, vault.SealFileKey(dk, fileKeyAD(addr, owner), fk)); err != nil {
		return fmt.Errorf("keep the file's key: %w", err)
	}
	return nil
}

// heldKey returns the key of a kept file, opened with the data key of any
// owner that still holds it; false when none does.
func (tx *Tx) heldKey(ctx context.Context, id int64, addr string) (vault.FileKey, bool, error) {
	rows, err := tx.QueryContext(ctx, `SELECT owner, sealed FROM vault_keys WHERE file_id = $1`, id)
	if err != nil {
		return vault.FileKey{}, false, err
	}
	type sealedKey struct {
		owner  string
		sealed []byte
	}
	keys, err := collect(rows, func(rows *sql.Rows) (sealedKey, error) {
		var k sealedKey
		return k, rows.Scan(&k.owner, &k.sealed)
	})
	if err != nil {
		return vault.FileKey{}, false, err
	}
	for _, k := range keys {
		dk, err := tx.db.dataKey(ctx, tx, k.owner)
		if errors.Is(err, errNoKey) {
			continue
		} else if err != nil {
			return vault.FileKey{}, false, err
		}
		fk, err := vault.OpenFileKey(dk, fileKeyAD(addr, k.owner), k.sealed)
		if err != nil {
			return vault.FileKey{}, false, fmt.Errorf("open the key of file %d for %s: %w", id, k.owner, err)
		}
		return fk, true, nil
	}
	return vault.FileKey{}, false, nil
}

// dropFile deletes a file, its chunks and its keys.
func (tx *Tx) dropFile(ctx context.Context, id int64) error {
	for _, q := range []string{`DELETE FROM vault_chunks WHERE file_id = $1`, `DELETE FROM vault_keys WHERE file_id = $1`, `DELETE FROM vault_files WHERE id = $1`} {
		if _, err := tx.exec(ctx, q, id); err != nil {
			return fmt.Errorf("delete file %d: %w", id, err)
		}
	}
	return nil
}

// forgetFiles deletes owner's keys of files, and every file no owner
// holds any more: an erasure's part in the vault.
func (tx *Tx) forgetFiles(ctx context.Context, owner string) error {
	rows, err := tx.QueryContext(ctx, `SELECT file_id FROM vault_keys WHERE owner = $1`, owner)
	if err != nil {
		return err
	}
	ids, err := collect(rows, func(rows *sql.Rows) (int64, error) {
		var id int64
		return id, rows.Scan(&id)
	})
	if err != nil {
		return err
	}
	if _, err := tx.exec(ctx, `DELETE FROM vault_keys WHERE owner = $1`, owner); err != nil {
		return err
	}
	for _, id := range ids {
		var left int
		if err := tx.queryRow(ctx, `SELECT count(*) FROM vault_keys WHERE file_id = $1`, id).Scan(&left); err != nil {
			return err
		}
		if left == 0 {
			if err := tx.dropFile(ctx, id); err != nil {
				return err
			}
		}
	}
	return nil
}

// OpenFile implements habeas.FileService.
func (db *DB) OpenFile(ctx context.Context, e *habeas.Evidence) (_ io.ReadCloser, err error) {
	defer wrap(&err, "open the file of %s", e.ID)
	if err := db.vaultReady(); err != nil {
		return nil, err
	}
	if e.File == nil || e.SHA256 == "" {
		return nil, habeas.Errorf(habeas.ENOTFOUND, "evidence %s has no file in the vault", e.ID)
	}
	doc, err := json.Marshal(e)
	if err != nil {
		return nil, err
	}
	owner := ownerOf(habeas.KindEvidence, e.ID, doc)
	addr := db.fileAddress(e.SHA256)
	var id, size int64
	var sealed []byte
	err = db.db.QueryRowContext(ctx, `SELECT f.id, f.size, k.sealed FROM vault_files f JOIN vault_keys k ON k.file_id = f.id WHERE f.address = $1 AND k.owner = $2`,
		addr, owner).Scan(&id, &size, &sealed)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, habeas.Errorf(habeas.ENOTFOUND, "the file of evidence %s is not in the vault", e.ID)
	} else if err != nil {
		return nil, err
	}
	dk, err := db.dataKey(ctx, db.db, owner)
	if errors.Is(err, errNoKey) {
		return nil, habeas.Errorf(habeas.ENOTFOUND, "the file of evidence %s is not in the vault", e.ID)
	} else if err != nil {
		return nil, err
	}
	fk, err := vault.OpenFileKey(dk, fileKeyAD(addr, owner), sealed)
	if err != nil {
		return nil, fmt.Errorf("open the file's key: %w", err)
	}
	conn, err := db.streamConn(ctx)
	if err != nil {
		return nil, err
	}
	cr := &chunkReader{ctx: ctx, conn: conn, id: id}
	plain, err := vault.DecryptFile(cr, fk)
	if err != nil {
		db.releaseStream(conn)
		return nil, fmt.Errorf("the stored file is damaged: %w", err)
	}
	return &checkedFile{r: plain, h: sha256.New(), want: e.SHA256, size: size, id: e.ID, close: func() { db.releaseStream(conn) }}, nil
}

// chunkReader reads a file's encrypted content from vault_chunks, a
// chunk at a time.
type chunkReader struct {
	ctx  context.Context
	conn *sql.Conn
	id   int64
	n    int64
	buf  []byte
	done bool
}

func (r *chunkReader) Read(p []byte) (int, error) {
	for len(r.buf) == 0 {
		if r.done {
			return 0, io.EOF
		}
		err := r.conn.QueryRowContext(r.ctx, `SELECT data FROM vault_chunks WHERE file_id = $1 AND n = $2`, r.id, r.n).Scan(&r.buf)
		if errors.Is(err, sql.ErrNoRows) {
			r.done = true
			continue
		} else if err != nil {
			return 0, fmt.Errorf("read chunk %d: %w", r.n, err)
		}
		r.n++
	}
	n := copy(p, r.buf)
	r.buf = r.buf[n:]
	return n, nil
}

// checkedFile is a file's content as it is read, checked at its end
// against the SHA-256 and size the register holds.
type checkedFile struct {
	r     io.Reader
	h     hash.Hash
	want  string
	size  int64
	read  int64
	id    string
	close func()
	once  sync.Once
}

func (f *checkedFile) Read(p []byte) (int, error) {
	n, err := f.r.Read(p)
	f.h.Write(p[:n])
	f.read += int64(n)
	if err == io.EOF && (f.read != f.size || hex.EncodeToString(f.h.Sum(nil)) != f.want) {
		return n, fmt.Errorf("the file of evidence %s is not the one recorded: its SHA-256 differs", f.id)
	}
	if err != nil && err != io.EOF {
		err = fmt.Errorf("the stored file of evidence %s is damaged: %w", f.id, err)
	}
	return n, err
}

// Close gives the file's connection back.
func (f *checkedFile) Close() error {
	f.once.Do(f.close)
	return nil
}
