// Package ledger is the register's tamper-evident log (issue 14): a Merkle
// tree (RFC 6962, golang.org/x/mod/sumdb/tlog) with one leaf for every
// change record, and checkpoints of it signed in the C2SP tlog-checkpoint
// format (a signed note, Ed25519) under the instance's ledger key, which
// is kept outside the database.
//
// A leaf commits to the change as it is stored: its sequence, time,
// actor, kind, identifier, operation, the SHA-256 of its stored (sealed)
// state, its sources and its stored reason; never to personal data in
// the clear, so crypto-shredding a person leaves the log whole.
package ledger

import (
	"bytes"
	"crypto/rand"
	"encoding/binary"
	"encoding/hex"
	"errors"
	"fmt"
	"os"
	"strings"

	tlogfmt "github.com/transparency-dev/formats/log"
	"golang.org/x/mod/sumdb/note"
	"golang.org/x/mod/sumdb/tlog"
)

// Entry is what a leaf commits to: a change record as stored.
type Entry struct {
	Seq      int64
	AtUS     int64
	Actor    string
	Kind     string
	ID       string
	Op       string
	DataHash []byte // SHA-256 of the stored state; nil for a delete
	Sources  string // as stored: identifiers joined by commas
	Reason   string // as stored (sealed in an encrypted register)
	// An imported change's claims: the actor and time the file gave it,
	// and the file's SHA-256 (hex); empty for a change made here.
	ClaimedActor string
	ClaimedAtUS  int64
	ImportFile   string
}

// leafVersion starts every leaf: a leaf of another layout is another
// leaf.
const leafVersion = "habeas-change-v1"

// Leaf returns the bytes the Merkle tree hashes for e (tlog.RecordHash):
// leafVersion, then each field, a string or bytes as its length (uvarint)
// and its bytes, a number as a varint.
func (e Entry) Leaf() []byte {
	var b []byte
	str := func(s []byte) {
		b = binary.AppendUvarint(b, uint64(len(s)))
		b = append(b, s...)
	}
	str([]byte(leafVersion))
	b = binary.AppendVarint(b, e.Seq)
	b = binary.AppendVarint(b, e.AtUS)
	for _, s := range []string{e.Actor, e.Kind, e.ID, e.Op} {
		str([]byte(s))
	}
	str(e.DataHash)
	str([]byte(e.Sources))
	str([]byte(e.Reason))
	str([]byte(e.ClaimedActor))
	b = binary.AppendVarint(b, e.ClaimedAtUS)
	str([]byte(e.ImportFile))
	return b
}

// Hash returns the leaf hash of e.
func (e Entry) Hash() tlog.Hash { return tlog.RecordHash(e.Leaf()) }

// keyHeader starts a ledger key file.
const keyHeader = "habeas-ledger-key-v1"

// Key is the instance's ledger key: it signs checkpoints. Public is the
// verifier key (note format: name+hash+key), to publish and to verify
// with.
type Key struct {
	Origin string
	Public string
	signer note.Signer
}

// NewKey returns a new ledger key for a log named origin (no spaces, no
// '+').
func NewKey(origin string) (*Key, string, error) {
	skey, vkey, err := note.GenerateKey(rand.Reader, origin)
	if err != nil {
		return nil, "", err
	}
	k, err := parseKey(skey, vkey)
	return k, skey, err
}

func parseKey(skey, vkey string) (*Key, error) {
	s, err := note.NewSigner(skey)
	if err != nil {
		return nil, fmt.Errorf("the ledger key: %w", err)
	}
	v, err := note.NewVerifier(vkey)
	if err != nil {
		return nil, fmt.Errorf("the ledger's public key: %w", err)
	}
	if v.Name() != s.Name() || v.KeyHash() != s.KeyHash() {
		return nil, errors.New("the ledger key file's public key is not its key's")
	}
	return &Key{Origin: s.Name(), Public: vkey, signer: s}, nil
}

