package interchange

import (
	"bufio"
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"sort"

	"github.com/habeas-project/habeas"
	"github.com/habeas-project/habeas/ledger"
)

// maxLine bounds one line of an export; a record is at most a few MB.
const maxLine = 64 << 20

// Import reads a whole export and replays it into the store in one
// transaction through cs.Import: all or nothing. Every line is checked
// before the store is touched, and every problem found is reported in an
// *InvalidError; the store then checks what only it can, and a change it
// rejects is reported the same way, with its line. Each change is recorded
// as imported by the account importing it, with its time and actor kept
// as its file's claims; they are numbered after the target's own log. The
// changes are held in memory until the store takes them in its one
// transaction.
func Import(ctx context.Context, cs habeas.ChangeService, r io.Reader) (n int, err error) {
	n, _, err = ImportSigned(ctx, cs, r)
	return n, err
}

// ImportSigned is Import, and says who signed the export, if it is signed
// (SignWith): nil for an export not signed. A signed export whose
// signature does not verify, or that was changed after it was signed, is
// refused.
func ImportSigned(ctx context.Context, cs habeas.ChangeService, r io.Reader) (n int, signer *Signer, err error) {
	n, c, err := importFile(ctx, cs, r)
	if c != nil && err == nil {
		signer = c.signer
	}
	return n, signer, err
}

func importFile(ctx context.Context, cs habeas.ChangeService, r io.Reader) (n int, _ *checker, err error) {
	c := newChecker(ctx, cs)
	last, err := cs.LastSeq(ctx)
	if err != nil {
		return 0, c, fmt.Errorf("import: %w", err)
	}
	c.emptyTarget = last == 0
	sum := sha256.New()
	if err := c.read(io.TeeReader(r, sum)); err != nil {
		return 0, c, fmt.Errorf("import: %w", err)
	}
	// Every change is recorded as imported from this file (its content's
	// SHA-256), by whoever imports it.
	ctx = habeas.WithImportFile(ctx, hex.EncodeToString(sum.Sum(nil)))
	if len(c.problems) > 0 {
		return 0, c, c.invalid()
	}
	if len(c.changes) == 0 {
		return 0, c, nil
	}
	if err := cs.Import(ctx, c.changes); err != nil {
		return 0, c, c.rejected(err)
	}
	return len(c.changes), c, nil
}

// read checks the header and every change line, collecting the changes and
// the problems. It fails only when reading or the store fails.
func (c *checker) read(r io.Reader) error {
	br := bufio.NewReaderSize(r, 1<<20)
	c.signed = sha256.New()
	var buf []byte
	var blanks []int // blank lines not yet known to be trailing
	var lineCount int64
	ln := 0
	for {
		line, tooLong, rerr := readLine(br, buf)
		buf = line[:0]
		if rerr != nil && rerr != io.EOF {
			return rerr
		}
		if len(line) == 0 && !tooLong && rerr == io.EOF {
			break
		}
		ln++
		raw := line
		line = bytes.TrimSuffix(bytes.TrimSuffix(line, []byte("\n")), []byte("\r"))
		signatureLine := ln > 1 && c.hdr.Version == SignedVersion && c.countOK && lineCount == c.hdr.Changes &&
			len(bytes.TrimSpace(line)) > 0 && c.sig == nil
		if !signatureLine && c.sig == nil {
			c.signed.Write(raw)
		}
		switch {
		case signatureLine:
			var sig signature
			if err := json.Unmarshal(line, &sig); err != nil || sig.Signature == "" || sig.Key == "" {
				c.add(ln, "signature", "a signed export ends with its signature line {\"signature\":...,\"key\":...}")
			}
			c.sig, c.sigLine = &sig, ln
		case c.sig != nil && len(bytes.TrimSpace(line)) > 0:
			c.add(ln, "", "follows the export's signature: a signed export ends with it")
		case ln == 1:
			if tooLong {
				c.add(1, "", "is not an export header: longer than 64 MiB")
				return nil
			}
			if !c.header(bytes.TrimPrefix(line, []byte("\ufeff"))) {
				return nil // not an export, or a version this build cannot read
			}
		case len(bytes.TrimSpace(line)) == 0 && !tooLong:
			blanks = append(blanks, ln)
		default:
			for _, b := range blanks {
				c.add(b, "", "is blank; only the end of the file may hold blank lines")
			}
			blanks = blanks[:0]
			lineCount++
			if tooLong {
				c.lastOK = false
				c.add(ln, "", "is longer than 64 MiB")
			} else {
				c.change(line, ln)
			}
			if c.err != nil {
				return c.err
			}
			if ln%1000 == 0 {
				if err := c.ctx.Err(); err != nil {
					return err
				}
			}
		}
		if rerr == io.EOF {
			break
		}
	}
	if ln == 0 {
		c.add(1, "", "is missing: the file is empty, and its first line must be the export header")
		return nil
	}
	if c.countOK && lineCount != c.hdr.Changes {
		c.add(1, "changes", fmt.Sprintf("the header says %d changes but the file holds %d", c.hdr.Changes, lineCount))
	}
	c.checkSignature(ln)
	switch {
	case !c.lastSeqOK:
	case c.lastOK && c.lastSeq != c.hdr.LastSeq:
		c.add(1, "last_seq", fmt.Sprintf("the header says %d but the last change has sequence %d", c.hdr.LastSeq, c.lastSeq))
	case lineCount == 0 && c.hdr.LastSeq != 0:
		c.add(1, "last_seq", fmt.Sprintf("the header says %d but the file holds no changes", c.hdr.LastSeq))
	}
	return nil
}

