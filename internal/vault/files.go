package vault

import (
	"errors"
	"fmt"
	"io"
	"mime"

	"filippo.io/age"
	"github.com/gabriel-vasile/mimetype"
)

// Evidence files (issue 14) are encrypted in age's format (filippo.io/age:
// a header, then the content in authenticated chunks of 64 KiB, so a
// file of any size streams through a fixed buffer, and a chunk changed,
// dropped or moved fails to decrypt). Each file has its own random file
// key. The header names no recipient that could open it: the file key is
// kept apart, sealed under the data key of each record that holds the
// file, so that one stored copy serves every case it belongs to and
// destroying a case's key (erasure) takes its access to the file with
// it.

// FileKey is the key of one evidence file (age's file key).
type FileKey [16]byte

// fileStanza is the type of the header's stanza: it holds nothing, and
// says the file key is kept by Habeas.
const fileStanza = "habeas-vault-v1"

// keeper is the age recipient and identity of a file whose key Habeas
// keeps: it learns the file key age makes, and gives it back.
type keeper struct {
	key FileKey
	set bool
}

// Wrap implements age.Recipient: it keeps the file key.
func (k *keeper) Wrap(fileKey []byte) ([]*age.Stanza, error) {
	if len(fileKey) != len(k.key) {
		return nil, fmt.Errorf("vault: a file key of %d bytes", len(fileKey))
	}
	copy(k.key[:], fileKey)
	k.set = true
	return []*age.Stanza{{Type: fileStanza}}, nil
}

// Unwrap implements age.Identity: it returns the key it holds for a file
// of Habeas's.
func (k *keeper) Unwrap(stanzas []*age.Stanza) ([]byte, error) {
	for _, s := range stanzas {
		if s.Type == fileStanza {
			return k.key[:], nil
		}
	}
	return nil, age.ErrIncorrectIdentity
}

// EncryptFile returns a writer that encrypts what is written to it into
// dst under a new file key, and that key. Close ends the file.
func EncryptFile(dst io.Writer) (io.WriteCloser, FileKey, error) {
	k := &keeper{}
	w, err := age.Encrypt(dst, k)
	if err != nil {
		return nil, FileKey{}, err
	}
	if !k.set {
		return nil, FileKey{}, errors.New("vault: age made no file key")
	}
	return w, k.key, nil
}

// DecryptFile returns a reader of the content EncryptFile wrote to src
// under key. A read fails if the content was changed.
func DecryptFile(src io.Reader, key FileKey) (io.Reader, error) {
	return age.Decrypt(src, &keeper{key: key, set: true})
}

// SealFileKey returns the file key sealed under a data key, with the
// associated data ad (which file, for which owner).
func SealFileKey(k Key, ad []byte, fk FileKey) []byte { return Seal(k, ad, fk[:]) }

// OpenFileKey opens what SealFileKey sealed.
func OpenFileKey(k Key, ad, sealed []byte) (FileKey, error) {
	b, err := Open(k, ad, sealed)
	if err != nil {
		return FileKey{}, err
	}
	if len(b) != len(FileKey{}) {
		return FileKey{}, errors.New("vault: a sealed file key of the wrong length")
	}
	return FileKey(b), nil
}

// SniffLen is how much of a file's beginning MediaType reads.
const SniffLen = 3072

// MediaType returns the media type of a file whose first bytes are head
// (SniffLen of them, or the whole file if shorter), from its content
// alone (github.com/gabriel-vasile/mimetype), and whether it agrees with
// declared, the type its name or its uploader gave ("" or
// application/octet-stream, which say nothing, agree with anything).
func MediaType(head []byte, declared string) (detected string, agrees bool) {
	m := mimetype.Detect(head)
	d, _, err := mime.ParseMediaType(declared)
	return m.String(), declared == "" || err == nil && (d == "application/octet-stream" || m.Is(d))
}