// NewOrigin returns a name for a new register's log.
func NewOrigin() string {
	var b [6]byte
	rand.Read(b[:])
	return fmt.Sprintf("habeas-register-%x", b)
}

// WriteKeyFile writes a new ledger key file at path, mode 0600, refusing
// to replace one.
func WriteKeyFile(path string, skey string, k *Key) error {
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return err
	}
	_, err = fmt.Fprintf(f, "%s\n%s\n%s\n", keyHeader, skey, k.Public)
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		os.Remove(path)
	}
	return err
}

// ReadKeyFile reads a ledger key file; it refuses one that others may
// read.
func ReadKeyFile(path string) (*Key, error) {
	info, err := os.Stat(path)
	if err != nil {
		return nil, err
	}
	if info.Mode().Perm()&0o077 != 0 {
		return nil, fmt.Errorf("the ledger key file %s may be read by others (mode %v): chmod 600 it", path, info.Mode().Perm())
	}
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	lines := strings.Split(strings.TrimSpace(string(b)), "\n")
	if len(lines) != 3 || lines[0] != keyHeader {
		return nil, fmt.Errorf("%s is not a ledger key file", path)
	}
	return parseKey(lines[1], lines[2])
}

// Sign returns the signed checkpoint of the log at size with root.
func (k *Key) Sign(size int64, root tlog.Hash) ([]byte, error) {
	body := tlogfmt.Checkpoint{Origin: k.Origin, Size: uint64(size), Hash: root[:]}.Marshal()
	return note.Sign(&note.Note{Text: string(body)}, k.signer)
}

// Checkpoint is a signed checkpoint, opened.
type Checkpoint struct {
	Origin string
	Size   int64
	Root   tlog.Hash
	Signed []byte // the signed note as published
}

// Open verifies a signed checkpoint against the public key and returns
// it.
func Open(signed []byte, public string) (*Checkpoint, error) {
	v, err := note.NewVerifier(public)
	if err != nil {
		return nil, fmt.Errorf("the ledger's public key: %w", err)
	}
	cp, _, _, err := tlogfmt.ParseCheckpoint(signed, v.Name(), v)
	if err != nil {
		return nil, fmt.Errorf("the checkpoint does not verify: %w", err)
	}
	if len(cp.Hash) != tlog.HashSize {
		return nil, errors.New("the checkpoint's root is not a SHA-256 hash")
	}
	c := &Checkpoint{Origin: cp.Origin, Size: int64(cp.Size), Signed: bytes.Clone(signed)}
	copy(c.Root[:], cp.Hash)
	return c, nil
}

// exportHeader starts the text of an export's signature.
const exportHeader = "habeas-export-signature-v1"

// SignExport returns the signed note that says the export whose bytes
// (all before its signature line) have SHA-256 sum was made by this
// register.
func (k *Key) SignExport(sum []byte) ([]byte, error) {
	text := fmt.Sprintf("%s\n%s\n%x\n", exportHeader, k.Origin, sum)
	return note.Sign(&note.Note{Text: text}, k.signer)
}

// OpenExport verifies an export's signature against the public key it
// names, and returns the register that signed it and the SHA-256 of the
// export it signed.
func OpenExport(signed []byte, public string) (origin string, sum []byte, err error) {
	v, err := note.NewVerifier(public)
	if err != nil {
		return "", nil, fmt.Errorf("the signer's public key: %w", err)
	}
	n, err := note.Open(signed, note.VerifierList(v))
	if err != nil {
		return "", nil, fmt.Errorf("the signature does not verify: %w", err)
	}
	lines := strings.Split(strings.TrimSuffix(n.Text, "\n"), "\n")
	if len(lines) != 3 || lines[0] != exportHeader || lines[1] != v.Name() {
		return "", nil, errors.New("the signature is not of a Habeas export")
	}
	sum, err = hex.DecodeString(lines[2])
	if err != nil || len(sum) != 32 {
		return "", nil, errors.New("the signature names no SHA-256")
	}
	return lines[1], sum, nil
}
