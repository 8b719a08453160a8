package vault

import (
	"encoding/binary"
	"errors"
)

// A record's stored document, sealed: SealedV1, the owner's identifier
// (its length as a uvarint, then its bytes) and Seal's output, with the
// record's kind, identifier and owner as associated data, so that a
// value moved to another record or owner does not open. The store writes
// it; a case bundle's verifier (ledger) opens it with the key the bundle
// discloses.

// SealedV1 starts a sealed record. A document stored before the register
// was encrypted is JSON, which starts with '{'.
const SealedV1 byte = 0x01

// IsSealed reports whether stored is a sealed record.
func IsSealed(stored []byte) bool { return len(stored) > 0 && stored[0] == SealedV1 }

// RecordAD is the associated data of a record's sealed value.
func RecordAD(kind, id, owner string) []byte { return []byte(kind + "/" + id + "/" + owner) }

// SealRecord returns the sealed value of record id of kind, whose owner's
// data key is dk.
func SealRecord(dk Key, kind, id, owner string, doc []byte) []byte {
	out := make([]byte, 0, 1+binary.MaxVarintLen64+len(owner)+len(doc)+40)
	out = append(out, SealedV1)
	out = binary.AppendUvarint(out, uint64(len(owner)))
	out = append(out, owner...)
	return append(out, Seal(dk, RecordAD(kind, id, owner), doc)...)
}

// SplitRecord returns the owner a sealed value names and the sealed bytes
// after it.
func SplitRecord(stored []byte) (owner string, body []byte, err error) {
	if !IsSealed(stored) {
		return "", nil, errors.New("not a sealed value")
	}
	n, w := binary.Uvarint(stored[1:])
	if w <= 0 || uint64(len(stored)-1-w) < n {
		return "", nil, errors.New("damaged sealed value")
	}
	return string(stored[1+w : 1+w+int(n)]), stored[1+w+int(n):], nil
}

// OpenRecord opens a sealed value of record id of kind with its owner's
// data key.
func OpenRecord(dk Key, kind, id string, stored []byte) ([]byte, error) {
	owner, body, err := SplitRecord(stored)
	if err != nil {
		return nil, err
	}
	return Open(dk, RecordAD(kind, id, owner), body)
}