// readLine reads one line, newline included, into buf. A line longer than
// maxLine is consumed but not kept, and tooLong is set.
func readLine(br *bufio.Reader, buf []byte) (line []byte, tooLong bool, err error) {
	for {
		frag, err := br.ReadSlice('\n')
		if !tooLong && len(buf)+len(frag) > maxLine {
			tooLong, buf = true, buf[:0]
		}
		if !tooLong {
			buf = append(buf, frag...)
		}
		if err != bufio.ErrBufferFull {
			return buf, tooLong, err
		}
	}
}

// invalid returns the problems found, in line order.
func (c *checker) invalid() *InvalidError {
	sort.SliceStable(c.problems, func(i, j int) bool { return c.problems[i].Line < c.problems[j].Line })
	return &InvalidError{Problems: c.problems}
}

// rejected maps the store's refusal of one change back to its line. Only
// refusals of the input become an *InvalidError; a failing store stays an
// internal error.
func (c *checker) rejected(err error) error {
	var be *habeas.BatchError
	if !errors.As(err, &be) || be.Index < 0 || be.Index >= len(c.lines) {
		return fmt.Errorf("import: %w", err)
	}
	ln := c.lines[be.Index]
	var he *habeas.Error
	if !errors.As(be.Err, &he) || he.Code == habeas.EINTERNAL {
		return fmt.Errorf("import line %d: %w", ln, be.Err)
	}
	if len(he.Fields) == 0 {
		// Conflicts and missing records: about the change's identifier.
		c.add(ln, "id", he.Message)
	}
	for _, f := range he.Fields {
		field := f.Field
		// The store names the fields of a change as they are; the fields of
		// an entity are inside its data.
		if he.Message != "invalid change" {
			field = "data." + field
		}
		c.add(ln, field, f.Reason)
	}
	return c.invalid()
}

// Signer is who signed an export, as its signature says and verifies.
type Signer struct {
	Origin string // the signing register's log
	Key    string // its public key (note verifier key)
}

// checkSignature checks a signed export's last line: its note verifies
// under the key it names, and signs the SHA-256 of every byte before it.
// last is the file's last line.
func (c *checker) checkSignature(last int) {
	if c.hdr.Version != SignedVersion {
		return
	}
	if c.sig == nil {
		c.add(last, "signature", "is missing: a signed export (version 4) ends with its signature line; the file was cut")
		return
	}
	if c.sig.Signature == "" {
		return // said already
	}
	origin, sum, err := ledger.OpenExport([]byte(c.sig.Signature), c.sig.Key)
	if err != nil {
		c.add(c.sigLine, "signature", err.Error())
		return
	}
	if !bytes.Equal(sum, c.signed.Sum(nil)) {
		c.add(c.sigLine, "signature", "signs another file: this one was changed after it was signed")
		return
	}
	c.signer = &Signer{Origin: origin, Key: c.sig.Key}
}
