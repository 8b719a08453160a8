// Package vault holds the keys that encrypt the register at rest and the
// few operations on them, each from a maintained library: XChaCha20-
// Poly1305 (golang.org/x/crypto) for records and for wrapping keys, HKDF
// (crypto/hkdf) to derive a key for each purpose from the master key,
// HMAC-SHA-256 for blind indexes, argon2id for a key from a passphrase.
// Nothing here is a cipher of its own; it only decides which key and
// which associated data each use takes.
//
// The hierarchy: the master key, kept outside the database (a key file,
// or a passphrase), wraps the data keys; each data key, stored wrapped in
// the database, seals the records of one owner (a person and what is
// about them, a source, a record of another kind). Destroying a data key
// makes its owner's records unreadable wherever their ciphertext is kept
// (crypto-shredding); rotating the master key rewraps the data keys and
// leaves the records as they are.
package vault

import (
	"bytes"
	"crypto/hkdf"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"golang.org/x/crypto/argon2"
	"golang.org/x/crypto/chacha20poly1305"
)

// Key is a 256-bit secret key.
type Key [32]byte

// Master is the instance's master key, unlocked.
type Master struct {
	key  Key
	wrap Key // derived: wraps data keys
}

// NewMaster returns a new random master key.
func NewMaster() *Master {
	var k Key
	rand.Read(k[:]) // never fails (crypto/rand)
	return masterOf(k)
}

func masterOf(k Key) *Master {
	m := &Master{key: k}
	m.wrap = m.Derive("habeas data-key wrapping v1")
	return m
}

// Derive returns the key for one purpose, named by info: HKDF-SHA-256 of
// the master key. Keys of different purposes are independent.
func (m *Master) Derive(info string) Key {
	b, err := hkdf.Key(sha256.New, m.key[:], nil, info, len(Key{}))
	if err != nil {
		panic("vault: " + err.Error()) // only for lengths HKDF cannot give
	}
	return Key(b)
}

// Check is a value stored beside the data that tells whether a master key
// is the one the data was written under, without revealing it: an HMAC
// of a fixed text under a key derived for the purpose.
func (m *Master) Check() []byte {
	k := m.Derive("habeas key check v1")
	mac := hmac.New(sha256.New, k[:])
	mac.Write([]byte("habeas"))
	return mac.Sum(nil)[:16]
}

// Matches reports whether check is m's Check.
func (m *Master) Matches(check []byte) bool {
	return subtle.ConstantTimeCompare(m.Check(), check) == 1
}

// ID is a short public name of the master key, for messages: the start of
// its check, in hex.
func (m *Master) ID() string { return fmt.Sprintf("%x", m.Check()[:4]) }

// NewDataKey returns a new random data key.
func NewDataKey() Key {
	var k Key
	rand.Read(k[:])
	return k
}

// Wrap encrypts a data key under the master key, bound to its owner (the
// associated data), so a wrapped key cannot be moved to another owner.
func (m *Master) Wrap(dk Key, owner string) []byte { return Seal(m.wrap, []byte(owner), dk[:]) }

// Unwrap decrypts a data key wrapped for owner.
func (m *Master) Unwrap(wrapped []byte, owner string) (Key, error) {
	b, err := Open(m.wrap, []byte(owner), wrapped)
	if err != nil || len(b) != len(Key{}) {
		return Key{}, fmt.Errorf("the data key of %s does not open under this master key", owner)
	}
	return Key(b), nil
}

// Seal encrypts plain under k with XChaCha20-Poly1305 and a random
// 192-bit nonce, authenticating ad with it; the result is the nonce
// followed by the ciphertext and tag.
func Seal(k Key, ad, plain []byte) []byte {
	aead, err := chacha20poly1305.NewX(k[:])
	if err != nil {
		panic("vault: " + err.Error()) // only for a key of the wrong size
	}
	out := make([]byte, aead.NonceSize(), aead.NonceSize()+len(plain)+aead.Overhead())
	rand.Read(out)
	return aead.Seal(out, out, plain, ad)
}

// ErrOpen is the failure to open a sealed value: the wrong key, other
// associated data, or a value changed since it was sealed.
var ErrOpen = errors.New("vault: the value does not open: wrong key, or changed since it was sealed")

