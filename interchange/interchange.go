// Package interchange writes and reads the Habeas export: the whole change
// log as versioned JSON Lines, so that a register moves between servers, or
// into a backup, with its history intact. docs/format.md describes the format.
//
// It works through habeas.ChangeService only, so it serves every store; it
// knows the SQL store just well enough to map a rejected batch item back to
// its line. It must not depend on a database driver, HTTP or the command line.
package interchange

import (
	"bufio"
	"context"
	"crypto/sha256"
	"encoding/json"
	"fmt"
	"io"

	"github.com/habeas-project/habeas"
	"github.com/habeas-project/habeas/ledger"
)

const (
	// Format names the format on the header line.
	Format = "habeas-export"
	// Version is the version of the format this package writes. It reads
	// every version from OldestVersion to Version (docs/format.md,
	// "Versioning"): version 2 added fields (the Istanbul Protocol's on
	// allegations, the Minnesota Protocol's on investigations, trial
	// monitoring on hearings) and closed the list of ill-treatment methods;
	// a version 1 file's free-text methods are kept in methods_other when
	// the record is normalized. Version 3 added fields: who caused a
	// casualty and its use-of-force account, whether an allegation says a
	// statement was obtained, and whether a hearing admitted one; files of
	// versions 1 and 2 read as they are, every new fact unknown.
	Version = 3
	// SignedVersion is the version of a signed export: version 3 with a
	// last line that signs everything before it (SignWith).
	SignedVersion = 4
	// OldestVersion is the oldest version this package reads.
	OldestVersion = 1
)

type signerKey struct{}

// SignWith returns a context whose exports are signed with the register's
// ledger key k: the header says SignedVersion, and a last line holds a
// signed note over the SHA-256 of every byte before it, with k's public
// half, so that an import can say whose the file is and that it is whole.
func SignWith(ctx context.Context, k *ledger.Key) context.Context {
	return context.WithValue(ctx, signerKey{}, k)
}

// signature is the last line of a signed export.
type signature struct {
	Signature string `json:"signature"` // the signed note (ledger.Key.SignExport)
	Key       string `json:"key"`       // the signer's public key (note verifier key)
}

// pageSize is how many changes Export reads from the store at a time.
const pageSize = 500

// header is the first line of an export. It carries nothing about the
// export itself (no time, no host), so that exporting the same log twice
// gives the same bytes.
type header struct {
	Format  string `json:"format"`
	Version int    `json:"version"`
	Changes int64  `json:"changes"`
	LastSeq int64  `json:"last_seq"`
}

// Export writes every change in the store, in order, streaming in pages (do
// not load everything in memory). It writes the log as it stood when Export
// began: changes appended meanwhile are left for the next export. On error
// the output is incomplete and must be discarded.
func Export(ctx context.Context, cs habeas.ChangeService, w io.Writer) (n int, err error) {
	defer func() {
		if err != nil {
			err = fmt.Errorf("export: %w", err)
		}
	}()
	last, err := cs.LastSeq(ctx)
	if err != nil {
		return 0, err
	}
	bw := bufio.NewWriterSize(w, 64<<10)
	signer, _ := ctx.Value(signerKey{}).(*ledger.Key)
	sum := sha256.New()
	enc := json.NewEncoder(io.MultiWriter(bw, sum))
	enc.SetEscapeHTML(false)
	version := Version
	if signer != nil {
		version = SignedVersion
	}
	// Stores number changes 1, 2, 3... without gaps, so the count is known
	// before the first change is read; the loop below checks that it holds.
	if err := enc.Encode(header{Format: Format, Version: version, Changes: last, LastSeq: last}); err != nil {
		return 0, err
	}
	var after int64
	for after < last {
		page, err := cs.Changes(ctx, after, pageSize)
		if err != nil {
			return n, err
		}
		if len(page) == 0 {
			return n, fmt.Errorf("the change log ends at sequence %d, before its last sequence %d", after, last)
		}
		for _, c := range page {
			if after == last {
				break // appended after the export began
			}
			if c.Seq != after+1 {
				return n, fmt.Errorf("the change log has a gap: sequence %d follows %d", c.Seq, after)
			}
			if im := c.Imported; im != nil {
				// Written as the file it came from said it was made.
				cc := *c
				cc.Actor, cc.At, cc.Imported = im.Actor, im.At, nil
				c = &cc
			}
			if err := enc.Encode(c); err != nil {
				return n, fmt.Errorf("change %d: %w", c.Seq, err)
			}
			after = c.Seq
			n++
		}
	}
	if signer != nil {
		note, err := signer.SignExport(sum.Sum(nil))
		if err != nil {
			return n, err
		}
		line, err := json.Marshal(signature{Signature: string(note), Key: signer.Public})
		if err != nil {
			return n, err
		}
		if _, err := bw.Write(append(line, '\n')); err != nil {
			return n, err
		}
	}
	return n, bw.Flush()
}