// Open decrypts what Seal made with the same key and associated data.
func Open(k Key, ad, sealed []byte) ([]byte, error) {
	aead, err := chacha20poly1305.NewX(k[:])
	if err != nil {
		panic("vault: " + err.Error())
	}
	if len(sealed) < aead.NonceSize()+aead.Overhead() {
		return nil, ErrOpen
	}
	plain, err := aead.Open(nil, sealed[:aead.NonceSize()], sealed[aead.NonceSize():], ad)
	if err != nil {
		return nil, ErrOpen
	}
	return plain, nil
}

// Blinder computes blind indexes: keyed hashes of values that let the
// store find equal values without holding them. Equal inputs give equal
// outputs, so a blind index reveals which records share a value (and how
// many do), never the value.
type Blinder struct{ key Key }

// NewBlinder returns the blinder for one index under a data key of its
// own: rotating the master key rewraps that key and leaves the index as
// it is, and the old master key cannot recompute it.
func NewBlinder(k Key, purpose string) *Blinder {
	b, err := hkdf.Key(sha256.New, k[:], nil, "habeas blind index v1: "+purpose, len(Key{}))
	if err != nil {
		panic("vault: " + err.Error())
	}
	return &Blinder{key: Key(b)}
}

// Sum returns the blind index of s: 96 bits of HMAC-SHA-256, in unpadded
// base64url (16 characters).
func (b *Blinder) Sum(s string) string {
	mac := hmac.New(sha256.New, b.key[:])
	mac.Write([]byte(s))
	return base64.RawURLEncoding.EncodeToString(mac.Sum(nil)[:12])
}

// keyFileHeader starts a key file, so that a wrong file is told apart
// from a wrong key.
const keyFileHeader = "habeas-master-key-v1 "

// WriteKeyFile writes m to a new file at path, readable only by its
// owner. It refuses to overwrite a file: a key lost is a register lost.
func (m *Master) WriteKeyFile(path string) error {
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return fmt.Errorf("write key file: %w", err)
	}
	_, err = fmt.Fprintf(f, "%s%s\n", keyFileHeader, base64.StdEncoding.EncodeToString(m.key[:]))
	if err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		os.Remove(path)
		return fmt.Errorf("write key file: %w", err)
	}
	// Make the new name durable too.
	if d, err := os.Open(filepath.Dir(path)); err == nil {
		d.Sync()
		d.Close()
	}
	return nil
}

// ReadKeyFile reads a master key from a key file. A file that others may
// read is refused: the key is the register.
func ReadKeyFile(path string) (*Master, error) {
	info, err := os.Stat(path)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, fmt.Errorf("no key file at %s", path)
	} else if err != nil {
		return nil, fmt.Errorf("key file: %w", err)
	}
	if info.Mode().Perm()&0o077 != 0 {
		return nil, fmt.Errorf("key file %s can be read by others (mode %#o): chmod 600 it", path, info.Mode().Perm())
	}
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("key file: %w", err)
	}
	text, ok := strings.CutPrefix(string(bytes.TrimSpace(b)), keyFileHeader)
	if !ok {
		return nil, fmt.Errorf("%s is not a Habeas key file", path)
	}
	raw, err := base64.StdEncoding.DecodeString(text)
	if err != nil || len(raw) != len(Key{}) {
		return nil, fmt.Errorf("%s is not a Habeas key file: its key is damaged", path)
	}
	return masterOf(Key(raw)), nil
}

// Params are argon2id's costs for a key from a passphrase.
type Params struct {
	Time    uint32 `json:"t"`
	Memory  uint32 `json:"m"` // KiB
	Threads uint8  `json:"p"`
}

// DefaultParams follow RFC 9106's second recommended choice: 64 MiB,
// three passes; about a quarter of a second on a small server, once at
// start.
var DefaultParams = Params{Time: 3, Memory: 64 * 1024, Threads: 4}

// NewSalt returns a random salt for FromPassphrase.
func NewSalt() []byte {
	s := make([]byte, 16)
	rand.Read(s)
	return s
}

// FromPassphrase derives a master key from a passphrase with argon2id.
func FromPassphrase(passphrase []byte, salt []byte, p Params) (*Master, error) {
	if len(passphrase) < 12 {
		return nil, errors.New("the passphrase must have at least 12 characters")
	}
	if len(salt) < 16 || p.Time == 0 || p.Memory < 8*1024 || p.Threads == 0 {
		return nil, errors.New("vault: passphrase parameters too weak or missing")
	}
	return masterOf(Key(argon2.IDKey(passphrase, salt, p.Time, p.Memory, p.Threads, uint32(len(Key{}))))), nil
}
